// Every stored Firestore document, described once. The backend (Admin SDK), the nodes and the
// console (Web SDK) each read the same documents with different Timestamp classes, so the schemas
// take the timestamp schema as a parameter: the backend passes one typed as its Timestamp, the
// others `TimestampLikeSchema` (anything with toMillis()). Field names are exactly what is written;
// a reader that needs a field not declared here has found a shape change, which starts here.
//
// These describe shape, not admission: hotkeys are strings here, not SS58-checked, because the
// backend's verification (verify.ts) and the API's request schemas decide what may be written.
// Fields marked optional are absent on documents written before them (or by paths that omit them).
import { z } from "zod";
import { ConsensusLeadSchema } from "./api";
import { TimestampLikeSchema } from "./apiKeys";
import { AgreementLedgerSchema } from "./agreement";
import { CONSENSUS_MODES, ConsensusSettingsSchema } from "./clipping";
import { MinerScoreLedgerSchema } from "./minerScores";
import { DeclineContentSchema, LeadSchema, RankedLeadSchema, REQUEST_STATUSES } from "./schemas";

export const FINALIZED_BY = ["quorum", "deadline", "early_close"] as const;
/** What ran the finalisation or failure: a ranking's trigger, a Cloud Task, the sweep, a status read. */
export const CLOSED_BY = ["ranking", "task", "sweep", "status"] as const;
export const WEBHOOK_STATES = ["waiting", "due", "enqueued"] as const;
export const VERIFICATION_STATUSES = ["accepted", "rejected", "late"] as const;

const strings = z.array(z.string());
const byHotkey = z.record(z.string(), z.number());

/** The schemas of every stored document, with timestamps read by `ts`. */
export function documentSchemas<T extends z.ZodType>(ts: T) {
  const result = z.object({
    leads: z.array(ConsensusLeadSchema),
    participants: strings,
    timed_out: strings,
    /** Miners whose verified submissions formed the eligible pool (for recomputation). */
    miners: strings,
    consensus_mode: z.enum(CONSENSUS_MODES).optional(),
    kappa: z.number().optional(),
    trust_used: byHotkey,
    equal_weights: z.boolean(),
    finalized_by: z.enum(FINALIZED_BY),
    /** The newest metagraph block among the participants' registry entries (null: unsynced). */
    registry_block: z.number().nullable().optional(),
  });

  /** api_requests/{request_id}: written by the API at creation, then by the lifecycle only. */
  const request = z.object({
    request_id: z.string(),
    num_leads: z.number(),
    business_desc: z.string(),
    client_id: z.string(),
    created_at: ts,
    status: z.enum(REQUEST_STATUSES),
    timeout: ts,
    validator_deadline: ts,
    expected_validators: strings,
    expected_count: z.number(),
    min_validators: z.number(),
    consensus: ConsensusSettingsSchema.optional(),
    result: result.nullable(),
    failure_reason: z.string().nullable(),
    finalized_at: ts.nullable(),
    /** Server time of the finalisation's commit. */
    result_committed_at: ts.optional(),
    finalize_count: z.number().optional(),
    /** Miners active at creation: validators stop collecting once each submitted or declined. */
    expected_miners: strings.optional(),
    /** Registry uid of each expected node at creation (triggers check signed uids against it). */
    expected_uids: byHotkey.optional(),
    /** Registry trust of each expected validator at creation (for the early-close share). */
    expected_trust: byHotkey.optional(),
    early_close: z.object({ share: z.number(), grace_ms: z.number() }).optional(),
    /** Set once the early-close share is reached: the round closes at this time. */
    close_at: ts.nullable().optional(),
    closed_by: z.enum(CLOSED_BY).optional(),
    /** Expected validators whose well-formed ranking arrived after the result was written. */
    late_validators: strings.optional(),
    /** HEARTBEAT_WINDOW_SECONDS / HEARTBEAT_PERIOD_SECONDS (ms) that chose the expected nodes. */
    liveness: z.object({ window_ms: z.number(), period_ms: z.number().nullable() }).optional(),
    /** Present when the client gave a callback_url (the URL itself is in webhooks/{id}). */
    webhook: z.object({ state: z.enum(WEBHOOK_STATES), enqueued_at: ts.nullable() }).optional(),
  });

  /** The backend's verdict on a node's document; late: valid but after the result, never counted. */
  const verification = z.object({
    status: z.enum(VERIFICATION_STATUSES),
    reason: z.string().nullable(),
    verified_at: ts,
  });
  const signed = { signature: z.string(), submitted_at: ts };

  /** validator_rankings/{request_id}_{hotkey}: the signed content, then the backend's fields. */
  const ranking = z.object({
    request_id: z.string(),
    validator_hotkey: z.string(),
    validator_uid: z.number(),
    ranked_leads: z.array(RankedLeadSchema),
    num_leads_ranked: z.number(),
    ...signed,
    validator_trust: z.number().optional(),
    verification: verification.optional(),
  });

  /** miner_submissions/{request_id}_{hotkey}. */
  const submission = z.object({
    request_id: z.string(),
    miner_hotkey: z.string(),
    miner_uid: z.number(),
    leads: z.array(LeadSchema),
    num_leads: z.number(),
    ...signed,
    verification: verification.optional(),
  });

  /** miner_declines/{request_id}_{hotkey}: signed "nothing I hold fits"; no backend fields. */
  const decline = z.object({
    ...DeclineContentSchema.shape,
    miner_hotkey: z.string(),
    ...signed,
  });

  /** registry/{hotkey}: the metagraph's fields (sync, seed) and the node's heartbeat fields. */
  const registry = z.object({
    hotkey: z.string(),
    uid: z.number(),
    role: z.enum(["validator", "miner"]).nullable(),
    validator_trust: z.number(),
    stake: z.number(),
    validator_permit: z.boolean(),
    is_serving: z.boolean(),
    last_seen: ts.nullable(),
    /** Block of the metagraph snapshot that last changed the entry (set by a sync). */
    block: z.number().optional(),
    coldkey: z.string().nullable().optional(),
    axon: z.object({ ip: z.string(), port: z.number() }).nullable().optional(),
    netuid: z.number().optional(),
    synced_at: ts.optional(),
  });

  /** consensus_metrics/{request_id}: written once with each finalisation; no lead contents. */
  const metrics = z.object({
    request_id: z.string(),
    finalized_at: ts,
    finalized_by: z.enum(FINALIZED_BY),
    validators_expected: z.number(),
    validators_participated: z.number(),
    validators_timed_out: z.number(),
    participants: strings,
    timed_out: strings,
    trust_distribution: z.object({
      by_validator: byHotkey,
      equal_weights: z.boolean(),
      min: z.number(),
      max: z.number(),
      total: z.number(),
    }),
    avg_response_ms: z.number().nullable(),
    miners_counted: z.number(),
    consensus_mode: z.enum(CONSENSUS_MODES),
    kappa: z.number(),
    agreement: z.record(
      z.string(),
      z.object({
        clipped_share: z.number().nullable(),
        rank_correlation: z.number().nullable(),
        leads_scored: z.number(),
      }),
    ),
    candidate_leads: z.number(),
    ineligible_votes: z.number(),
    top_leads: z.array(
      z.object({
        rank: z.number(),
        consensus_score: z.number(),
        normalized_score: z.number(),
        num_validators: z.number(),
      }),
    ),
  });

  /** validator_agreement/{hotkey} and miner_scores/{hotkey}: core's ledgers plus their last change. */
  const agreement = z.object({ ...AgreementLedgerSchema.shape, updated_at: ts });
  const minerScores = z.object({ ...MinerScoreLedgerSchema.shape, updated_at: ts });

  /** finalize_claims/{request_id}: which ranking's trigger finalises the request's quorum. */
  const finalizeClaim = z.object({ ranking_id: z.string(), claimed_at: ts });

  /** webhooks/{request_id}: written with the request, then by the delivery task only. */
  const webhook = z.object({
    request_id: z.string(),
    client_id: z.string(),
    callback_url: z.string(),
    /** The api_keys document whose webhook secret signs the deliveries. */
    key_hash: z.string(),
    created_at: ts,
    attempts: z.number(),
    outcome: z.enum(["pending", "delivered", "refused", "no_secret"]),
    last_status: z.number().nullable(),
    last_error: z.string().nullable(),
    delivered_at: ts.nullable(),
  });

  return {
    request,
    result,
    verification,
    ranking,
    submission,
    decline,
    registry,
    metrics,
    agreement,
    minerScores,
    finalizeClaim,
    webhook,
  };
}

export type DocumentSchemas<Ts> = ReturnType<typeof documentSchemas<z.ZodType<Ts>>>;
/** Each stored document's type, with timestamps of type `Ts`. */
export type StoredDocs<Ts> = { [K in keyof DocumentSchemas<Ts>]: z.output<DocumentSchemas<Ts>[K]> };

/** The schemas as a Web SDK reader (node, console) uses them: a timestamp is anything with toMillis(). */
export const STORED = documentSchemas(TimestampLikeSchema);
export type TimestampLike = z.infer<typeof TimestampLikeSchema>;
export type Stored = StoredDocs<TimestampLike>;
