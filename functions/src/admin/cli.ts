// The operator's command line: `npm run admin -- <command> [options]` (functions/lib/admin/cli.js).
// Talks to Firestore with the Admin SDK: the emulators with --emulator, otherwise the project named
// by GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT with Application Default Credentials.
// Exit codes: 0 success, 1 failure, 2 usage. It never prints a secret except a key it just created.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { deleteApp, getApps, initializeApp } from "firebase-admin/app";
import {
  MetagraphSnapshotError,
  RequestIdSchema,
  parseMetagraphSnapshotJson,
  readMetagraphFromChain,
  type MetagraphSnapshot,
} from "consensus-core";
import { writeFile } from "node:fs/promises";
import { formatMinerScoresTable, readMinerScoresTable } from "../audit/minerScoresTable";
import { verifyStoredRequest } from "../audit/verifyRequest";
import { readAgreementTable } from "../audit/agreementTable";
import { CLIENT_ID_PATTERN, createApiKey } from "../http/apiKeys";
import { SnapshotSequenceError, syncRegistryFromSnapshot } from "../registry/sync";
import { formatSyncReport } from "./format";
import { grantOperator, OPERATOR_USAGE } from "./operator";
import { API_KEYS_USAGE, runKeysCommand, type KeysCommand } from "./apiKeysCli";
import { formatAgreementTable, formatVerifyReport } from "./format-integrity";

export const ADMIN_EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export const EMULATOR_FIRESTORE_HOST = "127.0.0.1:8080";
export const EMULATOR_PROJECT_ID = "demo-consensus";
export const EMULATOR_AUTH_HOST = "127.0.0.1:9099";

export const USAGE = `Usage: npm run admin -- <command> [options]
       node functions/lib/admin/cli.js <command> [options]

Commands:
  sync-metagraph --file <snapshot.json> | --chain <ws url> --netuid <n> [--dry-run] [--force] [--json]
      Validate a metagraph snapshot (docs/metagraph-snapshot.md) and bring the registry in line
      with it. Prints what was added, removed and changed (trust from → to) and a summary line.
        --file      a snapshot file
        --chain     read the snapshot from a subtensor node instead (runtime API get_neurons_lite
                    at the finalized block; --netuid names the subnet)
        --dry-run   report the changes without writing anything
        --force     apply a snapshot for another netuid, or older than the last synced block
        --json      print the report as JSON instead of text

  export-metagraph --chain <ws url> --netuid <n> [--out <file>]
      Read the subnet's metagraph from a subtensor node and print it (or write it to --out) in the
      snapshot format, for operators who host a snapshot. Touches no Firestore.

  miner-scores [--json]
      Each miner's rolling credit from consensus (miner_scores/{hotkey}) with its registry uid,
      highest first: what validators compute their weights from.

  create-api-key --client <id> [--label <text>] [--json]
      Create an API key for an API client (id: 1-64 letters, digits, '_', '.', '-'). The key is
      printed once: only its SHA-256 hash is stored, so save it now. The key alone goes to stdout
      (KEY=$(npm run -s admin -- create-api-key ...)); the key's webhook secret (whsec_..., which
      signs callback_url deliveries) is printed once on stderr. --json prints both on stdout as
      {"key", "webhook_secret", "key_id"} instead.

${API_KEYS_USAGE}

${OPERATOR_USAGE}

  verify <request_id> [--json]
      Re-verify a completed request from what is stored, trusting none of its result's claims:
      every signature of its rankings and submissions; the participants and miners against the
      signed documents an expected node wrote in time; trust against the registry entries
      finalisation read (its recorded block); the consensus recomputed with the mode and kappa the
      request recorded at creation. Prints "match" or every difference; exit code 1 on a mismatch.

  agreement [--hotkey <hotkey>] [--json]
      Each validator's rolling agreement with the consensus (validator_agreement/{hotkey}): the
      share of its score mass that survived clipping and its rank correlation with the consensus
      order, averaged over its last requests, lowest agreement first.

  help
      Show this text.

Options for every command:
  --emulator   use the local emulators: FIRESTORE_EMULATOR_HOST=${EMULATOR_FIRESTORE_HOST} and project
               ${EMULATOR_PROJECT_ID}, unless already set in the environment
  -h, --help   show this text

Without --emulator the project is GOOGLE_CLOUD_PROJECT (or GCLOUD_PROJECT) and credentials are
Application Default Credentials (gcloud auth application-default login, or
GOOGLE_APPLICATION_CREDENTIALS).

Exit codes: 0 success, 1 failure (invalid snapshot, verify mismatch, Firestore error), 2 usage error.`;

/** Mirrors the check in createApiKey, so a bad id is a usage error caught before any connection. */
const LABEL_MAX = 200;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

class AdminUsageError extends Error {}

const COMMON = {
  emulator: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const COMMANDS = {
  "sync-metagraph": {
    ...COMMON,
    file: { type: "string" },
    chain: { type: "string" },
    netuid: { type: "string" },
    "dry-run": { type: "boolean" },
    force: { type: "boolean" },
    json: { type: "boolean" },
  },
  "create-api-key": {
    ...COMMON,
    client: { type: "string" },
    label: { type: "string" },
    json: { type: "boolean" },
  },
  "export-metagraph": {
    help: COMMON.help,
    chain: { type: "string" },
    netuid: { type: "string" },
    out: { type: "string" },
  },
  "miner-scores": { ...COMMON, json: { type: "boolean" } },
  verify: { ...COMMON, json: { type: "boolean" } },
  agreement: { ...COMMON, hotkey: { type: "string" }, json: { type: "boolean" } },
} as const;
type CommandName = keyof typeof COMMANDS;

function parseCommand<C extends CommandName>(name: C, args: string[]) {
  return parseCommandWithPositionals(name, args, false).values;
}

function parseCommandWithPositionals<C extends CommandName>(
  name: C,
  args: string[],
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args, options: COMMANDS[name], strict: true, allowPositionals });
  } catch (err) {
    throw new AdminUsageError(`${name}: ${(err as Error).message}`);
  }
}

/** Points the Admin SDK at the emulators or a real project; returns a line naming the target. */
function connect(emulator: boolean, env: NodeJS.ProcessEnv): string {
  if (emulator) {
    env.FIRESTORE_EMULATOR_HOST ||= EMULATOR_FIRESTORE_HOST;
    // Registry sync revokes the sessions of removed hotkeys through the Auth emulator.
    env.FIREBASE_AUTH_EMULATOR_HOST ||= EMULATOR_AUTH_HOST;
    if (!env.GCLOUD_PROJECT && !env.GOOGLE_CLOUD_PROJECT) env.GCLOUD_PROJECT = EMULATOR_PROJECT_ID;
    // No credentials are needed against the emulators; without this the auth library may probe
    // the GCE metadata server and print a warning (or stall) on machines that are not on GCP.
    env.METADATA_SERVER_DETECTION ||= "none";
  }
  const projectId = env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT;
  if (!projectId) {
    throw new AdminUsageError(
      "no project: set GOOGLE_CLOUD_PROJECT (or GCLOUD_PROJECT) to the Firebase project id, " +
        "or pass --emulator",
    );
  }
  if (getApps().length === 0) initializeApp({ projectId });
  return env.FIRESTORE_EMULATOR_HOST
    ? `project ${projectId} (Firestore emulator at ${env.FIRESTORE_EMULATOR_HOST})`
    : `project ${projectId}`;
}

async function syncMetagraph(args: string[], io: Io): Promise<number> {
  const opts = parseCommand("sync-metagraph", args);
  if (opts.help) return help(io);
  if (opts.file && opts.chain) {
    throw new AdminUsageError("sync-metagraph: give --file or --chain, not both");
  }
  if (!opts.file && !opts.chain) {
    throw new AdminUsageError(
      "sync-metagraph: --file <snapshot.json> or --chain <ws url> --netuid <n> is required",
    );
  }
  const source = opts.file ?? "the chain";
  let snapshot: MetagraphSnapshot;
  if (opts.chain) {
    const netuid = parseNetuid("sync-metagraph", opts.netuid);
    // Read (and validated) before connecting to Firestore: a chain error touches nothing.
    snapshot = await readMetagraphFromChain(opts.chain, netuid);
  } else {
    if (opts.netuid) throw new AdminUsageError("sync-metagraph: --netuid goes with --chain");
    let text: string;
    try {
      text = await readFile(opts.file!, "utf8");
    } catch (err) {
      io.err(`error: cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      return ADMIN_EXIT.failure;
    }
    try {
      // Validated before connecting: a malformed file fails fast and touches nothing.
      snapshot = parseMetagraphSnapshotJson(text);
    } catch (err) {
      if (err instanceof MetagraphSnapshotError) return snapshotError(source, err, io);
      throw err;
    }
  }

  const target = connect(opts.emulator === true, io.env);
  if (!opts.json) io.out(`Target: ${target}${opts["dry-run"] ? " (dry run)" : ""}`);
  try {
    const report = await syncRegistryFromSnapshot(snapshot, new Date(), {
      dryRun: opts["dry-run"] === true,
      force: opts.force === true,
      source: opts.chain ? "cli:chain" : "cli",
    });
    io.out(opts.json ? JSON.stringify(report, null, 2) : formatSyncReport(report));
    return ADMIN_EXIT.ok;
  } catch (err) {
    if (err instanceof MetagraphSnapshotError) return snapshotError(source, err, io);
    if (err instanceof SnapshotSequenceError) {
      io.err(`error: ${err.message}; nothing was written`);
      return ADMIN_EXIT.failure;
    }
    throw err;
  }
}

function parseNetuid(command: string, value: string | undefined): number {
  if (value === undefined) throw new AdminUsageError(`${command}: --netuid <n> is required`);
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new AdminUsageError(`${command}: --netuid must be a whole number in 0..65535`);
  }
  return Number(value);
}

async function exportMetagraph(args: string[], io: Io): Promise<number> {
  const opts = parseCommand("export-metagraph", args);
  if (opts.help) return help(io);
  if (!opts.chain) throw new AdminUsageError("export-metagraph: --chain <ws url> is required");
  const netuid = parseNetuid("export-metagraph", opts.netuid);
  const snapshot = await readMetagraphFromChain(opts.chain, netuid);
  const text = JSON.stringify(snapshot, null, 2);
  if (opts.out) {
    await writeFile(opts.out, `${text}\n`);
    io.err(
      `Wrote ${opts.out}: netuid ${snapshot.netuid}, block ${snapshot.block}, ` +
        `${snapshot.neurons.length} neurons`,
    );
  } else {
    io.out(text);
  }
  return ADMIN_EXIT.ok;
}

async function minerScores(args: string[], io: Io): Promise<number> {
  const opts = parseCommand("miner-scores", args);
  if (opts.help) return help(io);
  const target = connect(opts.emulator === true, io.env);
  if (!opts.json) io.err(`Target: ${target}`);
  const rows = await readMinerScoresTable();
  io.out(opts.json ? JSON.stringify(rows, null, 2) : formatMinerScoresTable(rows));
  return ADMIN_EXIT.ok;
}

function snapshotError(file: string, err: MetagraphSnapshotError, io: Io): number {
  io.err(`error: invalid metagraph snapshot in ${file}; nothing was written:`);
  for (const issue of err.issues) io.err(`  ${issue.field}: ${issue.message}`);
  return ADMIN_EXIT.failure;
}

async function createKey(args: string[], io: Io): Promise<number> {
  const opts = parseCommand("create-api-key", args);
  if (opts.help) return help(io);
  if (!opts.client) throw new AdminUsageError("create-api-key: --client <id> is required");
  if (!CLIENT_ID_PATTERN.test(opts.client)) {
    throw new AdminUsageError(
      "create-api-key: --client must be 1-64 characters of letters, digits, '_', '.', '-'",
    );
  }
  const label = opts.label ?? "";
  if (label.length > LABEL_MAX) {
    throw new AdminUsageError(`create-api-key: --label must be at most ${LABEL_MAX} characters`);
  }

  const target = connect(opts.emulator === true, io.env);
  const { key, keyId, webhookSecret } = await createApiKey(opts.client, label);
  io.err(`Target: ${target}`);
  io.err(
    `Created an API key for client "${opts.client}"${label ? ` (label "${label}")` : ""}; ` +
      `key id: ${keyId}`,
  );
  if (opts.json) {
    io.out(JSON.stringify({ key, webhook_secret: webhookSecret, key_id: keyId }, null, 2));
  } else {
    // The key alone on stdout, so `KEY=$(npm run -s admin -- create-api-key ...)` captures it;
    // the webhook secret goes to the terminal (stderr), shown once like the key.
    io.out(key);
    io.err(`Webhook secret (verifies callback_url deliveries): ${webhookSecret}`);
  }
  io.err(
    "WARNING: this key and its webhook secret are shown once. The key is not stored (only its " +
      "SHA-256 hash is); save both now. A lost key cannot be recovered, only replaced.",
  );
  return ADMIN_EXIT.ok;
}

async function verify(args: string[], io: Io): Promise<number> {
  const { values: opts, positionals } = parseCommandWithPositionals("verify", args, true);
  if (opts.help) return help(io);
  if (positionals.length !== 1)
    throw new AdminUsageError("verify: exactly one <request_id> is required");
  const requestId = positionals[0];
  if (!RequestIdSchema.safeParse(requestId).success) {
    throw new AdminUsageError(
      `verify: request id must be a UUID, got ${JSON.stringify(requestId)}`,
    );
  }
  const target = connect(opts.emulator === true, io.env);
  if (!opts.json) io.err(`Target: ${target}`);
  const report = await verifyStoredRequest(requestId);
  io.out(opts.json ? JSON.stringify(report, null, 2) : formatVerifyReport(report));
  return report.match ? ADMIN_EXIT.ok : ADMIN_EXIT.failure;
}

async function agreement(args: string[], io: Io): Promise<number> {
  const opts = parseCommand("agreement", args);
  if (opts.help) return help(io);
  const target = connect(opts.emulator === true, io.env);
  if (!opts.json) io.err(`Target: ${target}`);
  const rows = await readAgreementTable(opts.hotkey);
  io.out(opts.json ? JSON.stringify(rows, null, 2) : formatAgreementTable(rows));
  if (opts.hotkey && rows.length === 0) return ADMIN_EXIT.failure;
  return ADMIN_EXIT.ok;
}

function help(io: Io): number {
  io.out(USAGE);
  return ADMIN_EXIT.ok;
}

/** Runs one command; never throws (errors become messages and exit codes). */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "sync-metagraph":
        return await syncMetagraph(rest, io);
      case "export-metagraph":
        return await exportMetagraph(rest, io);
      case "miner-scores":
        return await minerScores(rest, io);
      case "create-api-key":
        return await createKey(rest, io);
      case "grant-operator": {
        const deps = { ...io, connect, usage: (m: string) => new AdminUsageError(m) };
        const code = await grantOperator(rest, deps);
        return code === "help" ? help(io) : code;
      }
      case "list-api-keys":
      case "disable-api-key":
      case "rotate-api-key": {
        const deps = {
          ...io,
          connect,
          usage: (m: string) => new AdminUsageError(m),
          now: () => new Date(),
        };
        const code = await runKeysCommand(command as KeysCommand, rest, deps);
        return code === "help" ? help(io) : code;
      }
      case "verify":
        return await verify(rest, io);
      case "agreement":
        return await agreement(rest, io);
      case "help":
      case "--help":
      case "-h":
        return help(io);
      case undefined:
        throw new AdminUsageError("no command given");
      default:
        throw new AdminUsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof AdminUsageError) {
      io.err(`error: ${err.message}\n\n${USAGE}`);
      return ADMIN_EXIT.usage;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return ADMIN_EXIT.failure;
  } finally {
    await Promise.all(getApps().map((app) => deleteApp(app)));
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
