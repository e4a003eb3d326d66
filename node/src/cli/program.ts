// The consensus-node command line as commander commands: every flag, its environment fallback and
// its help text, in one table per command; the help is generated from them.
import {
  buildRequestCommand,
  EMULATOR_API_URL,
  Option,
  quietCommand,
  REQUEST_SUMMARY,
  REQUEST_USAGE,
} from "consensus-client";
import { WALLET_DEFAULTS } from "../keys/btwallet";
import { DEFAULT_HEARTBEAT_MS, MIN_HEARTBEAT_MS } from "../runtime/heartbeat";
import { DEFAULT_PLUGIN_TIMEOUT_MS } from "../plugins/limits";

export const EMULATOR_DEFAULTS = {
  apiBaseUrl: EMULATOR_API_URL,
  projectId: "demo-consensus",
  firestoreEmulatorHost: "127.0.0.1:8080",
  authEmulatorHost: "127.0.0.1:9099",
} as const;

/** The commands this table serves; `request` is consensus-client's. */
export type CommandName = "validator" | "miner" | "weights";

/** One flag: commander's flag syntax, the environment variable it falls back to, its help. */
interface Flag {
  flags: string;
  description: string;
  env?: string;
  group: string;
  /** Commands that take it. */
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

const FLAGS: readonly Flag[] = [
  {
    flags: "--uri <URI>",
    description: "secret URI, e.g. //Alice (development; visible in ps)",
    env: "NODE_SECRET_URI",
    group: HOTKEY,
    on: SIGNERS,
  },
  {
    flags: "--mnemonic-env <VAR>",
    description: "read the BIP39 mnemonic from environment variable VAR",
    env: "NODE_MNEMONIC",
    group: HOTKEY,
    on: SIGNERS,
  },
  {
    flags: "--key-file <PATH>",
    description:
      'JSON {"secretUri": "..."} or {"mnemonic": "..."}, or a btwallet hotkey file; readable by ' +
      "its owner only (chmod 600)",
    env: "NODE_KEY_FILE",
    group: HOTKEY,
    on: SIGNERS,
  },
  {
    flags: "--wallet.name <NAME>",
    description: `wallet name (default "${WALLET_DEFAULTS.name}")`,
    env: "BT_WALLET_NAME",
    group: WALLET,
    on: NODES,
  },
  {
    flags: "--wallet.hotkey <NAME>",
    description: `hotkey name (default "${WALLET_DEFAULTS.hotkey}")`,
    env: "BT_WALLET_HOTKEY",
    group: WALLET,
    on: NODES,
  },
  {
    flags: "--wallet.path <DIR>",
    description: `wallets folder (default ${WALLET_DEFAULTS.path})`,
    env: "BT_WALLET_PATH",
    group: WALLET,
    on: NODES,
  },
  {
    flags: "--api <URL>",
    description: "HTTPS API base URL",
    env: "CONSENSUS_API_URL",
    group: CONNECTION,
    on: SIGNERS,
  },
  {
    flags: "--project <ID>",
    description: "Firebase project id (nodes)",
    env: "CONSENSUS_PROJECT_ID",
    group: CONNECTION,
    on: SIGNERS,
  },
  {
    flags: "--emulator",
    description:
      `local emulator suite: api ${EMULATOR_DEFAULTS.apiBaseUrl}, project ` +
      `${EMULATOR_DEFAULTS.projectId}, Firestore ${EMULATOR_DEFAULTS.firestoreEmulatorHost}, ` +
      `Auth ${EMULATOR_DEFAULTS.authEmulatorHost}`,
    env: "CONSENSUS_EMULATOR",
    group: CONNECTION,
    on: SIGNERS,
  },
  {
    flags: "--heartbeat-ms <MS>",
    description: `registry heartbeat period (default: the backend's, else ${DEFAULT_HEARTBEAT_MS}; min ${MIN_HEARTBEAT_MS})`,
    env: "NODE_HEARTBEAT_MS",
    group: NODE,
    on: NODES,
  },
  {
    flags: "--log-format <FORMAT>",
    description: "text or json (default text)",
    env: "LOG_FORMAT",
    group: NODE,
    on: NODES,
  },
  {
    flags: "--lead-pool <PATH>",
    description: "lead pool JSON file (default: the shipped pool)",
    env: "MINER_LEAD_POOL",
    group: "Miner options:",
    on: ["miner"],
  },
  {
    flags: "--curator <MODULE>",
    description: "a JavaScript module exporting curate(request) -> leads, used instead of the pool",
    env: "MINER_CURATOR",
    group: PLUGINS,
    on: ["miner"],
  },
  {
    flags: "--curator-url <URL>",
    description: "an HTTP service: POST the request, answer {leads: [...]}",
    env: "MINER_CURATOR_URL",
    group: PLUGINS,
    on: ["miner"],
  },
  {
    flags: "--ranker <MODULE>",
    description: "a JavaScript module exporting rank(request, leads) -> [{lead, score}]",
    env: "VALIDATOR_RANKER",
    group: PLUGINS,
    on: ["validator"],
  },
  {
    flags: "--ranker-url <URL>",
    description: "an HTTP service: POST the request and leads, answer {scores: [...]}",
    env: "VALIDATOR_RANKER_URL",
    group: PLUGINS,
    on: ["validator"],
  },
  {
    flags: "--plugin-timeout-ms <MS>",
    description: `how long a plug-in may take per request (default ${DEFAULT_PLUGIN_TIMEOUT_MS})`,
    env: "NODE_PLUGIN_TIMEOUT_MS",
    group: PLUGINS,
    on: NODES,
  },
  {
    flags: "--wait-after-first <MS>",
    description:
      "requests naming no expected miners: stop this long after the first submission (default 3000)",
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    flags: "--settle-ms <MS>",
    description: "stop once no new answer came for this long (default 3000) ...",
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    flags: "--settle-per-missing-ms <MS>",
    description: "... plus this long per expected miner still missing (default 250)",
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    flags: "--max-wait-ms <MS>",
    description:
      "requests naming no expected miners: never collect longer than this (default 20000)",
    group: VALIDATOR,
    on: ["validator"],
  },
  {
    flags: "--deadline-margin-ms <MS>",
    description: "stop this long before the validator deadline (default 2000)",
    group: VALIDATOR,
    on: ["validator"],
  },
  { flags: "--netuid <N>", description: "the subnet's netuid", group: WEIGHTS, on: ["weights"] },
  {
    flags: "--json",
    description: "print the weights as JSON instead of a table",
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    flags: "--chain <URL>",
    description:
      "subtensor ws(s):// endpoint: read max_weight_limit and the version key from it (needed by --set)",
    env: "SUBTENSOR_ENDPOINT",
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    flags: "--set",
    description:
      "submit SubtensorModule.set_weights signed by the hotkey (refused where commit-reveal is on)",
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    flags: "--every <MINUTES>",
    description: "repeat every MINUTES until stopped (Ctrl-C)",
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    flags: "--version-key <N>",
    description:
      "version_key to send (default: the subnet's WeightsVersionKey from --chain, else 0)",
    group: WEIGHTS,
    on: ["weights"],
  },
  {
    flags: "--max-weight-limit <X>",
    description:
      "cap per weight in (0, 1] (default: the subnet's MaxWeightsLimit from --chain, else 1)",
    group: WEIGHTS,
    on: ["weights"],
  },
];

/** The flags of the other node role, refused with a clear message rather than as unknown. */
export const ROLE_ONLY: Record<"validator" | "miner", readonly string[]> = {
  validator: FLAGS.filter((f) => f.on.length === 1 && f.on[0] === "validator").map(flagName),
  miner: FLAGS.filter((f) => f.on.length === 1 && f.on[0] === "miner").map(flagName),
};

function flagName(flag: Flag): string {
  return flag.flags.split(" ")[0];
}

/** Environment variable each option (by commander's camelCase key) falls back to. */
export function envFallbacks(command: CommandName): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of FLAGS) {
    if (flag.env && flag.on.includes(command))
      out[new Option(flag.flags).attributeName()] = flag.env;
  }
  return out;
}

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
    const env = flag.env ? ` (env ${flag.env})` : "";
    cmd.addOption(new Option(flag.flags, flag.description + env).helpGroup(flag.group));
  }
  // Refused with a message naming the right role, so parsed here and checked after.
  if (name === "validator" || name === "miner") {
    const other = name === "validator" ? "miner" : "validator";
    for (const flag of FLAGS.filter((f) => f.on.length === 1 && f.on[0] === other)) {
      cmd.addOption(new Option(flag.flags).hideHelp());
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
