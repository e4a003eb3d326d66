// The per-hotkey rolling records the finalisation transaction keeps (validator_agreement,
// miner_scores): read inside the transaction before any write, so each request updates each record
// exactly once. A record that no longer parses restarts (null) with a warning, rather than
// blocking every finalisation that touches it.
import type { CollectionReference, Timestamp, Transaction } from "firebase-admin/firestore";
import type { z } from "zod";
import { log } from "../log";

/** Each hotkey's current record; null: none yet, or unreadable and restarted. */
export type RecordSnapshot<R> = Map<string, R | null>;

export async function readRollingRecords<R>(
  tx: Transaction,
  collection: CollectionReference<R & { updated_at: Timestamp }>,
  schema: z.ZodType<R>,
  unreadableEvent: string,
  hotkeys: readonly string[],
): Promise<RecordSnapshot<R>> {
  const unique = [...new Set(hotkeys)].sort();
  const snapshot: RecordSnapshot<R> = new Map();
  if (unique.length === 0) return snapshot;
  const docs = await tx.getAll(...unique.map((h) => collection.doc(h)));
  docs.forEach((doc, i) => {
    const data = doc.data();
    if (!data) {
      snapshot.set(unique[i], null);
      return;
    }
    const { updated_at: _updatedAt, ...record } = data;
    const parsed = schema.safeParse(record);
    if (!parsed.success) log.warn(unreadableEvent, { hotkey: unique[i] });
    snapshot.set(unique[i], parsed.success ? parsed.data : null);
  });
  return snapshot;
}
