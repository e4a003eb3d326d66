// Keeping miner_scores/{hotkey} up to date. Runs inside the finalisation transaction like
// validator_agreement (agreement.ts): the records are read before any write and set after, so each
// finalised request credits each involved miner exactly once (the transaction commits once or not
// at all). The credit rule is core's creditMiners.
import { Timestamp, type Transaction } from "firebase-admin/firestore";
import {
  MinerScoreRecordSchema,
  creditMiners,
  nextMinerScoreRecord,
  type ConsensusLead,
  type MinerScoreRecord,
  type PooledLead,
} from "consensus-core";
import { minerScoresCol } from "../db";
import { readRollingRecords, type RecordSnapshot } from "./rollingRecords";

export type MinerScoreSnapshot = RecordSnapshot<MinerScoreRecord>;

/** Reads the current records of these miners (null: none yet, or unreadable and restarted). */
export const readMinerScoreRecords = (
  tx: Transaction,
  hotkeys: readonly string[],
): Promise<MinerScoreSnapshot> =>
  readRollingRecords(
    tx,
    minerScoresCol(),
    MinerScoreRecordSchema,
    "miner_scores_unreadable",
    hotkeys,
  );

/** Credits this request to every read record (0 for a miner none of whose leads was returned). */
export function writeMinerScoreRecords(
  tx: Transaction,
  snapshot: MinerScoreSnapshot,
  requestId: string,
  leads: readonly ConsensusLead[],
  pool: ReadonlyMap<string, PooledLead>,
  now: Date,
): void {
  const credit = creditMiners(leads, pool, [...snapshot.keys()]);
  for (const [hotkey, previous] of snapshot) {
    const c = credit.get(hotkey) ?? { credit: 0, leads_credited: 0 };
    const next = nextMinerScoreRecord(hotkey, previous, {
      request_id: requestId,
      finalized_at: now.toISOString(),
      credit: c.credit,
      leads_credited: c.leads_credited,
    });
    tx.set(minerScoresCol().doc(hotkey), { ...next, updated_at: Timestamp.fromDate(now) });
  }
}
