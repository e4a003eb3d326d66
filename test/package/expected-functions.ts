// The functions the backend deploys, with the options each is meant to have: the one list to edit
// when a function is added (the packaging check fails until the manifest and this list agree).
// Every entry is also checked for the deploy region param and the nodejs22 runtime.

/** What a function's endpoint in the deploy manifest must contain (other keys may be present). */
export type ExpectedEndpoint = Record<string, unknown>;

const firestoreCreated = (document: string): ExpectedEndpoint => ({
  eventTrigger: {
    eventType: "google.cloud.firestore.document.v1.created",
    eventFilters: { database: "(default)", namespace: "(default)" },
    eventFilterPathPatterns: { document },
    // Handlers are idempotent; transient failures are redelivered.
    retry: true,
  },
});

export const EXPECTED_FUNCTIONS: Record<string, ExpectedEndpoint> = {
  api: { httpsTrigger: { invoker: ["public"] } },
  onRankingCreated: firestoreCreated("validator_rankings/{docId}"),
  onSubmissionCreated: firestoreCreated("miner_submissions/{docId}"),
  sweepRequests: {
    scheduleTrigger: { schedule: "every 1 minutes", retryConfig: { retryCount: 0 } },
  },
  // Per-request close tasks (validator deadline, timeout, early close): early deliveries answer 503
  // and are retried with a short backoff until due.
  closeRequest: {
    taskQueueTrigger: {
      retryConfig: {
        maxAttempts: 20,
        maxRetrySeconds: 3600,
        minBackoffSeconds: 1,
        maxBackoffSeconds: 2,
        maxDoublings: 1,
      },
      rateLimits: { maxConcurrentDispatches: 10 },
    },
    timeoutSeconds: 60,
  },
  // Webhook deliveries: a non-2xx answer throws and is retried from 1 s, doubling to 10 min.
  deliverWebhook: {
    taskQueueTrigger: {
      retryConfig: {
        maxAttempts: 20,
        minBackoffSeconds: 1,
        maxBackoffSeconds: 600,
        maxDoublings: 10,
      },
      rateLimits: { maxConcurrentDispatches: 20 },
    },
    timeoutSeconds: 30,
  },
  syncMetagraph: {
    scheduleTrigger: { schedule: "every 10 minutes", retryConfig: { retryCount: 0 } },
    secretEnvironmentVariables: [{ key: "METAGRAPH_SNAPSHOT_URL" }],
  },
};

/** Options every function shares (setGlobalOptions in functions/src/index.ts). */
export const EXPECTED_COMMON: ExpectedEndpoint = {
  platform: "gcfv2",
  region: "{{ params.REGION }}",
  maxInstances: 20,
};

/** Fixed names that outside tools rely on: the default region and the runtime. */
export const DEFAULT_REGION = "us-central1";
export const RUNTIME = "nodejs22";
export const ENGINES_NODE = "22";
