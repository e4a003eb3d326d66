// The admin CLI reading the metagraph from a chain: `sync-metagraph --chain` and
// `export-metagraph` against a stand-in subtensor node started by the test (no chain is reachable
// from here). A sync from the chain must leave the registry exactly as syncing the equivalent
// snapshot file does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLLECTIONS, type MetagraphSnapshot } from "consensus-core";
import {
  startStandin,
  type Standin,
  type StandinNeuron,
} from "../../../../core/test/support/subtensor-standin";
import { REGISTRY_META_COLLECTION, REGISTRY_META_DOC } from "../../../src/registry/sync";
import { cli, requireBuiltCli } from "../../support/admin-cli";
import { adminDb, clearFirestore, countDocs, keypair } from "../../support/emulator";

const NETUID = 71;
let dir: string;
let standin: Standin | undefined;
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), "chain-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearFirestore);
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

interface Spec {
  uri: string;
  uid: number;
  trust: number;
  permit: boolean;
  active: boolean;
  rao: bigint;
  axon: [number, number, number, number, number] | null;
}
const SPECS: Spec[] = [
  {
    uri: "//Alice",
    uid: 0,
    trust: 52_428,
    permit: true,
    active: true,
    rao: 12_500_500_000_000n,
    axon: null,
  },
  {
    uri: "//Bob",
    uid: 1,
    trust: 65_535,
    permit: true,
    active: true,
    rao: 1_000_000_000_000n,
    axon: [203, 0, 113, 7, 8091],
  },
  // Miners as this design runs them: no axon, not active (they never set weights).
  {
    uri: "//Charlie",
    uid: 2,
    trust: 0,
    permit: false,
    active: false,
    rao: 1_500_000_000n,
    axon: null,
  },
  { uri: "//Dave", uid: 3, trust: 0, permit: false, active: false, rao: 0n, axon: null },
];

async function chainNeurons(): Promise<StandinNeuron[]> {
  const owner = (await keypair("//Owner")).address;
  return Promise.all(
    SPECS.map(async (s) => ({
      hotkey: (await keypair(s.uri)).address,
      coldkey: owner,
      uid: s.uid,
      active: s.active,
      axon: s.axon
        ? {
            ip:
              BigInt((s.axon[0] << 24) >>> 0) +
              BigInt((s.axon[1] << 16) | (s.axon[2] << 8) | s.axon[3]),
            port: s.axon[4],
            ip_type: 4,
          }
        : { ip: 0n, port: 0, ip_type: 0 },
      stake: s.rao,
      validator_trust: s.trust,
      validator_permit: s.permit,
    })),
  );
}

/** The same metagraph written by hand in the snapshot format (docs/metagraph-snapshot.md). */
async function equivalentSnapshot(block: number): Promise<MetagraphSnapshot> {
  const owner = (await keypair("//Owner")).address;
  return {
    netuid: NETUID,
    block,
    neurons: await Promise.all(
      SPECS.map(async (s) => ({
        uid: s.uid,
        hotkey: (await keypair(s.uri)).address,
        coldkey: owner,
        stake: Number(s.rao) / 1e9,
        validator_trust: s.trust / 65_535,
        validator_permit: s.permit,
        active: s.active,
        is_serving: s.axon !== null,
        axon: s.axon ? { ip: s.axon.slice(0, 4).join("."), port: s.axon[4] } : null,
      })),
    ),
  };
}

/** The registry and the sync record, without the wall-clock fields. */
async function registryState() {
  const db = adminDb();
  const docs = (await db.collection(COLLECTIONS.registry).get()).docs;
  const meta = (await db.collection(REGISTRY_META_COLLECTION).doc(REGISTRY_META_DOC).get()).data();
  const { synced_at: _at, source: _source, ...metaRest } = meta ?? {};
  return {
    registry: Object.fromEntries(
      docs.map((d) => {
        const { synced_at: _syncedAt, ...rest } = d.data();
        return [d.id, rest];
      }),
    ),
    meta: metaRest,
  };
}

test("sync-metagraph --chain fills the registry exactly as the equivalent snapshot file does", async () => {
  standin = await startStandin({ subnets: new Map([[NETUID, await chainNeurons()]]), block: 5000 });
  const file = join(dir, "snapshot.json");
  writeFileSync(file, JSON.stringify(await equivalentSnapshot(5000)));

  const fromFile = await cli(["sync-metagraph", "--file", file, "--emulator", "--json"]);
  expect(fromFile.stderr).toBe("");
  expect(fromFile.code).toBe(0);
  const viaFile = await registryState();
  expect(Object.keys(viaFile.registry)).toHaveLength(4);

  await clearFirestore();
  const fromChain = await cli([
    "sync-metagraph",
    "--chain",
    standin.url,
    "--netuid",
    String(NETUID),
    "--emulator",
    "--json",
  ]);
  expect(fromChain.stderr).toBe("");
  expect(fromChain.code).toBe(0);
  expect(await registryState()).toEqual(viaFile);

  const report = JSON.parse(fromChain.stdout);
  expect(report).toMatchObject({
    netuid: NETUID,
    block: 5000,
    validators: 2,
    miners: 2,
    written: 4,
  });
  expect(Object.fromEntries(Object.values(viaFile.registry).map((e) => [e.uid, e.role]))).toEqual({
    0: "validator",
    1: "validator",
    2: "miner",
    3: "miner",
  });
  expect(standin.calls.map((c) => c.method)).toEqual([
    "chain_getFinalizedHead",
    "chain_getHeader",
    "state_call",
  ]);
});

test("export-metagraph writes the chain's metagraph in the snapshot format; --dry-run writes nothing", async () => {
  standin = await startStandin({ subnets: new Map([[NETUID, await chainNeurons()]]), block: 6000 });
  const out = join(dir, "exported.json");
  const run = await cli([
    "export-metagraph",
    "--chain",
    standin.url,
    "--netuid",
    String(NETUID),
    "--out",
    out,
  ]);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/Wrote .*exported\.json: netuid 71, block 6000, 4 neurons/);
  expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(await equivalentSnapshot(6000));

  const dry = await cli([
    "sync-metagraph",
    "--chain",
    standin.url,
    "--netuid",
    String(NETUID),
    "--emulator",
    "--dry-run",
  ]);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/dry run/);
  expect(await countDocs(COLLECTIONS.registry)).toBe(0);
});

test("a chain block older than the last applied one is refused", async () => {
  standin = await startStandin({ subnets: new Map([[NETUID, await chainNeurons()]]), block: 7000 });
  const args = ["sync-metagraph", "--chain", standin.url, "--netuid", String(NETUID), "--emulator"];
  expect((await cli(args)).code).toBe(0);
  await standin.close();
  standin = await startStandin({ subnets: new Map([[NETUID, await chainNeurons()]]), block: 6999 });
  const stale = await cli([...args.slice(0, 2), standin.url, ...args.slice(3)]);
  expect(stale.code).toBe(1);
  expect(stale.stderr).toMatch(/snapshot block 6999 is older than the last synced block 7000/);
});

test("a netuid the chain does not have, and an endpoint nobody answers, fail clearly and write nothing", async () => {
  standin = await startStandin({ subnets: new Map([[NETUID, await chainNeurons()]]), block: 100 });
  const missing = await cli([
    "sync-metagraph",
    "--chain",
    standin.url,
    "--netuid",
    "72",
    "--emulator",
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(
    /error: netuid 72 does not exist on ws:\/\/127\.0\.0\.1:\d+ at block 100/,
  );
  const url = standin.url;
  await standin.close();
  standin = undefined;
  const down = await cli(["export-metagraph", "--chain", `${url}/secret-key`, "--netuid", "71"]);
  expect(down.code).toBe(1);
  expect(down.stderr).toMatch(
    /error: cannot reach the subtensor endpoint ws:\/\/127\.0\.0\.1:\d+ after 3/,
  );
  expect(down.stderr).not.toContain("secret-key");
  expect(await countDocs(COLLECTIONS.registry)).toBe(0);
});

test("usage: --chain needs --netuid, and not with --file", async () => {
  const noNetuid = await cli(["sync-metagraph", "--chain", "ws://127.0.0.1:1", "--emulator"]);
  expect(noNetuid.code).toBe(2);
  expect(noNetuid.stderr).toMatch(/sync-metagraph: --netuid <n> is required/);
  const both = await cli(["sync-metagraph", "--chain", "ws://x", "--file", "f.json"]);
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/give --file or --chain, not both/);
});
