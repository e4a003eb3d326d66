// Keeping the registry in sync with the subnet's metagraph: a snapshot (docs/metagraph-snapshot.md)
// is validated, diffed against the registry by the pure planRegistrySync, and applied in batches.
// Used by the admin CLI (`sync-metagraph`) and the scheduled `syncMetagraph` function.
import { Timestamp, type WriteBatch } from "firebase-admin/firestore";
import {
  COLLECTIONS,
  parseMetagraphSnapshot,
  parseMetagraphSnapshotJson,
  planRegistrySync,
  readMetagraphFromChain,
  endpointOrigin,
  snapshotSequenceProblem,
  type LastSync,
  type RegistryEntryLike,
  type RegistrySyncPlan,
  type RegistryWrite,
  type TrustChange,
} from "consensus-core";
import { readChainSource, readSnapshotUrl } from "../config";
import { db, registryCol, type RegistryDoc } from "../db";
import { logs } from "../logs";
import { hotkeysToRevoke, revokeSessions, type RevocationReport } from "./revoke";

/** Where the last applied sync is recorded: `registry_meta/current`. Backend-only (rules deny). */
export const REGISTRY_META_COLLECTION = COLLECTIONS.registryMeta;
export const REGISTRY_META_DOC = "current";

/** Firestore's historical limit on writes per batch; staying under it keeps every commit small. */
export const MAX_BATCH_WRITES = 500;

/** Registry documents as this module writes them (RegistryDoc plus the chain-only fields). */
export interface SyncedRegistryFields {
  coldkey: string | null;
  axon: { ip: string; port: number } | null;
  netuid: number;
  /** Block of the snapshot that last changed this entry. */
  block: number;
  /** When a sync last changed this entry. */
  synced_at: Timestamp;
}

export interface RegistryMetaDoc {
  netuid: number;
  block: number;
  synced_at: Timestamp;
  /** "cli" or "schedule"; never a URL (it may carry a token). */
  source: string;
  counts: {
    neurons: number;
    validators: number;
    miners: number;
    added: number;
    removed: number;
    updated: number;
    trust_changed: number;
    unchanged: number;
    written: number;
  };
}

export interface SyncOptions {
  /** Plan and report only; nothing is written. */
  dryRun?: boolean;
  /** Apply even a snapshot for another netuid or an older block than the last sync. */
  force?: boolean;
  source?: string;
}

/** The plan as reported (snake_case for the JSON report), plus what the sync did. */
export type SyncReport = Omit<RegistrySyncPlan, "writes" | "trustChanged"> & {
  trust_changed: TrustChange[];
  /** Registry documents written (0 on a dry run). */
  written: number;
  batches: number;
  dry_run: boolean;
  /** Sessions ended because the hotkey was removed or its role changed (none on a dry run). */
  sessions: RevocationReport;
  synced_at: string;
  /** The sync this one follows, as recorded in registry_meta/current. */
  previous: { netuid: number; block: number; synced_at: string } | null;
};

/** A valid snapshot that must not be applied on top of the last sync (see snapshotSequenceProblem). */
export class SnapshotSequenceError extends Error {
  constructor(message: string) {
    super(`${message} (use --force to apply it anyway)`);
    this.name = "SnapshotSequenceError";
  }
}

export const registryMetaRef = () =>
  db()
    .collection(REGISTRY_META_COLLECTION)
    .doc(REGISTRY_META_DOC) as FirebaseFirestore.DocumentReference<RegistryMetaDoc>;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error("chunk size must be >= 1");
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Validates `snapshot` (MetagraphSnapshotError names each bad entry; nothing is read or written),
 * then brings `registry/{hotkey}` in line with it and records the sync in registry_meta/current.
 * Only entries that changed are written, and a node's heartbeat fields (last_seen, is_serving) are
 * left alone unless the hotkey left the metagraph. Running it twice on one snapshot writes nothing
 * the second time but the meta record.
 */
export async function syncRegistryFromSnapshot(
  snapshot: unknown,
  now: Date,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const valid = parseMetagraphSnapshot(snapshot);

  const meta = (await registryMetaRef().get()).data();
  const last: LastSync | null = meta ? { netuid: meta.netuid, block: meta.block } : null;
  const problem = snapshotSequenceProblem(last, valid);
  if (problem && !options.force) throw new SnapshotSequenceError(problem);

  const current: RegistryEntryLike[] = (await registryCol().get()).docs.map((d) => ({
    ...(d.data() as RegistryEntryLike),
    hotkey: d.id,
  }));
  const plan = planRegistrySync(current, valid);
  const syncedAt = Timestamp.fromDate(now);

  const batches = chunk(plan.writes, MAX_BATCH_WRITES);
  let sessions: RevocationReport = { revoked: [], no_session: [], failed: [] };
  if (!options.dryRun) {
    // Each batch is atomic; should a later one fail, re-running the sync finishes the job (the plan
    // is recomputed from what is stored). The meta record is written only once all have committed.
    for (const writes of batches) {
      const batch = db().batch();
      for (const w of writes) addWrite(batch, w, syncedAt);
      await batch.commit();
    }
    // After the registry commit, which already makes the rules refuse these hotkeys' tokens.
    sessions = await revokeSessions(hotkeysToRevoke(plan));
    const record: RegistryMetaDoc = {
      netuid: plan.netuid,
      block: plan.block,
      synced_at: syncedAt,
      source: options.source ?? "unknown",
      counts: {
        neurons: plan.neurons,
        validators: plan.validators,
        miners: plan.miners,
        added: plan.added.length,
        removed: plan.removed.length,
        updated: plan.updated.length,
        trust_changed: plan.trustChanged.length,
        unchanged: plan.unchanged.length,
        written: plan.writes.length,
      },
    };
    await registryMetaRef().set(record);
  }

  const { writes: _writes, trustChanged, ...reported } = plan;
  return {
    ...reported,
    trust_changed: trustChanged,
    written: options.dryRun ? 0 : plan.writes.length,
    batches: options.dryRun ? 0 : batches.length,
    dry_run: options.dryRun === true,
    sessions,
    synced_at: now.toISOString(),
    previous: meta
      ? {
          netuid: meta.netuid,
          block: meta.block,
          synced_at: meta.synced_at.toDate().toISOString(),
        }
      : null,
  };
}

const syncedRegistryCol = () =>
  registryCol() as FirebaseFirestore.CollectionReference<RegistryDoc & SyncedRegistryFields>;

function addWrite(batch: WriteBatch, w: RegistryWrite, syncedAt: Timestamp): void {
  const ref = syncedRegistryCol().doc(w.hotkey);
  // create() and update(): a document that appeared or vanished since the plan was read makes the
  // batch fail loudly instead of being silently overwritten or half-created.
  if (w.op === "create") batch.create(ref, { ...w.data, synced_at: syncedAt });
  else batch.update(ref, { ...w.data, synced_at: syncedAt });
}

const FETCH_TIMEOUT_MS = 30_000;
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/** The URL's origin only: a snapshot URL may carry a token in its path or query. */
export function redactUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

/** Fetches and validates a snapshot; errors name the URL's origin only. */
export async function fetchSnapshot(url: string): Promise<unknown> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("METAGRAPH_SNAPSHOT_URL is not a valid URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error("METAGRAPH_SNAPSHOT_URL must be an http(s) URL");
  }
  const res = await fetch(parsed, {
    headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!res.ok) {
    throw new Error(`fetching the snapshot from ${parsed.origin} failed: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_SNAPSHOT_BYTES) {
    throw new Error(`snapshot from ${parsed.origin} is larger than ${MAX_SNAPSHOT_BYTES} bytes`);
  }
  const text = await res.text();
  if (text.length > MAX_SNAPSHOT_BYTES) {
    throw new Error(`snapshot from ${parsed.origin} is larger than ${MAX_SNAPSHOT_BYTES} bytes`);
  }
  return parseMetagraphSnapshotJson(text);
}

export type ScheduledSyncOutcome = { kind: "disabled" } | { kind: "synced"; report: SyncReport };

/**
 * The scheduled `syncMetagraph`. With SUBTENSOR_ENDPOINT + NETUID set it reads the subnet's
 * neurons from the chain (core's readMetagraphFromChain: runtime API get_neurons_lite at the
 * finalized block, with timeouts and retries); otherwise it fetches the snapshot from
 * METAGRAPH_SNAPSHOT_URL; both off disables it (logged, nothing read). Either way the snapshot goes
 * through syncRegistryFromSnapshot, so an older block than the last applied one is refused.
 * Failures are logged and rethrown so the run shows failed; nothing is written then.
 */
export async function runScheduledMetagraphSync(now: Date): Promise<ScheduledSyncOutcome> {
  const chain = readChainSource();
  const url = chain ? "" : readSnapshotUrl();
  if (!chain && url === "") {
    logs.metagraphSyncDisabled({
      reason: "SUBTENSOR_ENDPOINT/NETUID and METAGRAPH_SNAPSHOT_URL are off",
    });
    return { kind: "disabled" };
  }
  const origin = chain ? endpointOrigin(chain.endpoint) : redactUrl(url);
  try {
    const snapshot = chain
      ? await readMetagraphFromChain(chain.endpoint, chain.netuid)
      : await fetchSnapshot(url);
    const report = await syncRegistryFromSnapshot(snapshot, now, {
      source: chain ? "schedule:chain" : "schedule",
    });
    logs.metagraphSynced({
      origin,
      from: chain ? "chain" : "snapshot_url",
      netuid: report.netuid,
      block: report.block,
      neurons: report.neurons,
      added: report.added.map((a) => a.hotkey),
      removed: report.removed.map((r) => r.hotkey),
      trust_changed: report.trust_changed,
      updated: report.updated.length,
      written: report.written,
    });
    return { kind: "synced", report };
  } catch (err) {
    const issues = (err as { issues?: unknown }).issues;
    logs.metagraphSyncFailed({
      origin,
      error: err instanceof Error ? err.message : String(err),
      ...(issues ? { issues } : {}),
    });
    throw err;
  }
}
