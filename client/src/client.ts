// The typed API client: submit a lead request over HTTPS, follow it through
// `GET /leads/status/{id}` (the HTTP API, never Firestore) with progress, and print the consensus
// leads. Every call has a timeout; a request is created with an Idempotency-Key, so retrying it
// after a timeout or a lost answer never creates a second one. Every answer is checked against the
// core's response schemas (the ones docs/openapi.json is generated from).
import { randomUUID } from "node:crypto";
import {
  CreatedLeadRequestSchema,
  RequestStatusViewSchema,
  STATUS_WAIT_MAX_SECONDS,
  type ConsensusLead,
  type CreateLeadsRequest,
  type CreatedLeadRequest,
  type RequestStatusView,
  type Understood,
} from "consensus-core";
import { ApiError } from "./errors";
import { callApi, DEFAULT_TIMEOUT_MS, type ResponseSchema, type RetryPolicy } from "./http";

export type { CreatedLeadRequest, RequestStatusView };
export interface ApiClientOptions {
  apiBaseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Per-call timeout (default DEFAULT_TIMEOUT_MS of ./http). */
  timeoutMs?: number | undefined;
  /** Retries of createRequest (status reads are single calls: followRequest paces its polls). */
  retry?: RetryPolicy;
}

export class ApiClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number | undefined;
  private readonly retry: RetryPolicy;
  // Private so it does not show in util.inspect / console.log of the client.
  readonly #apiKey: string;

  constructor(options: ApiClientOptions) {
    this.base = options.apiBaseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs;
    this.retry = options.retry ?? {};
  }

  private call<T>(
    schema: ResponseSchema<T>,
    method: string,
    path: string,
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      idempotent?: boolean;
      timeoutMs?: number | undefined;
    },
    retry: RetryPolicy,
  ): Promise<T> {
    return callApi(
      schema,
      this.fetchImpl,
      `${this.base}${path}`,
      {
        method,
        headers: { authorization: `Bearer ${this.#apiKey}`, ...options.headers },
        body: options.body,
        idempotent: options.idempotent,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
      },
      retry,
    );
  }

  /**
   * POST /leads with `idempotencyKey` (a fresh UUID when not given): retried on timeouts, lost
   * connections, 429, 5xx, always with the same key, so at most one request is created.
   */
  createRequest(
    input: CreateLeadsRequest,
    idempotencyKey: string = randomUUID(),
  ): Promise<CreatedLeadRequest> {
    return this.call(
      CreatedLeadRequestSchema,
      "POST",
      "/leads",
      { body: input, headers: { "idempotency-key": idempotencyKey }, idempotent: true },
      this.retry,
    );
  }

  /**
   * `GET /leads/status/{id}`: the leads once completed, the reason once failed. With
   * `waitSeconds` (at most STATUS_WAIT_MAX_SECONDS) the server holds the answer until the request
   * is final or the wait ends, so a caller learns the result the moment it exists.
   */
  status(requestId: string, options: { waitSeconds?: number } = {}): Promise<RequestStatusView> {
    const waitSeconds = Math.min(STATUS_WAIT_MAX_SECONDS, Math.max(0, options.waitSeconds ?? 0));
    const query = waitSeconds > 0 ? `?wait=${waitSeconds}` : "";
    return this.call(
      RequestStatusViewSchema,
      "GET",
      `/leads/status/${encodeURIComponent(requestId)}${query}`,
      { timeoutMs: (this.timeoutMs ?? DEFAULT_TIMEOUT_MS) + waitSeconds * 1000 },
      { maxAttempts: 1 },
    );
  }
}

export type FollowOutcome =
  | { kind: "completed" | "failed"; view: RequestStatusView }
  | { kind: "timeout"; view: RequestStatusView | null };

export interface FollowOptions {
  /**
   * Pause between reads when the server answers at once (an error, or a backend without `?wait=`).
   * Default 1 s.
   */
  pollMs?: number | undefined;
  /** Each read after the first asks the server to hold it this long (default 20 s; 0: plain polling). */
  waitSeconds?: number;
  /** Give up at this time (ms since the epoch). */
  giveUpAtMs: number;
  /** Called with a line whenever status or the answered count changes. */
  onProgress?: (line: string, view: RequestStatusView) => void;
  /**
   * Hold the first read too (a long poll from the start): the result arrives one round trip
   * sooner, and progress shows only when the request is final or a hold ends. Default: the first
   * read answers at once.
   */
  holdFirstRead?: boolean;
  /** Called on an error that is safe to retry (timeout, network, 429, 5xx); polling continues. */
  onRetry?: (err: ApiError) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const progressLine = (view: RequestStatusView): string =>
  `${view.status}: validators answered ${view.validators.answered}/${view.validators.expected}`;

/**
 * Reads the status until completed or failed, or until `giveUpAtMs`: the first read answers at once
 * (so progress shows), every later one is a long poll the server ends the moment the request is
 * final. Client errors (4xx) are thrown.
 */
export async function followRequest(
  client: ApiClient,
  requestId: string,
  options: FollowOptions,
): Promise<FollowOutcome> {
  const pollMs = options.pollMs ?? 1_000;
  const waitSeconds = options.waitSeconds ?? 20;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let last: RequestStatusView | null = null;
  let lastLine = "";
  for (let read = 0; ; read++) {
    let wait = pollMs;
    const remainingS = Math.floor((options.giveUpAtMs - now()) / 1000);
    const holdS =
      read === 0 && !options.holdFirstRead ? 0 : Math.max(0, Math.min(waitSeconds, remainingS));
    const startedAt = now();
    try {
      const view = await client.status(requestId, { waitSeconds: holdS });
      // A long poll the server held to its end needs no pause before the next; one answered at
      // once while still open (a backend without `?wait=`) is paced like plain polling.
      if (holdS > 0 && now() - startedAt >= holdS * 900) wait = 0;
      last = view;
      const line = progressLine(view);
      if (line !== lastLine) {
        lastLine = line;
        options.onProgress?.(line, view);
      }
      if (view.status === "completed" || view.status === "failed") {
        return { kind: view.status, view };
      }
    } catch (err) {
      const e =
        err instanceof ApiError
          ? err
          : new ApiError({ status: 0, code: "error", message: String(err), details: null });
      if (!e.retryable) throw e;
      options.onRetry?.(e);
      // The server's Retry-After, when longer than the polling period, is honoured.
      wait = Math.max(pollMs, e.retryAfterMs ?? 0);
    }
    if (now() + wait > options.giveUpAtMs) return { kind: "timeout", view: last };
    await sleep(wait);
  }
}

/** A lead of the status view: the consensus lead with the constraints it meets and misses. */
type ShownLead = ConsensusLead & { matched?: string[] | undefined; missed?: string[] | undefined };

/** "role industry" for a lead meeting both; a missed constraint shows as "!place". */
export const meetsCell = (l: ShownLead): string =>
  [...(l.matched ?? []), ...(l.missed ?? []).map((c) => `!${c}`)].join(" ");

const COLUMNS: { title: string; max: number; get: (l: ShownLead) => string }[] = [
  { title: "RANK", max: 4, get: (l) => String(l.rank) },
  { title: "SCORE", max: 6, get: (l) => l.consensus_score.toFixed(4) },
  { title: "BUSINESS", max: 28, get: (l) => l.business },
  {
    title: "NAME",
    max: 22,
    get: (l) => l.full_name ?? [l.first, l.last].filter(Boolean).join(" "),
  },
  { title: "ROLE", max: 22, get: (l) => l.role ?? "" },
  { title: "EMAIL", max: 36, get: (l) => l.email },
  { title: "INDUSTRY", max: 20, get: (l) => l.industry ?? "" },
  { title: "REGION", max: 14, get: (l) => l.region ?? "" },
  { title: "MEETS", max: 24, get: meetsCell },
];

/**
 * One cell: lead fields come from miners, so control characters (which could move the cursor or
 * recolour the terminal) and bidi overrides/isolates (which reorder what the reader sees) become
 * spaces, and a lone surrogate becomes U+FFFD. The schemas refuse all of them already; this holds
 * even for data that bypassed them. Long values are cut with an ellipsis; empty is "-".
 */
export function cell(value: string, max: number): string {
  const clean = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .trim();
  if (clean === "") return "-";
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : clean;
}

/** The leads as a fixed-width text table with a header row. */
export function formatLeadsTable(leads: readonly ShownLead[]): string {
  if (leads.length === 0) return "(no leads)";
  const rows = leads.map((l) => COLUMNS.map((c) => cell(c.get(l), c.max)));
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.title.length, ...rows.map((r) => [...r[i]].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((v, i) => {
        const pad = " ".repeat(widths[i] - [...v].length);
        // Numbers right-aligned, text left-aligned.
        return i < 2 ? pad + v : v + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(COLUMNS.map((c) => c.title)), ...rows.map(line)].join("\n");
}

/**
 * How the backend read the description, one line per part, so a buyer whose ask was misread sees
 * it above the table: roles, industries, places, exclusions, the seller's context, ignored words.
 */
export function formatUnderstood(u: Understood): string {
  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(", ") : "any");
  const role = (r: Understood["roles"][number]) =>
    `${r.text} (${r.functions ? r.functions.join("/") : "any function"}, ${
      r.title ?? (r.levels ? r.levels.join("/") : "any level")
    }${r.required ? ", required" : ""})`;
  const ex = u.exclude;
  const excluded = [...ex.functions, ...ex.levels, ...ex.industries, ...ex.places];
  const lines = [
    `understood: roles: ${u.roles.length > 0 ? u.roles.map(role).join("; ") : "any"}`,
    `            industries: ${list(u.industries.map((i) => i.label))}${
      u.companies_like.length > 0 ? ` (companies like ${u.companies_like.join(", ")})` : ""
    }`,
    `            places: ${u.places.length > 0 ? u.places.join(", ") : u.anywhere ? "anywhere" : "any"}`,
  ];
  if (excluded.length > 0) lines.push(`            excluded: ${excluded.join(", ")}`);
  if (u.seller_context) lines.push(`            seller context: "${cell(u.seller_context, 80)}"`);
  if (u.ignored.length > 0)
    lines.push(`            ignored: ${u.ignored.map((w) => `"${cell(w, 40)}"`).join(", ")}`);
  if (u.unread.length > 0) {
    lines.push(
      `            not understood: ${u.unread.join(", ")} (stated in words above; no lead can be shown to meet it)`,
    );
  }
  return lines.join("\n");
}
