// The rounds and nodes views as HTML strings (pure functions of the view-model): issue 9's rounds
// (how each closed, late validators, miners submitted/declined of expected, failure reasons) and
// the liveness note naming where the page's window came from. The browser tests cover the live page;
// these cover the cases its real rounds do not produce (failures, late rankings, deadline closes).
import { esc } from "../../src/dom";
import { LIVENESS, livenessFrom, toRequestRow } from "../../src/model";
import { livenessNote } from "../../src/views/nodes";
import { roundsTable } from "../../src/views/rounds";
import { requestDoc, resultOf, ts } from "./fixtures";

/** Text of the cell with data-col=`col` in the row of request `id`. */
function cell(html: string, id: string, col: string): string {
  const row = new RegExp(`<tr data-request-id="${id}"[\\s\\S]*?</tr>`).exec(html)![0];
  const td = new RegExp(`data-col="${col}"[^>]*>([\\s\\S]*?)</td>`).exec(row)![1];
  return td
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

test("rounds: a deadline close with a late and a timed-out validator, and a failed round", () => {
  const rows = [
    toRequestRow(
      "done",
      requestDoc({
        status: "completed",
        closed_by: "task",
        late_validators: ["C"],
        expected_validators: ["A", "B", "C", "D"],
        expected_miners: ["M", "N", "O"],
        finalized_at: ts(95_000),
        result: resultOf({
          participants: ["A", "B"],
          timed_out: ["C", "D"],
          miners: ["M", "N"],
          finalized_by: "deadline",
        }),
      }),
      // The decline as the recent-declines listener saw it (miner_declines/{request}_{hotkey}).
      { validators: new Set(), miners: new Set(), declined: new Set(["O"]) },
    ),
    toRequestRow(
      "fail",
      requestDoc({
        status: "failed",
        closed_by: "task",
        failure_reason: "no_miner_submitted",
        expected_validators: ["A"],
        expected_miners: ["M"],
        finalized_at: ts(95_000),
      }),
    ),
  ];
  const html = roundsTable(rows, 0, null);
  expect(cell(html, "done", "validators")).toBe("2 of 4 missing 1 1 late");
  expect(cell(html, "done", "miners")).toBe("2 + 1 declined of 3");
  expect(cell(html, "done", "closed")).toBe("deadline via task");
  expect(cell(html, "done", "failure")).toBe("");
  expect(cell(html, "fail", "closed")).toBe("failed via task");
  expect(cell(html, "fail", "failure")).toBe("no_miner_submitted");
  expect(cell(html, "fail", "miners")).toBe("0 of 1");
});

test("the liveness note says which window the page uses and where it came from", () => {
  expect(livenessNote(LIVENESS)).toContain('data-source="default"');
  expect(livenessNote(LIVENESS)).toContain('data-dead-after-ms="45000"');
  const recorded = livenessNote(
    livenessFrom([
      {
        id: "abcdef-123456",
        data: requestDoc({ liveness: { window_ms: 60_000, period_ms: null } }),
      },
    ]),
  );
  expect(recorded).toContain('data-source="request"');
  expect(recorded).toContain('data-dead-after-ms="60000"');
  expect(recorded).toContain("HEARTBEAT_WINDOW_SECONDS");
});

test("the liveness note reads as a sentence: lagging after the period, dead after the window", () => {
  const text = livenessNote(LIVENESS)
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ");
  expect(text).toContain("lagging when nothing has been heard from it for");
  expect(text).toContain("dead after 45.0 s");
  expect(text).toContain("no request has recorded its own yet");
  expect(text).not.toMatch(/HEARTBEAT_/);
});

test("rounds: a round that did not ask a registered validator is flagged, not a healthy 2 of 2", () => {
  const row = toRequestRow(
    "r",
    requestDoc({
      status: "completed",
      expected_validators: ["A", "B"],
      finalized_at: ts(1),
      result: resultOf({ participants: ["A", "B"], finalized_by: "quorum" }),
    }),
  );
  const uids = new Map([
    ["A", 0],
    ["B", 1],
    ["C", 2],
  ]);
  const flagged = roundsTable([row], 0, null, ["A", "B", "C"], uids);
  expect(cell(flagged, "r", "validators")).toBe("2 of 2 3 registered, 1 not asked");
  expect(flagged).toContain('data-not-asked="C"');
  expect(flagged).toContain("uid 2 · C");
  // Every registered validator asked: no flag.
  expect(cell(roundsTable([row], 0, null, ["A", "B"], uids), "r", "validators")).toBe("2 of 2");
});

test("every cell of the stackable tables names its column for the phone layout", () => {
  const row = toRequestRow(
    "r",
    requestDoc({ status: "failed", failure_reason: "no_miner_submitted", finalized_at: ts(1) }),
  );
  const html = roundsTable([row], 0, null);
  const cells = html.match(/<td[^>]*>/g)!;
  expect(cells.length).toBe(8);
  for (const td of cells) expect(td).toMatch(/data-label="[a-z ()]+"/);
  expect(html).toContain('data-label="failure" class="bad"');
});

describe("esc", () => {
  it("escapes HTML and shows no raw control character, bidi override or lone surrogate", () => {
    expect(esc(`<b>"Acme" & 'co'</b>`)).toBe(
      "&lt;b&gt;&quot;Acme&quot; &amp; &#39;co&#39;&lt;/b&gt;",
    );
    const shown = esc("Acme\u001b[31m \u202egro.live\u202c\u2066x\u2069\u0000\u0085\ud800 深圳 🚀");
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(shown).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(shown).toContain("\ufffd 深圳 🚀");
    expect(shown).toContain("gro.live");
  });
});
