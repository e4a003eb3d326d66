// Reads of the validator/miner registry (the metagraph as the backend sees it).
import type { Transaction } from "firebase-admin/firestore";
import { registryCol, type RegistryDoc } from "../db";

export interface ActiveValidator {
  uid: number;
  hotkey: string;
  trust: number;
  is_serving: boolean;
  last_seen: Date;
}

/**
 * Validators expected to answer a request created at `now`: role validator, holding a permit,
 * trust or stake, serving, and heard from within `heartbeatWindowMs`. Sorted by hotkey.
 */
export async function getActiveValidators(
  now: Date,
  heartbeatWindowMs: number,
): Promise<ActiveValidator[]> {
  const snap = await registryCol().where("role", "==", "validator").get();
  const cutoff = now.getTime() - heartbeatWindowMs;
  return snap.docs
    .map((d) => d.data())
    .filter(
      (v) =>
        (v.validator_permit || v.validator_trust > 0 || v.stake > 0) &&
        v.is_serving &&
        v.last_seen != null &&
        v.last_seen.toMillis() >= cutoff,
    )
    .map((v) => ({
      uid: v.uid,
      hotkey: v.hotkey,
      trust: v.validator_trust,
      is_serving: v.is_serving,
      last_seen: (v.last_seen as FirebaseFirestore.Timestamp).toDate(),
    }))
    .sort((a, b) => (a.hotkey < b.hotkey ? -1 : a.hotkey > b.hotkey ? 1 : 0));
}

/** Registry entries for `hotkeys`, read inside `tx` when given; missing hotkeys are absent. */
export async function readRegistry(
  hotkeys: readonly string[],
  tx?: Transaction,
): Promise<Map<string, RegistryDoc>> {
  const unique = [...new Set(hotkeys)];
  if (unique.length === 0) return new Map();
  const refs = unique.map((h) => registryCol().doc(h));
  const snaps = tx ? await tx.getAll(...refs) : await registryCol().firestore.getAll(...refs);
  const out = new Map<string, RegistryDoc>();
  for (const s of snaps) {
    const data = s.data() as RegistryDoc | undefined;
    if (data) out.set(s.id, data);
  }
  return out;
}

/**
 * Miners expected to answer a request created at `now`: role miner, serving, heard from within
 * `heartbeatWindowMs`. Sorted by hotkey. Validators stop collecting once each has submitted or declined.
 */
export async function getActiveMiners(
  now: Date,
  heartbeatWindowMs: number,
): Promise<{ hotkey: string; uid: number }[]> {
  const snap = await registryCol().where("role", "==", "miner").get();
  const cutoff = now.getTime() - heartbeatWindowMs;
  return snap.docs
    .map((d) => d.data())
    .filter((m) => m.is_serving && m.last_seen != null && m.last_seen.toMillis() >= cutoff)
    .map((m) => ({ hotkey: m.hotkey, uid: m.uid }))
    .sort((a, b) => (a.hotkey < b.hotkey ? -1 : a.hotkey > b.hotkey ? 1 : 0));
}
