// The backend's verdict on signed content over a byte limit: refused with a reason that says so.
import { randomUUID } from "crypto";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import { submissionDocId } from "../../src/ids";
import { LIMITS, canonicalBytes, type SubmissionContent } from "../../src/schemas";
import { cryptoReady, submissionPayload } from "../../src/signing";
import { verifySignedSubmission } from "../../src/verify";
import { leadOfBytes } from "./helpers";

let ferdie: KeyringPair;
beforeAll(async () => {
  await cryptoReady();
  ferdie = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Ferdie");
});

/** A submission whose signed content is exactly `bytes` long, its leads in three-byte text. */
function submissionOfBytes(bytes: number, n = 70): SubmissionContent {
  const request_id = randomUUID();
  const emails = Array.from({ length: n }, (_, i) => `l${i}@acme.io`);
  const build = (sizes: (i: number) => number): SubmissionContent => ({
    request_id,
    miner_hotkey: ferdie.address,
    miner_uid: 10,
    leads: emails.map((e, i) => leadOfBytes(e, sizes(i))),
    num_leads: n,
  });
  const total = bytes - (canonicalBytes(build(() => 200)) - 200 * n);
  const q = Math.floor(total / n);
  const content = build((i) => q + (i < total % n ? 1 : 0));
  expect(canonicalBytes(content)).toBe(bytes);
  return content;
}

const signed = (c: SubmissionContent) => ({
  ...c,
  signature: u8aToHex(ferdie.sign(submissionPayload(c))),
});

describe("verifySignedSubmission and the byte limits", () => {
  it("accepts a signed submission at 256 KiB", () => {
    const c = submissionOfBytes(LIMITS.submissionBytesMax);
    const verdict = verifySignedSubmission(
      submissionDocId(c.request_id, c.miner_hotkey),
      signed(c),
    );
    expect(verdict.ok).toBe(true);
  });

  it("refuses one byte over with content_too_large, naming the size and the limit", () => {
    const c = submissionOfBytes(LIMITS.submissionBytesMax + 1);
    const verdict = verifySignedSubmission(
      submissionDocId(c.request_id, c.miner_hotkey),
      signed(c),
    );
    expect(verdict).toEqual({
      ok: false,
      reason: `content_too_large: the signed submission is 262145 bytes of canonical JSON (UTF-8), over the limit of 262144`,
    });
  });

  it("refuses a lead over 4 KiB, naming it", () => {
    const c: SubmissionContent = {
      ...submissionOfBytes(10_000, 3),
      leads: [leadOfBytes("a@acme.io", 4_097)],
      num_leads: 1,
    };
    const verdict = verifySignedSubmission(
      submissionDocId(c.request_id, c.miner_hotkey),
      signed(c),
    );
    expect(verdict).toEqual({
      ok: false,
      reason:
        "content_too_large: leads.0: the lead is 4097 bytes of canonical JSON (UTF-8), over the limit of 4096",
    });
  });
});
