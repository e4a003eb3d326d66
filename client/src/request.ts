// `request`: submit one lead request as an API client, follow it to the end with progress on
// stderr, and print the leads (or the final status as JSON) on stdout. Shared by the
// consensus-client command and `consensus-node request`.
import { randomUUID } from "node:crypto";
import type { CreatedLeadRequest } from "consensus-core";
import {
  ApiClient,
  followRequest,
  formatLeadsTable,
  formatUnderstood,
  type FollowOutcome,
} from "./client";
import { ApiError, describeApiError } from "./errors";
import type { RetryPolicy } from "./http";

export interface RequestCommandOptions {
  apiBaseUrl: string;
  apiKey: string;
  numLeads: number;
  businessDesc: string;
  json: boolean;
  /** Stop waiting this long after the request's own timeout (the sweep runs every minute). */
  graceMs?: number;
  pollMs?: number | undefined;
  fetch?: typeof fetch;
  /** Sent as Idempotency-Key (default: a fresh UUID); give the same one to re-run safely. */
  idempotencyKey?: string;
  /** How creating the request is retried (tests inject sleep and random). */
  retry?: RetryPolicy;
  /** Results (table or JSON). */
  out?: (text: string) => void;
  /** Progress and errors. */
  err?: (text: string) => void;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** `consensus-node request`: returns the exit code (0 completed, 1 failed or timed out). */
export async function runRequestCommand(options: RequestCommandOptions): Promise<number> {
  const out = options.out ?? ((t: string) => process.stdout.write(t + "\n"));
  const err = options.err ?? ((t: string) => process.stderr.write(t + "\n"));
  const idempotencyKey = options.idempotencyKey ?? randomUUID();
  const client = new ApiClient({
    ...options,
    retry: {
      ...options.retry,
      onRetry: (e, delayMs) => err(`request: ${describeApiError(e)}; retrying in ${delayMs} ms`),
    },
  });
  let created: CreatedLeadRequest;
  try {
    created = await client.createRequest(
      { num_leads: options.numLeads, business_desc: options.businessDesc },
      idempotencyKey,
    );
  } catch (e) {
    err(`request rejected: ${describeApiError(e)}`);
    if (e instanceof ApiError && e.retryable) {
      err(`re-run with --idempotency-key ${idempotencyKey} to retry without a duplicate`);
    }
    return EXIT.failed;
  }
  const id = created.request_id;
  err(
    `request ${id} ${created.status}: ${options.numLeads} lead(s), ` +
      `${created.expected_validators ?? "?"} validator(s) expected, timeout ${created.timeout}`,
  );
  const timeoutMs = Date.parse(created.timeout);
  const giveUpAtMs =
    (Number.isFinite(timeoutMs) ? timeoutMs : Date.now() + 120_000) + (options.graceMs ?? 90_000);
  let outcome: FollowOutcome;
  try {
    outcome = await followRequest(client, id, {
      pollMs: options.pollMs,
      // The POST's own line already says the request is open: go straight to the long poll.
      holdFirstRead: true,
      giveUpAtMs,
      onProgress: (line) => err(`request ${id} ${line}`),
      onRetry: (e) => err(`request ${id}: status check failed (${e.code}), retrying`),
    });
  } catch (e) {
    err(`request ${id}: ${describeApiError(e)}`);
    return EXIT.failed;
  }
  if (outcome.kind === "timeout") {
    err(`request ${id}: gave up waiting (still ${outcome.view?.status ?? "unknown"})`);
    if (options.json)
      out(JSON.stringify({ ...(outcome.view ?? { request_id: id }), timed_out: true }, null, 2));
    return EXIT.failed;
  }
  const view = outcome.view;
  if (options.json) out(JSON.stringify(view, null, 2));
  if (outcome.kind === "failed") {
    err(`request ${id} failed: ${view.reason ?? "no reason given"}`);
    return EXIT.failed;
  }
  if (!options.json) {
    if (view.understood) out(formatUnderstood(view.understood));
    out(formatLeadsTable(view.leads ?? []));
  }
  return EXIT.ok;
}
