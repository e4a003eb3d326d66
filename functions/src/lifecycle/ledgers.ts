// The per-hotkey ledgers finalisation writes without reading (validator_agreement, miner_scores):
// reading one as its rolling record, and pruning entries beyond the window. Finalisation only adds
// entries, so the sweep prunes a ledger once it holds LEDGER_SLACK more than its window: each
// ledger is read once per LEDGER_SLACK requests instead of once per request.
import {
  FieldPath,
  FieldValue,
  type CollectionReference,
  type DocumentSnapshot,
  type Timestamp,
} from "firebase-admin/firestore";
import {
  AGREEMENT_WINDOW,
  AgreementLedgerSchema,
  MINER_SCORE_WINDOW,
  MinerScoreLedgerSchema,
  agreementRecordFromLedger,
  entriesBeyond,
  minerScoreRecordFromLedger,
  type MinerScoreRecord,
  type ValidatorAgreementRecord,
} from "consensus-core";
import type { z } from "zod";
import { agreementCol, minerScoresCol } from "../db";
import { logs } from "../logs";

/** Entries a ledger may hold beyond its window before the sweep prunes it. */
export const LEDGER_SLACK = 40;

type Stored<L> = L & { updated_at: Timestamp };

interface LedgerKind<L, R> {
  collection: () => CollectionReference<Stored<L>>;
  schema: z.ZodType<L>;
  window: number;
  toRecord: (ledger: L) => R | null;
  /** Logs a stored ledger that no longer parses. */
  unreadable: (f: { hotkey: string }) => void;
}

export const AGREEMENT_LEDGER: LedgerKind<
  z.infer<typeof AgreementLedgerSchema>,
  ValidatorAgreementRecord
> = {
  collection: agreementCol,
  schema: AgreementLedgerSchema,
  window: AGREEMENT_WINDOW,
  toRecord: (l) => agreementRecordFromLedger(l),
  unreadable: logs.validatorAgreementUnreadable,
};

export const MINER_SCORE_LEDGER: LedgerKind<
  z.infer<typeof MinerScoreLedgerSchema>,
  MinerScoreRecord
> = {
  collection: minerScoresCol,
  schema: MinerScoreLedgerSchema,
  window: MINER_SCORE_WINDOW,
  toRecord: (l) => minerScoreRecordFromLedger(l),
  unreadable: logs.minerScoresUnreadable,
};

/** A stored ledger as its rolling record (null: no entry yet, or unreadable, which is logged). */
export function ledgerRecord<L, R>(
  kind: LedgerKind<L, R>,
  doc: DocumentSnapshot<Stored<L>>,
): (R & { updated_at: Timestamp }) | null {
  const data = doc.data();
  if (!data) return null;
  const { updated_at: updatedAt, ...ledger } = data;
  const parsed = kind.schema.safeParse(ledger);
  if (!parsed.success) {
    kind.unreadable({ hotkey: doc.id });
    return null;
  }
  const record = kind.toRecord(parsed.data);
  return record ? { ...record, updated_at: updatedAt } : null;
}

/** Prunes every ledger of this kind holding more than window + LEDGER_SLACK entries. */
async function pruneKind<
  L extends { entries: Record<string, { request_id: string; finalized_at: string }> },
  R,
>(kind: LedgerKind<L, R>): Promise<number> {
  const due = await kind
    .collection()
    .where("entry_count", ">", kind.window + LEDGER_SLACK)
    .limit(100)
    .get();
  let pruned = 0;
  for (const doc of due.docs) {
    pruned += await doc.ref.firestore.runTransaction(async (tx) => {
      const current = await tx.get(doc.ref);
      const entries = (current.data()?.entries ?? {}) as L["entries"];
      const drop = entriesBeyond(entries, kind.window);
      if (drop.length === 0) return 0;
      // Field deletes, not a rewrite: an entry merged in meanwhile is never lost.
      tx.update(
        doc.ref,
        "entry_count",
        FieldValue.increment(-drop.length),
        ...drop.flatMap((id) => [new FieldPath("entries", id), FieldValue.delete()]),
      );
      return drop.length;
    });
  }
  return pruned;
}

export async function pruneLedgers(): Promise<{ agreement: number; miner_scores: number }> {
  const [agreement, minerScores] = await Promise.all([
    pruneKind(AGREEMENT_LEDGER),
    pruneKind(MINER_SCORE_LEDGER),
  ]);
  if (agreement + minerScores > 0) {
    logs.ledgersPruned({ agreement, miner_scores: minerScores });
  }
  return { agreement, miner_scores: minerScores };
}
