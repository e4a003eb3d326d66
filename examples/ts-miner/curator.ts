// Example miner lead source for `consensus-node miner --curator examples/lib/ts-miner/curator.js`.
// It stands for a miner's own sourcing (a database, a CRM export, a scraper): here a JSON file of
// leads (EXAMPLE_LEADS, default examples/leads.json) matched to the request by shared words. The
// node calls curate() once per open request and checks the answer against the core lead schema;
// an empty list makes the miner decline the request.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Curator, CurateRequest, Lead } from "consensus-node";

const LEADS_FILE = process.env.EXAMPLE_LEADS ?? path.join(__dirname, "..", "..", "leads.json");

/** Read once, when the node loads the module, so each request answers from memory. */
const leads = JSON.parse(readFileSync(LEADS_FILE, "utf8")) as Lead[];

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[a-z]{3,}/g) ?? []);

/** How many of the description's words the lead's role, industry and region mention. */
function overlap(lead: Lead, wanted: Set<string>): number {
  const have = words([lead.role, lead.industry, lead.sub_industry, lead.region].join(" "));
  return [...wanted].filter((w) => have.has(w)).length;
}

export async function curate(request: CurateRequest): Promise<Lead[]> {
  const wanted = words(request.business_desc);
  return leads
    .map((lead) => ({ lead, score: overlap(lead, wanted) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.lead.email.localeCompare(b.lead.email))
    .slice(0, request.num_leads * 2)
    .map((c) => c.lead);
}

// The SDK checks the shape at compile time; the node only needs the curate export.
export const curator: Curator = { curate };
