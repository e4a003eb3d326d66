// The event-age cutoff (issue 11): a ranking event redelivered after TRIGGER_MAX_EVENT_AGE_SECONDS
// is dropped, not handled, and the sweep still verifies and finalises what it left undone. The
// deployed trigger is invoked through firebase-functions-test with a chosen event time, against
// the Firestore emulator.
import firebaseFunctionsTest from "firebase-functions-test";
import { FieldValue } from "firebase-admin/firestore";
import { COLLECTIONS } from "consensus-core";
import { onRankingCreated } from "../../../src/triggers/firestore";
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
  testLifecycle,
} from "../../support/emulator";

const fft = firebaseFunctionsTest({ projectId: "demo-consensus" });
const wrapped = fft.wrap(onRankingCreated);
const MAX_AGE_S = 600; // functions/.env default

// No fft.cleanup(): the emulator tier's setup deletes every Admin SDK app (its own included).
beforeEach(() => clearFirestore());

async function rankingAwaitingVerification() {
  const [alice, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.9 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await createLeadRequest(
    "c",
    { num_leads: 1, business_desc: "x" },
    new Date(),
    testLifecycle(),
  );
  await submitLeads(miner, 10, req.request_id, [lead(1)]);
  const ref = await submitRanking(alice, 0, req.request_id, [[lead(1), 0.8]]);
  // The Functions emulator's own (fresh) delivery handles it first; wait for that, then take the
  // request back to open and the ranking back to unverified with updates (which fire no onCreate),
  // so only the deliveries below can act on it.
  await waitFor("the live trigger's verdict", async () => (await ref.get()).data()?.verification);
  await waitFor("the live finalisation", async () => {
    const d = await requestDoc(req.request_id);
    return d?.status === "completed" && d;
  });
  await adminDb().collection(COLLECTIONS.metrics).doc(req.request_id).delete();
  // The live delivery's claim goes too: as if no trigger had run at all.
  await adminDb().collection(COLLECTIONS.finalizeClaims).doc(req.request_id).delete();
  await adminDb().collection(COLLECTIONS.requests).doc(req.request_id).update({
    status: "pending",
    result: null,
    finalized_at: null,
    finalize_count: 0,
  });
  await ref.update({ verification: FieldValue.delete(), validator_trust: FieldValue.delete() });
  return { req, ref, docId: ref.id };
}

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

test("an event older than the cutoff is dropped: nothing read or written", async () => {
  const { req, ref, docId } = await rankingAwaitingVerification();
  const before = (await ref.get()).updateTime;
  const outcome = await wrapped({
    params: { docId },
    time: ago(MAX_AGE_S + 5),
    data: await ref.get(),
  });
  expect(outcome).toEqual({ dropped: "stale_event" });
  const after = await ref.get();
  expect(after.data()!.verification).toBeUndefined();
  expect(after.updateTime!.isEqual(before!)).toBe(true);
  expect((await requestDoc(req.request_id))!.status).toBe("pending");
});

test("an event inside the cutoff is handled: verified, and the quorum finalises", async () => {
  const { req, ref, docId } = await rankingAwaitingVerification();
  // Delivered with the document as stored, as a real event carries it.
  const outcome = await wrapped({
    params: { docId },
    time: ago(MAX_AGE_S - 30),
    data: await ref.get(),
  });
  expect(outcome).toMatchObject({ verification: "accepted", finalize: { kind: "completed" } });
  expect((await ref.get()).data()!.verification.status).toBe("accepted");
  const final = (await requestDoc(req.request_id))!;
  expect(final.status).toBe("completed");
  expect(final.finalize_count).toBe(1);
});

test("what a dropped event left undone, the sweep completes once past the deadline", async () => {
  const { req, ref, docId } = await rankingAwaitingVerification();
  await wrapped({ params: { docId }, time: ago(MAX_AGE_S * 10) });
  expect((await ref.get()).data()!.verification).toBeUndefined();
  const pastDeadline = new Date(req.validator_deadline.toMillis() + 1_000);
  const summary = await runSweep(pastDeadline);
  // The sweep verifies the ranking; with every expected validator in, that verification (or the
  // sweep's own deadline pass) finalises it, exactly once either way.
  expect(summary.examined).toBe(1);
  expect((await ref.get()).data()!.verification.status).toBe("accepted");
  const final = (await requestDoc(req.request_id))!;
  expect(final.status).toBe("completed");
  expect(final.finalize_count).toBe(1);
});
