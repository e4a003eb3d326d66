// The consensus-node command line as commander commands: every flag once, in one table, with its
// environment variable (env()), its parser and check (argParser()), and the flags it excludes
// (conflicts()); commander applies them all, and the help is generated from the same table.
import {
  apiOption,
  buildRequestCommand,
  EMULATOR_API_URL,
  emulatorOption,
  httpUrl,
  Option,
  quietCommand,
  REQUEST_SUMMARY,
  REQUEST_USAGE,
  UsageError,
  wholeNumber,
} from "consensus-client";
import { WALLET_DEFAULTS } from "../keys/btwallet";
import { DEFAULT_HEARTBEAT_MS, MIN_HEARTBEAT_MS } from "../runtime/heartbeat";
import { DEFAULT_PLUGIN_TIMEOUT_MS } from "../plugins/limits";
import { parseLogFormat, type LogFormat } from "../runtime/log";

export const EMULATOR_DEFAULTS = {
  apiBaseUrl: EMULATOR_API_URL,
  projectId: "demo-consensus",
  firestoreEmulatorHost: "127.0.0.1:8080",
  authEmulatorHost: "127.0.0.1:9099",
} as const;

/** The commands this table serves; `request` is consensus-client's. */
export type CommandName = "validator" | "miner" | "weights";

/** A whole number of at least `min` (commander argParser). */
const atLeast = (flag: string, min: number, unit = "") => {
  const whole = wholeNumber(flag);
  return (value: string): number => {
    const n = whole(value);
    if (n < min) throw new UsageError(`${flag} must be at least ${min}${unit}`);
    return n;
  };
};

const netuid = (value: string): number => {
  const n = wholeNumber("--netuid")(value);
  if (n > 65_535) throw new UsageError("--netuid must be at most 65535");
  return n;
};

const chainUrl = (value: string): string => {
  if (!/^wss?:\/\/./.test(value)) {
    throw new UsageError(`--chain must be a ws:// or wss:// URL, got "${value}"`);
  }
  return value;
};

const versionKey = (value: string): bigint => {
  if (!/^\d{1,20}$/.test(value)) {
    throw new UsageError(`--version-key must be a whole number, got "${value}"`);
  }
  if (BigInt(value) >= 2n ** 64n) throw new UsageError("--version-key must fit in a u64");
  return BigInt(value);
};

const weightLimit = (value: string): number => {
  const limit = Number(value);
  if (!(limit > 0 && limit <= 1)) {
    throw new UsageError(`--max-weight-limit must be a number in (0, 1], got "${value}"`);
  }
  return limit;
};

const logFormat = (value: string): LogFormat => {
  try {
    return parseLogFormat(value) ?? "text";
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
};

const nonEmpty = (flag: string) => (value: string) => {
  if (value.trim() === "") throw new UsageError(`${flag} is empty`);
  return value.trim();
};

/** The hotkey sources, by commander key: one at most on the command line. */
const HOTKEY_KEYS = [
  "uri",
  "mnemonicEnv",
  "keyFile",
  "wallet.name",
  "wallet.hotkey",
  "wallet.path",
];
const otherSources = (...own: string[]) => HOTKEY_KEYS.filter((k) => !own.includes(k));
const WALLET_KEYS = ["wallet.name", "wallet.hotkey", "wallet.path"];

/**
 * A hotkey flag. Its variable is not commander's env(): a hotkey flag wins over every hotkey
 * variable, and two variables at once are refused, which resolveKey in parse.ts does; the help
 * still names the variable in commander's words.
 */
const hotkeyOption = (flags: string, description: string, variable: string, own: string[]) =>
  new Option(flags, `${description} (env: ${variable})`).conflicts(otherSources(...own));

/** One flag: the option (built fresh per command), the commands that take it, its help group. */
interface Flag {
  option: () => Option;
  group: string;
  on: readonly CommandName[];
}

const NODES = ["validator", "miner"] as const;
/** Commands that sign in with a hotkey: the nodes, and a validator computing its weights. */
const SIGNERS = [...NODES, "weights"] as const;
const HOTKEY = "Hotkey (exactly one source; sr25519, SS58 format 42):";
const WALLET =
  "btcli wallet (the hotkey file btcli writes, <path>/<name>/hotkeys/<hotkey>; chosen by any of these):";
const PLUGINS = "Plug-ins (your own lead source or scoring; see examples/, docs/run-a-node.md):";
const CONNECTION = "Connection:";
const NODE = "Node options:";
const VALIDATOR = "Validator options (how long to collect miner submissions before ranking):";
const WEIGHTS = "Weights options:";

/** Every flag of the node commands, once; `request` has its own in consensus-client. */
const FLAGS: readonly Flag[] = [
  {
    option: () =>
      hotkeyOption(
        "--uri <URI>",
        "secret URI, e.g. //Alice (development; visible in ps)",
        "NODE_SECRET_URI",
        ["uri"],
      ),
    group: HOTKEY,
    on: SIGNERS,
  },
  {
    option: () =>
      hotkeyOption(
        "--mnemonic-env <VAR>",
        "read the BIP39 mnemonic from environment variable VAR",
        "NODE_MNEMONIC",
        ["mnemonicEnv"],
      ),
    group: HOTKEY,
    on: SIGNERS,
  },
  {
    option: () =>
      hotkeyOption(
        "--key-file <PATH>",
        'JSON {"secretUri": "..."} or {"mnemonic": "..."}, or a btwallet hotkey file; readable by ' +
          "its owner only (chmod 600)",
        "NODE_KEY_FILE",
        ["keyFile"],
      ),
    group: HOTKEY,
    on: SIGNERS,
  },
  {
    option: () =>
      hotkeyOption(
        "--wallet.name <NAME>",
        `wallet name (default "${WALLET_DEFAULTS.name}")`,
        "BT_WALLET_NAME",
        WALLET_KEYS,
      ),
    group: WALLET,
    on: NODES,
  },
  {
    option: () =>
      hotkeyOption(
        "--wallet.hotkey <NAME>",
        `hotkey name (default "${WALLET_DEFAULTS.hotkey}")`,
        "BT_WALLET_HOTKEY",
        WALLET_KEYS,
      ),
    group: WALLET,
    on: NODES,
  },
  {
    option: () =>
      hotkeyOption(
        "--wallet.path <DIR>",
        `wallets folder (default ${WALLET_DEFAULTS.path})`,
        "BT_WALLET_PATH",
        WALLET_KEYS,
      ),
    group: WALLET,
    on: NODES,
  },
  { option: () => apiOption(), group: CONNECTION, on: SIGNERS },
  {
    option: () =>
      new Option("--project <ID>", "Firebase project id (nodes)")
        .env("CONSENSUS_PROJECT_ID")
        .argParser(nonEmpty("--project")),
    group: CONNECTION,
    on: SIGNERS,
  },
  {
    option: () =>
      emulatorOption(
        `local emulator suite: api ${EMULATOR_DEFAULTS.apiBaseUrl}, project ` +
          `${EMULATOR_DEFAULTS.projectId}, Firestore ${EMULATOR_DEFAULTS.firestoreEmulatorHost}, ` +
          `Auth ${EMULATOR_DEFAULTS.authEmulatorHost}`,
      ),
    group: CONNECTION,
    on: SIGNERS,
  },
  {
    option: () =>
      new Option(
        "--heartbeat-ms <MS>",
        `registry heartbeat period (default: the backend's, else ${DEFAULT_HEARTBEAT_MS}; min ${MIN_HEARTBEAT_MS})`,
      )
        .env("NODE_HEARTBEAT_MS")
        .argParser(atLeast("--heartbeat-ms", MIN_HEARTBEAT_MS)),
    group: NODE,
    on: NODES,
  },
  {
    option: () =>
      new Option("--log-format <FORMAT>", "text or json (default text)")
        .env("LOG_FORMAT")
        .argParser(logFormat),
    group: NODE,
    on: NODES,
  },
  {
    option: () =>
      new Option("--lead-pool <PATH>", "lead pool JSON file (default: the shipped pool)").env(
        "MINER_LEAD_POOL",
      ),
    group: "Miner options:",
    on: ["miner"],
  },
  {
    option: () =>
      new Option(
        "--curator <MODULE>",
        "a JavaScript module exporting curate(request) -> leads, used instead of the pool",
      )
        .env("MINER_CURATOR")
        .argParser(nonEmpty("--curator"))
        .conflicts("curatorUrl"),
    group: PLUGINS,
    on: ["miner"],
  },
  {
    option: () =>
      new Option("--curator-url <URL>", "an HTTP service: POST the request, answer {leads: [...]}")
        .env("MINER_CURATOR_URL")
        .argParser(httpUrl("--curator-url")),
    group: PLUGINS,
    on: ["miner"],
  },
  {
    option: () =>
      new Option(
        "--ranker <MODULE>",
        "a JavaScript module exporting rank(request, leads) -> [{lead, score}]",
      )
        .env("VALIDATOR_RANKER")
        .argParser(nonEmpty("--ranker"))
        .conflicts("rankerUrl"),
    group: PLUGINS,
    on: ["validator"],
  },
  {
    option: () =>
      new Option(
        "--ranker-url <URL>",
        "an HTTP service: POST the request and leads, answer {scores: [...]}",
      )
        .env("VALIDATOR_RANKER_URL")
        .argParser(httpUrl("--ranker-url")),
    group: PLUGINS,
    on: ["validator"],
  },
  {
    option: () =>
      new Option(
        "--plugin-timeout-ms <MS>",
        `how long a plug-in may take per request (default ${DEFAULT_PLUGIN_TIMEOUT_MS})`,
      )
        .env("NODE_PLUGIN_TIMEOUT_MS")
        .argParser(atLeast("--plugin-timeout-ms", 1)),
    group: PLUGINS,
    on: NODES,
  },
  {
    option: () =>
      new Option(
        "--wait-after-first <MS>",
        "requests naming no expected miners: stop this long after the first submission (default 3000)",
      ).argParser(wholeNumber("--wait-after-first")),
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    option: () =>
      new Option(
        "--settle-ms <MS>",
        "stop once no new answer came for this long (default 3000) ...",
      ).argParser(wholeNumber("--settle-ms")),
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    option: () =>
      new Option(
        "--settle-per-missing-ms <MS>",
        "... plus this long per expected miner still missing (default 250)",
      ).argParser(wholeNumber("--settle-per-missing-ms")),
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    option: () =>
      new Option(
        "--max-wait-ms <MS>",
        "requests naming no expected miners: never collect longer than this (default 20000)",
      ).argParser(wholeNumber("--max-wait-ms")),
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    option: () =>
      new Option(
        "--deadline-margin-ms <MS>",
        "stop this long before the validator deadline (default 2000)",
      ).argParser(wholeNumber("--deadline-margin-ms")),
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    option: () => new Option("--netuid <N>", "the subnet's netuid").argParser(netuid),
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    option: () => new Option("--json", "print the weights as JSON instead of a table"),
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    option: () =>
      new Option(
        "--chain <URL>",
        "subtensor ws(s):// endpoint: read max_weight_limit and the version key from it (needed by --set)",
      )
        .env("SUBTENSOR_ENDPOINT")
        .argParser(chainUrl),
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    option: () =>
      new Option(
        "--set",
        "submit SubtensorModule.set_weights signed by the hotkey (refused where commit-reveal is on)",
      ),
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    option: () =>
      new Option("--every <MINUTES>", "repeat every MINUTES until stopped (Ctrl-C)").argParser(
        atLeast("--every", 1, " minute"),
      ),
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    option: () =>
      new Option(
        "--version-key <N>",
        "version_key to send (default: the subnet's WeightsVersionKey from --chain, else 0)",
      ).argParser(versionKey),
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    option: () =>
      new Option(
        "--max-weight-limit <X>",
        "cap per weight in (0, 1] (default: the subnet's MaxWeightsLimit from --chain, else 1)",
      ).argParser(weightLimit),
    group: WEIGHTS,
    on: ["weights"],
  },
];

const SUMMARY: Record<CommandName | "request", [string, string]> = {
  validator: ["[connection] [node options] [validator options]", "run a validator node"],
  miner: ["[connection] [node options] [miner options]", "run a miner node"],
  request: [REQUEST_USAGE, REQUEST_SUMMARY],
  weights: [
    "--netuid N [--json] [--chain URL [--set]] [--every MINUTES] [hotkey] [connection]",
    "compute (and with --set, submit) the validator's weights from the miner scores",
  ],
};

const NODE_NOTES = `
  Nodes outside the emulator also need the Firebase web API key in FIREBASE_API_KEY.
  FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST are honoured when set.
  Validators rank with an LLM when LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY) are set; the
  heuristic ranker is the fallback.`;

/**
 * A fresh commander command for one subcommand (commander keeps parsed values on the instance, so
 * each parse gets its own). It never writes or exits: errors and help come back as CommanderError.
 */
export function buildCommand(name: CommandName): ReturnType<typeof quietCommand> {
  const cmd = quietCommand(name).usage(SUMMARY[name][0]).description(SUMMARY[name][1]);
  for (const flag of FLAGS.filter((f) => f.on.includes(name))) {
    cmd.addOption(flag.option().helpGroup(flag.group));
  }
  // The other role's flags, hidden: taking one is refused with a message naming its role.
  if (name === "validator" || name === "miner") {
    const other = name === "validator" ? "miner" : "validator";
    for (const flag of FLAGS.filter((f) => f.on.length === 1 && f.on[0] === other)) {
      const { flags, long } = flag.option();
      cmd.addOption(
        new Option(flags).hideHelp().argParser(() => {
          throw new UsageError(`${long} is a ${other} option`);
        }),
      );
    }
    cmd.addHelpText("after", NODE_NOTES);
  }
  return cmd;
}

export const SYNOPSIS = `Usage:
${(Object.keys(SUMMARY) as (keyof typeof SUMMARY)[])
  .map((name) => `  consensus-node ${name.padEnd(9)} ${SUMMARY[name][0]}`)
  .join("\n")}
  consensus-node help`;

const EXIT_CODES = `Exit codes: 0 success (request completed, node stopped cleanly), 1 failure (request failed or
timed out, sign-in refused), 2 usage error.`;

/** The full help: the synopsis, then every command's generated help. */
export const USAGE = [
  "consensus-node: validator and miner nodes, and an API client, for the lead consensus subnet",
  SYNOPSIS,
  ...(Object.keys(SUMMARY) as (keyof typeof SUMMARY)[]).map((name) =>
    (name === "request" ? buildRequestCommand() : buildCommand(name))
      .name(`consensus-node ${name}`)
      .helpInformation()
      .trimEnd(),
  ),
  EXIT_CODES,
].join("\n\n");
