// Runs the Firebase emulator suite with local binaries (no download) for project demo-consensus.
//   node scripts/emulators.mjs exec [--only a,b] -- <command...>   run a command against the emulators
//   node scripts/emulators.mjs start [--import dir]               keep the emulators up
// With the Functions emulator running, the deployed scheduled functions are driven on their
// schedules (scripts/lib/scheduler.mjs), as Cloud Scheduler drives them in production.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveEmulatorBinaries, SetupError } from "./lib/emulator-binaries.mjs";

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
  let args;
  if (mode === "exec" && command.length > 0) {
    const only = flags.indexOf("--only");
    const withFunctions = only === -1 || /\bfunctions\b/.test(flags[only + 1] ?? "");
    const run = withFunctions ? ["node", "scripts/lib/scheduler.mjs", "--", ...command] : command;
    args = ["emulators:exec", ...flags, run.map(shellQuote).join(" ")];
  } else if (mode === "start") {
    // No command to wrap: run the scheduler beside `emulators:start` yourself if you need it
    // (node scripts/lib/scheduler.mjs).
    args = ["emulators:start", ...flags];
  } else {
    console.error("usage: emulators.mjs exec [--only a,b] -- <command...> | start [flags]");
    process.exit(2);
  }
  const child = spawnFirebase(args);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    if (err instanceof SetupError) {
      console.error(`emulators: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
