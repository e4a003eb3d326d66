// How long a validator collects miner submissions before it ranks. Pure, so the policy is tested
// without a clock or a database.
//
// The validator stops at once when every miner the request expects has submitted or declined
// (event-driven: nothing more can come). The terms below are only caps, for miners that stay silent.
//
// Let start be when the validator began collecting, first/last when the first/latest submission
// arrived. The validator stops collecting at
//
//   stop = min( first + afterFirstMs,        a fixed time after the first submission
//               last + settleMs,             or once no new submission came for settleMs
//               start + maxWaitMs,           never longer than this in all, once something came
//               validator_deadline - deadlineMarginMs )   and early enough to beat the deadline
//
// The first three terms exist only once a submission arrived: a validator that has seen nothing
// yet keeps waiting until the deadline margin, because miners slowed by load may still answer and
// a ranking that is late but before the deadline still counts. With the defaults (afterFirstMs =
// settleMs = 3 s) the stop is 3 s after the first submission; a shorter settleMs stops earlier
// when miners go quiet, a longer afterFirstMs waits longer for stragglers. If the stop comes with
// no submission, the validator writes no ranking (there is nothing it could rank).

export interface WaitBoundConfig {
  /** Stop this long after the first submission arrived. */
  afterFirstMs: number;
  /** Stop once no new submission arrived for this long (after the first one). */
  settleMs: number;
  /** Once a submission arrived, never collect longer than this, counted from the start. */
  maxWaitMs: number;
  /** Stop at least this long before the request's validator deadline. */
  deadlineMarginMs: number;
}

export const DEFAULT_WAIT_BOUND: WaitBoundConfig = {
  afterFirstMs: 3_000,
  settleMs: 3_000,
  maxWaitMs: 20_000,
  deadlineMarginMs: 2_000,
};

export interface WaitObservation {
  startedAtMs: number;
  validatorDeadlineMs: number;
  /** When the first submission was seen; null while none has. */
  firstSubmissionAtMs: number | null;
  /** When the latest new submission was seen; null while none has. */
  lastSubmissionAtMs: number | null;
  /** Every expected miner has submitted or declined (false when the request names none). */
  allExpectedAnswered?: boolean;
}

export type StopReason = "all_answered" | "after_first" | "settled" | "max_wait" | "deadline";

export interface WaitBound {
  stopAtMs: number;
  reason: StopReason;
}

/** When to stop collecting and why (the term that is smallest; ties go to the earlier listed). */
export function submissionWaitBound(
  obs: WaitObservation,
  cfg: WaitBoundConfig = DEFAULT_WAIT_BOUND,
): WaitBound {
  const candidates: WaitBound[] = [];
  if (obs.firstSubmissionAtMs !== null) {
    candidates.push({
      stopAtMs: obs.firstSubmissionAtMs + cfg.afterFirstMs,
      reason: "after_first",
    });
    const last = obs.lastSubmissionAtMs ?? obs.firstSubmissionAtMs;
    candidates.push({ stopAtMs: last + cfg.settleMs, reason: "settled" });
    candidates.push({ stopAtMs: obs.startedAtMs + cfg.maxWaitMs, reason: "max_wait" });
  }
  candidates.push({ stopAtMs: obs.validatorDeadlineMs - cfg.deadlineMarginMs, reason: "deadline" });
  return candidates.reduce((best, c) => (c.stopAtMs < best.stopAtMs ? c : best));
}

export type WaitDecision =
  { done: false; checkAgainAtMs: number } | { done: true; reason: StopReason; rank: boolean };

/** Whether to stop at `nowMs`; `rank` says whether there is anything to rank. */
export function waitDecision(
  obs: WaitObservation,
  nowMs: number,
  cfg: WaitBoundConfig = DEFAULT_WAIT_BOUND,
): WaitDecision {
  if (obs.allExpectedAnswered) {
    return { done: true, reason: "all_answered", rank: obs.firstSubmissionAtMs !== null };
  }
  const bound = submissionWaitBound(obs, cfg);
  if (nowMs < bound.stopAtMs) return { done: false, checkAgainAtMs: bound.stopAtMs };
  return { done: true, reason: bound.reason, rank: obs.firstSubmissionAtMs !== null };
}

/** Throws on a config no validator should run with (negative, non-finite, or a 20 min+ wait). */
export function validateWaitBound(cfg: WaitBoundConfig): WaitBoundConfig {
  for (const [name, value] of Object.entries(cfg)) {
    if (!Number.isFinite(value) || value < 0 || value > 1_200_000) {
      throw new RangeError(`${name} must be between 0 and 1200000 ms, got ${value}`);
    }
  }
  return cfg;
}
