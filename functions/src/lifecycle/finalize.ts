// Finalising a request: exactly once, inside one Firestore transaction that re-checks the request
// is still open. Any number of triggers and sweeps may race here; only one commits a result.
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type QueryDocumentSnapshot,
  type Transaction,
} from "firebase-admin/firestore";
import {
  OPEN_STATUSES,
  admittedSubmission,
  bindRankingToPool,
  calculateConsensusRanking,
  poolLeads,
  rankingDocId,
  registryAdmitsValidator,
  timedLeadPool,
  verifySignedSubmission,
  type ConsensusResult,
  type RegistryIdentity,
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
  type SubmissionDoc,
  type Verification,
} from "../db";
import { logs } from "../logs";
import { readRegistry } from "../registry/registry";
import { buildMetrics } from "./metrics";
import { requestConsensusSettings, writeAgreementEntries } from "./agreement";
import { writeMinerScoreEntries } from "./minerScores";
import { judgeRanking } from "./rankingVerdict";
import { withRetry } from "./retry";
import { enqueueWebhook } from "./webhooks";

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
 *
 * Nothing is locked while signatures are checked and the consensus is computed: read
 * (`readFinalizationInputs`), judge (`judgeVoters`) and plan (`planFinalization`) run without a
 * transaction; the write step, `commitFinalization`, then re-reads in a transaction the request
 * (and, unless every expected validator has already ranked, the request's ranking ids) and writes the result only if the request is still open and nothing it
 * rests on changed. Exactly once: the commit re-checks the status inside the transaction.
 */
export async function finalizeRequest(
  requestId: string,
  now: Date,
  trigger: FinalizeTrigger,
  closedBy: ClosedBy = trigger === "quorum" ? "ranking" : "sweep",
): Promise<FinalizeOutcome> {
  // One line per attempt (the scale bench counts them: one per request is the design).
  logs.finalizeAttempt({ request_id: requestId, trigger, closed_by: closedBy });
  let outcome: FinalizeOutcome | "stale" = "stale";
  let webhook = false;
  // A ranking written between the two steps (deadline path only) sends it round again.
  for (let attempt = 1; outcome === "stale" && attempt <= STALE_ATTEMPTS; attempt++) {
    outcome = await withRetry(async () => {
      const plan = await prepareFinalization(requestId, now, trigger, closedBy);
      if (plan.kind !== "write") return plan.outcome;
      webhook = plan.webhook;
      return requestsCol().firestore.runTransaction((tx) => commitFinalization(tx, plan));
    });
  }
  if (outcome === "stale") outcome = { kind: "not_ready", accepted: 0 };
  // Only after this call's own commit made the request final: the commit marked the webhook due,
  // so a failed (or never reached) enqueue is picked up by the sweep.
  if (webhook && (outcome.kind === "completed" || outcome.kind === "failed")) {
    await enqueueWebhook(requestId, now);
  }
  if (outcome.kind === "completed") {
    logs.requestCompleted({
      request_id: requestId,
      finalized_by: outcome.result.finalized_by,
      closed_by: closedBy,
      participated: outcome.result.participants,
      timed_out: outcome.result.timed_out,
      leads: outcome.result.leads.length,
    });
  } else if (outcome.kind === "failed") {
    logs.requestFailed({
      request_id: requestId,
      reason: outcome.reason,
      closed_by: closedBy,
    });
  }
  return outcome;
}

const STALE_ATTEMPTS = 3;

/** What the commit writes, and what it must find unchanged to write it. */
interface FinalizationPlan {
  kind: "write";
  requestId: string;
  /** Every expected validator has a ranking: no other can be written, so the commit skips them. */
  allRanked: boolean;
  rankingIds: string[];
  closeAtMs: number | null;
  /** The request has a callback: the commit marks its webhook due. */
  webhook: boolean;
  requestUpdate: Record<string, unknown>;
  outcome: FinalizeOutcome;
  /** Documents written beside the request (verdicts, metrics, ledger entries): writes only. */
  writes: (tx: Transaction) => void;
}

type Prepared = FinalizationPlan | { kind: "done"; outcome: FinalizeOutcome };

/**
 * The plan, in three steps: read what the result rests on, judge the voters (verifying any ranking
 * no trigger has judged yet, as its trigger would), then decide what to write.
 */
async function prepareFinalization(
  requestId: string,
  now: Date,
  trigger: FinalizeTrigger,
  closedBy: ClosedBy,
): Promise<Prepared> {
  const inputs = await readFinalizationInputs(requestId);
  if (inputs.kind === "done") return inputs;
  const verdicts: Verdicts = new Map();
  const voters = judgeVoters(inputs, now, verdicts);
  return planFinalization(inputs, voters, verdicts, now, trigger, closedBy);
}

/** Everything the plan reads: the request, its rankings and submissions, and the registry entries. */
interface FinalizationInputs {
  kind: "inputs";
  requestId: string;
  request: ApiRequestDoc;
  rankings: QueryDocumentSnapshot<RankingDoc>[];
  submissions: QueryDocumentSnapshot<SubmissionDoc>[];
  registry: ReadonlyMap<string, RegistryDoc>;
}

const done = (outcome: FinalizeOutcome): Prepared => ({ kind: "done", outcome });

/** Read step: no transaction, so nothing is locked while the rest is computed. */
async function readFinalizationInputs(
  requestId: string,
): Promise<FinalizationInputs | Extract<Prepared, { kind: "done" }>> {
  const [snap, rankingSnap, submissionSnap] = await Promise.all([
    requestsCol().doc(requestId).get(),
    rankingsCol().where("request_id", "==", requestId).get(),
    submissionsCol().where("request_id", "==", requestId).get(),
  ]);
  const request = snap.data();
  if (!request) return { kind: "done", outcome: { kind: "unknown_request" } };
  if (!OPEN_STATUSES.includes(request.status)) {
    return { kind: "done", outcome: { kind: "already_final", status: request.status } };
  }
  const submissions = submissionSnap.docs;
  // The registry of the validators that ranked (their trust is read now, not at creation);
  // miners' too for a request older than expected_uids.
  const registry = await readRegistry([
    ...rankingSnap.docs.map((d) => d.data().validator_hotkey),
    ...(request.expected_uids ? [] : submissions.map((s) => s.data().miner_hotkey)),
  ]);
  return { kind: "inputs", requestId, request, rankings: rankingSnap.docs, submissions, registry };
}

/**
 * The rankings that vote: those accepted (by their trigger, or judged here when no trigger has
 * yet, so a valid ranking written before the commit is never left out because its trigger was
 * slow) whose validator the registry still admits. Trust and uid are re-read from the registry
 * now; a hotkey that lost its validator role (or whose uid moved) no longer votes, and its
 * ranking's verdict says why.
 */
function judgeVoters(inputs: FinalizationInputs, now: Date, verdicts: Verdicts): RankingDoc[] {
  const { request, registry } = inputs;
  const accepted: RankingDoc[] = [];
  for (const doc of inputs.rankings) {
    const data = doc.data();
    let verification = data.verification;
    if (!verification) {
      verification = judgeRanking(doc.id, data, request, now);
      verdicts.set(doc.ref.path, { ref: doc.ref, verification });
    }
    if (verification.status === "accepted") accepted.push(data);
  }
  return accepted.filter((r) => {
    const identity = registryAdmitsValidator(r, registry.get(r.validator_hotkey));
    if (identity === "ok") return true;
    const ref = rankingsCol().doc(rankingDocId(r.request_id, r.validator_hotkey));
    recordVerdict(verdicts, ref, identity, now);
    return false;
  });
}

/** Plan step: complete, fail, or wait; pure but for the clock it is given. */
function planFinalization(
  inputs: FinalizationInputs,
  voters: RankingDoc[],
  verdicts: Verdicts,
  now: Date,
  trigger: FinalizeTrigger,
  closedBy: ClosedBy,
): Prepared {
  const { request, rankings } = inputs;
  const accepted = voters.length;
  const nowMs = now.getTime();
  const pastDeadline = nowMs >= request.validator_deadline.toMillis();
  const pastTimeout = nowMs >= request.timeout.toMillis();
  // The early-close time, once the share of trust was reached (never later than the deadline).
  const pastCloseAt = request.close_at != null && nowMs >= request.close_at.toMillis();
  const ranked = new Set(rankings.map((d) => d.data().validator_hotkey));
  const base: PlanBase = {
    kind: "write",
    requestId: inputs.requestId,
    allRanked: request.expected_validators.every((h) => ranked.has(h)),
    rankingIds: rankings.map((d) => d.id).sort(),
    closeAtMs: request.close_at?.toMillis() ?? null,
    webhook: request.webhook !== undefined,
  };
  const ready =
    trigger === "quorum"
      ? accepted >= request.expected_count && accepted > 0
      : (pastDeadline || pastCloseAt) && accepted >= request.min_validators && accepted > 0;
  if (ready) {
    const finalizedBy = trigger === "quorum" ? "quorum" : pastDeadline ? "deadline" : "early_close";
    return planCompletion(base, inputs, voters, verdicts, now, finalizedBy, closedBy);
  }
  if (trigger !== "deadline" || !pastTimeout) return done({ kind: "not_ready", accepted });
  // Validators rank only what miners submitted: with no submission at all, no validator could
  // have answered, and the client is told which side was missing.
  const reason =
    accepted > 0
      ? "insufficient_validators"
      : inputs.submissions.length > 0
        ? "no_validator_responded"
        : "no_miner_submitted";
  return {
    ...base,
    requestUpdate: {
      status: "failed",
      failure_reason: reason,
      finalized_at: Timestamp.fromDate(now),
      finalize_count: FieldValue.increment(1),
      closed_by: closedBy,
      ...webhookDue(request),
    },
    outcome: { kind: "failed", reason },
    writes: (tx) => writeVerdicts(tx, verdicts),
  };
}

type PlanBase = Omit<FinalizationPlan, "requestUpdate" | "outcome" | "writes">;

/** Marked in the finalising commit itself, so no final request with a callback can be missed. */
const webhookDue = (request: ApiRequestDoc) => (request.webhook ? { "webhook.state": "due" } : {});

/** The completed result: consensus over the voters, metrics and ledger entries beside it. */
function planCompletion(
  base: PlanBase,
  inputs: FinalizationInputs,
  voters: RankingDoc[],
  verdicts: Verdicts,
  now: Date,
  finalizedBy: RequestResult["finalized_by"],
  closedBy: ClosedBy,
): FinalizationPlan {
  const { requestId, request, registry, submissions } = inputs;
  const timed = admittedSubmissions(submissions, request, registry, now, verdicts);
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

  const miners = timed.map((c) => c.miner_hotkey).sort();
  const result = buildResult(request, voters, miners, consensus, finalizedBy, registry);
  // The miners to credit: those the request expected (older requests: those that submitted). Every
  // pooled lead comes from one of them, since only expected miners' submissions are admitted.
  const creditedMiners = request.expected_miners ?? submissions.map((s) => s.data().miner_hotkey);
  const metrics = buildMetrics({
    request,
    rankings: voters,
    consensus,
    result,
    minersCounted: timed.length,
    now,
  });
  return {
    ...base,
    requestUpdate: {
      status: "completed",
      closed_by: closedBy,
      result,
      failure_reason: null,
      finalized_at: Timestamp.fromDate(now),
      // The commit's own time: every valid ranking written before it was read here and counted
      // (the commit re-reads the ranking ids unless no other ranking could be written), which
      // `verify` checks.
      result_committed_at: FieldValue.serverTimestamp(),
      // Observable proof of exactly-once: any second commit would make this 2.
      finalize_count: FieldValue.increment(1),
      ...webhookDue(request),
    },
    outcome: { kind: "completed", result },
    writes: (tx) => {
      writeVerdicts(tx, verdicts);
      // create(), not set(): a second finalisation could not commit silently over the first record.
      tx.create(metricsCol().doc(requestId), metrics);
      writeAgreementEntries(tx, request.expected_validators, requestId, consensus, now);
      writeMinerScoreEntries(tx, creditedMiners, requestId, consensus.leads, pool, now);
    },
  };
}

/**
 * Write step, the only one that locks: one read of the request (plus the ranking ids while an expected validator
 * has not ranked), then the writes. "stale" when a ranking or the early-close time appeared since
 * the plan was made.
 */
async function commitFinalization(
  tx: Transaction,
  plan: FinalizationPlan,
): Promise<FinalizeOutcome | "stale"> {
  const ref = requestsCol().doc(plan.requestId);
  const [snap, ids] = await Promise.all([
    tx.get(ref),
    plan.allRanked
      ? Promise.resolve(plan.rankingIds)
      : tx
          .get(rankingsCol().where("request_id", "==", plan.requestId).select())
          .then((q) => q.docs.map((d) => d.id).sort()),
  ]);
  const request = snap.data();
  if (!request) return { kind: "unknown_request" };
  if (!OPEN_STATUSES.includes(request.status)) {
    return { kind: "already_final", status: request.status };
  }
  const closeAtMs = request.close_at?.toMillis() ?? null;
  if (closeAtMs !== plan.closeAtMs || ids.join() !== plan.rankingIds.join()) return "stale";
  tx.update(ref, plan.requestUpdate);
  plan.writes(tx);
  return plan.outcome;
}

/** Verdicts this finalisation reached, by document path (the latest for a document wins). */
type Verdicts = Map<string, { ref: DocumentReference; verification: Verification }>;

/** Records one verdict decided now: accepted when `reason` is null, else rejected for it. */
function recordVerdict(
  verdicts: Verdicts,
  ref: DocumentReference,
  reason: Verification["reason"],
  now: Date,
) {
  const verification: Verification = {
    status: reason === null ? "accepted" : "rejected",
    reason,
    verified_at: Timestamp.fromDate(now),
  };
  verdicts.set(ref.path, { ref, verification });
}

function writeVerdicts(tx: Transaction, verdicts: Verdicts) {
  for (const { ref, verification } of verdicts.values()) tx.update(ref, { verification });
}

/**
 * The submissions the request admits (an expected miner, under the uid it had at the request's
 * creation, before the deadline, signed): the trigger checked the signature already unless it has
 * not run. A submission left out gets a rejection verdict saying why.
 */
function admittedSubmissions(
  docs: readonly QueryDocumentSnapshot<SubmissionDoc>[],
  request: ApiRequestDoc,
  registry: ReadonlyMap<string, RegistryDoc>,
  now: Date,
  verdicts: Verdicts,
): TimedSubmission[] {
  const admission = {
    expected_miners: request.expected_miners ?? null,
    validator_deadline_ms: request.validator_deadline.toMillis(),
  };
  const timed: TimedSubmission[] = [];
  for (const doc of docs) {
    const data = doc.data();
    if (data.verification?.status === "rejected") continue;
    const signed = data.verification ? null : verifySignedSubmission(doc.id, data);
    const expectedUid = request.expected_uids?.[data.miner_hotkey];
    const identity: RegistryIdentity | undefined = request.expected_uids
      ? expectedUid === undefined
        ? undefined
        : { role: "miner", uid: expectedUid }
      : registry.get(data.miner_hotkey);
    const reason =
      signed && !signed.ok
        ? signed.reason
        : identity?.role !== "miner"
          ? request.expected_uids
            ? "not_expected_miner"
            : "not_registered_miner"
          : identity.uid !== data.miner_uid
            ? "uid_mismatch"
            : admittedSubmission(data.miner_hotkey, data.submitted_at.toMillis(), admission);
    if (reason !== "ok") {
      recordVerdict(verdicts, doc.ref, reason, now);
      continue;
    }
    if (signed) recordVerdict(verdicts, doc.ref, null, now);
    timed.push({
      miner_hotkey: data.miner_hotkey,
      leads: data.leads,
      submitted_at_ms: data.submitted_at.toMillis(),
    });
  }
  return timed;
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
