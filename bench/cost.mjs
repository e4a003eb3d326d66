// Steps 4 and 5, in-process against the Firestore emulator only, in a project of its own
// (demo-bench-cost) so the functions emulator's triggers (which watch demo-consensus) never fire
// here: every Firestore operation counted below is one the bench's calls made.
//   Step 4: reads/writes per request, the backend's handlers vs a naive quorum check.
//   Step 5: lag between a request's validator deadline and its finalisation by a periodic sweep.
import {
  clearFirestore,
  firestoreInternals,
  frequire,
  mean,
  median,
  meterReads,
  silenceBackendLogs,
  sleep,
  wrapMethod,
} from "./lib.mjs";

export const COST_PROJECT = "demo-bench-cost";
process.env.GCLOUD_PROJECT = COST_PROJECT;
silenceBackendLogs();

const fs = firestoreInternals();

// ---- metering: every document read / query / aggregation / write, transactional or not --------
export const meter = { reads: 0, writes: 0, docGets: 0, queries: 0, counts: 0 };
meterReads(fs, () => meter);
// One write per document write.
for (const m of ["create", "set", "update", "delete"])
  wrapMethod(
    fs.WriteBatch.prototype,
    m,
    () => meter,
    (x) => x.writes++,
  );
const snap = () => ({ ...meter });
const diff = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));

// ---- backend, from the compiled functions lib ---------------------------------------------------
const { initializeApp, getApps } = frequire("firebase-admin/app");
const { getFirestore, FieldValue, Timestamp } = frequire("firebase-admin/firestore");
if (getApps().length === 0) initializeApp({ projectId: COST_PROJECT });
const core = frequire("consensus-core");
const { handleRankingCreated } = frequire("./lib/lifecycle/rankings.js");
const { handleSubmissionCreated } = frequire("./lib/lifecycle/submissions.js");
const { finalizeRequest } = frequire("./lib/lifecycle/finalize.js");
const { runSweep } = frequire("./lib/lifecycle/sweep.js");
const { verifyRanking } = core;
const { readRegistry } = frequire("./lib/registry/registry.js");
const { acceptedRankingsQuery, rankingsCol, requestsCol } = frequire("./lib/db.js");
const { createApiKey, authenticateApiKey } = frequire("./lib/http/apiKeys.js");
const { createLeadRequestOnce } = frequire("./lib/http/leadCreation.js");
const { Keyring } = frequire("@polkadot/keyring");

const db = getFirestore();
const cfg = (deadlineMs = 90_000, timeoutMs = 120_000) => ({
  validatorDeadlineMs: deadlineMs,
  requestTimeoutMs: timeoutMs,
  minValidators: 1,
  heartbeatWindowMs: 300_000,
});

let keyring;
async function pairs(prefix, n) {
  await core.cryptoReady();
  keyring ??= new Keyring({ type: "sr25519", ss58Format: core.SS58_FORMAT });
  return Array.from({ length: n }, (_, i) => keyring.addFromUri(`//${prefix}${i}`));
}

async function seed(validators, miners) {
  const batch = db.batch();
  const put = (p, uid, role, trust) =>
    batch.set(db.collection(core.COLLECTIONS.registry).doc(p.address), {
      hotkey: p.address,
      uid,
      role,
      validator_trust: trust,
      stake: 1000,
      validator_permit: role === "validator",
      is_serving: true,
      last_seen: Timestamp.now(),
    });
  validators.forEach((p, i) => put(p, i, "validator", 0.1 + (i % 9) / 10));
  miners.forEach((p, i) => put(p, 100 + i, "miner", 0));
  await batch.commit();
}

const lead = (n) => ({
  business: `Company ${n}`,
  email: `owner${n}@company${n}.io`,
  full_name: `Owner ${n}`,
  role: "Founder",
  industry: "Software",
  sub_industry: "SaaS",
  region: "US",
});

async function writeSubmission(miner, uid, requestId, leads) {
  const content = {
    request_id: requestId,
    miner_hotkey: miner.address,
    miner_uid: uid,
    leads,
    num_leads: leads.length,
  };
  const signature = "0x" + Buffer.from(miner.sign(core.submissionPayload(content))).toString("hex");
  const id = core.submissionDocId(requestId, miner.address);
  await db
    .collection(core.COLLECTIONS.submissions)
    .doc(id)
    .create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
  return id;
}
async function writeRanking(validator, uid, requestId, leads) {
  const content = {
    request_id: requestId,
    validator_hotkey: validator.address,
    validator_uid: uid,
    ranked_leads: leads.map((l, i) => ({
      lead_hash: core.leadHash(l),
      score: Math.round((1 - i / leads.length) * 1000) / 1000,
      rank: i + 1,
    })),
    num_leads_ranked: leads.length,
  };
  const signature =
    "0x" + Buffer.from(validator.sign(core.rankingPayload(content))).toString("hex");
  const id = core.rankingDocId(requestId, validator.address);
  await db
    .collection(core.COLLECTIONS.rankings)
    .doc(id)
    .create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
  return id;
}

/**
 * The naive quorum check, for comparison only: the same verification as the real handler, then
 * re-reads every accepted ranking of the request on every arrival to decide whether quorum is met.
 */
async function naiveRankingCreated(docId, now) {
  const ref = rankingsCol().doc(docId);
  const data = (await ref.get()).data();
  if (!data) return;
  const hotkey = data.validator_hotkey;
  const entry = (await readRegistry([hotkey])).get(hotkey);
  const ok = await db.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (current.verification) return current.verification.status === "accepted";
    const requestRef = requestsCol().doc(current.request_id);
    const request = (await tx.get(requestRef)).data();
    const state = request && {
      status: request.status,
      expected_validators: request.expected_validators,
      timeoutMs: request.timeout.toMillis(),
    };
    const verdict = verifyRanking(docId, current, state, entry, current.submitted_at.toMillis());
    tx.update(ref, {
      verification: {
        status: verdict.ok ? "accepted" : "rejected",
        reason: verdict.ok ? null : verdict.reason,
        verified_at: Timestamp.fromDate(now),
      },
      validator_trust: verdict.ok ? entry.validator_trust : null,
    });
    if (verdict.ok && request.status === "pending") tx.update(requestRef, { status: "processing" });
    return verdict.ok;
  });
  if (!ok) return;
  const request = (await requestsCol().doc(data.request_id).get()).data();
  if (request.status !== "pending" && request.status !== "processing") return;
  const all = await acceptedRankingsQuery(data.request_id).get(); // every ranking, every arrival
  if (all.size >= request.expected_count) await finalizeRequest(data.request_id, now, "quorum");
}

/** One full request's backend work; returns counts by phase. */
async function oneRequest({ validators, miners, apiKey, variant, L = 10 }) {
  const phases = {};
  const measure = async (name, fn) => {
    const a = snap();
    const r = await fn();
    const d = diff(a, snap());
    phases[name] = phases[name]
      ? Object.fromEntries(Object.keys(d).map((k) => [k, phases[name][k] + d[k]]))
      : d;
    return r;
  };
  const now = () => new Date();
  // HTTPS function `api`, POST /leads: key lookup, rate limit, active validators, request write.
  const doc = await measure("api", async () => {
    const client = await authenticateApiKey(`Bearer ${apiKey.key}`);
    const body = { num_leads: 5, business_desc: "bench" };
    // The route's own write path: rate-limit slot, request and idempotency record in one batch.
    const created = await createLeadRequestOnce({
      client,
      body,
      rawBody: body,
      idempotencyKey: `bench-${Math.random()}`,
      now: now(),
      lifecycle: cfg(),
      perMinute: 1e9,
      answer: (d) => ({ request_id: d.request_id }),
    });
    return created.doc;
  });
  const rid = doc.request_id;
  const leads = Array.from({ length: L }, (_, i) => lead(i));
  for (const [i, m] of miners.entries()) {
    const id = await measure("nodeWrites", () =>
      writeSubmission(m, 100 + i, rid, leads.slice(i * (L / 2), (i + 1) * (L / 2))),
    );
    await measure("onSubmission", () => handleSubmissionCreated(id, now()));
  }
  for (const [i, v] of validators.entries()) {
    const id = await measure("nodeWrites", () => writeRanking(v, i, rid, leads));
    await measure("onRanking", () =>
      variant === "naive" ? naiveRankingCreated(id, now()) : handleRankingCreated(id, now()),
    );
  }
  const final = (await requestsCol().doc(rid).get()).data();
  if (final.status !== "completed" || final.finalize_count !== 1)
    throw new Error(`cost run: request ${rid} ${final.status} x${final.finalize_count}`);
  return phases;
}

export async function runCostBench({ Vs = [1, 4, 16], reps = 3, M = 2 } = {}) {
  const rows = [];
  for (const V of Vs) {
    const res = {};
    for (const variant of ["project", "naive"]) {
      await clearFirestore(db, COST_PROJECT);
      const validators = await pairs("BenchV", V);
      const miners = await pairs("BenchM", M);
      await seed(validators, miners);
      const apiKey = await createApiKey("bench-cost", "bench");
      const per = [];
      for (let r = 0; r < reps; r++)
        per.push(await oneRequest({ validators, miners, apiKey, variant }));
      res[variant] = per[per.length - 1]; // counts are deterministic; keep the last (warm) one
      res[variant + "All"] = per;
    }
    const sum = (p, k) => Object.values(p).reduce((a, x) => a + x[k], 0);
    const ranking = (p, k) => p.onRanking[k];
    rows.push({
      V,
      M,
      invocations: 1 + M + V, // api POST + one trigger per submission + one per ranking
      reads: sum(res.project, "reads"),
      writes: sum(res.project, "writes"),
      rankingReads: ranking(res.project, "reads"),
      naiveReads: sum(res.naive, "reads"),
      naiveWrites: sum(res.naive, "writes"),
      naiveRankingReads: ranking(res.naive, "reads"),
      readRatio: sum(res.naive, "reads") / sum(res.project, "reads"),
      rankingReadRatio: ranking(res.naive, "reads") / ranking(res.project, "reads"),
      phases: res.project,
      naivePhases: res.naive,
      stable:
        JSON.stringify(res.projectAll.slice(1)) ===
        JSON.stringify(res.projectAll.slice(1).reverse())
          ? "yes"
          : "varies",
    });
  }
  return rows;
}

/**
 * Step 5: 2 expected validators, only one ranks; the sweep finalises at its first tick after the
 * validator deadline. Production: every 60 s. Here: every `periodMs`, requests created at spread-out
 * phases so the lag samples the whole period.
 */
export async function runDeadlineBench({ n = 5, periodMs = 2000, deadlineMs = 3000 } = {}) {
  await clearFirestore(db, COST_PROJECT);
  const validators = await pairs("BenchD", 2);
  const miners = await pairs("BenchDM", 1);
  await seed(validators, miners);
  const created = [];
  let stop = false;
  const sweepTimes = [];
  const sweeper = (async () => {
    while (!stop) {
      const t0 = Date.now();
      await runSweep(new Date());
      sweepTimes.push(Date.now() - t0);
      await sleep(Math.max(0, periodMs - (Date.now() - t0)));
    }
  })();
  for (let i = 0; i < n; i++) {
    const body = { num_leads: 3, business_desc: "deadline" };
    const { doc } = await createLeadRequestOnce({
      client: { clientId: "bench-deadline", keyHash: "bench-deadline" },
      body,
      rawBody: body,
      idempotencyKey: null,
      now: new Date(),
      lifecycle: cfg(deadlineMs, deadlineMs + 20_000),
      perMinute: 1e9,
      answer: (d) => ({ request_id: d.request_id }),
    });
    const leads = [lead(1), lead(2), lead(3)];
    await writeSubmission(miners[0], 100, doc.request_id, leads);
    const rid = await writeRanking(validators[0], 0, doc.request_id, leads);
    await handleRankingCreated(rid, new Date()); // not quorum: 1 of 2
    created.push(doc.request_id);
    await sleep(periodMs / n + 137); // spread creation phases over the sweep period
  }
  const lags = [];
  for (const id of created) {
    for (;;) {
      const d = (await requestsCol().doc(id).get()).data();
      if (d.status === "completed" || d.status === "failed") {
        if (
          d.status !== "completed" ||
          d.finalize_count !== 1 ||
          d.result.finalized_by !== "deadline"
        )
          throw new Error(`deadline run: ${id} ${d.status}`);
        lags.push(d.finalized_at.toMillis() - d.validator_deadline.toMillis());
        break;
      }
      await sleep(100);
    }
  }
  stop = true;
  await sweeper;
  return {
    n,
    periodMs,
    deadlineMs,
    lags,
    mean: mean(lags),
    median: median(lags),
    max: Math.max(...lags),
    sweepMs: median(sweepTimes),
  };
}

if (process.argv[1] && process.argv[1].endsWith("cost.mjs")) {
  const out = { cost: await runCostBench(), deadline: await runDeadlineBench() };
  if (process.env.BENCH_OUT) {
    (await import("node:fs")).writeFileSync(process.env.BENCH_OUT, JSON.stringify(out, null, 2));
  } else console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}
