// The scheduled sweep, the safety net behind the per-request tasks: requests whose validator
// deadline (or early-close time) has passed are finalised with the rankings they have, or failed
// once past their timeout. Safe to run concurrently with itself, the tasks and the triggers. One
// request that fails is logged with its id and never stops the others.
import { Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES } from "consensus-core";
import { requestsCol } from "../db";
import { logs } from "../logs";
import { closeIfDue } from "./close";
import type { FinalizeOutcome } from "./finalize";
import { enqueueDueWebhooks } from "./webhooks";

export interface SweepSummary {
  examined: number;
  completed: number;
  failed: number;
  waiting: number;
  /** Requests whose closing threw (logged with their id); the next sweep tries them again. */
  errors: number;
  /** Final requests whose webhook was still due, and how many of them were enqueued now. */
  webhooks_due: number;
  webhooks_enqueued: number;
}

const BATCH = 200;
/** Requests closed at once: enough to clear a backlog within a run, few enough not to contend. */
export const SWEEP_CONCURRENCY = 8;

type Closer = (requestId: string, now: Date) => Promise<FinalizeOutcome>;

export async function runSweep(
  now: Date,
  close: Closer = (id, at) => closeIfDue(id, at, "sweep"),
): Promise<SweepSummary> {
  const due = await requestsCol()
    .where("status", "in", [...OPEN_STATUSES])
    .where("validator_deadline", "<=", Timestamp.fromDate(now))
    .orderBy("validator_deadline")
    .limit(BATCH)
    .get();
  // Early-closed rounds (close_at set, deadline not reached) are the tasks' job; the status endpoint
  // also closes them, so the sweep only needs the deadline order.
  const ids = due.docs.map((d) => d.id);
  const settled: PromiseSettledResult<FinalizeOutcome>[] = [];
  for (let i = 0; i < ids.length; i += SWEEP_CONCURRENCY) {
    const chunk = ids.slice(i, i + SWEEP_CONCURRENCY);
    settled.push(...(await Promise.allSettled(chunk.map((id) => close(id, now)))));
  }
  const outcomes: FinalizeOutcome[] = [];
  settled.forEach((s, i) => {
    if (s.status === "fulfilled") outcomes.push(s.value);
    else {
      logs.sweepRequestFailed({
        request_id: ids[i],
        error: (s.reason as Error)?.message ?? String(s.reason),
      });
    }
  });
  const summary: SweepSummary = {
    examined: due.size,
    completed: outcomes.filter((o) => o.kind === "completed").length,
    failed: outcomes.filter((o) => o.kind === "failed").length,
    waiting: outcomes.filter((o) => o.kind === "not_ready").length,
    errors: settled.length - outcomes.length,
    webhooks_due: 0,
    webhooks_enqueued: 0,
  };
  // After the closes above (which enqueue their own), so what is left due here had its enqueue
  // fail or never run.
  try {
    const hooks = await enqueueDueWebhooks(now);
    summary.webhooks_due = hooks.due;
    summary.webhooks_enqueued = hooks.enqueued;
  } catch (err) {
    logs.sweepWebhooksFailed({ error: (err as Error).message });
  }
  if (summary.examined > 0) logs.sweep({ ...summary });
  return summary;
}
