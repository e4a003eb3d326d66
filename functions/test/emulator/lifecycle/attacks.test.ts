// What outside probes found (issue 20, items 1-3), end to end through the deployed triggers: a
// result returns exactly the lead content the validators scored. The documents are written with
// the Admin SDK, as if the rules had been bypassed (test/rules/attacks.rules.test.ts shows they
// refuse them), so these prove the backend's own guarantee. Every completed request here is also
// re-verified after each test (emulator-setup.ts), which checks the same rules independently.
import { COLLECTIONS } from "consensus-core";
import { createLeadRequest } from "../../support/create-request";
import {
  adminDb,
  clearFirestore,
  lead,
  seedRegistry,
  submitLeads,
  submitRanking,
  testLifecycle,
  waitFor,
  waitForFinal,
} from "../../support/emulator";

const cfg = testLifecycle();

beforeEach(() => clearFirestore());

async function submissionVerdict(requestId: string, hotkey: string) {
  return waitFor(
    `verdict on ${hotkey}'s submission`,
    async () =>
      (
        await adminDb().collection(COLLECTIONS.submissions).doc(`${requestId}_${hotkey}`).get()
      ).data()?.verification,
  );
}

async function setup() {
  const [alice, bob, ferdie, dave] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
    { uri: "//Dave", uid: 12, role: "miner" },
  ]);
  const req = await createLeadRequest("c", { num_leads: 5, business_desc: "x" }, new Date(), cfg);
  expect(req.expected_miners).toEqual([ferdie.address, dave.address].sort());
  return { alice, bob, ferdie, dave, requestId: req.request_id };
}

test("1. a copy of a lead submitted after a validator scored it never replaces the scored one", async () => {
  const { alice, bob, ferdie, dave, requestId } = await setup();
  const honest = [lead(1), lead(2)];
  await submitLeads(ferdie, 10, requestId, honest);
  await submitRanking(alice, 0, requestId, [
    [honest[0], 0.9],
    [honest[1], 0.8],
  ]);
  // Same emails, other names and websites: from an expected miner (after Alice ranked) and from
  // a miner the request never expected (registered after it was created).
  const swapped = honest.map((l) => ({ ...l, full_name: "Mallory", website: "evil.example" }));
  await submitLeads(dave, 12, requestId, swapped);
  const [mallory] = await seedRegistry([{ uri: "//Eve", uid: 13, role: "miner" }]);
  await submitLeads(mallory, 13, requestId, swapped);
  // Bob scores the swapped copy: a score for content other than the pool's copy does not count.
  await submitRanking(bob, 1, requestId, [[swapped[0], 1]]);
  const final = await waitForFinal(requestId);
  expect(final.status).toBe("completed");
  // The lead content without the consensus fields the result adds to it.
  const CONSENSUS_FIELDS = [
    "c_validator_hotkey",
    "consensus_score",
    "normalized_score",
    "num_validators",
    "rank",
  ];
  const returned = final.result.leads.map((l: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(l).filter(([k]) => !CONSENSUS_FIELDS.includes(k))),
  );
  // Byte for byte the copy Alice signed, at Alice's scores (Bob's vote was for other content).
  expect(returned).toEqual(honest);
  expect(final.result.leads.map((l: { num_validators: number }) => l.num_validators)).toEqual([
    1, 1,
  ]);
  expect(final.result.miners).toEqual([dave.address, ferdie.address].sort());
  // Finalisation records why Mallory's submission was left out (her signature was fine, so the
  // trigger had accepted it).
  expect(await submissionVerdict(requestId, mallory.address)).toMatchObject({
    status: "rejected",
    reason: "not_expected_miner",
  });
});

test("2. a lead scored before anyone submitted it cannot win, even once a miner submits it", async () => {
  const { alice, bob, ferdie, dave, requestId } = await setup();
  await submitLeads(ferdie, 10, requestId, [lead(1)]);
  // Alice scores lead 3, which no miner has submitted: nothing yet to bind her score to.
  await submitRanking(alice, 0, requestId, [
    [lead(3), 1],
    [lead(1), 0.4],
  ]);
  // Dave, colluding, submits it afterwards (before the deadline, so the rules admit it).
  await submitLeads(dave, 12, requestId, [lead(3)]);
  await submitRanking(bob, 1, requestId, [[lead(1), 0.5]]);
  const final = await waitForFinal(requestId);
  expect(final.result.leads.map((l: { email: string }) => l.email)).toEqual([lead(1).email]);
});

test("3. a uid other than the registry's is refused, for a ranking and for a submission", async () => {
  const { alice, bob, ferdie, dave, requestId } = await setup();
  // Alice is uid 0 and claims uid 1: her ranking's trigger refuses it.
  await submitRanking(alice, 1, requestId, [[lead(2), 1]]);
  const verdict = await waitFor(
    "Alice's ranking verdict",
    async () =>
      (
        await adminDb().collection(COLLECTIONS.rankings).doc(`${requestId}_${alice.address}`).get()
      ).data()?.verification,
  );
  expect(verdict).toMatchObject({ status: "rejected", reason: "uid_mismatch" });

  // Ferdie is uid 10 and claims uid 11: finalisation leaves his leads out and says why.
  const next = await createLeadRequest("c", { num_leads: 5, business_desc: "x" }, new Date(), cfg);
  await submitLeads(ferdie, 11, next.request_id, [lead(1)]);
  await submitLeads(dave, 12, next.request_id, [lead(2)]);
  for (const [pair, uid] of [
    [alice, 0],
    [bob, 1],
  ] as const) {
    await submitRanking(pair, uid, next.request_id, [
      [lead(1), 1],
      [lead(2), 0.5],
    ]);
  }
  const final = await waitForFinal(next.request_id);
  expect(final.result.leads.map((l: { email: string }) => l.email)).toEqual([lead(2).email]);
  expect(await submissionVerdict(next.request_id, ferdie.address)).toMatchObject({
    status: "rejected",
    reason: "uid_mismatch",
  });
});
