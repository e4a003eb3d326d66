// Small builders shared by the core unit tests. Not a test file itself (no `.test.ts` suffix).
import type { ConsensusRankingInput } from "../../src/consensus";
import type { Lead } from "../../src/schemas";

/** A valid lead whose business name is derived from its email's domain unless overridden. */
export function lead(email: string, extra: Partial<Lead> = {}): Lead {
  const domain = email.split("@")[1] ?? "example.io";
  return { business: `${domain.split(".")[0]} Inc`, email, ...extra };
}

/** An eligible-lead map keyed the way the core keys it (trimmed, lower-cased email). */
export function pool(...leads: Lead[]): Map<string, Lead> {
  return new Map(leads.map((l) => [l.email.trim().toLowerCase(), l]));
}

/** Deterministic PRNG (mulberry32) so shuffle-based tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle into a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export type Entry = ConsensusRankingInput["ranked_leads"][number];

/** One validator's score for the lead with this email. */
export const vote = (email: string, score: number): Entry => ({ lead: { email }, score });

/** A validator's ranking with its trust. */
export const ranking = (
  validator_hotkey: string,
  trust: number,
  ...ranked_leads: Entry[]
): ConsensusRankingInput => ({ validator_hotkey, trust, ranked_leads });

export const emails = (leads: readonly { email: string }[]): string[] => leads.map((l) => l.email);
