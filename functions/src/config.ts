// Every tunable of the backend, as firebase-functions params: set them in functions/.env(.<project>)
// or at deploy time. Values are read at call time, never at module load.
import {
  defineInt,
  defineString,
  type IntParam,
  type StringParam,
} from "firebase-functions/params";

const DEFAULTS = {
  VALIDATOR_DEADLINE_SECONDS: 90,
  REQUEST_TIMEOUT_SECONDS: 120,
  MIN_VALIDATORS: 1,
  RATE_LIMIT_PER_MINUTE: 30,
  HEARTBEAT_WINDOW_SECONDS: 300,
  SIGN_IN_WINDOW_SECONDS: 60,
} as const;
type Name = keyof typeof DEFAULTS;

// No `input` prompt: a param with a default would otherwise make `emulators:exec` wait for a
// keyboard. readInt() validates at run time instead.
function param(name: Name, description: string): IntParam {
  return defineInt(name, { default: DEFAULTS[name], description });
}

export const validatorDeadlineSeconds = param(
  "VALIDATOR_DEADLINE_SECONDS",
  "Seconds after a request is created by which validators should have ranked it.",
);
export const requestTimeoutSeconds = param(
  "REQUEST_TIMEOUT_SECONDS",
  "Seconds after creation at which a request with too few rankings fails.",
);
export const minValidators = param(
  "MIN_VALIDATORS",
  "Rankings needed to finalise a request once its validator deadline has passed.",
);
export const rateLimitPerMinute = param(
  "RATE_LIMIT_PER_MINUTE",
  "Lead requests one API key may create per minute (429 with Retry-After beyond).",
);
export const heartbeatWindowSeconds = param(
  "HEARTBEAT_WINDOW_SECONDS",
  "A validator whose last heartbeat is older than this is not expected to answer.",
);
export const signInWindowSeconds = param(
  "SIGN_IN_WINDOW_SECONDS",
  "How far a sign-in challenge's timestamp may be from the server clock.",
);

/**
 * The Functions runtime puts every resolved param in the environment; a plain Node process
 * (tests, the admin CLI) may not, and then the declared default applies.
 */
export function readInt(p: IntParam): number {
  const raw = process.env[p.name];
  const value = raw === undefined || raw === "" ? DEFAULTS[p.name as Name] : p.value();
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`param ${p.name} must be a whole number >= 1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A snapshot of the lifecycle timings, read once per invocation. */
export interface LifecycleConfig {
  validatorDeadlineMs: number;
  requestTimeoutMs: number;
  minValidators: number;
  heartbeatWindowMs: number;
}

export function lifecycleConfig(): LifecycleConfig {
  const deadline = readInt(validatorDeadlineSeconds);
  return {
    validatorDeadlineMs: deadline * 1000,
    // The timeout never precedes the validator deadline, whatever the operator sets.
    requestTimeoutMs: Math.max(readInt(requestTimeoutSeconds), deadline) * 1000,
    minValidators: readInt(minValidators),
    heartbeatWindowMs: readInt(heartbeatWindowSeconds) * 1000,
  };
}

/** Where the scheduled `syncMetagraph` fetches the metagraph snapshot; "" disables it. */
export const metagraphSnapshotUrl: StringParam = defineString("METAGRAPH_SNAPSHOT_URL", {
  default: "",
  description:
    "HTTPS URL of the metagraph snapshot JSON (docs/metagraph-snapshot.md) that syncMetagraph " +
    "fetches every 10 minutes; empty disables the scheduled sync.",
});

/** A string param's value (trimmed); unset outside the Functions runtime means its "" default. */
export function readString(p: StringParam): string {
  return (process.env[p.name] ?? "").trim();
}
