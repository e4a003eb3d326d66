// A Logger for unit tests that keeps each line's catalogued event (name, level, every field it was
// given), so tests match events rather than the prose people read.
import type { EventTag, LogFields, Logger, LogLevel } from "../../src/runtime/log";

export interface RecordedEvent {
  level: LogLevel;
  /** The event's name, or "" for a line written outside the catalogue. */
  event: string;
  data: Readonly<Record<string, unknown>>;
  msg: string;
  fields: LogFields;
}

export function recordingLogger(): Logger & {
  entries: RecordedEvent[];
  /** The names of the events logged so far, in order. */
  events(): string[];
} {
  const entries: RecordedEvent[] = [];
  const at =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}, event?: EventTag): void =>
      void entries.push({ level, event: event?.name ?? "", data: event?.data ?? {}, msg, fields });
  return {
    entries,
    events: () => entries.map((e) => e.event),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}
