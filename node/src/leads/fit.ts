// A pure, deterministic heuristic for "how well does this lead fit this business description".
// Miners use it to curate and validators use it as the no-LLM ranking, so it must give the same
// number for the same input on every machine: no randomness, no clock, no locale-dependent calls.
import type { Lead } from "consensus-core";

// Common English function words plus business filler that appears in almost every description
// ("we help companies grow") and so says nothing about which leads fit.
const STOPWORDS = new Set(
  (
    "a an and are as at be but by for from has have in into is it its of on or our that the their " +
    "them they this to was we were will with you your who whom which what where when how all any " +
    "can do does help helps looking want need needs more most about over than then so such us " +
    "company companies business businesses solution solutions service services team teams " +
    "customer customers client clients product products offer offering provide provides based " +
    "leading best top new great"
  ).split(" "),
);

/**
 * Lower-cases, folds accents, strips punctuation and drops stopwords. Hyphenated words yield their
 * parts and the joined form ("e-commerce" -> "commerce", "ecommerce") so either spelling in a
 * description matches either spelling in a lead. One-letter tokens carry no meaning and are dropped.
 */
export function tokenize(text: string): string[] {
  const folded = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['\u2019]/g, "");
  const tokens: string[] = [];
  for (const word of folded.split(/[^a-z0-9-]+/)) {
    const parts = word.split("-").filter((p) => p.length > 0);
    const forms = parts.length > 1 ? [...parts, parts.join("")] : parts;
    for (const form of forms) {
      if (form.length > 1 && !STOPWORDS.has(form)) tokens.push(form);
    }
  }
  return tokens;
}

/**
 * Crude plural folding so "payments" meets "Payments" and "marketplace" meets "Marketplaces".
 * Words ending in -ss/-us/-is/-as are left alone ("saas", "logistics" still folds to "logistic",
 * which is harmless because both sides fold the same way).
 */
function stem(token: string): string {
  if (token.length > 3 && token.endsWith("s") && !/(ss|us|is|as)$/.test(token)) {
    return token.endsWith("ies") ? `${token.slice(0, -3)}y` : token.slice(0, -1);
  }
  return token;
}

// Descriptions rarely use the taxonomy's own words ("we sell to hospitals", not "Healthcare"), so
// common description words also count as the taxonomy terms they imply. Keys and values are stems.
const EXPANSIONS: Record<string, string[]> = {
  saas: ["software"],
  cloud: ["software", "saas"],
  app: ["software"],
  api: ["software", "developer", "tool"],
  devtool: ["software", "developer", "tool"],
  developer: ["software"],
  crm: ["software", "saas"],
  security: ["software", "cybersecurity"],
  cyber: ["software", "cybersecurity"],
  infosec: ["software", "cybersecurity"],
  ai: ["software", "machine", "learning"],
  ml: ["software", "ai", "machine", "learning"],
  llm: ["software", "ai", "machine", "learning"],
  analytic: ["software", "data"],
  data: ["software", "analytic"],
  payment: ["fintech"],
  bank: ["fintech", "banking"],
  banking: ["fintech"],
  finance: ["fintech"],
  financial: ["fintech"],
  lending: ["fintech"],
  loan: ["fintech", "lending"],
  lender: ["fintech", "lending"],
  credit: ["fintech", "lending"],
  insurance: ["fintech", "insurtech", "health"],
  wealth: ["fintech", "wealthtech"],
  crypto: ["fintech", "web3"],
  blockchain: ["fintech", "crypto", "web3"],
  web3: ["fintech", "crypto"],
  health: ["healthcare"],
  medical: ["healthcare", "device"],
  clinic: ["healthcare", "digital", "health"],
  hospital: ["healthcare", "medical", "device"],
  patient: ["healthcare", "digital", "health"],
  pharma: ["healthcare", "biotech"],
  telehealth: ["healthcare", "telemedicine"],
  doctor: ["healthcare", "telemedicine"],
  shop: ["ecommerce", "commerce"],
  shopify: ["ecommerce", "commerce", "d2c"],
  store: ["ecommerce", "commerce", "retail"],
  retail: ["ecommerce", "commerce"],
  retailer: ["ecommerce", "commerce", "retail"],
  merchant: ["ecommerce", "commerce", "payment"],
  marketplace: ["ecommerce", "commerce"],
  dtc: ["ecommerce", "commerce", "d2c"],
  d2c: ["ecommerce", "commerce"],
  factory: ["manufacturing", "industrial"],
  industrial: ["manufacturing"],
  plant: ["manufacturing", "industrial"],
  iot: ["manufacturing", "industrial"],
  robot: ["manufacturing", "robotic"],
  robotic: ["manufacturing"],
  automation: ["manufacturing", "industrial"],
  automotive: ["manufacturing"],
  hardware: ["manufacturing", "electronic"],
  advertising: ["marketing", "adtech"],
  ad: ["marketing", "adtech"],
  ads: ["marketing", "adtech"],
  adtech: ["marketing"],
  martech: ["marketing"],
  campaign: ["marketing", "martech"],
  seo: ["marketing", "content"],
  agency: ["marketing"],
  media: ["marketing", "content"],
  property: ["real", "estate", "proptech"],
  proptech: ["real", "estate"],
  realestate: ["real", "estate"],
  landlord: ["real", "estate", "proptech"],
  broker: ["real", "estate", "brokerage"],
  construction: ["real", "estate"],
  mortgage: ["real", "estate", "fintech", "lending"],
  school: ["education", "edtech"],
  university: ["education", "higher"],
  learning: ["education"],
  edtech: ["education"],
  course: ["education", "online", "learning"],
  student: ["education", "edtech"],
  teacher: ["education", "edtech"],
  training: ["education", "corporate"],
  lms: ["education", "edtech", "learning"],
  shipping: ["logistic", "freight"],
  freight: ["logistic", "shipping"],
  fleet: ["logistic", "management"],
  warehouse: ["logistic", "warehousing"],
  supply: ["logistic"],
  delivery: ["logistic", "lastmile"],
  trucking: ["logistic", "freight", "fleet"],
  transport: ["logistic", "freight"],
  solar: ["energy", "clean"],
  renewable: ["energy", "clean", "solar"],
  battery: ["energy", "storage"],
  grid: ["energy"],
  ev: ["energy", "charging"],
  utility: ["energy"],
  oil: ["energy", "gas"],
  wind: ["energy", "clean"],
  climate: ["energy", "clean"],
};

/** Description terms: stems of its tokens plus the taxonomy terms they imply. */
function descriptionTerms(businessDesc: string): Set<string> {
  const terms = new Set<string>();
  for (const token of tokenize(businessDesc)) {
    const s = stem(token);
    terms.add(s);
    for (const extra of EXPANSIONS[s] ?? []) terms.add(extra);
  }
  return terms;
}

const fieldTerms = (value: string | undefined): string[] => [
  ...new Set(tokenize(value ?? "").map(stem)),
];

/**
 * Any hit already means "same market", so a single hit earns most of the credit and the rest
 * scales with coverage; otherwise a three-word sub-industry would need all three words to count.
 */
function overlap(terms: readonly string[], desc: Set<string>): number {
  if (terms.length === 0) return 0;
  const hits = terms.filter((t) => desc.has(t)).length;
  return hits === 0 ? 0 : 0.6 + 0.4 * (hits / terms.length);
}

/**
 * How senior the role is, in [0, 1]. B2B outreach converts when it reaches someone who can buy,
 * so founders and C-level rank above VPs/heads/directors, who rank above managers and individual
 * contributors; interns are close to worthless. An unknown role sits below a manager.
 */
export function roleSeniority(role: string | undefined): number {
  const r = ` ${(role ?? "").toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
  if (r.trim() === "") return 0.2;
  if (/ (intern|internship|trainee|student|assistant|junior|jr) /.test(r)) return 0.05;
  if (
    / (ceo|cto|cfo|coo|cmo|cro|ciso|cio|chief|founder|cofounder|co founder|owner|president|partner|managing director) /.test(
      r,
    ) &&
    !/ vice president /.test(r)
  ) {
    return 1;
  }
  if (/ (vp|svp|evp|vice president) /.test(r)) return 0.85;
  if (/ head /.test(r)) return 0.8;
  if (/ director /.test(r)) return 0.75;
  if (/ (manager|lead|principal) /.test(r)) return 0.5;
  return 0.3;
}

// Generic words in company names ("Acme Labs Inc.") that would otherwise match descriptions
// by accident.
const BUSINESS_FILLER = new Set(
  (
    "inc co corp corporation llc ltd limited gmbh ag sa plc group holding holdings lab labs " +
    "technology technologies tech system systems partner partners global international " +
    "solution solutions enterprise enterprises"
  ).split(" "),
);

// ---- region ----------------------------------------------------------------------------------
// Regions are compared as phrases, not tokens, so "new customers" never matches "US - New York".

/** Lower-case, accent-free, punctuation-free text padded with spaces for whole-phrase lookups. */
function phraseText(text: string): string {
  const folded = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  return ` ${folded} `;
}

// Ways a description names a country (keys are the country as written in lead regions).
const COUNTRY_ALIASES: Record<string, string[]> = {
  // Not "america": it would also match "Latin America".
  us: ["united states", "usa", "u s", "u s a"],
  uk: ["uk", "united kingdom", "britain", "great britain", "england", "british"],
  uae: ["uae", "united arab emirates", "emirates"],
  germany: ["germany", "german", "deutschland"],
  france: ["france", "french"],
  netherlands: ["netherlands", "dutch", "holland"],
  spain: ["spain", "spanish"],
  sweden: ["sweden", "swedish"],
  switzerland: ["switzerland", "swiss"],
  canada: ["canada", "canadian"],
  australia: ["australia", "australian"],
  india: ["india", "indian"],
  japan: ["japan", "japanese"],
  brazil: ["brazil", "brazilian"],
  israel: ["israel", "israeli"],
  ireland: ["ireland", "irish"],
};

// Multi-country regions a description may target.
const REGION_GROUPS: Record<string, string[]> = {
  europe: [
    "uk",
    "germany",
    "france",
    "netherlands",
    "spain",
    "sweden",
    "switzerland",
    "ireland",
    "italy",
    "poland",
    "portugal",
    "austria",
    "belgium",
    "denmark",
    "norway",
    "finland",
  ],
  european: ["uk", "germany", "france", "netherlands", "spain", "sweden", "switzerland", "ireland"],
  eu: ["germany", "france", "netherlands", "spain", "sweden", "ireland", "italy", "poland"],
  emea: ["uk", "germany", "france", "netherlands", "spain", "sweden", "uae", "israel", "ireland"],
  dach: ["germany", "austria", "switzerland"],
  nordics: ["sweden", "norway", "denmark", "finland"],
  "north america": ["us", "canada"],
  "latin america": ["brazil", "mexico", "argentina", "colombia", "chile"],
  latam: ["brazil", "mexico", "argentina", "colombia", "chile"],
  apac: ["singapore", "australia", "india", "japan"],
  "asia pacific": ["singapore", "australia", "india", "japan"],
  asia: ["singapore", "india", "japan"],
  "middle east": ["uae", "israel"],
  anz: ["australia", "new zealand"],
};

// Local nicknames for places that lead regions spell out.
const LOCALITY_ALIASES: Record<string, string[]> = {
  california: ["bay area", "silicon valley", "san francisco", "los angeles", "san diego"],
  "new york": ["nyc"],
  washington: ["seattle"],
  massachusetts: ["boston"],
  illinois: ["chicago"],
  texas: ["austin", "dallas", "houston"],
  georgia: ["atlanta"],
  colorado: ["denver"],
  florida: ["miami"],
  bangalore: ["bengaluru"],
};

// Places a description may name that no alias table covers, so that naming one of them still
// counts as asking for a region (and leads elsewhere do not match it).
const OTHER_PLACES = (
  "london, manchester, edinburgh, berlin, munich, hamburg, paris, lyon, amsterdam, rotterdam, " +
  "barcelona, madrid, stockholm, copenhagen, oslo, helsinki, dublin, zurich, geneva, vienna, " +
  "milan, rome, lisbon, warsaw, prague, toronto, vancouver, montreal, sydney, melbourne, " +
  "auckland, singapore, bangalore, mumbai, delhi, hyderabad, tel aviv, dubai, abu dhabi, tokyo, " +
  "osaka, seoul, hong kong, shanghai, beijing, sao paulo, mexico city, buenos aires"
).split(", ");

const ALL_PLACE_PHRASES: string[] = [
  ...Object.values(COUNTRY_ALIASES).flat(),
  ...Object.values(REGION_GROUPS).flat(),
  ...Object.keys(REGION_GROUPS),
  ...Object.keys(LOCALITY_ALIASES),
  ...Object.values(LOCALITY_ALIASES).flat(),
  ...OTHER_PLACES,
];

const has = (text: string, phrase: string): boolean => text.includes(` ${phrase} `);

/** Whether the description names any place at all; if not, region must not affect the score. */
function mentionsPlace(desc: string, text: string): boolean {
  // "US" is only a country in capitals; lower-case "us" is a pronoun.
  return /\bUS\b/.test(desc) || ALL_PLACE_PHRASES.some((p) => has(text, p));
}

/** 1 when the lead's region ("Country - Locality") is one the description names, else 0. */
function regionMatch(region: string | undefined, desc: string, text: string): number {
  if (!region) return 0;
  const [countryRaw, ...rest] = region.split(/\s+-\s+/);
  const country = phraseText(countryRaw).trim();
  const locality = phraseText(rest.join(" ")).trim();
  if (country === "us" && /\bUS\b/.test(desc)) return 1;
  const countryPhrases = [country, ...(COUNTRY_ALIASES[country] ?? [])].filter((p) => p !== "us");
  if (countryPhrases.some((p) => has(text, p))) return 1;
  if (Object.entries(REGION_GROUPS).some(([g, cs]) => cs.includes(country) && has(text, g))) {
    return 1;
  }
  const localityPhrases = locality ? [locality, ...(LOCALITY_ALIASES[locality] ?? [])] : [];
  return localityPhrases.some((p) => has(text, p)) ? 1 : 0;
}

// ---- score -----------------------------------------------------------------------------------

/**
 * Component weights. Market fit dominates because a perfect title at the wrong kind of company is
 * a wasted lead; seniority comes next because it decides whether the contact can buy. The company
 * name is a weak echo of the market, and region only matters when the description asks for one.
 */
export const FIT_WEIGHTS = { industry: 0.5, role: 0.25, business: 0.1, region: 0.15 } as const;

/**
 * Fit of `lead` to `businessDesc`, in [0, 1]. Deterministic: the same inputs always give the same
 * number. When the description names no place, the region weight is dropped and the others are
 * renormalised, so leads are not penalised for a constraint nobody asked for.
 */
export function fitScore(lead: Lead, businessDesc: string): number {
  const desc = descriptionTerms(businessDesc);

  // The sub-industry is the most specific market signal; the broad industry alone earns less.
  const sub = overlap(fieldTerms(lead.sub_industry), desc);
  const ind = overlap(fieldTerms(lead.industry), desc);
  const industry = Math.min(1, 0.85 * sub + 0.6 * ind);

  // A senior contact in the function the description sells to ("sales teams" -> VP of Sales)
  // beats an equally senior contact elsewhere.
  const roleTerms = fieldTerms(lead.role);
  const functionMatch = roleTerms.some((t) => desc.has(t)) ? 1 : 0;
  const role = Math.min(1, 0.65 * roleSeniority(lead.role) + 0.35 * functionMatch);

  const businessTerms = fieldTerms(lead.business).filter((t) => !BUSINESS_FILLER.has(t));
  const businessHits = businessTerms.filter((t) => desc.has(t)).length;
  const business = Math.min(1, 0.6 * businessHits);

  const text = phraseText(businessDesc);
  const region = regionMatch(lead.region, businessDesc, text);
  const regionApplies = region > 0 || mentionsPlace(businessDesc, text);

  const w = FIT_WEIGHTS;
  const total = w.industry + w.role + w.business + (regionApplies ? w.region : 0);
  const raw =
    (w.industry * industry +
      w.role * role +
      w.business * business +
      (regionApplies ? w.region * region : 0)) /
    total;
  return Math.min(1, Math.max(0, raw));
}
