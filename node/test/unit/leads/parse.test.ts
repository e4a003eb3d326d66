import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  DEFAULT_LEXICON_PATH,
  defaultLexicon,
  describeParse,
  loadLexicon,
  parseDescription,
  type ParsedDescription,
} from "../../../src/leads";

const lexicon = defaultLexicon();
const parse = (text: string): ParsedDescription => parseDescription(text, lexicon);
const roles = (text: string) =>
  parse(text).roles.map((r) => ({
    functions: r.functions,
    accepts: r.accepts?.slice().sort() ?? null,
  }));
const LEADERS = ["c_level", "director", "head", "vp"];

describe("parseDescription: roles and functions", () => {
  it.each([
    ["VPs of Sales at software companies", ["sales"]],
    ["heads of marketing", ["marketing"]],
    ["engineering leaders", ["engineering"]],
    ["security leaders at banks", ["security"]],
    ["Directors of Operations", ["operations"]],
    ["procurement heads at manufacturers", ["procurement"]],
    ["partnerships leads and channel directors", ["partnerships"]],
    ["customer success leaders", ["success"]],
    ["revenue leaders", ["sales"]],
    ["HR and people ops leaders", ["hr"]],
  ])("%s -> %j", (text, functions) => {
    const [first] = parse(text).roles;
    expect(first.functions).toEqual(functions);
  });

  it("reads several functions joined by and/or/commas as one role", () => {
    expect(roles("Sales, marketing or growth directors at fintechs")).toEqual([
      { functions: ["marketing", "sales"], accepts: ["director", "head", "vp"] },
    ]);
  });

  it("reads titles as roles of their own", () => {
    expect(roles("CTOs and VPs of Engineering")).toEqual([
      { functions: ["engineering"], accepts: ["c_level"] },
      { functions: ["engineering"], accepts: LEADERS },
    ]);
    expect(roles("founders or CEOs of seed-stage startups")).toEqual([
      { functions: ["executive"], accepts: ["c_level"] },
      { functions: ["executive"], accepts: ["c_level"] },
    ]);
    expect(roles("CISOs")).toEqual([{ functions: ["security"], accepts: ["c_level"] }]);
    expect(roles("CFOs and finance chiefs")[0]).toEqual({
      functions: ["finance"],
      accepts: ["c_level"],
    });
  });

  it("separates role groups that other words split", () => {
    expect(roles("CMOs at banks and IT directors at hospitals")).toEqual([
      { functions: ["marketing"], accepts: ["c_level"] },
      { functions: ["it"], accepts: ["director", "head", "vp"] },
    ]);
  });
});

describe("parseDescription: seniority", () => {
  it.each([
    ["C-level at fintechs", ["c_level"]],
    ["c-suite execs", ["c_level", "vp"]],
    ["VPs", LEADERS],
    ["heads of growth", LEADERS],
    ["directors", ["director", "head", "vp"]],
    ["decision makers in healthcare", LEADERS],
    // A single named level of a function is a preference (issue 24): its seniors fit too.
    ["sales managers", ["manager", ...LEADERS]],
    ["sales managers only", ["manager"]],
    ["individual contributors in engineering", ["individual"]],
    ["SDRs", ["individual"]],
  ])("%s -> %j", (text, accepts) => {
    expect(roles(text)[0].accepts).toEqual([...accepts].sort());
  });

  it("remembers the level named so closeness can order by it", () => {
    expect(parse("Directors of Sales").roles[0].level).toBe("director");
    expect(parse("VPs of Sales").roles[0].level).toBe("vp");
  });
});

describe("parseDescription: industries in buyers' words", () => {
  it.each([
    ["hospitals in Texas", ["hospitals"]],
    ["health systems and clinics", ["clinics", "hospitals"]],
    ["devtools startups", ["devtools"]],
    ["D2C brands", ["d2c"]],
    ["DTC skincare brands", ["beauty", "d2c"]],
    ["cold-chain logistics providers", ["cold_chain"]],
    ["fintech payments companies", ["payments"]],
    ["3PLs and freight forwarders", ["freight_forwarding", "logistics"]],
    ["MSPs", ["msp"]],
    ["K-12 school districts", ["k12"]],
    ["US tech companies", ["software"]],
    ["insurers", ["insurance"]],
    ["nonprofits", ["nonprofit"]],
  ])("%s -> %j", (text, industries) => {
    expect(parse(text).industries).toEqual(industries);
  });

  it("reads 'marketing' as an industry only before a company noun", () => {
    expect(parse("marketing firms").industries).toEqual(["marketing_industry"]);
    expect(parse("marketing firms").roles).toEqual([]);
    expect(parse("marketing leaders").industries).toEqual([]);
    expect(parse("marketing leaders").roles[0].functions).toEqual(["marketing"]);
  });
});

describe("parseDescription: geography at the level stated", () => {
  it.each([
    ["companies in Germany", ["germany"]],
    ["companies in the US", ["us"]],
    ["US-based companies", ["us"]],
    ["USA", ["us"]],
    ["US Midwest manufacturers", ["us_midwest"]],
    ["manufacturers in the midwest", ["us_midwest"]],
    ["European fintechs", ["europe"]],
    ["DACH region", ["dach"]],
    ["Nordics and Benelux", ["benelux", "nordics"]],
    ["LATAM", ["latam"]],
    ["London", ["london"]],
    ["NYC or Boston", ["massachusetts", "new_york"]],
    ["the Bay Area", ["california"]],
    ["APAC", ["apac"]],
  ])("%s -> %j", (text, places) => {
    expect(parse(text).places).toEqual(places);
  });

  it("lets a narrower place written next to a broader one narrow it", () => {
    expect(parse("freight cos in the southeast US").places).toEqual(["us_southeast"]);
    expect(parse("Berlin, Germany").places).toEqual(["berlin"]);
    expect(parse("the US and Canada").places).toEqual(["canada", "us"]);
  });

  it("never reads the pronoun 'us' as the country", () => {
    expect(parse("help us find fintech leads").places).toEqual([]);
    expect(parse("Let us grow").places).toEqual([]);
  });
});

describe("parseDescription: exclusions", () => {
  it.each([
    ["Marketing leaders at D2C brands, not agencies", { industries: ["agencies"] }],
    ["SaaS companies outside the US", { places: ["us"] }],
    ["non-US fintechs", { places: ["us"] }],
    ["anyone in Europe excluding the UK and Ireland", { places: ["uki"] }],
    ["sales leaders, no interns", { levels: ["entry"] }],
    ["logistics but not trucking or last-mile", { industries: ["freight", "last_mile"] }],
  ])("%s", (text, expected: { industries?: string[]; places?: string[]; levels?: string[] }) => {
    const p = parse(text);
    expect(p.exclude).toEqual({
      functions: [],
      levels: [],
      industries: [],
      places: [],
      ...expected,
    });
    // What is excluded is not also asked for.
    for (const id of expected.industries ?? []) expect(p.industries).not.toContain(id);
    for (const id of expected.places ?? []) expect(p.places).not.toContain(id);
  });

  it("keeps an excluded place and an included region apart", () => {
    const p = parse("fintechs in Europe outside the UK");
    expect(p.places).toEqual(["europe"]);
    expect(p.exclude.places).toEqual(["uk"]);
  });

  it("does not read 'non-profit' as an exclusion", () => {
    const p = parse("non-profit organisations");
    expect(p.industries).toEqual(["nonprofit"]);
    expect(p.exclude.industries).toEqual([]);
  });
});

describe("parseDescription: the seller's own product is not the audience", () => {
  it("reads the README demo request", () => {
    const p = parse(
      "B2B SaaS platform selling sales-automation software to VPs of Sales at US tech companies",
    );
    expect(p.product).toBe("B2B SaaS platform selling sales-automation software");
    expect(roles("VPs of Sales")).toEqual([{ functions: ["sales"], accepts: LEADERS }]);
    expect(p.roles.map((r) => r.functions)).toEqual([["sales"]]);
    expect(p.industries).toEqual(["software"]);
    expect(p.places).toEqual(["us"]);
    expect(p.preferredFunctions).toEqual(["sales"]);
  });

  it.each([
    ["We sell HR software to hospitals", ["hospitals"], []],
    ["We sell sales-automation software to hospitals", ["hospitals"], ["sales"]],
    ["HR software for hospitals", ["hospitals"], []],
    ["Our devtools startup wants CTOs at fintechs", ["fintech"], []],
    ["Cybersecurity tool for CISOs at banks", ["banking"], []],
    ["Security tooling for banks", ["banking"], ["security"]],
  ])("%s", (text, industries, preferred) => {
    const p = parse(text);
    expect(p.industries).toEqual(industries);
    expect(p.preferredFunctions).toEqual(preferred);
    expect(p.product).not.toBeNull();
  });

  it("keeps a company that sells as the audience, not the product", () => {
    const p = parse("SaaS companies that sell to hospitals");
    expect(p.product).toBeNull();
    expect(p.industries).toEqual(["saas"]);
  });

  it("reads everything as the audience when no seller speaks", () => {
    const p = parse("Fintech startups in London");
    expect(p.product).toBeNull();
    expect(p.industries).toEqual(["fintech"]);
    expect(p.places).toEqual(["london"]);
  });
});

describe("parseDescription: typos and abbreviations", () => {
  it("repairs one-letter slips in longer words and reports them", () => {
    const p = parse("helthcare compnies in Califronia, no internz");
    expect(p.industries).toEqual(["healthcare"]);
    expect(p.places).toEqual(["california"]);
    expect(p.corrections).toEqual([
      { from: "helthcare", to: "healthcare" },
      { from: "compny", to: "company" },
      { from: "califronia", to: "california" },
      { from: "internz", to: "intern" },
    ]);
  });

  it("does not correct short words or words it knows", () => {
    expect(parse("saels ops").corrections).toEqual([]);
    expect(parse("managed services firms").corrections).toEqual([]);
  });

  it.each([
    ["VP Mktg at ecom cos in NYC", ["marketing"], ["ecommerce"], ["new_york"]],
    ["BD heads at fintechs in the UK", ["bizdev"], ["fintech"], ["uk"]],
    ["CS leaders at B2B SaaS in DACH", ["success"], ["saas"], ["dach"]],
    ["IT dirs at K12 schools in the US", ["it"], ["k12"], ["us"]],
  ])("%s", (text, functions, industries, places) => {
    const p = parse(text);
    expect(p.roles[0].functions).toEqual(functions);
    expect(p.industries).toEqual(industries);
    expect(p.places).toEqual(places);
  });
});

describe("parseDescription: determinism and the summary", () => {
  it("gives the same result for the same text", () => {
    const text = "Heads of procurement at cold-chain logistics cos outside the US";
    expect(parse(text)).toEqual(parse(text));
  });

  it("summarises a parse for logs and prompts", () => {
    expect(describeParse(parse("Fintech startups in London"))).toBe(
      "industries (any of): fintech; places (any of): london",
    );
    expect(describeParse(parse(""))).toBe("no stated constraints");
  });
});

describe("operator lexicon extensions", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "lexicon-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("adds phrases to existing entries and new entries without code changes", () => {
    const extra = path.join(dir, "extra.json");
    writeFileSync(
      extra,
      JSON.stringify({
        industries: { hospitals: { phrases: ["hospices"] } },
        places: { bavaria: { phrases: ["bavaria"], in: ["germany"] } },
      }),
    );
    expect(parse("hospices in Bavaria").industries).toEqual([]);
    const extended = loadLexicon([DEFAULT_LEXICON_PATH, extra]);
    const p = parseDescription("hospices in Bavaria", extended);
    expect(p.industries).toEqual(["hospitals"]);
    expect(p.places).toEqual(["bavaria"]);
    // The entry keeps its shipped phrases.
    expect(parseDescription("hospitals", extended).industries).toEqual(["hospitals"]);
  });

  it("loads LEAD_LEXICON_PATH on top of the shipped lexicon", () => {
    const extra = path.join(dir, "env.json");
    writeFileSync(extra, JSON.stringify({ industries: { gaming: { phrases: ["esports"] } } }));
    const env = defaultLexicon({ LEAD_LEXICON_PATH: extra });
    expect(parseDescription("esports teams", env).industries).toEqual(["gaming"]);
    expect(defaultLexicon({})).toBe(defaultLexicon({}));
  });

  it("names the file and field of a bad entry", () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ places: { x: { phrases: "x" } } }));
    expect(() => loadLexicon([DEFAULT_LEXICON_PATH, bad])).toThrow(
      /lexicon .*bad\.json: field "places\.x\.phrases"/,
    );
    const dangling = path.join(dir, "dangling.json");
    writeFileSync(dangling, JSON.stringify({ places: { x: { phrases: ["x"], in: ["nowhere"] } } }));
    expect(() => loadLexicon([DEFAULT_LEXICON_PATH, dangling])).toThrow(/unknown "nowhere"/);
  });
});
