// Small builders shared by the core unit tests. Not a test file itself (no `.test.ts` suffix).
import type { ConsensusRankingInput } from "../../src/consensus";
import { canonicalBytes, type Lead } from "../../src/schemas";

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

/** U+20AC, three bytes in UTF-8: text whose bytes are three times its length. */
export const EURO = "\u20ac";

const FILL_FIELDS = [
  "business",
  "role",
  "industry",
  "sub_industry",
  "region",
  "full_name",
  "first",
  "last",
] as const;

/**
 * A valid lead whose canonical JSON (UTF-8) is exactly `bytes` long, its text mostly three-byte
 * characters (each field stays within the 300-character limit).
 */
export function leadOfBytes(email: string, bytes: number): Lead {
  const base: Record<string, string> = { email };
  for (const f of FILL_FIELDS) base[f] = "b";
  let extra = bytes - canonicalBytes(base);
  if (extra < 0) throw new Error(`a lead cannot be as small as ${bytes} bytes`);
  for (const f of FILL_FIELDS) {
    const euros = Math.min(299, Math.floor(extra / 3));
    extra -= 3 * euros;
    const ascii = Math.min(299 - euros, extra);
    extra -= ascii;
    base[f] = "b" + EURO.repeat(euros) + "a".repeat(ascii);
  }
  if (extra > 0) throw new Error(`a lead cannot be as large as ${bytes} bytes`);
  const out = base as unknown as Lead;
  if (canonicalBytes(out) !== bytes) throw new Error("leadOfBytes missed its size");
  return out;
}
