// The weight conversion against worked examples (figures follow bittensor's weight_utils rules).
import { normalizeMaxWeight, roundHalfEven, U16_MAX, weightsFromScores } from "../../src/weights";

describe("weightsFromScores", () => {
  it("normalises, max-upscales to u16 and rounds halves to even as Python does", () => {
    // [0.25, 0.5, 0.25] → max 0.5 → 0.25/0.5 * 65535 = 32767.5 → 32768.
    expect(
      weightsFromScores([
        { uid: 3, score: 1 },
        { uid: 1, score: 1 },
        { uid: 2, score: 2 },
      ]),
    ).toEqual({ uids: [1, 2, 3], weights: [32768, U16_MAX, 32768] });
  });

  it("gives tied scores the same weight", () => {
    expect(
      weightsFromScores([
        { uid: 4, score: 0.5 },
        { uid: 9, score: 0.5 },
      ]),
    ).toEqual({ uids: [4, 9], weights: [U16_MAX, U16_MAX] });
  });

  it("sets every miner the same weight when all scores are zero", () => {
    expect(
      weightsFromScores([
        { uid: 2, score: 0 },
        { uid: 0, score: 0 },
        { uid: 7, score: 0 },
      ]),
    ).toEqual({ uids: [0, 2, 7], weights: [U16_MAX, U16_MAX, U16_MAX] });
  });

  it("gives a single miner the whole weight", () => {
    expect(weightsFromScores([{ uid: 5, score: 0.3 }])).toEqual({ uids: [5], weights: [U16_MAX] });
    expect(weightsFromScores([])).toEqual({ uids: [], weights: [] });
  });

  it("drops zero scores and weights that round to zero", () => {
    // 1e-6 / 1 * 65535 = 0.066 → 0, dropped like a zero score.
    expect(
      weightsFromScores([
        { uid: 1, score: 1 },
        { uid: 2, score: 0 },
        { uid: 3, score: 1e-6 },
        { uid: 4, score: 1e-5 },
      ]),
    ).toEqual({ uids: [1, 4], weights: [U16_MAX, 1] });
  });

  it("caps the largest weight at max_weight_limit", () => {
    const scores = [
      { uid: 1, score: 8 },
      { uid: 2, score: 1 },
      { uid: 3, score: 1 },
    ];
    // Uncapped: [0.8, 0.1, 0.1] → 0.1/0.8 * 65535 = 8191.875 → 8192.
    expect(weightsFromScores(scores)).toEqual({ uids: [1, 2, 3], weights: [U16_MAX, 8192, 8192] });
    // Capped at 0.5: [0.5, 0.25, 0.25] (bittensor's cutoff leaves a 1e-7 margin) → 32768.
    expect(weightsFromScores(scores, 0.5)).toEqual({
      uids: [1, 2, 3],
      weights: [U16_MAX, 32768, 32768],
    });
    // A limit of 1/n or less makes the weights uniform.
    expect(weightsFromScores(scores.slice(0, 2), 0.5)).toEqual({
      uids: [1, 2],
      weights: [U16_MAX, U16_MAX],
    });
  });

  it("refuses what cannot go on chain", () => {
    expect(() => weightsFromScores([{ uid: 1, score: -1 }])).toThrow(/score of uid 1/);
    expect(() => weightsFromScores([{ uid: 1, score: NaN }])).toThrow(/finite/);
    expect(() => weightsFromScores([{ uid: 70_000, score: 1 }])).toThrow(/uid must be/);
    expect(() =>
      weightsFromScores([
        { uid: 1, score: 1 },
        { uid: 1, score: 2 },
      ]),
    ).toThrow(/listed twice/);
    expect(() => weightsFromScores([{ uid: 1, score: 1 }], 0)).toThrow(/max_weight_limit/);
  });
});

describe("normalizeMaxWeight", () => {
  it("sums to 1 and keeps every weight at or under the limit", () => {
    const y = normalizeMaxWeight([10, 5, 1, 1, 1, 1, 1], 0.3);
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...y)).toBeLessThanOrEqual(0.3 + 1e-6);
    // The small ones keep their ratio.
    expect(y[2] / y[3]).toBeCloseTo(1, 12);
  });
});

describe("roundHalfEven", () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [32767.5, 32768],
    [2.4, 2],
    [2.6, 3],
  ])("%d → %d", (x, y) => expect(roundHalfEven(x)).toBe(y));
});
