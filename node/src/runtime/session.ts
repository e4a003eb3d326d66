// Signing in: the node proves it holds its hotkey by signing a fresh challenge, the backend answers
// with a Firebase custom token (uid = hotkey, claim role), and the node signs in to the Firebase JS
// SDK with it. Everything after that (listeners, writes) goes through Firestore under the rules.
import { randomBytes } from "node:crypto";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { z } from "zod";
import { u8aToHex } from "@polkadot/util";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithCustomToken, type Auth } from "firebase/auth";
import {
  connectFirestoreEmulator,
  getFirestore,
  terminate,
  type Firestore,
} from "firebase/firestore";
import {
  SignInResultSchema,
  signInPayload,
  type Role,
  type SignInChallenge,
  type SignInRequest,
} from "consensus-core";
import { ApiError } from "consensus-client";
import { callApi } from "consensus-client";

/** A fresh single-use nonce: 24 random bytes as base64url (32 characters). */
export const newNonce = (): string => randomBytes(24).toString("base64url");

export function buildChallenge(
  hotkey: string,
  role: Role,
  now: number = Date.now(),
  nonce: string = newNonce(),
): SignInChallenge {
  return { hotkey, role, nonce, issued_at: now };
}

/** Signs the challenge's canonical payload; the body `POST /auth/sign-in` expects. */
export function signChallenge(pair: KeyringPair, challenge: SignInChallenge): SignInRequest {
  return { ...challenge, signature: u8aToHex(pair.sign(signInPayload(challenge))) };
}

/** The sign-in answer; heartbeat_seconds is optional so an older backend's answer still parses. */
const SignInAnswerSchema = SignInResultSchema.partial({ heartbeat_seconds: true });
export type SignInResponse = z.infer<typeof SignInAnswerSchema>;

/** Signs a new challenge and exchanges it for a custom token at `${apiBaseUrl}/auth/sign-in`. */
export async function requestCustomToken(
  pair: KeyringPair,
  role: Role,
  apiBaseUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SignInResponse> {
  const url = `${apiBaseUrl.replace(/\/+$/, "")}/auth/sign-in`;
  const body = signChallenge(pair, buildChallenge(pair.address, role));
  let answer: SignInResponse;
  try {
    // One attempt: the node runtime paces its own sign-in retries.
    answer = await callApi(
      SignInAnswerSchema,
      fetchImpl,
      url,
      { method: "POST", body },
      { maxAttempts: 1 },
    );
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 0) throw err;
    const hint =
      err.status === 401 || err.status === 403
        ? `sign-in refused for ${pair.address} as ${role}`
        : `sign-in failed at ${url}`;
    throw ApiError.from(
      { ...err, message: `${hint}: HTTP ${err.status} ${err.code}: ${err.message}` },
      err.attempts,
    );
  }
  if (answer.hotkey !== pair.address || answer.role !== role) {
    throw ApiError.from({
      status: 200,
      code: "bad_response",
      kind: "bad_response",
      message: `unexpected sign-in response from ${url}: signed in as ${answer.hotkey} (${answer.role})`,
      retryable: false,
      details: null,
    });
  }
  return answer;
}

export interface SessionConfig {
  /** The HTTPS API base, e.g. http://127.0.0.1:5001/demo-consensus/us-central1/api */
  apiBaseUrl: string;
  projectId: string;
  /** The Firebase web API key; "demo-key" when emulated. Required against production. */
  firebaseApiKey?: string | undefined;
  /** host:port; defaults to FIREBASE_AUTH_EMULATOR_HOST. */
  authEmulatorHost?: string | undefined;
  /** host:port; defaults to FIRESTORE_EMULATOR_HOST. */
  firestoreEmulatorHost?: string | undefined;
  fetch?: typeof fetch;
}

function hostPort(value: string, name: string): { host: string; port: number } {
  const at = value.lastIndexOf(":");
  const port = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${name} must be host:port, got "${value}"`);
  }
  return { host: value.slice(0, at).replace(/^\[(.*)\]$/, "$1"), port };
}

let appCounter = 0;

/** A signed-in Firebase JS SDK app for one hotkey and role. */
export class Session {
  private closed = false;
  /** The heartbeat period the backend asked for at sign-in, in seconds (undefined if it did not). */
  heartbeatSeconds: number | undefined;

  private constructor(
    readonly pair: KeyringPair,
    readonly role: Role,
    readonly config: SessionConfig,
    readonly app: FirebaseApp,
    readonly auth: Auth,
    readonly db: Firestore,
  ) {}

  get hotkey(): string {
    return this.pair.address;
  }

  /** Signs the challenge, initialises a named Firebase app and signs in with the custom token. */
  static async open(pair: KeyringPair, role: Role, config: SessionConfig): Promise<Session> {
    const authEmulator = config.authEmulatorHost ?? process.env.FIREBASE_AUTH_EMULATOR_HOST;
    const firestoreEmulator = config.firestoreEmulatorHost ?? process.env.FIRESTORE_EMULATOR_HOST;
    const emulated = Boolean(authEmulator || firestoreEmulator);
    const apiKey = config.firebaseApiKey ?? (emulated ? "demo-key" : undefined);
    if (!apiKey) {
      throw new Error(
        "the Firebase web API key is required outside the emulator (FIREBASE_API_KEY)",
      );
    }
    // Before any Firebase state exists, so a refused sign-in leaves nothing to clean up.
    const signedIn = await requestCustomToken(pair, role, config.apiBaseUrl, config.fetch);
    const token = signedIn.token;

    const app = initializeApp(
      { projectId: config.projectId, apiKey },
      `consensus-node-${role}-${pair.address}-${++appCounter}`,
    );
    try {
      const auth = getAuth(app);
      if (authEmulator) {
        const { host, port } = hostPort(authEmulator, "FIREBASE_AUTH_EMULATOR_HOST");
        connectAuthEmulator(auth, `http://${host}:${port}`, { disableWarnings: true });
      }
      const db = getFirestore(app);
      if (firestoreEmulator) {
        const { host, port } = hostPort(firestoreEmulator, "FIRESTORE_EMULATOR_HOST");
        connectFirestoreEmulator(db, host, port);
      }
      const session = new Session(pair, role, config, app, auth, db);
      session.heartbeatSeconds = signedIn.heartbeat_seconds;
      await session.signInWith(token);
      return session;
    } catch (err) {
      await deleteApp(app).catch(() => undefined);
      throw err;
    }
  }

  private async signInWith(token: string): Promise<void> {
    try {
      const cred = await signInWithCustomToken(this.auth, token);
      if (cred.user.uid !== this.hotkey) {
        throw new Error(`signed in as ${cred.user.uid}, expected ${this.hotkey}`);
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? "unknown";
      // Status 0 like any call without an answer: the runtime retries it as transient.
      throw new ApiError({
        status: 0,
        code,
        message: `Firebase sign-in with the custom token failed: ${code}`,
        details: null,
      });
    }
  }

  /** A fresh challenge and token on the same app, e.g. after the auth backend lost its state. */
  async reauthenticate(): Promise<void> {
    if (this.closed) throw new Error("session is closed");
    const { token } = await requestCustomToken(
      this.pair,
      this.role,
      this.config.apiBaseUrl,
      this.config.fetch,
    );
    await this.signInWith(token);
  }

  /** Terminates Firestore (closing its connections) and deletes the app. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await terminate(this.db).catch(() => undefined);
    await deleteApp(this.app).catch(() => undefined);
  }
}
