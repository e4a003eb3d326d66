// Adding a finalised request to validator_agreement/{hotkey}: one entry per expected validator,
// merged into its ledger inside the finalisation's commit without reading it (so the request costs
// no read per validator and locks nothing; the commit happens once, so each entry and each count
// is added once). Readers turn a ledger into the rolling record with agreementRecordFromLedger.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import {
  ConsensusSettingsSchema,
  type AgreementEntry,
  type ConsensusResult,
  type ConsensusSettings,
} from "consensus-core";
import { readConsensusSettings } from "../config";
import { agreementCol, type ApiRequestDoc } from "../db";
import { logs } from "../logs";

/** The settings recorded on the request at creation; the current params for older requests. */
export function requestConsensusSettings(request: ApiRequestDoc): ConsensusSettings {
  if (request.consensus === undefined) return readConsensusSettings();
  const parsed = ConsensusSettingsSchema.safeParse(request.consensus);
  if (parsed.success) return parsed.data;
  logs.requestConsensusSettingsInvalid({ request_id: request.request_id });
  return readConsensusSettings();
}

/** Adds this request to every expected validator's ledger: answered with its figures, or a miss. */
export function writeAgreementEntries(
  tx: Transaction,
  hotkeys: readonly string[],
  requestId: string,
  consensus: ConsensusResult,
  now: Date,
): void {
  for (const hotkey of new Set(hotkeys)) {
    const figures = consensus.agreement[hotkey];
    const entry: AgreementEntry = {
      request_id: requestId,
      finalized_at: now.toISOString(),
      mode: consensus.mode,
      answered: figures !== undefined,
      clipped_share: figures?.clipped_share ?? null,
      rank_correlation: figures?.rank_correlation ?? null,
    };
    tx.set(
      agreementCol().doc(hotkey),
      {
        hotkey,
        entries: { [requestId]: entry },
        entry_count: FieldValue.increment(1),
        requests_expected: FieldValue.increment(1),
        requests_answered: FieldValue.increment(entry.answered ? 1 : 0),
        updated_at: Timestamp.fromDate(now),
      },
      { merge: true },
    );
  }
}
