// Which leads may win and which scores count (issue 20, items 1 and 2), on the pure rule the
// backend's finalisation, `verify` and the reference validator share.
import { createHash } from "crypto";
import {
  admittedSubmission,
  bindRankingToPool,
  calculateConsensusRanking,
  leadContent,
  leadHash,
  poolLeads,
  timedLeadPool,
  type Lead,
} from "../../src";

const honest: Lead = {
  business: "Acme",
  email: "cto@acme.io",
  full_name: "Ada",
  website: "acme.io",
};
const swapped: Lead = {
  ...honest,
  email: " CTO@acme.io ",
  full_name: "Mallory",
  website: "evil.io",
};
const other: Lead = { business: "Beta", email: "ceo@beta.io" };

describe("timedLeadPool", () => {
  it("keeps the earliest submitted copy of an email, whatever the hotkeys or arrival order", () => {
    const late = { miner_hotkey: "5A-late", submitted_at_ms: 2_000, leads: [swapped] };
    const early = { miner_hotkey: "5Z-early", submitted_at_ms: 1_000, leads: [honest, other] };
    for (const order of [
      [late, early],
      [early, late],
    ]) {
      const pool = timedLeadPool(order);
      expect(pool.get("cto@acme.io")).toMatchObject({
        lead: honest,
        miner_hotkey: "5Z-early",
        submitted_at_ms: 1_000,
      });
      expect([...pool.keys()].sort()).toEqual(["ceo@beta.io", "cto@acme.io"]);
    }
  });

  it("breaks a tie in time by miner hotkey", () => {
    const pool = timedLeadPool([
      { miner_hotkey: "5B", submitted_at_ms: 1_000, leads: [swapped] },
      { miner_hotkey: "5A", submitted_at_ms: 1_000, leads: [honest] },
    ]);
    expect(pool.get("cto@acme.io")!.lead).toBe(honest);
  });
});

describe("admittedSubmission", () => {
  const request = { expected_miners: ["5Miner"], validator_deadline_ms: 90_000 };
  it("admits an expected miner before the deadline only", () => {
    expect(admittedSubmission("5Miner", 89_999, request)).toBe("ok");
    expect(admittedSubmission("5Miner", 90_000, request)).toBe("after_deadline");
    expect(admittedSubmission("5Stranger", 1_000, request)).toBe("not_expected_miner");
    // A request older than the expected-miners field admits any registered miner.
    expect(admittedSubmission("5Stranger", 1_000, { ...request, expected_miners: null })).toBe(
      "ok",
    );
  });
});

describe("leadHash", () => {
  it("is the hex SHA-256 of the lead's canonical JSON, UTF-8 encoded", () => {
    const l = { business: "Caf\u00e9 \u20ac", email: "a@b.io" };
    expect(leadContent(l)).toBe('{"business":"Caf\u00e9 \u20ac","email":"a@b.io"}');
    expect(leadHash(l)).toBe(
      createHash("sha256")
        .update(Buffer.from(leadContent(l), "utf8"))
        .digest("hex"),
    );
    expect(leadHash(l)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores key order and differs with any byte of content", () => {
    expect(leadHash({ email: "a@b.io", business: "B" })).toBe(
      leadHash({ business: "B", email: "a@b.io" }),
    );
    expect(leadHash(swapped)).not.toBe(leadHash(honest));
    expect(leadHash({ ...honest, website: "acme.io " })).not.toBe(leadHash(honest));
  });
});

describe("bindRankingToPool", () => {
  const pool = timedLeadPool([
    { miner_hotkey: "5Honest", submitted_at_ms: 1_000, leads: [honest] },
    { miner_hotkey: "5Late", submitted_at_ms: 5_000, leads: [other] },
  ]);

  it("keeps a score for the exact content submitted before the ranking, with the pool's lead", () => {
    const entry = { lead_hash: leadHash(honest), score: 0.9, rank: 1 };
    expect(bindRankingToPool({ submitted_at_ms: 2_000, ranked_leads: [entry] }, pool)).toEqual({
      ranked_leads: [{ ...entry, lead: honest }],
      unbound: 0,
    });
  });

  it("drops a score for a lead nobody had submitted when the ranking was written", () => {
    const entry = { lead_hash: leadHash(other), score: 1, rank: 1 };
    expect(bindRankingToPool({ submitted_at_ms: 2_000, ranked_leads: [entry] }, pool)).toEqual({
      ranked_leads: [],
      unbound: 1,
    });
    // Written after it was submitted: bound.
    expect(
      bindRankingToPool({ submitted_at_ms: 5_001, ranked_leads: [entry] }, pool).ranked_leads,
    ).toEqual([{ ...entry, lead: other }]);
  });

  it("drops a score for other content under a pooled email, or a hash of nothing submitted", () => {
    const swappedEntry = { lead_hash: leadHash(swapped), score: 1, rank: 1 };
    const unknown = { lead_hash: "0".repeat(64), score: 1, rank: 2 };
    expect(
      bindRankingToPool({ submitted_at_ms: 9_000, ranked_leads: [swappedEntry, unknown] }, pool)
        .unbound,
    ).toBe(2);
  });
});

describe("the swap and injection attacks end to end", () => {
  it("the client gets the scored copy, and a lead scored before anyone submitted it never wins", () => {
    // An honest miner submits at t=1000; the validator ranks at t=2000 (the honest copy, and an
    // email nobody had submitted yet); a colluding miner then submits the same email with other
    // details and the injected email at t=3000.
    const pool = timedLeadPool([
      { miner_hotkey: "5Honest", submitted_at_ms: 1_000, leads: [honest] },
      { miner_hotkey: "5Attacker", submitted_at_ms: 3_000, leads: [swapped, other] },
    ]);
    const ranking = {
      submitted_at_ms: 2_000,
      ranked_leads: [
        { lead_hash: leadHash(honest), score: 0.8, rank: 2 },
        { lead_hash: leadHash(other), score: 1, rank: 1 },
      ],
    };
    const bound = bindRankingToPool(ranking, pool);
    const result = calculateConsensusRanking({
      numLeads: 5,
      rankings: [{ validator_hotkey: "5V", trust: 1, ranked_leads: bound.ranked_leads }],
      eligibleLeads: poolLeads(pool),
    });
    expect(result.leads.map((l) => [l.email, l.full_name, l.website])).toEqual([
      ["cto@acme.io", "Ada", "acme.io"],
    ]);
  });
});
