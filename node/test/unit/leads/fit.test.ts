import type { Lead } from "consensus-core";
import {
  assessFit,
  classifyRole,
  defaultLexicon,
  FIT_FLOOR,
  fitScore,
  HeuristicRanker,
  loadLeadPool,
  MISFIT_CAP,
  parseDescription,
  profileLead,
} from "../../../src/leads";

const lexicon = defaultLexicon();
const lead = (fields: Partial<Lead>): Lead => ({
  business: "Acme",
  email: "a.b@acme.com",
  ...fields,
});

const DEMO =
  "B2B SaaS platform selling sales-automation software to VPs of Sales at US tech companies";

describe("classifyRole", () => {
  it.each([
    ["VP of Sales", ["sales"], "vp"],
    ["Vice President, Marketing", ["marketing"], "vp"],
    ["SVP, Sales", ["sales"], "vp"],
    ["Chief Revenue Officer", ["sales"], "c_level"],
    ["Founder & CEO", ["executive"], "c_level"],
    ["President", ["executive"], "c_level"],
    ["Head of Growth", ["marketing"], "head"],
    ["Regional Sales Director", ["sales"], "director"],
    ["Customer Success Manager", ["success"], "manager"],
    ["Account Executive", ["sales"], "individual"],
    ["Business Development Representative", ["sales"], "individual"],
    ["VP of Business Development", ["bizdev"], "vp"],
    ["CISO", ["security"], "c_level"],
    ["Director of IT", ["it"], "director"],
    ["Buyer", ["procurement"], "individual"],
    ["Head of Logistics", ["supply"], "head"],
    ["Director of Revenue Management", ["revenue_management"], "director"],
    ["Sales Intern", ["sales"], "entry"],
    ["Junior Developer", ["engineering"], "entry"],
  ])("%s -> %j at %s", (title, functions, level) => {
    expect(classifyRole(title, lexicon)).toMatchObject({ functions, level });
  });
});

describe("profileLead", () => {
  it("reads industries from the pool's labels with the closest concept first", () => {
    const p = profileLead(lead({ industry: "Software", sub_industry: "SaaS" }), lexicon);
    expect(p.industries.get("saas")).toBe(1);
    expect(p.industries.get("software")).toBe(1);
    // "SaaS" names the SaaS label only: other software is not read as SaaS.
    const other = profileLead(
      lead({ industry: "Software", sub_industry: "Cybersecurity" }),
      lexicon,
    );
    expect(other.industries.has("saas")).toBe(false);
    expect(other.industries.get("cybersecurity")).toBe(1);
    // A concept listing several labels is closest to its first.
    const wind = profileLead(lead({ industry: "Energy", sub_industry: "Wind" }), lexicon);
    expect(wind.industries.get("wind")).toBe(1);
    expect(wind.industries.get("cleantech")).toBeCloseTo(0.9);
  });

  it("reads free-text industries of leads from other sources", () => {
    const p = profileLead(lead({ industry: "hospital network", sub_industry: "" }), lexicon);
    expect(p.industries.has("hospitals")).toBe(true);
  });

  it("places a region in its locality, country and every region containing them", () => {
    const p = profileLead(lead({ region: "US - Ohio" }), lexicon);
    for (const id of ["ohio", "us_midwest", "us", "north_america"])
      expect(p.places.has(id)).toBe(true);
    expect(p.places.has("europe")).toBe(false);
    const berlin = profileLead(lead({ region: "Germany - Berlin" }), lexicon);
    for (const id of ["berlin", "germany", "dach", "europe", "emea"]) {
      expect(berlin.places.has(id)).toBe(true);
    }
    // A US state named like a country stays in the US.
    expect(profileLead(lead({ region: "US - Georgia" }), lexicon).places.has("us_south")).toBe(
      true,
    );
  });
});

describe("assessFit", () => {
  const parsed = parseDescription(DEMO, lexicon);
  const vp = lead({
    role: "VP of Sales",
    industry: "Software",
    sub_industry: "SaaS",
    region: "US - California",
  });

  it("accepts a lead meeting every stated constraint and names what a misfit misses", () => {
    expect(assessFit(vp, parsed, lexicon)).toMatchObject({ fits: true, missed: [] });
    const cases: [Partial<Lead>, string[]][] = [
      [
        { role: "VP of Manufacturing", industry: "Manufacturing", sub_industry: "Automotive" },
        ["industry", "role"],
      ],
      [{ industry: "Manufacturing", sub_industry: "Automotive" }, ["industry"]],
      [{ role: "Sales Manager" }, ["role"]],
      [{ role: "CISO" }, ["role"]],
      [{ region: "UK - London" }, ["place"]],
    ];
    for (const [change, missed] of cases) {
      expect(assessFit({ ...vp, ...change }, parsed, lexicon).missed.sort()).toEqual(missed);
    }
  });

  it("keeps fits in [FIT_FLOOR, 1] and misfits in [0, MISFIT_CAP] over the whole pool", () => {
    for (const desc of [DEMO, "Fintech startups in London", "", "!!!", "x".repeat(2000)]) {
      const p = parseDescription(desc, lexicon);
      for (const l of loadLeadPool()) {
        const a = assessFit(l, p, lexicon);
        if (a.fits) {
          expect(a.score).toBeGreaterThanOrEqual(FIT_FLOOR);
          expect(a.score).toBeLessThanOrEqual(1);
        } else {
          expect(a.score).toBeGreaterThanOrEqual(0);
          expect(a.score).toBeLessThanOrEqual(MISFIT_CAP);
        }
      }
    }
  });

  it("meets a named title only with that title, or a role that names none", () => {
    const p = parseDescription("Chief Revenue Officers at SaaS companies", lexicon);
    const base = { industry: "Software", sub_industry: "SaaS" };
    expect(assessFit(lead({ ...base, role: "Chief Revenue Officer" }), p, lexicon).fits).toBe(true);
    expect(assessFit(lead({ ...base, role: "Chief Sales Officer" }), p, lexicon).fits).toBe(false);
    expect(assessFit(lead({ ...base, role: "VP of Sales" }), p, lexicon).fits).toBe(false);
  });

  it("orders fits by closeness to the stated seniority", () => {
    const score = (role: string) => fitScore({ ...vp, role }, DEMO);
    expect(score("VP of Sales")).toBeGreaterThan(score("Head of Sales"));
    expect(score("Head of Sales")).toBeGreaterThan(score("Director of Sales"));
  });

  it("ranks decision makers first when no seniority is stated", () => {
    const desc = "Marketing people at fintech companies";
    const base = { industry: "Fintech", sub_industry: "Payments" };
    const order = [
      "CMO",
      "VP of Marketing",
      "Marketing Manager",
      "Marketing Specialist",
      "Marketing Intern",
    ].map((role) => fitScore(lead({ ...base, role }), desc));
    for (let i = 1; i < order.length; i++) expect(order[i]).toBeLessThan(order[i - 1]);
  });

  it("prefers the product's users among fits when the buyer states no function", () => {
    const desc = "We sell sales-automation software to decision makers at fintechs";
    const base = { industry: "Fintech", sub_industry: "Payments" };
    expect(fitScore(lead({ ...base, role: "VP of Sales" }), desc)).toBeGreaterThan(
      fitScore(lead({ ...base, role: "VP of Engineering" }), desc),
    );
    expect(
      assessFit(
        lead({ ...base, role: "VP of Engineering" }),
        parseDescription(desc, lexicon),
        lexicon,
      ).fits,
    ).toBe(true);
  });

  it("is deterministic", () => {
    expect(fitScore(vp, DEMO)).toBe(fitScore({ ...vp }, DEMO));
  });
});

describe("misfits never outrank fits", () => {
  const descriptions = [
    DEMO,
    "Fintech startups in London",
    "Heads of procurement at logistics companies outside the US",
    "Marketing leaders at D2C brands in Europe, not agencies",
    "CTOs at devtools startups in the US",
  ];

  it.each(descriptions)("in a heuristic ranking of the whole pool: %s", async (desc) => {
    const pool = loadLeadPool();
    const parsed = parseDescription(desc, lexicon);
    const fits = new Set(
      pool.filter((l) => assessFit(l, parsed, lexicon).fits).map((l) => l.email),
    );
    expect(fits.size).toBeGreaterThan(0);
    for (const bias of [-0.2, 0, 0.2]) {
      const ranked = await new HeuristicRanker({ bias }).rank(
        { request_id: "r", business_desc: desc, num_leads: 10 },
        pool,
      );
      const lastFit = Math.max(...ranked.filter((r) => fits.has(r.lead.email)).map((r) => r.rank));
      expect(lastFit).toBe(fits.size);
      const worstFit = Math.min(
        ...ranked.filter((r) => fits.has(r.lead.email)).map((r) => r.score),
      );
      const bestMisfit = Math.max(
        ...ranked.filter((r) => !fits.has(r.lead.email)).map((r) => r.score),
      );
      expect(worstFit).toBeGreaterThan(bestMisfit);
    }
  });

  it("even when the misfit is more senior and in more of the stated constraints", () => {
    const ceoWrongPlace = lead({
      email: "ceo@x.com",
      role: "Chief Revenue Officer",
      industry: "Software",
      sub_industry: "SaaS",
      region: "UK - London",
    });
    const directorFit = lead({
      email: "dir@y.com",
      role: "Sales Director",
      industry: "Software",
      sub_industry: "Data & Analytics",
      region: "US - Ohio",
    });
    expect(fitScore(directorFit, DEMO)).toBeGreaterThan(fitScore(ceoWrongPlace, DEMO));
  });
});
