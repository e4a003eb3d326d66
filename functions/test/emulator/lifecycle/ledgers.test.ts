// The ledgers finalisation writes without reading (validator_agreement, miner_scores) are pruned by
// the sweep once they hold LEDGER_SLACK entries beyond their window: the newest window stays, the
// rolling record is unchanged by pruning, and an entry merged in meanwhile is never lost.
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { AGREEMENT_WINDOW, type AgreementEntry } from "consensus-core";
import { agreementCol } from "../../../src/db";
import {
  AGREEMENT_LEDGER,
  LEDGER_SLACK,
  ledgerRecord,
  pruneLedgers,
} from "../../../src/lifecycle/ledgers";
import { clearFirestore } from "../../support/emulator";

beforeEach(() => clearFirestore());

const entry = (n: number): AgreementEntry => ({
  request_id: `req-${String(n).padStart(4, "0")}`,
  finalized_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  mode: "weighted",
  answered: n % 3 !== 0,
  clipped_share: n % 3 !== 0 ? (n % 7) / 7 : null,
  rank_correlation: null,
});

test("a ledger past its bound keeps its newest window, and reads the same before and after", async () => {
  const total = AGREEMENT_WINDOW + LEDGER_SLACK + 5;
  const entries = Array.from({ length: total }, (_, i) => entry(i));
  const ref = agreementCol().doc("val-a");
  // As finalisation writes it: one merge per request, counts by increment.
  for (const e of entries) {
    await ref.set(
      {
        hotkey: "val-a",
        entries: { [e.request_id]: e },
        entry_count: FieldValue.increment(1),
        requests_expected: FieldValue.increment(1),
        requests_answered: FieldValue.increment(e.answered ? 1 : 0),
        updated_at: Timestamp.now(),
      },
      { merge: true },
    );
  }
  // A ledger under its bound is left alone.
  await agreementCol()
    .doc("val-b")
    .set({
      hotkey: "val-b",
      entries: { [entry(1).request_id]: entry(1) },
      entry_count: 1,
      requests_expected: 1,
      requests_answered: 1,
      updated_at: Timestamp.now(),
    });
  const before = ledgerRecord(AGREEMENT_LEDGER, await ref.get())!;

  expect(await pruneLedgers()).toEqual({ agreement: total - AGREEMENT_WINDOW, miner_scores: 0 });
  const stored = (await ref.get()).data()!;
  expect(stored.entry_count).toBe(AGREEMENT_WINDOW);
  expect(Object.keys(stored.entries).sort()).toEqual(
    entries.slice(-AGREEMENT_WINDOW).map((e) => e.request_id),
  );
  const { updated_at: _a, ...after } = ledgerRecord(AGREEMENT_LEDGER, await ref.get())!;
  const { updated_at: _b, ...was } = before;
  expect(after).toEqual(was);
  expect(after.requests_expected).toBe(total);
  expect((await agreementCol().doc("val-b").get()).data()!.entry_count).toBe(1);
  // Nothing left to prune.
  expect(await pruneLedgers()).toEqual({ agreement: 0, miner_scores: 0 });
});
