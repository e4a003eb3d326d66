// The bounds every plug-in call runs within: operators' code is outside this repository's tests,
// so a slow, huge or malformed answer must cost one request at most, never the node.

/** The default --plugin-timeout-ms: how long one curate or rank call may take. */
export const DEFAULT_PLUGIN_TIMEOUT_MS = 10_000;

/** The largest HTTP answer read: 200 leads of 11 fields of at most 300 characters fit with room. */
export const MAX_PLUGIN_RESPONSE_BYTES = 2 * 1024 * 1024;

/** Longest part of a plug-in's own error message that is logged. */
export const MAX_LOGGED_ERROR_CHARS = 300;

/** Any way a plug-in call failed: an error, a timeout, an HTTP status, an invalid answer. */
export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PluginError";
  }
}

/** Resolves with `work`, or rejects with a PluginError once `ms` have passed. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A plug-in's error as one log-safe line: its message, shortened. */
export function describeFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.replace(/\s+/g, " ").trim() || "(no message)";
  return line.length > MAX_LOGGED_ERROR_CHARS
    ? `${line.slice(0, MAX_LOGGED_ERROR_CHARS)}...`
    : line;
}
