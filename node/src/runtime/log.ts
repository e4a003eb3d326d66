// The node's one logger: one line per event on stdout, either `[role hotkey-prefix] message k=v`
// (the default, for people) or JSON lines (LOG_FORMAT=json, for log shippers, with the event's
// name). The node's own code logs only through the catalogue in ./events, which names each event.
// Callers never pass secrets: no secret URIs, mnemonics, custom tokens, API keys or signatures.

export type LogFormat = "text" | "json";
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Which catalogued event a line reports, and every field the event was given (including those only
 * its message shows), for loggers that match events rather than prose, e.g. a test's recorder.
 */
export interface EventTag {
  name: string;
  data: Readonly<Record<string, unknown>>;
}

export interface Logger {
  info(message: string, fields?: LogFields, event?: EventTag): void;
  warn(message: string, fields?: LogFields, event?: EventTag): void;
  error(message: string, fields?: LogFields, event?: EventTag): void;
}

export interface LoggerOptions {
  /** e.g. "validator", "miner", "client". */
  role: string;
  /** The node's SS58 hotkey; only its first 8 characters are printed in text lines. */
  hotkey?: string;
  format?: LogFormat | undefined;
  /** Where lines go; default process.stdout. */
  write?: (line: string) => void;
}

/** First 8 characters of a hotkey or request id: enough to tell them apart in a log. */
export const short = (id: string): string => id.slice(0, 8);

// Values can come from outside (a request's business_desc, a miner's lead): a terminal must never
// receive their control characters (ANSI escapes) or bidi overrides raw. JSON.stringify escapes C0
// controls and lone surrogates; DEL, C1 and the bidi controls are escaped here.
const UNSAFE_IN_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NOT_ESCAPED_BY_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function formatValue(value: string | number | boolean | null): string {
  const s = String(value);
  if (/^[^\s"=]+$/.test(s) && !UNSAFE_IN_TEXT.test(s)) return s;
  return JSON.stringify(s).replace(
    NOT_ESCAPED_BY_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? "text";
  const write = options.write ?? ((line: string) => process.stdout.write(line + "\n"));
  const tag = options.hotkey ? `[${options.role} ${short(options.hotkey)}]` : `[${options.role}]`;

  const emit = (
    level: LogLevel,
    message: string,
    fields: LogFields = {},
    event: EventTag | undefined = undefined,
  ): void => {
    const defined = Object.entries(fields).filter(([, v]) => v !== undefined) as [
      string,
      string | number | boolean | null,
    ][];
    if (format === "json") {
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level,
          ...(event ? { event: event.name } : {}),
          role: options.role,
          ...(options.hotkey ? { hotkey: options.hotkey } : {}),
          msg: message,
          ...Object.fromEntries(defined),
        }),
      );
      return;
    }
    const prefix = level === "info" ? tag : `${tag} ${level.toUpperCase()}`;
    const extra = defined.map(([k, v]) => `${k}=${formatValue(v)}`).join(" ");
    write(extra ? `${prefix} ${message} ${extra}` : `${prefix} ${message}`);
  };

  return {
    info: (message, fields, event) => emit("info", message, fields, event),
    warn: (message, fields, event) => emit("warn", message, fields, event),
    error: (message, fields, event) => emit("error", message, fields, event),
  };
}

export function parseLogFormat(value: string | undefined): LogFormat | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "text" || value === "json") return value;
  throw new Error(`log format must be "text" or "json", got "${value}"`);
}
