// One request opened: its timeline (created, each submission, each ranking with its verdict and
// lateness, finalised), its result, and whether it re-verifies. Listens only while it is open.
import { doc, onSnapshot, type Firestore, type Unsubscribe } from "firebase/firestore";
import { COLLECTIONS } from "../../../core/src/ids";
import {
  readDoc,
  readDocs,
  type DeclineDoc,
  type Kind,
  type MetricsDoc,
  type RankingHeader,
  type RequestDoc,
  type SubmissionHeader,
} from "../documents";
import { esc } from "../dom";
import { readDescription, understoodHtml } from "./understood";
import { build, SPECS } from "../queries";
import {
  closedHow,
  formatDuration,
  millis,
  missingValidators,
  nodeName,
  toRequestRow,
  type Uids,
} from "../model";

interface Event {
  at: number | null;
  kind: string;
  text: string;
  tone?: "ok" | "bad" | "warn" | undefined;
  /** For rankings: after_result (issue 9's `late`), after_deadline, or "" (on time). */
  late?: string;
}

export class Timeline {
  private request: RequestDoc | null = null;
  private rankings: RankingHeader[] = [];
  private submissions: SubmissionHeader[] = [];
  private declines: DeclineDoc[] = [];
  private metrics: MetricsDoc | null = null;
  /** Documents of this request not in the stored shape, by what they are (shown, not hidden). */
  private problems = new Map<Kind, string>();
  private unsubs: Unsubscribe[] = [];
  id: string | null = null;

  constructor(
    private readonly db: Firestore,
    private readonly changed: () => void,
  ) {}

  open(id: string): void {
    this.close();
    this.id = id;
    const note = (kind: Kind, problem: string | null) => {
      if (problem) this.problems.set(kind, problem);
      else this.problems.delete(kind);
    };
    const one =
      <K extends "request" | "metrics">(kind: K, set: (d: ReturnType<typeof readOne<K>>) => void) =>
      (snap: { data(): unknown }) => {
        set(readOne(kind, snap.data(), note));
        this.changed();
      };
    const many =
      <K extends "ranking" | "submission" | "decline">(
        kind: K,
        set: (d: ReturnType<typeof readDocs<K>>["docs"]) => void,
      ) =>
      (snap: { docs: { id: string; data(): unknown }[] }) => {
        const read = readDocs(
          kind,
          snap.docs.map((d) => ({ id: d.id, data: d.data() })),
        );
        note(kind, read.problem);
        set(read.docs);
        this.changed();
      };
    this.unsubs = [
      onSnapshot(
        doc(this.db, COLLECTIONS.requests, id),
        one("request", (d) => (this.request = d)),
      ),
      onSnapshot(
        build(this.db, SPECS.rankingsOf(id)),
        many("ranking", (d) => (this.rankings = d.map((x) => x.data))),
      ),
      onSnapshot(
        build(this.db, SPECS.declinesOf(id)),
        many("decline", (d) => (this.declines = d.map((x) => x.data))),
      ),
      onSnapshot(
        build(this.db, SPECS.submissionsOf(id)),
        many("submission", (d) => (this.submissions = d.map((x) => x.data))),
      ),
      onSnapshot(
        doc(this.db, COLLECTIONS.metrics, id),
        one("metrics", (d) => (this.metrics = d)),
      ),
    ];
  }

  close(): void {
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.id = null;
    this.request = this.metrics = null;
    this.rankings = [];
    this.submissions = [];
    this.declines = [];
    this.problems.clear();
  }

  /** `validators`: the registered validators, to name those this round did not expect. */
  render(validators: string[] = [], uids: Uids = new Map()): string {
    const name = (hotkey: unknown) => nodeName(String(hotkey), uids);
    if (!this.id) return `<p class="empty">Select a request to see its timeline.</p>`;
    if (!this.request) return `<p class="empty">Loading ${esc(this.id)}…</p>`;
    // An open request has no result yet: its progress is the rankings, submissions and declines
    // this timeline listens to (rejected rankings do not count).
    const row = toRequestRow(this.id, this.request, {
      validators: new Set(
        this.rankings
          .filter((r) => r.verification?.status !== "rejected")
          .map((r) => r.validator_hotkey),
      ),
      miners: new Set(this.submissions.map((x) => x.miner_hotkey)),
      declined: new Set(this.declines.map((x) => x.miner_hotkey)),
    });
    const deadline = row.deadlineMs;
    const events: Event[] = [
      {
        at: row.createdMs,
        kind: "created",
        text: `${row.numLeads} lead(s): ${row.businessDesc}`,
      },
    ];
    for (const s of this.submissions) {
      const v = s.verification;
      events.push({
        at: millis(s.submitted_at),
        kind: "submission",
        text: `miner ${name(s.miner_hotkey)}: ${s.num_leads} lead(s)${
          v ? ` — ${v.status}${v.reason ? ` (${v.reason})` : ""}` : ""
        }`,
        tone: v?.status === "rejected" ? "bad" : undefined,
      });
    }
    for (const d of this.declines) {
      events.push({
        at: millis(d.submitted_at),
        kind: "declined",
        text: `miner ${name(d.miner_hotkey)} declined (${d.reason})`,
      });
    }
    for (const r of this.rankings) {
      const at = millis(r.submitted_at);
      const v = r.verification ?? { status: undefined, reason: null };
      const lateMs = at != null && deadline != null ? at - deadline : null;
      events.push({
        at,
        kind: "ranking",
        text: `validator ${name(r.validator_hotkey)}: ${r.num_leads_ranked} ranked — ${
          v.status === "late" ? "late: after the result, not counted" : (v.status ?? "unverified")
        }${v.reason && v.status !== "late" ? ` (${v.reason})` : ""}; ${
          lateMs != null && lateMs > 0
            ? `${formatDuration(lateMs)} after the deadline`
            : `${formatDuration(lateMs == null ? null : -lateMs)} before the deadline`
        }`,
        late:
          v.status === "late"
            ? "after_result"
            : lateMs != null && lateMs > 0
              ? "after_deadline"
              : "",
        tone:
          v.status === "rejected"
            ? "bad"
            : v.status === "late" || (lateMs != null && lateMs > 0)
              ? "warn"
              : "ok",
      });
    }
    if (row.finalizedMs != null) {
      events.push({
        at: row.finalizedMs,
        kind: row.status === "failed" ? "failed" : "finalised",
        text: `${
          row.status === "failed"
            ? `failed: ${row.failureReason ?? "no reason"}`
            : `finalised by ${row.finalizedBy ?? "?"}; ${row.answered.length} of ${row.expectedValidators.length} validators${
                row.timedOut.length ? `, timed out: ${row.timedOut.map(name).join(", ")}` : ""
              }`
        }${row.closedBy ? ` (closed by ${row.closedBy})` : ""}`,
        tone: row.status === "failed" ? "bad" : "ok",
      });
    }
    events.sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity));
    const t0 = row.createdMs ?? 0;
    const items = events
      .map(
        (e) => `<li class="event ${e.tone ?? ""}" data-kind="${esc(e.kind)}"${
          e.late === undefined ? "" : ` data-late="${esc(e.late)}"`
        }>
          <span class="at">+${esc(formatDuration(e.at == null ? null : e.at - t0))}</span>
          <span class="kind">${esc(e.kind)}</span> ${esc(e.text)}</li>`,
      )
      .join("");
    const missing = missingValidators(row);
    const expected = new Set(row.expectedValidators);
    const absent = validators.filter((v) => !expected.has(v));
    const desc = row.businessDesc;
    const reading = desc ? readDescription(desc) : null;
    const leads = row.leads
      .map((l) => {
        const meets = reading ? reading.meets(l) : "";
        return `<li>${esc(l.business)} &lt;${esc(l.email)}&gt; — ${esc(l.normalized_score.toFixed(3))}${
          meets ? ` <span class="meets" data-meets="${esc(meets)}">meets: ${esc(meets)}</span>` : ""
        }</li>`;
      })
      .join("");
    const verify = this.verificationLine();
    return `<div id="timeline" data-request-id="${esc(this.id)}" data-status="${esc(row.status)}">
      <h3>Request <span class="mono">${esc(this.id)}</span> <span class="badge ${esc(row.status)}">${esc(row.status)}</span></h3>
      <p data-miners>Miners submitted ${row.minersSubmitted.length}, declined ${row.minersDeclined.length}${
        row.expectedMiners ? ` of ${row.expectedMiners.length} expected` : ""
      }${row.failureReason ? `; <span class="bad">failure: ${esc(row.failureReason)}</span>` : ""}${
        row.open ? "" : `; closed: ${esc(closedHow(row))}`
      }</p>
      <p>Validators answered ${row.answered.length} of ${row.expectedValidators.length}${
        missing.length
          ? `; <span class="warn" data-missing="${esc(missing.join(","))}">${row.open ? "waiting for" : "missing"}: ${esc(missing.map(name).join(", "))}</span>`
          : ""
      }${
        row.late.length
          ? `; <span class="warn" data-late="${esc(row.late.join(","))}">late (after the result, not counted): ${esc(row.late.map(name).join(", "))}</span>`
          : ""
      }${
        absent.length
          ? `; <span class="muted" data-absent="${esc(absent.join(","))}">not expected (not live when it opened): ${esc(absent.map(name).join(", "))}</span>`
          : ""
      }</p>
      ${reading ? understoodHtml(reading.understood) : ""}
      <ol class="events">${items}</ol>
      ${leads ? `<h4>Result</h4><ol class="leads">${leads}</ol>` : ""}
      ${verify}
      ${this.problemLine()}
    </div>`;
  }

  /**
   * How to re-verify a finished request (issue 12's `admin verify`). No stored document records a
   * re-verification, so the page points to the command rather than show a verdict.
   */
  private verificationLine(): string {
    if (!this.metrics) return "";
    return `<p class="muted">Re-verify with <code>npm run admin -- verify ${esc(this.id)}</code>.</p>`;
  }

  /** Documents of this request the console could not read in their stored shape. */
  private problemLine(): string {
    if (this.problems.size === 0) return "";
    return `<p class="bad" data-unreadable>${esc([...this.problems.values()].join("; "))}</p>`;
  }
}

/** A single document (absent: null) read as `kind`; a malformed one is noted and read as absent. */
function readOne<K extends "request" | "metrics">(
  kind: K,
  data: unknown,
  note: (kind: Kind, problem: string | null) => void,
) {
  if (data === undefined) {
    note(kind, null);
    return null;
  }
  const r = readDoc(kind, data);
  note(kind, r.ok ? null : `${kind}: ${r.problem}`);
  return r.ok ? r.data : null;
}
