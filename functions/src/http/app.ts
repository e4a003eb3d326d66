// The HTTPS API (function `api`). Routes validate with the shared zod schemas, then call the
// lifecycle handlers. Nothing is written until a request has passed every check.
import express, { type Request } from "express";
import {
  CreateLeadsRequestSchema,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  ListCursorSchema,
  ListLimitSchema,
  RequestIdSchema,
  STATUS_WAIT_MAX_SECONDS,
  SignInRequestSchema,
  StatusWaitSchema,
  callbackUrlProblem,
} from "consensus-core";
import { SignInRejectedError, signInWithHotkey } from "../auth/signIn";
import {
  lifecycleConfig,
  publicApiUrl,
  rateLimitPerMinute,
  readInt,
  readRegion,
  readString,
  signInPerCallerPerMinute,
  signInPerHotkeyPerMinute,
  signInWindowSeconds,
} from "../config";
import {
  NoActiveValidatorsError,
  getRequestStatus,
  waitForFinalOrDue,
} from "../lifecycle/requests";
import { scheduleRequestTasks } from "../lifecycle/tasks";
import { webhookPolicy } from "../lifecycle/webhookDelivery";
import { authenticateApiKey } from "./apiKeys";
import { callerAddress } from "./caller";
import { ApiError, errorHandler, notFound } from "./errors";
import { openApiDocument } from "./openapi";
import { functionIdentity, publicBaseUrl } from "./publicUrl";
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from "./idempotency";
import { createLeadRequestOnce } from "./leadCreation";
import { decodeCursor, listClientRequests } from "./listRequests";
import { rateLimitHeaders } from "./rateLimit";

/** `/leads/status/{id}` below the configured public base URL (see publicUrl.ts), never headers. */
function pollUrl(requestId: string): string {
  const base = publicBaseUrl(readString(publicApiUrl), functionIdentity(process.env, readRegion()));
  return `${base}/leads/status/${encodeURIComponent(requestId)}`;
}

/** A callback_url the schema accepted, checked against where deliveries may go (webhooks.ts). */
function checkCallbackUrl(url: string, client: { webhooks?: boolean }): void {
  const problem = callbackUrlProblem(url, webhookPolicy());
  const message = problem
    ? `callback_url ${problem}`
    : client.webhooks
      ? null
      : "callback_url needs an API key with a webhook secret: create a new key";
  if (message) {
    throw new ApiError("invalid_argument", message, {
      issues: [{ field: "callback_url", message }],
    });
  }
}

function jsonBody(req: Request): unknown {
  if (!req.is("application/json")) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json", {
      field: "Content-Type",
    });
  }
  return req.body;
}

export function createApp(): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Cloud Functions sits behind Google's front end, which sets X-Forwarded-*. Nothing the API
  // answers is built from them (poll_url comes from configuration: publicUrl.ts), since a caller
  // can send its own.
  app.set("trust proxy", true);
  // Cloud Functions has already parsed JSON bodies into req.body (and answers 400 on bad JSON);
  // this parser covers running the app outside the platform.
  app.use(express.json({ limit: "64kb" }));

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "api", time: new Date().toISOString() });
  });

  app.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });

  app.post("/leads", async (req, res) => {
    const client = await authenticateApiKey(req.get("authorization"));
    const rawBody = jsonBody(req);
    const parsed = CreateLeadsRequestSchema.safeParse(rawBody);
    if (!parsed.success) throw ApiError.invalid(parsed.error);
    if (parsed.data.callback_url) checkCallbackUrl(parsed.data.callback_url, client);
    const idempotencyKey = parseIdempotencyKey(req.get(IDEMPOTENCY_HEADER));
    const now = new Date();
    const perMinute = readInt(rateLimitPerMinute);
    let outcome;
    try {
      // Every check above wrote nothing; this writes the request, its rate-limit slot and its
      // idempotency record at once, or (a replay, a 429, a 503) nothing.
      outcome = await createLeadRequestOnce({
        client,
        body: parsed.data,
        rawBody,
        idempotencyKey,
        now,
        lifecycle: lifecycleConfig(),
        perMinute,
        answer: (doc) => ({
          request_id: doc.request_id,
          status: doc.status,
          timeout: doc.timeout.toDate().toISOString(),
          validator_deadline: doc.validator_deadline.toDate().toISOString(),
          expected_validators: doc.expected_count,
          poll_url: pollUrl(doc.request_id),
        }),
      });
    } catch (err) {
      if (err instanceof NoActiveValidatorsError) {
        throw new ApiError("no_active_validators", "No validator is active on the subnet", null, {
          "Retry-After": "30",
        });
      }
      throw err;
    }
    // Tasks at the validator deadline and the timeout close the round on time (logged, not fatal,
    // if they cannot be enqueued: the sweep and the status endpoint close it too). A replay
    // schedules nothing: the first answer already did.
    if (outcome.kind === "created") await scheduleRequestTasks(outcome.doc);
    res.set(rateLimitHeaders(perMinute, outcome.used, now));
    let body = outcome.body;
    if (outcome.kind === "replayed") {
      res.set("Idempotent-Replayed", "true");
      // A stored answer's poll_url is rebuilt from today's configuration: one recorded before
      // poll_url stopped following request headers may hold an attacker's URL, and a changed
      // PUBLIC_API_URL applies to replays too.
      if (typeof body.poll_url === "string" && typeof body.request_id === "string") {
        body = { ...body, poll_url: pollUrl(body.request_id) };
      }
    }
    res.status(outcome.status).json(body);
  });

  app.get("/leads", async (req, res) => {
    const client = await authenticateApiKey(req.get("authorization"));
    const limit = ListLimitSchema.safeParse(req.query.limit ?? LIST_LIMIT_DEFAULT);
    if (!limit.success) {
      throw new ApiError(
        "invalid_argument",
        `limit must be a whole number from 1 to ${LIST_LIMIT_MAX}`,
        {
          field: "limit",
        },
      );
    }
    let after = null;
    if (req.query.cursor !== undefined) {
      const cursor = ListCursorSchema.safeParse(req.query.cursor);
      after = cursor.success ? decodeCursor(cursor.data) : null;
      if (!after) {
        throw new ApiError("invalid_argument", "cursor must be a next_cursor this API returned", {
          field: "cursor",
        });
      }
    }
    res.json(await listClientRequests(client.clientId, limit.data, after, pollUrl));
  });

  app.get("/leads/status/:requestId", async (req, res) => {
    const client = await authenticateApiKey(req.get("authorization"));
    const id = RequestIdSchema.safeParse(req.params.requestId);
    if (!id.success) {
      throw new ApiError("invalid_argument", "request_id must be a UUID", {
        field: "request_id",
      });
    }
    const wait = StatusWaitSchema.safeParse(req.query.wait ?? "0");
    if (!wait.success) {
      throw new ApiError(
        "invalid_argument",
        `wait must be a number of seconds from 0 to ${STATUS_WAIT_MAX_SECONDS}`,
        { field: "wait" },
      );
    }
    let view = await getRequestStatus(client.clientId, id.data);
    if (view && wait.data > 0 && (view.status === "pending" || view.status === "processing")) {
      // Long poll: answer as soon as the request is final (or due to be closed), at most `wait`.
      await waitForFinalOrDue(id.data, wait.data * 1000);
      view = await getRequestStatus(client.clientId, id.data);
    }
    if (!view)
      throw new ApiError("not_found", "No such request for this API key", {
        field: "request_id",
      });
    res.json(view);
  });

  app.post("/auth/sign-in", async (req, res) => {
    const parsed = SignInRequestSchema.safeParse(jsonBody(req));
    if (!parsed.success) throw ApiError.invalid(parsed.error);
    try {
      const windowMs = readInt(signInWindowSeconds) * 1000;
      res.json(
        await signInWithHotkey(parsed.data, new Date(), windowMs, {
          perHotkeyPerMinute: readInt(signInPerHotkeyPerMinute),
          perCallerPerMinute: readInt(signInPerCallerPerMinute),
          caller: callerAddress(req),
        }),
      );
    } catch (err) {
      if (err instanceof SignInRejectedError) throw new ApiError(err.code, err.message);
      throw err;
    }
  });

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
