// The chain reader against a stand-in subtensor node (no chain is reachable from here): SCALE
// decoding from subtensor's type definitions, the mapping onto the snapshot format and roles, the
// errors (unreachable, silent, bad netuid, malformed answer) and the set_weights call bytes.
import { createServer } from "node:net";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, encodeAddress } from "@polkadot/util-crypto";
import { planRegistrySync } from "../../src/metagraph";
import {
  commitRevealStorageKey,
  decodeCommitRevealEnabled,
  decodeNeuronsLite,
  decodeStoredUint,
  netuidStorageKey,
  setWeightsCall,
} from "../../src/subtensor";
import {
  readMetagraphFromChain,
  SubtensorNetuidError,
  SubtensorRpcError,
  SubtensorUnreachableError,
} from "../../src/subtensorRpc";
import {
  encodeNeurons,
  startStandin,
  type Standin,
  type StandinNeuron,
} from "../support/subtensor-standin";

const FAST = { timeoutMs: 1_000, attempts: 2, retryDelayMs: 10 };
let keys: Record<"alice" | "bob" | "charlie" | "dave" | "owner", string>;
let neurons: StandinNeuron[];

beforeAll(async () => {
  await cryptoWaitReady();
  const ring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const addr = (uri: string) => ring.addFromUri(uri).address;
  keys = {
    alice: addr("//Alice"),
    bob: addr("//Bob"),
    charlie: addr("//Charlie"),
    dave: addr("//Dave"),
    owner: addr("//Owner"),
  };
  neurons = [
    // Out of uid order on purpose: the snapshot lists them by uid.
    {
      hotkey: keys.charlie,
      coldkey: keys.owner,
      uid: 2,
      active: false,
      axon: { ip: 0xcb007107n, port: 8091, ip_type: 4 },
      stake: 1_500_000_000n,
      validator_trust: 0,
      validator_permit: false,
    },
    {
      hotkey: keys.alice,
      coldkey: keys.owner,
      uid: 0,
      active: true,
      axon: { ip: 0n, port: 0, ip_type: 0 },
      stake: 12_500_500_000_000n,
      validator_trust: 52_428,
      validator_permit: true,
    },
    {
      hotkey: keys.bob,
      coldkey: keys.owner,
      uid: 1,
      active: true,
      axon: { ip: 0n, port: 0, ip_type: 0 },
      stake: 1_000_000_000_000n,
      validator_trust: 65_535,
      validator_permit: true,
    },
    {
      // A miner as this design runs it: no axon, never sets weights (not active).
      hotkey: keys.dave,
      coldkey: keys.owner,
      uid: 3,
      active: false,
      axon: { ip: 0n, port: 0, ip_type: 0 },
      stake: 0n,
      validator_trust: 0,
      validator_permit: false,
    },
  ];
});

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

describe("readMetagraphFromChain", () => {
  it("reads NeuronInfoLite at the finalized block and maps it onto the snapshot format", async () => {
    standin = await startStandin({ subnets: new Map([[71, neurons]]), block: 4_837_120 });
    const snapshot = await readMetagraphFromChain(standin.url, 71, FAST);
    expect(snapshot).toEqual({
      netuid: 71,
      block: 4_837_120,
      neurons: [
        {
          uid: 0,
          hotkey: keys.alice,
          coldkey: keys.owner,
          stake: 12_500.5,
          validator_trust: 52_428 / 65_535,
          validator_permit: true,
          active: true,
          is_serving: false,
          axon: null,
        },
        {
          uid: 1,
          hotkey: keys.bob,
          coldkey: keys.owner,
          stake: 1_000,
          validator_trust: 1,
          validator_permit: true,
          active: true,
          is_serving: false,
          axon: null,
        },
        {
          uid: 2,
          hotkey: keys.charlie,
          coldkey: keys.owner,
          stake: 1.5,
          validator_trust: 0,
          validator_permit: false,
          active: false,
          is_serving: true,
          axon: { ip: "203.0.113.7", port: 8091 },
        },
        {
          uid: 3,
          hotkey: keys.dave,
          coldkey: keys.owner,
          stake: 0,
          validator_trust: 0,
          validator_permit: false,
          active: false,
          is_serving: false,
          axon: null,
        },
      ],
    });
    // The runtime API call, with the SCALE netuid (71 as a little-endian u16) at the block read.
    const call = standin.calls.find((c) => c.method === "state_call")!;
    expect(call.params).toEqual([
      "NeuronInfoRuntimeApi_get_neurons_lite",
      "0x4700",
      "0x" + (4_837_120).toString(16).padStart(64, "0"),
    ]);
  });

  it("gives every permit holder the validator role and every other neuron the miner role", async () => {
    standin = await startStandin({ subnets: new Map([[71, neurons]]), block: 10 });
    const plan = planRegistrySync([], await readMetagraphFromChain(standin.url, 71, FAST));
    expect(Object.fromEntries(plan.added.map((a) => [a.uid, a.role]))).toEqual({
      0: "validator",
      1: "validator",
      2: "miner",
      3: "miner",
    });
  });

  it("reads a full subnet in one answer: 1024 neurons (finney subnets hold at most 256)", async () => {
    const many: StandinNeuron[] = Array.from({ length: 1024 }, (_, uid) => ({
      ...neurons[uid % neurons.length],
      hotkey: encodeAddress(
        new Uint8Array(32).fill(0).map((_, i) => (i < 2 ? (uid >> (8 * i)) & 0xff : 7)),
        42,
      ),
      uid,
      validator_permit: uid < 64,
    }));
    standin = await startStandin({ subnets: new Map([[5, many]]), block: 99 });
    // The stand-in encodes 1024 neurons per call, which takes a loaded machine a while.
    const snapshot = await readMetagraphFromChain(standin.url, 5, {
      timeoutMs: 30_000,
      attempts: 1,
    });
    expect(snapshot.neurons).toHaveLength(1024);
    expect(snapshot.neurons.map((n) => n.uid)).toEqual([...Array(1024).keys()]);
    const plan = planRegistrySync([], snapshot);
    expect([plan.validators, plan.miners]).toEqual([64, 960]);
  }, 60_000);

  it("names a netuid the chain does not have", async () => {
    standin = await startStandin({ subnets: new Map([[71, neurons]]), block: 10 });
    const read = readMetagraphFromChain(standin.url, 72, FAST);
    await expect(read).rejects.toThrow(SubtensorNetuidError);
    await expect(readMetagraphFromChain(standin.url, 72, FAST)).rejects.toThrow(
      /netuid 72 does not exist on ws:\/\/127\.0\.0\.1:\d+ at block 10/,
    );
  });

  it.each([
    ["bytes that are not a Vec<NeuronInfoLite>", "0x0812", /not a SCALE Vec<NeuronInfoLite>/],
    ["a Vec with bytes left over", "extra", /decoding used \d+ of \d+ bytes/],
    ["not hex", "neurons", /malformed: must be 0x-prefixed hex bytes/],
  ])("refuses a malformed answer: %s", async (_what, result, message) => {
    standin = await startStandin({
      subnets: new Map([[71, neurons]]),
      block: 10,
      override: (method) =>
        method !== "state_call"
          ? null
          : { result: result === "extra" ? encodeNeurons(71, neurons) + "00" : result },
    });
    const read = readMetagraphFromChain(standin.url, 71, FAST);
    await expect(read).rejects.toThrow(SubtensorRpcError);
    await expect(readMetagraphFromChain(standin.url, 71, FAST)).rejects.toThrow(message);
  });

  it("passes on a node's error answer without retrying it", async () => {
    standin = await startStandin({
      subnets: new Map(),
      block: 10,
      override: (method) =>
        method === "state_call" ? { error: { code: -32000, message: "Execution failed" } } : null,
    });
    await expect(readMetagraphFromChain(standin.url, 71, FAST)).rejects.toThrow(
      /state_call on ws:\/\/127\.0\.0\.1:\d+ failed: -32000: Execution failed/,
    );
    expect(standin.calls.filter((c) => c.method === "state_call")).toHaveLength(1);
  });

  it("retries a call that gets no answer, then says the endpoint did not answer", async () => {
    standin = await startStandin({
      subnets: new Map([[71, neurons]]),
      block: 10,
      override: (method) => (method === "chain_getFinalizedHead" ? { result: "__drop__" } : null),
    });
    await expect(readMetagraphFromChain(standin.url, 71, FAST)).rejects.toThrow(
      /chain_getFinalizedHead on ws:\/\/127\.0\.0\.1:\d+ did not answer after 2 attempt\(s\)/,
    );
    expect(standin.calls.filter((c) => c.method === "chain_getFinalizedHead")).toHaveLength(2);
  });

  it("says so when nothing listens at the endpoint", async () => {
    // A port that was free a moment ago.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const read = readMetagraphFromChain(`ws://127.0.0.1:${port}/key-in-path`, 71, FAST);
    await expect(read).rejects.toThrow(SubtensorUnreachableError);
    await expect(
      readMetagraphFromChain(`ws://127.0.0.1:${port}/key-in-path`, 71, FAST),
    ).rejects.toThrow(
      new RegExp(`^cannot reach the subtensor endpoint ws://127\\.0\\.0\\.1:${port} after 2`),
    );
  });

  it("refuses an endpoint that is not ws(s)", async () => {
    await expect(readMetagraphFromChain("https://example.org", 71, FAST)).rejects.toThrow(
      /must be a ws:\/\/ or wss:\/\/ URL/,
    );
  });
});

describe("decodeNeuronsLite", () => {
  it("round-trips what subtensor's types encode", () => {
    const decoded = decodeNeuronsLite(encodeNeurons(9, neurons.slice(0, 1)));
    expect(decoded).toEqual([
      {
        hotkey: keys.charlie,
        coldkey: keys.owner,
        uid: 2,
        netuid: 9,
        active: false,
        axon: { ip: 0xcb007107n, port: 8091, ip_type: 4 },
        stake: [1_500_000_000n],
        validator_trust: 0,
        validator_permit: false,
        last_update: 90n,
      },
    ]);
    expect(decodeNeuronsLite("0x00")).toEqual([]);
  });
});

describe("setWeightsCall", () => {
  it("encodes SubtensorModule (7) set_weights (0) with netuid, dests, weights and version_key", () => {
    expect(setWeightsCall(71, [2, 3], [65_535, 32_768], 7n)).toBe(
      "0x0700" + // pallet 7, call 0
        "4700" + // netuid 71, u16 LE
        "08" +
        "0200" +
        "0300" + // Vec<u16> dests: compact length 2
        "08" +
        "ffff" +
        "0080" + // Vec<u16> weights
        "0700000000000000", // version_key u64 LE
    );
    expect(() => setWeightsCall(1, [1], [], 0)).toThrow(/differ in length/);
  });
});

describe("CommitRevealWeightsEnabled", () => {
  it("keys the map by twox128 prefixes and the raw netuid; absent means the default, true", () => {
    const key = commitRevealStorageKey(71);
    // twox128("SubtensorModule") is the pallet prefix every SubtensorModule storage key starts with.
    expect(key.startsWith("0x658faa385070e074c85bf6b568cf0555")).toBe(true);
    expect(key.endsWith("4700")).toBe(true);
    expect(key).toHaveLength(2 + 2 * (16 + 16 + 2));
    expect(decodeCommitRevealEnabled(null)).toBe(true);
    expect(decodeCommitRevealEnabled("0x00")).toBe(false);
    expect(decodeCommitRevealEnabled("0x01")).toBe(true);
    expect(() => decodeCommitRevealEnabled("0x02")).toThrow(/not a SCALE bool/);
  });
});

describe("MaxWeightsLimit and WeightsVersionKey", () => {
  it("share the netuid-keyed layout and decode as little-endian integers with their defaults", () => {
    const limit = netuidStorageKey("MaxWeightsLimit", 1);
    const version = netuidStorageKey("WeightsVersionKey", 1);
    expect(limit.slice(0, 34)).toBe(version.slice(0, 34));
    expect(limit).not.toBe(version);
    expect(limit.endsWith("0100")).toBe(true);
    expect(decodeStoredUint("MaxWeightsLimit", "0xff7f", 2, 65_535n)).toBe(32_767n);
    expect(decodeStoredUint("MaxWeightsLimit", null, 2, 65_535n)).toBe(65_535n);
    expect(decodeStoredUint("WeightsVersionKey", "0x0807060504030201", 8, 0n)).toBe(
      0x0102030405060708n,
    );
    expect(() => decodeStoredUint("WeightsVersionKey", "0x01", 8, 0n)).toThrow(/not a SCALE u64/);
  });
});
