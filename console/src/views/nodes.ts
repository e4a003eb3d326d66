// The nodes table: every registered validator and miner, its liveness from its heartbeat, its
// response time over the recent rankings/submissions, its latest agreement with the consensus
// (validators) and its rolling score from consensus (miners: miner_scores, what weights follow).
import { esc } from "../dom";
import { formatDuration, median, shortKey, type Liveness, type NodeRow } from "../model";

/** Server time may run a little ahead of this page's clock: under a second reads "just now". */
function lastSeen(at: number | null, now: number): string {
  if (at == null) return "never";
  return now - at < 1000 ? "just now" : `${esc(formatDuration(now - at))} ago`;
}

/**
 * The thresholds the states below use, and where they come from: the backend's params as its
 * newest request recorded them, or the documented defaults before any request exists.
 */
export function livenessNote(l: Liveness): string {
  const source = l.from
    ? `HEARTBEAT_WINDOW_SECONDS / HEARTBEAT_PERIOD_SECONDS as request <span class="mono">${esc(shortKey(l.from))}</span> recorded them`
    : "the backend's defaults (no request has recorded its params yet)";
  return `<p class="muted" id="liveness" data-dead-after-ms="${l.deadAfterMs}" data-lag-after-ms="${l.lagAfterMs}"
    data-source="${l.from ? "request" : "default"}">Dead after ${esc(formatDuration(l.deadAfterMs))} without a heartbeat,
    lagging after ${esc(formatDuration(l.lagAfterMs))}: ${source}.</p>`;
}

export function nodesTable(
  rows: NodeRow[],
  now: number,
  responses: Map<string, number[]>,
  agreement: Map<string, number>,
  minerScores: Map<string, number> = new Map(),
): string {
  if (rows.length === 0) return `<p class="empty">The registry is empty.</p>`;
  const body = rows
    .map((n) => {
      const a = agreement.get(n.hotkey);
      const score = minerScores.get(n.hotkey);
      return `<tr data-hotkey="${esc(n.hotkey)}" data-state="${n.state}" class="state-${n.state}">
        <td class="num">${n.uid ?? "—"}</td>
        <td class="mono" title="${esc(n.hotkey)}">${esc(n.hotkey.slice(0, 10))}…</td>
        <td>${esc(n.role)}</td>
        <td class="num">${n.trust == null ? "—" : n.trust.toFixed(3)}</td>
        <td><span class="badge ${n.state}">${n.state}</span>${n.serving ? "" : " <small>not serving</small>"}</td>
        <td class="num">${lastSeen(n.lastSeenMs, now)}</td>
        <td class="num">${esc(formatDuration(median(responses.get(n.hotkey) ?? [])))}</td>
        <td class="num" data-col="agreement">${a == null ? "—" : a.toFixed(2)}</td>
        <td class="num" data-col="miner-score">${score == null ? "—" : score.toFixed(3)}</td>
      </tr>`;
    })
    .join("");
  return `<table class="nodes"><thead><tr><th>uid</th><th>hotkey</th><th>role</th><th>trust</th>
    <th>state</th><th>last heartbeat</th><th>response (median)</th><th>agreement</th>
    <th title="rolling mean credit from consensus (miner_scores)">miner score</th></tr></thead>
    <tbody>${body}</tbody></table>`;
}
