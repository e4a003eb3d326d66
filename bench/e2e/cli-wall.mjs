// The README's request command as a client runs it: its wall time against the round it waited for
// (created_at → finalized_at as Firestore recorded them) plus the CLI's own start-up and exit (the
// same command with a key the API refuses: node loading the request path, one refused POST, exit).
// What is left is what the client adds between it and its result: with the long poll (`?wait=`),
// about one HTTP round trip; with fixed polling, up to a poll interval.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { median, root } from "../lib.mjs";
import { core, db } from "./emulator.mjs";

const CLI = join(root, "node", "lib", "cli.js");

function run(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b) => (out += b));
    child.stderr.on("data", (b) => (err += b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err, ms: performance.now() - t0 }));
  });
}

export async function measureCliWall({ key, requests = 5 }) {
  const startups = [];
  for (let i = 0; i < 3; i++) {
    const refused = ["request", "--emulator", "--key", "lpk_refused", "--num", "1", "--desc", "x"];
    startups.push((await run(refused)).ms);
  }
  const startupMs = median(startups);
  const rows = [];
  for (let i = 0; i < requests; i++) {
    const r = await run([
      "request",
      "--emulator",
      "--key",
      key,
      "--num",
      "3",
      "--desc",
      "Fintech startups in London",
      "--json",
    ]);
    if (r.code !== 0) {
      console.error(`bench: request command exited ${r.code}: ${r.err.trim().split("\n").pop()}`);
      continue;
    }
    const id = JSON.parse(r.out).request_id;
    const d = (await db.collection(core.COLLECTIONS.requests).doc(id).get()).data();
    const roundMs = d.finalized_at.toMillis() - d.created_at.toMillis();
    rows.push({ wallMs: r.ms, roundMs, overheadMs: r.ms - roundMs - startupMs });
  }
  return {
    n: rows.length,
    startupMs,
    wallMs: median(rows.map((r) => r.wallMs)),
    roundMs: median(rows.map((r) => r.roundMs)),
    overheadMs: median(rows.map((r) => r.overheadMs)),
    maxOverheadMs: Math.max(...rows.map((r) => r.overheadMs)),
  };
}
