// Evidence from the emulators themselves, for telling emulator costs from the design's:
// - the Functions emulator's log stream (the logging emulator's websocket, started when
//   START_LOGGING_EMULATOR=true): every invocation's "Beginning execution of" / "Finished ... in
//   N ms" line and the backend's structured log entries (ranking_accepted, request_completed, ...);
// - the Functions emulator's worker processes (one Node process per concurrent invocation of a
//   function, each loading the backend from scratch), sampled from /proc among the descendants of
//   the firebase process that runs this bench.
import { readFileSync, readdirSync } from "node:fs";
import { frequire } from "../lib.mjs";

// ---- log stream ---------------------------------------------------------------------------------
export const logs = { available: false, entries: [] };
/** Connects to the logging emulator; resolves false (and records nothing) when it is not running. */
export async function connectLogs(url = "ws://127.0.0.1:4500") {
  let WebSocket;
  try {
    WebSocket = frequire("ws");
  } catch {
    try {
      const { createRequire } = await import("node:module");
      WebSocket = createRequire(import.meta.url)("ws");
    } catch {
      return false;
    }
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.terminate(), resolve(false)), 3000);
    ws.on("open", () => {
      clearTimeout(timer);
      logs.available = true;
      resolve(true);
    });
    ws.on("message", (raw) => {
      try {
        const b = JSON.parse(String(raw));
        logs.entries.push({ t: b.timestamp, level: b.level, message: b.message, data: b.data });
      } catch {
        /* not JSON */
      }
    });
    ws.on("error", () => (clearTimeout(timer), resolve(false)));
    ws.on("close", () => undefined);
    ws._socket?.unref?.();
  });
}

const FN = /^(?:Beginning execution of|Finished) "(?:[\w-]+-)?([\w]+)"(?: in ([\d.]+)ms)?/;
/**
 * Invocations that began in [fromMs, toMs), by function name, with their durations; the backend's
 * structured events in the window; and per request id the finalisation attempts the log shows
 * (a ranking trigger that counted every expected ranking went on to the finalising transaction).
 */
export function logWindow(fromMs, toMs) {
  const began = {};
  const finishedMs = {};
  const events = [];
  for (const e of logs.entries) {
    if (e.t < fromMs || e.t >= toMs) continue;
    const m = FN.exec(e.message ?? "");
    if (m) {
      if (m[2] === undefined) began[m[1]] = (began[m[1]] ?? 0) + 1;
      else (finishedMs[m[1]] ??= []).push(Number(m[2]));
      continue;
    }
    const entry = structured(e);
    if (entry) events.push({ t: e.t, ...entry });
  }
  return { began, finishedMs, events };
}

/** The backend's structured entry ({"event": ...}) in a log line, however the emulator wrapped it. */
function structured(e) {
  if (typeof e.data?.event === "string") return e.data;
  if (typeof e.data?.jsonPayload?.event === "string") return e.data.jsonPayload;
  const msg = e.message ?? "";
  const at = msg.indexOf('{"');
  if (at === -1 || !msg.includes('"event"')) return null;
  try {
    const j = JSON.parse(msg.slice(at));
    return typeof j.event === "string" ? j : null;
  } catch {
    return null;
  }
}

// ---- worker processes -----------------------------------------------------------------------------
function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 (utime, stime) in clock ticks (100 a second on Linux).
    return { ppid: Number(rest[1]), cpuMs: (Number(rest[11]) + Number(rest[12])) * 10 };
  } catch {
    return null;
  }
}
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}
/** The firebase CLI process this bench runs under (its ancestor), or null. */
function firebaseAncestor() {
  let pid = process.pid;
  for (let i = 0; i < 12 && pid > 1; i++) {
    if (/firebase(-tools)?\b.*emulators:exec|bin\/firebase /.test(cmdline(pid))) return pid;
    pid = stat(pid)?.ppid ?? 1;
  }
  return null;
}
function descendants(rootPid) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const st = stat(name);
    if (!st) continue;
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(Number(name));
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop();
    for (const c of children.get(p) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/**
 * CPU time (ms) used so far by the emulator suite's processes, by kind: the Firestore emulator
 * (Java), the Functions emulator's workers, the firebase CLI itself (functions dispatch, auth,
 * tasks emulators), everything else under it (the bench, its node hosts, pubsub). Workers that
 * exited since are not counted.
 */
export function emulatorCpu() {
  const rootPid = firebaseAncestor();
  if (!rootPid) return null;
  const out = {
    firestore: 0,
    functionWorkers: 0,
    firebaseCli: stat(rootPid)?.cpuMs ?? 0,
    other: 0,
  };
  for (const pid of descendants(rootPid)) {
    const cmd = cmdline(pid);
    const ms = stat(pid)?.cpuMs ?? 0;
    if (/java/.test(cmd) && /firestore/i.test(cmd)) out.firestore += ms;
    else if (/functionsEmulatorRuntime/.test(cmd)) out.functionWorkers += ms;
    else out.other += ms;
  }
  return out;
}

function workerPids(rootPid) {
  return descendants(rootPid).filter((p) => /functionsEmulatorRuntime/.test(cmdline(p)));
}

/** MemAvailable of the machine, in MiB. */
export function memAvailableMb() {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8"));
    return m ? Number(m[1]) / 1024 : Infinity;
  } catch {
    return Infinity;
  }
}
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the worker processes every `periodMs`: `window()` gives the figures since the previous
 * call (workers started, most alive at once, their largest total RSS); `alive` is the last count.
 */
export function watchWorkers(periodMs = 500) {
  const rootPid = firebaseAncestor();
  const seen = new Set();
  let fresh = new Set();
  let maxAlive = 0;
  let maxRssMb = 0;
  const state = { alive: 0, rssMb: 0 };
  const sample = () => {
    if (!rootPid) return;
    const pids = workerPids(rootPid);
    state.alive = pids.length;
    state.rssMb = pids.reduce((a, p) => a + rssMb(p), 0);
    maxAlive = Math.max(maxAlive, state.alive);
    maxRssMb = Math.max(maxRssMb, state.rssMb);
    for (const p of pids) {
      if (!seen.has(p)) fresh.add(p);
      seen.add(p);
    }
  };
  sample();
  fresh = new Set();
  const timer = setInterval(sample, periodMs);
  timer.unref();
  return {
    available: rootPid !== null,
    state,
    window() {
      sample();
      const out = { started: fresh.size, maxAlive, maxRssMb: Math.round(maxRssMb) };
      fresh = new Set();
      maxAlive = state.alive;
      maxRssMb = state.rssMb;
      return out;
    },
    stop: () => clearInterval(timer),
  };
}
