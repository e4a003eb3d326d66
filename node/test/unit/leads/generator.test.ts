import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const script = path.resolve(__dirname, "../../../scripts/generate-lead-pool.mjs");
const shipped = path.resolve(__dirname, "../../../data/lead-pool.json");

describe("generate-lead-pool.mjs", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "lead-pool-gen-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("regenerates the shipped pool byte for byte, every time", () => {
    const first = path.join(dir, "a", "pool.json");
    const second = path.join(dir, "b.json");
    execFileSync(process.execPath, [script, first], { stdio: "pipe" });
    execFileSync(process.execPath, [script, second], { stdio: "pipe" });
    const expected = readFileSync(shipped);
    expect(readFileSync(first).equals(expected)).toBe(true);
    expect(readFileSync(second).equals(expected)).toBe(true);
  });
});
