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

/** mulberry32: a small deterministic PRNG, so the same seed always gives the same requests and descriptions. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Empties one project's database on the Firestore emulator. Every document is first rewritten
 * unchanged: the emulator retires the listen streams of exited node processes only when it sends
 * them a change, and a delete that revokes a dead stream's read permission fails as a whole (README,
 * "Firestore emulator and exited nodes"). A 409 means a function's transaction (a close task still
 * running) got in the way; that one is retried.
 */
export async function clearFirestore(db, project) {
  const writer = db.bulkWriter();
  for (const col of await db.listCollections()) {
    for (const snap of (await col.get()).docs) void writer.set(snap.ref, snap.data());
  }
  await writer.close();
  const url = `http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${project}/databases/(default)/documents`;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { method: "DELETE" });
    if (res.ok) return;
    if (res.status !== 409 || attempt >= 5)
      throw new Error(`clearing Firestore failed: ${res.status}`);
    await sleep(500 * attempt);
  }
}
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

// ---- Firestore metering, shared by the cost and scale benches ------------------------------------

/** The Admin SDK's Firestore classes the benches meter. */
export function firestoreInternals() {
  const adminRequire = createRequire(
    join(dirname(frequire.resolve("firebase-admin")), "..", "package.json"),
  );
  const gcfDir = dirname(adminRequire.resolve("@google-cloud/firestore"));
  // Load the package entry first: its internals have circular imports that break if loaded alone.
  adminRequire("@google-cloud/firestore");
  frequire("firebase-admin/firestore");
  const load = (file) => adminRequire(join(gcfDir, file));
  return {
    DocumentReader: load("document-reader.js").DocumentReader,
    WriteBatch: load("write-batch.js").WriteBatch,
    Query: load("reference/query.js").Query,
    AggregateQuery: load("reference/aggregate-query.js").AggregateQuery,
    Transaction: load("transaction.js").Transaction,
  };
}

/**
 * Wraps `proto[name]` so `after(meter, result, self)` runs when it settles; `meterOf()` is called
 * when the method is, so a meter attributed to the caller's context is the caller's.
 */
export function wrapMethod(proto, name, meterOf, after) {
  const orig = proto[name];
  proto[name] = function (...args) {
    const meter = meterOf();
    const out = orig.apply(this, args);
    if (out && typeof out.then === "function") return out.then((r) => (after(meter, r, this), r));
    after(meter, out, this);
    return out;
  };
}

/**
 * Counts reads as billed onto `meterOf()`'s meter: one per document fetched (missing ones too),
 * one per document a query returns (min 1), one per aggregation (up to 1000 index entries).
 */
export function meterReads(fs, meterOf) {
  wrapMethod(fs.DocumentReader.prototype, "_get", meterOf, (x, r, self) => {
    x.reads += self.allDocuments.length;
    x.docGets += self.allDocuments.length;
  });
  wrapMethod(fs.Query.prototype, "_get", meterOf, (x, r) => {
    x.reads += Math.max(1, r.result.size);
    x.queries++;
  });
  wrapMethod(fs.AggregateQuery.prototype, "_get", meterOf, (x) => {
    x.reads += 1;
    x.counts++;
  });
}
