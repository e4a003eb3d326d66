// Human-readable text for the admin CLI. Pure: no I/O, no Firebase.
import type { Role } from "consensus-core";
import type { SyncReport } from "../registry/sync";

const roleName = (role: Role | null): string => role ?? "no role";
const uidCol = (uid: number): string => `uid ${String(uid).padEnd(5)}`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The change report of `sync-metagraph`: what was (or, on a dry run, would be) changed. */
export function formatSyncReport(report: SyncReport): string {
  const lines: string[] = [];
  lines.push(
    `Metagraph netuid ${report.netuid} at block ${report.block}: ` +
      `${plural(report.neurons, "neuron")} (${plural(report.validators, "validator")}, ` +
      `${plural(report.miners, "miner")})`,
  );
  lines.push(
    report.previous
      ? `Previous sync: netuid ${report.previous.netuid} at block ${report.previous.block} ` +
          `(${report.previous.synced_at})`
      : "Previous sync: none",
  );

  if (report.added.length > 0) {
    lines.push(`Added (${report.added.length}):`);
    for (const a of report.added) {
      lines.push(
        `  + ${uidCol(a.uid)} ${a.hotkey}  ${roleName(a.role)}  trust ${a.validator_trust}`,
      );
    }
  }
  if (report.removed.length > 0) {
    lines.push(`Removed (${report.removed.length}):`);
    for (const r of report.removed) {
      lines.push(`  - ${uidCol(r.uid)} ${r.hotkey}  was ${roleName(r.previous_role)}`);
    }
  }
  if (report.trust_changed.length > 0) {
    lines.push(`Trust changed (${report.trust_changed.length}):`);
    for (const t of report.trust_changed) {
      lines.push(`  ~ ${uidCol(t.uid)} ${t.hotkey}  ${t.from} → ${t.to}`);
    }
  }
  const otherUpdates = report.updated.filter((u) => !u.fields.includes("validator_trust"));
  if (otherUpdates.length > 0) {
    lines.push(`Other updates (${otherUpdates.length}):`);
    for (const u of otherUpdates) {
      lines.push(`  ~ ${uidCol(u.uid)} ${u.hotkey}  ${u.fields.join(", ")}`);
    }
  }

  if (report.sessions.revoked.length + report.sessions.failed.length > 0) {
    lines.push(
      `Sessions ended (removed or role changed): ${report.sessions.revoked.length} revoked` +
        (report.sessions.failed.length
          ? `, ${report.sessions.failed.length} failed (their tokens are still refused by the rules): ${report.sessions.failed.join(", ")}`
          : ""),
    );
  }
  const counts =
    `${report.added.length} added, ${report.removed.length} removed, ` +
    `${report.updated.length} updated (${report.trust_changed.length} trust changed), ` +
    `${report.unchanged.length} unchanged`;
  const writes = report.dry_run
    ? `dry run: ${plural(report.added.length + report.removed.length + report.updated.length, "registry document")} would be written, nothing was written`
    : `${plural(report.written, "registry document")} written in ${plural(report.batches, "batch", "batches")}`;
  lines.push(`Summary: ${counts}; ${writes}.`);
  return lines.join("\n");
}
