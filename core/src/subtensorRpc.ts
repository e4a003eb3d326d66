// A thin JSON-RPC client for a subtensor node over @polkadot/api's WsProvider: the calls the
// metagraph reader and the weight setter need (state_call, chain_getFinalizedHead, chain_getHeader,
// state_getStorage, ...), with a connect timeout, per-call timeouts and retries. It needs no chain
// metadata, so it works against any subtensor runtime that keeps these types (and against a test's
// stand-in server); decoding is subtensor.ts. Errors name the endpoint by origin only: a provider
// URL may carry an API key.
import { WsProvider } from "@polkadot/api";
import { z } from "zod";
import type { MetagraphSnapshot } from "./metagraph";
import {
  decodeNeuronsLite,
  neuronsLiteParams,
  neuronsToSnapshot,
  NEURONS_LITE_METHOD,
  SubtensorDecodeError,
  type RawNeuronLite,
} from "./subtensor";

export interface SubtensorClientOptions {
  /** Per attempt, for connecting and for each call. */
  timeoutMs?: number;
  /** Attempts at connecting and at each call before giving up. */
  attempts?: number;
  /** Pause between attempts (doubled each time). */
  retryDelayMs?: number;
}
const DEFAULTS: Required<SubtensorClientOptions> = {
  timeoutMs: 15_000,
  attempts: 3,
  retryDelayMs: 1_000,
};

/** The endpoint could not be reached or did not answer in time, after every attempt. */
export class SubtensorUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubtensorUnreachableError";
  }
}

/** The node answered, but with an error or an answer of the wrong shape. */
export class SubtensorRpcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubtensorRpcError";
  }
}

/** The subnet is not on the chain (the runtime API answers an empty list for it). */
export class SubtensorNetuidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubtensorNetuidError";
  }
}

/** The endpoint's scheme, host and port: never its path or query, which may hold a key. */
export function endpointOrigin(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(invalid endpoint)";
  }
}

export function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error("the subtensor endpoint is not a valid URL (expected ws:// or wss://)");
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new Error(`the subtensor endpoint must be a ws:// or wss:// URL, not ${url.protocol}//`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function connectOnce(endpoint: string, timeoutMs: number): Promise<WsProvider> {
  // No auto-reconnect and no call cache: this client retries by itself and reads fresh state.
  const provider = new WsProvider(endpoint, false, {}, timeoutMs, 0);
  const failed = new Promise<never>((_, reject) => {
    provider.on("error", (err: unknown) =>
      reject(new Error(err instanceof Error ? err.message : "connection error")),
    );
    provider.on("disconnected", () => reject(new Error("connection closed")));
  });
  try {
    await provider.connect();
    await withTimeout(Promise.race([provider.isReady, failed]), timeoutMs, "connecting");
    return provider;
  } catch (err) {
    await provider.disconnect().catch(() => undefined);
    throw err;
  }
}

export class SubtensorClient {
  private constructor(
    private readonly provider: WsProvider,
    readonly origin: string,
    private readonly options: Required<SubtensorClientOptions>,
  ) {}

  static async connect(
    endpoint: string,
    options: SubtensorClientOptions = {},
  ): Promise<SubtensorClient> {
    checkEndpoint(endpoint);
    const opts = { ...DEFAULTS, ...options };
    const origin = endpointOrigin(endpoint);
    let last = "";
    for (let attempt = 1; attempt <= opts.attempts; attempt++) {
      try {
        return new SubtensorClient(await connectOnce(endpoint, opts.timeoutMs), origin, opts);
      } catch (err) {
        last = (err as Error).message;
        if (attempt < opts.attempts) await sleep(opts.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    throw new SubtensorUnreachableError(
      `cannot reach the subtensor endpoint ${origin} after ${opts.attempts} attempt(s): ${last}`,
    );
  }

  /** One JSON-RPC call; a timeout or dropped connection is retried, an error answer is not. */
  async call(method: string, params: unknown[]): Promise<unknown> {
    let last = "";
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      try {
        return await withTimeout(
          this.provider.send(method, params),
          this.options.timeoutMs,
          `${method}`,
        );
      } catch (err) {
        const message = (err as Error).message;
        // An answer with a JSON-RPC error object: the node understood and refused; retrying is moot.
        if (/^-?\d+:/.test(message) || !this.provider.isConnected) {
          if (!this.provider.isConnected) {
            throw new SubtensorUnreachableError(
              `the subtensor endpoint ${this.origin} closed the connection during ${method}`,
            );
          }
          throw new SubtensorRpcError(`${method} on ${this.origin} failed: ${message}`);
        }
        last = message;
        if (attempt < this.options.attempts) {
          await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    throw new SubtensorUnreachableError(
      `${method} on ${this.origin} did not answer after ${this.options.attempts} attempt(s): ${last}`,
    );
  }

  async close(): Promise<void> {
    await this.provider.disconnect().catch(() => undefined);
  }
}

const Hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "must be 0x-prefixed hex bytes");
const Hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte 0x hash");
const Header = z.object({ number: z.string().regex(/^0x[0-9a-fA-F]+$/) }).loose();

function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string, origin: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SubtensorRpcError(
      `${what} from ${origin} is malformed: ${parsed.error.issues[0]?.message ?? "wrong shape"}`,
    );
  }
  return parsed.data;
}

/** The finalized block: hash and number. */
export async function finalizedBlock(
  client: SubtensorClient,
): Promise<{ hash: string; number: number }> {
  const hash = parseAnswer(
    Hash,
    await client.call("chain_getFinalizedHead", []),
    "chain_getFinalizedHead",
    client.origin,
  );
  const header = parseAnswer(
    Header,
    await client.call("chain_getHeader", [hash]),
    "chain_getHeader",
    client.origin,
  );
  return { hash, number: Number.parseInt(header.number, 16) };
}

/** Every neuron of `netuid` at the finalized block, via NeuronInfoRuntimeApi_get_neurons_lite. */
export async function readNeuronsLite(
  client: SubtensorClient,
  netuid: number,
): Promise<{ block: number; blockHash: string; neurons: RawNeuronLite[] }> {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 65_535) {
    throw new Error(`netuid must be a whole number in 0..65535, got ${netuid}`);
  }
  const { hash, number } = await finalizedBlock(client);
  const answer = parseAnswer(
    Hex,
    await client.call("state_call", [NEURONS_LITE_METHOD, neuronsLiteParams(netuid), hash]),
    NEURONS_LITE_METHOD,
    client.origin,
  );
  let neurons: RawNeuronLite[];
  try {
    neurons = decodeNeuronsLite(answer);
  } catch (err) {
    if (err instanceof SubtensorDecodeError) {
      throw new SubtensorRpcError(`${NEURONS_LITE_METHOD} from ${client.origin}: ${err.message}`);
    }
    throw err;
  }
  if (neurons.length === 0) {
    throw new SubtensorNetuidError(
      `netuid ${netuid} does not exist on ${client.origin} at block ${number} (the chain lists ` +
        `no neurons for it)`,
    );
  }
  return { block: number, blockHash: hash, neurons };
}

/** Connects, reads the subnet's metagraph as a snapshot (docs/metagraph-snapshot.md), closes. */
export async function readMetagraphFromChain(
  endpoint: string,
  netuid: number,
  options: SubtensorClientOptions = {},
): Promise<MetagraphSnapshot> {
  const client = await SubtensorClient.connect(endpoint, options);
  try {
    const { block, neurons } = await readNeuronsLite(client, netuid);
    return neuronsToSnapshot(netuid, block, neurons);
  } finally {
    await client.close();
  }
}
