// Firestore taken away from running nodes and given back: real validator and miner processes
// reach the Firestore emulator through a TCP proxy the test cuts (every connection reset, every
// reconnection dropped) and restores, while the API and its triggers keep their own connection.
// The nodes must notice, reconnect, serve the requests that opened meanwhile, and write each of
// their documents once.
import { COLLECTIONS } from "consensus-core";
import {
  adminDb,
  clearFirestore,
  newApiKey,
  postLeads,
  seedRegistry,
  waitFor,
  waitForFinal,
  scaled,
} from "../../../functions/test/support/emulator";
import { killAll, startListening, type NodeProcess } from "../support/processes";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const DESC = "B2B SaaS companies selling software to sales teams in the US";
const BEAT = ["--heartbeat-ms", "5000"];

let proxy: TcpProxy;
let nodes: NodeProcess[];
let hotkeys: { alice: string; bob: string; ferdie: string };
let key: string;

beforeEach(async () => {
  await clearFirestore();
  const pairs = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  hotkeys = { alice: pairs[0].address, bob: pairs[1].address, ferdie: pairs[2].address };
  key = await newApiKey("outage-client");
  proxy = await startTcpProxy(process.env.FIRESTORE_EMULATOR_HOST!);
  const env = { FIRESTORE_EMULATOR_HOST: proxy.address };
  nodes = await startListening(
    ["validator", "//Alice", BEAT, env],
    ["validator", "//Bob", BEAT, env],
    ["miner", "//Ferdie", BEAT, env],
  );
});

afterEach(async () => {
  await killAll();
  await proxy.close();
});

/** Runs `change`, then waits until every node logs a line matching `pattern` after it. */
async function everyNodeLogs(change: () => void, pattern: RegExp, timeoutMs: number) {
  const before = nodes.map((n) => n.lines.length);
  change();
  await Promise.all(
    nodes.map((n, i) =>
      waitFor(
        `${n.name} to log ${pattern}`,
        async () => n.lines.slice(before[i]).some((l) => pattern.test(l)),
        timeoutMs,
      ),
    ),
  );
}

/** Cuts Firestore away until every node has reported the lost connection. */
const outage = () =>
  everyNodeLogs(() => proxy.cut(), /lost the connection to Firestore/, scaled(30_000));

/** Restores Firestore and waits until every node says it is back. */
const restore = () =>
  everyNodeLogs(() => proxy.restore(), /connection to Firestore restored/, scaled(60_000));

/** Every document the nodes wrote for a request, by writer. */
async function writtenBy(requestId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [collection, field] of [
    [COLLECTIONS.rankings, "validator_hotkey"],
    [COLLECTIONS.submissions, "miner_hotkey"],
    [COLLECTIONS.declines, "miner_hotkey"],
  ]) {
    const snap = await adminDb().collection(collection).where("request_id", "==", requestId).get();
    for (const d of snap.docs) {
      const who = String(d.get(field));
      counts[who] = (counts[who] ?? 0) + 1;
    }
  }
  return counts;
}

/** The round finished by quorum with both validators, and each node wrote exactly one document. */
async function expectServedOnce(requestId: string): Promise<void> {
  const final = await waitForFinal(requestId, scaled(90_000));
  expect(final.status).toBe("completed");
  expect(final.result.finalized_by).toBe("quorum");
  expect([...final.result.participants].sort()).toEqual([hotkeys.alice, hotkeys.bob].sort());
  expect(await writtenBy(requestId)).toEqual({
    [hotkeys.alice]: 1,
    [hotkeys.bob]: 1,
    [hotkeys.ferdie]: 1,
  });
  // Nothing was refused as a second write, and no node gave up on the request.
  for (const n of nodes) {
    expect(n.output()).not.toMatch(/PERMISSION_DENIED|permission-denied/);
    expect(n.exited).toBe(false);
  }
}

test(
  "a request opened while the nodes have no Firestore is served once they reconnect",
  async () => {
    await outage();
    const posted = await postLeads(key, { num_leads: 2, business_desc: DESC });
    expect(posted.status).toBe(202);
    // The nodes were live a beat before the cut: the request expects both validators.
    expect(posted.body.expected_validators).toBe(2);
    // They kept trying to reconnect while cut off.
    await waitFor(
      "a reconnection attempt during the outage",
      async () => proxy.dropped > 0,
      scaled(30_000),
    );
    await restore();
    await expectServedOnce(posted.body.request_id);
  },
  scaled(240_000),
);

test(
  "Firestore cut in the middle of a round: the round completes once, nothing written twice",
  async () => {
    const posted = await postLeads(key, { num_leads: 2, business_desc: DESC });
    expect(posted.status).toBe(202);
    const id = posted.body.request_id;
    // Cut as soon as the miner's submission is in: the validators are collecting or ranking.
    await waitFor(
      "the miner's submission",
      async () =>
        !(await adminDb().collection(COLLECTIONS.submissions).where("request_id", "==", id).get())
          .empty,
      60_000,
    );
    await outage();
    await restore();
    await expectServedOnce(id);
    // A new round after the outage runs as usual.
    const next = await postLeads(key, { num_leads: 2, business_desc: DESC });
    await expectServedOnce(next.body.request_id);
  },
  scaled(240_000),
);
