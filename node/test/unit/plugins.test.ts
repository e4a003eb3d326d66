import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Lead } from "consensus-core";
import { recordingLogger } from "../support/log-recorder";
import { createCurator, createRanker, PluginError, postPlugin } from "../../src/plugins";
import { CuratorReplySchema } from "../../src/plugins/contract";

const REQUEST = {
  request_id: "6f1c1f0e-3a52-4c1b-9a43-2d1a3f1b5c11",
  business_desc: "software companies in the US",
  num_leads: 2,
};
const lead = (n: number, extra: Partial<Lead> = {}): Lead => ({
  business: `Acme ${n}`,
  email: `buyer${n}@acme${n}.com`,
  role: "Head of Sales",
  ...extra,
});

/** A logger keeping its warnings and errors, each as `event error`. */
function recorder() {
  const log = recordingLogger();
  return {
    ...log,
    get warnings(): string[] {
      return log.entries
        .filter((e) => e.level !== "info")
        .map((e) => `${e.event} ${String(e.data.error)}`);
    },
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "consensus-plugins-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleFile(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe("module plug-ins", () => {
  it("a curator module's leads, checked; its default export works too", async () => {
    const log = recorder();
    const file = moduleFile(
      "curator.js",
      `exports.curate = async (r) => [${JSON.stringify(lead(1))}, ${JSON.stringify(lead(2))}].slice(0, r.num_leads);`,
    );
    const curator = createCurator({ module: file }, { hotkey: "5x", log });
    expect(await curator.curate(REQUEST)).toEqual([lead(1), lead(2)]);
    const dflt = moduleFile("default.js", `exports.default = { curate: async () => [] };`);
    expect(await createCurator({ module: dflt }, { hotkey: "5x", log }).curate(REQUEST)).toEqual(
      [],
    );
    expect(log.warnings).toEqual([]);
  });

  it.each([
    [
      "an invalid lead",
      `exports.curate = async () => [{ business: "X", email: "not-an-email" }];`,
      /invalid answer: 0.email/,
    ],
    ["a throw", `exports.curate = async () => { throw new Error("db down"); };`, /db down/],
    [
      "no answer in time",
      `exports.curate = () => new Promise(() => {});`,
      /took longer than 50 ms/,
    ],
    ["not a list", `exports.curate = async () => ({ leads: [] });`, /invalid answer/],
    [
      "too many leads",
      `exports.curate = async () => Array.from({ length: 201 }, (_, i) => ({ business: "B", email: "e" + i + "@x.com" }));`,
      /invalid answer/,
    ],
  ])("a curator answering %s declines, with one warning", async (_what, source, why) => {
    const log = recorder();
    const file = moduleFile(`bad-${_what.replace(/\W/g, "")}.js`, source);
    const curator = createCurator({ module: file }, { hotkey: "5x", log, timeoutMs: 50 });
    expect(await curator.curate(REQUEST)).toEqual([]);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/^curator_failed /);
    expect(log.warnings[0]).toMatch(why);
  });

  it("refuses at start-up a missing file or a module without the function", () => {
    const log = recorder();
    expect(() => createCurator({ module: join(dir, "nope.js") }, { hotkey: "5x", log })).toThrow(
      /no such file/,
    );
    const empty = moduleFile("empty.js", `exports.rank = async () => [];`);
    expect(() => createCurator({ module: empty }, { hotkey: "5x", log })).toThrow(
      /exports no curate\(\) function/,
    );
  });

  it("a ranker module scores the leads it was given; ranks come from the scores", async () => {
    const log = recorder();
    const file = moduleFile(
      "ranker.js",
      `exports.rank = async (_r, leads) => leads.map((lead, i) => ({ lead: { ...lead, business: "edited" }, score: i / 10, rank: 1 }));`,
    );
    const ranked = await createRanker({ module: file }, { hotkey: "5x", log }).rank(REQUEST, [
      lead(1),
      lead(2),
      lead(3),
    ]);
    // The submitted leads themselves, not the plug-in's edited copies.
    expect(ranked).toEqual([
      { lead: lead(3), score: 0.2, rank: 1 },
      { lead: lead(2), score: 0.1, rank: 2 },
      { lead: lead(1), score: 0, rank: 3 },
    ]);
    expect(log.warnings).toEqual([]);
  });

  it.each([
    [
      "a lead it was not given",
      `[{ lead: ${JSON.stringify(lead(9))}, score: 0.5 }]`,
      /not a lead it was given/,
    ],
    [
      "a lead twice",
      `[{ lead: leads[0], score: 0.5 }, { lead: leads[0], score: 0.4 }]`,
      /scored twice/,
    ],
    ["a score over 1", `[{ lead: leads[0], score: 1.5 }]`, /invalid answer: 0.score/],
  ])(
    "a ranker answering %s makes the validator skip, with one warning",
    async (_w, answer, why) => {
      const log = recorder();
      const file = moduleFile(
        `rank-${_w.replace(/\W/g, "")}.js`,
        `exports.rank = async (_r, leads) => ${answer};`,
      );
      expect(
        await createRanker({ module: file }, { hotkey: "5x", log }).rank(REQUEST, [lead(1)]),
      ).toEqual([]);
      expect(log.warnings).toHaveLength(1);
      expect(log.warnings[0]).toMatch(/^ranker_failed /);
      expect(log.warnings[0]).toMatch(why);
    },
  );
});

describe("HTTP plug-ins", () => {
  let server: Server;
  let base: string;
  let handler: (body: any, res: ServerResponse) => void;
  const received: any[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => {
        const body = JSON.parse(text);
        received.push(body);
        handler(body, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const reply = (status: number, body: unknown) => (_b: unknown, res: ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

  it("--curator-url: POSTs the request and the hotkey, takes {leads}", async () => {
    handler = reply(200, { leads: [lead(1)], note: "extra fields are ignored" });
    const log = recorder();
    const leads = await createCurator({ url: `${base}/curate` }, { hotkey: "5Hk", log }).curate(
      REQUEST,
    );
    expect(leads).toEqual([lead(1)]);
    expect(received.at(-1)).toEqual({ ...REQUEST, hotkey: "5Hk" });
    expect(log.warnings).toEqual([]);
  });

  it("--ranker-url: POSTs the leads, takes one score per lead in order", async () => {
    handler = reply(200, { scores: [0.1, 0.9] });
    const log = recorder();
    const ranked = await createRanker({ url: base }, { hotkey: "5Hk", log }).rank(REQUEST, [
      lead(1),
      lead(2),
    ]);
    expect(ranked.map((r) => [r.lead.email, r.score, r.rank])).toEqual([
      [lead(2).email, 0.9, 1],
      [lead(1).email, 0.1, 2],
    ]);
    expect(received.at(-1).leads).toEqual([lead(1), lead(2)]);
    handler = reply(200, { scores: [0.5] });
    expect(
      await createRanker({ url: base }, { hotkey: "5Hk", log }).rank(REQUEST, [lead(1), lead(2)]),
    ).toEqual([]);
    expect(log.warnings[0]).toMatch(/scores: 1 for 2 leads/);
  });

  it.each([
    ["an HTTP error", reply(500, { error: "boom" }), /HTTP 500/],
    ["not JSON", reply(200, "<html>"), /is not JSON/],
    ["the wrong shape", reply(200, { lead: [] }), /invalid answer: leads/],
    [
      "nothing in time",
      () => undefined,
      /no answer from .* within 100 ms|curate took longer than 100 ms/,
    ],
  ])("a service answering %s makes the miner decline", async (_w, h, why) => {
    handler = h;
    const log = recorder();
    const curator = createCurator({ url: base }, { hotkey: "5Hk", log, timeoutMs: 100 });
    expect(await curator.curate(REQUEST)).toEqual([]);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(why);
  });

  it("reads an answer only up to the size limit", async () => {
    handler = reply(200, { leads: [], pad: "x".repeat(5000) });
    const call = postPlugin(
      { url: base, hotkey: "5Hk", timeoutMs: 2000, maxResponseBytes: 1000 },
      {},
      CuratorReplySchema,
    );
    await expect(call).rejects.toThrow(PluginError);
    await expect(call).rejects.toThrow(/over the 1000-byte limit/);
  });

  it("says when nothing listens", async () => {
    const log = recorder();
    const curator = createCurator({ url: "http://127.0.0.1:9/x" }, { hotkey: "5Hk", log });
    expect(await curator.curate(REQUEST)).toEqual([]);
    expect(log.warnings[0]).toMatch(/cannot reach http:\/\/127.0.0.1:9\/x/);
  });
});
