// What happens when a validator's ranking lands: verify it once, record the verdict on the ranking,
// and finalise when every expected validator has answered.
import { FieldValue, GrpcStatus, Timestamp } from "firebase-admin/firestore";
import {
  OPEN_STATUSES,
  cryptoReady,
  verifyRankingInRequest,
  type RankingContent,
  type RequestState,
  type Verdict,
} from "consensus-core";
import {
  acceptedRankingsQuery,
  claimsCol,
  rankingsCol,
  requestsCol,
  type RankingDoc,
  type Verification,
} from "../db";
import { log } from "../log";
import { maybeStartEarlyClose, type EarlyCloseOutcome } from "./earlyClose";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { isNotFound, isPreconditionFailure } from "./retry";

export interface RankingOutcome {
  verification: Verification["status"] | "missing";
  reason: string | null;
  /** Whether this trigger completed the quorum and took the claim to finalise. */
  claim?: "claimed" | "claimed_by_other";
  finalize?: FinalizeOutcome;
  earlyClose?: EarlyCloseOutcome;
}

/** The ranking as the event delivered it, so the handler need not read it again. */
export interface DeliveredRanking {
  data: RankingDoc | undefined;
  updateTime: Timestamp;
}

/**
 * Verify, record the verdict, and finalise if this ranking completes the quorum. Cost per arrival:
 * the request (1 read; the ranking comes with the event, and the registry is left to the
 * finaliser, which re-reads it for the voters), one write of the verdict, one count aggregation of
 * the accepted rankings (1 read). Only the trigger whose count reaches the expected number goes on,
 * and of those (several can, when verdicts land together) only the one that creates the request's
 * claim document attempts the finalisation: one attempt per request, nothing locked by the others.
 *
 * Idempotent: the verdict is written with a precondition on the ranking's update time, so of two
 * deliveries racing only the first records it and the other adopts it; the claim names the ranking
 * whose trigger took it, so a redelivery of that trigger (after a crash) finalises, and any other
 * stops. If the claimant dies for good, the deadline task or the sweep finalises.
 */
export async function handleRankingCreated(
  docId: string,
  now: Date,
  delivered?: DeliveredRanking,
): Promise<RankingOutcome> {
  await cryptoReady();
  const ref = rankingsCol().doc(docId);
  // The request id comes from the document id ("{request_id}_{hotkey}"), which verification checks
  // against the content, so the request is read beside the ranking (when it has to be read).
  const hotkey = docId.slice(docId.indexOf("_") + 1);
  const namedId = docId.slice(0, Math.max(0, docId.indexOf("_")));
  const readRequest = (id: string) => (isDocId(id) ? requestsCol().doc(id).get() : null);
  const [snap, namedRequest] = await Promise.all([
    delivered ?? ref.get().then((d) => ({ data: d.data(), updateTime: d.updateTime! })),
    readRequest(namedId),
  ]);
  const data = snap.data;
  if (!data) return { verification: "missing", reason: null };
  const requestId = typeof data.request_id === "string" ? data.request_id : "";
  const requestSnap = requestId === namedId ? namedRequest : await readRequest(requestId);
  const request = requestSnap?.data();

  let verification = data.verification;
  // Whether this delivery wrote the verdict: then it is the ranking's first, and cannot hold a claim.
  let judgedHere = false;
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
    const checked = withExpectedUid(
      verifyRankingInRequest(docId, data, state, submittedAtMs),
      request?.expected_uids,
    );
    verification = {
      status: checked.ok ? "accepted" : "rejected",
      reason: checked.ok ? null : checked.reason,
      verified_at: Timestamp.fromDate(now),
    };
    // A straggler after the result was written (early close, or the deadline): had the request
    // still been open, would it have counted? Then it is recorded as late, and never counted.
    if (!checked.ok && checked.reason === "request_closed" && state?.status === "completed") {
      const asOpen = verifyRankingInRequest(
        docId,
        data,
        { ...state, status: "processing" },
        submittedAtMs,
      );
      if (asOpen.ok) verification = { ...verification, status: "late", reason: "after_result" };
    }
    try {
      // Informational trust (as recorded at the request's creation): consensus reads the
      // registry's when it finalises.
      await ref.update(
        {
          verification,
          validator_trust: checked.ok ? (request?.expected_trust?.[hotkey] ?? null) : null,
        },
        { lastUpdateTime: snap.updateTime },
      );
      judgedHere = true;
    } catch (err) {
      if (isNotFound(err)) return { verification: "missing", reason: null };
      if (!isPreconditionFailure(err)) throw err;
      // Another delivery recorded its verdict first (that one stands), or the document is gone or
      // is not the one the event saw (a late event after a delete): go by what is stored now.
      const stored = await ref.get();
      if (!stored.exists) return { verification: "missing", reason: null };
      verification = stored.data()?.verification;
      if (!verification) return handleRankingCreated(docId, now);
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
  // Counted after this trigger's own verdict is written: the trigger whose verdict lands last
  // sees them all (reads after a write see it).
  const accepted = (await acceptedRankingsQuery(requestId).count().get()).data().count;
  log.info("ranking_accepted", {
    request_id: requestId,
    validator_hotkey: hotkey,
    rankings: accepted,
    expected: request.expected_count,
  });
  if (accepted >= request.expected_count) {
    const claim = await claimFinalization(requestId, docId, now, !judgedHere);
    if (claim === "claimed_by_other") return { verification: "accepted", reason: null, claim };
    const finalize = await finalizeRequest(requestId, now, "quorum");
    return { verification: "accepted", reason: null, claim, finalize };
  }
  const earlyClose = await maybeStartEarlyClose(request, now);
  return { verification: "accepted", reason: null, earlyClose };
}

/**
 * The signed uid against the one the registry gave the validator when the request was created
 * (the rules checked it against the registry when it was written; finalisation re-reads it).
 */
function withExpectedUid(
  verdict: Verdict<RankingContent>,
  expectedUids: Record<string, number> | undefined,
): Verdict<RankingContent> {
  if (!verdict.ok || !expectedUids) return verdict;
  const uid = expectedUids[verdict.content.validator_hotkey];
  return uid === undefined || uid === verdict.content.validator_uid
    ? verdict
    : { ok: false, reason: "uid_mismatch" };
}

/**
 * Creates the request's claim, naming this ranking. Create-only, so of the triggers that saw the
 * quorum complete exactly one succeeds; a later delivery of that same trigger finds its own claim
 * (a delivery that wrote the verdict itself is the ranking's first, so it need not look).
 */
async function claimFinalization(
  requestId: string,
  rankingId: string,
  now: Date,
  mayHoldIt: boolean,
): Promise<"claimed" | "claimed_by_other"> {
  const ref = claimsCol().doc(requestId);
  try {
    await ref.create({ ranking_id: rankingId, claimed_at: Timestamp.fromDate(now) });
    return "claimed";
  } catch (err) {
    if ((err as { code?: unknown })?.code !== GrpcStatus.ALREADY_EXISTS) throw err;
    // Only a redelivery (the verdict was already written) can be the claim's holder: the others
    // stop without reading it.
    if (!mayHoldIt) return "claimed_by_other";
    const holder = (await ref.get()).data()?.ranking_id;
    return holder === rankingId ? "claimed" : "claimed_by_other";
  }
}

/** Firestore document ids cannot contain '/' and must be non-empty. */
function isDocId(id: string): boolean {
  return id.length > 0 && id.length <= 1500 && !id.includes("/");
}
