// Receiving webhooks: check a delivery's signature with the secret `create-api-key` printed, and
// read its body as the status view GET /leads/status/{id} answers. The scheme lives in the core
// (webhooks.ts), the same code the backend signs with.
import {
  RequestStatusViewSchema,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  verifyWebhookSignature,
  type RequestStatusView,
  type WebhookVerification,
} from "consensus-core";

export {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
} from "consensus-core";

export class WebhookVerificationError extends Error {
  constructor(
    readonly reason:
      Extract<WebhookVerification, { ok: false }>["reason"] | "missing_delivery_id" | "bad_body",
  ) {
    super(`webhook refused: ${reason}`);
    this.name = "WebhookVerificationError";
  }
}

/** Node's `req.headers`, a fetch `Headers`, or a plain object with any casing. */
export type WebhookHeaders =
  { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export interface VerifiedWebhook {
  /** Webhook-Id: the same on every retry of a delivery; dedupe on it. */
  deliveryId: string;
  /** The signed timestamp (unix seconds). */
  timestamp: number;
  /** The request's final status, as GET /leads/status/{id} answers it. */
  payload: RequestStatusView;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v.join(",") : v;
  }
  return undefined;
}

/**
 * Verifies a webhook delivery and returns its delivery id and parsed body; throws
 * WebhookVerificationError otherwise. `body` must be the raw body as received (a string or the
 * bytes), not JSON parsed and re-serialised. `toleranceSeconds` (default 300) bounds how old or
 * early the signed timestamp may be, which refuses a replayed delivery.
 */
export function verifyWebhook(input: {
  body: string | Uint8Array;
  headers: WebhookHeaders;
  secret: string;
  toleranceSeconds?: number | undefined;
  /** Tests only: the receiver's clock in unix seconds. */
  nowSeconds?: number | undefined;
}): VerifiedWebhook {
  const body =
    typeof input.body === "string" ? input.body : Buffer.from(input.body).toString("utf8");
  const checked = verifyWebhookSignature({
    body,
    header: header(input.headers, WEBHOOK_SIGNATURE_HEADER),
    secret: input.secret,
    toleranceSeconds: input.toleranceSeconds,
    nowSeconds: input.nowSeconds,
  });
  if (!checked.ok) throw new WebhookVerificationError(checked.reason);
  const deliveryId = header(input.headers, WEBHOOK_ID_HEADER);
  if (!deliveryId) throw new WebhookVerificationError("missing_delivery_id");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new WebhookVerificationError("bad_body");
  }
  const payload = RequestStatusViewSchema.safeParse(json);
  if (!payload.success) throw new WebhookVerificationError("bad_body");
  return { deliveryId, timestamp: checked.timestamp, payload: payload.data };
}
