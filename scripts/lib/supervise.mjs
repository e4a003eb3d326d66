// Runs `firebase emulators:exec` so that one Ctrl-C, a SIGTERM or a second Ctrl-C always ends
// with no emulator, node or function worker left behind.
//
// Why it is built this way:
// - firebase-tools runs in its OWN process group. A terminal's Ctrl-C reaches the whole foreground
//   group; had firebase-tools been in it, it would get SIGINT from the terminal and again from any
//   parent that forwards it (npm does), take the second as "stop right now" and exit without
//   waiting for the Java emulators, which it starts detached, so they were orphaned.
// - The stop is ordered: first the exec'd script (the demo stops its nodes while the emulators
//   still answer), then firebase-tools sees the script exit and shuts the emulators down itself.
// - Whatever is still running after firebase-tools exits, or after a second signal, is killed by
//   process group and pid. Every process of the run is found by an environment marker, since the
//   Java emulators sit in their own groups and are re-parented once firebase-tools is gone.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { isAlive, listProcesses, portHolders, RUN_MARKER, runProcesses } from "./procs.mjs";

export const SCRIPT_MARKER = "LOCAL_SUBNET_SCRIPT=1";
// npm forwards the terminal's SIGINT to its child, so one Ctrl-C arrives twice within
// milliseconds; a person pressing Ctrl-C again takes far longer than this.
const SAME_SIGNAL_MS = 1000;
const STOP_TIMEOUT_MS = Number(process.env.STOP_TIMEOUT_MS ?? 60_000);
const KILL_GRACE_MS = 3000;

/** The emulators' fixed ports from firebase.json, limited to those `--only` starts. */
export function fixedPorts(root, only) {
  const emulators = JSON.parse(readFileSync(join(root, "firebase.json"), "utf8")).emulators;
  const wanted = only ? new Set([...only.split(","), "hub", "logging"]) : null;
  return Object.entries(emulators)
    .filter(([name, e]) => e && typeof e.port === "number" && (!wanted || wanted.has(name)))
    .map(([name, e]) => ({ name, port: e.port }));
}

/** Throws a message naming the process that holds a fixed port, and how to stop it. */
export function assertPortsFree(ports, label) {
  const held = portHolders(ports.map((p) => p.port));
  if (held.length === 0) return;
  const name = (port) => ports.find((p) => p.port === port).name;
  const lines = held.map((h) =>
    h.pid
      ? `  port ${h.port} (${name(h.port)}) is held by pid ${h.pid}: ${h.cmd.slice(0, 160)}`
      : `  port ${h.port} (${name(h.port)}) is in use by a process this user cannot see`,
  );
  const pids = [...new Set(held.map((h) => h.pid).filter(Boolean))];
  const fix = pids.length
    ? `Stop it with: kill ${pids.join(" ")}   (if it does not exit: kill -9 ${pids.join(" ")})`
    : "Find it with: ss -ltnp   (or: lsof -iTCP -sTCP:LISTEN)";
  throw new PortError(`${label}: the emulators' fixed ports are taken:\n${lines.join("\n")}\n${fix}`);
}

export class PortError extends Error {}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** SIGTERM, then after a bounded wait SIGKILL, every process of the run, by group and by pid. */
async function killRun(token, rootPid, log) {
  const own = listProcesses().find((p) => p.pid === process.pid)?.pgid;
  const send = (procs, signal) => {
    const groups = new Set(procs.map((p) => p.pgid).filter((g) => g > 1 && g !== own));
    for (const g of groups) {
      try {
        process.kill(-g, signal);
      } catch {
        /* the group is gone */
      }
    }
    for (const p of procs) {
      try {
        process.kill(p.pid, signal);
      } catch {
        /* already gone */
      }
    }
  };
  let left = runProcesses(token, rootPid);
  if (left.length === 0) return;
  log(`stopping ${left.length} leftover process(es): ${[...new Set(left.map(short))].join(", ")}`);
  send(left, "SIGTERM");
  const end = Date.now() + KILL_GRACE_MS;
  while ((left = left.filter((p) => isAlive(p.pid))).length > 0 && Date.now() < end) await sleep(100);
  left = runProcesses(token, rootPid);
  if (left.length > 0) send(left, "SIGKILL");
}

function short(p) {
  const cmd = p.cmd.split(" ");
  const jar = cmd.find((a) => a.endsWith(".jar"));
  const script = cmd.find((a) => /\.(m?js)$/.test(a));
  return (jar ?? script ?? cmd[0]).split("/").pop();
}

/**
 * Runs `firebase <args>` (args built by the caller, with the exec'd script prefixed by
 * `${SCRIPT_MARKER} exec`) until it exits, handling signals as above; resolves to an exit code.
 * `format(line)` rewrites or drops (null) each output line; without it output is inherited.
 */
export function superviseFirebase({ bin, args, env, cwd, format, log = console.error }) {
  const token = randomUUID();
  const child = spawn(bin, args, {
    cwd,
    env: { ...env, [RUN_MARKER]: token },
    detached: true,
    stdio: ["ignore", format ? "pipe" : "inherit", format ? "pipe" : "inherit"],
  });
  const streams = [];
  if (format) {
    for (const stream of [child.stdout, child.stderr]) {
      const done = new Promise((r) => stream.once("close", r));
      streams.push(done);
      createInterface({ input: stream }).on("line", (line) => {
        const out = format(line);
        if (out !== null) console.log(out);
      });
    }
  }

  let firstAt = 0;
  let forced = false;
  let exited = false;
  let resolveForced;
  const forcedDone = new Promise((r) => (resolveForced = r));

  const force = async (why) => {
    if (forced || exited) return;
    forced = true;
    log(`${why}: killing what is left of the local run`);
    await killRun(token, child.pid, log);
    resolveForced();
  };

  const signalled = new Set();
  const stopScript = () => {
    const script = runProcesses(token, child.pid).find(
      (p) => p.ppid === child.pid && p.env?.includes(SCRIPT_MARKER),
    );
    if (!script || signalled.has(script.pid)) return Boolean(script);
    signalled.add(script.pid);
    try {
      process.kill(script.pid, "SIGTERM");
    } catch {
      /* exited meanwhile */
    }
    return true;
  };
  const stopOrdered = () => {
    if (stopScript()) return;
    // Still starting: firebase-tools' own clean stop. It may still start the script once its
    // emulators are up, so that is watched for until it exits.
    try {
      process.kill(child.pid, "SIGINT");
    } catch {
      /* exited meanwhile */
    }
    const watch = setInterval(stopScript, 500);
    child.once("exit", () => clearInterval(watch));
  };

  const onSignal = (signal) => {
    const now = Date.now();
    if (!firstAt) {
      firstAt = now;
      log(`${signal}: stopping the nodes, then the emulators (Ctrl-C again to force)`);
      stopOrdered();
      setTimeout(() => force(`not stopped after ${STOP_TIMEOUT_MS / 1000} s`), STOP_TIMEOUT_MS).unref();
      return;
    }
    if (now - firstAt < SAME_SIGNAL_MS) return;
    force(`${signal} again`);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, onSignal);
  // Output piped into a command that quit (`npm start | head`): stop as on a signal, rather than
  // die of the write error and orphan the run.
  process.stdout.on("error", () => onSignal("EPIPE"));

  return new Promise((resolve) => {
    child.on("exit", async (code, signal) => {
      exited = !forced;
      // firebase-tools may leave a Java emulator or a function worker behind (it gives up on a
      // stop after a timeout): nothing of this run outlives it. Killed before draining the output,
      // which a leftover could hold open.
      if (!forced) await killRun(token, child.pid, log);
      else await forcedDone;
      await Promise.race([Promise.all(streams), sleep(2000)]);
      if (forced) resolve(130);
      else if (firstAt) resolve(0);
      else resolve(code ?? (signal ? 1 : 0));
    });
  });
}
