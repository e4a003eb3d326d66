// Real node processes (`node node/lib/cli.js validator|miner|request ... --emulator`) serving lead
// requests end to end against the Functions, Firestore and Auth emulators and the real rules.
import { COLLECTIONS } from "consensus-core";
import {
  adminDb,
  clearFirestore,
  getStatus,
  newApiKey,
  postLeads,
  requestDoc,
  seedRegistry,
  waitFor,
  scaled,
} from "../../../functions/test/support/emulator";
import { short } from "../../src/runtime/log";
import { kill, killAll, startCli, startListening, startNode } from "../support/processes";

// Three leads: the shared pool holds four that fit this description under the narrow SaaS reading.
const DESC = "B2B SaaS companies selling software to sales teams in the US";
let key: string;
let alice: string;
let bob: string;
let ferdie: string;

beforeEach(async () => {
  await clearFirestore();
  key = await newApiKey();
  const pairs = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  [alice, bob, ferdie] = pairs.map((p) => p.address);
});

afterEach(async () => {
  await killAll();
});

async function openRequest(numLeads = 3): Promise<string> {
  const res = await postLeads(key, { num_leads: numLeads, business_desc: DESC });
  expect(res.status).toBe(202);
  return res.body.request_id as string;
}

/** Polls the HTTP status endpoint (as a client would) until the request is final. */
async function waitForCompletion(requestId: string, timeoutMs = scaled(40_000)) {
  return waitFor(
    `request ${requestId} to finish`,
    async () => {
      const res = await getStatus(key, requestId);
      return res.body.status === "completed" || res.body.status === "failed" ? res.body : undefined;
    },
    timeoutMs,
  );
}

async function rankingsBy(requestId: string, hotkey: string) {
  const snap = await adminDb()
    .collection(COLLECTIONS.rankings)
    .where("request_id", "==", requestId)
    .where("validator_hotkey", "==", hotkey)
    .get();
  return snap.docs.map((d) => d.data());
}

function expectConsensus(status: any, numLeads: number) {
  expect(status.status).toBe("completed");
  expect(status.validators).toEqual({ answered: 2, expected: 2 });
  expect(status.leads).toHaveLength(numLeads);
  for (const l of status.leads) {
    expect(l.c_validator_hotkey).toBe("CONSENSUS");
    expect(l.consensus_score).toBeGreaterThan(0);
  }
  expect(status.leads.map((l: any) => l.rank)).toEqual(
    Array.from({ length: numLeads }, (_, i) => i + 1),
  );
}

async function expectBothParticipated(requestId: string) {
  const doc = await requestDoc(requestId);
  expect(doc!.result.participants).toEqual([alice, bob].sort());
  expect(doc!.result.timed_out).toEqual([]);
  expect(doc!.finalize_count).toBe(1);
  for (const v of [alice, bob]) {
    const rankings = await rankingsBy(requestId, v);
    expect(rankings).toHaveLength(1);
    expect(rankings[0].verification.status).toBe("accepted");
  }
  const sub = await adminDb()
    .collection(COLLECTIONS.submissions)
    .doc(`${requestId}_${ferdie}`)
    .get();
  expect(sub.data()!.verification.status).toBe("accepted");
}

test("two validators and a miner serve a request end to end", async () => {
  const [a, b, f] = await startListening(
    ["validator", "//Alice"],
    ["validator", "//Bob"],
    ["miner", "//Ferdie"],
  );
  await a.waitFor(/trust 0\.6$/);
  await b.waitFor(/trust 0\.4$/);
  const id = await openRequest(3);
  const status = await waitForCompletion(id);
  expectConsensus(status, 3);
  await expectBothParticipated(id);
  // Miner: sourcing paused, then a signed submission; validators: collected, ranked, once each.
  await f.waitFor(new RegExp(`request ${short(id)}: submitted \\d+ leads`));
  expect(f.output()).toContain(`request ${short(id)}: sourcing paused`);
  for (const v of [a, b]) {
    // The only expected miner submitted: no need to wait for the silence bound.
    await v.waitFor(new RegExp(`request ${short(id)}: ranked \\d+ leads .*stop=all_answered`));
  }
  // Every expected validator answered (the only expected miner having submitted), so the request
  // closed on its quorum, before its deadline.
  const final = (await requestDoc(id))!;
  expect(final.result.finalized_by).toBe("quorum");
  expect(final.finalized_at.toMillis()).toBeLessThan(final.validator_deadline.toMillis());
  // When the request closes, the miner resumes sourcing.
  await f.waitFor(/sourcing resumed/);
  // Never a secret in the logs.
  for (const p of [a, b, f]) {
    expect(p.output()).not.toMatch(/\/\/Alice|\/\/Bob|\/\/Ferdie|0x[0-9a-f]{128}|eyJ/);
  }
});

test("the client command polls the status endpoint and prints the leads table", async () => {
  await startListening(["validator", "//Alice"], ["validator", "//Bob"], ["miner", "//Ferdie"]);
  const client = startCli("client", [
    "request",
    "--key",
    key,
    "--num",
    "3",
    "--desc",
    DESC,
    "--emulator",
  ]);
  const { code } = await client.exit;
  const out = client.output();
  expect(code).toBe(0);
  // The progress lines it printed follow the round; how many a fast or slow round shows before
  // completing depends on timing, so only their shape and order are asserted.
  const progress = client.lines.filter((l) => /validators answered/.test(l));
  expect(progress.at(-1)).toMatch(/^request [0-9a-f-]{36} completed: validators answered 2\/2$/);
  for (const line of progress.slice(0, -1)) {
    expect(line).toMatch(
      /^request [0-9a-f-]{36} (pending|processing): validators answered [0-2]\/2$/,
    );
  }
  const answered = progress.map((l) => Number(/answered (\d)\//.exec(l)![1]));
  expect(answered).toEqual([...answered].sort());
  expect(out).toMatch(/RANK +SCORE +BUSINESS +NAME +ROLE +EMAIL +INDUSTRY +REGION/);
  const rows = client.lines.filter((l) => /^ +[123] +0\.\d{4} /.test(l));
  expect(rows).toHaveLength(3);

  const bad = startCli("client", [
    "request",
    "--key",
    key,
    "--num",
    "0",
    "--desc",
    "x",
    "--emulator",
  ]);
  expect((await bad.exit).code).toBe(2);
  const refused = startCli("client", [
    "request",
    "--key",
    "lpk_not_a_key",
    "--num",
    "3",
    "--desc",
    DESC,
    "--emulator",
  ]);
  expect((await refused.exit).code).toBe(1);
  expect(refused.output()).toContain("HTTP 401 unauthenticated");
});

test("nodes started after the request was created still serve it; unexpected validators skip it", async () => {
  // Eve is registered but not serving when the request is created, so it is not expected.
  const [eve] = await seedRegistry([{ uri: "//Eve", uid: 2, serving: false }]);
  const id = await openRequest(4);
  expect((await requestDoc(id))!.expected_validators).toEqual([alice, bob].sort());
  const [, , , e] = await startListening(
    ["validator", "//Alice"],
    ["validator", "//Bob"],
    ["miner", "//Ferdie"],
    ["validator", "//Eve"],
  );
  const status = await waitForCompletion(id);
  expectConsensus(status, 4);
  await expectBothParticipated(id);
  await e.waitFor(new RegExp(`request ${short(id)}: not among its expected validators`));
  expect(await rankingsBy(id, eve.address)).toHaveLength(0);
});

test("a validator killed mid-request and restarted still completes it", async () => {
  const [b, f] = await startListening(["validator", "//Bob"], ["miner", "//Ferdie"]);
  // Dave is expected (fresh heartbeat) but runs no node, so validators wait for their caps; Alice
  // collects for 15 s after the first submission, so the kill lands mid-request.
  await seedRegistry([{ uri: "//Dave", uid: 11, role: "miner" }]);
  const slow = ["--wait-after-first", "15000", "--settle-ms", "15000"];
  const [a1] = await startListening(["validator", "//Alice", slow]);
  const id = await openRequest(3);
  await a1.waitFor(new RegExp(`request ${short(id)}: collecting submissions`));
  await f.waitFor(new RegExp(`request ${short(id)}: submitted`));
  await b.waitFor(new RegExp(`request ${short(id)}: ranked`));
  await kill(a1, "SIGKILL");
  expect(await rankingsBy(id, alice)).toHaveLength(0);
  expect((await requestDoc(id))!.status).not.toBe("completed");

  const a2 = startNode("validator", "//Alice");
  const status = await waitForCompletion(id);
  expectConsensus(status, 3);
  await expectBothParticipated(id);
  await a2.waitFor(new RegExp(`request ${short(id)}: ranked \\d+ leads`));
  expect(a1.output()).not.toMatch(new RegExp(`request ${short(id)}: ranked`));
});

test(
  "a validator killed after ranking finds its ranking on restart and does not write again",
  async () => {
    // Bob takes 40 s (waiting for Dave, an expected miner that runs no node), so the request is still
    // open when Alice and Ferdie come back, even on a loaded machine.
    await seedRegistry([{ uri: "//Dave", uid: 11, role: "miner" }]);
    const slow = ["--wait-after-first", "40000", "--settle-ms", "40000"];
    const [a1, , f] = await startListening(
      ["validator", "//Alice"],
      ["validator", "//Bob", slow],
      ["miner", "//Ferdie"],
    );
    const id = await openRequest(3);
    await a1.waitFor(new RegExp(`request ${short(id)}: ranked`));
    await f.waitFor(new RegExp(`request ${short(id)}: submitted`));
    await kill(a1, "SIGKILL");
    const first = await rankingsBy(id, alice);
    expect(first).toHaveLength(1);

    const a2 = startNode("validator", "//Alice");
    await a2.waitFor(new RegExp(`request ${short(id)}: ranking already written, nothing to do`));
    // The miner, restarted too, finds its submission.
    await kill(f, "SIGKILL");
    const f2 = startNode("miner", "//Ferdie");
    await f2.waitFor(new RegExp(`request ${short(id)}: submission already written, nothing to do`));

    const status = await waitForCompletion(id, scaled(90_000));
    expectConsensus(status, 3);
    await expectBothParticipated(id);
    const after = await rankingsBy(id, alice);
    expect(after).toHaveLength(1);
    expect(after[0].submitted_at.isEqual(first[0].submitted_at)).toBe(true);
    expect(a2.output()).not.toMatch(new RegExp(`request ${short(id)}: ranked`));
  },
  scaled(150_000),
);

test("a validator that sees no submission by its bound writes no ranking", async () => {
  // With nothing submitted it waits until the deadline margin: 88 s of a 90 s deadline is 2 s in.
  const [a] = await startListening(["validator", "//Alice", ["--deadline-margin-ms", "88000"]]);
  const id = await openRequest(3);
  await a.waitFor(
    new RegExp(`request ${short(id)}: no submission arrived, not ranking .*stop=deadline`),
  );
  expect(await rankingsBy(id, alice)).toHaveLength(0);
  expect((await requestDoc(id))!.status).toBe("pending");
});

test("heartbeats, trust updates and a clean shutdown on SIGTERM", async () => {
  const longAgo = new Date(Date.now() - 10 * 60_000);
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.6, lastSeen: longAgo, serving: false }]);
  const registry = adminDb().collection(COLLECTIONS.registry).doc(alice);
  const [a] = await startListening(["validator", "//Alice", ["--heartbeat-ms", "5000"]]);
  await a.waitFor(/trust 0\.6$/);
  const first = (await registry.get()).data()!;
  expect(first.is_serving).toBe(true);
  expect(first.last_seen.toMillis()).toBeGreaterThan(longAgo.getTime());
  // The next heartbeat 5 s later moves last_seen on.
  await waitFor(
    "a second heartbeat",
    async () => {
      const d = (await registry.get()).data()!;
      return d.last_seen.toMillis() > first.last_seen.toMillis() + 3_000;
    },
    12_000,
  );

  await registry.update({ validator_trust: 0.9 });
  await a.waitFor(/trust 0\.9$/);

  a.child.kill("SIGTERM");
  const { code } = await a.exit;
  expect(code).toBe(0);
  expect(a.output()).toMatch(/marked not serving/);
  const last = (await registry.get()).data()!;
  expect(last.is_serving).toBe(false);
  expect(last.validator_trust).toBe(0.9);
  expect(last.uid).toBe(0);
  expect(last.last_seen.toMillis()).toBeGreaterThanOrEqual(first.last_seen.toMillis());
});

test("a node that cannot sign in exits 1 with the server's reason", async () => {
  const charlie = startNode("miner", "//Charlie");
  const { code } = await charlie.exit;
  expect(code).toBe(1);
  expect(charlie.output()).toMatch(/HTTP 403 not_registered: hotkey is not registered/);
  const wrongRole = startNode("validator", "//Ferdie");
  expect((await wrongRole.exit).code).toBe(1);
  expect(wrongRole.output()).toMatch(/HTTP 403 role_not_allowed/);
  const keyless = startCli("node", ["validator", "--emulator"]);
  expect((await keyless.exit).code).toBe(2);
  expect(keyless.output()).toContain(
    "no hotkey: give --uri, --mnemonic-env, --key-file or a btcli wallet (--wallet.name ...)",
  );
});
