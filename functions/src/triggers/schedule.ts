import { onSchedule } from "firebase-functions/v2/scheduler";
import { runSweep } from "../lifecycle/sweep";

export const sweepRequests = onSchedule(
  { schedule: "every 1 minutes", retryCount: 0 },
  async () => {
    await runSweep(new Date());
  },
);
