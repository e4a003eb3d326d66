// Property-based tests of trigger verification (the backend side of the submission and ranking
// boundaries): a signed, well-formed document from the expected hotkey is accepted; changing any
// signed field after signing, or any schema violation, is rejected; arbitrary data never throws.
import fc from "fast-check";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import {
  cryptoReady,
  leadHash,
  rankingDocId,
  rankingPayload,
  submissionDocId,
  submissionPayload,
  type RankingContent,
  type SubmissionContent,
} from "consensus-core";
import { verifyRanking, verifySubmission, type RequestState } from "consensus-core";
import { leadArb, wrongType } from "./arbitraries";

const REQUEST_ID = "2f1c7a4e-6a0b-4c1e-9d3f-0b8e5a7c9d11";
let validator: KeyringPair;
let miner: KeyringPair;
let open: RequestState;

beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  validator = keyring.addFromUri("//Alice");
  miner = keyring.addFromUri("//Ferdie");
  open = { status: "pending", expected_validators: [validator.address], timeoutMs: 2_000 };
});

const hex = (u8: Uint8Array) => "0x" + Buffer.from(u8).toString("hex");

const rankingArb = fc
  .array(fc.record({ lead: leadArb, score: fc.double({ min: 0, max: 1, noNaN: true }) }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((xs): RankingContent => ({
    request_id: REQUEST_ID,
    validator_hotkey: "",
    validator_uid: 0,
    ranked_leads: xs.map((x, i) => ({ lead_hash: leadHash(x.lead), score: x.score, rank: i + 1 })),
    num_leads_ranked: xs.length,
  }));

/** A change to one signed field that keeps the document well-formed (so only the signature fails). */
const rankingTamper = fc.oneof(
  fc.constant((c: RankingContent) => ({ ...c, validator_uid: c.validator_uid + 1 })),
  fc.constant((c: RankingContent) => ({
    ...c,
    ranked_leads: c.ranked_leads.map((r, i) =>
      i === 0 ? { ...r, score: r.score > 0.5 ? r.score - 0.25 : r.score + 0.25 } : r,
    ),
  })),
  fc.constant((c: RankingContent) => ({
    ...c,
    ranked_leads: c.ranked_leads.map((r, i) =>
      i === 0 ? { ...r, lead_hash: leadHash({ business: "X", email: "injected@attacker.io" }) } : r,
    ),
  })),
);

/** A schema violation in one field, whatever the signature. */
const rankingBreak = fc.oneof(
  wrongType
    .filter((v) => typeof v !== "number")
    .map((v) => (c: RankingContent) => ({ ...c, validator_uid: v })),
  fc.constant((c: RankingContent) => ({ ...c, num_leads_ranked: c.num_leads_ranked + 1 })),
  fc.constant((c: RankingContent) => ({ ...c, ranked_leads: [] })),
  fc.constant((c: RankingContent) => ({ ...c, request_id: "not-a-uuid" })),
  fc.double({ min: 1.0001, max: 10, noNaN: true }).map((s) => (c: RankingContent) => ({
    ...c,
    ranked_leads: c.ranked_leads.map((r, i) => (i === 0 ? { ...r, score: s } : r)),
  })),
);

describe("ranking verification", () => {
  it("accepts a signed, well-formed ranking from an expected validator", () => {
    fc.assert(
      fc.property(rankingArb, (raw) => {
        const c = { ...raw, validator_hotkey: validator.address };
        const doc = { ...c, signature: hex(validator.sign(rankingPayload(c))) };
        const v = verifyRanking(
          rankingDocId(REQUEST_ID, validator.address),
          doc,
          open,
          { role: "validator", uid: c.validator_uid },
          1_000,
        );
        expect(v).toMatchObject({ ok: true });
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a correctly signed ranking whose validator_uid is not the registry's", () => {
    fc.assert(
      fc.property(rankingArb, fc.integer({ min: 1, max: 255 }), (raw, other) => {
        const c = { ...raw, validator_hotkey: validator.address };
        const doc = { ...c, signature: hex(validator.sign(rankingPayload(c))) };
        const registry = { role: "validator" as const, uid: c.validator_uid + other };
        const id = rankingDocId(REQUEST_ID, validator.address);
        expect(verifyRanking(id, doc, open, registry, 1_000)).toEqual({
          ok: false,
          reason: "uid_mismatch",
        });
      }),
      { numRuns: 30 },
    );
  });

  it("rejects any signed field changed after signing (bad_signature)", () => {
    fc.assert(
      fc.property(rankingArb, rankingTamper, (raw, tamper) => {
        const c = { ...raw, validator_hotkey: validator.address };
        const signature = hex(validator.sign(rankingPayload(c)));
        const doc = { ...tamper(c), signature };
        const v = verifyRanking(
          rankingDocId(REQUEST_ID, validator.address),
          doc,
          open,
          { role: "validator", uid: c.validator_uid },
          1_000,
        );
        expect(v).toEqual({ ok: false, reason: "bad_signature" });
      }),
      { numRuns: 60 },
    );
  });

  it("rejects a schema violation, naming it as invalid_schema", () => {
    fc.assert(
      fc.property(rankingArb, rankingBreak, (raw, breakIt) => {
        const c = { ...raw, validator_hotkey: validator.address };
        const doc = { ...breakIt(c), signature: hex(validator.sign(rankingPayload(c))) };
        const v = verifyRanking(
          rankingDocId(REQUEST_ID, validator.address),
          doc,
          open,
          { role: "validator", uid: c.validator_uid },
          1_000,
        );
        expect(v.ok).toBe(false);
        if (!v.ok) expect(v.reason).toMatch(/^invalid_schema: /);
      }),
      { numRuns: 100 },
    );
  });

  it("never throws on arbitrary stored data", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.object(), (docId, data) => {
        expect(verifyRanking(docId, data, open, { role: "validator", uid: 0 }, 1_000).ok).toBe(
          false,
        );
      }),
      { numRuns: 300 },
    );
  });
});

const submissionArb = fc
  .uniqueArray(leadArb, { minLength: 1, maxLength: 8, selector: (l) => l.email })
  .map((leads): SubmissionContent => ({
    request_id: REQUEST_ID,
    miner_hotkey: "",
    miner_uid: 10,
    leads,
    num_leads: leads.length,
  }));

const asMiner = { role: "miner", uid: 10 } as const;

describe("submission verification", () => {
  it("accepts a signed submission and rejects it once any lead is altered", () => {
    fc.assert(
      fc.property(submissionArb, fc.nat(), (raw, pick) => {
        const c = { ...raw, miner_hotkey: miner.address };
        const signature = hex(miner.sign(submissionPayload(c)));
        const id = submissionDocId(REQUEST_ID, miner.address);
        expect(verifySubmission(id, { ...c, signature }, asMiner)).toMatchObject({ ok: true });
        const i = pick % c.leads.length;
        const altered = {
          ...c,
          leads: c.leads.map((l, j) => (j === i ? { ...l, business: l.business + "!" } : l)),
        };
        expect(verifySubmission(id, { ...altered, signature }, asMiner)).toEqual({
          ok: false,
          reason: "bad_signature",
        });
        // The right signature under another miner's document id or role is still refused.
        expect(verifySubmission(id, { ...c, signature }, { role: "validator", uid: 10 }).ok).toBe(
          false,
        );
        // The registry's uid, not the one the miner wrote: a uid of another neuron is refused.
        expect(verifySubmission(id, { ...c, signature }, { role: "miner", uid: 11 })).toEqual({
          ok: false,
          reason: "uid_mismatch",
        });
        expect(
          verifySubmission(`${REQUEST_ID}_${"5" + "x".repeat(47)}`, { ...c, signature }, asMiner)
            .ok,
        ).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on arbitrary stored data", () => {
    fc.assert(
      fc.property(fc.object(), (data) => {
        expect(verifySubmission(submissionDocId(REQUEST_ID, miner.address), data, asMiner).ok).toBe(
          false,
        );
      }),
      { numRuns: 300 },
    );
  });
});
