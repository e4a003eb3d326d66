// `Idempotency-Key` on POST /leads, the convention of payment and AI APIs: a client that retries
// with the same key (after a timeout or a lost answer) gets the first answer again and creates
// nothing new. Keys are scoped to the API key and remembered for 24 hours.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { DocumentReference, Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS } from "consensus-core";
import { db } from "../db";
import { ApiError } from "./errors";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Printable ASCII, no spaces: UUIDs, ULIDs and the like. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyRecord {
  /** SHA-256 of the canonical JSON body: the same key with another body is refused. */
  body_sha256: string;
  request_id: string;
  /** The first answer, returned as is to every retry. */
  status: number;
  response: Record<string, unknown>;
  created_at: Timestamp;
  /** For the TTL policy on idempotency_keys.expires_at; past it the key is free again. */
  expires_at: Timestamp;
}

/** The header's value, or null when absent; 400 naming the header when malformed. */
export function parseIdempotencyKey(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!KEY_PATTERN.test(raw)) {
    throw new ApiError(
      "invalid_argument",
      `${IDEMPOTENCY_HEADER} must be 1-255 printable ASCII characters without spaces`,
      { field: IDEMPOTENCY_HEADER },
    );
  }
  return raw;
}

export const bodyFingerprint = (body: unknown): string =>
  createHash("sha256")
    .update(canonicalize(body) ?? "")
    .digest("hex");

/** One document per (API key, idempotency key); the id reveals neither. */
export function idempotencyRef(keyHash: string, key: string) {
  const id = createHash("sha256").update(`${keyHash}\n${key}`).digest("hex");
  return db()
    .collection(COLLECTIONS.idempotencyKeys)
    .doc(id) as DocumentReference<IdempotencyRecord>;
}

/** A live record for this key: replay it, or 422 when the body differs. Expired records are free. */
export function replayOrConflict(
  record: IdempotencyRecord | undefined,
  fingerprint: string,
  now: Date,
): IdempotencyRecord | null {
  if (!record || record.expires_at.toMillis() <= now.getTime()) return null;
  if (record.body_sha256 !== fingerprint) {
    throw new ApiError(
      "idempotency_key_reused",
      `This ${IDEMPOTENCY_HEADER} was used with a different body in the last 24 hours`,
      { field: IDEMPOTENCY_HEADER, request_id: record.request_id },
    );
  }
  return record;
}
