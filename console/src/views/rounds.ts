// The rounds table: open and recent requests, newest first, with progress and outcome.
import { esc } from "../dom";
import {
  closedHow,
  formatDuration,
  missingValidators,
  roundTimeMs,
  type RequestRow,
} from "../model";

export function roundsTable(rows: RequestRow[], now: number, selected: string | null): string {
  if (rows.length === 0) return `<p class="empty">No requests yet.</p>`;
  const body = rows
    .map((r) => {
      const missing = missingValidators(r);
      const miners =
        `${r.minersSubmitted.length}` +
        (r.minersDeclined.length ? ` + ${r.minersDeclined.length} declined` : "") +
        (r.expectedMiners ? ` / ${r.expectedMiners.length}` : "");
      const age = r.createdMs != null ? formatDuration(now - r.createdMs) : "—";
      return `<tr data-request-id="${esc(r.id)}" data-status="${esc(r.status)}" class="${
        r.id === selected ? "selected" : ""
      }" tabindex="0">
        <td class="mono">${esc(r.id.slice(0, 8))}</td>
        <td><span class="badge ${esc(r.status)}">${esc(r.status)}</span></td>
        <td class="num" data-col="validators">${r.answered.length} / ${r.expectedValidators.length}${
          missing.length && !r.open
            ? ` <span class="warn" title="${esc(missing.join(", "))}">missing ${missing.length}</span>`
            : ""
        }${
          r.late.length
            ? ` <span class="warn" data-late="${esc(r.late.join(","))}" title="${esc(r.late.join(", "))}">${r.late.length} late</span>`
            : ""
        }</td>
        <td class="num" data-col="miners">${esc(miners)}</td>
        <td class="num">${esc(age)}</td>
        <td class="num">${esc(formatDuration(roundTimeMs(r)))}</td>
        <td data-col="closed">${esc(closedHow(r))}</td>
        <td data-col="failure">${esc(r.failureReason ?? "")}</td>
      </tr>`;
    })
    .join("");
  return `<table class="rounds">
    <thead><tr><th>request</th><th>status</th><th title="answered / expected">validators</th>
    <th title="submitted + declined / expected">miners</th><th>age</th>
    <th>time to close</th><th>closed by</th><th>failure</th></tr></thead><tbody>${body}</tbody></table>`;
}
