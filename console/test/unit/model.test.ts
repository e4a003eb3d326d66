// The console's pure view-model: rows from request documents, node liveness, percentiles and
// buckets for the plots, agreement figures from consensus_metrics. Every document here is built
// through core's schemas (./fixtures.ts), as the backend writes it.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  agreementByValidator,
  bucketize,
  closedHow,
  deadlineLagMs,
  DEFAULT_LIVENESS,
  LIVENESS,
  livenessFrom,
  millis,
  missingValidators,
  nodeState,
  percentile,
  rollingAgreement,
  rollingMinerScore,
  roundTimeMs,
  toNodeRow,
  toRequestRow,
} from "../../src/model";
import {
  consensusLead,
  metricsDoc,
  registryDoc,
  requestDoc,
  resultOf,
  stored,
  ts,
} from "./fixtures";

describe("millis", () => {
  test("reads stored timestamps; an absent one is null", () => {
    expect(millis(ts(5))).toBe(5);
    expect(millis(null)).toBeNull();
    expect(millis(undefined)).toBeNull();
  });
});

describe("toRequestRow", () => {
  test("a completed request takes its answers from the result", () => {
    const row = toRequestRow(
      "r1",
      requestDoc({
        status: "completed",
        created_at: ts(1_000),
        validator_deadline: ts(91_000),
        finalized_at: ts(3_500),
        expected_validators: ["A", "B", "C"],
        closed_by: "task",
        result: resultOf({
          participants: ["A", "B"],
          timed_out: ["C"],
          miners: ["M"],
          finalized_by: "deadline",
          leads: [consensusLead("x@y.io", 1)],
        }),
      }),
    );
    expect(row.open).toBe(false);
    expect(row.answered).toEqual(["A", "B"]);
    expect(missingValidators(row)).toEqual(["C"]);
    expect(row.minersSubmitted).toEqual(["M"]);
    expect(roundTimeMs(row)).toBe(2_500);
    // Finalised before its deadline: the lag is 0, not negative.
    expect(deadlineLagMs(row)).toBe(0);
    expect(row.leads).toHaveLength(1);
    expect(row.leads[0].email).toBe("x@y.io");
  });

  test("an open request counts the rankings, submissions and declines seen so far", () => {
    const row = toRequestRow(
      "r2",
      requestDoc({
        status: "processing",
        created_at: ts(0),
        expected_validators: ["A", "B"],
        expected_miners: ["M", "N"],
      }),
      { validators: new Set(["B"]), miners: new Set(["M"]), declined: new Set(["N"]) },
    );
    expect(row.open).toBe(true);
    expect(row.answered).toEqual(["B"]);
    expect(missingValidators(row)).toEqual(["A"]);
    expect(row.minersDeclined).toEqual(["N"]);
    expect(row.expectedMiners).toEqual(["M", "N"]);
    expect(roundTimeMs(row)).toBeNull();
  });

  test("declines come from miner_declines for a final round too (no request field records them)", () => {
    const row = toRequestRow(
      "r7",
      requestDoc({
        status: "completed",
        expected_miners: ["M", "N"],
        finalized_at: ts(5_000),
        result: resultOf({ participants: ["A"], miners: ["M"] }),
      }),
      { validators: new Set(), miners: new Set(), declined: new Set(["N"]) },
    );
    expect(row.minersSubmitted).toEqual(["M"]);
    expect(row.minersDeclined).toEqual(["N"]);
    expect(toRequestRow("r8", requestDoc()).minersDeclined).toEqual([]);
  });

  test("issue 9's fields: how it closed, late validators (answered, not missing), failure reason", () => {
    const row = toRequestRow(
      "r4",
      requestDoc({
        status: "completed",
        closed_by: "task",
        late_validators: ["C"],
        expected_validators: ["A", "B", "C", "D"],
        finalized_at: ts(1),
        result: resultOf({
          participants: ["A", "B"],
          timed_out: ["C", "D"],
          finalized_by: "early_close",
        }),
      }),
    );
    expect(row.late).toEqual(["C"]);
    expect(row.closedBy).toBe("task");
    expect(closedHow(row)).toBe("early_close via task");
    // C answered after the result (late); only D never answered.
    expect(missingValidators(row)).toEqual(["D"]);

    const failed = toRequestRow(
      "r5",
      requestDoc({
        status: "failed",
        failure_reason: "no_miner_submitted",
        closed_by: "sweep",
        finalized_at: ts(1),
      }),
    );
    expect(failed.failureReason).toBe("no_miner_submitted");
    expect(closedHow(failed)).toBe("failed via sweep");
    expect(closedHow(toRequestRow("r6", requestDoc({ status: "pending" })))).toBe("");
  });

  test("a request as created (no result, no close fields yet) gives an open row", () => {
    const row = toRequestRow("r3", requestDoc());
    expect(row).toMatchObject({
      id: "r3",
      status: "pending",
      open: true,
      answered: [],
      late: [],
      closedBy: null,
      finalizedBy: null,
      expectedValidators: ["A"],
      expectedMiners: [],
    });
    expect(deadlineLagMs(row)).toBeNull();
    // Requests older than expected_miners have none recorded: not "0 expected".
    const { expected_miners: _m, ...older } = requestDoc();
    expect(toRequestRow("r9", stored("request", older)).expectedMiners).toBeNull();
  });

  test("deadline lag is measured for deadline-finalised and failed requests only", () => {
    const base = { created_at: ts(0), validator_deadline: ts(90_000), finalized_at: ts(95_000) };
    const finished = (over: Parameters<typeof requestDoc>[0]) =>
      deadlineLagMs(toRequestRow("x", requestDoc({ ...base, ...over })));
    expect(finished({ status: "completed", result: resultOf({ finalized_by: "deadline" }) })).toBe(
      5_000,
    );
    expect(finished({ status: "failed", failure_reason: "no_rankings" })).toBe(5_000);
    expect(
      finished({ status: "completed", result: resultOf({ finalized_by: "quorum" }) }),
    ).toBeNull();
  });
});

describe("liveness window", () => {
  test("taken from the newest request that records the backend's params", () => {
    const { liveness: _l, ...unrecorded } = requestDoc();
    const l = livenessFrom([
      { id: "new", data: stored("request", unrecorded) },
      { id: "mid", data: requestDoc({ liveness: { window_ms: 30_000, period_ms: 10_000 } }) },
      { id: "old", data: requestDoc({ liveness: { window_ms: 90_000, period_ms: 30_000 } }) },
    ]);
    expect(l).toEqual({ deadAfterMs: 30_000, lagAfterMs: 15_000, from: "mid" });
    // Lagging is never later than dead, whatever the period.
    expect(
      livenessFrom([
        { id: "x", data: requestDoc({ liveness: { window_ms: 20_000, period_ms: 60_000 } }) },
      ]),
    ).toMatchObject({ deadAfterMs: 20_000, lagAfterMs: 20_000 });
  });

  test("the defaults until a request records them", () => {
    expect(livenessFrom([])).toEqual(LIVENESS);
    // A recorded window of 0 (never written, but not a window) is skipped; no period: the default.
    expect(
      livenessFrom([{ id: "a", data: requestDoc({ liveness: { window_ms: 0, period_ms: null } }) }])
        .from,
    ).toBeNull();
    expect(
      livenessFrom([
        { id: "b", data: requestDoc({ liveness: { window_ms: 60_000, period_ms: null } }) },
      ]),
    ).toEqual({ deadAfterMs: 60_000, lagAfterMs: 22_500, from: "b" });
    expect(LIVENESS).toMatchObject({ deadAfterMs: 45_000, from: null });
  });

  test("the page's defaults are the backend's (functions/.env), not a second truth", () => {
    const env = readFileSync(resolve(__dirname, "../../../functions/.env"), "utf8");
    const seconds = (name: string) => Number(new RegExp(`^${name}=(\\d+)$`, "m").exec(env)![1]);
    expect(DEFAULT_LIVENESS.windowMs).toBe(seconds("HEARTBEAT_WINDOW_SECONDS") * 1000);
    expect(DEFAULT_LIVENESS.periodMs).toBe(seconds("HEARTBEAT_PERIOD_SECONDS") * 1000);
  });

  test("a node row uses the window it is given", () => {
    const now = 100_000;
    const entry = registryDoc({ is_serving: true, last_seen: ts(now - 35_000) });
    expect(toNodeRow(entry, now).state).toBe("lagging");
    const short = livenessFrom([
      { id: "r", data: requestDoc({ liveness: { window_ms: 30_000, period_ms: null } }) },
    ]);
    expect(toNodeRow(entry, now, short).state).toBe("dead");
  });
});

describe("nodeState", () => {
  const now = 1_000_000;
  test("live, lagging, dead by heartbeat age; off when not serving", () => {
    expect(nodeState(true, now - 1_000, now)).toBe("live");
    expect(nodeState(true, now - LIVENESS.lagAfterMs - 1, now)).toBe("lagging");
    expect(nodeState(true, now - LIVENESS.deadAfterMs - 1, now)).toBe("dead");
    expect(nodeState(false, now - 1_000, now)).toBe("off");
    expect(nodeState(false, now - LIVENESS.deadAfterMs - 1, now)).toBe("dead");
    expect(nodeState(true, null, now)).toBe("dead");
  });

  test("a registry document becomes a node row", () => {
    const row = toNodeRow(
      registryDoc({
        hotkey: "HK",
        uid: 3,
        role: "validator",
        validator_trust: 0.4,
        is_serving: true,
        last_seen: ts(now - 500),
      }),
      now,
    );
    expect(toNodeRow(registryDoc({ role: null, last_seen: null }), now)).toMatchObject({
      role: "none",
      state: "dead",
    });
    expect(row).toMatchObject({
      hotkey: "HK",
      uid: 3,
      role: "validator",
      trust: 0.4,
      state: "live",
    });
  });
});

describe("statistics", () => {
  test("nearest-rank percentiles", () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });

  test("bucketize drops points into equal time buckets and ignores the outside", () => {
    const b = bucketize(
      [
        { t: 0, v: 1 },
        { t: 49, v: 2 },
        { t: 50, v: 3 },
        { t: 99, v: 4 },
        { t: 100, v: 5 },
        { t: -1, v: 6 },
      ],
      0,
      100,
      2,
    );
    expect(b.map((x) => x.values)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test("agreement figures: clipped share, else rank correlation, per validator", () => {
    const figures = (clipped: number | null, correlation: number | null) => ({
      clipped_share: clipped,
      rank_correlation: correlation,
      leads_scored: 1,
    });
    expect(
      agreementByValidator(
        metricsDoc({
          agreement: {
            A: figures(0.9, 0.2),
            B: figures(null, -0.5),
            C: figures(null, null),
          },
        }),
      ),
    ).toEqual({ A: 0.9, B: -0.5 });
    expect(agreementByValidator(metricsDoc())).toEqual({});
  });

  test("rolling figures from the ledgers as the backend stores them", () => {
    const ledger = (clipped: (number | null)[], correlation: number) =>
      stored("agreement", {
        hotkey: "A",
        entries: Object.fromEntries(
          clipped.map((c, i) => [
            `r${i}`,
            {
              request_id: `r${i}`,
              finalized_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
              mode: "clipped",
              answered: true,
              clipped_share: c,
              rank_correlation: correlation,
            },
          ]),
        ),
        entry_count: clipped.length,
        requests_expected: clipped.length,
        requests_answered: clipped.length,
        updated_at: ts(0),
      });
    expect(rollingAgreement(ledger([0.6, 1], 0.1))).toBe(0.8);
    expect(rollingAgreement(ledger([null], 0.1))).toBe(0.1);
    expect(rollingAgreement(ledger([], 0))).toBeNull();
    const credit = (c: number, i: number) => ({
      request_id: `r${i}`,
      finalized_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      credit: c,
      leads_credited: 1,
    });
    expect(
      rollingMinerScore(
        stored("minerScores", {
          hotkey: "M",
          entries: { r0: credit(0.2, 0), r1: credit(0.6, 1) },
          entry_count: 2,
          requests: 2,
          leads_credited: 2,
          total_credit: 0.8,
          updated_at: ts(0),
        }),
      ),
    ).toBeCloseTo(0.4, 12);
  });
});
