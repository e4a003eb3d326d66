// The constructs of issue 24, one block each: what the parser must read from a buyer's sentence
// shape, whatever words fill it. Examples use words of the lexicon but sentence shapes the
// lexicon cannot encode, so each test fails if the construct's code is removed.
import type { Lead } from "consensus-core";
import {
  assessFit,
  defaultLexicon,
  parseDescription,
  type ParsedDescription,
} from "../../../src/leads";

const lexicon = defaultLexicon();
const parse = (text: string): ParsedDescription => parseDescription(text, lexicon);
const functionsOf = (p: ParsedDescription) => p.roles.flatMap((r) => r.functions ?? []).sort();
const lead = (role: string, sub_industry: string, industry: string, region: string): Lead => ({
  business: "Acme",
  email: `${role.replace(/\W/g, "").toLowerCase()}@acme.test`,
  full_name: "Ana Example",
  first: "Ana",
  last: "Example",
  role,
  website: "https://acme.test",
  linkedin: "https://www.linkedin.com/in/ana-example",
  industry,
  sub_industry,
  region,
});

describe("seller-product clauses are context, not the ask", () => {
  it.each([
    ["Looking for security leaders at banks for our identity product", ["security"]],
    ["Looking for finance leaders at hospitals for our IT asset management product", ["finance"]],
    ["sales VPs at SaaS companies for our HR platform", ["sales"]],
  ])("%s", (text, functions) => {
    const p = parse(text);
    expect(functionsOf(p)).toEqual(functions);
    expect(p.product).toMatch(/^our .*(product|platform)$/);
  });

  it("keeps what the product names as a preference only", () => {
    const p = parse("Looking for security leaders at banks for our recruiting product");
    // "recruiting" points at HR; the noun "product" itself is no one's job.
    expect(p.preferredFunctions).toEqual(["hr"]);
    expect(functionsOf(p)).toEqual(["security"]);
  });
});

describe('"we sell X to Y": Y is the audience', () => {
  it.each([
    ["we sell payroll software to finance leaders at restaurants", ["finance"], ["restaurants"]],
    ["We sell a CS platform to customer success managers at HR tech companies", ["success"], []],
  ])("%s", (text, functions, industries) => {
    const p = parse(text);
    expect(functionsOf(p)).toEqual(functions);
    for (const i of industries) expect(p.industries).toContain(i);
    expect(p.product).toMatch(/^we sell/i);
  });
});

describe("plural and abbreviated role nouns", () => {
  it.each([
    ["Dir. of eng at telecom companies", ["engineering"], "director"],
    ["ops mgrs at logistics companies", ["operations"], "manager"],
    ["VP IT at retailers", ["it"], "vp"],
    ["biz dev leaders at proptech startups", ["bizdev"], "c_level"],
  ])("%s", (text, functions, level) => {
    const p = parse(text);
    expect(p.roles).toHaveLength(1);
    expect(p.roles[0].functions).toEqual(functions);
    expect(p.roles[0].level).toBe(level);
  });
});

describe("seniority is a preference unless stated as a requirement", () => {
  it("security managers also takes the Head of Security, managers first", () => {
    const p = parse("security managers at hospitals");
    expect(p.roles[0].required).toBe(false);
    const head = lead("Head of Security", "Hospitals & Health Systems", "Healthcare", "US - Ohio");
    const mgr = lead("Security Manager", "Hospitals & Health Systems", "Healthcare", "US - Ohio");
    const analyst = lead(
      "Security Analyst",
      "Hospitals & Health Systems",
      "Healthcare",
      "US - Ohio",
    );
    const [h, m, a] = [head, mgr, analyst].map((l) => assessFit(l, p, lexicon));
    expect(h.fits).toBe(true);
    expect(m.fits).toBe(true);
    expect(a.fits).toBe(false);
    expect(m.score).toBeGreaterThan(h.score);
  });

  it.each([
    "security managers only at hospitals",
    "security managers (manager level only) at hospitals",
  ])("%s keeps managers only", (text) => {
    const p = parse(text);
    expect(p.roles).toHaveLength(1);
    expect(p.roles[0].accepts).toEqual(["manager"]);
    expect(p.roles[0].required).toBe(true);
  });

  it("a function alone before a company noun qualifies the company, not a role", () => {
    const p = parse("product managers at performance marketing agencies");
    expect(functionsOf(p)).toEqual(["product"]);
  });
});

describe("coordinated lists", () => {
  it("roles", () => {
    expect(functionsOf(parse("sales and marketing VPs at fintechs"))).toEqual([
      "marketing",
      "sales",
    ]);
  });
  it("industries", () => {
    expect(parse("CFOs at banks, credit unions or insurers").industries).toEqual(
      expect.arrayContaining(["banking", "credit_unions", "insurance"]),
    );
  });
  it("places", () => {
    expect(parse("HR leaders in Texas, Florida or Georgia").places).toEqual([
      "florida",
      "georgia",
      "texas",
    ]);
  });
});

describe('"anywhere", "any country but X", "outside X"', () => {
  it("anywhere states no place and says so", () => {
    const p = parse("data leaders at e-commerce companies, anywhere");
    expect(p.places).toEqual([]);
    expect(p.anywhere).toBe(true);
  });
  it.each([
    ["heads of data at insurers, any country but India", "india"],
    ["marketing heads at nonprofits anywhere but the UK", "uk"],
    ["CMOs at beauty brands, any country except Germany", "germany"],
    ["sales VPs at SaaS companies outside the US", "us"],
    ["engineering directors at streaming companies outside of Canada", "canada"],
  ])("%s excludes the place", (text, place) => {
    const p = parse(text);
    expect(p.exclude.places).toEqual([place]);
    expect(p.places).toEqual([]);
  });
});

describe('"at companies like X"', () => {
  it("reads each named company as its industry", () => {
    const p = parse("CISOs at companies like CrowdStrike or Okta");
    expect(p.industries).toEqual(["cybersecurity"]);
    expect(p.companiesLike).toEqual(["CrowdStrike", "Okta"]);
  });
  it("reports a company it does not know instead of guessing", () => {
    const p = parse("CFOs at companies like Zorblatt");
    expect(p.industries).toEqual([]);
    expect(p.ignored).toContain("Zorblatt");
  });
});

describe("what was not understood is reported, and the rest still answers", () => {
  it("lists unknown words and unenforced wishes", () => {
    const p = parse(
      "Directors of engineering at streaming companies outside the US, ideally London",
    );
    expect(p.ignored).toContain("ideally London");
    expect(p.places).toEqual([]);
    expect(p.exclude.places).toEqual(["us"]);
    expect(functionsOf(p)).toEqual(["engineering"]);
  });
  it("a maker noun after an industry only names its kind", () => {
    expect(parse("Sales leaders at pharmaceutical manufacturers").industries).toEqual(["pharma"]);
  });
  it("a misspelt title is repaired to the title, not to a steering word", () => {
    const p = parse("chief financial offcers at D2C brands");
    expect(p.roles.map((r) => r.title)).toContain("cfo");
  });
});
