// Property-based tests (fast-check) of what the consensus modes guarantee, over generated requests:
//  - clipped mode: a coalition holding less than κ of the participating trust cannot lift any lead's
//    normalised score above the highest score an honest validator gave it;
//  - both modes: the result does not depend on the order the rankings (or their entries) arrive in;
//  - clipping only ever lowers a lead's score.
import fc from "fast-check";
import {
  calculateConsensusRanking,
  type ConsensusInput,
  type ConsensusRankingInput,
} from "../../src/consensus";
import type { ConsensusMode } from "../../src/clipping";
import { lead, pool } from "./helpers";

const RUNS = 10_000;
const EMAILS = Array.from({ length: 8 }, (_, i) => `lead${i}@acme.io`);
const ELIGIBLE = pool(...EMAILS.map((e) => lead(e)));

// Ties matter (thresholds, tie-break), so round scores are as likely as arbitrary ones.
const score = fc.oneof(
  fc.constantFrom(0, 0.25, 0.5, 0.75, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
// Case and spaces exercise lead identity; repeats exercise one-vote-per-lead.
const email = fc
  .tuple(fc.constantFrom(...EMAILS), fc.boolean())
  .map(([e, shout]) => (shout ? `  ${e.toUpperCase()} ` : e));
const entries = fc.array(fc.record({ lead: fc.record({ email }), score }), { maxLength: 10 });
const kappa = fc.oneof(fc.constantFrom(0.5, 1), fc.double({ min: 0.05, max: 1, noNaN: true }));
const mode = fc.constantFrom<ConsensusMode>("weighted", "clipped");

/** Hotkeys in a random interleaving, so honest and coalition members mix in the sort order. */
const NAMES = Array.from({ length: 12 }, (_, i) => `5Validator${String.fromCharCode(65 + i)}`);
const hotkeys = (n: number) => fc.shuffledSubarray(NAMES, { minLength: n, maxLength: n });

interface Scenario {
  kappa: number;
  honest: ConsensusRankingInput[];
  coalition: ConsensusRankingInput[];
}

/**
 * Honest validators with arbitrary scores plus a coalition with arbitrary scores whose trust is
 * below κ of the total: either real trust (scaled to a share below κ, with a 1e-9 margin far above
 * the consensus' 1e-12 tolerance) or all trust 0, where every validator weighs 1 and the coalition
 * is fewer than κ of the validators.
 */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    kappa,
    honestCount: fc.integer({ min: 1, max: 6 }),
    coalitionCount: fc.integer({ min: 0, max: 4 }),
    zeroTrust: fc.boolean(),
    shareOfKappa: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .chain(({ kappa, honestCount, coalitionCount, zeroTrust, shareOfKappa }) => {
    let c = coalitionCount;
    if (zeroTrust) while (c > 0 && c / (c + honestCount) >= kappa) c--;
    const n = honestCount + c;
    return fc.record({
      kappa: fc.constant(kappa),
      names: hotkeys(n),
      raw: fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
      votes: fc.array(entries, { minLength: n, maxLength: n }),
      honestCount: fc.constant(honestCount),
      zeroTrust: fc.constant(zeroTrust),
      share: fc.constant(shareOfKappa * kappa * (1 - 1e-9)),
    });
  })
  .map(({ kappa, names, raw, votes, honestCount, zeroTrust, share }) => {
    const honestRaw = raw.slice(0, honestCount).reduce((a, b) => a + b, 0);
    const coalitionRaw = raw.slice(honestCount).reduce((a, b) => a + b, 0);
    const trust = (i: number): number => {
      if (zeroTrust) return 0;
      return i < honestCount
        ? (raw[i] / honestRaw) * (coalitionRaw > 0 ? 1 - share : 1)
        : (raw[i] / coalitionRaw) * share;
    };
    const rankings = names.map((validator_hotkey, i) => ({
      validator_hotkey,
      trust: trust(i),
      ranked_leads: votes[i],
    }));
    return {
      kappa,
      honest: rankings.slice(0, honestCount),
      coalition: rankings.slice(honestCount),
    };
  });

const key = (e: string) => e.trim().toLowerCase();

function highestHonestScore(honest: readonly ConsensusRankingInput[], leadKey: string): number {
  let best = 0;
  for (const r of honest) {
    for (const entry of r.ranked_leads) {
      if (key(entry.lead.email) === leadKey) best = Math.max(best, entry.score);
    }
  }
  return best;
}

const inputOf = (
  rankings: ConsensusRankingInput[],
  m: ConsensusMode,
  k: number,
): ConsensusInput => ({
  numLeads: EMAILS.length,
  eligibleLeads: ELIGIBLE,
  rankings,
  mode: m,
  kappa: k,
});

describe("clipped mode: a coalition below κ cannot lift a lead above every honest score", () => {
  it(`holds for ${RUNS} generated requests`, () => {
    let coalitionPresent = 0;
    fc.assert(
      fc.property(scenario, ({ kappa: k, honest, coalition }) => {
        if (coalition.length > 0) coalitionPresent++;
        const result = calculateConsensusRanking(inputOf([...honest, ...coalition], "clipped", k));
        // normalized_score is rounded to 12 decimals. A boolean property: fast-check shrinks and
        // reports the smallest counterexample.
        return result.leads.every(
          (l) => l.normalized_score <= highestHonestScore(honest, key(l.email)) + 1e-11,
        );
      }),
      { numRuns: RUNS },
    );
    // The generator must actually exercise coalitions, not mostly honest-only requests.
    expect(coalitionPresent).toBeGreaterThan(RUNS / 2);
  });

  it("is not true of the weighted mode (so the property above tests something)", () => {
    // One counterexample is enough: the seed formula passes a 0.45 coalition's 1.0 straight through.
    const honest = [
      {
        validator_hotkey: "h1",
        trust: 0.55,
        ranked_leads: [{ lead: { email: EMAILS[0] }, score: 0 }],
      },
    ];
    const coalition = [
      {
        validator_hotkey: "c1",
        trust: 0.45,
        ranked_leads: [{ lead: { email: EMAILS[0] }, score: 1 }],
      },
    ];
    const weighted = calculateConsensusRanking(inputOf([...honest, ...coalition], "weighted", 0.5));
    const clipped = calculateConsensusRanking(inputOf([...honest, ...coalition], "clipped", 0.5));
    expect(weighted.leads[0].normalized_score).toBe(0.45);
    expect(clipped.leads[0].normalized_score).toBe(0);
  });
});

/** A seeded permutation of the rankings and of the entries inside each ranking. */
const arrival = fc
  .record({
    names: hotkeys(6),
    trusts: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: 6,
      maxLength: 6,
    }),
    votes: fc.array(entries, { minLength: 6, maxLength: 6 }),
    count: fc.integer({ min: 1, max: 6 }),
    mode,
    kappa,
    order: fc.array(fc.double({ noNaN: true }), { minLength: 6, maxLength: 6 }),
    entryOrder: fc.array(fc.array(fc.double({ noNaN: true }), { minLength: 10, maxLength: 10 }), {
      minLength: 6,
      maxLength: 6,
    }),
  })
  .map(({ names, trusts, votes, count, mode, kappa, order, entryOrder }) => {
    const rankings = names.slice(0, count).map((validator_hotkey, i) => ({
      validator_hotkey,
      trust: trusts[i],
      ranked_leads: votes[i],
    }));
    const permute = <T>(items: readonly T[], keys: readonly number[]) =>
      items
        .map((item, i) => ({ item, k: keys[i] }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.item);
    const shuffled = permute(rankings, order).map((r) => ({
      ...r,
      ranked_leads: permute(r.ranked_leads, entryOrder[rankings.indexOf(r)]),
    }));
    return { rankings, shuffled, mode, kappa };
  });

describe("both modes: the result does not depend on arrival order", () => {
  it(`holds for ${RUNS} generated requests`, () => {
    const modes = { weighted: 0, clipped: 0 };
    fc.assert(
      fc.property(arrival, ({ rankings, shuffled, mode: m, kappa: k }) => {
        modes[m]++;
        const inOrder = calculateConsensusRanking(inputOf(rankings, m, k));
        const reordered = calculateConsensusRanking(inputOf(shuffled, m, k));
        // Serialised comparison is exact (same keys, same numbers) and cheap; toEqual explains.
        if (JSON.stringify(reordered) !== JSON.stringify(inOrder)) {
          expect(reordered).toEqual(inOrder);
        }
      }),
      { numRuns: RUNS },
    );
    expect(modes.weighted).toBeGreaterThan(RUNS / 4);
    expect(modes.clipped).toBeGreaterThan(RUNS / 4);
  });
});

describe("clipping only lowers scores", () => {
  it("no lead scores more in clipped mode than in weighted mode", () => {
    fc.assert(
      fc.property(arrival, ({ rankings, kappa: k }) => {
        const weighted = calculateConsensusRanking(inputOf(rankings, "weighted", k));
        const clipped = calculateConsensusRanking(inputOf(rankings, "clipped", k));
        const weightedBy = new Map(weighted.leads.map((l) => [l.email, l.consensus_score]));
        for (const l of clipped.leads) {
          expect(l.consensus_score).toBeLessThanOrEqual(weightedBy.get(l.email)! + 1e-12);
        }
        for (const a of Object.values(clipped.agreement)) {
          if (a.clipped_share !== null) {
            expect(a.clipped_share).toBeGreaterThanOrEqual(0);
            expect(a.clipped_share).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
