// The scheduled sweep: requests whose validator deadline has passed are finalised with the rankings
// they have, or failed once past their timeout. Safe to run concurrently with itself and triggers.
import { Timestamp } from "firebase-admin/firestore";
import { OPEN_STATUSES } from "consensus-core";
import { requestsCol } from "../db";
import { log } from "../log";
import { finalizeRequest, type FinalizeOutcome } from "./finalize";
import { verifyPendingRankings } from "./rankings";

export interface SweepSummary {
  examined: number;
  completed: number;
  failed: number;
  waiting: number;
}

const BATCH = 200;

export async function runSweep(now: Date): Promise<SweepSummary> {
  const due = await requestsCol()
    .where("status", "in", [...OPEN_STATUSES])
    .where("validator_deadline", "<=", Timestamp.fromDate(now))
    .orderBy("validator_deadline")
    .limit(BATCH)
    .get();
  const outcomes: FinalizeOutcome[] = [];
  for (const doc of due.docs) {
    // A ranking whose trigger failed for good would otherwise never count.
    const recovered = await verifyPendingRankings(doc.id, now);
    if (recovered > 0)
      log.warn("sweep_verified_rankings", { request_id: doc.id, rankings: recovered });
    outcomes.push(await finalizeRequest(doc.id, now, "deadline"));
  }
  const summary: SweepSummary = {
    examined: due.size,
    completed: outcomes.filter((o) => o.kind === "completed").length,
    failed: outcomes.filter((o) => o.kind === "failed").length,
    waiting: outcomes.filter((o) => o.kind === "not_ready").length,
  };
  if (summary.examined > 0) log.info("sweep", { ...summary });
  return summary;
}
