// Hotkey sign-in: a node proves it holds its hotkey by signing a fresh challenge (hotkey, role,
// single-use nonce, timestamp); we check the signature, the registry role and the nonce, then mint
// a Firebase custom token (uid = hotkey, claim role) the node uses with the Firebase JS SDK.
import { createHash } from "node:crypto";
import { getAuth } from "firebase-admin/auth";
import { GrpcStatus, Timestamp } from "firebase-admin/firestore";
import {
  COLLECTIONS,
  cryptoReady,
  signInPayload,
  verifyHotkeySignature,
  type SignInRequest,
  type SignInResult,
} from "consensus-core";
import { heartbeatPeriodSeconds, readInt } from "../config";
import { db } from "../db";
import { logs } from "../logs";
import { ApiError } from "../http/errors";
import { findRateLimitSlot } from "../http/rateLimit";
import { readRegistry } from "../registry/registry";

/** The backend refusing a sign-in challenge, with the HTTP status and code the API answers. */
export class SignInRejectedError extends Error {
  constructor(
    readonly code: SignInRejection,
    message: string,
  ) {
    super(message);
  }
}
/** Catalogued codes (http/errorCatalogue.ts), which give each its status. */
export type SignInRejection =
  "stale_challenge" | "bad_signature" | "replayed_nonce" | "not_registered" | "role_not_allowed";

/** Sign-ins (tokens minted) allowed per minute, and who is asking. */
export interface SignInLimits {
  perHotkeyPerMinute: number;
  perCallerPerMinute: number;
  /** The caller's address as the nearest proxy saw it (see callerAddress in http/app.ts). */
  caller: string;
}

export async function signInWithHotkey(
  req: SignInRequest,
  now: Date,
  windowMs: number,
  limits: SignInLimits,
): Promise<SignInResult> {
  if (Math.abs(now.getTime() - req.issued_at) > windowMs) {
    throw new SignInRejectedError(
      "stale_challenge",
      `issued_at must be within ${windowMs / 1000} s of the server clock`,
    );
  }
  await cryptoReady();
  const { signature, ...challenge } = req;
  if (!verifyHotkeySignature(signInPayload(challenge), signature, req.hotkey)) {
    throw new SignInRejectedError("bad_signature", "signature does not verify for this hotkey");
  }
  const entry = (await readRegistry([req.hotkey])).get(req.hotkey);
  if (!entry || entry.role === null) {
    throw new SignInRejectedError("not_registered", "hotkey is not registered on the subnet");
  }
  if (entry.role !== req.role) {
    throw new SignInRejectedError(
      "role_not_allowed",
      `hotkey is registered as ${entry.role}, not ${req.role}`,
    );
  }
  await spendNonceWithinLimits(req, now, windowMs, limits);
  const token = await getAuth().createCustomToken(req.hotkey, { role: req.role });
  logs.nodeSignedIn({ hotkey: req.hotkey, role: req.role });
  return {
    token,
    hotkey: req.hotkey,
    role: req.role,
    heartbeat_seconds: readInt(heartbeatPeriodSeconds),
  };
}

/** Commits lost to a concurrent sign-in before giving up with a retryable 503. */
const MAX_COMMIT_ATTEMPTS = 5;
const LOST_RACE = new Set([GrpcStatus.ALREADY_EXISTS, GrpcStatus.FAILED_PRECONDITION, 10]);
export const signInLimitKey = (scope: string, id: string): string =>
  createHash("sha256").update(`sign-in:${scope}:${id}`).digest("hex");

/**
 * Spends the nonce and one sign-in of the hotkey's and of the caller's minute in one atomic write,
 * after every other check: a rejected attempt writes nothing and uses no quota, a replay is caught,
 * and past either limit the answer is 429 (the rate limiter's shards, keyed apart from API keys).
 */
async function spendNonceWithinLimits(
  req: SignInRequest,
  now: Date,
  windowMs: number,
  limits: SignInLimits,
): Promise<void> {
  const nonceRef = db()
    .collection(COLLECTIONS.signInNonces)
    .doc(createHash("sha256").update(`${req.hotkey}:${req.nonce}`).digest("hex"));
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const [hotkeySlot, callerSlot] = await Promise.all([
      findRateLimitSlot(signInLimitKey("hotkey", req.hotkey), limits.perHotkeyPerMinute, now),
      findRateLimitSlot(signInLimitKey("caller", limits.caller), limits.perCallerPerMinute, now),
    ]);
    const batch = db().batch();
    batch.create(nonceRef, {
      hotkey: req.hotkey,
      // Kept past the acceptance window so a replay is always caught; TTL deletes it after.
      expires_at: Timestamp.fromMillis(req.issued_at + 2 * windowMs),
    });
    hotkeySlot.claim(batch);
    callerSlot.claim(batch);
    try {
      await batch.commit();
      return;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === undefined || !LOST_RACE.has(code)) throw err;
      if ((await nonceRef.get()).exists) {
        throw new SignInRejectedError("replayed_nonce", "this challenge was already used");
      }
      // Another sign-in took the slot we read: read again.
    }
  }
  throw new ApiError("contended", "Too many concurrent sign-ins; retry", null, {
    "Retry-After": "1",
  });
}
