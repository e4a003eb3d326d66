// The clipped (Yuma) mode with exact numbers: thresholds, ties at the median, all-zero trust, a
// single validator, a lead ranked by one validator only, and the agreement figures.
import { KAPPA_TOLERANCE, clipThreshold } from "../../src/clipping";
import { calculateConsensusRanking, type ConsensusInput } from "../../src/consensus";
import { emails, lead, pool, ranking, vote } from "./helpers";

const clipped = (input: Omit<ConsensusInput, "mode">, kappa?: number) =>
  calculateConsensusRanking({ ...input, mode: "clipped", ...(kappa ? { kappa } : {}) });
const scoreOf = (result: ReturnType<typeof calculateConsensusRanking>, email: string) =>
  result.leads.find((l) => l.email === email)?.consensus_score;

const J = lead("junk@spam.io");
const G = lead("good@acme.io");
const B = lead("fair@acme.io");

describe("clipThreshold", () => {
  it("is the largest score that validators holding κ of the weight reached", () => {
    // 0.9 is held by 0.45 < 0.5; 0.8 by 0.45 + 0.35 = 0.8 >= 0.5.
    const votes = [
      { score: 0.9, weight: 0.45 },
      { score: 0.8, weight: 0.35 },
      { score: 0.6, weight: 0.2 },
    ];
    expect(clipThreshold(votes, 1, 0.5)).toBe(0.8);
    expect(clipThreshold(votes, 1, 0.4)).toBe(0.9);
    expect(clipThreshold(votes, 1, 0.81)).toBe(0.6);
    // κ = 1: everyone must reach it, so it is the lowest score.
    expect(clipThreshold(votes, 1, 1)).toBe(0.6);
  });

  it("counts participants that did not rank the lead as 0", () => {
    // Voters hold 0.45 of a total of 1: the rest (0.55) scored it 0.
    expect(clipThreshold([{ score: 1, weight: 0.45 }], 1, 0.5)).toBe(0);
    expect(clipThreshold([], 1, 0.5)).toBe(0);
  });

  it("a share equal to κ on paper reaches κ despite float rounding", () => {
    // 0.7 + 0.1 = 0.7999999999999999 in floating point, κ·W = 0.5 · 1.6 = 0.8.
    expect(0.7 + 0.1).toBeLessThan(0.8);
    const votes = [
      { score: 1, weight: 0.7 },
      { score: 0.9, weight: 0.1 },
    ];
    expect(clipThreshold(votes, 1.6, 0.5)).toBe(0.9);
    expect(KAPPA_TOLERANCE).toBe(1e-12);
  });

  it("a zero-weight validator at the top cannot set the threshold", () => {
    const votes = [
      { score: 1, weight: 0 },
      { score: 0.3, weight: 1 },
    ];
    expect(clipThreshold(votes, 1, 0.001)).toBe(0.3);
  });
});

describe("calculateConsensusRanking in clipped mode", () => {
  // The scenario: trust 0.45 / 0.35 / 0.20; the 0.45 validator scores junk 1.0, the others 0.
  const scenario: Omit<ConsensusInput, "mode"> = {
    numLeads: 2,
    eligibleLeads: pool(J, G, B),
    rankings: [
      ranking("val-a", 0.45, vote(J.email, 1.0), vote(G.email, 0.9), vote(B.email, 0.3)),
      ranking("val-b", 0.35, vote(J.email, 0), vote(G.email, 0.8), vote(B.email, 0.4)),
      ranking("val-c", 0.2, vote(J.email, 0), vote(G.email, 0.6), vote(B.email, 0.5)),
    ],
  };

  it("the seed formula lets a 0.45 validator push a junk lead into the top 2", () => {
    const result = calculateConsensusRanking(scenario);
    expect(result.mode).toBe("weighted");
    expect(result.kappa).toBe(0.5);
    // good = 0.45·0.9 + 0.35·0.8 + 0.2·0.6 = 0.805, junk = 0.45, fair = 0.135 + 0.14 + 0.1 = 0.375
    expect(emails(result.leads)).toEqual([G.email, J.email]);
    expect(result.leads[0].consensus_score).toBe(0.805);
    expect(result.leads[1].consensus_score).toBe(0.45);
    expect(result.leads[1].normalized_score).toBe(0.45);
  });

  it("clipping at C_L removes it: junk 0, good clipped to 0.8, fair kept", () => {
    const result = clipped(scenario);
    expect(result.mode).toBe("clipped");
    expect(result.kappa).toBe(0.5);
    // C_good = 0.8 -> 0.45·0.8 + 0.35·0.8 + 0.2·0.6 = 0.76
    // C_fair = 0.4 (0.35 + 0.2 hold ≥ 0.4) -> 0.45·0.3 + 0.35·0.4 + 0.2·0.4 = 0.355
    // C_junk = 0 -> 0
    expect(emails(result.leads)).toEqual([G.email, B.email]);
    expect(result.leads[0]).toMatchObject({ consensus_score: 0.76, normalized_score: 0.76 });
    expect(result.leads[1]).toMatchObject({ consensus_score: 0.355, num_validators: 3, rank: 2 });
    const all = clipped({ ...scenario, numLeads: 10 });
    expect(scoreOf(all, J.email)).toBe(0);
    expect(all.leads[2]).toMatchObject({ email: J.email, num_validators: 3, rank: 3 });
  });

  it("records each validator's clipped share and rank correlation", () => {
    const { agreement } = clipped(scenario);
    // val-a: mass 1.0 + 0.9 + 0.3 = 2.2, kept 0 + 0.8 + 0.3 = 1.1 -> 0.5
    // val-b: mass 1.2, kept 0 + 0.8 + 0.4 = 1.2 -> 1
    // val-c: mass 1.1, kept 0 + 0.6 + 0.4 (its 0.5 for fair is above C_fair) = 1.0 -> 1/1.1
    expect(agreement["val-a"].clipped_share).toBe(0.5);
    expect(agreement["val-b"].clipped_share).toBe(1);
    expect(agreement["val-c"].clipped_share).toBe(0.909090909091);
    // Consensus order good > fair > junk. val-a ranks junk > good > fair: ranks (3,2,1) vs (1,3,2)
    // over [good, fair, junk] -> Spearman = 1 - 6·(1+4+1)/(3·8) = -0.5. val-b, val-c agree fully.
    expect(agreement["val-a"].rank_correlation).toBe(-0.5);
    expect(agreement["val-b"].rank_correlation).toBe(1);
    expect(agreement["val-c"].rank_correlation).toBe(1);
    expect(agreement["val-a"].leads_scored).toBe(3);
  });

  it("ties at the median: equal scores straddling κ set the threshold together", () => {
    // Trust 0.4 / 0.3 / 0.3, scores 0.8 / 0.5 / 0.5: 0.8 is held by 0.4 < 0.5, 0.5 by 1.0.
    const result = clipped({
      numLeads: 1,
      eligibleLeads: pool(G),
      rankings: [
        ranking("val-a", 0.4, vote(G.email, 0.8)),
        ranking("val-b", 0.3, vote(G.email, 0.5)),
        ranking("val-c", 0.3, vote(G.email, 0.5)),
      ],
    });
    expect(result.leads[0].consensus_score).toBe(0.5);
    // val-a kept 0.5 of 0.8.
    expect(result.agreement["val-a"].clipped_share).toBe(0.625);
  });

  it("ties at the median: validators holding exactly κ set the threshold", () => {
    // Trust 0.5 / 0.3 / 0.2: the 0.5 validator alone holds κ, so C = its 0.9, nothing is clipped.
    const input = {
      numLeads: 1,
      eligibleLeads: pool(G),
      rankings: [
        ranking("val-a", 0.5, vote(G.email, 0.9)),
        ranking("val-b", 0.3, vote(G.email, 0.6)),
        ranking("val-c", 0.2, vote(G.email, 0.2)),
      ],
    };
    // 0.45 + 0.18 + 0.04
    expect(clipped(input).leads[0].consensus_score).toBe(0.67);
    expect(calculateConsensusRanking(input).leads[0].consensus_score).toBe(0.67);
  });

  it("all-zero trust: every participant weighs 1", () => {
    // 3 validators, κ·3 = 1.5: 1.0 is held by 1, 0.2 by 2 -> C = 0.2.
    const result = clipped({
      numLeads: 2,
      eligibleLeads: pool(G, J),
      rankings: [
        ranking("val-a", 0, vote(J.email, 1.0), vote(G.email, 0.6)),
        ranking("val-b", 0, vote(J.email, 0.2), vote(G.email, 0.7)),
        ranking("val-c", 0, vote(G.email, 0.9)),
      ],
    });
    expect(result.equalWeights).toBe(true);
    expect(result.totalWeight).toBe(3);
    // C_good = 0.7 -> 0.6 + 0.7 + 0.7 = 2.0; C_junk = 0.2 -> 0.2 + 0.2 = 0.4
    expect(emails(result.leads)).toEqual([G.email, J.email]);
    expect(result.leads[0]).toMatchObject({ consensus_score: 2, normalized_score: 0.666666666667 });
    expect(result.leads[1]).toMatchObject({
      consensus_score: 0.4,
      normalized_score: 0.133333333333,
    });
    expect(result.weights).toEqual({ "val-a": 1, "val-b": 1, "val-c": 1 });
  });

  it("all-zero trust with an even split: half of the validators hold exactly κ", () => {
    const result = clipped({
      numLeads: 1,
      eligibleLeads: pool(J),
      rankings: [
        ranking("val-a", 0, vote(J.email, 1.0)),
        ranking("val-b", 0, vote(J.email, 1.0)),
        ranking("val-c", 0),
        ranking("val-d", 0),
      ],
    });
    expect(result.leads[0]).toMatchObject({ consensus_score: 2, normalized_score: 0.5 });
  });

  it("a single validator: its own scores are the threshold, nothing is clipped", () => {
    const input = {
      numLeads: 3,
      eligibleLeads: pool(G, B, J),
      rankings: [ranking("val-a", 0.3, vote(G.email, 0.9), vote(B.email, 0.4), vote(J.email, 0.1))],
    };
    const result = clipped(input);
    expect(emails(result.leads)).toEqual([G.email, B.email, J.email]);
    expect(result.leads.map((l) => l.consensus_score)).toEqual([0.27, 0.12, 0.03]);
    expect(result.leads.map((l) => l.normalized_score)).toEqual([0.9, 0.4, 0.1]);
    expect(result.leads).toEqual(calculateConsensusRanking(input).leads);
    expect(result.agreement["val-a"]).toEqual({
      clipped_share: 1,
      rank_correlation: 1,
      leads_scored: 3,
    });
  });

  it("a lead ranked by one validator only: kept when it holds κ, zero when it does not", () => {
    const input = (scorer: string) => ({
      numLeads: 2,
      eligibleLeads: pool(G, J),
      rankings: [
        ranking(
          "val-a",
          0.6,
          vote(G.email, 0.5),
          ...(scorer === "val-a" ? [vote(J.email, 0.7)] : []),
        ),
        ranking(
          "val-b",
          0.4,
          vote(G.email, 0.5),
          ...(scorer === "val-b" ? [vote(J.email, 0.7)] : []),
        ),
      ],
    });
    // val-a holds 0.6 >= 0.5: C = 0.7, score 0.42 (as in the weighted sum).
    const byMajority = clipped(input("val-a"));
    expect(scoreOf(byMajority, J.email)).toBe(0.42);
    expect(byMajority.leads[0].email).toBe(G.email);
    // val-b holds 0.4 < 0.5: the other 0.6 count as 0, C = 0.
    const byMinority = clipped(input("val-b"));
    expect(scoreOf(byMinority, J.email)).toBe(0);
    expect(byMinority.leads.find((l) => l.email === J.email)?.num_validators).toBe(1);
    expect(byMinority.agreement["val-b"].clipped_share).toBe(0.416666666667); // 0.5 / 1.2
    expect(scoreOf(calculateConsensusRanking(input("val-b")), J.email)).toBe(0.28);
  });

  it("κ is a parameter: a lower κ lets a smaller group set the threshold", () => {
    // The junk vote holds 0.45: κ 0.4 lets it through unclipped (0.45), κ 0.5 does not.
    expect(scoreOf(clipped({ ...scenario, numLeads: 3 }, 0.4), J.email)).toBe(0.45);
    expect(scoreOf(clipped({ ...scenario, numLeads: 3 }, 0.5), J.email)).toBe(0);
    expect(clipped(scenario, 0.4).kappa).toBe(0.4);
  });

  it("keeps the documented tie-break: score, then validators, then email", () => {
    // Both leads end at 0.2 after clipping; b has two voters, a and c one each.
    const result = clipped({
      numLeads: 3,
      eligibleLeads: pool(lead("a@x.io"), lead("b@x.io"), lead("c@x.io")),
      rankings: [
        ranking("val-a", 0.5, vote("a@x.io", 0.4), vote("c@x.io", 0.4), vote("b@x.io", 0.2)),
        ranking("val-b", 0.5, vote("b@x.io", 0.2)),
      ],
    });
    expect(emails(result.leads)).toEqual(["b@x.io", "a@x.io", "c@x.io"]);
    expect(result.leads.map((l) => l.consensus_score)).toEqual([0.2, 0.2, 0.2]);
  });

  it("rejects κ outside (0, 1]", () => {
    for (const kappa of [0, -0.1, 1.01, Number.NaN]) {
      expect(() => calculateConsensusRanking({ ...scenario, mode: "clipped", kappa })).toThrow(
        /kappa/,
      );
    }
  });
});
