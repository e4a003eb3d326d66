import { randomUUID } from "crypto";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { stringToU8a, u8aToHex, u8aWrapBytes } from "@polkadot/util";
import {
  DOMAIN,
  cryptoReady,
  rankingPayload,
  signInPayload,
  submissionPayload,
  verifyHotkeySignature,
  type SignInChallenge,
} from "../../src/signing";
import {
  RankingContentSchema,
  SignatureSchema,
  SubmissionContentSchema,
  type RankingContent,
  type SubmissionContent,
} from "../../src/schemas";
import { leadHash } from "../../src/eligibility";
import { lead } from "./helpers";

let alice: KeyringPair;
let bob: KeyringPair;
let aliceEd25519: KeyringPair;

beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  alice = keyring.addFromUri("//Alice");
  bob = keyring.addFromUri("//Bob");
  aliceEd25519 = new Keyring({ type: "ed25519", ss58Format: 42 }).addFromUri("//Alice");
});

const sign = (pair: KeyringPair, message: string): string => u8aToHex(pair.sign(message));

function rankingContent(): RankingContent {
  return {
    request_id: randomUUID(),
    validator_hotkey: alice.address,
    validator_uid: 1,
    ranked_leads: [
      { lead_hash: leadHash(lead("ana@acme.io", { role: "CTO" })), score: 0.9, rank: 1 },
      { lead_hash: leadHash(lead("bob@globex.io")), score: 0.25, rank: 2 },
    ],
    num_leads_ranked: 2,
  };
}

function submissionContent(): SubmissionContent {
  return {
    request_id: randomUUID(),
    miner_hotkey: alice.address,
    miner_uid: 4,
    leads: [lead("ana@acme.io"), lead("bob@globex.io", { region: "EU" })],
    num_leads: 2,
  };
}

/** The same object with its keys (recursively) inserted in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

describe("test keys", () => {
  it("are the well-known dev addresses and valid for the schemas", () => {
    expect(alice.address).toBe("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
    expect(bob.address).toBe("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty");
    expect(RankingContentSchema.safeParse(rankingContent()).success).toBe(true);
    expect(SubmissionContentSchema.safeParse(submissionContent()).success).toBe(true);
    expect(SignatureSchema.safeParse(sign(alice, "x")).success).toBe(true);
  });
});

describe("rankingPayload and verifyHotkeySignature", () => {
  it("a hotkey's signature over the ranking payload verifies", () => {
    const content = rankingContent();
    const signature = sign(alice, rankingPayload(content));
    expect(verifyHotkeySignature(rankingPayload(content), signature, alice.address)).toBe(true);
  });

  it("verifies against a payload rebuilt from a parsed (JSON round-tripped) copy", () => {
    const content = rankingContent();
    const signature = sign(alice, rankingPayload(content));
    const received = RankingContentSchema.parse(JSON.parse(JSON.stringify(content)));
    expect(verifyHotkeySignature(rankingPayload(received), signature, alice.address)).toBe(true);
  });

  it("fails when a score is tampered with", () => {
    const content = rankingContent();
    const signature = sign(alice, rankingPayload(content));
    const tampered = structuredClone(content);
    tampered.ranked_leads[1].score = 0.26;
    expect(verifyHotkeySignature(rankingPayload(tampered), signature, alice.address)).toBe(false);
  });

  it("fails when the request id is changed (no replay onto another request)", () => {
    const content = rankingContent();
    const signature = sign(alice, rankingPayload(content));
    const replayed = { ...content, request_id: randomUUID() };
    expect(verifyHotkeySignature(rankingPayload(replayed), signature, alice.address)).toBe(false);
  });

  it("fails when lead data or order is changed", () => {
    const content = rankingContent();
    const signature = sign(alice, rankingPayload(content));

    // The signature binds each lead's content through its hash: other content, another hash.
    const swappedEmail = structuredClone(content);
    swappedEmail.ranked_leads[0].lead_hash = leadHash(lead("eve@acme.io", { role: "CTO" }));
    expect(verifyHotkeySignature(rankingPayload(swappedEmail), signature, alice.address)).toBe(
      false,
    );

    const reordered = { ...content, ranked_leads: [...content.ranked_leads].reverse() };
    expect(verifyHotkeySignature(rankingPayload(reordered), signature, alice.address)).toBe(false);
  });

  it("still verifies when the same content arrives with keys in a different order", () => {
    const content = rankingContent();
    const signature = sign(alice, rankingPayload(content));
    const shuffled = reverseKeys(content);

    expect(Object.keys(shuffled)).not.toEqual(Object.keys(content));
    expect(rankingPayload(shuffled)).toBe(rankingPayload(content));
    expect(verifyHotkeySignature(rankingPayload(shuffled), signature, alice.address)).toBe(true);
  });

  it("a signature by //Bob does not verify for Alice's hotkey", () => {
    const content = rankingContent();
    const bobSignature = sign(bob, rankingPayload(content));
    expect(verifyHotkeySignature(rankingPayload(content), bobSignature, alice.address)).toBe(false);
    expect(verifyHotkeySignature(rankingPayload(content), bobSignature, bob.address)).toBe(true);
  });

  it("rejects a valid signature from a non-sr25519 (ed25519) key", () => {
    const message = rankingPayload(rankingContent());
    const signature = sign(aliceEd25519, message);
    expect(verifyHotkeySignature(message, signature, aliceEd25519.address)).toBe(false);
  });

  it("accepts the <Bytes>-wrapped form extension signers produce, and nothing else around it", () => {
    const message = rankingPayload(rankingContent());
    const wrapped = u8aWrapBytes(message);
    expect(verifyHotkeySignature(message, u8aToHex(alice.sign(wrapped)), alice.address)).toBe(true);
    const otherWrap = stringToU8a(`<Bytes>x${message}</Bytes>`);
    expect(verifyHotkeySignature(message, u8aToHex(alice.sign(otherWrap)), alice.address)).toBe(
      false,
    );
  });

  it("refuses malformed addresses and signatures as invalid, never throwing", () => {
    const message = rankingPayload(rankingContent());
    const signature = sign(alice, message);
    expect(verifyHotkeySignature(message, signature, "not-an-address")).toBe(false);
    expect(verifyHotkeySignature(message, signature.slice(0, 20), alice.address)).toBe(false);
    expect(verifyHotkeySignature(message, "0xzz", alice.address)).toBe(false);
  });

  it("a ranking signature does not verify as a submission payload (domain separation)", () => {
    const content = submissionContent();
    // Sign the ranking-domain payload of exactly the same JSON.
    const asRanking = rankingPayload(content as unknown as RankingContent);
    const signature = sign(alice, asRanking);

    expect(verifyHotkeySignature(asRanking, signature, alice.address)).toBe(true);
    expect(verifyHotkeySignature(submissionPayload(content), signature, alice.address)).toBe(false);
  });

  it("a submission signature does not verify as a ranking or a sign-in", () => {
    const content = submissionContent();
    const signature = sign(alice, submissionPayload(content));

    expect(verifyHotkeySignature(submissionPayload(content), signature, alice.address)).toBe(true);
    expect(
      verifyHotkeySignature(
        rankingPayload(content as unknown as RankingContent),
        signature,
        alice.address,
      ),
    ).toBe(false);
    expect(
      verifyHotkeySignature(
        signInPayload(content as unknown as SignInChallenge),
        signature,
        alice.address,
      ),
    ).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["short hex", "0x1234"],
    ["not hex", "not-a-signature"],
    ["all zeros", "0x" + "00".repeat(64)],
    ["random bytes", "0x" + "ab".repeat(64)],
    ["too long", "0x" + "ab".repeat(65)],
  ])("returns false (without throwing) for a garbage signature: %s", (_label, signature) => {
    const message = rankingPayload(rankingContent());
    expect(() => verifyHotkeySignature(message, signature, alice.address)).not.toThrow();
    expect(verifyHotkeySignature(message, signature, alice.address)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["not base58", "not-an-address"],
    ["truncated", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKut"],
    ["checksum broken", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"],
    ["hex-looking", "0xdeadbeef"],
  ])("returns false (without throwing) for a garbage address: %s", (_label, address) => {
    const message = rankingPayload(rankingContent());
    const signature = sign(alice, message);
    expect(() => verifyHotkeySignature(message, signature, address)).not.toThrow();
    expect(verifyHotkeySignature(message, signature, address)).toBe(false);
  });
});

describe("canonical payloads", () => {
  it("prefix the content with its domain tag", () => {
    const ranking = rankingContent();
    const submission = submissionContent();
    expect(rankingPayload(ranking).startsWith(`${DOMAIN.ranking}:{`)).toBe(true);
    expect(submissionPayload(submission).startsWith(`${DOMAIN.submission}:{`)).toBe(true);
    // Every kind of signed message has its own tag (ranking, submission, sign-in, decline).
    expect(new Set(Object.values(DOMAIN)).size).toBe(Object.keys(DOMAIN).length);
  });

  it("is canonical JSON: sorted keys, no whitespace, shortest numbers", () => {
    const challenge: SignInChallenge = {
      role: "validator",
      nonce: "n-1",
      issued_at: 1700000000000,
      hotkey: "5Hk",
    };
    expect(signInPayload(challenge)).toBe(
      `${DOMAIN.signIn}:{"hotkey":"5Hk","issued_at":1700000000000,"nonce":"n-1","role":"validator"}`,
    );
    const withFloat = {
      ...rankingContent(),
      request_id: "00000000-0000-4000-8000-000000000000",
    };
    const hash = leadHash({ email: "a@b.io", business: "B" });
    withFloat.ranked_leads = [{ lead_hash: hash, score: 1.0, rank: 1 }];
    expect(rankingPayload(withFloat)).toContain(
      `"ranked_leads":[{"lead_hash":"${hash}","rank":1,"score":1}]`,
    );
  });

  it("does not depend on key insertion order at any depth", () => {
    for (const content of [rankingContent(), submissionContent()]) {
      const reversed = reverseKeys(content);
      const build = "miner_hotkey" in content ? submissionPayload : rankingPayload;
      expect(build(reversed as never)).toBe(build(content as never));
    }
    const a: SignInChallenge = { hotkey: "h", role: "miner", nonce: "x", issued_at: 1 };
    const b: SignInChallenge = { issued_at: 1, nonce: "x", role: "miner", hotkey: "h" };
    expect(signInPayload(a)).toBe(signInPayload(b));
  });

  it("differs when any value differs", () => {
    const content = rankingContent();
    const changed = structuredClone(content);
    changed.validator_uid = 2;
    expect(rankingPayload(changed)).not.toBe(rankingPayload(content));
  });

  it("refuses content that cannot be canonicalised", () => {
    expect(() => rankingPayload(undefined as unknown as RankingContent)).toThrow(
      /cannot be canonicalised/,
    );
  });
});
