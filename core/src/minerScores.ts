// Miner credit from consensus (miner_scores/{hotkey}). The rule (README, "Miner scores and
// weights"): each lead the consensus returned credits the miner whose copy the pool used (the
// earliest submitted_at; timedLeadPool) with that lead's normalized_score; every other miner the
// request involved is credited 0. A request therefore hands out exactly the sum of its returned
// leads' normalized scores. The rolling record keeps the last MINER_SCORE_WINDOW requests a miner
// took part in; its rolling_score (mean credit per request) is what weights are computed from.
// Stored as a ledger like validator_agreement (agreement.ts): finalisation adds its entry without
// reading, readers turn the ledger into the record (minerScoreRecordFromLedger). Pure.
import { z } from "zod";
import { newestEntries } from "./agreement";
import { leadKey } from "./consensus";
import type { PooledLead } from "./eligibility";
import type { Lead } from "./schemas";

export const MINER_SCORE_WINDOW = 20;

const roundCredit = (x: number): number => Math.round(x * 1e12) / 1e12;

/**
 * Credit per miner for one request: `leads` are the consensus' returned leads, `pool` the lead
 * pool they were drawn from, `miners` every miner the request involved (expected or counted).
 * A returned lead missing from the pool credits nobody (it cannot happen: the consensus only
 * returns pooled leads).
 */
export function creditMiners(
  leads: readonly (Lead & { normalized_score: number })[],
  pool: ReadonlyMap<string, PooledLead>,
  miners: readonly string[],
): Map<string, { credit: number; leads_credited: number }> {
  const out = new Map<string, { credit: number; leads_credited: number }>();
  for (const m of [...new Set(miners)].sort()) out.set(m, { credit: 0, leads_credited: 0 });
  for (const lead of leads) {
    const pooled = pool.get(leadKey(lead));
    if (!pooled) continue;
    const entry = out.get(pooled.miner_hotkey) ?? { credit: 0, leads_credited: 0 };
    entry.credit = roundCredit(entry.credit + lead.normalized_score);
    entry.leads_credited += 1;
    out.set(pooled.miner_hotkey, entry);
  }
  return out;
}

export const MinerScoreEntrySchema = z
  .object({
    request_id: z.string().min(1),
    /** ISO 8601. */
    finalized_at: z.string().min(1),
    credit: z.number().min(0),
    leads_credited: z.number().int().min(0),
  })
  .strict();
export type MinerScoreEntry = z.infer<typeof MinerScoreEntrySchema>;

export const MinerScoreRecordSchema = z
  .object({
    hotkey: z.string().min(1),
    window_size: z.number().int().min(1),
    /** Oldest first, at most window_size. */
    recent: z.array(MinerScoreEntrySchema),
    /** Mean credit over `recent` (0 when empty): the score weights are computed from. */
    rolling_score: z.number().min(0),
    /** Lifetime figures. */
    requests: z.number().int().min(0),
    leads_credited: z.number().int().min(0),
    total_credit: z.number().min(0),
    last_request_id: z.string().min(1),
  })
  .strict();
export type MinerScoreRecord = z.infer<typeof MinerScoreRecordSchema>;

/** The record after one more request; a request already in `recent` changes nothing. */
export function nextMinerScoreRecord(
  hotkey: string,
  previous: MinerScoreRecord | null,
  entry: MinerScoreEntry,
  windowSize: number = MINER_SCORE_WINDOW,
): MinerScoreRecord {
  if (previous?.recent.some((e) => e.request_id === entry.request_id)) return previous;
  const recent = [...(previous?.recent ?? []), entry].slice(-windowSize);
  const sum = recent.reduce((a, e) => a + e.credit, 0);
  return {
    hotkey,
    window_size: windowSize,
    recent,
    rolling_score: roundCredit(sum / recent.length),
    requests: (previous?.requests ?? 0) + 1,
    leads_credited: (previous?.leads_credited ?? 0) + entry.leads_credited,
    total_credit: roundCredit((previous?.total_credit ?? 0) + entry.credit),
    last_request_id: entry.request_id,
  };
}

/** miner_scores/{hotkey} as stored: entries by request id plus lifetime figures (agreement.ts). */
export const MinerScoreLedgerSchema = z
  .object({
    hotkey: z.string().min(1),
    entries: z.record(z.string(), MinerScoreEntrySchema),
    entry_count: z.number().int().min(0),
    requests: z.number().int().min(0),
    leads_credited: z.number().int().min(0),
    total_credit: z.number().min(0),
  })
  .strict();
export type MinerScoreLedger = z.infer<typeof MinerScoreLedgerSchema>;

/** The rolling record a ledger stands for: its newest `windowSize` entries and lifetime figures. */
export function minerScoreRecordFromLedger(
  ledger: MinerScoreLedger,
  windowSize: number = MINER_SCORE_WINDOW,
): MinerScoreRecord | null {
  let record: MinerScoreRecord | null = null;
  for (const e of newestEntries(ledger.entries, windowSize)) {
    record = nextMinerScoreRecord(ledger.hotkey, record, e, windowSize);
  }
  return record
    ? {
        ...record,
        requests: ledger.requests,
        leads_credited: ledger.leads_credited,
        total_credit: roundCredit(ledger.total_credit),
      }
    : null;
}
