// The backend's per-hotkey ledgers (validator_agreement, miner_scores) read with core's own rule, so
// the console shows the very figure `admin agreement`, `admin miner-scores` and the validators'
// weights use. Imported from core's source: these modules are pure (zod and arithmetic). The
// documents arrive parsed by core's schemas (src/documents.ts).
import { agreementRecordFromLedger, type ValidatorAgreementRecord } from "../../core/src/agreement";
import { minerScoreRecordFromLedger, type MinerScoreRecord } from "../../core/src/minerScores";
import type { AgreementDoc, MinerScoresDoc } from "./documents";

/** A validator_agreement document as its rolling record (null: no entries yet). */
export function agreementRecord({
  updated_at: _at,
  ...ledger
}: AgreementDoc): ValidatorAgreementRecord | null {
  return agreementRecordFromLedger(ledger);
}

/** A miner_scores document as its rolling record (null: no entries yet). */
export function minerScoreRecord({
  updated_at: _at,
  ...ledger
}: MinerScoresDoc): MinerScoreRecord | null {
  return minerScoreRecordFromLedger(ledger);
}
