// Per-API-key rate limit: a fixed one-minute window split over SHARDS counter documents, so a burst
// from one key spreads its writes instead of queueing on one hot document (Firestore sustains about
// one write per second per document).
//
// Exactness: shard i of a window admits at most its capacity (the limit divided over the shards),
// and a slot is taken only by a write whose precondition proves the shard still held the count it
// was read with, so a window never admits more than the limit. Counts only grow within a window,
// so a shard once read full stays full: a 429 is answered only when every shard was full, i.e. the
// key used its whole limit in this window. As with any fixed window, a key can make up to twice
// the limit across a window boundary (the end of one minute and the start of the next).
import { randomInt } from "node:crypto";
import {
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type WriteBatch,
} from "firebase-admin/firestore";
import { COLLECTIONS } from "consensus-core";
import { db } from "../db";
import { ApiError } from "./errors";

export const WINDOW_MS = 60_000;
/** Shards per key and window: spreads a key's burst over this many documents. */
export const RATE_LIMIT_SHARDS = 8;

interface ShardDoc {
  count: number;
  /** For the TTL policy on rate_limits.expires_at (firestore.indexes.json). */
  expires_at: Timestamp;
}

/** Capacity of each shard: the limit divided as evenly as possible, shards past the limit get 0. */
export function shardCapacities(perMinute: number, shards: number): number[] {
  const base = Math.floor(perMinute / shards);
  const extra = perMinute % shards;
  return Array.from({ length: shards }, (_, i) => base + (i < extra ? 1 : 0));
}

export const windowOf = (now: Date): number => Math.floor(now.getTime() / WINDOW_MS);

export function shardRef(keyHash: string, window: number, shard: number) {
  return db()
    .collection(COLLECTIONS.rateLimits)
    .doc(`${keyHash}_${window}_${shard}`) as DocumentReference<ShardDoc>;
}

/** A slot read free in one shard: `claim` adds the write that takes it to a batch. */
export interface RateLimitSlot {
  shard: number;
  claim(batch: WriteBatch): void;
}

/** The 429 for a key whose window is used up, with the seconds until the next window. */
export function rateLimited(perMinute: number, now: Date): ApiError {
  const windowEnd = (windowOf(now) + 1) * WINDOW_MS;
  const retryAfter = Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000));
  return new ApiError(
    429,
    "rate_limited",
    `Rate limit of ${perMinute} requests per minute exceeded`,
    { limit: perMinute, retry_after_seconds: retryAfter },
    { "Retry-After": String(retryAfter) },
  );
}

/**
 * Finds a shard with room, starting at a random one, reading one document per shard tried (one
 * read while the window has room). Writes nothing: the caller commits `claim` in the same batch
 * as what the slot pays for, so a failed write never uses up quota. Throws the 429 when every
 * shard is full.
 */
export async function findRateLimitSlot(
  keyHash: string,
  perMinute: number,
  now: Date,
  shards = RATE_LIMIT_SHARDS,
): Promise<RateLimitSlot> {
  const window = windowOf(now);
  const caps = shardCapacities(perMinute, shards);
  const start = randomInt(shards);
  for (let k = 0; k < shards; k++) {
    const shard = (start + k) % shards;
    if (caps[shard] === 0) continue;
    const ref = shardRef(keyHash, window, shard);
    const snap: DocumentSnapshot<ShardDoc> = await ref.get();
    const count = snap.data()?.count ?? 0;
    if (count >= caps[shard]) continue;
    return {
      shard,
      claim(batch) {
        const expires = Timestamp.fromMillis((window + 2) * WINDOW_MS);
        // create() fails if another request created the shard first; update() fails if anyone
        // wrote it since our read: either way the batch fails and the caller reads again.
        if (!snap.exists) batch.create(ref, { count: 1, expires_at: expires });
        else batch.update(ref, { count: count + 1 }, { lastUpdateTime: snap.updateTime! });
      },
    };
  }
  throw rateLimited(perMinute, now);
}
