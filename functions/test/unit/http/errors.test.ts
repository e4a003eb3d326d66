// An unexpected error becomes a bare 500 for the client and a log entry that keeps its cause
// (issue 20: the logger's own `message` overwrote the one passed, so the entry said only
// "http_unhandled").
import type { NextFunction, Request, Response } from "express";

// firebase-functions' logger captures console.error when it is loaded, so the spy goes in first and
// the modules are required after it.
const written: string[] = [];
jest.spyOn(console, "error").mockImplementation((line: string) => void written.push(line));
jest.spyOn(console, "info").mockImplementation((line: string) => void written.push(line));
/* eslint-disable @typescript-eslint/no-require-imports */
const { errorHandler } =
  require("../../../src/http/errors") as typeof import("../../../src/http/errors");
const { log } = require("../../../src/log") as typeof import("../../../src/log");
const { EVENTS } = require("../../../src/logs") as typeof import("../../../src/logs");
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => {
  written.length = 0;
});

function fakeResponse() {
  const res = {
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    json(body: unknown) {
      res.body = body;
      return res;
    },
    set() {
      return res;
    },
  };
  return res;
}

test("http_unhandled keeps the cause's message; the client sees only 'Internal error'", () => {
  const res = fakeResponse();
  const cause = new TypeError("Cannot convert lone surrogate \\ud800 to UTF-8");
  errorHandler(
    cause,
    { method: "POST", path: "/leads" } as Request,
    res as unknown as Response,
    (() => undefined) as NextFunction,
  );
  expect(res.statusCode).toBe(500);
  expect(res.body).toEqual({
    error: { code: "internal", message: "Internal error", details: null },
  });
  expect(JSON.stringify(res.body)).not.toContain("surrogate");

  const entries = written.map((line) => JSON.parse(line));
  const entry = entries.find((e) => e.event === EVENTS.httpUnhandled);
  expect(entry).toMatchObject({
    severity: "ERROR",
    method: "POST",
    path: "/leads",
    error: "Cannot convert lone surrogate \\ud800 to UTF-8",
    error_name: "TypeError",
  });
  expect(entry.stack).toContain("errors.test.ts");
});

test("a `message` field passed to the logger is kept as `detail`, not overwritten", () => {
  log.info("something_happened", { message: "the caller's words", request_id: "r1" });
  const entry = JSON.parse(written.at(-1)!);
  expect(entry).toMatchObject({
    event: "something_happened",
    message: "something_happened",
    detail: "the caller's words",
    request_id: "r1",
  });
});
