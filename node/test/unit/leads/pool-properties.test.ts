// Property-based tests of the lead pool file boundary: any file content either loads as leads that
// each pass LeadSchema with unique normalised emails, or fails with a "lead pool <file>: ..." error.
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LeadSchema, leadKey } from "consensus-core";
import { loadLeadPool } from "../../../src/leads/pool";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pool-prop-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leadLike = fc.record(
  {
    business: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
    email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 })),
    role: fc.string({ maxLength: 10 }),
    extra: fc.string({ maxLength: 5 }),
  },
  { requiredKeys: [] },
);

test("a pool file loads only valid, unique leads, or fails naming the file", () => {
  let n = 0;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(leadLike, { maxLength: 6 }).map((x) => JSON.stringify(x)),
        fc.jsonValue().map((x) => JSON.stringify(x)),
        fc.string({ maxLength: 40 }),
      ),
      (text) => {
        const file = join(dir, `pool-${n++}.json`);
        writeFileSync(file, text);
        let leads;
        try {
          leads = loadLeadPool(file);
        } catch (err) {
          expect((err as Error).message.startsWith(`lead pool ${file}: `)).toBe(true);
          return;
        }
        for (const l of leads) expect(LeadSchema.safeParse(l).success).toBe(true);
        expect(new Set(leads.map(leadKey)).size).toBe(leads.length);
      },
    ),
    { numRuns: 300 },
  );
});
