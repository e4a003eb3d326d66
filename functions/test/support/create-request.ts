// Tests create requests the way POST /leads does (`createLeadRequestOnce`: the request, its
// rate-limit slot and, with a callback, its webhook record in one batch), without an HTTP round
// trip or an API key document. A limit no test reaches keeps the rate limit out of their way.
import type { CreateLeadsRequest } from "consensus-core";
import type { LifecycleConfig } from "../../src/config";
import type { ApiRequestDoc } from "../../src/db";
import { createLeadRequestOnce } from "../../src/http/leadCreation";

export async function createLeadRequest(
  clientId: string,
  body: CreateLeadsRequest,
  now: Date,
  lifecycle: LifecycleConfig,
  /** The key whose webhook secret signs the callback (default: a key named after the client). */
  keyHash = `test-key-${clientId}`,
): Promise<ApiRequestDoc> {
  const outcome = await createLeadRequestOnce({
    client: { clientId, keyHash },
    body,
    rawBody: body,
    idempotencyKey: null,
    now,
    lifecycle,
    perMinute: Number.MAX_SAFE_INTEGER,
    answer: (doc) => ({ request_id: doc.request_id }),
  });
  if (outcome.kind !== "created") throw new Error(`request not created: ${outcome.kind}`);
  return outcome.doc;
}
