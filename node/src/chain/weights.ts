// `consensus-node weights`: the weight vector a validator should set, from the miner scores the
// backend keeps (miner_scores/{hotkey}, credited at finalisation) and the miners' uids in the
// registry; with --set, submitted to subtensor as SubtensorModule::set_weights signed by the
// validator's hotkey. The conversion is core's weightsFromScores (bittensor's rules).
import { collection, getDocs, query, where, type Firestore } from "firebase/firestore";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { ProviderInterface } from "@polkadot/rpc-provider/types";
import {
  DEFAULT_MAX_WEIGHTS_LIMIT,
  DEFAULT_WEIGHTS_VERSION_KEY,
  COLLECTIONS,
  STORED,
  SubtensorClient,
  commitRevealStorageKey,
  decodeCommitRevealEnabled,
  decodeStoredUint,
  minerScoreRecordFromLedger,
  netuidStorageKey,
  weightsFromScores,
  U16_MAX,
  type WeightVector,
} from "consensus-core";

export interface MinerWeightInput {
  uid: number;
  hotkey: string;
  /** The rolling score from miner_scores; 0 for a registered miner without a record yet. */
  score: number;
}

/** The registry fields weights need, as core's stored-registry schema declares them. */
const RegistryMiner = STORED.registry.pick({ uid: true, netuid: true });

/**
 * Every registered miner with its rolling score. Entries from another netuid's sync are refused:
 * the uids would point at the wrong subnet.
 */
export async function readMinerWeightInputs(
  db: Firestore,
  netuid: number,
): Promise<MinerWeightInput[]> {
  const [registry, scores] = await Promise.all([
    getDocs(query(collection(db, COLLECTIONS.registry), where("role", "==", "miner"))),
    getDocs(collection(db, COLLECTIONS.minerScores)),
  ]);
  const scoreOf = new Map<string, number>();
  for (const doc of scores.docs) {
    // The stored ledger (core's schema) as its rolling record: the score weights come from.
    const parsed = STORED.minerScores.safeParse(doc.data());
    if (!parsed.success) continue;
    const { updated_at: _updatedAt, ...ledger } = parsed.data;
    const record = minerScoreRecordFromLedger(ledger);
    if (record) scoreOf.set(doc.id, record.rolling_score);
  }
  const out: MinerWeightInput[] = [];
  for (const doc of registry.docs) {
    const parsed = RegistryMiner.safeParse(doc.data());
    if (!parsed.success) continue;
    if (parsed.data.netuid !== undefined && parsed.data.netuid !== netuid) {
      throw new Error(
        `the registry was synced from netuid ${parsed.data.netuid}, not ${netuid}: its uids are ` +
          `another subnet's`,
      );
    }
    out.push({ uid: parsed.data.uid, hotkey: doc.id, score: scoreOf.get(doc.id) ?? 0 });
  }
  return out.sort((a, b) => a.uid - b.uid);
}

export interface ChainWeightSettings {
  commitReveal: boolean;
  /** u16 as on chain. */
  maxWeightsLimit: number;
  versionKey: bigint;
}

/** The subnet's weight hyperparameters, read from storage (no metadata needed). */
export async function readChainWeightSettings(
  client: SubtensorClient,
  netuid: number,
): Promise<ChainWeightSettings> {
  const get = async (key: string) => {
    const value = await client.call("state_getStorage", [key]);
    if (value !== null && (typeof value !== "string" || !/^0x([0-9a-f]{2})*$/i.test(value))) {
      throw new Error(`state_getStorage from ${client.origin} is malformed: not hex bytes`);
    }
    return value as string | null;
  };
  const [cr, limit, version] = await Promise.all([
    get(commitRevealStorageKey(netuid)),
    get(netuidStorageKey("MaxWeightsLimit", netuid)),
    get(netuidStorageKey("WeightsVersionKey", netuid)),
  ]);
  return {
    commitReveal: decodeCommitRevealEnabled(cr),
    maxWeightsLimit: Number(
      decodeStoredUint("MaxWeightsLimit", limit, 2, DEFAULT_MAX_WEIGHTS_LIMIT),
    ),
    versionKey: decodeStoredUint("WeightsVersionKey", version, 8, DEFAULT_WEIGHTS_VERSION_KEY),
  };
}

export class CommitRevealError extends Error {
  constructor(netuid: number) {
    super(
      `netuid ${netuid} has commit-reveal weights enabled (SubtensorModule::` +
        `CommitRevealWeightsEnabled): the chain refuses set_weights there (CommitRevealEnabled). ` +
        `This command does not commit weights; nothing was submitted`,
    );
    this.name = "CommitRevealError";
  }
}

export interface WeightsReport {
  netuid: number;
  uids: number[];
  weights: number[];
  miners: MinerWeightInput[];
  max_weight_limit: number;
  version_key: string;
  /** Set when --set submitted the weights. */
  submitted: { block_hash: string; extrinsic_hash: string } | null;
}

export function computeWeights(
  netuid: number,
  miners: readonly MinerWeightInput[],
  maxWeightLimit: number,
  versionKey: bigint,
): WeightsReport {
  const vector: WeightVector = weightsFromScores(
    miners.map((m) => ({ uid: m.uid, score: m.score })),
    maxWeightLimit,
  );
  return {
    netuid,
    ...vector,
    miners: [...miners],
    max_weight_limit: maxWeightLimit,
    version_key: versionKey.toString(),
    submitted: null,
  };
}

export function formatWeights(report: WeightsReport): string {
  const byUid = new Map(report.miners.map((m) => [m.uid, m]));
  const lines = [
    `netuid ${report.netuid}: ${report.uids.length} weight(s), max_weight_limit ` +
      `${report.max_weight_limit}, version_key ${report.version_key}`,
    "uid    weight  share    score     hotkey",
  ];
  const total = report.weights.reduce((a, b) => a + b, 0);
  report.uids.forEach((uid, i) => {
    const m = byUid.get(uid);
    lines.push(
      `${String(uid).padEnd(6)} ${String(report.weights[i]).padEnd(7)} ` +
        `${((report.weights[i] / total) * 100).toFixed(2).padStart(6)}%  ` +
        `${(m?.score ?? 0).toFixed(4).padEnd(9)} ${m?.hotkey ?? ""}`,
    );
  });
  if (report.uids.length === 0) lines.push("(no registered miners)");
  if (report.submitted) {
    lines.push(
      `submitted: extrinsic ${report.submitted.extrinsic_hash} in block ${report.submitted.block_hash}`,
    );
  }
  return lines.join("\n");
}

const SUBMIT_TIMEOUT_MS = 120_000;

/**
 * Submits set_weights through @polkadot/api with the chain's own metadata (so the transaction
 * extensions are the runtime's), after checking that the metadata encodes the call exactly as
 * the subtensor source this project read does (core's setWeightsCall); waits for inclusion.
 */
export async function submitWeights(
  endpoint: string,
  pair: KeyringPair,
  netuid: number,
  vector: WeightVector,
  versionKey: bigint,
  expectedCall: string,
  openTimeoutMs = 30_000,
): Promise<{ block_hash: string; extrinsic_hash: string }> {
  const { ApiPromise, WsProvider } = await import("@polkadot/api");
  // Bounded: an endpoint that cannot serve the metadata would leave ApiPromise waiting forever.
  const api = new ApiPromise({
    // @polkadot/api's own types disagree under exactOptionalPropertyTypes (WsProvider.ttl can be
    // undefined where ProviderInterface says number | null); the class is the interface's own.
    provider: new WsProvider(endpoint, false, {}, openTimeoutMs) as ProviderInterface,
    noInitWarn: true,
    throwOnConnect: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      api.connect().then(() => api.isReadyOrError),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no metadata within ${openTimeoutMs} ms`)),
          openTimeoutMs,
        );
      }),
    ]);
  } catch (err) {
    await api.disconnect().catch(() => undefined);
    throw new Error(`cannot open the chain's API for submitting: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  try {
    const tx = api.tx.subtensorModule.setWeights(netuid, vector.uids, vector.weights, versionKey);
    if (tx.method.toHex() !== expectedCall) {
      throw new Error(
        `the chain's metadata encodes set_weights as ${tx.method.toHex()}, not ${expectedCall} as ` +
          `the subtensor source read for this project does; refusing to submit`,
      );
    }
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`set_weights was not included within ${SUBMIT_TIMEOUT_MS} ms`)),
        SUBMIT_TIMEOUT_MS,
      );
      tx.signAndSend(pair, { nonce: -1 }, (result) => {
        if (result.dispatchError) {
          clearTimeout(timer);
          const e = result.dispatchError;
          const reason = e.isModule
            ? (() => {
                const m = api.registry.findMetaError(e.asModule);
                return `${m.section}.${m.name}`;
              })()
            : e.toString();
          reject(new Error(`set_weights failed on chain: ${reason}`));
        } else if (result.status.isInBlock) {
          clearTimeout(timer);
          resolve({
            block_hash: result.status.asInBlock.toHex(),
            extrinsic_hash: tx.hash.toHex(),
          });
        } else if (result.isError) {
          clearTimeout(timer);
          reject(new Error(`set_weights was dropped: ${result.status.type}`));
        }
      }).catch((err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  } finally {
    await api.disconnect().catch(() => undefined);
  }
}

/** bittensor's max_weight_limit as a fraction (u16 / 65535). */
export const maxWeightFraction = (u16: number): number => u16 / U16_MAX;
