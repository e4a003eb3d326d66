// Yuma-style clipping (Bittensor's subtensor clips each weight at the stake-weighted median,
// kappa = 0.5): the consensus threshold of one lead, and the modes and parameters a result records.
import { z } from "zod";

export const CONSENSUS_MODES = ["weighted", "clipped"] as const;
/** "weighted": the seed formula S_L = Σ S_v,L·V_v. "clipped": scores clipped at C_L first. */
export type ConsensusMode = (typeof CONSENSUS_MODES)[number];
export const DEFAULT_CONSENSUS_MODE: ConsensusMode = "weighted";
export const DEFAULT_KAPPA = 0.5;

/** The mode and κ a request is finalised with; recorded on the request and on its result. */
export const ConsensusSettingsSchema = z
  .object({
    mode: z.enum(CONSENSUS_MODES),
    // κ = 0 would make every threshold the top score (no clipping at all): not a useful setting.
    kappa: z.number().gt(0).max(1),
  })
  .strict();
export type ConsensusSettings = z.infer<typeof ConsensusSettingsSchema>;

export const DEFAULT_CONSENSUS_SETTINGS: ConsensusSettings = {
  mode: DEFAULT_CONSENSUS_MODE,
  kappa: DEFAULT_KAPPA,
};

/**
 * A share that equals κ up to this fraction of the total weight counts as reaching κ, so float
 * rounding in a sum (0.1 + 0.2 + 0.2) cannot flip a tie that is exact on paper.
 */
export const KAPPA_TOLERANCE = 1e-12;

export interface WeightedVote {
  score: number;
  weight: number;
}

/**
 * C_L: the largest score w such that validators holding at least κ of `totalWeight` scored the
 * lead ≥ w. `votes` are the validators that ranked the lead; every other participant counts as a
 * 0, so when the voters alone hold less than κ the threshold is 0. Votes must arrive in a fixed
 * order (the caller's hotkey order): equal scores are then summed in the same order every time.
 */
export function clipThreshold(
  votes: readonly WeightedVote[],
  totalWeight: number,
  kappa: number,
): number {
  const needed = kappa * totalWeight - KAPPA_TOLERANCE * totalWeight;
  // Stable sort: equal scores keep the caller's order.
  const descending = [...votes].sort((a, b) => b.score - a.score);
  let held = 0;
  for (const vote of descending) {
    held += vote.weight;
    // Everyone from the top down to this vote scored ≥ vote.score and together they hold `held`.
    if (held >= needed && held > 0) return vote.score;
  }
  return 0;
}
