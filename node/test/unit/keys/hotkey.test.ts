import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mnemonicGenerate } from "@polkadot/util-crypto";
import {
  KeyError,
  checkKeyFilePermissions,
  keySourceKind,
  loadKeypair,
} from "../../../src/keys/hotkey";

const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "consensus-keys-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, content: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

async function keyError(p: Promise<unknown>): Promise<KeyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyError);
  return err as KeyError;
}

describe("loadKeypair", () => {
  it("loads a development secret URI as sr25519 with SS58 format 42", async () => {
    const pair = await loadKeypair({ uri: "//Alice" });
    expect(pair.address).toBe(ALICE);
    expect(pair.type).toBe("sr25519");
    expect((await loadKeypair({ uri: " //Bob " })).address).toBe(BOB);
  });

  it("loads a mnemonic (whitespace-normalised) to the same key as its secret URI", async () => {
    const mnemonic = mnemonicGenerate(12);
    const fromMnemonic = await loadKeypair({ mnemonic: `  ${mnemonic.split(" ").join("   ")}\n` });
    const fromUri = await loadKeypair({ uri: mnemonic });
    expect(fromMnemonic.address).toBe(fromUri.address);
    expect(fromMnemonic.address).toMatch(/^5/);
  });

  it("rejects an invalid mnemonic without echoing it", async () => {
    const phrase = "correct horse battery staple secret words that are not bip39 at all ok";
    const err = await keyError(loadKeypair({ mnemonic: phrase }));
    expect(err.message).toMatch(/not a valid BIP39 mnemonic/);
    expect(err.message).not.toContain("horse");
  });

  it("loads a key file holding a secret URI or a mnemonic", async () => {
    expect(
      (await loadKeypair({ keyFile: keyFile("uri.json", '{"secretUri": "//Alice"}') })).address,
    ).toBe(ALICE);
    const mnemonic = mnemonicGenerate(24);
    const file = keyFile("mnemonic.json", JSON.stringify({ mnemonic }));
    expect((await loadKeypair({ keyFile: file })).address).toBe(
      (await loadKeypair({ uri: mnemonic })).address,
    );
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o620])(
    "refuses a key file with mode %o, naming the fix",
    async (mode) => {
      const file = keyFile(`loose-${mode.toString(8)}.json`, '{"secretUri": "//Alice"}', mode);
      const err = await keyError(loadKeypair({ keyFile: file }));
      expect(err.message).toContain("accessible by group or others");
      expect(err.message).toContain(`mode ${mode.toString(8)}`);
      expect(err.message).toContain(`chmod 600 ${file}`);
    },
  );

  it("accepts an owner-only key file (0400)", async () => {
    const file = keyFile("readonly.json", '{"secretUri": "//Bob"}', 0o400);
    expect((await loadKeypair({ keyFile: file })).address).toBe(BOB);
  });

  it("reports a bad key file without its content", async () => {
    const secret = "//VerySecretSeedPhrase";
    const broken = keyFile("broken.json", `{"secretUri": "${secret}"`);
    const err1 = await keyError(loadKeypair({ keyFile: broken }));
    expect(err1.message).toMatch(/not valid JSON/);
    expect(err1.message).not.toContain("VerySecret");

    const both = keyFile("both.json", JSON.stringify({ secretUri: "//Alice", mnemonic: "x" }));
    expect((await keyError(loadKeypair({ keyFile: both }))).message).toMatch(/exactly one/);
    const neither = keyFile("neither.json", "{}");
    expect((await keyError(loadKeypair({ keyFile: neither }))).message).toMatch(/exactly one/);
    const extra = keyFile("extra.json", JSON.stringify({ secretUri: "//Alice", seed: secret }));
    const err2 = await keyError(loadKeypair({ keyFile: extra }));
    expect(err2.message).toMatch(/unknown field\(s\): seed/);
    expect(err2.message).not.toContain("VerySecret");
    const array = keyFile("array.json", "[]");
    expect((await keyError(loadKeypair({ keyFile: array }))).message).toMatch(/JSON object/);
    const missing = join(dir, "missing.json");
    expect((await keyError(loadKeypair({ keyFile: missing }))).message).toMatch(/ENOENT/);
  });

  it("needs exactly one source", async () => {
    expect((await keyError(loadKeypair({}))).message).toMatch(/no hotkey given/);
    expect((await keyError(loadKeypair({ uri: "  " }))).message).toMatch(/no hotkey given/);
    expect((await keyError(loadKeypair({ uri: "//Alice", keyFile: "/x" }))).message).toMatch(
      /exactly one hotkey source, got uri and key-file/,
    );
    expect(keySourceKind({ mnemonic: "a b c" })).toBe("mnemonic");
  });

  it("checkKeyFilePermissions looks at the group and other bits only", () => {
    expect(() => checkKeyFilePermissions("f", 0o100600)).not.toThrow();
    expect(() => checkKeyFilePermissions("f", 0o100700)).not.toThrow();
    expect(() => checkKeyFilePermissions("f", 0o100601)).toThrow(KeyError);
    expect(() => checkKeyFilePermissions("f", 0o100610)).toThrow(KeyError);
  });
});

test("an invalid secret URI is reported without echoing it", async () => {
  const err = await loadKeypair({ uri: "hunter2 is my password" }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(KeyError);
  expect((err as Error).message).toMatch(/not a valid secret URI/);
  expect((err as Error).message).not.toContain("hunter2");
});

test("accepts the secret URI forms operators mean: //Name, mnemonic//path, 0x seed", async () => {
  const mnemonic = mnemonicGenerate(12);
  const derived = await loadKeypair({ uri: `${mnemonic}//hot/1` });
  expect(derived.address).not.toBe((await loadKeypair({ uri: mnemonic })).address);
  const seed = "0x" + "11".repeat(32);
  expect((await loadKeypair({ uri: seed })).address).toMatch(/^5/);
  expect((await loadKeypair({ uri: "//Alice//stash" })).address).toBe(
    "5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY",
  );
  await expect(loadKeypair({ uri: "0x1234" })).rejects.toBeInstanceOf(KeyError);
});
