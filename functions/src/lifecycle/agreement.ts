// Keeping validator_agreement/{hotkey} up to date. Runs inside the finalisation transaction: the
// records are read before any write and set after, so each finalised request updates each expected
// validator's record exactly once (the transaction commits once or not at all).
import { Timestamp, type Transaction } from "firebase-admin/firestore";
import {
  ConsensusSettingsSchema,
  ValidatorAgreementRecordSchema,
  nextAgreementRecord,
  type ConsensusResult,
  type ConsensusSettings,
  type ValidatorAgreementRecord,
} from "consensus-core";
import { readConsensusSettings } from "../config";
import { agreementCol, type ApiRequestDoc } from "../db";
import { log } from "../log";
import { readRollingRecords, type RecordSnapshot } from "./rollingRecords";

/** The settings recorded on the request at creation; the current params for older requests. */
export function requestConsensusSettings(request: ApiRequestDoc): ConsensusSettings {
  if (request.consensus === undefined) return readConsensusSettings();
  const parsed = ConsensusSettingsSchema.safeParse(request.consensus);
  if (parsed.success) return parsed.data;
  log.warn("request_consensus_settings_invalid", { request_id: request.request_id });
  return readConsensusSettings();
}

export type AgreementSnapshot = RecordSnapshot<ValidatorAgreementRecord>;

/** Reads the current records of these validators (null: none yet, or unreadable and restarted). */
export const readAgreementRecords = (
  tx: Transaction,
  hotkeys: readonly string[],
): Promise<AgreementSnapshot> =>
  readRollingRecords(
    tx,
    agreementCol(),
    ValidatorAgreementRecordSchema,
    "validator_agreement_unreadable",
    hotkeys,
  );

/** Appends this request to every read record: answered with its figures, or a miss. */
export function writeAgreementRecords(
  tx: Transaction,
  snapshot: AgreementSnapshot,
  requestId: string,
  consensus: ConsensusResult,
  now: Date,
): void {
  for (const [hotkey, previous] of snapshot) {
    const figures = consensus.agreement[hotkey];
    const next = nextAgreementRecord(hotkey, previous, {
      request_id: requestId,
      finalized_at: now.toISOString(),
      mode: consensus.mode,
      answered: figures !== undefined,
      clipped_share: figures?.clipped_share ?? null,
      rank_correlation: figures?.rank_correlation ?? null,
    });
    tx.set(agreementCol().doc(hotkey), { ...next, updated_at: Timestamp.fromDate(now) });
  }
}
