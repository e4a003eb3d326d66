import { parseShare } from "../../../src/config";
import {
  answeredTrustShare,
  mostTrustShare,
  reachesShare,
} from "../../../src/lifecycle/earlyClose";

describe("answeredTrustShare", () => {
  const trust = { a: 0.6, b: 0.3, c: 0.1 };

  it("sums the answered validators' recorded trust over the expected total", () => {
    expect(answeredTrustShare(trust, ["a"])).toBeCloseTo(0.6, 12);
    expect(answeredTrustShare(trust, ["b", "c"])).toBeCloseTo(0.4, 12);
    expect(answeredTrustShare(trust, ["a", "b", "c"])).toBeCloseTo(1, 12);
  });

  it("ignores validators that were not expected and counts a duplicate once", () => {
    expect(answeredTrustShare(trust, ["b", "b", "zz"])).toBeCloseTo(0.3, 12);
  });

  it("weighs everyone the same when all expected trust is 0", () => {
    expect(answeredTrustShare({ a: 0, b: 0, c: 0 }, ["a", "c"])).toBeCloseTo(2 / 3, 12);
  });

  it("is 0 with nobody expected", () => {
    expect(answeredTrustShare({}, ["a"])).toBe(0);
  });
});

describe("reachesShare", () => {
  it("two of three equal validators meet a share of 2/3 despite float rounding", () => {
    const share = parseShare("2/3");
    expect(reachesShare(answeredTrustShare({ a: 0.1, b: 0.1, c: 0.1 }, ["a", "b"]), share)).toBe(
      true,
    );
    expect(reachesShare(answeredTrustShare({ a: 0.1, b: 0.1, c: 0.1 }, ["a"]), share)).toBe(false);
  });

  it("a share of 1 needs everyone", () => {
    expect(reachesShare(answeredTrustShare({ a: 0.5, b: 0.5 }, ["a"]), 1)).toBe(false);
    expect(reachesShare(answeredTrustShare({ a: 0.5, b: 0.5 }, ["a", "b"]), 1)).toBe(true);
  });
});

describe("parseShare (EARLY_CLOSE_TRUST_SHARE)", () => {
  it.each([
    ["1", 1],
    ["0.5", 0.5],
    ["2/3", 2 / 3],
    [" 3 / 4 ", 0.75],
  ])("parses %j", (raw, value) => {
    expect(parseShare(raw)).toBeCloseTo(value, 12);
  });

  it.each(["0", "1.5", "4/3", "-1", "two thirds", "", "1/0"])(
    "rejects %j naming the param",
    (raw) => {
      expect(() => parseShare(raw)).toThrow(/EARLY_CLOSE_TRUST_SHARE/);
    },
  );
});

describe("mostTrustShare", () => {
  it("is the share of the largest trusts a count of validators can hold", () => {
    const trust = { a: 0.6, b: 0.3, c: 0.1 };
    expect(mostTrustShare(trust, 1)).toBeCloseTo(0.6, 12);
    expect(mostTrustShare(trust, 2)).toBeCloseTo(0.9, 12);
    expect(mostTrustShare(trust, 5)).toBeCloseTo(1, 12);
  });

  it("bounds every set of that many answered validators", () => {
    const trust = { a: 0.5, b: 0.2, c: 0.2, d: 0.1 };
    for (const answered of [["a"], ["b", "c"], ["b", "d"], ["a", "d", "c"]]) {
      expect(mostTrustShare(trust, answered.length)).toBeGreaterThanOrEqual(
        answeredTrustShare(trust, answered) - 1e-12,
      );
    }
  });

  it("is exact for equal weights, zero trust included, so the count alone decides", () => {
    expect(reachesShare(mostTrustShare({ a: 0.1, b: 0.1, c: 0.1 }, 2), parseShare("2/3"))).toBe(
      true,
    );
    expect(mostTrustShare({ a: 0, b: 0, c: 0 }, 2)).toBeCloseTo(2 / 3, 12);
    expect(mostTrustShare({}, 2)).toBe(0);
  });
});
