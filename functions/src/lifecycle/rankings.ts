// What happens when a validator's ranking lands, in two steps: `recordRankingVerdict` verifies it
// and records the verdict (nothing more), then, for an accepted ranking of an open request,
// `onRankingAccepted` finalises when every expected validator has answered, or starts an early
// close once enough trust has. The deadline path never comes through here (see close.ts).
import { GrpcStatus, Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES } from "consensus-core";
import { acceptedRankingsQuery, claimsCol, type ApiRequestDoc, type Verification } from "../db";
import { logs } from "../logs";
import { maybeStartEarlyClose, type EarlyCloseOutcome } from "./earlyClose";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { recordRankingVerdict, type DeliveredRanking } from "./rankingVerdict";

export type { DeliveredRanking } from "./rankingVerdict";

export interface RankingOutcome {
  verification: Verification["status"] | "missing";
  reason: string | null;
  /** Whether this trigger completed the quorum and took the claim to finalise. */
  claim?: "claimed" | "claimed_by_other";
  finalize?: FinalizeOutcome;
  earlyClose?: EarlyCloseOutcome;
}

/**
 * The ranking trigger's handler: record the verdict, then act on an accepted one. Cost per
 * arrival: the request (1 read), one write of the verdict, one count aggregation of the accepted
 * rankings (1 read); the registry is left to the finaliser.
 */
export async function handleRankingCreated(
  docId: string,
  now: Date,
  delivered?: DeliveredRanking,
): Promise<RankingOutcome> {
  const r = await recordRankingVerdict(docId, now, delivered);
  if (r.kind === "missing") return { verification: "missing", reason: null };
  const { status, reason } = r.verification;
  if (status !== "accepted") return { verification: status, reason };
  const request = r.request;
  if (!request || !OPEN_STATUSES.includes(request.status)) {
    return { verification: "accepted", reason: null };
  }
  return {
    verification: "accepted",
    reason: null,
    ...(await onRankingAccepted({ ...r, request }, now)),
  };
}

/**
 * An accepted ranking arrived for an open request: quorum or early close. Only the trigger whose
 * count reaches the expected number goes on, and of those (several can, when verdicts land
 * together) only the one that creates the request's claim document attempts the finalisation: one
 * attempt per request, nothing locked by the others. The claim names the ranking whose trigger
 * took it, so a redelivery of that trigger (after a crash) finalises, and any other stops. If the
 * claimant dies for good, the deadline task or the sweep finalises.
 */
export async function onRankingAccepted(
  r: {
    docId: string;
    requestId: string;
    hotkey: string;
    request: ApiRequestDoc;
    judgedHere: boolean;
  },
  now: Date,
): Promise<Pick<RankingOutcome, "claim" | "finalize" | "earlyClose">> {
  // Counted after this trigger's own verdict is written: the trigger whose verdict lands last
  // sees them all (reads after a write see it).
  const accepted = (await acceptedRankingsQuery(r.requestId).count().get()).data().count;
  logs.rankingAccepted({
    request_id: r.requestId,
    validator_hotkey: r.hotkey,
    rankings: accepted,
    expected: r.request.expected_count,
  });
  if (accepted >= r.request.expected_count) {
    const claim = await claimFinalization(r.requestId, r.docId, now, !r.judgedHere);
    if (claim === "claimed_by_other") return { claim };
    return { claim, finalize: await finalizeRequest(r.requestId, now, "quorum") };
  }
  return { earlyClose: await maybeStartEarlyClose(r.request, accepted, now) };
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
