// The API's OpenAPI 3.1 contract, generated from the same zod schemas the routes validate with
// (zod 4's JSON Schema output). Served at GET /openapi.json; a copy is committed as
// docs/openapi.json (`npm run openapi` rewrites it, a unit test fails when it is stale).
import {
  ApiErrorBodySchema,
  ConsensusLeadSchema,
  CreateLeadsRequestSchema,
  CreatedLeadRequestSchema,
  HealthSchema,
  LeadSchema,
  RequestStatusViewSchema,
  SignInRequestSchema,
  SignInResultSchema,
  STATUS_WAIT_MAX_SECONDS,
  StatusLeadSchema,
  StatusWaitSchema,
  understand,
  UnderstoodSchema,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
} from "consensus-core";
import { z } from "zod";
import { IDEMPOTENCY_HEADER } from "./idempotency";

type Schema = z.ZodType;

interface DocumentedResponse {
  description: string;
  schema: Schema;
  example: unknown;
  /** Response headers the answer may carry, by name. */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** A query or header parameter of an operation (path parameters come from the path). */
interface DocumentedParameter {
  name: string;
  in: "query" | "header";
  description: string;
  schema: Schema;
}

/** One route of the API, in OpenAPI path syntax. The table below is the contract's source. */
export interface ApiOperation {
  method: "get" | "post";
  path: string;
  operationId: string;
  summary: string;
  /** An API key as `Authorization: Bearer lpk_...`. */
  apiKey: boolean;
  requestBody?: { schema: Schema; example: unknown };
  parameters?: DocumentedParameter[];
  responses: Record<string, DocumentedResponse>;
}

const REPLAYED_HEADER = {
  "Idempotent-Replayed": {
    description:
      "true when this is the stored answer to an earlier call with the same Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
};

const EXAMPLE_REQUEST_ID = "0b6b3c1e-6f3a-4c7e-9a53-2f8f3f1d7c42";
const EXAMPLE_TIME = "2026-11-27T03:00:00.000Z";

const error = (description: string, code: string, message: string, details: unknown = null) => ({
  description,
  schema: ApiErrorBodySchema,
  example: { error: { code, message, details } },
});
const badField = (field: string, message: string) =>
  error(
    "The body failed validation; nothing was written",
    "invalid_argument",
    `Invalid field(s): ${field}`,
    {
      issues: [{ field, message }],
    },
  );
const unauthenticated = error(
  "No API key, or one that is unknown or disabled",
  "unauthenticated",
  "Unknown or disabled API key",
  { field: "Authorization" },
);

const created = {
  request_id: EXAMPLE_REQUEST_ID,
  status: "pending",
  timeout: "2026-11-27T03:02:00.000Z",
  validator_deadline: "2026-11-27T03:01:30.000Z",
  expected_validators: 3,
  poll_url: `https://us-central1-my-project.cloudfunctions.net/api/leads/status/${EXAMPLE_REQUEST_ID}`,
};

export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/health",
    operationId: "health",
    summary: "Liveness of the API function",
    apiKey: false,
    responses: {
      200: {
        description: "The function answers",
        schema: HealthSchema,
        example: { status: "ok", service: "api", time: EXAMPLE_TIME },
      },
    },
  },
  {
    method: "post",
    path: "/leads",
    operationId: "createLeadRequest",
    summary: "Ask for leads that fit a business description; answers at once, poll for the result",
    apiKey: true,
    requestBody: {
      schema: CreateLeadsRequestSchema,
      example: {
        num_leads: 3,
        business_desc: "Fintech startups in London hiring a Head of Sales",
        callback_url: "https://hooks.example.com/leads",
      },
    },
    parameters: [
      {
        name: IDEMPOTENCY_HEADER,
        in: "header",
        description:
          "Any 1-255 printable ASCII characters: a retry with the same key and body within 24 hours " +
          "gets the first answer again instead of creating a second request",
        schema: z.string().min(1).max(255),
      },
    ],
    responses: {
      202: {
        description: "Accepted: the validators are ranking; follow poll_url",
        schema: CreatedLeadRequestSchema,
        example: created,
        headers: REPLAYED_HEADER,
      },
      400: badField("num_leads", "Too big: expected number to be <=100"),
      401: unauthenticated,
      415: error(
        "The body is not JSON",
        "unsupported_media_type",
        "Send the body as application/json",
        { field: "Content-Type" },
      ),
      429: error(
        "Too many requests for this API key; see Retry-After",
        "rate_limited",
        "Rate limit exceeded",
      ),
      422: error(
        "This Idempotency-Key was used with a different body in the last 24 hours",
        "idempotency_key_reused",
        `This ${IDEMPOTENCY_HEADER} was used with a different body in the last 24 hours`,
        { field: IDEMPOTENCY_HEADER, request_id: EXAMPLE_REQUEST_ID },
      ),
      503: error(
        "No validator is active, or too many concurrent writes for this key (code contended); " +
          "see Retry-After",
        "no_active_validators",
        "No validator is active on the subnet",
      ),
    },
  },
  {
    method: "get",
    path: "/leads/status/{request_id}",
    operationId: "getLeadRequestStatus",
    summary: "A request's status; the consensus leads once completed, the reason once failed",
    apiKey: true,
    parameters: [
      {
        name: "wait",
        in: "query",
        description:
          `Seconds (0-${STATUS_WAIT_MAX_SECONDS}) to hold the answer while the request is open: it ` +
          "comes as soon as the request is completed or failed, or when the wait ends",
        schema: StatusWaitSchema,
      },
    ],
    responses: {
      200: {
        description: "The request as it stands (never open past its deadline)",
        schema: RequestStatusViewSchema,
        example: {
          request_id: EXAMPLE_REQUEST_ID,
          status: "completed",
          created_at: EXAMPLE_TIME,
          timeout: "2026-11-27T03:02:00.000Z",
          validator_deadline: "2026-11-27T03:01:30.000Z",
          validators: { answered: 3, expected: 3 },
          // The reading of the create example's description, computed so it never goes stale.
          understood: understand("Fintech startups in London hiring a Head of Sales"),
          leads: [
            {
              business: "Ledgerline",
              email: "ana@ledgerline.example",
              full_name: "Ana Costa",
              role: "Head of Sales",
              industry: "Fintech",
              region: "London",
              c_validator_hotkey: "CONSENSUS",
              consensus_score: 2.4,
              normalized_score: 0.8,
              num_validators: 3,
              rank: 1,
              matched: ["role", "industry", "place"],
              missed: [],
            },
          ],
        },
      },
      400: error(
        "request_id is not a UUID, or wait is not a number of seconds in range",
        "invalid_argument",
        "request_id must be a UUID",
        { field: "request_id" },
      ),
      401: unauthenticated,
      404: error(
        "No such request for this API key",
        "not_found",
        "No such request for this API key",
        { field: "request_id" },
      ),
    },
  },
  {
    method: "post",
    path: "/auth/sign-in",
    operationId: "signIn",
    summary: "A node proves its hotkey with a signed challenge and gets a Firebase custom token",
    apiKey: false,
    requestBody: {
      schema: SignInRequestSchema,
      example: {
        hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
        role: "validator",
        nonce: "q3JtUVb9w2bQ1d6lXgYk0w8Hc5nR4mAe",
        issued_at: 1795834800000,
        signature: `0x${"ab".repeat(64)}`,
      },
    },
    responses: {
      200: {
        description: "Signed in: use the token with the Firebase JS SDK's signInWithCustomToken",
        schema: SignInResultSchema,
        example: {
          token: "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl",
          hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
          role: "validator",
          heartbeat_seconds: 15,
        },
      },
      400: badField("hotkey", "must be an SS58 address"),
      401: error(
        "The signature, window or nonce does not check out",
        "bad_signature",
        "Signature does not verify",
      ),
      403: error(
        "The hotkey is not registered with that role",
        "not_registered",
        "Hotkey is not a registered validator",
      ),
      429: error(
        "Too many sign-ins for this hotkey or caller; see Retry-After",
        "rate_limited",
        "Rate limit of 30 requests per minute exceeded",
      ),
    },
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "openApiDocument",
    summary: "This document",
    apiKey: false,
    responses: {
      200: {
        description: "The OpenAPI 3.1 document of this API",
        schema: z.object({ openapi: z.literal("3.1.0") }).loose(),
        example: { openapi: "3.1.0" },
      },
    },
  },
];

/** The schemas published under components.schemas, by the names the core gives their types. */
const COMPONENTS: readonly [Schema, string][] = [
  [ApiErrorBodySchema, "ApiError"],
  [CreateLeadsRequestSchema, "CreateLeadsRequest"],
  [CreatedLeadRequestSchema, "CreatedLeadRequest"],
  [LeadSchema, "Lead"],
  [ConsensusLeadSchema, "ConsensusLead"],
  [StatusLeadSchema, "StatusLead"],
  [UnderstoodSchema, "Understood"],
  [RequestStatusViewSchema, "RequestStatusView"],
  [SignInRequestSchema, "SignInRequest"],
  [SignInResultSchema, "SignInResult"],
  [HealthSchema, "Health"],
];

const componentRef = (name: string) => `#/components/schemas/${name}`;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) for every component, each referring to the others. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of COMPONENTS) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: componentRef, unrepresentable: "any" });
  return Object.fromEntries(
    Object.entries(schemas)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [name, schema]),
  );
}

function schemaOrRef(schema: Schema): unknown {
  const named = COMPONENTS.find(([s]) => s === schema);
  if (named) return { $ref: componentRef(named[1]) };
  const { $schema: _dialect, ...inline } = z.toJSONSchema(schema, { unrepresentable: "any" });
  return inline;
}

/** OpenAPI 3.1 `webhooks`: what a request's callback_url receives once the request is final. */
function webhooksSection(): Record<string, unknown> {
  const header = (name: string, description: string, example: string) => ({
    name,
    in: "header",
    required: true,
    description,
    schema: { type: "string" },
    example,
  });
  return {
    requestFinal: {
      post: {
        operationId: "requestFinalWebhook",
        summary: "A request with a callback_url became completed or failed",
        description:
          "POSTed to the request's callback_url once it is final: the exact body " +
          "GET /leads/status/{request_id} answers. Verify the signature over the raw body, dedupe " +
          `on ${WEBHOOK_ID_HEADER} (at least once: a retry repeats it), and answer 2xx quickly. ` +
          "Any other answer, or none within 10 s, is retried with backoff (1 s, doubling to " +
          "10 min, 20 attempts). Redirects are not followed.",
        parameters: [
          header(
            WEBHOOK_ID_HEADER,
            "The delivery id: the same on every retry of this delivery (whd_<request_id>)",
            `whd_${EXAMPLE_REQUEST_ID}`,
          ),
          header(
            WEBHOOK_SIGNATURE_HEADER,
            "t=<unix seconds>,v1=<lowercase hex HMAC-SHA256>: the HMAC, keyed with the API key's " +
              "webhook secret (its UTF-8 bytes, whsec_ included), of `${t}.${raw body}`. Refuse " +
              `a t more than ${WEBHOOK_TOLERANCE_SECONDS} s from your clock; compare in constant time.`,
            `t=1795834920,v1=${"5f".repeat(32)}`,
          ),
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { $ref: componentRef("RequestStatusView") },
              example: {
                request_id: EXAMPLE_REQUEST_ID,
                status: "failed",
                created_at: EXAMPLE_TIME,
                timeout: "2026-11-27T03:02:00.000Z",
                validator_deadline: "2026-11-27T03:01:30.000Z",
                validators: { answered: 0, expected: 3 },
                reason: "no_miner_submitted",
              },
            },
          },
        },
        responses: {
          "2XX": { description: "Received; anything else is delivered again" },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document. Deterministic: the committed copy is compared byte for byte. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    }));
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.apiKey ? { security: [{ apiKey: [] }] } : {}),
      ...(params.length + (op.parameters?.length ?? 0) > 0
        ? {
            parameters: [
              ...params,
              ...(op.parameters ?? []).map((p) => ({
                name: p.name,
                in: p.in,
                required: false,
                description: p.description,
                schema: schemaOrRef(p.schema),
              })),
            ],
          }
        : {}),
      ...(op.requestBody
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: schemaOrRef(op.requestBody.schema),
                  example: op.requestBody.example,
                },
              },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.headers ? { headers: r.headers } : {}),
            content: { "application/json": { schema: schemaOrRef(r.schema), example: r.example } },
          },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Lead consensus API",
      version: "1",
      description:
        "Ask for B2B sales leads that fit a business description; validators rank the miners' " +
        "leads and the backend answers with their trust-weighted consensus. Errors are always " +
        '`{ "error": { "code", "message", "details" } }`.',
    },
    servers: [
      {
        url: "https://{region}-{project}.cloudfunctions.net/api",
        variables: { region: { default: "us-central1" }, project: { default: "demo-consensus" } },
      },
      { url: "http://127.0.0.1:5001/demo-consensus/us-central1/api", description: "Emulator" },
    ],
    paths,
    webhooks: webhooksSection(),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key: `Bearer lpk_...`" },
      },
    },
  };
}
