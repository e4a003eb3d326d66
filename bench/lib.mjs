// Shared helpers for the bench: stats, timing, silencing the backend's structured logger in-process.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** require() resolving from functions/, so the bench shares the backend's module instances. */
export const frequire = createRequire(join(root, "functions", "package.json"));

export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
export const median = (xs) => quantile(xs, 0.5);
export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** firebase-functions/logger writes JSON lines to stdout/stderr; drop them in bench processes. */
export function silenceBackendLogs() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      const s = typeof chunk === "string" ? chunk : chunk.toString();
      if (s.startsWith("{") && s.includes('"event"')) return true;
      return write(chunk, ...rest);
    };
  }
}
