// One request of V validators and M miners run through the backend's exported handlers in this
// process, against the Firestore emulator in a project of its own (demo-scale-VxM-pid: no emulator
// trigger watches it), with every read and write metered per handler, the way bench/cost.mjs
// meters them. Production delivers events concurrently, so all submission handlers start at once,
// then all ranking handlers start at once (Promise.all).
//
//   node bench/scale/inprocess.mjs V M   (FIRESTORE_EMULATOR_HOST set; JSON on stdout or BENCH_OUT)
//
// Nodes' documents are built with the node package's own functions (PoolCurator, buildSubmission,
// gatherLeads, HeuristicRanker, buildRanking) and signed over core's payloads, as node/src does.
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import {
  firestoreInternals,
  frequire,
  meterReads,
  root,
  silenceBackendLogs,
  wrapMethod,
} from "../lib.mjs";
import { docBytes } from "./docs.mjs";

// A project of its own per run: a run stopped at its bound leaves transactions holding the
// emulator's document locks, which would block the next run's reads of the same documents.
const [argV, argM] = process.argv.slice(2);
export const SCALE_PROJECT = `demo-scale-${argV ?? 0}x${argM ?? 0}-${process.pid}`;
process.env.GCLOUD_PROJECT = SCALE_PROJECT;
silenceBackendLogs();

const { WriteBatch, Transaction, ...fs } = firestoreInternals();

// ---- metering, attributed to the handler whose async context made the call -----------------------
const als = new AsyncLocalStorage();
const meters = {};
const blank = () => ({
  reads: 0,
  writes: 0,
  stagedWrites: 0,
  docGets: 0,
  queries: 0,
  counts: 0,
  txAttempts: 0,
  txFailed: 0,
  aborted: 0,
  lockTimeouts: 0,
  retryAttempts: 0,
  finalizeCalls: 0,
  ms: 0,
});
const m = () => (meters[als.getStore() ?? "other"] ??= blank());
meterReads(fs, m);
// Writes as billed: the operations of every commit that succeeded (transactional or not). Writes
// staged by a transaction attempt that then failed are counted apart (stagedWrites).
for (const k of ["create", "set", "update", "delete"])
  wrapMethod(WriteBatch.prototype, k, m, (x) => (x.stagedWrites += 1));
const commit = WriteBatch.prototype._commit;
WriteBatch.prototype._commit = async function (...args) {
  const x = m();
  const n = this._opCount;
  const out = await commit.apply(this, args);
  x.writes += n;
  return out;
};
// Every attempt of a read-write transaction, and how attempts fail (ABORTED = contention).
const once = Transaction.prototype.runTransactionOnce;
Transaction.prototype.runTransactionOnce = async function (...args) {
  const x = m();
  x.txAttempts++;
  try {
    return await once.apply(this, args);
  } catch (err) {
    x.txFailed++;
    if (err?.code === 10) x.aborted++;
    if (/lock timeout/i.test(String(err?.message))) x.lockTimeouts++;
    throw err;
  }
};

// ---- backend (compiled) and node package -----------------------------------------------------------
const { initializeApp, getApps } = frequire("firebase-admin/app");
const { getFirestore, FieldValue, Timestamp } = frequire("firebase-admin/firestore");
if (getApps().length === 0) initializeApp({ projectId: SCALE_PROJECT });
const core = frequire("consensus-core");
const rankingsMod = frequire("./lib/lifecycle/rankings.js");
const submissionsMod = frequire("./lib/lifecycle/submissions.js");
const finalizeMod = frequire("./lib/lifecycle/finalize.js");
const retryMod = frequire("./lib/lifecycle/retry.js");
const { createApiKey, authenticateApiKey } = frequire("./lib/http/apiKeys.js");
const { createLeadRequestOnce } = frequire("./lib/http/leadCreation.js");
const { lifecycleConfig } = frequire("./lib/config.js");
const nrequire = createRequire(join(root, "node", "package.json"));
const sdk = nrequire("./lib/index.js");
const { Keyring } = nrequire("@polkadot/keyring");
const { u8aToHex } = nrequire("@polkadot/util");

/**
 * The created document as a Firestore trigger's event carries it (read here under the nodes'
 * meter: production delivers it with the event, so the handler's own reads stay its own).
 */
async function eventOf(ref) {
  const snap = await ref.get();
  return { data: snap.data(), updateTime: snap.updateTime };
}

// finalizeRequest is called through the module's exports (compiled CommonJS), so wrapping the
// export counts every finalisation attempt and its outcome; withRetry likewise counts retries.
const outcomes = {};
if (typeof finalizeMod.finalizeRequest === "function") {
  const orig = finalizeMod.finalizeRequest;
  finalizeMod.finalizeRequest = async (...args) => {
    m().finalizeCalls++;
    const out = await orig(...args);
    outcomes[out?.kind ?? "?"] = (outcomes[out?.kind ?? "?"] ?? 0) + 1;
    return out;
  };
}
if (typeof retryMod.withRetry === "function") {
  const orig = retryMod.withRetry;
  retryMod.withRetry = (op, ...rest) => {
    const x = m();
    return orig(() => (x.retryAttempts++, op()), ...rest);
  };
}

const db = getFirestore();
const DESC = "B2B SaaS companies selling to VPs of Sales in the US";

async function timed(name, fn) {
  const t0 = Date.now();
  try {
    return await als.run(name, fn);
  } finally {
    (meters[name] ??= blank()).ms += Date.now() - t0;
  }
}

export async function runInProcess(V, M, { budgetMs = 180_000, onPartial } = {}) {
  await core.cryptoReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: core.SS58_FORMAT });
  const validators = Array.from({ length: V }, (_, i) => keyring.addFromUri(`//ScaleV${i}`));
  const miners = Array.from({ length: M }, (_, i) => keyring.addFromUri(`//ScaleM${i}`));
  for (let i = 0; i < V + M; i += 400) {
    const batch = db.batch();
    [...validators, ...miners].slice(i, i + 400).forEach((p, j) => {
      const uid = i + j;
      const validator = uid < V;
      batch.set(db.collection(core.COLLECTIONS.registry).doc(p.address), {
        hotkey: p.address,
        uid,
        role: validator ? "validator" : "miner",
        validator_trust: validator ? ((uid % 9) + 1) / 10 : 0,
        stake: 1000,
        validator_permit: validator,
        is_serving: true,
        last_seen: Timestamp.now(),
      });
    });
    await batch.commit();
  }
  const apiKey = await createApiKey("scale-inprocess", "bench");
  for (const k of Object.keys(meters)) delete meters[k];

  // The API: POST /leads's own write path with the production lifecycle params.
  const created = await timed("api", async () => {
    const client = await authenticateApiKey(`Bearer ${apiKey.key}`);
    const body = { num_leads: 3, business_desc: DESC };
    return createLeadRequestOnce({
      client,
      body,
      rawBody: body,
      idempotencyKey: `scale-${Date.now()}`,
      now: new Date(),
      lifecycle: lifecycleConfig(),
      perMinute: 1e9,
      answer: (d) => ({ request_id: d.request_id }),
    });
  });
  const request = created.doc;
  const rid = request.request_id;

  // Miners: the reference curator over the shipped pool, seeded per hotkey, signed and written.
  const pool = sdk.loadLeadPool();
  const subIds = await timed("nodeWrites", () =>
    Promise.all(
      miners.map(async (p, i) => {
        const leads = await new sdk.PoolCurator(pool, { seed: p.address }).curate({
          request_id: rid,
          business_desc: DESC,
          num_leads: request.num_leads,
        });
        const content = sdk.buildSubmission(rid, p.address, V + i, leads);
        const id = core.submissionDocId(rid, p.address);
        const ref = db.collection(core.COLLECTIONS.submissions).doc(id);
        await ref.create({
          ...content,
          signature: u8aToHex(p.sign(core.submissionPayload(content))),
          submitted_at: FieldValue.serverTimestamp(),
        });
        return { id, event: await eventOf(ref) };
      }),
    ),
  );
  await timed("onSubmission", () =>
    Promise.all(
      subIds.map(({ id, event }) => submissionsMod.handleSubmissionCreated(id, new Date(), event)),
    ),
  );

  // Validators: what the reference validator does once every miner answered.
  const subs = (
    await db.collection(core.COLLECTIONS.submissions).where("request_id", "==", rid).get()
  ).docs.map((d) => ({ id: d.id, data: d.data() }));
  const { leads } = sdk.gatherLeads(subs, request.expected_miners ?? null);
  const ranked = await new sdk.HeuristicRanker().rank(
    { request_id: rid, business_desc: DESC, num_leads: request.num_leads },
    leads,
  );
  const rankIds = await timed("nodeWrites", () =>
    Promise.all(
      validators.map(async (p, i) => {
        const content = sdk.buildRanking(rid, p.address, i, ranked);
        const id = core.rankingDocId(rid, p.address);
        const ref = db.collection(core.COLLECTIONS.rankings).doc(id);
        await ref.create({
          ...content,
          signature: u8aToHex(p.sign(core.rankingPayload(content))),
          submitted_at: FieldValue.serverTimestamp(),
        });
        return { id, event: await eventOf(ref) };
      }),
    ),
  );

  // Every ranking handler at once, as production delivers them; bounded.
  const errors = {};
  const tRank = Date.now();
  const handlerMs = [];
  const all = Promise.all(
    rankIds.map(({ id, event }) =>
      timed("onRanking", async () => {
        const t0 = Date.now();
        try {
          return await rankingsMod.handleRankingCreated(id, new Date(), event);
        } catch (err) {
          const k = `${err?.code ?? ""} ${String(err?.message).slice(0, 80)}`.trim();
          errors[k] = (errors[k] ?? 0) + 1;
          return null;
        } finally {
          handlerMs.push(Date.now() - t0);
        }
      }),
    ),
  );
  const finished = await Promise.race([
    all.then(() => true),
    // Not unref'd: with every handler waiting on the emulator, this timer keeps the process alive.
    new Promise((r) => setTimeout(() => r(false), budgetMs)),
  ]);
  const rankingWallMs = Date.now() - tRank;
  const handlers = Object.fromEntries(Object.entries(meters).map(([k, v]) => [k, { ...v }]));
  const partial = {
    V,
    M,
    finished,
    rankingWallMs,
    handlerMsMax: handlerMs.length ? Math.max(...handlerMs) : NaN,
    finalizeOutcomes: { ...outcomes },
    errors: { ...errors },
    pool: leads.length,
    ranked: ranked.length,
    handlers,
  };
  // Handlers still running hold the emulator's transaction locks, and a read of a locked document
  // waits for them: what follows is bounded, and the counts above are kept if it does not finish.
  onPartial?.(partial);
  const withBound = (p, ms) =>
    Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error("timeout")), ms))]);
  let final;
  try {
    final = (
      await withBound(db.collection(core.COLLECTIONS.requests).doc(rid).get(), 20_000)
    ).data();
  } catch {
    return { ...partial, status: "unread (documents locked)", finalizeCount: NaN };
  }

  // Bytes: every document of this request's round (the registry and keys were seeded before).
  const docs = [];
  try {
    await withBound(
      (async () => {
        for (const col of await db.listCollections()) {
          if (col.id === core.COLLECTIONS.registry || col.id === "api_keys") continue;
          for (const snap of (await col.get()).docs)
            docs.push({ col: col.id, id: snap.id, bytes: docBytes(snap.id, snap.data()) });
        }
      })(),
      30_000,
    );
  } catch {
    /* bytes left partial */
  }
  const largest = docs.reduce((a, x) => (x.bytes > (a?.bytes ?? -1) ? x : a), null);
  return {
    ...partial,
    status: final?.status ?? "missing",
    finalizedBy: final?.result?.finalized_by ?? null,
    finalizeCount: final?.finalize_count ?? 0,
    bytes: docs.reduce((a, x) => a + x.bytes, 0),
    docs: docs.length,
    largest,
  };
}

if (process.argv[1] && process.argv[1].endsWith("inprocess.mjs")) {
  const [V, M] = process.argv.slice(2).map(Number);
  const save = (out) => {
    if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(out));
  };
  const out = await runInProcess(V, M, {
    budgetMs: Number(process.env.SCALE_BUDGET_MS ?? 180_000),
    onPartial: (p) => save({ ...p, status: "unread", finalizeCount: NaN }),
  });
  save(out);
  if (!process.env.BENCH_OUT) console.log(JSON.stringify(out));
  process.exit(0);
}
