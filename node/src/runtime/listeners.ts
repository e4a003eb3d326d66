// A node's realtime listeners: registers them, reports a lost connection, and recovers them
// (signing in again first when the backend forgot us) with exponential backoff.
import type { FirestoreError, Unsubscribe } from "firebase/firestore";
import { events } from "./events";
import type { Logger } from "./log";
import { backoffMs, isAuthError, sleep } from "./retry";

const OFFLINE_REPORT_MS = 5_000;

export interface ListenersHost {
  log(): Logger;
  isStopping(): boolean;
  /** Mints a fresh token for the existing session. */
  reauthenticate(): Promise<void>;
  /** Registers every listener again (through track) and resolves on their first snapshots. */
  subscribeAll(): Promise<void>;
  /** For the "listeners restored" log line. */
  openCount(): number;
  /** Drops the SDK's connection and opens a new one at once (its own retries back off to 60 s). */
  reconnect(): Promise<void>;
}

export class Listeners {
  private unsubscribers: Unsubscribe[] = [];
  private recovering = false;
  private offlineTimer: NodeJS.Timeout | undefined;
  private reportedOffline = false;

  constructor(
    private readonly host: ListenersHost,
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /**
   * Registers a listener and resolves on its first snapshot. An error before that rejects; an
   * error after it (the Firestore SDK has then given up on the listener) starts recovery.
   */
  track(
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
          if (this.host.isStopping()) return;
          events.listenerStopped(this.host.log(), { listener: name, code: err.code });
          this.recover(isAuthError(err));
        },
      );
      this.unsubscribers.push(unsubscribe);
    });
  }

  /**
   * Logs when the connection to Firestore is lost and restored. A snapshot is also cache-only
   * for a moment while the SDK re-checks a document that left the query (limbo resolution), so
   * only a cache-only state lasting OFFLINE_REPORT_MS counts as a lost connection.
   */
  noteConnection(fromCache: boolean): void {
    if (fromCache) {
      // While offline, a fresh connection every OFFLINE_REPORT_MS: the SDK's own reconnection
      // backs off to a minute, and a node that misses a minute of requests misses their rounds.
      this.offlineTimer ??= setInterval(() => {
        if (!this.reportedOffline) {
          this.reportedOffline = true;
          events.connectionLost(this.host.log());
        }
        if (!this.host.isStopping()) void this.host.reconnect().catch(() => undefined);
      }, OFFLINE_REPORT_MS);
      return;
    }
    if (this.offlineTimer) clearInterval(this.offlineTimer);
    this.offlineTimer = undefined;
    if (this.reportedOffline) {
      this.reportedOffline = false;
      events.connectionRestored(this.host.log());
    }
  }

  unsubscribeAll(): void {
    if (this.offlineTimer) clearInterval(this.offlineTimer);
    this.offlineTimer = undefined;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /**
   * Re-subscribes with exponential backoff, signing in again first when the error says the
   * backend no longer accepts our token (e.g. the auth emulator restarted and forgot the user).
   */
  recover(needAuth: boolean): void {
    if (this.recovering || this.host.isStopping()) return;
    this.recovering = true;
    this.unsubscribeAll();
    void (async () => {
      for (let attempt = 0; !this.host.isStopping(); attempt++) {
        await sleep(backoffMs(attempt, this.initialMs, this.maxMs));
        if (this.host.isStopping()) break;
        try {
          if (needAuth) {
            await this.host.reauthenticate();
            events.signedInAgain(this.host.log());
          }
          await this.host.subscribeAll();
          events.listenersRestored(this.host.log(), {
            attempt: attempt + 1,
            open: this.host.openCount(),
          });
          break;
        } catch (err) {
          this.unsubscribeAll();
          needAuth = needAuth || isAuthError(err);
          events.recoveryFailed(this.host.log(), {
            attempt: attempt + 1,
            error: (err as Error).message,
            retry_in_s: backoffMs(attempt + 1, this.initialMs, this.maxMs) / 1000,
          });
        }
      }
      this.recovering = false;
    })();
  }
}
