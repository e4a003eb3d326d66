// One child process of `npm run bench:scale` hosting many simulated nodes. Each node is the node
// package's own MinerNode / ValidatorNode (node/lib): real sign-in at the API's /auth/sign-in, a
// Firebase Web SDK app of its own, real listeners, real heartbeats, the reference curator and
// ranker, signed writes through the package's write-once path. Only the process is shared: one
// process per node would not fit this machine at 256 nodes.
//
// Input (env SCALE_NODES): JSON { api, project, nodes: [{ uri, role }] }.
// IPC: the parent sends { type: "start", i } (start node i), "cpu" and "stop"; the host sends
// "loaded", "started" (per node), "events" (its nodes' log lines, batched), "cpu", "stopped".
import { createRequire } from "node:module";
import { join } from "node:path";
import { root } from "../lib.mjs";

const nrequire = createRequire(join(root, "node", "package.json"));
const sdk = nrequire("./lib/index.js");
const { Keyring } = nrequire("@polkadot/keyring");
const { cryptoWaitReady } = nrequire("@polkadot/util-crypto");

const config = JSON.parse(process.env.SCALE_NODES ?? "{}");

// ---- events to the parent, batched ------------------------------------------------------------
let pending = [];
const flush = () => {
  if (pending.length && process.connected) process.send({ type: "events", events: pending });
  pending = [];
};
setInterval(flush, 200).unref();
const KEEP =
  /: seen$|: submitted|: ranked|declined|listening for requests|signed in|failed|error|retry/i;
function loggerFor(role, hotkey) {
  const emit =
    (level) =>
    (msg, fields = {}) => {
      if (level === "info" && !KEEP.test(msg)) return;
      pending.push({ t: Date.now(), level, role, hotkey, msg, fields });
    };
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

await cryptoWaitReady();
const keyring = new Keyring({
  type: "sr25519",
  ss58Format: nrequire("consensus-core").SS58_FORMAT,
});
// One lead pool per process, shared by every miner's curator (each still seeded with its hotkey).
const pool = config.nodes.some((n) => n.role === "miner") ? sdk.loadLeadPool() : [];
const session = { apiBaseUrl: config.api, projectId: config.project };
const nodes = config.nodes.map(({ uri, role }) => {
  const pair = keyring.addFromUri(uri);
  const logger = loggerFor(role, pair.address);
  return role === "miner"
    ? new sdk.MinerNode({
        pair,
        session,
        logger,
        curator: new sdk.PoolCurator(pool, { seed: pair.address }),
      })
    : new sdk.ValidatorNode({ pair, session, logger, ranker: new sdk.HeuristicRanker() });
});

const cpu0 = process.cpuUsage();
process.on("message", async (m) => {
  if (m?.type === "start") {
    // The parent paces sign-ins across every host (see rounds.mjs).
    const node = nodes[m.i];
    const t = Date.now();
    try {
      await node.start();
      process.send({ type: "started", i: m.i, ok: true, ms: Date.now() - t });
    } catch (err) {
      process.send({ type: "started", i: m.i, ok: false, ms: Date.now() - t, error: err.message });
    }
  } else if (m?.type === "cpu") {
    const u = process.cpuUsage(cpu0);
    process.send({ type: "cpu", id: m.id, userMs: u.user / 1000, systemMs: u.system / 1000 });
  } else if (m?.type === "stop") {
    await Promise.race([
      Promise.allSettled(nodes.map((n) => n.stop())),
      new Promise((r) => setTimeout(r, 15_000)),
    ]);
    flush();
    process.send({ type: "stopped" }, () => process.exit(0));
  }
});
process.send({ type: "loaded", count: nodes.length });
