import { Keyring } from "@polkadot/keyring";
import { u8aToHex } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { Timestamp } from "firebase/firestore";
import {
  LIMITS,
  RankingContentSchema,
  bindRankingToPool,
  canonicalBytes,
  leadHash,
  timedLeadPool,
  rankingPayload,
  submissionDocId,
  submissionPayload,
  verifyHotkeySignature,
  declineDocId,
  declinePayload,
  type Lead,
} from "consensus-core";
import type { Firestore } from "firebase/firestore";
import { leadOfBytes } from "../../../../core/test/unit/helpers";
import { buildDecline, buildSubmission, leadsWithinByteLimit } from "../../../src/roles/miner";
import { writeSignedOnce } from "../../../src/runtime/write-once";
import {
  allMinersAnswered,
  buildRanking,
  gatherLeads,
  verifiedDecliner,
} from "../../../src/roles/validator";
import { parseOpenRequest } from "../../../src/runtime/open-request";
import { isAuthError } from "../../../src/runtime/retry";
import { createLogger } from "../../../src/runtime/log";

const REQ = "2f1c7a4e-6a0b-4c1e-9d3f-0b8e5a7c9d11";
const lead = (n: number, extra: Partial<Lead> = {}): Lead => ({
  business: `Company ${n}`,
  email: `owner${n}@company${n}.io`,
  industry: "Software",
  ...extra,
});

let keyring: Keyring;
beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
});

describe("buildSubmission", () => {
  it("dedupes by normalised email, trims as the backend does, and caps at 200 leads", () => {
    const ferdie = keyring.addFromUri("//Ferdie").address;
    const leads = [
      lead(1, { business: "  Company 1 " }),
      lead(1, { email: "OWNER1@company1.io " }),
      lead(2),
    ];
    const content = buildSubmission(REQ, ferdie, 10, leads);
    expect(content).toEqual({
      request_id: REQ,
      miner_hotkey: ferdie,
      miner_uid: 10,
      leads: [lead(1), lead(2)],
      num_leads: 2,
    });
    const many = Array.from({ length: 250 }, (_, i) => lead(i));
    expect(buildSubmission(REQ, ferdie, 10, many).num_leads).toBe(200);
    expect(() =>
      buildSubmission(REQ, ferdie, 10, [{ business: "x", email: "not-an-email" }]),
    ).toThrow(/leads.0.email/);
  });

  it("trims to the byte limits: leads over 4 KiB left out, then as many as fit 256 KiB", () => {
    const ferdie = keyring.addFromUri("//Ferdie").address;
    // 100 leads of 4,000 bytes of mostly three-byte text (400 KB in all), one of them over 4 KiB.
    const leads = Array.from({ length: 100 }, (_, i) =>
      leadOfBytes(`big${i}@acme.io`, i === 3 ? LIMITS.leadBytesMax + 1 : 4_000),
    );
    expect(leadsWithinByteLimit(leads)).toHaveLength(99);
    const content = buildSubmission(REQ, ferdie, 10, leads);
    expect(canonicalBytes(content)).toBeLessThanOrEqual(LIMITS.submissionBytesMax);
    expect(content.leads.map((l) => l.email)).not.toContain("big3@acme.io");
    // The curator's order is kept, and one more lead would not have fitted.
    const kept = leads.filter((_, i) => i !== 3).slice(0, content.num_leads + 1);
    expect(content.leads.map((l) => l.email)).toEqual(kept.slice(0, -1).map((l) => l.email));
    expect(canonicalBytes({ ...content, leads: kept, num_leads: kept.length })).toBeGreaterThan(
      LIMITS.submissionBytesMax,
    );
  });
});

describe("writeSignedOnce", () => {
  it("refuses content over its collection's byte limit before signing or writing", async () => {
    const ferdie = keyring.addFromUri("//Ferdie");
    const leads = Array.from({ length: 70 }, (_, i) => leadOfBytes(`big${i}@acme.io`, 4_000));
    const content = {
      request_id: REQ,
      miner_hotkey: ferdie.address,
      miner_uid: 10,
      leads,
      num_leads: 70,
    };
    const bytes = canonicalBytes(content);
    expect(bytes).toBeGreaterThan(LIMITS.submissionBytesMax);
    // No database is reached: the refusal comes first.
    const db = {} as Firestore;
    await expect(
      writeSignedOnce(
        db,
        ferdie,
        { collectionName: "miner_submissions", docId: "d" },
        content,
        "p",
      ),
    ).rejects.toThrow(
      `refusing to write miner_submissions/d: its signed content is ${bytes} bytes of canonical JSON (UTF-8), over the limit of ${LIMITS.submissionBytesMax}`,
    );
  });
});

describe("gatherLeads", () => {
  function signed(uri: string, leads: Lead[], tamper?: (d: any) => void) {
    const pair = keyring.addFromUri(uri);
    const content = {
      request_id: REQ,
      miner_hotkey: pair.address,
      miner_uid: 10,
      leads,
      num_leads: leads.length,
    };
    const data: any = {
      ...content,
      signature: u8aToHex(pair.sign(submissionPayload(content))),
      submitted_at: Timestamp.now(),
    };
    tamper?.(data);
    return { id: submissionDocId(REQ, pair.address), data };
  }

  it("keeps verified submissions' leads, deduped, and drops forged or rejected ones", () => {
    const good1 = signed("//Ferdie", [lead(1), lead(2)]);
    const good2 = signed("//Eve", [lead(2, { email: "Owner2@Company2.io" }), lead(3)]);
    const forged = signed("//Dave", [lead(9)], (d) => (d.leads = [lead(8)]));
    const rejected = signed(
      "//Charlie",
      [lead(7)],
      (d) => (d.verification = { status: "rejected" }),
    );
    const wrongId = { ...signed("//Alice", [lead(6)]), id: "other" };
    const result = gatherLeads([good1, good2, forged, rejected, wrongId]);
    expect(result.accepted).toBe(2);
    expect(result.rejected).toBe(3);
    expect(result.leads.map((l) => l.email).sort()).toEqual([
      "owner1@company1.io",
      "owner2@company2.io",
      "owner3@company3.io",
    ]);
  });

  it("takes the earliest submitted copy of an email, and only expected miners' leads", () => {
    const at = (ms: number) => (d: any) => (d.submitted_at = Timestamp.fromMillis(ms));
    const later = signed("//Eve", [lead(2, { full_name: "Someone Else" })], at(2_000));
    const first = signed("//Ferdie", [lead(2)], at(1_000));
    const result = gatherLeads([later, first]);
    expect(result.leads).toEqual([lead(2)]);
    const stranger = signed("//Dave", [lead(5)], at(500));
    const expected = [later, first].map((s) => String(s.data.miner_hotkey));
    const only = gatherLeads([later, first, stranger], expected);
    expect(only.rejected).toBe(1);
    expect(only.leads.map((l) => l.email)).toEqual([lead(2).email]);
  });
});

describe("buildRanking", () => {
  it("keeps the best 200 by rank, renumbers 1..n, and signs verifiably", () => {
    const alice = keyring.addFromUri("//Alice");
    const ranked = Array.from({ length: 230 }, (_, i) => ({
      lead: lead(i),
      score: 1 - i / 1000,
      rank: i + 1,
    })).reverse();
    const content = buildRanking(REQ, alice.address, 0, ranked);
    expect(content.num_leads_ranked).toBe(200);
    expect(content.ranked_leads[0]).toEqual({ lead_hash: leadHash(lead(0)), score: 1, rank: 1 });
    expect(content.ranked_leads[199].rank).toBe(200);
    expect(RankingContentSchema.safeParse(content).success).toBe(true);
    const sig = u8aToHex(alice.sign(rankingPayload(content)));
    expect(verifyHotkeySignature(rankingPayload(content), sig, alice.address)).toBe(true);
    expect(() =>
      buildRanking(REQ, alice.address, 0, [{ lead: lead(1), score: 2, rank: 1 }]),
    ).toThrow(/ranked_leads.0.score/);
  });

  it("names each lead by its content hash: 200 leads of 4 KB fit, and each binds to the pool", () => {
    const alice = keyring.addFromUri("//Alice");
    const big = Array.from({ length: 200 }, (_, i) => leadOfBytes(`big${i}@acme.io`, 4_000));
    // The pool the backend builds from the same signed submission.
    const pool = timedLeadPool([{ miner_hotkey: "5Ferdie", submitted_at_ms: 1_000, leads: big }]);
    const ranked = big.map((l, i) => ({ lead: l, score: 1 - i / 1000, rank: i + 1 }));
    const content = buildRanking(REQ, alice.address, 0, ranked);
    expect(content.num_leads_ranked).toBe(200);
    expect(canonicalBytes(content)).toBeLessThan(30_000);
    expect(canonicalBytes(content)).toBeLessThanOrEqual(LIMITS.rankingBytesMax);
    const bound = bindRankingToPool(
      { submitted_at_ms: 2_000, ranked_leads: content.ranked_leads },
      pool,
    );
    expect(bound.unbound).toBe(0);
    expect(bound.ranked_leads.map((e) => e.lead)).toEqual(big);
  });
});

describe("declines", () => {
  it("a decline signed by its miner is counted; a forged, renamed or misfiled one is not", () => {
    const dave = keyring.addFromUri("//Dave");
    const eve = keyring.addFromUri("//Eve");
    const content = buildDecline(REQ, dave.address, 4);
    const signature = u8aToHex(dave.sign(declinePayload(content)));
    const id = declineDocId(REQ, dave.address);
    expect(verifiedDecliner(id, { ...content, signature })).toBe(dave.address);
    const forged = u8aToHex(eve.sign(declinePayload(content)));
    expect(verifiedDecliner(id, { ...content, signature: forged })).toBeNull();
    expect(verifiedDecliner(declineDocId(REQ, eve.address), { ...content, signature })).toBeNull();
    expect(verifiedDecliner(id, { ...content, reason: "busy", signature })).toBeNull();
  });

  it("all miners answered: each expected one submitted or declined; none expected is unknown", () => {
    expect(allMinersAnswered(["m1", "m2"], ["m1"], ["m2"])).toBe(true);
    expect(allMinersAnswered(["m1", "m2"], ["m1", "x"], [])).toBe(false);
    expect(allMinersAnswered([], [], [])).toBe(false);
    expect(allMinersAnswered(null, ["m1"], [])).toBe(false);
  });
});

describe("parseOpenRequest and isAuthError", () => {
  it("reads an open request and refuses closed or malformed ones", () => {
    const now = Date.now();
    const data = {
      request_id: REQ,
      num_leads: 3,
      business_desc: "desc",
      status: "processing",
      created_at: Timestamp.fromMillis(now),
      timeout: Timestamp.fromMillis(now + 120_000),
      validator_deadline: Timestamp.fromMillis(now + 90_000),
      expected_validators: ["a", "b"],
    };
    expect(parseOpenRequest(REQ, data)).toEqual({
      request_id: REQ,
      num_leads: 3,
      business_desc: "desc",
      status: "processing",
      createdAtMs: now,
      timeoutMs: now + 120_000,
      validatorDeadlineMs: now + 90_000,
      expected_validators: ["a", "b"],
      // Requests that do not record their miners: validators fall back to their caps.
      expected_miners: null,
    });
    expect(parseOpenRequest(REQ, { ...data, expected_miners: ["m1", "m2"] })).toMatchObject({
      expected_miners: ["m1", "m2"],
    });
    // Not the stored shape (core's schema): refused whole, not read in part.
    expect(parseOpenRequest(REQ, { ...data, expected_miners: ["m1", 7] })).toBeNull();
    expect(parseOpenRequest(REQ, { ...data, status: "completed" })).toBeNull();
    expect(parseOpenRequest(REQ, { ...data, timeout: "soon" })).toBeNull();
    expect(parseOpenRequest(REQ, { ...data, expected_validators: undefined })).toBeNull();
  });

  it("treats permission-denied and unauthenticated as auth errors", () => {
    expect(isAuthError({ code: "permission-denied" })).toBe(true);
    expect(isAuthError({ code: "unauthenticated" })).toBe(true);
    expect(isAuthError({ code: "unavailable" })).toBe(false);
    expect(isAuthError(new Error("x"))).toBe(false);
  });
});

describe("logger", () => {
  it("never writes a value's control characters, bidi overrides or lone surrogates raw", () => {
    const lines: string[] = [];
    const log = createLogger({ role: "validator", write: (l) => lines.push(l) });
    log.info("request opened", {
      ansi: "\u001b[2J\u001b[31mred",
      c1: "x\u009b31m\u0085",
      bidi: "moc.\u202elive",
      isolate: "\u2067x\u2069",
      lone: "a\ud800",
      emoji: "🚀深圳",
    });
    const line = lines[0];
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(line).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(line).toContain('ansi="\\u001b[2J\\u001b[31mred"');
    expect(line).toContain('c1="x\\u009b31m\\u0085"');
    expect(line).toContain('bidi="moc.\\u202elive"');
    expect(line).toContain('isolate="\\u2067x\\u2069"');
    expect(line).toContain('lone="a\\ud800"');
    expect(line).toContain("emoji=🚀深圳");
  });

  it("prints [role hotkey-prefix] message k=v, or JSON lines", () => {
    const lines: string[] = [];
    const text = createLogger({
      role: "validator",
      hotkey: "5GrwvaEF5zXb26Fz9rcQ",
      write: (l) => lines.push(l),
    });
    text.info("request 1234abcd: ranked 3 leads", {
      ms: 12,
      stop: "after_first",
      skip: undefined,
      why: "two words",
    });
    text.warn("heartbeat failed");
    const json = createLogger({
      role: "miner",
      hotkey: "5Ci",
      format: "json",
      write: (l) => lines.push(l),
    });
    json.info("listening for requests", { open: 0 });
    expect(lines[0]).toBe(
      '[validator 5GrwvaEF] request 1234abcd: ranked 3 leads ms=12 stop=after_first why="two words"',
    );
    expect(lines[1]).toBe("[validator 5GrwvaEF] WARN heartbeat failed");
    expect(JSON.parse(lines[2])).toMatchObject({
      level: "info",
      role: "miner",
      hotkey: "5Ci",
      msg: "listening for requests",
      open: 0,
    });
  });
});
