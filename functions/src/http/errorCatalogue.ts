// Every error the HTTP API answers, declared once: its status, code, the headers it carries and an
// example. The code that fails throws `apiError(code, ...)` (errors.ts), the OpenAPI generator lists
// each operation's errors from here (openapi.ts), and the emulator contract test provokes every
// entry over real HTTP, so an entry nobody can cause, or a cause nobody catalogued, fails a test.
import { IDEMPOTENCY_HEADER } from "./idempotency";

/** Headers an answer may carry, declared once for the errors and the successes alike. */
export const RESPONSE_HEADERS = {
  "Retry-After": {
    description: "Seconds to wait before retrying",
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  "RateLimit-Limit": {
    description:
      "Requests allowed per one-minute window by the limit this answer counts against (the API key's; on sign-in, the hotkey's or caller's)",
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  "RateLimit-Remaining": {
    description:
      "Requests left in the current window after this one (a snapshot: concurrent requests of " +
      "the same key may take some meanwhile)",
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  "RateLimit-Reset": {
    description: "Seconds until the current window ends and the count starts again",
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  "Idempotent-Replayed": {
    description: `true when this is the stored answer to an earlier call with the same ${IDEMPOTENCY_HEADER}`,
    schema: { type: "string", enum: ["true"] },
  },
} as const;
export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

export const RATE_LIMIT_HEADERS = [
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
] as const;

export interface CataloguedError {
  status: number;
  description: string;
  /** A typical message and details, for the OpenAPI example. */
  example: { message: string; details: unknown };
  /** Headers every answer with this code carries. */
  headers: readonly ResponseHeader[];
  /**
   * Why the contract test does not provoke it over HTTP: only a fault or a race that a test cannot
   * cause on demand produces it. Absent: the contract test must provoke it.
   */
  notProvoked?: string;
}

export const API_ERRORS = {
  invalid_argument: {
    status: 400,
    description: "A field, parameter or header is malformed; details name it. Nothing was written",
    example: {
      message: "Invalid field(s): num_leads",
      details: {
        issues: [{ field: "num_leads", message: "Too big: expected number to be <=100" }],
      },
    },
    headers: [],
  },
  bad_request: {
    status: 400,
    description: "The body could not be parsed",
    example: { message: "Unexpected end of JSON input", details: null },
    headers: [],
    notProvoked:
      "Cloud Functions parses JSON before the function runs and answers a malformed body with " +
      "its own 400 page; this envelope appears only when the app runs outside the platform",
  },
  unauthenticated: {
    status: 401,
    description: "No API key, or one that is unknown, disabled or past its rotation grace",
    example: { message: "Unknown or disabled API key", details: { field: "Authorization" } },
    headers: [],
  },
  stale_challenge: {
    status: 401,
    description: "The sign-in challenge's issued_at is outside the accepted window",
    example: { message: "issued_at must be within 60 s of the server clock", details: null },
    headers: [],
  },
  bad_signature: {
    status: 401,
    description: "The sign-in signature does not verify for the hotkey",
    example: { message: "signature does not verify for this hotkey", details: null },
    headers: [],
  },
  replayed_nonce: {
    status: 401,
    description: "This sign-in challenge was already used",
    example: { message: "this challenge was already used", details: null },
    headers: [],
  },
  not_registered: {
    status: 403,
    description: "The hotkey is not registered on the subnet",
    example: { message: "hotkey is not registered on the subnet", details: null },
    headers: [],
  },
  role_not_allowed: {
    status: 403,
    description: "The hotkey is registered with another role",
    example: { message: "hotkey is registered as miner, not validator", details: null },
    headers: [],
  },
  not_found: {
    status: 404,
    description: "No such request for this API key (or no such route)",
    example: { message: "No such request for this API key", details: { field: "request_id" } },
    headers: [],
  },
  unsupported_media_type: {
    status: 415,
    description: "The body is not JSON",
    example: { message: "Send the body as application/json", details: { field: "Content-Type" } },
    headers: [],
  },
  idempotency_key_reused: {
    status: 422,
    description: `This ${IDEMPOTENCY_HEADER} was used with a different body in the last 24 hours`,
    example: {
      message: `This ${IDEMPOTENCY_HEADER} was used with a different body in the last 24 hours`,
      details: { field: IDEMPOTENCY_HEADER, request_id: "0b6b3c1e-6f3a-4c7e-9a53-2f8f3f1d7c42" },
    },
    headers: [],
  },
  rate_limited: {
    status: 429,
    description: "The per-minute limit is used up; retry after Retry-After seconds",
    example: {
      message: "Rate limit of 30 requests per minute exceeded",
      details: { limit: 30, retry_after_seconds: 42 },
    },
    headers: ["Retry-After", ...RATE_LIMIT_HEADERS],
  },
  internal: {
    status: 500,
    description: "An unexpected fault; logged, never detailed to the client",
    example: { message: "Internal error", details: null },
    headers: [],
    notProvoked: "only a fault in the backend or Firestore causes it",
  },
  no_active_validators: {
    status: 503,
    description: "No validator is active on the subnet; nothing was written",
    example: { message: "No validator is active on the subnet", details: null },
    headers: ["Retry-After"],
  },
  contended: {
    status: 503,
    description: "Too many concurrent writes for this key or hotkey; retry after Retry-After",
    example: { message: "Too many concurrent writes for this API key; retry", details: null },
    headers: ["Retry-After"],
    notProvoked:
      "needs every one of a dozen commits in a row to lose a race on the same documents, which " +
      "a test cannot arrange over HTTP (the race itself is tested on the creation handler)",
  },
} as const satisfies Record<string, CataloguedError>;

export type ErrorCode = keyof typeof API_ERRORS;
export const ERROR_CODES = Object.keys(API_ERRORS) as ErrorCode[];

/** The headers an error with this code must carry, by name. */
export type HeadersFor<C extends ErrorCode> = Record<
  (typeof API_ERRORS)[C]["headers"][number],
  string
>;
