// The console reads only fields core's schemas declare (issue 26). Two checks: at run time every
// fixture document is guarded (./fixtures.ts) so a read of an undeclared field throws in whichever
// test exercises it; and statically, every snake_case property the console's source reads (stored
// fields are snake_case, the console's own names camelCase) must be declared by some schema, which
// also catches a read through a cast that no test happens to run.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { ValidatorAgreementRecordSchema } from "../../../core/src/agreement";
import { STORED } from "../../../core/src/documents";
import { UnderstoodSchema } from "../../../core/src/leads/understood";
import { MinerScoreRecordSchema } from "../../../core/src/minerScores";
import { toRequestRow } from "../../src/model";
import { registryDoc, requestDoc, resultOf, UndeclaredFieldRead } from "./fixtures";

/** Every key any stored-document schema declares, at any depth. */
function declaredKeys(schema: z.ZodType, out = new Set<string>()): Set<string> {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    declaredKeys(schema.unwrap() as z.ZodType, out);
  } else if (schema instanceof z.ZodArray) {
    declaredKeys(schema.element as z.ZodType, out);
  } else if (schema instanceof z.ZodRecord) {
    declaredKeys(schema.valueType as z.ZodType, out);
  } else if (schema instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      out.add(key);
      declaredKeys(field, out);
    }
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** snake_case names read as properties (`x.a_b`, `x?.a_b`, `x["a_b"]`) or destructured (`{ a_b: y }`). */
function snakeReads(source: string): string[] {
  const code = source.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  const found = new Set<string>();
  for (const re of [
    /\??\.([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g,
    /\[\s*"([a-z][a-z0-9]*(?:_[a-z0-9]+)+)"\s*\]/g,
    /[{,]\s*([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s*:\s*_/g,
  ]) {
    for (const m of code.matchAll(re)) found.add(m[1]);
  }
  return [...found];
}

/**
 * What core computes from stored documents and the console shows: the ledgers' rolling records and
 * a description's reading. Declared by core's schemas too, not by a list here.
 */
const DERIVED = [ValidatorAgreementRecordSchema, MinerScoreRecordSchema, UnderstoodSchema];

test("every stored field the console's source reads is declared by a core schema", () => {
  const declared = new Set<string>();
  for (const schema of [...Object.values(STORED), ...DERIVED]) {
    declaredKeys(schema as z.ZodType, declared);
  }
  const undeclared: string[] = [];
  for (const file of sources(resolve(__dirname, "../../src"))) {
    for (const key of snakeReads(readFileSync(file, "utf8"))) {
      if (!declared.has(key)) undeclared.push(`${file.replace(/.*console\//, "console/")}: ${key}`);
    }
  }
  expect(undeclared).toEqual([]);
  // The scan does see the console's reads (it is not vacuously empty).
  const model = readFileSync(resolve(__dirname, "../../src/model.ts"), "utf8");
  expect(snakeReads(model)).toEqual(expect.arrayContaining(["expected_validators", "window_ms"]));
});

test("the static scan catches a read of a field nothing writes, however it is spelled", () => {
  expect(snakeReads("const x = d.declined_miners ?? result?.declined_miners;")).toEqual([
    "declined_miners",
  ]);
  expect(snakeReads('const y = (d as any)["lateness_ms"];')).toEqual(["lateness_ms"]);
  const declared = new Set<string>();
  for (const schema of Object.values(STORED)) declaredKeys(schema as z.ZodType, declared);
  expect(declared.has("declined_miners")).toBe(false);
  expect(declared.has("lateness_ms")).toBe(false);
  expect(declared.has("late_validators")).toBe(true);
});

test("a fixture document throws on a read of an undeclared field, at any depth", () => {
  const doc = requestDoc({ status: "completed", result: resultOf({ participants: ["A"] }) });
  const loose = doc as unknown as Record<string, unknown>;
  expect(() => loose.declined_miners).toThrow(UndeclaredFieldRead);
  expect(() => (doc.result as unknown as Record<string, unknown>).declined_miners).toThrow(
    "request.result.declined_miners",
  );
  expect(() => (registryDoc() as unknown as Record<string, unknown>).hotkey_name).toThrow(
    UndeclaredFieldRead,
  );
  // Declared fields read normally, present or absent.
  expect(doc.status).toBe("completed");
  expect(doc.closed_by).toBeUndefined();
  // And the model reads every request field it uses without tripping the guard.
  expect(() => toRequestRow("r", doc)).not.toThrow();
});

test("fixtures cannot be written by hand past the schemas", () => {
  // A field no schema declares is refused, at any depth...
  expect(() => requestDoc({ declined_miners: ["M"] } as never)).toThrow(
    "fixture fields no schema declares: request.declined_miners",
  );
  expect(() =>
    requestDoc({ result: { ...resultOf(), declined_miners: [] } as never, status: "completed" }),
  ).toThrow("request.result.declined_miners");
  // ...and a document missing a field the backend always writes does not parse at all.
  const { status: _status, ...noStatus } = requestDoc();
  expect(() => STORED.request.parse(noStatus)).toThrow();
});
