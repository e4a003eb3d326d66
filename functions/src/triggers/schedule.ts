import { onSchedule } from "firebase-functions/v2/scheduler";
import { pruneLedgers } from "../lifecycle/ledgers";
import { runSweep } from "../lifecycle/sweep";
import { metagraphSnapshotUrl } from "../config";
import { runScheduledMetagraphSync } from "../registry/sync";

export const sweepRequests = onSchedule(
  { schedule: "every 1 minutes", retryCount: 0 },
  async () => {
    await runSweep(new Date());
    await pruneLedgers();
  },
);

// Disabled (logs and returns) while the METAGRAPH_SNAPSHOT_URL secret is "off". No retries: the
// next run fetches a fresher snapshot anyway. Only this function is given the secret.
export const syncMetagraph = onSchedule(
  { schedule: "every 10 minutes", retryCount: 0, secrets: [metagraphSnapshotUrl] },
  async () => {
    await runScheduledMetagraphSync(new Date());
  },
);
