import {
  CONSENSUS_HOTKEY,
  calculateConsensusRanking,
  eligibleLeadPool,
  leadKey,
  type ConsensusInput,
  type ConsensusRankingInput,
} from "../../src/consensus";
import type { Lead } from "../../src/schemas";
import { emails, lead, pool, ranking, rng, shuffle, vote, type Entry } from "./helpers";

const byEmail = <T extends { email: string }>(leads: readonly T[], email: string): T => {
  const found = leads.find((l) => l.email === email);
  if (!found) throw new Error(`lead ${email} not in result`);
  return found;
};

const X = lead("x@acme.io");
const Y = lead("y@acme.io");
const Z = lead("z@acme.io");

describe("calculateConsensusRanking: the weighted formula", () => {
  // Trusts 0.8 / 0.2. Unweighted sums would put y first (x 1.0, y 1.3); weighted puts x first:
  //   x = 0.9*0.8 + 0.1*0.2 = 0.74     y = 0.3*0.8 + 1.0*0.2 = 0.44
  const flipping = (trustA: number, trustB: number): ConsensusInput => ({
    numLeads: 10,
    eligibleLeads: pool(X, Y),
    rankings: [
      ranking("val-a", trustA, vote("x@acme.io", 0.9), vote("y@acme.io", 0.3)),
      ranking("val-b", trustB, vote("x@acme.io", 0.1), vote("y@acme.io", 1.0)),
    ],
  });

  it("computes S_L = sum of S_v,L * V_v and orders by it", () => {
    const result = calculateConsensusRanking(flipping(0.8, 0.2));

    expect(emails(result.leads)).toEqual(["x@acme.io", "y@acme.io"]);
    expect(result.leads[0].consensus_score).toBeCloseTo(0.74, 12);
    expect(result.leads[1].consensus_score).toBeCloseTo(0.44, 12);
    // Trust sums to 1, so the normalised score equals the weighted sum.
    expect(result.leads[0].normalized_score).toBeCloseTo(0.74, 12);
    expect(result.leads[1].normalized_score).toBeCloseTo(0.44, 12);
    expect(result.weights).toEqual({ "val-a": 0.8, "val-b": 0.2 });
    expect(result.totalWeight).toBeCloseTo(1, 12);
    expect(result.equalWeights).toBe(false);
    expect(result.leads.map((l) => l.num_validators)).toEqual([2, 2]);
  });

  it("the same scores unweighted give the opposite order (weighting is what decides)", () => {
    // Both trusts 0 -> equal weights of 1: x = 1.0, y = 1.3.
    const result = calculateConsensusRanking(flipping(0, 0));

    expect(emails(result.leads)).toEqual(["y@acme.io", "x@acme.io"]);
    expect(result.leads[0].consensus_score).toBeCloseTo(1.3, 12);
    expect(result.leads[1].consensus_score).toBeCloseTo(1.0, 12);
  });

  it("normalized_score divides by the sum of all participating validators' trust", () => {
    // Trusts 0.6 + 0.3 + 0.5 = 1.4.
    //   x = 0.5*0.6 + 1.0*0.3         = 0.6  -> 0.6 / 1.4
    //   y = 1.0*0.6 +          0.2*0.5 = 0.7  -> 0.5
    //   z =                    0.8*0.5 = 0.4  -> 0.4 / 1.4
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(X, Y, Z),
      rankings: [
        ranking("val-a", 0.6, vote("x@acme.io", 0.5), vote("y@acme.io", 1.0)),
        ranking("val-b", 0.3, vote("x@acme.io", 1.0)),
        ranking("val-c", 0.5, vote("y@acme.io", 0.2), vote("z@acme.io", 0.8)),
      ],
    });

    expect(result.totalWeight).toBeCloseTo(1.4, 12);
    expect(emails(result.leads)).toEqual(["y@acme.io", "x@acme.io", "z@acme.io"]);
    const [y, x, z] = result.leads;
    expect(y.consensus_score).toBeCloseTo(0.7, 12);
    expect(x.consensus_score).toBeCloseTo(0.6, 12);
    expect(z.consensus_score).toBeCloseTo(0.4, 12);
    expect(y.normalized_score).toBeCloseTo(0.5, 12);
    expect(x.normalized_score).toBeCloseTo(0.6 / 1.4, 12);
    expect(z.normalized_score).toBeCloseTo(0.4 / 1.4, 12);
    expect([y.num_validators, x.num_validators, z.num_validators]).toEqual([2, 2, 1]);
    expect(result.candidates).toBe(3);
  });

  it("a lead ranked by only one validator gets just that validator's weighted score", () => {
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(X),
      rankings: [ranking("val-a", 0.25, vote("x@acme.io", 0.6)), ranking("val-b", 0.75)],
    });

    expect(result.leads).toHaveLength(1);
    expect(result.leads[0].consensus_score).toBeCloseTo(0.15, 12);
    expect(result.leads[0].normalized_score).toBeCloseTo(0.15, 12);
    expect(result.leads[0].num_validators).toBe(1);
  });
});

describe("calculateConsensusRanking: trust decides influence", () => {
  // H (high trust) prefers p, L (low trust) prefers q by the same margin.
  const contested = (trustH: number, trustL: number): ConsensusInput => ({
    numLeads: 2,
    eligibleLeads: pool(lead("p@acme.io"), lead("q@acme.io")),
    rankings: [
      ranking("val-h", trustH, vote("p@acme.io", 0.6), vote("q@acme.io", 0.4)),
      ranking("val-l", trustL, vote("p@acme.io", 0.4), vote("q@acme.io", 0.6)),
    ],
  });

  it("the high-trust validator's preference wins", () => {
    // p = 0.6*0.9 + 0.4*0.1 = 0.58, q = 0.4*0.9 + 0.6*0.1 = 0.42
    const result = calculateConsensusRanking(contested(0.9, 0.1));
    expect(emails(result.leads)).toEqual(["p@acme.io", "q@acme.io"]);
    expect(result.leads[0].consensus_score).toBeCloseTo(0.58, 12);
    expect(result.leads[1].consensus_score).toBeCloseTo(0.42, 12);
  });

  it("swapping the trusts swaps the outcome", () => {
    const result = calculateConsensusRanking(contested(0.1, 0.9));
    expect(emails(result.leads)).toEqual(["q@acme.io", "p@acme.io"]);
  });

  it("the same score change moves a lead 9x more from a 0.9-trust validator than a 0.1 one", () => {
    const q0 = byEmail(calculateConsensusRanking(contested(0.9, 0.1)).leads, "q@acme.io");

    // Each validator raises its score for q by 0.3.
    const bumpH = contested(0.9, 0.1);
    (bumpH.rankings[0].ranked_leads as Entry[])[1] = vote("q@acme.io", 0.7);
    const bumpL = contested(0.9, 0.1);
    (bumpL.rankings[1].ranked_leads as Entry[])[1] = vote("q@acme.io", 0.9);
    const viaH = calculateConsensusRanking(bumpH);
    const viaL = calculateConsensusRanking(bumpL);

    expect(byEmail(viaH.leads, "q@acme.io").consensus_score - q0.consensus_score).toBeCloseTo(
      0.27,
      12,
    );
    expect(byEmail(viaL.leads, "q@acme.io").consensus_score - q0.consensus_score).toBeCloseTo(
      0.03,
      12,
    );
    // q: 0.42 -> 0.69 overtakes p (0.58) via H; 0.42 -> 0.45 does not via L.
    expect(emails(viaH.leads)[0]).toBe("q@acme.io");
    expect(emails(viaL.leads)[0]).toBe("p@acme.io");
  });

  it("a zero-trust validator contributes nothing while others have trust", () => {
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(X, Y),
      rankings: [
        ranking("val-a", 0.5, vote("x@acme.io", 0.2)),
        ranking("val-zero", 0, vote("y@acme.io", 1.0), vote("x@acme.io", 1.0)),
      ],
    });

    expect(result.equalWeights).toBe(false);
    expect(result.weights).toEqual({ "val-a": 0.5, "val-zero": 0 });
    expect(result.totalWeight).toBeCloseTo(0.5, 12);
    expect(emails(result.leads)).toEqual(["x@acme.io", "y@acme.io"]);
    expect(byEmail(result.leads, "x@acme.io").consensus_score).toBeCloseTo(0.1, 12);
    expect(byEmail(result.leads, "y@acme.io").consensus_score).toBe(0);
  });
});

describe("calculateConsensusRanking: one vote per validator per lead", () => {
  it("the same lead twice in one ranking counts once, with the higher score", () => {
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(lead("ana@acme.io")),
      rankings: [
        ranking("val-a", 0.5, vote("ana@acme.io", 0.3), vote("ana@acme.io", 0.7)),
        ranking("val-b", 0.5, vote("ana@acme.io", 0.4)),
      ],
    });

    expect(result.leads).toHaveLength(1);
    // 0.7*0.5 + 0.4*0.5; summing both of val-a's entries would give 0.7.
    expect(result.leads[0].consensus_score).toBeCloseTo(0.55, 12);
    expect(result.leads[0].num_validators).toBe(2);
    expect(result.candidates).toBe(1);
  });

  it("dedupes across email case and surrounding whitespace, keeping the higher score either way", () => {
    for (const entries of [
      [vote("ana@acme.io", 0.3), vote("  ANA@Acme.IO ", 0.9)],
      [vote("  ANA@Acme.IO ", 0.9), vote("ana@acme.io", 0.3)],
      [vote("Ana@acme.io", 0.9), vote("ana@ACME.io\t", 0.3), vote("ana@acme.io", 0.1)],
    ]) {
      const result = calculateConsensusRanking({
        numLeads: 10,
        eligibleLeads: pool(lead("ana@acme.io")),
        rankings: [ranking("val-a", 1, ...entries)],
      });
      expect(result.leads).toHaveLength(1);
      expect(result.leads[0].consensus_score).toBeCloseTo(0.9, 12);
      expect(result.leads[0].num_validators).toBe(1);
      expect(result.leads[0].email).toBe("ana@acme.io");
    }
  });

  it("num_validators counts validators, not entries", () => {
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(X, Y),
      rankings: [
        ranking("val-a", 1, vote("x@acme.io", 0.1), vote("X@acme.io", 0.1), vote("x@acme.io", 0.1)),
        ranking("val-b", 1, vote("y@acme.io", 0.1)),
        ranking("val-c", 1, vote("y@acme.io", 0.1)),
      ],
    });

    expect(byEmail(result.leads, "x@acme.io").num_validators).toBe(1);
    expect(byEmail(result.leads, "y@acme.io").num_validators).toBe(2);
  });
});

describe("calculateConsensusRanking: only leads miners submitted can win", () => {
  it("drops injected leads and counts every dropped entry in ineligibleVotes", () => {
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(lead("ana@acme.io"), lead("bob@acme.io")),
      rankings: [
        ranking("val-a", 0.5, vote("evil@spam.io", 1), vote("ana@acme.io", 0.5)),
        ranking(
          "val-b",
          0.5,
          vote("evil@spam.io", 1),
          vote("evil2@spam.io", 1),
          vote("bob@acme.io", 0.2),
        ),
      ],
    });

    expect(emails(result.leads)).toEqual(["ana@acme.io", "bob@acme.io"]);
    expect(result.ineligibleVotes).toBe(3);
    expect(result.candidates).toBe(2);
    expect(JSON.stringify(result.leads)).not.toContain("spam.io");
  });

  it("an unanimous top score on an injected lead still cannot enter the result", () => {
    const result = calculateConsensusRanking({
      numLeads: 1,
      eligibleLeads: pool(lead("ana@acme.io")),
      rankings: [
        ranking("val-a", 1, vote("evil@spam.io", 1), vote("ana@acme.io", 0.01)),
        ranking("val-b", 1, vote("evil@spam.io", 1)),
      ],
    });

    expect(emails(result.leads)).toEqual(["ana@acme.io"]);
    expect(result.leads[0].num_validators).toBe(1);
    expect(result.ineligibleVotes).toBe(2);
  });

  it("returns an empty result when no eligible lead was ranked", () => {
    const result = calculateConsensusRanking({
      numLeads: 5,
      eligibleLeads: new Map(),
      rankings: [ranking("val-a", 1, vote("ana@acme.io", 1))],
    });
    expect(result.leads).toEqual([]);
    expect(result.candidates).toBe(0);
    expect(result.ineligibleVotes).toBe(1);
  });

  it("returned lead fields are the miner-submitted copy, not the validator's", () => {
    const minerCopy = lead("ana@acme.io", { business: "Acme Inc", role: "CTO", region: "EU" });
    const validatorCopy = {
      email: "  ANA@acme.io",
      business: "EVIL CORP",
      role: "hacked",
      website: "https://evil.example",
    } as Lead;

    const result = calculateConsensusRanking({
      numLeads: 1,
      eligibleLeads: pool(minerCopy),
      rankings: [
        { validator_hotkey: "val-a", trust: 1, ranked_leads: [{ lead: validatorCopy, score: 1 }] },
      ],
    });

    expect(result.leads).toEqual([
      {
        business: "Acme Inc",
        email: "ana@acme.io",
        role: "CTO",
        region: "EU",
        c_validator_hotkey: CONSENSUS_HOTKEY,
        consensus_score: 1,
        normalized_score: 1,
        num_validators: 1,
        rank: 1,
      },
    ]);
    expect(result.leads[0]).not.toHaveProperty("website");
  });
});

describe("calculateConsensusRanking: zero trust everywhere", () => {
  it("weighs every validator 1 and still produces a meaningful order", () => {
    // x = 0.9 + 0.1 = 1.0, y = 0.3 + 1.0 + 0.5 = 1.8, total weight 3.
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(X, Y),
      rankings: [
        ranking("val-a", 0, vote("x@acme.io", 0.9), vote("y@acme.io", 0.3)),
        ranking("val-b", 0, vote("x@acme.io", 0.1), vote("y@acme.io", 1.0)),
        ranking("val-c", 0, vote("y@acme.io", 0.5)),
      ],
    });

    expect(result.equalWeights).toBe(true);
    expect(result.weights).toEqual({ "val-a": 1, "val-b": 1, "val-c": 1 });
    expect(result.totalWeight).toBe(3);
    expect(emails(result.leads)).toEqual(["y@acme.io", "x@acme.io"]);
    expect(result.leads[0].consensus_score).toBeCloseTo(1.8, 12);
    expect(result.leads[1].consensus_score).toBeCloseTo(1.0, 12);
    expect(result.leads[0].normalized_score).toBeCloseTo(0.6, 12);
    expect(result.leads[1].normalized_score).toBeCloseTo(1 / 3, 12);
    for (const l of result.leads) expect(l.consensus_score).toBeGreaterThan(0);
  });

  it("no rankings at all gives no leads and zero total weight", () => {
    const result = calculateConsensusRanking({
      numLeads: 5,
      eligibleLeads: pool(X),
      rankings: [],
    });
    expect(result.leads).toEqual([]);
    expect(result.totalWeight).toBe(0);
    expect(result.weights).toEqual({});
    expect(result.candidates).toBe(0);
  });
});

describe("calculateConsensusRanking: ties and determinism", () => {
  it("breaks score ties by num_validators desc, then by normalised email asc", () => {
    // Equal weights (all trust 0). Every lead scores exactly 0.8:
    //   zed: 0.4 + 0.4 (2 validators)   abe, Mia, bea: 0.8 from one validator each.
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(
        lead("zed@acme.io"),
        lead("Mia@acme.io"),
        lead("bea@acme.io"),
        lead("abe@acme.io"),
      ),
      rankings: [
        ranking("val-a", 0, vote("zed@acme.io", 0.4), vote("mia@acme.io", 0.8)),
        ranking("val-b", 0, vote("zed@acme.io", 0.4), vote("bea@acme.io", 0.8)),
        ranking("val-c", 0, vote("abe@acme.io", 0.8)),
      ],
    });

    for (const l of result.leads) expect(l.consensus_score).toBe(0.8);
    // "Mia" sorts before "abe" by raw code unit, so this also proves the key is normalised.
    expect(emails(result.leads)).toEqual([
      "zed@acme.io",
      "abe@acme.io",
      "bea@acme.io",
      "Mia@acme.io",
    ]);
    expect(result.leads.map((l) => l.num_validators)).toEqual([2, 1, 1, 1]);
    expect(result.leads.map((l) => l.rank)).toEqual([1, 2, 3, 4]);
  });

  it("a higher score beats more validators", () => {
    const result = calculateConsensusRanking({
      numLeads: 10,
      eligibleLeads: pool(lead("many@acme.io"), lead("one@acme.io")),
      rankings: [
        ranking("val-a", 0, vote("many@acme.io", 0.3), vote("one@acme.io", 0.9)),
        ranking("val-b", 0, vote("many@acme.io", 0.3)),
      ],
    });
    expect(emails(result.leads)).toEqual(["one@acme.io", "many@acme.io"]);
  });

  it("float sums do not depend on the order rankings arrive in", () => {
    // In hotkey order 0.1 + 0.2 + 0.3 = 0.6000000000000001; other orders can give exactly 0.6.
    const rankings = [
      ranking("val-a", 1, vote("x@acme.io", 0.1)),
      ranking("val-b", 1, vote("x@acme.io", 0.2)),
      ranking("val-c", 1, vote("x@acme.io", 0.3)),
    ];
    const reference = calculateConsensusRanking({
      numLeads: 1,
      eligibleLeads: pool(X),
      rankings,
    });
    const permutations = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const p of permutations) {
      const result = calculateConsensusRanking({
        numLeads: 1,
        eligibleLeads: pool(X),
        rankings: p.map((i) => rankings[i]),
      });
      expect(result).toEqual(reference);
      expect(result.leads[0].consensus_score).toBe(reference.leads[0].consensus_score);
    }
  });

  it("a randomised scenario gives a deeply equal result under any shuffle of its inputs", () => {
    const random = rng(20240601);
    const leads = Array.from({ length: 14 }, (_, i) => lead(`lead${i}@corp${i % 3}.io`));
    const validators = Array.from({ length: 7 }, (_, i) => `5Val${String.fromCharCode(65 + i)}`);
    const rankings = validators.map((hotkey, vi) => {
      const entries: Entry[] = [];
      for (const l of leads) {
        if (random() < 0.6) entries.push(vote(l.email, Math.round(random() * 10) / 10));
      }
      // A duplicate with different case, and an injected lead.
      entries.push(vote(leads[vi].email.toUpperCase(), random()));
      entries.push(vote(`injected${vi}@spam.io`, 1));
      return ranking(hotkey, Math.round(random() * 100) / 100 + 0.01, ...entries);
    });
    const input = (r: ConsensusRankingInput[], l: Lead[]): ConsensusInput => ({
      numLeads: 8,
      eligibleLeads: pool(...l),
      rankings: r,
    });
    const reference = calculateConsensusRanking(input(rankings, leads));
    expect(reference.leads).toHaveLength(8);
    expect(reference.ineligibleVotes).toBe(7);

    for (let round = 0; round < 25; round++) {
      const shuffled = shuffle(rankings, random).map((r) => ({
        ...r,
        ranked_leads: shuffle(r.ranked_leads, random),
      }));
      expect(calculateConsensusRanking(input(shuffled, shuffle(leads, random)))).toEqual(reference);
    }
  });
});

describe("calculateConsensusRanking: shape and guards", () => {
  const five = pool(...["a", "b", "c", "d", "e"].map((n) => lead(`${n}@acme.io`)));
  const fiveVotes = ranking(
    "val-a",
    1,
    vote("a@acme.io", 0.1),
    vote("b@acme.io", 0.5),
    vote("c@acme.io", 0.3),
    vote("d@acme.io", 0.9),
    vote("e@acme.io", 0.7),
  );

  it("returns only the top num_leads, ranked 1..n, all signed by CONSENSUS", () => {
    const result = calculateConsensusRanking({
      numLeads: 3,
      eligibleLeads: five,
      rankings: [fiveVotes],
    });

    expect(emails(result.leads)).toEqual(["d@acme.io", "e@acme.io", "b@acme.io"]);
    expect(result.leads.map((l) => l.rank)).toEqual([1, 2, 3]);
    expect(result.leads.every((l) => l.c_validator_hotkey === "CONSENSUS")).toBe(true);
    expect(CONSENSUS_HOTKEY).toBe("CONSENSUS");
    expect(result.candidates).toBe(5);
  });

  it("returns every candidate when num_leads exceeds them, and none for num_leads 0", () => {
    const all = calculateConsensusRanking({
      numLeads: 50,
      eligibleLeads: five,
      rankings: [fiveVotes],
    });
    expect(all.leads.map((l) => l.rank)).toEqual([1, 2, 3, 4, 5]);

    for (const numLeads of [0, -3]) {
      const none = calculateConsensusRanking({
        numLeads,
        eligibleLeads: five,
        rankings: [fiveVotes],
      });
      expect(none.leads).toEqual([]);
      expect(none.candidates).toBe(5);
    }
  });

  it("throws when one validator appears twice", () => {
    expect(() =>
      calculateConsensusRanking({
        numLeads: 5,
        eligibleLeads: five,
        rankings: [
          ranking("val-a", 0.5, vote("a@acme.io", 1)),
          ranking("val-b", 0.5, vote("b@acme.io", 1)),
          ranking("val-a", 0.9, vote("c@acme.io", 1)),
        ],
      }),
    ).toThrow(/val-a appears twice/);
  });

  it("clamps trust above 1 to 1 and below 0 or NaN to 0", () => {
    const result = calculateConsensusRanking({
      numLeads: 5,
      eligibleLeads: pool(X, Y, Z),
      rankings: [
        ranking("val-high", 1.5, vote("x@acme.io", 0.4)),
        ranking("val-neg", -0.3, vote("y@acme.io", 1)),
        ranking("val-nan", NaN, vote("z@acme.io", 1)),
      ],
    });

    expect(result.weights).toEqual({ "val-high": 1, "val-neg": 0, "val-nan": 0 });
    expect(result.equalWeights).toBe(false);
    expect(result.totalWeight).toBe(1);
    expect(emails(result.leads)).toEqual(["x@acme.io", "y@acme.io", "z@acme.io"]);
    expect(result.leads.map((l) => l.consensus_score)).toEqual([0.4, 0, 0]);
    expect(result.leads.every((l) => Number.isFinite(l.normalized_score))).toBe(true);
  });

  it("falls back to equal weights when every trust clamps to 0", () => {
    const result = calculateConsensusRanking({
      numLeads: 5,
      eligibleLeads: pool(X, Y),
      rankings: [
        ranking("val-neg", -1, vote("x@acme.io", 0.2)),
        ranking("val-nan", NaN, vote("y@acme.io", 0.7)),
      ],
    });
    expect(result.equalWeights).toBe(true);
    expect(result.weights).toEqual({ "val-neg": 1, "val-nan": 1 });
    expect(result.totalWeight).toBe(2);
    expect(emails(result.leads)).toEqual(["y@acme.io", "x@acme.io"]);
  });

  it("clamps out-of-range and non-finite scores into [0, 1]", () => {
    const result = calculateConsensusRanking({
      numLeads: 5,
      eligibleLeads: pool(X, Y, Z),
      rankings: [
        ranking("val-a", 0.5, vote("x@acme.io", 7), vote("y@acme.io", -2), vote("z@acme.io", NaN)),
      ],
    });
    expect(byEmail(result.leads, "x@acme.io").consensus_score).toBeCloseTo(0.5, 12);
    expect(byEmail(result.leads, "y@acme.io").consensus_score).toBe(0);
    expect(byEmail(result.leads, "z@acme.io").consensus_score).toBe(0);
    expect(byEmail(result.leads, "x@acme.io").normalized_score).toBeLessThanOrEqual(1);
  });

  it("does not mutate its inputs", () => {
    const rankings = [
      ranking("val-b", 0.4, vote("y@acme.io", 0.5)),
      ranking("val-a", 0.6, vote("x@acme.io", 0.5)),
    ];
    const eligible = pool(X, Y);
    const snapshot = JSON.stringify({ rankings, eligible: [...eligible] });
    calculateConsensusRanking({ numLeads: 2, eligibleLeads: eligible, rankings });
    expect(JSON.stringify({ rankings, eligible: [...eligible] })).toBe(snapshot);
    expect(rankings[0].validator_hotkey).toBe("val-b");
  });
});

describe("leadKey", () => {
  it("trims and lower-cases the email", () => {
    expect(leadKey({ email: "  Ana@ACME.io\n" })).toBe("ana@acme.io");
  });
});

describe("eligibleLeadPool", () => {
  const fromZed = lead("Ana@Acme.io", { business: "Zed's copy" });
  const fromAbe = lead("ana@acme.io", { business: "Abe's copy" });
  const submissions = [
    { miner_hotkey: "5Zed", leads: [fromZed, lead("bob@acme.io")] },
    { miner_hotkey: "5Abe", leads: [fromAbe] },
    { miner_hotkey: "5Mia", leads: [lead("ANA@acme.io", { business: "Mia's copy" })] },
  ];

  it("keeps the copy of the miner whose hotkey sorts first, whatever the input order", () => {
    const random = rng(7);
    for (let round = 0; round < 10; round++) {
      const result = eligibleLeadPool(shuffle(submissions, random));
      expect(result.get("ana@acme.io")).toBe(fromAbe);
      expect(result.size).toBe(2);
    }
  });

  it("keys entries by normalised email and keeps the lead object unchanged", () => {
    const result = eligibleLeadPool(submissions);
    expect([...result.keys()].sort()).toEqual(["ana@acme.io", "bob@acme.io"]);
    expect(result.has("Ana@Acme.io")).toBe(false);
    expect(result.get("ana@acme.io")).toEqual({ business: "Abe's copy", email: "ana@acme.io" });
  });

  it("uses code-unit order for hotkeys (upper case before lower case)", () => {
    const upper = lead("ana@acme.io", { business: "upper" });
    const lower = lead("ana@acme.io", { business: "lower" });
    const result = eligibleLeadPool([
      { miner_hotkey: "5abc", leads: [lower] },
      { miner_hotkey: "5Xyz", leads: [upper] },
    ]);
    expect(result.get("ana@acme.io")).toBe(upper);
  });

  it("feeds consensus so the returned lead is the first-sorting miner's copy", () => {
    const eligible = eligibleLeadPool([...submissions].reverse());
    const result = calculateConsensusRanking({
      numLeads: 5,
      eligibleLeads: eligible,
      rankings: [ranking("val-a", 1, vote("ANA@ACME.IO", 0.9), vote("bob@acme.io", 0.1))],
    });
    expect(result.leads[0].business).toBe("Abe's copy");
    expect(result.leads[0].email).toBe("ana@acme.io");
  });

  it("returns an empty pool for no submissions", () => {
    expect(eligibleLeadPool([]).size).toBe(0);
  });
});
