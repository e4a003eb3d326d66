import { randomUUID } from "crypto";
import type { z } from "zod";
import { CreateLeadsRequestSchema } from "../../src/createRequest";
import {
  HotkeySchema,
  LIMITS,
  LeadSchema,
  RankingContentSchema,
  SignatureSchema,
  SubmissionContentSchema,
  canonicalBytes,
  describeIssues,
  tooLargeIssue,
  unsafeTextReason,
  type RankingContent,
  type SubmissionContent,
} from "../../src/schemas";
import { leadHash } from "../../src/eligibility";
import { EURO, lead, leadOfBytes } from "./helpers";

// SS58 (format 42) addresses of the //Alice and //Bob sr25519 dev keys.
const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

/** Distinct field paths of a failed parse, or [] when it succeeded. */
function fieldsOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : [...new Set(describeIssues(result.error).map((i) => i.field))];
}

function rankingContent(overrides: Record<string, unknown> = {}): RankingContent {
  return {
    request_id: randomUUID(),
    validator_hotkey: ALICE,
    validator_uid: 3,
    ranked_leads: [
      { lead_hash: leadHash(lead("ana@acme.io")), score: 0.9, rank: 1 },
      { lead_hash: leadHash(lead("bob@globex.io", { role: "CTO" })), score: 0.4, rank: 2 },
    ],
    num_leads_ranked: 2,
    ...overrides,
  } as RankingContent;
}

function submissionContent(overrides: Record<string, unknown> = {}): SubmissionContent {
  return {
    request_id: randomUUID(),
    miner_hotkey: BOB,
    miner_uid: 7,
    leads: [lead("ana@acme.io"), lead("bob@globex.io")],
    num_leads: 2,
    ...overrides,
  } as SubmissionContent;
}

const manyLeads = (n: number) => Array.from({ length: n }, (_, i) => lead(`l${i}@acme.io`));

describe("CreateLeadsRequestSchema", () => {
  const valid = { num_leads: 10, business_desc: "B2B SaaS CTOs in Europe" };

  it("accepts a valid request", () => {
    expect(CreateLeadsRequestSchema.parse(valid)).toEqual(valid);
  });

  it.each([1, 2, 99, 100])("accepts num_leads %p", (num_leads) => {
    expect(CreateLeadsRequestSchema.safeParse({ ...valid, num_leads }).success).toBe(true);
  });

  it.each([0, -1, 101, 1000, 1.5, 99.999, NaN, Infinity, "5", "10", null, true, [5]])(
    "rejects num_leads %p",
    (num_leads) => {
      expect(fieldsOf(CreateLeadsRequestSchema, { ...valid, num_leads })).toEqual(["num_leads"]);
    },
  );

  it("rejects a missing num_leads", () => {
    expect(fieldsOf(CreateLeadsRequestSchema, { business_desc: "x" })).toEqual(["num_leads"]);
  });

  it("trims business_desc", () => {
    const parsed = CreateLeadsRequestSchema.parse({
      ...valid,
      business_desc: "  \n fintech CFOs \t",
    });
    expect(parsed.business_desc).toBe("fintech CFOs");
  });

  it.each(["", " ", "\n\t  "])("rejects a blank business_desc %j", (business_desc) => {
    expect(fieldsOf(CreateLeadsRequestSchema, { ...valid, business_desc })).toEqual([
      "business_desc",
    ]);
  });

  it("accepts business_desc of exactly 2000 characters and rejects 2001", () => {
    expect(LIMITS.businessDescMax).toBe(2000);
    const ok = "a".repeat(2000);
    expect(CreateLeadsRequestSchema.parse({ ...valid, business_desc: ok }).business_desc).toBe(ok);
    expect(
      fieldsOf(CreateLeadsRequestSchema, { ...valid, business_desc: "a".repeat(2001) }),
    ).toEqual(["business_desc"]);
  });

  it("measures the 2000-character limit after trimming", () => {
    const padded = `   ${"a".repeat(2000)}   `;
    const parsed = CreateLeadsRequestSchema.parse({ ...valid, business_desc: padded });
    expect(parsed.business_desc).toHaveLength(2000);
  });

  it.each([42, null, ["a"], { text: "a" }])("rejects a non-string business_desc %p", (bd) => {
    expect(fieldsOf(CreateLeadsRequestSchema, { ...valid, business_desc: bd })).toEqual([
      "business_desc",
    ]);
  });

  it("rejects unknown fields", () => {
    const result = CreateLeadsRequestSchema.safeParse({ ...valid, priority: "high" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].code).toBe("unrecognized_keys");
    expect(result.error?.issues[0].message).toContain("priority");
  });

  it.each([null, undefined, "num_leads=5", 5, []])("rejects a non-object body %p", (body) => {
    expect(fieldsOf(CreateLeadsRequestSchema, body)).toEqual(["(body)"]);
  });
});

describe("LeadSchema", () => {
  it("accepts a minimal lead and trims text fields", () => {
    expect(LeadSchema.parse({ business: "  Acme  ", email: "ana@acme.io", role: " CTO " })).toEqual(
      {
        business: "Acme",
        email: "ana@acme.io",
        role: "CTO",
      },
    );
  });

  it.each([
    ["missing email", { business: "Acme" }],
    ["not an email", { business: "Acme", email: "ana-at-acme.io" }],
    ["empty email", { business: "Acme", email: "" }],
    ["email without domain", { business: "Acme", email: "ana@" }],
    ["email as a number", { business: "Acme", email: 42 }],
  ])("rejects a lead with %s", (_label, value) => {
    expect(fieldsOf(LeadSchema, value)).toEqual(["email"]);
  });

  it("rejects a lead with a blank business", () => {
    expect(fieldsOf(LeadSchema, { business: "   ", email: "ana@acme.io" })).toEqual(["business"]);
  });

  it("rejects overlong fields", () => {
    const long = "a".repeat(LIMITS.leadFieldMax + 1);
    expect(fieldsOf(LeadSchema, { ...lead("ana@acme.io"), role: long })).toEqual(["role"]);
    const longEmail = `${"a".repeat(LIMITS.leadFieldMax)}@acme.io`;
    expect(fieldsOf(LeadSchema, { business: "Acme", email: longEmail })).toContain("email");
  });

  it("rejects unknown lead fields", () => {
    expect(LeadSchema.safeParse({ ...lead("ana@acme.io"), phone: "555" }).success).toBe(false);
  });
});

// Each class of text the schemas refuse, by where it comes from (issue 20: a lone surrogate was a
// 500, control characters and bidi overrides were stored and handed to nodes and the LLM prompt).
const UNSAFE_TEXT: [string, string, RegExp][] = [
  ["a lone high surrogate", "Fintech \ud83d in Berlin", /lone UTF-16 surrogate/],
  ["a lone low surrogate", "Fintech \ude00 in Berlin", /lone UTF-16 surrogate/],
  ["a high surrogate at the end", "Fintech in Berlin\ud800", /lone UTF-16 surrogate/],
  ["NUL", "Fintech\u0000 in Berlin", /control characters \(found U\+0000/],
  ["an ANSI escape (ESC)", "\u001b[31mFintech\u001b[0m in Berlin", /found U\+001B/],
  ["a form feed", "Fintech\fBerlin", /found U\+000C/],
  ["DEL", "Fintech\u007f in Berlin", /found U\+007F/],
  ["a C1 control (NEL)", "Fintech\u0085 in Berlin", /found U\+0085/],
  ["a C1 control (CSI)", "Fintech\u009b31m in Berlin", /found U\+009B/],
  ["a right-to-left override", "Fintech in \u202eniltreB", /bidirectional.*U\+202E/],
  ["a left-to-right embedding", "Fintech \u202a in Berlin", /bidirectional.*U\+202A/],
  ["a first-strong isolate", "Fintech \u2068 in Berlin", /bidirectional.*U\+2068/],
  ["a pop directional isolate", "Fintech \u2069 in Berlin", /bidirectional.*U\+2069/],
];
const VALID_TEXT = [
  "Fintech startups in Berlin 🚀",
  "深圳的硬件公司",
  "Zahnärzte in Köln — über 10 Mitarbeiter",
  "👩🏽‍💻 family-run cafés",
  "مطاعم في دبي",
  "Right-to-left mark \u200f and zero-width joiner \u200d are text, not overrides",
];

describe("unsafe text", () => {
  it.each(UNSAFE_TEXT)("business_desc with %s is refused naming the field", (_c, text, why) => {
    const result = CreateLeadsRequestSchema.safeParse({ num_leads: 1, business_desc: text });
    expect(result.success).toBe(false);
    const issues = describeIssues(result.error!);
    expect(issues.map((i) => i.field)).toEqual(["business_desc"]);
    expect(issues[0].message).toMatch(why);
  });

  it.each(UNSAFE_TEXT)("a lead field with %s is refused naming the field", (_c, text) => {
    expect(fieldsOf(LeadSchema, { ...lead("ana@acme.io"), business: text })).toEqual(["business"]);
    expect(fieldsOf(LeadSchema, { ...lead("ana@acme.io"), region: text })).toEqual(["region"]);
    expect(
      fieldsOf(
        SubmissionContentSchema,
        submissionContent({
          leads: [lead("ana@acme.io"), { ...lead("bob@globex.io"), full_name: text }],
        }),
      ),
    ).toEqual(["leads.1.full_name"]);
  });

  it.each(UNSAFE_TEXT)("an email with %s is refused", (_c, text) => {
    expect(fieldsOf(LeadSchema, { business: "Acme", email: `ana${text}@acme.io` })).toEqual([
      "email",
    ]);
  });

  it.each(VALID_TEXT)("valid Unicode passes unchanged: %s", (text) => {
    expect(unsafeTextReason(text)).toBeNull();
    expect(
      CreateLeadsRequestSchema.parse({ num_leads: 1, business_desc: text }).business_desc,
    ).toBe(text);
    expect(LeadSchema.parse({ ...lead("ana@acme.io"), business: text }).business).toBe(text);
  });

  it("business_desc: tab, CR and LF become single spaces (one line in the prompt and logs)", () => {
    const parsed = CreateLeadsRequestSchema.parse({
      num_leads: 1,
      business_desc: "Fintech\tstartups\r\nin Berlin\n\nand Paris",
    });
    expect(parsed.business_desc).toBe("Fintech startups in Berlin and Paris");
  });

  it("lead fields keep tab, CR and LF inside the text (ordinary whitespace; the CLI flattens it)", () => {
    expect(LeadSchema.parse({ ...lead("ana@acme.io"), business: "Acme\nLabs" }).business).toBe(
      "Acme\nLabs",
    );
  });
});

describe("HotkeySchema", () => {
  it.each([ALICE, BOB])("accepts the SS58 address %s", (hotkey) => {
    expect(HotkeySchema.parse(hotkey)).toBe(hotkey);
  });

  it.each([
    ["too short", ALICE.slice(0, 39)],
    ["too long", ALICE + "x".repeat(LIMITS.hotkeyMax - ALICE.length + 1)],
    ["a zero (not base58)", ALICE.slice(0, -1) + "0"],
    ["a capital O", ALICE.slice(0, -1) + "O"],
    ["a capital I", ALICE.slice(0, -1) + "I"],
    ["a lower-case l", ALICE.slice(0, -1) + "l"],
    ["whitespace", ` ${ALICE}`],
    ["hex", "0x" + "ab".repeat(32)],
  ])("rejects a hotkey with %s", (_label, hotkey) => {
    expect(HotkeySchema.safeParse(hotkey).success).toBe(false);
  });
});

describe("RankingContentSchema", () => {
  it("accepts a valid ranking and returns the same content", () => {
    const content = rankingContent();
    expect(RankingContentSchema.parse(content)).toEqual(content);
  });

  it.each([0, 1, 3])("rejects num_leads_ranked %p when two leads are ranked", (n) => {
    const fields = fieldsOf(RankingContentSchema, rankingContent({ num_leads_ranked: n }));
    expect(fields).toContain("num_leads_ranked");
    expect(fields.every((f) => f === "num_leads_ranked")).toBe(true);
  });

  it("reports the length mismatch with a clear message", () => {
    const result = RankingContentSchema.safeParse(rankingContent({ num_leads_ranked: 3 }));
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toEqual([
      { field: "num_leads_ranked", message: "must equal ranked_leads.length" },
    ]);
  });

  it.each([0, 1, 0.5, 1e-9])("accepts score %p", (score) => {
    const content = rankingContent();
    content.ranked_leads[0].score = score;
    expect(RankingContentSchema.safeParse(content).success).toBe(true);
  });

  it.each([-0.01, 1.01, 2, -1, NaN, Infinity, "0.5", null])("rejects score %p", (score) => {
    const content = rankingContent();
    (content.ranked_leads[1] as { score: unknown }).score = score;
    expect(fieldsOf(RankingContentSchema, content)).toEqual(["ranked_leads.1.score"]);
  });

  it.each([0, -1, 1.5, "1", NaN])("rejects rank %p", (rank) => {
    const content = rankingContent();
    (content.ranked_leads[0] as { rank: unknown }).rank = rank;
    expect(fieldsOf(RankingContentSchema, content)).toEqual(["ranked_leads.0.rank"]);
  });

  it("accepts rank 1 and large integer ranks", () => {
    const content = rankingContent();
    content.ranked_leads[1].rank = 10_000;
    expect(RankingContentSchema.safeParse(content).success).toBe(true);
  });

  it("rejects unknown fields at the top level and in an entry", () => {
    expect(RankingContentSchema.safeParse(rankingContent({ trust: 1 })).success).toBe(false);

    const inEntry = rankingContent();
    (inEntry.ranked_leads[0] as Record<string, unknown>).weight = 5;
    expect(fieldsOf(RankingContentSchema, inEntry)).toEqual(["ranked_leads.0.weight"]);
  });

  it("refuses the older form that embeds the lead (only lead_hash is accepted)", () => {
    const embedded = rankingContent();
    (embedded.ranked_leads[1] as Record<string, unknown>).lead = lead("bob@globex.io");
    expect(fieldsOf(RankingContentSchema, embedded)).toEqual(["ranked_leads.1.lead"]);
    const old = rankingContent();
    old.ranked_leads[0] = { lead: lead("ana@acme.io"), score: 0.9, rank: 1 } as never;
    expect(fieldsOf(RankingContentSchema, old).sort()).toEqual([
      "ranked_leads.0.lead",
      "ranked_leads.0.lead_hash",
    ]);
  });

  it.each([
    ["uppercase hex", "A".repeat(64)],
    ["too short", "a".repeat(63)],
    ["too long", "a".repeat(65)],
    ["0x-prefixed", "0x" + "a".repeat(64)],
    ["not hex", "g".repeat(64)],
    ["a number", 7],
  ])("rejects a lead_hash that is %s", (_label, lead_hash) => {
    const content = rankingContent();
    (content.ranked_leads[1] as { lead_hash: unknown }).lead_hash = lead_hash;
    expect(fieldsOf(RankingContentSchema, content)).toEqual(["ranked_leads.1.lead_hash"]);
  });

  it("rejects a request_id that is not a UUID", () => {
    for (const request_id of ["req-1", "", "123e4567e89b12d3a456426614174000", 42]) {
      expect(fieldsOf(RankingContentSchema, rankingContent({ request_id }))).toEqual([
        "request_id",
      ]);
    }
  });

  it("rejects a bad validator_hotkey or validator_uid", () => {
    expect(fieldsOf(RankingContentSchema, rankingContent({ validator_hotkey: "alice" }))).toEqual([
      "validator_hotkey",
    ]);
    for (const validator_uid of [-1, 1.5, "3"]) {
      expect(fieldsOf(RankingContentSchema, rankingContent({ validator_uid }))).toEqual([
        "validator_uid",
      ]);
    }
    expect(RankingContentSchema.safeParse(rankingContent({ validator_uid: 0 })).success).toBe(true);
  });

  it("rejects an empty ranking and more than 200 entries", () => {
    expect(
      fieldsOf(RankingContentSchema, rankingContent({ ranked_leads: [], num_leads_ranked: 0 })),
    ).toContain("ranked_leads");

    const entries = (n: number) =>
      manyLeads(n).map((l, i) => ({ lead_hash: leadHash(l), score: 0.5, rank: i + 1 }));
    const at = (n: number) => rankingContent({ ranked_leads: entries(n), num_leads_ranked: n });
    expect(RankingContentSchema.safeParse(at(LIMITS.leadsPerDocumentMax)).success).toBe(true);
    expect(fieldsOf(RankingContentSchema, at(LIMITS.leadsPerDocumentMax + 1))).toContain(
      "ranked_leads",
    );
  });

  it("rejects a missing required field", () => {
    const content: Record<string, unknown> = { ...rankingContent() };
    delete content.validator_uid;
    expect(fieldsOf(RankingContentSchema, content)).toEqual(["validator_uid"]);
  });
});

describe("SubmissionContentSchema", () => {
  it("accepts a valid submission", () => {
    const content = submissionContent();
    expect(SubmissionContentSchema.parse(content)).toEqual(content);
  });

  it.each([1, 3, 0])("rejects num_leads %p when two leads are submitted", (num_leads) => {
    const fields = fieldsOf(SubmissionContentSchema, submissionContent({ num_leads }));
    expect(fields).toContain("num_leads");
    expect(fields.every((f) => f === "num_leads")).toBe(true);
  });

  it("rejects unknown fields at the top level and in a lead", () => {
    expect(SubmissionContentSchema.safeParse(submissionContent({ score: 1 })).success).toBe(false);
    const content = submissionContent();
    (content.leads[0] as Record<string, unknown>).notes = "x";
    expect(fieldsOf(SubmissionContentSchema, content)).toEqual(["leads.0.notes"]);
  });

  it("rejects a lead without a valid email, naming its path", () => {
    const content = submissionContent();
    (content.leads as unknown[])[1] = { business: "Globex", email: "globex" };
    expect(fieldsOf(SubmissionContentSchema, content)).toEqual(["leads.1.email"]);
  });

  it("rejects a bad miner hotkey, uid and request id", () => {
    expect(
      fieldsOf(SubmissionContentSchema, submissionContent({ miner_hotkey: "0xdead" })),
    ).toEqual(["miner_hotkey"]);
    expect(fieldsOf(SubmissionContentSchema, submissionContent({ miner_uid: -2 }))).toEqual([
      "miner_uid",
    ]);
    expect(fieldsOf(SubmissionContentSchema, submissionContent({ request_id: "abc" }))).toEqual([
      "request_id",
    ]);
  });

  it("accepts up to 200 leads and rejects none or 201", () => {
    const at = (n: number) => submissionContent({ leads: manyLeads(n), num_leads: n });
    expect(SubmissionContentSchema.safeParse(at(LIMITS.leadsPerDocumentMax)).success).toBe(true);
    expect(fieldsOf(SubmissionContentSchema, at(LIMITS.leadsPerDocumentMax + 1))).toContain(
      "leads",
    );
    expect(fieldsOf(SubmissionContentSchema, at(0))).toContain("leads");
  });

  it("does not accept a ranking as a submission", () => {
    expect(SubmissionContentSchema.safeParse(rankingContent()).success).toBe(false);
    expect(RankingContentSchema.safeParse(submissionContent()).success).toBe(false);
  });
});

describe("SignatureSchema", () => {
  it.each(["0x" + "a".repeat(128), "0x" + "0123456789abcdef".repeat(8), "0x" + "AB".repeat(64)])(
    "accepts %s",
    (sig) => {
      expect(SignatureSchema.parse(sig)).toBe(sig);
    },
  );

  it.each([
    ["no 0x prefix", "a".repeat(128)],
    ["too short", "0x" + "a".repeat(126)],
    ["too long", "0x" + "a".repeat(130)],
    ["odd length", "0x" + "a".repeat(127)],
    ["non-hex characters", "0x" + "g".repeat(128)],
    ["whitespace", " 0x" + "a".repeat(128)],
    ["empty", ""],
    ["a number", 1234],
  ])("rejects a signature with %s", (_label, sig) => {
    expect(SignatureSchema.safeParse(sig).success).toBe(false);
  });

  it("matches LIMITS.signatureHex", () => {
    expect(("0x" + "a".repeat(128)).length).toBe(LIMITS.signatureHex);
  });
});

describe("describeIssues", () => {
  it("names a nested field by its dotted path", () => {
    const content = rankingContent();
    content.ranked_leads[0].score = 1.5;
    const result = RankingContentSchema.safeParse(content);
    expect(result.success).toBe(false);
    const issues = describeIssues(result.error!);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe("ranked_leads.0.score");
    expect(issues[0].message).toMatch(/1/);
  });

  it("reports every failing field", () => {
    const content = rankingContent({ validator_uid: -1 });
    content.ranked_leads[1].rank = 0;
    content.ranked_leads[0].lead_hash = "bad";
    expect(fieldsOf(RankingContentSchema, content).sort()).toEqual([
      "ranked_leads.0.lead_hash",
      "ranked_leads.1.rank",
      "validator_uid",
    ]);
  });

  it("names each unknown field itself, at any depth", () => {
    expect(
      fieldsOf(CreateLeadsRequestSchema, { num_leads: 1, business_desc: "x", a: 1, b: 2 }),
    ).toEqual(["a", "b"]);
    expect(fieldsOf(RankingContentSchema, rankingContent({ trust: 1 }))).toEqual(["trust"]);
    const content = rankingContent();
    (content.ranked_leads[0] as Record<string, unknown>).phone = "555";
    expect(fieldsOf(RankingContentSchema, content)).toEqual(["ranked_leads.0.phone"]);
  });

  it("uses (body) for an issue with the input itself", () => {
    const result = CreateLeadsRequestSchema.safeParse("not an object");
    expect(describeIssues(result.error!)).toEqual([
      { field: "(body)", message: expect.any(String) },
    ]);
  });
});

describe("byte limits (canonical JSON, UTF-8)", () => {
  /** A submission of `n` leads whose signed content is exactly `bytes` long. */
  function submissionOfBytes(bytes: number, n = 70): SubmissionContent {
    const emails = Array.from({ length: n }, (_, i) => `l${i}@acme.io`);
    const small = emails.map((e) => leadOfBytes(e, 200));
    const overhead = canonicalBytes(submissionContent({ leads: small, num_leads: n })) - 200 * n;
    const total = bytes - overhead;
    const q = Math.floor(total / n);
    const r = total % n;
    const leads = emails.map((e, i) => leadOfBytes(e, q + (i < r ? 1 : 0)));
    const content = submissionContent({ leads, num_leads: n });
    expect(canonicalBytes(content)).toBe(bytes);
    return content;
  }

  it("a lead: accepted at 4096 bytes, refused at 4097, counting three-byte text as three", () => {
    const at = leadOfBytes("ana@acme.io", LIMITS.leadBytesMax);
    // Mostly three-byte text: far fewer characters than bytes.
    expect(JSON.stringify(at).length).toBeLessThan(LIMITS.leadBytesMax / 2);
    expect(
      SubmissionContentSchema.safeParse(submissionContent({ leads: [at], num_leads: 1 })).success,
    ).toBe(true);
    const over = leadOfBytes("ana@acme.io", LIMITS.leadBytesMax + 1);
    const parsed = SubmissionContentSchema.safeParse(
      submissionContent({ leads: [lead("x@y.io"), over], num_leads: 2 }),
    );
    expect(parsed.success).toBe(false);
    expect(tooLargeIssue(parsed.error!)).toBe(
      "leads.1: the lead is 4097 bytes of canonical JSON (UTF-8), over the limit of 4096",
    );
  });

  it("a submission: accepted at 256 KiB, refused one byte over", () => {
    const at = submissionOfBytes(LIMITS.submissionBytesMax);
    expect(at.leads.some((l) => l.business.includes(EURO))).toBe(true);
    expect(SubmissionContentSchema.safeParse(at).success).toBe(true);
    const over = submissionOfBytes(LIMITS.submissionBytesMax + 1);
    const parsed = SubmissionContentSchema.safeParse(over);
    expect(parsed.success).toBe(false);
    expect(tooLargeIssue(parsed.error!)).toBe(
      `the signed submission is ${LIMITS.submissionBytesMax + 1} bytes of canonical JSON (UTF-8), over the limit of ${LIMITS.submissionBytesMax}`,
    );
    // Within every count limit: only the bytes refuse it.
    expect(over.leads.length).toBeLessThan(LIMITS.leadsPerDocumentMax);
  });

  it("counts the content after trimming, as it is signed", () => {
    const at = submissionOfBytes(LIMITS.submissionBytesMax);
    const padded = structuredClone(at);
    padded.leads[0].business = `  ${padded.leads[0].business}  `;
    expect(canonicalBytes(padded)).toBe(LIMITS.submissionBytesMax + 4);
    expect(SubmissionContentSchema.safeParse(padded).success).toBe(true);
  });

  it("limits keep every stored document well under Firestore's 1 MiB", () => {
    // Stored size <= canonical bytes + 8 per number + under 2 KiB of server fields (schemas.ts).
    expect(LIMITS.submissionBytesMax + 2 * 8 + 2048).toBeLessThan((1024 * 1024) / 3);
    expect(LIMITS.rankingBytesMax + (2 + 2 * LIMITS.leadsPerDocumentMax) * 8 + 2048).toBeLessThan(
      (1024 * 1024) / 3,
    );
    expect(LIMITS.numLeadsMax * (LIMITS.leadBytesMax + 200) + 64 * 1024).toBeLessThan(
      (1024 * 1024) / 2,
    );
  });
});

describe("byte limit of a ranking", () => {
  it("a compact ranking cannot reach its limit: the largest one possible is under half of it", () => {
    // Every field at its longest: a 64-character hotkey, the largest safe uid, 200 entries with
    // three-digit ranks and the longest decimal a score in [0, 1] prints as.
    const longestScore = 0.0000012345678901234567;
    expect(JSON.stringify(longestScore).length).toBeGreaterThanOrEqual(20);
    const largest = {
      request_id: randomUUID(),
      validator_hotkey: "5".repeat(LIMITS.hotkeyMax),
      validator_uid: Number.MAX_SAFE_INTEGER,
      ranked_leads: Array.from({ length: LIMITS.leadsPerDocumentMax }, (_, i) => ({
        lead_hash: "f".repeat(64),
        score: longestScore,
        rank: 100 + i,
      })),
      num_leads_ranked: LIMITS.leadsPerDocumentMax,
    };
    expect(RankingContentSchema.safeParse(largest).success).toBe(true);
    expect(canonicalBytes(largest)).toBeLessThan(LIMITS.rankingBytesMax / 2);
  });

  it("however large the leads it scores (200 leads of 4 KiB in three-byte text)", () => {
    const leads = Array.from({ length: 200 }, (_, i) =>
      leadOfBytes(`l${i}@acme.io`, LIMITS.leadBytesMax),
    );
    const content = rankingContent({
      ranked_leads: leads.map((l, i) => ({ lead_hash: leadHash(l), score: 0.5, rank: i + 1 })),
      num_leads_ranked: 200,
    });
    expect(leads.some((l) => l.business.includes(EURO))).toBe(true);
    expect(RankingContentSchema.safeParse(content).success).toBe(true);
    expect(canonicalBytes(content)).toBeLessThan(30_000);
    // Embedding the leads instead would have been about 800 KB.
    expect(canonicalBytes(leads)).toBeGreaterThan(800_000);
  });
});
