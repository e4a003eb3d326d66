// The frozen test part of the lead-fit evaluation (bench/fit/split/test.json) was split off once,
// before any parser change for issue 24. Its hash is pinned here so an edit to it (a description
// reworded, a gold spec loosened, an entry dropped or moved to development) fails the unit tier:
// the figures reported for it stay figures on descriptions nobody tuned for.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const FROZEN_TEST_SHA256 = "6e397019f651cb1918f1654200a9c621518e853b8d41f01cb9c62720a4eb640c";

const splitDir = path.resolve(__dirname, "../../../../bench/fit/split");
const read = (name: string): { desc: string; n: number; gold: object; constructs: string[] }[] =>
  JSON.parse(readFileSync(path.join(splitDir, name), "utf8"));

/** Same canonical form as bench/fit/canonical.mjs: keys sorted at every level, no spaces. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("lead-fit evaluation split", () => {
  const test = read("test.json");
  const dev = read("dev.json");

  it("the frozen test part is unchanged since the split", () => {
    expect(sha256(canonical(test))).toBe(FROZEN_TEST_SHA256);
  });

  it("the hash catches a one-word edit of a frozen description", () => {
    const edited = structuredClone(test);
    edited[0].desc = `${edited[0].desc} `;
    expect(sha256(canonical(edited))).not.toBe(FROZEN_TEST_SHA256);
  });

  it("holds at least 100 frozen and 300 descriptions overall, none in both parts", () => {
    expect(test.length).toBeGreaterThanOrEqual(100);
    // + the 70 hand-kept descriptions of bench/fit/eval-set.mjs
    expect(test.length + dev.length + 70).toBeGreaterThanOrEqual(300);
    const devDescs = new Set(dev.map((d) => d.desc.toLowerCase()));
    expect(test.filter((d) => devDescs.has(d.desc.toLowerCase()))).toEqual([]);
  });
});
