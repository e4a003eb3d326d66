// The live state behind the page: one Firestore listener per bounded query (src/queries.ts), the
// documents they deliver, and the derived rows. Views read it; listeners and a 1 s clock tick
// (ages, liveness) call `changed`.
import { onSnapshot, type Firestore, type Unsubscribe } from "firebase/firestore";
import { readDocs, type Doc, type DocOf, type Kind } from "./documents";
import { build, SPECS, WINDOW_MS, type QuerySpec } from "./queries";
import {
  livenessFrom,
  millis,
  toNodeRow,
  toRequestRow,
  type Arrivals,
  type Liveness,
  type NodeRow,
  type RequestRow,
} from "./model";

/** Each listener and the collection reader (src/documents.ts) its documents go through. */
const KINDS = {
  recent: "request",
  window: "request",
  rankings: "ranking",
  submissions: "submission",
  registry: "registry",
  metrics: "metrics",
  agreement: "agreement",
  minerScores: "minerScores",
  declines: "decline",
} as const satisfies Record<string, Kind>;
type Key = keyof typeof KINDS;

export class Store {
  recent: Doc<DocOf<"request">>[] = [];
  window: Doc<DocOf<"request">>[] = [];
  rankings: Doc<DocOf<"ranking">>[] = [];
  submissions: Doc<DocOf<"submission">>[] = [];
  registry: Doc<DocOf<"registry">>[] = [];
  metrics: Doc<DocOf<"metrics">>[] = [];
  agreement: Doc<DocOf<"agreement">>[] = [];
  minerScores: Doc<DocOf<"minerScores">>[] = [];
  declines: Doc<DocOf<"decline">>[] = [];
  pages = 1;
  /** Bumped when the plots' data (last-hour requests, metrics) changes. */
  plotVersion = 0;
  now = Date.now();
  errors = new Map<string, string>();
  /** Set once every listener has delivered its first snapshot. */
  firstLoadAt: number | null = null;
  private loaded = new Set<string>();
  private unsubs = new Map<string, Unsubscribe>();
  private timers: number[] = [];

  constructor(
    private readonly db: Firestore,
    private readonly changed: () => void,
  ) {}

  start(): void {
    this.listen("recent", SPECS.recentRequests(this.pages));
    this.listenWindow();
    this.listen("rankings", SPECS.recentRankings());
    this.listen("submissions", SPECS.recentSubmissions());
    this.listen("registry", SPECS.registry());
    this.listen("agreement", SPECS.agreement());
    this.listen("minerScores", SPECS.minerScores());
    this.listen("declines", SPECS.recentDeclines());
    this.timers.push(
      window.setInterval(() => {
        this.now = Date.now();
        this.changed();
      }, 1000),
      // The last-hour window slides: re-anchor its queries every 5 minutes.
      window.setInterval(() => this.listenWindow(), 5 * 60 * 1000),
    );
  }

  stop(): void {
    for (const u of this.unsubs.values()) u();
    this.unsubs.clear();
    for (const t of this.timers) clearInterval(t);
  }

  morePages(): void {
    this.pages += 1;
    this.listen("recent", SPECS.recentRequests(this.pages));
  }

  private listenWindow(): void {
    const since = new Date(Date.now() - WINDOW_MS);
    this.listen("window", SPECS.windowRequests(since));
    this.listen("metrics", SPECS.windowMetrics(since));
  }

  private listen<K extends Key>(key: K, spec: QuerySpec): void {
    this.unsubs.get(key)?.();
    const unsub = onSnapshot(
      build(this.db, spec),
      (snap) => {
        const read = readDocs(
          KINDS[key],
          snap.docs.map((d) => ({ id: d.id, data: d.data() })),
        );
        (this as Record<Key, unknown>)[key] = read.docs;
        if (key === "window" || key === "metrics") this.plotVersion += 1;
        if (read.problem) this.errors.set(key, `${spec.collection}: ${read.problem}`);
        else this.errors.delete(key);
        this.loaded.add(key);
        if (this.firstLoadAt == null && this.loaded.size === 9) this.firstLoadAt = Date.now();
        this.changed();
      },
      (err) => {
        this.errors.set(key, `${spec.collection}: ${err.code ?? err.message}`);
        this.changed();
      },
    );
    this.unsubs.set(key, unsub);
  }

  /** What the recent rankings/submissions say about each request (for open rounds). */
  arrivals(): Map<string, Arrivals> {
    const out = new Map<string, Arrivals>();
    const of = (id: string) => {
      let a = out.get(id);
      if (!a) out.set(id, (a = { validators: new Set(), miners: new Set(), declined: new Set() }));
      return a;
    };
    for (const r of this.rankings) {
      if (r.data.verification?.status === "rejected") continue;
      of(r.data.request_id).validators.add(r.data.validator_hotkey);
    }
    for (const s of this.submissions) of(s.data.request_id).miners.add(s.data.miner_hotkey);
    for (const d of this.declines) of(d.data.request_id).declined.add(d.data.miner_hotkey);
    return out;
  }

  requestRows(docs: Doc<DocOf<"request">>[] = this.recent): RequestRow[] {
    const arrivals = this.arrivals();
    return docs.map((d) => toRequestRow(d.id, d.data, arrivals.get(d.id)));
  }

  /** The backend's liveness window, as its newest request recorded it (else the defaults). */
  liveness(): Liveness {
    return livenessFrom(this.recent);
  }

  nodeRows(limits: Liveness = this.liveness()): NodeRow[] {
    return this.registry.map((d) => toNodeRow(d.data, this.now, limits));
  }

  /** Median ranking/submission response time per node over the recent window. */
  responseTimes(): Map<string, number[]> {
    const created = new Map<string, number>();
    for (const d of [...this.window, ...this.recent]) {
      const t = millis(d.data.created_at);
      if (t != null) created.set(d.id, t);
    }
    const out = new Map<string, number[]>();
    const add = (hotkey: string, requestId: string, at: { toMillis(): number }) => {
      const c = created.get(requestId);
      if (c == null) return;
      const list = out.get(hotkey) ?? [];
      list.push(at.toMillis() - c);
      out.set(hotkey, list);
    };
    for (const r of this.rankings)
      add(r.data.validator_hotkey, r.data.request_id, r.data.submitted_at);
    for (const s of this.submissions)
      add(s.data.miner_hotkey, s.data.request_id, s.data.submitted_at);
    return out;
  }
}
