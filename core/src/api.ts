// What the HTTP API answers, as zod schemas beside the request schemas in schemas.ts: the backend
// types its responses with them, the OpenAPI document is generated from them and the SDK's API
// client checks every answer against them.
import { z } from "zod";
import { CONSENSUS_HOTKEY } from "./consensus";
import { ConstraintSchema, UnderstoodSchema } from "./leads/understood";
import { LeadSchema, REQUEST_STATUSES, RequestIdSchema, RoleSchema } from "./schemas";

const isoTime = z.iso.datetime();

/** The one error envelope: `{ "error": { "code", "message", "details" } }`. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** For bad input, `{ field }` or `{ issues: [{ field, message }] }`; otherwise null. */
    details: z.unknown(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** `202` of `POST /leads`. */
export const CreatedLeadRequestSchema = z.object({
  request_id: RequestIdSchema,
  status: z.enum(REQUEST_STATUSES),
  timeout: isoTime,
  validator_deadline: isoTime,
  expected_validators: z.number().int().min(0),
  poll_url: z.url(),
});
export type CreatedLeadRequest = z.infer<typeof CreatedLeadRequestSchema>;

/** A lead of a completed request, ordered by consensus. */
export const ConsensusLeadSchema = z.object({
  ...LeadSchema.shape,
  c_validator_hotkey: z.literal(CONSENSUS_HOTKEY),
  consensus_score: z.number().min(0),
  normalized_score: z.number().min(0),
  num_validators: z.number().int().min(1),
  rank: z.number().int().min(1),
});

/**
 * A lead of a completed request as the status view shows it: with the stated constraints of the
 * request (role, industry, place) it meets and misses, judged from its own fields by the same
 * reading as `understood`. Not part of the signed result; recomputable from the description.
 */
export const StatusLeadSchema = ConsensusLeadSchema.extend({
  /** Set by the backend on every lead; optional so answers of an older backend still parse. */
  matched: z.array(ConstraintSchema).optional(),
  missed: z.array(ConstraintSchema).optional(),
});
export type StatusLead = z.infer<typeof StatusLeadSchema>;

/** `200` of `GET /leads/status/{request_id}`. */
export const RequestStatusViewSchema = z.object({
  request_id: RequestIdSchema,
  status: z.enum(REQUEST_STATUSES),
  created_at: isoTime,
  timeout: isoTime,
  validator_deadline: isoTime,
  validators: z.object({ answered: z.number().int().min(0), expected: z.number().int().min(0) }),
  /** How the request's business_desc was read: what the round asks of a lead, what it ignored. */
  understood: UnderstoodSchema.optional(),
  /** Only once completed. */
  leads: z.array(StatusLeadSchema).optional(),
  /** Only once failed: why, in words the client can act on. */
  reason: z.string().optional(),
});
export type RequestStatusView = z.infer<typeof RequestStatusViewSchema>;

/** `200` of `POST /auth/sign-in`: a Firebase custom token for the hotkey. */
export const SignInResultSchema = z.object({
  token: z.string().min(1),
  hotkey: z.string(),
  role: RoleSchema,
  /** How often the node should heartbeat (HEARTBEAT_PERIOD_SECONDS), so the backend's active
   * window and the nodes' beats come from one place. */
  heartbeat_seconds: z.number().int().min(1),
});
export type SignInResult = z.infer<typeof SignInResultSchema>;

/** `200` of `GET /health`. */
export const HealthSchema = z.object({
  status: z.literal("ok"),
  service: z.literal("api"),
  time: isoTime,
});

/** The longest `GET /leads/status/{id}?wait=` may hold the connection, in seconds. */
export const STATUS_WAIT_MAX_SECONDS = 25;

/** `?wait=<seconds>`: how long a status read may wait for the request to become final. */
export const StatusWaitSchema = z.coerce.number().finite().min(0).max(STATUS_WAIT_MAX_SECONDS);

/** One of the caller's requests in `GET /leads`: the stored status (poll_url gives the live one). */
export const LeadRequestSummarySchema = z.object({
  request_id: RequestIdSchema,
  status: z.enum(REQUEST_STATUSES),
  num_leads: z.number().int().min(1),
  business_desc: z.string(),
  created_at: isoTime,
  timeout: isoTime,
  poll_url: z.url(),
});
export type LeadRequestSummary = z.infer<typeof LeadRequestSummarySchema>;

/** `200` of `GET /leads`: newest first; `next_cursor` is null on the last page. */
export const LeadRequestListSchema = z.object({
  requests: z.array(LeadRequestSummarySchema),
  next_cursor: z.string().nullable(),
});
export type LeadRequestList = z.infer<typeof LeadRequestListSchema>;

export const LIST_LIMIT_MAX = 100;
export const LIST_LIMIT_DEFAULT = 20;
/** `?limit=` of `GET /leads`. */
export const ListLimitSchema = z.coerce.number().int().min(1).max(LIST_LIMIT_MAX);
/** `?cursor=` of `GET /leads`: opaque, as a previous page's next_cursor gave it. */
export const ListCursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,512}$/);
