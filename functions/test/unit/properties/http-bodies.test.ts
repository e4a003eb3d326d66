// Property-based tests of the HTTP input boundaries (POST /leads, POST /auth/sign-in): a valid body
// parses, any body with one broken field is refused with that field named, and nothing thrown.
import fc from "fast-check";
import { CreateLeadsRequestSchema, SignInRequestSchema, describeIssues } from "consensus-core";
import { malformedLeadsBody, validLeadsBody, wrongType } from "./arbitraries";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

describe("POST /leads body", () => {
  it("accepts every in-range body", () => {
    fc.assert(
      fc.property(validLeadsBody, (body) => CreateLeadsRequestSchema.safeParse(body).success),
    );
  });

  it("refuses a body with one broken field and names that field", () => {
    fc.assert(
      fc.property(malformedLeadsBody, ({ field, body }) => {
        const parsed = CreateLeadsRequestSchema.safeParse(body);
        expect(parsed.success).toBe(false);
        expect(describeIssues(parsed.error!).map((i) => i.field)).toContain(field);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary JSON, and refuses what is not an object", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const parsed = CreateLeadsRequestSchema.safeParse(body);
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          expect(parsed.success).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// Random short strings could spell a valid role, random numbers a valid time: keep them out.
const notString = wrongType.filter((v) => typeof v !== "string");
const notNumber = wrongType.filter((v) => typeof v !== "number");

const validSignIn = fc.record({
  hotkey: fc.constant(HOTKEY),
  role: fc.constantFrom("validator", "miner"),
  nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
  issued_at: fc.integer({ min: 1, max: 4_102_444_800_000 }),
  signature: fc.stringMatching(/^[0-9a-f]{128}$/).map((h) => `0x${h}`),
});

const brokenSignIn = validSignIn.chain((valid) =>
  fc.oneof(
    fc
      .oneof(
        fc.string({ maxLength: 39 }),
        fc.constant("0OIl" + HOTKEY.slice(4)),
        fc.string({ minLength: 65, maxLength: 80 }),
        wrongType,
      )
      .map((v) => ({ field: "hotkey", body: { ...valid, hotkey: v } })),
    fc
      .oneof(fc.constantFrom("admin", "Validator", ""), notString)
      .map((v) => ({ field: "role", body: { ...valid, role: v } })),
    fc
      .oneof(fc.string({ maxLength: 15 }), fc.constant("has space in it!!"), wrongType)
      .map((v) => ({ field: "nonce", body: { ...valid, nonce: v } })),
    fc
      .oneof(fc.integer({ max: 0 }), fc.constant(1.5), notNumber)
      .map((v) => ({ field: "issued_at", body: { ...valid, issued_at: v } })),
    fc
      .oneof(fc.constant("0x" + "g".repeat(128)), fc.constant("0x" + "a".repeat(126)), wrongType)
      .map((v) => ({ field: "signature", body: { ...valid, signature: v } })),
    fc.constantFrom("hotkey", "role", "nonce", "issued_at", "signature").map((k) => {
      const body: Record<string, unknown> = { ...valid };
      delete body[k];
      return { field: k, body };
    }),
  ),
);

describe("POST /auth/sign-in body", () => {
  it("accepts every well-shaped challenge", () => {
    fc.assert(fc.property(validSignIn, (body) => SignInRequestSchema.safeParse(body).success));
  });

  it("refuses a challenge with one broken field and names that field", () => {
    fc.assert(
      fc.property(brokenSignIn, ({ field, body }) => {
        const parsed = SignInRequestSchema.safeParse(body);
        expect(parsed.success).toBe(false);
        expect(describeIssues(parsed.error!).map((i) => i.field)).toContain(field);
      }),
      { numRuns: 500 },
    );
  });
});
