// Summaries, growth fits and the markdown of `npm run bench:scale` (also used by bench/run.mjs).
import { fmt, quantile } from "../lib.mjs";
import { describeGrowth } from "./fit.mjs";

const p = (xs, q) => quantile(xs.filter(Number.isFinite), q);
const sum = (o) => Object.values(o ?? {}).reduce((a, x) => a + x, 0);
const kb = (b) => (b >= 1024 * 1024 ? `${fmt(b / 1024 / 1024, 2)} MiB` : `${fmt(b / 1024, 1)} KiB`);
const ms = (x) => (Number.isFinite(x) ? `${fmt(x / 1000, x < 10_000 ? 2 : 1)} s` : "n/a");

/** What a round that did not finish got to, from its documents and the emulator's log. */
function warmupDetail(w, V, M) {
  const inv = w.invocations ?? {};
  return [
    `status ${w.status}`,
    `${w.nodesSeen}/${V + M} nodes saw it (last after ${ms(w.broadcastLast)})`,
    `${w.submissions + w.declines}/${M} miner answers (last after ${ms(w.lastAnswer)})`,
    `${w.rankings}/${V} rankings (last after ${ms(w.lastRanking)}, validators saw as few as ${w.submissionsSeenMin} submissions)`,
    w.invocations
      ? `triggers started: onSubmissionCreated ${inv.onSubmissionCreated ?? 0}, onRankingCreated ${inv.onRankingCreated ?? 0}, closeRequest ${inv.closeRequest ?? 0}`
      : null,
    `${w.nodeProblems} node warnings/errors`,
  ]
    .filter(Boolean)
    .join(", ");
}

/** Per-size summary of the emulator rounds. */
export function summariseRounds(r) {
  const rows = r.rows ?? [];
  const done = rows.filter((x) => x.status === "completed");
  const inv = rows.filter((x) => x.invocations).map((x) => x.invocations);
  const invMean = {};
  for (const i of inv) for (const [k, v] of Object.entries(i)) invMean[k] = (invMean[k] ?? 0) + v;
  for (const k of Object.keys(invMean)) invMean[k] /= inv.length || 1;
  const rankingFinish = rows.flatMap((x) => x.invocationDurations?.onRankingCreated ?? []);
  const largest = rows.reduce(
    (a, x) => (x.largest && x.largest.bytes > (a?.bytes ?? -1) ? x.largest : a),
    null,
  );
  const stops = {};
  for (const x of rows)
    for (const [k, v] of Object.entries(x.stopReasons ?? {})) stops[k] = (stops[k] ?? 0) + v;
  return {
    V: r.V,
    M: r.M,
    error: r.error ?? null,
    rounds: rows.length,
    completed: done.length,
    startMs: r.startMs,
    postP50: p(
      rows.map((x) => x.postToCompleted),
      0.5,
    ),
    postP95: p(
      rows.map((x) => x.postToCompleted),
      0.95,
    ),
    broadcastLastP50: p(
      rows.map((x) => x.broadcastLast),
      0.5,
    ),
    nodesSeenMin: rows.length ? Math.min(...rows.map((x) => x.nodesSeen)) : 0,
    lastAnswerP50: p(
      rows.map((x) => x.lastAnswer),
      0.5,
    ),
    lastRankingP50: p(
      rows.map((x) => x.lastRanking),
      0.5,
    ),
    finalAfterP50: p(
      rows.map((x) => x.finalAfterLastRanking),
      0.5,
    ),
    bytesP50: p(
      rows.map((x) => x.bytes),
      0.5,
    ),
    largest,
    invocations: inv.length ? invMean : null,
    invocationsTotal: inv.length ? sum(invMean) : NaN,
    rankingTriggerMsP50: p(rankingFinish, 0.5),
    rankingTriggerMsMax: rankingFinish.length ? Math.max(...rankingFinish) : NaN,
    expectsAll: rows.length > 0 && rows.every((x) => x.expectsAll),
    allQuorum: rows.length > 0 && rows.every((x) => x.finalizedBy === "quorum"),
    quorumCount: rows.filter((x) => x.finalizedBy === "quorum").length,
    allRankedAll: rows.length > 0 && rows.every((x) => x.everyValidatorRankedAll),
    rankedMin: rows.length ? Math.min(...rows.map((x) => x.rankedMin)) : NaN,
    poolMax: rows.length ? Math.max(...rows.map((x) => x.pool)) : NaN,
    submissionsSeenMin: rows.length ? Math.min(...rows.map((x) => x.submissionsSeenMin)) : NaN,
    stopReasons: stops,
    finalizeAttemptsMean: rows.every((x) => x.finalizeAttempts !== null)
      ? rows.reduce((a, x) => a + x.finalizeAttempts, 0) / (rows.length || 1)
      : null,
    finalizeCounts: rows.map((x) => x.finalizeCount),
    nodeProblems: rows.reduce((a, x) => a + x.nodeProblems, 0),
    warmupMs: r.warmup?.postToCompleted ?? NaN,
    warmupDetail: r.warmup ? warmupDetail(r.warmup, r.V, r.M) : null,
    warmupStatus: r.warmup?.status ?? null,
    workers: r.workers,
    cpu: r.cpu,
    nodeCpuMsPerRequest: r.nodeCpuMsPerRequest,
    byCol: rows[rows.length - 1]?.byCol ?? {},
  };
}

const BACKEND = ["api", "onSubmission", "onRanking"];
/** Per-size summary of the in-process run. */
export function summariseInProcess(x) {
  if (!x || x.error) return { ...(x ?? {}), ok: false };
  const h = x.handlers ?? {};
  const tot = (k) => BACKEND.reduce((a, n) => a + (h[n]?.[k] ?? 0), 0);
  return {
    ...x,
    ok: true,
    reads: tot("reads"),
    writes: tot("writes"),
    nodeWrites: h.nodeWrites?.writes ?? 0,
    aborted: tot("aborted"),
    lockTimeouts: tot("lockTimeouts"),
    txAttempts: tot("txAttempts"),
    retryAttempts: tot("retryAttempts"),
    finalizeCalls: tot("finalizeCalls"),
    stagedWrites: tot("stagedWrites"),
  };
}

export function growth(points) {
  const g = describeGrowth(points);
  const best = [...g.fits].sort((a, b) => b.r2 - a.r2 || a.terms.length - b.terms.length);
  const linear = g.fits.find((f) => f.terms.join() === "1,V,M");
  const sumFit = g.fits.find((f) => f.terms.join() === "1,(V+M)");
  const quad = g.fits.find((f) => f.terms.length === 5);
  const show = (f) =>
    f
      ? `${f.formula} (${f.n > f.terms.length ? `R² ${fmt(f.r2, 3)}, ${f.n} sizes` : `exact through ${f.n} sizes: no check`})`
      : "n/a";
  return {
    exponent: g.exponent,
    linear,
    quad,
    text: [
      linear ? `linear ${show(linear)}` : sumFit ? `linear in V+M ${show(sumFit)}` : null,
      quad && (!linear || linear.r2 < 0.999) ? `with V·M, V² ${show(quad)}` : null,
      Number.isFinite(g.exponent) ? `∝ (V+M)^${fmt(g.exponent, 2)}` : null,
    ]
      .filter(Boolean)
      .join("; "),
    best: best[0] ?? null,
  };
}

function table(header, rows) {
  const esc = (s) =>
    String(s)
      .replace(/\s*\n\s*/g, " ")
      .trim()
      .replace(/\|/g, "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

/** The markdown section (tables, growth, emulator vs design) for BENCHMARKS.md and stdout. */
export function scaleMarkdown(res) {
  const out = [];
  const sizes = res.rounds.map(summariseRounds);
  if (sizes.length) {
    out.push(
      table(
        [
          "V/M",
          "rounds completed",
          "POST→completed p50 / p95",
          "created→last node saw it",
          "→ last miner answer",
          "→ last ranking",
          "last ranking→finalised",
          "bytes/request (largest doc)",
          "trigger invocations/request",
          "closed by quorum",
          "every validator ranked every lead",
          "finalisation attempts / commits",
        ],
        sizes.map((s) => [
          `${s.V}/${s.M}`,
          `${s.completed}/${s.rounds}${s.error ? ` — ${s.error}` : ""}${s.rounds === 0 && s.warmupDetail ? `; warm-up round: ${s.warmupDetail}` : ""}`,
          `${ms(s.postP50)} / ${ms(s.postP95)}`,
          `${ms(s.broadcastLastP50)} (${s.nodesSeenMin}/${s.V + s.M} nodes)`,
          ms(s.lastAnswerP50),
          ms(s.lastRankingP50),
          ms(s.finalAfterP50),
          `${Number.isFinite(s.bytesP50) ? kb(s.bytesP50) : "n/a"} (${s.largest ? `${s.largest.col} ${kb(s.largest.bytes)}` : "n/a"})`,
          s.invocations
            ? `${fmt(s.invocationsTotal, 0)} (${Object.entries(s.invocations)
                .map(([k, v]) => `${k} ${fmt(v, 0)}`)
                .join(", ")})`
            : "not recorded",
          `${s.quorumCount}/${s.rounds}`,
          `${s.allRankedAll ? "yes" : "no"} (min ${s.rankedMin} of ${s.poolMax} leads; min submissions seen ${s.submissionsSeenMin}/${s.M}; stops ${Object.entries(
            s.stopReasons,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")})`,
          `${s.finalizeAttemptsMean === null ? "not recorded" : fmt(s.finalizeAttemptsMean, 1)} / ${s.finalizeCounts.join(",")}`,
        ]),
      ),
    );
    out.push("");
    out.push(
      table(
        [
          "V/M",
          "nodes up (sign-in → listening)",
          "warm-up round POST→completed",
          "function workers started: sign-in / warm-up / measured rounds (max alive, their RSS)",
          "onRankingCreated run time p50 / max",
          "CPU per request: Firestore emulator / function workers / firebase CLI / nodes",
          "node warnings+errors",
        ],
        sizes.map((s) => [
          `${s.V}/${s.M}`,
          ms(s.startMs),
          s.warmupStatus ? `${ms(s.warmupMs)} (${s.warmupStatus})` : "n/a",
          s.workers
            ? `${s.workers.signIn?.started ?? "–"} / ${s.workers.warmup?.started ?? "–"} / ${s.workers.rounds?.started ?? "–"} (max ${Math.max(
                ...["signIn", "warmup", "rounds"].map((k) => s.workers[k]?.maxAlive ?? 0),
              )} alive, ${Math.max(...["signIn", "warmup", "rounds"].map((k) => s.workers[k]?.maxRssMb ?? 0))} MiB)`
            : "n/a",
          `${ms(s.rankingTriggerMsP50)} / ${ms(s.rankingTriggerMsMax)}`,
          s.cpu
            ? `${ms(s.cpu.firestore)} / ${ms(s.cpu.functionWorkers)} / ${ms(s.cpu.firebaseCli)} / ${ms(s.nodeCpuMsPerRequest)}`
            : "n/a",
          s.nodeProblems,
        ]),
      ),
    );
  }
  const ip = res.inprocess.map(summariseInProcess);
  if (ip.length) {
    out.push("");
    out.push(
      "In-process, every handler of a request started at once (`bench/scale/inprocess.mjs`, a fresh project demo-scale-VxM-pid each):",
    );
    out.push("");
    out.push(
      table(
        [
          "V/M",
          "API R/W",
          "submission handlers R/W",
          "ranking handlers R/W",
          "backend R/W total",
          "node writes",
          "tx attempts / ABORTED (lock timeouts) / writes staged",
          "withRetry attempts",
          "finalizeRequest calls (outcomes)",
          "commits (finalize_count)",
          "ranking handlers wall",
          "bytes / largest doc",
        ],
        ip.map((x) =>
          x.ok
            ? [
                `${x.V}/${x.M}${x.extra ? " (fit only)" : ""}`,
                `${x.handlers.api?.reads ?? 0}/${x.handlers.api?.writes ?? 0}`,
                `${x.handlers.onSubmission?.reads ?? 0}/${x.handlers.onSubmission?.writes ?? 0}`,
                `${x.handlers.onRanking?.reads ?? 0}/${x.handlers.onRanking?.writes ?? 0}`,
                `${x.reads}/${x.writes} (reads ${x.reads <= 3 * (x.V + x.M) + 20 ? "≤" : ">"} 3(V+M)+20 = ${3 * (x.V + x.M) + 20})`,
                x.nodeWrites,
                `${x.txAttempts} / ${x.aborted} (${x.lockTimeouts}) / ${x.stagedWrites}`,
                x.retryAttempts,
                `${x.finalizeCalls} (${Object.entries(x.finalizeOutcomes ?? {})
                  .map(([k, v]) => `${k} ${v}`)
                  .join(", ")})`,
                `${x.finalizeCount}${x.finished ? "" : " — handlers still running at the bound"}${
                  Object.keys(x.errors ?? {}).length
                    ? `; errors: ${Object.entries(x.errors)
                        .map(([k, v]) => `${v}× ${k}`)
                        .join("; ")}`
                    : ""
                }`,
                ms(x.rankingWallMs),
                `${kb(x.bytes)} / ${x.largest ? `${x.largest.col} ${kb(x.largest.bytes)}` : "n/a"}${x.finalizeCount === 1 ? "" : " (no result written)"}`,
              ]
            : [`${x.V}/${x.M}`, `failed: ${x.error}`, "", "", "", "", "", "", "", "", "", ""],
        ),
      ),
    );
  }
  const g = growthFigures(res);
  if (g.length) {
    out.push("");
    out.push(
      "How each figure grows (least squares over the sizes measured; in-process runs stopped at their bound are left out):",
    );
    out.push("");
    out.push(
      table(
        ["figure", "fit"],
        g.map((x) => [x.name, x.text || "n/a"]),
      ),
    );
  }
  return out.join("\n");
}

/** What the figures say about the emulator's costs and the design's, from this run's numbers. */
export function scaleReading(res) {
  const sizes = res.rounds.map(summariseRounds);
  const ip = res.inprocess.map(summariseInProcess);
  const ev = res.evidence ?? {};
  const lines = [];
  const cold = (ev.coldLoad ?? []).map((c) => fmt(c.loadMs / 1000, 1));
  const warm = sizes.filter((s) => s.rounds > 0 && Number.isFinite(s.warmupMs));
  if (warm.length) {
    lines.push(
      `- **Emulator: a worker process per concurrent invocation.** The Functions emulator runs one invocation per worker process and starts a new process whenever every worker of that function is busy; a fresh process spends ${cold.join(" / ")} s loading the backend here (\`require("functions/lib")\` in a new Node process). Each size's warm-up round (not in the p50s) paid for it: ${warm
        .map(
          (s) =>
            `${s.V}/${s.M} warm-up ${ms(s.warmupMs)} (${s.workers?.warmup?.started ?? "?"} workers started) vs measured p50 ${ms(s.postP50)} (${s.workers?.rounds?.started ?? "?"} started)`,
        )
        .join("; ")}. Worker processes alive at most: ${sizes
        .map(
          (s) =>
            `${Math.max(0, ...["signIn", "warmup", "rounds"].map((k) => s.workers?.[k]?.maxAlive ?? 0))} (${Math.max(0, ...["signIn", "warmup", "rounds"].map((k) => s.workers?.[k]?.maxRssMb ?? 0))} MiB) at ${s.V}/${s.M}`,
        )
        .join(
          ", ",
        )}. Sign-ins are paced (at most 4 at once) for the same reason: a burst of cold workers misses the emulator's 30 s worker start-up bound ("Failed to load function").`,
    );
  }
  for (const s of sizes.filter((x) => x.rounds === 0 && x.warmupDetail))
    lines.push(
      `- **${s.V}/${s.M}: the first round did not close** (${s.error}). It got to: ${s.warmupDetail}; at most ${Math.max(0, ...["signIn", "warmup", "rounds"].map((k) => s.workers?.[k]?.maxAlive ?? 0))} function workers were alive, so the triggers were queued before the workers (the emulators' event delivery on a saturated CPU), not waiting for worker processes. Validators that stopped at their wait bound ranked what had arrived; the request's deadline and timeout tasks then had to close it.`,
    );
  const cpu = sizes.filter((s) => s.cpu && s.rounds > 0);
  if (cpu.length) {
    lines.push(
      `- **Where the CPU goes per request** (2 cores, shared with the simulated nodes and other work; Linux CPU time of each process): ${cpu
        .map(
          (s) =>
            `${s.V}/${s.M}: Firestore emulator ${ms(s.cpu.firestore)}, function workers ${ms(s.cpu.functionWorkers)}, firebase CLI (dispatch, auth, tasks) ${ms(s.cpu.firebaseCli)}, the simulated nodes ${ms(s.nodeCpuMsPerRequest)}`,
        )
        .join(
          "; ",
        )}. The Firestore emulator's share (it evaluates every listener's rules on each commit, on one JVM) and the nodes' share (in production each node has its own machine: each validator verifies all M submission signatures itself) are costs of running everything on one 2-core machine; their sum over 2 cores bounds a round's wall time from below.`,
    );
  }
  const tasks = sizes.filter((s) => s.invocations?.closeRequest);
  if (tasks.length)
    lines.push(
      `- **Emulator: close tasks.** The Cloud Tasks emulator dispatches each request's deadline and timeout tasks at once, the handler answers 503 until its time and the emulator retries: ${tasks.map((s) => `${fmt(s.invocations.closeRequest, 0)} closeRequest calls per round at ${s.V}/${s.M}`).join(", ")} (this request's and earlier requests' tasks, counted in the round's time window). Production runs each task once, at its time.`,
    );
  const partial = sizes.filter((s) => s.rounds > 0 && !s.allRankedAll);
  if (partial.length)
    lines.push(
      `- **Design: validators rank partial sets.** ${partial
        .map(
          (s) =>
            `At ${s.V}/${s.M} a validator saw as few as ${s.submissionsSeenMin} of ${s.M} submissions before ranking (stop reasons: ${Object.entries(
              s.stopReasons,
            )
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")})`,
        )
        .join(
          "; ",
        )}: the reference validator's wait bound stops ${"`afterFirstMs`"} after the first submission, while the miners' answers still arrive.`,
    );
  const contended = ip.filter(
    (x) => x.ok && (x.finalizeCalls > 1 || x.aborted > 0 || x.finalizeCount !== 1),
  );
  if (contended.length)
    lines.push(
      `- **Design: every ranking handler attempts the finalisation when they arrive together.** In-process with all ranking handlers started at once: ${contended
        .map(
          (x) =>
            `${x.V}/${x.M} ${x.finalizeCalls} finalizeRequest calls, ${x.txAttempts} transaction attempts, ${x.aborted} ABORTED (${x.lockTimeouts} lock timeouts), ${x.finalizeCount} commit${x.finished ? "" : " (handlers still running at the bound)"}`,
        )
        .join(
          "; ",
        )}. The emulator's rounds deliver rankings spread out in time, so there most triggers see fewer rankings than expected and only the last attempts (the "finalisation attempts" column counts triggers that logged rankings ≥ expected); production delivers them as concurrently as the in-process run. Reads and writes here are the design's and would be billed the same in production.`,
    );
  const big = sizes.filter((s) => s.largest).slice(-1)[0];
  if (big)
    lines.push(
      `- **Bytes.** At ${big.V}/${big.M} a request wrote ${kb(big.bytesP50)} (${Object.entries(
        big.byCol,
      )
        .sort((a, b) => b[1].bytes - a[1].bytes)
        .map(([c, v]) => `${c} ${v.docs} docs ${kb(v.bytes)}`)
        .join(
          ", ",
        )}); the largest document was ${big.largest.col} at ${kb(big.largest.bytes)} (Firestore's limit is 1 MiB).`,
    );
  if (ev.loadavg)
    lines.push(
      `- Machine load average (1 min) at the start of each size: ${ev.loadavg.map((l) => `${l.size} ${fmt(l.load, 1)}`).join(", ")} (other work shares these 2 cores; latencies vary with it).`,
    );
  if (!ev.logStream)
    lines.push(
      "- The Functions emulator's log stream was not available (START_LOGGING_EMULATOR=true starts it): trigger invocations and finalisation attempts were not recorded.",
    );
  return lines.join("\n");
}

/** Growth fits of the main figures. */
export function growthFigures(res) {
  const sizes = res.rounds.map(summariseRounds).filter((s) => s.rounds > 0);
  // Runs stopped at their bound have partial counts: left out of the fits.
  const ip = res.inprocess.map(summariseInProcess).filter((x) => x.ok && x.finished);
  const pts = (list, f) => list.map((s) => ({ V: s.V, M: s.M, y: f(s) }));
  const figures = [];
  const add = (name, list, f) => {
    const points = pts(list, f).filter((q) => Number.isFinite(q.y));
    if (points.length >= 2) figures.push({ name, ...growth(points), points });
  };
  add("backend reads/request (in-process)", ip, (x) => x.reads);
  add("backend writes/request (in-process)", ip, (x) => x.writes);
  add("ranking handlers' reads (in-process)", ip, (x) => x.handlers.onRanking?.reads ?? NaN);
  add("submission handlers' reads (in-process)", ip, (x) => x.handlers.onSubmission?.reads ?? NaN);
  add("API reads (in-process)", ip, (x) => x.handlers.api?.reads ?? NaN);
  add("finalizeRequest calls (in-process)", ip, (x) => x.finalizeCalls);
  add("bytes/request (in-process)", ip, (x) => x.bytes);
  add("largest document bytes (in-process)", ip, (x) => x.largest?.bytes ?? NaN);
  add("POST→completed p50 ms (emulator)", sizes, (s) => s.postP50);
  add("created→last node saw it ms (emulator)", sizes, (s) => s.broadcastLastP50);
  add("→ last ranking ms (emulator)", sizes, (s) => s.lastRankingP50);
  add("last ranking→finalised ms (emulator)", sizes, (s) => s.finalAfterP50);
  add("bytes/request (emulator)", sizes, (s) => s.bytesP50);
  add("trigger invocations/request (emulator)", sizes, (s) => s.invocationsTotal);
  return figures;
}

export const SCALE_START = "<!-- scale:start -->";
export const SCALE_END = "<!-- scale:end -->";

/** The BENCHMARKS.md section, between its markers. */
export function scaleSection(res, { command = "npm run bench:scale" } = {}) {
  const o = res.options ?? {};
  return `${SCALE_START}
## Scale: rounds at the subnet's sizes (\`${command}\`, issue 23)

Generated on ${new Date().toISOString()}: sizes ${(o.sizeList ?? []).map((x) => `${x.V}/${x.M}`).join(", ")} (validators/miners), ${o.rounds} measured rounds per size after one warm-up round, ${o.procs} node processes; in-process also at ${(o.fitList ?? []).map((x) => `${x.V}/${x.M}`).join(", ") || "no extra sizes"} for the fits. Total ${fmt(res.totalS, 0)} s.${res.note ? `\n\n${res.note}` : ""}

${scaleMarkdown(res)}

### Emulator costs and design costs

${scaleReading(res)}

### How it was measured
- **Rounds** (\`bench/scale/rounds.mjs\`, full emulator suite, project demo-consensus): the registry is seeded with V validators (permits, trust 0.1–0.9) and M miners; the nodes are the node package's own \`ValidatorNode\` / \`MinerNode\` (\`bench/scale/node-host.mjs\`, ${o.procs ?? 4} processes hosting all of them): real sign-in at \`/auth/sign-in\` (paced, at most 4 at once), a Web SDK app each, the real request listener, heartbeats, the reference curator (shared lead pool, seeded per hotkey) and heuristic ranker, the production wait bound, signed writes through the package's write-once path. One request at a time (\`num_leads\` 3), each expecting every node; the bench's own listener times completion. Broadcast = the latest \`seen_at_ms\` a node logged in its listener − \`created_at\`; last answer / last ranking = latest \`submitted_at\` − \`created_at\`; last ranking → finalised = \`finalized_at\` − latest ranking's \`submitted_at\`.
- **Bytes** = canonical JSON length (timestamps as ISO strings) + id of every document written or rewritten during the round, registry heartbeats excluded; largest = the largest of them.
- **Trigger invocations and finalisation attempts** come from the Functions emulator's log stream (logging emulator, \`START_LOGGING_EMULATOR=true\`): "Beginning execution of" lines per function in the round's time window, and \`ranking_accepted\` entries of the round's request that counted every expected ranking (each such trigger runs the finalising transaction). Commits = the request's \`finalize_count\`.
- **Worker processes** are sampled every 0.5 s from /proc (descendants of the firebase process whose command line runs \`functionsEmulatorRuntime\`); CPU per request = utime+stime of the emulator processes and of the node hosts over the measured rounds ÷ rounds. A guard stops a size when more than ${process.env.SCALE_MAX_WORKERS ?? 80} workers are alive or less than ${process.env.SCALE_MIN_FREE_MB ?? 4000} MiB of memory is left.
- **In-process** (\`bench/scale/inprocess.mjs\`, Firestore emulator only, a fresh project per size so no trigger fires and no lock left by a stopped run interferes): \`createLeadRequestOnce\` with the production lifecycle params, M submissions built by the node package (PoolCurator, \`buildSubmission\`) and signed, every \`handleSubmissionCreated\` at once, V rankings built as the validator does (\`gatherLeads\`, HeuristicRanker, \`buildRanking\`), then every \`handleRankingCreated\` at once (Promise.all), bounded. Reads: \`DocumentReader._get\` (per document), \`Query._get\` (max(1, docs)), \`AggregateQuery._get\` (1); writes: operations of every successful commit (writes staged by failed transaction attempts are counted apart); per handler by AsyncLocalStorage; transaction attempts and their ABORTED failures by wrapping \`Transaction.runTransactionOnce\`; \`withRetry\` attempts and \`finalizeRequest\` calls by wrapping the compiled modules' exports.
- Growth: least squares of each figure over the sizes measured, as a + b·V + c·M (the in-process extra sizes separate V from M; the emulator sizes all have M = 3V, so they are fitted in V+M), with V·M and V² terms when the linear fit is not exact, and the exponent k of y ∝ (V+M)^k between the smallest and largest size.
${SCALE_END}`;
}
