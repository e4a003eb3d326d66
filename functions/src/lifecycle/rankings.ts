// What happens when a validator's ranking lands: verify it once, record the verdict on the ranking,
// and finalise when every expected validator has answered.
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES, cryptoReady, verifyRanking, type RequestState } from "consensus-core";
import { acceptedRankingsQuery, rankingsCol, requestsCol, type Verification } from "../db";
import { log } from "../log";
import { readRegistry } from "../registry/registry";
import { maybeStartEarlyClose, type EarlyCloseOutcome } from "./earlyClose";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { isPreconditionFailure, withRetry } from "./retry";

export interface RankingOutcome {
  verification: Verification["status"] | "missing";
  reason: string | null;
  finalize?: FinalizeOutcome;
  earlyClose?: EarlyCloseOutcome;
}

/**
 * Idempotent: the verdict is written with a precondition on the ranking's update time, so of two
 * deliveries racing only the first records it and the other adopts it; a redelivered event finds the
 * verdict recorded and only repeats the (itself idempotent) quorum check. No transaction: arrivals
 * for one request never lock its document against each other. Cost per arrival: the ranking, the
 * request and one registry document, one count aggregation, one write to the ranking (plus one to
 * the request on the first accepted ranking); the rankings are read in full only once, by the
 * finalising transaction.
 */
export async function handleRankingCreated(docId: string, now: Date): Promise<RankingOutcome> {
  await cryptoReady();
  const ref = rankingsCol().doc(docId);
  // The hotkey comes from the document id ("{request_id}_{hotkey}"), which verification checks
  // against the content, so the registry read can run beside the ranking read.
  const hotkey = docId.slice(docId.indexOf("_") + 1);
  const [snap, entry] = await Promise.all([
    ref.get(),
    hotkey ? readRegistry([hotkey]).then((m) => m.get(hotkey)) : Promise.resolve(undefined),
  ]);
  const data = snap.data();
  if (!data) return { verification: "missing", reason: null };
  const requestId = typeof data.request_id === "string" ? data.request_id : "";
  const requestSnap = isDocId(requestId) ? await requestsCol().doc(requestId).get() : null;
  const request = requestSnap?.data();

  let verification = data.verification;
  if (!verification) {
    const state: RequestState | null = request
      ? {
          status: request.status,
          expected_validators: request.expected_validators,
          timeoutMs: request.timeout.toMillis(),
        }
      : null;
    const submittedAtMs =
      data.submitted_at instanceof Timestamp ? data.submitted_at.toMillis() : now.getTime();
    const checked = verifyRanking(docId, data, state, entry?.role, submittedAtMs);
    verification = {
      status: checked.ok ? "accepted" : "rejected",
      reason: checked.ok ? null : checked.reason,
      verified_at: Timestamp.fromDate(now),
    };
    // A straggler after the result was written (early close, or the deadline): had the request
    // still been open, would it have counted? Then it is recorded as late, and never counted.
    if (!checked.ok && checked.reason === "request_closed" && state?.status === "completed") {
      const asOpen = verifyRanking(
        docId,
        data,
        { ...state, status: "processing" },
        entry?.role,
        submittedAtMs,
      );
      if (asOpen.ok) verification = { ...verification, status: "late", reason: "after_result" };
    }
    try {
      // Informational trust: consensus re-reads it from the registry when it finalises.
      await ref.update(
        { verification, validator_trust: checked.ok ? entry!.validator_trust : null },
        { lastUpdateTime: snap.updateTime! },
      );
    } catch (err) {
      if (!isPreconditionFailure(err)) throw err;
      // Another delivery recorded its verdict first; that one stands.
      verification = (await ref.get()).data()?.verification;
      if (!verification) throw err;
    }
    if (verification.status === "accepted" && request?.status === "pending") {
      // Only if nothing touched the request since we read it (another ranking, or finalisation).
      await requestSnap!.ref
        .update({ status: "processing" }, { lastUpdateTime: requestSnap!.updateTime! })
        .catch((err) => {
          if (!isPreconditionFailure(err)) throw err;
        });
    }
  }

  if (verification.status === "late") {
    // arrayUnion: a redelivered event records the validator once.
    await requestSnap!.ref.update({ late_validators: FieldValue.arrayUnion(hotkey) });
    log.info("ranking_late", { request_id: requestId, validator_hotkey: hotkey });
    return { verification: "late", reason: verification.reason };
  }
  if (verification.status === "rejected") {
    log.warn("ranking_rejected", {
      request_id: requestId,
      validator_hotkey: hotkey,
      reason: verification.reason,
    });
    return { verification: "rejected", reason: verification.reason };
  }
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
  if (accepted < request.expected_count) {
    const earlyClose = await maybeStartEarlyClose(request, now);
    return { verification: "accepted", reason: null, earlyClose };
  }
  return {
    verification: "accepted",
    reason: null,
    finalize: await finalizeRequest(requestId, now, "quorum"),
  };
}

/** For the sweep: verifies the rankings of a request whose trigger never completed. */
export async function verifyPendingRankings(requestId: string, now: Date): Promise<number> {
  const snap = await rankingsCol().where("request_id", "==", requestId).get();
  const pending = snap.docs.filter((d) => !d.data().verification);
  for (const doc of pending) await withRetry(() => handleRankingCreated(doc.id, now));
  return pending.length;
}

/** Firestore document ids cannot contain '/' and must be non-empty. */
function isDocId(id: string): boolean {
  return id.length > 0 && id.length <= 1500 && !id.includes("/");
}
