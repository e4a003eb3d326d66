// The node's log events, one typed function each (like the backend's functions/src/logs.ts): the
// event's name, level, message and structured fields are fixed here, so a caller cannot misspell
// an event or drop a field. The text line stays the one people, the README and the benches read
// (`[role hotkey] message k=v`); JSON lines add `event`. Never pass secrets in a field.
import { short, type LogFields, type Logger, type LogLevel } from "./log";

/** Every event name and its level; readers match `entry.event` against these names. */
export const EVENTS = {
  // The process (cli/run.ts).
  node_starting: "info",
  node_start_failed: "error",
  signal_received: "info",
  signal_repeated: "warn",
  shutdown_failed: "error",
  // Session and lifecycle (runtime/node-runtime.ts).
  signed_in: "info",
  sign_in_retry: "warn",
  listening: "info",
  shutting_down: "info",
  marked_not_serving: "info",
  mark_not_serving_failed: "warn",
  stopped: "info",
  sourcing_paused: "info",
  sourcing_resumed: "info",
  // Heartbeat and listeners.
  heartbeat_reauth: "warn",
  heartbeat_failed: "warn",
  listener_stopped: "warn",
  connection_lost: "warn",
  connection_restored: "info",
  signed_in_again: "info",
  listeners_restored: "info",
  recovery_failed: "warn",
  // The request feed.
  request_expired: "info",
  request_seen: "info",
  request_auth_retry: "warn",
  request_retry: "warn",
  request_failed: "error",
  // Both roles.
  not_expected: "info",
  already_written: "info",
  // The miner.
  closed_before_submitting: "info",
  submitted: "info",
  declined: "info",
  curator_failed: "warn",
  // The validator.
  trust_changed: "info",
  collecting_submissions: "info",
  closed_while_collecting: "info",
  all_declined: "info",
  no_submission: "warn",
  no_valid_submission: "warn",
  ranker_empty: "warn",
  closed_while_ranking: "info",
  ranked: "info",
  ranker_failed: "warn",
  llm_fallback: "warn",
} as const satisfies Record<string, LogLevel>;

export type NodeEvent = keyof typeof EVENTS;

type Req = { request_id: string };
type Failure = { error: string };
type Opt<T> = T | undefined;

function emit(log: Logger, name: NodeEvent, data: object, message: string, fields?: LogFields) {
  log[EVENTS[name]](message, fields, { name, data: data as Record<string, unknown> });
}

/** `request 1234abcd: <what>`: the prefix of every line about one request. */
const about = (f: Req, what: string) => `request ${short(f.request_id)}: ${what}`;

export const events = {
  nodeStarting: (
    log: Logger,
    f: {
      hotkey: string;
      key_from: string;
      api: string;
      project: string;
      firestore_emulator: Opt<string>;
      auth_emulator: Opt<string>;
      curator: Opt<string>;
      ranker: Opt<string>;
    },
  ) =>
    emit(log, "node_starting", f, "starting", {
      hotkey: f.hotkey,
      key_from: f.key_from,
      api: f.api,
      project: f.project,
      firestore_emulator: f.firestore_emulator,
      auth_emulator: f.auth_emulator,
      curator: f.curator,
      ranker: f.ranker,
    }),
  nodeStartFailed: (log: Logger, f: Failure) =>
    emit(log, "node_start_failed", f, `cannot start: ${f.error}`),
  signalReceived: (log: Logger, f: { signal: string }) =>
    emit(log, "signal_received", f, `${f.signal} received`),
  signalRepeated: (log: Logger, f: { signal: string }) =>
    emit(log, "signal_repeated", f, `${f.signal} again, exiting now`),
  shutdownFailed: (log: Logger, f: Failure) =>
    emit(log, "shutdown_failed", f, `shutdown failed: ${f.error}`),

  signedIn: (log: Logger, f: { role: string; hotkey: string; ms: number }) =>
    emit(log, "signed_in", f, `signed in as ${f.role}`, { hotkey: f.hotkey, ms: f.ms }),
  signInRetry: (log: Logger, f: Failure & { retry_in_ms: number }) =>
    emit(
      log,
      "sign_in_retry",
      f,
      `sign-in failed, retrying in ${f.retry_in_ms / 1000} s: ${f.error}`,
    ),
  listening: (log: Logger, f: { uid: number; open: number; heartbeat_s: number }) =>
    emit(log, "listening", f, "listening for requests", {
      uid: f.uid,
      open: f.open,
      heartbeat_s: f.heartbeat_s,
    }),
  shuttingDown: (log: Logger) => emit(log, "shutting_down", {}, "shutting down"),
  markedNotServing: (log: Logger) => emit(log, "marked_not_serving", {}, "marked not serving"),
  markNotServingFailed: (log: Logger, f: Failure) =>
    emit(log, "mark_not_serving_failed", f, `could not mark not serving: ${f.error}`),
  stopped: (log: Logger) => emit(log, "stopped", {}, "stopped"),
  sourcingPaused: (log: Logger, f: Req & { done: number }) =>
    emit(log, "sourcing_paused", f, about(f, "sourcing paused"), { done: f.done }),
  sourcingResumed: (log: Logger, f: { done: number }) =>
    emit(log, "sourcing_resumed", f, `sourcing resumed (${f.done} done so far)`),

  /** The heartbeat's token is no longer accepted: the node signs in again. */
  heartbeatReauth: (log: Logger, f: { code: string }) =>
    emit(log, "heartbeat_reauth", f, `heartbeat failed: ${f.code}; signing in again`),
  /** `unregistered`: refused although our token is fine, as for a hotkey left out of the registry. */
  heartbeatFailed: (log: Logger, f: { code: string; unregistered: boolean }) =>
    emit(
      log,
      "heartbeat_failed",
      f,
      `heartbeat failed: ${f.code}${f.unregistered ? " (is this hotkey still in the registry?)" : ""}`,
    ),
  listenerStopped: (log: Logger, f: { listener: string; code: string }) =>
    emit(log, "listener_stopped", f, `${f.listener} listener stopped: ${f.code}`),
  connectionLost: (log: Logger) =>
    emit(log, "connection_lost", {}, "lost the connection to Firestore; reconnecting"),
  connectionRestored: (log: Logger) =>
    emit(log, "connection_restored", {}, "connection to Firestore restored"),
  signedInAgain: (log: Logger) => emit(log, "signed_in_again", {}, "signed in again"),
  listenersRestored: (log: Logger, f: { attempt: number; open: number }) =>
    emit(log, "listeners_restored", f, "listeners restored", { attempt: f.attempt, open: f.open }),
  recoveryFailed: (log: Logger, f: Failure & { attempt: number; retry_in_s: number }) =>
    emit(log, "recovery_failed", f, `recovery attempt ${f.attempt} failed: ${f.error}`, {
      retry_in_s: f.retry_in_s,
    }),

  requestExpired: (log: Logger, f: Req) =>
    emit(log, "request_expired", f, about(f, "past its timeout, skipped")),
  requestSeen: (log: Logger, f: Req & { seen_at_ms: number; broadcast_ms: number }) =>
    emit(log, "request_seen", f, about(f, "seen"), {
      request_id: f.request_id,
      seen_at_ms: f.seen_at_ms,
      broadcast_ms: f.broadcast_ms,
    }),
  requestAuthRetry: (log: Logger, f: Req & { code: string }) =>
    emit(log, "request_auth_retry", f, about(f, `${f.code}, will retry`)),
  requestRetry: (log: Logger, f: Req & { code: string; retry_in_ms: number }) =>
    emit(log, "request_retry", f, about(f, `${f.code}, retrying in ${f.retry_in_ms / 1000} s`)),
  requestFailed: (log: Logger, f: Req & Failure) =>
    emit(log, "request_failed", f, about(f, `failed: ${f.error}`)),

  notExpected: (log: Logger, f: Req & { role: "validator" | "miner" }) =>
    emit(log, "not_expected", f, about(f, `not among its expected ${f.role}s, skipped`)),
  /** A restart or a duplicate event found the node's own document for the request written. */
  alreadyWritten: (log: Logger, f: Req & { doc: "submission" | "decline" | "ranking" }) =>
    emit(log, "already_written", f, about(f, `${f.doc} already written, nothing to do`)),

  closedBeforeSubmitting: (log: Logger, f: Req) =>
    emit(log, "closed_before_submitting", f, about(f, "closed before submitting")),
  submitted: (
    log: Logger,
    f: Req & {
      num_leads: number;
      asked: number;
      curate_ms: number;
      total_ms: number;
      since_created_ms: number;
    },
  ) =>
    emit(log, "submitted", f, about(f, `submitted ${f.num_leads} leads`), {
      request_id: f.request_id,
      asked: f.asked,
      curate_ms: f.curate_ms,
      total_ms: f.total_ms,
      since_created_ms: f.since_created_ms,
    }),
  declined: (log: Logger, f: Req & { since_created_ms: number }) =>
    emit(log, "declined", f, about(f, "nothing fits, declined"), {
      request_id: f.request_id,
      since_created_ms: f.since_created_ms,
    }),
  curatorFailed: (log: Logger, f: Req & Failure & { plugin: string }) =>
    emit(log, "curator_failed", f, about(f, "curator failed, declining"), {
      plugin: f.plugin,
      error: f.error,
    }),

  trustChanged: (log: Logger, f: { trust: number }) =>
    emit(log, "trust_changed", f, `trust ${f.trust}`),
  collectingSubmissions: (log: Logger, f: Req & { num_leads: number; at_most_s: number }) =>
    emit(log, "collecting_submissions", f, about(f, "collecting submissions"), {
      num_leads: f.num_leads,
      at_most_s: f.at_most_s,
    }),
  closedWhileCollecting: (log: Logger, f: Req) =>
    emit(log, "closed_while_collecting", f, about(f, "closed while collecting, not ranking")),
  allDeclined: (log: Logger, f: Req & { declined: number }) =>
    emit(log, "all_declined", f, about(f, "every expected miner declined, nothing to rank"), {
      declined: f.declined,
    }),
  noSubmission: (log: Logger, f: Req & { waited_s: number; stop: string }) =>
    emit(log, "no_submission", f, about(f, "no submission arrived, not ranking"), {
      waited_s: f.waited_s,
      stop: f.stop,
    }),
  noValidSubmission: (log: Logger, f: Req & { rejected: number }) =>
    emit(log, "no_valid_submission", f, about(f, "no valid submission, not ranking"), {
      rejected: f.rejected,
    }),
  rankerEmpty: (log: Logger, f: Req) =>
    emit(log, "ranker_empty", f, about(f, "ranker returned nothing, not ranking")),
  closedWhileRanking: (log: Logger, f: Req) =>
    emit(log, "closed_while_ranking", f, about(f, "closed while ranking, not writing")),
  ranked: (
    log: Logger,
    f: Req & {
      num_leads_ranked: number;
      submissions: number;
      rejected_submissions: number;
      declined: number;
      stop: string;
      first_submission_after_ms: number | null;
      collected_ms: number;
      rank_ms: number;
      total_ms: number;
      since_created_ms: number;
    },
  ) =>
    emit(log, "ranked", f, about(f, `ranked ${f.num_leads_ranked} leads`), {
      request_id: f.request_id,
      submissions: f.submissions,
      rejected_submissions: f.rejected_submissions,
      declined: f.declined,
      stop: f.stop,
      first_submission_after_ms: f.first_submission_after_ms,
      collected_ms: f.collected_ms,
      rank_ms: f.rank_ms,
      total_ms: f.total_ms,
      since_created_ms: f.since_created_ms,
    }),
  rankerFailed: (log: Logger, f: Req & Failure & { plugin: string }) =>
    emit(log, "ranker_failed", f, about(f, "ranker failed, not ranking"), {
      plugin: f.plugin,
      error: f.error,
    }),
  llmFallback: (log: Logger, f: Failure) =>
    emit(log, "llm_fallback", f, `LLM ranking failed, used the heuristic: ${f.error}`),
};
