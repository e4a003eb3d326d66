// Bad input through the real HTTPS function: each answer is a 4xx JSON envelope naming the
// problem, and nothing at all is written (no request, no rate-limit counter).
import { COLLECTIONS } from "consensus-core";
import { Timestamp } from "firebase-admin/firestore";
import { hashApiKey } from "../../../src/http/apiKeys";
import {
  RATE_LIMIT_SHARDS,
  WINDOW_MS,
  shardCapacities,
  windowOf,
} from "../../../src/http/rateLimit";
import {
  adminDb,
  API_URL,
  clearFirestore,
  countDocs,
  getStatus,
  newApiKey,
  postLeads,
  seedRegistry,
  backendParam,
} from "../../support/emulator";

let key: string;

beforeEach(async () => {
  await clearFirestore();
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
  key = await newApiKey("input-client");
});

async function expectNothingWritten<T>(fn: () => Promise<T>): Promise<T> {
  const counts = () =>
    Promise.all([countDocs(COLLECTIONS.requests), countDocs(COLLECTIONS.rateLimits)]);
  const before = await counts();
  const out = await fn();
  expect(await counts()).toEqual(before);
  return out;
}

const good = { num_leads: 5, business_desc: "Fintech startups in Berlin" };

test.each([
  ["num_leads as a string", { ...good, num_leads: "5" }, "num_leads"],
  ["num_leads zero", { ...good, num_leads: 0 }, "num_leads"],
  ["num_leads above 100", { ...good, num_leads: 101 }, "num_leads"],
  ["num_leads fractional", { ...good, num_leads: 2.5 }, "num_leads"],
  ["num_leads missing", { business_desc: "x" }, "num_leads"],
  ["business_desc blank", { ...good, business_desc: "   " }, "business_desc"],
  ["business_desc oversized", { ...good, business_desc: "x".repeat(2001) }, "business_desc"],
  ["business_desc as a number", { ...good, business_desc: 42 }, "business_desc"],
  // Issue 20: a lone surrogate was a 500; control characters and bidi overrides were stored and
  // handed to nodes and the LLM ranker's prompt.
  [
    "a lone high surrogate",
    { ...good, business_desc: "Fintech \ud800 in Berlin" },
    "business_desc",
  ],
  ["a lone low surrogate", { ...good, business_desc: "Fintech in Berlin\udfff" }, "business_desc"],
  ["NUL", { ...good, business_desc: "Fintech\u0000 in Berlin" }, "business_desc"],
  ["an ANSI escape", { ...good, business_desc: "\u001b[2J\u001b[31mFintech" }, "business_desc"],
  ["a C1 control", { ...good, business_desc: "Fintech\u009b in Berlin" }, "business_desc"],
  ["DEL", { ...good, business_desc: "Fintech\u007f in Berlin" }, "business_desc"],
  ["a bidi override", { ...good, business_desc: "Fintech in \u202eniltreB" }, "business_desc"],
  ["a bidi isolate", { ...good, business_desc: "Fintech \u2067x\u2069" }, "business_desc"],
  ["an unknown field", { ...good, callback_url: "http://x" }, "callback_url"],
  ["an array body", [good], "(body)"],
])("400 for %s, naming the field", async (_name, body, field) => {
  const res = await expectNothingWritten(() => postLeads(key, body));
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_argument");
  expect(res.body.error.message).toContain(field);
  expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
});

test("business_desc: tab, CR and LF are stored as spaces; emoji and CJK as sent", async () => {
  const res = await postLeads(key, {
    num_leads: 1,
    business_desc: "Fintech\r\nstartups\tin 深圳 🚀\n",
  });
  expect(res.status).toBe(202);
  const stored = await adminDb().collection(COLLECTIONS.requests).doc(res.body.request_id).get();
  expect(stored.get("business_desc")).toBe("Fintech startups in 深圳 🚀");
});

test("401 without an API key, and with an unknown one", async () => {
  const missing = await expectNothingWritten(() => postLeads(null, good));
  expect(missing.status).toBe(401);
  expect(missing.body.error).toMatchObject({
    code: "unauthenticated",
    details: { field: "Authorization" },
  });
  const unknown = await expectNothingWritten(() => postLeads("lpk_not-a-real-key", good));
  expect(unknown.status).toBe(401);
  expect(unknown.body.error.code).toBe("unauthenticated");
});

// The platform parses JSON bodies strictly before the function runs (as functions-framework does
// in production): what the README states clients get for these is a 400 HTML page, no envelope.
test.each([
  ["null", "null"],
  ["a bare string", '"leads please"'],
  ["a number", "5"],
  ["a boolean", "true"],
  ["only whitespace", "   "],
  ["broken JSON", '{"num_leads": 5,'],
])("%s as the body: 400 from the platform, not JSON, nothing written", async (_name, raw) => {
  const res = await expectNothingWritten(async () => {
    const r = await fetch(`${API_URL}/leads`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: raw,
    });
    return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
  });
  expect(res.status).toBe(400);
  expect(res.type).toMatch(/^text\/html/);
  expect(res.text).not.toContain('"error"');
});

test("an empty JSON body is an empty object: 400 envelope naming num_leads", async () => {
  const res = await expectNothingWritten(() => postLeads(key, ""));
  expect(res.status).toBe(400);
  expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(
    "num_leads",
  );
});

test("a body that is not JSON is 415", async () => {
  const res = await expectNothingWritten(async () => {
    const r = await fetch(`${API_URL}/leads`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "text/plain" },
      body: "num_leads=5",
    });
    return { status: r.status, body: (await r.json()) as any };
  });
  expect(res.status).toBe(415);
  expect(res.body.error.details.field).toBe("Content-Type");
});

test("unknown routes answer the JSON envelope", async () => {
  const res = await fetch(`${API_URL}/nope`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as any).error.code).toBe("not_found");
});

test("status: a malformed id is 400, another client's request is 404", async () => {
  const bad = await getStatus(key, "not-a-uuid");
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.field).toBe("request_id");

  const created = await postLeads(key, good);
  expect(created.status).toBe(202);
  const other = await getStatus(await newApiKey("someone-else"), created.body.request_id);
  expect(other.status).toBe(404);
  const own = await getStatus(key, created.body.request_id);
  expect(own.status).toBe(200);
  expect(own.body.status).toBe("pending");
});

test("503 and nothing written when no validator is active", async () => {
  await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5, lastSeen: new Date(Date.now() - 3600_000) },
  ]);
  const res = await expectNothingWritten(() => postLeads(key, good));
  expect(res.status).toBe(503);
  expect(res.body.error.code).toBe("no_active_validators");
});

test("rate limit: a key's request past the limit in its minute is 429 with Retry-After", async () => {
  // The limit is the backend's param, read from its .env, not copied here.
  const limit = Number(backendParam("RATE_LIMIT_PER_MINUTE"));
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
  // The key has used all but FREE of its limit in this minute and the next three (its counter
  // shards written as the API writes them), so the test needs FREE + 1 POSTs per window and holds
  // on a machine too slow for `limit` POSTs a minute; if a minute boundary passes mid-run, the
  // next window starts the same way. What is checked is the window the 429 came in.
  const FREE = 2;
  const caps = shardCapacities(limit, RATE_LIMIT_SHARDS);
  const first = windowOf(new Date());
  const batch = adminDb().batch();
  for (let w = first; w < first + 4; w++) {
    caps.forEach((cap, shard) => {
      const count = shard === 0 ? cap - FREE : cap;
      const ref = adminDb()
        .collection(COLLECTIONS.rateLimits)
        .doc(`${hashApiKey(key)}_${w}_${shard}`);
      batch.set(ref, { count, expires_at: Timestamp.fromMillis((w + 2) * WINDOW_MS) });
    });
  }
  await batch.commit();
  let limited: Awaited<ReturnType<typeof postLeads>> | undefined;
  let admitted = 0;
  for (let i = 0; i < 4 * (FREE + 1) && !limited; i++) {
    const res = await postLeads(key, good);
    if (res.status === 429) limited = res;
    else expect(res.status).toBe(202);
    if (res.status === 202) admitted++;
  }
  expect(limited).toBeDefined();
  expect(limited!.body.error.code).toBe("rate_limited");
  expect(limited!.body.error.details.limit).toBe(limit);
  const retryAfter = Number(limited!.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const shards = await adminDb().collection(COLLECTIONS.rateLimits).get();
  const byWindow = new Map<string, number>();
  for (const doc of shards.docs) {
    const [keyHash, window] = doc.id.split("_");
    if (keyHash !== hashApiKey(key)) continue;
    byWindow.set(window!, (byWindow.get(window!) ?? 0) + (doc.data().count as number));
  }
  // No window past the limit, the refusing one at it, and every request counted once.
  const sums = [...byWindow.values()];
  expect(Math.max(...sums)).toBe(limit);
  expect(sums.reduce((a, b) => a + b - (limit - FREE), 0)).toBe(admitted);
  // The refused request wrote nothing: one request document per 202.
  expect(await countDocs(COLLECTIONS.requests)).toBe(admitted);
  // The limit is per key.
  expect((await postLeads(await newApiKey("other"), good)).status).toBe(202);
});
