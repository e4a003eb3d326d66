// What a close task does when it is delivered. Tasks are at-least-once and may arrive early (the
// Cloud Tasks emulator dispatches every task at once, whatever its schedule time), so the handler
// re-reads the request, never closes it before its time, and is idempotent.
import { describeIssues, OPEN_STATUSES } from "consensus-core";
import { requestsCol, type ApiRequestDoc } from "../db";
import { logs } from "../logs";
import { closeIfDue, closableAtMs } from "./close";
import type { FinalizeOutcome } from "./finalize";
import { CloseTaskSchema, type CloseTask } from "./tasks";

/** A task that came too early: the trigger answers 503 so Cloud Tasks delivers it again later. */
export class NotDueError extends Error {
  constructor(readonly dueInMs: number) {
    super(`not due for another ${dueInMs} ms`);
    this.name = "NotDueError";
  }
}

export class BadTaskError extends Error {}

/**
 * An early task closer to its time than this waits in the handler instead of asking to be retried,
 * so the round closes on time rather than at the next retry (the queue's backoff is below this).
 */
export const WAIT_IN_HANDLER_MS = 4_000;

export type CloseTaskOutcome =
  FinalizeOutcome | { kind: "nothing_to_do"; status?: string | undefined };

/** The time the task stands for, read from the request (a task never carries a time of its own). */
export function dueAtMs(request: ApiRequestDoc, at: CloseTask["at"]): number {
  if (at === "timeout") return request.timeout.toMillis();
  if (at === "close") return closableAtMs(request);
  return request.validator_deadline.toMillis();
}

export async function handleCloseTask(
  data: unknown,
  now: () => Date = () => new Date(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<CloseTaskOutcome> {
  const parsed = CloseTaskSchema.safeParse(data);
  if (!parsed.success) {
    const first = describeIssues(parsed.error)[0];
    // Retrying a malformed task cannot help: the trigger logs it and acknowledges it.
    throw new BadTaskError(`${first.field}: ${first.message}`);
  }
  const task = parsed.data;
  const request = (await requestsCol().doc(task.request_id).get()).data();
  if (!request || !OPEN_STATUSES.includes(request.status)) {
    return { kind: "nothing_to_do", status: request?.status };
  }
  const waitMs = dueAtMs(request, task.at) - now().getTime();
  if (waitMs > WAIT_IN_HANDLER_MS) throw new NotDueError(waitMs);
  if (waitMs > 0) await sleep(waitMs);
  const outcome = await closeIfDue(task.request_id, now(), "task");
  if (outcome.kind === "not_ready") {
    // Past the deadline with too few rankings: the timeout task (or the sweep) fails it later.
    logs.taskNotReady({
      request_id: task.request_id,
      at: task.at,
      accepted: outcome.accepted,
    });
  }
  return outcome;
}
