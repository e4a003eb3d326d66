// Runs inside `firebase emulators:exec --import emulator-data` (see scripts/start.mjs): starts the
// local subnet's node processes, waits until every validator has sent a heartbeat, sends the demo
// request through the client CLI and prints its consensus leads.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { DEMO_API_KEY, DEMO_MINERS, DEMO_REQUEST, DEMO_VALIDATORS } from "./demo-data.mjs";
import { createDemoOperator } from "./demo-operator.mjs";
import { startScheduler } from "./scheduler.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(root, "node", "lib", "cli.js");
const once = process.argv.includes("--once");
const require = createRequire(import.meta.url);
const { initializeApp } = require("firebase-admin/app");
const { getFirestore } = require("firebase-admin/firestore");
const { Keyring } = require("@polkadot/keyring");
const { cryptoWaitReady } = require("@polkadot/util-crypto");
const { COLLECTIONS } = require("consensus-core");

const children = new Set();

function startNode(role, uri) {
  if (stopping) return; // a stop arrived while the demo was still starting
  const name = `${role} ${uri.slice(2).toLowerCase()}`;
  const child = spawn(process.execPath, [cli, role, "--uri", uri, "--emulator"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (!stopping) console.error(`[${name}] exited (${signal ?? code})`);
  });
  return child;
}

let stopping = false;
let stopScheduler = () => {};
async function stopAll() {
  stopping = true;
  stopScheduler();
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise((done) => {
          const force = setTimeout(() => child.kill("SIGKILL"), 5000);
          child.once("exit", () => {
            clearTimeout(force);
            done();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

// On a loaded 2-core machine five nodes signing in at once can take minutes (each sign-in starts a
// function worker): wait long, say how far it got every 15 s, and only then give up.
async function waitForHeartbeats(hotkeys, since, timeoutMs = 180_000) {
  const db = getFirestore();
  const started = Date.now();
  let toldAt = started;
  for (;;) {
    const snaps = await db.getAll(...hotkeys.map((h) => db.collection(COLLECTIONS.registry).doc(h)));
    const ready = snaps.filter((s) => s.get("is_serving") && s.get("last_seen")?.toMillis() >= since);
    if (ready.length === hotkeys.length) return;
    const waited = Date.now() - started;
    if (waited > timeoutMs) {
      throw new Error(`only ${ready.length} of ${hotkeys.length} nodes sent a heartbeat within ${timeoutMs / 1000} s`);
    }
    if (Date.now() - toldAt >= 15_000) {
      toldAt = Date.now();
      console.log(`demo: ${ready.length} of ${hotkeys.length} nodes up after ${Math.round(waited / 1000)} s; waiting`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the client CLI; a stop (stopAll) ends it with the nodes. */
function runCli(args) {
  if (stopping) return Promise.resolve(1);
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: "inherit" });
    children.add(child);
    child.on("exit", (code) => {
      children.delete(child);
      done(code ?? 1);
    });
  });
}

function runClient() {
  const args = ["request", "--emulator", "--key", DEMO_API_KEY];
  return runCli([...args, "--num", String(DEMO_REQUEST.num_leads), "--desc", DEMO_REQUEST.business_desc]);
}

/** What the first validator would set on chain: the weights from the miner scores just credited. */
function runWeights() {
  return runCli(["weights", "--netuid", "1", "--emulator", "--uri", DEMO_VALIDATORS[0].uri]);
}

const API_URL = "http://127.0.0.1:5001/demo-consensus/us-central1/api";

/** Nodes sign in through the API, so it must be serving before they start. */
async function waitForApi(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${API_URL}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the API did not answer ${API_URL}/health`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  await cryptoWaitReady();
  await waitForApi();
  await createDemoOperator();
  // The sweep (and the registry sync) run on their schedules, as Cloud Scheduler runs them.
  stopScheduler = await startScheduler({ log: (m) => console.log(`scheduler: ${m}`) });
  initializeApp({ projectId: "demo-consensus" });
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const started = Date.now();
  for (const v of DEMO_VALIDATORS) startNode("validator", v.uri);
  for (const m of DEMO_MINERS) startNode("miner", m.uri);
  console.log(`demo: started ${DEMO_VALIDATORS.length} validators and ${DEMO_MINERS.length} miners`);
  const hotkeys = [...DEMO_VALIDATORS, ...DEMO_MINERS].map((n) => keyring.addFromUri(n.uri).address);
  await waitForHeartbeats(hotkeys, started - 1000);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`demo: all nodes online after ${took} s; sending the demo request`);
  console.log(`demo: "${DEMO_REQUEST.business_desc}" (${DEMO_REQUEST.num_leads} leads)\n`);
  const code = await runClient();
  if (code === 0) {
    console.log(`\ndemo: the weights ${DEMO_VALIDATORS[0].uri.slice(2)} would set from the miner scores:`);
    await runWeights();
  }
  if (once) {
    await stopAll();
    process.exit(code);
  }
  console.log(
    `\nThe local subnet keeps running. Send more requests from another terminal:\n` +
      `  node node/lib/cli.js request --emulator --key ${DEMO_API_KEY} --num 3 --desc "Fintech startups in London"\n` +
      `  npm run admin -- miner-scores --emulator\n` +
      `  node node/lib/cli.js weights --netuid 1 --emulator --uri ${DEMO_VALIDATORS[0].uri} --json\n` +
      `Stop with Ctrl+C.`,
  );
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    await stopAll();
    process.exit(0);
  });
}

main().catch(async (err) => {
  console.error(`demo: ${err.message}`);
  await stopAll();
  process.exit(1);
});
