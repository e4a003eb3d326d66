// The clipped (Yuma) mode end to end: requests created with CONSENSUS_MODE set (in this process;
// the mode is recorded on the request at creation), finalised by the ranking trigger in the
// Functions emulator. Trust 0.45 / 0.35 / 0.20; the 0.45 validator scores a junk lead 1.0 that the
// others score 0. The default mode lets it into the top 2; the clipped mode keeps it out.
import { COLLECTIONS, type ConsensusMode } from "consensus-core";
import { lifecycleConfig } from "../../../src/config";
import { finalizeRequest } from "../../../src/lifecycle/finalize";
import { agreementCol } from "../../../src/db";
import { AGREEMENT_LEDGER, ledgerRecord } from "../../../src/lifecycle/ledgers";
import { createLeadRequest } from "../../support/create-request";
import { verifyStoredRequest } from "../../../src/audit/verifyRequest";
import {
  adminDb,
  clearFirestore,
  lead,
  newApiKey,
  postLeads,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  waitForFinal,
} from "../../support/emulator";

const good = lead(1);
const fair = lead(2);
const junk = lead(3, { business: "Junk Ltd" });
const emails = (leads: { email: string }[]) => leads.map((l) => l.email);

beforeEach(clearFirestore);

async function nodes() {
  return seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.45 },
    { uri: "//Bob", uid: 1, trust: 0.35 },
    { uri: "//Charlie", uid: 2, trust: 0.2 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
}

/** One round; `mode` undefined leaves CONSENSUS_MODE unset, i.e. the default. */
async function round(mode: ConsensusMode | undefined) {
  const [alice, bob, charlie, miner] = await nodes();
  const saved = process.env.CONSENSUS_MODE;
  if (mode) process.env.CONSENSUS_MODE = mode;
  else delete process.env.CONSENSUS_MODE;
  let requestId: string;
  try {
    const req = await createLeadRequest(
      "test-client",
      { num_leads: 2, business_desc: "B2B SaaS companies selling to sales teams" },
      new Date(),
      lifecycleConfig(),
    );
    requestId = req.request_id;
  } finally {
    if (saved === undefined) delete process.env.CONSENSUS_MODE;
    else process.env.CONSENSUS_MODE = saved;
  }
  await submitLeads(miner, 10, requestId, [good, fair, junk]);
  await Promise.all([
    submitRanking(alice, 0, requestId, [
      [junk, 1.0],
      [good, 0.9],
      [fair, 0.3],
    ]),
    submitRanking(bob, 1, requestId, [
      [good, 0.8],
      [fair, 0.4],
      [junk, 0],
    ]),
    submitRanking(charlie, 2, requestId, [
      [good, 0.6],
      [fair, 0.5],
      [junk, 0],
    ]),
  ]);
  const final = await waitForFinal(requestId);
  expect(final.status).toBe("completed");
  expect(final.result.finalized_by).toBe("quorum");
  const metrics = (await adminDb().collection(COLLECTIONS.metrics).doc(requestId).get()).data()!;
  return { requestId, final, metrics, alice: alice.address, bob: bob.address };
}

test("default mode: the 0.45 validator's junk lead is in the result", async () => {
  const { final, metrics, alice } = await round(undefined);
  expect(final.consensus).toEqual({ mode: "weighted", kappa: 0.5 });
  expect(final.result).toMatchObject({ consensus_mode: "weighted", kappa: 0.5 });
  // good 0.45·0.9 + 0.35·0.8 + 0.2·0.6 = 0.805; junk 0.45; fair 0.375
  expect(emails(final.result.leads)).toEqual([good.email, junk.email]);
  expect(final.result.leads[1]).toMatchObject({ consensus_score: 0.45, normalized_score: 0.45 });
  expect(metrics).toMatchObject({ consensus_mode: "weighted", kappa: 0.5 });
  // Agreement is measured against the κ-consensus in both modes: Alice kept 1.1 of 2.2.
  expect(metrics.agreement[alice]).toEqual({
    clipped_share: 0.5,
    rank_correlation: 0.5,
    leads_scored: 3,
  });
});

test("clipped mode: the same round leaves the junk lead out", async () => {
  const { requestId, final, metrics, alice, bob } = await round("clipped");
  expect(final.consensus).toEqual({ mode: "clipped", kappa: 0.5 });
  expect(final.result).toMatchObject({ consensus_mode: "clipped", kappa: 0.5 });
  // C_good = 0.8 -> 0.76; C_fair = 0.4 -> 0.355; C_junk = 0 -> 0
  expect(emails(final.result.leads)).toEqual([good.email, fair.email]);
  expect(emails(final.result.leads)).not.toContain(junk.email);
  expect(final.result.leads[0]).toMatchObject({ consensus_score: 0.76, rank: 1 });
  expect(final.result.leads[1]).toMatchObject({ consensus_score: 0.355, rank: 2 });
  expect(metrics).toMatchObject({ consensus_mode: "clipped", kappa: 0.5 });
  expect(metrics.agreement[alice]).toEqual({
    clipped_share: 0.5,
    rank_correlation: -0.5,
    leads_scored: 3,
  });
  expect(metrics.agreement[bob]).toEqual({
    clipped_share: 1,
    rank_correlation: 1,
    leads_scored: 3,
  });
  expect(JSON.stringify(metrics.agreement)).not.toContain("@");
  expect((await verifyStoredRequest(requestId)).match).toBe(true);
});

test("the rolling agreement record counts each request exactly once", async () => {
  const first = await round(undefined);
  const second = await round("clipped");
  // A duplicate finalisation attempt (trigger retry, sweep) changes nothing.
  expect((await finalizeRequest(second.requestId, new Date(), "deadline")).kind).toBe(
    "already_final",
  );
  const record = await agreementRecordOf(first.alice);
  expect(record).toMatchObject({
    hotkey: first.alice,
    requests_expected: 2,
    requests_answered: 2,
    rolling_answered: 2,
    rolling_expected: 2,
    rolling_clipped_share: 0.5,
    rolling_rank_correlation: 0, // (0.5 + -0.5) / 2
    last_request_id: second.requestId,
  });
  expect(record.recent.map((e: { request_id: string; mode: string }) => e.mode)).toEqual([
    "weighted",
    "clipped",
  ]);
  const bob = await agreementRecordOf(first.bob);
  // Bob agrees fully with the clipped order (1) but not with the weighted one, where Alice's
  // junk lead places (0.5): (0.5 + 1) / 2.
  expect(bob).toMatchObject({ rolling_clipped_share: 1, rolling_rank_correlation: 0.75 });
});

/** A validator's stored ledger as the rolling record its readers see. */
async function agreementRecordOf(hotkey: string) {
  const snap = await agreementCol().doc(hotkey).get();
  return ledgerRecord(AGREEMENT_LEDGER, snap)!;
}

test("a request created through the API records the deployed params (default: weighted, 0.5)", async () => {
  await nodes();
  const key = await newApiKey();
  const res = await postLeads(key, { num_leads: 1, business_desc: "Fintech startups in London" });
  expect(res.status).toBe(202);
  expect((await requestDoc(res.body.request_id))!.consensus).toEqual({
    mode: "weighted",
    kappa: 0.5,
  });
});
