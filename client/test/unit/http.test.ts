import {
  ApiError,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  isRetrySafe,
  RateLimitError,
  TimeoutError,
} from "../../src/errors";
import {
  backoffDelay,
  callJsonApi,
  fetchWithTimeout,
  parseRetryAfter,
  requestJson,
} from "../../src/http";

/** A fetch that answers each call from `replies` in turn and records the headers it was sent. */
function scripted(replies: (() => Response | Promise<Response>)[]) {
  const seen: Headers[] = [];
  const impl = (async (_url: string | URL | Request, init?: RequestInit) => {
    seen.push(new Headers(init?.headers));
    return replies[Math.min(seen.length - 1, replies.length - 1)]();
  }) as typeof fetch;
  return { impl, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers });

/** Never answers; rejects when the call's signal aborts (what a timed-out fetch does). */
const hanging = (async (_url: string | URL | Request, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
  })) as typeof fetch;

describe("callJsonApi", () => {
  it("times out a call that never answers, and says a GET is safe to retry", async () => {
    const answer = await callJsonApi(hanging, "http://api.test/x", {
      method: "GET",
      timeoutMs: 20,
    });
    expect(answer).toMatchObject({ ok: false, kind: "timeout", code: "timeout", retryable: true });
  });

  it("a timed-out POST without an idempotency key is not safe to retry", async () => {
    const answer = await callJsonApi(hanging, "http://api.test/x", {
      method: "POST",
      body: {},
      timeoutMs: 20,
    });
    expect(answer).toMatchObject({ ok: false, kind: "timeout", retryable: false });
  });

  it("reads the envelope, the field and Retry-After", async () => {
    const { impl } = scripted([
      json(
        429,
        { error: { code: "rate_limited", message: "slow down", details: { field: "k" } } },
        {
          "Retry-After": "7",
        },
      ),
    ]);
    const answer = await callJsonApi(impl, "http://api.test/x", { method: "POST", body: {} });
    expect(answer).toEqual({
      ok: false,
      status: 429,
      code: "rate_limited",
      message: "slow down",
      details: { field: "k" },
      field: "k",
      kind: "http",
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it("a non-JSON 400 (the platform's page for a body that is not JSON) is not retryable", async () => {
    const { impl } = scripted([() => new Response("<html>Bad Request</html>", { status: 400 })]);
    const answer = await callJsonApi(impl, "http://api.test/x", { method: "POST", body: {} });
    expect(answer).toMatchObject({ ok: false, status: 400, code: "http_400", retryable: false });
  });
});

describe("isRetrySafe", () => {
  it.each([
    ["http", 429, false, true],
    ["http", 503, false, true],
    ["http", 500, false, false],
    ["http", 500, true, true],
    ["http", 502, true, true],
    ["http", 408, true, true],
    ["http", 400, true, false],
    ["http", 422, true, false],
    ["timeout", 0, false, false],
    ["timeout", 0, true, true],
    ["network", 0, true, true],
    ["bad_response", 200, true, false],
  ] as const)("%s %i idempotent=%s -> %s", (kind, status, idempotent, safe) => {
    expect(isRetrySafe(kind, status, idempotent)).toBe(safe);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-27T10:00:00Z");
  it("reads seconds and HTTP dates, ignores nonsense", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 10:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("is full jitter under an exponential cap", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, undefined, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, undefined, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, undefined, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(4, undefined, policy, () => 0)).toBe(0);
  });

  it("never waits less than Retry-After", () => {
    expect(backoffDelay(1, 5000, { baseDelayMs: 100 }, () => 0)).toBe(5000);
    expect(backoffDelay(1, 5000, { baseDelayMs: 100 }, () => 0.5)).toBe(5050);
  });
});

describe("requestJson", () => {
  const noSleep = { sleep: async () => undefined, random: () => 0 };

  it("retries a safe failure with the same headers, waiting what Retry-After asks", async () => {
    const { impl, seen } = scripted([
      json(503, { error: { code: "contended", message: "busy" } }, { "Retry-After": "2" }),
      json(502, { error: { code: "bad_gateway", message: "x" } }),
      json(202, { request_id: "r1" }),
    ]);
    const waits: number[] = [];
    const out = await requestJson(
      impl,
      "http://api.test/leads",
      { method: "POST", body: {}, headers: { "idempotency-key": "k1" }, idempotent: true },
      { ...noSleep, onRetry: (_e, ms) => waits.push(ms) },
    );
    expect(out).toEqual({ status: 202, json: { request_id: "r1" } });
    expect(seen.map((h) => h.get("idempotency-key"))).toEqual(["k1", "k1", "k1"]);
    expect(waits).toEqual([2000, 0]);
  });

  it("does not repeat a POST whose effect may have happened", async () => {
    const { impl, seen } = scripted([json(500, { error: { code: "internal", message: "x" } })]);
    await expect(
      requestJson(impl, "http://api.test/leads", { method: "POST", body: {} }, noSleep),
    ).rejects.toMatchObject({ status: 500, retryable: false, attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it("gives up after maxAttempts, and at once on a Retry-After longer than it will wait", async () => {
    const { impl, seen } = scripted([json(503, { error: { code: "x", message: "x" } })]);
    const err = await requestJson(
      impl,
      "http://api.test/x",
      { method: "GET" },
      {
        ...noSleep,
        maxAttempts: 3,
      },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ attempts: 3, retryable: true });
    expect(seen).toHaveLength(3);

    const slow = scripted([
      json(429, { error: { code: "rate_limited", message: "x" } }, { "Retry-After": "600" }),
    ]);
    await expect(
      requestJson(slow.impl, "http://api.test/x", { method: "GET" }, noSleep),
    ).rejects.toMatchObject({ status: 429, attempts: 1, retryAfterMs: 600_000 });
  });

  it("puts a timeout on every attempt", async () => {
    let calls = 0;
    const impl = (async (url: string | URL | Request, init?: RequestInit) => {
      calls++;
      return calls < 3 ? hanging(url, init) : new Response(JSON.stringify({ ok: 1 }));
    }) as typeof fetch;
    const out = await requestJson(
      impl,
      "http://api.test/x",
      { method: "GET", timeoutMs: 20 },
      noSleep,
    );
    expect(out.json).toEqual({ ok: 1 });
    expect(calls).toBe(3);
  });
});

describe("ApiError.from", () => {
  const failure = { code: "x", message: "m", details: null, retryable: false };
  it.each([
    [400, "http", BadRequestError],
    [429, "http", RateLimitError],
    [503, "http", InternalServerError],
    [418, "http", ApiError],
    [0, "network", ConnectionError],
    [0, "timeout", TimeoutError],
  ] as const)("%i %s is a %p", (status, kind, Class) => {
    const e = ApiError.from({ ...failure, status, kind });
    expect(e).toBeInstanceOf(Class);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.name).toBe(Class.name);
  });

  it("a timeout is also a connection error", () => {
    expect(ApiError.from({ ...failure, status: 0, kind: "timeout" })).toBeInstanceOf(
      ConnectionError,
    );
  });
});

describe("fetchWithTimeout", () => {
  it("throws a TimeoutError when no answer comes in time", async () => {
    await expect(
      fetchWithTimeout("http://api.test/x", { fetch: hanging, timeoutMs: 20 }),
    ).rejects.toThrow(TimeoutError);
  });

  it("throws a ConnectionError naming the cause when the connection fails", async () => {
    const down = (async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    }) as typeof fetch;
    const e = await fetchWithTimeout("http://api.test/x", { fetch: down, timeoutMs: 1000 }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e).not.toBeInstanceOf(TimeoutError);
    expect(e).toMatchObject({ status: 0, code: "unreachable", details: { cause: "ECONNREFUSED" } });
  });

  it("lets an error the body reader throws on purpose through", async () => {
    const ok = (async () => new Response("big")) as typeof fetch;
    const refuse = async () => {
      throw new RangeError("too big");
    };
    await expect(
      fetchWithTimeout("http://api.test/x", { fetch: ok, timeoutMs: 1000 }, refuse),
    ).rejects.toThrow(RangeError);
  });
});
