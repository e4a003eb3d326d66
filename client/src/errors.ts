// One error hierarchy for every HTTP call the SDK makes: an ApiError for any failed call, a
// subclass per status family so callers branch with `instanceof` instead of comparing numbers, and
// ConnectionError / TimeoutError for calls that got no answer at all. Each carries the backend's
// envelope `{ error: { code, message, details } }` and whether repeating the call is safe.

/** How a call failed: an HTTP answer, no answer in time, no connection, or an answer off-contract. */
export type FailureKind = "http" | "timeout" | "network" | "bad_response";

export interface ApiFailure {
  /** The HTTP status; 0 when there was no answer. */
  status: number;
  code: string;
  message: string;
  /** The envelope's `details`, as the backend sent it (null when it sent none). */
  details?: unknown;
  /** The field the failure names (`details.field`, or the schema path of an off-contract answer). */
  field?: string | undefined;
  kind: FailureKind;
  /**
   * Repeating the call cannot do its effect twice: the server refused without acting (429, 503),
   * or the call is idempotent (a GET, or a POST with an Idempotency-Key) and failed in a way a
   * retry may fix (timeout, no connection, 408, 5xx).
   */
  retryable: boolean;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number | undefined;
}

export class ApiError extends Error implements ApiFailure {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  readonly field: string | undefined;
  readonly kind: FailureKind;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Calls made, retries included. */
  readonly attempts: number;

  constructor(failure: Omit<ApiFailure, "kind" | "retryable"> & Partial<ApiFailure>, attempts = 1) {
    super(failure.message);
    this.name = new.target.name;
    this.status = failure.status;
    this.code = failure.code;
    this.details = failure.details;
    this.field = failure.field;
    this.kind = failure.kind ?? (failure.status === 0 ? "network" : "http");
    this.retryable = failure.retryable ?? false;
    this.retryAfterMs = failure.retryAfterMs;
    this.attempts = attempts;
  }

  /** The class for a failure: by status for HTTP answers, by kind for no answer. */
  static from(failure: ApiFailure, attempts = 1): ApiError {
    const Class = errorClass(failure);
    return new Class(failure, attempts);
  }
}

/** 400: the input was refused; `field` names it. */
export class BadRequestError extends ApiError {}
/** 401: no credentials, or ones the backend does not know (API key, hotkey signature). */
export class AuthenticationError extends ApiError {}
/** 403: known credentials that may not do this. */
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class UnprocessableEntityError extends ApiError {}
export class RateLimitError extends ApiError {}
/** 5xx. */
export class InternalServerError extends ApiError {}
/** A 2xx answer that is not JSON or not the shape the API contract promises. */
export class BadResponseError extends ApiError {}
/** No answer: the connection was refused, reset or lost. */
export class ConnectionError extends ApiError {}
/** No answer within the call's timeout. */
export class TimeoutError extends ConnectionError {}

type ErrorClass = new (failure: ApiFailure, attempts?: number) => ApiError;

const BY_STATUS: Record<number, ErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function errorClass(failure: Pick<ApiFailure, "kind" | "status">): ErrorClass {
  if (failure.kind === "timeout") return TimeoutError;
  if (failure.kind === "network") return ConnectionError;
  if (failure.kind === "bad_response") return BadResponseError;
  if (failure.status >= 500) return InternalServerError;
  return BY_STATUS[failure.status] ?? ApiError;
}

/** Whether a failure may be retried without doing the call's effect twice. */
export function isRetrySafe(kind: FailureKind, status: number, idempotent: boolean): boolean {
  if (kind === "bad_response") return false;
  // The API answers these without writing anything.
  if (status === 429 || status === 503) return true;
  if (kind === "timeout" || kind === "network") return idempotent;
  return idempotent && (status === 408 || status >= 500);
}

/** "HTTP 401 unauthenticated: ... (field x)" for an answer, the message alone for no answer. */
export function describeApiError(e: unknown): string {
  if (e instanceof ApiError) {
    const where = e.field ? ` (field ${e.field})` : "";
    return e.status === 0 ? e.message : `HTTP ${e.status} ${e.code}: ${e.message}${where}`;
  }
  return (e as Error).message ?? String(e);
}
