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

const POOL_SIZE = 600;
const SEED = "leadpoet-lead-pool-v1";
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
// use and a few roles that only exist there, so a lead's fields are coherent with each other.
const INDUSTRIES = [
  {
    industry: "Software",
    weight: 1.6,
    subs: ["SaaS", "Developer Tools", "Cybersecurity", "AI & Machine Learning", "Data & Analytics"],
    nouns: [
      "Stack",
      "Cloud",
      "Code",
      "Byte",
      "Logic",
      "Signal",
      "Vector",
      "Kernel",
      "Pixel",
      "Shield",
      "Data",
      "Loop",
    ],
    suffixes: ["Labs", "Software", "Technologies", "Systems", "AI", "Inc."],
    tlds: ["io", "ai", "com", "dev"],
    roles: ["Head of Developer Relations", "Chief Information Security Officer"],
  },
  {
    industry: "Fintech",
    weight: 1.3,
    subs: [
      "Payments",
      "Lending",
      "InsurTech",
      "WealthTech",
      "Crypto & Web3",
      "Banking Infrastructure",
    ],
    nouns: [
      "Ledger",
      "Pay",
      "Coin",
      "Vault",
      "Capital",
      "Lend",
      "Fund",
      "Mint",
      "Wallet",
      "Credit",
    ],
    suffixes: ["Financial", "Technologies", "Inc.", "Group", "Labs"],
    tlds: ["com", "io", "co"],
    roles: ["Chief Risk Officer", "Head of Compliance"],
  },
  {
    industry: "Healthcare",
    weight: 1.1,
    subs: ["Digital Health", "Medical Devices", "Biotech", "Telemedicine", "Health Insurance"],
    nouns: ["Health", "Care", "Med", "Clinic", "Vital", "Cure", "Bio", "Pulse", "Therapeutics"],
    suffixes: ["Health", "Medical", "Inc.", "Sciences", "Group"],
    tlds: ["com", "health", "io"],
    roles: ["Chief Medical Officer", "Director of Clinical Operations"],
  },
  {
    industry: "E-commerce",
    weight: 1.0,
    subs: ["Marketplaces", "D2C Brands", "Retail Tech", "Subscription Commerce"],
    nouns: ["Cart", "Shop", "Market", "Basket", "Goods", "Store", "Supply", "Bazaar"],
    suffixes: ["Co.", "Inc.", "Commerce", "Brands", "Group"],
    tlds: ["com", "co", "shop"],
    roles: ["Head of E-commerce", "Director of Merchandising"],
  },
  {
    industry: "Manufacturing",
    weight: 0.9,
    subs: ["Industrial IoT", "Robotics", "Automotive", "Electronics", "Industrial Automation"],
    nouns: ["Works", "Forge", "Machine", "Robotics", "Motors", "Steel", "Dynamics", "Precision"],
    suffixes: ["Industries", "Manufacturing", "Corp.", "GmbH", "Inc."],
    tlds: ["com", "net", "io"],
    roles: ["Plant Manager", "VP of Manufacturing"],
  },
  {
    industry: "Marketing",
    weight: 1.0,
    subs: ["AdTech", "MarTech", "Content & Media", "Agencies"],
    nouns: ["Media", "Reach", "Spark", "Brand", "Click", "Story", "Funnel", "Buzz"],
    suffixes: ["Agency", "Media", "Digital", "Studio", "Inc."],
    tlds: ["com", "co", "agency"],
    roles: ["Creative Director", "Head of Media Buying"],
  },
  {
    industry: "Real Estate",
    weight: 0.8,
    subs: ["PropTech", "Commercial Real Estate", "Residential Brokerage", "Construction Tech"],
    nouns: ["Estate", "Property", "Homes", "Realty", "Build", "Key", "Tower", "Dwell"],
    suffixes: ["Realty", "Properties", "Partners", "Group", "Inc."],
    tlds: ["com", "co"],
    roles: ["Head of Acquisitions", "Leasing Manager"],
  },
  {
    industry: "Education",
    weight: 0.8,
    subs: ["EdTech", "Online Learning", "Corporate Training", "Higher Education"],
    nouns: ["Learn", "Academy", "Scholar", "Tutor", "Campus", "Mentor", "Study", "Class"],
    suffixes: ["Learning", "Academy", "Education", "Inc.", "Institute"],
    tlds: ["com", "io", "org"],
    roles: ["Director of Academic Partnerships", "Head of Curriculum"],
  },
  {
    industry: "Logistics",
    weight: 0.9,
    subs: [
      "Supply Chain",
      "Freight & Shipping",
      "Fleet Management",
      "Warehousing",
      "Last-Mile Delivery",
    ],
    nouns: ["Freight", "Cargo", "Route", "Haul", "Fleet", "Dock", "Transit", "Parcel"],
    suffixes: ["Logistics", "Freight", "Group", "Inc.", "Express"],
    tlds: ["com", "io", "net"],
    roles: ["Head of Supply Chain", "Fleet Operations Manager"],
  },
  {
    industry: "Energy",
    weight: 0.8,
    subs: ["Clean Energy", "Solar", "Energy Storage", "Oil & Gas", "EV Charging"],
    nouns: ["Solar", "Power", "Grid", "Volt", "Energy", "Wind", "Current", "Charge"],
    suffixes: ["Energy", "Power", "Renewables", "Inc.", "Group"],
    tlds: ["com", "energy", "io"],
    roles: ["Head of Project Development", "Director of Energy Procurement"],
  },
];

const PREFIXES = words(`
  North Blue Bright Silver Clear Summit Harbor Iron Nova Apex Cedar Pine Quantum Vertex Lumen
  Atlas Beacon Crest Echo Granite Horizon Keystone Meridian Nimbus Oak Pioneer Ridge Sterling
  Terra True Vivid Zenith Crimson Evergreen Falcon Golden Maple Polar River Stone Swift Alder
  Coral Orchid Harvest Compass Lighthouse Prairie
`);

// Roles as [title, weight, group]; a company never gets two leads in the same group (one CEO).
const ROLES = [
  ["Founder & CEO", 3, "ceo"],
  ["CEO", 2, "ceo"],
  ["Co-Founder", 1.5, "cofounder"],
  ["CTO", 2, "cto"],
  ["COO", 1.5, "coo"],
  ["CFO", 1.5, "cfo"],
  ["CMO", 1.5, "cmo"],
  ["Chief Revenue Officer", 1, "cro"],
  ["President", 0.5, "president"],
  ["VP of Sales", 3, "vp-sales"],
  ["VP of Marketing", 2.5, "vp-marketing"],
  ["VP of Engineering", 2, "vp-eng"],
  ["VP of Operations", 1.5, "vp-ops"],
  ["VP of Business Development", 1.5, "vp-bd"],
  ["VP of Product", 1.5, "vp-product"],
  ["Head of Growth", 2.5, "head-growth"],
  ["Head of Partnerships", 2, "head-partnerships"],
  ["Head of Sales", 2, "head-sales"],
  ["Head of Procurement", 1, "head-procurement"],
  ["Head of Operations", 1.5, "head-ops"],
  ["Head of Customer Success", 1.5, "head-cs"],
  ["Head of Product", 1.5, "head-product"],
  ["Director of Sales", 2, "dir-sales"],
  ["Director of Marketing", 2, "dir-marketing"],
  ["Director of Business Development", 1.5, "dir-bd"],
  ["Director of IT", 1.5, "dir-it"],
  ["Director of Operations", 1.5, "dir-ops"],
  ["Sales Manager", 1.5, "mgr-sales"],
  ["Marketing Manager", 1.5, "mgr-marketing"],
  ["Product Manager", 1.5, "mgr-product"],
  ["Partnerships Manager", 1, "mgr-partnerships"],
  ["Operations Manager", 1, "mgr-ops"],
  ["Account Executive", 1.5, "ae"],
  ["Business Development Representative", 1, "bdr"],
  ["Software Engineer", 1, "swe"],
  ["Marketing Specialist", 1, "mkt-specialist"],
  ["Operations Analyst", 0.8, "ops-analyst"],
  ["Customer Success Associate", 0.6, "cs-associate"],
  ["Sales Intern", 0.5, "sales-intern"],
  ["Marketing Intern", 0.5, "marketing-intern"],
  ["Junior Analyst", 0.4, "junior-analyst"],
];

const REGIONS = [
  ["US - California", 8],
  ["US - New York", 6],
  ["US - Texas", 4],
  ["US - Washington", 2.5],
  ["US - Massachusetts", 2.5],
  ["US - Illinois", 2],
  ["US - Florida", 2],
  ["US - Colorado", 1.5],
  ["US - Georgia", 1.5],
  ["UK - London", 4],
  ["UK - Manchester", 1.5],
  ["Germany - Berlin", 2.5],
  ["Germany - Munich", 1.5],
  ["France - Paris", 2],
  ["Netherlands - Amsterdam", 1.5],
  ["Spain - Barcelona", 1],
  ["Sweden - Stockholm", 1],
  ["Ireland - Dublin", 1],
  ["Switzerland - Zurich", 1],
  ["Canada - Toronto", 2],
  ["Canada - Vancouver", 1],
  ["Australia - Sydney", 1.5],
  ["Singapore - Singapore", 1.5],
  ["India - Bangalore", 1.5],
  ["Israel - Tel Aviv", 1],
  ["UAE - Dubai", 1],
  ["Japan - Tokyo", 1],
  ["Brazil - Sao Paulo", 1],
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
function makeCompany(ind) {
  for (;;) {
    const prefix = pick(PREFIXES);
    const noun = pick(ind.nouns);
    const style = int(3);
    let name;
    if (style === 0) name = `${prefix}${noun.toLowerCase()}`;
    else if (style === 1) name = `${prefix} ${noun}`;
    else name = `${prefix} ${noun} ${pick(ind.suffixes)}`;
    const domain = `${slug(prefix + noun)}.${pick(ind.tlds)}`;
    if (usedNames.has(name) || usedDomains.has(domain) || name.includes(`${noun} ${noun}`))
      continue;
    usedNames.add(name);
    usedDomains.add(domain);
    return { name, domain };
  }
}

const leads = [];
const usedEmails = new Set();
const industryPairs = INDUSTRIES.map((ind) => [ind, ind.weight]);

while (leads.length < POOL_SIZE) {
  const ind = weighted(industryPairs);
  const sub = pick(ind.subs);
  const region = weighted(REGIONS);
  const { name: business, domain } = makeCompany(ind);
  const roles = [...ROLES, ...ind.roles.map((title) => [title, 1.5, title])];
  const size = Math.min(1 + int(4), POOL_SIZE - leads.length);
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
