// One finalisation attempt per request: every ranking handler of a round started at once (as
// production delivers them, here racing the emulator's own deliveries too), and exactly one of
// them (the one whose claim stands) runs the finalisation; the others stop after one count.
import { COLLECTIONS } from "consensus-core";
import { handleRankingCreated } from "../../../src/lifecycle/rankings";
import { createLeadRequest } from "../../support/create-request";
import {
  adminDb,
  clearFirestore,
  lead,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  testLifecycle,
  waitForFinal,
} from "../../support/emulator";

beforeEach(() => clearFirestore());

const VALIDATORS = 6;

test("every ranking handler at once: one claim, one finalisation, one commit", async () => {
  const pairs = await seedRegistry([
    ...Array.from({ length: VALIDATORS }, (_, i) => ({ uri: `//Claim${i}`, uid: i, trust: 0.5 })),
    { uri: "//Ferdie", uid: 10, role: "miner" as const },
  ]);
  const validators = pairs.slice(0, VALIDATORS);
  const miner = pairs[VALIDATORS];
  const req = await createLeadRequest(
    "c",
    { num_leads: 2, business_desc: "x" },
    new Date(),
    testLifecycle(),
  );
  const leads = [lead(1), lead(2), lead(3)];
  await submitLeads(miner, 10, req.request_id, leads);
  const refs = await Promise.all(
    validators.map((v, i) =>
      submitRanking(v, i, req.request_id, [
        [leads[0], 0.9 - i / 100],
        [leads[1], 0.5],
      ]),
    ),
  );
  const outcomes = await Promise.all(refs.map((r) => handleRankingCreated(r.id, new Date())));
  const final = await waitForFinal(req.request_id);
  expect(final.status).toBe("completed");
  expect(final.result.finalized_by).toBe("quorum");
  expect((await requestDoc(req.request_id))!.finalize_count).toBe(1);

  // The claim names one ranking; only that ranking's handlers (here or the emulator's) went on to
  // finalise, and every other handler that saw the quorum complete stopped at the claim.
  const claim = (
    await adminDb().collection(COLLECTIONS.finalizeClaims).doc(req.request_id).get()
  ).data()!;
  expect(refs.map((r) => r.id)).toContain(claim.ranking_id);
  const claimants = outcomes.filter((o) => o.claim === "claimed");
  expect(claimants.length).toBeLessThanOrEqual(1);
  for (const [i, o] of outcomes.entries()) {
    if (o.claim === "claimed") expect(refs[i].id).toBe(claim.ranking_id);
    if (o.claim !== "claimed") expect(o.finalize).toBeUndefined();
  }
  expect(outcomes.every((o) => o.verification === "accepted")).toBe(true);
});
