// Timing helpers for a node's retries: exponential backoff, a plain delay, a deadline on a promise.

/** Errors after which signing in again may help: the backend no longer knows our token. */
export function isAuthError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "permission-denied" || code === "unauthenticated";
}

/**
 * Errors that say Firestore could not be reached or did not answer in time (the client is
 * offline, a connection reset mid-call): the same call may succeed once the connection is back.
 */
export function isTransientError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "unavailable" || code === "deadline-exceeded" || code === "aborted";
}

/** The delay before retry `attempt` (0-based): doubling from `initialMs`, never above `maxMs`. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** attempt);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
