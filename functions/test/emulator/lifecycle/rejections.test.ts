// Rankings that must never count are recorded as rejected, with the reason, by the trigger.
import { FieldValue } from "firebase-admin/firestore";
import { COLLECTIONS, LIMITS, leadHash } from "consensus-core";
import { leadOfBytes } from "../../../../core/test/unit/helpers";
import { createLeadRequest } from "../../support/create-request";
import { runSweep } from "../../../src/lifecycle/sweep";
import {
  adminDb,
  clearFirestore,
  keypair,
  lead,
  rankingContent,
  requestDoc,
  seedRegistry,
  signRanking,
  submitLeads,
  submitRanking,
  waitFor,
  waitForFinal,
  testLifecycle,
} from "../../support/emulator";

const cfg = testLifecycle();

beforeEach(() => clearFirestore());

async function verdictOf(docId: string) {
  return waitFor(`verdict on ${docId}`, async () => {
    const d = (await adminDb().collection(COLLECTIONS.rankings).doc(docId).get()).data();
    return d?.verification;
  });
}

test("a ranking with a forged signature, from a stranger, or for an unknown request is rejected", async () => {
  const [alice, bob] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
  ]);
  const req = await createLeadRequest("c", { num_leads: 1, business_desc: "x" }, new Date(), cfg);
  // Charlie registers after the request was created: not an expected validator.
  const [charlie] = await seedRegistry([{ uri: "//Charlie", uid: 2, trust: 1 }]);
  const db = adminDb();

  // Bob signs a ranking that claims to be Alice's.
  const forged = rankingContent(alice, 0, req.request_id, [[lead(1), 0.9]]);
  await db
    .collection(COLLECTIONS.rankings)
    .doc(`${req.request_id}_${alice.address}`)
    .create({
      ...forged,
      signature: signRanking(bob, forged),
      submitted_at: FieldValue.serverTimestamp(),
    });
  expect(await verdictOf(`${req.request_id}_${alice.address}`)).toMatchObject({
    status: "rejected",
    reason: "bad_signature",
  });

  await submitRanking(charlie, 2, req.request_id, [[lead(1), 0.9]]);
  expect(await verdictOf(`${req.request_id}_${charlie.address}`)).toMatchObject({
    status: "rejected",
    reason: "not_expected_validator",
  });

  const unknownId = "00000000-0000-4000-8000-000000000000";
  await submitRanking(bob, 1, unknownId, [[lead(1), 0.9]]);
  expect(await verdictOf(`${unknownId}_${bob.address}`)).toMatchObject({
    status: "rejected",
    reason: "unknown_request",
  });

  // A ranking whose document id does not match its content.
  const content = rankingContent(bob, 1, req.request_id, [[lead(1), 0.9]]);
  await db
    .collection(COLLECTIONS.rankings)
    .doc(`${req.request_id}_somebody`)
    .create({
      ...content,
      signature: signRanking(bob, content),
      submitted_at: FieldValue.serverTimestamp(),
    });
  expect(await verdictOf(`${req.request_id}_somebody`)).toMatchObject({
    status: "rejected",
    reason: "doc_id_mismatch",
  });

  // A malformed ranking names the bad field.
  const dave = await keypair("//Dave");
  await db
    .collection(COLLECTIONS.rankings)
    .doc(`${req.request_id}_${dave.address}`)
    .create({
      request_id: req.request_id,
      validator_hotkey: dave.address,
      validator_uid: 3,
      ranked_leads: [{ lead_hash: leadHash(lead(1)), score: 7, rank: 1 }],
      num_leads_ranked: 1,
      signature: "0x" + "ab".repeat(64),
      submitted_at: FieldValue.serverTimestamp(),
    });
  const malformed = await verdictOf(`${req.request_id}_${dave.address}`);
  expect(malformed.status).toBe("rejected");
  expect(malformed.reason).toContain("ranked_leads.0.score");

  // None of these counted.
  expect((await requestDoc(req.request_id))!.status).toBe("pending");
});

test("a ranking for a closed request is rejected and changes nothing", async () => {
  const [alice, bob, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  // Both expected; a sweep past the deadline (an injected clock) finalises on Alice's ranking
  // alone. The deadline leaves room for the miner, which must submit before it.
  const quick = { ...cfg, validatorDeadlineMs: 5_000 };
  const req = await createLeadRequest("c", { num_leads: 1, business_desc: "x" }, new Date(), quick);
  await submitLeads(miner, 10, req.request_id, [lead(1)]);
  await submitRanking(alice, 0, req.request_id, [[lead(1), 0.9]]);
  await waitFor(
    "ranking accepted",
    async () => (await requestDoc(req.request_id))?.status === "processing",
  );
  await runSweep(new Date(Date.now() + 10_000));
  const final = (await requestDoc(req.request_id))!;
  expect(final.status).toBe("completed");

  // Bob, an expected validator with a well-formed, signed ranking, is too late: recorded as late,
  // never counted.
  await submitRanking(bob, 1, req.request_id, [[lead(1), 0.1]]);
  expect(await verdictOf(`${req.request_id}_${bob.address}`)).toMatchObject({
    status: "late",
    reason: "after_result",
  });
  expect((await requestDoc(req.request_id))!.result).toEqual(final.result);
});

test("leads a validator injects (not submitted by a registered miner) cannot win", async () => {
  const [alice, miner, eve] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
    { uri: "//Eve", uid: 11, role: null },
  ]);
  const req = await createLeadRequest("c", { num_leads: 3, business_desc: "x" }, new Date(), cfg);
  await submitLeads(miner, 10, req.request_id, [lead(1)]);
  // Eve is not a registered miner: her submission does not make her leads eligible.
  await submitLeads(eve, 11, req.request_id, [lead(2)]);
  await submitRanking(alice, 0, req.request_id, [
    [lead(3), 1.0],
    [lead(2), 0.95],
    [lead(1), 0.2],
  ]);
  const final = await waitForFinal(req.request_id);
  expect(final.result.leads.map((l: { email: string }) => l.email)).toEqual([lead(1).email]);
  expect(final.result.miners).toEqual([miner.address]);
  const eveSub = await waitFor(
    "Eve's submission verdict",
    async () =>
      (
        await adminDb()
          .collection(COLLECTIONS.submissions)
          .doc(`${req.request_id}_${eve.address}`)
          .get()
      ).data()?.verification,
  );
  // Eve was not an active miner when the request was created, so it never expected her.
  expect(eveSub).toMatchObject({ status: "rejected", reason: "not_expected_miner" });
});

test("a submission over the byte limit is rejected as content_too_large, naming its size", async () => {
  const [, ferdie] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 1 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await createLeadRequest("c", { num_leads: 1, business_desc: "x" }, new Date(), cfg);
  // 70 leads of 4,000 bytes of mostly three-byte text: well within every count and field limit,
  // about 280 KB of canonical JSON, over the 256 KiB a submission may hold.
  const big = Array.from({ length: 70 }, (_, i) => leadOfBytes(`big${i}@acme.io`, 4_000));
  const ref = await submitLeads(ferdie, 10, req.request_id, big);
  const verdict = await waitFor(
    "the submission's verdict",
    async () => (await ref.get()).data()?.verification,
  );
  expect(verdict.status).toBe("rejected");
  expect(verdict.reason).toMatch(
    new RegExp(
      `^content_too_large: the signed submission is \\d+ bytes of canonical JSON \\(UTF-8\\), over the limit of ${LIMITS.submissionBytesMax}$`,
    ),
  );
});
