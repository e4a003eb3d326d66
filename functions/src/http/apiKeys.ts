// API keys: shown once at creation, stored only as their SHA-256 (the document id), so a leaked
// database does not leak usable keys and a lookup costs one document read. Operators name a key by
// its key id, derived from the hash (so keys made before key ids existed have one too) but not
// the hash itself.
import { createHash, randomBytes } from "node:crypto";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import {
  ApiKeyDocSchema,
  WEBHOOK_SECRET_PREFIX,
  apiKeyState,
  type ApiKeyState,
} from "consensus-core";
import { apiKeysCol, db, type ApiKeyDoc } from "../db";
import { ApiError } from "./errors";

const KEY_PREFIX = "lpk_";
/** Characters of a key kept in clear (`lpk_` + 4): 24 bits of 256, enough to tell keys apart. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 4;

/** What a client id may be: it is logged and stored with every request the client makes. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");

/** The operator-facing name of a key: `kid_` and 16 hex of a hash of its hash. */
export const keyIdOf = (keyHash: string): string =>
  `kid_${createHash("sha256").update(`key-id\n${keyHash}`).digest("hex").slice(0, 16)}`;

export interface ApiClient {
  clientId: string;
  keyHash: string;
  /** Whether the key has a webhook secret (keys older than webhooks do not). */
  webhooks?: boolean;
}

const unauthenticated = (message: string) =>
  new ApiError("unauthenticated", message, { field: "Authorization" });

export async function authenticateApiKey(
  authorization: string | undefined,
  now: Date = new Date(),
): Promise<ApiClient> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw unauthenticated("Missing API key: send 'Authorization: Bearer <key>'");
  const keyHash = hashApiKey(match[1]);
  const doc = (await apiKeysCol().doc(keyHash).get()).data();
  if (!doc) throw unauthenticated("Unknown or disabled API key");
  const state = apiKeyState(doc, now);
  if (state.kind === "disabled") throw unauthenticated("Unknown or disabled API key");
  // Rotation needs no job to retire the old key: it is refused from its expires_at on.
  if (state.kind === "expired") throw unauthenticated("This API key was rotated and has expired");
  return { clientId: doc.client_id, keyHash, webhooks: typeof doc.webhook_secret === "string" };
}

const newWebhookSecret = () => WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64url");

function newKey(): { key: string; keyHash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, keyHash: hashApiKey(key) };
}

/**
 * Creates a key for `clientId`; the plain key is returned once and never stored. The webhook
 * secret is returned too, once; it is stored (signing needs it) where no client can read it.
 */
export async function createApiKey(
  clientId: string,
  label = "",
): Promise<{ key: string; keyHash: string; keyId: string; webhookSecret: string }> {
  if (!CLIENT_ID_PATTERN.test(clientId)) {
    throw new Error("client id must be 1-64 characters of letters, digits, '_', '.', '-'");
  }
  const { key, keyHash } = newKey();
  const webhookSecret = newWebhookSecret();
  await apiKeysCol()
    .doc(keyHash)
    .create({
      client_id: clientId,
      label,
      created_at: FieldValue.serverTimestamp() as unknown as Timestamp,
      disabled: false,
      key_prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      webhook_secret: webhookSecret,
    });
  return { key, keyHash, keyId: keyIdOf(keyHash), webhookSecret };
}

export interface ApiKeyListing {
  key_id: string;
  client_id: string;
  label: string;
  key_prefix: string | null;
  created_at: string | null;
  state: ApiKeyState;
}

/** Every key, by client then creation; never the key or its hash. */
export async function listApiKeys(now: Date, clientId?: string): Promise<ApiKeyListing[]> {
  const query = clientId ? apiKeysCol().where("client_id", "==", clientId) : apiKeysCol();
  const snap = await query.get();
  return snap.docs
    .map((d) => {
      const doc = ApiKeyDocSchema.parse(d.data());
      return {
        key_id: keyIdOf(d.id),
        client_id: doc.client_id,
        label: doc.label,
        key_prefix: doc.key_prefix ?? null,
        created_at: doc.created_at ? doc.created_at.toDate().toISOString() : null,
        state: apiKeyState(doc, now),
      };
    })
    .sort(
      (a, b) =>
        a.client_id.localeCompare(b.client_id) ||
        (a.created_at ?? "").localeCompare(b.created_at ?? ""),
    );
}

export class ApiKeyNotFoundError extends Error {}
export class ApiKeyStateError extends Error {}

/**
 * The document of a key id (or of a full key hash, as create-api-key printed before key ids).
 * Scans the collection: operators hold a handful of keys, and a stored key id would be absent on
 * older keys.
 */
async function findKey(keyId: string) {
  if (/^[0-9a-f]{64}$/.test(keyId)) {
    const snap = await apiKeysCol().doc(keyId).get();
    if (snap.exists) return snap.ref;
  }
  const match = (await apiKeysCol().select().get()).docs.find((d) => keyIdOf(d.id) === keyId);
  if (!match) throw new ApiKeyNotFoundError(`no API key with id ${keyId}`);
  return match.ref;
}

/** Disables a key: the next request with it is refused (every request reads the key). */
export async function disableApiKey(
  keyId: string,
  now: Date,
): Promise<{ clientId: string; alreadyDisabled: boolean }> {
  const ref = await findKey(keyId);
  return db().runTransaction(async (tx) => {
    const doc = ApiKeyDocSchema.parse((await tx.get(ref)).data());
    if (doc.disabled) return { clientId: doc.client_id, alreadyDisabled: true };
    tx.update(ref, { disabled: true, disabled_at: Timestamp.fromDate(now) });
    return { clientId: doc.client_id, alreadyDisabled: false };
  });
}

/**
 * Issues a new key for the same client and label; the old one keeps working for `graceMs` after
 * `now`, then authentication refuses it. Only a key that works and is not already being rotated
 * can be rotated, so a client never holds more than two live keys from one rotation chain.
 */
export async function rotateApiKey(
  keyId: string,
  graceMs: number,
  now: Date,
): Promise<{ clientId: string; key: string; keyId: string; oldExpiresAt: Date }> {
  const ref = await findKey(keyId);
  const fresh = newKey();
  const oldExpiresAt = new Date(now.getTime() + graceMs);
  const clientId = await db().runTransaction(async (tx) => {
    const doc = ApiKeyDocSchema.parse((await tx.get(ref)).data());
    const state = apiKeyState(doc, now);
    if (state.kind !== "active") {
      throw new ApiKeyStateError(
        state.kind === "rotating"
          ? `key ${keyId} is already being rotated (works until ${state.until.toISOString()})`
          : `key ${keyId} is ${state.kind}; create a new key instead`,
      );
    }
    const created: ApiKeyDoc = {
      client_id: doc.client_id,
      label: doc.label,
      created_at: Timestamp.fromDate(now),
      disabled: false,
      key_prefix: fresh.key.slice(0, SHOWN_PREFIX_LENGTH),
      rotated_from: keyIdOf(ref.id),
      // The same webhook secret: receivers keep verifying deliveries across a key rotation.
      ...(doc.webhook_secret ? { webhook_secret: doc.webhook_secret } : {}),
    };
    tx.create(apiKeysCol().doc(fresh.keyHash), created);
    tx.update(ref, {
      expires_at: Timestamp.fromDate(oldExpiresAt),
      rotated_to: keyIdOf(fresh.keyHash),
    });
    return doc.client_id;
  });
  return { clientId, key: fresh.key, keyId: keyIdOf(fresh.keyHash), oldExpiresAt };
}
