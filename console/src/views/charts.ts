// The plots (Chart.js): round time p50/p95 and deadline lag over the last hour, requests by
// outcome, per-validator agreement over time. Charts are created once and updated in place.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import type { MetricsDoc } from "../documents";
import {
  agreementByValidator,
  bucketize,
  deadlineLagMs,
  percentile,
  roundTimeMs,
  nodeName,
  type RequestRow,
  type Uids,
} from "../model";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

const BUCKETS = 12;
const COLORS = [
  "#2563eb",
  "#dc2626",
  "#16a34a",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#db2777",
  "#4b5563",
];

function labels(from: number, to: number): string[] {
  const width = (to - from) / BUCKETS;
  return Array.from(
    { length: BUCKETS },
    (_, i) => `-${Math.round((to - (from + i * width)) / 60_000)} min`,
  );
}

export class Charts {
  private charts = new Map<string, Chart>();

  constructor(private readonly root: HTMLElement) {}

  private upsert(id: string, config: ChartConfiguration): void {
    const existing = this.charts.get(id);
    if (existing) {
      existing.data = config.data;
      existing.update("none");
      return;
    }
    const canvas = this.root.querySelector<HTMLCanvasElement>(`#${id}`);
    if (!canvas) return;
    this.charts.set(id, new Chart(canvas, config));
  }

  update(
    rows: RequestRow[],
    metrics: MetricsDoc[],
    from: number,
    to: number,
    uids: Uids = new Map(),
  ): void {
    const finished = rows.filter((r) => r.finalizedMs != null);
    const round = bucketize(
      finished.flatMap((r) =>
        roundTimeMs(r) == null ? [] : [{ t: r.finalizedMs!, v: roundTimeMs(r)! / 1000 }],
      ),
      from,
      to,
      BUCKETS,
    );
    const lag = bucketize(
      finished.flatMap((r) =>
        deadlineLagMs(r) == null ? [] : [{ t: r.finalizedMs!, v: deadlineLagMs(r)! / 1000 }],
      ),
      from,
      to,
      BUCKETS,
    );
    // Points drawn large enough to see: in a quiet hour a series may have a single bucket, which a
    // line alone would not show.
    const common = {
      animation: false as const,
      responsive: true,
      maintainAspectRatio: false,
      elements: { point: { radius: 4, hoverRadius: 6 } },
    };
    this.upsert("chart-round-time", {
      type: "line",
      data: {
        labels: labels(from, to),
        datasets: [
          {
            label: "round time p50 (s)",
            data: round.map((b) => percentile(b.values, 50)),
            borderColor: COLORS[0],
            backgroundColor: COLORS[0],
            spanGaps: true,
          },
          {
            label: "round time p95 (s)",
            data: round.map((b) => percentile(b.values, 95)),
            borderColor: COLORS[1],
            backgroundColor: COLORS[1],
            spanGaps: true,
          },
          {
            label: "deadline lag p95 (s)",
            data: lag.map((b) => percentile(b.values, 95)),
            borderColor: COLORS[3],
            backgroundColor: COLORS[3],
            spanGaps: true,
          },
        ],
      },
      options: {
        ...common,
        scales: { y: { beginAtZero: true, title: { display: true, text: "seconds" } } },
      },
    });

    const outcome = (status: (r: RequestRow) => boolean) =>
      bucketize(
        rows.filter(status).flatMap((r) => (r.createdMs == null ? [] : [{ t: r.createdMs, v: 1 }])),
        from,
        to,
        BUCKETS,
      ).map((b) => b.values.length);
    this.upsert("chart-outcomes", {
      type: "bar",
      data: {
        labels: labels(from, to),
        datasets: [
          {
            label: "completed",
            data: outcome((r) => r.status === "completed"),
            backgroundColor: COLORS[2],
          },
          {
            label: "failed",
            data: outcome((r) => r.status === "failed"),
            backgroundColor: COLORS[1],
          },
          { label: "open", data: outcome((r) => r.open), backgroundColor: COLORS[0] },
        ],
      },
      options: {
        ...common,
        // Counts of requests: whole numbers on the axis, never 0.5.
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: "requests" },
          },
        },
      },
    });

    const byValidator = new Map<string, { t: number; v: number }[]>();
    for (const m of metrics) {
      const t = m.finalized_at.toMillis();
      for (const [hotkey, v] of Object.entries(agreementByValidator(m))) {
        const list = byValidator.get(hotkey) ?? [];
        list.push({ t, v });
        byValidator.set(hotkey, list);
      }
    }
    this.upsert("chart-agreement", {
      type: "line",
      data: {
        labels: labels(from, to),
        datasets: [...byValidator.entries()].map(([hotkey, points], i) => ({
          label: nodeName(hotkey, uids),
          data: bucketize(points, from, to, BUCKETS).map((b) =>
            b.values.length ? b.values.reduce((x, y) => x + y, 0) / b.values.length : null,
          ),
          borderColor: COLORS[i % COLORS.length],
          backgroundColor: COLORS[i % COLORS.length],
          spanGaps: true,
        })),
      },
      options: {
        ...common,
        scales: {
          y: { suggestedMin: 0, suggestedMax: 1, title: { display: true, text: "agreement" } },
        },
      },
    });
  }

  destroy(): void {
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }
}
