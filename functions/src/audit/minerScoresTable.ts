// Reading miner_scores for operators: each miner's rolling credit from consensus, with its uid from
// the registry (what a validator's weights go to), highest rolling score first.
import type { MinerScoreRecord } from "consensus-core";
import { minerScoresCol, registryCol } from "../db";
import { MINER_SCORE_LEDGER, ledgerRecord } from "../lifecycle/ledgers";

export type MinerScoreRow = Omit<MinerScoreRecord, "recent"> & {
  /** The registry's uid, or null when the hotkey is no longer registered. */
  uid: number | null;
  role: string | null;
  /** Requests in the rolling window. */
  window_requests: number;
  updated_at: string;
};

export async function readMinerScoresTable(): Promise<MinerScoreRow[]> {
  const docs = (await minerScoresCol().get()).docs;
  const entries = docs.length
    ? await registryCol().firestore.getAll(...docs.map((d) => registryCol().doc(d.id)))
    : [];
  const rows = docs.flatMap((doc, i): MinerScoreRow[] => {
    const read = ledgerRecord(MINER_SCORE_LEDGER, doc);
    if (!read) return [];
    const { recent, updated_at, ...record } = read;
    const entry = entries[i].data() as { uid?: number; role?: string | null } | undefined;
    return [
      {
        ...record,
        uid: entry?.uid ?? null,
        role: entry?.role ?? null,
        window_requests: recent.length,
        updated_at: updated_at.toDate().toISOString(),
      },
    ];
  });
  return rows.sort((a, b) => b.rolling_score - a.rolling_score || (a.hotkey < b.hotkey ? -1 : 1));
}

export function formatMinerScoresTable(rows: readonly MinerScoreRow[]): string {
  if (rows.length === 0) return "No miner scores yet (none of the miners' requests has finalised).";
  const lines = ["uid    rolling   requests  leads  total     hotkey"];
  for (const r of rows) {
    lines.push(
      `${String(r.uid ?? "-").padEnd(6)} ${r.rolling_score.toFixed(4).padEnd(9)} ` +
        `${String(r.requests).padEnd(9)} ${String(r.leads_credited).padEnd(6)} ` +
        `${r.total_credit.toFixed(4).padEnd(9)} ${r.hotkey}`,
    );
  }
  return lines.join("\n");
}
