// Rounds at one size (V validators, M miners) on the full emulator suite (project demo-consensus):
// simulated nodes in a few child processes (bench/scale/node-host.mjs), the real backend in the
// Functions emulator, the bench as the API client. One request at a time; each expects every node.
import { fork } from "node:child_process";
import { join } from "node:path";
import { quantile, root } from "../lib.mjs";
import { API, PROJECT, clear, core, createApiKey, db, pair, register } from "../e2e/emulator.mjs";
import { finalAt, post } from "../e2e/requests.mjs";
import { docBytes } from "./docs.mjs";
import { emulatorCpu, logWindow, logs, memAvailableMb } from "./watch.mjs";

const ATTEMPT_EVENT = /^finali[sz](e|ation)_attempt/;
const millis = (v) => (v && typeof v.toMillis === "function" ? v.toMillis() : NaN);
const normEmail = (l) =>
  String(l?.email ?? "")
    .trim()
    .toLowerCase();

/**
 * The node host processes, each with its share of the nodes (validators and miners mixed).
 */
function makeHosts(specs, procs) {
  const groups = Array.from({ length: Math.min(procs, specs.length) }, () => []);
  specs.forEach((s, i) => groups[i % groups.length].push({ uri: s.uri, role: s.role }));
  const events = [];
  const hosts = groups.map((nodes) => {
    const host = {
      nodes,
      state: "idle",
      waiters: new Map(),
      seq: 0,
      start() {
        host.state = "starting";
        const child = fork(join(root, "bench/scale/node-host.mjs"), [], {
          env: {
            ...process.env,
            SCALE_NODES: JSON.stringify({ api: API, project: PROJECT, nodes }),
            LLM_BASE_URL: "",
          },
          stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        host.child = child;
        child.on("message", (m) => {
          if (m.type === "events") events.push(...m.events);
          else if (m.type === "loaded") host.state = "loaded";
          else if (m.type === "started") host.onStarted?.(m);
          else if (m.type === "cpu") host.waiters.get(m.id)?.(m);
        });
        child.on("exit", () => {
          if (host.state !== "ready") host.state = "exited";
          host.exited = true;
          for (const w of host.waiters.values()) w(null);
        });
      },
    };
    return host;
  });
  return { hosts, events };
}

/**
 * Starts every node, paced across all hosts: at most 1 + (nodes up so far) sign-ins at once,
 * capped at SCALE_SIGNIN_CONCURRENCY (default 4). The Functions emulator starts a worker process
 * for every concurrent call of the sign-in endpoint (~3 s of CPU each to load the backend); a
 * burst of cold workers on this machine misses the emulator's 30 s worker start-up bound, and the
 * nodes' retries then make it worse. Resolves true once every node listens.
 */
async function signInAll(hosts, aborted, timeoutMs) {
  const cap = Number(process.env.SCALE_SIGNIN_CONCURRENCY ?? 4);
  const loaded = await until(
    () => hosts.every((h) => h.state === "loaded" || h.exited) || aborted(),
    Math.min(timeoutMs, 120_000),
    100,
  );
  if (!loaded || aborted() || hosts.some((h) => h.exited)) return false;
  const queue = [];
  const most = Math.max(...hosts.map((h) => h.nodes.length));
  for (let i = 0; i < most; i++) for (const h of hosts) if (i < h.nodes.length) queue.push([h, i]);
  let inFlight = 0;
  let ok = 0;
  let failed = 0;
  const done = () => ok + failed === queue.length;
  for (const h of hosts) {
    h.nodeStartMs = [];
    h.failures = [];
    h.onStarted = (m) => {
      inFlight--;
      if (m.ok) {
        ok++;
        h.nodeStartMs.push(m.ms);
      } else {
        failed++;
        h.failures.push(m.error);
      }
    };
  }
  let next = 0;
  const end = Date.now() + timeoutMs;
  while (!done() && !aborted() && Date.now() < end && !hosts.some((h) => h.exited)) {
    while (next < queue.length && inFlight < Math.min(cap, 1 + ok)) {
      const [h, i] = queue[next++];
      inFlight++;
      h.child.send({ type: "start", i });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const h of hosts) if (!h.exited && h.failures.length === 0) h.state = "ready";
  return done() && failed === 0;
}

async function until(cond, timeoutMs, stepMs = 100) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}

function cpuOf(host) {
  if (host.exited) return Promise.resolve(null);
  const id = ++host.seq;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000);
    host.waiters.set(id, (m) => (clearTimeout(timer), host.waiters.delete(id), resolve(m)));
    host.child.send({ type: "cpu", id });
  });
}

async function stopHosts(hosts) {
  await Promise.all(
    hosts
      .filter((h) => h.child)
      .map(
        (h) =>
          new Promise((done) => {
            if (h.exited) return done();
            const force = setTimeout(() => h.child.kill("SIGKILL"), 25_000);
            h.child.once("exit", () => (clearTimeout(force), done()));
            h.child.send({ type: "stop" });
          }),
      ),
  );
}

/** Every document (outside the registry) written or rewritten since `sinceMs`, with its size. */
async function docsSince(sinceMs) {
  const out = [];
  let registryWrites = 0;
  for (const col of await db.listCollections()) {
    for (const snap of (await col.get()).docs) {
      if (snap.updateTime.toMillis() < sinceMs) continue;
      if (col.id === core.COLLECTIONS.registry) {
        registryWrites++;
        continue;
      }
      out.push({ col: col.id, id: snap.id, bytes: docBytes(snap.id, snap.data()) });
    }
  }
  return { docs: out, registryWrites };
}

async function analyseRequest(s, nextT0, events, V, M, snapshot) {
  const d = (await db.collection(core.COLLECTIONS.requests).doc(s.id).get()).data() ?? {};
  const byRequest = (c) => db.collection(c).where("request_id", "==", s.id).get();
  const [subs, declines, rankings] = await Promise.all(
    [core.COLLECTIONS.submissions, core.COLLECTIONS.declines, core.COLLECTIONS.rankings].map(
      byRequest,
    ),
  );
  const created = millis(d.created_at);
  const subData = subs.docs.map((x) => x.data());
  const rankData = rankings.docs.map((x) => x.data());
  const answers = [...subData, ...declines.docs.map((x) => x.data())].map((x) =>
    millis(x.submitted_at),
  );
  const rankedAt = rankData.map((x) => millis(x.submitted_at));
  const lastRanking = Math.max(...rankedAt);
  const short = s.id.slice(0, 8);
  const seen = events.filter((e) => e.msg === `request ${short}: seen`);
  const seenAt = seen.map((e) => e.fields?.seen_at_ms ?? e.t);
  const rankedEv = events.filter(
    (e) => e.role === "validator" && e.msg.startsWith(`request ${short}: ranked`),
  );
  // The pool the validators could rank: distinct leads (normalised email) of the submissions the
  // backend accepted (all of them, when no verdict was recorded).
  const pool = new Set(
    subData
      .filter((x) => x.verification?.status !== "rejected")
      .flatMap((x) => (Array.isArray(x.leads) ? x.leads : []))
      .map(normEmail),
  );
  const rankedCounts = rankData.map((r) =>
    Number(r.num_leads_ranked ?? r.ranked_leads?.length ?? NaN),
  );
  const rankable = Math.min(pool.size, core.LIMITS?.leadsPerDocumentMax ?? Infinity);
  const windowLogs = logWindow(s.t0, nextT0);
  const mine = windowLogs.events.filter((e) => e.request_id === s.id);
  const accepted = mine.filter((e) => e.event === "ranking_accepted");
  const bytes = snapshot.docs.reduce((a, x) => a + x.bytes, 0);
  const largest = snapshot.docs.reduce((a, x) => (x.bytes > (a?.bytes ?? -1) ? x : a), null);
  const byCol = {};
  for (const x of snapshot.docs) {
    byCol[x.col] ??= { docs: 0, bytes: 0 };
    byCol[x.col].docs++;
    byCol[x.col].bytes += x.bytes;
  }
  const nodeProblems = events.filter(
    (e) => e.level !== "info" && e.t >= s.t0 && e.t < nextT0,
  ).length;
  return {
    id: s.id,
    status: d.status ?? "missing",
    finalizedBy: d.result?.finalized_by ?? null,
    finalizeCount: d.finalize_count ?? 0,
    expectedV: d.expected_validators?.length ?? 0,
    expectedM: d.expected_miners?.length ?? 0,
    expectsAll: d.expected_validators?.length === V && d.expected_miners?.length === M,
    postToCompleted: finalAt.has(s.id) ? finalAt.get(s.id) - s.t0 : NaN,
    accept: s.accepted - s.t0,
    nodesSeen: new Set(seen.map((e) => e.hotkey)).size,
    broadcastLast: seenAt.length ? Math.max(...seenAt) - created : NaN,
    broadcastP50: quantile(
      seenAt.map((t) => t - created),
      0.5,
    ),
    submissions: subData.length,
    declines: declines.size,
    lastAnswer: answers.length ? Math.max(...answers) - created : NaN,
    rankings: rankData.length,
    lastRanking: rankedAt.length ? lastRanking - created : NaN,
    finalAfterLastRanking: millis(d.finalized_at) - lastRanking,
    pool: pool.size,
    rankedMin: rankedCounts.length ? Math.min(...rankedCounts) : 0,
    rankedMax: rankedCounts.length ? Math.max(...rankedCounts) : 0,
    everyValidatorRankedAll:
      rankData.length === V && rankedCounts.every((n) => n >= rankable) && pool.size > 0,
    // What each validator's own log says it collected before ranking (accepted submissions).
    submissionsSeenMin: rankedEv.length
      ? Math.min(...rankedEv.map((e) => Number(e.fields?.submissions ?? NaN)))
      : NaN,
    stopReasons: rankedEv.reduce(
      (a, e) => ((a[e.fields?.stop] = (a[e.fields?.stop] ?? 0) + 1), a),
      {},
    ),
    bytes,
    largest,
    byCol,
    registryWrites: snapshot.registryWrites,
    invocations: logs.available ? windowLogs.began : null,
    invocationDurations: logs.available ? windowLogs.finishedMs : null,
    // An explicit attempt event when the backend logs one; otherwise a ranking trigger that
    // counted every expected ranking went on to the finalising transaction.
    finalizeAttempts: !logs.available
      ? null
      : mine.some((e) => ATTEMPT_EVENT.test(e.event))
        ? mine.filter((e) => ATTEMPT_EVENT.test(e.event)).length
        : accepted.filter((e) => Number(e.rankings) >= Number(e.expected)).length,
    rankingsAcceptedLogged: logs.available ? accepted.length : null,
    nodeProblems,
  };
}

/**
 * Rounds at one size: nodes up, one warm-up round (reported apart: it pays the Functions
 * emulator's cold workers), then `rounds` measured rounds, one request at a time. Returns
 * per-request rows and { error } when the nodes did not come up, a round did not close in time or
 * the guard stopped the size (too many function workers, too little memory left on the machine):
 * at large sizes that is itself a finding.
 */
export async function runSize({
  V,
  M,
  rounds,
  procs = 4,
  budgetMs = 240_000,
  workers,
  maxWorkers = Number(process.env.SCALE_MAX_WORKERS ?? 80),
  minFreeMb = Number(process.env.SCALE_MIN_FREE_MB ?? 4000),
  log = () => undefined,
}) {
  const started = Date.now();
  const left = () => budgetMs - (Date.now() - started);
  await clear();
  const specs = [];
  for (let i = 0; i < V; i++) {
    const uri = `//ScaleV${i}`;
    specs.push({
      uri,
      uid: i,
      role: "validator",
      trust: ((i % 9) + 1) / 10,
      pair: await pair(uri),
    });
  }
  for (let i = 0; i < M; i++) {
    const uri = `//ScaleM${i}`;
    specs.push({ uri, uid: V + i, role: "miner", pair: await pair(uri) });
  }
  await register(specs);
  const keys = [];
  for (let i = 0; i < Math.ceil((rounds + 1) / 20) + 1; i++)
    keys.push((await createApiKey(`scale-${i}`, "bench")).key);

  // The guard: stop the size before the machine runs out of memory.
  let guard = null;
  const guardTimer = setInterval(() => {
    if (guard) return;
    const alive = workers?.state.alive ?? 0;
    const free = memAvailableMb();
    if (alive > maxWorkers)
      guard = `stopped: ${alive} function worker processes alive (guard ${maxWorkers})`;
    else if (free < minFreeMb)
      guard = `stopped: ${Math.round(free)} MiB memory left (guard ${minFreeMb} MiB)`;
  }, 500);
  const aborted = () => guard !== null;

  const tStart = Date.now();
  const { hosts, events } = makeHosts(specs, procs);
  for (const h of hosts) h.start();
  const up = await signInAll(hosts, () => aborted(), Math.max(0, left() - 10_000));
  const startMs = Date.now() - tStart;
  const startWorkers = workers?.window();
  const bad = hosts.filter((h) => h.state !== "ready");
  const nodeStart = hosts.flatMap((h) => h.nodeStartMs ?? []);
  const result = { V, M, procs: hosts.length, startMs, rows: [], warmup: null, error: null };
  if (!up || bad.length || aborted()) {
    clearInterval(guardTimer);
    await stopHosts(hosts);
    const why = bad.map(
      (h) => `${h.state}${h.failures?.length ? `: ${h.failures.slice(0, 2).join("; ")}` : ""}`,
    );
    result.guard = guard;
    result.error = guard ?? `nodes did not come up in ${fmtS(startMs)} (${why.join(" | ")})`;
    result.workers = workers?.available ? { signIn: startWorkers } : null;
    return result;
  }
  const signIns = events.filter((e) => e.msg.startsWith("signed in")).map((e) => e.fields?.ms);
  result.nodeStartP50 = quantile(nodeStart, 0.5);
  result.signInP50 = quantile(signIns.filter(Number.isFinite), 0.5);
  log(
    `${V}x${M}: ${specs.length} nodes signed in and listening in ${fmtS(startMs)} (per node p50 ${fmtS(result.nodeStartP50)}, of which sign-in p50 ${fmtS(result.signInP50)})`,
  );

  const sent = [];
  const snapshots = [];
  const windows = [];
  let cpu0 = null;
  let ecpu0 = null;
  for (let r = 0; r <= rounds; r++) {
    if (r === 1) {
      // The measured rounds start here.
      cpu0 = await Promise.all(hosts.map(cpuOf));
      ecpu0 = emulatorCpu();
    }
    if (left() < 10_000) {
      result.error = `size bound spent after ${r} rounds`;
      break;
    }
    let s;
    try {
      s = await post(keys[r % keys.length]);
    } catch (err) {
      result.error = `POST failed: ${err.message}`;
      break;
    }
    sent.push(s);
    await until(
      () => finalAt.has(s.id) || aborted(),
      Math.max(5_000, Math.min(left(), 150_000)),
      50,
    );
    windows.push(workers?.window() ?? null);
    snapshots.push(await docsSince(s.t0));
    if (!finalAt.has(s.id)) {
      result.error =
        guard ?? `request ${s.id.slice(0, 8)} not final ${fmtS(Date.now() - s.t0)} after its POST`;
      break;
    }
    log(
      `${V}x${M}: ${r === 0 ? "warm-up round" : `round ${r}/${rounds}`} completed in ${fmtS(finalAt.get(s.id) - s.t0)}`,
    );
  }
  clearInterval(guardTimer);
  result.guard = guard;
  const tEnd = Date.now();
  const cpu1 = await Promise.all(hosts.map(cpuOf));
  const ecpu1 = emulatorCpu();
  // Let the nodes' last log lines arrive before reading them (bounded, not a condition to wait on).
  await until(() => false, 500, 500);
  for (const [i, s] of sent.entries()) {
    const next = sent[i + 1]?.t0 ?? tEnd;
    const row = await analyseRequest(s, next, events, V, M, snapshots[i]);
    row.workers = windows[i];
    if (i === 0) result.warmup = row;
    else result.rows.push(row);
  }
  await stopHosts(hosts);
  const nodeCpuMs = (cpu0 ?? []).reduce((a, c0, i) => {
    const c1 = cpu1[i];
    return c0 && c1 ? a + (c1.userMs - c0.userMs) + (c1.systemMs - c0.systemMs) : a;
  }, 0);
  if (ecpu0 && ecpu1 && result.rows.length)
    result.cpu = Object.fromEntries(
      Object.keys(ecpu1).map((k) => [k, (ecpu1[k] - ecpu0[k]) / result.rows.length]),
    );
  result.roundsWallMs = tEnd - (sent[1]?.t0 ?? tEnd);
  result.nodeCpuMsPerRequest = result.rows.length ? nodeCpuMs / result.rows.length : NaN;
  result.workers = workers?.available
    ? {
        signIn: startWorkers,
        warmup: windows[0] ?? null,
        rounds: windows.slice(1).reduce(
          (a, w) =>
            w
              ? {
                  started: a.started + w.started,
                  maxAlive: Math.max(a.maxAlive, w.maxAlive),
                  maxRssMb: Math.max(a.maxRssMb, w.maxRssMb),
                }
              : a,
          { started: 0, maxAlive: 0, maxRssMb: 0 },
        ),
      }
    : null;
  return result;
}

const fmtS = (x) => `${(x / 1000).toFixed(1)} s`;
