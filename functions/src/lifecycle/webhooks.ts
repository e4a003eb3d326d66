// Handing a final request's webhook to the deliverWebhook task queue: right after the finalising
// commit, and from the minute sweep for any request left `due` (an enqueue that failed, or a
// process that died between the commit and the enqueue). The task id is derived from the request
// id, so the two paths racing, or a retried enqueue, schedule one delivery.
import { Timestamp } from "firebase-admin/firestore";
import { getFunctions } from "firebase-admin/functions";
import { z } from "zod";
import { RequestIdSchema } from "consensus-core";
import { readRegion } from "../config";
import { requestsCol } from "../db";
import { logs } from "../logs";

/** The task-queue function's name, as exported from index.ts. */
export const DELIVER_WEBHOOK_FUNCTION = "deliverWebhook";

export const WebhookTaskSchema = z.object({ request_id: RequestIdSchema }).strict();
export type WebhookTask = z.infer<typeof WebhookTaskSchema>;

const taskId = (requestId: string) => `${requestId}-webhook`;

/**
 * Enqueues the delivery and records it on the request (`webhook.state` = enqueued). False, and
 * the request stays `due` for the sweep, when the queue cannot be reached. Never throws.
 */
export async function enqueueWebhook(requestId: string, now: Date): Promise<boolean> {
  try {
    await getFunctions()
      .taskQueue(`locations/${readRegion()}/functions/${DELIVER_WEBHOOK_FUNCTION}`)
      .enqueue({ request_id: requestId } satisfies WebhookTask, { id: taskId(requestId) });
  } catch (err) {
    if ((err as { code?: string }).code !== "functions/task-already-exists") {
      logs.webhookEnqueueFailed({
        request_id: requestId,
        error: (err as Error).message,
      });
      return false;
    }
  }
  try {
    await requestsCol()
      .doc(requestId)
      .update({ "webhook.state": "enqueued", "webhook.enqueued_at": Timestamp.fromDate(now) });
  } catch (err) {
    // The task exists; a request left `due` is only enqueued again (a no-op) by the sweep.
    logs.webhookMarkFailed({ request_id: requestId, error: (err as Error).message });
  }
  return true;
}

const BATCH = 200;

/** The sweep's part: enqueue every final request whose webhook is still due. */
export async function enqueueDueWebhooks(now: Date): Promise<{ due: number; enqueued: number }> {
  const due = await requestsCol().where("webhook.state", "==", "due").limit(BATCH).get();
  let enqueued = 0;
  for (const doc of due.docs) if (await enqueueWebhook(doc.id, now)) enqueued++;
  if (due.size > 0) logs.webhookSweep({ due: due.size, enqueued });
  return { due: due.size, enqueued };
}
