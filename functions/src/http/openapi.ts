// The API's OpenAPI 3.1 contract, generated from the same zod schemas the routes validate with
// (zod 4's JSON Schema output). Served at GET /openapi.json; a copy is committed as
// docs/openapi.json (`npm run openapi` rewrites it, a unit test fails when it is stale).
import {
  ApiErrorBodySchema,
  ConsensusLeadSchema,
  CreateLeadsRequestSchema,
  CreatedLeadRequestSchema,
  HealthSchema,
  LeadRequestListSchema,
  LeadRequestSummarySchema,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  ListCursorSchema,
  ListLimitSchema,
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
import {
  API_ERRORS,
  RATE_LIMIT_HEADERS,
  RESPONSE_HEADERS,
  type ErrorCode,
  type ResponseHeader,
} from "./errorCatalogue";
import { IDEMPOTENCY_HEADER } from "./idempotency";

type Schema = z.ZodType;

interface DocumentedResponse {
  description: string;
  schema: Schema;
  example: unknown;
  /** Response headers (declared in errorCatalogue.ts): on every such answer, or on some. */
  headers?: Partial<Record<ResponseHeader, "always" | "sometimes">>;
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
  /** The successes; the errors are listed by code from the catalogue (errorCatalogue.ts). */
  responses: Record<string, DocumentedResponse>;
  errors: readonly ErrorCode[];
}

const EXAMPLE_REQUEST_ID = "0b6b3c1e-6f3a-4c7e-9a53-2f8f3f1d7c42";
const EXAMPLE_TIME = "2026-11-27T03:00:00.000Z";

const RATE_LIMITED_ANSWER = Object.fromEntries(
  RATE_LIMIT_HEADERS.map((h) => [h, "always" as const]),
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
    errors: [],
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
        headers: { ...RATE_LIMITED_ANSWER, "Idempotent-Replayed": "sometimes" },
      },
    },
    errors: [
      "invalid_argument",
      "bad_request",
      "unauthenticated",
      "unsupported_media_type",
      "idempotency_key_reused",
      "rate_limited",
      "internal",
      "no_active_validators",
      "contended",
    ],
  },
  {
    method: "get",
    path: "/leads",
    operationId: "listLeadRequests",
    summary: "This API key's client's own requests, newest first, a page at a time",
    apiKey: true,
    parameters: [
      {
        name: "limit",
        in: "query",
        description: `Requests per page, 1-${LIST_LIMIT_MAX} (default ${LIST_LIMIT_DEFAULT})`,
        schema: ListLimitSchema,
      },
      {
        name: "cursor",
        in: "query",
        description: "The next_cursor of the previous page (opaque); absent for the first page",
        schema: ListCursorSchema,
      },
    ],
    responses: {
      200: {
        description:
          "A page of requests with their stored status (poll_url gives the live one); " +
          "next_cursor is null on the last page",
        schema: LeadRequestListSchema,
        example: {
          requests: [
            {
              request_id: EXAMPLE_REQUEST_ID,
              status: "completed",
              num_leads: 3,
              business_desc: "Fintech startups in London hiring a Head of Sales",
              created_at: EXAMPLE_TIME,
              timeout: "2026-11-27T03:02:00.000Z",
              poll_url: created.poll_url,
            },
          ],
          next_cursor: "WzEsMTc5NTgzNDgwMCwwLCIwYjZiM2MxZSJd",
        },
      },
    },
    errors: ["invalid_argument", "unauthenticated", "internal"],
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
    },
    errors: ["invalid_argument", "unauthenticated", "not_found", "internal"],
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
    },
    errors: [
      "invalid_argument",
      "bad_request",
      "unsupported_media_type",
      "stale_challenge",
      "bad_signature",
      "replayed_nonce",
      "not_registered",
      "role_not_allowed",
      "rate_limited",
      "internal",
      "contended",
    ],
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
    errors: [],
  },
];

/** What an operation documents for one status: schema, codes (errors only) and headers. */
export interface StatusContract {
  schema: Schema;
  codes: ErrorCode[];
  headers: Partial<Record<ResponseHeader, "always" | "sometimes">>;
}

/** Every status an operation documents, successes and catalogued errors alike. */
export function operationStatuses(op: ApiOperation): Map<number, StatusContract> {
  const out = new Map<number, StatusContract>();
  for (const [status, r] of Object.entries(op.responses)) {
    out.set(Number(status), { schema: r.schema, codes: [], headers: r.headers ?? {} });
  }
  for (const code of op.errors) {
    const entry = API_ERRORS[code];
    const contract = out.get(entry.status) ?? {
      schema: ApiErrorBodySchema,
      codes: [],
      headers: {},
    };
    contract.codes.push(code);
    out.set(entry.status, contract);
  }
  // A header is "always" only when every code of the status carries it.
  for (const contract of out.values()) {
    if (contract.codes.length === 0) continue;
    const names = new Set(contract.codes.flatMap((c) => [...API_ERRORS[c].headers]));
    for (const name of names) {
      contract.headers[name] = contract.codes.every((c) =>
        (API_ERRORS[c].headers as readonly string[]).includes(name),
      )
        ? "always"
        : "sometimes";
    }
  }
  return out;
}

function headerObjects(headers: Partial<Record<ResponseHeader, "always" | "sometimes">>) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, when]) => [
      name,
      { ...RESPONSE_HEADERS[name as ResponseHeader], required: when === "always" },
    ]),
  );
}

/** The error answers of one status: the envelope with its code narrowed to the catalogued ones. */
function errorResponse(codes: ErrorCode[], headers: StatusContract["headers"]) {
  return {
    description: codes.map((c) => `\`${c}\`: ${API_ERRORS[c].description}`).join(". "),
    ...(Object.keys(headers).length > 0 ? { headers: headerObjects(headers) } : {}),
    content: {
      "application/json": {
        schema: {
          allOf: [
            { $ref: componentRef("ApiError") },
            {
              type: "object",
              properties: {
                error: { type: "object", properties: { code: { type: "string", enum: codes } } },
              },
            },
          ],
        },
        examples: Object.fromEntries(
          codes.map((c) => [c, { value: { error: { code: c, ...API_ERRORS[c].example } } }]),
        ),
      },
    },
  };
}

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
  [LeadRequestSummarySchema, "LeadRequestSummary"],
  [LeadRequestListSchema, "LeadRequestList"],
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
        [...operationStatuses(op)]
          .sort(([a], [b]) => a - b)
          .map(([status, contract]) => {
            const success = op.responses[status];
            if (!success) return [String(status), errorResponse(contract.codes, contract.headers)];
            return [
              String(status),
              {
                description: success.description,
                ...(success.headers ? { headers: headerObjects(success.headers) } : {}),
                content: {
                  "application/json": {
                    schema: schemaOrRef(success.schema),
                    example: success.example,
                  },
                },
              },
            ];
          }),
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
      responses: {
        // Not an operation's: any method and path the API does not serve.
        UnknownRoute: errorResponse(["not_found"], {}),
      },
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key: `Bearer lpk_...`" },
      },
    },
  };
}
