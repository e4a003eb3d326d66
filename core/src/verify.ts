// Deciding whether a stored ranking or submission counts. Pure: the caller supplies the request
// and registry state it read, so the same checks run in the backend's trigger, at finalisation, in
// a validator gathering submissions and in tests.
import type { z } from "zod";
import { rankingDocId, submissionDocId } from "./ids";
import {
  CONTENT_TOO_LARGE,
  RankingContentSchema,
  SignatureSchema,
  SubmissionContentSchema,
  describeIssues,
  tooLargeIssue,
  type RankingContent,
  type RequestStatus,
  type Role,
  type SubmissionContent,
} from "./schemas";
import { rankingPayload, submissionPayload, verifyHotkeySignature } from "./signing";

export type Verdict<T> =
  { ok: true; content: T; signature: string } | { ok: false; reason: string };

export interface RequestState {
  status: RequestStatus;
  expected_validators: readonly string[];
  timeoutMs: number;
}

function pick(data: object, keys: readonly string[]): Record<string, unknown> {
  const source = data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in source) out[k] = source[k];
  return out;
}

const RANKING_KEYS = [
  "request_id",
  "validator_hotkey",
  "validator_uid",
  "ranked_leads",
  "num_leads_ranked",
] as const;
const SUBMISSION_KEYS = ["request_id", "miner_hotkey", "miner_uid", "leads", "num_leads"] as const;

function parseSigned<T>(data: object, keys: readonly string[], schema: z.ZodType<T>): Verdict<T> {
  const parsed = schema.safeParse(pick(data, keys));
  if (!parsed.success) {
    // Over a byte limit (LIMITS): named as such, so a miner or validator sees why at once.
    const tooLarge = tooLargeIssue(parsed.error);
    if (tooLarge) return { ok: false, reason: `${CONTENT_TOO_LARGE}: ${tooLarge}` };
    const first = describeIssues(parsed.error)[0];
    return { ok: false, reason: `invalid_schema: ${first.field}: ${first.message}` };
  }
  const sig = SignatureSchema.safeParse((data as { signature?: unknown }).signature);
  if (!sig.success) return { ok: false, reason: "invalid_schema: signature: missing or malformed" };
  return { ok: true, content: parsed.data, signature: sig.data };
}

function openFor(request: RequestState | null, submittedAtMs: number): string | null {
  if (!request) return "unknown_request";
  if (request.status !== "pending" && request.status !== "processing") return "request_closed";
  if (submittedAtMs > request.timeoutMs) return "request_timed_out";
  return null;
}

/**
 * What anyone can check of a ranking from the document alone, at any time: its schema, that the doc
 * id names its request and validator, and the validator's signature (`verify` re-runs this).
 */
export function verifySignedRanking(docId: string, data: object): Verdict<RankingContent> {
  const parsed = parseSigned<RankingContent>(data, RANKING_KEYS, RankingContentSchema);
  if (!parsed.ok) return parsed;
  const c = parsed.content;
  if (docId !== rankingDocId(c.request_id, c.validator_hotkey)) {
    return { ok: false, reason: "doc_id_mismatch" };
  }
  if (!verifyHotkeySignature(rankingPayload(c), parsed.signature, c.validator_hotkey)) {
    return { ok: false, reason: "bad_signature" };
  }
  return parsed;
}

/** What the registry says of a hotkey: identities come from here, never from what a node claims. */
export interface RegistryIdentity {
  role: Role | null;
  uid: number;
}

/** The registry's side of a ranking: the hotkey holds the validator role under the signed uid. */
export function registryAdmitsValidator(
  content: Pick<RankingContent, "validator_uid">,
  registry: RegistryIdentity | undefined,
): "ok" | "not_registered_validator" | "uid_mismatch" {
  if (registry?.role !== "validator") return "not_registered_validator";
  return registry.uid === content.validator_uid ? "ok" : "uid_mismatch";
}

function checkRanking(
  docId: string,
  data: object,
  request: RequestState | null,
  registry: RegistryIdentity | undefined | "unchecked",
  submittedAtMs: number,
): Verdict<RankingContent> {
  const parsed = verifySignedRanking(docId, data);
  if (!parsed.ok) return parsed;
  const closed = openFor(request, submittedAtMs);
  if (closed) return { ok: false, reason: closed };
  if (registry !== "unchecked") {
    const identity = registryAdmitsValidator(parsed.content, registry);
    if (identity !== "ok") return { ok: false, reason: identity };
  }
  if (!request!.expected_validators.includes(parsed.content.validator_hotkey)) {
    return { ok: false, reason: "not_expected_validator" };
  }
  return parsed;
}

export const verifyRanking = (
  docId: string,
  data: object,
  request: RequestState | null,
  registry: RegistryIdentity | undefined,
  submittedAtMs: number,
): Verdict<RankingContent> => checkRanking(docId, data, request, registry, submittedAtMs);

/**
 * A ranking as its request sees it: signed, for an open request that expects this validator, in
 * time. The registry identity is left out: the rules checked it when the ranking was written, and
 * finalisation re-checks it (`registryAdmitsValidator`) for the voters it reads anyway, so the
 * ranking trigger needs no registry read.
 */
export const verifyRankingInRequest = (
  docId: string,
  data: object,
  request: RequestState | null,
  submittedAtMs: number,
): Verdict<RankingContent> => checkRanking(docId, data, request, "unchecked", submittedAtMs);

/**
 * What anyone can check of a submission from the document alone: its schema, that the doc id names
 * its request and miner, and the miner's signature. A validator uses this before ranking (it cannot
 * read the registry); the backend adds the registry check in verifySubmission.
 */
export function verifySignedSubmission(docId: string, data: object): Verdict<SubmissionContent> {
  const parsed = parseSigned<SubmissionContent>(data, SUBMISSION_KEYS, SubmissionContentSchema);
  if (!parsed.ok) return parsed;
  const c = parsed.content;
  if (docId !== submissionDocId(c.request_id, c.miner_hotkey)) {
    return { ok: false, reason: "doc_id_mismatch" };
  }
  if (!verifyHotkeySignature(submissionPayload(c), parsed.signature, c.miner_hotkey)) {
    return { ok: false, reason: "bad_signature" };
  }
  return parsed;
}

/**
 * Submissions are checked here without the request state; which of them a request admits
 * (expected miner, before the deadline) is `admittedSubmission`'s rule.
 */
export function verifySubmission(
  docId: string,
  data: object,
  registry: RegistryIdentity | undefined,
): Verdict<SubmissionContent> {
  const signed = verifySignedSubmission(docId, data);
  if (!signed.ok) return signed;
  if (registry?.role !== "miner") return { ok: false, reason: "not_registered_miner" };
  if (registry.uid !== signed.content.miner_uid) return { ok: false, reason: "uid_mismatch" };
  return signed;
}
