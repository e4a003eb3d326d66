import {
  DEFAULT_WAIT_BOUND,
  submissionWaitBound,
  validateWaitBound,
  waitDecision,
  type WaitObservation,
} from "../../src/wait-bound";

const T0 = 1_000_000;
const obs = (o: Partial<WaitObservation> = {}): WaitObservation => ({
  startedAtMs: T0,
  validatorDeadlineMs: T0 + 90_000,
  firstSubmissionAtMs: null,
  lastSubmissionAtMs: null,
  ...o,
});

describe("submissionWaitBound", () => {
  it("defaults: 3 s, 3 s, 20 s, 2 s", () => {
    expect(DEFAULT_WAIT_BOUND).toEqual({
      afterFirstMs: 3000,
      settleMs: 3000,
      maxWaitMs: 20000,
      deadlineMarginMs: 2000,
    });
  });

  it("without submissions waits until the deadline margin, not the 20 s cap", () => {
    expect(submissionWaitBound(obs())).toEqual({ stopAtMs: T0 + 88_000, reason: "deadline" });
  });

  it("stops 3 s after the first submission by default, however many follow", () => {
    expect(
      submissionWaitBound(obs({ firstSubmissionAtMs: T0 + 500, lastSubmissionAtMs: T0 + 500 })),
    ).toEqual({ stopAtMs: T0 + 3_500, reason: "after_first" });
    expect(
      submissionWaitBound(obs({ firstSubmissionAtMs: T0 + 500, lastSubmissionAtMs: T0 + 3_000 })),
    ).toEqual({ stopAtMs: T0 + 3_500, reason: "after_first" });
  });

  it("with a shorter settle time stops once miners go quiet", () => {
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

  it("never waits past the cap or closer than the margin to the validator deadline", () => {
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
    expect(() => validateWaitBound({ ...DEFAULT_WAIT_BOUND, afterFirstMs: 3_600_000 })).toThrow();
  });
});

describe("every expected miner answered", () => {
  it("stops at once, before any cap, and ranks what came", () => {
    const d = waitDecision(
      obs({
        firstSubmissionAtMs: T0 + 100,
        lastSubmissionAtMs: T0 + 200,
        allExpectedAnswered: true,
      }),
      T0 + 250,
    );
    expect(d).toEqual({ done: true, reason: "all_answered", rank: true });
  });

  it("stops with nothing to rank when every expected miner declined", () => {
    expect(waitDecision(obs({ allExpectedAnswered: true }), T0 + 10)).toEqual({
      done: true,
      reason: "all_answered",
      rank: false,
    });
  });

  it("otherwise the caps still apply (a silent miner)", () => {
    const o = obs({ firstSubmissionAtMs: T0 + 100, lastSubmissionAtMs: T0 + 100 });
    expect(waitDecision({ ...o, allExpectedAnswered: false }, T0 + 250)).toEqual({
      done: false,
      checkAgainAtMs: T0 + 3_100,
    });
    expect(waitDecision(o, T0 + 3_100)).toMatchObject({ done: true, reason: "after_first" });
  });
});
