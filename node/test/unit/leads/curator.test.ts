import { leadKey, type Lead } from "consensus-core";
import {
  assessFit,
  defaultLexicon,
  fitScore,
  loadLeadPool,
  parseDescription,
  PoolCurator,
} from "../../../src/leads";

const DESC = "VPs and directors of marketing at software companies";
const request = (num_leads: number, business_desc = DESC) => ({
  request_id: "00000000-0000-4000-8000-000000000000",
  business_desc,
  num_leads,
});

describe("PoolCurator", () => {
  const pool = loadLeadPool();
  const lexicon = defaultLexicon();
  const fitsOf = (desc: string) => {
    const parsed = parseDescription(desc, lexicon);
    return pool.filter((l) => assessFit(l, parsed, lexicon).fits);
  };

  it("returns num_leads * oversample fitting leads, best first, without a seed", async () => {
    const leads = await new PoolCurator(pool).curate(request(10));
    expect(leads).toHaveLength(20);
    const fitting = new Set(fitsOf(DESC).map(leadKey));
    for (const l of leads) expect(fitting.has(leadKey(l))).toBe(true);
    const scores = leads.map((l) => fitScore(l, DESC));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Nothing left in the pool fits better than the worst lead returned.
    const chosen = new Set(leads.map(leadKey));
    const worst = Math.min(...scores);
    for (const l of pool) {
      if (!chosen.has(leadKey(l))) expect(fitScore(l, DESC)).toBeLessThanOrEqual(worst);
    }
  });

  it("answers with fewer leads when fewer fit, and with none when none fit", async () => {
    const narrow = "Finance leaders at banks in Europe";
    const available = fitsOf(narrow);
    expect(available.length).toBeGreaterThan(0);
    expect(available.length).toBeLessThan(10);
    for (const seed of [undefined, "miner-1"]) {
      const leads = await new PoolCurator(pool, { seed }).curate(request(10, narrow));
      expect(leads.map(leadKey).sort()).toEqual(available.map(leadKey).sort());
    }
    const impossible = "CISOs at cold-chain logistics companies in Kenya";
    expect(fitsOf(impossible)).toEqual([]);
    expect(await new PoolCurator(pool, { seed: "m" }).curate(request(5, impossible))).toEqual([]);
  });

  it("honours oversample and caps at 200 leads and at the number of fits", async () => {
    const anyone = "companies";
    expect(await new PoolCurator(pool, { oversample: 1 }).curate(request(7))).toHaveLength(7);
    expect(await new PoolCurator(pool, { oversample: 1.5 }).curate(request(5))).toHaveLength(7);
    expect(await new PoolCurator(pool).curate(request(100, anyone))).toHaveLength(200);
    expect(
      await new PoolCurator(pool, { oversample: 5 }).curate(request(100, anyone)),
    ).toHaveLength(200);
    expect(await new PoolCurator(pool.slice(0, 3)).curate(request(10, anyone))).toHaveLength(3);
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

  it("gives different seeds overlapping but different sets, all of them fits", async () => {
    const desc = "Sales and marketing leaders at US companies";
    const fitting = new Set(fitsOf(desc).map(leadKey));
    expect(fitting.size).toBeGreaterThan(150);
    const sets = await Promise.all(
      ["miner-1", "miner-2", "miner-3"].map(async (seed) =>
        (await new PoolCurator(pool, { seed }).curate(request(25, desc))).map(leadKey),
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
    for (const set of sets) {
      expect(set).toHaveLength(50);
      for (const k of set) expect(fitting.has(k)).toBe(true);
    }
    const seeded = await new PoolCurator(pool, { seed: "miner-2" }).curate(request(25, desc));
    const scores = seeded.map((l) => fitScore(l, desc));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("never drops a fit for a misfit, whatever the seed", async () => {
    // Fits score far apart from misfits; a small pool where fits are scarce and misfits score
    // close to the cap is where a jittered choice could go wrong.
    const desc = "Finance leaders at banks";
    const fits = fitsOf(desc);
    const misfits = pool.filter((l) => !fits.includes(l)).slice(0, 300);
    const small = [...misfits, ...fits];
    for (const seed of ["a", "b", "c", "d", "e"]) {
      const leads = await new PoolCurator(small, { seed }).curate(request(50, desc));
      expect(leads.map(leadKey).sort()).toEqual(fits.map(leadKey).sort());
    }
  });

  it("never returns duplicates, even from a pool that has them", async () => {
    const anyone = "companies";
    const dupes: Lead[] = [
      ...pool.slice(0, 50),
      ...pool.slice(0, 50).map((l) => ({ ...l, email: ` ${l.email.toUpperCase()} ` })),
    ];
    for (const seed of [undefined, "s"]) {
      const leads = await new PoolCurator(dupes, { seed }).curate(request(100, anyone));
      expect(leads).toHaveLength(50);
      expect(new Set(leads.map(leadKey)).size).toBe(50);
    }
  });

  it("returns copies, so editing a result leaves the pool intact", async () => {
    const small = pool.slice(0, 5);
    const before = JSON.stringify(small);
    const [first] = await new PoolCurator(small).curate(request(1, "companies"));
    first.business = "changed";
    expect(JSON.stringify(small)).toBe(before);
  });
});
