// The evaluation set for "leads that fit the request": descriptions written the way buyers write
// them (loose wording, typos, abbreviations, combined asks, exclusions), each with the predicate a
// correct lead satisfies. The predicates are written from the description alone, over the lead's
// own fields, with plain regular expressions on the title; they never call the parser or read its
// lexicon, so the benchmark measures the parser instead of agreeing with itself.
//
// Reading conventions a sales team would use, applied to every label:
// - "VPs / heads / directors / leaders of X": the senior people of function X (VP, SVP, Head,
//   Director, and the function's own chief: CRO for sales, CMO for marketing, CTO for
//   engineering...). "Directors" alone: Director, Head or VP of X (not the chief).
// - A named title (CTO, CFO, founder) means that title. "X managers" (one level of a function) is a
//   preference since issue 24: managers of X first, and more senior people of X fit too (gold.mjs
//   "mgr+"); before, this set read it as managers only.
// - "Decision makers" / "leaders" without a function: chiefs, founders, VPs, heads and directors.
// - An industry word means the pool's industry or sub-industry a buyer would file it under.
// - Geography at the level stated: a country, a region of countries or US states, or a city.
import { fitOf } from "./gold.mjs";
import {
  inCountries,
  US,
  inStates,
  inCity,
  inEurope,
  MIDWEST,
  SOUTHEAST,
  LATAM,
  EMEA,
  ind,
  sub,
  senior,
  leaderOf,
  directorOf,
  SALES,
  salesLeader,
  MARKETING,
  marketingLeader,
  ENGINEERING,
  engineeringLeader,
  SECURITY,
  securityLeader,
  procurementLeader,
  OPERATIONS,
  operationsLeader,
  HR,
  hrLeader,
  financeLeader,
  successLeader,
  IT,
  PARTNERSHIPS,
  partnershipsLeader,
  supplyLeader,
  productLeader,
  dataLeader,
  legalLeader,
  founderOrCeo,
  cto,
  cfo,
  coo,
  cmo,
  cro,
  not,
  all,
  any,
} from "./readings.mjs";

const managerUp = (fn) => fitOf({ role: [`mgr+:${fn}`] });

/** @type {{ desc: string; n: number; heldOut?: boolean; fit: (lead: import("consensus-core").Lead) => boolean }[]} */
export const EVAL_SET = [
  {
    desc: "B2B SaaS platform selling sales-automation software to VPs of Sales at US tech companies",
    n: 5,
    fit: all(salesLeader, ind("Software"), US),
  },
  { desc: "Fintech startups in London", n: 5, fit: all(ind("Fintech"), inCity("London")) },
  {
    desc: "VP Sales / Head of Sales at B2B SaaS cos in the US",
    n: 5,
    fit: all(salesLeader, ind("Software"), US),
  },
  { desc: "Looking for CTOs at fintechs in Eurpoe", n: 5, fit: all(cto, ind("Fintech"), inEurope) },
  {
    desc: "heads of procurement at manufacturers in germany",
    n: 5,
    fit: all(procurementLeader, ind("Manufacturing"), inCountries("Germany")),
  },
  {
    desc: "CISOs and security leaders at banks and credit unions in the US",
    n: 5,
    fit: all(securityLeader, sub("Banking", "Credit Unions"), US),
  },
  {
    desc: "Marketing directors at D2C brands, not agencies",
    n: 5,
    fit: all(directorOf(MARKETING), sub("D2C Brands")),
  },
  {
    desc: "engineering managers at SaaS companies",
    n: 5,
    fit: all(managerUp("engineering"), ind("Software")),
  },
  {
    desc: "Hospital CFOs in the US Midwest",
    n: 3,
    fit: all(cfo, sub("Hospitals & Health Systems"), inStates(...MIDWEST)),
  },
  {
    desc: "Heads of Operations at cold-chain logistics companies",
    n: 3,
    fit: all(operationsLeader, sub("Cold-Chain Logistics")),
  },
  {
    desc: "HR leaders at staffing firms in the UK",
    n: 5,
    fit: all(hrLeader, sub("Staffing & Recruiting"), inCountries("UK")),
  },
  {
    desc: "We sell EHR integrations to CIOs and IT directors at hospitals and health systems",
    n: 5,
    fit: all(
      any((l) => l.role === "CIO" || l.role === "Chief Information Officer", directorOf(IT)),
      sub("Hospitals & Health Systems"),
    ),
  },
  {
    desc: "Founders / CEOs of devtools startups in the Bay Area",
    n: 3,
    fit: all(founderOrCeo, sub("Developer Tools"), inStates("California")),
  },
  {
    desc: "Sales leaders at fintech companies outside the US",
    n: 5,
    fit: all(salesLeader, ind("Fintech"), not(US)),
  },
  {
    desc: "VPs of Marketing at e-commerce companies in Canada",
    n: 5,
    fit: all(marketingLeader, ind("E-commerce"), inCountries("Canada")),
  },
  {
    desc: "Procurement managers at construction companies in the US",
    n: 5,
    fit: all(managerUp("procurement"), ind("Construction"), US),
  },
  {
    desc: "People ops / HR directors at tech companies in DACH",
    n: 5,
    fit: all(directorOf(HR), ind("Software"), inCountries("Germany", "Austria", "Switzerland")),
  },
  {
    desc: "CFOs at healthcare companies in the US, no hospitals",
    n: 5,
    fit: all(cfo, ind("Healthcare"), not(sub("Hospitals & Health Systems")), US),
  },
  {
    desc: "Customer sucess leaders at SaaS companies in Europe",
    n: 5,
    fit: all(successLeader, ind("Software"), inEurope),
  },
  {
    desc: "Directors of IT at universities",
    n: 5,
    fit: all(directorOf(IT), sub("Higher Education")),
  },
  {
    desc: "Supply chain heads at CPG and food brands",
    n: 5,
    fit: all(supplyLeader, ind("Consumer Goods")),
  },
  {
    desc: "Partnerships leaders at fintechs in Singapore or India",
    n: 5,
    fit: all(partnershipsLeader, ind("Fintech"), inCountries("Singapore", "India")),
  },
  {
    desc: "heads of growth at D2C ecommerce brands in the US",
    n: 5,
    fit: all(marketingLeader, sub("D2C Brands"), US),
  },
  {
    desc: "decision makers at law firms in New York",
    n: 5,
    fit: all((l) => senior(l.role), sub("Law Firms"), inStates("New York")),
  },
  { desc: "CTO's at insurtech startups", n: 3, fit: all(cto, sub("InsurTech")) },
  {
    desc: "Ops directors at 3PLs and warehousing companies in the Midwest",
    n: 5,
    fit: all(directorOf(OPERATIONS), ind("Logistics"), inStates(...MIDWEST)),
  },
  {
    desc: "VP of Engineering or CTO at AI startups in Israel",
    n: 3,
    fit: all(engineeringLeader, sub("AI & Machine Learning"), inCountries("Israel")),
  },
  {
    desc: "marketing leaders at hotels and resorts",
    n: 5,
    fit: all(marketingLeader, sub("Hotels & Resorts")),
  },
  {
    desc: "Sales directors at medical device companies in Europe",
    n: 5,
    fit: all(directorOf(SALES), sub("Medical Devices"), inEurope),
  },
  {
    desc: "Head of Data / Chief Data Officer at banks",
    n: 5,
    fit: all(dataLeader, sub("Banking")),
  },
  {
    desc: "Procurment heads at energy companies in the Nordics",
    n: 5,
    fit: all(
      procurementLeader,
      ind("Energy"),
      inCountries("Sweden", "Denmark", "Norway", "Finland"),
    ),
  },
  {
    desc: "CMOs at consumer brands in France",
    n: 3,
    fit: all(cmo, any(ind("Consumer Goods"), sub("D2C Brands")), inCountries("France")),
  },
  {
    desc: "fintech founders in Berlin",
    n: 3,
    fit: all(founderOrCeo, ind("Fintech"), inCity("Berlin")),
  },
  {
    desc: "heads of security at SaaS companies, US or Canada",
    n: 5,
    fit: all(securityLeader, ind("Software"), inCountries("US", "Canada")),
  },
  {
    desc: "Talent acquisition directors at IT services firms / MSPs",
    n: 5,
    fit: all(directorOf(HR), sub("IT Services & MSPs")),
  },
  {
    desc: "We're a payroll startup looking for CFOs and finance directors at restaurant groups in the US",
    n: 5,
    fit: all(financeLeader, sub("Restaurants"), US),
  },
  { desc: "COOs at senior care and home care providers", n: 3, fit: all(coo, sub("Senior Care")) },
  {
    desc: "sales mgrs at solar companies in Australia",
    n: 3,
    fit: all(managerUp("sales"), sub("Solar"), inCountries("Australia")),
  },
  {
    desc: "Product leaders at edtech companies in LATAM",
    n: 5,
    fit: all(productLeader, sub("EdTech"), inCountries(...LATAM)),
  },
  {
    desc: "IT managers at K-12 school districts",
    n: 5,
    fit: all(managerUp("it"), sub("K-12 Schools")),
  },
  {
    desc: "Channel / partnerships directors at cybersecurity vendors in EMEA",
    n: 5,
    fit: all(directorOf(PARTNERSHIPS), sub("Cybersecurity"), inCountries(...EMEA)),
  },
  {
    desc: "VP Ops at freight and trucking cos in the southeast US",
    n: 5,
    fit: all(operationsLeader, sub("Freight & Trucking"), inStates(...SOUTHEAST)),
  },
  {
    desc: "Chief Revenue Officers at martech and adtech companies",
    n: 5,
    fit: all(cro, sub("MarTech", "AdTech")),
  },
  {
    desc: "Heads of Customer Success at HR tech companies in North America",
    n: 5,
    fit: all(successLeader, sub("HR Tech"), inCountries("US", "Canada")),
  },
  {
    desc: "Engineering leaders at gaming studios in Europe, not the UK",
    n: 5,
    fit: all(engineeringLeader, sub("Gaming"), inEurope, not(inCountries("UK"))),
  },
  {
    desc: "Legal / general counsel at pharma and biotech companies in Switzerland",
    n: 3,
    fit: all(legalLeader, sub("Pharmaceuticals", "Biotech"), inCountries("Switzerland")),
  },
  {
    desc: "clinical directors at clinics and physician groups in Texas",
    n: 3,
    fit: all(directorOf(/Clinical/), sub("Clinics & Physician Groups"), inStates("Texas")),
  },
  {
    desc: "Business development VPs at commercial real estate firms in NYC",
    n: 3,
    fit: all(leaderOf(/Business Development/), sub("Commercial Real Estate"), inStates("New York")),
  },
  {
    desc: "Marketing heads at B2B companies in the US, no agencies or consultancies",
    n: 5,
    fit: all(
      marketingLeader,
      US,
      not(sub("Digital Marketing Agencies", "Creative Agencies", "Management Consulting")),
    ),
  },
  {
    desc: "saas sales leadrs, non-US",
    n: 5,
    fit: all(salesLeader, ind("Software"), not(US)),
  },
  {
    desc: "CFOs at SaaS companies",
    n: 10,
    fit: all(cfo, ind("Software")),
  },
  {
    desc: "VP Mktg or CMO at fintechs",
    n: 5,
    fit: all(marketingLeader, ind("Fintech")),
  },
  {
    desc: "Hospital IT leaders in the US",
    n: 5,
    fit: all(
      leaderOf(IT, ["CIO", "Chief Information Officer"]),
      sub("Hospitals & Health Systems"),
      US,
    ),
  },
  {
    desc: "procurement leaders at logistics companies in Europe",
    n: 5,
    fit: all(procurementLeader, ind("Logistics"), inEurope),
  },
  {
    desc: "Sales managers at manufacturing companies in the Midwest",
    n: 5,
    fit: all(managerUp("sales"), ind("Manufacturing"), inStates(...MIDWEST)),
  },
  {
    desc: "we sell compliance software to general counsels at fintechs",
    n: 5,
    fit: all((l) => l.role === "General Counsel", ind("Fintech")),
  },
  {
    desc: "decision-makers at UK universities",
    n: 5,
    fit: all((l) => senior(l.role), sub("Higher Education"), inCountries("UK")),
  },
  {
    desc: "Operations heads at e-commerce companies in Canada or the US",
    n: 5,
    fit: all(operationsLeader, ind("E-commerce"), inCountries("US", "Canada")),
  },
  {
    desc: "engineering directors in Berlin or Munich",
    n: 5,
    fit: all(directorOf(ENGINEERING), inCity("Berlin", "Munich")),
  },
  {
    desc: "Fintech CTOs, US only, no crypto",
    n: 5,
    fit: all(cto, ind("Fintech"), not(sub("Crypto & Web3")), US),
  },
  // ---- Held out: written after the lexicon stopped changing, never used to tune it. ----
  {
    desc: "Need heads of marketing at Series B SaaS startups in NYC",
    n: 5,
    heldOut: true,
    fit: all(marketingLeader, ind("Software"), inStates("New York")),
  },
  {
    desc: "COO or VP Operations, hotels in Spain/Portugal",
    n: 3,
    heldOut: true,
    fit: all(operationsLeader, sub("Hotels & Resorts"), inCountries("Spain", "Portugal")),
  },
  {
    desc: "we make fleet telematics - want to reach transportation and fleet ops leaders at logistics companies across North America",
    n: 5,
    heldOut: true,
    fit: all(operationsLeader, ind("Logistics"), inCountries("US", "Canada")),
  },
  {
    desc: "data science managers at fintech and insurtech firms in London",
    n: 3,
    heldOut: true,
    fit: all(managerUp("data"), ind("Fintech"), inCity("London")),
  },
  {
    desc: "CHROs / Chief People Officers at retailers with US HQ",
    n: 5,
    heldOut: true,
    fit: all((l) => ["CHRO", "Chief People Officer"].includes(l.role), ind("Retail"), US),
  },
  {
    desc: "VPs of Sales at manufacturing or industrial companies in Ohio, Michigan or Indiana",
    n: 5,
    heldOut: true,
    fit: all(salesLeader, ind("Manufacturing"), inStates("Ohio", "Michigan", "Indiana")),
  },
  {
    desc: "Security directors at healthcare orgs, exclude telehealth",
    n: 5,
    heldOut: true,
    fit: all(directorOf(SECURITY), ind("Healthcare"), not(sub("Telemedicine"))),
  },
  {
    desc: "Accounting firm partners and managing partners in Texas",
    n: 3,
    heldOut: true,
    fit: all((l) => /Partner/.test(l.role), sub("Accounting Firms"), inStates("Texas")),
  },
  {
    desc: "product managers at dev tools cos (remote ok, any country but India)",
    n: 5,
    heldOut: true,
    fit: all(managerUp("product"), sub("Developer Tools"), not(inCountries("India"))),
  },
  {
    desc: "Head of partnerships at EV charging or solar companies in Europe",
    n: 5,
    heldOut: true,
    fit: all(partnershipsLeader, sub("EV Charging", "Solar"), inEurope),
  },
];
