// Turns the command line (with the environment as fallback) into a checked Command. Pure: never
// reads process.env itself, never writes, never exits; a bad command line is a UsageError.
import { parseRequest, parseWith, UsageError, type RequestCommand } from "consensus-client";
import {
  buildCommand,
  EMULATOR_DEFAULTS,
  envFallbacks,
  ROLE_ONLY,
  type CommandName,
} from "./program";
import { WALLET_DEFAULTS, type WalletOptions } from "../keys/btwallet";
import { MIN_HEARTBEAT_MS } from "../runtime/heartbeat";
import type { PluginSpec } from "../plugins";
import type { KeySourceOptions } from "../keys/hotkey";
import { parseLogFormat, type LogFormat } from "../runtime/log";
import type { SessionConfig } from "../runtime/session";
import type { WaitBoundConfig } from "../runtime/wait-bound";

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
  /** Miners: where leads come from instead of the lead pool. */
  curator?: PluginSpec;
  /** Validators: what scores the leads instead of the built-in rankers. */
  ranker?: PluginSpec;
  pluginTimeoutMs?: number;
  waitBound: Partial<WaitBoundConfig>;
}

export interface WeightsCommand {
  command: "weights";
  key: KeySourceOptions;
  keySource: string;
  session: SessionConfig;
  netuid: number;
  json: boolean;
  chain?: string;
  set: boolean;
  everyMinutes?: number;
  versionKey?: bigint;
  maxWeightLimit?: number;
}

export { UsageError };
export type { RequestCommand };

export type Command = NodeCommand | RequestCommand | WeightsCommand | { command: "help" };

type Env = Record<string, string | undefined>;
/** Commander's parsed flags: strings, and true for the boolean ones. */
type Values = Record<string, string | boolean | undefined>;

const set = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

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

/**
 * Parses one command's flags with commander, then fills each unset flag from its environment
 * variable (a flag always wins). The hotkey variables are left to resolveKey, which also refuses
 * two of them at once. null: help was asked for.
 */
function parseFlags(name: CommandName, args: string[], env: Env): Values | null {
  const cmd = parseWith(buildCommand(name), args, env);
  if (!cmd) return null;
  const values: Values = { ...cmd.opts() };
  const hotkeyEnv = new Set([
    "NODE_SECRET_URI",
    "NODE_MNEMONIC",
    "NODE_KEY_FILE",
    ...WALLET_ENV.map(([, variable]) => variable),
  ]);
  for (const [key, variable] of Object.entries(envFallbacks(name))) {
    if (values[key] !== undefined || hotkeyEnv.has(variable) || !set(env[variable])) continue;
    values[key] = key === "emulator" ? truthy(env[variable]) : env[variable];
  }
  return values;
}

/** The wallet options, by commander key, and the btcli environment variable each falls back to. */
const WALLET_ENV: [keyof WalletOptions, string][] = [
  ["name", "BT_WALLET_NAME"],
  ["hotkey", "BT_WALLET_HOTKEY"],
  ["path", "BT_WALLET_PATH"],
];

/**
 * The btcli wallet, when any --wallet.* flag (or, with `fromEnv`, any BT_WALLET_* variable) names
 * one; each part falls back to its variable, then to btcli's default.
 */
function walletFrom(values: Values, env: Env, fromEnv: boolean): WalletOptions | undefined {
  const flag = (part: string) => values[`wallet.${part}`] as string | undefined;
  const named = WALLET_ENV.some(([part, variable]) =>
    fromEnv ? set(env[variable]) : flag(part) !== undefined,
  );
  if (!named) return undefined;
  const wallet = { ...WALLET_DEFAULTS };
  for (const [part, variable] of WALLET_ENV) {
    const value = flag(part) ?? (set(env[variable]) ? env[variable] : undefined);
    if (value === undefined) continue;
    if (!set(value)) throw new UsageError(`--wallet.${part} is empty`);
    // A name is one path segment: "../x" would read a file outside the wallet's folder.
    if (part !== "path" && (/[/\\]/.test(value) || value === "." || value === "..")) {
      throw new UsageError(`--wallet.${part} must be a plain name, got "${value}"`);
    }
    wallet[part] = value.trim();
  }
  return wallet;
}

const walletSource = (w: WalletOptions) => `wallet ${w.name} hotkey ${w.hotkey} in ${w.path}`;

function resolveKey(values: Values, env: Env): { key: KeySourceOptions; source: string } {
  const uri = values.uri as string | undefined;
  const mnemonicEnv = values.mnemonicEnv as string | undefined;
  const keyFile = values.keyFile as string | undefined;
  const wallet = walletFrom(values, env, false);
  const flags = [uri, mnemonicEnv, keyFile, wallet].filter((v) => v !== undefined).length;
  if (flags > 1) {
    throw new UsageError("give exactly one of --uri, --mnemonic-env, --key-file, --wallet.*");
  }
  if (wallet) return { key: { wallet }, source: walletSource(wallet) };
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
  const envWallet = walletFrom(values, env, true);
  if (envWallet) fromEnv.push({ key: { wallet: envWallet }, source: walletSource(envWallet) });
  if (fromEnv.length > 1) {
    throw new UsageError(
      `set only one of NODE_SECRET_URI, NODE_MNEMONIC, NODE_KEY_FILE, BT_WALLET_* (got ${fromEnv.map((f) => f.source).join(", ")})`,
    );
  }
  if (fromEnv.length === 0) {
    throw new UsageError(
      "no hotkey: give --uri, --mnemonic-env, --key-file or a btcli wallet (--wallet.name ...)",
    );
  }
  return fromEnv[0];
}

/** --api (or CONSENSUS_API_URL), else the emulator's URL with --emulator; required. */
function resolveApiBaseUrl(values: Values): string {
  if (set(values.api)) return url("--api", values.api);
  if (values.emulator === true) return EMULATOR_DEFAULTS.apiBaseUrl;
  throw new UsageError("no API URL: give --api URL (or --emulator)");
}

function resolveSession(values: Values, env: Env): SessionConfig {
  const emulator = values.emulator === true;
  const apiBaseUrl = resolveApiBaseUrl(values);
  const projectId =
    (values.project as string | undefined) ?? (emulator ? EMULATOR_DEFAULTS.projectId : undefined);
  if (!projectId) throw new UsageError("no Firebase project: give --project ID (or --emulator)");
  return {
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
}

function parseWeights(args: string[], env: Env): Command {
  const values = parseFlags("weights", args, env);
  if (!values) return { command: "help" };
  const { key, source } = resolveKey(values, env);
  const netuid = integer("--netuid", values.netuid as string | undefined);
  if (netuid === undefined) throw new UsageError("--netuid N is required");
  if (netuid > 65_535) throw new UsageError("--netuid must be at most 65535");
  const chain = values.chain as string | undefined;
  if (chain !== undefined && !/^wss?:\/\/./.test(chain)) {
    throw new UsageError(`--chain must be a ws:// or wss:// URL, got "${chain}"`);
  }
  if (values.set === true && !set(chain)) throw new UsageError("--set needs --chain URL");
  const every = integer("--every", values.every as string | undefined);
  if (every !== undefined && every < 1) throw new UsageError("--every must be at least 1 minute");
  const versionKey = values.versionKey as string | undefined;
  if (versionKey !== undefined && !/^\d{1,20}$/.test(versionKey)) {
    throw new UsageError(`--version-key must be a whole number, got "${versionKey}"`);
  }
  if (versionKey !== undefined && BigInt(versionKey) >= 2n ** 64n) {
    throw new UsageError("--version-key must fit in a u64");
  }
  const limitText = values.maxWeightLimit as string | undefined;
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(limit > 0 && limit <= 1)) {
    throw new UsageError(`--max-weight-limit must be a number in (0, 1], got "${limitText}"`);
  }
  return {
    command: "weights",
    key,
    keySource: source,
    session: resolveSession(values, env),
    netuid,
    json: values.json === true,
    ...(chain !== undefined ? { chain } : {}),
    set: values.set === true,
    ...(every !== undefined ? { everyMinutes: every } : {}),
    ...(versionKey !== undefined ? { versionKey: BigInt(versionKey) } : {}),
    ...(limit !== undefined ? { maxWeightLimit: limit } : {}),
  };
}

function parseNode(command: "validator" | "miner", args: string[], env: Env): Command {
  const values = parseFlags(command, args, env);
  if (!values) return { command: "help" };
  const other = command === "validator" ? "miner" : "validator";
  const wrong = ROLE_ONLY[other].find(
    (flag) => values[flag.slice(2).replace(/-(.)/g, (_, c: string) => c.toUpperCase())],
  );
  if (wrong) throw new UsageError(`${wrong} is a ${other} option`);
  const { key, source } = resolveKey(values, env);
  const session = resolveSession(values, env);

  const heartbeatMs = integer("--heartbeat-ms", values.heartbeatMs as string | undefined);
  if (heartbeatMs !== undefined && heartbeatMs < MIN_HEARTBEAT_MS) {
    throw new UsageError(`--heartbeat-ms must be at least ${MIN_HEARTBEAT_MS}`);
  }
  let logFormat: LogFormat;
  try {
    logFormat = parseLogFormat(values.logFormat as string | undefined) ?? "text";
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const waitBound: Partial<WaitBoundConfig> = {};
  const bounds: [keyof WaitBoundConfig, string, string][] = [
    ["afterFirstMs", "waitAfterFirst", "--wait-after-first"],
    ["settleMs", "settleMs", "--settle-ms"],
    ["settlePerMissingMs", "settlePerMissingMs", "--settle-per-missing-ms"],
    ["maxWaitMs", "maxWaitMs", "--max-wait-ms"],
    ["deadlineMarginMs", "deadlineMarginMs", "--deadline-margin-ms"],
  ];
  for (const [field, key, flag] of bounds) {
    const v = integer(flag, values[key] as string | undefined);
    if (v !== undefined) waitBound[field] = v;
  }

  const leadPool = values.leadPool as string | undefined;
  const curator = plugin(values, "curator", "--curator");
  const ranker = plugin(values, "ranker", "--ranker");
  if (curator && leadPool) {
    throw new UsageError(`${curator.flag} replaces the lead pool: drop --lead-pool`);
  }
  const pluginTimeoutMs = integer("--plugin-timeout-ms", values.pluginTimeoutMs as string);
  if (pluginTimeoutMs !== undefined && pluginTimeoutMs < 1) {
    throw new UsageError("--plugin-timeout-ms must be at least 1");
  }
  return {
    command,
    key,
    keySource: source,
    session,
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    logFormat,
    ...(command === "miner" && leadPool ? { leadPoolPath: leadPool } : {}),
    ...(curator ? { curator: curator.spec } : {}),
    ...(ranker ? { ranker: ranker.spec } : {}),
    ...(pluginTimeoutMs !== undefined ? { pluginTimeoutMs } : {}),
    waitBound,
  };
}

/** --X <MODULE> or --X-url <URL>, at most one of them. */
function plugin(
  values: Values,
  key: "curator" | "ranker",
  flag: string,
): { spec: PluginSpec; flag: string } | undefined {
  const module = values[key] as string | undefined;
  const address = values[`${key}Url`] as string | undefined;
  if (module !== undefined && address !== undefined) {
    throw new UsageError(`give one of ${flag} and ${flag}-url`);
  }
  if (module !== undefined) {
    if (!set(module)) throw new UsageError(`${flag} is empty`);
    return { spec: { module: module.trim() }, flag };
  }
  if (address !== undefined) {
    return { spec: { url: url(`${flag}-url`, address.trim()) }, flag: `${flag}-url` };
  }
  return undefined;
}

/** Parses the command line (and the environment as fallback). Pure; throws UsageError. */
export function parseCli(argv: readonly string[], env: Env = process.env): Command {
  const [command, ...rest] = argv;
  switch (command) {
    case "validator":
    case "miner":
      return parseNode(command, rest, env);
    case "request":
      return parseRequest(rest, env) ?? { command: "help" };
    case "weights":
      return parseWeights(rest, env);
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
