// Early close (Chainlink OCR's 2f+1 plus DeltaGrace): once validators holding the configured share
// of the expected trust have ranked, the round closes after a short grace instead of waiting for
// the slowest validator until the deadline. With the default share of 1 nothing closes early.
import { Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES } from "consensus-core";
import { acceptedRankingsQuery, requestsCol, type ApiRequestDoc } from "../db";
import { logs } from "../logs";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { scheduleCloseTask } from "./tasks";

/**
 * Share of the expected validators' trust (recorded at creation) held by those that answered.
 * When every expected trust is 0 (common on testnets) each validator weighs the same.
 */
export function answeredTrustShare(
  expectedTrust: Record<string, number>,
  answered: readonly string[],
): number {
  const expected = Object.keys(expectedTrust);
  if (expected.length === 0) return 0;
  const done = new Set(answered.filter((h) => h in expectedTrust));
  const total = expected.reduce((sum, h) => sum + expectedTrust[h], 0);
  if (total <= 0) return done.size / expected.length;
  return [...done].reduce((sum, h) => sum + expectedTrust[h], 0) / total;
}

/**
 * The most trust `answered` validators can hold (the largest expected trusts): exact when every
 * expected validator weighs the same, so the count alone decides and no ranking is read.
 */
export function mostTrustShare(expectedTrust: Record<string, number>, answered: number): number {
  const trusts = Object.values(expectedTrust).sort((a, b) => b - a);
  if (trusts.length === 0) return 0;
  const total = trusts.reduce((sum, t) => sum + t, 0);
  if (total <= 0) return Math.min(answered, trusts.length) / trusts.length;
  return trusts.slice(0, answered).reduce((sum, t) => sum + t, 0) / total;
}

/** Every expected validator weighs the same (all trust 0 counts as equal). */
function equalWeights(expectedTrust: Record<string, number>): boolean {
  const trusts = Object.values(expectedTrust);
  return trusts.every((t) => t === trusts[0]) || trusts.every((t) => t <= 0);
}

/** True when the answered share reaches `share` (with a float tolerance, so 2 of 3 meets "2/3"). */
export function reachesShare(answeredShare: number, share: number): boolean {
  return answeredShare + 1e-9 >= share;
}

export type EarlyCloseOutcome =
  | { kind: "off" | "below_share" | "already_set" }
  | { kind: "scheduled"; closeAt: Date }
  | { kind: "closed"; finalize: FinalizeOutcome };

/**
 * Called after a ranking is accepted while some expected validators have not answered, with the
 * count of accepted rankings the trigger just read. Sets the request's close_at (once, in a
 * transaction) when the share is reached, and schedules its task (or, with no grace, finalises at
 * once). Reads no ranking unless the count could reach the share and the trusts differ, and then
 * only the accepted rankings' hotkeys.
 */
export async function maybeStartEarlyClose(
  request: ApiRequestDoc,
  accepted: number,
  now: Date,
): Promise<EarlyCloseOutcome> {
  const share = request.early_close?.share ?? 1;
  const expectedTrust = request.expected_trust;
  if (share >= 1 || !expectedTrust) return { kind: "off" };
  if (request.close_at) return { kind: "already_set" };
  const requestId = request.request_id;
  if (!reachesShare(mostTrustShare(expectedTrust, accepted), share)) {
    return { kind: "below_share" };
  }
  if (!equalWeights(expectedTrust)) {
    const answered = (
      await acceptedRankingsQuery(requestId).select("validator_hotkey").get()
    ).docs.map((d) => d.get("validator_hotkey") as string);
    if (!reachesShare(answeredTrustShare(expectedTrust, answered), share)) {
      return { kind: "below_share" };
    }
  }
  const ref = requestsCol().doc(requestId);
  const closeAt = await ref.firestore.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (!current || !OPEN_STATUSES.includes(current.status) || current.close_at) return null;
    const at = Math.min(
      now.getTime() + (current.early_close?.grace_ms ?? 0),
      current.validator_deadline.toMillis(),
    );
    tx.update(ref, { close_at: Timestamp.fromMillis(at) });
    return new Date(at);
  });
  if (!closeAt) return { kind: "already_set" };
  logs.earlyCloseScheduled({
    request_id: requestId,
    answered: accepted,
    expected: request.expected_count,
    close_at: closeAt.toISOString(),
  });
  if (closeAt.getTime() <= now.getTime()) {
    return {
      kind: "closed",
      finalize: await finalizeRequest(requestId, now, "deadline", "ranking"),
    };
  }
  await scheduleCloseTask({ request_id: requestId, at: "close" }, closeAt);
  return { kind: "scheduled", closeAt };
}
