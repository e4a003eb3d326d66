// The signed-in operator's page: rounds + timeline, nodes, plots, all fed by live listeners. Rounds
// and timeline take the full width: a round's row (progress, miners, how it closed, failure) is
// too wide to share a row with the timeline without scrolling sideways.
import type { Firestore } from "firebase/firestore";
import { $, esc, patch, scheduler } from "../dom";
import {
  agreementByValidator,
  findRequest,
  rollingAgreement,
  rollingMinerScore,
  uidsOf,
} from "../model";
import { MAX_PAGES, PAGE_SIZE, WINDOW_MS } from "../queries";
import { Store } from "../store";
import { Charts } from "./charts";
import { livenessNote, nodesTable } from "./nodes";
import { roundsTable } from "./rounds";
import { Timeline } from "./timeline";

export function startDashboard(root: HTMLElement, db: Firestore, who: string): () => void {
  root.innerHTML = `
    <p class="who">Signed in as <strong>${esc(who)}</strong> <button id="sign-out" type="button">Sign out</button></p>
    <p id="errors" class="error" role="alert"></p>
    <div class="grid">
      <section class="card wide" id="rounds-card"><h2>Rounds</h2>
        <form id="find-request" class="find" role="search">
          <label>Find a request <input name="id" placeholder="request id or its first characters"
            autocomplete="off" spellcheck="false"></label> <button type="submit">Open</button>
          <span id="find-error" class="error" role="status"></span>
        </form>
        <div id="rounds"></div>
        <button id="older" type="button">Older requests</button></section>
      <section class="card wide" id="timeline-card"><h2>Timeline</h2><div id="timeline-slot"></div></section>
      <section class="card wide" id="nodes-card"><h2>Nodes</h2><div id="nodes"></div></section>
      <section class="card plot"><h2>Round time and deadline lag (last hour)</h2><div class="canvas"><canvas id="chart-round-time"></canvas></div></section>
      <section class="card plot"><h2>Requests by outcome (last hour)</h2><div class="canvas"><canvas id="chart-outcomes"></canvas></div></section>
      <section class="card plot"><h2>Agreement with the consensus, per validator</h2><div class="canvas"><canvas id="chart-agreement"></canvas></div></section>
    </div>`;
  let selected: string | null = null;
  const charts = new Charts(root);
  let lastChartAt = 0;
  let plotted = -1;
  const render = () => {
    const errors = [...store.errors.values()];
    $("#errors", root).textContent = errors.length ? `Cannot read: ${errors.join("; ")}` : "";
    const liveness = store.liveness();
    const nodes = store.nodeRows(liveness);
    const uids = uidsOf(nodes);
    const validators = nodes.filter((n) => n.role === "validator").map((n) => n.hotkey);
    patch(
      $("#rounds", root),
      roundsTable(store.requestRows(), store.now, selected, validators, uids),
    );
    ($("#older", root) as HTMLButtonElement).disabled =
      store.pages >= MAX_PAGES || store.recent.length < store.pages * PAGE_SIZE;
    patch($("#timeline-slot", root), timeline.render(validators, uids));
    const latest = new Map<string, number>();
    // The rolling figure (validator_agreement) first; else the latest request's figure.
    for (const a of store.agreement) {
      const v = rollingAgreement(a.data);
      if (v != null) latest.set(a.data.hotkey, v);
    }
    // Metrics arrive newest first: the first figure seen for a validator is its latest.
    for (const m of store.metrics) {
      for (const [hotkey, v] of Object.entries(agreementByValidator(m.data))) {
        if (!latest.has(hotkey)) latest.set(hotkey, v);
      }
    }
    const scores = new Map<string, number>();
    for (const m of store.minerScores) {
      const v = rollingMinerScore(m.data);
      if (v != null) scores.set(m.data.hotkey, v);
    }
    patch(
      $("#nodes", root),
      livenessNote(liveness) + nodesTable(nodes, store.now, store.responseTimes(), latest, scores),
    );
    // Plots: when their data changed, and every 10 s so the last-hour window slides.
    if (store.plotVersion !== plotted || store.now - lastChartAt >= 10_000) {
      plotted = store.plotVersion;
      lastChartAt = store.now;
      charts.update(
        store.requestRows(store.window),
        store.metrics.map((m) => m.data),
        store.now - WINDOW_MS,
        store.now,
        uids,
      );
    }
    root.dataset.firstLoad = store.firstLoadAt == null ? "" : "done";
  };
  const changed = scheduler(render);
  const store = new Store(db, changed);
  const timeline = new Timeline(db, changed);
  const open = (id: string | undefined) => {
    if (!id || id === selected) return;
    selected = id;
    timeline.open(id);
    changed();
  };
  $("#rounds", root).addEventListener("click", (e) => {
    open((e.target as HTMLElement).closest<HTMLElement>("tr[data-request-id]")?.dataset.requestId);
  });
  $("#rounds", root).addEventListener("keydown", (e) => {
    if (e.key === "Enter")
      open(
        (e.target as HTMLElement).closest<HTMLElement>("tr[data-request-id]")?.dataset.requestId,
      );
  });
  $("#older", root).addEventListener("click", () => store.morePages());
  const find = $("#find-request", root) as HTMLFormElement;
  find.addEventListener("submit", (e) => {
    e.preventDefault();
    const found = findRequest(
      String(new FormData(find).get("id") ?? ""),
      store.requestRows().map((r) => r.id),
    );
    $("#find-error", root).textContent = "error" in found ? found.error : "";
    if ("id" in found) {
      open(found.id);
      $("#timeline-card", root).scrollIntoView({ block: "start" });
    }
  });
  store.start();
  changed();
  return () => {
    store.stop();
    timeline.close();
    charts.destroy();
  };
}
