// Which leads a request's consensus may draw from, and which scores count. The rule (README,
// "Security"): a lead is eligible only if an expected miner submitted it before the validator
// deadline; a validator's score counts only for the exact content that was already submitted when
// its ranking was written; and the client receives that content, byte for byte the copy the
// validators' signatures bind. The backend's finalisation, `verify` and the reference validator all
// apply it through these functions, so the three can never disagree.
//
// A ranking names each lead it scores by `lead_hash`, the SHA-256 of the lead's canonical JSON,
// not by embedding the lead again: the signature over the hash binds the exact content, and a
// ranking stays a few bytes per lead however large the leads are.
import { u8aToHex } from "@polkadot/util";
import { sha256AsU8a } from "@polkadot/util-crypto";
import canonicalize from "canonicalize";
import { leadKey } from "./consensus";
import type { Lead } from "./schemas";

/** A verified submission with the server time it was written (Firestore `submitted_at`). */
export interface TimedSubmission {
  miner_hotkey: string;
  submitted_at_ms: number;
  leads: readonly Lead[];
}

/** The copy of a lead the consensus uses: the first submitted, and who submitted it when. */
export interface PooledLead {
  lead: Lead;
  miner_hotkey: string;
  submitted_at_ms: number;
  /** The canonical (RFC 8785) JSON of the lead: what "the same content" means. */
  content: string;
  /** `leadHash` of the lead: the key a ranking scores it by. */
  hash: string;
}

export const leadContent = (lead: Lead): string => canonicalize(lead) as string;

/** Lowercase hex SHA-256 of the UTF-8 of a canonical JSON string. */
const sha256Hex = (content: string): string => u8aToHex(sha256AsU8a(content), -1, false);

/**
 * The content-bound key a ranking scores a lead by: lowercase hex SHA-256 of the UTF-8 of the
 * lead's RFC 8785 canonical JSON (`leadContent`). Two leads share it only if their content is
 * byte for byte the same.
 */
export const leadHash = (lead: Lead): string => sha256Hex(leadContent(lead));

/**
 * Submissions a request admits: by a miner the request expected (`expected` null: a request older
 * than the field, any registered miner), written before its validator deadline.
 */
export function admittedSubmission(
  minerHotkey: string,
  submittedAtMs: number,
  request: { expected_miners: readonly string[] | null; validator_deadline_ms: number },
): "ok" | "not_expected_miner" | "after_deadline" {
  if (request.expected_miners && !request.expected_miners.includes(minerHotkey)) {
    return "not_expected_miner";
  }
  return submittedAtMs < request.validator_deadline_ms ? "ok" : "after_deadline";
}

/**
 * Each lead's copy by its identity (normalised email): the earliest submitted, ties broken by
 * miner hotkey, so the pool depends on neither arrival order nor who sorts first. A later copy of
 * the same email with other names or websites never replaces it.
 */
export function timedLeadPool(submissions: readonly TimedSubmission[]): Map<string, PooledLead> {
  const sorted = [...submissions].sort(
    (a, b) =>
      a.submitted_at_ms - b.submitted_at_ms ||
      (a.miner_hotkey < b.miner_hotkey ? -1 : a.miner_hotkey > b.miner_hotkey ? 1 : 0),
  );
  const pool = new Map<string, PooledLead>();
  for (const s of sorted) {
    for (const lead of s.leads) {
      const key = leadKey(lead);
      if (pool.has(key)) continue;
      const content = leadContent(lead);
      pool.set(key, {
        lead,
        miner_hotkey: s.miner_hotkey,
        submitted_at_ms: s.submitted_at_ms,
        content,
        hash: sha256Hex(content),
      });
    }
  }
  return pool;
}

/** The pool as the consensus takes it: lead by identity. */
export const poolLeads = (pool: ReadonlyMap<string, PooledLead>): Map<string, Lead> =>
  new Map([...pool].map(([key, p]) => [key, p.lead]));

export interface BoundRanking<E> {
  /**
   * The entries whose `lead_hash` is the content hash of the pool's copy of a lead submitted
   * before the ranking was written, each with that copy attached as `lead` (its identity, the
   * email, is what the consensus counts by).
   */
  ranked_leads: (E & { lead: Lead })[];
  /** Entries dropped: a hash of content nobody had submitted then, or of a later copy of an email. */
  unbound: number;
}

/** The pool by content hash, built once per pool. */
const byHashCache = new WeakMap<ReadonlyMap<string, PooledLead>, Map<string, PooledLead>>();

function poolByHash(pool: ReadonlyMap<string, PooledLead>): Map<string, PooledLead> {
  let byHash = byHashCache.get(pool);
  if (!byHash || byHash.size !== pool.size) {
    byHash = new Map([...pool.values()].map((p) => [p.hash, p]));
    byHashCache.set(pool, byHash);
  }
  return byHash;
}

/**
 * The part of a ranking that may count: each entry must name, by `lead_hash`, exactly the pool's
 * copy of a lead (same canonical content), and that copy must have been submitted before the
 * ranking was written. Bound entries come back with the pool's `lead` attached.
 */
export function bindRankingToPool<E extends { lead_hash: string }>(
  ranking: { submitted_at_ms: number; ranked_leads: readonly E[] },
  pool: ReadonlyMap<string, PooledLead>,
): BoundRanking<E> {
  const byHash = poolByHash(pool);
  const ranked_leads: (E & { lead: Lead })[] = [];
  for (const entry of ranking.ranked_leads) {
    const pooled = byHash.get(entry.lead_hash);
    if (pooled && pooled.submitted_at_ms < ranking.submitted_at_ms) {
      ranked_leads.push({ ...entry, lead: pooled.lead });
    }
  }
  return { ranked_leads, unbound: ranking.ranked_leads.length - ranked_leads.length };
}
