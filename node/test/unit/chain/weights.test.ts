// The weight settings read from the chain's storage (against the stand-in subtensor node) and the
// report the weights command prints.
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { SubtensorClient, setWeightsCall } from "consensus-core";
import { startStandin, type Standin } from "../../../../core/test/support/subtensor-standin";
import {
  computeWeights,
  formatWeights,
  readChainWeightSettings,
  submitWeights,
} from "../../../src/chain/weights";

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

const FAST = { timeoutMs: 1_000, attempts: 1, retryDelayMs: 10 };

describe("readChainWeightSettings", () => {
  it("reads commit-reveal, MaxWeightsLimit and WeightsVersionKey for the netuid", async () => {
    standin = await startStandin({
      subnets: new Map(),
      block: 10,
      commitReveal: new Map([[3, false]]),
      maxWeightsLimit: new Map([[3, 32_767]]),
      versionKey: new Map([[3, 2_001n]]),
    });
    const client = await SubtensorClient.connect(standin.url, FAST);
    try {
      expect(await readChainWeightSettings(client, 3)).toEqual({
        commitReveal: false,
        maxWeightsLimit: 32_767,
        versionKey: 2_001n,
      });
      // Nothing stored for netuid 4: the pallet's defaults (commit-reveal on, no cap, key 0).
      expect(await readChainWeightSettings(client, 4)).toEqual({
        commitReveal: true,
        maxWeightsLimit: 65_535,
        versionKey: 0n,
      });
    } finally {
      await client.close();
    }
    expect(standin.calls.filter((c) => c.method === "state_getStorage")).toHaveLength(6);
  });

  it("refuses a storage answer that is not hex", async () => {
    standin = await startStandin({
      subnets: new Map(),
      block: 10,
      override: (method) => (method === "state_getStorage" ? { result: 12 } : null),
    });
    const client = await SubtensorClient.connect(standin.url, FAST);
    try {
      await expect(readChainWeightSettings(client, 1)).rejects.toThrow(/malformed: not hex bytes/);
    } finally {
      await client.close();
    }
  });
});

describe("computeWeights", () => {
  it("reports uids, u16 weights and the settings used", () => {
    const report = computeWeights(
      1,
      [
        { uid: 10, hotkey: "5Ferdie", score: 0.6 },
        { uid: 11, hotkey: "5Dave", score: 0.3 },
        { uid: 12, hotkey: "5Eve", score: 0 },
      ],
      1,
      7n,
    );
    expect(report).toMatchObject({
      netuid: 1,
      uids: [10, 11],
      weights: [65_535, 32_768],
      max_weight_limit: 1,
      version_key: "7",
      submitted: null,
    });
    expect(formatWeights(report)).toMatch(/^netuid 1: 2 weight\(s\)/);
    expect(formatWeights(report)).toContain("5Ferdie");
  });
});

describe("submitWeights", () => {
  it("fails clearly, submitting nothing, when the endpoint cannot serve the chain's metadata", async () => {
    // The stand-in answers no state_getMetadata: @polkadot/api cannot build the transaction.
    standin = await startStandin({ subnets: new Map(), block: 10 });
    await cryptoWaitReady();
    const pair = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
    const call = setWeightsCall(1, [10], [65_535], 0n);
    await expect(
      submitWeights(standin.url, pair, 1, { uids: [10], weights: [65_535] }, 0n, call, 5_000),
    ).rejects.toThrow(/cannot open the chain's API for submitting/);
    expect(standin.submitted).toEqual([]);
  }, 60_000);
});
