// The open requests a node sees: reconciles each snapshot with what it knew, hands every new
// request to the role exactly once per process, retries that work while Firestore is out of
// reach, and aborts the work of a request that closed.
import { setTimeout as delay } from "node:timers/promises";
import type { DocumentData, FirestoreError, QueryDocumentSnapshot } from "firebase/firestore";
import { events } from "./events";
import type { Logger } from "./log";
import { parseOpenRequest, type OpenRequest } from "./open-request";
import { backoffMs, isAuthError, isTransientError } from "./retry";

export interface RequestFeedHost {
  log(): Logger;
  isStopping(): boolean;
  /** The role's work on one open request. */
  handleRequest(request: OpenRequest, signal: AbortSignal): Promise<void>;
  /** A request this node saw left the open set (completed, failed or deleted). */
  onRequestClosed(requestId: string): void;
  authOk(): Promise<boolean>;
  recover(needAuth: boolean): void;
}

export class RequestFeed {
  private open = new Map<string, OpenRequest>();
  private readonly handled = new Set<string>();
  private readonly skippedExpired = new Set<string>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly host: RequestFeedHost,
    /** Backoff between attempts at a request whose work failed on a transient error. */
    private readonly retry = { initialMs: 1_000, maxMs: 8_000 },
  ) {}

  get ids(): string[] {
    return [...this.open.keys()];
  }

  get size(): number {
    return this.open.size;
  }

  has(requestId: string): boolean {
    return this.open.has(requestId);
  }

  /** Aborts every request's work and resolves once all of it has settled. */
  abortAll(): Promise<unknown> {
    for (const controller of this.controllers.values()) controller.abort();
    return Promise.allSettled([...this.inflight]);
  }

  /** Resolves once no request's work is in flight. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Reconciles the open set with a full snapshot, so a re-subscription catches up too. */
  reconcile(docs: readonly QueryDocumentSnapshot<DocumentData>[]): void {
    const current = new Map<string, OpenRequest>();
    for (const d of docs) {
      const request = parseOpenRequest(d.id, d.data());
      if (request) current.set(d.id, request);
    }
    for (const id of this.open.keys()) {
      if (!current.has(id)) this.closed(id);
    }
    this.open = current;
    // Taken in the listener callback itself: when this node learnt of each new request.
    const now = Date.now();
    for (const request of current.values()) {
      const id = request.request_id;
      if (this.handled.has(id)) continue;
      if (now >= request.timeoutMs) {
        // Past its timeout but not swept yet: nothing written now would count.
        if (!this.skippedExpired.has(id)) {
          this.skippedExpired.add(id);
          events.requestExpired(this.host.log(), { request_id: id });
        }
        continue;
      }
      this.handled.add(id);
      events.requestSeen(this.host.log(), {
        request_id: id,
        seen_at_ms: now,
        broadcast_ms: now - request.createdAtMs,
      });
      this.run(request);
    }
  }

  private run(request: OpenRequest): void {
    const id = request.request_id;
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const task = this.work(request, controller.signal).finally(() => {
      this.controllers.delete(id);
      this.inflight.delete(task);
    });
    this.inflight.add(task);
  }

  /**
   * The role's work on one request, tried again after a transient error (Firestore out of reach)
   * for as long as the request is open: the existence check before each write makes it safe.
   */
  private async work(request: OpenRequest, signal: AbortSignal): Promise<void> {
    const id = request.request_id;
    const stillWanted = () =>
      !signal.aborted && this.has(id) && !this.host.isStopping() && Date.now() < request.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.host.handleRequest(request, signal);
        return;
      } catch (err) {
        const code = (err as FirestoreError).code;
        if (isAuthError(err) && this.has(id) && !this.host.isStopping()) {
          if (!(await this.host.authOk())) {
            // Our token is no longer accepted: try again once signed in and re-subscribed.
            this.handled.delete(id);
            events.requestAuthRetry(this.host.log(), { request_id: id, code });
            this.host.recover(true);
            return;
          }
        } else if (isTransientError(err) && stillWanted()) {
          const ms = backoffMs(attempt, this.retry.initialMs, this.retry.maxMs);
          events.requestRetry(this.host.log(), { request_id: id, code, retry_in_ms: ms });
          await delay(ms, undefined, { signal }).catch(() => undefined);
          if (stillWanted()) continue;
          return;
        }
        const why =
          code === "permission-denied"
            ? "rejected by the security rules (request closed or timed out?)"
            : (err as Error).message;
        events.requestFailed(this.host.log(), { request_id: id, error: why });
        return;
      }
    }
  }

  private closed(id: string): void {
    this.controllers.get(id)?.abort();
    this.handled.delete(id);
    this.skippedExpired.delete(id);
    this.host.onRequestClosed(id);
  }
}
