import type { Lead } from "consensus-core";
import { fitScore, HeuristicRanker, toRanking } from "../../../src/leads";

const request = {
  request_id: "00000000-0000-4000-8000-000000000000",
  business_desc: "B2B SaaS platform for sales teams",
  num_leads: 3,
};

const leads: Lead[] = [
  {
    business: "Keystone Realty",
    email: "z.intern@keystone.com",
    role: "Leasing Intern",
    industry: "Real Estate",
    sub_industry: "PropTech",
  },
  {
    business: "Brightstack",
    email: "b.vp@brightstack.io",
    role: "VP of Sales",
    industry: "Software",
    sub_industry: "SaaS",
  },
  {
    business: "Brightstack",
    email: "a.vp@brightstack.io",
    role: "VP of Sales",
    industry: "Software",
    sub_industry: "SaaS",
  },
  {
    business: "Volt",
    email: "c.ceo@volt.energy",
    role: "CEO",
    industry: "Energy",
    sub_industry: "Solar",
  },
];

describe("HeuristicRanker", () => {
  it("scores with fitScore, orders by score desc then email asc, ranks 1..n", async () => {
    const ranked = await new HeuristicRanker().rank(request, leads);
    expect(ranked.map((r) => r.lead.email)).toEqual([
      "a.vp@brightstack.io",
      "b.vp@brightstack.io",
      "c.ceo@volt.energy",
      "z.intern@keystone.com",
    ]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    for (const r of ranked) {
      expect(r.score).toBe(Math.round(fitScore(r.lead, request.business_desc) * 1e4) / 1e4);
    }
  });

  it("dedupes by normalised email, keeping the first occurrence", async () => {
    const copy = { ...leads[1], email: " B.VP@Brightstack.io ", role: "Sales Intern" };
    const ranked = await new HeuristicRanker().rank(request, [leads[1], copy, leads[1]]);
    expect(ranked).toHaveLength(1);
    expect(ranked[0].lead.role).toBe("VP of Sales");
  });

  it("returns an empty ranking for no leads", async () => {
    expect(await new HeuristicRanker().rank(request, [])).toEqual([]);
  });

  it("shifts scores by the bias and clamps them to [0, 1]", async () => {
    const plain = await new HeuristicRanker().rank(request, leads);
    const up = await new HeuristicRanker({ bias: 0.2 }).rank(request, leads);
    const down = await new HeuristicRanker({ bias: -0.2 }).rank(request, leads);
    for (const [i, r] of plain.entries()) {
      expect(up[i].score).toBeCloseTo(Math.min(1, r.score + 0.2), 4);
      expect(down[i].score).toBeCloseTo(Math.max(0, r.score - 0.2), 4);
    }
    expect(up[0].score).toBe(1);
    expect(down[down.length - 1].score).toBe(0);
  });

  it("rejects a bias outside [-0.2, 0.2]", () => {
    expect(() => new HeuristicRanker({ bias: 0.21 })).toThrow(RangeError);
    expect(() => new HeuristicRanker({ bias: -0.5 })).toThrow(RangeError);
    expect(() => new HeuristicRanker({ bias: NaN })).toThrow(RangeError);
  });
});

describe("toRanking", () => {
  it("clamps, rounds before ordering, and breaks ties by normalised email", () => {
    const ranked = toRanking([
      { lead: leads[3], score: 0.123449 },
      { lead: leads[1], score: 0.12345 },
      { lead: leads[2], score: 0.1234 },
      { lead: leads[0], score: 7 },
      { lead: { business: "X", email: "x@x.com" }, score: NaN },
    ]);
    expect(ranked.map((r) => [r.lead.email, r.score, r.rank])).toEqual([
      ["z.intern@keystone.com", 1, 1],
      ["b.vp@brightstack.io", 0.1235, 2],
      ["a.vp@brightstack.io", 0.1234, 3],
      ["c.ceo@volt.energy", 0.1234, 4],
      ["x@x.com", 0, 5],
    ]);
  });
});
