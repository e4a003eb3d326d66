// A generator of buyer descriptions with their gold specs (gold.mjs): role × seniority ×
// industry × place × exclusion × seller context, with typos and abbreviations, from a fixed seed.
// Each description is anchored on a lead of the pool (its function, industry and place), so most
// asks have fits to find; the wording comes from phrase tables written as buyers write, never from
// the parser's lexicon. Run once to build the split (split.mjs); the output is committed.
import { FUNCTIONS } from "./gold.mjs";
import { EUROPE, MIDWEST, LATAM } from "./readings.mjs";
import { rng } from "../lib.mjs";

const FN_WORDS = {
  sales: ["sales", "Sales"],
  marketing: ["marketing", "Marketing"],
  engineering: ["engineering", "eng"],
  security: ["security", "infosec"],
  procurement: ["procurement", "purchasing"],
  operations: ["operations", "ops"],
  hr: ["HR", "people"],
  finance: ["finance", "Finance"],
  success: ["customer success", "Customer Success"],
  it: ["IT"],
  partnerships: ["partnerships", "channel"],
  supply: ["supply chain"],
  data: ["data", "analytics"],
  legal: ["legal"],
  product: ["product"],
  bizdev: ["business development", "biz dev"],
};

/** Role phrasings per seniority; {F} is a function word. Gold kind per phrasing. */
const LEADER_FORMS = [
  ["{F} leaders", "lead"],
  ["heads of {F}", "lead"],
  ["{F} heads", "lead"],
  ["VPs of {F}", "lead"],
  ["VP {F}", "lead"],
  ["{F} VPs", "lead"],
  ["senior {F} leaders", "lead"],
  ["{F} leadership", "lead"],
  ["{F} directors", "dir"],
  ["directors of {F}", "dir"],
  ["Dir. of {F}", "dir"],
  ["head of {F}", "lead"],
];
const MANAGER_FORMS = [
  ["{F} managers", "mgr+"],
  ["{F} mgrs", "mgr+"],
  ["{F} managers (manager level only)", "mgr"],
  ["people managing {F}", "mgr+"],
];
const TITLE_FORMS = {
  CTO: ["CTOs", "CTO", "chief technology officers"],
  CFO: ["CFOs", "CFO", "chief financial officers"],
  COO: ["COOs", "chief operating officers"],
  CMO: ["CMOs", "chief marketing officers"],
  CISO: ["CISOs", "CISO"],
  CIO: ["CIOs", "chief information officers"],
  CHRO: ["CHROs", "chief people officers"],
  CRO: ["CROs", "chief revenue officers"],
  CEO: ["CEOs", "founders/CEOs"],
};
const TITLE_OF_ROLE = {
  CTO: "CTO",
  CFO: "CFO",
  "Chief Financial Officer": "CFO",
  COO: "COO",
  "Chief Operating Officer": "COO",
  CMO: "CMO",
  "Chief Marketing Officer": "CMO",
  CISO: "CISO",
  "Chief Information Security Officer": "CISO",
  CIO: "CIO",
  "Chief Information Officer": "CIO",
  CHRO: "CHRO",
  "Chief People Officer": "CHRO",
  "Chief Revenue Officer": "CRO",
  CEO: "CEO",
  "Founder & CEO": "CEO",
};

/** Buyer words for the pool's sub-industries (and a few whole industries). */
const SUB_WORDS = {
  "Senior Care": ["senior care providers", "assisted living operators"],
  "D2C Brands": ["DTC brands", "direct-to-consumer brands", "D2C brands"],
  "Subscription Commerce": ["subscription box companies", "subscription e-commerce businesses"],
  Insurance: ["insurance carriers", "insurers"],
  "Clinical Research": ["CROs (clinical research orgs)", "clinical research companies"],
  "Developer Tools": ["developer tools companies", "devtool startups"],
  "Management Consulting": ["management consultancies", "consulting firms"],
  "Hospitals & Health Systems": ["hospitals", "health systems"],
  AdTech: ["adtech companies", "ad tech firms"],
  "Sales Tech": ["sales tech vendors", "sales software companies"],
  "Retail Chains": ["retail chains"],
  "EV Charging": ["EV charging companies", "EV charging networks"],
  Cybersecurity: ["cybersecurity vendors", "cyber security companies"],
  EdTech: ["edtech companies", "ed-tech startups"],
  "Beauty & Personal Care": ["beauty brands", "cosmetics companies"],
  PropTech: ["proptech startups", "prop-tech companies"],
  "HR Tech": ["HR tech companies", "HR software vendors"],
  Marketplaces: ["online marketplaces", "marketplace startups"],
  "Asset Management": ["asset managers", "asset management firms"],
  Aerospace: ["aerospace manufacturers", "aerospace companies"],
  "Medical Devices": ["medical device companies", "medtech device makers"],
  "Data & Analytics": ["data analytics companies", "analytics software vendors"],
  "Warehousing & Fulfillment": ["3PLs", "fulfillment centers", "warehousing companies"],
  Telemedicine: ["telehealth companies", "telemedicine providers"],
  "Robotics & Automation": ["robotics companies", "industrial automation firms"],
  "IT Services & MSPs": ["MSPs", "IT services firms", "managed service providers"],
  Banking: ["banks", "retail banks"],
  "Digital Health": ["digital health startups", "digital health companies"],
  MarTech: ["martech companies", "marketing technology vendors"],
  "Online Learning": ["online learning platforms", "e-learning companies"],
  "Property Management": ["property management companies", "property managers"],
  "Higher Education": ["universities", "colleges and universities"],
  "Crypto & Web3": ["crypto companies", "web3 startups"],
  "Creative Agencies": ["creative agencies", "design agencies"],
  "Credit Unions": ["credit unions"],
  Lending: ["lenders", "lending startups"],
  "Last-Mile Delivery": ["last-mile delivery companies", "last mile delivery startups"],
  "Fleet Management": ["fleet management companies", "fleet operators"],
  "Architecture & Engineering": ["architecture firms", "A&E firms"],
  Payments: ["payments companies", "payment processors"],
  "Oil & Gas": ["oil and gas companies", "oil & gas producers"],
  "Digital Marketing Agencies": ["digital marketing agencies", "performance marketing agencies"],
  "Household Products": ["household products companies", "CPG household brands"],
  Restaurants: ["restaurant groups", "restaurant chains"],
  "AI & Machine Learning": ["AI startups", "machine learning companies"],
  Chemicals: ["chemical manufacturers", "chemicals companies"],
  Nonprofits: ["nonprofits", "non-profit organizations"],
  Biotech: ["biotech companies", "biotechs"],
  Pharmaceuticals: ["pharma companies", "pharmaceutical manufacturers"],
  "Residential Brokerage": ["residential real estate brokerages", "real estate brokerages"],
  Publishing: ["publishers", "publishing houses"],
  "Law Firms": ["law firms"],
  "Streaming & Video": ["streaming companies", "video streaming platforms"],
  "Freight Forwarding": ["freight forwarders"],
  Grocery: ["grocery chains", "grocers"],
  "Clinics & Physician Groups": ["physician groups", "clinics"],
  "Telecom Carriers": ["telecom carriers", "mobile operators"],
  Gaming: ["game studios", "gaming companies"],
  "Hotels & Resorts": ["hotels", "hotel groups", "resorts"],
  "Freight & Trucking": ["trucking companies", "freight carriers"],
  "Food & Beverage": ["food and beverage brands", "F&B companies"],
  "Corporate Training": ["corporate training providers"],
  "K-12 Schools": ["K-12 school districts", "K12 schools"],
  "Cold-Chain Logistics": ["cold chain logistics providers"],
  "Staffing & Recruiting": ["staffing agencies", "recruiting firms"],
  "Commercial Real Estate": ["commercial real estate firms", "CRE firms"],
  AgTech: ["agtech startups", "ag-tech companies"],
  InsurTech: ["insurtechs", "insurtech startups"],
  "Accounting Firms": ["accounting firms", "CPA firms"],
  Solar: ["solar companies", "solar installers"],
  WealthTech: ["wealthtech startups", "wealth management platforms"],
  "Travel Tech": ["travel tech companies"],
  SaaS: ["SaaS companies", "B2B SaaS cos"],
  "Network Infrastructure": ["network infrastructure vendors"],
  Electronics: ["electronics manufacturers"],
  "Industrial Machinery": ["industrial machinery makers", "equipment manufacturers"],
  Automotive: ["automotive manufacturers", "auto parts makers"],
  "Banking Infrastructure": ["banking-as-a-service providers", "BaaS companies"],
  Wind: ["wind energy companies"],
  Utilities: ["utilities", "utility companies"],
  "Energy Storage": ["battery storage companies", "energy storage startups"],
  "Public Sector": ["government agencies", "public sector organizations"],
  "Construction Tech": ["construction tech startups", "contech companies"],
  "Commercial Construction": ["commercial contractors", "commercial construction firms"],
  "Farming & Food Production": ["farms and food producers", "food production companies"],
  "Specialty Retail": ["specialty retailers"],
};
const IND_WORDS = {
  Healthcare: ["healthcare companies", "healthcare orgs"],
  "E-commerce": ["e-commerce companies", "ecommerce brands", "online retailers"],
  "Financial Services": ["financial services firms", "FS companies"],
  "Life Sciences": ["life sciences companies", "life-sci companies"],
  Software: ["software companies", "tech companies", "software cos"],
  "Professional Services": ["professional services firms"],
  "Marketing & Advertising": ["marketing and advertising agencies", "ad agencies"],
  Retail: ["retailers", "retail companies"],
  Energy: ["energy companies"],
  Education: ["education companies", "education orgs"],
  "Consumer Goods": ["consumer goods companies", "CPG companies"],
  "Real Estate": ["real estate companies", "real estate firms"],
  Manufacturing: ["manufacturers", "manufacturing companies"],
  Logistics: ["logistics companies", "logistics providers"],
  "Government & Nonprofit": ["government and nonprofit orgs"],
  Fintech: ["fintechs", "fintech companies", "fin-tech startups"],
  Construction: ["construction companies", "builders"],
  "Hospitality & Travel": ["hospitality companies", "travel and hospitality businesses"],
  Telecommunications: ["telecom companies", "telcos"],
  "Media & Entertainment": ["media companies", "media and entertainment companies"],
  Agriculture: ["agriculture companies", "agribusinesses"],
};
/** Exclusions that make sense inside an industry: [industry, excluded sub, buyer words]. */
const IND_EXCLUSIONS = [
  ["Fintech", "Crypto & Web3", ["no crypto", "excluding crypto", "not web3"]],
  ["Healthcare", "Telemedicine", ["excluding telehealth", "no telemedicine"]],
  ["Healthcare", "Senior Care", ["not senior care", "no senior living"]],
  ["Marketing & Advertising", "Creative Agencies", ["no creative agencies"]],
  ["Software", "Cybersecurity", ["not security vendors", "excluding cybersecurity"]],
  ["Software", "AI & Machine Learning", ["no AI companies"]],
  ["E-commerce", "Marketplaces", ["not marketplaces", "excluding marketplaces"]],
  ["Logistics", "Last-Mile Delivery", ["no last-mile delivery"]],
  ["Education", "K-12 Schools", ["no K-12", "excluding K12 schools"]],
  ["Financial Services", "Insurance", ["not insurance", "no insurers"]],
  ["Professional Services", "Law Firms", ["no law firms"]],
  ["Professional Services", "Staffing & Recruiting", ["no staffing agencies"]],
  ["Media & Entertainment", "Gaming", ["no gaming"]],
];

const COUNTRY_WORDS = {
  US: ["in the US", "US-based", "in the USA", "in the United States"],
  UK: ["in the UK", "UK-based", "in Britain"],
  Canada: ["in Canada", "Canadian"],
  Germany: ["in Germany", "German"],
  France: ["in France", "French"],
  India: ["in India", "India-based"],
  Australia: ["in Australia", "Australian"],
  Sweden: ["in Sweden", "Swedish"],
  Israel: ["in Israel", "Israeli"],
  Spain: ["in Spain", "Spanish"],
  Brazil: ["in Brazil", "Brazilian"],
  Singapore: ["in Singapore"],
  Netherlands: ["in the Netherlands", "Dutch"],
  Italy: ["in Italy", "Italian"],
  Belgium: ["in Belgium"],
  UAE: ["in the UAE", "in the Emirates"],
  Poland: ["in Poland"],
  Switzerland: ["in Switzerland", "Swiss"],
  Finland: ["in Finland"],
  Japan: ["in Japan"],
  "New Zealand": ["in New Zealand", "NZ-based"],
  Ireland: ["in Ireland", "Irish"],
  Mexico: ["in Mexico"],
  Chile: ["in Chile"],
};
const COUNTRY_NAMES = {
  US: ["the US", "the USA"],
  UK: ["the UK"],
  India: ["India"],
  Canada: ["Canada"],
  Germany: ["Germany"],
  Israel: ["Israel"],
  China: ["China"],
  Brazil: ["Brazil"],
  Australia: ["Australia"],
};
const STATE_WORDS = {
  Texas: ["in Texas", "TX-based", "in TX"],
  California: ["in California", "in CA", "Californian"],
  "New York": ["in New York", "in NYC", "NY-based"],
  Florida: ["in Florida", "FL-based"],
  Illinois: ["in Illinois", "in Chicago"],
  Massachusetts: ["in Massachusetts", "in Boston"],
  Washington: ["in Washington state", "in Seattle"],
  Georgia: ["in Georgia (US)", "in Atlanta"],
  Colorado: ["in Colorado", "in Denver"],
  Ohio: ["in Ohio"],
  Michigan: ["in Michigan"],
  Pennsylvania: ["in Pennsylvania"],
  "North Carolina": ["in North Carolina", "in NC"],
};
const CITY_WORDS = {
  London: ["in London", "London-based"],
  Berlin: ["in Berlin", "Berlin-based"],
  Paris: ["in Paris"],
  Toronto: ["in Toronto"],
  Sydney: ["in Sydney"],
  Stockholm: ["in Stockholm"],
  Amsterdam: ["in Amsterdam"],
  "Tel Aviv": ["in Tel Aviv"],
  Bangalore: ["in Bangalore", "in Bengaluru"],
  Munich: ["in Munich"],
  Dubai: ["in Dubai"],
  Madrid: ["in Madrid"],
  Zurich: ["in Zurich"],
  Singapore: [],
};
const REGIONS = [
  { words: ["in Europe", "across Europe", "European"], country: EUROPE },
  { words: ["in the Nordics", "Nordic"], country: ["Sweden", "Denmark", "Norway", "Finland"] },
  { words: ["in DACH", "in the DACH region"], country: ["Germany", "Austria", "Switzerland"] },
  { words: ["in LATAM", "in Latin America"], country: LATAM },
  { words: ["in North America", "across North America"], country: ["US", "Canada"] },
  { words: ["in the Midwest", "Midwest-based"], state: MIDWEST },
  { words: ["in ANZ", "in Australia/NZ"], country: ["Australia", "New Zealand"] },
];

const SELLER_PRODUCTS = [
  "identity",
  "payroll",
  "analytics",
  "sales engagement",
  "HR",
  "marketing automation",
  "procurement",
  "data",
  "security awareness",
  "expense management",
  "customer success",
  "IT asset management",
  "contract management",
  "recruiting",
  "supply chain visibility",
];

const TYPO_SKIP = /^(US|UK|IT|HR|VP|VPs|CTO|CTOs|CFO|CFOs|no|not|but|or|and|in|at)$/;

function typo(text, r) {
  const words = text.split(" ");
  const candidates = words
    .map((w, i) => [w, i])
    .filter(([w]) => /^[a-z]{6,}$/i.test(w) && !TYPO_SKIP.test(w));
  if (candidates.length === 0) return text;
  const [w, i] = candidates[Math.floor(r() * candidates.length)];
  const p = 1 + Math.floor(r() * (w.length - 3));
  words[i] =
    r() < 0.5
      ? w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2) // swap
      : w.slice(0, p) + w.slice(p + 1); // drop
  return words.join(" ");
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

function functionOf(role) {
  for (const [fn, { re, chiefs }] of Object.entries(FUNCTIONS)) {
    if (chiefs.includes(role) || re.test(role)) return fn;
  }
  return null;
}
function levelOf(role) {
  if (/Intern|Junior|Associate|Representative|Analyst|Specialist|Coordinator/.test(role))
    return null;
  if (/\bManager\b/.test(role)) return "manager";
  if (/\bVP\b|SVP|Vice President|Head of|Director/.test(role)) return "leader";
  return null;
}

/** One description anchored on a lead; returns { desc, n, gold, constructs }. */
function describe(lead, r, pool) {
  const constructs = new Set();
  const gold = {};
  // --- who
  let rolePhrase;
  const title = TITLE_OF_ROLE[lead.role];
  const fn = functionOf(lead.role);
  const level = levelOf(lead.role);
  if (title && r() < 0.7) {
    rolePhrase = pick(r, TITLE_FORMS[title]);
    gold.role = [`title:${title}`];
    constructs.add("title");
  } else if (fn && (level || r() < 0.5)) {
    const forms = level === "manager" ? MANAGER_FORMS : LEADER_FORMS;
    const [form, kind] = pick(r, forms);
    let fw = pick(r, FN_WORDS[fn]);
    gold.role = [`${kind}:${fn}`];
    // Coordinated roles: a second function of the same seniority.
    if (r() < 0.2) {
      const fns = Object.keys(FN_WORDS).filter((f) => f !== fn);
      const other = pick(r, fns);
      fw = `${fw} and ${FN_WORDS[other][0]}`;
      gold.role.push(`${kind}:${other}`);
      constructs.add("coordinated");
    }
    rolePhrase = form.replace("{F}", fw);
    constructs.add(kind === "mgr" ? "seniority_required" : "plural_seniority");
    if (/mgrs|Dir\.|VP |eng\b|ops\b|biz dev/.test(rolePhrase)) constructs.add("abbreviation");
  } else {
    rolePhrase = pick(r, ["decision makers", "leaders", "senior leadership", "execs"]);
    gold.role = ["senior"];
    constructs.add("decision_makers");
  }
  // --- what kind of company
  let indPhrase;
  if (r() < 0.6 && SUB_WORDS[lead.sub_industry]?.length) {
    indPhrase = pick(r, SUB_WORDS[lead.sub_industry]);
    gold.ind = [lead.sub_industry];
  } else {
    indPhrase = pick(r, IND_WORDS[lead.industry]);
    gold.ind = [lead.industry];
  }
  if (r() < 0.15) {
    // Coordinated industries: a sibling sub-industry of the same pool industry.
    const siblings = [
      ...new Set(
        pool.filter((l) => l.industry === lead.industry && l.sub_industry !== lead.sub_industry),
      ),
    ]
      .map((l) => l.sub_industry)
      .filter((s) => SUB_WORDS[s]?.length);
    if (siblings.length > 0 && gold.ind[0] === lead.sub_industry) {
      const s = pick(r, siblings);
      indPhrase = `${indPhrase} or ${pick(r, SUB_WORDS[s])}`;
      gold.ind.push(s);
      constructs.add("coordinated");
    }
  }
  let exclusion = "";
  if (gold.ind[0] === lead.industry && r() < 0.5) {
    const ex = IND_EXCLUSIONS.filter(([i, s]) => i === lead.industry && s !== lead.sub_industry);
    if (ex.length > 0) {
      const [, s, words] = pick(r, ex);
      exclusion = pick(r, words);
      gold.notInd = [s];
      constructs.add("exclusion");
    }
  }
  // --- where
  const [ctry, loc] = lead.region.split(" - ");
  let placePhrase = "";
  const pr = r();
  if (pr < 0.2 && COUNTRY_WORDS[ctry]) {
    placePhrase = pick(r, COUNTRY_WORDS[ctry]);
    gold.country = [ctry];
    constructs.add("place");
  } else if (pr < 0.3 && ctry === "US" && STATE_WORDS[loc]) {
    placePhrase = pick(r, STATE_WORDS[loc]);
    gold.state = [loc];
    constructs.add("place");
  } else if (pr < 0.38 && CITY_WORDS[loc]?.length) {
    placePhrase = pick(r, CITY_WORDS[loc]);
    gold.city = [loc];
    constructs.add("place");
  } else if (pr < 0.5) {
    const region = REGIONS.find((g) => g.country?.includes(ctry) || g.state?.includes(loc));
    if (region) {
      placePhrase = pick(r, region.words);
      if (region.country) gold.country = region.country;
      if (region.state) gold.state = region.state;
      constructs.add("place");
    }
  } else if (pr < 0.58) {
    // Two places joined: the anchor's country and another.
    const others = Object.keys(COUNTRY_NAMES).filter((c) => c !== ctry && !c.startsWith("China"));
    if (COUNTRY_NAMES[ctry]) {
      const o = pick(r, others);
      placePhrase = `in ${COUNTRY_NAMES[ctry][0].replace(/^the /, "the ")} or ${COUNTRY_NAMES[o][0]}`;
      gold.country = [ctry, o];
      constructs.add("place");
      constructs.add("coordinated");
    }
  } else if (pr < 0.66) {
    placePhrase = pick(r, ["anywhere", "any location", "location doesn't matter", "global"]);
    constructs.add("anywhere");
  } else if (pr < 0.82) {
    const outs = Object.keys(COUNTRY_NAMES).filter((c) => c !== ctry);
    const o = pick(r, outs);
    const name = pick(r, COUNTRY_NAMES[o]);
    const kind = r();
    if (kind < 0.5) {
      placePhrase = pick(r, [
        `any country but ${name.replace(/^the /, "")}`,
        `any country except ${name.replace(/^the /, "")}`,
        `anywhere but ${name}`,
      ]);
      constructs.add("any_but");
    } else {
      placePhrase = pick(r, [
        `outside ${name}`,
        `outside of ${name}`,
        `not in ${name}`,
        `excluding ${name}`,
      ]);
      constructs.add("outside");
    }
    gold.notCountry = [o];
  }
  // --- seller context
  const sr = r();
  const product = pick(r, SELLER_PRODUCTS);
  let desc;
  const who = `${rolePhrase} at ${indPhrase}`;
  const tail = [placePhrase, exclusion].filter(Boolean).join(", ");
  const whoWhere = tail
    ? `${who} ${tail.startsWith("in ") || tail.startsWith("outside") || tail.startsWith("anywhere") || tail.startsWith("excluding") || tail.startsWith("not ") ? tail : `(${tail})`}`
    : who;
  if (sr < 0.15) {
    desc = `Looking for ${whoWhere} for our ${product} product`;
    constructs.add("seller_product");
  } else if (sr < 0.28) {
    desc = `we sell ${product} software to ${whoWhere}`;
    constructs.add("we_sell");
  } else if (sr < 0.36) {
    desc = `Our ${product} platform helps teams like theirs. Want ${whoWhere}`;
    constructs.add("seller_product");
  } else if (sr < 0.5) {
    desc = `${indPhrase[0].toUpperCase()}${indPhrase.slice(1)}${tail ? `, ${tail}` : ""}: ${rolePhrase}`;
  } else if (sr < 0.6) {
    desc = `Need ${rolePhrase} from ${indPhrase}${tail ? `, ${tail}` : ""}`;
  } else {
    desc = whoWhere;
  }
  if (r() < 0.2) {
    const t = typo(desc, r);
    if (t !== desc) {
      desc = t;
      constructs.add("typo");
    }
  }
  if (constructs.size === 0 || [...constructs].every((c) => c === "title")) constructs.add("plain");
  const n = pick(r, [3, 5, 5, 5, 10]);
  return { desc, n, gold, constructs: [...constructs].sort() };
}

/** `count` descriptions from `seed`, anchored on leads of `pool`; no two alike. */
export function generate(pool, { seed = 24, count = 260 } = {}) {
  const r = rng(seed);
  const anchors = pool.filter((l) => levelOf(l.role) || TITLE_OF_ROLE[l.role]);
  const out = [];
  const seen = new Set();
  while (out.length < count) {
    const lead = anchors[Math.floor(r() * anchors.length)];
    const d = describe(lead, r, pool);
    const key = d.desc.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...d, source: "generated" });
  }
  return out;
}
