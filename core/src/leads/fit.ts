// How well a lead fits a parsed description. What the buyer stated (role, industry, place and
// exclusions) is a constraint: a lead that misses any of them is a misfit and scores at most
// MISFIT_CAP, below the FIT_FLOOR every fitting lead reaches, so a misfit never outranks a fit.
// Among fits, seniority and closeness order them. Pure and deterministic.
import type { Lead } from "../schemas";
import {
  builtInLexicon as defaultLexicon,
  LEVELS,
  matchPhrases,
  tokenizeText,
  type Level,
  type Lexicon,
} from "./lexicon";
import { parseDescription, type ParsedDescription, type RoleWant } from "./parse";

/** Every fitting lead scores at least this... */
export const FIT_FLOOR = 0.5;
/** ...and every misfit at most this. */
export const MISFIT_CAP = 0.3;

/** What the lexicon reads in a lead's own fields. */
export interface LeadProfile {
  functions: string[];
  level: Level;
  /** Named titles in the role ("cto", "founder"), which a buyer's named title must match. */
  titles: string[];
  /** Industry concept -> closeness in (0, 1] (1 for the concept's first label). */
  industries: Map<string, number>;
  /** The lead's places with every place containing them. */
  places: Set<string>;
}

/** How senior each level is when the buyer named none: decision makers first. */
const GENERIC_SENIORITY: Record<Level, number> = {
  c_level: 1,
  vp: 0.9,
  head: 0.85,
  director: 0.8,
  manager: 0.55,
  individual: 0.3,
  entry: 0.05,
};

const ladder = (l: Level): number => LEVELS.indexOf(l);

/** Function and seniority of a role title. Interns and juniors are "entry" whatever else. */
export function classifyRole(
  role: string | undefined,
  lexicon: Lexicon,
): { functions: string[]; level: Level; titles: string[] } {
  const tokens = tokenizeText(role ?? "");
  const functions = new Set<string>();
  const titles = new Set<string>();
  const levels: Level[] = [];
  for (const s of matchPhrases(tokens, lexicon.level)) {
    for (const e of s.entries) levels.push(e.id as Level);
  }
  for (const s of matchPhrases(tokens, lexicon.title)) {
    for (const e of s.entries) {
      if (e.kind === "function") functions.add(e.id);
      if (e.kind === "title") {
        const t = lexicon.file.titles[e.id];
        functions.add(t.function);
        titles.add(e.id);
        levels.push(t.level);
      }
    }
  }
  let level: Level = "individual";
  if (levels.includes("entry")) level = "entry";
  else if (levels.length > 0) level = levels.reduce((a, b) => (ladder(b) < ladder(a) ? b : a));
  return { functions: [...functions].sort(), level, titles: [...titles].sort() };
}

/** Industry concepts of a lead: from its labels when the lexicon knows them, else from phrases. */
function classifyIndustry(lead: Lead, lexicon: Lexicon): Map<string, number> {
  const out = new Map<string, number>();
  const add = (id: string, closeness: number) => out.set(id, Math.max(out.get(id) ?? 0, closeness));
  for (const label of [lead.sub_industry, lead.industry]) {
    for (const hit of lexicon.labels.get((label ?? "").trim().toLowerCase()) ?? []) {
      add(hit.id, Math.max(0.5, 1 - 0.1 * hit.index));
    }
  }
  if (out.size === 0) {
    // A lead from another source: read its industry words like a description.
    const text = `${lead.industry ?? ""} ; ${lead.sub_industry ?? ""}`;
    for (const s of matchPhrases(tokenizeText(text), lexicon.description)) {
      for (const e of s.entries) if (e.kind === "industry") add(e.id, 0.9);
    }
  }
  return out;
}

/**
 * Places of a region written "Country - Locality" (the pool's form) or free text. The locality
 * only counts when it lies in the country, so "US - Georgia" is never the country Georgia.
 */
function classifyPlace(region: string | undefined, lexicon: Lexicon): Set<string> {
  const out = new Set<string>();
  if (!region) return out;
  const placesIn = (text: string): string[] =>
    matchPhrases(tokenizeText(text), lexicon.place).flatMap((s) =>
      s.entries.filter((e) => e.kind === "place").map((e) => e.id),
    );
  const [countryText, ...rest] = region.split(/\s+-\s+/);
  const countries = placesIn(countryText);
  const localities = rest.length > 0 ? placesIn(rest.join(" ")) : [];
  for (const c of countries) for (const a of lexicon.placeAncestors.get(c) ?? []) out.add(a);
  for (const l of localities) {
    const ancestors = lexicon.placeAncestors.get(l) ?? new Set<string>();
    if (countries.length === 0 || countries.some((c) => ancestors.has(c))) {
      for (const a of ancestors) out.add(a);
    }
  }
  return out;
}

const profiles = new WeakMap<Lexicon, WeakMap<Lead, LeadProfile>>();

/** The lexicon's reading of a lead; cached per lead object, since pools are scored repeatedly. */
export function profileLead(lead: Lead, lexicon: Lexicon = defaultLexicon()): LeadProfile {
  let cache = profiles.get(lexicon);
  if (!cache) {
    cache = new WeakMap();
    profiles.set(lexicon, cache);
  }
  const hit = cache.get(lead);
  if (hit) return hit;
  const { functions, level, titles } = classifyRole(lead.role, lexicon);
  const profile: LeadProfile = {
    functions,
    level,
    titles,
    industries: classifyIndustry(lead, lexicon),
    places: classifyPlace(lead.region, lexicon),
  };
  cache.set(lead, profile);
  return profile;
}

export type Constraint = "role" | "industry" | "place";

export interface FitAssessment {
  fits: boolean;
  /** The stated constraints the lead misses (an exclusion it hits counts as a miss). */
  missed: Constraint[];
  /** Final score in [0, 1]: in [FIT_FLOOR, 1] for fits, in [0, MISFIT_CAP] for misfits. */
  score: number;
  /** Seniority and closeness among leads of the same fit, in [0, 1]. */
  closeness: number;
}

/**
 * A named title ("CROs", "founders") is met by that title; a lead whose role names no title of the
 * lexicon ("SVP, Sales") is judged by function and level like any other role.
 */
const matchesRole = (want: RoleWant, p: LeadProfile): boolean =>
  (want.title === null || p.titles.length === 0 || p.titles.includes(want.title)) &&
  (want.functions === null || want.functions.some((f) => p.functions.includes(f))) &&
  (want.accepts === null || want.accepts.includes(p.level));

/** Judges a lead against a parsed description. */
export function assessFit(lead: Lead, parsed: ParsedDescription, lexicon: Lexicon): FitAssessment {
  const p = profileLead(lead, lexicon);
  const missed = new Set<Constraint>();
  let stated = 0;

  const matchedRoles = parsed.roles.filter((w) => matchesRole(w, p));
  if (
    parsed.roles.length > 0 ||
    parsed.exclude.functions.length + parsed.exclude.levels.length > 0
  ) {
    stated++;
    const excludedRole =
      p.functions.some((f) => parsed.exclude.functions.includes(f)) ||
      parsed.exclude.levels.includes(p.level);
    if ((parsed.roles.length > 0 && matchedRoles.length === 0) || excludedRole) missed.add("role");
  }

  let industryCloseness = 0.75;
  if (
    parsed.industries.length > 0 ||
    parsed.exclude.industries.length > 0 ||
    parsed.unread.includes("industry")
  ) {
    stated++;
    const wanted = parsed.industries.map((id) => p.industries.get(id) ?? 0);
    if (parsed.industries.length > 0) industryCloseness = Math.max(...wanted);
    const excludedIndustry = parsed.exclude.industries.some((id) => p.industries.has(id));
    if (
      (parsed.industries.length > 0 && industryCloseness === 0) ||
      excludedIndustry ||
      parsed.unread.includes("industry")
    ) {
      missed.add("industry");
    }
  }

  if (parsed.places.length > 0 || parsed.exclude.places.length > 0) {
    stated++;
    const inWanted = parsed.places.length === 0 || parsed.places.some((id) => p.places.has(id));
    const inExcluded = parsed.exclude.places.some((id) => p.places.has(id));
    if (!inWanted || inExcluded) missed.add("place");
  }

  // Seniority: closest to the level the buyer named, else most senior first.
  const named = matchedRoles.filter((w) => w.level !== null);
  const seniority =
    named.length > 0
      ? Math.max(
          ...named.map((w) => 1 - 0.1 * Math.abs(ladder(p.level) - ladder(w.level as Level))),
        )
      : GENERIC_SENIORITY[p.level];
  // The product's own users ("sales-automation software" -> sales) come first among equals.
  const preference =
    parsed.preferredFunctions.length === 0
      ? 0.75
      : p.functions.some((f) => parsed.preferredFunctions.includes(f))
        ? 1
        : 0.5;
  const closeness = 0.55 * seniority + 0.25 * preference + 0.2 * Math.max(0, industryCloseness);

  const fits = missed.size === 0;
  // A lead in the industry's own label comes before every lead that is only in a related label
  // ("SaaS companies": the SaaS sub-industry first, other software only to fill), whatever its
  // seniority: the narrower reading is the one most likely to be what the buyer meant.
  const tier = parsed.industries.length === 0 || industryCloseness >= 1 ? 0.5 : 0;
  const score = fits
    ? FIT_FLOOR + (1 - FIT_FLOOR) * (tier + 0.5 * closeness)
    : MISFIT_CAP * (1 - missed.size / Math.max(1, stated)) * (0.5 + 0.5 * closeness);
  return { fits, missed: [...missed], score, closeness };
}

/** Memo of the last parse, since curators and rankers score many leads for one description. */
let lastParse: { text: string; lexicon: Lexicon; parsed: ParsedDescription } | undefined;

/** Parses with a one-entry memo (descriptions repeat across every lead of a request). */
export function parseCached(text: string, lexicon: Lexicon = defaultLexicon()): ParsedDescription {
  if (lastParse?.text !== text || lastParse.lexicon !== lexicon) {
    lastParse = { text, lexicon, parsed: parseDescription(text, lexicon) };
  }
  return lastParse.parsed;
}

/** Fit of `lead` to `businessDesc` in [0, 1] with the default lexicon. */
export function fitScore(
  lead: Lead,
  businessDesc: string,
  lexicon: Lexicon = defaultLexicon(),
): number {
  return assessFit(lead, parseCached(businessDesc, lexicon), lexicon).score;
}
