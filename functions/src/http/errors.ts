// The one error envelope of the HTTP API: { "error": { "code", "message", "details" } }.
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { z } from "zod";
import { describeIssues } from "consensus-core";
import { log } from "../log";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static invalid(error: z.ZodError): ApiError {
    const issues = describeIssues(error);
    const fields = [...new Set(issues.map((i) => i.field))].join(", ");
    return new ApiError(400, "invalid_argument", `Invalid field(s): ${fields}`, { issues });
  }
}

export const notFound: RequestHandler = (req, _res, next) =>
  next(new ApiError(404, "not_found", `No route for ${req.method} ${req.path}`));

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof ApiError) {
    res.set(err.headers);
    res.status(err.status).json({
      error: { code: err.code, message: err.message, details: err.details },
    });
    return;
  }
  // Body-parser errors carry a 4xx status; anything else is our fault and is logged, not leaked.
  const status =
    typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) {
    log.error("http_unhandled", {
      method: req.method,
      path: req.path,
      // The cause, under a name the logger does not overwrite with the event (see log.ts).
      error: String(err?.message ?? err),
      error_name: typeof err?.name === "string" ? err.name : typeof err,
      stack: typeof err?.stack === "string" ? err.stack : undefined,
    });
  }
  res.status(status).json({
    error: {
      code: status === 500 ? "internal" : "bad_request",
      message: status === 500 ? "Internal error" : String(err.message ?? "Bad request"),
      details: null,
    },
  });
};
