// Pure view-model for the console: turns stored documents, as core's schemas read them
// (src/documents.ts), into the rows, node states and series the page renders. No Firebase or DOM
// imports, so it is unit-tested directly. It reads only fields the schemas declare: the types say
// so, and test/unit/fields.test.ts fails on a read of any other.

import type { ConsensusLead } from "../../core/src/consensus";
import type {
  AgreementDoc,
  Doc,
  MetricsDoc,
  MinerScoresDoc,
  RegistryDoc,
  RequestDoc,
} from "./documents";
import { agreementRecord, minerScoreRecord } from "./ledgers";

/** A stored timestamp (anything with toMillis(), as the schemas read it) in epoch millis. */
export function millis(v: { toMillis(): number } | null | undefined): number | null {
  return v ? v.toMillis() : null;
}

export const OPEN = new Set(["pending", "processing"]);

export interface RequestRow {
  id: string;
  status: string;
  open: boolean;
  createdMs: number | null;
  deadlineMs: number | null;
  timeoutMs: number | null;
  finalizedMs: number | null;
  finalizedBy: string | null;
  /** What ran the close: a ranking's trigger, a Cloud Task, the sweep or a status read. */
  closedBy: string | null;
  expectedValidators: string[];
  expectedMiners: string[] | null;
  /** Validators whose rankings counted (final result) or arrived so far (open request). */
  answered: string[];
  timedOut: string[];
  /** Expected validators whose ranking came after the result was written (never counted). */
  late: string[];
  minersSubmitted: string[];
  minersDeclined: string[];
  failureReason: string | null;
  numLeads: number;
  leads: ConsensusLead[];
  businessDesc: string;
}

/** What the recent-rankings / recent-submissions listeners know about one request. */
export interface Arrivals {
  validators: Set<string>;
  miners: Set<string>;
  declined: Set<string>;
}

export function toRequestRow(id: string, d: RequestDoc, arrivals?: Arrivals): RequestRow {
  const result = d.result;
  const open = OPEN.has(d.status);
  return {
    id,
    status: d.status,
    open,
    createdMs: millis(d.created_at),
    deadlineMs: millis(d.validator_deadline),
    timeoutMs: millis(d.timeout),
    finalizedMs: millis(d.finalized_at),
    finalizedBy: result?.finalized_by ?? null,
    closedBy: d.closed_by ?? null,
    expectedValidators: d.expected_validators,
    expectedMiners: d.expected_miners ?? null,
    answered: result ? result.participants : [...(arrivals?.validators ?? [])].sort(),
    timedOut: result?.timed_out ?? [],
    late: d.late_validators ?? [],
    minersSubmitted: result ? result.miners : [...(arrivals?.miners ?? [])].sort(),
    // No request field records declines: they are miner_declines documents, so the page counts
    // those its listeners see, for open and final rounds alike.
    minersDeclined: [...(arrivals?.declined ?? [])].sort(),
    failureReason: d.failure_reason,
    numLeads: d.num_leads,
    leads: result?.leads ?? [],
    businessDesc: d.business_desc,
  };
}

/**
 * Expected validators that have not answered: for a final request, those that timed out. A late
 * validator did answer, after the result: it is listed as late, not missing.
 */
export function missingValidators(row: RequestRow): string[] {
  const answered = new Set([...row.answered, ...row.late]);
  return row.expectedValidators.filter((v) => !answered.has(v));
}

/** How a finished round ended, e.g. "quorum via ranking", "deadline via task", "failed via task". */
export function closedHow(row: RequestRow): string {
  if (row.open) return "";
  const how = row.status === "failed" ? "failed" : (row.finalizedBy ?? row.status);
  return row.closedBy ? `${how} via ${row.closedBy}` : how;
}

/** created → finalised, for finished requests. */
export function roundTimeMs(row: RequestRow): number | null {
  return row.finalizedMs != null && row.createdMs != null ? row.finalizedMs - row.createdMs : null;
}

/** How long after the validator deadline a request finalised by the deadline path was closed. */
export function deadlineLagMs(row: RequestRow): number | null {
  if (row.finalizedMs == null || row.deadlineMs == null) return null;
  if (row.finalizedBy !== "deadline" && row.status !== "failed") return null;
  return Math.max(0, row.finalizedMs - row.deadlineMs);
}

// ---------------------------------------------------------------- nodes

export interface Liveness {
  /** No heartbeat for longer than this: dead (the backend stops expecting it). */
  deadAfterMs: number;
  /** No heartbeat for longer than this: lagging (a beat or more missed). */
  lagAfterMs: number;
  /** The request whose recorded params these are; null for the defaults. */
  from: string | null;
}

/**
 * The backend's defaults (functions/.env HEARTBEAT_WINDOW_SECONDS=45, HEARTBEAT_PERIOD_SECONDS=15;
 * a unit test holds them equal). Used only until a request records the params in force.
 */
export const DEFAULT_LIVENESS = { windowMs: 45_000, periodMs: 15_000 } as const;

/** Lagging once more than one and a half beats are missing, never later than dead. */
function limitsOf(windowMs: number, periodMs: number, from: string | null): Liveness {
  return { deadAfterMs: windowMs, lagAfterMs: Math.min(windowMs, periodMs * 1.5), from };
}

export const LIVENESS: Liveness = limitsOf(
  DEFAULT_LIVENESS.windowMs,
  DEFAULT_LIVENESS.periodMs,
  null,
);

/**
 * The liveness window the backend used for its newest request (each request records the
 * HEARTBEAT_WINDOW_SECONDS / HEARTBEAT_PERIOD_SECONDS that chose its expected nodes), so the page
 * calls a node dead exactly when the backend stops expecting it. `requests`: newest first.
 */
export function livenessFrom(requests: readonly Doc<RequestDoc>[]): Liveness {
  for (const r of requests) {
    const l = r.data.liveness;
    if (!l || l.window_ms <= 0) continue;
    const periodMs = l.period_ms;
    return limitsOf(
      l.window_ms,
      periodMs != null && periodMs > 0 ? periodMs : DEFAULT_LIVENESS.periodMs,
      r.id,
    );
  }
  return LIVENESS;
}

export type NodeState = "live" | "lagging" | "dead" | "off";

export interface NodeRow {
  hotkey: string;
  uid: number | null;
  role: string;
  trust: number | null;
  stake: number | null;
  serving: boolean;
  lastSeenMs: number | null;
  state: NodeState;
}

export function nodeState(
  serving: boolean,
  lastSeenMs: number | null,
  now: number,
  limits: Pick<Liveness, "deadAfterMs" | "lagAfterMs"> = LIVENESS,
): NodeState {
  if (lastSeenMs == null) return "dead";
  const age = now - lastSeenMs;
  if (age > limits.deadAfterMs) return "dead";
  if (!serving) return "off";
  return age > limits.lagAfterMs ? "lagging" : "live";
}

export function toNodeRow(
  d: RegistryDoc,
  now: number,
  limits: Pick<Liveness, "deadAfterMs" | "lagAfterMs"> = LIVENESS,
): NodeRow {
  const lastSeenMs = millis(d.last_seen);
  return {
    hotkey: d.hotkey,
    uid: d.uid,
    role: d.role ?? "none",
    trust: d.validator_trust,
    stake: d.stake,
    serving: d.is_serving,
    lastSeenMs,
    state: nodeState(d.is_serving, lastSeenMs, now, limits),
  };
}

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile (p in 0..100) of the values; null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: number[]): number | null {
  return percentile(values, 50);
}

/**
 * Agreement of each validator with the consensus recorded in one consensus_metrics document:
 * clipped_share, the share of its score mass that survived clipping at the consensus (Yuma's
 * validator trust); rank_correlation when that is undefined (it scored every lead 0).
 */
export function agreementByValidator(metrics: MetricsDoc): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [hotkey, a] of Object.entries(metrics.agreement)) {
    const figure = a.clipped_share ?? a.rank_correlation;
    if (figure != null) out[hotkey] = figure;
  }
  return out;
}

/** The rolling figure of a validator_agreement document (clipped share, else rank correlation). */
export function rollingAgreement(ledger: AgreementDoc): number | null {
  const r = agreementRecord(ledger);
  return r ? (r.rolling_clipped_share ?? r.rolling_rank_correlation) : null;
}

/** The rolling score of a miner_scores document (what weights are computed from). */
export function rollingMinerScore(ledger: MinerScoresDoc): number | null {
  return minerScoreRecord(ledger)?.rolling_score ?? null;
}

export interface Bucket {
  startMs: number;
  values: number[];
}

/** Splits [from, to) into `count` equal buckets and drops each (time, value) into its bucket. */
export function bucketize(
  points: { t: number; v: number }[],
  from: number,
  to: number,
  count: number,
): Bucket[] {
  const width = (to - from) / count;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({
    startMs: from + i * width,
    values: [],
  }));
  for (const p of points) {
    if (p.t < from || p.t >= to) continue;
    buckets[Math.min(count - 1, Math.floor((p.t - from) / width))].values.push(p.v);
  }
  return buckets;
}

// ---------------------------------------------------------------- formatting

export function formatDuration(ms: number | null): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function shortKey(hotkey: string): string {
  return hotkey.length > 12 ? `${hotkey.slice(0, 6)}…${hotkey.slice(-4)}` : hotkey;
}

/** Registered nodes' uids by hotkey: what names a node on the page. */
export type Uids = ReadonlyMap<string, number | null>;

export function uidsOf(rows: readonly NodeRow[]): Map<string, number | null> {
  return new Map(rows.map((n) => [n.hotkey, n.uid]));
}

/**
 * The one way the page names a node: its uid and the short form of its hotkey ("uid 3 · 5Grwva…utQY"),
 * or the short form alone for a hotkey the registry no longer holds. The full hotkey goes in titles.
 */
export function nodeName(hotkey: string, uids: Uids = new Map()): string {
  const uid = uids.get(hotkey);
  return uid == null ? shortKey(hotkey) : `uid ${uid} · ${shortKey(hotkey)}`;
}

/** Registered validators a request did not ask (not live when it was created). */
export function notAsked(row: RequestRow, registeredValidators: readonly string[]): string[] {
  const asked = new Set(row.expectedValidators);
  return registeredValidators.filter((v) => !asked.has(v));
}

/** A request id typed into the search box: the whole id, or a prefix of one the page has loaded. */
export function findRequest(
  typed: string,
  loaded: readonly string[],
): { id: string } | { error: string } {
  const q = typed.trim().toLowerCase();
  if (!q) return { error: "Type a request id (or its first characters)." };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(q)) return { id: q };
  if (!/^[0-9a-f-]+$/.test(q)) return { error: "A request id has only 0-9, a-f and dashes." };
  const hits = loaded.filter((id) => id.startsWith(q));
  if (hits.length === 1) return { id: hits[0] };
  if (hits.length > 1)
    return { error: `${hits.length} loaded requests start with ${q}: type more.` };
  return {
    error: `No loaded request starts with ${q}. Paste the whole id to open an older one.`,
  };
}
