// Cloud Scheduler for the emulators: the Functions emulator loads `onSchedule` functions but never
// fires them (firebase-tools 14). This driver asks the emulator which scheduled functions are
// deployed (GET /backends), and on each one's own schedule POSTs to the emulator's trigger endpoint
// for it, with Cloud Scheduler's headers, so the deployed function runs as it would in production.
// (Publishing to the `firebase-schedule-*` Pub/Sub topic the emulator registers does not work for
// 2nd-gen functions there: their trigger is HTTP and the Pub/Sub emulator bridge refuses it.)
//
//   node scripts/lib/scheduler.mjs [-- <command...>]   run the driver (alongside a command, until it exits)

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ID = process.env.GCLOUD_PROJECT || "demo-consensus";
const FUNCTIONS_HOST = process.env.FUNCTIONS_EMULATOR_HOST || "127.0.0.1:5001";

const UNITS = { second: 1_000, minute: 60_000, hour: 3_600_000 };

/**
 * The period of an App Engine cron schedule such as "every 1 minutes" or "every 2 hours" (the form
 * the project's functions use); null for anything else (unix cron), which the driver reports.
 */
export function schedulePeriodMs(schedule) {
  const m = /^every (\d+) (second|minute|hour)s?$/.exec(String(schedule).trim());
  return m ? Number(m[1]) * UNITS[m[2]] : null;
}

/** Scheduled functions the Functions emulator has loaded: [{ id, name, region, schedule }]. */
export async function scheduledFunctions(host = FUNCTIONS_HOST) {
  const res = await fetch(`http://${host}/backends`);
  if (!res.ok) throw new Error(`GET /backends: HTTP ${res.status}`);
  const { backends } = await res.json();
  return backends
    .flatMap((b) => b.functionTriggers ?? [])
    .filter((t) => t.schedule)
    .map((t) => ({
      id: t.id,
      name: t.name ?? t.entryPoint,
      region: t.region,
      schedule: typeof t.schedule === "string" ? t.schedule : t.schedule.schedule,
    }));
}

// The emulator keys a scheduled function's trigger as "<id>-<generation>". Each reload of the
// functions (a source change, or the hub's enableBackgroundTriggers) adds a new generation and keeps
// the old keys; after disableBackgroundTriggers they stay disabled, and a POST to one is answered
// 204 "Background triggers are currently disabled" and runs nothing. So each run asks for the
// newest key first: an unknown key is answered 404 with the list of valid ones.
function post(host, key, fn, now) {
  return fetch(`http://${host}/functions/projects/${PROJECT_ID}/triggers/${key}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-CloudScheduler": "true",
      "X-CloudScheduler-JobName": `firebase-schedule-${fn.name}-${fn.region}`,
      "X-CloudScheduler-ScheduleTime": now.toISOString(),
    },
    body: "{}",
  });
}

/** The newest "<id>-<generation>" key among the emulator's valid keys listed in a 404 answer. */
function newestTriggerKey(id, notFoundText) {
  const valid = String(notFoundText).split("valid functions are:")[1] ?? "";
  const pattern = new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d+$`);
  return (
    valid
      .split(",")
      .map((k) => k.trim())
      .filter((k) => pattern.test(k))
      .sort((a, b) => Number(b.split("-").pop()) - Number(a.split("-").pop()))[0] ?? null
  );
}

async function newestKey(host, fn, now) {
  const res = await post(host, `${fn.id}-unknown-generation`, fn, now);
  const text = await res.text();
  return res.status === 404 ? newestTriggerKey(fn.id, text) : null;
}

/** One run of a deployed scheduled function, as Cloud Scheduler would send it; the HTTP status. */
export async function fireScheduled(fn, host = FUNCTIONS_HOST, now = new Date()) {
  const key = await newestKey(host, fn, now);
  if (!key) return 404;
  const res = await post(host, key, fn, now);
  await res.arrayBuffer();
  return res.status;
}

async function waitForFunctions(timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fns = await scheduledFunctions();
      if (fns.length > 0) return fns;
    } catch {
      /* not up yet */
    }
    if (Date.now() > end) return [];
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Starts a timer per scheduled function; returns stop(). */
export async function startScheduler({ log = (m) => console.error(`scheduler: ${m}`) } = {}) {
  const fns = await waitForFunctions();
  const timers = [];
  for (const fn of fns) {
    const period = schedulePeriodMs(fn.schedule);
    if (period === null) {
      log(`${fn.name}: schedule "${fn.schedule}" is not "every N minutes/hours"; not driven`);
      continue;
    }
    timers.push(
      setInterval(() => {
        fireScheduled(fn).then(
          (status) => {
            if (status >= 300) log(`${fn.name}: HTTP ${status}`);
            else if (process.env.SCHEDULER_VERBOSE) log(`${fn.name}: ran (HTTP ${status})`);
          },
          (err) => log(`${fn.name}: ${err.message}`),
        );
      }, period),
    );
    log(`driving ${fn.name} ${fn.schedule} (${fn.id})`);
  }
  if (fns.length === 0) log("no scheduled function found in the Functions emulator");
  return () => timers.forEach(clearInterval);
}

async function main() {
  const sep = process.argv.indexOf("--");
  const command = sep === -1 ? [] : process.argv.slice(sep + 1);
  const stop = await startScheduler();
  if (command.length === 0) return; // keeps running until killed
  const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
  // SIGINT from a terminal reaches the command too (same process group): not forwarded, or it
  // would get it twice. SIGTERM is sent to this process alone (scripts/lib/supervise.mjs).
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`scheduler: ${err.message}`);
    process.exit(1);
  });
}
