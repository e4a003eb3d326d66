// How long a validator collects miner submissions before it ranks. Pure, so the policy is tested
// without a clock or a database.
//
// The validator stops at once when every miner the request expects has submitted or declined
// (event-driven: nothing more can come). The terms below are only caps, for miners that stay silent.
//
// Let start be when the validator began collecting, first when the first submission arrived, last
// when the latest new answer (submission or decline) arrived, and missing the expected miners that
// have neither submitted nor declined yet.
//
// A request that names its expected miners (every request since they were recorded): the
// validator waits for that set, bounded by the deadline. It stops at
//
//   stop = min( last + settleMs + settlePerMissingMs * missing,   silence, scaled to who is missing
//               validator_deadline - deadlineMarginMs )             and early enough to beat it
//
// There is no fixed window after the first submission and no overall cap short of the deadline:
// at the subnet's real size (192 miners) answers arrive over tens of seconds on a loaded backend,
// and a fixed 3 s after the first one cut most of them off, so validators ranked partial, different
// sets. The silence term only ends the wait for miners that have stopped coming: it counts from the
// latest answer, so a stream of answers keeps extending it, and it grows with the number still
// missing (defaults: 3 s + 250 ms each, so 3.25 s for one crashed miner, 28 s with 100 missing), so a
// pause in a large round does not cut off the many still to come, while a round waiting only for a
// crashed straggler or two ends a few seconds after the others answered. It exists only once a
// submission arrived; before that the validator waits for the deadline margin.
//
// A request with no expected_miners (older documents) cannot tell when everyone answered, so it
// keeps the earlier bound:
//
//   stop = min( first + afterFirstMs,        a fixed time after the first submission
//               last + settleMs,             or once no new answer came for settleMs
//               start + maxWaitMs,           never longer than this in all, once something came
//               validator_deadline - deadlineMarginMs )
//
// In both cases a validator that has seen no submission waits until the deadline margin, because
// miners slowed by load may still answer and a ranking that is late but before the deadline still
// counts. If the stop comes with no submission, the validator writes no ranking (there is nothing it
// could rank).

export interface WaitBoundConfig {
  /** Requests without expected_miners only: stop this long after the first submission arrived. */
  afterFirstMs: number;
  /** Stop once no new answer arrived for this long (plus settlePerMissingMs per missing miner). */
  settleMs: number;
  /** Requests with expected_miners: the silence allowed grows by this much per missing miner. */
  settlePerMissingMs: number;
  /** Requests without expected_miners only: never collect longer than this, from the start. */
  maxWaitMs: number;
  /** Stop at least this long before the request's validator deadline. */
  deadlineMarginMs: number;
}

export const DEFAULT_WAIT_BOUND: WaitBoundConfig = {
  afterFirstMs: 3_000,
  settleMs: 3_000,
  settlePerMissingMs: 250,
  maxWaitMs: 20_000,
  deadlineMarginMs: 2_000,
};

export interface WaitObservation {
  startedAtMs: number;
  validatorDeadlineMs: number;
  /** When the first submission was seen; null while none has. */
  firstSubmissionAtMs: number | null;
  /** When the latest new answer (submission or decline) was seen; null while none has. */
  lastSubmissionAtMs: number | null;
  /**
   * Expected miners that have neither submitted nor declined; null (or absent) when the request
   * names no expected miners.
   */
  missingMiners?: number | null;
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
    const last = Math.max(
      obs.lastSubmissionAtMs ?? obs.firstSubmissionAtMs,
      obs.firstSubmissionAtMs,
    );
    const missing = obs.missingMiners;
    if (typeof missing === "number") {
      candidates.push({
        stopAtMs: last + cfg.settleMs + cfg.settlePerMissingMs * Math.max(0, missing),
        reason: "settled",
      });
    } else {
      candidates.push({
        stopAtMs: obs.firstSubmissionAtMs + cfg.afterFirstMs,
        reason: "after_first",
      });
      candidates.push({ stopAtMs: last + cfg.settleMs, reason: "settled" });
      candidates.push({ stopAtMs: obs.startedAtMs + cfg.maxWaitMs, reason: "max_wait" });
    }
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
  if (obs.allExpectedAnswered || obs.missingMiners === 0) {
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
