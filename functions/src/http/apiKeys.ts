// API keys: shown once at creation, stored only as their SHA-256 (the document id), so a leaked
// database does not leak usable keys and a lookup costs one document read.
import { createHash, randomBytes } from "node:crypto";
import { FieldValue } from "firebase-admin/firestore";
import { WEBHOOK_SECRET_PREFIX } from "consensus-core";
import { apiKeysCol } from "../db";
import { ApiError } from "./errors";

const KEY_PREFIX = "lpk_";

/** What a client id may be: it is logged and stored with every request the client makes. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");

export interface ApiClient {
  clientId: string;
  keyHash: string;
  /** Whether the key has a webhook secret (keys older than webhooks do not). */
  webhooks?: boolean;
}

export async function authenticateApiKey(authorization: string | undefined): Promise<ApiClient> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) {
    throw new ApiError(
      401,
      "unauthenticated",
      "Missing API key: send 'Authorization: Bearer <key>'",
      {
        field: "Authorization",
      },
    );
  }
  const keyHash = hashApiKey(match[1]);
  const doc = (await apiKeysCol().doc(keyHash).get()).data();
  if (!doc || doc.disabled) {
    throw new ApiError(401, "unauthenticated", "Unknown or disabled API key", {
      field: "Authorization",
    });
  }
  return { clientId: doc.client_id, keyHash, webhooks: typeof doc.webhook_secret === "string" };
}

/**
 * Creates a key for `clientId`; the plain key is returned once and never stored. The webhook
 * secret is returned too, once; it is stored (signing needs it) where no client can read it.
 */
export async function createApiKey(
  clientId: string,
  label = "",
): Promise<{ key: string; keyHash: string; webhookSecret: string }> {
  if (!CLIENT_ID_PATTERN.test(clientId)) {
    throw new Error("client id must be 1-64 characters of letters, digits, '_', '.', '-'");
  }
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const keyHash = hashApiKey(key);
  const webhookSecret = WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64url");
  await apiKeysCol()
    .doc(keyHash)
    .create({
      client_id: clientId,
      label,
      created_at: FieldValue.serverTimestamp() as unknown as FirebaseFirestore.Timestamp,
      disabled: false,
      webhook_secret: webhookSecret,
    });
  return { key, keyHash, webhookSecret };
}
