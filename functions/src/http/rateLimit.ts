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
  /** The window's count as read, plus this slot: what the key has used once the claim commits. */
  used: number;
  claim(batch: WriteBatch): void;
}

/** Seconds until the window of `now` ends (1..60). */
export function secondsToReset(now: Date): number {
  const windowEnd = (windowOf(now) + 1) * WINDOW_MS;
  return Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000));
}

/** The IETF draft's RateLimit-* headers (seconds until the window resets). */
export function rateLimitHeaders(perMinute: number, used: number, now: Date) {
  return {
    "RateLimit-Limit": String(perMinute),
    "RateLimit-Remaining": String(Math.max(0, perMinute - used)),
    "RateLimit-Reset": String(secondsToReset(now)),
  };
}

/** The 429 for a key whose window is used up, with the seconds until the next window. */
export function rateLimited(perMinute: number, now: Date): ApiError {
  const retryAfter = secondsToReset(now);
  return new ApiError(
    "rate_limited",
    `Rate limit of ${perMinute} requests per minute exceeded`,
    { limit: perMinute, retry_after_seconds: retryAfter },
    { "Retry-After": String(retryAfter), ...rateLimitHeaders(perMinute, perMinute, now) },
  );
}

/** The window's shards in one round trip: the count so far is their sum. */
async function readShards(keyHash: string, window: number, shards: number) {
  const refs = Array.from({ length: shards }, (_, i) => shardRef(keyHash, window, i));
  return (await db().getAll(...refs)) as DocumentSnapshot<ShardDoc>[];
}

/** What the key has used in the window of `now` (for answers that take no slot: replays). */
export async function rateLimitUsed(
  keyHash: string,
  now: Date,
  shards = RATE_LIMIT_SHARDS,
): Promise<number> {
  const snaps = await readShards(keyHash, windowOf(now), shards);
  return snaps.reduce((sum, snap) => sum + (snap.data()?.count ?? 0), 0);
}

/**
 * Finds a shard with room, reading every shard of the window in one round trip (so the answer can
 * say truthfully how many requests are left) and picking a random one with room, so concurrent
 * requests spread. Writes nothing: the caller commits `claim` in the same batch as what the slot
 * pays for, so a failed write never uses up quota. Throws the 429 when every shard is full.
 */
export async function findRateLimitSlot(
  keyHash: string,
  perMinute: number,
  now: Date,
  shards = RATE_LIMIT_SHARDS,
): Promise<RateLimitSlot> {
  const window = windowOf(now);
  const caps = shardCapacities(perMinute, shards);
  const snaps = await readShards(keyHash, window, shards);
  const counts = snaps.map((snap) => snap.data()?.count ?? 0);
  const open = counts.flatMap((count, shard) => (count < caps[shard] ? [shard] : []));
  if (open.length === 0) throw rateLimited(perMinute, now);
  const shard = open[randomInt(open.length)];
  const snap = snaps[shard];
  const count = counts[shard];
  return {
    shard,
    used: counts.reduce((a, b) => a + b, 0) + 1,
    claim(batch) {
      const ref = shardRef(keyHash, window, shard);
      const expires = Timestamp.fromMillis((window + 2) * WINDOW_MS);
      // create() fails if another request created the shard first; update() fails if anyone
      // wrote it since our read: either way the batch fails and the caller reads again.
      if (!snap.exists) batch.create(ref, { count: 1, expires_at: expires });
      else batch.update(ref, { count: count + 1 }, { lastUpdateTime: snap.updateTime! });
    },
  };
}
