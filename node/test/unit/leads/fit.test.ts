import type { Lead } from "consensus-core";
import { fitScore, loadLeadPool, roleSeniority, tokenize } from "../../../src/leads";

const lead = (fields: Partial<Lead>): Lead => ({
  business: "Acme",
  email: "a.b@acme.com",
  ...fields,
});

const SAAS_SALES = "B2B SaaS platform that helps sales teams automate outbound prospecting";

describe("tokenize", () => {
  it("lower-cases, strips punctuation and drops stopwords and one-letter tokens", () => {
    expect(tokenize("We help the Sales-Ops of B2B companies, in the U.S.!")).toEqual([
      "sales",
      "ops",
      "salesops",
      "b2b",
    ]);
  });

  it("folds accents and keeps both halves and the joined form of hyphenated words", () => {
    expect(tokenize("São Paulo e-commerce")).toEqual(["sao", "paulo", "commerce", "ecommerce"]);
  });

  it("returns nothing for empty or punctuation-only text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" ... !!! ")).toEqual([]);
  });
});

describe("roleSeniority", () => {
  it("orders founders/C-level above VPs/heads/directors above managers above ICs above interns", () => {
    const order = [
      "Founder & CEO",
      "VP of Sales",
      "Head of Growth",
      "Director of IT",
      "Sales Manager",
      "Account Executive",
      "Marketing Intern",
    ].map(roleSeniority);
    for (let i = 1; i < order.length; i++) expect(order[i]).toBeLessThan(order[i - 1]);
    expect(roleSeniority("Vice President, Marketing")).toBe(roleSeniority("VP of Marketing"));
    expect(roleSeniority(undefined)).toBeGreaterThan(roleSeniority("Sales Intern"));
  });
});

describe("fitScore", () => {
  it("stays in [0, 1] for every pool lead and a range of descriptions", () => {
    const pool = loadLeadPool();
    for (const desc of [
      "",
      "!!!",
      SAAS_SALES,
      "Solar installers in Germany looking for battery storage partners",
      "We sell payment infrastructure to online stores in the US",
      "x".repeat(2000),
    ]) {
      for (const l of pool) {
        const s = fitScore(l, desc);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
    }
  });

  it("is deterministic", () => {
    const l = lead({ industry: "Software", sub_industry: "SaaS", role: "CTO" });
    expect(fitScore(l, SAAS_SALES)).toBe(fitScore({ ...l }, SAAS_SALES));
  });

  it("scores a Software/SaaS VP of Sales above a Real Estate intern for a SaaS sales tool", () => {
    const vp = lead({
      business: "Brightstack Labs",
      role: "VP of Sales",
      industry: "Software",
      sub_industry: "SaaS",
      region: "US - California",
    });
    const intern = lead({
      business: "Keystone Realty",
      role: "Leasing Intern",
      industry: "Real Estate",
      sub_industry: "PropTech",
      region: "US - California",
    });
    expect(fitScore(vp, SAAS_SALES)).toBeGreaterThan(0.7);
    expect(fitScore(intern, SAAS_SALES)).toBeLessThan(0.2);
  });

  it("weights the market above seniority", () => {
    const marketOnly = lead({
      role: "Account Executive",
      industry: "Software",
      sub_industry: "SaaS",
    });
    const seniorOnly = lead({ role: "Founder & CEO", industry: "Energy", sub_industry: "Solar" });
    expect(fitScore(marketOnly, SAAS_SALES)).toBeGreaterThan(fitScore(seniorOnly, SAAS_SALES));
  });

  it("maps description words onto the taxonomy (hospitals -> Healthcare)", () => {
    const desc = "Scheduling software for hospitals and clinics";
    const health = lead({ role: "COO", industry: "Healthcare", sub_industry: "Digital Health" });
    const logistics = lead({ role: "COO", industry: "Logistics", sub_industry: "Warehousing" });
    expect(fitScore(health, desc)).toBeGreaterThan(fitScore(logistics, desc) + 0.3);
  });

  it("only uses region when the description names a place", () => {
    const base = { role: "CTO", industry: "Fintech", sub_industry: "Payments" };
    const berlin = lead({ ...base, region: "Germany - Berlin" });
    const texas = lead({ ...base, region: "US - Texas" });
    const noPlace = "Fraud detection for payments companies";
    expect(fitScore(berlin, noPlace)).toBe(fitScore(texas, noPlace));

    const german = "Fraud detection for payments companies in Germany";
    expect(fitScore(berlin, german)).toBeGreaterThan(fitScore(texas, german));
    const europe = "Fraud detection for European payments companies";
    expect(fitScore(berlin, europe)).toBeGreaterThan(fitScore(texas, europe));
    const us = "Fraud detection for US payments companies";
    expect(fitScore(texas, us)).toBeGreaterThan(fitScore(berlin, us));
  });

  it("does not read the pronoun 'us' or the word 'new' as places", () => {
    const base = { role: "CTO", industry: "Fintech", sub_industry: "Payments" };
    const ny = lead({ ...base, region: "US - New York" });
    const paris = lead({ ...base, region: "France - Paris" });
    const desc = "Let us help new payments companies grow";
    expect(fitScore(ny, desc)).toBe(fitScore(paris, desc));
  });

  it("gives a senior role in the function the description sells to a boost", () => {
    const desc = "Analytics for marketing teams";
    const base = { industry: "Software", sub_industry: "SaaS" };
    expect(fitScore(lead({ ...base, role: "VP of Marketing" }), desc)).toBeGreaterThan(
      fitScore(lead({ ...base, role: "VP of Engineering" }), desc),
    );
  });
});
