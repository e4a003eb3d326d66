// What happens when a validator's ranking lands: verify it once, record the verdict on the ranking,
// and finalise when every expected validator has answered.
import { Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES, cryptoReady } from "../core";
import { acceptedRankingsQuery, rankingsCol, requestsCol, type Verification } from "../db";
import { log } from "../log";
import { readRegistry } from "../registry/registry";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { verifyRanking, type RequestState } from "./verify";

export interface RankingOutcome {
  verification: Verification["status"] | "missing";
  reason: string | null;
  finalize?: FinalizeOutcome;
}

/**
 * Idempotent: a redelivered event finds the verdict already recorded and only repeats the (itself
 * idempotent) quorum check. Cost per arrival: the ranking, the request and one registry document,
 * one count aggregation, and one write to the ranking itself (plus one to the request on the first
 * accepted ranking); the rankings are read in full only once, by the finalising transaction.
 */
export async function handleRankingCreated(docId: string, now: Date): Promise<RankingOutcome> {
  await cryptoReady();
  const ref = rankingsCol().doc(docId);
  // The hotkey comes from the document id ("{request_id}_{hotkey}"), which verification checks
  // against the content, so the ranking is read once, inside the transaction. Registry reads stay
  // outside it: heartbeats must not contend with verification.
  const hotkey = docId.slice(docId.indexOf("_") + 1);
  const entry = hotkey ? (await readRegistry([hotkey])).get(hotkey) : undefined;

  const verdict = await ref.firestore.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (!current) return null;
    const requestId = typeof current.request_id === "string" ? current.request_id : "";
    if (current.verification) return { verification: current.verification, requestId };

    const requestRef = isDocId(requestId) ? requestsCol().doc(requestId) : null;
    const request = requestRef ? (await tx.get(requestRef)).data() : undefined;
    const state: RequestState | null = request
      ? {
          status: request.status,
          expected_validators: request.expected_validators,
          timeoutMs: request.timeout.toMillis(),
        }
      : null;
    const submittedAtMs =
      current.submitted_at instanceof Timestamp ? current.submitted_at.toMillis() : now.getTime();
    const checked = verifyRanking(docId, current, state, entry?.role, submittedAtMs);
    const verification: Verification = {
      status: checked.ok ? "accepted" : "rejected",
      reason: checked.ok ? null : checked.reason,
      verified_at: Timestamp.fromDate(now),
    };
    // Informational: consensus re-reads trust from the registry when it finalises.
    tx.update(ref, {
      verification,
      validator_trust: checked.ok ? entry!.validator_trust : null,
    });
    if (checked.ok && request?.status === "pending") {
      tx.update(requestRef!, { status: "processing" });
    }
    return { verification, requestId, request };
  });
  if (!verdict) return { verification: "missing", reason: null };

  const { verification, requestId } = verdict;
  if (verification.status === "rejected") {
    log.warn("ranking_rejected", {
      request_id: requestId,
      validator_hotkey: hotkey,
      reason: verification.reason,
    });
    return { verification: "rejected", reason: verification.reason };
  }

  // A redelivered event did not read the request in its transaction.
  const request =
    "request" in verdict ? verdict.request : (await requestsCol().doc(requestId).get()).data();
  if (!request || !OPEN_STATUSES.includes(request.status)) {
    return { verification: "accepted", reason: null };
  }
  const accepted = (await acceptedRankingsQuery(requestId).count().get()).data().count;
  log.info("ranking_accepted", {
    request_id: requestId,
    validator_hotkey: hotkey,
    answered: accepted,
    expected: request.expected_count,
  });
  if (accepted < request.expected_count) return { verification: "accepted", reason: null };
  return {
    verification: "accepted",
    reason: null,
    finalize: await finalizeRequest(requestId, now, "quorum"),
  };
}

/** Firestore document ids cannot contain '/' and must be non-empty. */
function isDocId(id: string): boolean {
  return id.length > 0 && id.length <= 1500 && !id.includes("/");
}
