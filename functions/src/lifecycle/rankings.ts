// What happens when a validator's ranking lands: verify it once, record the verdict on the ranking,
// and finalise when every expected validator has answered.
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES, cryptoReady, verifyRanking, type RequestState } from "consensus-core";
import { rankingsCol, requestsCol, type Verification } from "../db";
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
 * the request on the first accepted ranking); the rankings are read in full only by the finalising
 * transaction, once every expected validator has written one.
 */
export async function handleRankingCreated(docId: string, now: Date): Promise<RankingOutcome> {
  await cryptoReady();
  const ref = rankingsCol().doc(docId);
  // The hotkey comes from the document id ("{request_id}_{hotkey}"), which verification checks
  // against the content, so the registry read can run beside the ranking read.
  // The request id too, so the request is read beside them (the round's last hop waits on this);
  // a ranking whose content names another request is read again by what it names, and rejected.
  const hotkey = docId.slice(docId.indexOf("_") + 1);
  const namedId = docId.slice(0, Math.max(0, docId.indexOf("_")));
  const readRequest = (id: string) => (isDocId(id) ? requestsCol().doc(id).get() : null);
  const [snap, entry, namedRequest] = await Promise.all([
    ref.get(),
    hotkey ? readRegistry([hotkey]).then((m) => m.get(hotkey)) : Promise.resolve(undefined),
    readRequest(namedId),
  ]);
  const data = snap.data();
  if (!data) return { verification: "missing", reason: null };
  const requestId = typeof data.request_id === "string" ? data.request_id : "";
  const requestSnap = requestId === namedId ? namedRequest : await readRequest(requestId);
  const request = requestSnap?.data();

  // How many rankings the request has, whatever their verdicts: counted beside the verdict write
  // below, since it cannot depend on it. Fewer than expected means no quorum yet; enough sends the
  // finalising transaction to count the accepted ones itself.
  const open = request != null && OPEN_STATUSES.includes(request.status);
  const counted = open ? rankingsCol().where("request_id", "==", requestId).count().get() : null;
  counted?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile

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
    const checked = verifyRanking(docId, data, state, entry, submittedAtMs);
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
        entry,
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
  if (!request || !counted) {
    return { verification: "accepted", reason: null };
  }
  const rankings = (await counted).data().count;
  log.info("ranking_accepted", {
    request_id: requestId,
    validator_hotkey: hotkey,
    rankings,
    expected: request.expected_count,
  });
  if (rankings >= request.expected_count) {
    const finalize = await finalizeRequest(requestId, now, "quorum");
    // Not ready: some of those rankings were rejected, or their verdicts are still being written
    // (the trigger that writes the last one finalises).
    if (finalize.kind !== "not_ready") return { verification: "accepted", reason: null, finalize };
  }
  const earlyClose = await maybeStartEarlyClose(request, now);
  return { verification: "accepted", reason: null, earlyClose };
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
