import { HttpsError } from "firebase-functions/v2/https";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { DeliveryFailedError, handleWebhookTask } from "../lifecycle/webhookDelivery";

// One task per final request with a callback_url. A failed delivery throws (503) and Cloud Tasks
// retries: 1 s, 2 s, 4 s ... doubling up to 10 min, 20 attempts in all (about 2 h). The Cloud Tasks
// emulator applies the same backoff (taskQueue.ts: minBackoffSeconds * 2^(attempt-1), capped), so
// the first retry after a 500 comes about a second later there too.
export const deliverWebhook = onTaskDispatched(
  {
    retryConfig: {
      maxAttempts: 20,
      minBackoffSeconds: 1,
      maxBackoffSeconds: 600,
      maxDoublings: 10,
    },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 30,
  },
  async (req) => {
    try {
      await handleWebhookTask(req.data);
    } catch (err) {
      if (err instanceof DeliveryFailedError) throw new HttpsError("unavailable", err.message);
      throw err;
    }
  },
);
