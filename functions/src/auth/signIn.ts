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
import { log } from "../log";
import { readRegistry } from "../registry/registry";

/** The backend refusing a sign-in challenge, with the HTTP status and code the API answers. */
export class SignInRejectedError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function signInWithHotkey(
  req: SignInRequest,
  now: Date,
  windowMs: number,
): Promise<SignInResult> {
  if (Math.abs(now.getTime() - req.issued_at) > windowMs) {
    throw new SignInRejectedError(
      401,
      "stale_challenge",
      `issued_at must be within ${windowMs / 1000} s of the server clock`,
    );
  }
  await cryptoReady();
  const { signature, ...challenge } = req;
  if (!verifyHotkeySignature(signInPayload(challenge), signature, req.hotkey)) {
    throw new SignInRejectedError(
      401,
      "bad_signature",
      "signature does not verify for this hotkey",
    );
  }
  const entry = (await readRegistry([req.hotkey])).get(req.hotkey);
  if (!entry || entry.role === null) {
    throw new SignInRejectedError(403, "not_registered", "hotkey is not registered on the subnet");
  }
  if (entry.role !== req.role) {
    throw new SignInRejectedError(
      403,
      "role_not_allowed",
      `hotkey is registered as ${entry.role}, not ${req.role}`,
    );
  }
  // The nonce is spent only after every other check, so a rejected attempt writes nothing.
  const nonceId = createHash("sha256").update(`${req.hotkey}:${req.nonce}`).digest("hex");
  try {
    await db()
      .collection(COLLECTIONS.signInNonces)
      .doc(nonceId)
      .create({
        hotkey: req.hotkey,
        // Kept past the acceptance window so a replay is always caught; TTL deletes it after.
        expires_at: Timestamp.fromMillis(req.issued_at + 2 * windowMs),
      });
  } catch (err) {
    if ((err as { code?: number }).code === GrpcStatus.ALREADY_EXISTS) {
      throw new SignInRejectedError(401, "replayed_nonce", "this challenge was already used");
    }
    throw err;
  }
  const token = await getAuth().createCustomToken(req.hotkey, { role: req.role });
  log.info("node_signed_in", { hotkey: req.hotkey, role: req.role });
  return {
    token,
    hotkey: req.hotkey,
    role: req.role,
    heartbeat_seconds: readInt(heartbeatPeriodSeconds),
  };
}
