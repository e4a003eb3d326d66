// The backend's log events, one typed function each: the event name and its structured fields are
// fixed here, so a caller cannot misspell an event or drop a field, and the console's formatter
// (scripts/lib/log-format.mjs), the benches and the tests can rely on both. Never pass secrets
// (API keys, signatures, tokens) in a field.
import { log } from "./log";
import type { SweepSummary } from "./lifecycle/sweep";

type Id = { request_id: string };
type Failure = { error: string };

/** Every event name, for readers that match entries (tests, benches): `entry.event === EVENTS.x`. */
export const EVENTS = {
  nodeSignedIn: "node_signed_in",
  requestReplayed: "request_replayed",
  requestCreated: "request_created",
  requestCreateContended: "request_create_contended",
  httpUnhandled: "http_unhandled",
  sessionRevocationFailed: "session_revocation_failed",
  sessionsRevoked: "sessions_revoked",
  metagraphSyncDisabled: "metagraph_sync_disabled",
  metagraphSynced: "metagraph_synced",
  metagraphSyncFailed: "metagraph_sync_failed",
  taskEnqueueFailed: "task_enqueue_failed",
  taskMalformed: "task_malformed",
  taskNotReady: "task_not_ready",
  finalizeAttempt: "finalize_attempt",
  requestCompleted: "request_completed",
  requestFailed: "request_failed",
  rankingLate: "ranking_late",
  rankingRejected: "ranking_rejected",
  rankingAccepted: "ranking_accepted",
  earlyCloseScheduled: "early_close_scheduled",
  submissionAccepted: "submission_accepted",
  submissionRejected: "submission_rejected",
  sweepRequestFailed: "sweep_request_failed",
  sweepWebhooksFailed: "sweep_webhooks_failed",
  sweep: "sweep",
  validatorAgreementUnreadable: "validator_agreement_unreadable",
  minerScoresUnreadable: "miner_scores_unreadable",
  ledgersPruned: "ledgers_pruned",
  webhookTaskMalformed: "webhook_task_malformed",
  webhookMissing: "webhook_missing",
  webhookNoSecret: "webhook_no_secret",
  webhookUnreachable: "webhook_unreachable",
  webhookRejected: "webhook_rejected",
  webhookDelivered: "webhook_delivered",
  webhookRefused: "webhook_refused",
  webhookEnqueueFailed: "webhook_enqueue_failed",
  webhookMarkFailed: "webhook_mark_failed",
  webhookSweep: "webhook_sweep",
  requestConsensusSettingsInvalid: "request_consensus_settings_invalid",
  staleEventDropped: "stale_event_dropped",
} as const;

export type LogEvent = (typeof EVENTS)[keyof typeof EVENTS];

const E = EVENTS;

export const logs = {
  // Sign-in and the API.
  nodeSignedIn: (f: { hotkey: string; role: string }) => log.info(E.nodeSignedIn, f),
  requestReplayed: (f: Id & { client_id: string }) => log.info(E.requestReplayed, f),
  requestCreated: (
    f: Id & {
      client_id: string;
      num_leads: number;
      expected_validators: number;
      rate_limit_shard: number;
      idempotent: boolean;
    },
  ) => log.info(E.requestCreated, f),
  requestCreateContended: (f: { client_id: string }) => log.warn(E.requestCreateContended, f),
  httpUnhandled: (
    f: Failure & { method: string; path: string; error_name: string; stack: string | undefined },
  ) => log.error(E.httpUnhandled, f),

  // The registry.
  sessionRevocationFailed: (f: Failure & { hotkey: string }) =>
    log.error(E.sessionRevocationFailed, f),
  sessionsRevoked: (f: { revoked: string[]; no_session: string[]; failed: string[] }) =>
    log.info(E.sessionsRevoked, f),
  metagraphSyncDisabled: (f: { reason: string }) => log.info(E.metagraphSyncDisabled, f),
  metagraphSynced: (f: {
    origin: string;
    from: "chain" | "snapshot_url";
    netuid: number | null;
    block: number | null;
    neurons: number;
    added: string[];
    removed: string[];
    trust_changed: unknown[];
    updated: number;
    written: number;
  }) => log.info(E.metagraphSynced, f),
  metagraphSyncFailed: (f: Failure & { origin: string; issues?: unknown }) =>
    log.error(E.metagraphSyncFailed, f),

  // Close tasks and finalisation.
  taskEnqueueFailed: (f: Id & Failure & { at: string }) => log.error(E.taskEnqueueFailed, f),
  taskMalformed: (f: Failure) => log.error(E.taskMalformed, f),
  taskNotReady: (f: Id & { at: string; accepted: number }) => log.info(E.taskNotReady, f),
  /** One line per attempt (the scale bench counts them: one per request is the design). */
  finalizeAttempt: (f: Id & { trigger: string; closed_by: string }) =>
    log.info(E.finalizeAttempt, f),
  requestCompleted: (
    f: Id & {
      finalized_by: string;
      closed_by: string;
      participated: string[];
      timed_out: string[];
      leads: number;
    },
  ) => log.info(E.requestCompleted, f),
  requestFailed: (f: Id & { reason: string; closed_by: string }) => log.warn(E.requestFailed, f),

  // Rankings and submissions.
  rankingLate: (f: Id & { validator_hotkey: string }) => log.info(E.rankingLate, f),
  rankingRejected: (f: Id & { validator_hotkey: string; reason: string | null }) =>
    log.warn(E.rankingRejected, f),
  rankingAccepted: (f: Id & { validator_hotkey: string; rankings: number; expected: number }) =>
    log.info(E.rankingAccepted, f),
  earlyCloseScheduled: (f: Id & { answered: number; expected: number; close_at: string }) =>
    log.info(E.earlyCloseScheduled, f),
  submissionAccepted: (f: Id & { miner_hotkey: string; reason: string | null }) =>
    log.info(E.submissionAccepted, f),
  submissionRejected: (f: Id & { miner_hotkey: string; reason: string | null }) =>
    log.warn(E.submissionRejected, f),

  // The sweep and the ledgers.
  sweepRequestFailed: (f: Id & Failure) => log.error(E.sweepRequestFailed, f),
  sweepWebhooksFailed: (f: Failure) => log.error(E.sweepWebhooksFailed, f),
  sweep: (f: SweepSummary) => log.info(E.sweep, { ...f }),
  validatorAgreementUnreadable: (f: { hotkey: string }) =>
    log.warn(E.validatorAgreementUnreadable, f),
  minerScoresUnreadable: (f: { hotkey: string }) => log.warn(E.minerScoresUnreadable, f),
  ledgersPruned: (f: { agreement: number; miner_scores: number }) => log.info(E.ledgersPruned, f),
  requestConsensusSettingsInvalid: (f: Id) => log.warn(E.requestConsensusSettingsInvalid, f),

  // Webhooks.
  webhookTaskMalformed: (f: { issues: unknown }) => log.error(E.webhookTaskMalformed, f),
  webhookMissing: (f: Id) => log.error(E.webhookMissing, f),
  webhookNoSecret: (f: Id) => log.warn(E.webhookNoSecret, f),
  webhookUnreachable: (f: Id & Failure) => log.warn(E.webhookUnreachable, f),
  webhookRejected: (f: Id & { status: number }) => log.warn(E.webhookRejected, f),
  webhookDelivered: (f: Id & { status: number; request_status: string }) =>
    log.info(E.webhookDelivered, f),
  webhookRefused: (f: Id & { reason: string }) => log.warn(E.webhookRefused, f),
  webhookEnqueueFailed: (f: Id & Failure) => log.error(E.webhookEnqueueFailed, f),
  webhookMarkFailed: (f: Id & Failure) => log.warn(E.webhookMarkFailed, f),
  webhookSweep: (f: { due: number; enqueued: number }) => log.info(E.webhookSweep, f),

  // Triggers.
  staleEventDropped: (f: Record<string, unknown> & { event_id: string; age_ms: number }) =>
    log.warn(E.staleEventDropped, f),
};
