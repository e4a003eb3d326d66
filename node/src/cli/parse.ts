// Turns the command line (with the environment as fallback) into a checked Command: commander
// parses and checks each flag from the table in program.ts; what is left here spans flags (the
// hotkey source, the connection, the lead source). Pure: reads only the env it is given, never
// writes, never exits; a bad command line is a UsageError.
import {
  isSet as set,
  parseRequest,
  parseWith,
  switchOn,
  UsageError,
  type Env,
  type RequestCommand,
} from "consensus-client";
import { buildCommand, EMULATOR_DEFAULTS, type CommandName } from "./program";
import { WALLET_DEFAULTS, type WalletOptions } from "../keys/btwallet";
import type { PluginSpec } from "../plugins";
import type { KeySourceOptions } from "../keys/hotkey";
import type { LogFormat } from "../runtime/log";
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

/** Commander's parsed flags, already converted and checked by the table's argParsers. */
interface Values {
  uri?: string;
  mnemonicEnv?: string;
  keyFile?: string;
  "wallet.name"?: string;
  "wallet.hotkey"?: string;
  "wallet.path"?: string;
  api?: string;
  project?: string;
  emulator: boolean;
  heartbeatMs?: number;
  logFormat?: LogFormat;
  leadPool?: string;
  curator?: string;
  curatorUrl?: string;
  ranker?: string;
  rankerUrl?: string;
  pluginTimeoutMs?: number;
  waitAfterFirst?: number;
  settleMs?: number;
  settlePerMissingMs?: number;
  maxWaitMs?: number;
  deadlineMarginMs?: number;
  netuid?: number;
  json?: boolean;
  chain?: string;
  set?: boolean;
  every?: number;
  versionKey?: bigint;
  maxWeightLimit?: number;
}

/** The conflicts commander finds, in the words the README uses. */
function explain(code: string, message: string): string | undefined {
  if (code !== "commander.conflictingOption") return undefined;
  // Named by flag or, when it came from the environment, by variable (MINER_CURATOR).
  for (const plugin of ["curator", "ranker"]) {
    if (message.toLowerCase().includes(plugin))
      return `give one of --${plugin} and --${plugin}-url`;
  }
  return "give exactly one of --uri, --mnemonic-env, --key-file, --wallet.*";
}

/** One command's flags, the environment as fallback; null: help was asked for. */
function parseFlags(name: CommandName, args: string[], env: Env): Values | null {
  const cmd = parseWith(buildCommand(name), args, env, explain);
  if (!cmd) return null;
  return { ...cmd.opts(), emulator: switchOn(cmd, "emulator", "CONSENSUS_EMULATOR", env) };
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
  const flag = (part: keyof WalletOptions) => values[`wallet.${part}`];
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
  // Two flags at once were refused by commander (conflicts()).
  const { uri, mnemonicEnv, keyFile } = values;
  const wallet = walletFrom(values, env, false);
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
  if (values.api !== undefined) return values.api;
  if (values.emulator) return EMULATOR_DEFAULTS.apiBaseUrl;
  throw new UsageError("no API URL: give --api URL (or --emulator)");
}

function resolveSession(values: Values, env: Env): SessionConfig {
  const emulator = values.emulator;
  const apiBaseUrl = resolveApiBaseUrl(values);
  const projectId = values.project ?? (emulator ? EMULATOR_DEFAULTS.projectId : undefined);
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
  const { netuid, chain, every, versionKey, maxWeightLimit } = values;
  if (netuid === undefined) throw new UsageError("--netuid N is required");
  if (values.set === true && chain === undefined) throw new UsageError("--set needs --chain URL");
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
    ...(versionKey !== undefined ? { versionKey } : {}),
    ...(maxWeightLimit !== undefined ? { maxWeightLimit } : {}),
  };
}

function parseNode(command: "validator" | "miner", args: string[], env: Env): Command {
  const values = parseFlags(command, args, env);
  if (!values) return { command: "help" };
  const { key, source } = resolveKey(values, env);
  const session = resolveSession(values, env);
  const bounds: [keyof WaitBoundConfig, number | undefined][] = [
    ["afterFirstMs", values.waitAfterFirst],
    ["settleMs", values.settleMs],
    ["settlePerMissingMs", values.settlePerMissingMs],
    ["maxWaitMs", values.maxWaitMs],
    ["deadlineMarginMs", values.deadlineMarginMs],
  ];
  const waitBound: Partial<WaitBoundConfig> = Object.fromEntries(
    bounds.filter(([, v]) => v !== undefined),
  );
  const { leadPool, heartbeatMs, pluginTimeoutMs } = values;
  // --X and --X-url at once were refused by commander (conflicts()).
  const curator = plugin(values.curator, values.curatorUrl, "--curator");
  const ranker = plugin(values.ranker, values.rankerUrl, "--ranker");
  if (curator && leadPool) {
    throw new UsageError(`${curator.flag} replaces the lead pool: drop --lead-pool`);
  }
  return {
    command,
    key,
    keySource: source,
    session,
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    logFormat: values.logFormat ?? "text",
    ...(command === "miner" && leadPool ? { leadPoolPath: leadPool } : {}),
    ...(curator ? { curator: curator.spec } : {}),
    ...(ranker ? { ranker: ranker.spec } : {}),
    ...(pluginTimeoutMs !== undefined ? { pluginTimeoutMs } : {}),
    waitBound,
  };
}

/** --X <MODULE> or --X-url <URL> (each already checked by its argParser). */
function plugin(
  module: string | undefined,
  address: string | undefined,
  flag: string,
): { spec: PluginSpec; flag: string } | undefined {
  if (module !== undefined) return { spec: { module }, flag };
  if (address !== undefined) return { spec: { url: address }, flag: `${flag}-url` };
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
