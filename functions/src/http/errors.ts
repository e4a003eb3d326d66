// The one error envelope of the HTTP API: { "error": { "code", "message", "details" } }. Status
// and headers come from the catalogue (errorCatalogue.ts) by code, so no thrower can answer a code
// with another status or without the headers its entry promises.
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { z } from "zod";
import { describeIssues } from "consensus-core";
import { logs } from "../logs";
import { API_ERRORS, type ErrorCode, type HeadersFor } from "./errorCatalogue";

export class ApiError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: C,
    message: string,
    readonly details: unknown = null,
    headers?: HeadersFor<C>,
  ) {
    super(message);
    this.status = API_ERRORS[code].status;
    this.headers = { ...(headers as Record<string, string> | undefined) };
    const missing = API_ERRORS[code].headers.filter((h) => this.headers[h] === undefined);
    // A programming error, not the client's: it surfaces as a 500 and in the unit tests.
    if (missing.length > 0) throw new Error(`${code} needs header(s) ${missing.join(", ")}`);
  }

  static invalid(error: z.ZodError): ApiError {
    const issues = describeIssues(error);
    const fields = [...new Set(issues.map((i) => i.field))].join(", ");
    return new ApiError("invalid_argument", `Invalid field(s): ${fields}`, { issues });
  }
}

export const notFound: RequestHandler = (req, _res, next) =>
  next(new ApiError("not_found", `No route for ${req.method} ${req.path}`));

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
    logs.httpUnhandled({
      method: req.method,
      path: req.path,
      // The cause, under a name the logger does not overwrite with the event (see log.ts).
      error: String(err?.message ?? err),
      error_name: typeof err?.name === "string" ? err.name : typeof err,
      stack: typeof err?.stack === "string" ? err.stack : undefined,
    });
  }
  const code: ErrorCode = status === 500 ? "internal" : "bad_request";
  res.status(status).json({
    error: {
      code,
      message: status === 500 ? "Internal error" : String(err.message ?? "Bad request"),
      details: null,
    },
  });
};
