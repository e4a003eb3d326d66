// A stand-in subtensor node for tests: a local JSON-RPC WebSocket server that answers the calls
// the metagraph reader and the weight setter make, with SCALE data encoded from subtensor's own
// type definitions (core/src/subtensor.ts). Every request is recorded, so a test can check exactly
// what was asked (and, for weights, exactly which extrinsic was submitted).
import type { AddressInfo } from "node:net";
import { u8aToHex } from "@polkadot/util";
import { decodeAddress } from "@polkadot/util-crypto";
import { commitRevealStorageKey, netuidStorageKey, subtensorRegistry } from "../../src/subtensor";

// The ws package (7.x) is installed for the Firebase tooling; a minimal shape of what is used.
interface WsSocket {
  on(event: "message", cb: (data: Buffer) => void): void;
  send(data: string): void;
  terminate(): void;
}
interface WsServer {
  on(event: "connection", cb: (socket: WsSocket) => void): void;
  on(event: "listening", cb: () => void): void;
  address(): AddressInfo;
  close(cb: () => void): void;
  clients: Set<WsSocket>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Server } = require("ws") as {
  Server: new (options: { port: number; host: string }) => WsServer;
};

export interface StandinNeuron {
  hotkey: string;
  coldkey: string;
  uid: number;
  active: boolean;
  /** u128 ip (0: not serving) and port. */
  axon: { ip: bigint; port: number; ip_type: number };
  /** Rao. */
  stake: bigint;
  /** u16. */
  validator_trust: number;
  validator_permit: boolean;
}

export interface StandinChain {
  /** netuid → its neurons (absent: the subnet does not exist, the API answers an empty Vec). */
  subnets: Map<number, StandinNeuron[]>;
  block: number;
  /** netuid → CommitRevealWeightsEnabled (absent: the storage holds nothing, i.e. the default). */
  commitReveal?: Map<number, boolean>;
  /** netuid → MaxWeightsLimit (u16) and WeightsVersionKey (u64); absent: nothing stored. */
  maxWeightsLimit?: Map<number, number>;
  versionKey?: Map<number, bigint>;
  /** Replaces the answer to a method (e.g. a malformed one), or answers an error. */
  override?: (method: string, params: unknown[]) => { result?: unknown; error?: unknown } | null;
}

export interface Standin {
  url: string;
  calls: { method: string; params: unknown[] }[];
  /** Extrinsics submitted (author_submitExtrinsic), as hex. */
  submitted: string[];
  close(): Promise<void>;
}

/** SCALE bytes of Vec<NeuronInfoLite> for these neurons. */
export function encodeNeurons(netuid: number, neurons: readonly StandinNeuron[]): string {
  const value = neurons.map((n) => ({
    hotkey: u8aToHex(decodeAddress(n.hotkey)),
    coldkey: u8aToHex(decodeAddress(n.coldkey)),
    uid: n.uid,
    netuid,
    active: n.active,
    axon_info: {
      block: 100,
      version: 1,
      ip: n.axon.ip,
      port: n.axon.port,
      ip_type: n.axon.ip_type,
      protocol: 4,
      placeholder1: 0,
      placeholder2: 0,
    },
    prometheus_info: { block: 0, version: 0, ip: 0, port: 0, ip_type: 0 },
    stake: [[u8aToHex(decodeAddress(n.coldkey)), n.stake]],
    rank: 0,
    emission: 1_000,
    incentive: 0,
    consensus: 0,
    trust: 0,
    validator_trust: n.validator_trust,
    dividends: 0,
    last_update: 90,
    validator_permit: n.validator_permit,
    pruning_score: 65_535,
  }));
  return subtensorRegistry().createType("Vec<SubtensorNeuronInfoLite>", value).toHex();
}

const hashOf = (block: number) => "0x" + block.toString(16).padStart(64, "0");
export const GENESIS_HASH = "0x" + "ab".repeat(32);

export async function startStandin(chain: StandinChain): Promise<Standin> {
  const server = new Server({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => server.on("listening", resolve));
  const calls: Standin["calls"] = [];
  const submitted: string[] = [];

  const answer = (method: string, params: unknown[]): { result?: unknown; error?: unknown } => {
    const overridden = chain.override?.(method, params);
    if (overridden) return overridden;
    switch (method) {
      case "chain_getFinalizedHead":
        return { result: hashOf(chain.block) };
      case "chain_getBlockHash":
        return { result: hashOf(params[0] === 0 ? 0 : chain.block) };
      case "chain_getHeader":
        return {
          result: {
            number: "0x" + chain.block.toString(16),
            parentHash: hashOf(chain.block - 1),
            stateRoot: hashOf(0),
            extrinsicsRoot: hashOf(0),
            digest: { logs: [] },
          },
        };
      case "state_call": {
        const [fn, data] = params as [string, string];
        if (fn !== "NeuronInfoRuntimeApi_get_neurons_lite") {
          return { error: { code: -32000, message: `unknown runtime api ${fn}` } };
        }
        const netuid = Buffer.from(data.slice(2), "hex").readUInt16LE(0);
        return { result: encodeNeurons(netuid, chain.subnets.get(netuid) ?? []) };
      }
      case "state_getStorage": {
        const key = params[0] as string;
        // The netuid is the last two bytes (Identity hasher over a u16); the item is the rest.
        const netuid = Buffer.from(key.slice(-4), "hex").readUInt16LE(0);
        const le = (v: bigint, bytes: number) => {
          const b = Buffer.alloc(bytes);
          for (let i = 0; i < bytes; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
          return "0x" + b.toString("hex");
        };
        if (key === commitRevealStorageKey(netuid)) {
          const enabled = chain.commitReveal?.get(netuid);
          return { result: enabled === undefined ? null : enabled ? "0x01" : "0x00" };
        }
        if (key === netuidStorageKey("MaxWeightsLimit", netuid)) {
          const limit = chain.maxWeightsLimit?.get(netuid);
          return { result: limit === undefined ? null : le(BigInt(limit), 2) };
        }
        if (key === netuidStorageKey("WeightsVersionKey", netuid)) {
          const version = chain.versionKey?.get(netuid);
          return { result: version === undefined ? null : le(version, 8) };
        }
        return { result: null };
      }
      case "author_submitExtrinsic":
        submitted.push(params[0] as string);
        return { result: "0x" + "cd".repeat(32) };
      default:
        return { error: { code: -32601, message: `Method not found: ${method}` } };
    }
  };

  server.on("connection", (socket) => {
    socket.on("message", (data) => {
      const req = JSON.parse(data.toString()) as { id: number; method: string; params?: unknown[] };
      const params = req.params ?? [];
      calls.push({ method: req.method, params });
      const reply = answer(req.method, params);
      if (reply.result === "__drop__") return; // no answer at all: the client must time out
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: req.id, ...reply }));
    });
  });

  const { port } = server.address();
  return {
    url: `ws://127.0.0.1:${port}`,
    calls,
    submitted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}
