// What a deliverWebhook task does: POST the request's final status view (the very body
// GET /leads/status/{id} answers) to its callback_url, signed with the key's webhook secret.
// At least once: a non-2xx answer or a network error throws, and Cloud Tasks retries with the
// same delivery id; a fresh timestamp and signature per attempt keep retries inside the
// receiver's tolerance window.
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import {
  OPEN_STATUSES,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  callbackUrlProblem,
  describeIssues,
  webhookDeliveryId,
  webhookSignatureHeader,
  type CallbackPolicy,
} from "consensus-core";
import { apiKeysCol, webhooksCol, type WebhookDoc } from "../db";
import { logs } from "../logs";
import { getRequestStatus } from "./requests";
import { RefusedAddressError, postWebhook } from "./webhookPost";
import { WebhookTaskSchema } from "./webhooks";

/** Non-2xx or unreachable: the trigger rethrows it so Cloud Tasks delivers again. */
export class DeliveryFailedError extends Error {}

export type DeliveryOutcome =
  "delivered" | "already_delivered" | "refused" | "no_secret" | "nothing_to_do";

/** Loopback http is allowed only inside the emulator, where the test receivers live. */
export const webhookPolicy = (env: NodeJS.ProcessEnv = process.env): CallbackPolicy => ({
  allowLoopbackHttp: env.FUNCTIONS_EMULATOR === "true",
});

export async function handleWebhookTask(
  data: unknown,
  now: () => Date = () => new Date(),
  policy: CallbackPolicy = webhookPolicy(),
): Promise<DeliveryOutcome> {
  const task = WebhookTaskSchema.safeParse(data);
  if (!task.success) {
    logs.webhookTaskMalformed({ issues: describeIssues(task.error) });
    return "nothing_to_do";
  }
  const requestId = task.data.request_id;
  const ref = webhooksCol().doc(requestId);
  const hook = (await ref.get()).data();
  if (!hook) {
    logs.webhookMissing({ request_id: requestId });
    return "nothing_to_do";
  }
  if (hook.outcome === "delivered") return "already_delivered";
  const record = (fields: Partial<WebhookDoc>) =>
    ref.update({ ...fields, attempts: FieldValue.increment(1) });

  const key = (await apiKeysCol().doc(hook.key_hash).get()).data();
  if (!key || key.disabled || typeof key.webhook_secret !== "string") {
    await record({ outcome: "no_secret", last_error: "API key missing, disabled or secretless" });
    logs.webhookNoSecret({ request_id: requestId });
    return "no_secret";
  }
  const problem = callbackUrlProblem(hook.callback_url, policy);
  if (problem) return refuse(requestId, problem, record);

  const view = await getRequestStatus(hook.client_id, requestId, now());
  if (!view || OPEN_STATUSES.includes(view.status)) {
    // Enqueued only once final; anything else is a bug worth a retry rather than a lost delivery.
    throw new DeliveryFailedError(`request ${requestId} is not final`);
  }
  const body = JSON.stringify(view);
  const timestamp = Math.floor(now().getTime() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "validator-consensus-webhooks/1",
    [WEBHOOK_ID_HEADER]: webhookDeliveryId(requestId),
    [WEBHOOK_SIGNATURE_HEADER]: webhookSignatureHeader(key.webhook_secret, timestamp, body),
  };
  let status: number;
  try {
    status = await postWebhook(hook.callback_url, body, headers, policy);
  } catch (err) {
    if (err instanceof RefusedAddressError) return refuse(requestId, err.message, record);
    const message = (err as Error).message;
    await record({ last_status: null, last_error: message.slice(0, 300) });
    logs.webhookUnreachable({ request_id: requestId, error: message });
    throw new DeliveryFailedError(`receiver unreachable: ${message}`);
  }
  if (status < 200 || status > 299) {
    await record({ last_status: status, last_error: `answered ${status}` });
    logs.webhookRejected({ request_id: requestId, status });
    throw new DeliveryFailedError(`receiver answered ${status}`);
  }
  await record({
    outcome: "delivered",
    last_status: status,
    last_error: null,
    delivered_at: Timestamp.fromDate(now()),
  });
  logs.webhookDelivered({ request_id: requestId, status, request_status: view.status });
  return "delivered";
}

async function refuse(
  requestId: string,
  why: string,
  record: (fields: Partial<WebhookDoc>) => Promise<unknown>,
): Promise<DeliveryOutcome> {
  await record({ outcome: "refused", last_error: why });
  logs.webhookRefused({ request_id: requestId, reason: why });
  return "refused";
}
