// Webhooks: the callback URL a client may give at POST /leads, and the signature the backend puts
// on every delivery. One definition for both sides: the backend signs with these functions and the
// SDK's verifyWebhook checks with them, so the scheme cannot drift between the two.
//
// Scheme (Stripe's): `Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the HMAC key
// is the webhook secret (its UTF-8 bytes, `whsec_` prefix included) and the message is
// `${t}.${raw body}`. `Webhook-Id` is the delivery id: the same on every retry of one delivery.
import { createHmac, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { z } from "zod";

export const WEBHOOK_SIGNATURE_HEADER = "Webhook-Signature";
export const WEBHOOK_ID_HEADER = "Webhook-Id";
/** How far a delivery's timestamp may be from the receiver's clock, by default (Stripe's). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
export const WEBHOOK_SECRET_PREFIX = "whsec_";
export const CALLBACK_URL_MAX = 2048;

/** The one delivery a request gets (when it becomes final): retries carry the same id. */
export const webhookDeliveryId = (requestId: string): string => `whd_${requestId}`;

/** `callback_url` as the schema accepts it; callbackUrlProblem adds the address rules. */
export const CallbackUrlSchema = z
  .string()
  .max(CALLBACK_URL_MAX)
  .refine((v) => URL.canParse(v), "must be an absolute URL")
  .refine((v) => !URL.canParse(v) || /^https?:$/.test(new URL(v).protocol), "must be an https URL")
  .refine((v) => {
    if (!URL.canParse(v)) return true;
    const u = new URL(v);
    return u.username === "" && u.password === "";
  }, "must not carry credentials")
  .meta({
    format: "uri",
    description:
      "Where the final status (completed or failed) is POSTed, signed with the API key's webhook " +
      "secret: the body GET /leads/status/{request_id} answers. https to a public host; private, " +
      "loopback and link-local addresses are refused (the emulator allows http to loopback).",
  });

// Addresses a webhook must never reach in production: loopback, RFC 1918, link-local (cloud
// metadata lives there), unique-local and unspecified. IPv4-mapped IPv6 is checked as IPv4.
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["100.64.0.0", 10],
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv4");
}
BLOCKED.addAddress("::", "ipv6");
BLOCKED.addAddress("::1", "ipv6");
BLOCKED.addSubnet("fe80::", 10, "ipv6");
BLOCKED.addSubnet("fc00::", 7, "ipv6");
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** The bare address of a URL host (`[::1]` -> `::1`). */
const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, "$1");

/** True for an address a production delivery must refuse. Not an IP at all: false. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface CallbackPolicy {
  /** The emulator: http to a loopback host (127.0.0.0/8, ::1, localhost) is allowed. */
  allowLoopbackHttp: boolean;
}

/**
 * Why a (schema-valid) callback URL is refused, or null. Only what the URL itself shows: a host
 * name that resolves to a private address is refused at delivery, where it is resolved.
 */
export function callbackUrlProblem(url: string, policy: CallbackPolicy): string | null {
  if (!URL.canParse(url)) return "must be an absolute URL";
  const u = new URL(url);
  const host = bareHost(u.hostname);
  const loopback = isLoopbackAddress(host) || host === "localhost";
  if (policy.allowLoopbackHttp && loopback) return null;
  if (u.protocol !== "https:") return "must be https";
  if (host === "localhost" || host.endsWith(".localhost") || isBlockedAddress(host)) {
    return "must not point at a private, loopback or link-local address";
  }
  return null;
}

/** Whether a resolved address may be connected to under the policy. */
export function deliverableAddress(address: string, policy: CallbackPolicy): boolean {
  if (policy.allowLoopbackHttp && isLoopbackAddress(address)) return true;
  return !isBlockedAddress(address);
}

/** The signed message: the timestamp, a dot, and the raw body exactly as sent. */
export const webhookSignedPayload = (timestamp: number, body: string): string =>
  `${timestamp}.${body}`;

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(webhookSignedPayload(timestamp, body)).digest("hex");
}

/** The `Webhook-Signature` header value for a delivery sent at `timestamp` (unix seconds). */
export function webhookSignatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      reason: "malformed_header" | "timestamp_outside_tolerance" | "signature_mismatch";
    };

/** `t=<unix>,v1=<hex>[,v1=<hex>...]`: one timestamp, any number of v1 signatures. */
function parseSignatureHeader(header: string): { t: number; v1: string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value) || t !== null) return null;
      t = Number(value);
    } else if (key === "v1") {
      if (/^[0-9a-f]{64}$/.test(value)) v1.push(value);
    }
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/**
 * Checks a delivery: the header's timestamp within `toleranceSeconds` of `nowSeconds` (either way,
 * so a replayed old delivery is refused) and a v1 signature equal, in constant time, to the HMAC
 * of `${t}.${body}` under `secret`. `body` must be the raw bytes received, not re-serialised JSON.
 */
export function verifyWebhookSignature(input: {
  body: string;
  header: string | null | undefined;
  secret: string;
  toleranceSeconds?: number | undefined;
  nowSeconds?: number | undefined;
}): WebhookVerification {
  const parsed = input.header ? parseSignatureHeader(input.header) : null;
  if (!parsed) return { ok: false, reason: "malformed_header" };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - parsed.t) > tolerance) {
    return { ok: false, reason: "timestamp_outside_tolerance" };
  }
  const expected = Buffer.from(webhookSignature(input.secret, parsed.t, input.body), "hex");
  // Every candidate is compared in full, so the time taken says nothing about which one matched.
  let match = false;
  for (const candidate of parsed.v1) {
    if (timingSafeEqual(expected, Buffer.from(candidate, "hex"))) match = true;
  }
  return match ? { ok: true, timestamp: parsed.t } : { ok: false, reason: "signature_mismatch" };
}
