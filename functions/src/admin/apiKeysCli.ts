// list-api-keys, disable-api-key, rotate-api-key: the key lifecycle after create-api-key. Kept
// apart from cli.ts, which only routes to these. Prints key ids and prefixes, never a stored hash;
// the only secret printed is a key just issued by a rotation.
import { parseArgs } from "node:util";
import { DEFAULT_GRACE, MAX_GRACE_MS, parseGrace, type ApiKeyState } from "consensus-core";
import {
  ApiKeyNotFoundError,
  ApiKeyStateError,
  disableApiKey,
  listApiKeys,
  rotateApiKey,
  type ApiKeyListing,
} from "../http/apiKeys";

export const API_KEYS_USAGE = `  list-api-keys [--client <id>] [--json]
      Every API key: client id, label, key id, key prefix, created, status (active, disabled,
      rotating-until <time>, expired). Never the key or its stored hash.

  disable-api-key <key id>
      Disable a key (key id from list-api-keys); the next request with it is refused.

  rotate-api-key <key id> [--grace <duration>]
      Issue a new key for the same client and label (printed once, like create-api-key). The old
      key keeps working for the grace period (30s, 15m, 24h, 7d; 0s stops it at once; at most
      ${MAX_GRACE_MS / 86_400_000}d; default ${DEFAULT_GRACE}), then is refused.`;

export interface KeysDeps {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  connect: (emulator: boolean, env: NodeJS.ProcessEnv) => string;
  usage: (message: string) => Error;
  now: () => Date;
}

const OPTIONS = {
  "list-api-keys": { client: { type: "string" }, json: { type: "boolean" } },
  "disable-api-key": {},
  "rotate-api-key": { grace: { type: "string" } },
} as const;
export type KeysCommand = keyof typeof OPTIONS;

const COMMON = {
  emulator: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function stateText(state: ApiKeyState): string {
  switch (state.kind) {
    case "rotating":
      return `rotating-until ${state.until.toISOString()}`;
    case "expired":
      return `expired ${state.at.toISOString()}`;
    default:
      return state.kind;
  }
}

/** The table of list-api-keys. Pure. */
export function formatKeysTable(rows: ApiKeyListing[]): string {
  if (rows.length === 0) return "No API keys.";
  const header = ["CLIENT", "LABEL", "KEY ID", "PREFIX", "CREATED", "STATUS"];
  const cells = rows.map((r) => [
    r.client_id,
    r.label || "-",
    r.key_id,
    r.key_prefix ? `${r.key_prefix}…` : "-",
    r.created_at ?? "-",
    stateText(r.state),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [header, ...cells]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Runs one key command; "help" when the caller should print the usage. */
export async function runKeysCommand(
  name: KeysCommand,
  args: string[],
  deps: KeysDeps,
): Promise<number | "help"> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON, ...OPTIONS[name] },
      strict: true,
      allowPositionals: name !== "list-api-keys",
    });
  } catch (err) {
    throw deps.usage(`${name}: ${(err as Error).message}`);
  }
  const opts = parsed.values as Record<string, string | boolean | undefined>;
  if (opts.help) return "help";
  const emulator = opts.emulator === true;

  if (name === "list-api-keys") {
    const target = deps.connect(emulator, deps.env);
    if (!opts.json) deps.err(`Target: ${target}`);
    const rows = await listApiKeys(deps.now(), opts.client as string | undefined);
    deps.out(opts.json ? JSON.stringify(rows, null, 2) : formatKeysTable(rows));
    return 0;
  }

  if (parsed.positionals.length !== 1)
    throw deps.usage(`${name}: exactly one <key id> is required`);
  const keyId = parsed.positionals[0];
  let graceMs = 0;
  if (name === "rotate-api-key") {
    const grace = (opts.grace as string | undefined) ?? DEFAULT_GRACE;
    const parsedGrace = parseGrace(grace);
    if (parsedGrace === null) {
      throw deps.usage(
        `rotate-api-key: --grace must be a whole number of s, m, h or d (e.g. 24h), at most ` +
          `${MAX_GRACE_MS / 86_400_000}d; got ${JSON.stringify(grace)}`,
      );
    }
    graceMs = parsedGrace;
  }

  const target = deps.connect(emulator, deps.env);
  deps.err(`Target: ${target}`);
  try {
    if (name === "disable-api-key") {
      const { clientId, alreadyDisabled } = await disableApiKey(keyId, deps.now());
      deps.out(
        alreadyDisabled
          ? `Key ${keyId} of client "${clientId}" was already disabled.`
          : `Disabled key ${keyId} of client "${clientId}": it is refused from now on.`,
      );
      return 0;
    }
    const rotated = await rotateApiKey(keyId, graceMs, deps.now());
    deps.err(
      `Issued key ${rotated.keyId} for client "${rotated.clientId}"; the old key ${keyId} works ` +
        `until ${rotated.oldExpiresAt.toISOString()}, then is refused.`,
    );
    // The key alone on stdout, as create-api-key does, so a script can capture it.
    deps.out(rotated.key);
    deps.err("WARNING: this key is shown once and is not stored. Save it now.");
    return 0;
  } catch (err) {
    if (err instanceof ApiKeyNotFoundError || err instanceof ApiKeyStateError) {
      deps.err(`error: ${err.message}; nothing was changed`);
      return 1;
    }
    throw err;
  }
}
