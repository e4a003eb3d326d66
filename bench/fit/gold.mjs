// Gold expectations as data: each description of the generated and hand-written sets carries a
// JSON spec of what a fitting lead is, so the frozen test part can be hashed and any edit to it
// detected. fitOf(spec) turns the spec into a predicate over the lead's own fields with the same
// readings as the hand-kept set (readings.mjs); nothing here reads the parser or its lexicon.
//
// Spec (every part optional; a missing part does not constrain):
//   role: ["lead:sales", "mgr+:security", "title:CTO", ...]  any of
//     lead:<fn>   VP / Head / Director of the function, or its own chief ("sales leaders", "VPs")
//     dir:<fn>    VP / Head / Director of the function, not the chief ("directors of IT")
//     mgr+:<fn>   a manager of the function or anyone senior to one in it: a seniority word is a
//                 preference, so "security managers" also takes the Head of Security
//     mgr:<fn>    managers only, when the buyer states the level as a requirement
//     title:<T>   that named title (CTO, CFO, CISO...)
//     senior      any decision maker (chief, founder, VP, head, director)
//   ind / notInd: pool industry or sub-industry names, any of / none of
//   country, state, city: any of them (a lead meets the place when it meets one list)
//   notCountry, notState, notCity: none of them
import {
  country,
  locality,
  isManager,
  isVp,
  isHead,
  isDirector,
  leaderOf,
  directorOf,
  senior,
} from "./readings.mjs";

/** Each function: how its titles read, and its own chiefs. */
export const FUNCTIONS = {
  sales: { re: /\bSales\b/, chiefs: ["Chief Revenue Officer", "Chief Sales Officer"] },
  marketing: {
    re: /Marketing|Growth|Demand Generation|Brand/,
    chiefs: ["CMO", "Chief Marketing Officer"],
  },
  engineering: { re: /Engineering/, chiefs: ["CTO"] },
  security: {
    re: /Security/,
    chiefs: ["CISO", "Chief Information Security Officer"],
  },
  procurement: { re: /Procurement|Purchasing/, chiefs: ["Chief Procurement Officer"] },
  operations: { re: /Operations|Transportation/, chiefs: ["COO", "Chief Operating Officer"] },
  hr: { re: /\bHR\b|People|Talent/, chiefs: ["Chief People Officer", "CHRO"] },
  finance: {
    re: /Finance|Financial|Controller/,
    chiefs: ["CFO", "Chief Financial Officer", "Controller"],
  },
  success: { re: /Customer Success/, chiefs: ["Chief Customer Officer"] },
  it: { re: /\bIT\b/, chiefs: ["CIO", "Chief Information Officer"] },
  partnerships: { re: /Partnership|Channel/, chiefs: [] },
  supply: { re: /Supply Chain|Logistics/, chiefs: ["Chief Supply Chain Officer"] },
  product: { re: /\bProduct\b/, chiefs: ["Chief Product Officer"] },
  data: { re: /\bData\b|Analytics/, chiefs: ["Chief Data Officer"] },
  legal: {
    re: /Legal|Counsel|Compliance|Regulatory/,
    chiefs: ["General Counsel", "Chief Legal Officer"],
  },
  bizdev: { re: /Business Development/, chiefs: [] },
};

export const TITLES = {
  CEO: (r) => /\bCEO\b/.test(r),
  Founder: (r) => /Founder/.test(r),
  CTO: (r) => r === "CTO",
  CFO: (r) => r === "CFO" || r === "Chief Financial Officer",
  COO: (r) => r === "COO" || r === "Chief Operating Officer",
  CMO: (r) => r === "CMO" || r === "Chief Marketing Officer",
  CRO: (r) => r === "Chief Revenue Officer",
  CIO: (r) => r === "CIO" || r === "Chief Information Officer",
  CISO: (r) => r === "CISO" || r === "Chief Information Security Officer",
  CHRO: (r) => r === "CHRO" || r === "Chief People Officer",
  CPO: (r) => r === "Chief Product Officer",
  CDO: (r) => r === "Chief Data Officer",
  GC: (r) => r === "General Counsel" || r === "Chief Legal Officer",
};

function roleReading(item) {
  if (item === "senior") return (l) => senior(l.role);
  const [kind, arg] = item.split(":");
  if (kind === "title") {
    const t = TITLES[arg];
    if (!t) throw new Error(`gold: unknown title ${arg}`);
    return (l) => t(l.role);
  }
  const fn = FUNCTIONS[arg];
  if (!fn) throw new Error(`gold: unknown function ${arg}`);
  const lead = leaderOf(fn.re, fn.chiefs);
  if (kind === "lead") return lead;
  if (kind === "dir") return directorOf(fn.re);
  if (kind === "mgr") return (l) => isManager(l.role) && fn.re.test(l.role);
  if (kind === "mgr+")
    return (l) =>
      lead(l) ||
      ((isManager(l.role) || isVp(l.role) || isHead(l.role) || isDirector(l.role)) &&
        fn.re.test(l.role));
  throw new Error(`gold: unknown role kind ${kind}`);
}

const inAny = (list, value) => list.includes(value);

/** The predicate a fitting lead satisfies, from a gold spec. */
export function fitOf(spec) {
  const checks = [];
  if (spec.role?.length) {
    const roles = spec.role.map(roleReading);
    checks.push((l) => roles.some((r) => r(l)));
  }
  if (spec.ind?.length)
    checks.push((l) => inAny(spec.ind, l.industry) || inAny(spec.ind, l.sub_industry));
  if (spec.notInd?.length)
    checks.push((l) => !inAny(spec.notInd, l.industry) && !inAny(spec.notInd, l.sub_industry));
  const places = [
    ...(spec.country ?? []).map((c) => (l) => country(l) === c),
    ...(spec.state ?? []).map((s) => (l) => country(l) === "US" && locality(l) === s),
    ...(spec.city ?? []).map((c) => (l) => locality(l) === c),
  ];
  if (places.length > 0) checks.push((l) => places.some((p) => p(l)));
  if (spec.notCountry?.length) checks.push((l) => !inAny(spec.notCountry, country(l)));
  if (spec.notState?.length)
    checks.push((l) => !(country(l) === "US" && inAny(spec.notState, locality(l))));
  if (spec.notCity?.length) checks.push((l) => !inAny(spec.notCity, locality(l)));
  return (l) => checks.every((c) => c(l));
}
