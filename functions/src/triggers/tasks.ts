import { HttpsError } from "firebase-functions/v2/https";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { logs } from "../logs";
import {
  BadTaskError,
  NotDueError,
  WAIT_IN_HANDLER_MS,
  handleCloseTask,
} from "../lifecycle/closeTask";

// Delivered at each request's validator deadline, timeout and early-close time. An early delivery
// answers 503 and Cloud Tasks retries it: the backoff (at most 2 s) stays under the handler's
// in-process wait (WAIT_IN_HANDLER_MS), so a retry lands close enough to the due time to wait for
// it and close the round on time. maxRetrySeconds covers any sane request timeout; beyond it the
// minute sweep is the safety net. Ten handlers at a time: closes in production are spread over
// time (each request's deadline and timeout), and the Cloud Tasks emulator, which dispatches every
// task at once, would otherwise start one Functions-emulator process per concurrent delivery.
export const closeRequest = onTaskDispatched(
  {
    retryConfig: {
      maxAttempts: 20,
      maxRetrySeconds: 3600,
      minBackoffSeconds: 1,
      maxBackoffSeconds: Math.floor(WAIT_IN_HANDLER_MS / 2000),
      maxDoublings: 1,
    },
    rateLimits: { maxConcurrentDispatches: 10 },
    timeoutSeconds: 60,
  },
  async (req) => {
    try {
      await handleCloseTask(req.data);
    } catch (err) {
      if (err instanceof NotDueError) throw new HttpsError("unavailable", err.message);
      if (err instanceof BadTaskError) {
        logs.taskMalformed({ error: err.message });
        return;
      }
      throw err;
    }
  },
);
