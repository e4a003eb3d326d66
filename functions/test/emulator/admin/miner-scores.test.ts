// Miner credit from consensus, end to end: a request finalised by the emulators credits its miners
// in miner_scores (recomputed here from the stored documents with core's rule), `npm run admin --
// miner-scores` lists them, and `consensus-node weights` turns them into a u16 weight vector.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  COLLECTIONS,
  creditMiners,
  timedLeadPool,
  weightsFromScores,
  type TimedSubmission,
} from "consensus-core";
import { startStandin } from "../../../../core/test/support/subtensor-standin";
import { lifecycleConfig } from "../../../src/config";
import { createLeadRequest } from "../../support/create-request";
import { cli, requireBuiltCli, ROOT, type Run } from "../../support/admin-cli";
import {
  adminDb,
  clearFirestore,
  lead,
  seedRegistry,
  submitLeads,
  submitRanking,
  waitForFinal,
} from "../../support/emulator";

const NODE_CLI = join(ROOT, "node/lib/cli.js");

beforeAll(() => {
  requireBuiltCli();
  if (!existsSync(NODE_CLI)) throw new Error(`${NODE_CLI} is missing: run \`npm run build\``);
});
beforeEach(clearFirestore);

function nodeCli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [NODE_CLI, ...args], { cwd: ROOT, env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

test("a finalised request credits each miner's pooled leads; miner-scores and weights follow", async () => {
  const [alice, bob, ferdie, dave, eve] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
    { uri: "//Dave", uid: 11, role: "miner" },
    // Expected, but submits nothing: credited 0.
    { uri: "//Eve", uid: 12, role: "miner" },
  ]);
  const leads = [lead(1), lead(2), lead(3)];
  const { request_id: requestId } = await createLeadRequest(
    "test-client",
    { num_leads: 3, business_desc: "B2B SaaS companies selling to sales teams" },
    new Date(),
    lifecycleConfig(),
  );
  // Ferdie submits lead 2 first, so its copy is the pool's, whatever the hotkeys' order.
  await submitLeads(ferdie, 10, requestId, [leads[0], leads[1]]);
  await submitLeads(dave, 11, requestId, [leads[1], leads[2]]);
  await Promise.all([
    submitRanking(alice, 0, requestId, [
      [leads[0], 0.9],
      [leads[1], 0.5],
      [leads[2], 0.7],
    ]),
    submitRanking(bob, 1, requestId, [
      [leads[1], 0.8],
      [leads[2], 0.6],
    ]),
  ]);
  const final = await waitForFinal(requestId);
  expect(final.status).toBe("completed");

  // Recomputed from what is stored: the result's leads, the signed submissions and their times.
  const db = adminDb();
  const request = (await db.collection(COLLECTIONS.requests).doc(requestId).get()).data()!;
  const submissions = (
    await db.collection(COLLECTIONS.submissions).where("request_id", "==", requestId).get()
  ).docs.map((d): TimedSubmission => ({
    miner_hotkey: d.get("miner_hotkey"),
    submitted_at_ms: d.get("submitted_at").toMillis(),
    leads: d.get("leads"),
  }));
  const credit = creditMiners(
    request.result.leads,
    timedLeadPool(submissions),
    request.expected_miners,
  );
  const score = (email: string) =>
    request.result.leads.find((l: { email: string }) => l.email === email).normalized_score;
  expect(credit.get(ferdie.address)!.credit).toBeCloseTo(
    score(leads[0].email) + score(leads[1].email),
    12,
  );
  expect(credit.get(dave.address)).toEqual({ credit: score(leads[2].email), leads_credited: 1 });
  expect(credit.get(eve.address)).toEqual({ credit: 0, leads_credited: 0 });

  const run = await cli(["miner-scores", "--json", "--emulator"]);
  expect(run.code).toBe(0);
  const rows = JSON.parse(run.stdout) as {
    hotkey: string;
    uid: number;
    rolling_score: number;
    requests: number;
    total_credit: number;
    leads_credited: number;
  }[];
  expect(rows.map((r) => [r.hotkey, r.uid])).toEqual([
    [ferdie.address, 10],
    [dave.address, 11],
    [eve.address, 12],
  ]);
  for (const r of rows) {
    const c = credit.get(r.hotkey)!;
    expect(r).toMatchObject({ requests: 1, leads_credited: c.leads_credited });
    expect(r.rolling_score).toBeCloseTo(c.credit, 12);
    expect(r.total_credit).toBeCloseTo(c.credit, 12);
  }

  const text = await cli(["miner-scores", "--emulator"]);
  expect(text.stdout.split("\n")[0]).toMatch(/^uid\s+rolling\s+requests/);

  // The validator's weights: registered miners by uid, their rolling scores as bittensor converts.
  const weights = await nodeCli([
    "weights",
    "--netuid",
    "1",
    "--emulator",
    "--uri",
    "//Alice",
    "--json",
  ]);
  expect(weights.stderr).toBe("");
  expect(weights.code).toBe(0);
  const report = JSON.parse(weights.stdout);
  const expected = weightsFromScores(rows.map((r) => ({ uid: r.uid, score: r.rolling_score })));
  expect({ uids: report.uids, weights: report.weights }).toEqual(expected);
  // Eve's zero score is dropped; the best miner gets u16::MAX.
  expect(report.uids).toEqual([10, 11]);
  expect(Math.max(...report.weights)).toBe(65_535);
  expect(report.weights.every((w: number) => Number.isInteger(w) && w > 0 && w <= 65_535)).toBe(
    true,
  );

  // With --chain the subnet's settings apply: MaxWeightsLimit just under a half makes two miners'
  // weights equal (bittensor: a limit of 1/n or less is uniform), WeightsVersionKey is reported.
  const chain = await startStandin({
    subnets: new Map(),
    block: 10,
    commitReveal: new Map([[1, false]]),
    maxWeightsLimit: new Map([[1, 32_767]]),
    versionKey: new Map([[1, 2_001n]]),
  });
  try {
    const capped = await nodeCli([
      ...["weights", "--netuid", "1", "--emulator", "--uri", "//Alice", "--json"],
      ...["--chain", chain.url],
    ]);
    expect(capped.code).toBe(0);
    expect(JSON.parse(capped.stdout)).toMatchObject({
      uids: [10, 11],
      weights: [65_535, 65_535],
      max_weight_limit: 32_767 / 65_535,
      version_key: "2001",
    });
  } finally {
    await chain.close();
  }

  // Where commit-reveal is on (the pallet's default), --set says so and submits nothing.
  const crChain = await startStandin({ subnets: new Map(), block: 10 });
  try {
    const refused = await nodeCli([
      ...["weights", "--netuid", "1", "--emulator", "--uri", "//Alice"],
      ...["--chain", crChain.url, "--set"],
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /netuid 1 has commit-reveal weights enabled .*nothing was submitted/,
    );
    expect(crChain.submitted).toEqual([]);
    expect(crChain.calls.map((c) => c.method)).not.toContain("state_getMetadata");
  } finally {
    await crChain.close();
  }

  // A miner hotkey may not compute weights: sign-in as a validator is refused.
  const asMiner = await nodeCli(["weights", "--netuid", "1", "--emulator", "--uri", "//Ferdie"]);
  expect(asMiner.code).toBe(1);
});
