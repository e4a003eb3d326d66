// Trust tracking against the real emulators: metagraph snapshots synced into the registry, and the
// seed checklist's trust-weighting scenario driven by synced trust values end to end through the
// HTTPS API and the Firestore triggers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeAddress } from "@polkadot/util-crypto";
import { Timestamp } from "firebase-admin/firestore";
import {
  COLLECTIONS,
  MetagraphSnapshotError,
  type MetagraphSnapshot,
  type Neuron,
} from "consensus-core";
import {
  REGISTRY_META_COLLECTION,
  REGISTRY_META_DOC,
  SnapshotSequenceError,
  runScheduledMetagraphSync,
  syncRegistryFromSnapshot,
} from "../../../src/registry/sync";
import { startStandin } from "../../../../core/test/support/subtensor-standin";
import { syncMetagraph } from "../../../src/triggers/schedule";
import {
  adminDb,
  clearFirestore,
  countDocs,
  keypair,
  lead,
  newApiKey,
  postLeads,
  requestDoc,
  submitLeads,
  submitRanking,
  waitFor,
  waitForFinal,
  scaled,
} from "../../support/emulator";

const NETUID = 71;

beforeEach(async () => {
  await clearFirestore();
});

interface NeuronOpts {
  trust?: number;
  permit?: boolean;
  active?: boolean;
  serving?: boolean;
  stake?: number;
}

/** A snapshot neuron for a dev key (//Alice, ...): a validator when it holds a permit. */
async function neuronOf(uri: string, uid: number, o: NeuronOpts = {}): Promise<Neuron> {
  return {
    uid,
    hotkey: (await keypair(uri)).address,
    coldkey: (await keypair(`${uri}//cold`)).address,
    stake: o.stake ?? 1000 + uid,
    validator_trust: o.trust ?? 0,
    validator_permit: o.permit ?? false,
    active: o.active ?? true,
    is_serving: o.serving ?? true,
    axon: { ip: `10.0.0.${uid + 1}`, port: 8091 },
  };
}
const validator = (uri: string, uid: number, trust: number) =>
  neuronOf(uri, uid, { trust, permit: true });
const miner = (uri: string, uid: number) => neuronOf(uri, uid);

const snapshot = (block: number, neurons: Neuron[]): MetagraphSnapshot => ({
  netuid: NETUID,
  block,
  neurons,
});

const registryDoc = async (hotkey: string) =>
  (await adminDb().collection(COLLECTIONS.registry).doc(hotkey).get()).data();

/** What a node's heartbeat does; written directly here because heartbeats come from nodes. */
async function heartbeat(hotkey: string, at: Date = new Date()): Promise<void> {
  await adminDb()
    .collection(COLLECTIONS.registry)
    .doc(hotkey)
    .update({ last_seen: Timestamp.fromDate(at), is_serving: true });
}

/** Every document of every collection, with its update time, so any write at all shows. */
async function dumpAll(): Promise<Record<string, { data: unknown; updated: number }>> {
  const db = adminDb();
  const out: Record<string, { data: unknown; updated: number }> = {};
  for (const col of await db.listCollections()) {
    for (const d of (await col.get()).docs) {
      out[`${col.id}/${d.id}`] = { data: d.data(), updated: d.updateTime.toMillis() };
    }
  }
  return out;
}

async function sync(s: unknown, opts: { force?: boolean; dryRun?: boolean } = {}) {
  adminDb();
  return syncRegistryFromSnapshot(s, new Date(), { source: "test", ...opts });
}

describe("syncRegistryFromSnapshot", () => {
  it("fills an empty registry from the first snapshot and records the sync", async () => {
    const neurons = [
      await validator("//Alice", 0, 0.8),
      await validator("//Bob", 1, 0.2),
      await miner("//Ferdie", 10),
      await neuronOf("//Dave", 11, { active: false, serving: false }),
    ];
    const report = await sync(snapshot(1000, neurons));
    expect(report.added.map((a) => [a.uid, a.role, a.validator_trust])).toEqual(
      expect.arrayContaining([
        [0, "validator", 0.8],
        [1, "validator", 0.2],
        [10, "miner", 0],
        // Not active and no axon: a miner all the same (roleOf).
        [11, "miner", 0],
      ]),
    );
    expect(report).toMatchObject({
      removed: [],
      trust_changed: [],
      updated: [],
      unchanged: [],
      written: 4,
      batches: 1,
      previous: null,
    });

    expect(await countDocs(COLLECTIONS.registry)).toBe(4);
    const alice = await registryDoc(neurons[0].hotkey);
    expect(alice).toEqual({
      hotkey: neurons[0].hotkey,
      uid: 0,
      role: "validator",
      validator_trust: 0.8,
      stake: 1000,
      validator_permit: true,
      is_serving: true,
      // No heartbeat yet: not expected to answer until the node reports in.
      last_seen: null,
      coldkey: neurons[0].coldkey,
      axon: { ip: "10.0.0.1", port: 8091 },
      netuid: NETUID,
      block: 1000,
      synced_at: expect.any(Timestamp),
    });
    // Neither active nor serving an axon: a miner all the same (roleOf).
    expect((await registryDoc(neurons[3].hotkey))!.role).toBe("miner");

    const meta = (
      await adminDb().collection(REGISTRY_META_COLLECTION).doc(REGISTRY_META_DOC).get()
    ).data()!;
    expect(meta).toMatchObject({
      netuid: NETUID,
      block: 1000,
      source: "test",
      counts: { neurons: 4, validators: 2, miners: 2, added: 4, removed: 0, written: 4 },
    });
  });

  it("a second snapshot updates exactly the changed entries and keeps every heartbeat", async () => {
    const alice = await validator("//Alice", 0, 0.8);
    const bob = await validator("//Bob", 1, 0.2);
    const ferdie = await miner("//Ferdie", 10);
    const eve = await miner("//Eve", 11);
    await sync(snapshot(1000, [alice, bob, ferdie, eve]));
    const seen = new Map<string, Date>();
    for (const [i, n] of [alice, bob, ferdie, eve].entries()) {
      seen.set(n.hotkey, new Date(Date.UTC(2026, 10, 26, 10, i)));
      await heartbeat(n.hotkey, seen.get(n.hotkey));
    }
    const before = await dumpAll();

    // Alice's trust moves, Charlie joins as a validator, Ferdie leaves the metagraph.
    const charlie = await validator("//Charlie", 2, 0.5);
    const report = await sync(
      snapshot(1100, [{ ...alice, validator_trust: 0.6 }, bob, eve, charlie]),
    );

    expect(report.added).toEqual([
      { hotkey: charlie.hotkey, uid: 2, role: "validator", validator_trust: 0.5 },
    ]);
    expect(report.removed).toEqual([{ hotkey: ferdie.hotkey, uid: 10, previous_role: "miner" }]);
    expect(report.trust_changed).toEqual([{ hotkey: alice.hotkey, uid: 0, from: 0.8, to: 0.6 }]);
    expect(report.updated).toEqual([{ hotkey: alice.hotkey, uid: 0, fields: ["validator_trust"] }]);
    expect(report.unchanged).toEqual([bob.hotkey, eve.hotkey].sort());
    expect(report.written).toBe(3);
    expect(report.previous).toMatchObject({ netuid: NETUID, block: 1000 });

    const after = await dumpAll();
    // Bob and Eve were not written at all (same update time, same data).
    for (const n of [bob, eve]) {
      const path = `${COLLECTIONS.registry}/${n.hotkey}`;
      expect(after[path]).toEqual(before[path]);
    }
    const a = await registryDoc(alice.hotkey);
    expect(a).toMatchObject({
      validator_trust: 0.6,
      block: 1100,
      is_serving: true,
      role: "validator",
    });
    expect(a!.last_seen.toDate()).toEqual(seen.get(alice.hotkey));
    // Ferdie keeps its document and last heartbeat, but no role and not serving.
    const f = await registryDoc(ferdie.hotkey);
    expect(f).toMatchObject({ role: null, is_serving: false, validator_permit: false, stake: 0 });
    expect(f!.last_seen.toDate()).toEqual(seen.get(ferdie.hotkey));
    const c = await registryDoc(charlie.hotkey);
    expect(c).toMatchObject({ role: "validator", validator_trust: 0.5, last_seen: null });
    expect(await countDocs(COLLECTIONS.registry)).toBe(5);

    // The same snapshot again changes nothing in the registry.
    const again = await sync(
      snapshot(1100, [{ ...alice, validator_trust: 0.6 }, bob, eve, charlie]),
    );
    expect(again.written).toBe(0);
    expect(again.unchanged).toHaveLength(5);
  });

  it("a malformed snapshot changes nothing, and the error names the entry", async () => {
    const neurons = [
      await validator("//Alice", 0, 0.8),
      await validator("//Bob", 1, 0.2),
      await miner("//Ferdie", 10),
      await miner("//Eve", 11),
    ];
    await sync(snapshot(1000, neurons));
    await heartbeat(neurons[0].hotkey);
    const before = await dumpAll();

    // Plenty to change, plus one bad entry: nothing at all may be applied.
    const bad = [
      { ...neurons[0], validator_trust: 0.1 },
      await validator("//Charlie", 2, 0.4),
      neurons[2],
      { ...neurons[3], validator_trust: 1.5 },
    ];
    const err = await sync(snapshot(1100, bad)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetagraphSnapshotError);
    expect((err as Error).message).toContain("neurons[3].validator_trust: must be <= 1");

    const duplicate = [...neurons, { ...neurons[1], uid: 12 }];
    await expect(sync(snapshot(1100, duplicate))).rejects.toThrow(
      "neurons[4].hotkey: duplicate of neurons[1].hotkey",
    );
    await expect(sync({ netuid: NETUID, block: 1100, neurons: "all" })).rejects.toThrow(
      "neurons: must be an array",
    );
    expect(await dumpAll()).toEqual(before);
  });

  it("refuses an older block or another netuid unless forced; a dry run writes nothing", async () => {
    const alice = await validator("//Alice", 0, 0.8);
    await sync(snapshot(1000, [alice]));
    const before = await dumpAll();

    const older = snapshot(999, [{ ...alice, validator_trust: 0.1 }]);
    await expect(sync(older)).rejects.toThrow(SnapshotSequenceError);
    await expect(sync(older)).rejects.toThrow("older than the last synced block 1000");
    await expect(sync({ ...older, block: 2000, netuid: 3 })).rejects.toThrow(
      "snapshot is for netuid 3 but the registry was synced from netuid 71",
    );
    const dry = await sync(snapshot(1001, [{ ...alice, validator_trust: 0.1 }]), { dryRun: true });
    expect(dry).toMatchObject({ dry_run: true, written: 0 });
    expect(dry.trust_changed).toEqual([{ hotkey: alice.hotkey, uid: 0, from: 0.8, to: 0.1 }]);
    expect(await dumpAll()).toEqual(before);

    const forced = await sync(older, { force: true });
    expect(forced.trust_changed).toEqual([{ hotkey: alice.hotkey, uid: 0, from: 0.8, to: 0.1 }]);
    expect((await registryDoc(alice.hotkey))!.validator_trust).toBe(0.1);
  });

  it(
    "applies a snapshot larger than one batch completely",
    async () => {
      const neurons: Neuron[] = Array.from({ length: 1150 }, (_, i) => {
        const key = new Uint8Array(32);
        key[0] = i & 0xff;
        key[1] = i >> 8;
        key[2] = 7;
        return {
          uid: i,
          hotkey: encodeAddress(key, 42),
          coldkey: encodeAddress(new Uint8Array(32).fill(9), 42),
          stake: i,
          validator_trust: i < 64 ? 0.01 : 0,
          validator_permit: i < 64,
          active: true,
          is_serving: i % 2 === 0,
          axon: null,
        };
      });
      const report = await sync(snapshot(5000, neurons));
      expect(report).toMatchObject({ written: 1150, batches: 3, validators: 64, miners: 1086 });
      expect(await countDocs(COLLECTIONS.registry)).toBe(1150);
      const second = await sync(snapshot(5001, neurons));
      expect(second.written).toBe(0);
      expect(second.unchanged).toHaveLength(1150);
    },
    scaled(120_000),
  );
});

describe("trust tracking through the lifecycle", () => {
  let key: string;
  const emails = (leads: { email: string }[]) => leads.map((l) => l.email);

  beforeEach(async () => {
    key = await newApiKey("trust-client");
  });

  async function openRequest(numLeads: number) {
    const res = await postLeads(key, {
      num_leads: numLeads,
      business_desc: "B2B SaaS companies selling to sales teams",
    });
    expect(res.status).toBe(202);
    return res.body as { request_id: string; expected_validators: number };
  }

  it("trust weighting with synced trust: the high-trust validator moves the order, exact scores", async () => {
    const [alice, bob, ferdie] = await Promise.all(
      ["//Alice", "//Bob", "//Ferdie"].map((u) => keypair(u)),
    );
    await sync(
      snapshot(1000, [
        await validator("//Alice", 0, 0.8),
        await validator("//Bob", 1, 0.2),
        await miner("//Ferdie", 10),
      ]),
    );
    for (const p of [alice, bob, ferdie]) await heartbeat(p.address);

    const req = await openRequest(2);
    expect(req.expected_validators).toBe(2);
    const leads = [lead(1), lead(2)];
    await submitLeads(ferdie, 10, req.request_id, leads);
    // Alice prefers lead 2, Bob prefers lead 1.
    await submitRanking(alice, 0, req.request_id, [
      [leads[1], 0.9],
      [leads[0], 0.2],
    ]);
    await submitRanking(bob, 1, req.request_id, [
      [leads[0], 1.0],
      [leads[1], 0.1],
    ]);
    const final = await waitForFinal(req.request_id);
    expect(final.status).toBe("completed");
    expect(final.result.trust_used).toEqual({ [alice.address]: 0.8, [bob.address]: 0.2 });
    expect(final.result.equal_weights).toBe(false);
    expect(emails(final.result.leads)).toEqual([leads[1].email, leads[0].email]);
    expect(final.result.leads[0].consensus_score).toBeCloseTo(0.9 * 0.8 + 0.1 * 0.2, 12); // 0.74
    expect(final.result.leads[1].consensus_score).toBeCloseTo(0.2 * 0.8 + 1.0 * 0.2, 12); // 0.36
    expect(final.result.leads[0].normalized_score).toBeCloseTo(0.74, 12);
  });

  it("a trust change synced between creation and finalisation is the trust used", async () => {
    const [alice, bob, ferdie] = await Promise.all(
      ["//Alice", "//Bob", "//Ferdie"].map((u) => keypair(u)),
    );
    const ferdieNeuron = await miner("//Ferdie", 10);
    await sync(
      snapshot(1000, [
        await validator("//Alice", 0, 0.8),
        await validator("//Bob", 1, 0.2),
        ferdieNeuron,
      ]),
    );
    for (const p of [alice, bob, ferdie]) await heartbeat(p.address);

    const req = await openRequest(2);
    const leads = [lead(1), lead(2)];
    await submitLeads(ferdie, 10, req.request_id, leads);
    const aliceRanking = await submitRanking(alice, 0, req.request_id, [
      [leads[1], 0.9],
      [leads[0], 0.2],
    ]);
    await waitFor(
      "Alice's ranking accepted",
      async () => (await requestDoc(req.request_id))?.status === "processing",
    );

    // The metagraph moves while the request is open: Bob now holds most of the trust.
    const report = await sync(
      snapshot(1010, [
        await validator("//Alice", 0, 0.2),
        await validator("//Bob", 1, 0.8),
        ferdieNeuron,
      ]),
    );
    expect(report.trust_changed).toEqual(
      expect.arrayContaining([
        { hotkey: alice.address, uid: 0, from: 0.8, to: 0.2 },
        { hotkey: bob.address, uid: 1, from: 0.2, to: 0.8 },
      ]),
    );

    await submitRanking(bob, 1, req.request_id, [
      [leads[0], 1.0],
      [leads[1], 0.1],
    ]);
    const final = await waitForFinal(req.request_id);
    expect(final.status).toBe("completed");
    expect(final.result.trust_used).toEqual({ [alice.address]: 0.2, [bob.address]: 0.8 });
    expect(emails(final.result.leads)).toEqual([leads[0].email, leads[1].email]);
    expect(final.result.leads[0].consensus_score).toBeCloseTo(0.2 * 0.2 + 1.0 * 0.8, 12); // 0.84
    expect(final.result.leads[1].consensus_score).toBeCloseTo(0.9 * 0.2 + 0.1 * 0.8, 12); // 0.26
    // The trust noted on Alice's ranking when it arrived was the old one; consensus did not use it.
    expect((await aliceRanking.get()).data()!.validator_trust).toBe(0.8);
  });

  it("a validator whose heartbeat is stale (or missing) is not expected to answer", async () => {
    const [alice, bob, charlie] = await Promise.all(
      ["//Alice", "//Bob", "//Charlie"].map((u) => keypair(u)),
    );
    await sync(
      snapshot(1000, [
        await validator("//Alice", 0, 0.5),
        await validator("//Bob", 1, 0.3),
        await validator("//Charlie", 2, 0.2),
      ]),
    );
    await heartbeat(alice.address);
    // HEARTBEAT_WINDOW_SECONDS is 300 (functions/.env): ten minutes ago is stale.
    await heartbeat(bob.address, new Date(Date.now() - 10 * 60_000));
    // Charlie never reported in (last_seen null since the sync created it).

    const first = await openRequest(1);
    expect(first.expected_validators).toBe(1);
    expect((await requestDoc(first.request_id))!.expected_validators).toEqual([alice.address]);

    await heartbeat(bob.address);
    const second = await openRequest(1);
    expect((await requestDoc(second.request_id))!.expected_validators).toEqual(
      [alice.address, bob.address].sort(),
    );
    expect((await requestDoc(second.request_id))!.expected_validators).not.toContain(
      charlie.address,
    );
  });
});

describe("scheduled syncMetagraph", () => {
  let server: Server;
  let body = "";
  let status = 200;
  let url = "";

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/snapshot.json?token=t`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    delete process.env.METAGRAPH_SNAPSHOT_URL;
    delete process.env.SUBTENSOR_ENDPOINT;
    delete process.env.NETUID;
  });

  it.each(["", "off", " OFF "])(
    "is disabled while METAGRAPH_SNAPSHOT_URL is %j: nothing read or written",
    async (value) => {
      adminDb();
      process.env.METAGRAPH_SNAPSHOT_URL = value;
      expect(await runScheduledMetagraphSync(new Date())).toEqual({ kind: "disabled" });
      await syncMetagraph.run({ scheduleTime: new Date().toISOString() });
      expect(await dumpAll()).toEqual({});
    },
  );

  it("fetches the snapshot from the URL and syncs it (through the scheduled function)", async () => {
    adminDb();
    const alice = await validator("//Alice", 0, 0.7);
    body = JSON.stringify(snapshot(1000, [alice, await miner("//Ferdie", 10)]));
    status = 200;
    process.env.METAGRAPH_SNAPSHOT_URL = url;
    await syncMetagraph.run({ scheduleTime: new Date().toISOString() });
    expect(await registryDoc(alice.hotkey)).toMatchObject({
      role: "validator",
      validator_trust: 0.7,
    });
    const meta = (
      await adminDb().collection(REGISTRY_META_COLLECTION).doc(REGISTRY_META_DOC).get()
    ).data()!;
    expect(meta).toMatchObject({ block: 1000, source: "schedule" });
    // The URL (and its token) is not recorded anywhere.
    expect(JSON.stringify(await dumpAll())).not.toContain("token=t");
  });

  it("reads the chain when SUBTENSOR_ENDPOINT and NETUID are set, the snapshot URL unread", async () => {
    adminDb();
    const owner = (await keypair("//Owner")).address;
    const chain = await startStandin({
      subnets: new Map([
        [
          NETUID,
          [
            {
              hotkey: (await keypair("//Alice")).address,
              coldkey: owner,
              uid: 0,
              active: true,
              axon: { ip: 0n, port: 0, ip_type: 0 },
              stake: 2_000_000_000n,
              validator_trust: 45_875,
              validator_permit: true,
            },
            {
              hotkey: (await keypair("//Ferdie")).address,
              coldkey: owner,
              uid: 10,
              active: false,
              axon: { ip: 0n, port: 0, ip_type: 0 },
              stake: 0n,
              validator_trust: 0,
              validator_permit: false,
            },
          ],
        ],
      ]),
      block: 3000,
    });
    let fetched = 0;
    server.once("request", () => fetched++);
    process.env.METAGRAPH_SNAPSHOT_URL = url;
    process.env.SUBTENSOR_ENDPOINT = `${chain.url}/key`;
    process.env.NETUID = String(NETUID);
    try {
      await syncMetagraph.run({ scheduleTime: new Date().toISOString() });
    } finally {
      await chain.close();
    }
    expect(fetched).toBe(0);
    expect(await registryDoc((await keypair("//Alice")).address)).toMatchObject({
      role: "validator",
      validator_trust: 45_875 / 65_535,
      stake: 2,
      block: 3000,
    });
    // No axon, never sets weights: still a miner.
    expect((await registryDoc((await keypair("//Ferdie")).address))!.role).toBe("miner");
    const meta = (
      await adminDb().collection(REGISTRY_META_COLLECTION).doc(REGISTRY_META_DOC).get()
    ).data()!;
    expect(meta).toMatchObject({ netuid: NETUID, block: 3000, source: "schedule:chain" });
    expect(JSON.stringify(await dumpAll())).not.toContain("/key");
  });

  it("refuses a half-set chain pair and writes nothing", async () => {
    adminDb();
    process.env.SUBTENSOR_ENDPOINT = "ws://127.0.0.1:1";
    await expect(runScheduledMetagraphSync(new Date())).rejects.toThrow(
      "SUBTENSOR_ENDPOINT and NETUID must be set together",
    );
    process.env.NETUID = "seventy";
    await expect(runScheduledMetagraphSync(new Date())).rejects.toThrow(
      'NETUID must be a whole number in 0..65535, got "seventy"',
    );
    expect(await dumpAll()).toEqual({});
  });

  it("a malformed or unavailable snapshot fails the run and changes nothing", async () => {
    adminDb();
    const alice = await validator("//Alice", 0, 0.7);
    await sync(snapshot(1000, [alice]));
    const before = await dumpAll();
    process.env.METAGRAPH_SNAPSHOT_URL = url;

    body = JSON.stringify(snapshot(1100, [{ ...alice, validator_trust: -1 }]));
    status = 200;
    await expect(runScheduledMetagraphSync(new Date())).rejects.toThrow(
      "neurons[0].validator_trust: must be >= 0",
    );
    body = "<html>oops</html>";
    await expect(runScheduledMetagraphSync(new Date())).rejects.toThrow("is not valid JSON");
    status = 503;
    body = "{}";
    await expect(runScheduledMetagraphSync(new Date())).rejects.toThrow("HTTP 503");
    expect(await dumpAll()).toEqual(before);
  });
});
