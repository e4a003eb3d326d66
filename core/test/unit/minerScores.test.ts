// The miner credit rule and the rolling record (core/src/minerScores.ts).
import fc from "fast-check";
import { leadKey } from "../../src/consensus";
import { timedLeadPool, type TimedSubmission } from "../../src/eligibility";
import {
  creditMiners,
  MinerScoreLedgerSchema,
  MinerScoreRecordSchema,
  minerScoreRecordFromLedger,
  nextMinerScoreRecord,
  type MinerScoreEntry,
} from "../../src/minerScores";
import { lead } from "./helpers";

const sub = (miner: string, at: number, ...emails: string[]): TimedSubmission => ({
  miner_hotkey: miner,
  submitted_at_ms: at,
  leads: emails.map((e) => lead(e)),
});
const returned = (email: string, normalized_score: number) => ({
  ...lead(email),
  normalized_score,
});

describe("creditMiners", () => {
  it("credits each returned lead to the miner who submitted it first, not by hotkey order", () => {
    // "zed" sorts after "amy" but submitted a@x.io first: the copy that counts is zed's.
    const pool = timedLeadPool([sub("amy", 2000, "a@x.io", "b@x.io"), sub("zed", 1000, "A@x.io")]);
    const credit = creditMiners([returned("a@x.io", 0.6), returned("b@x.io", 0.3)], pool, [
      "amy",
      "zed",
      "idle",
    ]);
    expect(Object.fromEntries(credit)).toEqual({
      amy: { credit: 0.3, leads_credited: 1 },
      idle: { credit: 0, leads_credited: 0 },
      zed: { credit: 0.6, leads_credited: 1 },
    });
  });

  const emails = Array.from({ length: 6 }, (_, i) => `l${i}@acme.io`);
  const miners = ["m1", "m2", "m3", "m4"];
  it("hands out exactly the returned leads' normalised scores, each to the earliest copy", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            miner: fc.constantFrom(...miners),
            at: fc.integer({ min: 0, max: 5 }),
            leads: fc.subarray(emails, { minLength: 1 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.tuple(fc.constantFrom(...emails), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 6,
        }),
        (subs, picks) => {
          const timed = subs.map((s) => sub(s.miner, s.at, ...s.leads));
          const pool = timedLeadPool(timed);
          // The consensus returns each pooled lead at most once.
          const seen = new Set<string>();
          const leads = picks
            .filter(([e]) => pool.has(e) && !seen.has(e) && seen.add(e))
            .map(([e, s]) => returned(e, s));
          const credit = creditMiners(leads, pool, miners);
          const total = [...credit.values()].reduce((a, c) => a + c.credit, 0);
          const expected = leads.reduce((a, l) => a + l.normalized_score, 0);
          expect(total).toBeCloseTo(expected, 9);
          expect([...credit.values()].reduce((a, c) => a + c.leads_credited, 0)).toBe(leads.length);
          for (const l of leads) {
            const earliest = Math.min(
              ...timed
                .filter((t) => t.leads.some((x) => leadKey(x) === leadKey(l)))
                .map((t) => t.submitted_at_ms),
            );
            const holder = pool.get(leadKey(l))!.miner_hotkey;
            expect(
              timed.some((t) => t.miner_hotkey === holder && t.submitted_at_ms === earliest),
            ).toBe(true);
            expect(credit.get(holder)!.leads_credited).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("nextMinerScoreRecord", () => {
  const entry = (i: number, credit: number): MinerScoreEntry => ({
    request_id: `r${i}`,
    finalized_at: new Date(1_700_000_000_000 + i).toISOString(),
    credit,
    leads_credited: credit > 0 ? 1 : 0,
  });

  it("keeps the last window and scores its mean credit", () => {
    let record: ReturnType<typeof nextMinerScoreRecord> | null = null;
    const credits = [0, 0.1, 0.2, 0.3, 0.4];
    credits.forEach((c, i) => (record = nextMinerScoreRecord("m", record, entry(i, c), 3)));
    expect(MinerScoreRecordSchema.parse(record)).toEqual({
      hotkey: "m",
      window_size: 3,
      recent: [entry(2, 0.2), entry(3, 0.3), entry(4, 0.4)],
      rolling_score: 0.3,
      requests: 5,
      leads_credited: 4,
      total_credit: 1,
      last_request_id: "r4",
    });
  });

  it("counts a request once even if applied twice", () => {
    const once = nextMinerScoreRecord("m", null, entry(1, 0.5));
    expect(nextMinerScoreRecord("m", once, entry(1, 0.5))).toBe(once);
  });

  it("reads a stored ledger as the record, with its lifetime figures", () => {
    const credits = [0, 0.1, 0.2, 0.3, 0.4];
    const ledger = {
      hotkey: "m",
      entries: Object.fromEntries(credits.map((c, i) => [`r${i}`, entry(i, c)]).reverse()),
      entry_count: 5,
      requests: 9,
      leads_credited: 7,
      total_credit: 2.5000000000001,
    };
    expect(MinerScoreLedgerSchema.safeParse(ledger).success).toBe(true);
    expect(minerScoreRecordFromLedger(ledger, 3)).toEqual({
      hotkey: "m",
      window_size: 3,
      recent: [entry(2, 0.2), entry(3, 0.3), entry(4, 0.4)],
      rolling_score: 0.3,
      requests: 9,
      leads_credited: 7,
      total_credit: 2.5,
      last_request_id: "r4",
    });
    expect(minerScoreRecordFromLedger({ ...ledger, entries: {} })).toBeNull();
  });
});
