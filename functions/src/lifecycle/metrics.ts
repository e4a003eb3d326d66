// The consensus_metrics record written with each finalisation (seed task 4.3).
import { Timestamp } from "firebase-admin/firestore";
import type { ConsensusResult } from "consensus-core";
import type { ApiRequestDoc, RankingDoc, RequestResult } from "../db";

export interface MetricsInput {
  request: ApiRequestDoc;
  rankings: RankingDoc[];
  consensus: ConsensusResult;
  result: RequestResult;
  minersCounted: number;
  now: Date;
}

export function buildMetrics({
  request,
  rankings,
  consensus,
  result,
  minersCounted,
  now,
}: MetricsInput) {
  const created = request.created_at.toMillis();
  const responseMs = rankings.map((r) => r.submitted_at.toMillis() - created);
  const trusts = Object.values(result.trust_used);
  return {
    request_id: request.request_id,
    finalized_at: Timestamp.fromDate(now),
    finalized_by: result.finalized_by,
    validators_expected: request.expected_count,
    validators_participated: result.participants.length,
    validators_timed_out: result.timed_out.length,
    participants: result.participants,
    timed_out: result.timed_out,
    trust_distribution: {
      by_validator: result.trust_used,
      equal_weights: result.equal_weights,
      min: trusts.length ? Math.min(...trusts) : 0,
      max: trusts.length ? Math.max(...trusts) : 0,
      total: consensus.totalWeight,
    },
    avg_response_ms: responseMs.length
      ? Math.round(responseMs.reduce((a, b) => a + b, 0) / responseMs.length)
      : null,
    miners_counted: minersCounted,
    consensus_mode: consensus.mode,
    kappa: consensus.kappa,
    // Per validator: clipped share and rank correlation (no lead contents, so safe for nodes).
    agreement: consensus.agreement,
    candidate_leads: consensus.candidates,
    ineligible_votes: consensus.ineligibleVotes,
    // Ranks and scores only: nodes read these records, and the leads themselves reach clients
    // through the API alone (the request's result, which no node reads). Rank n here is
    // result.leads[n - 1] of api_requests/{request_id}.
    top_leads: result.leads.slice(0, 10).map((l) => ({
      rank: l.rank,
      consensus_score: l.consensus_score,
      normalized_score: l.normalized_score,
      num_validators: l.num_validators,
    })),
  };
}
