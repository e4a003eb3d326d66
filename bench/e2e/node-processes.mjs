// Real node processes (`node node/lib/cli.js <role> --emulator --log-format json`) and the events
// their JSON logs report.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { root, sleep } from "../lib.mjs";

export const children = new Set();
export const nodeEvents = []; // { t, hotkey, role, msg }
export function startNode(role, uri, address) {
  const child = spawn(
    process.execPath,
    [join(root, "node/lib/cli.js"), role, "--uri", uri, "--emulator", "--log-format", "json"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  child.exited = false;
  for (const s of [child.stdout, child.stderr]) {
    createInterface({ input: s }).on("line", (line) => {
      try {
        const j = JSON.parse(line);
        if (j.time && j.msg)
          nodeEvents.push({
            t: Date.parse(j.time),
            hotkey: j.hotkey ?? address,
            role,
            msg: j.msg,
            // Set only on "request …: seen", taken inside the node's listener callback.
            seenAtMs: typeof j.seen_at_ms === "number" ? j.seen_at_ms : undefined,
          });
      } catch {
        /* text line */
      }
    });
  }
  child.on("exit", () => {
    child.exited = true;
    children.delete(child);
  });
  return child;
}
export async function stopNodes() {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise((done) => {
          const force = setTimeout(() => c.kill("SIGKILL"), 5000);
          c.once("exit", () => (clearTimeout(force), done()));
          c.kill("SIGTERM");
        }),
    ),
  );
}
export async function waitListening(addresses, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const up = new Set(
      nodeEvents.filter((e) => e.msg === "listening for requests").map((e) => e.hotkey),
    );
    if (addresses.every((a) => up.has(a))) return true;
    await sleep(250);
  }
  return false;
}
