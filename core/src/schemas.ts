// Every shape that crosses a boundary (HTTP body, Firestore document, signed payload) is defined
// here once; the backend and the node SDK both import these.
import canonicalize from "canonicalize";
import { z } from "zod";

// Byte bounds. Firestore refuses a document over 1 MiB (1,048,576 bytes); a count of leads alone
// does not bound bytes (200 leads with every field at 300 three-byte characters are about 2 MB).
// Firestore counts a document as its name plus, per field, the name's UTF-8 bytes + 1 and the
// value's size (a string's UTF-8 bytes + 1, a number or timestamp 8, a map or array the sum of its
// parts). The RFC 8785 canonical JSON of the same content spends at least as much on every string
// and field name (two quotes against Firestore's 1, a colon, a comma), so a stored signed content
// is at most its canonical JSON bytes plus 8 per number (a number takes at least 1 JSON byte):
//   submission: <= 256 KiB + 2 numbers (miner_uid, num_leads) * 8 = 262,160 bytes;
//   ranking:    <= 64 KiB + (2 + 2 * 200 entries: score, rank) * 8 = 68,752 bytes.
// A ranking references each lead by its content hash (RankedLeadSchema), so it cannot even reach
// its limit: an entry is at most {"lead_hash":"<64 hex>","rank":200,"score":<24 characters>}, 126
// bytes, so 200 entries and the header (request id 36, hotkey <= 64, a 16-digit uid) are under
// 26 KB; the limit only refuses content no honest validator writes.
// The rest of the document (signature 10 + 131, submitted_at, the backend's verification record
// with a reason of at most a few hundred bytes, validator_trust, late, the document name) is under
// 2 KiB, so a stored submission stays under 265 KiB and a ranking under 70 KiB. A lead is
// bounded too (4 KiB of canonical JSON; every lead of a result comes from a submission), so a
// request's result of at most 100 leads is at most 100 * (4,096 + 5 numeric and short fields
// ~ 130) = 423 KiB plus the request's own fields (description <= 6 KB in three-byte text, the
// expected and participating hotkeys of 256 UIDs <= 40 KB): well under 1 MiB.
export const LIMITS = {
  numLeadsMax: 100,
  businessDescMax: 2000,
  leadsPerDocumentMax: 200,
  leadFieldMax: 300,
  hotkeyMax: 64,
  signatureHex: 130,
  /** Canonical JSON bytes (UTF-8) of one submitted lead. */
  leadBytesMax: 4 * 1024,
  /** Canonical JSON bytes (UTF-8) of a submission's signed content. */
  submissionBytesMax: 256 * 1024,
  /** Canonical JSON bytes (UTF-8) of a ranking's signed content. */
  rankingBytesMax: 64 * 1024,
} as const;

const utf8 = new TextEncoder();

/** Bytes (UTF-8) of the RFC 8785 canonical JSON of `value`: what the byte limits count. */
export function canonicalBytes(value: unknown): number {
  const json = canonicalize(value);
  if (json === undefined) throw new Error("content cannot be canonicalised");
  return utf8.encode(json).length;
}

/** The `params.reason` of a byte-limit issue; `verify` reports it as the rejection reason. */
export const CONTENT_TOO_LARGE = "content_too_large";

type ByteLimitIssue = {
  code: "custom";
  message: string;
  input: unknown;
  path: PropertyKey[];
  params: { reason: typeof CONTENT_TOO_LARGE; bytes: number; limit: number };
};

function byteLimitIssue(
  value: unknown,
  limit: number,
  what: string,
  path: PropertyKey[],
): ByteLimitIssue | null {
  const bytes = canonicalBytes(value);
  if (bytes <= limit) return null;
  return {
    code: "custom",
    message: `${what} is ${bytes} bytes of canonical JSON (UTF-8), over the limit of ${limit}`,
    input: value,
    path,
    params: { reason: CONTENT_TOO_LARGE, bytes, limit },
  };
}

/** SS58 addresses are base58; this bounds the shape, the signature check proves the key. */
export const HotkeySchema = z
  .string()
  .min(40)
  .max(LIMITS.hotkeyMax)
  .regex(/^[1-9A-HJ-NP-Za-km-z]+$/, "must be an SS58 address");

export const RequestIdSchema = z.uuid();

// Text from outside (API clients, miners) is shown in terminals, the console and logs and put into
// the LLM ranker's prompt, and stored in Firestore, which needs valid UTF-8. So text is valid
// Unicode and carries nothing a terminal or a bidi-aware renderer acts on: no lone UTF-16
// surrogate, no control character other than tab, LF and CR (C0, DEL, C1), no bidi override or
// isolate (they reorder what the reader sees, e.g. hide a domain). Refused, never stripped, so what
// is signed and stored is what was sent.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` is not acceptable text (the message of the 400), or null when it is. */
export function unsafeTextReason(value: string): string | null {
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode (it holds a lone UTF-16 surrogate)";
  const control = CONTROL.exec(value);
  if (control) {
    return `must not contain control characters (found ${codePoint(control[0])}; only tab, LF and CR are allowed)`;
  }
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) {
    return `must not contain bidirectional override or isolate characters (found ${codePoint(bidi[0])})`;
  }
  return null;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A string that passes unsafeTextReason (checked before any trimming or rewriting). */
export function safeText(): z.ZodString {
  return z.string().check((ctx) => {
    const reason = unsafeTextReason(ctx.value);
    if (reason) ctx.issues.push({ code: "custom", message: reason, input: ctx.value });
  });
}

const leadText = safeText().trim().max(LIMITS.leadFieldMax);

/** A B2B lead as the Leadpoet subnet describes it. Identity is the normalised email. */
export const LeadSchema = z
  .object({
    business: leadText.min(1),
    email: z.email().max(LIMITS.leadFieldMax),
    full_name: leadText.optional(),
    first: leadText.optional(),
    last: leadText.optional(),
    role: leadText.optional(),
    website: leadText.optional(),
    linkedin: leadText.optional(),
    industry: leadText.optional(),
    sub_industry: leadText.optional(),
    region: leadText.optional(),
  })
  .strict();
export type Lead = z.infer<typeof LeadSchema>;

export const ScoreSchema = z.number().min(0).max(1);

/**
 * The key a ranking scores a lead by: the lowercase hex SHA-256 of the lead's RFC 8785 canonical
 * JSON (`leadHash`), so the validator's signature binds the exact content it scored without
 * repeating it.
 */
export const LeadHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be the lead's SHA-256: 64 lowercase hex digits");

/**
 * One scored lead of a ranking. The lead itself is not repeated: `lead_hash` names the submitted
 * copy it scores (eligibility.ts binds it to the pool). Rankings with an embedded `lead` (before
 * this form) are refused by this schema.
 */
export const RankedLeadSchema = z
  .object({
    lead_hash: LeadHashSchema,
    score: ScoreSchema,
    rank: z.number().int().min(1),
  })
  .strict();
export type RankedLead = z.infer<typeof RankedLeadSchema>;

/** The part of a validator ranking that the validator signs (everything it authors). */
export const RankingContentSchema = z
  .object({
    request_id: RequestIdSchema,
    validator_hotkey: HotkeySchema,
    validator_uid: z.number().int().min(0),
    ranked_leads: z.array(RankedLeadSchema).min(1).max(LIMITS.leadsPerDocumentMax),
    num_leads_ranked: z.number().int().min(1),
  })
  .strict()
  .refine((r) => r.num_leads_ranked === r.ranked_leads.length, {
    message: "must equal ranked_leads.length",
    path: ["num_leads_ranked"],
  })
  .check((ctx) => {
    const issue = byteLimitIssue(ctx.value, LIMITS.rankingBytesMax, "the signed ranking", []);
    if (issue) ctx.issues.push(issue);
  });
export type RankingContent = z.infer<typeof RankingContentSchema>;

/** The part of a miner submission that the miner signs. */
export const SubmissionContentSchema = z
  .object({
    request_id: RequestIdSchema,
    miner_hotkey: HotkeySchema,
    miner_uid: z.number().int().min(0),
    leads: z.array(LeadSchema).min(1).max(LIMITS.leadsPerDocumentMax),
    num_leads: z.number().int().min(1),
  })
  .strict()
  .refine((s) => s.num_leads === s.leads.length, {
    message: "must equal leads.length",
    path: ["num_leads"],
  })
  .check((ctx) => {
    ctx.value.leads.forEach((lead, i) => {
      const issue = byteLimitIssue(lead, LIMITS.leadBytesMax, "the lead", ["leads", i]);
      if (issue) ctx.issues.push(issue);
    });
    const issue = byteLimitIssue(ctx.value, LIMITS.submissionBytesMax, "the signed submission", []);
    if (issue) ctx.issues.push(issue);
  });
export type SubmissionContent = z.infer<typeof SubmissionContentSchema>;

/**
 * The part of a miner's decline that the miner signs: it holds nothing that fits the request, so
 * validators stop waiting for it. Carries no leads, so it can never influence the consensus.
 */
export const DeclineContentSchema = z
  .object({
    request_id: RequestIdSchema,
    miner_hotkey: HotkeySchema,
    miner_uid: z.number().int().min(0),
    reason: z.enum(["no_fitting_leads"]),
  })
  .strict();
export type DeclineContent = z.infer<typeof DeclineContentSchema>;

export const SignatureSchema = z
  .string()
  .regex(/^0x[0-9a-f]{128}$/i, "must be a 64-byte hex signature (0x...)");

export const RoleSchema = z.enum(["validator", "miner"]);
export type Role = z.infer<typeof RoleSchema>;

/** One hotkey of the metagraph as the registry keeps it. */
export const RegistryEntrySchema = z
  .object({
    hotkey: HotkeySchema,
    uid: z.number().int().min(0),
    role: RoleSchema.nullable(),
    validator_trust: z.number().min(0).max(1),
    stake: z.number().min(0),
    validator_permit: z.boolean(),
    is_serving: z.boolean(),
  })
  .strict();
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

export const REQUEST_STATUSES = ["pending", "processing", "completed", "failed"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const OPEN_STATUSES: readonly RequestStatus[] = ["pending", "processing"];

/** Turns a zod error into `{field, message}` pairs naming each bad field by its dotted path. */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // An unknown key is reported on its parent; name the key itself.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...at, key].join("."), message: "unknown field" }));
    }
    return [{ field: at.length > 0 ? at.join(".") : "(body)", message: issue.message }];
  });
}

/**
 * The byte-limit issue of a failed parse as "field: message" ("message" for the whole content),
 * or null when the content is within the byte limits.
 */
export function tooLargeIssue(error: z.ZodError): string | null {
  const issue = error.issues.find(
    (i) =>
      i.code === "custom" &&
      (i as { params?: { reason?: unknown } }).params?.reason === CONTENT_TOO_LARGE,
  );
  if (!issue) return null;
  return issue.path.length > 0
    ? `${issue.path.map(String).join(".")}: ${issue.message}`
    : issue.message;
}

/** What a node posts to `/auth/sign-in`: a challenge it signed with its hotkey. */
export const SignInRequestSchema = z
  .object({
    hotkey: HotkeySchema,
    role: RoleSchema,
    nonce: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, "must be 16-128 URL-safe characters"),
    issued_at: z.number().int().positive(),
    signature: SignatureSchema,
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequestSchema>;
