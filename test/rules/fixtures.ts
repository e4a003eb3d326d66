// Shared fixtures for the Firestore security rules tests: realistic hotkeys (the Substrate dev
// accounts), request ids, and builders for the documents nodes write.
import { serverTimestamp, Timestamp } from "firebase/firestore";
import { leadHash, type Lead } from "consensus-core";

export const PROJECT_ID = "demo-consensus";

/** Substrate dev accounts (sr25519, SS58 prefix 42). */
export const HOTKEYS = {
  alice: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
  bob: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
  charlie: "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y",
  dave: "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy",
  eve: "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kSMaw",
  ferdie: "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL",
} as const;

/**
 * Cast of characters:
 * - Alice and Bob: validators the open requests expect.
 * - Eve: a registered validator that the requests do not expect.
 * - Charlie, Dave and Ferdie: miners (Charlie and Dave have submitted for the processing request).
 */
export const VALIDATOR_ALICE = HOTKEYS.alice;
export const VALIDATOR_BOB = HOTKEYS.bob;
export const VALIDATOR_EVE_UNEXPECTED = HOTKEYS.eve;
export const MINER_CHARLIE = HOTKEYS.charlie;
export const MINER_DAVE = HOTKEYS.dave;
export const MINER_FERDIE = HOTKEYS.ferdie;

/** The uid each registry fixture gives a hotkey: what a node must write as its own uid. */
export const UIDS: Record<string, number> = {
  [HOTKEYS.alice]: 0,
  [HOTKEYS.bob]: 1,
  [HOTKEYS.eve]: 4,
  [HOTKEYS.charlie]: 7,
  [HOTKEYS.dave]: 8,
  [HOTKEYS.ferdie]: 9,
};

/** A well-formed SS58 address that no registry entry names (a hotkey never registered). */
export const UNREGISTERED = "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM";

export const SIGNATURE = "0x" + "ab".repeat(64);

export const REQUESTS = {
  pending: "2f1c7a4e-6a0b-4c1e-9d3f-0b8e5a7c9d11",
  processing: "8b3e9f20-1d4a-4f7b-a2c6-5e9d0c1b2a33",
  completed: "c4d5e6f7-8091-4a2b-9c3d-4e5f60718293",
  failed: "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
  expired: "9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0",
  unknown: "11111111-2222-4333-8444-555555555555",
} as const;

export type RequestStatus = "pending" | "processing" | "completed" | "failed";

/** An api_requests document as the backend writes it. */
export function apiRequest(
  requestId: string,
  status: RequestStatus,
  options: {
    timeoutInMs?: number;
    deadlineInMs?: number;
    expectedValidators?: string[];
    expectedMiners?: string[];
  } = {},
): Record<string, unknown> {
  const now = Date.now();
  const timeoutInMs = options.timeoutInMs ?? 120_000;
  const deadlineInMs = options.deadlineInMs ?? timeoutInMs - 30_000;
  const expected = options.expectedValidators ?? [VALIDATOR_ALICE, VALIDATOR_BOB];
  return {
    request_id: requestId,
    num_leads: 3,
    business_desc: "B2B SaaS companies in Germany selling logistics software",
    client_id: "client-acme",
    created_at: Timestamp.fromMillis(now - 1_000),
    status,
    timeout: Timestamp.fromMillis(now + timeoutInMs),
    validator_deadline: Timestamp.fromMillis(now + deadlineInMs),
    expected_validators: expected,
    expected_count: expected.length,
    expected_miners: options.expectedMiners ?? [MINER_CHARLIE, MINER_DAVE, MINER_FERDIE],
    result: null,
    failure_reason: status === "failed" ? "no validator answered before the timeout" : null,
  };
}

export function lead(i: number): Record<string, string> {
  return {
    business: `Logistics Co ${i}`,
    email: `founder${i}@logistics${i}.example`,
    full_name: `Founder ${i}`,
    role: "CEO",
    website: `https://logistics${i}.example`,
    industry: "Software",
    region: "DE",
  };
}

export function leads(count: number): Record<string, string>[] {
  return Array.from({ length: count }, (_, i) => lead(i + 1));
}

/** Ranked entries as a validator writes them: each lead named by its content hash. */
export function rankedLeads(count: number): Record<string, unknown>[] {
  return leads(count).map((l, i) => ({
    lead_hash: leadHash(l as Lead),
    score: 1 - i / (count + 1),
    rank: i + 1,
  }));
}

export const submissionId = (requestId: string, minerHotkey: string): string =>
  `${requestId}_${minerHotkey}`;

export const rankingId = (requestId: string, validatorHotkey: string): string =>
  `${requestId}_${validatorHotkey}`;

/** A well-formed miner submission as a miner node writes it (submitted_at = serverTimestamp()). */
export function submission(
  requestId: string,
  minerHotkey: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const l = leads(3);
  return {
    request_id: requestId,
    miner_hotkey: minerHotkey,
    miner_uid: UIDS[minerHotkey] ?? 7,
    leads: l,
    num_leads: l.length,
    signature: SIGNATURE,
    submitted_at: serverTimestamp(),
    ...overrides,
  };
}

/** A well-formed validator ranking as a validator node writes it (no trust, no verification). */
export function ranking(
  requestId: string,
  validatorHotkey: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const r = rankedLeads(3);
  return {
    request_id: requestId,
    validator_hotkey: validatorHotkey,
    validator_uid: UIDS[validatorHotkey] ?? 0,
    ranked_leads: r,
    num_leads_ranked: r.length,
    signature: SIGNATURE,
    submitted_at: serverTimestamp(),
    ...overrides,
  };
}

/** A registry entry as the backend's metagraph sync writes it, plus the node heartbeat. */
export function registryEntry(
  hotkey: string,
  role: "validator" | "miner",
  uid: number,
): Record<string, unknown> {
  return {
    hotkey,
    uid,
    role,
    validator_trust: role === "validator" ? 0.5 : 0,
    stake: role === "validator" ? 1_000 : 10,
    validator_permit: role === "validator",
    is_serving: true,
    last_seen: Timestamp.fromMillis(Date.now() - 60_000),
  };
}

/** Drops one key from a document (for "missing field" cases). */
export function without(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...data };
  delete copy[key];
  return copy;
}
