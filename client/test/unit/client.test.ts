import { understand, type ConsensusLead, type RequestStatusView } from "consensus-core";
import {
  ApiClient,
  cell,
  followRequest,
  formatLeadsTable,
  formatUnderstood,
  runRequestCommand,
} from "../../src";
import { ApiError, BadRequestError } from "../../src/errors";

const lead = (n: number, extra: Partial<ConsensusLead> = {}): ConsensusLead => ({
  business: `Company ${n}`,
  email: `owner${n}@company${n}.io`,
  full_name: `Owner ${n}`,
  role: "Founder",
  industry: "Software",
  region: "US",
  c_validator_hotkey: "CONSENSUS",
  consensus_score: 0.5 / n,
  normalized_score: 1 / n,
  num_validators: 2,
  rank: n,
  ...extra,
});

describe("formatLeadsTable", () => {
  it("prints rank, score, business, name, role, email, industry, region and constraints met", () => {
    const table = formatLeadsTable([
      { ...lead(1), matched: ["role", "industry"], missed: [] },
      {
        ...lead(2, { region: undefined, role: undefined }),
        matched: ["industry"],
        missed: ["role"],
      },
    ]);
    expect(table.split("\n")).toEqual([
      "RANK   SCORE  BUSINESS   NAME     ROLE     EMAIL               INDUSTRY  REGION  MEETS",
      "   1  0.5000  Company 1  Owner 1  Founder  owner1@company1.io  Software  US      role industry",
      "   2  0.2500  Company 2  Owner 2  -        owner2@company2.io  Software  -       industry !role",
    ]);
  });

  it("shows how the description was read above the table", () => {
    const text = formatUnderstood(
      understand("security managers at banks outside the UK, ideally fintech-savvy"),
    );
    expect(text).toContain("security managers (security, c_level/vp/head/director/manager)");
    expect(text).toContain("industries: Banking");
    expect(text).toContain("excluded: uk");
    expect(text).toMatch(/ignored: "ideally fintech-savvy"/);
  });

  it("says when a stated industry was not understood", () => {
    const text = formatUnderstood(understand("CTOs at companies like Zorblatt"));
    expect(text).toMatch(/ignored: "Zorblatt"/);
    expect(text).toContain("not understood: industry");
  });

  it("builds the name from first and last when there is no full name", () => {
    const table = formatLeadsTable([
      lead(1, { full_name: undefined, first: "Ada", last: "Lovelace" }),
    ]);
    expect(table).toContain("Ada Lovelace");
  });

  it("cuts long values and neutralises terminal control characters from miners", () => {
    const long = "A".repeat(60);
    const table = formatLeadsTable([lead(1, { business: long, role: "CEO\u001b[31m\nrm" })]);
    expect(table).toContain("A".repeat(27) + "…");
    expect(table).not.toContain(long);
    expect(table).not.toContain("\u001b");
    expect(table.split("\n")).toHaveLength(2);
    expect(cell("", 5)).toBe("-");
    expect(cell("abcdef", 5)).toBe("abcd…");
    expect(cell("abcde", 5)).toBe("abcde");
  });

  it("prints no bidi override, isolate, C1 control or lone surrogate, even if a lead bypassed the schema", () => {
    const table = formatLeadsTable([
      lead(1, {
        business: "Acme \u202egro.live\u202c",
        full_name: "Ana\u2066 \u2069Ruiz",
        role: "CTO\u009b31m\u0085",
        region: "EU\ud800",
      }),
    ]);
    expect(table).not.toMatch(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
    );
    expect(table).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(table).toContain("EU\ufffd");
    expect(table).toContain("Acme  gro.live");
    expect(table.split("\n")).toHaveLength(2);
  });

  it("says so when there are no leads", () => {
    expect(formatLeadsTable([])).toBe("(no leads)");
  });
});

type Handler = (method: string, path: string, headers: Headers, body: any) => [number, unknown];

function fakeFetch(handler: Handler): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(url));
    const headers = new Headers(init?.headers);
    const [status, body] = handler(
      init?.method ?? "GET",
      u.pathname,
      headers,
      init?.body ? JSON.parse(String(init.body)) : undefined,
    );
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
}

const REQ = "2f1c7a4e-6a0b-4c1e-9d3f-0b8e5a7c9d11";
const view = (
  status: RequestStatusView["status"],
  answered: number,
  extra: Partial<RequestStatusView> = {},
): RequestStatusView => ({
  request_id: REQ,
  status,
  created_at: "2026-11-27T03:00:00.000Z",
  timeout: "2026-11-27T03:02:00.000Z",
  validator_deadline: "2026-11-27T03:01:30.000Z",
  validators: { answered, expected: 2 },
  ...extra,
});
/** A 202 answer of POST /leads, as the API contract declares it. */
const created = () => ({
  request_id: REQ,
  status: "pending",
  timeout: new Date(Date.now() + 120_000).toISOString(),
  validator_deadline: new Date(Date.now() + 90_000).toISOString(),
  expected_validators: 2,
  poll_url: `http://api.test/api/leads/status/${REQ}`,
});

describe("followRequest", () => {
  it("prints progress only when it changes and stops when completed", async () => {
    const answers = [
      view("pending", 0),
      view("pending", 0),
      view("processing", 1),
      view("completed", 2, { leads: [lead(1)] }),
    ];
    let polls = 0;
    const client = new ApiClient({
      apiBaseUrl: "http://api.test/api",
      apiKey: "k",
      fetch: fakeFetch(() => [200, answers[polls++]]),
    });
    const lines: string[] = [];
    const outcome = await followRequest(client, REQ, {
      giveUpAtMs: Date.now() + 60_000,
      sleep: async () => undefined,
      onProgress: (line) => lines.push(line),
    });
    expect(outcome.kind).toBe("completed");
    expect(polls).toBe(4);
    expect(lines).toEqual([
      "pending: validators answered 0/2",
      "processing: validators answered 1/2",
      "completed: validators answered 2/2",
    ]);
  });

  it("retries transient errors, throws client errors, and times out", async () => {
    let polls = 0;
    const flaky = new ApiClient({
      apiBaseUrl: "http://api.test",
      apiKey: "k",
      fetch: fakeFetch(() =>
        polls++ === 0
          ? [503, { error: { code: "unavailable", message: "x" } }]
          : [200, view("failed", 0, { reason: "no_validator_responded" })],
      ),
    });
    const retries: string[] = [];
    const out = await followRequest(flaky, REQ, {
      giveUpAtMs: Date.now() + 60_000,
      sleep: async () => undefined,
      onRetry: (e) => retries.push(e.code),
    });
    expect(out).toMatchObject({ kind: "failed", view: { reason: "no_validator_responded" } });
    expect(retries).toEqual(["unavailable"]);

    const gone = new ApiClient({
      apiBaseUrl: "http://api.test",
      apiKey: "k",
      fetch: fakeFetch(() => [
        404,
        {
          error: {
            code: "not_found",
            message: "No such request",
            details: { field: "request_id" },
          },
        },
      ]),
    });
    await expect(
      followRequest(gone, REQ, { giveUpAtMs: Date.now() + 60_000, sleep: async () => undefined }),
    ).rejects.toMatchObject({ status: 404, code: "not_found", field: "request_id" });

    let now = 0;
    const stuck = new ApiClient({
      apiBaseUrl: "http://api.test",
      apiKey: "k",
      fetch: fakeFetch(() => [200, view("pending", 0)]),
    });
    const timedOut = await followRequest(stuck, REQ, {
      giveUpAtMs: 5_000,
      pollMs: 1_000,
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    expect(timedOut.kind).toBe("timeout");
    expect(now).toBeLessThanOrEqual(5_000);
  });
});

describe("followRequest long polls", () => {
  it("reads once at once, then asks the server to hold each read, without pausing between them", async () => {
    const urls: string[] = [];
    let now = 0;
    const answers = [view("pending", 0), view("processing", 1), view("completed", 2)];
    const client = new ApiClient({
      apiBaseUrl: "http://api.test/api",
      apiKey: "k",
      fetch: (async (url: string | URL | Request) => {
        const u = new URL(String(url));
        urls.push(u.pathname + u.search);
        // A held read comes back when the server's wait ends (the clock moves by it).
        const wait = Number(u.searchParams.get("wait") ?? 0);
        now += wait * 1000;
        return new Response(JSON.stringify(answers[urls.length - 1]), { status: 200 });
      }) as typeof fetch,
    });
    const sleeps: number[] = [];
    const outcome = await followRequest(client, REQ, {
      giveUpAtMs: 60_000,
      waitSeconds: 20,
      now: () => now,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(outcome.kind).toBe("completed");
    expect(urls).toEqual([
      `/api/leads/status/${REQ}`,
      `/api/leads/status/${REQ}?wait=20`,
      `/api/leads/status/${REQ}?wait=20`,
    ]);
    // A pause only after the first (immediate) read; the held ones follow each other directly.
    expect(sleeps).toEqual([1_000, 0]);
  });

  it("with holdFirstRead, holds the very first read too (the CLI: one round trip sooner)", async () => {
    const urls: string[] = [];
    const client = new ApiClient({
      apiBaseUrl: "http://api.test/api",
      apiKey: "k",
      fetch: (async (url: string | URL | Request) => {
        const u = new URL(String(url));
        urls.push(u.pathname + u.search);
        return new Response(JSON.stringify(view("completed", 2)), { status: 200 });
      }) as typeof fetch,
    });
    const outcome = await followRequest(client, REQ, {
      giveUpAtMs: 60_000,
      waitSeconds: 20,
      holdFirstRead: true,
      now: () => 0,
    });
    expect(outcome.kind).toBe("completed");
    expect(urls).toEqual([`/api/leads/status/${REQ}?wait=20`]);
  });

  it("paces like plain polling when the server answers a held read at once", async () => {
    let now = 0;
    const client = new ApiClient({
      apiBaseUrl: "http://api.test",
      apiKey: "k",
      fetch: fakeFetch(() => [200, view("pending", 0)]),
    });
    const sleeps: number[] = [];
    const outcome = await followRequest(client, REQ, {
      giveUpAtMs: 4_000,
      now: () => now,
      sleep: async (ms) => void (sleeps.push(ms), (now += ms)),
    });
    expect(outcome.kind).toBe("timeout");
    expect(sleeps.every((ms) => ms === 1_000)).toBe(true);
  });
});

describe("ApiClient answers", () => {
  it("are checked against the API contract: a malformed answer is a typed bad_response error", async () => {
    const client = new ApiClient({
      apiBaseUrl: "http://api.test",
      apiKey: "k",
      fetch: fakeFetch(() => [200, { ...view("completed", 2), validators: { answered: "2" } }]),
    });
    await expect(client.status(REQ)).rejects.toMatchObject({
      name: "BadResponseError",
      status: 200,
      code: "bad_response",
      field: "validators.answered",
    });
  });
});

describe("runRequestCommand", () => {
  function api(
    final: RequestStatusView | null,
    createStatus = 202,
  ): { fetch: typeof fetch; seen: { auth?: string | undefined; body?: any } } {
    const seen: { auth?: string | undefined; body?: any } = {};
    return {
      seen,
      fetch: fakeFetch((method, path, headers, body) => {
        if (method === "POST" && path === "/api/leads") {
          seen.auth = headers.get("authorization") ?? undefined;
          seen.body = body;
          if (createStatus !== 202) {
            return [
              createStatus,
              {
                error: {
                  code: "unauthenticated",
                  message: "Unknown or disabled API key",
                  details: { field: "Authorization" },
                },
              },
            ];
          }
          return [202, created()];
        }
        if (method === "GET" && path === `/api/leads/status/${REQ}`) return [200, final];
        return [404, { error: { code: "not_found", message: path } }];
      }),
    };
  }

  const run = async (final: RequestStatusView | null, json = false, createStatus = 202) => {
    const { fetch, seen } = api(final, createStatus);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRequestCommand({
      apiBaseUrl: "http://api.test/api",
      apiKey: "lpk_secret",
      numLeads: 2,
      businessDesc: "B2B SaaS",
      json,
      pollMs: 1,
      fetch,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    return { code, out: out.join("\n"), err: err.join("\n"), seen };
  };

  it("exit 0 and a table when completed; the key goes in the Authorization header only", async () => {
    const r = await run(view("completed", 2, { leads: [lead(1), lead(2)] }));
    expect(r.code).toBe(0);
    expect(r.seen.auth).toBe("Bearer lpk_secret");
    expect(r.seen.body).toEqual({ num_leads: 2, business_desc: "B2B SaaS" });
    expect(r.out).toMatch(/^RANK +SCORE +BUSINESS/);
    expect(r.out).toContain("owner2@company2.io");
    expect(r.err).toContain("validators answered 2/2");
    expect(r.out + r.err).not.toContain("lpk_secret");
  });

  it("--json prints the final status as JSON on stdout", async () => {
    const r = await run(view("completed", 2, { leads: [lead(1)] }), true);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      status: "completed",
      leads: [{ email: "owner1@company1.io" }],
    });
  });

  it("exit 1 when the request failed or the API refused it", async () => {
    const failed = await run(view("failed", 0, { reason: "no_validator_responded" }));
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("failed: no_validator_responded");
    const refused = await run(null, false, 401);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      "HTTP 401 unauthenticated: Unknown or disabled API key (field Authorization)",
    );
  });

  it("a refused create is a BadRequestError carrying the envelope's code, field and details", async () => {
    const details = { field: "num_leads", issues: [{ field: "num_leads", message: "too big" }] };
    const client = new ApiClient({
      apiBaseUrl: "http://api.test",
      apiKey: "k",
      fetch: fakeFetch(() => [
        400,
        { error: { code: "invalid_argument", message: "bad", details } },
      ]),
    });
    const e = await client.createRequest({ num_leads: 1000, business_desc: "x" }).catch((x) => x);
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: "invalid_argument", field: "num_leads", details });
  });

  it("sends an Idempotency-Key and retries a lost or refused create with the same key", async () => {
    const keys: (string | null)[] = [];
    let posts = 0;
    const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      if (init?.method === "POST") {
        keys.push(new Headers(init.headers).get("idempotency-key"));
        posts++;
        if (posts === 1) throw new TypeError("socket hang up"); // the answer was lost
        if (posts === 2) {
          return new Response(JSON.stringify({ error: { code: "contended", message: "x" } }), {
            status: 503,
            headers: { "Retry-After": "1" },
          });
        }
        return new Response(JSON.stringify(created()), { status: 202 });
      }
      if (path === `/api/leads/status/${REQ}`) {
        return new Response(JSON.stringify(view("completed", 2, { leads: [lead(1)] })));
      }
      return new Response("{}", { status: 404 });
    }) as typeof fetch;
    const err: string[] = [];
    const waits: number[] = [];
    const code = await runRequestCommand({
      apiBaseUrl: "http://api.test/api",
      apiKey: "k",
      numLeads: 1,
      businessDesc: "B2B SaaS",
      json: true,
      pollMs: 1,
      fetch: fetchImpl,
      idempotencyKey: "cli-key-1",
      retry: { sleep: async (ms) => void waits.push(ms), random: () => 0 },
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).toBe(0);
    expect(keys).toEqual(["cli-key-1", "cli-key-1", "cli-key-1"]);
    expect(waits).toEqual([0, 1000]);
    expect(err.join("\n")).toContain("retrying in 1000 ms");
  });

  it("a fresh key per run when none is given", async () => {
    const { fetch: f1, seen: s1 } = api(view("completed", 2, { leads: [] }), 202);
    const keys: string[] = [];
    const spy = (async (url: string | URL | Request, init?: RequestInit) => {
      const k = new Headers(init?.headers).get("idempotency-key");
      if (k) keys.push(k);
      return f1(url, init);
    }) as typeof fetch;
    for (let i = 0; i < 2; i++) {
      await runRequestCommand({
        apiBaseUrl: "http://api.test/api",
        apiKey: "k",
        numLeads: 2,
        businessDesc: "B2B SaaS",
        json: true,
        pollMs: 1,
        fetch: spy,
        out: () => undefined,
        err: () => undefined,
      });
    }
    expect(s1.body).toBeDefined();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });
});
