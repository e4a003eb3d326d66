// Miner-side lead selection: answer a request with the pool leads that fit the description. Only
// leads that meet every stated constraint are submitted: a request the pool cannot fill gets fewer
// leads, and one with no fitting lead at all gets none (the miner then declines), never padding.
import { createHash } from "node:crypto";
import { leadKey, LIMITS, type Lead } from "consensus-core";
import { assessFit, parseCached, profileLead } from "./fit";
import { defaultLexicon, type Lexicon } from "./lexicon";
import { dedupeLeads, type RankRequest } from "./ranker";

export type CurateRequest = RankRequest;

export interface Curator {
  curate(request: CurateRequest): Promise<Lead[]>;
}

export interface PoolCuratorOptions {
  /**
   * Per-miner seed. Miners sharing one pool would otherwise all submit the identical top-k, which
   * gives validators nothing to choose between; a seed makes each miner sample a different, still
   * well-fitting subset. The same seed always yields the same answer.
   */
  seed?: string | undefined;
  /** How many leads to return per requested lead (default 2), capped at LIMITS.leadsPerDocumentMax. */
  oversample?: number;
  /** Default: the shipped lexicon, extended by LEAD_LEXICON_PATH. */
  lexicon?: Lexicon;
}

/** How far a seed may move a fitting lead's score; enough to reshuffle near-ties. */
const SEED_JITTER = 0.1;
/** Seeded picks are drawn from this many times the returned count of top candidates. */
const CANDIDATE_WINDOW = 3;

/** A stable value in [0, 1) for (seed, lead); sha256 so it is identical on every platform. */
function seededUnit(seed: string, key: string): number {
  return createHash("sha256").update(`${seed}\u0000${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

const byScoreThenKey = (
  a: { score: number; key: string },
  b: { score: number; key: string },
): number => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Answers requests from a fixed in-memory pool with the leads that fit, best first. */
export class PoolCurator implements Curator {
  private readonly pool: Lead[];
  private readonly seed: string | undefined;
  private readonly oversample: number;
  private readonly lexicon: Lexicon;

  constructor(pool: Lead[], options: PoolCuratorOptions = {}) {
    const oversample = options.oversample ?? 2;
    if (!Number.isFinite(oversample) || oversample < 1) {
      throw new RangeError(`oversample must be a number >= 1, got ${oversample}`);
    }
    this.pool = dedupeLeads(pool);
    this.seed = options.seed;
    this.oversample = oversample;
    this.lexicon = options.lexicon ?? defaultLexicon();
    // Read every lead once now, so the first request does not pay for it on its clock.
    for (const lead of this.pool) profileLead(lead, this.lexicon);
  }

  /**
   * Returns up to min(num_leads * oversample, 200) distinct fitting leads, best first; fewer when
   * fewer fit, none when none fit. Without a seed this is the exact top of the fits. With one, the
   * top CANDIDATE_WINDOW x count fits get a seed-dependent nudge and the best nudged ones are
   * returned, ordered by their true score: per-miner diversity only ever chooses among fits, and
   * when the fits are fewer than the count every one of them is returned.
   */
  async curate(request: CurateRequest): Promise<Lead[]> {
    const product = Math.floor(request.num_leads * this.oversample);
    const wanted = Number.isFinite(product) ? product : 0;
    const count = Math.min(Math.max(0, wanted), LIMITS.leadsPerDocumentMax, this.pool.length);
    if (count === 0) return [];

    const parsed = parseCached(request.business_desc, this.lexicon);
    const fits = this.pool
      .map((lead) => ({ lead, key: leadKey(lead), fit: assessFit(lead, parsed, this.lexicon) }))
      .filter((c) => c.fit.fits)
      .map(({ lead, key, fit }) => ({ lead, key, score: fit.score }))
      .sort(byScoreThenKey);

    let chosen = fits.slice(0, count);
    if (this.seed !== undefined && fits.length > count) {
      const seed = this.seed;
      chosen = fits
        .slice(0, count * CANDIDATE_WINDOW)
        .map((c) => ({ ...c, nudged: c.score + SEED_JITTER * seededUnit(seed, c.key) }))
        .sort((a, b) => byScoreThenKey({ ...a, score: a.nudged }, { ...b, score: b.nudged }))
        .slice(0, count)
        .sort(byScoreThenKey);
    }
    // Copies, so a caller that edits a submission cannot corrupt the pool for later requests.
    return chosen.map(({ lead }) => ({ ...lead }));
  }
}
