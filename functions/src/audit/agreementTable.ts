// Reading validator_agreement for operators: every validator's rolling figures, or one hotkey's.
import type { ValidatorAgreementRecord } from "consensus-core";
import { agreementCol } from "../db";
import { AGREEMENT_LEDGER, ledgerRecord } from "../lifecycle/ledgers";

export type AgreementRow = ValidatorAgreementRecord & { updated_at: string };

/** Lowest rolling clipped share first (no figure yet sorts last), then hotkey. */
export function sortAgreementRows(rows: AgreementRow[]): AgreementRow[] {
  const key = (r: AgreementRow) => r.rolling_clipped_share ?? Number.POSITIVE_INFINITY;
  return rows.sort((a, b) => key(a) - key(b) || (a.hotkey < b.hotkey ? -1 : 1));
}

export async function readAgreementTable(hotkey?: string): Promise<AgreementRow[]> {
  const docs = hotkey
    ? [await agreementCol().doc(hotkey).get()]
    : (await agreementCol().get()).docs;
  const rows: AgreementRow[] = [];
  for (const doc of docs) {
    const record = ledgerRecord(AGREEMENT_LEDGER, doc);
    if (record) rows.push({ ...record, updated_at: record.updated_at.toDate().toISOString() });
  }
  return sortAgreementRows(rows);
}
