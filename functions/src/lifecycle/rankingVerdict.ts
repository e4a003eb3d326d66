// The first half of a ranking's arrival: verify it once and record the verdict on the ranking (and
// what the verdict implies for the request: pending → processing, a late validator). Nothing here
// finalises; `rankings.ts` decides what an accepted ranking leads to.
import { FieldValue, Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import {
  cryptoReady,
  verifyRankingInRequest,
  type RankingContent,
  type RequestState,
  type Verdict,
} from "consensus-core";
import {
  rankingsCol,
  requestsCol,
  type ApiRequestDoc,
  type RankingDoc,
  type Verification,
} from "../db";
import { logs } from "../logs";
import { isNotFound, isPreconditionFailure } from "./retry";

/** The ranking as the event delivered it, so the handler need not read it again. */
export interface DeliveredRanking {
  data: RankingDoc | undefined;
  updateTime: Timestamp;
}

export type RecordedRanking =
  | { kind: "missing" }
  | {
      kind: "recorded";
      docId: string;
      requestId: string;
      hotkey: string;
      verification: Verification;
      /** The request as read before the verdict was written (undefined: no such request). */
      request: ApiRequestDoc | undefined;
      /** This delivery wrote the verdict: it is the ranking's first, so it cannot hold a claim. */
      judgedHere: boolean;
    };

/**
 * Verifies the ranking (unless a verdict is already stored) and records the verdict. Cost: the
 * request (1 read; the ranking comes with the event), one write of the verdict.
 *
 * Idempotent: the verdict is written with a precondition on the ranking's update time, so of two
 * deliveries racing only the first records it and the other adopts it.
 */
export async function recordRankingVerdict(
  docId: string,
  now: Date,
  delivered?: DeliveredRanking,
): Promise<RecordedRanking> {
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
  if (!data) return { kind: "missing" };
  const requestId = typeof data.request_id === "string" ? data.request_id : "";
  const requestSnap = requestId === namedId ? namedRequest : await readRequest(requestId);
  const request = requestSnap?.data();
  const recorded = (verification: Verification, judgedHere: boolean): RecordedRanking => ({
    kind: "recorded",
    docId,
    requestId,
    hotkey,
    verification,
    request,
    judgedHere,
  });

  let verification = data.verification;
  if (verification) return afterVerdict(recorded(verification, false), requestSnap);
  verification = judgeRanking(docId, data, request, now);
  try {
    // Informational trust (as recorded at the request's creation): consensus reads the
    // registry's when it finalises.
    await ref.update(
      {
        verification,
        validator_trust:
          verification.status === "accepted" ? (request?.expected_trust?.[hotkey] ?? null) : null,
      },
      { lastUpdateTime: snap.updateTime },
    );
  } catch (err) {
    if (isNotFound(err)) return { kind: "missing" };
    if (!isPreconditionFailure(err)) throw err;
    // Another delivery recorded its verdict first (that one stands), or the document is gone or
    // is not the one the event saw (a late event after a delete): go by what is stored now.
    const stored = await ref.get();
    if (!stored.exists) return { kind: "missing" };
    const theirs = stored.data()?.verification;
    if (!theirs) return recordRankingVerdict(docId, now);
    return afterVerdict(recorded(theirs, false), requestSnap);
  }
  if (verification.status === "accepted" && request?.status === "pending") {
    // Only if nothing touched the request since we read it (another ranking, or finalisation).
    await requestSnap!.ref
      .update({ status: "processing" }, { lastUpdateTime: requestSnap!.updateTime! })
      .catch((err) => {
        if (!isPreconditionFailure(err)) throw err;
      });
  }
  return afterVerdict(recorded(verification, true), requestSnap);
}

/** A late validator is recorded on the request; a late or rejected ranking is logged. */
async function afterVerdict(
  r: RecordedRanking,
  requestSnap: DocumentSnapshot<ApiRequestDoc> | null,
): Promise<RecordedRanking> {
  if (r.kind !== "recorded") return r;
  const base = { request_id: r.requestId, validator_hotkey: r.hotkey };
  if (r.verification.status === "late") {
    // arrayUnion: a redelivered event records the validator once.
    await requestSnap!.ref.update({ late_validators: FieldValue.arrayUnion(r.hotkey) });
    logs.rankingLate(base);
  } else if (r.verification.status === "rejected") {
    logs.rankingRejected({ ...base, reason: r.verification.reason });
  }
  return r;
}

/**
 * The verdict on a ranking as its request sees it (the rules checked the registry when it was
 * written; finalisation re-checks the voters against it). A straggler after the result was
 * written that would have counted had the request still been open is "late", never counted.
 */
export function judgeRanking(
  docId: string,
  data: RankingDoc,
  request: ApiRequestDoc | undefined,
  now: Date,
): Verification {
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
  const verifiedAt = Timestamp.fromDate(now);
  if (checked.ok) return { status: "accepted", reason: null, verified_at: verifiedAt };
  if (checked.reason === "request_closed" && state?.status === "completed") {
    const asOpen = verifyRankingInRequest(
      docId,
      data,
      { ...state, status: "processing" },
      submittedAtMs,
    );
    if (asOpen.ok) return { status: "late", reason: "after_result", verified_at: verifiedAt };
  }
  return { status: "rejected", reason: checked.reason, verified_at: verifiedAt };
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

/** Firestore document ids cannot contain '/' and must be non-empty. */
function isDocId(id: string): boolean {
  return id.length > 0 && id.length <= 1500 && !id.includes("/");
}
