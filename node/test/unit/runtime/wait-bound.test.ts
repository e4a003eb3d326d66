import {
  DEFAULT_WAIT_BOUND,
  submissionWaitBound,
  validateWaitBound,
  waitDecision,
  type WaitObservation,
} from "../../../src/runtime/wait-bound";
import { missingMiners } from "../../../src/roles/validator";

const T0 = 1_000_000;
/** A request that names no expected miners (older documents). */
const obs = (o: Partial<WaitObservation> = {}): WaitObservation => ({
  startedAtMs: T0,
  validatorDeadlineMs: T0 + 90_000,
  firstSubmissionAtMs: null,
  lastSubmissionAtMs: null,
  ...o,
});
/** A request that names its expected miners, `missing` of them not answered yet. */
const expecting = (missing: number, o: Partial<WaitObservation> = {}): WaitObservation =>
  obs({ missingMiners: missing, allExpectedAnswered: missing === 0, ...o });

describe("submissionWaitBound", () => {
  it("defaults: 3 s after the first, 3 s settle + 250 ms per missing miner, 20 s, 2 s", () => {
    expect(DEFAULT_WAIT_BOUND).toEqual({
      afterFirstMs: 3000,
      settleMs: 3000,
      settlePerMissingMs: 250,
      maxWaitMs: 20000,
      deadlineMarginMs: 2000,
    });
  });

  it("without submissions waits until the deadline margin, not the 20 s cap", () => {
    expect(submissionWaitBound(obs())).toEqual({ stopAtMs: T0 + 88_000, reason: "deadline" });
    expect(submissionWaitBound(expecting(192))).toEqual({
      stopAtMs: T0 + 88_000,
      reason: "deadline",
    });
  });

  it("no expected miners named (older request): stops 3 s after the first submission", () => {
    expect(
      submissionWaitBound(obs({ firstSubmissionAtMs: T0 + 500, lastSubmissionAtMs: T0 + 500 })),
    ).toEqual({ stopAtMs: T0 + 3_500, reason: "after_first" });
    expect(
      submissionWaitBound(obs({ firstSubmissionAtMs: T0 + 500, lastSubmissionAtMs: T0 + 3_000 })),
    ).toEqual({ stopAtMs: T0 + 3_500, reason: "after_first" });
  });

  it("no expected miners named: a shorter settle time stops once miners go quiet", () => {
    const cfg = { ...DEFAULT_WAIT_BOUND, afterFirstMs: 10_000, settleMs: 1_000 };
    expect(
      submissionWaitBound(
        obs({ firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 2_000 }),
        cfg,
      ),
    ).toEqual({ stopAtMs: T0 + 3_000, reason: "settled" });
    // Submissions that keep coming cannot extend it past afterFirstMs.
    expect(
      submissionWaitBound(
        obs({ firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 9_900 }),
        cfg,
      ),
    ).toEqual({ stopAtMs: T0 + 10_100, reason: "after_first" });
  });

  it("no expected miners named: never past the cap or closer than the margin to the deadline", () => {
    const late = obs({ firstSubmissionAtMs: T0 + 19_000, lastSubmissionAtMs: T0 + 19_000 });
    expect(submissionWaitBound(late)).toEqual({ stopAtMs: T0 + 20_000, reason: "max_wait" });
    const nearDeadline = obs({ validatorDeadlineMs: T0 + 5_000 });
    expect(submissionWaitBound(nearDeadline)).toEqual({ stopAtMs: T0 + 3_000, reason: "deadline" });
    expect(
      submissionWaitBound({
        ...nearDeadline,
        firstSubmissionAtMs: T0 + 1_000,
        lastSubmissionAtMs: T0 + 1_000,
      }),
    ).toEqual({ stopAtMs: T0 + 3_000, reason: "deadline" });
  });
});

describe("submissionWaitBound with the expected miners named", () => {
  it("has no fixed window after the first submission and no 20 s cap", () => {
    // 100 of 192 still missing, answers still arriving 40 s in: the wait goes on.
    const streaming = expecting(100, {
      firstSubmissionAtMs: T0 + 500,
      lastSubmissionAtMs: T0 + 40_000,
    });
    expect(submissionWaitBound(streaming)).toEqual({
      stopAtMs: T0 + 40_000 + 3_000 + 100 * 250,
      reason: "settled",
    });
    expect(waitDecision(streaming, T0 + 40_001)).toEqual({
      done: false,
      checkAgainAtMs: T0 + 68_000,
    });
  });

  it("the silence allowed grows with the miners still missing", () => {
    const at = (missing: number) =>
      submissionWaitBound(
        expecting(missing, { firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 1_000 }),
      ).stopAtMs;
    expect(at(1)).toBe(T0 + 1_000 + 3_250);
    expect(at(10)).toBe(T0 + 1_000 + 5_500);
    expect(at(40)).toBe(T0 + 1_000 + 13_000);
    // Capped by the deadline margin, however many are missing.
    expect(
      submissionWaitBound(
        expecting(191, { firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 60_000 }),
      ),
    ).toEqual({ stopAtMs: T0 + 88_000, reason: "deadline" });
  });

  it("a large round whose answers trickle in never stops at 3 s after the first", () => {
    // 192 expected miners answering one every 200 ms from 1 s to 39 s: at every arrival the bound
    // lies after the next arrival, so the validator collects all of them.
    const arrivals = Array.from({ length: 192 }, (_, i) => T0 + 1_000 + i * 200);
    for (let i = 0; i < arrivals.length - 1; i++) {
      const o = expecting(192 - (i + 1), {
        firstSubmissionAtMs: arrivals[0],
        lastSubmissionAtMs: arrivals[i],
      });
      const d = waitDecision(o, arrivals[i + 1] - 1);
      expect(d.done).toBe(false);
    }
    expect(
      waitDecision(
        expecting(0, { firstSubmissionAtMs: arrivals[0], lastSubmissionAtMs: arrivals[191] }),
        arrivals[191],
      ),
    ).toEqual({ done: true, reason: "all_answered", rank: true });
  });

  it("ends a few seconds after the last answer when only a crashed straggler is missing", () => {
    const o = expecting(1, { firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 2_000 });
    expect(waitDecision(o, T0 + 5_249)).toEqual({ done: false, checkAgainAtMs: T0 + 5_250 });
    expect(waitDecision(o, T0 + 5_250)).toEqual({ done: true, reason: "settled", rank: true });
  });

  it("settlePerMissingMs 0 and settleMs 0 still stop at once only with every miner answered", () => {
    const cfg = { ...DEFAULT_WAIT_BOUND, settleMs: 0, settlePerMissingMs: 0 };
    const o = expecting(3, { firstSubmissionAtMs: T0, lastSubmissionAtMs: T0 });
    expect(submissionWaitBound(o, cfg)).toEqual({ stopAtMs: T0, reason: "settled" });
  });
});

describe("missingMiners", () => {
  it("counts expected miners that neither submitted nor declined", () => {
    expect(missingMiners(["m1", "m2", "m3"], ["m1"], ["m2"])).toBe(1);
    expect(missingMiners(["m1", "m2"], ["m1", "x"], [])).toBe(1);
    expect(missingMiners(["m1", "m2"], ["m1"], ["m2"])).toBe(0);
    expect(missingMiners([], ["m1"], [])).toBeNull();
    expect(missingMiners(null, ["m1"], [])).toBeNull();
  });
});

describe("waitDecision", () => {
  it("waits until the bound, then ranks when something arrived", () => {
    const o = obs({ firstSubmissionAtMs: T0 + 1_000, lastSubmissionAtMs: T0 + 1_000 });
    expect(waitDecision(o, T0 + 1_000)).toEqual({ done: false, checkAgainAtMs: T0 + 4_000 });
    expect(waitDecision(o, T0 + 3_999)).toEqual({ done: false, checkAgainAtMs: T0 + 4_000 });
    expect(waitDecision(o, T0 + 4_000)).toEqual({ done: true, reason: "after_first", rank: true });
  });

  it("gives up without ranking when nothing arrived by the bound", () => {
    expect(waitDecision(obs(), T0 + 87_999)).toEqual({ done: false, checkAgainAtMs: T0 + 88_000 });
    expect(waitDecision(obs(), T0 + 88_000)).toEqual({
      done: true,
      reason: "deadline",
      rank: false,
    });
  });

  it("seen after the deadline: ranks at once what is already there, or gives up", () => {
    const past = obs({ validatorDeadlineMs: T0 - 10_000 });
    expect(waitDecision(past, T0)).toEqual({ done: true, reason: "deadline", rank: false });
    expect(waitDecision({ ...past, firstSubmissionAtMs: T0, lastSubmissionAtMs: T0 }, T0)).toEqual({
      done: true,
      reason: "deadline",
      rank: true,
    });
  });

  it("validateWaitBound refuses negative, non-finite and absurd values", () => {
    expect(validateWaitBound(DEFAULT_WAIT_BOUND)).toBe(DEFAULT_WAIT_BOUND);
    expect(() => validateWaitBound({ ...DEFAULT_WAIT_BOUND, settleMs: -1 })).toThrow(/settleMs/);
    expect(() => validateWaitBound({ ...DEFAULT_WAIT_BOUND, maxWaitMs: NaN })).toThrow(/maxWaitMs/);
    expect(() =>
      validateWaitBound({ ...DEFAULT_WAIT_BOUND, settlePerMissingMs: Infinity }),
    ).toThrow(/settlePerMissingMs/);
    expect(() => validateWaitBound({ ...DEFAULT_WAIT_BOUND, afterFirstMs: 3_600_000 })).toThrow();
  });
});

describe("every expected miner answered", () => {
  it("stops at once, before any cap, and ranks what came", () => {
    const d = waitDecision(
      expecting(0, { firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 200 }),
      T0 + 250,
    );
    expect(d).toEqual({ done: true, reason: "all_answered", rank: true });
  });

  it("stops with nothing to rank when every expected miner declined", () => {
    expect(waitDecision(expecting(0), T0 + 10)).toEqual({
      done: true,
      reason: "all_answered",
      rank: false,
    });
  });

  it("otherwise the bound still applies (a silent miner)", () => {
    const o = expecting(1, { firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 100 });
    expect(waitDecision(o, T0 + 250)).toEqual({
      done: false,
      checkAgainAtMs: T0 + 3_350,
    });
    expect(waitDecision(o, T0 + 3_350)).toMatchObject({ done: true, reason: "settled" });
  });
});
