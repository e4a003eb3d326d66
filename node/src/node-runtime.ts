// What every node (miner or validator) does around its role-specific work: sign in, heartbeat its
// registry entry, listen to open requests in realtime and hand each one to the role exactly once,
// recover its listeners (signing in again when the backend forgot it), and shut down cleanly.
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import {
  collection,
  doc,
  getDoc,
  onSnapshot,
  query,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
  type DocumentData,
  type FirestoreError,
  type QuerySnapshot,
  type Unsubscribe,
} from "firebase/firestore";
import { COLLECTIONS, OPEN_STATUSES, type RequestStatus, type Role } from "consensus-core";
import { createLogger, short, type LogFormat, type Logger } from "./log";
import { Session, SignInError, type SessionConfig } from "./session";
import { SourcingLoop } from "./sourcing";

/** An open `api_requests` document as a node needs it. */
export interface OpenRequest {
  request_id: string;
  num_leads: number;
  business_desc: string;
  status: RequestStatus;
  createdAtMs: number;
  timeoutMs: number;
  validatorDeadlineMs: number;
  expected_validators: string[];
  /** Miners expected to answer (submit or decline); null on requests that do not record them. */
  expected_miners: string[] | null;
}

const millis = (v: unknown): number | null =>
  v && typeof (v as { toMillis?: unknown }).toMillis === "function"
    ? (v as { toMillis(): number }).toMillis()
    : null;

/** Reads the fields a node uses; null when the document is not a well-formed open request. */
export function parseOpenRequest(id: string, data: DocumentData): OpenRequest | null {
  const createdAtMs = millis(data.created_at);
  const timeoutMs = millis(data.timeout);
  const validatorDeadlineMs = millis(data.validator_deadline);
  if (
    typeof data.num_leads !== "number" ||
    typeof data.business_desc !== "string" ||
    !OPEN_STATUSES.includes(data.status) ||
    createdAtMs === null ||
    timeoutMs === null ||
    validatorDeadlineMs === null ||
    !Array.isArray(data.expected_validators)
  ) {
    return null;
  }
  return {
    request_id: id,
    num_leads: data.num_leads,
    business_desc: data.business_desc,
    status: data.status,
    createdAtMs,
    timeoutMs,
    validatorDeadlineMs,
    expected_validators: data.expected_validators.filter((h: unknown) => typeof h === "string"),
    expected_miners: Array.isArray(data.expected_miners)
      ? data.expected_miners.filter((h: unknown) => typeof h === "string")
      : null,
  };
}

/** Errors after which signing in again may help: the backend no longer knows our token. */
export function isAuthError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "permission-denied" || code === "unauthenticated";
}

export const MIN_HEARTBEAT_MS = 5_000;
const OFFLINE_REPORT_MS = 5_000;
/** Used when neither the node's options nor the backend (at sign-in) give a period. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

export interface NodeRuntimeOptions {
  pair: KeyringPair;
  session: SessionConfig;
  /** Default: a text logger tagged with the role and hotkey. */
  logger?: Logger;
  logFormat?: LogFormat;
  /** Registry heartbeat period; default the backend's (told at sign-in), else 15 s; never below 5 s. */
  heartbeatMs?: number;
  /** The background work requests pause; default a counting loop ticking every second. */
  sourcing?: SourcingLoop;
  /** Listener recovery backoff: first delay and cap (default 1 s and 30 s). */
  recoverInitialMs?: number;
  recoverMaxMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export abstract class NodeRuntime {
  abstract readonly role: Role;
  readonly pair: KeyringPair;
  heartbeatMs: number;
  readonly sourcing: SourcingLoop;
  protected readonly sessionConfig: SessionConfig;
  protected log: Logger;
  protected sessionRef: Session | undefined;
  /** This node's metagraph uid, read from its registry entry at start. */
  protected uid = -1;

  private readonly logFormat: LogFormat | undefined;
  private readonly fixedHeartbeat: boolean;
  private readonly customLogger: boolean;
  private readonly recoverInitialMs: number;
  private readonly recoverMaxMs: number;
  private readonly handled = new Set<string>();
  private readonly skippedExpired = new Set<string>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly inflight = new Set<Promise<void>>();
  private open = new Map<string, OpenRequest>();
  private unsubscribers: Unsubscribe[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatBusy = false;
  private recovering = false;
  private offlineTimer: NodeJS.Timeout | undefined;
  private reportedOffline = false;
  private stopping: Promise<void> | undefined;

  constructor(options: NodeRuntimeOptions) {
    this.pair = options.pair;
    this.sessionConfig = options.session;
    this.fixedHeartbeat = options.heartbeatMs !== undefined;
    this.heartbeatMs = Math.max(MIN_HEARTBEAT_MS, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.sourcing = options.sourcing ?? new SourcingLoop();
    this.logFormat = options.logFormat;
    this.customLogger = options.logger !== undefined;
    // Replaced in start() once the role is known (abstract fields are not set yet here).
    this.log = options.logger ?? createLogger({ role: "node", hotkey: options.pair.address });
    this.recoverInitialMs = options.recoverInitialMs ?? 1_000;
    this.recoverMaxMs = options.recoverMaxMs ?? 30_000;
  }

  get hotkey(): string {
    return this.pair.address;
  }

  protected get session(): Session {
    if (!this.sessionRef) throw new Error("node is not started");
    return this.sessionRef;
  }

  protected get db() {
    return this.session.db;
  }

  /** Ids of the open requests the node currently sees. */
  get openRequests(): string[] {
    return [...this.open.keys()];
  }

  isOpen(requestId: string): boolean {
    return this.open.has(requestId);
  }

  /** The role's work on one open request; called once per request per process. */
  protected abstract handleRequest(request: OpenRequest, signal: AbortSignal): Promise<void>;

  /** Extra listeners of the role (e.g. the validator's trust); resolves on their first snapshot. */
  protected subscribeRole(): Promise<void> {
    return Promise.resolve();
  }

  async start(): Promise<void> {
    if (!this.customLogger) {
      this.log = createLogger({ role: this.role, hotkey: this.hotkey, format: this.logFormat });
    }
    const t0 = Date.now();
    this.sessionRef = await this.openSession();
    const backendBeat = this.sessionRef.heartbeatSeconds;
    if (!this.fixedHeartbeat && backendBeat !== undefined) {
      this.heartbeatMs = Math.max(MIN_HEARTBEAT_MS, backendBeat * 1000);
    }
    this.log.info(`signed in as ${this.role}`, { hotkey: this.hotkey, ms: Date.now() - t0 });
    try {
      const entry = await getDoc(this.registryRef());
      const uid = entry.data()?.uid;
      if (typeof uid !== "number") throw new Error(`no registry entry for ${this.hotkey}`);
      this.uid = uid;
      await this.heartbeat(true);
      this.heartbeatTimer = setInterval(() => void this.heartbeat(true), this.heartbeatMs);
      this.sourcing.start();
      await this.subscribeAll();
    } catch (err) {
      await this.teardown();
      throw err;
    }
    this.log.info("listening for requests", {
      uid: this.uid,
      open: this.open.size,
      heartbeat_s: this.heartbeatMs / 1000,
    });
  }

  /**
   * Signs in, retrying while the backend is unreachable or failing (5xx, 429), e.g. a node started
   * before the backend; a refusal (401/403) or a wrong URL (404) is final.
   */
  private async openSession(): Promise<Session> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await Session.open(this.pair, this.role, this.sessionConfig);
      } catch (err) {
        const transient =
          err instanceof SignInError &&
          (err.status === 0 || err.status === 429 || err.status >= 500);
        if (!transient || this.isStopping) throw err;
        const delay = Math.min(this.recoverMaxMs, this.recoverInitialMs * 2 ** attempt);
        this.log.warn(`sign-in failed, retrying in ${delay / 1000} s: ${(err as Error).message}`);
        await sleep(delay);
        if (this.isStopping) throw err;
      }
    }
  }

  /** Unsubscribes, marks the node not serving, terminates Firestore. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.log.info("shutting down");
    for (const controller of this.controllers.values()) controller.abort();
    await withTimeout(Promise.allSettled([...this.inflight]), 3_000, "in-flight work").catch(
      () => undefined,
    );
    if (this.sessionRef && this.uid >= 0) {
      try {
        await withTimeout(this.writeHeartbeat(false), 5_000, "final heartbeat");
        this.log.info("marked not serving");
      } catch (err) {
        this.log.warn(`could not mark not serving: ${(err as Error).message}`);
      }
    }
    await this.teardown();
    this.log.info("stopped");
  }

  private async teardown(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.sourcing.stop();
    this.unsubscribeAll();
    await this.sessionRef?.close();
  }

  protected get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  protected registryRef() {
    return doc(this.db, COLLECTIONS.registry, this.hotkey);
  }

  private writeHeartbeat(serving: boolean): Promise<void> {
    return updateDoc(this.registryRef(), { last_seen: serverTimestamp(), is_serving: serving });
  }

  /** One heartbeat; a failure is logged (and may trigger recovery), never thrown, except at start. */
  private async heartbeat(serving: boolean): Promise<void> {
    if (this.heartbeatBusy || this.isStopping) return;
    this.heartbeatBusy = true;
    const first = this.heartbeatTimer === undefined;
    try {
      await this.writeHeartbeat(serving);
    } catch (err) {
      if (first) throw new Error(`heartbeat failed: ${(err as Error).message}`);
      const code = (err as FirestoreError).code ?? (err as Error).message;
      // permission-denied is also what a missing registry entry gives; sign in again only when
      // our token itself is no longer accepted.
      if (isAuthError(err) && !(await this.authOk())) {
        this.log.warn(`heartbeat failed: ${code}; signing in again`);
        this.recover(true);
      } else {
        const hint = isAuthError(err) ? " (is this hotkey still in the registry?)" : "";
        this.log.warn(`heartbeat failed: ${code}${hint}`);
      }
    } finally {
      this.heartbeatBusy = false;
    }
  }

  /**
   * Registers a listener and resolves on its first snapshot. An error before that rejects; an
   * error after it (the Firestore SDK has then given up on the listener) starts recovery.
   */
  protected track(
    name: string,
    register: (ready: () => void, fail: (err: FirestoreError) => void) => Unsubscribe,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const unsubscribe = register(
        () => {
          if (settled) return;
          settled = true;
          resolve();
        },
        (err) => {
          if (!settled) {
            settled = true;
            reject(err);
            return;
          }
          if (this.isStopping) return;
          this.log.warn(`${name} listener stopped: ${err.code}`);
          this.recover(isAuthError(err));
        },
      );
      this.unsubscribers.push(unsubscribe);
    });
  }

  private async subscribeAll(): Promise<void> {
    const requests = query(
      collection(this.db, COLLECTIONS.requests),
      where("status", "in", [...OPEN_STATUSES]),
    );
    await Promise.all([
      this.track("requests", (ready, fail) =>
        onSnapshot(
          requests,
          { includeMetadataChanges: true },
          (snap) => {
            // A cache-only snapshot may list requests that closed while we were disconnected:
            // act on server-confirmed snapshots only.
            this.noteConnection(snap.metadata.fromCache);
            if (snap.metadata.fromCache) return;
            this.onRequests(snap);
            ready();
          },
          fail,
        ),
      ),
      this.subscribeRole(),
    ]);
  }

  /**
   * Logs when the connection to Firestore is lost and restored. A snapshot is also cache-only
   * for a moment while the SDK re-checks a document that left the query (limbo resolution), so
   * only a cache-only state lasting OFFLINE_REPORT_MS counts as a lost connection.
   */
  private noteConnection(fromCache: boolean): void {
    if (fromCache) {
      this.offlineTimer ??= setTimeout(() => {
        this.reportedOffline = true;
        this.log.warn("lost the connection to Firestore; the SDK keeps reconnecting");
      }, OFFLINE_REPORT_MS);
      return;
    }
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.offlineTimer = undefined;
    if (this.reportedOffline) {
      this.reportedOffline = false;
      this.log.info("connection to Firestore restored");
    }
  }

  private unsubscribeAll(): void {
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.offlineTimer = undefined;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /**
   * Re-subscribes with exponential backoff, signing in again first when the error says the
   * backend no longer accepts our token (e.g. the auth emulator restarted and forgot the user).
   */
  protected recover(needAuth: boolean): void {
    if (this.recovering || this.isStopping) return;
    this.recovering = true;
    this.unsubscribeAll();
    void (async () => {
      for (let attempt = 0; !this.isStopping; attempt++) {
        const delay = Math.min(this.recoverMaxMs, this.recoverInitialMs * 2 ** attempt);
        await sleep(delay);
        if (this.isStopping) break;
        try {
          if (needAuth) {
            await this.session.reauthenticate();
            this.log.info("signed in again");
          }
          await this.subscribeAll();
          this.log.info("listeners restored", { attempt: attempt + 1, open: this.open.size });
          break;
        } catch (err) {
          this.unsubscribeAll();
          needAuth = needAuth || isAuthError(err);
          this.log.warn(`recovery attempt ${attempt + 1} failed: ${(err as Error).message}`, {
            retry_in_s:
              Math.min(this.recoverMaxMs, this.recoverInitialMs * 2 ** (attempt + 1)) / 1000,
          });
        }
      }
      this.recovering = false;
    })();
  }

  /** Reconciles the open set with a full snapshot, so a re-subscription catches up too. */
  private onRequests(snap: QuerySnapshot<DocumentData>): void {
    const current = new Map<string, OpenRequest>();
    for (const d of snap.docs) {
      const request = parseOpenRequest(d.id, d.data());
      if (request) current.set(d.id, request);
    }
    for (const id of this.open.keys()) {
      if (!current.has(id)) this.onRequestClosed(id);
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
          this.log.info(`request ${short(id)}: past its timeout, skipped`);
        }
        continue;
      }
      this.handled.add(id);
      this.log.info(`request ${short(id)}: seen`, {
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
    const task = this.handleRequest(request, controller.signal)
      .catch(async (err) => {
        if (isAuthError(err) && this.isOpen(id) && !this.isStopping && !(await this.authOk())) {
          // Our token is no longer accepted: try again once signed in and re-subscribed (the
          // existence check before each write makes the retry safe).
          this.handled.delete(id);
          this.log.warn(`request ${short(id)}: ${(err as FirestoreError).code}, will retry`);
          this.recover(true);
          return;
        }
        const code = (err as FirestoreError).code;
        const why =
          code === "permission-denied"
            ? "rejected by the security rules (request closed or timed out?)"
            : (err as Error).message;
        this.log.error(`request ${short(id)}: failed: ${why}`);
      })
      .finally(() => {
        this.controllers.delete(id);
        this.inflight.delete(task);
      });
    this.inflight.add(task);
  }

  private onRequestClosed(id: string): void {
    this.controllers.get(id)?.abort();
    this.handled.delete(id);
    this.skippedExpired.delete(id);
    if (this.sourcing.resume(id)) {
      this.log.info(`sourcing resumed (${this.sourcing.processed} done so far)`);
    }
  }

  /** Pauses background sourcing while `requestId` is open. */
  protected pauseSourcing(requestId: string): void {
    if (!this.isOpen(requestId)) return;
    if (this.sourcing.pause(requestId)) {
      this.log.info(`request ${short(requestId)}: sourcing paused`, {
        done: this.sourcing.processed,
      });
    }
  }

  /** Whether the backend still accepts our sign-in: our own registry entry is readable. */
  private async authOk(): Promise<boolean> {
    try {
      await getDoc(this.registryRef());
      return true;
    } catch (err) {
      return !isAuthError(err);
    }
  }

  /** True when the node's own document for this request already exists (restart, duplicate). */
  protected async ownDocExists(collectionName: string, docId: string): Promise<boolean> {
    return (await getDoc(doc(this.db, collectionName, docId))).exists();
  }

  /**
   * Signs `payload` (the canonical form of `content`) and creates the node's own document with a
   * server timestamp, unless it already exists: false then. Checked right before the write, since a
   * duplicate event or a restart may have raced this one.
   */
  protected async writeSignedOnce(
    collectionName: string,
    docId: string,
    content: object,
    payload: string,
  ): Promise<boolean> {
    const signature = u8aToHex(this.pair.sign(payload));
    if (await this.ownDocExists(collectionName, docId)) return false;
    await setDoc(doc(this.db, collectionName, docId), {
      ...content,
      signature,
      submitted_at: serverTimestamp(),
    });
    return true;
  }
}
