// fast-check arbitraries for the input boundaries: valid values of each shape, and "one field
// broken" mutations that say which field they broke, so a property can check the error names it.
import fc from "fast-check";
import { LIMITS, type Lead } from "consensus-core";

/** Strings no schema accepts where a number/boolean/object is expected, and vice versa. */
export const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.double({ noNaN: false }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

export const nonBlank = (max: number) =>
  fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);

export const validLeadsBody = fc.record({
  num_leads: fc.integer({ min: 1, max: LIMITS.numLeadsMax }),
  business_desc: nonBlank(200),
});

/** A broken field and the body carrying it. */
export interface Mutation<T> {
  field: string;
  body: T;
}

export const badNumLeads = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: LIMITS.numLeadsMax + 1 }),
  fc.double({ min: 1.0001, max: 99.9999, noNaN: true }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(Number.NaN, Infinity, -Infinity),
  wrongType.filter((v) => typeof v !== "number"),
);
export const badBusinessDesc = fc.oneof(
  fc.constantFrom("", "   ", "\n\t"),
  fc
    .string({ minLength: LIMITS.businessDescMax + 1, maxLength: LIMITS.businessDescMax + 40 })
    .filter((s) => s.trim().length > LIMITS.businessDescMax),
  wrongType.filter((v) => typeof v !== "string"),
);
/** Keys the strict schemas refuse (not one of theirs, nor a prototype name). */
export const extraKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => /^[a-z_]+$/i.test(k) && !["num_leads", "business_desc"].includes(k));

export const malformedLeadsBody: fc.Arbitrary<Mutation<unknown>> = validLeadsBody.chain((valid) =>
  fc.oneof(
    badNumLeads.map((v) => ({ field: "num_leads", body: { ...valid, num_leads: v } })),
    badBusinessDesc.map((v) => ({ field: "business_desc", body: { ...valid, business_desc: v } })),
    fc.constantFrom("num_leads", "business_desc").map((k) => {
      const body: Record<string, unknown> = { ...valid };
      delete body[k];
      return { field: k, body };
    }),
    extraKey.map((k) => ({ field: k, body: { ...valid, [k]: 1 } })),
  ),
);

export const lead = (i: number): Lead => ({
  business: `Company ${i}`,
  email: `owner${i}@company${i}.io`,
});

export const leadArb: fc.Arbitrary<Lead> = fc
  .record({
    i: fc.nat(1_000_000),
    business: nonBlank(40),
    role: fc.option(nonBlank(20), { nil: undefined }),
  })
  .map(({ i, business, role }) => ({
    business: business.trim(),
    email: `x${i}@example${i % 97}.io`,
    ...(role ? { role: role.trim() } : {}),
  }));
