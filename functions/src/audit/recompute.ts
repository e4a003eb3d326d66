// Re-verifying a finalised request from what is stored, trusting none of the result's own claims:
// the settings come from what the request recorded at creation, the participants and miners from
// the signed documents that exist (by an expected node, in time), trust from the registry entries
// finalisation read, and the leads from the consensus recomputed over the content those signatures
// bind (a ranking signs each lead's content hash, `lead_hash`, which binds it to the one signed
// submitted copy with that content: bindRankingToPool). Pure: the caller reads the documents.
import {
  admittedSubmission,
  bindRankingToPool,
  calculateConsensusRanking,
  ConsensusSettingsSchema,
  DEFAULT_CONSENSUS_SETTINGS,
  poolLeads,
  timedLeadPool,
  verifySignedRanking,
  verifySignedSubmission,
  type ConsensusSettings,
  type RankingContent,
  type TimedSubmission,
} from "consensus-core";
import type { ApiRequestDoc, RegistryDoc } from "../db";

export interface StoredDoc {
  id: string;
  /** undefined when the document does not exist. */
  data: Record<string, unknown> | undefined;
}

export interface RecomputeInput {
  requestId: string;
  request: ApiRequestDoc | undefined;
  /** Every ranking stored for the request. */
  rankings: readonly StoredDoc[];
  /** Every submission stored for the request. */
  submissions: readonly StoredDoc[];
  /** Today's registry entries of every hotkey above (absent: not registered). */
  registry: ReadonlyMap<string, Pick<RegistryDoc, "role" | "uid" | "validator_trust" | "block">>;
}

export interface RecomputeReport {
  requestId: string;
  match: boolean;
  /** The first difference found, in the order the checks run; null on a match. */
  difference: string | null;
  /** Every difference found. */
  differences: string[];
  /** What could not be re-checked (a registry entry changed since finalisation). */
  notes: string[];
  settings: ConsensusSettings | null;
  signaturesChecked: number;
  leadsCompared: number;
}

const show = (v: unknown): string => JSON.stringify(v) ?? "undefined";

/** Compared first, so a different lead is reported by its identity before its other fields. */
const LEAD_KEYS_FIRST = ["email", "rank", "consensus_score", "normalized_score", "num_validators"];

/** The first field where two records differ (LEAD_KEYS_FIRST, then sorted keys), or null. */
function firstFieldDifference(stored: object, recomputed: object): string | null {
  const a = stored as Record<string, unknown>;
  const b = recomputed as Record<string, unknown>;
  const rest = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of [...new Set([...LEAD_KEYS_FIRST, ...rest])]) {
    if (show(a[key]) !== show(b[key])) {
      return `${key}: stored ${show(a[key])}, recomputed ${show(b[key])}`;
    }
  }
  return null;
}

/**
 * Microseconds of a stored Firestore timestamp (its full precision: two commits in one
 * millisecond still order), or null when the field is not one.
 */
function micros(value: unknown): number | null {
  const ts = value as { seconds?: unknown; nanoseconds?: unknown } | null | undefined;
  if (typeof ts?.seconds === "number" && typeof ts.nanoseconds === "number") {
    return ts.seconds * 1e6 + Math.floor(ts.nanoseconds / 1e3);
  }
  const ms = millis(value);
  return ms === null ? null : ms * 1000;
}

/** Milliseconds of a stored Firestore timestamp, or null when the field is not one. */
function millis(value: unknown): number | null {
  const ts = value as { toMillis?: () => number } | null | undefined;
  return typeof ts?.toMillis === "function" ? ts.toMillis() : null;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  show([...new Set(a)].sort()) === show([...new Set(b)].sort());

export function recomputeStoredResult(input: RecomputeInput): RecomputeReport {
  let signaturesChecked = 0;
  let settings: ConsensusSettings | null = null;
  let leadsCompared = 0;
  const differences: string[] = [];
  const notes: string[] = [];
  const report = (): RecomputeReport => ({
    requestId: input.requestId,
    match: differences.length === 0,
    difference: differences[0] ?? null,
    differences,
    notes,
    settings,
    signaturesChecked,
    leadsCompared,
  });

  const { request } = input;
  if (!request) return (differences.push("request not found"), report());
  if (request.status !== "completed" || !request.result) {
    differences.push(`request is ${request.status}, not completed: no result to verify`);
    return report();
  }
  const result = request.result;
  // The settings the request recorded when it was created, not what the result says of itself;
  // a request older than that record was computed with what its result names (or the seed formula).
  const recorded = ConsensusSettingsSchema.safeParse(request.consensus);
  settings = recorded.success
    ? recorded.data
    : {
        mode: result.consensus_mode ?? DEFAULT_CONSENSUS_SETTINGS.mode,
        kappa: result.kappa ?? DEFAULT_CONSENSUS_SETTINGS.kappa,
      };
  if (result.consensus_mode !== undefined && result.consensus_mode !== settings.mode) {
    differences.push(
      `result.consensus_mode: stored ${show(result.consensus_mode)}, request created with ${show(settings.mode)}`,
    );
  }
  if (result.kappa !== undefined && result.kappa !== settings.kappa) {
    differences.push(
      `result.kappa: stored ${show(result.kappa)}, request created with ${show(settings.kappa)}`,
    );
  }

  // A registry entry not changed since finalisation shows the state it read: its block is no
  // newer than the one the result recorded (entries without a block: never synced since).
  const recordedBlock = result.registry_block ?? null;
  const unchanged = (hotkey: string): boolean => {
    const block = input.registry.get(hotkey)?.block ?? null;
    return block === null || (recordedBlock !== null && block <= recordedBlock);
  };
  const holds = (hotkey: string, role: "validator" | "miner", uid: number): boolean => {
    const entry = input.registry.get(hotkey);
    return entry?.role === role && entry.uid === uid;
  };

  // Miners: every signed submission the request admits (expected miner, before the deadline) by a
  // hotkey the registry gives the miner role and that uid, and nothing else.
  const admission = {
    expected_miners: request.expected_miners ?? null,
    validator_deadline_ms: request.validator_deadline.toMillis(),
  };
  const timed: TimedSubmission[] = [];
  const admissibleMiners = new Set<string>();
  for (const doc of input.submissions) {
    if (!doc.data) continue;
    const verdict = verifySignedSubmission(doc.id, doc.data);
    signaturesChecked++;
    if (!verdict.ok) {
      const named = result.miners.find((h) => doc.id.endsWith(`_${h}`));
      if (named) {
        differences.push(`submission ${doc.id}: ${verdict.reason}`);
        admissibleMiners.add(named); // reported here, not again as missing
      }
      continue;
    }
    const c = verdict.content;
    const at = millis(doc.data.submitted_at);
    if (at === null || admittedSubmission(c.miner_hotkey, at, admission) !== "ok") continue;
    admissibleMiners.add(c.miner_hotkey);
    const counted = result.miners.includes(c.miner_hotkey);
    if (unchanged(c.miner_hotkey)) {
      const registered = holds(c.miner_hotkey, "miner", c.miner_uid);
      if (registered && !counted) {
        differences.push(`miners: the admissible submission of ${c.miner_hotkey} is not counted`);
      }
      if (!registered && counted) {
        differences.push(`miners: ${c.miner_hotkey} is counted but not a registered miner`);
      }
    } else {
      notes.push(`registry entry of miner ${c.miner_hotkey} changed after finalisation`);
    }
    if (counted) timed.push({ ...c, submitted_at_ms: at });
  }
  for (const hotkey of result.miners) {
    if (!admissibleMiners.has(hotkey)) {
      differences.push(`miners: ${hotkey} has no signed submission admitted by the request`);
    }
  }

  // Participants: exactly the signed rankings by expected validators that the registry (as
  // finalisation read it) lets vote and that were written before the result's commit: the
  // finalising transaction read every such ranking (transactions are serializable) and counted it.
  // Results older than the commit time are bounded by their finaliser's clock instead.
  const committedAt =
    micros(request.result_committed_at) ?? micros(request.finalized_at) ?? Number.POSITIVE_INFINITY;
  const rankings: { content: RankingContent; submittedAtMs: number }[] = [];
  const admissibleValidators = new Set<string>();
  for (const doc of input.rankings) {
    if (!doc.data) continue;
    const verdict = verifySignedRanking(doc.id, doc.data);
    signaturesChecked++;
    if (!verdict.ok) {
      if (result.participants.some((h) => doc.id.endsWith(`_${h}`))) {
        differences.push(`ranking ${doc.id}: ${verdict.reason}`);
      }
      continue;
    }
    const c = verdict.content;
    const at = micros(doc.data.submitted_at);
    if (at === null || !request.expected_validators.includes(c.validator_hotkey)) continue;
    const counted = result.participants.includes(c.validator_hotkey);
    if (at > committedAt) {
      // A straggler, rightly not counted. A result older than the commit time is bounded by its
      // finaliser's clock, which may precede a ranking it read: counted there, it stands.
      if (!counted) continue;
      if (request.result_committed_at) {
        differences.push(`participants: ${c.validator_hotkey} ranked after the result was written`);
        admissibleValidators.add(c.validator_hotkey);
        continue;
      }
    }
    admissibleValidators.add(c.validator_hotkey);
    if (unchanged(c.validator_hotkey)) {
      const registered = holds(c.validator_hotkey, "validator", c.validator_uid);
      if (registered && !counted && at < committedAt) {
        differences.push(`participants: the valid ranking of ${c.validator_hotkey} is not counted`);
      }
      if (!registered && counted) {
        differences.push(
          `participants: ${c.validator_hotkey} is counted but not a registered validator`,
        );
      }
    } else {
      notes.push(`registry entry of validator ${c.validator_hotkey} changed after finalisation`);
    }
    if (counted) rankings.push({ content: c, submittedAtMs: Math.floor(at / 1000) });
  }
  for (const hotkey of result.participants) {
    if (!admissibleValidators.has(hotkey)) {
      differences.push(`participants: ${hotkey} has no valid signed ranking`);
    }
  }

  // Trust: what the registry gave each participant when finalisation read it.
  if (!sameSet(Object.keys(result.trust_used), result.participants)) {
    differences.push(
      `trust_used names ${show(Object.keys(result.trust_used).sort())}, participants are ${show([...result.participants].sort())}`,
    );
  }
  for (const hotkey of result.participants) {
    if (!unchanged(hotkey)) continue;
    const trust = input.registry.get(hotkey)?.validator_trust;
    const expected = result.equal_weights ? 1 : trust;
    if (result.equal_weights && trust !== 0) {
      differences.push(
        `trust_used: equal weights recorded, but ${hotkey} has trust ${show(trust)}`,
      );
    } else if (result.trust_used[hotkey] !== expected) {
      differences.push(
        `trust_used ${hotkey}: stored ${show(result.trust_used[hotkey])}, registry ${show(trust)}`,
      );
    }
  }

  const pool = timedLeadPool(timed);
  const recomputed = calculateConsensusRanking({
    numLeads: request.num_leads,
    // Equal weights were recorded as 1 each; trust 0 for all reproduces them.
    rankings: rankings.map(({ content, submittedAtMs }) => ({
      validator_hotkey: content.validator_hotkey,
      trust: result.equal_weights ? 0 : (result.trust_used[content.validator_hotkey] ?? 0),
      ranked_leads: bindRankingToPool(
        { submitted_at_ms: submittedAtMs, ranked_leads: content.ranked_leads },
        pool,
      ).ranked_leads,
    })),
    eligibleLeads: poolLeads(pool),
    mode: settings.mode,
    kappa: settings.kappa,
  });

  if (result.leads.length !== recomputed.leads.length) {
    differences.push(
      `lead count: stored ${result.leads.length}, recomputed ${recomputed.leads.length}`,
    );
  }
  const n = Math.min(result.leads.length, recomputed.leads.length);
  for (let i = 0; i < n; i++) {
    leadsCompared++;
    const diff = firstFieldDifference(result.leads[i], recomputed.leads[i]);
    if (diff) {
      differences.push(`lead at rank ${i + 1} ${diff}`);
      break;
    }
  }
  return report();
}
