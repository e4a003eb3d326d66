// firestore.indexes.json as `firebase deploy --only firestore` reads it: valid for firebase-tools,
// TTL policies on every expiring collection, and index exemptions only on fields no query uses.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./deploy-package";

// firebase-tools' own validator of the file (what deploy runs before touching the project).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FirestoreApi } = require("firebase-tools/lib/firestore/api");

interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  ttl?: boolean;
  indexes: unknown[];
}
const spec = JSON.parse(readFileSync(join(ROOT, "firestore.indexes.json"), "utf8")) as {
  indexes: { collectionGroup: string; fields: { fieldPath: string }[] }[];
  fieldOverrides: FieldOverride[];
};

/** Collections whose documents carry `expires_at` for a TTL policy to delete them. */
const EXPIRING = ["rate_limits", "sign_in_nonces", "idempotency_keys"];

/** Large fields no query filters or orders on: indexing them costs writes and storage. */
const LARGE_FIELDS: [string, string][] = [
  ["api_requests", "business_desc"],
  ["api_requests", "result"],
  ["miner_submissions", "leads"],
  ["validator_rankings", "ranked_leads"],
  ["consensus_metrics", "top_leads"],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Field paths the backend and the nodes filter or order on (`where("x", ...)`, `orderBy("x")`). */
function queriedFields(): Set<string> {
  const fields = new Set<string>();
  for (const file of [
    ...sourceFiles(join(ROOT, "functions", "src")),
    ...sourceFiles(join(ROOT, "node", "src")),
  ]) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\b(?:where|orderBy)\(\s*"([^"]+)"/g)) fields.add(m[1]);
  }
  return fields;
}

test("firebase-tools accepts the file", () => {
  expect(() => new FirestoreApi().validateSpec(spec)).not.toThrow();
});

test.each(EXPIRING)("%s.expires_at has a TTL policy and no index", (collection) => {
  expect(spec.fieldOverrides).toContainEqual({
    collectionGroup: collection,
    fieldPath: "expires_at",
    ttl: true,
    indexes: [],
  });
});

test.each(LARGE_FIELDS)("%s.%s is exempt from indexing", (collection, field) => {
  expect(spec.fieldOverrides).toContainEqual({
    collectionGroup: collection,
    fieldPath: field,
    indexes: [],
  });
});

test("no exempted field is filtered or ordered on, nor part of a composite index", () => {
  const queried = queriedFields();
  expect(queried.size).toBeGreaterThan(0);
  const composite = new Set(
    spec.indexes.flatMap((i) => i.fields.map((f) => `${i.collectionGroup}.${f.fieldPath}`)),
  );
  const misused = spec.fieldOverrides
    .filter((o) => o.indexes.length === 0 && !o.ttl)
    .filter((o) => {
      const under = (q: string) => q === o.fieldPath || q.startsWith(`${o.fieldPath}.`);
      return [...queried].some(under) || composite.has(`${o.collectionGroup}.${o.fieldPath}`);
    });
  expect(misused).toEqual([]);
});
