// Canonical signing payloads. A signature covers the RFC 8785 (JCS) canonical JSON of exactly the
// content the signer authored, behind a domain tag so a signature for one kind of message can
// never be replayed as another.
import canonicalize from "canonicalize";
import { u8aWrapBytes } from "@polkadot/util";
import { cryptoWaitReady, decodeAddress, sr25519Verify } from "@polkadot/util-crypto";
import type { DeclineContent, RankingContent, Role, SubmissionContent } from "./schemas";

export const DOMAIN = {
  // v2: ranked_leads reference each lead by lead_hash instead of embedding it.
  ranking: "leadpoet-consensus/ranking/v2",
  submission: "leadpoet-consensus/submission/v1",
  signIn: "leadpoet-consensus/sign-in/v1",
  decline: "leadpoet-consensus/decline/v1",
} as const;

export interface SignInChallenge {
  hotkey: string;
  role: Role;
  nonce: string;
  /** Milliseconds since the epoch when the node signed; the backend accepts a small window. */
  issued_at: number;
}

function payload(domain: string, content: unknown): string {
  const json = canonicalize(content);
  if (json === undefined) throw new Error("content cannot be canonicalised");
  return `${domain}:${json}`;
}

export const rankingPayload = (content: RankingContent): string => payload(DOMAIN.ranking, content);
export const submissionPayload = (content: SubmissionContent): string =>
  payload(DOMAIN.submission, content);
export const declinePayload = (content: DeclineContent): string => payload(DOMAIN.decline, content);
export const signInPayload = (challenge: SignInChallenge): string =>
  payload(DOMAIN.signIn, challenge);

/** Must resolve before any verify: sr25519 runs in WebAssembly. */
export const cryptoReady = (): Promise<boolean> => cryptoWaitReady();

/**
 * True only for a valid sr25519 signature by `hotkey` (SS58) over `message`, raw or wrapped in
 * <Bytes>…</Bytes> as browser-extension signers do. sr25519 only, checked directly: the generic
 * `signatureVerify` tries ed25519 first, in pure JavaScript, and that failed attempt cost a
 * validator about 10 ms per submission (37 s of the simulated nodes' CPU per 32/96 round).
 */
export function verifyHotkeySignature(message: string, signature: string, hotkey: string): boolean {
  try {
    const publicKey = decodeAddress(hotkey);
    return (
      sr25519Verify(message, signature, publicKey) ||
      sr25519Verify(u8aWrapBytes(message), signature, publicKey)
    );
  } catch {
    // Malformed address or signature bytes: not a valid signature, not a server error.
    return false;
  }
}
