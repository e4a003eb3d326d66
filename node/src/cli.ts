#!/usr/bin/env node
// consensus-node: run a validator or miner node, or submit a lead request as an API client.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { setLogLevel } from "firebase/firestore";
import { CreateLeadsRequestSchema, describeIssues } from "consensus-core";
import { EXIT, runRequestCommand } from "./client";
import { KeyError, loadKeypair, type KeySourceOptions } from "./keys";
import { createLogger, parseLogFormat, type LogFormat } from "./log";
import { MinerNode } from "./miner";
import { DEFAULT_HEARTBEAT_MS, MIN_HEARTBEAT_MS } from "./heartbeat";
import type { NodeRuntime } from "./node-runtime";
import type { SessionConfig } from "./session";
import { ValidatorNode } from "./validator";
import type { WaitBoundConfig } from "./wait-bound";

export const EMULATOR_DEFAULTS = {
  apiBaseUrl: "http://127.0.0.1:5001/demo-consensus/us-central1/api",
  projectId: "demo-consensus",
  firestoreEmulatorHost: "127.0.0.1:8080",
  authEmulatorHost: "127.0.0.1:9099",
} as const;

export const SYNOPSIS = `Usage:
  consensus-node validator <hotkey> [connection] [node options] [validator options]
  consensus-node miner     <hotkey> [connection] [node options] [miner options]
  consensus-node request   --key KEY --num N --desc TEXT [--json] [--idempotency-key K] [connection]
  consensus-node help`;

export const USAGE = `consensus-node: validator and miner nodes, and an API client, for the lead consensus subnet

${SYNOPSIS}

Hotkey (exactly one; sr25519, SS58 format 42):
  --uri URI               secret URI, e.g. //Alice (development; visible in ps)  env NODE_SECRET_URI
  --mnemonic-env VAR      read the BIP39 mnemonic from environment variable VAR  env NODE_MNEMONIC
  --key-file PATH         JSON {"secretUri": "..."} or {"mnemonic": "..."},
                          readable by its owner only (chmod 600)                 env NODE_KEY_FILE

Connection:
  --api URL               HTTPS API base URL                                     env CONSENSUS_API_URL
  --project ID            Firebase project id (nodes)                            env CONSENSUS_PROJECT_ID
  --emulator              local emulator suite: api ${EMULATOR_DEFAULTS.apiBaseUrl},
                          project ${EMULATOR_DEFAULTS.projectId}, Firestore ${EMULATOR_DEFAULTS.firestoreEmulatorHost}, Auth ${EMULATOR_DEFAULTS.authEmulatorHost}
                                                                                 env CONSENSUS_EMULATOR=1
  Nodes outside the emulator also need the Firebase web API key in FIREBASE_API_KEY.
  FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST are honoured when set.

Node options:
  --heartbeat-ms MS       registry heartbeat period (default: the backend's, else ${DEFAULT_HEARTBEAT_MS}; min ${MIN_HEARTBEAT_MS})    env NODE_HEARTBEAT_MS
  --log-format FORMAT     text or json (default text)                            env LOG_FORMAT

Miner options:
  --lead-pool PATH        lead pool JSON file (default: the shipped pool)        env MINER_LEAD_POOL

Validator options (how long to collect miner submissions before ranking):
  --wait-after-first MS   stop this long after the first submission (default 3000)
  --settle-ms MS          or once no new submission came for this long (default 3000)
  --max-wait-ms MS        once a submission came, never collect longer than this (default 20000)
  --deadline-margin-ms MS stop this long before the validator deadline (default 2000)
  LLM ranking when LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY) are set; the heuristic ranker
  is the fallback.

Request options:
  --key KEY               API key                                                env CONSENSUS_API_KEY
  --num N                 number of leads, 1-100
  --desc TEXT             business description of the ideal customer
  --json                  print the final status as JSON instead of a table
  --idempotency-key K     sent as Idempotency-Key (default: a fresh UUID); re-running with the
                          same key within 24 h returns the first request instead of a new one

Exit codes: 0 success (request completed, node stopped cleanly), 1 failure (request failed or
timed out, sign-in refused), 2 usage error.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface NodeCommand {
  command: "validator" | "miner";
  key: KeySourceOptions;
  /** Where the key came from, for the start-up log (never the key itself). */
  keySource: string;
  session: SessionConfig;
  /** Unset: the period the backend gives at sign-in (HEARTBEAT_PERIOD_SECONDS), else the default. */
  heartbeatMs?: number;
  logFormat: LogFormat;
  leadPoolPath?: string;
  waitBound: Partial<WaitBoundConfig>;
}

export interface RequestCommand {
  command: "request";
  apiBaseUrl: string;
  apiKey: string;
  numLeads: number;
  businessDesc: string;
  json: boolean;
  idempotencyKey?: string;
}

export type Command = NodeCommand | RequestCommand | { command: "help" };

type Env = Record<string, string | undefined>;

const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== "";

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`${name} must be a whole number, got "${value}"`);
  return Number(value.trim());
}

function truthy(value: string | undefined): boolean {
  return set(value) && !["0", "false", "no", "off"].includes(value.trim().toLowerCase());
}

function url(name: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new UsageError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, "");
}

const NODE_OPTIONS = {
  uri: { type: "string" },
  "mnemonic-env": { type: "string" },
  "key-file": { type: "string" },
  api: { type: "string" },
  project: { type: "string" },
  emulator: { type: "boolean" },
  "heartbeat-ms": { type: "string" },
  "log-format": { type: "string" },
  "lead-pool": { type: "string" },
  "wait-after-first": { type: "string" },
  "settle-ms": { type: "string" },
  "max-wait-ms": { type: "string" },
  "deadline-margin-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const REQUEST_OPTIONS = {
  key: { type: "string" },
  num: { type: "string" },
  desc: { type: "string" },
  json: { type: "boolean" },
  "idempotency-key": { type: "string" },
  api: { type: "string" },
  emulator: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const VALIDATOR_ONLY = ["wait-after-first", "settle-ms", "max-wait-ms", "deadline-margin-ms"];

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    // Node's messages are clear ("Unknown option '--x'"); drop its internal error code.
    throw new UsageError((err as Error).message);
  }
}

function resolveKey(
  values: Record<string, unknown>,
  env: Env,
): { key: KeySourceOptions; source: string } {
  const uri = values.uri as string | undefined;
  const mnemonicEnv = values["mnemonic-env"] as string | undefined;
  const keyFile = values["key-file"] as string | undefined;
  const flags = [uri, mnemonicEnv, keyFile].filter((v) => v !== undefined).length;
  if (flags > 1) throw new UsageError("give exactly one of --uri, --mnemonic-env, --key-file");
  if (uri !== undefined) {
    if (!set(uri)) throw new UsageError("--uri is empty");
    return { key: { uri }, source: "--uri" };
  }
  if (mnemonicEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(mnemonicEnv)) {
      throw new UsageError(
        `--mnemonic-env takes the name of an environment variable, got "${mnemonicEnv}"`,
      );
    }
    const mnemonic = env[mnemonicEnv];
    if (!set(mnemonic)) throw new UsageError(`environment variable ${mnemonicEnv} is not set`);
    return { key: { mnemonic }, source: `$${mnemonicEnv}` };
  }
  if (keyFile !== undefined) {
    if (!set(keyFile)) throw new UsageError("--key-file is empty");
    return { key: { keyFile }, source: `key file ${keyFile}` };
  }
  const fromEnv: { key: KeySourceOptions; source: string }[] = [];
  if (set(env.NODE_SECRET_URI))
    fromEnv.push({ key: { uri: env.NODE_SECRET_URI }, source: "$NODE_SECRET_URI" });
  if (set(env.NODE_MNEMONIC))
    fromEnv.push({ key: { mnemonic: env.NODE_MNEMONIC }, source: "$NODE_MNEMONIC" });
  if (set(env.NODE_KEY_FILE)) {
    fromEnv.push({ key: { keyFile: env.NODE_KEY_FILE }, source: `key file ${env.NODE_KEY_FILE}` });
  }
  if (fromEnv.length > 1) {
    throw new UsageError(
      `set only one of NODE_SECRET_URI, NODE_MNEMONIC, NODE_KEY_FILE (got ${fromEnv.map((f) => f.source).join(", ")})`,
    );
  }
  if (fromEnv.length === 0) {
    throw new UsageError("no hotkey: give --uri, --mnemonic-env or --key-file");
  }
  return fromEnv[0];
}

function parseNode(command: "validator" | "miner", args: string[], env: Env): Command {
  const { values } = parse(args, NODE_OPTIONS);
  if (values.help) return { command: "help" };
  if (command === "miner") {
    const wrong = VALIDATOR_ONLY.filter(
      (o) => (values as Record<string, unknown>)[o] !== undefined,
    );
    if (wrong.length > 0) throw new UsageError(`--${wrong[0]} is a validator option`);
  }
  if (command === "validator" && values["lead-pool"] !== undefined) {
    throw new UsageError("--lead-pool is a miner option");
  }
  const { key, source } = resolveKey(values, env);
  const emulator = values.emulator === true || truthy(env.CONSENSUS_EMULATOR);

  const apiBaseUrl = resolveApiBaseUrl(values.api, env, emulator);
  const projectId =
    values.project ??
    (set(env.CONSENSUS_PROJECT_ID) ? env.CONSENSUS_PROJECT_ID : undefined) ??
    (emulator ? EMULATOR_DEFAULTS.projectId : undefined);
  if (!projectId) throw new UsageError("no Firebase project: give --project ID (or --emulator)");

  const session: SessionConfig = {
    apiBaseUrl,
    projectId,
    firebaseApiKey: set(env.FIREBASE_API_KEY) ? env.FIREBASE_API_KEY : undefined,
    firestoreEmulatorHost:
      (set(env.FIRESTORE_EMULATOR_HOST) ? env.FIRESTORE_EMULATOR_HOST : undefined) ??
      (emulator ? EMULATOR_DEFAULTS.firestoreEmulatorHost : undefined),
    authEmulatorHost:
      (set(env.FIREBASE_AUTH_EMULATOR_HOST) ? env.FIREBASE_AUTH_EMULATOR_HOST : undefined) ??
      (emulator ? EMULATOR_DEFAULTS.authEmulatorHost : undefined),
  };

  const heartbeatMs = integer(
    "--heartbeat-ms",
    values["heartbeat-ms"] ?? (set(env.NODE_HEARTBEAT_MS) ? env.NODE_HEARTBEAT_MS : undefined),
  );
  if (heartbeatMs !== undefined && heartbeatMs < MIN_HEARTBEAT_MS) {
    throw new UsageError(`--heartbeat-ms must be at least ${MIN_HEARTBEAT_MS}`);
  }
  let logFormat: LogFormat;
  try {
    logFormat = parseLogFormat(values["log-format"] ?? env.LOG_FORMAT) ?? "text";
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const waitBound: Partial<WaitBoundConfig> = {};
  const bounds: [keyof WaitBoundConfig, string][] = [
    ["afterFirstMs", "wait-after-first"],
    ["settleMs", "settle-ms"],
    ["maxWaitMs", "max-wait-ms"],
    ["deadlineMarginMs", "deadline-margin-ms"],
  ];
  for (const [field, flag] of bounds) {
    const v = integer(`--${flag}`, (values as Record<string, string | undefined>)[flag]);
    if (v !== undefined) waitBound[field] = v;
  }

  const leadPool =
    values["lead-pool"] ?? (set(env.MINER_LEAD_POOL) ? env.MINER_LEAD_POOL : undefined);
  return {
    command,
    key,
    keySource: source,
    session,
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    logFormat,
    ...(command === "miner" && leadPool ? { leadPoolPath: leadPool } : {}),
    waitBound,
  };
}

/** --api, else CONSENSUS_API_URL, else the emulator's URL with --emulator; required. */
function resolveApiBaseUrl(flag: string | undefined, env: Env, emulator: boolean): string {
  const raw = flag ?? (set(env.CONSENSUS_API_URL) ? env.CONSENSUS_API_URL : undefined);
  if (raw) return url("--api", raw);
  if (emulator) return EMULATOR_DEFAULTS.apiBaseUrl;
  throw new UsageError("no API URL: give --api URL (or --emulator)");
}

function parseRequest(args: string[], env: Env): Command {
  const { values } = parse(args, REQUEST_OPTIONS);
  if (values.help) return { command: "help" };
  const apiKey = values.key ?? env.CONSENSUS_API_KEY;
  if (!set(apiKey)) throw new UsageError("no API key: give --key KEY (or set CONSENSUS_API_KEY)");
  if (values.num === undefined) throw new UsageError("--num N is required");
  if (values.desc === undefined) throw new UsageError('--desc "..." is required');
  const emulator = values.emulator === true || truthy(env.CONSENSUS_EMULATOR);
  const apiBaseUrl = resolveApiBaseUrl(values.api, env, emulator);
  const numLeads = integer("--num", values.num) as number;
  // The same schema the API validates with, so a bad value is caught before any network call.
  const parsed = CreateLeadsRequestSchema.safeParse({
    num_leads: numLeads,
    business_desc: values.desc,
  });
  if (!parsed.success) {
    const first = describeIssues(parsed.error)[0];
    const flag =
      first.field === "num_leads"
        ? "--num"
        : first.field === "business_desc"
          ? "--desc"
          : first.field;
    throw new UsageError(`${flag}: ${first.message}`);
  }
  const idempotencyKey = values["idempotency-key"];
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new UsageError("--idempotency-key: 1-255 printable ASCII characters without spaces");
  }
  return {
    command: "request",
    apiBaseUrl,
    apiKey: apiKey.trim(),
    numLeads: parsed.data.num_leads,
    businessDesc: parsed.data.business_desc,
    json: values.json === true,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
  };
}

/** Parses the command line (and the environment as fallback). Pure; throws UsageError. */
export function parseCli(argv: readonly string[], env: Env = process.env): Command {
  const [command, ...rest] = argv;
  switch (command) {
    case "validator":
    case "miner":
      return parseNode(command, rest, env);
    case "request":
      return parseRequest(rest, env);
    case "help":
    case "--help":
    case "-h":
      return { command: "help" };
    case undefined:
      throw new UsageError("missing command");
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Starts the node and resolves with the exit code once a signal has shut it down. */
async function runNode(cmd: NodeCommand): Promise<number> {
  let pair;
  try {
    pair = await loadKeypair(cmd.key);
  } catch (err) {
    if (err instanceof KeyError) {
      process.stderr.write(`consensus-node: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  const log = createLogger({ role: cmd.command, hotkey: pair.address, format: cmd.logFormat });
  // The SDK warns on every failed reconnect attempt; the node logs connection changes itself.
  setLogLevel("error");
  const common = {
    pair,
    session: cmd.session,
    logger: log,
    heartbeatMs: cmd.heartbeatMs,
  };
  let node: NodeRuntime;
  try {
    node =
      cmd.command === "validator"
        ? new ValidatorNode({ ...common, waitBound: cmd.waitBound })
        : new MinerNode({ ...common, leadPoolPath: cmd.leadPoolPath });
  } catch (err) {
    log.error(`cannot start: ${(err as Error).message}`);
    return EXIT.usage;
  }
  log.info("starting", {
    hotkey: pair.address,
    key: cmd.keySource,
    api: cmd.session.apiBaseUrl,
    project: cmd.session.projectId,
    firestore_emulator: cmd.session.firestoreEmulatorHost,
    auth_emulator: cmd.session.authEmulatorHost,
  });

  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn(`${signal} again, exiting now`);
      process.exit(EXIT.failed);
    }
    log.info(`${signal} received`);
    node.stop().then(
      () => resolveExit(EXIT.ok),
      (err) => {
        log.error(`shutdown failed: ${(err as Error).message}`);
        resolveExit(EXIT.failed);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    await node.start();
  } catch (err) {
    if (signals > 0) return exited;
    log.error(`cannot start: ${(err as Error).message}`);
    return EXIT.failed;
  }
  return exited;
}

export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Env = process.env,
): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseCli(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `consensus-node: ${err.message}\n\n${SYNOPSIS}\nRun 'consensus-node help' for all options.\n`,
    );
    return EXIT.usage;
  }
  switch (cmd.command) {
    case "help":
      process.stdout.write(USAGE + "\n");
      return EXIT.ok;
    case "request":
      return runRequestCommand(cmd);
    default:
      return runNode(cmd);
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`consensus-node: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
