// Creating a lead request (the broadcast: every node listens to open api_requests) and reading
// its status for the client that owns it.
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import {
  OPEN_STATUSES,
  builtInLexicon,
  leadConstraints,
  parseDescription,
  understoodFrom,
  type CreateLeadsRequest,
  type RequestStatusView,
} from "consensus-core";
import { readConsensusSettings, type LifecycleConfig } from "../config";
import { acceptedRankingsQuery, requestsCol, type ApiRequestDoc } from "../db";
import { getActiveMiners, getActiveValidators } from "../registry/registry";
import { closableAtMs, closeIfDue, isOverdue } from "./close";

export class NoActiveValidatorsError extends Error {}

/**
 * Builds the request document (reading the active validators) without writing anything: the one
 * writer is POST /leads (`createLeadRequestOnce`), which commits it beside its rate-limit slot.
 */
export async function prepareLeadRequest(
  clientId: string,
  input: CreateLeadsRequest,
  now: Date,
  cfg: LifecycleConfig,
): Promise<ApiRequestDoc> {
  const [validators, miners] = await Promise.all([
    getActiveValidators(now, cfg.heartbeatWindowMs),
    getActiveMiners(now, cfg.heartbeatWindowMs),
  ]);
  if (validators.length === 0) throw new NoActiveValidatorsError();
  const created = now.getTime();
  const doc: ApiRequestDoc = {
    request_id: randomUUID(),
    num_leads: input.num_leads,
    business_desc: input.business_desc,
    client_id: clientId,
    created_at: Timestamp.fromMillis(created),
    status: "pending",
    timeout: Timestamp.fromMillis(created + cfg.requestTimeoutMs),
    validator_deadline: Timestamp.fromMillis(created + cfg.validatorDeadlineMs),
    expected_validators: validators.map((v) => v.hotkey),
    expected_count: validators.length,
    // Never wait for more rankings than there are expected validators.
    min_validators: Math.min(cfg.minValidators, validators.length),
    consensus: readConsensusSettings(),
    result: null,
    failure_reason: null,
    finalized_at: null,
    expected_miners: miners.map((m) => m.hotkey),
    expected_trust: Object.fromEntries(validators.map((v) => [v.hotkey, v.trust])),
    expected_uids: Object.fromEntries([...validators, ...miners].map((n) => [n.hotkey, n.uid])),
    early_close: { share: cfg.earlyCloseShare ?? 1, grace_ms: cfg.earlyCloseGraceMs ?? 0 },
    close_at: null,
    liveness: { window_ms: cfg.heartbeatWindowMs, period_ms: cfg.heartbeatPeriodMs ?? null },
  };
  if (input.callback_url) doc.webhook = { state: "waiting", enqueued_at: null };
  return doc;
}

/**
 * Returns null when the request does not exist or belongs to another client (indistinguishable).
 * Never answers a stale open status: a request past its deadline (or early-close time) or timeout
 * is closed first, exactly as its task would close it.
 */
export async function getRequestStatus(
  clientId: string,
  requestId: string,
  now: Date = new Date(),
): Promise<RequestStatusView | null> {
  let request = (await requestsCol().doc(requestId).get()).data();
  if (!request || request.client_id !== clientId) return null;
  if (isOverdue(request, now)) {
    const outcome = await closeIfDue(requestId, now, "status");
    // Closed now or by someone else meanwhile: answer with what was written.
    if (outcome.kind !== "not_ready") {
      request = (await requestsCol().doc(requestId).get()).data() ?? request;
    }
  }
  const answered =
    request.status === "completed" && request.result
      ? request.result.participants.length
      : (await acceptedRankingsQuery(requestId).count().get()).data().count;
  const view: RequestStatusView = {
    request_id: request.request_id,
    status: request.status,
    created_at: request.created_at.toDate().toISOString(),
    timeout: request.timeout.toDate().toISOString(),
    validator_deadline: request.validator_deadline.toDate().toISOString(),
    validators: { answered, expected: request.expected_count },
  };
  // How the ask was read, from the description alone with the core's shipped lexicon (the
  // reference nodes' own reading); per lead, the stated constraints it meets. Nothing signed.
  const lexicon = builtInLexicon();
  const parsed = parseDescription(request.business_desc, lexicon);
  view.understood = understoodFrom(parsed, lexicon);
  if (request.status === "completed" && request.result) {
    view.leads = request.result.leads.map((lead) => ({
      ...lead,
      ...leadConstraints(lead, parsed, lexicon),
    }));
  }
  if (request.status === "failed" && request.failure_reason) view.reason = request.failure_reason;
  return view;
}

/**
 * Resolves once the request is final, once it becomes closable by time (so the status read that
 * follows closes it, as its task would), or after `waitMs`, whichever comes first. One listener on
 * the request document: nothing is polled.
 */
export function waitForFinalOrDue(requestId: string, waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    let dueTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(waitTimer);
      clearTimeout(dueTimer);
      unsubscribe();
      resolve();
    };
    const waitTimer = setTimeout(finish, waitMs);
    const unsubscribe = requestsCol()
      .doc(requestId)
      .onSnapshot(
        (snap) => {
          const request = snap.data();
          if (!request || !OPEN_STATUSES.includes(request.status)) return finish();
          // Re-armed on every change: an early close moves the time forward.
          clearTimeout(dueTimer);
          dueTimer = setTimeout(finish, Math.max(0, closableAtMs(request) - Date.now()));
        },
        // A listener that fails ends the wait; the status read after it answers as usual.
        finish,
      );
  });
}
