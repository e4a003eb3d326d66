// Typed handles on the collections, so no module spells a collection name or casts data itself.
import { getFirestore, type Firestore, type Timestamp } from "firebase-admin/firestore";
import {
  COLLECTIONS,
  type Lead,
  type RankedLead,
  type RequestStatus,
  type Role,
} from "consensus-core";
import type { ConsensusLead, ConsensusMode, ConsensusSettings } from "consensus-core";
import type { AgreementLedger, MinerScoreLedger } from "consensus-core";
import type { ApiKeyDocShape } from "consensus-core";

export const db = (): Firestore => getFirestore();

export interface RequestResult {
  leads: ConsensusLead[];
  participants: string[];
  timed_out: string[];
  /** Miners whose verified submissions formed the eligible pool (for recomputation). */
  miners: string[];
  /** The formula and κ the leads were computed with (absent on results older than the modes). */
  consensus_mode?: ConsensusMode;
  kappa?: number;
  trust_used: Record<string, number>;
  equal_weights: boolean;
  /** quorum: every expected validator; deadline: at the validator deadline; early_close: the
   * early-close share of trust plus its grace. */
  finalized_by: "quorum" | "deadline" | "early_close";
  /**
   * The newest metagraph block among the participants' registry entries when finalisation read
   * them (null: entries not written by a sync). Absent on results older than the field.
   */
  registry_block?: number | null;
}

/** What ran the finalisation or failure: a ranking's trigger, a Cloud Task, the sweep, a status read. */
export type ClosedBy = "ranking" | "task" | "sweep" | "status";

export interface ApiRequestDoc {
  request_id: string;
  num_leads: number;
  business_desc: string;
  client_id: string;
  created_at: Timestamp;
  status: RequestStatus;
  timeout: Timestamp;
  validator_deadline: Timestamp;
  expected_validators: string[];
  expected_count: number;
  min_validators: number;
  /** Consensus mode and κ fixed at creation (absent on requests older than the modes). */
  consensus?: ConsensusSettings;
  result: RequestResult | null;
  failure_reason: string | null;
  finalized_at: Timestamp | null;
  /** Server time of the finalisation's commit (absent on results older than the field). */
  result_committed_at?: Timestamp;
  finalize_count?: number;
  /** Miners active at creation: validators stop collecting once each submitted or declined. */
  expected_miners?: string[];
  /**
   * Registry uid of each expected node at creation: the triggers check a signed uid against it
   * without reading the registry (absent on requests older than the field).
   */
  expected_uids?: Record<string, number>;
  /** Registry trust of each expected validator at creation (for the early-close share). */
  expected_trust?: Record<string, number>;
  /** Early-close params snapshot: share of expected trust and the grace after it is reached. */
  early_close?: { share: number; grace_ms: number };
  /** Set once the early-close share is reached: the round closes at this time. */
  close_at?: Timestamp | null;
  closed_by?: ClosedBy;
  /** Expected validators whose well-formed ranking arrived after the result was written. */
  late_validators?: string[];
  /**
   * The liveness params that chose the expected nodes (HEARTBEAT_WINDOW_SECONDS and
   * HEARTBEAT_PERIOD_SECONDS, in ms). The console marks nodes dead by this same window rather than
   * a constant of its own (absent on requests older than it).
   */
  liveness?: { window_ms: number; period_ms: number | null };
  /**
   * Present when the client gave a callback_url (the URL itself is in webhooks/{id}, which nodes
   * cannot read). waiting: not final; due: final, delivery not yet enqueued (the finalising commit
   * sets it; the sweep enqueues any left due); enqueued: handed to the deliverWebhook queue.
   */
  webhook?: { state: WebhookState; enqueued_at: Timestamp | null };
}

export type WebhookState = "waiting" | "due" | "enqueued";

/** webhooks/{request_id}: written with the request, then by the delivery task only. */
export interface WebhookDoc {
  request_id: string;
  client_id: string;
  callback_url: string;
  /** The api_keys document whose webhook secret signs the deliveries. */
  key_hash: string;
  created_at: Timestamp;
  attempts: number;
  /** delivered: a 2xx; refused: the URL resolves somewhere a delivery may not go (not retried). */
  outcome: "pending" | "delivered" | "refused" | "no_secret";
  last_status: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
}

export interface Verification {
  /** late: valid, but arrived after the result was written; never counted. */
  status: "accepted" | "rejected" | "late";
  reason: string | null;
  verified_at: Timestamp;
}

export interface RankingDoc {
  request_id: string;
  validator_hotkey: string;
  validator_uid: number;
  ranked_leads: RankedLead[];
  num_leads_ranked: number;
  signature: string;
  submitted_at: Timestamp;
  // Filled by the backend, never by the validator.
  validator_trust?: number;
  verification?: Verification;
}

export interface SubmissionDoc {
  request_id: string;
  miner_hotkey: string;
  miner_uid: number;
  leads: Lead[];
  num_leads: number;
  signature: string;
  submitted_at: Timestamp;
  verification?: Verification;
}

export interface RegistryDoc {
  hotkey: string;
  uid: number;
  role: Role | null;
  validator_trust: number;
  stake: number;
  validator_permit: boolean;
  is_serving: boolean;
  last_seen: Timestamp | null;
  /** Block of the metagraph snapshot that last changed the entry (set by a sync). */
  block?: number;
}

/** api_keys/{sha256 of the key}: the shape is core's ApiKeyDocSchema (rotation fields optional). */
export type ApiKeyDoc = ApiKeyDocShape;

// Firestore returns DocumentData; these casts are the single place we assert stored shapes that
// only the backend (Admin SDK) or rule-checked, schema-verified clients wrote.
const typed =
  <T>(name: string) =>
  () =>
    db().collection(name) as FirebaseFirestore.CollectionReference<T>;

export const requestsCol = typed<ApiRequestDoc>(COLLECTIONS.requests);
export const rankingsCol = typed<RankingDoc>(COLLECTIONS.rankings);
export const submissionsCol = typed<SubmissionDoc>(COLLECTIONS.submissions);
export const registryCol = typed<RegistryDoc>(COLLECTIONS.registry);
export const apiKeysCol = typed<ApiKeyDoc>(COLLECTIONS.apiKeys);
export const metricsCol = () => db().collection(COLLECTIONS.metrics);
/** validator_agreement/{hotkey}: the ledger plus when it last changed. Backend-only (rules deny). */
export const agreementCol = typed<AgreementLedger & { updated_at: Timestamp }>(
  COLLECTIONS.validatorAgreement,
);

/** miner_scores/{hotkey}: the ledger plus when it last changed. Written by the backend only. */
export const minerScoresCol = typed<MinerScoreLedger & { updated_at: Timestamp }>(
  COLLECTIONS.minerScores,
);

/** finalize_claims/{request_id}: which ranking's trigger finalises the request's quorum. */
export interface FinalizeClaimDoc {
  ranking_id: string;
  claimed_at: Timestamp;
}
export const claimsCol = typed<FinalizeClaimDoc>(COLLECTIONS.finalizeClaims);
export const webhooksCol = typed<WebhookDoc>(COLLECTIONS.webhooks);

export const acceptedRankingsQuery = (requestId: string) =>
  rankingsCol().where("request_id", "==", requestId).where("verification.status", "==", "accepted");
