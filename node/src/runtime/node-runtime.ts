// The lifecycle every node (miner or validator) shares: sign in, start its heartbeat, listeners
// and background work, hand each open request to the role, and shut down cleanly.
import type { KeyringPair } from "@polkadot/keyring/types";
import {
  collection,
  disableNetwork,
  doc,
  enableNetwork,
  getDoc,
  onSnapshot,
  query,
  where,
} from "firebase/firestore";
import { COLLECTIONS, OPEN_STATUSES, type Role } from "consensus-core";
import { BackgroundWork } from "./background-work";
import { DEFAULT_HEARTBEAT_MS, Heartbeat, MIN_HEARTBEAT_MS } from "./heartbeat";
import { Listeners } from "./listeners";
import { events } from "./events";
import { createLogger, type LogFormat, type Logger } from "./log";
import type { OpenRequest } from "./open-request";
import { RequestFeed } from "./request-feed";
import { backoffMs, isAuthError, sleep, withTimeout } from "./retry";
import { ApiError } from "consensus-client";
import { Session, type SessionConfig } from "./session";
import { ownDocExists, writeSignedOnce } from "./write-once";

export interface NodeRuntimeOptions {
  pair: KeyringPair;
  session: SessionConfig;
  /** Default: a text logger tagged with the role and hotkey. */
  logger?: Logger;
  logFormat?: LogFormat;
  /** Registry heartbeat period; default the backend's (told at sign-in), else 15 s; never below 5 s. */
  heartbeatMs?: number | undefined;
  /** The background work requests pause; default a counting loop ticking every second. */
  background?: BackgroundWork;
  /** Listener recovery backoff: first delay and cap (default 1 s and 30 s). */
  recoverInitialMs?: number;
  recoverMaxMs?: number;
}

export abstract class NodeRuntime {
  abstract readonly role: Role;
  readonly pair: KeyringPair;
  heartbeatMs: number;
  readonly background: BackgroundWork;
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
  private readonly heartbeat: Heartbeat;
  private readonly listeners: Listeners;
  private readonly feed: RequestFeed;
  private stopping: Promise<void> | undefined;

  constructor(options: NodeRuntimeOptions) {
    this.pair = options.pair;
    this.sessionConfig = options.session;
    this.fixedHeartbeat = options.heartbeatMs !== undefined;
    this.heartbeatMs = Math.max(MIN_HEARTBEAT_MS, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.background = options.background ?? new BackgroundWork();
    this.logFormat = options.logFormat;
    this.customLogger = options.logger !== undefined;
    // Replaced in start() once the role is known (abstract fields are not set yet here).
    this.log = options.logger ?? createLogger({ role: "node", hotkey: options.pair.address });
    this.recoverInitialMs = options.recoverInitialMs ?? 1_000;
    this.recoverMaxMs = options.recoverMaxMs ?? 30_000;
    this.heartbeat = new Heartbeat({
      registryRef: () => this.registryRef(),
      log: () => this.log,
      isStopping: () => this.isStopping,
      authOk: () => this.authOk(),
      recover: (needAuth) => this.listeners.recover(needAuth),
    });
    this.listeners = new Listeners(
      {
        log: () => this.log,
        isStopping: () => this.isStopping,
        reauthenticate: () => this.session.reauthenticate(),
        subscribeAll: () => this.subscribeAll(),
        openCount: () => this.feed.size,
        reconnect: async () => {
          await disableNetwork(this.db);
          await enableNetwork(this.db);
        },
      },
      this.recoverInitialMs,
      this.recoverMaxMs,
    );
    this.feed = new RequestFeed({
      log: () => this.log,
      isStopping: () => this.isStopping,
      handleRequest: (request, signal) => this.handleRequest(request, signal),
      onRequestClosed: (id) => this.onRequestClosed(id),
      authOk: () => this.authOk(),
      recover: (needAuth) => this.listeners.recover(needAuth),
    });
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
    return this.feed.ids;
  }

  isOpen(requestId: string): boolean {
    return this.feed.has(requestId);
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
    events.signedIn(this.log, { role: this.role, hotkey: this.hotkey, ms: Date.now() - t0 });
    try {
      const entry = await getDoc(this.registryRef());
      const uid = entry.data()?.uid;
      if (typeof uid !== "number") throw new Error(`no registry entry for ${this.hotkey}`);
      this.uid = uid;
      await this.heartbeat.start(this.heartbeatMs);
      this.background.start();
      await this.subscribeAll();
    } catch (err) {
      await this.teardown();
      throw err;
    }
    events.listening(this.log, {
      uid: this.uid,
      open: this.feed.size,
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
          err instanceof ApiError && (err.status === 0 || err.status === 429 || err.status >= 500);
        if (!transient || this.isStopping) throw err;
        const delay = backoffMs(attempt, this.recoverInitialMs, this.recoverMaxMs);
        events.signInRetry(this.log, { retry_in_ms: delay, error: (err as Error).message });
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
    events.shuttingDown(this.log);
    await withTimeout(this.feed.abortAll(), 3_000, "in-flight work").catch(() => undefined);
    if (this.sessionRef && this.uid >= 0) {
      try {
        await withTimeout(this.heartbeat.write(false), 5_000, "final heartbeat");
        events.markedNotServing(this.log);
      } catch (err) {
        events.markNotServingFailed(this.log, { error: (err as Error).message });
      }
    }
    await this.teardown();
    events.stopped(this.log);
  }

  private async teardown(): Promise<void> {
    this.heartbeat.stop();
    this.background.stop();
    this.listeners.unsubscribeAll();
    await this.sessionRef?.close();
  }

  protected get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  protected registryRef() {
    return doc(this.db, COLLECTIONS.registry, this.hotkey);
  }

  /** Registers a role's listener; see Listeners.track. */
  protected track(...args: Parameters<Listeners["track"]>): Promise<void> {
    return this.listeners.track(...args);
  }

  private async subscribeAll(): Promise<void> {
    const requests = query(
      collection(this.db, COLLECTIONS.requests),
      where("status", "in", [...OPEN_STATUSES]),
    );
    await Promise.all([
      this.listeners.track("requests", (ready, fail) =>
        onSnapshot(
          requests,
          { includeMetadataChanges: true },
          (snap) => {
            // A cache-only snapshot may list requests that closed while we were disconnected:
            // act on server-confirmed snapshots only.
            this.listeners.noteConnection(snap.metadata.fromCache);
            if (snap.metadata.fromCache) return;
            this.feed.reconcile(snap.docs);
            ready();
          },
          fail,
        ),
      ),
      this.subscribeRole(),
    ]);
  }

  private onRequestClosed(id: string): void {
    if (this.background.resume(id)) {
      events.sourcingResumed(this.log, { done: this.background.processed });
    }
  }

  /** Pauses the node's background work while `requestId` is open. */
  protected pauseBackgroundWork(requestId: string): void {
    if (!this.isOpen(requestId)) return;
    if (this.background.pause(requestId)) {
      events.sourcingPaused(this.log, { request_id: requestId, done: this.background.processed });
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
  protected ownDocExists(collectionName: string, docId: string): Promise<boolean> {
    return ownDocExists(this.db, collectionName, docId);
  }

  /** Signs and creates the node's own document unless it exists; see write-once.ts. */
  protected writeSignedOnce(
    collectionName: string,
    docId: string,
    content: object,
    payload: string,
  ): Promise<boolean> {
    return writeSignedOnce(this.db, this.pair, { collectionName, docId }, content, payload);
  }
}
