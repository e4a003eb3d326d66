// The per-request Cloud Tasks: one at the validator deadline, one at the timeout, and one at the
// early-close time once a round reaches its share of trust. Each is delivered to the task-queue
// function `closeRequest` (triggers/tasks.ts), which closes the request if it is due.
import { getFunctions } from "firebase-admin/functions";
import { z } from "zod";
import { readRegion } from "../config";
import { RequestIdSchema } from "consensus-core";
import { logs } from "../logs";

/** The task-queue function's name, as exported from index.ts. */
export const CLOSE_REQUEST_FUNCTION = "closeRequest";

export const CloseTaskSchema = z
  .object({
    request_id: RequestIdSchema,
    /** Which time the task stands for; the handler re-reads that time from the request. */
    at: z.enum(["deadline", "timeout", "close"]),
  })
  .strict();
export type CloseTask = z.infer<typeof CloseTaskSchema>;

function queue() {
  // The task-queue function deploys to the REGION param like every other function.
  return getFunctions().taskQueue(`locations/${readRegion()}/functions/${CLOSE_REQUEST_FUNCTION}`);
}

/**
 * Enqueues one close task for `at`, named after the request so a retried enqueue (or a duplicate
 * POST) never schedules it twice. Never throws: a task that cannot be scheduled is logged, and the
 * minute sweep and the status endpoint still close the request.
 */
export async function scheduleCloseTask(task: CloseTask, when: Date): Promise<boolean> {
  try {
    await queue().enqueue(task, { scheduleTime: when, id: `${task.request_id}-${task.at}` });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "functions/task-already-exists") return true;
    logs.taskEnqueueFailed({
      request_id: task.request_id,
      at: task.at,
      error: (err as Error).message,
    });
    return false;
  }
}

/** The two tasks every request gets when it is created. */
export async function scheduleRequestTasks(doc: {
  request_id: string;
  validator_deadline: FirebaseFirestore.Timestamp;
  timeout: FirebaseFirestore.Timestamp;
}): Promise<boolean> {
  const [deadline, timeout] = await Promise.all([
    scheduleCloseTask(
      { request_id: doc.request_id, at: "deadline" },
      doc.validator_deadline.toDate(),
    ),
    scheduleCloseTask({ request_id: doc.request_id, at: "timeout" }, doc.timeout.toDate()),
  ]);
  return deadline && timeout;
}
