// Which leads a request's consensus may draw from, and which scores count. The rule (README,
// "Security"): a lead is eligible only if an expected miner submitted it before the validator
// deadline; a validator's score counts only for the exact content that was already submitted when
// its ranking was written; and the client receives that content, byte for byte the copy the
// validators' signatures bind. The backend's finalisation, `verify` and the reference validator all
// apply it through these functions, so the three can never disagree.
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
}

export const leadContent = (lead: Lead): string => canonicalize(lead) as string;

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
      pool.set(key, {
        lead,
        miner_hotkey: s.miner_hotkey,
        submitted_at_ms: s.submitted_at_ms,
        content: leadContent(lead),
      });
    }
  }
  return pool;
}

/** The pool as the consensus takes it: lead by identity. */
export const poolLeads = (pool: ReadonlyMap<string, PooledLead>): Map<string, Lead> =>
  new Map([...pool].map(([key, p]) => [key, p.lead]));

export interface BoundRanking<E> {
  /** The entries whose lead is the pool's copy, submitted before the ranking was written. */
  ranked_leads: E[];
  /** Entries dropped: a lead nobody had submitted then, or other content under its email. */
  unbound: number;
}

/**
 * The part of a ranking that may count: each entry must score exactly the pool's copy of its lead
 * (same canonical content) and that copy must have been submitted before the ranking was written.
 */
export function bindRankingToPool<E extends { lead: Lead }>(
  ranking: { submitted_at_ms: number; ranked_leads: readonly E[] },
  pool: ReadonlyMap<string, PooledLead>,
): BoundRanking<E> {
  const ranked_leads: E[] = [];
  for (const entry of ranking.ranked_leads) {
    const pooled = pool.get(leadKey(entry.lead));
    if (
      pooled &&
      pooled.submitted_at_ms < ranking.submitted_at_ms &&
      pooled.content === leadContent(entry.lead)
    ) {
      ranked_leads.push(entry);
    }
  }
  return { ranked_leads, unbound: ranking.ranked_leads.length - ranked_leads.length };
}
