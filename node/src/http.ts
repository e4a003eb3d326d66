// One way to call the backend's HTTPS API from a node or the client: JSON in, JSON out, a timeout
// on every call, and the API's error envelope { error: { code, message, details } } turned into a
// typed error that says whether repeating the call is safe. `requestJson` retries what is safe
// with jittered exponential backoff, waiting at least what the server's Retry-After asks.

/** How a call failed: an HTTP answer, no answer in time, no connection, or an answer not JSON. */
export type FailureKind = "http" | "timeout" | "network" | "bad_response";

export interface ApiFailure {
  status: number;
  code: string;
  message: string;
  field?: string;
  kind: FailureKind;
  /**
   * Repeating the call cannot do its effect twice: the server refused without acting (429, 503),
   * or the call is idempotent (a GET, or a POST with an Idempotency-Key) and failed in a way a
   * retry may fix (timeout, no connection, 408, 5xx).
   */
  retryable: boolean;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
}

export type ApiAnswer = { ok: true; status: number; json: unknown } | ({ ok: false } & ApiFailure);

export interface CallInit {
  method: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Abort the call after this long (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Repeating the call has no second effect; defaults to true for GET and HEAD. */
  idempotent?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Thrown by requestJson: an ApiFailure as an Error. */
export class ApiCallError extends Error implements ApiFailure {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly kind: FailureKind;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /** Calls made, retries included. */
  readonly attempts: number;

  constructor(failure: ApiFailure, attempts = 1) {
    super(failure.message);
    this.name = "ApiCallError";
    this.status = failure.status;
    this.code = failure.code;
    this.field = failure.field;
    this.kind = failure.kind;
    this.retryable = failure.retryable;
    this.retryAfterMs = failure.retryAfterMs;
    this.attempts = attempts;
  }
}

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Whether a failure may be retried without doing the call's effect twice. */
export function isRetrySafe(kind: FailureKind, status: number, idempotent: boolean): boolean {
  if (kind === "bad_response") return false;
  // The API answers these without writing anything.
  if (status === 429 || status === 503) return true;
  if (kind === "timeout" || kind === "network") return idempotent;
  return idempotent && (status === 408 || status >= 500);
}

export async function callJsonApi(
  fetchImpl: typeof fetch,
  url: string,
  init: CallInit,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const idempotent = init.idempotent ?? (init.method === "GET" || init.method === "HEAD");
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fail = (f: Omit<ApiFailure, "retryable">): ApiAnswer => ({
    ok: false,
    ...f,
    retryable: isRetrySafe(f.kind, f.status, idempotent),
  });
  let res: Response;
  let text: string;
  try {
    // One deadline for the answer and its body: a server that stalls mid-body also times out.
    const signal = AbortSignal.timeout(timeoutMs);
    res = await fetchImpl(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      return fail({
        status: 0,
        code: "timeout",
        kind: "timeout",
        message: `no answer from ${url} within ${timeoutMs} ms`,
      });
    }
    return fail({
      status: 0,
      code: "unreachable",
      kind: "network",
      message: `cannot reach ${url}: ${e.message}`,
    });
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, the platform's 400 for a body that is not JSON, a wrong
    // URL): reported with the status.
  }
  if (res.ok) {
    if (json === null || typeof json !== "object") {
      return fail({
        status: res.status,
        code: "bad_response",
        kind: "bad_response",
        message: `${url} did not answer JSON`,
      });
    }
    return { ok: true, status: res.status, json };
  }
  const error = (
    json as {
      error?: { code?: unknown; message?: unknown; details?: { field?: unknown } | null };
    } | null
  )?.error;
  return {
    ...(fail({
      status: res.status,
      code: typeof error?.code === "string" ? error.code : `http_${res.status}`,
      kind: "http",
      message: typeof error?.message === "string" ? error.message : text.slice(0, 200),
      field: typeof error?.details?.field === "string" ? error.details.field : undefined,
    }) as { ok: false } & ApiFailure),
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), Date.now()),
  };
}

export interface RetryPolicy {
  /** Calls at most, the first included (default 4). */
  maxAttempts?: number;
  /** Backoff before retry n (from 1) is random in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown (default 60 s). */
  maxRetryAfterMs?: number;
  /** Called before each wait. */
  onRetry?: (failure: ApiCallError, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The wait before retry `attempt` (1 = the first retry): "full jitter" exponential backoff, and
 * never less than the server's Retry-After.
 */
export function backoffDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const base = policy.baseDelayMs ?? 250;
  const cap = Math.min(policy.maxDelayMs ?? 8_000, base * 2 ** (attempt - 1));
  const jitter = Math.floor(random() * cap);
  return retryAfterMs === undefined ? jitter : retryAfterMs + Math.floor(random() * base);
}

/** Calls until success or a failure that is unsafe to retry, or attempts run out; then throws. */
export async function requestJson(
  fetchImpl: typeof fetch,
  url: string,
  init: CallInit,
  policy: RetryPolicy = {},
): Promise<{ status: number; json: unknown }> {
  const maxAttempts = policy.maxAttempts ?? 4;
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    const answer = await callJsonApi(fetchImpl, url, init);
    if (answer.ok) return { status: answer.status, json: answer.json };
    const error = new ApiCallError(answer, attempt);
    const tooLong = (answer.retryAfterMs ?? 0) > (policy.maxRetryAfterMs ?? 60_000);
    if (!answer.retryable || attempt >= maxAttempts || tooLong) throw error;
    const delay = backoffDelay(attempt, answer.retryAfterMs, policy, random);
    policy.onRetry?.(error, delay);
    await sleep(delay);
  }
}
