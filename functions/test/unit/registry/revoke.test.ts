import { hotkeysToRevoke } from "../../../src/registry/revoke";
import { formatSyncReport } from "../../../src/admin/format";
import type { SyncReport } from "../../../src/registry/sync";

describe("hotkeysToRevoke", () => {
  it("ends the session of a removed hotkey that had a role, and of a role change", () => {
    expect(
      hotkeysToRevoke({
        removed: [
          { hotkey: "B", uid: 1, previous_role: "miner" },
          { hotkey: "N", uid: 2, previous_role: null },
        ],
        updated: [
          { hotkey: "A", uid: 0, fields: ["role", "validator_permit"] },
          { hotkey: "T", uid: 3, fields: ["validator_trust", "stake"] },
        ],
      }),
    ).toEqual(["A", "B"]);
  });

  it("a sync that changes no role revokes nothing", () => {
    expect(
      hotkeysToRevoke({
        removed: [],
        updated: [{ hotkey: "T", uid: 3, fields: ["validator_trust", "axon"] }],
      }),
    ).toEqual([]);
  });
});

describe("formatSyncReport: sessions", () => {
  const base: SyncReport = {
    netuid: 1,
    block: 2,
    neurons: 1,
    validators: 1,
    miners: 0,
    added: [],
    removed: [{ hotkey: "B", uid: 1, previous_role: "miner" }],
    trust_changed: [],
    updated: [],
    unchanged: [],
    written: 1,
    batches: 1,
    dry_run: false,
    sessions: { revoked: ["B"], no_session: [], failed: [] },
    synced_at: "2026-11-26T10:00:00.000Z",
    previous: null,
  };

  it("reports revoked sessions and names failures", () => {
    expect(formatSyncReport(base)).toContain("Sessions ended (removed or role changed): 1 revoked");
    const failed = formatSyncReport({
      ...base,
      sessions: { revoked: [], no_session: [], failed: ["B"] },
    });
    expect(failed).toContain("1 failed (their tokens are still refused by the rules): B");
  });
});
