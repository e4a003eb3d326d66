// The catalogue against its users: every example is a valid envelope, every code is answered by
// some operation (or by an unknown route), an error cannot be built without its declared headers,
// and the OpenAPI document states each code with the catalogue's status.
import { ApiErrorBodySchema } from "consensus-core";
import { API_ERRORS, ERROR_CODES, RESPONSE_HEADERS } from "../../../src/http/errorCatalogue";
import { ApiError } from "../../../src/http/errors";
import { API_OPERATIONS, openApiDocument } from "../../../src/http/openapi";

test.each(ERROR_CODES)("%s: its example is a valid envelope", (code) => {
  const body = { error: { code, ...API_ERRORS[code].example } };
  expect(ApiErrorBodySchema.safeParse(body).error).toBeUndefined();
  for (const h of API_ERRORS[code].headers) expect(RESPONSE_HEADERS).toHaveProperty([h]);
});

test("every catalogued code is one some operation answers (not_found: also unknown routes)", () => {
  const used = new Set(API_OPERATIONS.flatMap((op) => op.errors));
  expect(ERROR_CODES.filter((c) => !used.has(c) && c !== "not_found")).toEqual([]);
});

test("an ApiError takes its status from the catalogue and cannot omit a declared header", () => {
  const err = new ApiError("no_active_validators", "none", null, { "Retry-After": "30" });
  expect(err.status).toBe(503);
  expect(err.headers).toEqual({ "Retry-After": "30" });
  expect(() => new ApiError("rate_limited", "x", null, { "Retry-After": "1" } as never)).toThrow(
    /RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset/,
  );
});

test("the document lists each operation's codes under the catalogue's status", () => {
  const doc = openApiDocument() as {
    paths: Record<string, Record<string, { responses: Record<string, any> }>>;
  };
  for (const op of API_OPERATIONS) {
    const responses = doc.paths[op.path][op.method].responses;
    for (const code of op.errors) {
      const response = responses[String(API_ERRORS[code].status)];
      const schema = response.content["application/json"].schema;
      expect(schema.allOf[1].properties.error.properties.code.enum).toContain(code);
      for (const h of API_ERRORS[code].headers) expect(response.headers).toHaveProperty([h]);
    }
  }
});
