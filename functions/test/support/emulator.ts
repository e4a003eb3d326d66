// Shared set-up for tests that run against the real emulators (inside `firebase emulators:exec`).
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { getApps, initializeApp } from "firebase-admin/app";
import { FieldValue, Timestamp, getFirestore, type Firestore } from "firebase-admin/firestore";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import {
  COLLECTIONS,
  cryptoReady,
  leadHash,
  rankingDocId,
  rankingPayload,
  submissionDocId,
  submissionPayload,
  type Lead,
  type RankingContent,
  type SubmissionContent,
} from "consensus-core";
import type { LifecycleConfig } from "../../src/config";
import { createApiKey } from "../../src/http/apiKeys";

export const PROJECT_ID = "demo-consensus";
export const API_URL = `http://127.0.0.1:5001/${PROJECT_ID}/us-central1/api`;

export function requireEmulators(): void {
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    throw new Error(
      "Run emulator tests with `npm run test:emulator` (FIRESTORE_EMULATOR_HOST unset)",
    );
  }
}

export function adminDb(): Firestore {
  requireEmulators();
  if (getApps().length === 0) initializeApp({ projectId: PROJECT_ID });
  return getFirestore();
}

/**
 * Deletes every document. Two steps, because of how the Firestore emulator treats the listeners of
 * node processes that have exited (killed, or stopped: it never unregisters a listen stream when
 * its client disconnects): a dead stream's target is retired only when the emulator next sends it a
 * change, and that send failing is caught. A commit that instead takes a dead target's read
 * permission away calls the stream's target-remove outside that catch, so the whole commit fails
 * with CANCELLED (HTTP 499). The rules check the registry on every node read (session
 * revocation), so deleting the registry together with everything else does exactly that to every
 * node that ever listened. Step 1 rewrites every document unchanged, so each dead target gets an
 * ordinary change under rules that still grant it and is retired; step 2 deletes everything.
 */
export async function clearFirestore(): Promise<void> {
  await retireDeadListeners();
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const res = await fetch(
    `http://${host}/emulator/v1/projects/${PROJECT_ID}/databases/(default)/documents`,
    { method: "DELETE" },
  );
  if (!res.ok) throw new Error(`clearing Firestore failed: ${res.status}`);
}

/** Rewrites every top-level document with its own content (see clearFirestore). */
async function retireDeadListeners(): Promise<void> {
  const db = adminDb();
  const writer = db.bulkWriter();
  for (const col of await db.listCollections()) {
    for (const snap of (await col.get()).docs) void writer.set(snap.ref, snap.data());
  }
  await writer.close();
}

let keyring: Keyring | undefined;
export async function keypair(uri: string): Promise<KeyringPair> {
  await cryptoReady();
  keyring ??= new Keyring({ type: "sr25519", ss58Format: 42 });
  return keyring.addFromUri(uri);
}

export interface NodeSpec {
  uri: string;
  uid: number;
  trust?: number;
  /** Defaults to "validator"; null is a hotkey registered without a role. */
  role?: "validator" | "miner" | null;
  lastSeen?: Date;
  serving?: boolean;
}

/**
 * Writes registry entries as a metagraph sync does, with the block that changed them: each call
 * a newer one (the clock's milliseconds), so `verify` tells an entry a test re-seeded after a
 * request finalised from one the finalisation read. Returns the key pairs in the given order.
 */
export async function seedRegistry(nodes: NodeSpec[]): Promise<KeyringPair[]> {
  const db = adminDb();
  const pairs: KeyringPair[] = [];
  const batch = db.batch();
  const block = Date.now();
  for (const n of nodes) {
    const pair = await keypair(n.uri);
    const role = n.role === undefined ? "validator" : n.role;
    pairs.push(pair);
    batch.set(db.collection(COLLECTIONS.registry).doc(pair.address), {
      hotkey: pair.address,
      uid: n.uid,
      role,
      validator_trust: n.trust ?? 0,
      stake: 1000,
      validator_permit: role === "validator",
      is_serving: n.serving ?? true,
      last_seen: Timestamp.fromDate(n.lastSeen ?? new Date()),
      block,
    });
  }
  await batch.commit();
  return pairs;
}

export async function newApiKey(clientId = "test-client"): Promise<string> {
  adminDb();
  return (await createApiKey(clientId, "emulator test")).key;
}

export async function postLeads(key: string | null, body: unknown, init: RequestInit = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(`${API_URL}/leads`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json().catch(() => null)) as any,
  };
}

export async function getStatus(key: string, requestId: string) {
  const res = await fetch(`${API_URL}/leads/status/${requestId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

export function lead(n: number, extra: Partial<Lead> = {}): Lead {
  return {
    business: `Company ${n}`,
    email: `owner${n}@company${n}.io`,
    full_name: `Owner ${n}`,
    role: "Founder",
    industry: "Software",
    sub_industry: "SaaS",
    region: "US",
    ...extra,
  };
}

export async function submitLeads(
  miner: KeyringPair,
  uid: number,
  requestId: string,
  leads: Lead[],
) {
  const content: SubmissionContent = {
    request_id: requestId,
    miner_hotkey: miner.address,
    miner_uid: uid,
    leads,
    num_leads: leads.length,
  };
  const signature = "0x" + Buffer.from(miner.sign(submissionPayload(content))).toString("hex");
  const ref = adminDb()
    .collection(COLLECTIONS.submissions)
    .doc(submissionDocId(requestId, miner.address));
  await ref.create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
  return ref;
}

export function rankingContent(
  validator: KeyringPair,
  uid: number,
  requestId: string,
  scored: [Lead, number][],
): RankingContent {
  return {
    request_id: requestId,
    validator_hotkey: validator.address,
    validator_uid: uid,
    // Each lead by its content hash (the compact form): the lead itself is in the submission.
    ranked_leads: scored.map(([l, score], i) => ({ lead_hash: leadHash(l), score, rank: i + 1 })),
    num_leads_ranked: scored.length,
  };
}

export function signRanking(validator: KeyringPair, content: RankingContent): string {
  return "0x" + Buffer.from(validator.sign(rankingPayload(content))).toString("hex");
}

export async function submitRanking(
  validator: KeyringPair,
  uid: number,
  requestId: string,
  scored: [Lead, number][],
) {
  const content = rankingContent(validator, uid, requestId, scored);
  const ref = adminDb()
    .collection(COLLECTIONS.rankings)
    .doc(rankingDocId(requestId, validator.address));
  await ref.create({
    ...content,
    signature: signRanking(validator, content),
    submitted_at: FieldValue.serverTimestamp(),
  });
  return ref;
}

/**
 * How much longer than on a quiet machine a wait may take: TEST_WAIT_FACTOR when set, otherwise
 * the load average per core, never below 2 nor above 6. Bounds on waits and the Jest timeout scale
 * with it, so a loaded machine (other suites, builds, a bench; load 15-20 on 2 cores happens)
 * waits longer for the same condition instead of failing, and a quiet one is not slowed: the waits
 * end on their condition, the bound only says when to give up. LOAD_FACTOR is the factor when the
 * suite started (Jest's timeout); `scaled` reads the load again when it is called, because a bench
 * started beside the suite raises it later.
 */
const SET_FACTOR = positive(process.env.TEST_WAIT_FACTOR);
export const LOAD_FACTOR = SET_FACTOR ?? loadFactorNow();

function positive(env: string | undefined): number | undefined {
  const set = Number(env);
  return env && Number.isFinite(set) && set > 0 ? set : undefined;
}

function loadFactorNow(): number {
  return Math.min(6, Math.max(2, loadavg()[0] / availableParallelism()));
}

/** A bound stated for a quiet machine, scaled like every wait here (at the load of the call). */
export const scaled = (quietMs: number): number =>
  Math.round(quietMs * (SET_FACTOR ?? Math.max(LOAD_FACTOR, loadFactorNow())));

/** The default bound on a wait for a condition: 20 s on a quiet machine. */
export const WAIT_MS = scaled(20_000);

/**
 * Runs `fn` with the Functions emulator's background triggers off (the emulator hub's switch), so
 * the test's own calls are the only deliveries of an event and nothing runs on after it returns.
 * Safe because the emulator tier runs its files one at a time (--runInBand).
 */
export async function withoutTriggers<T>(fn: () => Promise<T>): Promise<T> {
  const hub = `http://${process.env.FIREBASE_EMULATOR_HUB ?? "127.0.0.1:4400"}/functions`;
  const toggle = async (what: "disable" | "enable") => {
    const res = await fetch(`${hub}/${what}BackgroundTriggers`, { method: "PUT" });
    if (!res.ok) throw new Error(`${what} background triggers: ${res.status}`);
  };
  await toggle("disable");
  try {
    return await fn();
  } finally {
    await toggle("enable");
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function requestDoc(requestId: string) {
  return (await adminDb().collection(COLLECTIONS.requests).doc(requestId).get()).data();
}

export async function waitForFinal(requestId: string, timeoutMs = WAIT_MS) {
  return waitFor(
    `request ${requestId} to finish`,
    async () => {
      const d = await requestDoc(requestId);
      return d && (d.status === "completed" || d.status === "failed") ? d : undefined;
    },
    timeoutMs,
  );
}

export async function countDocs(collection: string): Promise<number> {
  return (await adminDb().collection(collection).count().get()).data().count;
}

/**
 * The round timings for tests that create requests in-process: the deployed defaults, with a wide
 * heartbeat window so a validator seeded once stays expected for the whole test.
 */
/**
 * A backend param as the emulated functions read it (functions/.env), so a test states what the
 * deployed default is instead of copying its value.
 */
export function backendParam(name: string): string {
  const env = readFileSync(resolve(__dirname, "../../.env"), "utf8");
  const value = new RegExp(`^${name}=(.*)$`, "m").exec(env)?.[1];
  if (value === undefined) throw new Error(`functions/.env has no ${name}`);
  return value;
}

export function testLifecycle(overrides: Partial<LifecycleConfig> = {}): LifecycleConfig {
  return {
    validatorDeadlineMs: 90_000,
    requestTimeoutMs: 120_000,
    minValidators: 1,
    heartbeatWindowMs: 300_000,
    ...overrides,
  };
}
