import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import type { Lead } from "consensus-core";
import { HeuristicRanker, LlmRanker, LlmRankerError, parseScores } from "../../../src/leads";

interface Recorded {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingMessage["headers"];
  body: {
    model: string;
    temperature: number;
    messages: { role: string; content: string }[];
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const API_KEY = "sk-test-secret-123";
const request = {
  request_id: "00000000-0000-4000-8000-000000000000",
  business_desc: "B2B SaaS platform for sales teams",
  num_leads: 3,
};
const leads: Lead[] = [
  {
    business: "Brightstack",
    email: "a@brightstack.io",
    role: "VP of Sales",
    industry: "Software",
    sub_industry: "SaaS",
    region: "US - California",
  },
  {
    business: "Volt",
    email: "b@volt.energy",
    role: "CEO",
    industry: "Energy",
    sub_industry: "Solar",
  },
  {
    business: "Keystone Realty",
    email: "c@keystone.com",
    role: "Leasing Intern",
    industry: "Real Estate",
  },
];

const completion = (content: unknown) =>
  JSON.stringify({
    id: "x",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content } }],
  });

describe("LlmRanker against a fake OpenAI-compatible server", () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  let recorded: Recorded[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        recorded.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: JSON.parse(body),
        });
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((err) => (err ? reject(err) : resolve())),
    );
  });

  beforeEach(() => {
    recorded = [];
  });

  const reply =
    (status: number, body: string): Handler =>
    (_req, res) => {
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    };

  it("posts the model, prompt and bearer key, then ranks by the model's scores", async () => {
    handler = reply(
      200,
      completion(
        'Sure! Leads [0-2] scored:\n```json\n[{"index": 1, "score": 0.4}, {"index": 0, "score": 1.7}, {"index": 9, "score": 1}]\n```',
      ),
    );
    const ranker = new LlmRanker({ baseUrl, apiKey: API_KEY, model: "test-model" });
    const ranked = await ranker.rank(request, leads);

    // "sales teams" is the stated role: the VP of Sales fits (band [0.5, 1]); the CEO and the
    // intern do not (band [0, 0.3]), so the model's 0.4 for the CEO becomes 0.3 * 0.4.
    expect(ranked).toEqual([
      { lead: leads[0], score: 1, rank: 1 },
      { lead: leads[1], score: 0.12, rank: 2 },
      { lead: leads[2], score: 0, rank: 3 },
    ]);
    expect(recorded).toHaveLength(1);
    const [call] = recorded;
    expect(call.method).toBe("POST");
    expect(call.url).toBe("/v1/chat/completions");
    expect(call.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call.headers["content-type"]).toBe("application/json");
    expect(call.body.model).toBe("test-model");
    expect(call.body.temperature).toBe(0);
    expect(call.body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const user = call.body.messages[1].content;
    expect(user).toContain(request.business_desc);
    // The parser's reading travels with the description.
    expect(user).toContain(
      'roles (any of): sales at c_level/vp/head/director/manager ("sales teams")',
    );
    expect(user).toContain(
      '{"index":0,"business":"Brightstack","role":"VP of Sales","industry":"Software","sub_industry":"SaaS","region":"US - California","meets":["role"],"misses":[]}',
    );
    // The same reading the status endpoint serves as `understood` travels too.
    expect(user).toContain('"roles":[{"text":"sales teams","functions":["sales"]');
    expect(user).toContain('{"index":2,"business":"Keystone Realty"');
    // Emails are identity, not signal: the model never sees them.
    expect(user).not.toContain("@");
  });

  it("reads a seller-product clause as context, in the prompt and in the check", async () => {
    // The model likes the Chief Product Officer; the ask is security leaders, "for our identity
    // product" is the seller's context, so the CPO is capped as a misfit all the same.
    const bank = { industry: "Financial Services", sub_industry: "Banking", region: "US - Ohio" };
    const cpo: Lead = {
      ...leads[0],
      ...bank,
      email: "cpo@bank.test",
      role: "Chief Product Officer",
    };
    const ciso: Lead = { ...leads[0], ...bank, email: "ciso@bank.test", role: "Head of Security" };
    handler = reply(200, completion('[{"index": 0, "score": 1}, {"index": 1, "score": 0.1}]'));
    const ranker = new LlmRanker({ baseUrl, model: "local" });
    const ranked = await ranker.rank(
      {
        ...request,
        business_desc: "Looking for security leaders at banks for our identity product",
      },
      [cpo, ciso],
    );
    expect(ranked.map((r) => [r.lead.role, r.score])).toEqual([
      ["Head of Security", 0.55],
      ["Chief Product Officer", 0.3],
    ]);
    const user = recorded[0].body.messages[1].content;
    expect(user).toContain('"seller_context":"our identity product"');
    expect(user).toContain(
      '"role":"Chief Product Officer","industry":"Financial Services","sub_industry":"Banking","region":"US - Ohio","meets":["industry"],"misses":["role"]',
    );
  });

  it("caps a misfit the model scores high below a fit it scores low", async () => {
    handler = reply(200, completion('[{"index": 0, "score": 0}, {"index": 1, "score": 1}]'));
    const ranker = new LlmRanker({ baseUrl, model: "local" });
    const ranked = await ranker.rank(request, [leads[0], leads[1]]);
    expect(ranked.map((r) => [r.lead.email, r.score])).toEqual([
      [leads[0].email, 0.5],
      [leads[1].email, 0.3],
    ]);
  });

  it("sends no Authorization header without a key and dedupes leads by email", async () => {
    handler = reply(200, completion('[{"index": 0, "score": "0.25"}]'));
    const ranker = new LlmRanker({ baseUrl, model: "local" });
    const ranked = await ranker.rank(request, [
      leads[0],
      { ...leads[0], email: "A@Brightstack.io" },
    ]);
    expect(ranked).toEqual([{ lead: leads[0], score: 0.625, rank: 1 }]);
    expect(recorded[0].headers.authorization).toBeUndefined();
    expect(recorded[0].body.messages[1].content).not.toContain('"index":1');
  });

  it("does not call the model for an empty lead list", async () => {
    handler = reply(500, "unused");
    expect(await new LlmRanker({ baseUrl, model: "m" }).rank(request, [])).toEqual([]);
    expect(recorded).toHaveLength(0);
  });

  it("uses the fallback ranker when the reply has no usable JSON array", async () => {
    handler = reply(200, completion("I think the first lead is great, the others less so."));
    const fallback = new HeuristicRanker();
    const errors: Error[] = [];
    const ranker = new LlmRanker({
      baseUrl,
      apiKey: API_KEY,
      model: "m",
      fallback,
      onFallback: (e) => errors.push(e),
    });
    expect(await ranker.rank(request, leads)).toEqual(await fallback.rank(request, leads));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LlmRankerError);
    expect(errors[0].message).toMatch(/without a JSON array/);
  });

  it("uses the fallback ranker when the reply body is not a chat completion", async () => {
    handler = reply(200, "<html>gateway</html>");
    const fallback = new HeuristicRanker({ bias: 0.1 });
    const ranker = new LlmRanker({ baseUrl, model: "m", fallback });
    expect(await ranker.rank(request, leads)).toEqual(await fallback.rank(request, leads));
  });

  it("rejects with a clear message on HTTP 500 without a fallback, never echoing the key", async () => {
    // A hostile or misconfigured server that echoes the request headers back.
    handler = (req, res) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(`boom ${req.headers.authorization}`);
    };
    const ranker = new LlmRanker({ baseUrl, apiKey: API_KEY, model: "m" });
    const err: Error = await ranker.rank(request, leads).then(
      () => {
        throw new Error("expected a rejection");
      },
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(LlmRankerError);
    expect(err.message).toMatch(
      /^LlmRanker: request to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions failed with HTTP 500/,
    );
    expect(err.message).toContain("boom Bearer ***");
    expect(err.message).not.toContain(API_KEY);
  });

  it("times out, then falls back (or rejects without a fallback)", async () => {
    handler = () => {
      // Never answers; afterAll closes the connection.
    };
    const errors: Error[] = [];
    const fallback = new HeuristicRanker();
    const withFallback = new LlmRanker({
      baseUrl,
      model: "m",
      timeoutMs: 100,
      fallback,
      onFallback: (e) => errors.push(e),
    });
    expect(await withFallback.rank(request, leads)).toEqual(await fallback.rank(request, leads));
    expect(errors[0].message).toMatch(/timed out after 100 ms/);

    const bare = new LlmRanker({ baseUrl, model: "m", timeoutMs: 100 });
    await expect(bare.rank(request, leads)).rejects.toThrow(/timed out after 100 ms/);
  });

  it("keeps the API key out of util.inspect", () => {
    const ranker = new LlmRanker({ baseUrl, apiKey: API_KEY, model: "m" });
    expect(inspect(ranker, { depth: 5 })).not.toContain(API_KEY);
    expect(JSON.stringify(ranker)).not.toContain(API_KEY);
  });
});

describe("LlmRanker.fromEnv", () => {
  it("returns undefined when LLM_BASE_URL is unset or blank", () => {
    expect(LlmRanker.fromEnv({})).toBeUndefined();
    expect(LlmRanker.fromEnv({ LLM_BASE_URL: "  ", LLM_MODEL: "m" })).toBeUndefined();
  });

  it("reads base URL, model and key", () => {
    const ranker = LlmRanker.fromEnv({
      LLM_BASE_URL: "https://llm.example.com/v1/",
      LLM_MODEL: "gpt-test",
      LLM_API_KEY: "k",
    });
    expect(ranker).toBeInstanceOf(LlmRanker);
    expect(ranker?.baseUrl).toBe("https://llm.example.com/v1");
    expect(ranker?.model).toBe("gpt-test");
  });

  it("requires a model once a base URL is set", () => {
    expect(() => LlmRanker.fromEnv({ LLM_BASE_URL: "http://localhost:11434/v1" })).toThrow(
      /LLM_MODEL/,
    );
  });

  it("validates its options", () => {
    expect(() => new LlmRanker({ baseUrl: "not a url", model: "m" })).toThrow(/baseUrl/);
    expect(() => new LlmRanker({ baseUrl: "ftp://x", model: "m" })).toThrow(/http/);
    expect(() => new LlmRanker({ baseUrl: "http://x", model: " " })).toThrow(/model/);
    expect(() => new LlmRanker({ baseUrl: "http://x", model: "m", timeoutMs: 0 })).toThrow(
      RangeError,
    );
  });
});

describe("parseScores", () => {
  it("skips bracketed prose and non-score arrays before the real answer", () => {
    const text = 'Leads [0-2], tags ["a"]: [0, 1] then {"scores": [{"index": 2, "score": 0.5}]}';
    expect(parseScores(text, 3)).toEqual(new Map([[2, 0.5]]));
  });

  it("handles brackets inside strings, clamps, and keeps the first score per index", () => {
    const text =
      '[{"index": 0, "score": -3, "why": "fits [well]"}, {"index": 0, "score": 0.9}, {"index": 1, "score": 0.3333}]';
    expect(parseScores(text, 2)).toEqual(
      new Map([
        [0, 0],
        [1, 0.3333],
      ]),
    );
  });

  it("ignores out-of-range, fractional and non-numeric entries", () => {
    expect(
      parseScores(
        '[{"index": 5, "score": 1}, {"index": 0.5, "score": 1}, {"index": 0, "score": "high"}]',
        2,
      ),
    ).toBeUndefined();
    expect(parseScores("no array here", 2)).toBeUndefined();
    expect(parseScores("[", 2)).toBeUndefined();
    expect(parseScores("[]", 2)).toBeUndefined();
  });
});
