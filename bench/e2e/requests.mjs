// The bench as an API client: posts requests, sees them created and closed through its own
// listener, and measures each one from what Firestore and the nodes recorded.
import { randomUUID } from "node:crypto";
import { sleep } from "../lib.mjs";
import { API, core, db } from "./emulator.mjs";
import { nodeEvents } from "./node-processes.mjs";
import { simSeen } from "./simulated-nodes.mjs";

const seenAt = new Map(); // request_id -> ms the bench listener saw it created
export const finalAt = new Map(); // request_id -> ms the bench listener saw it final
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
export const postStats = { retries: 0 };
export async function post(key) {
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
      postStats.retries++;
    }
  }
}
export async function waitFinal(ids, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && ids.some((id) => !finalAt.has(id))) await sleep(50);
  return ids.filter((id) => !finalAt.has(id));
}

export async function analyse(sent, nodeAddresses) {
  const out = {
    latencies: [],
    acceptMs: [],
    serverMs: [],
    finalOverheadMs: [],
    hops: {
      postToCreated: [],
      createdToSubmissions: [],
      submissionsToRankings: [],
      finalToClient: [],
    },
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
    // Where the round's time goes, hop by hop, from what Firestore recorded (one machine, one clock).
    const answers = [core.COLLECTIONS.submissions, core.COLLECTIONS.declines].map((c) =>
      db.collection(c).where("request_id", "==", s.id).get(),
    );
    const answered = (await Promise.all(answers)).flatMap((q) =>
      q.docs.map((x) => x.data().submitted_at?.toMillis()),
    );
    const lastAnswer = Math.max(...answered.filter(Number.isFinite));
    out.hops.postToCreated.push(d.created_at.toMillis() - s.t0);
    out.hops.createdToSubmissions.push(lastAnswer - d.created_at.toMillis());
    out.hops.submissionsToRankings.push(lastRanking - lastAnswer);
    out.hops.finalToClient.push(finalAt.get(s.id) - d.finalized_at.toMillis());
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
