// Keeps a node's registry entry fresh (last_seen, is_serving) on a timer.
import {
  serverTimestamp,
  updateDoc,
  type DocumentReference,
  type FirestoreError,
} from "firebase/firestore";
import { events } from "./events";
import type { Logger } from "./log";
import { isAuthError } from "./retry";

export const MIN_HEARTBEAT_MS = 5_000;
/** Used when neither the node's options nor the backend (at sign-in) give a period. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

export interface HeartbeatHost {
  registryRef(): DocumentReference;
  log(): Logger;
  isStopping(): boolean;
  /** Whether the backend still accepts our sign-in. */
  authOk(): Promise<boolean>;
  /** Sign in again and re-subscribe: our token is no longer accepted. */
  recover(needAuth: boolean): void;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly host: HeartbeatHost) {}

  /** One beat now (its failure is thrown: the node cannot start unregistered), then every periodMs. */
  async start(periodMs: number): Promise<void> {
    await this.beat(true);
    this.timer = setInterval(() => void this.beat(true), periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  write(serving: boolean): Promise<void> {
    return updateDoc(this.host.registryRef(), {
      last_seen: serverTimestamp(),
      is_serving: serving,
    });
  }

  /** One heartbeat; a failure is logged (and may trigger recovery), never thrown, except at start. */
  private async beat(serving: boolean): Promise<void> {
    if (this.busy || this.host.isStopping()) return;
    this.busy = true;
    const first = this.timer === undefined;
    try {
      await this.write(serving);
    } catch (err) {
      if (first) throw new Error(`heartbeat failed: ${(err as Error).message}`);
      const code = (err as FirestoreError).code ?? (err as Error).message;
      // permission-denied is also what a missing registry entry gives; sign in again only when
      // our token itself is no longer accepted.
      if (isAuthError(err) && !(await this.host.authOk())) {
        events.heartbeatReauth(this.host.log(), { code });
        this.host.recover(true);
      } else {
        events.heartbeatFailed(this.host.log(), { code, unregistered: isAuthError(err) });
      }
    } finally {
      this.busy = false;
    }
  }
}
