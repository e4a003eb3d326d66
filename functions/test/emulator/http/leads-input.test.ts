// Bad input through the real HTTPS function: each answer is a 4xx JSON envelope naming the
// problem, and nothing at all is written (no request, no rate-limit counter).
import { COLLECTIONS } from "consensus-core";
import {
  API_URL,
  clearFirestore,
  countDocs,
  getStatus,
  newApiKey,
  postLeads,
  seedRegistry,
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
  ["an unknown field", { ...good, callback_url: "http://x" }, "callback_url"],
  ["an array body", [good], "(body)"],
])("400 for %s, naming the field", async (_name, body, field) => {
  const res = await expectNothingWritten(() => postLeads(key, body));
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_argument");
  expect(res.body.error.message).toContain(field);
  expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
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

test("rate limit: a key's 31st request in a minute is 429 with Retry-After", async () => {
  // Start early enough in a minute that all 31 requests land in one window.
  const msIntoMinute = Date.now() % 60_000;
  if (msIntoMinute > 40_000) await new Promise((r) => setTimeout(r, 60_000 - msIntoMinute + 100));
  // 31 POSTs can outlast the 45 s heartbeat window on a loaded machine: keep Alice active
  // throughout (this test is about the rate limit, not liveness).
  await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5, lastSeen: new Date(Date.now() + 120_000) },
  ]);
  for (let i = 0; i < 30; i++) expect((await postLeads(key, good)).status).toBe(202);
  const limited = await expectNothingWritten(() => postLeads(key, good));
  expect(limited.status).toBe(429);
  expect(limited.body.error.code).toBe("rate_limited");
  const retryAfter = Number(limited.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  // The limit is per key.
  expect((await postLeads(await newApiKey("other"), good)).status).toBe(202);
}, 90_000);
