import { parseShare } from "../../../src/config";
import { answeredTrustShare, reachesShare } from "../../../src/lifecycle/earlyClose";

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
