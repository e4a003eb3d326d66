// The examples in examples/ run against the emulators as an operator would run them: a miner whose
// leads come from the TypeScript curator module, one whose leads come from the Python hook over
// --curator-url, and validators whose scores come from the TypeScript ranker module. Each round
// completes, and what it returns holds only leads the plug-in supplied.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { COLLECTIONS, leadHash, type Lead } from "consensus-core";
import {
  adminDb,
  clearFirestore,
  getStatus,
  newApiKey,
  postLeads,
  seedRegistry,
  waitFor,
} from "../../../functions/test/support/emulator";
import { short } from "../../src/runtime/log";
import { killAll, startListening } from "../support/processes";

const EXAMPLES = path.resolve(__dirname, "../../../examples");
const CURATOR = path.join(EXAMPLES, "lib/ts-miner/curator.js");
const RANKER = path.join(EXAMPLES, "lib/ts-ranker/ranker.js");
const HOOK = path.join(EXAMPLES, "python-miner/miner_hook.py");
const EXAMPLE_EMAILS = new Set(
  (JSON.parse(readFileSync(path.join(EXAMPLES, "leads.json"), "utf8")) as Lead[]).map(
    (l) => l.email,
  ),
);
const DESC = "B2B SaaS software companies in the US; we sell to their VP of Sales";

let key: string;
let ferdie: string;
let hook: ChildProcess | undefined;

beforeAll(() => {
  for (const built of [CURATOR, RANKER]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
  }
});

beforeEach(async () => {
  await clearFirestore();
  key = await newApiKey();
  const pairs = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  ferdie = pairs[2].address;
});

afterEach(async () => {
  await killAll();
  if (hook && hook.exitCode === null) {
    const exited = new Promise((resolve) => hook!.once("exit", resolve));
    hook.kill("SIGTERM");
    await exited;
  }
  hook = undefined;
});

/** Opens a request and waits (polling the status endpoint, as a client does) for its end. */
async function runRound(): Promise<{ id: string; status: any }> {
  const res = await postLeads(key, { num_leads: 3, business_desc: DESC });
  expect(res.status).toBe(202);
  const id = res.body.request_id as string;
  const status = await waitFor(
    `request ${id} to finish`,
    async () => {
      const body = (await getStatus(key, id)).body;
      return body.status === "completed" || body.status === "failed" ? body : undefined;
    },
    40_000,
  );
  return { id, status };
}

async function submittedEmails(id: string): Promise<string[]> {
  const sub = await adminDb().collection(COLLECTIONS.submissions).doc(`${id}_${ferdie}`).get();
  expect(sub.data()?.verification.status).toBe("accepted");
  return (sub.data()!.leads as Lead[]).map((l) => l.email);
}

/** The round completed with leads, and every lead it returned is one of the examples' own. */
function expectOnlyExampleLeads(status: any, submitted: string[]): void {
  expect(status.status).toBe("completed");
  expect(status.leads.length).toBeGreaterThan(0);
  for (const email of [...submitted, ...status.leads.map((l: Lead) => l.email)]) {
    expect(EXAMPLE_EMAILS).toContain(email);
  }
}

test("a miner whose leads come from the TypeScript curator module", async () => {
  const [, , miner] = await startListening(
    ["validator", "//Alice"],
    ["validator", "//Bob"],
    ["miner", "//Ferdie", ["--curator", CURATOR]],
  );
  expect(miner.output()).toContain(`curator=${CURATOR}`);
  const { id, status } = await runRound();
  expectOnlyExampleLeads(status, await submittedEmails(id));
  await miner.waitFor(new RegExp(`request ${short(id)}: submitted \\d+ leads`));
});

test("a miner whose leads come from the Python hook over --curator-url", async () => {
  hook = spawn("python3", [HOOK, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const hookLines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    hook!.on("exit", (code) => reject(new Error(`miner_hook.py exited (${code}): ${hookLines}`)));
    hook!.stderr!.on("data", (c: Buffer) => hookLines.push(c.toString()));
    hook!.stdout!.on("data", (c: Buffer) => {
      hookLines.push(c.toString());
      const m = /listening on (http:\/\/\S+)/.exec(c.toString());
      if (m) resolve(m[1]);
    });
  });
  await startListening(
    ["validator", "//Alice"],
    ["validator", "//Bob"],
    ["miner", "//Ferdie", ["--curator-url", url]],
  );
  const { id, status } = await runRound();
  expectOnlyExampleLeads(status, await submittedEmails(id));
  await waitFor("the hook to log the node's call", async () =>
    hookLines.join("").includes('"POST /curate HTTP/1.1" 200') ? true : undefined,
  );
});

test("validators whose scores come from the TypeScript ranker module", async () => {
  const [alice, bob] = await startListening(
    ["validator", "//Alice", ["--ranker", RANKER]],
    ["validator", "//Bob", ["--ranker", RANKER]],
    ["miner", "//Ferdie", ["--curator", CURATOR]],
  );
  const { id, status } = await runRound();
  const submitted = await submittedEmails(id);
  expectOnlyExampleLeads(status, submitted);
  // Each validator signed exactly the scores the module gives the submitted leads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built example itself
  const { rank } = require(RANKER) as typeof import("../../../examples/ts-ranker/ranker");
  const sub = await adminDb().collection(COLLECTIONS.submissions).doc(`${id}_${ferdie}`).get();
  const expected = await rank(
    { request_id: id, business_desc: DESC, num_leads: 3 },
    sub.data()!.leads as Lead[],
  );
  // Rankings name each lead by the hash of its content.
  const scoreOf = new Map(expected.map((r) => [leadHash(r.lead), r.score]));
  const rankings = await adminDb()
    .collection(COLLECTIONS.rankings)
    .where("request_id", "==", id)
    .get();
  expect(rankings.size).toBe(2);
  for (const doc of rankings.docs) {
    const ranked = doc.data().ranked_leads as { lead_hash: string; score: number }[];
    expect(ranked).toHaveLength(submitted.length);
    for (const r of ranked) expect(r.score).toBe(scoreOf.get(r.lead_hash));
  }
  for (const v of [alice, bob]) {
    await v.waitFor(new RegExp(`request ${short(id)}: ranked \\d+ leads`));
    expect(v.output()).not.toMatch(/ranker failed/);
  }
});
