// The rounds table: open and recent requests, newest first, with progress and outcome. Each cell
// carries its column's name (data-label) so a phone can stack a row as label: value lines.
import { esc } from "../dom";
import {
  closedHow,
  formatDuration,
  missingValidators,
  nodeName,
  notAsked,
  roundTimeMs,
  type RequestRow,
  type Uids,
} from "../model";

const names = (hotkeys: string[], uids: Uids) => hotkeys.map((h) => nodeName(h, uids)).join(", ");

/**
 * "answered of asked", and a flag when the registry holds validators the round did not ask: a
 * round that ran without a dead validator must not read as a healthy "2 of 2".
 */
function validatorsCell(r: RequestRow, registered: readonly string[], uids: Uids): string {
  const missing = missingValidators(r);
  const skipped = notAsked(r, registered);
  return `${r.answered.length} of ${r.expectedValidators.length}${
    missing.length && !r.open
      ? ` <span class="warn" title="${esc(names(missing, uids))}">missing ${missing.length}</span>`
      : ""
  }${
    r.late.length
      ? ` <span class="warn" data-late="${esc(r.late.join(","))}" title="${esc(names(r.late, uids))}">${r.late.length} late</span>`
      : ""
  }${
    skipped.length
      ? ` <span class="warn" data-not-asked="${esc(skipped.join(","))}" title="registered but not asked (not live when it opened): ${esc(
          names(skipped, uids),
        )}">${registered.length} registered, ${skipped.length} not asked</span>`
      : ""
  }`;
}

export function roundsTable(
  rows: RequestRow[],
  now: number,
  selected: string | null,
  registeredValidators: readonly string[] = [],
  uids: Uids = new Map(),
): string {
  if (rows.length === 0) return `<p class="empty">No requests yet.</p>`;
  const body = rows
    .map((r) => {
      const miners =
        `${r.minersSubmitted.length}` +
        (r.minersDeclined.length ? ` + ${r.minersDeclined.length} declined` : "") +
        (r.expectedMiners ? ` of ${r.expectedMiners.length}` : "");
      const age = r.createdMs != null ? formatDuration(now - r.createdMs) : "—";
      return `<tr data-request-id="${esc(r.id)}" data-status="${esc(r.status)}" class="${
        r.id === selected ? "selected" : ""
      }" tabindex="0">
        <td class="mono" data-label="request" title="${esc(r.id)}">${esc(r.id.slice(0, 8))}</td>
        <td data-label="status"><span class="badge ${esc(r.status)}">${esc(r.status)}</span></td>
        <td class="num" data-col="validators" data-label="validators">${validatorsCell(r, registeredValidators, uids)}</td>
        <td class="num" data-col="miners" data-label="miners">${esc(miners)}</td>
        <td class="num" data-label="age">${esc(age)}</td>
        <td class="num" data-label="time to close">${esc(formatDuration(roundTimeMs(r)))}</td>
        <td data-col="closed" data-label="closed by">${esc(closedHow(r))}</td>
        <td data-col="failure" data-label="failure" class="${r.failureReason ? "bad" : "empty-cell"}">${esc(r.failureReason ?? "")}</td>
      </tr>`;
    })
    .join("");
  return `<table class="rounds stackable">
    <thead><tr><th>request</th><th>status</th><th title="validators answered of those the round asked">validators</th>
    <th title="miners submitted (+ declined) of those the round asked">miners</th><th>age</th>
    <th>time to close</th><th>closed by</th><th>failure</th></tr></thead><tbody>${body}</tbody></table>`;
}
