// The rolling per-validator agreement figure (validator_agreement/{hotkey}): each finalised request
// appends one entry per expected validator, the last AGREEMENT_WINDOW entries are kept, and the
// rolling figures are their means, so a lazy or dishonest validator shows within a few requests.
// Stored as a ledger (AgreementLedgerSchema): finalisation adds its entry without reading the
// document, and readers turn the ledger into the record (agreementRecordFromLedger). Pure.
import { z } from "zod";
import { CONSENSUS_MODES } from "./clipping";

export const AGREEMENT_WINDOW = 10;

const nullableUnit = z.number().min(-1).max(1).nullable();

export const AgreementEntrySchema = z
  .object({
    request_id: z.string().min(1),
    /** ISO 8601. */
    finalized_at: z.string().min(1),
    mode: z.enum(CONSENSUS_MODES),
    /** false: expected but timed out (counts as a miss, carries no figures). */
    answered: z.boolean(),
    clipped_share: nullableUnit,
    rank_correlation: nullableUnit,
  })
  .strict();
export type AgreementEntry = z.infer<typeof AgreementEntrySchema>;

export const ValidatorAgreementRecordSchema = z
  .object({
    hotkey: z.string().min(1),
    window_size: z.number().int().min(1),
    /** Oldest first, at most window_size. */
    recent: z.array(AgreementEntrySchema),
    /** Mean clipped_share over the answered entries in `recent` that have one; null if none. */
    rolling_clipped_share: nullableUnit,
    /** Mean rank_correlation over the answered entries in `recent` that have one; null if none. */
    rolling_rank_correlation: nullableUnit,
    /** Answered / expected within `recent`. */
    rolling_answered: z.number().int().min(0),
    rolling_expected: z.number().int().min(0),
    /** Lifetime counts. */
    requests_expected: z.number().int().min(0),
    requests_answered: z.number().int().min(0),
    last_request_id: z.string().min(1),
  })
  .strict();
export type ValidatorAgreementRecord = z.infer<typeof ValidatorAgreementRecordSchema>;

function meanOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return Math.round((present.reduce((a, b) => a + b, 0) / present.length) * 1e12) / 1e12;
}

/**
 * The record after one more request. A request already in `recent` changes nothing, so replaying
 * an update (which the finalisation transaction never does) would still count it once.
 */
export function nextAgreementRecord(
  hotkey: string,
  previous: ValidatorAgreementRecord | null,
  entry: AgreementEntry,
  windowSize: number = AGREEMENT_WINDOW,
): ValidatorAgreementRecord {
  if (previous?.recent.some((e) => e.request_id === entry.request_id)) return previous;
  const recent = [...(previous?.recent ?? []), entry].slice(-windowSize);
  const answered = recent.filter((e) => e.answered);
  return {
    hotkey,
    window_size: windowSize,
    recent,
    rolling_clipped_share: meanOf(answered.map((e) => e.clipped_share)),
    rolling_rank_correlation: meanOf(answered.map((e) => e.rank_correlation)),
    rolling_answered: answered.length,
    rolling_expected: recent.length,
    requests_expected: (previous?.requests_expected ?? 0) + 1,
    requests_answered: (previous?.requests_answered ?? 0) + (entry.answered ? 1 : 0),
    last_request_id: entry.request_id,
  };
}

/**
 * validator_agreement/{hotkey} as stored: entries by request id plus lifetime counts. Finalisation
 * merges in its entry and increments the counts without reading the document (so a request costs
 * no read per validator, and nothing is locked); the sweep prunes entries beyond the window.
 */
export const AgreementLedgerSchema = z
  .object({
    hotkey: z.string().min(1),
    entries: z.record(z.string(), AgreementEntrySchema),
    /** Entries held (added minus pruned): the sweep prunes a ledger once this passes its bound. */
    entry_count: z.number().int().min(0),
    requests_expected: z.number().int().min(0),
    requests_answered: z.number().int().min(0),
  })
  .strict();
export type AgreementLedger = z.infer<typeof AgreementLedgerSchema>;

/** The rolling record a ledger stands for: its newest `windowSize` entries and lifetime counts. */
export function agreementRecordFromLedger(
  ledger: AgreementLedger,
  windowSize: number = AGREEMENT_WINDOW,
): ValidatorAgreementRecord | null {
  let record: ValidatorAgreementRecord | null = null;
  for (const e of newestEntries(ledger.entries, windowSize)) {
    record = nextAgreementRecord(ledger.hotkey, record, e, windowSize);
  }
  return record
    ? {
        ...record,
        requests_expected: ledger.requests_expected,
        requests_answered: ledger.requests_answered,
      }
    : null;
}

/**
 * The newest `n` entries, oldest first (by finalisation time, then request id, so the order is
 * the same for every reader).
 */
export function newestEntries<E extends { request_id: string; finalized_at: string }>(
  entries: Readonly<Record<string, E>>,
  n: number,
): E[] {
  const sorted = Object.values(entries).sort((a, b) =>
    a.finalized_at !== b.finalized_at
      ? a.finalized_at < b.finalized_at
        ? -1
        : 1
      : a.request_id < b.request_id
        ? -1
        : a.request_id > b.request_id
          ? 1
          : 0,
  );
  return sorted.slice(Math.max(0, sorted.length - n));
}

/** Request ids of the entries older than the newest `keep`: what pruning removes. */
export function entriesBeyond<E extends { request_id: string; finalized_at: string }>(
  entries: Readonly<Record<string, E>>,
  keep: number,
): string[] {
  const kept = new Set(newestEntries(entries, keep).map((e) => e.request_id));
  return Object.keys(entries).filter((id) => !kept.has(entries[id].request_id));
}
