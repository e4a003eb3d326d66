// Every query the console makes is bounded and has its index declared in firestore.indexes.json
// (a composite index, or a single-field index kept in fieldOverrides so no exemption drops it).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { MAX_PAGES, PAGE_SIZE, SPECS, type QuerySpec } from "../../src/queries";

interface IndexesFile {
  indexes: {
    collectionGroup: string;
    queryScope: string;
    fields: { fieldPath: string; order?: string }[];
  }[];
  fieldOverrides: {
    collectionGroup: string;
    fieldPath: string;
    indexes: { order?: string; queryScope: string }[];
  }[];
}
const file = JSON.parse(
  readFileSync(resolve(__dirname, "../../../firestore.indexes.json"), "utf8"),
) as IndexesFile;

const since = new Date(0);
const ALL: [string, QuerySpec][] = [
  ["recentRequests", SPECS.recentRequests(1)],
  ["recentRequests (last page)", SPECS.recentRequests(MAX_PAGES + 5)],
  ["windowRequests", SPECS.windowRequests(since)],
  ["recentRankings", SPECS.recentRankings()],
  ["recentSubmissions", SPECS.recentSubmissions()],
  ["recentDeclines", SPECS.recentDeclines()],
  ["declinesOf", SPECS.declinesOf("r")],
  ["registry", SPECS.registry()],
  ["windowMetrics", SPECS.windowMetrics(since)],
  ["agreement", SPECS.agreement()],
  ["minerScores", SPECS.minerScores()],
  ["rankingsOf", SPECS.rankingsOf("r")],
  ["submissionsOf", SPECS.submissionsOf("r")],
];

test("the list above covers every query the console makes", () => {
  expect(new Set(ALL.map(([name]) => name.split(" ")[0]))).toEqual(new Set(Object.keys(SPECS)));
});

const order = (dir: "asc" | "desc") => (dir === "asc" ? "ASCENDING" : "DESCENDING");

/** The index entries a query needs: one per (field, order), or one composite. */
function hasIndex(spec: QuerySpec): boolean {
  const fields = [
    ...new Set([
      ...(spec.where ?? []).map((w) => w[0]),
      ...(spec.orderBy ? [spec.orderBy[0]] : []),
    ]),
  ];
  // No filter and no order: served in document-name order, which needs no index.
  if (fields.length === 0) return true;
  if (fields.length === 1) {
    const dir = spec.orderBy ? order(spec.orderBy[1]) : "ASCENDING";
    return file.fieldOverrides.some(
      (o) =>
        o.collectionGroup === spec.collection &&
        o.fieldPath === fields[0] &&
        o.indexes.some((i) => i.order === dir && i.queryScope === "COLLECTION"),
    );
  }
  const equality = (spec.where ?? []).filter((w) => w[1] === "==").map((w) => w[0]);
  return file.indexes.some(
    (ix) =>
      ix.collectionGroup === spec.collection &&
      ix.fields.slice(0, equality.length).every((f) => equality.includes(f.fieldPath)) &&
      (!spec.orderBy ||
        ix.fields.some(
          (f) => f.fieldPath === spec.orderBy![0] && f.order === order(spec.orderBy![1]),
        )),
  );
}

test.each(ALL)("%s has a limit and is not a whole-collection listener", (_name, spec) => {
  expect(spec.limit).toBeGreaterThan(0);
  expect(spec.limit).toBeLessThanOrEqual(1024);
});

test.each(ALL)("%s has its index in firestore.indexes.json", (_name, spec) => {
  expect(hasIndex(spec)).toBe(true);
});

test("pagination grows by pages and stops at MAX_PAGES", () => {
  expect(SPECS.recentRequests(2).limit).toBe(2 * PAGE_SIZE);
  expect(SPECS.recentRequests(MAX_PAGES + 5).limit).toBe(MAX_PAGES * PAGE_SIZE);
});

test("a query without a declared index is caught", () => {
  expect(hasIndex({ collection: "api_requests", orderBy: ["status", "asc"], limit: 1 })).toBe(
    false,
  );
});
