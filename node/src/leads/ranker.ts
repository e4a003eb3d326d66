// Validator-side scoring of the leads miners submitted. The output shape matches RankedLead in the
// core schemas, so a ranking can be signed and submitted as is.
import { clampUnit, leadKey, type Lead } from "consensus-core";
import { assessFit, parseCached } from "./fit";
import { defaultLexicon, type Lexicon } from "./lexicon";

export interface RankRequest {
  request_id: string;
  business_desc: string;
  num_leads: number;
}

export interface RankedLeadResult {
  lead: Lead;
  score: number;
  rank: number;
}

export interface Ranker {
  rank(request: RankRequest, leads: Lead[]): Promise<RankedLeadResult[]>;
}

/** Keeps the first lead for each normalised email, the same identity consensus uses. */
export function dedupeLeads(leads: readonly Lead[]): Lead[] {
  const seen = new Set<string>();
  const out: Lead[] = [];
  for (const lead of leads) {
    const key = leadKey(lead);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(lead);
  }
  return out;
}

/**
 * Turns scored leads into a ranking: scores clamped and rounded to 4 decimals (so the signed
 * payload does not depend on float noise), sorted by score descending then normalised email
 * ascending (a total order, so every validator breaks ties the same way), ranked 1..n.
 * Rounding happens before sorting so the order agrees with the scores that are published.
 */
export function toRanking(scored: readonly { lead: Lead; score: number }[]): RankedLeadResult[] {
  return scored
    .map(({ lead, score }) => ({
      lead,
      key: leadKey(lead),
      score: Math.round(clampUnit(score) * 10_000) / 10_000,
    }))
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ lead, score }, i) => ({ lead, score, rank: i + 1 }));
}

export const MAX_BIAS = 0.2;

export interface HeuristicRankerOptions {
  /**
   * Added to every score before clamping, in [-MAX_BIAS, MAX_BIAS]: a systematically generous or
   * strict validator. Lets a simulated network have validators that disagree a little.
   */
  bias?: number;
  /** Default: the shipped lexicon, extended by LEAD_LEXICON_PATH. */
  lexicon?: Lexicon;
}

/**
 * Ranks by the parsed-description fit (fit.ts): every lead that meets the stated constraints
 * scores at least FIT_FLOOR, every misfit at most MISFIT_CAP, so within one validator's ranking a
 * misfit never outranks a fit (a bias shifts all of one validator's scores alike). No network,
 * fully deterministic.
 */
export class HeuristicRanker implements Ranker {
  private readonly bias: number;
  private readonly lexicon: Lexicon;

  constructor(options: HeuristicRankerOptions = {}) {
    const bias = options.bias ?? 0;
    if (!Number.isFinite(bias) || Math.abs(bias) > MAX_BIAS) {
      throw new RangeError(`bias must be a number in [-${MAX_BIAS}, ${MAX_BIAS}], got ${bias}`);
    }
    this.bias = bias;
    this.lexicon = options.lexicon ?? defaultLexicon();
  }

  async rank(request: RankRequest, leads: Lead[]): Promise<RankedLeadResult[]> {
    const parsed = parseCached(request.business_desc, this.lexicon);
    return toRanking(
      dedupeLeads(leads).map((lead) => ({
        lead,
        score: assessFit(lead, parsed, this.lexicon).score + this.bias,
      })),
    );
  }
}
