// The batching helper of the registry sync and the CLI's change report (pure parts, no emulator).
import { formatSyncReport } from "../../../src/admin/format";
import { MAX_BATCH_WRITES, chunk, redactUrl, type SyncReport } from "../../../src/registry/sync";

describe("chunk", () => {
  it("splits writes into batches of at most MAX_BATCH_WRITES, keeping order", () => {
    const items = Array.from({ length: 1201 }, (_, i) => i);
    const batches = chunk(items, MAX_BATCH_WRITES);
    expect(MAX_BATCH_WRITES).toBeLessThanOrEqual(500);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
    expect(batches.flat()).toEqual(items);
    expect(chunk([], 500)).toEqual([]);
    expect(chunk([1, 2], 500)).toEqual([[1, 2]]);
    expect(() => chunk([1], 0)).toThrow();
  });
});

describe("redactUrl", () => {
  it("keeps only the origin, so a token in the path or query is never logged", () => {
    expect(redactUrl("https://example.com/snap.json?token=s3cret")).toBe("https://example.com");
    expect(redactUrl("https://user:pw@example.com/x")).toBe("https://example.com");
    expect(redactUrl("not a url")).toBe("(invalid URL)");
  });
});

const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const CHARLIE = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";
const DAVE = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";

function report(extra: Partial<SyncReport> = {}): SyncReport {
  return {
    netuid: 71,
    block: 1200,
    neurons: 4,
    validators: 3,
    miners: 1,
    added: [{ hotkey: CHARLIE, uid: 2, role: "validator", validator_trust: 0.5 }],
    removed: [{ hotkey: DAVE, uid: 3, previous_role: "miner" }],
    trust_changed: [{ hotkey: ALICE, uid: 0, from: 0.8, to: 0.6 }],
    updated: [
      { hotkey: ALICE, uid: 0, fields: ["validator_trust"] },
      { hotkey: BOB, uid: 1, fields: ["stake", "axon"] },
    ],
    unchanged: ["x", "y", "z"],
    written: 4,
    batches: 1,
    dry_run: false,
    sessions: { revoked: [], no_session: [DAVE], failed: [] },
    synced_at: "2026-11-26T10:00:00.000Z",
    previous: { netuid: 71, block: 1000, synced_at: "2026-11-26T09:50:00.000Z" },
    ...extra,
  };
}

describe("formatSyncReport", () => {
  it("lists added, removed, trust from → to, other updates and a summary line", () => {
    const text = formatSyncReport(report());
    expect(text.split("\n")).toEqual([
      "Metagraph netuid 71 at block 1200: 4 neurons (3 validators, 1 miner)",
      "Previous sync: netuid 71 at block 1000 (2026-11-26T09:50:00.000Z)",
      "Added (1):",
      `  + uid 2     ${CHARLIE}  validator  trust 0.5`,
      "Removed (1):",
      `  - uid 3     ${DAVE}  was miner`,
      "Trust changed (1):",
      `  ~ uid 0     ${ALICE}  0.8 → 0.6`,
      "Other updates (1):",
      `  ~ uid 1     ${BOB}  stake, axon`,
      "Summary: 1 added, 1 removed, 2 updated (1 trust changed), 3 unchanged; " +
        "4 registry documents written in 1 batch.",
    ]);
  });

  it("says a dry run wrote nothing, and omits empty sections", () => {
    const text = formatSyncReport(
      report({
        removed: [],
        updated: [],
        trust_changed: [],
        written: 0,
        batches: 0,
        dry_run: true,
        previous: null,
      }),
    );
    expect(text).toContain("Previous sync: none");
    expect(text).not.toContain("Removed");
    expect(text).not.toContain("Trust changed");
    expect(text).toMatch(
      /Summary: 1 added, 0 removed, 0 updated \(0 trust changed\), 3 unchanged; dry run: 1 registry document would be written, nothing was written\.$/,
    );
  });
});
