// Text for the admin CLI's `verify` and `agreement` commands. Pure: no I/O, no Firebase.
import type { AgreementRow } from "../audit/agreementTable";
import type { RecomputeReport } from "../audit/recompute";

const figure = (x: number | null, digits = 3): string => (x === null ? "–" : x.toFixed(digits));

export function formatVerifyReport(r: RecomputeReport): string {
  const how = r.settings ? ` (mode ${r.settings.mode}, kappa ${r.settings.kappa})` : "";
  const checked = `${r.signaturesChecked} signatures checked, ${r.leadsCompared} leads compared`;
  const notes = r.notes.map((n) => `\n  note: ${n}`).join("");
  return r.match
    ? `match: request ${r.requestId}${how}: ${checked}${notes}`
    : `MISMATCH: request ${r.requestId}${how}: ${r.difference} (${checked})` +
        r.differences
          .slice(1)
          .map((d) => `\n  also: ${d}`)
          .join("") +
        notes;
}

export function formatAgreementTable(rows: readonly AgreementRow[]): string {
  if (rows.length === 0) return "No validator agreement recorded yet.";
  const header = [
    "hotkey".padEnd(48),
    "clipped share",
    "rank corr",
    "answered (window)",
    "answered (all)",
    "last request",
  ];
  const lines = [header.join("  ")];
  for (const r of rows) {
    lines.push(
      [
        r.hotkey.padEnd(48),
        figure(r.rolling_clipped_share).padStart(13),
        figure(r.rolling_rank_correlation).padStart(9),
        `${r.rolling_answered}/${r.rolling_expected}`.padStart(17),
        `${r.requests_answered}/${r.requests_expected}`.padStart(14),
        `${r.last_request_id} (${r.updated_at})`,
      ].join("  "),
    );
  }
  lines.push(
    `Rolling figures are means over each validator's last ${rows[0].window_size} requests; ` +
      "clipped share 1 = never scored above the kappa-consensus, rank corr 1 = same order as it.",
  );
  return lines.join("\n");
}
