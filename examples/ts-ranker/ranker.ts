// Example validator scoring for
// `consensus-node validator --ranker examples/lib/ts-ranker/ranker.js`.
// It stands for a validator's own qualification logic: here seniority from the role, plus how many
// of the description's words the lead's industry and region mention. The node calls rank() with
// the leads miners submitted; every lead it scores must be one of those, scores lie in [0, 1], and
// the node recomputes the ranks from the scores before signing.
import type { Lead, RankedLeadResult, Ranker, RankRequest } from "consensus-node";

const SENIORITY: [RegExp, number][] = [
  [/\b(chief|ceo|cro|cfo|coo|founder|owner)\b/i, 1],
  [/\b(vp|vice president|head)\b/i, 0.8],
  [/\bdirector\b/i, 0.6],
  [/\bmanager\b/i, 0.4],
];

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[a-z]{3,}/g) ?? []);

function score(lead: Lead, wanted: Set<string>): number {
  const seniority = SENIORITY.find(([re]) => re.test(lead.role ?? ""))?.[1] ?? 0.2;
  const have = words([lead.industry, lead.sub_industry, lead.region].join(" "));
  const fit = Math.min(1, [...wanted].filter((w) => have.has(w)).length / 2);
  return Math.round((0.5 * seniority + 0.5 * fit) * 10_000) / 10_000;
}

export async function rank(request: RankRequest, leads: Lead[]): Promise<RankedLeadResult[]> {
  const wanted = words(request.business_desc);
  return leads
    .map((lead) => ({ lead, score: score(lead, wanted) }))
    .sort((a, b) => b.score - a.score)
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

export const ranker: Ranker = { rank };
