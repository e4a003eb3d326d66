// Descriptions written by hand the way buyers write them (loose, run-on, with their own product in
// the sentence, lists, places, exclusions, "companies like X"), not shaped to the parser. Each gold
// spec (gold.mjs) is read from the words alone, with the conventions of readings.mjs: a seniority
// word is a preference (the function at that level or above fits) unless the buyer makes it a
// requirement; a named title means that title; "companies like X" means X's own sub-industry.

/** @type {{ desc: string; n: number; gold: object; constructs: string[] }[]} */
export const HAND_WRITTEN = [
  {
    desc: "Looking for security leaders at regional banks for our identity verification product",
    n: 5,
    gold: { role: ["lead:security"], ind: ["Banking"] },
    constructs: ["seller_product", "plural_seniority"],
  },
  {
    desc: "We're pitching our product analytics tool — want engineering leaders at gaming studios",
    n: 5,
    gold: { role: ["lead:engineering"], ind: ["Gaming"] },
    constructs: ["seller_product", "plural_seniority"],
  },
  {
    desc: "security managers at hospitals",
    n: 5,
    gold: { role: ["mgr+:security"], ind: ["Hospitals & Health Systems"] },
    constructs: ["plural_seniority"],
  },
  {
    desc: "procurement managers at logistics companies in Europe",
    n: 5,
    gold: { role: ["mgr+:procurement"], ind: ["Logistics"], country: EU() },
    constructs: ["plural_seniority", "place"],
  },
  {
    desc: "we sell expense software to finance teams at mid-size manufacturers in the midwest",
    n: 5,
    gold: { role: ["mgr+:finance"], ind: ["Manufacturing"], state: MW() },
    constructs: ["we_sell", "place"],
  },
  {
    desc: "Heads of people at tech startups anywhere except India",
    n: 5,
    gold: { role: ["lead:hr"], ind: ["Software"], notCountry: ["India"] },
    constructs: ["plural_seniority", "any_but"],
  },
  {
    desc: "CFOs at companies like Stripe or Adyen",
    n: 3,
    gold: { role: ["title:CFO"], ind: ["Payments"] },
    constructs: ["companies_like", "title", "coordinated"],
  },
  {
    desc: "marketing people at companies like HubSpot, in the US",
    n: 5,
    gold: { role: ["mgr+:marketing"], ind: ["MarTech"], country: ["US"] },
    constructs: ["companies_like", "place"],
  },
  {
    desc: "Sales and marketing VPs at SaaS companies outside the US",
    n: 5,
    gold: { role: ["lead:sales", "lead:marketing"], ind: ["Software"], notCountry: ["US"] },
    constructs: ["coordinated", "plural_seniority", "outside"],
  },
  {
    desc: "any country but the UK: heads of data at insurers",
    n: 5,
    gold: { role: ["lead:data"], ind: ["Insurance"], notCountry: ["UK"] },
    constructs: ["any_but", "plural_seniority"],
  },
  {
    desc: "Our HR platform is used by ops teams. Looking for operations directors at trucking and freight companies",
    n: 5,
    gold: { role: ["dir:operations"], ind: ["Freight & Trucking"] },
    constructs: ["seller_product", "plural_seniority", "coordinated"],
  },
  {
    desc: "IT directors at universities and colleges in Canada or the UK",
    n: 5,
    gold: { role: ["dir:it"], ind: ["Higher Education"], country: ["Canada", "UK"] },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "Who runs engineering at devtools companies in Germany? CTOs or VPs Eng",
    n: 5,
    gold: {
      role: ["title:CTO", "lead:engineering"],
      ind: ["Developer Tools"],
      country: ["Germany"],
    },
    constructs: ["title", "abbreviation", "coordinated", "place"],
  },
  {
    desc: "I sell a data pipeline product. Need data leaders at e-commerce companies, anywhere",
    n: 5,
    gold: { role: ["lead:data"], ind: ["E-commerce"] },
    constructs: ["seller_product", "anywhere", "plural_seniority"],
  },
  {
    desc: "compliance / legal heads at crypto exchanges and web3 companies",
    n: 5,
    gold: { role: ["lead:legal"], ind: ["Crypto & Web3"] },
    constructs: ["plural_seniority", "coordinated"],
  },
  {
    desc: "Talent acquisition leaders at staffing agencies in Texas, Florida or Georgia",
    n: 5,
    gold: {
      role: ["lead:hr"],
      ind: ["Staffing & Recruiting"],
      state: ["Texas", "Florida", "Georgia"],
    },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "customer success managers at HR tech companies — we sell a CS platform",
    n: 5,
    gold: { role: ["mgr+:success"], ind: ["HR Tech"] },
    constructs: ["seller_product", "plural_seniority"],
  },
  {
    desc: "supply chain directors in food & beverage or household products, not in the US",
    n: 5,
    gold: {
      role: ["dir:supply"],
      ind: ["Food & Beverage", "Household Products"],
      notCountry: ["US"],
    },
    constructs: ["plural_seniority", "coordinated", "outside"],
  },
  {
    desc: "Chief Information Officers at health systems in California",
    n: 3,
    gold: { role: ["title:CIO"], ind: ["Hospitals & Health Systems"], state: ["California"] },
    constructs: ["title", "place"],
  },
  {
    desc: "We help clinics with scheduling software; we want practice owners and COOs at physician groups",
    n: 5,
    gold: {
      role: ["title:COO", "title:CEO", "title:Founder"],
      ind: ["Clinics & Physician Groups"],
    },
    constructs: ["we_sell", "title", "coordinated"],
  },
  {
    desc: "partnerships managers at payments companies in Singapore, India or Australia",
    n: 5,
    gold: {
      role: ["mgr+:partnerships"],
      ind: ["Payments"],
      country: ["Singapore", "India", "Australia"],
    },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "marketing directors at hotels, outside North America",
    n: 5,
    gold: { role: ["dir:marketing"], ind: ["Hotels & Resorts"], notCountry: ["US", "Canada"] },
    constructs: ["plural_seniority", "outside"],
  },
  {
    desc: "Head of Sales or CRO at cybersecurity startups in Israel",
    n: 3,
    gold: { role: ["lead:sales", "title:CRO"], ind: ["Cybersecurity"], country: ["Israel"] },
    constructs: ["title", "coordinated", "place"],
  },
  {
    desc: "finance leaders at nonprofits, anywhere in the world",
    n: 5,
    gold: { role: ["lead:finance"], ind: ["Nonprofits"] },
    constructs: ["plural_seniority", "anywhere"],
  },
  {
    desc: "Selling fleet tracking hardware. Target: logistics managers at last-mile delivery cos",
    n: 5,
    gold: { role: ["mgr+:supply"], ind: ["Last-Mile Delivery"] },
    constructs: ["we_sell", "plural_seniority", "abbreviation"],
  },
  {
    desc: "eng managers at fintech startups in London or Berlin",
    n: 5,
    gold: { role: ["mgr+:engineering"], ind: ["Fintech"], city: ["London", "Berlin"] },
    constructs: ["plural_seniority", "abbreviation", "coordinated", "place"],
  },
  {
    desc: "VP of Procurement at pharma and biotech companies, exclude India and China",
    n: 5,
    gold: {
      role: ["lead:procurement"],
      ind: ["Pharmaceuticals", "Biotech"],
      notCountry: ["India", "China"],
    },
    constructs: ["plural_seniority", "coordinated", "outside"],
  },
  {
    desc: "people like the CISO at companies like CrowdStrike or Okta",
    n: 3,
    gold: { role: ["title:CISO"], ind: ["Cybersecurity"] },
    constructs: ["companies_like", "title"],
  },
  {
    desc: "Anyone senior in IT at K-12 districts in the US",
    n: 5,
    gold: { role: ["lead:it"], ind: ["K-12 Schools"], country: ["US"] },
    constructs: ["plural_seniority", "place"],
  },
  {
    desc: "HR managers at restaurant groups (we make a scheduling app for hourly staff)",
    n: 5,
    gold: { role: ["mgr+:hr"], ind: ["Restaurants"] },
    constructs: ["seller_product", "plural_seniority"],
  },
  {
    desc: "growth and demand gen leads at D2C brands in Canada",
    n: 5,
    gold: { role: ["mgr+:marketing"], ind: ["D2C Brands"], country: ["Canada"] },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "data science managers at AI companies, any country except the US",
    n: 5,
    gold: { role: ["mgr+:data"], ind: ["AI & Machine Learning"], notCountry: ["US"] },
    constructs: ["plural_seniority", "any_but"],
  },
  {
    desc: "our sales team needs IT buyers: IT managers and IT directors at MSPs",
    n: 5,
    gold: { role: ["mgr+:it"], ind: ["IT Services & MSPs"] },
    constructs: ["seller_product", "plural_seniority", "coordinated"],
  },
  {
    desc: "Founders of agtech startups",
    n: 5,
    gold: { role: ["title:Founder"], ind: ["AgTech"] },
    constructs: ["title"],
  },
  {
    desc: "operations heads at companies like Flexport",
    n: 3,
    gold: { role: ["lead:operations"], ind: ["Freight Forwarding"] },
    constructs: ["companies_like", "plural_seniority"],
  },
  {
    desc: "Sales directors for medical devices, Europe only, but not Germany",
    n: 5,
    gold: { role: ["dir:sales"], ind: ["Medical Devices"], country: EU(), notCountry: ["Germany"] },
    constructs: ["plural_seniority", "place", "outside"],
  },
  {
    desc: "We sell to CFOs. Specifically CFOs at real estate firms in New York",
    n: 5,
    gold: { role: ["title:CFO"], ind: ["Real Estate"], state: ["New York"] },
    constructs: ["we_sell", "title", "place"],
  },
  {
    desc: "product leaders at edtech and online learning companies",
    n: 5,
    gold: { role: ["lead:product"], ind: ["EdTech", "Online Learning"] },
    constructs: ["plural_seniority", "coordinated"],
  },
  {
    desc: "marketing managers at law firms and accounting firms",
    n: 5,
    gold: { role: ["mgr+:marketing"], ind: ["Law Firms", "Accounting Firms"] },
    constructs: ["plural_seniority", "coordinated"],
  },
  {
    desc: "Business development heads at solar and wind companies anywhere but the US",
    n: 5,
    gold: { role: ["lead:bizdev"], ind: ["Solar", "Wind"], notCountry: ["US"] },
    constructs: ["plural_seniority", "coordinated", "any_but"],
  },
  {
    desc: "for our procurement product: purchasing managers at automotive and electronics manufacturers",
    n: 5,
    gold: { role: ["mgr+:procurement"], ind: ["Automotive", "Electronics"] },
    constructs: ["seller_product", "plural_seniority", "coordinated"],
  },
  {
    desc: "COOs at property management companies in the US",
    n: 3,
    gold: { role: ["title:COO"], ind: ["Property Management"], country: ["US"] },
    constructs: ["title", "place"],
  },
  {
    desc: "VPs Sales at companies like Salesforce or Outreach, North America",
    n: 5,
    gold: { role: ["lead:sales"], ind: ["Sales Tech"], country: ["US", "Canada"] },
    constructs: ["companies_like", "plural_seniority", "abbreviation", "place"],
  },
  {
    desc: "security engineering directors at banking infrastructure and payments fintechs",
    n: 5,
    gold: {
      role: ["dir:security", "dir:engineering"],
      ind: ["Banking Infrastructure", "Payments"],
    },
    constructs: ["plural_seniority", "coordinated"],
  },
  {
    desc: "legal counsel at insurtechs outside of the UK and Ireland",
    n: 5,
    gold: {
      role: ["lead:legal", "title:GC"],
      ind: ["InsurTech"],
      notCountry: ["UK", "Ireland"],
    },
    constructs: ["outside", "coordinated"],
  },
  {
    desc: "Our analytics product is for marketers. Need heads of marketing at streaming and publishing companies",
    n: 5,
    gold: { role: ["lead:marketing"], ind: ["Streaming & Video", "Publishing"] },
    constructs: ["seller_product", "plural_seniority", "coordinated"],
  },
  {
    desc: "ops mgrs at warehousing/fulfillment companies in the US midwest or southeast",
    n: 5,
    gold: {
      role: ["mgr+:operations"],
      ind: ["Warehousing & Fulfillment"],
      state: [...MW(), "Florida", "Georgia", "North Carolina", "South Carolina", "Tennessee"],
    },
    constructs: ["plural_seniority", "abbreviation", "coordinated", "place"],
  },
  {
    desc: "CTOs at companies like Databricks or Snowflake",
    n: 3,
    gold: { role: ["title:CTO"], ind: ["Data & Analytics"] },
    constructs: ["companies_like", "title", "coordinated"],
  },
  {
    desc: "head of IT at government agencies in Australia or New Zealand",
    n: 5,
    gold: { role: ["lead:it"], ind: ["Public Sector"], country: ["Australia", "New Zealand"] },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "customer success VPs at proptech companies; location: anywhere",
    n: 5,
    gold: { role: ["lead:success"], ind: ["PropTech"] },
    constructs: ["plural_seniority", "anywhere"],
  },
  {
    desc: "We sell a recruiting CRM to staffing firms — looking for their sales and recruiting leaders in the UK",
    n: 5,
    gold: {
      role: ["lead:sales", "lead:hr"],
      ind: ["Staffing & Recruiting"],
      country: ["UK"],
    },
    constructs: ["we_sell", "coordinated", "plural_seniority", "place"],
  },
  {
    desc: "Engineering VPs at robotics and automation companies in Japan, Korea or Singapore",
    n: 5,
    gold: {
      role: ["lead:engineering"],
      ind: ["Robotics & Automation"],
      country: ["Japan", "South Korea", "Singapore"],
    },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "Clinical ops directors at CROs and biotech in Boston",
    n: 5,
    gold: {
      role: ["dir:operations"],
      ind: ["Clinical Research", "Biotech"],
      state: ["Massachusetts"],
    },
    constructs: ["plural_seniority", "coordinated", "place", "abbreviation"],
  },
  {
    desc: "CMOs of beauty brands, any country but France",
    n: 3,
    gold: { role: ["title:CMO"], ind: ["Beauty & Personal Care"], notCountry: ["France"] },
    constructs: ["title", "any_but"],
  },
  {
    desc: "telecom carriers: network and IT directors",
    n: 5,
    gold: { role: ["dir:it", "dir:engineering"], ind: ["Telecom Carriers"] },
    constructs: ["plural_seniority", "coordinated"],
  },
  {
    desc: "for our contract management product we need GCs and legal directors at asset managers",
    n: 5,
    gold: { role: ["title:GC", "lead:legal"], ind: ["Asset Management"] },
    constructs: ["seller_product", "title", "coordinated", "abbreviation"],
  },
  {
    desc: "people managers in finance at lenders in Brazil or Mexico",
    n: 5,
    gold: { role: ["mgr+:finance"], ind: ["Lending"], country: ["Brazil", "Mexico"] },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "chief people officers at companies like Rippling or Workday",
    n: 3,
    gold: { role: ["title:CHRO"], ind: ["HR Tech"] },
    constructs: ["companies_like", "title", "coordinated"],
  },
  {
    desc: "Heads of growth at subscription box companies, NOT in the US or Canada",
    n: 5,
    gold: {
      role: ["lead:marketing"],
      ind: ["Subscription Commerce"],
      notCountry: ["US", "Canada"],
    },
    constructs: ["plural_seniority", "outside", "coordinated"],
  },
  {
    desc: "energy procurement people at utilities and oil & gas",
    n: 5,
    gold: { role: ["mgr+:procurement"], ind: ["Utilities", "Oil & Gas"] },
    constructs: ["coordinated"],
  },
  {
    desc: "We're a martech startup selling attribution software; looking for performance marketing managers at ecommerce marketplaces",
    n: 5,
    gold: { role: ["mgr+:marketing"], ind: ["Marketplaces"] },
    constructs: ["we_sell", "plural_seniority"],
  },
  {
    desc: "sales VPs at construction tech companies in the US, Canada and the UK",
    n: 5,
    gold: { role: ["lead:sales"], ind: ["Construction Tech"], country: ["US", "Canada", "UK"] },
    constructs: ["plural_seniority", "coordinated", "place"],
  },
  {
    desc: "any c-suite at companies like Teladoc",
    n: 5,
    gold: { role: ["senior"], ind: ["Telemedicine"] },
    constructs: ["companies_like", "decision_makers"],
  },
  {
    desc: "Directors of engineering at streaming companies outside the US, ideally London",
    n: 5,
    gold: { role: ["dir:engineering"], ind: ["Streaming & Video"], notCountry: ["US"] },
    constructs: ["plural_seniority", "outside"],
  },
  {
    desc: "IT security managers at credit unions in the midwest (we're selling a SIEM)",
    n: 5,
    gold: { role: ["mgr+:security", "mgr+:it"], ind: ["Credit Unions"], state: MW() },
    constructs: ["seller_product", "plural_seniority", "place"],
  },
];

// Places written as buyers mean them, kept with the hand-written set so the gold stays readable.
function EU() {
  return [
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
}
function MW() {
  return ["Illinois", "Ohio", "Michigan", "Minnesota", "Wisconsin", "Missouri", "Indiana", "Iowa"];
}
