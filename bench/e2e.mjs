// Steps 2 and 3 on the full emulator suite (project demo-consensus): real node processes
// (`node node/lib/cli.js validator|miner --uri ... --emulator`) when they come up, otherwise
// validators/miners simulated inside this process with the same signing helpers (reported).
import { quantile, sleep } from "./lib.mjs";
import { clear, core, createApiKey, db, pair, register } from "./e2e/emulator.mjs";
import { children, startNode, stopNodes, waitListening } from "./e2e/node-processes.mjs";
import { analyse, finalAt, post, postStats, waitFinal } from "./e2e/requests.mjs";
import { simUnsubs, startSim } from "./e2e/simulated-nodes.mjs";
import { measureCliWall } from "./e2e/cli-wall.mjs";

export { stopNodes };

const VALIDATORS = ["//Alice", "//Bob", "//Charlie", "//Ferdie"];
const MINERS = ["//Dave", "//Eve", "//BenchMiner3", "//BenchMiner4"];

export async function runE2E({
  roundRequests = 30,
  burst = 50,
  mode = process.env.BENCH_NODES ?? "auto",
} = {}) {
  await clear();
  const specs = [];
  for (const [i, uri] of VALIDATORS.entries())
    specs.push({
      uri,
      uid: i,
      role: "validator",
      trust: [0.6, 0.3, 0.1, 0.2][i],
      pair: await pair(uri),
    });
  for (const [i, uri] of MINERS.entries())
    specs.push({ uri, uid: 10 + i, role: "miner", pair: await pair(uri) });
  const round = [
    ...specs.filter((s) => s.role === "validator").slice(0, 3),
    ...specs.filter((s) => s.role === "miner").slice(0, 2),
  ];
  await register(round);
  const keys = [];
  for (let i = 0; i < 6; i++) keys.push((await createApiKey(`bench-${i}`, "bench")).key);

  let nodes = mode === "sim" ? "sim" : "real";
  if (nodes === "real") {
    for (const s of round) startNode(s.role, s.uri, s.pair.address);
    if (
      !(await waitListening(
        round.map((s) => s.pair.address),
        90_000,
      ))
    ) {
      console.error(
        "bench: real nodes did not come up within 90 s; falling back to in-process simulated nodes",
      );
      await stopNodes();
      await register(round); // fresh heartbeats / is_serving after the nodes' shutdown
      nodes = "sim";
    }
  }
  if (nodes === "sim")
    startSim(
      round.filter((s) => s.role === "validator"),
      round.filter((s) => s.role === "miner"),
    );
  await sleep(1000);

  // Step 2: one round at a time, >= 30 requests, keys round-robin (rate limit 30/min/key).
  const sent2 = [];
  const t2 = Date.now();
  for (let i = 0; i < roundRequests; i++) {
    const s = await post(keys[i % 3]);
    sent2.push(s);
    const lost = await waitFinal([s.id], 60_000);
    if (lost.length) console.error(`bench: round request ${s.id} not final after 60 s`);
  }
  const round2 = await analyse(
    sent2,
    round.map((s) => s.pair.address),
  );
  round2.wallS = (Date.now() - t2) / 1000;
  // The README's request command against the same subnet, one request at a time.
  const cli = nodes === "real" ? await measureCliWall({ key: keys[3], requests: 5 }) : null;

  // Step 3: add a 4th validator and 2 more miners, then a burst of 50 concurrent POSTs over 6 keys.
  const extra = [specs[3], specs[6], specs[7]];
  await register([...round, ...extra]);
  if (nodes === "real") {
    for (const s of extra) startNode(s.role, s.uri, s.pair.address);
    if (
      !(await waitListening(
        extra.map((s) => s.pair.address),
        90_000,
      ))
    )
      throw new Error("extra nodes did not come up");
  } else {
    simUnsubs.forEach((u) => u());
    startSim(
      specs.filter((s) => s.role === "validator"),
      specs.filter((s) => s.role === "miner"),
    );
  }
  await sleep(1000);
  // The Functions emulator runs one invocation per worker process and starts a new process for
  // each concurrent call (production 2nd gen serves up to 80 per instance), so on this 2-core
  // machine the client keeps at most BURST_IN_FLIGHT POSTs open at once; all 50 are queued at t3.
  const inFlight = Number(process.env.BURST_IN_FLIGHT ?? 8);
  const t3 = Date.now();
  const posted = await mapLimit(
    Array.from({ length: burst }, (_, i) => i),
    inFlight,
    (i) => post(keys[i % keys.length]),
  );
  const postErrors = posted
    .filter((p) => p.status === "rejected")
    .map((p) => String(p.reason?.message ?? p.reason));
  if (postErrors.length)
    console.error(`bench: ${postErrors.length} POSTs failed: ${postErrors[0]}`);
  const sent3 = posted.filter((p) => p.status === "fulfilled").map((p) => p.value);
  // The deployed sweep runs every minute (scripts/lib/scheduler.mjs drives it under the emulators).
  const lost = await waitFinal(
    sent3.map((s) => s.id),
    150_000,
  );
  const burstWallS = (Math.max(...sent3.map((s) => finalAt.get(s.id) ?? Date.now())) - t3) / 1000;
  const load = await analyse(
    sent3,
    specs.map((s) => s.pair.address),
  );
  let metricsCount = 0;
  for (let i = 0; i < sent3.length; i += 30) {
    const ids = sent3.slice(i, i + 30).map((s) => s.id);
    metricsCount += (
      await db.collection(core.COLLECTIONS.metrics).where("request_id", "in", ids).count().get()
    ).data().count;
  }
  const problems = {
    // A POST that never got its 202 is a request the client lost.
    lost: lost.length + postErrors.length,
    postErrors: postErrors.length,
    failed: load.rows.filter((r) => r.status === "failed").length,
    duplicated: load.rows.filter((r) => r.finalize_count > 1).length,
    notCompleted: load.rows.filter((r) => r.status !== "completed").length,
    missingMetrics: load.rows.filter((r) => !r.metrics).length,
    metricsCountMismatch: metricsCount !== sent3.length ? 1 : 0,
    wrongFinalizeCount: load.rows.filter((r) => r.finalize_count !== 1).length,
  };
  const dead = nodes === "real" ? await runDeadValidator(round, keys) : null;
  await stopNodes();
  return {
    nodes,
    dead,
    cli,
    round: { n: sent2.length, ...summ(round2), wallS: round2.wallS },
    load: {
      n: sent3.length,
      ...summ(load),
      wallS: burstWallS,
      throughput: sent3.length / burstWallS,
      postRetries: postStats.retries,
      metricsCount,
      problems,
    },
  };
}
/**
 * kill -9 one validator of the round, then POST a request every 2 s (6 keys, under the rate
 * limit) until one no longer expects it: that time is the liveness figure. Every request that
 * still expected it completes at its validator deadline through its close task (production params:
 * 90 s deadline, 15 s beats, 45 s window); lag = finalized_at − validator_deadline.
 */
async function runDeadValidator(round, keys) {
  const victim = round.find((s) => s.role === "validator" && s.uri === "//Charlie");
  const child = [...children].find((c) => c.spawnargs.includes(victim.uri));
  const address = victim.pair.address;
  child.kill("SIGKILL");
  const killedAt = Date.now();
  const expecting = [];
  let notExpectedAfterMs = null;
  for (let i = 0; Date.now() - killedAt < 120_000; i++) {
    let s;
    try {
      s = await post(keys[i % keys.length]);
    } catch (err) {
      console.error(`bench: step 6 POST failed: ${err.message}`);
      await sleep(2_000);
      continue;
    }
    const d = (await db.collection(core.COLLECTIONS.requests).doc(s.id).get()).data();
    if (d.expected_validators.includes(address)) expecting.push(s);
    else {
      notExpectedAfterMs = s.t0 - killedAt;
      break;
    }
    await sleep(Math.max(0, s.t0 + 2_000 - Date.now()));
  }
  const lost = await waitFinal(
    expecting.map((s) => s.id),
    240_000,
  );
  const lags = [];
  let completed = 0;
  for (const s of expecting) {
    const d = (await db.collection(core.COLLECTIONS.requests).doc(s.id).get()).data();
    if (d.status === "completed") completed++;
    if (d.finalized_at) lags.push(d.finalized_at.toMillis() - d.validator_deadline.toMillis());
  }
  return {
    notExpectedAfterMs,
    n: expecting.length,
    completed,
    lost: lost.length,
    lagP50: quantile(lags, 0.5),
    lagP95: quantile(lags, 0.95),
    lagMax: lags.length ? Math.max(...lags) : NaN,
  };
}

/** Like Promise.allSettled over `items`, with at most `limit` calls of `fn` running at once. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await fn(items[i]) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function summ(a) {
  const q = (xs, p) => quantile(xs, p);
  return {
    completed: a.latencies.length,
    acceptP50: q(a.acceptMs, 0.5),
    acceptP95: q(a.acceptMs, 0.95),
    p50: q(a.latencies, 0.5),
    p95: q(a.latencies, 0.95),
    serverP50: q(a.serverMs, 0.5),
    finalOverheadP50: q(a.finalOverheadMs, 0.5),
    finalOverheadP95: q(a.finalOverheadMs, 0.95),
    broadcastNodeP50: q(a.broadcastNodeMs, 0.5),
    broadcastNodeP95: q(a.broadcastNodeMs, 0.95),
    broadcastNodeN: a.broadcastNodeMs.length,
    broadcastBenchP50: q(a.broadcastBenchMs, 0.5),
    broadcastBenchP95: q(a.broadcastBenchMs, 0.95),
    hopsP50: Object.fromEntries(Object.entries(a.hops).map(([k, xs]) => [k, q(xs, 0.5)])),
  };
}

if (process.argv[1] && process.argv[1].endsWith("e2e.mjs")) {
  const r = await runE2E({
    roundRequests: Number(process.env.ROUND ?? 30),
    burst: Number(process.env.BURST ?? 50),
  });
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
