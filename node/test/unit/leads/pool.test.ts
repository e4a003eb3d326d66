import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LeadSchema, leadKey } from "consensus-core";
import {
  DEFAULT_LEAD_POOL_PATH,
  defaultLexicon,
  loadLeadPool,
  profileLead,
} from "../../../src/leads";

describe("loadLeadPool", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "lead-pool-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };

  it("resolves the shipped pool to node/data/lead-pool.json", () => {
    expect(DEFAULT_LEAD_POOL_PATH).toBe(path.resolve(__dirname, "../../../data/lead-pool.json"));
  });

  it("loads 6,000 schema-valid leads with unique emails and every optional field filled", () => {
    const pool = loadLeadPool();
    expect(pool).toHaveLength(6000);
    for (const lead of pool) {
      expect(LeadSchema.safeParse(lead).success).toBe(true);
      expect(lead.email).toBe(lead.email.toLowerCase());
      expect(lead.email).toBe(
        `${lead.first}.${lead.last}@${lead.website!.replace("https://", "")}`
          .toLowerCase()
          .replace(/[^a-z0-9.@]/g, ""),
      );
      expect(lead.full_name).toBe(`${lead.first} ${lead.last}`);
      expect(lead.linkedin).toMatch(
        /^https:\/\/www\.linkedin\.com\/in\/[a-z0-9]+-[a-z0-9]+-[a-z0-9]{4}$/,
      );
      expect(lead.region).toMatch(/^[A-Za-z ]+ - [A-Za-z ]+$/);
    }
    expect(new Set(pool.map(leadKey)).size).toBe(6000);
  });

  it("covers about twenty industries with two to seven sub-industries each", () => {
    const subs = new Map<string, Set<string>>();
    for (const lead of loadLeadPool()) {
      const set = subs.get(lead.industry!) ?? new Set<string>();
      set.add(lead.sub_industry!);
      subs.set(lead.industry!, set);
    }
    expect(subs.size).toBe(21);
    for (const set of subs.values()) {
      expect(set.size).toBeGreaterThanOrEqual(2);
      expect(set.size).toBeLessThanOrEqual(7);
    }
    expect(subs.get("Software")).toContain("SaaS");
    expect(subs.get("Healthcare")).toContain("Hospitals & Health Systems");
    expect(subs.get("Logistics")).toContain("Cold-Chain Logistics");
  });

  it("is fully readable by the shipped lexicon: every label, region and role", () => {
    const lexicon = defaultLexicon();
    const pool = loadLeadPool();
    for (const lead of pool) {
      const p = profileLead(lead, lexicon);
      expect([lead.industry, lead.sub_industry, p.industries.size > 0]).toEqual([
        lead.industry,
        lead.sub_industry,
        true,
      ]);
      const country = lead.region!.split(" - ")[0];
      expect([lead.region, p.places.size >= 2]).toEqual([lead.region, true]);
      expect([country, [...p.places].length > 0]).toEqual([country, true]);
    }
    // Roles: most name a function; the rest are general management or industry titles.
    const withFunction = pool.filter((l) => profileLead(l, lexicon).functions.length > 0).length;
    expect(withFunction / pool.length).toBeGreaterThan(0.95);
  });

  it("accepts a custom path", () => {
    const file = write("ok.json", [{ business: "Acme", email: "a.b@acme.com" }]);
    expect(loadLeadPool(file)).toEqual([{ business: "Acme", email: "a.b@acme.com" }]);
  });

  it("names the index and field of the first bad entry", () => {
    const file = write("bad.json", [
      { business: "Acme", email: "a.b@acme.com" },
      { business: "Beta", email: "b.c@beta.com", role: "x".repeat(301) },
      { business: "", email: "not-an-email" },
    ]);
    expect(() => loadLeadPool(file)).toThrow(/entry 1: field "role"/);
  });

  it("rejects unknown fields, since the schema is strict", () => {
    const file = write("extra.json", [{ business: "Acme", email: "a.b@acme.com", phone: "1" }]);
    expect(() => loadLeadPool(file)).toThrow(/entry 0/);
  });

  it("rejects non-object entries, duplicate emails, non-arrays and bad JSON", () => {
    expect(() => loadLeadPool(write("num.json", [42]))).toThrow(/entry 0: field "\(entry\)"/);
    expect(() =>
      loadLeadPool(
        write("dup.json", [
          { business: "Acme", email: "a.b@acme.com" },
          { business: "Acme", email: "A.B@Acme.com" },
        ]),
      ),
    ).toThrow(/entry 1: field "email": duplicate of entry 0/);
    expect(() => loadLeadPool(write("obj.json", { leads: [] }))).toThrow(/expected a JSON array/);
    expect(() => loadLeadPool(write("broken.json", "[{"))).toThrow(/invalid JSON/);
    expect(() => loadLeadPool(path.join(dir, "missing.json"))).toThrow(/cannot read/);
  });
});
