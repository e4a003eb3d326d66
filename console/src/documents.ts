// The console's reading of stored documents: each one through core's schema for its collection
// (core/src/documents.ts), so the page shows only fields the backend declares and writes. Nodes
// write rankings, submissions and declines (rules bound their fields, not their lead contents), so
// of those the console parses only the header it shows: a malformed lead list cannot hide a row.
import { STORED, type Stored } from "../../core/src/documents";

const RankingHeader = STORED.ranking.pick({
  request_id: true,
  validator_hotkey: true,
  num_leads_ranked: true,
  submitted_at: true,
  verification: true,
});
const SubmissionHeader = STORED.submission.pick({
  request_id: true,
  miner_hotkey: true,
  num_leads: true,
  submitted_at: true,
  verification: true,
});

/** What the console reads of each collection it listens to. */
export const READERS = {
  request: STORED.request,
  registry: STORED.registry,
  metrics: STORED.metrics,
  agreement: STORED.agreement,
  minerScores: STORED.minerScores,
  decline: STORED.decline,
  ranking: RankingHeader,
  submission: SubmissionHeader,
} as const;

export type Kind = keyof typeof READERS;
export type DocOf<K extends Kind> = ReturnType<(typeof READERS)[K]["parse"]>;

export type RequestDoc = Stored["request"];
export type RegistryDoc = Stored["registry"];
export type MetricsDoc = Stored["metrics"];
export type AgreementDoc = Stored["agreement"];
export type MinerScoresDoc = Stored["minerScores"];
export type RankingHeader = DocOf<"ranking">;
export type SubmissionHeader = DocOf<"submission">;
export type DeclineDoc = DocOf<"decline">;

export interface Doc<T> {
  id: string;
  data: T;
}

/** One document read as `kind`, or why it is not in the stored shape (the first issue's path). */
export function readDoc<K extends Kind>(
  kind: K,
  data: unknown,
): { ok: true; data: DocOf<K> } | { ok: false; problem: string } {
  const parsed = READERS[kind].safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data as DocOf<K> };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue.path.join(".") || "(document)"}: ${issue.message}` };
}

/**
 * The documents of a snapshot that are in the stored shape, and a note naming those that are not
 * (shown on the page like a listener error rather than dropped silently).
 */
export function readDocs<K extends Kind>(
  kind: K,
  docs: { id: string; data: unknown }[],
): { docs: Doc<DocOf<K>>[]; problem: string | null } {
  const out: Doc<DocOf<K>>[] = [];
  const bad: string[] = [];
  for (const d of docs) {
    const r = readDoc(kind, d.data);
    if (r.ok) out.push({ id: d.id, data: r.data });
    else bad.push(`${d.id} (${r.problem})`);
  }
  const problem = bad.length
    ? `${bad.length} ${kind} document(s) not in the stored shape: ${bad.slice(0, 3).join(", ")}`
    : null;
  return { docs: out, problem };
}
