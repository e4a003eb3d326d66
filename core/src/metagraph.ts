// The metagraph snapshot (docs/metagraph-snapshot.md) and the plan that brings the registry in line
// with it. Pure: the backend applies the plan; anyone can re-run it on a snapshot and a registry dump.
import { checkAddress } from "@polkadot/util-crypto";
import { z } from "zod";
import type { RegistryEntry, Role } from "./schemas";

/** Bittensor encodes every hotkey and coldkey with the generic Substrate SS58 prefix. */
export const SS58_FORMAT = 42;
const U16_MAX = 65_535;

const number = (what = "a number") =>
  z.number({ error: (iss) => (iss.input === undefined ? "is required" : `must be ${what}`) });
const wholeNumber = (max: number) =>
  number("a whole number")
    .int("must be a whole number")
    .min(0, "must be >= 0")
    .max(max, `must be <= ${max}`);
const boolean = () =>
  z.boolean({
    error: (iss) => (iss.input === undefined ? "is required" : "must be true or false"),
  });

export const Ss58AddressSchema = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
  .superRefine((value, ctx) => {
    const [ok, reason] = checkAddress(value, SS58_FORMAT);
    if (!ok) {
      ctx.addIssue({
        code: "custom",
        message: `must be an SS58 address (format ${SS58_FORMAT})${reason ? `: ${reason}` : ""}`,
      });
    }
  });

export const AxonSchema = z.object(
  {
    ip: z
      .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
      .min(1, "must not be empty")
      .max(64, "must be at most 64 characters"),
    port: wholeNumber(U16_MAX),
  },
  { error: (iss) => (iss.input === undefined ? "is required" : "must be an object or null") },
);
export type Axon = z.infer<typeof AxonSchema>;

/** One neuron of the snapshot. Fields not listed here are ignored. */
export const NeuronSchema = z.object(
  {
    uid: wholeNumber(U16_MAX),
    hotkey: Ss58AddressSchema,
    coldkey: Ss58AddressSchema,
    stake: number().min(0, "must be >= 0"),
    validator_trust: number().min(0, "must be >= 0").max(1, "must be <= 1"),
    validator_permit: boolean(),
    active: boolean(),
    is_serving: boolean(),
    axon: AxonSchema.nullable(),
  },
  { error: (iss) => (iss.input === undefined ? "is required" : "must be an object") },
);
export type Neuron = z.infer<typeof NeuronSchema>;

export const MetagraphSnapshotSchema = z.object(
  {
    netuid: wholeNumber(U16_MAX),
    block: wholeNumber(Number.MAX_SAFE_INTEGER),
    neurons: z
      .array(NeuronSchema, {
        error: (iss) => (iss.input === undefined ? "is required" : "must be an array"),
      })
      .min(1, "must list at least one neuron")
      .superRefine((neurons, ctx) => {
        // A hotkey or uid twice is a broken export; which copy is right cannot be guessed.
        const firstByHotkey = new Map<string, number>();
        const firstByUid = new Map<number, number>();
        neurons.forEach((n, i) => {
          const hotkeyAt = firstByHotkey.get(n.hotkey);
          if (hotkeyAt === undefined) firstByHotkey.set(n.hotkey, i);
          else {
            ctx.addIssue({
              code: "custom",
              path: [i, "hotkey"],
              message: `duplicate of neurons[${hotkeyAt}].hotkey`,
            });
          }
          const uidAt = firstByUid.get(n.uid);
          if (uidAt === undefined) firstByUid.set(n.uid, i);
          else {
            ctx.addIssue({
              code: "custom",
              path: [i, "uid"],
              message: `duplicate of neurons[${uidAt}].uid`,
            });
          }
        });
      }),
  },
  { error: (iss) => (iss.input === undefined ? "is required" : "must be a JSON object") },
);
export type MetagraphSnapshot = z.infer<typeof MetagraphSnapshotSchema>;

export interface SnapshotIssue {
  /** Where, as `neurons[3].validator_trust`; `(snapshot)` for the document itself. */
  field: string;
  message: string;
}

/** `["neurons", 3, "validator_trust"]` → `neurons[3].validator_trust`. */
export function formatSnapshotPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(snapshot)" : out;
}

const MAX_ISSUES_IN_MESSAGE = 10;

export class MetagraphSnapshotError extends Error {
  constructor(readonly issues: readonly SnapshotIssue[]) {
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${i.field}: ${i.message}`);
    if (issues.length > MAX_ISSUES_IN_MESSAGE) {
      shown.push(`... and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
    }
    super(`invalid metagraph snapshot: ${shown.join("; ")}`);
    this.name = "MetagraphSnapshotError";
  }
}

export function describeSnapshotIssues(error: z.ZodError): SnapshotIssue[] {
  return error.issues.map((issue) => ({
    field: formatSnapshotPath(issue.path),
    message: issue.message,
  }));
}

/** Validates a snapshot; throws MetagraphSnapshotError naming every bad entry. */
export function parseMetagraphSnapshot(input: unknown): MetagraphSnapshot {
  const parsed = MetagraphSnapshotSchema.safeParse(input);
  if (!parsed.success) throw new MetagraphSnapshotError(describeSnapshotIssues(parsed.error));
  return parsed.data;
}

/** Parses the JSON text of a snapshot; bad JSON is reported like any other malformed snapshot. */
export function parseMetagraphSnapshotJson(text: string): MetagraphSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MetagraphSnapshotError([
      { field: "(snapshot)", message: `is not valid JSON (${(err as Error).message})` },
    ]);
  }
  return parseMetagraphSnapshot(value);
}

/**
 * Roles as the chain means them: a registered UID with a validator permit may validate, every other
 * registered UID may mine. `active` (subtensor: "set weights within the activity cutoff") and
 * `is_serving` (an axon is advertised) say nothing about mining in this design: miners answer
 * through the backend, never serve an axon and never set weights, so neither may cost a miner
 * its role.
 */
export function roleOf(neuron: Pick<Neuron, "validator_permit">): Role {
  return neuron.validator_permit ? "validator" : "miner";
}

/** The registry fields that the metagraph owns (nodes own only last_seen and is_serving). */
export interface ChainFields {
  uid: number;
  role: Role | null;
  validator_trust: number;
  stake: number;
  validator_permit: boolean;
  coldkey: string | null;
  axon: Axon | null;
  netuid: number;
}
const CHAIN_FIELDS = [
  "uid",
  "role",
  "validator_trust",
  "stake",
  "validator_permit",
  "coldkey",
  "axon",
  "netuid",
] as const satisfies readonly (keyof ChainFields)[];

/** A registry entry as stored: the seed fields plus, once synced, the chain-only ones. */
export type RegistryEntryLike = RegistryEntry &
  Partial<Pick<ChainFields, "coldkey" | "axon" | "netuid">>;

export interface AddedEntry {
  hotkey: string;
  uid: number;
  role: Role | null;
  validator_trust: number;
}
export interface RemovedEntry {
  hotkey: string;
  uid: number;
  previous_role: Role | null;
}
export interface TrustChange {
  hotkey: string;
  uid: number;
  from: number;
  to: number;
}
export interface UpdatedEntry {
  hotkey: string;
  uid: number;
  /** Names of the chain fields that changed, in a fixed order. */
  fields: (keyof ChainFields)[];
}

/**
 * One document write. `create` sets the whole entry (heartbeat fields start as the snapshot's
 * is_serving and no last_seen); `update` merges only changed chain fields, so a node's heartbeat
 * (last_seen, is_serving) is never overwritten; `remove` strips the role of a hotkey that left the
 * metagraph and marks it not serving, keeping the document and its last_seen.
 */
export type RegistryWrite =
  | {
      op: "create";
      hotkey: string;
      data: ChainFields & { hotkey: string; is_serving: boolean; last_seen: null; block: number };
    }
  | { op: "update"; hotkey: string; data: Partial<ChainFields> & { block: number } }
  | {
      op: "remove";
      hotkey: string;
      data: Partial<ChainFields> & { is_serving: false; block: number };
    };

export interface RegistrySyncPlan {
  netuid: number;
  block: number;
  neurons: number;
  validators: number;
  miners: number;
  added: AddedEntry[];
  removed: RemovedEntry[];
  /** Hotkeys in both, whose trust differs; these are also listed in `updated`. */
  trustChanged: TrustChange[];
  updated: UpdatedEntry[];
  unchanged: string[];
  /** Ordered by hotkey within each op: creates, updates, removes. */
  writes: RegistryWrite[];
}

/** What a hotkey that left the metagraph keeps: no role, permit, trust, stake or axon. */
const REMOVED_FIELDS = {
  role: null,
  validator_permit: false,
  validator_trust: 0,
  stake: 0,
  axon: null,
} as const satisfies Partial<ChainFields>;

function chainFields(neuron: Neuron, netuid: number): ChainFields {
  return {
    uid: neuron.uid,
    role: roleOf(neuron),
    validator_trust: neuron.validator_trust,
    stake: neuron.stake,
    validator_permit: neuron.validator_permit,
    coldkey: neuron.coldkey,
    axon: neuron.axon === null ? null : { ip: neuron.axon.ip, port: neuron.axon.port },
    netuid,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      ka.length === kb.length &&
      ka.every(
        (k, i) =>
          k === kb[i] &&
          sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}

const byHotkey = <T extends { hotkey: string }>(a: T, b: T): number =>
  a.hotkey < b.hotkey ? -1 : a.hotkey > b.hotkey ? 1 : 0;

/**
 * The registry writes that make `current` mirror `snapshot`. The snapshot is validated first
 * (MetagraphSnapshotError naming each bad entry), so a malformed snapshot yields no plan at all.
 * Hotkeys are never deleted: one that left the metagraph loses its role and stops serving.
 */
export function planRegistrySync(
  current: readonly RegistryEntryLike[],
  snapshotInput: unknown,
): RegistrySyncPlan {
  const snapshot = parseMetagraphSnapshot(snapshotInput);
  const existing = new Map(current.map((e) => [e.hotkey, e]));
  const inSnapshot = new Set<string>();

  const added: AddedEntry[] = [];
  const trustChanged: TrustChange[] = [];
  const updated: UpdatedEntry[] = [];
  const unchanged: string[] = [];
  const creates: RegistryWrite[] = [];
  const updates: RegistryWrite[] = [];
  const removes: RegistryWrite[] = [];

  for (const neuron of snapshot.neurons) {
    inSnapshot.add(neuron.hotkey);
    const next = chainFields(neuron, snapshot.netuid);
    const before = existing.get(neuron.hotkey);
    if (!before) {
      added.push({
        hotkey: neuron.hotkey,
        uid: next.uid,
        role: next.role,
        validator_trust: next.validator_trust,
      });
      creates.push({
        op: "create",
        hotkey: neuron.hotkey,
        data: {
          hotkey: neuron.hotkey,
          ...next,
          is_serving: neuron.is_serving,
          last_seen: null,
          block: snapshot.block,
        },
      });
      continue;
    }
    const fields = CHAIN_FIELDS.filter(
      (f) => !sameValue((before as Partial<ChainFields>)[f], next[f]),
    );
    if (fields.length === 0) {
      unchanged.push(neuron.hotkey);
      continue;
    }
    if (fields.includes("validator_trust")) {
      trustChanged.push({
        hotkey: neuron.hotkey,
        uid: next.uid,
        from: before.validator_trust,
        to: next.validator_trust,
      });
    }
    updated.push({ hotkey: neuron.hotkey, uid: next.uid, fields });
    const data: Partial<ChainFields> = {};
    for (const f of fields) (data as Record<string, unknown>)[f] = next[f];
    updates.push({ op: "update", hotkey: neuron.hotkey, data: { ...data, block: snapshot.block } });
  }

  const removed: RemovedEntry[] = [];
  for (const entry of current) {
    if (inSnapshot.has(entry.hotkey)) continue;
    const data: Partial<ChainFields> = {};
    for (const [f, v] of Object.entries(REMOVED_FIELDS)) {
      if (!sameValue((entry as Partial<ChainFields>)[f as keyof ChainFields], v)) {
        (data as Record<string, unknown>)[f] = v;
      }
    }
    if (Object.keys(data).length === 0 && entry.is_serving === false) {
      // Already removed by an earlier sync.
      unchanged.push(entry.hotkey);
      continue;
    }
    removed.push({ hotkey: entry.hotkey, uid: entry.uid, previous_role: entry.role });
    removes.push({
      op: "remove",
      hotkey: entry.hotkey,
      data: { ...data, is_serving: false, block: snapshot.block },
    });
  }

  const roles = snapshot.neurons.map(roleOf);
  return {
    netuid: snapshot.netuid,
    block: snapshot.block,
    neurons: snapshot.neurons.length,
    validators: roles.filter((r) => r === "validator").length,
    miners: roles.filter((r) => r === "miner").length,
    added: added.sort(byHotkey),
    removed: removed.sort(byHotkey),
    trustChanged: trustChanged.sort(byHotkey),
    updated: updated.sort(byHotkey),
    unchanged: unchanged.sort(),
    writes: [...creates.sort(byHotkey), ...updates.sort(byHotkey), ...removes.sort(byHotkey)],
  };
}

/** Where the registry was last synced from (kept beside the registry by the backend). */
export interface LastSync {
  netuid: number;
  block: number;
}

/**
 * Why a valid snapshot should not be applied on top of the last sync, or null when it may be:
 * another subnet's snapshot would strip every role, and an older block would roll trust back
 * (e.g. a stale cached copy). The same block again is fine (a re-sync changes nothing).
 */
export function snapshotSequenceProblem(
  last: LastSync | null,
  snapshot: Pick<MetagraphSnapshot, "netuid" | "block">,
): string | null {
  if (!last) return null;
  if (snapshot.netuid !== last.netuid) {
    return `snapshot is for netuid ${snapshot.netuid} but the registry was synced from netuid ${last.netuid}`;
  }
  if (snapshot.block < last.block) {
    return `snapshot block ${snapshot.block} is older than the last synced block ${last.block}`;
  }
  return null;
}
