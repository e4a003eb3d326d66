// `npm run bench:scale` (issue 23, "Measure it first"): rounds at the subnet's sizes on the full
// emulator suite with simulated nodes in a few processes, then the same requests' handlers run
// in-process with every ranking handler at once, metered per handler. Prints the tables; with
// BENCH_OUT (or --out) writes the structured result for bench/run.mjs.
//
//   node bench/scale.mjs [--sizes 4x12,16x48,32x96,64x192] [--rounds 2] [--procs 4]
//                        [--fit-sizes 8x12,4x48,16x12] [--no-rounds] [--no-inprocess]
//                        [--budget-scale 1] [--out file.json] [--no-md]
//   node bench/scale.mjs --from-json file.json   re-renders a saved result (no emulators needed)
// Unless --no-md, replaces the scale section of BENCHMARKS.md (between its markers).
// Runs inside `node scripts/emulators.mjs exec -- ...` (auth, functions, firestore, tasks).
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, root, silenceBackendLogs } from "./lib.mjs";
import {
  SCALE_END,
  SCALE_START,
  scaleMarkdown,
  scaleReading,
  scaleSection,
} from "./scale/report.mjs";
import { connectLogs, logs, watchWorkers } from "./scale/watch.mjs";

silenceBackendLogs();
const started = Date.now();
const log = (m) =>
  console.error(`bench:scale: ${m} (+${((Date.now() - started) / 1000).toFixed(0)} s)`);

export const DEFAULT_SIZES = "4x12,16x48,32x96,64x192";
export function parseArgs(argv) {
  const opt = {
    sizes: DEFAULT_SIZES,
    rounds: 2,
    procs: 4,
    fitSizes: "8x12,4x48,16x12",
    doRounds: true,
    doInProcess: true,
    budgetScale: 1,
    out: process.env.BENCH_OUT ?? null,
    md: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--sizes") opt.sizes = next();
    else if (a === "--rounds") opt.rounds = Number(next());
    else if (a === "--procs") opt.procs = Number(next());
    else if (a === "--fit-sizes") opt.fitSizes = next();
    else if (a === "--no-rounds") opt.doRounds = false;
    else if (a === "--no-inprocess") opt.doInProcess = false;
    else if (a === "--budget-scale") opt.budgetScale = Number(next());
    else if (a === "--out") opt.out = next();
    else if (a === "--no-md") opt.md = false;
    else if (a === "--from-json") opt.fromJson = next();
    else throw new Error(`unknown option ${a}`);
  }
  const sizes = (s) =>
    s
      .split(",")
      .filter(Boolean)
      .map((x) => {
        const m = /^(\d+)x(\d+)$/.exec(x.trim());
        if (!m) throw new Error(`bad size "${x}" (want VxM, e.g. 16x48)`);
        return { V: Number(m[1]), M: Number(m[2]) };
      });
  opt.sizeList = sizes(opt.sizes);
  opt.fitList = sizes(opt.fitSizes).filter(
    (f) => !opt.sizeList.some((s) => s.V === f.V && s.M === f.M),
  );
  if (!Number.isInteger(opt.rounds) || opt.rounds < 1) throw new Error("--rounds must be >= 1");
  if (!Number.isInteger(opt.procs) || opt.procs < 1) throw new Error("--procs must be >= 1");
  return opt;
}

/**
 * Wall-clock bound of one size (only a cap against hangs): every node signed in (4 hosts in
 * parallel, ~1-2 s a node here), then the warm-up and measured rounds, each at most its request's
 * 120 s timeout plus the close task.
 */
const roundsBudgetMs = (V, M, rounds, procs, scale) =>
  scale * (60_000 + (2_000 * (V + M)) / procs + (rounds + 1) * 150_000);
/** Bound of the in-process ranking handlers of one size (a contended size may not finish). */
const inProcessBudgetMs = (V, M, scale) => scale * Math.min(90_000, 20_000 + 300 * (V + M));

/** Cold start of one function worker: a fresh Node process loading the backend (what a new worker does). */
function measureColdLoad() {
  const code = `const t=process.hrtime.bigint();require(${JSON.stringify(join(root, "functions/lib/index.js"))});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times = [];
  for (let i = 0; i < 2; i++) {
    const t0 = Date.now();
    try {
      const loadMs = Number(
        execFileSync(process.execPath, ["-e", code], {
          env: { ...process.env, GCLOUD_PROJECT: "demo-bench-scale-load" },
          stdio: ["ignore", "pipe", "ignore"],
          timeout: 60_000,
        })
          .toString()
          .trim()
          .split("\n")
          .pop(),
      );
      times.push({ loadMs, processMs: Date.now() - t0 });
    } catch {
      /* reported as missing */
    }
  }
  return times;
}

function runInProcessChild(V, M, budgetMs) {
  const out = join(tmpdir(), `bench-scale-ip-${process.pid}-${V}x${M}.json`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bench/scale/inprocess.mjs"), String(V), String(M)],
      {
        env: { ...process.env, BENCH_OUT: out, SCALE_BUDGET_MS: String(budgetMs) },
        timeout: budgetMs + 90_000,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, _stdout, stderr) => {
        try {
          resolve(JSON.parse(readFileSync(out, "utf8")));
        } catch {
          const why = err?.killed
            ? `no result within ${((budgetMs + 90_000) / 1000).toFixed(0)} s (killed)`
            : `exit ${err?.code ?? "?"}${err?.signal ? ` (${err.signal})` : ""}: ${String(stderr).trim().slice(-300) || "no output"}`;
          resolve({ V, M, error: why });
        } finally {
          rmSync(out, { force: true });
        }
      },
    );
  });
}

export async function runScaleBench(opt) {
  const result = { rounds: [], inprocess: [], evidence: {}, options: opt };
  const logsUp = await connectLogs();
  const workers = watchWorkers();
  result.evidence.logStream = logsUp;
  result.evidence.workerSampling = workers.available;
  result.evidence.coldLoad = measureColdLoad();
  log(
    `function log stream ${logsUp ? "connected" : "NOT available"}; worker sampling ${workers.available ? "on" : "off"}; backend cold load ${result.evidence.coldLoad.map((c) => `${fmt(c.loadMs, 0)} ms`).join(", ")}`,
  );

  if (opt.doRounds) {
    const { runSize } = await import("./scale/rounds.mjs");
    for (const { V, M } of opt.sizeList) {
      (result.evidence.loadavg ??= []).push({ size: `${V}/${M}`, load: loadavg()[0] });
      const budgetMs = roundsBudgetMs(V, M, opt.rounds, opt.procs, opt.budgetScale);
      log(
        `${V}x${M}: ${opt.rounds} rounds, ${opt.procs} node processes, bound ${fmt(budgetMs / 1000, 0)} s`,
      );
      let r;
      try {
        r = await runSize({ V, M, rounds: opt.rounds, procs: opt.procs, budgetMs, workers, log });
      } catch (err) {
        r = { V, M, error: `bench error: ${err.message}`, rows: [] };
      }
      result.rounds.push(r);
      if (r.error) log(`${V}x${M}: ${r.error}`);
      if (r.guard) {
        // The emulator keeps its workers (and their memory) until it exits: larger sizes would
        // only trip the guard sooner.
        log(`skipping the larger sizes' rounds after the guard stopped ${V}x${M}`);
        break;
      }
    }
  }
  result.evidence.logEntries = logs.entries.length;
  workers.stop();

  if (opt.doInProcess) {
    for (const { V, M, extra } of [
      ...opt.sizeList,
      ...opt.fitList.map((s) => ({ ...s, extra: true })),
    ]) {
      const budgetMs = inProcessBudgetMs(V, M, opt.budgetScale);
      log(
        `in-process ${V}x${M}: every ranking handler at once (bound ${fmt(budgetMs / 1000, 0)} s)`,
      );
      const x = await runInProcessChild(V, M, budgetMs);
      x.extra = Boolean(extra);
      result.inprocess.push(x);
      if (x.error) log(`in-process ${V}x${M}: ${x.error}`);
    }
  }
  result.totalS = (Date.now() - started) / 1000;
  return result;
}

if (process.argv[1] && process.argv[1].endsWith("scale.mjs")) {
  let opt;
  try {
    opt = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`bench:scale: ${err.message}`);
    process.exit(2);
  }
  const result = opt.fromJson
    ? JSON.parse(readFileSync(opt.fromJson, "utf8"))
    : await runScaleBench(opt);
  console.log(
    `${scaleMarkdown(result)}\n\nEmulator costs and design costs:\n${scaleReading(result)}`,
  );
  if (opt.out) writeFileSync(opt.out, JSON.stringify(result, null, 1));
  if (opt.md) {
    const file = join(root, "BENCHMARKS.md");
    const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
    const section = scaleSection(result);
    writeFileSync(
      file,
      text.includes(SCALE_START)
        ? text.replace(new RegExp(`${SCALE_START}[\\s\\S]*?${SCALE_END}`), () => section)
        : `${text.trimEnd()}\n\n${section}\n`,
    );
    log("wrote the scale section of BENCHMARKS.md");
  }
  log(`done in ${fmt(result.totalS, 0)} s`);
  process.exit(0);
}
