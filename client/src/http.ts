// One way to call the backend's HTTPS API from a node or the client: JSON in, JSON out, a timeout
// on every call, and the API's error envelope { error: { code, message, details } } turned into a
// typed error that says whether repeating the call is safe. `requestJson` retries what is safe
// with jittered exponential backoff, waiting at least what the server's Retry-After asks.

import { ApiErrorBodySchema, describeIssues } from "consensus-core";
import { z } from "zod";
import {
  ApiError,
  BadResponseError,
  ConnectionError,
  isRetrySafe,
  TimeoutError,
  type ApiFailure,
} from "./errors";

/** The envelope, read leniently: a proxy or an older backend may leave `details` out. */
const ErrorEnvelopeSchema = z.object({
  error: ApiErrorBodySchema.shape.error.partial({ details: true }),
});

export type ApiAnswer = { ok: true; status: number; json: unknown } | ({ ok: false } & ApiFailure);

export interface CallInit {
  method: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Abort the call after this long (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  /** Repeating the call has no second effect; defaults to true for GET and HEAD. */
  idempotent?: boolean | undefined;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * fetch with one deadline for the answer and its body (`read`, default the text), so a server that
 * stalls mid-body also times out. No answer in time is a TimeoutError, no connection a
 * ConnectionError; an error `read` throws on purpose (not the stream's own TypeError) passes
 * through, so a caller can bound the body and say so in its own words.
 */
export async function fetchWithTimeout<T = string>(
  url: string,
  init: RequestInit & { timeoutMs: number; fetch?: typeof fetch },
  read: (res: Response) => Promise<T> = (res) => res.text() as Promise<T>,
): Promise<{ response: Response; body: T }> {
  const { timeoutMs, fetch: fetchImpl = globalThis.fetch, ...rest } = init;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response | undefined;
  try {
    response = await fetchImpl(url, { ...rest, signal });
    return { response, body: await read(response) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (signal.aborted || e.name === "TimeoutError" || e.name === "AbortError") {
      throw new TimeoutError({
        status: 0,
        code: "timeout",
        kind: "timeout",
        message: `no answer from ${url} within ${timeoutMs} ms`,
        details: null,
      });
    }
    if (response && !(e instanceof TypeError)) throw err;
    throw new ConnectionError({
      status: 0,
      code: "unreachable",
      kind: "network",
      message: `cannot reach ${url}: ${e.message}`,
      details: e.cause?.code ? { cause: e.cause.code } : null,
    });
  }
}

export async function callJsonApi(
  fetchImpl: typeof fetch,
  url: string,
  init: CallInit,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const idempotent = init.idempotent ?? (init.method === "GET" || init.method === "HEAD");
  const fail = (f: Omit<ApiFailure, "retryable">): { ok: false } & ApiFailure => ({
    ok: false,
    ...f,
    retryable: isRetrySafe(f.kind, f.status, idempotent),
  });
  let res: Response;
  let text: string;
  try {
    ({ response: res, body: text } = await fetchWithTimeout(url, {
      fetch: fetchImpl,
      timeoutMs: init.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const { status, code, kind, message, details } = err;
    return fail({ status, code, kind, message, details });
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
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  const error = envelope.success ? envelope.data.error : undefined;
  const details = error?.details as { field?: unknown } | null | undefined;
  return {
    ...fail({
      status: res.status,
      code: error?.code ?? `http_${res.status}`,
      kind: "http",
      message: error?.message ?? text.slice(0, 200),
      details: error?.details ?? null,
      field: typeof details?.field === "string" ? details.field : undefined,
    }),
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
  onRetry?: (failure: ApiError, delayMs: number) => void;
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
    const error = ApiError.from(answer, attempt);
    const tooLong = (answer.retryAfterMs ?? 0) > (policy.maxRetryAfterMs ?? 60_000);
    if (!answer.retryable || attempt >= maxAttempts || tooLong) throw error;
    const delay = backoffDelay(attempt, answer.retryAfterMs, policy, random);
    policy.onRetry?.(error, delay);
    await sleep(delay);
  }
}

/** What callApi needs of a core response schema. */
export interface ResponseSchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: Parameters<typeof describeIssues>[0] };
}

/**
 * requestJson, then the answer checked against the API contract: an answer outside it is a
 * BadResponseError naming the first field that does not fit.
 */
export async function callApi<T>(
  schema: ResponseSchema<T>,
  fetchImpl: typeof fetch,
  url: string,
  init: CallInit,
  policy: RetryPolicy = {},
): Promise<T> {
  const answer = await requestJson(fetchImpl, url, init, policy);
  const parsed = schema.safeParse(answer.json);
  if (parsed.success) return parsed.data;
  const first = describeIssues(parsed.error)[0];
  throw new BadResponseError({
    status: answer.status,
    code: "bad_response",
    kind: "bad_response",
    message: `${init.method} ${url} answered outside the API contract: ${first.field}: ${first.message}`,
    field: first.field,
    details: null,
  });
}
