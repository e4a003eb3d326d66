// The nodes table: every registered validator and miner, its liveness from its heartbeat, its
// response time over the recent rankings/submissions, its latest agreement with the consensus
// (validators) and its rolling score from consensus (miners: miner_scores, what weights follow).
import { esc } from "../dom";
import {
  formatDuration,
  median,
  nodeName,
  shortKey,
  uidsOf,
  type Liveness,
  type NodeRow,
} from "../model";

/** Server time may run a little ahead of this page's clock: under a second reads "just now". */
function lastSeen(at: number | null, now: number): string {
  if (at == null) return "never";
  return now - at < 1000 ? "just now" : `${esc(formatDuration(now - at))} ago`;
}

/**
 * The thresholds the states below use, in words, and where they come from: the backend's params as
 * its newest request recorded them, or the documented defaults before any request exists.
 */
export function livenessNote(l: Liveness): string {
  const source = l.from
    ? `These follow the backend's heartbeat settings, as request <span class="mono">${esc(shortKey(l.from))}</span> recorded them.`
    : "These are the backend's default settings: no request has recorded its own yet.";
  return `<p class="muted" id="liveness" data-dead-after-ms="${l.deadAfterMs}" data-lag-after-ms="${l.lagAfterMs}"
    data-source="${l.from ? "request" : "default"}" title="params HEARTBEAT_WINDOW_SECONDS and HEARTBEAT_PERIOD_SECONDS">A node is
    <strong>lagging</strong> when nothing has been heard from it for ${esc(formatDuration(l.lagAfterMs))}, and
    <strong>dead</strong> after ${esc(formatDuration(l.deadAfterMs))}: a dead validator is not asked to rank new
    requests. ${source}</p>`;
}

export function nodesTable(
  rows: NodeRow[],
  now: number,
  responses: Map<string, number[]>,
  agreement: Map<string, number>,
  minerScores: Map<string, number> = new Map(),
): string {
  if (rows.length === 0) return `<p class="empty">The registry is empty.</p>`;
  const uids = uidsOf(rows);
  const body = rows
    .map((n) => {
      const a = agreement.get(n.hotkey);
      const score = minerScores.get(n.hotkey);
      return `<tr data-hotkey="${esc(n.hotkey)}" data-state="${n.state}" class="state-${n.state}">
        <td class="mono" data-label="node" title="${esc(n.hotkey)}">${esc(nodeName(n.hotkey, uids))}</td>
        <td data-label="role">${esc(n.role)}</td>
        <td data-label="state"><span class="badge ${n.state}">${n.state}</span>${n.serving ? "" : " <small>not serving</small>"}</td>
        <td class="num" data-col="last-heartbeat" data-label="last heartbeat">${lastSeen(n.lastSeenMs, now)}</td>
        <td class="num" data-label="trust">${n.trust == null ? "—" : n.trust.toFixed(3)}</td>
        <td class="num" data-label="response (median)">${esc(formatDuration(median(responses.get(n.hotkey) ?? [])))}</td>
        <td class="num" data-col="agreement" data-label="agreement">${a == null ? "—" : a.toFixed(2)}</td>
        <td class="num" data-col="miner-score" data-label="miner score">${score == null ? "—" : score.toFixed(3)}</td>
      </tr>`;
    })
    .join("");
  return `<table class="nodes stackable"><thead><tr><th>node</th><th>role</th>
    <th>state</th><th>last heartbeat</th><th>trust</th><th>response (median)</th><th>agreement</th>
    <th title="rolling mean credit from consensus (miner_scores)">miner score</th></tr></thead>
    <tbody>${body}</tbody></table>`;
}
