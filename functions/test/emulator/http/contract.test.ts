// The error catalogue against the running API: every catalogued error each operation declares is
// provoked over real HTTP (the Functions emulator), and its status, code, envelope and headers are
// checked against the OpenAPI document the function serves. The last test fails when an entry, or
// an operation's use of it, has no provocation here: a new error needs a way to cause it (or a
// `notProvoked` reason in the catalogue). The successes' declared headers are checked too.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { u8aToHex } from "@polkadot/util";
import type { KeyringPair } from "@polkadot/keyring/types";
import { Timestamp } from "firebase-admin/firestore";
import { ApiErrorBodySchema, COLLECTIONS, signInPayload } from "consensus-core";
import { signInLimitKey } from "../../../src/auth/signIn";
import { hashApiKey } from "../../../src/http/apiKeys";
import { API_ERRORS, ERROR_CODES, type ErrorCode } from "../../../src/http/errorCatalogue";
import { API_OPERATIONS } from "../../../src/http/openapi";
import {
  RATE_LIMIT_SHARDS,
  WINDOW_MS,
  shardCapacities,
  windowOf,
} from "../../../src/http/rateLimit";
import {
  API_URL,
  adminDb,
  clearFirestore,
  keypair,
  newApiKey,
  seedRegistry,
} from "../../support/emulator";

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}
type OpenApiResponse = {
  headers?: Record<string, { required: boolean; schema: { pattern?: string; enum?: string[] } }>;
  content: { "application/json": { schema: any } };
};

const env = readFileSync(resolve(__dirname, "../../../.env"), "utf8");
const param = (name: string) => Number(new RegExp(`^${name}=(\\d+)$`, "m").exec(env)![1]);

let doc: {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: any;
};
let key: string;
let alice: KeyringPair;
const provoked = new Set<string>();

beforeAll(async () => {
  await clearFirestore();
  [alice] = await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
  key = await newApiKey("contract-client");
  doc = (await (await fetch(`${API_URL}/openapi.json`)).json()) as typeof doc;
});

async function call(
  method: string,
  path: string,
  init: {
    body?: unknown;
    key?: string | null;
    headers?: Record<string, string> | undefined;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...init.headers };
  const k = init.key === undefined ? key : init.key;
  if (k) headers.Authorization = `Bearer ${k}`;
  const res = await fetch(`${API_URL}${path}`, {
    method,
    headers,
    body:
      init.body === undefined
        ? null
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** The answer's headers the document requires, each matching its declared pattern or enum. */
function expectHeaders(answer: Answer, response: OpenApiResponse, names: readonly string[]) {
  const declared = response.headers ?? {};
  const required = Object.entries(declared)
    .filter(([, h]) => h.required)
    .map(([n]) => n);
  for (const name of new Set([...required, ...names])) {
    expect({ name, declared: name in declared }).toEqual({ name, declared: true });
    const value = answer.headers.get(name);
    expect({ name, value }).toEqual({ name, value: expect.any(String) });
    const { pattern, enum: values } = declared[name].schema;
    if (pattern) expect(value).toMatch(new RegExp(pattern));
    if (values) expect(values).toContain(value);
  }
}

/** One catalogued error of one operation, as the catalogue and the served document declare it. */
function expectError(opId: string, code: ErrorCode, answer: Answer) {
  const op = API_OPERATIONS.find((o) => o.operationId === opId)!;
  expect(op.errors).toContain(code);
  const entry = API_ERRORS[code];
  expect({ code: answer.body?.error?.code, status: answer.status }).toEqual({
    code,
    status: entry.status,
  });
  expect(ApiErrorBodySchema.safeParse(answer.body).error).toBeUndefined();
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  const response = doc.paths[op.path][op.method].responses[String(entry.status)];
  const codes = response.content["application/json"].schema.allOf[1].properties.error.properties
    .code.enum as string[];
  expect(codes).toContain(code);
  expectHeaders(answer, response, entry.headers);
  provoked.add(`${opId} ${code}`);
}

/** Uses up a rate limit in this minute and the next three, counter shards as the API writes them. */
async function exhaust(limitKey: string, perMinute: number) {
  const caps = shardCapacities(perMinute, RATE_LIMIT_SHARDS);
  const first = windowOf(new Date());
  const batch = adminDb().batch();
  for (let w = first; w < first + 4; w++) {
    caps.forEach((count, shard) => {
      const ref = adminDb().collection(COLLECTIONS.rateLimits).doc(`${limitKey}_${w}_${shard}`);
      batch.set(ref, { count, expires_at: Timestamp.fromMillis((w + 2) * WINDOW_MS) });
    });
  }
  await batch.commit();
}

function challenge(pair: KeyringPair, role: "validator" | "miner", issuedAt = Date.now()) {
  const c = {
    hotkey: pair.address,
    role,
    nonce: randomBytes(24).toString("base64url"),
    issued_at: issuedAt,
  };
  return { ...c, signature: u8aToHex(pair.sign(signInPayload(c))) };
}

const good = { num_leads: 2, business_desc: "Fintech startups in Berlin" };

describe("createLeadRequest", () => {
  test("202 carries the RateLimit-* headers; a replay also Idempotent-Replayed", async () => {
    const headers = { "Idempotency-Key": randomUUID() };
    const created = await call("POST", "/leads", { body: good, headers });
    expect(created.status).toBe(202);
    const response = doc.paths["/leads"].post.responses["202"];
    expectHeaders(created, response, []);
    expect(created.headers.get("idempotent-replayed")).toBeNull();
    const replay = await call("POST", "/leads", { body: good, headers });
    expect(replay.status).toBe(202);
    expectHeaders(replay, response, ["Idempotent-Replayed"]);
  });
  test("invalid_argument", async () => {
    expectError(
      "createLeadRequest",
      "invalid_argument",
      await call("POST", "/leads", { body: { ...good, num_leads: 101 } }),
    );
  });
  test("unauthenticated", async () => {
    expectError(
      "createLeadRequest",
      "unauthenticated",
      await call("POST", "/leads", { body: good, key: null }),
    );
  });
  test("unsupported_media_type", async () => {
    const answer = await call("POST", "/leads", {
      body: "num_leads=2",
      headers: { "Content-Type": "text/plain" },
    });
    expectError("createLeadRequest", "unsupported_media_type", answer);
  });
  test("idempotency_key_reused", async () => {
    const headers = { "Idempotency-Key": randomUUID() };
    expect((await call("POST", "/leads", { body: good, headers })).status).toBe(202);
    const answer = await call("POST", "/leads", { body: { ...good, num_leads: 3 }, headers });
    expectError("createLeadRequest", "idempotency_key_reused", answer);
  });
  test("no_active_validators", async () => {
    await seedRegistry([
      { uri: "//Alice", uid: 0, trust: 0.5, lastSeen: new Date(Date.now() - 3_600_000) },
    ]);
    const answer = await call("POST", "/leads", { body: good });
    await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
    expectError("createLeadRequest", "no_active_validators", answer);
  });
  test("rate_limited: remaining 0, reset equal to Retry-After", async () => {
    const limited = await newApiKey("contract-limited");
    await exhaust(hashApiKey(limited), param("RATE_LIMIT_PER_MINUTE"));
    const answer = await call("POST", "/leads", { body: good, key: limited });
    expectError("createLeadRequest", "rate_limited", answer);
    expect(answer.headers.get("ratelimit-remaining")).toBe("0");
    expect(answer.headers.get("ratelimit-limit")).toBe(String(param("RATE_LIMIT_PER_MINUTE")));
    expect(answer.headers.get("ratelimit-reset")).toBe(answer.headers.get("retry-after"));
  });
});

describe("listLeadRequests", () => {
  test("invalid_argument", async () => {
    expectError("listLeadRequests", "invalid_argument", await call("GET", "/leads?limit=0"));
  });
  test("unauthenticated", async () => {
    expectError("listLeadRequests", "unauthenticated", await call("GET", "/leads", { key: null }));
  });
});

describe("getLeadRequestStatus", () => {
  test("invalid_argument", async () => {
    expectError(
      "getLeadRequestStatus",
      "invalid_argument",
      await call("GET", "/leads/status/nope"),
    );
  });
  test("unauthenticated", async () => {
    const answer = await call("GET", `/leads/status/${randomUUID()}`, { key: null });
    expectError("getLeadRequestStatus", "unauthenticated", answer);
  });
  test("not_found", async () => {
    expectError(
      "getLeadRequestStatus",
      "not_found",
      await call("GET", `/leads/status/${randomUUID()}`),
    );
  });
});

describe("signIn", () => {
  const signIn = (body: unknown, headers?: Record<string, string>) =>
    call("POST", "/auth/sign-in", { body, key: null, headers });

  test("invalid_argument", async () => {
    expectError(
      "signIn",
      "invalid_argument",
      await signIn({ ...challenge(alice, "validator"), hotkey: "nope" }),
    );
  });
  test("unsupported_media_type", async () => {
    expectError(
      "signIn",
      "unsupported_media_type",
      await signIn("x", { "Content-Type": "text/plain" }),
    );
  });
  test("stale_challenge", async () => {
    expectError(
      "signIn",
      "stale_challenge",
      await signIn(challenge(alice, "validator", Date.now() - 3_600_000)),
    );
  });
  test("bad_signature", async () => {
    const c = challenge(alice, "validator");
    expectError("signIn", "bad_signature", await signIn({ ...c, nonce: `${c.nonce}x` }));
  });
  test("replayed_nonce", async () => {
    const c = challenge(alice, "validator");
    expect((await signIn(c)).status).toBe(200);
    expectError("signIn", "replayed_nonce", await signIn(c));
  });
  test("not_registered", async () => {
    expectError(
      "signIn",
      "not_registered",
      await signIn(challenge(await keypair("//Nobody"), "validator")),
    );
  });
  test("role_not_allowed", async () => {
    expectError("signIn", "role_not_allowed", await signIn(challenge(alice, "miner")));
  });
  test("rate_limited", async () => {
    await exhaust(signInLimitKey("hotkey", alice.address), param("SIGN_IN_PER_HOTKEY_PER_MINUTE"));
    expectError("signIn", "rate_limited", await signIn(challenge(alice, "validator")));
  });
});

test("an unknown route answers the catalogued not_found, as components.responses declares", async () => {
  const answer = await call("GET", "/no-such-route");
  expect(answer.status).toBe(API_ERRORS.not_found.status);
  expect(answer.body.error.code).toBe("not_found");
  expect(ApiErrorBodySchema.safeParse(answer.body).error).toBeUndefined();
  const codes =
    doc.components.responses.UnknownRoute.content["application/json"].schema.allOf[1].properties
      .error.properties.code.enum;
  expect(codes).toEqual(["not_found"]);
  provoked.add("unknown route not_found");
});

test("every catalogued error of every operation was provoked above (or says why it cannot be)", () => {
  const expected = API_OPERATIONS.flatMap((op) =>
    op.errors
      .filter((code) => !("notProvoked" in API_ERRORS[code]))
      .map((code) => `${op.operationId} ${code}`),
  );
  expected.push("unknown route not_found");
  expect([...provoked].sort()).toEqual(expected.sort());
  // Each code is provoked somewhere unless the catalogue states why it cannot be.
  const codesProvoked = new Set([...provoked].map((p) => p.split(" ").pop()));
  const unexplained = ERROR_CODES.filter(
    (c) => !codesProvoked.has(c) && !("notProvoked" in API_ERRORS[c]),
  );
  expect(unexplained).toEqual([]);
});
