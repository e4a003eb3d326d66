// What happens when a validator's ranking lands: verify it once, record the verdict on the ranking,
// and finalise when every expected validator has answered.
import { Timestamp } from "firebase-admin/firestore";
import { cryptoReady } from "../core";
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
  const first = await ref.get();
  const data = first.data();
  if (!data) return { verification: "missing", reason: null };

  // Registry reads stay outside the transaction: heartbeats must not contend with verification.
  const hotkey = typeof data.validator_hotkey === "string" ? data.validator_hotkey : "";
  const entry = hotkey ? (await readRegistry([hotkey])).get(hotkey) : undefined;

  const verification = await ref.firestore.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (!current) return null;
    if (current.verification) return current.verification;

    const requestId = typeof current.request_id === "string" ? current.request_id : "";
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
    const verdict = verifyRanking(docId, current, state, entry?.role, submittedAtMs);
    const result: Verification = {
      status: verdict.ok ? "accepted" : "rejected",
      reason: verdict.ok ? null : verdict.reason,
      verified_at: Timestamp.fromDate(now),
    };
    // Informational: consensus re-reads trust from the registry when it finalises.
    tx.update(ref, {
      verification: result,
      validator_trust: verdict.ok ? entry!.validator_trust : null,
    });
    if (verdict.ok && request?.status === "pending") {
      tx.update(requestRef!, { status: "processing" });
    }
    return result;
  });
  if (!verification) return { verification: "missing", reason: null };

  const requestId = String(data.request_id);
  if (verification.status === "rejected") {
    log.warn("ranking_rejected", {
      request_id: requestId,
      validator_hotkey: hotkey,
      reason: verification.reason,
    });
    return { verification: "rejected", reason: verification.reason };
  }

  const request = (await requestsCol().doc(requestId).get()).data();
  if (!request || (request.status !== "pending" && request.status !== "processing")) {
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
