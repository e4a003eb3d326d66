// Finalising a request: exactly once, inside one Firestore transaction that re-checks the request
// is still open. Any number of triggers and sweeps may race here; only one commits a result.
import {
  FieldValue,
  Timestamp,
  type QueryDocumentSnapshot,
  type Transaction,
} from "firebase-admin/firestore";
import {
  OPEN_STATUSES,
  admittedSubmission,
  bindRankingToPool,
  calculateConsensusRanking,
  poolLeads,
  timedLeadPool,
  verifyRanking,
  verifySubmission,
  type ConsensusResult,
  type RequestState,
  type SubmissionContent,
  type TimedSubmission,
} from "consensus-core";
import {
  metricsCol,
  rankingsCol,
  requestsCol,
  submissionsCol,
  type ApiRequestDoc,
  type ClosedBy,
  type RankingDoc,
  type RegistryDoc,
  type RequestResult,
  type Verification,
} from "../db";
import { log } from "../log";
import { readRegistry } from "../registry/registry";
import { buildMetrics } from "./metrics";
import { readAgreementRecords, requestConsensusSettings, writeAgreementRecords } from "./agreement";
import { readMinerScoreRecords, writeMinerScoreRecords } from "./minerScores";
import { withRetry } from "./retry";

export type FinalizeTrigger = "quorum" | "deadline";

export type FinalizeOutcome =
  | { kind: "completed"; result: RequestResult }
  | { kind: "failed"; reason: string }
  | { kind: "already_final"; status: string }
  | { kind: "not_ready"; accepted: number }
  | { kind: "unknown_request" };

/**
 * `quorum` finalises once every expected validator has answered; `deadline` once the request's
 * validator deadline (or its early-close time) has passed with enough rankings, and fails it at
 * its timeout. `closedBy` records what ran it (a ranking's trigger, a task, the sweep, a status read).
 */
export async function finalizeRequest(
  requestId: string,
  now: Date,
  trigger: FinalizeTrigger,
  closedBy: ClosedBy = trigger === "quorum" ? "ranking" : "sweep",
): Promise<FinalizeOutcome> {
  const outcome = await withRetry(() =>
    requestsCol().firestore.runTransaction((tx) =>
      finalizeInTransaction(tx, requestId, now, trigger, closedBy),
    ),
  );
  if (outcome.kind === "completed") {
    log.info("request_completed", {
      request_id: requestId,
      finalized_by: outcome.result.finalized_by,
      closed_by: closedBy,
      participated: outcome.result.participants,
      timed_out: outcome.result.timed_out,
      leads: outcome.result.leads.length,
    });
  } else if (outcome.kind === "failed") {
    log.warn("request_failed", {
      request_id: requestId,
      reason: outcome.reason,
      closed_by: closedBy,
    });
  }
  return outcome;
}

async function finalizeInTransaction(
  tx: Transaction,
  requestId: string,
  now: Date,
  trigger: FinalizeTrigger,
  closedBy: ClosedBy,
): Promise<FinalizeOutcome> {
  const ref = requestsCol().doc(requestId);
  // Read together: callers reach here only when the request looks closable, so the rankings and
  // submissions are needed nearly always, and each sequential read would delay the result.
  const [snap, rankingSnap, submissionSnap] = await Promise.all([
    tx.get(ref),
    tx.get(rankingsCol().where("request_id", "==", requestId)),
    tx.get(submissionsCol().where("request_id", "==", requestId)),
  ]);
  const request = snap.data();
  if (!request) return { kind: "unknown_request" };
  if (!OPEN_STATUSES.includes(request.status)) {
    return { kind: "already_final", status: request.status };
  }

  const submissions = submissionSnap.docs;
  // The registry beside the agreement records of the expected validators (the only ones whose
  // rankings can be accepted, and whose records a completion updates).
  // The miners to credit: those the request expected (older requests: those that submitted). Every
  // pooled lead comes from one of them, since only expected miners' submissions are admitted.
  const creditedMiners = request.expected_miners ?? submissions.map((s) => s.data().miner_hotkey);
  const [registry, agreement, minerScores] = await Promise.all([
    readRegistry(
      [
        ...rankingSnap.docs.map((d) => d.data().validator_hotkey),
        ...submissions.map((s) => s.data().miner_hotkey),
      ],
      tx,
    ),
    readAgreementRecords(tx, request.expected_validators),
    readMinerScoreRecords(tx, creditedMiners),
  ]);
  const rankingDocs = acceptedRankings(tx, rankingSnap.docs, request, registry, now);
  const accepted = rankingDocs.length;
  const nowMs = now.getTime();
  const pastDeadline = nowMs >= request.validator_deadline.toMillis();
  const pastTimeout = nowMs >= request.timeout.toMillis();
  // The early-close time, once the share of trust was reached (never later than the deadline).
  const pastCloseAt = request.close_at != null && nowMs >= request.close_at.toMillis();

  const ready =
    trigger === "quorum"
      ? accepted >= request.expected_count && accepted > 0
      : (pastDeadline || pastCloseAt) && accepted >= request.min_validators && accepted > 0;
  if (!ready) {
    if (trigger === "deadline" && pastTimeout) {
      // Validators rank only what miners submitted: with no submission at all, no validator could
      // have answered, and the client is told which side was missing.
      const anySubmission = accepted === 0 && !submissionSnap.empty;
      const reason =
        accepted > 0
          ? "insufficient_validators"
          : anySubmission
            ? "no_validator_responded"
            : "no_miner_submitted";
      tx.update(ref, {
        status: "failed",
        failure_reason: reason,
        finalized_at: Timestamp.fromDate(now),
        finalize_count: FieldValue.increment(1),
        closed_by: closedBy,
      });
      return { kind: "failed", reason };
    }
    return { kind: "not_ready", accepted };
  }

  const minerContent: SubmissionContent[] = [];
  const timed: TimedSubmission[] = [];
  const admission = {
    expected_miners: request.expected_miners ?? null,
    validator_deadline_ms: request.validator_deadline.toMillis(),
  };
  for (const s of submissions) {
    const data = s.data();
    const verdict = verifySubmission(s.id, data, registry.get(data.miner_hotkey));
    if (!verdict.ok) continue;
    const submittedAtMs = data.submitted_at.toMillis();
    if (admittedSubmission(verdict.content.miner_hotkey, submittedAtMs, admission) !== "ok") {
      continue;
    }
    minerContent.push(verdict.content);
    timed.push({ ...verdict.content, submitted_at_ms: submittedAtMs });
  }

  // Trust and uid are re-read from the registry now; a hotkey that lost its validator role (or
  // whose uid moved) no longer votes.
  const voters = rankingDocs.filter((r) => {
    const entry = registry.get(r.validator_hotkey);
    return entry?.role === "validator" && entry.uid === r.validator_uid;
  });
  const settings = requestConsensusSettings(request);
  const pool = timedLeadPool(timed);
  const consensus = calculateConsensusRanking({
    mode: settings.mode,
    kappa: settings.kappa,
    numLeads: request.num_leads,
    rankings: voters.map((r) => ({
      validator_hotkey: r.validator_hotkey,
      trust: registry.get(r.validator_hotkey)!.validator_trust,
      ranked_leads: bindRankingToPool(
        { submitted_at_ms: r.submitted_at.toMillis(), ranked_leads: r.ranked_leads },
        pool,
      ).ranked_leads,
    })),
    eligibleLeads: poolLeads(pool),
  });

  const miners = minerContent.map((c) => c.miner_hotkey).sort();
  const finalizedBy = trigger === "quorum" ? "quorum" : pastDeadline ? "deadline" : "early_close";
  const result = buildResult(request, voters, miners, consensus, finalizedBy, registry);
  tx.update(ref, {
    status: "completed",
    closed_by: closedBy,
    result,
    failure_reason: null,
    finalized_at: Timestamp.fromDate(now),
    // The commit's own time: every valid ranking written before it was read here and counted
    // (transactions are serializable), which `verify` checks.
    result_committed_at: FieldValue.serverTimestamp(),
    // Observable proof of exactly-once: any second commit would make this 2.
    finalize_count: FieldValue.increment(1),
  });
  // create(), not set(): a second finalisation could not commit silently over the first record.
  tx.create(
    metricsCol().doc(requestId),
    buildMetrics({
      request,
      rankings: voters,
      consensus,
      result,
      minersCounted: minerContent.length,
      now,
    }),
  );
  writeAgreementRecords(tx, agreement, requestId, consensus, now);
  writeMinerScoreRecords(tx, minerScores, requestId, consensus.leads, pool, now);
  return { kind: "completed", result };
}

/**
 * The request's rankings that count: those its trigger accepted, and those no trigger has judged
 * yet, verified here (their verdict recorded in this transaction), so a valid ranking written
 * before this transaction read the rankings is never left out because its trigger was slow.
 */
function acceptedRankings(
  tx: Transaction,
  docs: readonly QueryDocumentSnapshot<RankingDoc>[],
  request: ApiRequestDoc,
  registry: ReadonlyMap<string, RegistryDoc>,
  now: Date,
): RankingDoc[] {
  const state: RequestState = {
    status: request.status,
    expected_validators: request.expected_validators,
    timeoutMs: request.timeout.toMillis(),
  };
  const out: RankingDoc[] = [];
  for (const doc of docs) {
    const data = doc.data();
    if (data.verification) {
      if (data.verification.status === "accepted") out.push(data);
      continue;
    }
    const hotkey = doc.id.slice(doc.id.indexOf("_") + 1);
    const submittedAtMs = data.submitted_at?.toMillis?.() ?? now.getTime();
    const checked = verifyRanking(doc.id, data, state, registry.get(hotkey), submittedAtMs);
    const verification: Verification = {
      status: checked.ok ? "accepted" : "rejected",
      reason: checked.ok ? null : checked.reason,
      verified_at: Timestamp.fromDate(now),
    };
    tx.update(doc.ref, {
      verification,
      validator_trust: checked.ok ? registry.get(hotkey)!.validator_trust : null,
    });
    if (checked.ok) out.push(data);
  }
  return out;
}

function buildResult(
  request: ApiRequestDoc,
  voters: RankingDoc[],
  miners: string[],
  consensus: ConsensusResult,
  finalizedBy: RequestResult["finalized_by"],
  registry: ReadonlyMap<string, RegistryDoc>,
): RequestResult {
  const participants = voters.map((r) => r.validator_hotkey).sort();
  const answered = new Set(participants);
  return {
    leads: consensus.leads,
    participants,
    timed_out: request.expected_validators.filter((h) => !answered.has(h)),
    miners,
    consensus_mode: consensus.mode,
    kappa: consensus.kappa,
    trust_used: consensus.weights,
    equal_weights: consensus.equalWeights,
    finalized_by: finalizedBy,
    registry_block: registryBlock([...participants, ...miners].map((h) => registry.get(h))),
  };
}

/**
 * The newest metagraph block among the registry entries the result rests on (participants and
 * miners; null when none came from a sync): `verify` re-checks entries not changed since.
 */
function registryBlock(entries: readonly (RegistryDoc | undefined)[]): number | null {
  const blocks = entries.map((e) => e?.block).filter((b): b is number => typeof b === "number");
  return blocks.length > 0 ? Math.max(...blocks) : null;
}
