// The per-key rate limit on the Firestore emulator, through the plain creation handler with an
// injected clock: exact under a concurrent burst, spread over shards (no single hot document),
// counted once per request, and never used up by a write that failed.
import { randomUUID } from "node:crypto";
import { COLLECTIONS } from "consensus-core";
import { lifecycleConfig } from "../../../src/config";
import { ApiError } from "../../../src/http/errors";
import { createLeadRequestOnce, type CreateLeadsInput } from "../../../src/http/leadCreation";
import { RATE_LIMIT_SHARDS, shardCapacities, windowOf } from "../../../src/http/rateLimit";
import { adminDb, clearFirestore, countDocs, seedRegistry } from "../../support/emulator";

const client = { clientId: "burst-client", keyHash: "f".repeat(64) };
const body = { num_leads: 2, business_desc: "Breweries in Munich" };
// A fixed instant 10 s into a minute: every call below falls in one window.
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10_000);

beforeEach(async () => {
  await clearFirestore();
  // Alive at the injected clock, not the wall clock: the 45 s heartbeat window is measured from it.
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5, lastSeen: now }]);
});

function create(overrides: Partial<CreateLeadsInput> = {}) {
  return createLeadRequestOnce({
    client,
    body,
    rawBody: body,
    idempotencyKey: null,
    now,
    lifecycle: lifecycleConfig(),
    perMinute: 30,
    answer: (doc) => ({ request_id: doc.request_id }),
    ...overrides,
  });
}

async function shardCounts(): Promise<number[]> {
  const snap = await adminDb().collection(COLLECTIONS.rateLimits).get();
  return snap.docs.map((d) => d.data().count as number);
}

const statusOf = (r: PromiseSettledResult<unknown>) =>
  r.status === "fulfilled" ? 202 : r.reason instanceof ApiError ? r.reason.status : 500;

test("a burst of 45 concurrent requests against a limit of 30: exactly 30 created", async () => {
  const results = await Promise.allSettled(Array.from({ length: 45 }, () => create()));
  const statuses = results.map(statusOf);
  expect(statuses.filter((s) => s === 202)).toHaveLength(30);
  expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  expect(await countDocs(COLLECTIONS.requests)).toBe(30);

  const counts = await shardCounts();
  // Spread over every shard, each within its capacity: no document took the whole burst.
  expect(counts).toHaveLength(RATE_LIMIT_SHARDS);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
  expect(Math.max(...counts)).toBeLessThanOrEqual(Math.max(...shardCapacities(30, 8)));

  const limited = results.find((r) => statusOf(r) === 429) as PromiseRejectedResult;
  expect(limited.reason.headers["Retry-After"]).toBe("50");
});

test("a limit below the shard count uses only as many shards as it has slots", async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, () => create({ perMinute: 3 })),
  );
  expect(results.map(statusOf).sort()).toEqual([202, 202, 202, 429, 429, 429]);
  expect(await shardCounts()).toEqual([1, 1, 1]);
});

test("a retry with the same Idempotency-Key is counted once", async () => {
  const idempotencyKey = randomUUID();
  const first = await create({ perMinute: 1, idempotencyKey });
  const retry = await create({ perMinute: 1, idempotencyKey });
  expect(retry).toEqual({ kind: "replayed", status: 202, body: first.body, used: 1 });
  // The one slot is taken by the first request; the retry did not need another.
  await expect(create({ perMinute: 1, idempotencyKey: randomUUID() })).rejects.toMatchObject({
    status: 429,
  });
  expect(await shardCounts()).toEqual([1]);
});

test("a write that fails uses no quota", async () => {
  const requestId = randomUUID();
  // The request's document cannot be created (its id is taken), so the whole write fails.
  await adminDb().collection(COLLECTIONS.requests).doc(requestId).set({ taken: true });
  await expect(create({ requestId })).rejects.toMatchObject({ status: 503 });
  expect(await shardCounts()).toEqual([]);
  expect(await countDocs(COLLECTIONS.requests)).toBe(1);
});

test("a new window starts a new count", async () => {
  await Promise.all(Array.from({ length: 3 }, () => create({ perMinute: 3 })));
  await expect(create({ perMinute: 3 })).rejects.toMatchObject({ status: 429 });
  const next = new Date(now.getTime() + 60_000);
  expect(windowOf(next)).toBe(windowOf(now) + 1);
  // Still heartbeating a minute later, so the request has a validator to expect.
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5, lastSeen: next }]);
  await expect(create({ perMinute: 3, now: next })).resolves.toMatchObject({ kind: "created" });
});

test("an Idempotency-Key is remembered for 24 hours, then free again", async () => {
  const idempotencyKey = randomUUID();
  const first = await create({ idempotencyKey });
  const within = await create({ idempotencyKey, now: new Date(now.getTime() + 23 * 3600_000) });
  expect(within.body).toEqual(first.body);
  const later = new Date(now.getTime() + 24 * 3600_000);
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5, lastSeen: later }]);
  const after = await create({ idempotencyKey, now: later });
  expect(after.kind).toBe("created");
  expect(after.body.request_id).not.toBe(first.body.request_id);
  expect(await countDocs(COLLECTIONS.idempotencyKeys)).toBe(1);
});
