// Every tunable of the backend, as firebase-functions params: set them in functions/.env(.<project>)
// or at deploy time. Values are read at call time, never at module load.
import type { AppOptions } from "firebase-admin/app";
import {
  defineInt,
  defineSecret,
  defineString,
  type IntParam,
  type StringParam,
} from "firebase-functions/params";
import {
  ConsensusSettingsSchema,
  DEFAULT_CONSENSUS_SETTINGS,
  type ConsensusSettings,
} from "consensus-core";

const DEFAULTS = {
  VALIDATOR_DEADLINE_SECONDS: 90,
  REQUEST_TIMEOUT_SECONDS: 120,
  MIN_VALIDATORS: 1,
  RATE_LIMIT_PER_MINUTE: 30,
  HEARTBEAT_WINDOW_SECONDS: 45,
  SIGN_IN_WINDOW_SECONDS: 60,
  HEARTBEAT_PERIOD_SECONDS: 15,
  EARLY_CLOSE_GRACE_SECONDS: 2,
  SIGN_IN_PER_HOTKEY_PER_MINUTE: 30,
  SIGN_IN_PER_CALLER_PER_MINUTE: 600,
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
  "A node whose last heartbeat is older than this is not expected to answer (a crashed node " +
    "stops being expected after at most this long).",
);
export const heartbeatPeriodSeconds = param(
  "HEARTBEAT_PERIOD_SECONDS",
  "How often nodes refresh their registry heartbeat (told to each node at sign-in); keep it " +
    "well under HEARTBEAT_WINDOW_SECONDS so one lost beat does not drop a live node.",
);
export const earlyCloseGraceSeconds = defineInt("EARLY_CLOSE_GRACE_SECONDS", {
  default: DEFAULTS.EARLY_CLOSE_GRACE_SECONDS,
  description:
    "Once EARLY_CLOSE_TRUST_SHARE of the expected trust has ranked, wait this long for the " +
    "remaining validators, then finalise (0 = at once).",
});
/** "1" (every expected validator, the default), a decimal in (0, 1], or a fraction such as "2/3". */
export const earlyCloseTrustShare: StringParam = defineString("EARLY_CLOSE_TRUST_SHARE", {
  default: "1",
  description:
    "Share of the expected validators' trust whose rankings may close a round before the " +
    "deadline (after EARLY_CLOSE_GRACE_SECONDS): 1 waits for every expected validator; 2/3 is " +
    "OCR's 2f+1.",
});
export const signInWindowSeconds = param(
  "SIGN_IN_WINDOW_SECONDS",
  "How far a sign-in challenge's timestamp may be from the server clock.",
);

/**
 * The Functions runtime puts every resolved param in the environment; a plain Node process
 * (tests, the admin CLI) may not, and then the declared default applies.
 */
export const signInPerHotkeyPerMinute = param(
  "SIGN_IN_PER_HOTKEY_PER_MINUTE",
  "Sign-ins (tokens minted) one hotkey may make per minute (429 with Retry-After beyond).",
);
export const signInPerCallerPerMinute = param(
  "SIGN_IN_PER_CALLER_PER_MINUTE",
  "Sign-ins (tokens minted) one caller address may make per minute, whatever the hotkeys; a " +
    "whole subnet behind one address signs in at once, so keep it above its node count.",
);

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
  /** HEARTBEAT_PERIOD_SECONDS, recorded on each request for the console (absent in some tests). */
  heartbeatPeriodMs?: number;
  /** Share of expected trust that may close a round early (default 1 = every expected validator). */
  earlyCloseShare?: number;
  /** Grace after that share is reached (default 0). */
  earlyCloseGraceMs?: number;
}

export function lifecycleConfig(): LifecycleConfig {
  const deadline = readInt(validatorDeadlineSeconds);
  return {
    validatorDeadlineMs: deadline * 1000,
    // The timeout never precedes the validator deadline, whatever the operator sets.
    requestTimeoutMs: Math.max(readInt(requestTimeoutSeconds), deadline) * 1000,
    minValidators: readInt(minValidators),
    heartbeatWindowMs: readInt(heartbeatWindowSeconds) * 1000,
    heartbeatPeriodMs: readInt(heartbeatPeriodSeconds) * 1000,
    earlyCloseShare: parseShare(readString(earlyCloseTrustShare) || "1"),
    earlyCloseGraceMs: readNonNegativeInt(earlyCloseGraceSeconds) * 1000,
  };
}

/** Parses EARLY_CLOSE_TRUST_SHARE: a decimal or "a/b" in (0, 1]; fractions stay exact-ish (2/3). */
export function parseShare(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+(?:\.\d+)?)\s*)?$/.exec(raw);
  const value = m ? Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2])) : NaN;
  if (!(value > 0 && value <= 1)) {
    throw new Error(
      `param EARLY_CLOSE_TRUST_SHARE must be a number or fraction in (0, 1], got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function readNonNegativeInt(p: IntParam): number {
  const raw = process.env[p.name];
  const value = raw === undefined || raw === "" ? DEFAULTS[p.name as Name] : p.value();
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`param ${p.name} must be a whole number >= 0, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Where the scheduled `syncMetagraph` fetches the metagraph snapshot. A secret (Cloud Secret
 * Manager), because the URL may carry an access token: never in functions/.env, never logged.
 * "off" (or empty) disables the scheduled sync; Secret Manager has no empty values, so operators
 * who do not sync from a URL set it to "off".
 */
export const metagraphSnapshotUrl = defineSecret("METAGRAPH_SNAPSHOT_URL", {
  description:
    "HTTPS URL of the metagraph snapshot JSON (docs/metagraph-snapshot.md) that syncMetagraph " +
    "fetches every 10 minutes; 'off' disables the scheduled sync.",
});

/** Values of METAGRAPH_SNAPSHOT_URL that mean "no scheduled sync". */
export const SNAPSHOT_URL_OFF = new Set(["", "off", "none", "disabled"]);

/** The snapshot URL, or "" when the scheduled sync is off (outside the runtime: the environment). */
export function readSnapshotUrl(): string {
  const url = (process.env[metagraphSnapshotUrl.name] ?? "").trim();
  return SNAPSHOT_URL_OFF.has(url.toLowerCase()) ? "" : url;
}

/**
 * Where the scheduled `syncMetagraph` reads the metagraph from the chain itself: a subtensor node's
 * ws(s):// endpoint and the subnet's netuid, both required ("off" disables; then the snapshot URL
 * path applies). A public endpoint needs no key; do not put one that carries an API key here (params
 * are not secret), host a snapshot instead.
 */
export const subtensorEndpoint: StringParam = defineString("SUBTENSOR_ENDPOINT", {
  default: "off",
  description:
    "ws(s):// endpoint of a subtensor node that syncMetagraph reads the metagraph from (with " +
    "NETUID); 'off' reads the METAGRAPH_SNAPSHOT_URL snapshot instead.",
});
export const subtensorNetuid: StringParam = defineString("NETUID", {
  default: "off",
  description: "The subnet's netuid on the chain SUBTENSOR_ENDPOINT serves; 'off' with it.",
});

/** The chain to sync from, or null when either param is off; a half-set pair is an error. */
export function readChainSource(): { endpoint: string; netuid: number } | null {
  const off = (v: string) => SNAPSHOT_URL_OFF.has(v.toLowerCase());
  const endpoint = readString(subtensorEndpoint);
  const netuid = readString(subtensorNetuid);
  if (off(endpoint) && off(netuid)) return null;
  if (off(endpoint) || off(netuid)) {
    throw new Error("SUBTENSOR_ENDPOINT and NETUID must be set together (or both 'off')");
  }
  if (!/^\d{1,5}$/.test(netuid) || Number(netuid) > 65_535) {
    throw new Error(`NETUID must be a whole number in 0..65535, got "${netuid}"`);
  }
  return { endpoint, netuid: Number(netuid) };
}

/** A string param's value (trimmed); unset outside the Functions runtime means its "" default. */
export function readString(p: StringParam): string {
  return (process.env[p.name] ?? "").trim();
}

/**
 * The region every function deploys to. Firestore triggers must run in the database's location
 * (nam5 -> us-central1, eur3 -> europe-west1, or the regional location itself); set REGION in
 * functions/.env.<project-id>. Read by firebase deploy, so it takes no runtime lookup.
 */
export const DEFAULT_REGION = "us-central1";
export const region: StringParam = defineString("REGION", {
  default: DEFAULT_REGION,
  description:
    "Cloud Functions region for every function; must match the Firestore database location " +
    "(us-central1 for nam5, europe-west1 for eur3).",
});

/** The region the running function was deployed with (its param value, else the default). */
export function readRegion(): string {
  return readString(region) || DEFAULT_REGION;
}

/**
 * The public base URL of the `api` function, for the poll_url of a 202 (http/publicUrl.ts). Empty:
 * the function's own address (https://<region>-<project>.cloudfunctions.net/api; in the emulator
 * http://127.0.0.1:5001/<project>/<region>/api). Set it when clients reach the API another way (a
 * custom domain, a Firebase Hosting rewrite). Never taken from request headers, which the caller
 * controls.
 */
export const publicApiUrl: StringParam = defineString("PUBLIC_API_URL", {
  default: "",
  description:
    "Base URL clients call the API at, used for poll_url (e.g. https://leads.example.com/api); " +
    "empty = the function's own cloudfunctions.net address.",
});

/**
 * The consensus mode (core/clipping.ts): "weighted" is the seed formula, "clipped" clips every
 * score at the lead's κ-consensus (Yuma). Read when a request is created and recorded on it, so a
 * change applies to new requests only and every result says what produced it.
 */
export const consensusMode: StringParam = defineString("CONSENSUS_MODE", {
  default: DEFAULT_CONSENSUS_SETTINGS.mode,
  description:
    "Consensus formula for new requests: 'weighted' (S = sum of score x trust, the default) or " +
    "'clipped' (each score clipped at the trust-weighted kappa-consensus first).",
});
export const consensusKappa: StringParam = defineString("CONSENSUS_KAPPA", {
  default: String(DEFAULT_CONSENSUS_SETTINGS.kappa),
  description:
    "Share of the participating trust (0 < kappa <= 1) that sets each lead's clipping threshold; " +
    "also used for the validator agreement figures in both modes.",
});

/** The consensus settings for a request created now; a bad value fails loudly, naming the param. */
export function readConsensusSettings(): ConsensusSettings {
  const mode = readString(consensusMode) || DEFAULT_CONSENSUS_SETTINGS.mode;
  const kappaText = readString(consensusKappa);
  const kappa = kappaText === "" ? DEFAULT_CONSENSUS_SETTINGS.kappa : Number(kappaText);
  const parsed = ConsensusSettingsSchema.safeParse({ mode, kappa });
  if (!parsed.success) {
    throw new Error(
      `params CONSENSUS_MODE / CONSENSUS_KAPPA must be 'weighted' | 'clipped' and a number in ` +
        `(0, 1], got ${JSON.stringify(mode)} / ${JSON.stringify(kappaText)}`,
    );
  }
  return parsed.data;
}

/**
 * Firestore triggers retry on failure (`retry: true`); an event older than this is dropped (logged
 * as `stale_event_dropped`) instead of being redelivered for days on a permanent error. Dropping is
 * safe: the sweep verifies any ranking whose trigger never completed before it finalises. Longer
 * than a request's whole life (REQUEST_TIMEOUT_SECONDS) by default, so a transient outage within
 * one round is still retried.
 */
export const triggerMaxEventAgeSeconds: IntParam = defineInt("TRIGGER_MAX_EVENT_AGE_SECONDS", {
  default: 600,
  description:
    "Firestore trigger events older than this many seconds are dropped instead of retried.",
});

/** The event-age cutoff in ms; the default applies outside the Functions runtime. */
export function maxEventAgeMs(): number {
  const raw = process.env[triggerMaxEventAgeSeconds.name];
  const value = raw === undefined || raw === "" ? 600 : triggerMaxEventAgeSeconds.value();
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `param ${triggerMaxEventAgeSeconds.name} must be a whole number >= 1, got ${JSON.stringify(raw)}`,
    );
  }
  return value * 1000;
}

/** The account the Admin SDK itself falls back to in the Cloud Tasks emulator. */
export const EMULATED_SERVICE_ACCOUNT = "emulated-service-acct@email.com";

/**
 * Options for the Admin SDK app. On Google's runtime, nothing: the service account comes from the
 * metadata server in milliseconds. The Functions emulator has no metadata server, and the Admin
 * SDK looked for it on every Cloud Tasks enqueue (it caches only a success), holding each POST
 * /leads about 2 s before it fell back to its own emulated account; naming that account up front
 * makes local answers as quick as production's.
 */
export function adminAppOptions(env: NodeJS.ProcessEnv = process.env): AppOptions {
  return env.FUNCTIONS_EMULATOR === "true" ? { serviceAccountId: EMULATED_SERVICE_ACCOUNT } : {};
}
