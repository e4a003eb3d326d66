// Steps 2 and 3 on the full emulator suite (project demo-consensus): real node processes
// (`node node/lib/cli.js validator|miner --uri ... --emulator`) when they come up, otherwise
// validators/miners simulated inside this process with the same signing helpers (reported).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { frequire, quantile, root, sleep } from "./lib.mjs";

const PROJECT = "demo-consensus";
const API = `http://127.0.0.1:5001/${PROJECT}/us-central1/api`;
const { initializeApp, getApps } = frequire("firebase-admin/app");
const { getFirestore, Timestamp, FieldValue } = frequire("firebase-admin/firestore");
if (getApps().length === 0) initializeApp({ projectId: PROJECT });
const core = frequire("consensus-core");
const { createApiKey } = frequire("./lib/http/apiKeys.js");
const { Keyring } = frequire("@polkadot/keyring");
const db = getFirestore();

async function clear() {
  const res = await fetch(
    `http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${PROJECT}/databases/(default)/documents`,
    { method: "DELETE" },
  );
  if (!res.ok) throw new Error(`clear failed ${res.status}`);
}

let keyring;
async function pair(uri) {
  await core.cryptoReady();
  keyring ??= new Keyring({ type: "sr25519", ss58Format: 42 });
  return keyring.addFromUri(uri);
}
async function register(specs) {
  const batch = db.batch();
  for (const s of specs) {
    batch.set(db.collection(core.COLLECTIONS.registry).doc(s.pair.address), {
      hotkey: s.pair.address,
      uid: s.uid,
      role: s.role,
      validator_trust: s.trust ?? 0,
      stake: 1000,
      validator_permit: s.role === "validator",
      is_serving: true,
      last_seen: Timestamp.now(),
    });
  }
  await batch.commit();
}

// ---- real node processes -------------------------------------------------------------------------
const children = new Set();
const nodeEvents = []; // { t, hotkey, role, msg }
function startNode(role, uri, address) {
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
async function waitListening(addresses, timeoutMs) {
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

// ---- simulated nodes (fallback): listeners + signing inside the bench process -----------------------
const simUnsubs = [];
const simSeen = []; // { t, hotkey, requestId }
function lead(n, tag) {
  return {
    business: `Co ${tag}${n}`,
    email: `owner${n}@${tag}co${n}.io`,
    full_name: `Owner ${n}`,
    role: "Founder",
    industry: "Software",
    sub_industry: "SaaS",
    region: "US",
  };
}
function startSim(validators, miners) {
  const handled = new Set();
  const unsub = db
    .collection(core.COLLECTIONS.requests)
    .where("status", "in", ["pending", "processing"])
    .onSnapshot((snap) => {
      const t = Date.now();
      for (const ch of snap.docChanges()) {
        if (ch.type !== "added") continue;
        const r = ch.doc.data();
        for (const n of [...validators, ...miners]) {
          const k = `${r.request_id}_${n.pair.address}`;
          if (handled.has(k)) continue;
          handled.add(k);
          simSeen.push({ t, hotkey: n.pair.address, requestId: r.request_id });
          (n.role === "miner" ? simMiner(n, r) : simValidator(n, r, miners.length)).catch((e) =>
            console.error("sim:", e.message),
          );
        }
      }
    });
  simUnsubs.push(unsub);
}
async function simMiner(m, r) {
  const leads = Array.from({ length: 5 }, (_, i) => lead(i, m.uid));
  const content = {
    request_id: r.request_id,
    miner_hotkey: m.pair.address,
    miner_uid: m.uid,
    leads,
    num_leads: leads.length,
  };
  const signature =
    "0x" + Buffer.from(m.pair.sign(core.submissionPayload(content))).toString("hex");
  await db
    .collection(core.COLLECTIONS.submissions)
    .doc(core.submissionDocId(r.request_id, m.pair.address))
    .create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
}
async function simValidator(v, r, minerCount) {
  if (!r.expected_validators.includes(v.pair.address)) return;
  let subs = [];
  for (let i = 0; i < 50; i++) {
    subs = (
      await db
        .collection(core.COLLECTIONS.submissions)
        .where("request_id", "==", r.request_id)
        .get()
    ).docs.map((d) => d.data());
    if (subs.length >= minerCount) break;
    await sleep(100);
  }
  const leads = subs.flatMap((s) => s.leads);
  const content = {
    request_id: r.request_id,
    validator_hotkey: v.pair.address,
    validator_uid: v.uid,
    ranked_leads: leads.map((l, i) => ({
      lead: l,
      score: Math.round((1 - i / leads.length) * 1000) / 1000,
      rank: i + 1,
    })),
    num_leads_ranked: leads.length,
  };
  const signature = "0x" + Buffer.from(v.pair.sign(core.rankingPayload(content))).toString("hex");
  await db
    .collection(core.COLLECTIONS.rankings)
    .doc(core.rankingDocId(r.request_id, v.pair.address))
    .create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
}

// ---- the bench's own listener: request creation seen / completion seen --------------------------
const seenAt = new Map(); // request_id -> ms the bench listener saw it created
const finalAt = new Map(); // request_id -> ms the bench listener saw it final
db.collection(core.COLLECTIONS.requests).onSnapshot((snap) => {
  const t = Date.now();
  for (const ch of snap.docChanges()) {
    const d = ch.doc.data();
    if (!seenAt.has(ch.doc.id)) seenAt.set(ch.doc.id, t);
    if ((d.status === "completed" || d.status === "failed") && !finalAt.has(ch.doc.id))
      finalAt.set(ch.doc.id, t);
  }
});

/** POSTs retried after a lost answer, the way the SDK's client does (same Idempotency-Key). */
let postRetries = 0;
async function post(key) {
  const t0 = Date.now();
  // Under the burst the Functions emulator can drop a call whose worker process did not start in
  // time (it never answers): like the request CLI, the client retries with the same key, so a
  // retry can neither lose nor duplicate the request.
  const idempotencyKey = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${API}/leads`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${key}`,
          "Idempotency-Key": idempotencyKey,
        },
        signal: AbortSignal.timeout(30_000),
        body: JSON.stringify({
          num_leads: 3,
          business_desc: "B2B SaaS companies selling to VPs of Sales in the US",
        }),
      });
      const body = await res.json().catch(() => null);
      if (res.status >= 500 && attempt < 3) throw new Error(`POST /leads ${res.status}`);
      if (res.status !== 202) throw new Error(`POST /leads ${res.status} ${JSON.stringify(body)}`);
      return { id: body.request_id, t0, accepted: Date.now(), attempts: attempt };
    } catch (err) {
      const retryable = err.name === "TimeoutError" || /POST \/leads 5\d\d$/.test(err.message);
      if (!retryable || attempt >= 3) throw err;
      postRetries++;
    }
  }
}
async function waitFinal(ids, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && ids.some((id) => !finalAt.has(id))) await sleep(50);
  return ids.filter((id) => !finalAt.has(id));
}

async function analyse(sent, nodeAddresses) {
  const out = {
    latencies: [],
    acceptMs: [],
    serverMs: [],
    finalOverheadMs: [],
    broadcastNodeMs: [],
    broadcastBenchMs: [],
    rows: [],
  };
  for (const s of sent) {
    const d = (await db.collection(core.COLLECTIONS.requests).doc(s.id).get()).data();
    const metrics = await db.collection(core.COLLECTIONS.metrics).doc(s.id).get();
    const rankings = (
      await db.collection(core.COLLECTIONS.rankings).where("request_id", "==", s.id).get()
    ).docs.map((x) => x.data());
    out.rows.push({
      id: s.id,
      status: d?.status,
      finalize_count: d?.finalize_count ?? 0,
      metrics: metrics.exists,
    });
    out.acceptMs.push(s.accepted - s.t0);
    if (!finalAt.has(s.id) || d?.status !== "completed") continue;
    out.latencies.push(finalAt.get(s.id) - s.t0);
    out.serverMs.push(d.finalized_at.toMillis() - d.created_at.toMillis());
    const lastRanking = Math.max(...rankings.map((r) => r.submitted_at.toMillis()));
    out.finalOverheadMs.push(d.finalized_at.toMillis() - lastRanking);
    out.broadcastBenchMs.push(seenAt.get(s.id) - d.created_at.toMillis());
    const created = d.created_at.toMillis();
    for (const a of nodeAddresses) {
      const ev = nodeEvents.find(
        (e) =>
          e.hotkey === a &&
          e.seenAtMs !== undefined &&
          e.msg === `request ${s.id.slice(0, 8)}: seen`,
      );
      const sim = simSeen.find((e) => e.hotkey === a && e.requestId === s.id);
      if (ev) out.broadcastNodeMs.push(ev.seenAtMs - created);
      else if (sim) out.broadcastNodeMs.push(sim.t - created);
    }
  }
  return out;
}

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
    round: { n: sent2.length, ...summ(round2), wallS: round2.wallS },
    load: {
      n: sent3.length,
      ...summ(load),
      wallS: burstWallS,
      throughput: sent3.length / burstWallS,
      postRetries,
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
