#!/usr/bin/env node
// Generates node/data/lead-pool.json: the synthetic B2B lead pool that the reference miner curates
// from. The output is committed, so the generator must be reproducible byte for byte: every random
// choice comes from one seeded PRNG (mulberry32) consumed in a fixed order, never from Math.random,
// the clock or the environment. Changing any word list or the seed changes the pool; regenerate and
// commit the file in the same change.
//
// Usage: node node/scripts/generate-lead-pool.mjs [output-path]
//   output-path defaults to node/data/lead-pool.json next to this script.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const POOL_SIZE = 6000;
const SEED = "leadpoet-lead-pool-v2";
const FIELD_MAX = 300; // LIMITS.leadFieldMax in core/src/schemas.ts

/** xmur3: turns the seed string into a 32-bit state, so the seed can stay human-readable. */
function hashSeed(str) {
  let h = 1779033703 ^ str.length;
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

/** mulberry32: integer-only arithmetic, so the sequence is identical on every platform. */
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(hashSeed(SEED));
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
/** Picks from `[value, weight]` pairs; weights shape the pool toward decision makers and the US. */
function weighted(pairs) {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [value, w] of pairs) {
    r -= w;
    if (r < 0) return value;
  }
  return pairs[pairs.length - 1][0];
}

/** Splits a whitespace-separated word list; keeps long name lists readable and diff-friendly. */
const words = (text) => text.trim().split(/\s+/);

// ---- taxonomy -------------------------------------------------------------------------------
// Each industry carries the nouns its company names are built from, the TLDs its domains tend to
// use, and how much more (or less) often each job function appears there than on average (a
// logistics company has more supply-chain people, a software company more engineers), so a
// lead's fields are coherent with each other. A sub-industry may override the naming, so that
// hospitals, law firms and universities are called what they are called.
const INDUSTRIES = [
  {
    industry: "Software",
    weight: 3.2,
    subs: [
      "SaaS",
      "Developer Tools",
      "Cybersecurity",
      "AI & Machine Learning",
      "Data & Analytics",
      "HR Tech",
      "Sales Tech",
    ],
    nouns: words(
      "Stack Cloud Code Byte Logic Signal Vector Kernel Pixel Shield Data Loop Sync Node",
    ),
    suffixes: ["Labs", "Software", "Technologies", "Systems", "AI", "Inc."],
    tlds: ["io", "ai", "com", "dev"],
    functions: { engineering: 1.6, product: 1.6, security: 1.4, data: 1.3, procurement: 0.4 },
  },
  {
    industry: "Fintech",
    weight: 1.5,
    subs: [
      "Payments",
      "Lending",
      "InsurTech",
      "WealthTech",
      "Crypto & Web3",
      "Banking Infrastructure",
    ],
    nouns: words("Ledger Pay Coin Vault Capital Lend Fund Mint Wallet Credit"),
    suffixes: ["Financial", "Technologies", "Inc.", "Group", "Labs"],
    tlds: ["com", "io", "co"],
    functions: { engineering: 1.3, security: 1.3, legal: 1.5, finance: 1.3, supply: 0.2 },
    roles: [
      ["Chief Risk Officer", "risk", "c"],
      ["Head of Compliance", "legal", "head"],
    ],
  },
  {
    industry: "Financial Services",
    weight: 1.0,
    subs: ["Banking", "Insurance", "Asset Management", "Credit Unions"],
    nouns: words("Trust Harbor Mutual Capital Reserve Fidelity Anchor Guardian"),
    suffixes: ["Bank", "Financial", "Group", "Partners", "Insurance"],
    tlds: ["com", "bank"],
    functions: { legal: 1.5, finance: 1.5, it: 1.3, supply: 0.2 },
    overrides: {
      "Credit Unions": { suffixes: ["Credit Union"] },
      Banking: { suffixes: ["Bank", "Bancorp", "Savings Bank"] },
    },
    roles: [
      ["Chief Risk Officer", "risk", "c"],
      ["Branch Manager", "operations", "manager"],
    ],
  },
  {
    industry: "Healthcare",
    weight: 1.4,
    subs: [
      "Hospitals & Health Systems",
      "Clinics & Physician Groups",
      "Digital Health",
      "Telemedicine",
      "Senior Care",
    ],
    nouns: words("Health Care Med Clinic Vital Cure Pulse Wellness Mercy Haven"),
    suffixes: ["Health", "Medical", "Inc.", "Group", "Care"],
    tlds: ["com", "health", "org"],
    functions: { clinical: 3, it: 1.3, engineering: 0.6, supply: 0.6 },
    overrides: {
      "Hospitals & Health Systems": {
        suffixes: ["Regional Medical Center", "Health System", "Hospital", "Memorial Hospital"],
      },
      "Clinics & Physician Groups": { suffixes: ["Clinic", "Physicians Group", "Family Medicine"] },
    },
    roles: [
      ["Chief Medical Officer", "clinical", "c"],
      ["Chief Nursing Officer", "clinical", "c"],
      ["Director of Clinical Operations", "clinical", "director"],
      ["Nurse Manager", "clinical", "manager"],
    ],
  },
  {
    industry: "Life Sciences",
    weight: 0.8,
    subs: ["Biotech", "Pharmaceuticals", "Medical Devices", "Clinical Research"],
    nouns: words("Bio Gene Thera Cell Helix Cura Vita Nexa"),
    suffixes: ["Therapeutics", "Biosciences", "Pharma", "Medical", "Inc."],
    tlds: ["com", "bio"],
    functions: { clinical: 1.5, legal: 1.3, supply: 1.2, procurement: 1.3 },
    roles: [
      ["VP of Regulatory Affairs", "legal", "vp"],
      ["Chief Scientific Officer", "research", "c"],
    ],
  },
  {
    industry: "E-commerce",
    weight: 1.2,
    subs: ["D2C Brands", "Marketplaces", "Subscription Commerce"],
    nouns: words("Cart Shop Market Basket Goods Store Bazaar Parcel Crate"),
    suffixes: ["Co.", "Inc.", "Commerce", "Brands", "Goods"],
    tlds: ["com", "co", "shop"],
    functions: { marketing: 1.5, supply: 1.4, operations: 1.2, security: 0.4 },
    roles: [
      ["Head of E-commerce", "ecommerce", "head"],
      ["Director of Merchandising", "merchandising", "director"],
    ],
  },
  {
    industry: "Retail",
    weight: 0.8,
    subs: ["Retail Chains", "Grocery", "Specialty Retail"],
    nouns: words("Mart Outlet Corner Supply Goods Depot Emporium Market"),
    suffixes: ["Stores", "Retail", "Markets", "Inc.", "Group"],
    tlds: ["com", "co"],
    functions: { supply: 1.6, operations: 1.5, procurement: 1.4, engineering: 0.4, security: 0.4 },
    roles: [
      ["Director of Merchandising", "merchandising", "director"],
      ["Store Operations Manager", "operations", "manager"],
    ],
  },
  {
    industry: "Consumer Goods",
    weight: 0.7,
    subs: ["Food & Beverage", "Beauty & Personal Care", "Household Products"],
    nouns: words("Harvest Bloom Pure Glow Fresh Nest Kettle Grove"),
    suffixes: ["Foods", "Brands", "Co.", "Beauty", "Inc."],
    tlds: ["com", "co"],
    functions: { marketing: 1.4, supply: 1.5, procurement: 1.4, engineering: 0.4 },
    roles: [["VP of Brand", "marketing", "vp"]],
  },
  {
    industry: "Manufacturing",
    weight: 1.2,
    subs: [
      "Industrial Machinery",
      "Automotive",
      "Electronics",
      "Robotics & Automation",
      "Chemicals",
      "Aerospace",
    ],
    nouns: words("Works Forge Machine Motors Steel Dynamics Precision Alloy Gear"),
    suffixes: ["Industries", "Manufacturing", "Corp.", "GmbH", "Inc."],
    tlds: ["com", "net"],
    functions: { supply: 2, procurement: 2, operations: 1.8, marketing: 0.6 },
    roles: [
      ["Plant Manager", "operations", "manager"],
      ["VP of Manufacturing", "operations", "vp"],
    ],
  },
  {
    industry: "Marketing & Advertising",
    weight: 1.1,
    subs: ["Digital Marketing Agencies", "Creative Agencies", "AdTech", "MarTech"],
    nouns: words("Media Reach Spark Brand Click Story Funnel Buzz Pixel"),
    suffixes: ["Agency", "Media", "Digital", "Studio", "Inc."],
    tlds: ["com", "co", "agency"],
    functions: { marketing: 1.8, sales: 1.2, supply: 0.1, procurement: 0.3, security: 0.3 },
    overrides: {
      "Digital Marketing Agencies": { suffixes: ["Agency", "Digital", "Marketing"] },
      "Creative Agencies": { suffixes: ["Creative", "Studio", "Agency"] },
    },
    roles: [
      ["Creative Director", "creative", "director"],
      ["Account Director", "accounts", "director"],
    ],
  },
  {
    industry: "Media & Entertainment",
    weight: 0.6,
    subs: ["Publishing", "Streaming & Video", "Gaming"],
    nouns: words("Story Screen Arcade Press Wave Reel Quest Echo"),
    suffixes: ["Media", "Studios", "Games", "Entertainment", "Inc."],
    tlds: ["com", "tv", "gg"],
    functions: { marketing: 1.4, engineering: 1.1, supply: 0.2 },
    roles: [["Editor in Chief", "editorial", "c"]],
  },
  {
    industry: "Real Estate",
    weight: 0.8,
    subs: ["PropTech", "Commercial Real Estate", "Residential Brokerage", "Property Management"],
    nouns: words("Estate Property Homes Realty Key Tower Dwell Nest"),
    suffixes: ["Realty", "Properties", "Partners", "Group", "Inc."],
    tlds: ["com", "co"],
    functions: { sales: 1.4, operations: 1.2, engineering: 0.5, supply: 0.2 },
    roles: [
      ["Head of Acquisitions", "acquisitions", "head"],
      ["Leasing Manager", "leasing", "manager"],
    ],
  },
  {
    industry: "Construction",
    weight: 0.6,
    subs: ["Commercial Construction", "Construction Tech", "Architecture & Engineering"],
    nouns: words("Build Frame Beam Stone Crane Concrete Span"),
    suffixes: ["Construction", "Builders", "Group", "Contractors", "Inc."],
    tlds: ["com", "net"],
    functions: { procurement: 1.8, operations: 1.5, supply: 1.2, marketing: 0.6 },
    roles: [
      ["Project Executive", "operations", "director"],
      ["Site Manager", "operations", "manager"],
    ],
  },
  {
    industry: "Education",
    weight: 0.9,
    subs: ["EdTech", "Higher Education", "K-12 Schools", "Corporate Training", "Online Learning"],
    nouns: words("Learn Academy Scholar Tutor Campus Mentor Study Class"),
    suffixes: ["Learning", "Academy", "Education", "Inc.", "Institute"],
    tlds: ["com", "io", "org"],
    functions: { it: 1.3, hr: 1.2, supply: 0.2, security: 0.5 },
    overrides: {
      "Higher Education": {
        suffixes: ["University", "College", "State University"],
        tlds: ["edu"],
      },
      "K-12 Schools": {
        suffixes: ["School District", "Academy", "Preparatory School"],
        tlds: ["org"],
      },
    },
    roles: [
      ["Dean of Admissions", "admissions", "director"],
      ["Head of Curriculum", "academic", "head"],
    ],
  },
  {
    industry: "Logistics",
    weight: 1.2,
    subs: [
      "Freight & Trucking",
      "Cold-Chain Logistics",
      "Warehousing & Fulfillment",
      "Last-Mile Delivery",
      "Fleet Management",
      "Freight Forwarding",
    ],
    nouns: words("Freight Cargo Route Haul Fleet Dock Transit Parcel Frost Polar"),
    suffixes: ["Logistics", "Freight", "Group", "Inc.", "Express"],
    tlds: ["com", "io", "net"],
    functions: { supply: 2.5, operations: 2, procurement: 1.5, marketing: 0.6, product: 0.5 },
    roles: [
      ["Fleet Operations Manager", "operations", "manager"],
      ["Director of Transportation", "operations", "director"],
    ],
  },
  {
    industry: "Energy",
    weight: 0.9,
    subs: ["Solar", "Energy Storage", "Oil & Gas", "EV Charging", "Utilities", "Wind"],
    nouns: words("Solar Power Grid Volt Energy Wind Current Charge Amp"),
    suffixes: ["Energy", "Power", "Renewables", "Inc.", "Group"],
    tlds: ["com", "energy", "io"],
    functions: { procurement: 1.6, operations: 1.5, supply: 1.2 },
    roles: [
      ["Head of Project Development", "projects", "head"],
      ["Director of Energy Procurement", "procurement", "director"],
    ],
  },
  {
    industry: "Professional Services",
    weight: 1.0,
    subs: [
      "Management Consulting",
      "IT Services & MSPs",
      "Staffing & Recruiting",
      "Law Firms",
      "Accounting Firms",
    ],
    nouns: words("Bridge Summit Advisory Insight Clarity Alliance Keystone Counsel"),
    suffixes: ["Consulting", "Partners", "Advisors", "Group", "LLP"],
    tlds: ["com", "co"],
    functions: { hr: 1.3, supply: 0.2, product: 0.4 },
    overrides: {
      "Law Firms": { suffixes: ["LLP", "Law Group", "Legal"] },
      "Accounting Firms": { suffixes: ["CPAs", "Accounting", "LLP"] },
      "IT Services & MSPs": { suffixes: ["IT", "Managed Services", "Technologies"] },
      "Staffing & Recruiting": { suffixes: ["Staffing", "Talent", "Recruiting"] },
    },
    roles: [
      ["Managing Partner", "executive", "c"],
      ["Practice Lead", "consulting", "manager"],
    ],
  },
  {
    industry: "Hospitality & Travel",
    weight: 0.6,
    subs: ["Hotels & Resorts", "Restaurants", "Travel Tech"],
    nouns: words("Inn Harbor Table Voyage Lodge Bistro Trail Suite"),
    suffixes: ["Hotels", "Hospitality", "Group", "Resorts", "Travel"],
    tlds: ["com", "travel"],
    functions: { operations: 1.6, procurement: 1.3, engineering: 0.5, security: 0.3 },
    roles: [
      ["General Manager", "executive", "director"],
      ["Director of Revenue Management", "revenue-management", "director"],
    ],
  },
  {
    industry: "Telecommunications",
    weight: 0.5,
    subs: ["Telecom Carriers", "Network Infrastructure"],
    nouns: words("Link Wave Fiber Signal Tower Band Relay"),
    suffixes: ["Telecom", "Networks", "Communications", "Inc."],
    tlds: ["com", "net"],
    functions: { engineering: 1.3, it: 1.4, procurement: 1.3 },
  },
  {
    industry: "Agriculture",
    weight: 0.5,
    subs: ["AgTech", "Farming & Food Production"],
    nouns: words("Field Harvest Grain Acre Root Seed Orchard"),
    suffixes: ["Farms", "Agriculture", "Foods", "Inc.", "Co-op"],
    tlds: ["com", "ag"],
    functions: { supply: 1.6, operations: 1.5, security: 0.2 },
  },
  {
    industry: "Government & Nonprofit",
    weight: 0.5,
    subs: ["Public Sector", "Nonprofits"],
    nouns: words("Civic Commons Unity Hope Bridge Liberty Heritage"),
    suffixes: ["Foundation", "Agency", "Council", "Trust"],
    tlds: ["org", "gov"],
    functions: { sales: 0.2, procurement: 1.8, it: 1.3, security: 0.6 },
    overrides: { Nonprofits: { suffixes: ["Foundation", "Trust", "Alliance"], tlds: ["org"] } },
    roles: [
      ["Executive Director", "executive", "c"],
      ["Program Director", "programs", "director"],
    ],
  },
];

const PREFIXES = words(`
  North Blue Bright Silver Clear Summit Harbor Iron Nova Apex Cedar Pine Quantum Vertex Lumen
  Atlas Beacon Crest Echo Granite Horizon Meridian Nimbus Oak Pioneer Ridge Sterling
  Terra True Vivid Zenith Crimson Evergreen Falcon Golden Maple Polar River Stone Swift Alder
  Coral Orchid Compass Lighthouse Prairie Aspen Birch Cobalt Delta Ember Fjord Glacier Hazel
  Indigo Juniper Kestrel Lotus Mesa Onyx Pacific Quartz Redwood Sage Tidal Umber Willow
`);

// Job functions and their titles by seniority level (c = C-level, vp, head, director, manager,
// ic = individual contributor, entry = interns and juniors). Several spellings of one title
// ("VP of Sales", "VP Sales", "Vice President of Sales") keep readers of the pool honest.
const FUNCTIONS = {
  executive: {
    weight: 2.2,
    c: ["Founder & CEO", "CEO", "Co-Founder", "President", "Managing Director"],
  },
  sales: {
    weight: 3,
    c: ["Chief Revenue Officer", "Chief Sales Officer"],
    vp: ["VP of Sales", "VP Sales", "Vice President of Sales", "SVP, Sales"],
    head: ["Head of Sales"],
    director: ["Director of Sales", "Sales Director", "Regional Sales Director"],
    manager: ["Sales Manager", "Regional Sales Manager"],
    ic: ["Account Executive", "Enterprise Account Executive", "Sales Development Representative"],
    entry: ["Sales Intern", "Junior Sales Associate"],
  },
  marketing: {
    weight: 2.4,
    c: ["CMO", "Chief Marketing Officer"],
    vp: ["VP of Marketing", "VP Marketing"],
    head: ["Head of Marketing", "Head of Growth"],
    director: ["Director of Marketing", "Marketing Director", "Director of Demand Generation"],
    manager: ["Marketing Manager", "Growth Marketing Manager"],
    ic: ["Marketing Specialist", "Content Marketer"],
    entry: ["Marketing Intern"],
  },
  engineering: {
    weight: 1.6,
    c: ["CTO"],
    vp: ["VP of Engineering"],
    head: ["Head of Engineering"],
    director: ["Director of Engineering"],
    manager: ["Engineering Manager"],
    ic: ["Software Engineer", "Senior Software Engineer", "DevOps Engineer"],
    entry: ["Junior Developer", "Engineering Intern"],
  },
  product: {
    weight: 1.1,
    c: ["Chief Product Officer"],
    vp: ["VP of Product"],
    head: ["Head of Product"],
    director: ["Director of Product"],
    manager: ["Product Manager", "Senior Product Manager"],
    ic: ["Product Analyst", "Product Designer"],
    entry: ["Product Intern"],
  },
  operations: {
    weight: 1.4,
    c: ["COO", "Chief Operating Officer"],
    vp: ["VP of Operations"],
    head: ["Head of Operations"],
    director: ["Director of Operations"],
    manager: ["Operations Manager"],
    ic: ["Operations Analyst", "Operations Coordinator"],
    entry: ["Operations Intern"],
  },
  finance: {
    weight: 1.1,
    c: ["CFO", "Chief Financial Officer"],
    vp: ["VP of Finance"],
    head: ["Head of Finance"],
    director: ["Finance Director", "Controller"],
    manager: ["Finance Manager"],
    ic: ["Financial Analyst", "Accountant"],
    entry: ["Accounting Intern"],
  },
  it: {
    weight: 1,
    c: ["CIO", "Chief Information Officer"],
    vp: ["VP of IT"],
    head: ["Head of IT"],
    director: ["Director of IT", "IT Director"],
    manager: ["IT Manager"],
    ic: ["Systems Administrator", "IT Support Specialist"],
    entry: ["IT Intern"],
  },
  security: {
    weight: 0.8,
    c: ["CISO", "Chief Information Security Officer"],
    vp: ["VP of Security"],
    head: ["Head of Security"],
    director: ["Director of Information Security"],
    manager: ["Security Manager"],
    ic: ["Security Engineer", "Security Analyst"],
  },
  procurement: {
    weight: 1,
    c: ["Chief Procurement Officer"],
    vp: ["VP of Procurement"],
    head: ["Head of Procurement"],
    director: ["Director of Procurement", "Purchasing Director"],
    manager: ["Procurement Manager", "Purchasing Manager"],
    ic: ["Buyer", "Procurement Specialist"],
  },
  partnerships: {
    weight: 1,
    vp: ["VP of Partnerships"],
    head: ["Head of Partnerships"],
    director: ["Director of Partnerships", "Channel Director"],
    manager: ["Partnerships Manager", "Channel Manager"],
    ic: ["Partner Development Representative"],
  },
  bizdev: {
    weight: 1,
    vp: ["VP of Business Development"],
    head: ["Head of Business Development"],
    director: ["Director of Business Development"],
    manager: ["Business Development Manager"],
    ic: ["Business Development Representative"],
  },
  success: {
    weight: 1,
    c: ["Chief Customer Officer"],
    vp: ["VP of Customer Success"],
    head: ["Head of Customer Success"],
    director: ["Director of Customer Success"],
    manager: ["Customer Success Manager"],
    ic: ["Customer Success Associate", "Support Specialist"],
  },
  hr: {
    weight: 1,
    c: ["Chief People Officer", "CHRO"],
    vp: ["VP of People"],
    head: ["Head of People", "Head of HR"],
    director: ["HR Director", "Director of Talent Acquisition"],
    manager: ["HR Manager"],
    ic: ["Recruiter", "HR Generalist"],
    entry: ["HR Intern"],
  },
  legal: {
    weight: 0.6,
    c: ["General Counsel", "Chief Legal Officer"],
    vp: ["VP of Legal"],
    head: ["Head of Legal"],
    ic: ["Corporate Counsel", "Paralegal"],
  },
  data: {
    weight: 0.8,
    c: ["Chief Data Officer"],
    vp: ["VP of Data"],
    head: ["Head of Data"],
    director: ["Director of Analytics", "Director of Data Science"],
    manager: ["Data Science Manager"],
    ic: ["Data Analyst", "Data Scientist"],
  },
  supply: {
    weight: 0.8,
    c: ["Chief Supply Chain Officer"],
    vp: ["VP of Supply Chain"],
    head: ["Head of Supply Chain", "Head of Logistics"],
    director: ["Director of Supply Chain", "Logistics Director"],
    manager: ["Supply Chain Manager", "Logistics Manager"],
    ic: ["Supply Chain Analyst"],
  },
};

// How common each level is; decision makers are what lead buyers pay for, so the pool leans on them.
const LEVEL_WEIGHTS = {
  c: 1.2,
  vp: 1.6,
  head: 1.3,
  director: 1.6,
  manager: 1.2,
  ic: 0.9,
  entry: 0.3,
};

const REGIONS = [
  ["US - California", 8],
  ["US - New York", 6],
  ["US - Texas", 4],
  ["US - Washington", 2.5],
  ["US - Massachusetts", 2.5],
  ["US - Illinois", 2],
  ["US - Ohio", 1.2],
  ["US - Michigan", 1.2],
  ["US - Minnesota", 1],
  ["US - Wisconsin", 0.6],
  ["US - Missouri", 0.6],
  ["US - Indiana", 0.6],
  ["US - Pennsylvania", 1.2],
  ["US - New Jersey", 1],
  ["US - Florida", 2],
  ["US - Georgia", 1.5],
  ["US - North Carolina", 1.2],
  ["US - Tennessee", 0.8],
  ["US - Colorado", 1.5],
  ["US - Arizona", 0.8],
  ["US - Utah", 0.8],
  ["US - Oregon", 0.8],
  ["UK - London", 4],
  ["UK - Manchester", 1.2],
  ["UK - Edinburgh", 0.8],
  ["Ireland - Dublin", 1],
  ["Germany - Berlin", 2.2],
  ["Germany - Munich", 1.5],
  ["Germany - Hamburg", 0.8],
  ["Austria - Vienna", 0.8],
  ["Switzerland - Zurich", 1],
  ["France - Paris", 2],
  ["Netherlands - Amsterdam", 1.5],
  ["Belgium - Brussels", 0.6],
  ["Spain - Barcelona", 0.8],
  ["Spain - Madrid", 0.8],
  ["Portugal - Lisbon", 0.6],
  ["Italy - Milan", 0.8],
  ["Sweden - Stockholm", 1],
  ["Denmark - Copenhagen", 0.7],
  ["Norway - Oslo", 0.6],
  ["Finland - Helsinki", 0.6],
  ["Poland - Warsaw", 0.7],
  ["Canada - Toronto", 2],
  ["Canada - Vancouver", 1],
  ["Canada - Montreal", 0.7],
  ["Mexico - Mexico City", 0.8],
  ["Brazil - Sao Paulo", 1],
  ["Argentina - Buenos Aires", 0.5],
  ["Colombia - Bogota", 0.5],
  ["Chile - Santiago", 0.4],
  ["Australia - Sydney", 1.5],
  ["Australia - Melbourne", 0.8],
  ["New Zealand - Auckland", 0.5],
  ["Singapore - Singapore", 1.5],
  ["India - Bangalore", 1.5],
  ["India - Mumbai", 0.8],
  ["Japan - Tokyo", 1],
  ["South Korea - Seoul", 0.6],
  ["Israel - Tel Aviv", 1],
  ["UAE - Dubai", 1],
  ["Saudi Arabia - Riyadh", 0.5],
  ["South Africa - Cape Town", 0.5],
  ["Nigeria - Lagos", 0.4],
  ["Kenya - Nairobi", 0.3],
];

// ASCII-only names keep first.last@domain emails valid without transliteration.
const FIRST_NAMES = words(`
  James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
  Richard Susan Joseph Jessica Thomas Sarah Daniel Karen Matthew Nancy Anthony Lisa Mark Emily
  Steven Michelle Andrew Laura Joshua Rachel Kevin Olivia Brian Sophia Ryan Hannah Jacob Grace
  Ethan Chloe Lucas Zoe Noah Maya Liam Ava Oliver Isabella Arjun Priya Rahul Ananya Wei Mei
  Hiroshi Yuki Jin Seo-yeon Carlos Sofia Diego Lucia Mateo Camila Ahmed Fatima Omar Leila
  Lukas Anna Felix Lena Pierre Claire Lars Ingrid Sean Niamh Kwame Amara Tariq Noor Ivan Elena
  Tomas Eva Marco Giulia
`);

const LAST_NAMES = words(`
  Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
  Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis
  Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell
  Mitchell Roberts Patel Shah Gupta Sharma Chen Wang Li Zhang Tanaka Sato Kim Park Nguyen Tran
  Silva Santos Costa Rossi Bianchi Muller Schmidt Schneider Fischer Weber Dubois Laurent
  Bernard Jansen Visser Berg Lindqvist Larsen Murphy Kelly Walsh Cohen Levi Haddad Khan Ali
  Okafor Mensah Ivanov Novak Kowalski Horvat Fernandez Morales Ortiz Reyes
`);

// ---- generation -------------------------------------------------------------------------------
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");
const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const randomTag = (n) => Array.from({ length: n }, () => ALNUM[int(ALNUM.length)]).join("");

const usedNames = new Set();
const usedDomains = new Set();

/** A company name and a domain, both unique in the pool, in one of three naming styles. */
function makeCompany(ind, sub) {
  const naming = { ...ind, ...(ind.overrides?.[sub] ?? {}) };
  const sticky = Boolean(ind.overrides?.[sub]?.suffixes); // hospitals always say they are one
  for (;;) {
    const prefix = pick(PREFIXES);
    const noun = pick(ind.nouns);
    const style = sticky ? 2 : int(3);
    let name;
    if (style === 0) name = `${prefix}${noun.toLowerCase()}`;
    else if (style === 1) name = `${prefix} ${noun}`;
    else name = `${prefix} ${noun} ${pick(naming.suffixes)}`;
    const domain = `${slug(prefix + noun)}.${pick(naming.tlds)}`;
    if (usedNames.has(name) || usedDomains.has(domain) || name.includes(`${noun} ${noun}`))
      continue;
    usedNames.add(name);
    usedDomains.add(domain);
    return { name, domain };
  }
}

/** Every title an industry can hire, as [title, weight, group]; one person per group per company. */
function rolesFor(ind) {
  const roles = [];
  for (const [fn, spec] of Object.entries(FUNCTIONS)) {
    const fnWeight = spec.weight * (ind.functions?.[fn] ?? 1);
    for (const [level, levelWeight] of Object.entries(LEVEL_WEIGHTS)) {
      const titles = spec[level] ?? [];
      for (const title of titles) {
        // Executives (CEO, founder, president) share one group: a company has one chief.
        const group = fn === "executive" ? "executive" : `${fn}:${level}`;
        roles.push([title, (fnWeight * levelWeight) / titles.length, group]);
      }
    }
  }
  for (const [title, fn, level] of ind.roles ?? []) {
    roles.push([title, 1.2 * LEVEL_WEIGHTS[level], `${fn}:${level}:${title}`]);
  }
  return roles;
}

const leads = [];
const usedEmails = new Set();
const industryPairs = INDUSTRIES.map((ind) => [ind, ind.weight]);
const rolesByIndustry = new Map(INDUSTRIES.map((ind) => [ind, rolesFor(ind)]));

while (leads.length < POOL_SIZE) {
  const ind = weighted(industryPairs);
  const sub = pick(ind.subs);
  const region = weighted(REGIONS);
  const { name: business, domain } = makeCompany(ind, sub);
  const roles = rolesByIndustry.get(ind);
  const size = Math.min(5 + int(8), POOL_SIZE - leads.length);
  const groupsTaken = new Set();

  for (let i = 0; i < size; i++) {
    const available = roles.filter(([, , group]) => !groupsTaken.has(group));
    const [role, , group] = weighted(available.map((r) => [r, r[1]]));
    groupsTaken.add(group);

    let first, last, email;
    do {
      first = pick(FIRST_NAMES);
      last = pick(LAST_NAMES);
      email = `${slug(first)}.${slug(last)}@${domain}`;
    } while (usedEmails.has(email));
    usedEmails.add(email);

    const lead = {
      business,
      email,
      full_name: `${first} ${last}`,
      first,
      last,
      role,
      website: `https://${domain}`,
      linkedin: `https://www.linkedin.com/in/${slug(first)}-${slug(last)}-${randomTag(4)}`,
      industry: ind.industry,
      sub_industry: sub,
      region,
    };
    for (const [field, value] of Object.entries(lead)) {
      if (value.length === 0 || value.length > FIELD_MAX || value !== value.trim()) {
        throw new Error(
          `generated lead ${leads.length} has a bad ${field}: ${JSON.stringify(value)}`,
        );
      }
    }
    if (!/^[a-z0-9]+\.[a-z0-9]+@[a-z0-9]+\.[a-z]+$/.test(email)) {
      throw new Error(`generated lead ${leads.length} has a bad email: ${email}`);
    }
    leads.push(lead);
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? resolve(here, "../data/lead-pool.json"));
mkdirSync(dirname(out), { recursive: true });
// Two-space JSON with a trailing newline is already in Prettier's format, so `prettier --check`
// passes without the file needing an ignore entry.
writeFileSync(out, `${JSON.stringify(leads, null, 2)}\n`);
process.stdout.write(`wrote ${leads.length} leads to ${out}\n`);
