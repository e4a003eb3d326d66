// Bounded retries for Firestore operations that are safe to repeat (every lifecycle step is
// idempotent). The Admin SDK already retries ABORTED inside runTransaction; under heavy contention a
// transaction can still fail as expired/closed or unavailable, and an event whose handler fails for
// good would leave its ranking unverified until the sweep.
import { GrpcStatus } from "firebase-admin/firestore";

const RETRYABLE_CODES = new Set<number>([
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.UNAVAILABLE,
]);

export function isRetryable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === "number" && RETRYABLE_CODES.has(e.code)) return true;
  // An expired or lock-timed-out transaction reports INVALID_ARGUMENT "Transaction ... closed/expired".
  return (
    e?.code === GrpcStatus.INVALID_ARGUMENT &&
    typeof e.message === "string" &&
    /transaction/i.test(e.message)
  );
}

export async function withRetry<T>(
  op: () => Promise<T>,
  attempts = 4,
  baseDelayMs = 100,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      const delay = baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** True for a write whose `lastUpdateTime` precondition no longer held. */
export function isPreconditionFailure(err: unknown): boolean {
  return (err as { code?: unknown })?.code === GrpcStatus.FAILED_PRECONDITION;
}

/** True for a write to a document that no longer exists (e.g. a late event after a delete). */
export function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown })?.code === GrpcStatus.NOT_FOUND;
}
