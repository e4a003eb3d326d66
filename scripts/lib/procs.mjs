// Process and port facts for the local run, read from /proc (Linux). The emulators are not all
// descendants we can follow: firebase-tools starts the Java emulators `detached` (their own process
// groups), and once firebase-tools exits they are re-parented to init. So every process of a run is
// found by an environment marker it inherited from scripts/lib/supervise.mjs instead.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

export const RUN_MARKER = "LOCAL_SUBNET_RUN";

const hasProc = existsSync("/proc/self/stat");

function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // the process exited, or is not ours to read
  }
}

/** [{ pid, ppid, pgid, cmd, env? }] for every process visible here. */
export function listProcesses({ withEnv = false } = {}) {
  if (!hasProc) return listWithPs();
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    // The command name in (...) may itself hold spaces or parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmd = (read(`/proc/${name}/cmdline`) ?? "").split("\0").join(" ").trim();
    const entry = { pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), cmd };
    if (withEnv) entry.env = (read(`/proc/${name}/environ`) ?? "").split("\0");
    out.push(entry);
  }
  return out;
}

function listWithPs() {
  const text = execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,command="], { encoding: "utf8" });
  return text
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), cmd: m[4] }));
}

/** Processes carrying `LOCAL_SUBNET_RUN=<token>` (Linux only; elsewhere: descendants of `root`). */
export function runProcesses(token, root) {
  if (!hasProc) {
    const all = listWithPs();
    const found = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of all) {
        if (!found.has(p.pid) && found.has(p.ppid)) found.add(p.pid), (grew = true);
      }
    }
    return all.filter((p) => found.has(p.pid));
  }
  const mark = `${RUN_MARKER}=${token}`;
  return listProcesses({ withEnv: true }).filter((p) => p.pid !== process.pid && p.env.includes(mark));
}

/**
 * Listening TCP sockets from /proc/net/tcp{,6} text: [{ port, inode }]. State 0A is LISTEN; the
 * local address is HEXIP:HEXPORT.
 */
export function parseListening(text) {
  return text
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[3] === "0A")
    .map((f) => ({ port: parseInt(f[1].split(":")[1], 16), inode: f[9] }));
}

/** For each port in `ports` that something listens on: { port, pid?, cmd? }. */
export function portHolders(ports) {
  const wanted = new Set(ports);
  if (!hasProc) return ssHolders(wanted);
  const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
    .flatMap((f) => parseListening(read(f) ?? ""))
    .filter((s) => wanted.has(s.port));
  if (listening.length === 0) return [];
  const byInode = new Map(listening.map((s) => [s.inode, s.port]));
  const holders = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let fds = [];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link;
      try {
        link = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      const port = m && byInode.get(m[1]);
      if (port && !holders.has(port)) {
        const cmd = (read(`/proc/${name}/cmdline`) ?? "").split("\0").join(" ").trim();
        holders.set(port, { port, pid: Number(name), cmd });
      }
    }
  }
  // A socket whose owner we may not read (another user) still blocks the port.
  for (const s of listening) if (!holders.has(s.port)) holders.set(s.port, { port: s.port });
  return [...holders.values()].sort((a, b) => a.port - b.port);
}

function ssHolders(wanted) {
  let text = "";
  try {
    text = execFileSync("lsof", ["-nP", "-iTCP", "-sTCP:LISTEN", "-F", "pcn"], { encoding: "utf8" });
  } catch {
    return [];
  }
  const holders = [];
  let pid;
  let cmd;
  for (const line of text.split("\n")) {
    if (line[0] === "p") pid = Number(line.slice(1));
    if (line[0] === "c") cmd = line.slice(1);
    const port = line[0] === "n" ? Number(line.split(":").pop()) : NaN;
    if (wanted.has(port)) holders.push({ port, pid, cmd });
  }
  return holders;
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
