import { onSchedule } from "firebase-functions/v2/scheduler";
import { runSweep } from "../lifecycle/sweep";
import { runScheduledMetagraphSync } from "../registry/sync";

export const sweepRequests = onSchedule(
  { schedule: "every 1 minutes", retryCount: 0 },
  async () => {
    await runSweep(new Date());
  },
);

// Disabled (logs and returns) while METAGRAPH_SNAPSHOT_URL is empty. No retries: the next run
// fetches a fresher snapshot anyway.
export const syncMetagraph = onSchedule(
  { schedule: "every 10 minutes", retryCount: 0 },
  async () => {
    await runScheduledMetagraphSync(new Date());
  },
);
