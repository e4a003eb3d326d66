// Re-verifying a finalised request from what is stored: every signature of the rankings and
// submissions its result names, then the consensus recomputed with the recorded mode, κ and trust,
// compared field by field with the stored leads. Pure: the caller reads the documents.
import {
  DEFAULT_CONSENSUS_SETTINGS,
  calculateConsensusRanking,
  eligibleLeadPool,
  rankingDocId,
  submissionDocId,
  type ConsensusSettings,
  type RankingContent,
  type SubmissionContent,
} from "consensus-core";
import type { ApiRequestDoc } from "../db";
import { verifySignedRanking, verifySignedSubmission } from "consensus-core";

export interface StoredDoc {
  id: string;
  /** undefined when the document does not exist. */
  data: Record<string, unknown> | undefined;
}

export interface RecomputeInput {
  requestId: string;
  request: ApiRequestDoc | undefined;
  /** The documents at rankingDocId(requestId, p) for every participant p the result names. */
  rankings: readonly StoredDoc[];
  /** The documents at submissionDocId(requestId, m) for every miner m the result names. */
  submissions: readonly StoredDoc[];
}

export interface RecomputeReport {
  requestId: string;
  match: boolean;
  /** The first difference found, in the order the checks run; null on a match. */
  difference: string | null;
  settings: ConsensusSettings | null;
  signaturesChecked: number;
  leadsCompared: number;
}

const show = (v: unknown): string => JSON.stringify(v) ?? "undefined";

/** Compared first, so a different lead is reported by its identity before its other fields. */
const LEAD_KEYS_FIRST = ["email", "rank", "consensus_score", "normalized_score", "num_validators"];

/** The first field where two records differ (LEAD_KEYS_FIRST, then sorted keys), or null. */
function firstFieldDifference(stored: object, recomputed: object): string | null {
  const a = stored as Record<string, unknown>;
  const b = recomputed as Record<string, unknown>;
  const rest = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of [...new Set([...LEAD_KEYS_FIRST, ...rest])]) {
    if (show(a[key]) !== show(b[key])) {
      return `${key}: stored ${show(a[key])}, recomputed ${show(b[key])}`;
    }
  }
  return null;
}

export function recomputeStoredResult(input: RecomputeInput): RecomputeReport {
  let signaturesChecked = 0;
  let settings: ConsensusSettings | null = null;
  let leadsCompared = 0;
  const report = (difference: string | null): RecomputeReport => ({
    requestId: input.requestId,
    match: difference === null,
    difference,
    settings,
    signaturesChecked,
    leadsCompared,
  });

  const { request } = input;
  if (!request) return report("request not found");
  if (request.status !== "completed" || !request.result) {
    return report(`request is ${request.status}, not completed: no result to verify`);
  }
  const result = request.result;
  // Results written before the modes existed were computed with the seed formula.
  settings = {
    mode: result.consensus_mode ?? DEFAULT_CONSENSUS_SETTINGS.mode,
    kappa: result.kappa ?? DEFAULT_CONSENSUS_SETTINGS.kappa,
  };

  const rankings: RankingContent[] = [];
  for (const hotkey of result.participants) {
    const id = rankingDocId(input.requestId, hotkey);
    const doc = input.rankings.find((d) => d.id === id);
    if (!doc?.data) return report(`ranking ${id}: missing`);
    const verdict = verifySignedRanking(id, doc.data);
    signaturesChecked++;
    if (!verdict.ok) return report(`ranking ${id}: ${verdict.reason}`);
    const status = (doc.data.verification as { status?: unknown } | undefined)?.status;
    if (status !== "accepted") return report(`ranking ${id}: verification ${show(status)}`);
    rankings.push(verdict.content);
  }
  const submissions: SubmissionContent[] = [];
  for (const hotkey of result.miners) {
    const id = submissionDocId(input.requestId, hotkey);
    const doc = input.submissions.find((d) => d.id === id);
    if (!doc?.data) return report(`submission ${id}: missing`);
    const verdict = verifySignedSubmission(id, doc.data);
    signaturesChecked++;
    if (!verdict.ok) return report(`submission ${id}: ${verdict.reason}`);
    submissions.push(verdict.content);
  }

  const trustKeys = Object.keys(result.trust_used).sort();
  const participants = [...result.participants].sort();
  if (show(trustKeys) !== show(participants)) {
    return report(`trust_used names ${show(trustKeys)}, participants are ${show(participants)}`);
  }
  const recomputed = calculateConsensusRanking({
    numLeads: request.num_leads,
    // Equal weights were recorded as 1 each; trust 0 for all reproduces them.
    rankings: rankings.map((r) => ({
      validator_hotkey: r.validator_hotkey,
      trust: result.equal_weights ? 0 : result.trust_used[r.validator_hotkey],
      ranked_leads: r.ranked_leads,
    })),
    eligibleLeads: eligibleLeadPool(submissions),
    mode: settings.mode,
    kappa: settings.kappa,
  });

  const weights = firstFieldDifference(result.trust_used, recomputed.weights);
  if (weights) return report(`trust_used ${weights}`);
  if (result.leads.length !== recomputed.leads.length) {
    return report(
      `lead count: stored ${result.leads.length}, recomputed ${recomputed.leads.length}`,
    );
  }
  for (let i = 0; i < result.leads.length; i++) {
    leadsCompared++;
    const diff = firstFieldDifference(result.leads[i], recomputed.leads[i]);
    if (diff) return report(`lead at rank ${i + 1} ${diff}`);
  }
  return report(null);
}
