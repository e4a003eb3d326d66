// A node's pausable background work between requests, one unit a tick; open requests pause it.
// The reference nodes only count ticks here: a real miner would source leads, a real validator
// work through a queue. Requests take priority: each open request the node works on pauses the
// loop, and it resumes once no request holds it any more.

export interface BackgroundWorkOptions {
  /** How often one unit of work is done; default 1 s. */
  intervalMs?: number;
  /** One unit of work; default does nothing but count. Errors are counted, never thrown. */
  work?: () => void | Promise<void>;
}

export class BackgroundWork {
  private readonly intervalMs: number;
  private readonly work: (() => void | Promise<void>) | undefined;
  private readonly holds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private done = 0;
  private failures = 0;

  constructor(options: BackgroundWorkOptions = {}) {
    const intervalMs = options.intervalMs ?? 1_000;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`intervalMs must be a positive number, got ${intervalMs}`);
    }
    this.intervalMs = intervalMs;
    this.work = options.work;
  }

  /** Units of work done so far. */
  get processed(): number {
    return this.done;
  }

  get failed(): number {
    return this.failures;
  }

  get paused(): boolean {
    return this.holds.size > 0;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    // Background work never keeps the process alive on its own.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pauses for `reason` (a request id); returns true if this paused a running loop. */
  pause(reason: string): boolean {
    const wasPaused = this.paused;
    this.holds.add(reason);
    return !wasPaused;
  }

  /** Releases `reason`; returns true if that resumed the loop (no other hold left). */
  resume(reason: string): boolean {
    if (!this.holds.delete(reason)) return false;
    return !this.paused;
  }

  /** One unit of work, unless paused or the previous unit is still running. */
  async tick(): Promise<void> {
    if (this.paused || this.busy) return;
    this.busy = true;
    try {
      await this.work?.();
      this.done++;
    } catch {
      this.failures++;
    } finally {
      this.busy = false;
    }
  }
}
