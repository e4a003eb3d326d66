// One request opened: its timeline (created, each submission, each ranking with its verdict and
// lateness, finalised), its result, and whether it re-verifies. Listens only while it is open.
import { doc, onSnapshot, type Firestore, type Unsubscribe } from "firebase/firestore";
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

type Data = Record<string, unknown>;

interface Event {
  at: number | null;
  kind: string;
  text: string;
  tone?: "ok" | "bad" | "warn";
  /** For rankings: after_result (issue 9's `late`), after_deadline, or "" (on time). */
  late?: string;
}

export class Timeline {
  private request: Data | null = null;
  private rankings: Data[] = [];
  private submissions: Data[] = [];
  private declines: Data[] = [];
  private metrics: Data | null = null;
  private unsubs: Unsubscribe[] = [];
  id: string | null = null;

  constructor(
    private readonly db: Firestore,
    private readonly changed: () => void,
  ) {}

  open(id: string): void {
    this.close();
    this.id = id;
    const on = (set: (d: Data | Data[] | null) => void) => (snap: unknown) => {
      const s = snap as { docs?: { data(): Data }[]; data?: () => Data | undefined };
      set(s.docs ? s.docs.map((d) => d.data()) : (s.data?.() ?? null));
      this.changed();
    };
    this.unsubs = [
      onSnapshot(
        doc(this.db, "api_requests", id),
        on((d) => (this.request = d as Data | null)),
      ),
      onSnapshot(
        build(this.db, SPECS.rankingsOf(id)),
        on((d) => (this.rankings = d as Data[])),
      ),
      onSnapshot(
        build(this.db, SPECS.declinesOf(id)),
        on((d) => (this.declines = d as Data[])),
      ),
      onSnapshot(
        build(this.db, SPECS.submissionsOf(id)),
        on((d) => (this.submissions = d as Data[])),
      ),
      onSnapshot(
        doc(this.db, "consensus_metrics", id),
        on((d) => (this.metrics = d as Data | null)),
      ),
    ];
  }

  close(): void {
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.id = null;
    this.request = this.metrics = null;
    this.rankings = this.submissions = this.declines = [];
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
          .filter((r) => (r.verification as Data | undefined)?.status !== "rejected")
          .map((r) => String(r.validator_hotkey)),
      ),
      miners: new Set(this.submissions.map((x) => String(x.miner_hotkey))),
      declined: new Set(this.declines.map((x) => String(x.miner_hotkey))),
    });
    const deadline = row.deadlineMs;
    const events: Event[] = [
      {
        at: row.createdMs,
        kind: "created",
        text: `${row.numLeads ?? "?"} lead(s): ${row.businessDesc}`,
      },
    ];
    for (const s of this.submissions) {
      const v = (s.verification ?? {}) as Data;
      events.push({
        at: millis(s.submitted_at),
        kind: "submission",
        text: `miner ${name(s.miner_hotkey)}: ${s.num_leads ?? "?"} lead(s)${
          v.status ? ` — ${v.status}${v.reason ? ` (${v.reason})` : ""}` : ""
        }`,
        tone: v.status === "rejected" ? "bad" : undefined,
      });
    }
    for (const d of this.declines) {
      events.push({
        at: millis(d.submitted_at),
        kind: "declined",
        text: `miner ${name(d.miner_hotkey)} declined (${d.reason ?? "no reason"})`,
      });
    }
    for (const r of this.rankings) {
      const at = millis(r.submitted_at);
      const v = (r.verification ?? {}) as Data;
      const lateMs =
        typeof r.lateness_ms === "number"
          ? r.lateness_ms
          : at != null && deadline != null
            ? at - deadline
            : null;
      events.push({
        at,
        kind: "ranking",
        text: `validator ${name(r.validator_hotkey)}: ${r.num_leads_ranked ?? "?"} ranked — ${
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
    const desc = typeof this.request?.business_desc === "string" ? this.request.business_desc : "";
    const reading = desc ? readDescription(desc) : null;
    const leads = row.leads
      .map((l) => {
        const meets = reading ? reading.meets(l) : "";
        return `<li>${esc(l.business)} &lt;${esc(l.email)}&gt; — ${esc(Number(l.normalized_score ?? 0).toFixed(3))}${
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
    </div>`;
  }

  /** The re-verification verdict, when the metrics (issue 12's verify) record one. */
  private verificationLine(): string {
    const m = this.metrics;
    if (!m) return "";
    const v = (m.verification ?? m.reverified) as Data | boolean | undefined;
    if (v === undefined)
      return `<p class="muted">Re-verify with <code>npm run admin -- verify ${esc(this.id)}</code>.</p>`;
    const ok = v === true || (typeof v === "object" && (v.match === true || v.status === "match"));
    return `<p class="${ok ? "ok" : "bad"}">Re-verification: ${ok ? "matches" : "differs"}</p>`;
  }
}
