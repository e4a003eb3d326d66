// API keys as stored (api_keys/{sha256 of the key}) and the one reading of their state, shared by
// the backend's authentication and the admin CLI's listing so both agree on when a key stops working.
import { z } from "zod";

/** A Firestore Timestamp without importing Firebase here: anything with toMillis(). */
export const TimestampLikeSchema = z.custom<{ toMillis(): number; toDate(): Date }>(
  (v) => typeof (v as { toMillis?: unknown } | null)?.toMillis === "function",
  "must be a Firestore Timestamp",
);

/**
 * The stored key document. Loose: fields other features add (webhooks) pass through untouched.
 * Documents written before rotation existed lack the optional fields.
 */
export const ApiKeyDocSchema = z
  .object({
    client_id: z.string().min(1),
    label: z.string(),
    created_at: TimestampLikeSchema,
    disabled: z.boolean(),
    disabled_at: TimestampLikeSchema.nullable().optional(),
    /** The first characters of the key (`lpk_` and four more): enough to recognise it, not use it. */
    key_prefix: z.string().optional(),
    /** Set by a rotation: the key authenticates strictly before this instant, then never again. */
    expires_at: TimestampLikeSchema.nullable().optional(),
    /** Key id of the key that replaced this one, and of the key this one replaced. */
    rotated_to: z.string().nullable().optional(),
    rotated_from: z.string().nullable().optional(),
    /**
     * Signs this key's webhook deliveries. Stored in the clear because signing needs it (unlike the
     * key, kept only as its hash); rules deny api_keys to every client, and it is never logged.
     * Absent on keys created before webhooks: such a key cannot take a callback_url. A rotation
     * hands it to the new key.
     */
    webhook_secret: z.string().optional(),
  })
  .loose();
export type ApiKeyDocShape = z.infer<typeof ApiKeyDocSchema>;

export type ApiKeyState =
  | { kind: "active" }
  | { kind: "disabled" }
  | { kind: "rotating"; until: Date }
  | { kind: "expired"; at: Date };

/** Whether the key works at `now`: the rule authentication applies, and what the listing shows. */
export function apiKeyState(
  doc: Pick<ApiKeyDocShape, "disabled" | "expires_at">,
  now: Date,
): ApiKeyState {
  if (doc.disabled) return { kind: "disabled" };
  if (doc.expires_at) {
    const at = doc.expires_at.toMillis();
    return at > now.getTime()
      ? { kind: "rotating", until: new Date(at) }
      : { kind: "expired", at: new Date(at) };
  }
  return { kind: "active" };
}

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The longest rotation grace: long enough for any deploy, short enough that old keys die. */
export const MAX_GRACE_MS = 30 * DURATION_UNITS_MS.d;
export const DEFAULT_GRACE = "24h";

/** `30s`, `15m`, `24h`, `7d` (0 allowed: the old key stops at once) → milliseconds; null if not. */
export function parseGrace(text: string): number | null {
  const match = /^(\d{1,7})([smhd])$/.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS];
  return ms <= MAX_GRACE_MS ? ms : null;
}
