// Delivery is at-least-once and finalisation races itself: the trigger redelivered, the sweep
// racing the last ranking, sweeps racing each other. Each case must finalise exactly once
// (finalize_count is incremented inside the finalising transaction, so a second commit shows).
import { FieldValue } from "firebase-admin/firestore";
import {
  COLLECTIONS,
  calculateConsensusRanking,
  eligibleLeadPool,
  leadHash,
  type Lead,
} from "consensus-core";
import { finalizeRequest } from "../../../src/lifecycle/finalize";
import { handleRankingCreated } from "../../../src/lifecycle/rankings";
import { createLeadRequest } from "../../support/create-request";
import { runSweep } from "../../../src/lifecycle/sweep";
import {
  adminDb,
  clearFirestore,
  lead,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  waitFor,
  waitForFinal,
  testLifecycle,
  withoutTriggers,
} from "../../support/emulator";

const cfg = (deadlineMs: number) =>
  testLifecycle({
    validatorDeadlineMs: deadlineMs,
    requestTimeoutMs: Math.max(120_000, deadlineMs + 30_000),
  });

beforeEach(() => clearFirestore());

async function metricsCount(requestId: string): Promise<number> {
  const snap = await adminDb()
    .collection(COLLECTIONS.metrics)
    .where("request_id", "==", requestId)
    .get();
  return snap.size;
}

/** The stored result must equal the consensus recomputed from the stored rankings it names. */
async function expectRecomputable(requestId: string) {
  const db = adminDb();
  const req = (await requestDoc(requestId))!;
  const rankings = await Promise.all(
    req.result.participants.map(async (h: string) =>
      (await db.collection(COLLECTIONS.rankings).doc(`${requestId}_${h}`).get()).data()!,
    ),
  );
  // Exactly the submissions the result says formed the pool.
  const subs = await Promise.all(
    req.result.miners.map(async (h: string) =>
      (await db.collection(COLLECTIONS.submissions).doc(`${requestId}_${h}`).get()).data()!,
    ),
  );
  // Rankings name each lead by its content hash; the consensus reads the submitted lead it names.
  const byHash = new Map<string, Lead>(
    subs.flatMap((s) => (s.leads as Lead[]).map((l): [string, Lead] => [leadHash(l), l])),
  );
  const expected = calculateConsensusRanking({
    numLeads: req.num_leads,
    rankings: rankings.map((r) => ({
      validator_hotkey: r.validator_hotkey,
      trust: req.result.trust_used[r.validator_hotkey],
      ranked_leads: (r.ranked_leads as { lead_hash: string; score: number }[])
        .filter((e) => byHash.has(e.lead_hash))
        .map((e) => ({ lead: byHash.get(e.lead_hash)!, score: e.score })),
    })),
    eligibleLeads: eligibleLeadPool(
      subs.map((s) => ({ miner_hotkey: s.miner_hotkey, leads: s.leads })),
    ),
  });
  expect(req.result.leads).toEqual(expected.leads);
}

test("a ranking event delivered several times finalises once", () =>
  // The deliveries are this test's own: with the emulator's, its run could end after the
  // assertions, and no condition tells when it has.
  withoutTriggers(async () => {
    const [alice, miner] = await seedRegistry([
      { uri: "//Alice", uid: 0, trust: 0.9 },
      { uri: "//Ferdie", uid: 10, role: "miner" },
    ]);
    for (let round = 0; round < 5; round++) {
      const req = await createLeadRequest(
        "c",
        { num_leads: 2, business_desc: "x" },
        new Date(),
        cfg(90_000),
      );
      const leads = [lead(1), lead(2), lead(3)];
      await submitLeads(miner, 10, req.request_id, leads);
      const ref = await submitRanking(alice, 0, req.request_id, [
        [leads[0], 0.5],
        [leads[1], 0.7],
      ]);
      // Four deliveries of the one event, racing each other.
      const outcomes = await Promise.all(
        [0, 1, 2, 3].map(() => handleRankingCreated(ref.id, new Date())),
      );
      expect(outcomes.every((o) => o.verification === "accepted")).toBe(true);
      const final = await waitForFinal(req.request_id);
      expect(final.status).toBe("completed");
      expect((await requestDoc(req.request_id))!.finalize_count).toBe(1);
      expect(await metricsCount(req.request_id)).toBe(1);
      const verifiedAt = (await ref.get()).data()!.verification.verified_at.toMillis();
      await handleRankingCreated(ref.id, new Date(Date.now() + 5000));
      expect((await ref.get()).data()!.verification.verified_at.toMillis()).toBe(verifiedAt);
      await expectRecomputable(req.request_id);
    }
  }));

test("the sweep racing the last ranking finalises once, with a recomputable result", async () => {
  const [alice, bob, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  for (let round = 0; round < 8; round++) {
    // The sweeps and the finaliser race at a clock past the deadline (injected), so the request
    // is due for them at once while the miner still submits before its deadline.
    const req = await createLeadRequest(
      "c",
      { num_leads: 2, business_desc: "x" },
      new Date(),
      cfg(60_000),
    );
    const pastDeadline = () => new Date(req.validator_deadline.toMillis() + 1_000);
    const leads = [lead(1), lead(2), lead(3)];
    await submitLeads(miner, 10, req.request_id, leads);
    await submitRanking(alice, 0, req.request_id, [
      [leads[0], 0.9],
      [leads[1], 0.2],
    ]);
    await waitFor(
      "first ranking accepted",
      async () => (await requestDoc(req.request_id))?.status === "processing",
    );
    const [bobRanking] = await Promise.all([
      submitRanking(bob, 1, req.request_id, [
        [leads[1], 1.0],
        [leads[2], 0.9],
      ]),
      runSweep(pastDeadline()),
      runSweep(pastDeadline()),
      finalizeRequest(req.request_id, pastDeadline(), "deadline"),
    ]);
    const final = await waitForFinal(req.request_id);
    expect(final.status).toBe("completed");
    // Bob's trigger may still be running: the count is read once it has recorded its verdict.
    await waitFor(
      "Bob's ranking verified",
      async () => (await bobRanking.get()).data()?.verification,
    );
    expect((await requestDoc(req.request_id))!.finalize_count).toBe(1);
    expect(await metricsCount(req.request_id)).toBe(1);
    await expectRecomputable(req.request_id);
  }
});

test("concurrent sweeps and finalisers: exactly one commits, all see the same result", async () => {
  const [alice, , miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  for (let round = 0; round < 5; round++) {
    // Due only at the injected clock below, ten minutes ahead: the deployed sweepRequests, which
    // the emulators run every minute on the wall clock, cannot be a ninth contender.
    const req = await createLeadRequest(
      "c",
      { num_leads: 1, business_desc: "x" },
      new Date(),
      cfg(10 * 60_000),
    );
    const leads = [lead(1), lead(2)];
    await submitLeads(miner, 10, req.request_id, leads);
    await submitRanking(alice, 0, req.request_id, [[leads[1], 0.8]]);
    await waitFor(
      "ranking accepted",
      async () => (await requestDoc(req.request_id))?.status === "processing",
    );
    const now = new Date(req.validator_deadline.toMillis() + 1_000);
    const [outcomes, sweepA, sweepB] = await Promise.all([
      Promise.all([0, 1, 2, 3, 4, 5].map(() => finalizeRequest(req.request_id, now, "deadline"))),
      runSweep(now),
      runSweep(now),
    ]);
    const final = (await requestDoc(req.request_id))!;
    expect(final.finalize_count).toBe(1);
    // Exactly one of the eight contenders reports the commit (a sweep may be the one).
    const committed = outcomes.filter((o) => o.kind === "completed").length;
    expect(committed + sweepA.completed + sweepB.completed).toBe(1);
    expect(outcomes.every((o) => o.kind === "completed" || o.kind === "already_final")).toBe(true);
    for (const o of outcomes) {
      if (o.kind === "completed") expect(o.result.leads).toEqual(final.result.leads);
    }
    expect(final.result.leads.map((l: { email: string }) => l.email)).toEqual([leads[1].email]);
    expect(await metricsCount(req.request_id)).toBe(1);
  }
});

test("a ranking whose trigger never completed is verified and counted by the sweep", async () => {
  const [alice, , miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await createLeadRequest(
    "c",
    { num_leads: 1, business_desc: "x" },
    new Date(),
    cfg(60_000),
  );
  await submitLeads(miner, 10, req.request_id, [lead(1)]);
  const ref = await submitRanking(alice, 0, req.request_id, [[lead(1), 0.8]]);
  await waitFor("ranking verified", async () => (await ref.get()).data()?.verification);
  // As if every delivery of the event had failed: no verdict recorded.
  await ref.update({ verification: FieldValue.delete(), validator_trust: FieldValue.delete() });

  // The sweep at a clock past the deadline (injected): the request is due.
  await runSweep(new Date(req.validator_deadline.toMillis() + 1_000));
  expect((await ref.get()).data()!.verification.status).toBe("accepted");
  const final = (await requestDoc(req.request_id))!;
  expect(final.status).toBe("completed");
  expect(final.result.participants).toEqual([alice.address]);
  expect(final.finalize_count).toBe(1);
});
