import { leadKey, type Lead } from "consensus-core";
import { fitScore, loadLeadPool, PoolCurator } from "../../../src/leads";

const request = (num_leads: number, business_desc = "B2B SaaS platform for sales teams") => ({
  request_id: "00000000-0000-4000-8000-000000000000",
  business_desc,
  num_leads,
});

describe("PoolCurator", () => {
  const pool = loadLeadPool();

  it("returns num_leads * oversample leads, best fit first, without a seed", async () => {
    const leads = await new PoolCurator(pool).curate(request(10));
    expect(leads).toHaveLength(20);
    const desc = request(10).business_desc;
    const scores = leads.map((l) => fitScore(l, desc));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Nothing left in the pool fits better than the worst lead returned.
    const chosen = new Set(leads.map(leadKey));
    const worst = Math.min(...scores);
    for (const l of pool) {
      if (!chosen.has(leadKey(l))) expect(fitScore(l, desc)).toBeLessThanOrEqual(worst);
    }
  });

  it("honours oversample and caps at 200 leads and at the pool size", async () => {
    expect(await new PoolCurator(pool, { oversample: 1 }).curate(request(7))).toHaveLength(7);
    expect(await new PoolCurator(pool, { oversample: 1.5 }).curate(request(5))).toHaveLength(7);
    expect(await new PoolCurator(pool).curate(request(100))).toHaveLength(200);
    expect(await new PoolCurator(pool, { oversample: 5 }).curate(request(100))).toHaveLength(200);
    expect(await new PoolCurator(pool.slice(0, 3)).curate(request(10))).toHaveLength(3);
    expect(await new PoolCurator(pool).curate(request(0))).toEqual([]);
    expect(await new PoolCurator([]).curate(request(5))).toEqual([]);
  });

  it("rejects an oversample below 1", () => {
    expect(() => new PoolCurator(pool, { oversample: 0.5 })).toThrow(RangeError);
    expect(() => new PoolCurator(pool, { oversample: NaN })).toThrow(RangeError);
  });

  it("is deterministic for the same seed", async () => {
    const a = await new PoolCurator(pool, { seed: "miner-1" }).curate(request(25));
    const b = await new PoolCurator([...pool], { seed: "miner-1" }).curate(request(25));
    expect(a).toEqual(b);
  });

  it("gives different seeds overlapping but different sets of good leads", async () => {
    const desc = request(25).business_desc;
    const sets = await Promise.all(
      ["miner-1", "miner-2", "miner-3"].map(async (seed) =>
        (await new PoolCurator(pool, { seed }).curate(request(25))).map(leadKey),
      ),
    );
    for (const [x, y] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      const shared = sets[x].filter((k) => sets[y].includes(k)).length;
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThan(50);
    }
    // Every seeded pick still comes from the top 3x candidates of the unseeded ranking.
    const window = new Set(
      (await new PoolCurator(pool, { oversample: 6 }).curate(request(25))).map(leadKey),
    );
    for (const set of sets) {
      expect(set).toHaveLength(50);
      for (const k of set) expect(window.has(k)).toBe(true);
    }
    // And each seeded answer is returned best first.
    const seeded = await new PoolCurator(pool, { seed: "miner-2" }).curate(request(25));
    const scores = seeded.map((l) => fitScore(l, desc));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("never returns duplicates, even from a pool that has them", async () => {
    const dupes: Lead[] = [
      ...pool.slice(0, 50),
      ...pool.slice(0, 50).map((l) => ({ ...l, email: ` ${l.email.toUpperCase()} ` })),
    ];
    for (const seed of [undefined, "s"]) {
      const leads = await new PoolCurator(dupes, { seed }).curate(request(100));
      expect(leads).toHaveLength(50);
      expect(new Set(leads.map(leadKey)).size).toBe(50);
    }
  });

  it("returns copies, so editing a result leaves the pool intact", async () => {
    const small = pool.slice(0, 5);
    const before = JSON.stringify(small);
    const [first] = await new PoolCurator(small).curate(request(1));
    first.business = "changed";
    expect(JSON.stringify(small)).toBe(before);
  });
});
