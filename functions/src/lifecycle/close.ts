// Closing a request whose time has come: the one routine behind the deadline/timeout tasks, the
// sweep and the status endpoint, so all of them close a request the same way (and only once: the
// finalising transaction re-checks that it is still open).
import { OPEN_STATUSES } from "consensus-core";
import type { ApiRequestDoc, ClosedBy } from "../db";
import { log } from "../log";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { verifyPendingRankings } from "./rankings";

/** When the request may first be closed by time: its early-close time or its validator deadline. */
export function closableAtMs(
  request: Pick<ApiRequestDoc, "validator_deadline" | "close_at">,
): number {
  const deadline = request.validator_deadline.toMillis();
  return request.close_at ? Math.min(deadline, request.close_at.toMillis()) : deadline;
}

/** Open, and past the time at which a task or the sweep would try to close it. */
export function isOverdue(
  request: Pick<ApiRequestDoc, "status" | "validator_deadline" | "close_at">,
  now: Date,
): boolean {
  return OPEN_STATUSES.includes(request.status) && now.getTime() >= closableAtMs(request);
}

/**
 * Verifies any ranking whose trigger has not run yet (so it counts), then finalises the request
 * with the rankings it has, or fails it at its timeout. Idempotent; never closes a request early
 * (the finalising transaction re-checks the times against `now`).
 */
export async function closeIfDue(
  requestId: string,
  now: Date,
  closedBy: ClosedBy,
): Promise<FinalizeOutcome> {
  const recovered = await verifyPendingRankings(requestId, now);
  if (recovered > 0) {
    log.warn("verified_pending_rankings", {
      request_id: requestId,
      rankings: recovered,
      closed_by: closedBy,
    });
  }
  return finalizeRequest(requestId, now, "deadline", closedBy);
}
