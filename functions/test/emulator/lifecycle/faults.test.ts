// Fault: a function instance killed in the middle of a finalisation (issue 11). Finalisation is one
// Firestore transaction (request result, metrics record, agreement records), so an instance killed
// before the commit leaves exactly the state before it: the ranking verified, the request open, no
// metrics, no agreement entry. The test rebuilds that state after a real finalisation, then lets
// the recovery paths race, as they would after the kill: the trigger's redelivery (twice, since
// delivery is at-least-once), the sweep and the deadline task. The request must complete once.
import firebaseFunctionsTest from "firebase-functions-test";
import { COLLECTIONS } from "consensus-core";
import { onRankingCreated } from "../../../src/triggers/firestore";
import { agreementCol } from "../../../src/db";
import { AGREEMENT_LEDGER, ledgerRecord } from "../../../src/lifecycle/ledgers";
import { createLeadRequest } from "../../support/create-request";
import { closeIfDue } from "../../../src/lifecycle/close";
import { runSweep } from "../../../src/lifecycle/sweep";
import {
  adminDb,
  clearFirestore,
  countDocs,
  lead,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  waitForFinal,
  testLifecycle,
} from "../../support/emulator";

const redeliver = firebaseFunctionsTest({ projectId: "demo-consensus" }).wrap(onRankingCreated);

beforeEach(() => clearFirestore());

test("a finalisation killed before its commit is completed once by redelivery, sweep and task", async () => {
  const [alice, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.9 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await createLeadRequest(
    "faults",
    { num_leads: 1, business_desc: "x" },
    new Date(),
    testLifecycle(),
  );
  const requestRef = adminDb().collection(COLLECTIONS.requests).doc(req.request_id);
  const beforeCommit = (await requestRef.get()).data()!;
  await submitLeads(miner, 10, req.request_id, [lead(1)]);
  const ranking = await submitRanking(alice, 0, req.request_id, [[lead(1), 0.8]]);
  const first = await waitForFinal(req.request_id);
  expect(first.status).toBe("completed");

  // The kill: nothing of the transaction survives. The ranking keeps its verdict (written before).
  await requestRef.set(beforeCommit);
  await adminDb().collection(COLLECTIONS.metrics).doc(req.request_id).delete();
  await adminDb().collection(COLLECTIONS.validatorAgreement).doc(alice.address).delete();
  expect((await ranking.get()).data()!.verification.status).toBe("accepted");

  const pastDeadline = new Date(req.validator_deadline.toMillis() + 1_000);
  // Redelivered with the document as stored (the claim the first delivery took stays: the kill
  // came after it, so the redelivery of the same ranking's event is the one that may finalise).
  const event = {
    params: { docId: ranking.id },
    time: new Date().toISOString(),
    data: await ranking.get(),
  };
  const outcomes = await Promise.allSettled([
    redeliver(event),
    redeliver(event),
    runSweep(pastDeadline),
    closeIfDue(req.request_id, pastDeadline, "task"),
  ]);
  expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);

  const final = (await requestDoc(req.request_id))!;
  expect(final.status).toBe("completed");
  expect(final.finalize_count).toBe(1);
  expect(final.result.leads.map((l: { email: string }) => l.email)).toEqual(
    first.result.leads.map((l: { email: string }) => l.email),
  );
  expect(await countDocs(COLLECTIONS.metrics)).toBe(1);
  const agreement = ledgerRecord(AGREEMENT_LEDGER, await agreementCol().doc(alice.address).get())!;
  expect(agreement).toMatchObject({ requests_expected: 1, requests_answered: 1 });
  expect(agreement.recent.map((e: { request_id: string }) => e.request_id)).toEqual([
    req.request_id,
  ]);
});
