// How the evaluation reads a lead: plain predicates over the lead's own fields (title by regular
// expression, industry, region), independent of the parser and its lexicon. Shared by the
// hand-kept set (eval-set.mjs) and the gold specs of the generated and hand-written sets (gold.mjs).

export const country = (l) => l.region.split(" - ")[0];
export const locality = (l) => l.region.split(" - ")[1] ?? "";
export const inCountries =
  (...cs) =>
  (l) =>
    cs.includes(country(l));
export const US = inCountries("US");
export const inStates =
  (...states) =>
  (l) =>
    country(l) === "US" && states.includes(locality(l));
export const inCity =
  (...cities) =>
  (l) =>
    cities.includes(locality(l));
export const EUROPE = [
  "UK",
  "Ireland",
  "Germany",
  "Austria",
  "Switzerland",
  "France",
  "Netherlands",
  "Belgium",
  "Spain",
  "Portugal",
  "Italy",
  "Sweden",
  "Denmark",
  "Norway",
  "Finland",
  "Poland",
];
export const inEurope = inCountries(...EUROPE);
export const MIDWEST = [
  "Illinois",
  "Ohio",
  "Michigan",
  "Minnesota",
  "Wisconsin",
  "Missouri",
  "Indiana",
  "Iowa",
];
export const SOUTHEAST = [
  "Florida",
  "Georgia",
  "North Carolina",
  "South Carolina",
  "Tennessee",
  "Alabama",
];
export const LATAM = ["Mexico", "Brazil", "Argentina", "Colombia", "Chile"];
export const EMEA = [
  ...EUROPE,
  "Israel",
  "UAE",
  "Saudi Arabia",
  "South Africa",
  "Nigeria",
  "Kenya",
];

export const ind =
  (...names) =>
  (l) =>
    names.includes(l.industry);
export const sub =
  (...names) =>
  (l) =>
    names.includes(l.sub_industry);

// Title readings, independent of the parser.
export const notJunior = (r) => !/\b(Intern|Junior)\b/.test(r);
export const isVp = (r) => /\b(VP|SVP|EVP)\b|Vice President/.test(r);
export const isHead = (r) => /\bHead of\b/.test(r);
export const isDirector = (r) =>
  /\bDirector\b/.test(r) && !/Managing Director|Executive Director/.test(r);
export const isManager = (r) => /\bManager\b/.test(r) && notJunior(r);
export const isChief = (r) =>
  /\bChief\b|^(CEO|CTO|CFO|COO|CMO|CIO|CISO|CHRO)$|Founder|^President$|Managing (Director|Partner)|Executive Director|General Counsel/.test(
    r,
  ) && !/Vice President/.test(r);
export const senior = (r) => isChief(r) || isVp(r) || isHead(r) || isDirector(r);

/** Senior people of a function: VP/Head/Director whose title names it, or its own chiefs. */
export const leaderOf =
  (fn, chiefs = []) =>
  (l) =>
    chiefs.some((c) => (typeof c === "string" ? l.role === c : c.test(l.role))) ||
    ((isVp(l.role) || isHead(l.role) || isDirector(l.role)) && fn.test(l.role));
/** Director-level people of a function (VP, Head, Director), without the chief. */
export const directorOf = (fn) => (l) =>
  (isVp(l.role) || isHead(l.role) || isDirector(l.role)) && fn.test(l.role);

export const SALES = /\bSales\b/;
export const salesLeader = leaderOf(SALES, ["Chief Revenue Officer", "Chief Sales Officer"]);
export const MARKETING = /Marketing|Growth|Demand Generation|Brand/;
export const marketingLeader = leaderOf(MARKETING, ["CMO", "Chief Marketing Officer"]);
export const ENGINEERING = /Engineering/;
export const engineeringLeader = leaderOf(ENGINEERING, ["CTO"]);
export const SECURITY = /Security/;
export const securityLeader = leaderOf(SECURITY, ["CISO", "Chief Information Security Officer"]);
export const PROCUREMENT = /Procurement|Purchasing/;
export const procurementLeader = leaderOf(PROCUREMENT, ["Chief Procurement Officer"]);
export const OPERATIONS = /Operations|Transportation/;
export const operationsLeader = leaderOf(OPERATIONS, ["COO", "Chief Operating Officer"]);
export const HR = /\bHR\b|People|Talent/;
export const hrLeader = leaderOf(HR, ["Chief People Officer", "CHRO"]);
export const FINANCE = /Finance|Financial|Controller/;
export const financeLeader = (l) =>
  leaderOf(FINANCE, ["CFO", "Chief Financial Officer"])(l) || l.role === "Controller";
export const SUCCESS = /Customer Success/;
export const successLeader = leaderOf(SUCCESS, ["Chief Customer Officer"]);
export const IT = /\bIT\b/;
export const PARTNERSHIPS = /Partnership|Channel/;
export const partnershipsLeader = leaderOf(PARTNERSHIPS);
export const SUPPLY = /Supply Chain|Logistics/;
export const supplyLeader = leaderOf(SUPPLY, ["Chief Supply Chain Officer"]);
export const PRODUCT = /\bProduct\b/;
export const productLeader = leaderOf(PRODUCT, ["Chief Product Officer"]);
export const DATA = /\bData\b|Analytics/;
export const dataLeader = leaderOf(DATA, ["Chief Data Officer"]);
export const LEGAL = /Legal|Counsel|Compliance|Regulatory/;
export const legalLeader = leaderOf(LEGAL, ["General Counsel", "Chief Legal Officer"]);
export const founderOrCeo = (l) => /Founder|\bCEO\b/.test(l.role);
export const cto = (l) => l.role === "CTO";
export const cfo = (l) => l.role === "CFO" || l.role === "Chief Financial Officer";
export const coo = (l) => l.role === "COO" || l.role === "Chief Operating Officer";
export const cmo = (l) => l.role === "CMO" || l.role === "Chief Marketing Officer";
export const cro = (l) => l.role === "Chief Revenue Officer";
export const not = (f) => (l) => !f(l);
export const all =
  (...fs) =>
  (l) =>
    fs.every((f) => f(l));
export const any =
  (...fs) =>
  (l) =>
    fs.some((f) => f(l));
