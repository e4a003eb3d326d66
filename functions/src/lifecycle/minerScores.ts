// Crediting a finalised request to miner_scores/{hotkey}: one entry per involved miner, merged into
// its ledger inside the finalisation's commit without reading it, like validator_agreement
// (agreement.ts). The credit rule is core's creditMiners; readers use minerScoreRecordFromLedger.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import {
  creditMiners,
  type ConsensusLead,
  type MinerScoreEntry,
  type PooledLead,
} from "consensus-core";
import { minerScoresCol } from "../db";

/** Credits this request to every involved miner (0 for one none of whose leads was returned). */
export function writeMinerScoreEntries(
  tx: Transaction,
  hotkeys: readonly string[],
  requestId: string,
  leads: readonly ConsensusLead[],
  pool: ReadonlyMap<string, PooledLead>,
  now: Date,
): void {
  const credit = creditMiners(leads, pool, hotkeys);
  for (const [hotkey, c] of credit) {
    const entry: MinerScoreEntry = {
      request_id: requestId,
      finalized_at: now.toISOString(),
      credit: c.credit,
      leads_credited: c.leads_credited,
    };
    tx.set(
      minerScoresCol().doc(hotkey),
      {
        hotkey,
        entries: { [requestId]: entry },
        entry_count: FieldValue.increment(1),
        requests: FieldValue.increment(1),
        leads_credited: FieldValue.increment(c.leads_credited),
        total_credit: FieldValue.increment(c.credit),
        updated_at: Timestamp.fromDate(now),
      },
      { merge: true },
    );
  }
}
