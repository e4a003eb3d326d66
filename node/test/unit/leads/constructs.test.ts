// The constructs of issue 24, one block each: what the parser must read from a buyer's sentence
// shape, whatever words fill it. Examples use words of the lexicon but sentence shapes the
// lexicon cannot encode, so each test fails if the construct's code is removed.
import type { Lead } from "consensus-core";
import {
  assessFit,
  classifyRole,
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
    // The buyer stated an industry the round cannot read: no lead can be shown to fit it.
    expect(p.unread).toEqual(["industry"]);
    const cfo = lead("CFO", "Payments", "Fintech", "US - Texas");
    expect(assessFit(cfo, p, lexicon)).toMatchObject({ fits: false, missed: ["industry"] });
  });
  it("answers from a known company or a stated industry when another is unknown", () => {
    expect(parse("CTOs at companies like Mercury or Brex").unread).toEqual(["industry"]);
    const known = parse("CTOs at companies like Plaid or Zorblatt");
    expect(known.industries).toEqual(["banking_infra"]);
    expect(known.unread).toEqual([]);
    const stated = parse("CTOs at fintechs like Zorblatt");
    expect(stated.industries).toEqual(["fintech"]);
    expect(stated.unread).toEqual([]);
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

describe("an industry named in words the lexicon does not know is not guessed", () => {
  it.each([
    ["security directors at AEC firms in the US", "AEC"],
    ["finance directors at agrifood companies", "agrifood"],
  ])("%s", (text, word) => {
    const p = parse(text);
    expect(p.industries).toEqual([]);
    expect(p.unread).toEqual(["industry"]);
    expect(p.ignored).toContain(word);
    // What was understood is still read and reported.
    expect(p.roles.length).toBe(1);
  });
  it("a modifier the lexicon knows names no industry", () => {
    const p = parse("Marketing heads at B2B companies in the US");
    expect(p.unread).toEqual([]);
    expect(p.places).toEqual(["us"]);
  });
});

describe("an industry word reads its own label, not its neighbours", () => {
  it.each([
    ["Marketing VPs at insurance carriers", ["insurance"], "InsurTech", "Fintech"],
    ["heads of sales at e-learning companies", ["online_learning"], "EdTech", "Education"],
    ["sales mgrs at digital health startups", ["digital_health"], "Telemedicine", "Healthcare"],
    ["CFOs at SaaS companies", ["saas"], "Developer Tools", "Software"],
    ["IT directors at retail banks", ["banking"], "Credit Unions", "Financial Services"],
    ["legal heads at FS companies", ["financial_services"], "WealthTech", "Fintech"],
    [
      "HR leaders at performance marketing agencies",
      ["digital_agencies"],
      "Creative Agencies",
      "Marketing & Advertising",
    ],
  ])("%s", (text, industries, sibling, industry) => {
    const p = parse(text);
    expect(p.industries).toEqual(industries);
    const r = p.roles[0];
    const role =
      r.title === "cfo"
        ? "CFO"
        : `VP of ${(r.functions ?? ["Sales"])[0].replace(/^\w/, (c) => c.toUpperCase())}`;
    const l = lead(role, sibling, industry, "US - Texas");
    expect(assessFit(l, p, lexicon).missed).toContain("industry");
  });
  it('"ad agencies" names the whole marketing and advertising industry', () => {
    expect(parse("VP sales at ad agencies").industries).toEqual(["marketing_industry"]);
  });
  it("a concept's own label comes before its related labels, whatever the seniority", () => {
    const p = parse("VPs of sales at renewables companies");
    const solar = assessFit(lead("Sales Director", "Solar", "Energy", "US - Texas"), p, lexicon);
    const wind = assessFit(lead("VP of Sales", "Wind", "Energy", "US - Texas"), p, lexicon);
    expect(solar.fits && wind.fits).toBe(true);
    expect(solar.score).toBeGreaterThan(wind.score);
  });
});

describe("several industries: lists stand, a broader word apart is narrowed", () => {
  it("an industry word before a role word yields to the company's industry", () => {
    expect(parse("energy procurement people at utilities and oil & gas").industries).toEqual([
      "oil_gas",
      "utilities",
    ]);
    expect(parse("fleet ops leaders at logistics companies").industries).toEqual(["logistics"]);
  });
  it("an industry written as a modifier of a company noun reads in a list", () => {
    expect(parse("heads of sales at CPG household brands or food companies").industries).toEqual([
      "food_beverage",
      "household",
    ]);
  });
  it("a list keeps the broader and the narrower word", () => {
    expect(parse("Supply chain heads at CPG and food brands").industries).toEqual([
      "cpg",
      "food_beverage",
    ]);
    expect(parse("Sales leaders at travel and hospitality businesses").industries).toEqual([
      "hospitality",
      "travel",
    ]);
  });
});

describe("a function with no level word means its managers and leaders", () => {
  it.each(["finance teams at hospitals", "marketing people at ecommerce brands"])("%s", (text) => {
    const r = parse(text).roles[0];
    expect(r.accepts).toEqual(["c_level", "vp", "head", "director", "manager"]);
    expect(r.required).toBe(false);
  });
  it("does not take the function's analysts", () => {
    const p = parse("we sell expense software to finance teams at manufacturers");
    const analyst = lead("Financial Analyst", "Chemicals", "Manufacturing", "US - Ohio");
    expect(assessFit(analyst, p, lexicon).missed).toEqual(["role"]);
  });
  it("several levels down to managers: the lowest is the floor, everyone above fits", () => {
    const r = parse("IT managers and IT directors at MSPs").roles[0];
    expect(r.functions).toEqual(["it"]);
    expect([...(r.accepts ?? [])].sort()).toEqual(
      ["c_level", "director", "head", "manager", "vp"].sort(),
    );
    // Directors alone still do not take the chief.
    expect(parse("IT directors at MSPs").roles[0].accepts).not.toContain("c_level");
  });
  it("a manager-level title with a stated requirement keeps the requirement", () => {
    const p = parse("channel and customer success managers (manager level only) at D2C brands");
    const csm = p.roles.find((r) => r.functions?.includes("success"));
    expect(csm).toMatchObject({ accepts: ["manager"], required: true });
  });
});

describe("the seller's own sentence names the product and its users, not the ask", () => {
  it("users named in the seller's sentence are a preference when another sentence asks", () => {
    const p = parse(
      "Our expense tool is used by finance teams. Looking for procurement directors at hospitals",
    );
    expect(functionsOf(p)).toEqual(["procurement"]);
    expect(p.preferredFunctions).toContain("finance");
    expect(p.industries).toEqual(["hospitals"]);
  });
  it('"with X software" in the seller\'s sentence is the product, not an industry', () => {
    const p = parse(
      "We help restaurants with inventory software; we want owners and COOs at restaurant groups",
    );
    expect(p.industries).toEqual(["restaurants"]);
  });
  it("with one sentence, the users are the ask; brackets do not end a sentence", () => {
    expect(functionsOf(parse("Our platform is used by ops teams at trucking companies"))).toEqual([
      "operations",
    ]);
    expect(
      functionsOf(
        parse("we sell procurement software to eng managers (manager level only) at banks"),
      ),
    ).toEqual(["engineering"]);
  });
});

describe("regions and titles at the grain the buyer wrote", () => {
  it('"the US southeast" is the southeast, not the whole south', () => {
    const p = parse("sales mgrs at trucking companies in the US southeast");
    expect(p.places).toEqual(["us_southeast"]);
    const texas = lead("Sales Manager", "Freight & Trucking", "Logistics", "US - Texas");
    const florida = lead("Sales Manager", "Freight & Trucking", "Logistics", "US - Florida");
    expect(assessFit(texas, p, lexicon).missed).toEqual(["place"]);
    expect(assessFit(florida, p, lexicon).fits).toBe(true);
  });
  it("a plant manager is not an operations manager", () => {
    expect(classifyRole("Plant Manager", lexicon).functions).toEqual(["plant"]);
    const p = parse("operations managers at automotive manufacturers");
    const plant = lead("Plant Manager", "Automotive", "Manufacturing", "US - California");
    expect(assessFit(plant, p, lexicon).missed).toEqual(["role"]);
    expect(parse("plant managers at automotive manufacturers").roles[0].functions).toEqual([
      "plant",
    ]);
  });
});

describe("a word cut short inside a known phrase", () => {
  it.each([
    ["security leaders at network infra vendors", "network_infrastructure", "infra"],
    ["finance heads at commercial constr companies", "commercial_construction", "constr"],
  ])("%s", (text, industry, cut) => {
    const p = parse(text);
    expect(p.industries).toEqual([industry]);
    expect(p.corrections.map((c) => c.from)).toContain(cut);
    expect(p.unread).toEqual([]);
  });
  it("only when the rest of the phrase is written out and one word fits", () => {
    // "infra" alone completes no phrase: the industry stays unread rather than guessed.
    expect(parse("security leaders at infra vendors").unread).toEqual(["industry"]);
  });
});
