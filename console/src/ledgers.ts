// The backend's per-hotkey ledgers (validator_agreement, miner_scores) read with core's own rule, so
// the console shows the very figure `admin agreement`, `admin miner-scores` and the validators'
// weights use. Imported from core's source: these modules are pure (zod and arithmetic).
import {
  AgreementLedgerSchema,
  agreementRecordFromLedger,
  type ValidatorAgreementRecord,
} from "../../core/src/agreement";
import {
  MinerScoreLedgerSchema,
  minerScoreRecordFromLedger,
  type MinerScoreRecord,
} from "../../core/src/minerScores";

function withoutTimestamp(data: unknown): unknown {
  if (data === null || typeof data !== "object") return data;
  const { updated_at: _updatedAt, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** A validator_agreement document as its rolling record (null: not a ledger core can read). */
export function agreementRecord(data: unknown): ValidatorAgreementRecord | null {
  const parsed = AgreementLedgerSchema.safeParse(withoutTimestamp(data));
  return parsed.success ? agreementRecordFromLedger(parsed.data) : null;
}

/** A miner_scores document as its rolling record (null: not a ledger core can read). */
export function minerScoreRecord(data: unknown): MinerScoreRecord | null {
  const parsed = MinerScoreLedgerSchema.safeParse(withoutTimestamp(data));
  return parsed.success ? minerScoreRecordFromLedger(parsed.data) : null;
}
