// The event-age cutoff for retried Firestore triggers: with `retry: true` a handler that fails for
// good would be redelivered for up to 7 days. Events older than TRIGGER_MAX_EVENT_AGE_SECONDS are
// dropped with a log line; the sweep verifies and finalises whatever such an event left undone.
import { maxEventAgeMs } from "../config";
import { logs } from "../logs";

/** How old an event is at `now`; NaN when its time does not parse. */
export function eventAgeMs(eventTime: string, now: Date): number {
  return now.getTime() - Date.parse(eventTime);
}

/** True when the event is older than the cutoff. An unparseable time is processed, not dropped. */
export function isStale(eventTime: string, now: Date, maxAgeMs: number): boolean {
  const age = eventAgeMs(eventTime, now);
  return Number.isFinite(age) && age > maxAgeMs;
}

export interface EventMeta {
  id: string;
  time: string;
  type?: string;
  params: Record<string, string>;
}

/** Logs and returns true when `event` should be dropped instead of handled. */
export function dropStaleEvent(event: EventMeta, now: Date): boolean {
  const maxAgeMs = maxEventAgeMs();
  if (!isStale(event.time, now, maxAgeMs)) return false;
  logs.staleEventDropped({
    event_id: event.id,
    event_type: event.type,
    event_time: event.time,
    age_ms: eventAgeMs(event.time, now),
    max_age_ms: maxAgeMs,
    ...event.params,
  });
  return true;
}
