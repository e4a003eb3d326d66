import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import {
  SignInRequestSchema,
  signInPayload,
  verifyHotkeySignature,
  type SignInChallenge,
} from "consensus-core";
import {
  buildChallenge,
  newNonce,
  requestCustomToken,
  signChallenge,
} from "../../../src/runtime/session";
import { AuthenticationError, PermissionDeniedError } from "consensus-client";

let keyring: Keyring;
beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
});

const challengeOf = ({ signature: _s, ...c }: { signature: string } & SignInChallenge) => c;

describe("sign-in challenge", () => {
  it("uses a fresh 24-byte base64url nonce the schema accepts", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("is signed so that the core's verifyHotkeySignature accepts it", () => {
    const alice = keyring.addFromUri("//Alice");
    const before = Date.now();
    const body = signChallenge(alice, buildChallenge(alice.address, "validator"));
    expect(SignInRequestSchema.parse(body)).toEqual(body);
    expect(body.issued_at).toBeGreaterThanOrEqual(before);
    expect(body.issued_at).toBeLessThanOrEqual(Date.now());
    expect(body.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(
      verifyHotkeySignature(signInPayload(challengeOf(body)), body.signature, alice.address),
    ).toBe(true);
  });

  it("does not verify for another hotkey, role, nonce or time", () => {
    const alice = keyring.addFromUri("//Alice");
    const bob = keyring.addFromUri("//Bob");
    const challenge = buildChallenge(alice.address, "validator", 1_700_000_000_000, newNonce());
    const body = signChallenge(alice, challenge);
    const check = (c: SignInChallenge, hotkey = alice.address) =>
      verifyHotkeySignature(signInPayload(c), body.signature, hotkey);
    expect(check(challenge)).toBe(true);
    expect(check(challenge, bob.address)).toBe(false);
    expect(check({ ...challenge, role: "miner" })).toBe(false);
    expect(check({ ...challenge, nonce: newNonce() })).toBe(false);
    expect(check({ ...challenge, issued_at: challenge.issued_at + 1 })).toBe(false);
    // Bob signing a challenge that names Alice's hotkey is not Alice's signature.
    const forged = signChallenge(bob, challenge);
    expect(verifyHotkeySignature(signInPayload(challenge), forged.signature, alice.address)).toBe(
      false,
    );
  });
});

describe("requestCustomToken", () => {
  const reply =
    (status: number, body: unknown, seen?: { url?: string; body?: any }) =>
    async (url: string | URL | Request, init?: RequestInit) => {
      if (seen) {
        seen.url = String(url);
        seen.body = JSON.parse(String(init?.body));
      }
      return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
    };

  it("posts a signed challenge to {api}/auth/sign-in and returns the token", async () => {
    const alice = keyring.addFromUri("//Alice");
    const seen: { url?: string; body?: any } = {};
    const fetchImpl = reply(
      200,
      { token: "tok", hotkey: alice.address, role: "validator" },
      seen,
    ) as typeof fetch;
    const res = await requestCustomToken(alice, "validator", "http://api.test/base/", fetchImpl);
    expect(res).toEqual({ token: "tok", hotkey: alice.address, role: "validator" });
    expect(seen.url).toBe("http://api.test/base/auth/sign-in");
    expect(SignInRequestSchema.parse(seen.body).hotkey).toBe(alice.address);
  });

  it.each([
    [401, "bad_signature", "signature does not verify for this hotkey", AuthenticationError],
    [
      403,
      "role_not_allowed",
      "hotkey is registered as miner, not validator",
      PermissionDeniedError,
    ],
  ])(
    "turns HTTP %i into an ApiError subclass naming the server's code and message",
    async (status, code, message, Class) => {
      const alice = keyring.addFromUri("//Alice");
      const fetchImpl = reply(status, { error: { code, message, details: null } }) as typeof fetch;
      const err = await requestCustomToken(alice, "validator", "http://api.test", fetchImpl).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Class);
      expect(err).toMatchObject({ status, code });
      expect((err as Error).message).toBe(
        `sign-in refused for ${alice.address} as validator: HTTP ${status} ${code}: ${message}`,
      );
    },
  );

  it("reports an unreachable API and a non-JSON answer", async () => {
    const alice = keyring.addFromUri("//Alice");
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    await expect(requestCustomToken(alice, "miner", "http://api.test", down)).rejects.toMatchObject(
      { status: 0, code: "unreachable" },
    );
    const html = reply(502, "<html>Bad gateway</html>") as typeof fetch;
    await expect(requestCustomToken(alice, "miner", "http://api.test", html)).rejects.toMatchObject(
      { status: 502, code: "http_502" },
    );
    const wrong = reply(200, { token: "t", hotkey: "someone-else", role: "miner" }) as typeof fetch;
    await expect(
      requestCustomToken(alice, "miner", "http://api.test", wrong),
    ).rejects.toMatchObject({ code: "bad_response" });
  });
});
