// Runs the Firebase emulator suite with local binaries (no download) for project demo-consensus.
//   node scripts/emulators.mjs exec [--only a,b] -- <command...>   run a command against the emulators
//   node scripts/emulators.mjs start [--import dir]               keep the emulators up
// With the Functions emulator running, the deployed scheduled functions are driven on their
// schedules (scripts/lib/scheduler.mjs), as Cloud Scheduler drives them in production.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveEmulatorBinaries, SetupError } from "./lib/emulator-binaries.mjs";
import {
  assertPortsFree,
  fixedPorts,
  PortError,
  SCRIPT_MARKER,
  superviseFirebase,
} from "./lib/supervise.mjs";

export const PROJECT_ID = "demo-consensus";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function emulatorEnv() {
  const { env } = resolveEmulatorBinaries();
  return {
    ...process.env,
    ...env,
    NO_UPDATE_NOTIFIER: "1",
    FIREBASE_CLI_DISABLE_UPDATE_CHECK: "true",
    // Nothing here runs on GCP: without this, google-auth-library probes the GCE metadata server
    // (e.g. when firebase-admin enqueues a Cloud Task) and warns about it.
    METADATA_SERVER_DETECTION: "none",
    // A burst of concurrent calls starts one function worker each, and each loads the backend; on
    // a 2-core machine twenty of them take longer than the emulator's default 30 s to become
    // ready ("Failed to load function."). Production starts instances on their own machines.
    FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120",
  };
}

/**
 * Runs `firebase emulators:exec [flags] <command>` from the project's own firebase-tools (see
 * scripts/lib/supervise.mjs for how it stops); exits the process with its code. A fixed port
 * already taken is reported with the process holding it before firebase-tools starts.
 */
export async function execFirebase({ flags, command, format, label }) {
  const only = flags.indexOf("--only");
  assertPortsFree(fixedPorts(root, only === -1 ? null : flags[only + 1]), label);
  // `exec` makes the script the shell's own process, so a stop can signal it directly.
  const script = `${SCRIPT_MARKER} exec ${command.map(shellQuote).join(" ")}`;
  const code = await superviseFirebase({
    bin: join(root, "node_modules", ".bin", "firebase"),
    args: ["emulators:exec", ...flags, script, "--project", PROJECT_ID],
    env: emulatorEnv(),
    cwd: root,
    format,
    log: (m) => console.error(`${label}: ${m}`),
  });
  process.exit(code);
}

/** Spawns `firebase <args>` from the project's own firebase-tools, inheriting stdio. */
export function spawnFirebase(args, options = {}) {
  const bin = join(root, "node_modules", ".bin", "firebase");
  return spawn(bin, [...args, "--project", PROJECT_ID], {
    cwd: root,
    env: emulatorEnv(),
    stdio: "inherit",
    ...options,
  });
}

function parse(argv) {
  const [mode, ...rest] = argv;
  const sep = rest.indexOf("--");
  const flags = sep === -1 ? rest : rest.slice(0, sep);
  const command = sep === -1 ? [] : rest.slice(sep + 1);
  return { mode, flags, command };
}

function main() {
  const { mode, flags, command } = parse(process.argv.slice(2));
  if (mode === "exec" && command.length > 0) {
    const only = flags.indexOf("--only");
    const withFunctions = only === -1 || /\bfunctions\b/.test(flags[only + 1] ?? "");
    const run = withFunctions ? ["node", "scripts/lib/scheduler.mjs", "--", ...command] : command;
    return execFirebase({ flags, command: run, label: "emulators" });
  }
  if (mode === "start") {
    // No command to wrap: run the scheduler beside `emulators:start` yourself if you need it
    // (node scripts/lib/scheduler.mjs).
    const child = spawnFirebase(["emulators:start", ...flags]);
    // A terminal's Ctrl-C reaches firebase-tools itself (same process group): forwarding it too
    // would be its second SIGINT, which it takes as "exit without stopping the emulators".
    process.on("SIGINT", () => {});
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    return;
  }
  console.error("usage: emulators.mjs exec [--only a,b] -- <command...> | start [flags]");
  process.exit(2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  Promise.resolve()
    .then(main)
    .catch((err) => {
      if (!(err instanceof SetupError || err instanceof PortError)) throw err;
      console.error(err instanceof PortError ? err.message : `emulators: ${err.message}`);
      process.exit(1);
    });
}
