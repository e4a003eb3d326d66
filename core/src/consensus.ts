// The trust-weighted consensus (README, "Request lifecycle and consensus"), as a pure function anyone can re-run on the stored,
// signed rankings. Two modes: "weighted" (the seed formula, the default)
//   S_L = sum over validators v that ranked L of S_v,L * V_v
// and "clipped" (Yuma's rule): each score is first clipped to the lead's consensus threshold C_L,
// the largest w such that validators holding at least kappa of the trust scored L >= w.
import { clipThreshold, DEFAULT_CONSENSUS_SETTINGS, type ConsensusMode } from "./clipping";
import { averageRanks, rankCorrelation } from "./correlation";
import type { Lead } from "./schemas";

export const CONSENSUS_HOTKEY = "CONSENSUS" as const;

/** A lead's identity: its email, trimmed and lower-cased. */
export function leadKey(lead: Pick<Lead, "email">): string {
  return lead.email.trim().toLowerCase();
}

export interface ConsensusRankingInput {
  validator_hotkey: string;
  /** Registry trust at finalisation, in [0, 1]; never what the validator wrote. */
  trust: number;
  ranked_leads: readonly { lead: Pick<Lead, "email">; score: number }[];
}

export interface ConsensusInput {
  numLeads: number;
  rankings: readonly ConsensusRankingInput[];
  /** Leads that registered miners submitted for this request, keyed by leadKey. Others cannot win. */
  eligibleLeads: ReadonlyMap<string, Lead>;
  /** Defaults to "weighted" (the seed formula). */
  mode?: ConsensusMode;
  /** Share of the participating trust that sets C_L; default 0.5. Used by agreement in both modes. */
  kappa?: number;
}

export type ConsensusLead = Lead & {
  c_validator_hotkey: typeof CONSENSUS_HOTKEY;
  consensus_score: number;
  normalized_score: number;
  num_validators: number;
  rank: number;
};

export interface ConsensusResult {
  leads: ConsensusLead[];
  /** The weight each participating validator got (its trust, or 1 each when all trust is 0). */
  weights: Record<string, number>;
  equalWeights: boolean;
  totalWeight: number;
  /** Ranked entries dropped because no registered miner submitted that lead for this request. */
  ineligibleVotes: number;
  candidates: number;
  mode: ConsensusMode;
  kappa: number;
  /** How far each participating validator agreed with the consensus, by hotkey. */
  agreement: Record<string, ValidatorAgreement>;
}

/** One validator's agreement with one request's consensus. No lead contents: safe to publish. */
export interface ValidatorAgreement {
  /**
   * Share of the validator's score mass (sum of its scores for eligible leads) that survived
   * clipping at each lead's C_L: Yuma's validator trust. 1 = never above the κ-consensus; null
   * when it gave every eligible lead 0.
   */
  clipped_share: number | null;
  /**
   * Spearman correlation between its scores and the consensus scores over every candidate lead
   * (unranked = 0); null when either side is constant or there are fewer than two candidates.
   */
  rank_correlation: number | null;
  /** Eligible leads it scored. */
  leads_scored: number;
}

/**
 * Ordering, documented so anyone can reproduce it: consensus_score descending, then the number of
 * validators that ranked the lead descending, then the lead key (normalised email) ascending.
 * Sums run over validators in hotkey order so the floating-point result does not depend on the
 * order the rankings arrived in.
 */
export function calculateConsensusRanking(input: ConsensusInput): ConsensusResult {
  const mode = input.mode ?? DEFAULT_CONSENSUS_SETTINGS.mode;
  const kappa = input.kappa ?? DEFAULT_CONSENSUS_SETTINGS.kappa;
  if (!(kappa > 0 && kappa <= 1)) throw new Error(`kappa must be in (0, 1], got ${kappa}`);
  const rankings = [...input.rankings].sort((a, b) =>
    compareStrings(a.validator_hotkey, b.validator_hotkey),
  );
  const seen = new Set<string>();
  for (const r of rankings) {
    if (seen.has(r.validator_hotkey)) {
      throw new Error(`validator ${r.validator_hotkey} appears twice in the consensus input`);
    }
    seen.add(r.validator_hotkey);
  }

  const trusts = rankings.map((r) => clampUnit(r.trust));
  const trustSum = trusts.reduce((a, b) => a + b, 0);
  const equalWeights = trustSum === 0;
  const weights: Record<string, number> = {};
  rankings.forEach((r, i) => (weights[r.validator_hotkey] = equalWeights ? 1 : trusts[i]));
  const totalWeight = equalWeights ? rankings.length : trustSum;

  // Each validator's vote per eligible lead, in hotkey order.
  let ineligibleVotes = 0;
  const votes = rankings.map((ranking) => {
    const best = new Map<string, number>();
    for (const entry of ranking.ranked_leads) {
      const key = leadKey(entry.lead);
      if (!input.eligibleLeads.has(key)) {
        ineligibleVotes++;
        continue;
      }
      // One vote per validator per lead: duplicates keep the higher score.
      best.set(key, Math.max(best.get(key) ?? 0, clampUnit(entry.score)));
    }
    return { weight: weights[ranking.validator_hotkey], best };
  });

  const byLead = new Map<string, { score: number; weight: number }[]>();
  for (const v of votes) {
    for (const [key, score] of v.best) {
      const list = byLead.get(key) ?? [];
      list.push({ score, weight: v.weight });
      byLead.set(key, list);
    }
  }
  const thresholds = new Map<string, number>();
  for (const [key, list] of byLead) thresholds.set(key, clipThreshold(list, totalWeight, kappa));

  const totals = new Map<string, { score: number; validators: number }>();
  for (const v of votes) {
    for (const [key, score] of v.best) {
      const counted = mode === "clipped" ? Math.min(score, thresholds.get(key)!) : score;
      const t = totals.get(key) ?? { score: 0, validators: 0 };
      t.score += counted * v.weight;
      t.validators += 1;
      totals.set(key, t);
    }
  }

  // Scores are rounded to 12 decimals before ordering so float noise from summation (0.04 vs
  // 0.04000000000000001) cannot override the documented tie-break.
  for (const t of totals.values()) t.score = roundScore(t.score);
  const ordered = [...totals.entries()].sort(
    ([ka, a], [kb, b]) =>
      b.score - a.score || b.validators - a.validators || compareStrings(ka, kb),
  );
  const leads = ordered.slice(0, Math.max(0, input.numLeads)).map(([key, t], i): ConsensusLead => ({
    ...(input.eligibleLeads.get(key) as Lead),
    c_validator_hotkey: CONSENSUS_HOTKEY,
    consensus_score: t.score,
    normalized_score: totalWeight > 0 ? roundScore(t.score / totalWeight) : 0,
    num_validators: t.validators,
    rank: i + 1,
  }));

  const candidateKeys = ordered.map(([key]) => key);
  const consensusRanks = averageRanks(ordered.map(([, t]) => t.score));
  const agreement: Record<string, ValidatorAgreement> = {};
  rankings.forEach((r, i) => {
    const { best } = votes[i];
    let mass = 0;
    let kept = 0;
    for (const [key, score] of best) {
      mass += score;
      kept += Math.min(score, thresholds.get(key)!);
    }
    const rho = rankCorrelation(
      averageRanks(candidateKeys.map((key) => best.get(key) ?? 0)),
      consensusRanks,
    );
    agreement[r.validator_hotkey] = {
      clipped_share: mass > 0 ? roundScore(kept / mass) : null,
      rank_correlation: rho === null ? null : roundScore(rho),
      leads_scored: best.size,
    };
  });

  return {
    leads,
    weights,
    equalWeights,
    totalWeight,
    ineligibleVotes,
    candidates: totals.size,
    mode,
    kappa,
    agreement,
  };
}

/**
 * The pool a request's consensus may draw from: each lead a registered miner submitted, keyed by
 * leadKey. When several miners submitted one lead, the copy of the miner whose hotkey sorts first
 * is kept, so the result does not depend on arrival order.
 */
export function eligibleLeadPool(
  submissions: readonly { miner_hotkey: string; leads: readonly Lead[] }[],
): Map<string, Lead> {
  const pool = new Map<string, Lead>();
  const sorted = [...submissions].sort((a, b) => compareStrings(a.miner_hotkey, b.miner_hotkey));
  for (const s of sorted) {
    for (const lead of s.leads) {
      const key = leadKey(lead);
      if (!pool.has(key)) pool.set(key, lead);
    }
  }
  return pool;
}

/** Clamps to [0, 1]; NaN becomes 0 so a broken score or trust can never outweigh a real one. */
export function clampUnit(x: number): number {
  return Number.isNaN(x) ? 0 : Math.min(1, Math.max(0, x));
}

function roundScore(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

/** Code-unit order, independent of the machine's locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
