// Key lifecycle and GET /leads through the real function and the admin CLI: rotation (old key
// works until its grace ends, then is refused), disable (refused at once), the listing (never a
// key or hash), the RateLimit-* headers, and GET /leads pages newest first without ever showing
// another client's requests.
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS, LeadRequestListSchema } from "consensus-core";
import {
  authenticateApiKey,
  createApiKey,
  hashApiKey,
  keyIdOf,
  rotateApiKey,
} from "../../../src/http/apiKeys";
import { requestsCol, type ApiRequestDoc } from "../../../src/db";
import { readConsensusSettings } from "../../../src/config";
import { cli, requireBuiltCli } from "../../support/admin-cli";
import {
  API_URL,
  adminDb,
  clearFirestore,
  postLeads,
  seedRegistry,
  waitFor,
} from "../../support/emulator";

beforeAll(() => requireBuiltCli());
beforeEach(async () => {
  await clearFirestore();
});

async function listLeads(key: string, query = "") {
  const res = await fetch(`${API_URL}/leads${query}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("rotation", () => {
  test("with an injected clock: the old key works strictly before its expiry, never after", async () => {
    adminDb();
    const old = await createApiKey("rotating-client", "prod");
    const now = new Date();
    const rotated = await rotateApiKey(old.keyId, 60_000, now);
    const bearer = `Bearer ${old.key}`;
    await expect(
      authenticateApiKey(bearer, new Date(now.getTime() + 59_999)),
    ).resolves.toMatchObject({ clientId: "rotating-client" });
    await expect(
      authenticateApiKey(bearer, new Date(now.getTime() + 60_000)),
    ).rejects.toMatchObject({ status: 401, code: "unauthenticated" });
    await expect(
      authenticateApiKey(`Bearer ${rotated.key}`, new Date(now.getTime() + 86_400_000)),
    ).resolves.toEqual({
      clientId: "rotating-client",
      keyHash: hashApiKey(rotated.key),
      webhooks: true,
    });
    // A key being rotated is not rotated again; the new one can be.
    await expect(rotateApiKey(old.keyId, 0, now)).rejects.toThrow(/already being rotated/);
    const stored = (
      await adminDb().collection(COLLECTIONS.apiKeys).doc(hashApiKey(rotated.key)).get()
    ).data()!;
    // The webhook secret goes with the client: receivers keep verifying across the rotation.
    expect(stored.webhook_secret).toBe(old.webhookSecret);
    expect(stored).toMatchObject({
      client_id: "rotating-client",
      label: "prod",
      rotated_from: old.keyId,
    });
  });

  test("over HTTP with the CLI: both keys work during the grace, the old one is refused after", async () => {
    adminDb();
    const old = await createApiKey("cli-client");
    const long = await cli(["rotate-api-key", old.keyId, "--grace", "1h", "--emulator"]);
    expect(long.code).toBe(0);
    const newKey = long.stdout.trim();
    expect(newKey).toMatch(/^lpk_/);
    expect(long.stderr).toMatch(/works until \d{4}-\d\d-\d\dT/);
    expect((await listLeads(old.key)).status).toBe(200);
    expect((await listLeads(newKey)).status).toBe(200);

    // Rotating the new key with a short grace: it works at first, then is refused on its own
    // (no job runs): the wait ends on the refusal, bounded, never a fixed sleep.
    const short = await cli([
      "rotate-api-key",
      keyIdOf(hashApiKey(newKey)),
      "--grace",
      "2s",
      "--emulator",
    ]);
    expect(short.code).toBe(0);
    const newest = short.stdout.trim();
    const refused = await waitFor("the rotated key to be refused", async () => {
      const r = await listLeads(newKey);
      return r.status === 401 ? r : undefined;
    });
    expect(refused.body.error).toMatchObject({
      code: "unauthenticated",
      details: { field: "Authorization" },
    });
    expect((await listLeads(newest)).status).toBe(200);
  });

  test("bad usage writes nothing and exits 2; an unknown key id exits 1", async () => {
    const bad = await cli(["rotate-api-key", "kid_x", "--grace", "soon", "--emulator"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--grace must be a whole number of s, m, h or d/);
    const none = await cli(["rotate-api-key", "--emulator"]);
    expect(none.code).toBe(2);
    const unknown = await cli(["disable-api-key", "kid_0000000000000000", "--emulator"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no API key with id kid_0000000000000000/);
  });
});

test("disable-api-key: the key is refused on its next request; other keys are untouched", async () => {
  adminDb();
  const a = await createApiKey("disable-client", "one");
  const b = await createApiKey("disable-client", "two");
  expect((await listLeads(a.key)).status).toBe(200);
  const run = await cli(["disable-api-key", a.keyId, "--emulator"]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Disabled key kid_[0-9a-f]{16} of client "disable-client"/);
  expect((await listLeads(a.key)).status).toBe(401);
  expect((await listLeads(b.key)).status).toBe(200);
  // The key id create-api-key printed before key ids (the full hash) is accepted too.
  const again = await cli(["disable-api-key", a.keyHash, "--emulator"]);
  expect(again.stdout).toMatch(/already disabled/);
});

test("list-api-keys: client, label, key id, prefix, created, status; never a key or hash", async () => {
  adminDb();
  const active = await createApiKey("list-a", "web");
  const disabled = await createApiKey("list-b");
  const rotating = await createApiKey("list-b", "cron");
  expect((await cli(["disable-api-key", disabled.keyId, "--emulator"])).code).toBe(0);
  const rotated = await cli(["rotate-api-key", rotating.keyId, "--grace", "24h", "--emulator"]);
  const run = await cli(["list-api-keys", "--emulator"]);
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines).toHaveLength(5);
  const line = (keyId: string) => lines.find((l) => l.includes(keyId))!;
  expect(line(active.keyId)).toMatch(
    new RegExp(
      `^list-a\\s+web\\s+${active.keyId}\\s+${active.key.slice(0, 8)}…\\s+\\S+Z\\s+active$`,
    ),
  );
  expect(line(disabled.keyId)).toMatch(/^list-b\s+-\s+kid_\S+\s+lpk_\S+\s+\S+Z\s+disabled$/);
  expect(line(rotating.keyId)).toMatch(/rotating-until \d{4}-\d\d-\d\dT\S+Z$/);
  expect(line(keyIdOf(hashApiKey(rotated.stdout.trim())))).toMatch(/list-b\s+cron\s+.*active$/);
  for (const k of [active, disabled, rotating]) {
    expect(run.stdout).not.toContain(k.key);
    expect(run.stdout).not.toContain(k.keyHash);
  }
  const json = await cli(["list-api-keys", "--client", "list-a", "--json", "--emulator"]);
  expect(JSON.parse(json.stdout)).toEqual([
    expect.objectContaining({
      key_id: active.keyId,
      client_id: "list-a",
      state: { kind: "active" },
    }),
  ]);
});

describe("GET /leads", () => {
  /** Requests written as the backend writes them, at chosen times (two share one instant). */
  async function seedRequests(clientId: string, times: number[]) {
    const batch = adminDb().batch();
    const ids = times.map((t) => {
      const id = randomUUID();
      // Typed as the backend's request document, so a field the schema requires cannot be left
      // out; the listing reads it back through the same schema.
      const doc: ApiRequestDoc = {
        request_id: id,
        client_id: clientId,
        num_leads: 3,
        business_desc: `Request of ${clientId} at ${t}`,
        // Failed, not completed: the suite re-verifies every completed request after each test.
        status: "failed",
        failure_reason: "no validator responded",
        created_at: Timestamp.fromMillis(t),
        timeout: Timestamp.fromMillis(t + 120_000),
        validator_deadline: Timestamp.fromMillis(t + 90_000),
        expected_validators: [],
        expected_count: 0,
        min_validators: 0,
        consensus: readConsensusSettings(),
        result: null,
        finalized_at: Timestamp.fromMillis(t + 120_000),
        expected_miners: [],
        expected_trust: {},
        expected_uids: {},
        early_close: { share: 1, grace_ms: 0 },
        close_at: null,
        liveness: { window_ms: 60_000, period_ms: null },
      };
      batch.set(requestsCol().doc(id), doc);
      return { id, t };
    });
    await batch.commit();
    return ids;
  }

  test("pages newest first through every own request, and only own requests", async () => {
    adminDb();
    const mine = (await createApiKey("lister")).key;
    const theirs = (await createApiKey("other-lister")).key;
    const base = Date.now() - 3_600_000;
    const own = await seedRequests("lister", [
      base,
      base + 1000,
      base + 2000,
      base + 2000,
      base + 3000,
    ]);
    const other = await seedRequests("other-lister", [base + 500, base + 2500, base + 4000]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listLeads(mine, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      expect(LeadRequestListSchema.safeParse(page.body).error).toBeUndefined();
      seen.push(...page.body.requests.map((r: { request_id: string }) => r.request_id));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // Newest first; the two sharing an instant come in a stable order, neither skipped nor repeated.
    const tied = own
      .filter((r) => r.t === base + 2000)
      .map((r) => r.id)
      .sort()
      .reverse();
    expect(seen).toEqual([own[4].id, ...tied, own[1].id, own[0].id]);
    for (const r of other) expect(seen).not.toContain(r.id);

    // Another client's cursor reaches nothing of the first client's.
    const first = await listLeads(mine, "?limit=1");
    const crossed = await listLeads(theirs, `?limit=100&cursor=${first.body.next_cursor}`);
    expect(crossed.status).toBe(200);
    for (const r of crossed.body.requests) expect(other.map((o) => o.id)).toContain(r.request_id);
    const all = await listLeads(theirs);
    expect(all.body.requests.map((r: { request_id: string }) => r.request_id)).toEqual([
      other[2].id,
      other[1].id,
      other[0].id,
    ]);
    expect(all.body.next_cursor).toBeNull();
  });

  test("a request made over POST is listed with its summary", async () => {
    await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
    adminDb();
    const key = (await createApiKey("poster")).key;
    const created = await postLeads(key, { num_leads: 2, business_desc: "Breweries in Munich" });
    expect(created.status).toBe(202);
    const list = await listLeads(key);
    expect(list.body).toEqual({
      requests: [
        {
          request_id: created.body.request_id,
          status: "pending",
          num_leads: 2,
          business_desc: "Breweries in Munich",
          created_at: expect.any(String),
          timeout: created.body.timeout,
          poll_url: created.body.poll_url,
        },
      ],
      next_cursor: null,
    });
  });

  test.each([
    ["?limit=0", "limit"],
    ["?limit=101", "limit"],
    ["?limit=two", "limit"],
    ["?cursor=abc", "cursor"],
    ["?cursor=", "cursor"],
  ])("%s is a 400 naming %s", async (query, field) => {
    adminDb();
    const key = (await createApiKey("bad-lister")).key;
    const res = await listLeads(key, query);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_argument", details: { field } });
  });
});

test("POST /leads answers RateLimit-* headers counting down, a replay taking nothing", async () => {
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
  adminDb();
  const key = (await createApiKey("counted")).key;
  const body = { num_leads: 1, business_desc: "Dentists in Lyon" };
  const rate = (r: { headers: Headers }) => ({
    limit: Number(r.headers.get("ratelimit-limit")),
    remaining: Number(r.headers.get("ratelimit-remaining")),
    reset: Number(r.headers.get("ratelimit-reset")),
  });
  const first = rate(await postLeads(key, body));
  expect(first.limit).toBeGreaterThan(2);
  expect(first.remaining).toBe(first.limit - 1);
  expect(first.reset).toBeGreaterThanOrEqual(1);
  expect(first.reset).toBeLessThanOrEqual(60);
  const second = rate(await postLeads(key, body));
  // The count restarts with each minute: a larger reset means the second call opened a new one.
  expect(second.remaining).toBe(second.reset <= first.reset ? first.limit - 2 : first.limit - 1);

  const headers = {
    "Content-Type": "application/json",
    Authorization: `Bearer ${key}`,
    "Idempotency-Key": "replayed-once",
  };
  const original = await postLeads(key, body, { headers });
  const replay = await postLeads(key, body, { headers });
  expect(replay.headers.get("idempotent-replayed")).toBe("true");
  const [o, r] = [rate(original), rate(replay)];
  if (r.reset <= o.reset) expect(r.remaining).toBe(o.remaining);
  else expect(r.remaining).toBe(o.limit);
});
