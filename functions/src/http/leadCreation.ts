// POST /leads after authentication and validation: at most one request per Idempotency-Key, and a
// rate-limit slot taken in the same atomic write as the request, so a failed write uses no quota
// and a retried POST is counted once.
//
// No transaction: the request, its rate-limit slot and its idempotency record are committed in one
// batch whose writes carry preconditions (create = must not exist, update = unchanged since read).
// Of concurrent duplicates exactly one commit succeeds; the others fail on the idempotency record,
// read it, and return the winner's answer. No locks are held, so a burst never waits on one.
import { Timestamp } from "firebase-admin/firestore";
import { type CreateLeadsRequest } from "consensus-core";
import type { LifecycleConfig } from "../config";
import { db, requestsCol, webhooksCol, type ApiRequestDoc } from "../db";
import { newWebhookDoc } from "../lifecycle/webhookRecord";
import { logs } from "../logs";
import { prepareLeadRequest } from "../lifecycle/requests";
import type { ApiClient } from "./apiKeys";
import { ApiError } from "./errors";
import {
  IDEMPOTENCY_TTL_MS,
  bodyFingerprint,
  idempotencyRef,
  replayOrConflict,
  type IdempotencyRecord,
} from "./idempotency";
import { findRateLimitSlot, rateLimitUsed } from "./rateLimit";

/** Commits lost to a concurrent writer before giving up with a retryable 503. */
export const MAX_COMMIT_ATTEMPTS = 12;

export interface CreateLeadsInput {
  client: ApiClient;
  body: CreateLeadsRequest;
  /** The body as received, for the idempotency fingerprint. */
  rawBody: unknown;
  idempotencyKey: string | null;
  now: Date;
  lifecycle: LifecycleConfig;
  perMinute: number;
  /** The 202 body for a new request (computed once; stored for replays). */
  answer: (doc: ApiRequestDoc) => Record<string, unknown>;
  /** Tests only: the request id (otherwise random). */
  requestId?: string;
}

/** `used`: the key's count in this window once this answer is given (RateLimit-Remaining). */
export type CreateLeadsOutcome =
  | {
      kind: "created";
      status: 202;
      body: Record<string, unknown>;
      doc: ApiRequestDoc;
      used: number;
    }
  | { kind: "replayed"; status: number; body: Record<string, unknown>; used: number };

/** Firestore's codes for a lost precondition race: ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED. */
const LOST_RACE = new Set([6, 9, 10]);

export async function createLeadRequestOnce(input: CreateLeadsInput): Promise<CreateLeadsOutcome> {
  const { client, idempotencyKey, now } = input;
  const idemRef = idempotencyKey ? idempotencyRef(client.keyHash, idempotencyKey) : null;
  const fingerprint = bodyFingerprint(input.rawBody);

  let prepared: ApiRequestDoc | null = null;
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const idemSnap = idemRef ? await idemRef.get() : null;
    const replay = replayOrConflict(idemSnap?.data(), fingerprint, now);
    if (replay) {
      logs.requestReplayed({
        request_id: replay.request_id,
        client_id: client.clientId,
      });
      // A replay takes no slot; the count is read so the headers still tell the truth.
      const used = await rateLimitUsed(client.keyHash, now);
      return { kind: "replayed", status: replay.status, body: replay.response, used };
    }

    // Reads the active validators; throws (503) before anything is written when there are none.
    prepared ??= await prepareLeadRequest(client.clientId, input.body, now, input.lifecycle);
    if (input.requestId) prepared.request_id = input.requestId;
    const slot = await findRateLimitSlot(client.keyHash, input.perMinute, now);
    const body = input.answer(prepared);

    const batch = db().batch();
    batch.create(requestsCol().doc(prepared.request_id), prepared);
    if (input.body.callback_url) {
      batch.create(
        webhooksCol().doc(prepared.request_id),
        newWebhookDoc(prepared, input.body.callback_url, client.keyHash),
      );
    }
    slot.claim(batch);
    if (idemRef) {
      const record: IdempotencyRecord = {
        body_sha256: fingerprint,
        request_id: prepared.request_id,
        status: 202,
        response: body,
        created_at: Timestamp.fromDate(now),
        expires_at: Timestamp.fromMillis(now.getTime() + IDEMPOTENCY_TTL_MS),
      };
      // An expired record (TTL deletion lags) is replaced only if nobody replaced it since.
      if (idemSnap?.exists)
        batch.update(idemRef, { ...record }, { lastUpdateTime: idemSnap.updateTime! });
      else batch.create(idemRef, record);
    }
    try {
      await batch.commit();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === "number" && LOST_RACE.has(code)) continue;
      throw err;
    }
    logs.requestCreated({
      request_id: prepared.request_id,
      client_id: client.clientId,
      num_leads: prepared.num_leads,
      expected_validators: prepared.expected_count,
      rate_limit_shard: slot.shard,
      idempotent: idemRef !== null,
    });
    return { kind: "created", status: 202, body, doc: prepared, used: slot.used };
  }
  logs.requestCreateContended({ client_id: client.clientId });
  throw new ApiError("contended", "Too many concurrent writes for this API key; retry", null, {
    "Retry-After": "1",
  });
}
