// Subtensor's SCALE types and calls that the project uses, written from opentensor/subtensor itself
// (commit 14bc6f9f964b9cc362e9635dd110a487fa5d15a0, spec_version 425):
//  - NeuronInfoLite: pallets/subtensor/src/rpc_info/neuron_info.rs (freeze_struct 4c03ff614b2b938f);
//    AxonInfo and PrometheusInfo: pallets/subtensor/src/lib.rs; NetUid(u16) common/src/lib.rs;
//    AlphaBalance(u64) common/src/currency.rs (both newtypes encode as their inner integer);
//  - the runtime API NeuronInfoRuntimeApi_get_neurons_lite(netuid: NetUid) -> Vec<NeuronInfoLite>
//    (pallets/subtensor/runtime-api/src/lib.rs); for a netuid that does not exist it returns an
//    empty Vec (get_neurons_lite checks if_subnet_exist);
//  - set_weights(netuid: NetUid, dests: Vec<u16>, weights: Vec<u16>, version_key: u64) is call_index
//    0 of pallet_subtensor (pallets/subtensor/src/macros/dispatches.rs), which construct_runtime!
//    places at index 7 (runtime/src/lib.rs: `SubtensorModule: pallet_subtensor = 7`);
//  - CommitRevealWeightsEnabled: StorageMap<Identity, NetUid, bool, ValueQuery> whose default is
//    true; MaxWeightsLimit (u16, default u16::MAX) and WeightsVersionKey (u64, default 0) likewise
//    keyed (pallets/subtensor/src/lib.rs; runtime/src/lib.rs for the initial version key).
// The normalisation follows bittensor (bittensor/core/chain_data/neuron_info_lite.py at bb526e6d):
// validator_trust is u16 / 65535, stake the sum of the stake entries in rao / 1e9, and a neuron is
// serving when its axon ip is not 0.0.0.0. Pure: the RPC client (subtensorRpc.ts) does the I/O.
import { TypeRegistry } from "@polkadot/types";
import { bnToU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from "@polkadot/util";
import { encodeAddress, xxhashAsU8a } from "@polkadot/util-crypto";
import { SS58_FORMAT, type MetagraphSnapshot, type Neuron } from "./metagraph";

const U16_MAX = 65_535;
const RAO_PER_TAO = 1e9;

export const SUBTENSOR_SOURCE_COMMIT = "14bc6f9f964b9cc362e9635dd110a487fa5d15a0";
export const NEURONS_LITE_METHOD = "NeuronInfoRuntimeApi_get_neurons_lite";
export const SUBTENSOR_PALLET_INDEX = 7;
export const SET_WEIGHTS_CALL_INDEX = 0;

/** Type definitions for @polkadot/types, field for field (and in order) as the Rust structs. */
export const SUBTENSOR_TYPES = {
  SubtensorAxonInfo: {
    block: "u64",
    version: "u32",
    ip: "u128",
    port: "u16",
    ip_type: "u8",
    protocol: "u8",
    placeholder1: "u8",
    placeholder2: "u8",
  },
  SubtensorPrometheusInfo: {
    block: "u64",
    version: "u32",
    ip: "u128",
    port: "u16",
    ip_type: "u8",
  },
  SubtensorNeuronInfoLite: {
    hotkey: "AccountId32",
    coldkey: "AccountId32",
    uid: "Compact<u16>",
    netuid: "Compact<u16>",
    active: "bool",
    axon_info: "SubtensorAxonInfo",
    prometheus_info: "SubtensorPrometheusInfo",
    stake: "Vec<(AccountId32, Compact<u64>)>",
    rank: "Compact<u16>",
    emission: "Compact<u64>",
    incentive: "Compact<u16>",
    consensus: "Compact<u16>",
    trust: "Compact<u16>",
    validator_trust: "Compact<u16>",
    dividends: "Compact<u16>",
    last_update: "Compact<u64>",
    validator_permit: "bool",
    pruning_score: "Compact<u16>",
  },
} as const;

let registry: TypeRegistry | null = null;
/** One registry for the process: registering the types is the slow part. */
export function subtensorRegistry(): TypeRegistry {
  if (!registry) {
    registry = new TypeRegistry();
    registry.register(SUBTENSOR_TYPES);
  }
  return registry;
}

/** A NeuronInfoLite with the fields this project reads, as raw chain values. */
export interface RawNeuronLite {
  hotkey: string;
  coldkey: string;
  uid: number;
  netuid: number;
  active: boolean;
  axon: { ip: bigint; port: number; ip_type: number };
  /** Rao per staking coldkey. */
  stake: bigint[];
  validator_trust: number;
  validator_permit: boolean;
  last_update: bigint;
}

/** Thrown when a node's answer is not the SCALE data subtensor's types describe. */
export class SubtensorDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubtensorDecodeError";
  }
}

interface CodecLike {
  toString(): string;
  toHex(): string;
  toNumber?(): number;
  toBigInt?(): bigint;
  isTrue?: boolean;
  unwrap?(): CodecLike;
  get?(key: string): CodecLike | undefined;
  [index: number]: CodecLike;
}
const field = (s: CodecLike, name: string): CodecLike => s.get!(name) as CodecLike;
const compactNumber = (c: CodecLike): number => c.unwrap!().toNumber!();
const compactBig = (c: CodecLike): bigint => c.unwrap!().toBigInt!();

/** Decodes the bytes of Vec<NeuronInfoLite>; every byte must be consumed. */
export function decodeNeuronsLite(bytes: Uint8Array | string): RawNeuronLite[] {
  const u8a = typeof bytes === "string" ? hexToU8a(bytes) : bytes;
  let vec: { encodedLength: number; toArray(): CodecLike[] };
  try {
    vec = subtensorRegistry().createType("Vec<SubtensorNeuronInfoLite>", u8a) as never;
  } catch (err) {
    throw new SubtensorDecodeError(
      `the neurons answer is not a SCALE Vec<NeuronInfoLite>: ${(err as Error).message}`,
    );
  }
  if (vec.encodedLength !== u8a.length) {
    throw new SubtensorDecodeError(
      `the neurons answer is not a SCALE Vec<NeuronInfoLite>: decoding used ${vec.encodedLength} ` +
        `of ${u8a.length} bytes`,
    );
  }
  return vec.toArray().map((n) => {
    const axon = field(n, "axon_info");
    const stake = field(n, "stake") as unknown as { toArray(): CodecLike[] };
    return {
      hotkey: encodeAddress(hexToU8a(field(n, "hotkey").toHex()), SS58_FORMAT),
      coldkey: encodeAddress(hexToU8a(field(n, "coldkey").toHex()), SS58_FORMAT),
      uid: compactNumber(field(n, "uid")),
      netuid: compactNumber(field(n, "netuid")),
      active: field(n, "active").isTrue === true,
      axon: {
        ip: field(axon, "ip").toBigInt!(),
        port: field(axon, "port").toNumber!(),
        ip_type: field(axon, "ip_type").toNumber!(),
      },
      stake: stake.toArray().map((pair) => compactBig(pair[1])),
      validator_trust: compactNumber(field(n, "validator_trust")),
      validator_permit: field(n, "validator_permit").isTrue === true,
      last_update: compactBig(field(n, "last_update")),
    };
  });
}

/** bittensor's int_to_ip: IPv4 dotted for ip_type 4, otherwise the eight IPv6 groups. */
export function ipToString(ip: bigint, ipType: number): string {
  if (ipType === 4 || ip < 2n ** 32n) {
    const v = Number(ip & 0xffffffffn);
    return [24, 16, 8, 0].map((s) => (v >>> s) & 0xff).join(".");
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((ip >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(":");
}

/** A decoded neuron in the snapshot format (docs/metagraph-snapshot.md). */
export function neuronToSnapshotNeuron(n: RawNeuronLite): Neuron {
  const serving = n.axon.ip !== 0n;
  const rao = n.stake.reduce((a, b) => a + b, 0n);
  return {
    uid: n.uid,
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    stake: Number(rao) / RAO_PER_TAO,
    validator_trust: n.validator_trust / U16_MAX,
    validator_permit: n.validator_permit,
    active: n.active,
    is_serving: serving,
    axon: serving ? { ip: ipToString(n.axon.ip, n.axon.ip_type), port: n.axon.port } : null,
  };
}

/** The snapshot a chain read makes: neurons ordered by uid, at the block they were read at. */
export function neuronsToSnapshot(
  netuid: number,
  block: number,
  neurons: readonly RawNeuronLite[],
): MetagraphSnapshot {
  const other = neurons.find((n) => n.netuid !== netuid);
  if (other) {
    throw new SubtensorDecodeError(
      `asked for netuid ${netuid} but neuron uid ${other.uid} is of netuid ${other.netuid}`,
    );
  }
  return {
    netuid,
    block,
    neurons: [...neurons].sort((a, b) => a.uid - b.uid).map(neuronToSnapshotNeuron),
  };
}

const u16le = (v: number): Uint8Array => bnToU8a(v, { bitLength: 16, isLe: true });

/** The runtime API's argument: the SCALE-encoded NetUid (a u16). */
export const neuronsLiteParams = (netuid: number): string => u8aToHex(u16le(netuid));

function u16Vec(values: readonly number[]): Uint8Array {
  return u8aConcat(compactToU8a(values.length), ...values.map(u16le));
}

/** The SCALE bytes of SubtensorModule::set_weights(netuid, dests, weights, version_key). */
export function setWeightsCall(
  netuid: number,
  uids: readonly number[],
  weights: readonly number[],
  versionKey: bigint | number,
): string {
  if (uids.length !== weights.length) {
    throw new Error(`uids and weights differ in length (${uids.length} and ${weights.length})`);
  }
  return u8aToHex(
    u8aConcat(
      new Uint8Array([SUBTENSOR_PALLET_INDEX, SET_WEIGHTS_CALL_INDEX]),
      u16le(netuid),
      u16Vec(uids),
      u16Vec(weights),
      bnToU8a(BigInt(versionKey), { bitLength: 64, isLe: true }),
    ),
  );
}

/**
 * Storage key of a SubtensorModule map keyed by NetUid with the Identity hasher:
 * twox128(pallet) ++ twox128(item) ++ the SCALE netuid. CommitRevealWeightsEnabled,
 * MaxWeightsLimit and WeightsVersionKey are all declared so (pallets/subtensor/src/lib.rs).
 */
export function netuidStorageKey(item: string, netuid: number): string {
  return u8aToHex(
    u8aConcat(xxhashAsU8a("SubtensorModule", 128), xxhashAsU8a(item, 128), u16le(netuid)),
  );
}

export const commitRevealStorageKey = (netuid: number): string =>
  netuidStorageKey("CommitRevealWeightsEnabled", netuid);

/** The stored bool, or the pallet's default (true) when the map holds nothing for the netuid. */
export function decodeCommitRevealEnabled(value: string | null): boolean {
  if (value === null) return true;
  const bytes = hexToU8a(value);
  if (bytes.length !== 1 || bytes[0] > 1) {
    throw new SubtensorDecodeError(`CommitRevealWeightsEnabled is not a SCALE bool: ${value}`);
  }
  return bytes[0] === 1;
}

/** A stored little-endian unsigned integer of `bytes` bytes, or `fallback` (the default) if none. */
export function decodeStoredUint(
  item: string,
  value: string | null,
  bytes: 2 | 8,
  fallback: bigint,
): bigint {
  if (value === null) return fallback;
  const u8a = hexToU8a(value);
  if (u8a.length !== bytes) {
    throw new SubtensorDecodeError(`${item} is not a SCALE u${bytes * 8}: ${value}`);
  }
  let out = 0n;
  for (let i = bytes - 1; i >= 0; i--) out = (out << 8n) | BigInt(u8a[i]);
  return out;
}

/** MaxWeightsLimit's default (u16::MAX: no cap) and WeightsVersionKey's (0, the runtime's). */
export const DEFAULT_MAX_WEIGHTS_LIMIT = 65_535n;
export const DEFAULT_WEIGHTS_VERSION_KEY = 0n;
