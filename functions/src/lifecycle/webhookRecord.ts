// The webhook record written beside a request that has a callback_url (same batch as the request).
import type { ApiRequestDoc, WebhookDoc } from "../db";

export function newWebhookDoc(
  request: ApiRequestDoc,
  callbackUrl: string,
  keyHash: string,
): WebhookDoc {
  return {
    request_id: request.request_id,
    client_id: request.client_id,
    callback_url: callbackUrl,
    key_hash: keyHash,
    created_at: request.created_at,
    attempts: 0,
    outcome: "pending",
    last_status: null,
    last_error: null,
    delivered_at: null,
  };
}
