import {
  AGREEMENT_WINDOW,
  AgreementLedgerSchema,
  ValidatorAgreementRecordSchema,
  agreementRecordFromLedger,
  entriesBeyond,
  newestEntries,
  nextAgreementRecord,
  type AgreementEntry,
  type ValidatorAgreementRecord,
} from "../../src/agreement";

const entry = (n: number, over: Partial<AgreementEntry> = {}): AgreementEntry => ({
  request_id: `req-${n}`,
  finalized_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  mode: "weighted",
  answered: true,
  clipped_share: 1,
  rank_correlation: 1,
  ...over,
});

describe("nextAgreementRecord", () => {
  it("starts a record from the first request", () => {
    const r = nextAgreementRecord("val-a", null, entry(1, { clipped_share: 0.8 }));
    expect(r).toEqual({
      hotkey: "val-a",
      window_size: AGREEMENT_WINDOW,
      recent: [entry(1, { clipped_share: 0.8 })],
      rolling_clipped_share: 0.8,
      rolling_rank_correlation: 1,
      rolling_answered: 1,
      rolling_expected: 1,
      requests_expected: 1,
      requests_answered: 1,
      last_request_id: "req-1",
    });
    expect(ValidatorAgreementRecordSchema.parse(r)).toEqual(r);
  });

  it("averages the answered requests in the window; a miss counts against answered only", () => {
    let r = nextAgreementRecord(
      "val-a",
      null,
      entry(1, { clipped_share: 1, rank_correlation: 0.5 }),
    );
    r = nextAgreementRecord("val-a", r, entry(2, { clipped_share: 0.4, rank_correlation: -0.5 }));
    r = nextAgreementRecord(
      "val-a",
      r,
      entry(3, { answered: false, clipped_share: null, rank_correlation: null }),
    );
    r = nextAgreementRecord("val-a", r, entry(4, { clipped_share: 0.7, rank_correlation: null }));
    expect(r.rolling_clipped_share).toBe(0.7); // (1 + 0.4 + 0.7) / 3
    expect(r.rolling_rank_correlation).toBe(0); // (0.5 - 0.5) / 2; null figures are skipped
    expect(r.rolling_answered).toBe(3);
    expect(r.rolling_expected).toBe(4);
    expect(r.requests_answered).toBe(3);
    expect(r.requests_expected).toBe(4);
  });

  it("keeps only the last window of requests; lifetime counts keep growing", () => {
    let r = null;
    // A dishonest streak after ten honest requests: the rolling figure follows within the window.
    for (let i = 0; i < 10; i++) r = nextAgreementRecord("val-a", r, entry(i));
    for (let i = 10; i < 13; i++) {
      r = nextAgreementRecord("val-a", r, entry(i, { clipped_share: 0.1 }), 4);
    }
    expect(r!.recent.map((e) => e.request_id)).toEqual(["req-9", "req-10", "req-11", "req-12"]);
    expect(r!.window_size).toBe(4);
    expect(r!.rolling_clipped_share).toBe(0.325); // (1 + 0.1 · 3) / 4
    expect(r!.requests_expected).toBe(13);
  });

  it("counts a request once even if the same update is applied twice", () => {
    const once = nextAgreementRecord("val-a", null, entry(1));
    expect(nextAgreementRecord("val-a", once, entry(1, { clipped_share: 0 }))).toBe(once);
  });

  it("a validator that never answered has no figures, only misses", () => {
    const r = nextAgreementRecord(
      "val-a",
      null,
      entry(1, { answered: false, clipped_share: null, rank_correlation: null }),
    );
    expect(r).toMatchObject({
      rolling_clipped_share: null,
      rolling_rank_correlation: null,
      rolling_answered: 0,
      rolling_expected: 1,
    });
  });
});

describe("agreement ledgers", () => {
  const ledgerOf = (entries: AgreementEntry[], counts = { expected: 0, answered: 0 }) => ({
    hotkey: "val-a",
    entries: Object.fromEntries(entries.map((e) => [e.request_id, e])),
    entry_count: entries.length,
    requests_expected: counts.expected || entries.length,
    requests_answered: counts.answered || entries.filter((e) => e.answered).length,
  });

  it("reads as the record the same requests folded in order would give", () => {
    const entries = Array.from({ length: 14 }, (_, i) =>
      entry(i, { clipped_share: (i % 5) / 5, answered: i % 4 !== 0 }),
    );
    let folded: ValidatorAgreementRecord | null = null;
    for (const e of entries) folded = nextAgreementRecord("val-a", folded, e);
    // Stored in any key order: the reader orders by finalisation time.
    const shuffled = [...entries].reverse();
    const record = agreementRecordFromLedger(ledgerOf(shuffled));
    expect(record).toEqual(folded);
    expect(record!.recent).toHaveLength(AGREEMENT_WINDOW);
    expect(AgreementLedgerSchema.safeParse(ledgerOf(entries)).success).toBe(true);
  });

  it("takes lifetime counts from the ledger, not from the entries it still holds", () => {
    const record = agreementRecordFromLedger(
      ledgerOf([entry(1), entry(2)], { expected: 40, answered: 31 }),
    );
    expect(record).toMatchObject({
      requests_expected: 40,
      requests_answered: 31,
      rolling_expected: 2,
    });
  });

  it("is null with no entry", () => {
    expect(agreementRecordFromLedger(ledgerOf([]))).toBeNull();
  });

  it("orders ties in time by request id, and prunes all but the newest", () => {
    const same = new Date(Date.UTC(2026, 0, 1)).toISOString();
    const a = entry(1, { request_id: "b", finalized_at: same });
    const b = entry(2, { request_id: "a", finalized_at: same });
    const c = entry(3);
    const entries = { b: a, a: b, [c.request_id]: c };
    expect(newestEntries(entries, 2).map((e) => e.request_id)).toEqual(["b", c.request_id]);
    expect(entriesBeyond(entries, 2)).toEqual(["a"]);
    expect(entriesBeyond(entries, 5)).toEqual([]);
  });
});
