// Miner scores → the u16 weight vector a validator sets on chain, following bittensor's own weight
// utilities (opentensor/bittensor bittensor/utils/weight_utils.py at bb526e6d: normalize_max_weight
// and convert_weights_and_uids_for_emit). The rules carried over:
//  1. scores must be finite and >= 0; only positive scores take part;
//  2. all scores zero (or none): every miner gets the same weight (bittensor's process_weights
//     falls back to uniform weights);
//  3. normalise to sum 1, then cap each weight at max_weight_limit the way normalize_max_weight
//     does (weights above a cutoff are clipped and the rest renormalised); a limit at or below
//     1/n makes the weights uniform, as there;
//  4. max-upscale: the largest weight becomes U16_MAX, each other round(w / max * 65535) (Python's
//     round, halves to even);
//  5. entries that round to 0 are dropped.
export const U16_MAX = 65_535;

/** Python's round(): halves go to the even neighbour (bittensor rounds with it). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export interface UidScore {
  uid: number;
  score: number;
}

export interface WeightVector {
  uids: number[];
  weights: number[];
}

/** bittensor's normalize_max_weight: sum 1 and no weight above `limit` (up to float error). */
export function normalizeMaxWeight(x: readonly number[], limit: number): number[] {
  const n = x.length;
  if (n === 0) return [];
  const total = x.reduce((a, b) => a + b, 0);
  if (total === 0 || n * limit <= 1) return x.map(() => 1 / n);
  const epsilon = 1e-7;
  const values = [...x].sort((a, b) => a - b);
  const estimation = values.map((v) => v / total);
  if (Math.max(...estimation) <= limit) return x.map((v) => v / total);
  const cumsum: number[] = [];
  estimation.reduce((acc, v, i) => (cumsum[i] = acc + v), 0);
  const estimationSum = estimation.map((e, i) => (n - i - 1) * e);
  const nValues = estimation.filter(
    (e, i) => e / (estimationSum[i] + cumsum[i] + epsilon) < limit,
  ).length;
  const cutoffScale = (limit * cumsum[nValues - 1] - epsilon) / (1 - limit * (n - nValues));
  const cutoff = cutoffScale * total;
  const clipped = x.map((v) => (v > cutoff ? cutoff : v));
  const clippedTotal = clipped.reduce((a, b) => a + b, 0);
  return clipped.map((v) => v / clippedTotal);
}

/**
 * The weights to set. `maxWeightLimit` is the subnet's max_weight_limit as a fraction (its u16
 * value / 65535); 1 means no cap. Uids in the output are ascending.
 */
export function weightsFromScores(scores: readonly UidScore[], maxWeightLimit = 1): WeightVector {
  if (!(maxWeightLimit > 0 && maxWeightLimit <= 1)) {
    throw new Error(`max_weight_limit must be in (0, 1], got ${maxWeightLimit}`);
  }
  const seen = new Set<number>();
  for (const s of scores) {
    if (!Number.isInteger(s.uid) || s.uid < 0 || s.uid > U16_MAX) {
      throw new Error(`uid must be a whole number in 0..${U16_MAX}, got ${s.uid}`);
    }
    if (seen.has(s.uid)) throw new Error(`uid ${s.uid} is listed twice`);
    seen.add(s.uid);
    if (!Number.isFinite(s.score) || s.score < 0) {
      throw new Error(`score of uid ${s.uid} must be a finite number >= 0, got ${s.score}`);
    }
  }
  const sorted = [...scores].sort((a, b) => a.uid - b.uid);
  if (sorted.length === 0) return { uids: [], weights: [] };
  const positive = sorted.filter((s) => s.score > 0);
  const taking = positive.length > 0 ? positive : sorted.map((s) => ({ uid: s.uid, score: 1 }));
  const normalised = normalizeMaxWeight(
    taking.map((s) => s.score),
    maxWeightLimit,
  );
  const max = Math.max(...normalised);
  const uids: number[] = [];
  const weights: number[] = [];
  taking.forEach((s, i) => {
    const w = roundHalfEven((normalised[i] / max) * U16_MAX);
    if (w !== 0) {
      uids.push(s.uid);
      weights.push(w);
    }
  });
  return { uids, weights };
}
