// Closing a request whose time has come: the one routine behind the deadline/timeout tasks, the
// sweep and the status endpoint, so all of them close a request the same way (and only once: the
// finalising transaction re-checks that it is still open).
import { OPEN_STATUSES } from "consensus-core";
import type { ApiRequestDoc, ClosedBy } from "../db";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";

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
 * The deadline path, in one straight line: `finalizeRequest(…, "deadline")` reads the request, its
 * rankings and submissions and the registry; judges every ranking no trigger has judged yet with
 * the trigger's own `judgeRanking` (recording verdicts only, in the same commit); plans the
 * result (or the failure at the timeout); and commits it once, in a transaction that re-checks
 * the request is still open. No ranking trigger runs and nothing finalises from inside another
 * step. Idempotent; never closes a request early (the plan re-checks the times against `now`).
 */
export const closeIfDue = (
  requestId: string,
  now: Date,
  closedBy: ClosedBy,
): Promise<FinalizeOutcome> => finalizeRequest(requestId, now, "deadline", closedBy);
