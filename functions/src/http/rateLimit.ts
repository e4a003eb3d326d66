// Fixed one-minute window per API key, counted in Firestore so every instance shares it.
// Old window documents carry `expires_at` for a Firestore TTL policy to delete.
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS } from "consensus-core";
import { db } from "../db";
import { ApiError } from "./errors";

const WINDOW_MS = 60_000;

export async function consumeRateLimit(
  keyHash: string,
  perMinute: number,
  now: Date,
): Promise<void> {
  const window = Math.floor(now.getTime() / WINDOW_MS);
  const windowEnd = (window + 1) * WINDOW_MS;
  const ref = db().collection(COLLECTIONS.rateLimits).doc(`${keyHash}_${window}`);
  const allowed = await db().runTransaction(async (tx) => {
    const count = ((await tx.get(ref)).data()?.count as number | undefined) ?? 0;
    if (count >= perMinute) return false;
    tx.set(ref, { count: count + 1, expires_at: Timestamp.fromMillis(windowEnd + WINDOW_MS) });
    return true;
  });
  if (!allowed) {
    const retryAfter = Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000));
    throw new ApiError(
      429,
      "rate_limited",
      `Rate limit of ${perMinute} requests per minute exceeded`,
      { limit: perMinute, retry_after_seconds: retryAfter },
      { "Retry-After": String(retryAfter) },
    );
  }
}
