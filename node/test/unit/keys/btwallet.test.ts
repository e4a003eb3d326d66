import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { hexToU8a, u8aToHex } from "@polkadot/util";
import { cryptoWaitReady, encodeAddress, mnemonicGenerate } from "@polkadot/util-crypto";
import { keyfileEncryption, pairFromBtwallet, walletHotkeyFile } from "../../../src/keys/btwallet";
import { KeyError, loadKeypair } from "../../../src/keys/hotkey";
import { btwalletKeyfile, writeWalletHotkey } from "../../support/btwallet";

let dir: string;
const keyring = () => new Keyring({ type: "sr25519", ss58Format: 42 });
beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), "consensus-wallets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyError);
  return (err as Error).message;
}

const secrets = (k: Record<string, string>) => [
  k.secretPhrase,
  k.secretSeed.slice(2, 20),
  k.privateKey.slice(2, 20),
];

describe("btwallet keyfiles", () => {
  it("finds the hotkey where btcli keeps it, ~ expanded", () => {
    expect(
      walletHotkeyFile({ name: "w", hotkey: "h", path: "~/.bittensor/wallets" }, "/home/u"),
    ).toBe("/home/u/.bittensor/wallets/w/hotkeys/h");
    expect(walletHotkeyFile({ name: "w", hotkey: "h", path: "/srv/wallets/" })).toBe(
      "/srv/wallets/w/hotkeys/h",
    );
  });

  it("reads privateKey as schnorrkel's secret key (btwallet's own test vector)", () => {
    // From opentensor/btwallet tests/test_keyfile.py: this privateKey has this public key. Read
    // as polkadot's ed25519-form secret instead, it would sign for another key and be refused.
    const publicKey = "0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446";
    const data = {
      privateKey:
        "0x1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e",
      ss58Address: encodeAddress(hexToU8a(publicKey), 42),
    };
    expect(u8aToHex(pairFromBtwallet(data, "f", keyring()).publicKey)).toBe(publicKey);
  });

  it("uses secretPhrase, else secretSeed, else privateKey; each gives the file's address", async () => {
    const k = await btwalletKeyfile(mnemonicGenerate(12));
    const { secretPhrase, secretSeed, ...rest } = k;
    for (const data of [
      k,
      { ...rest, secretSeed },
      rest,
      { privateKey: k.privateKey, ss58Address: k.ss58Address },
    ]) {
      expect(pairFromBtwallet(data, "f", keyring()).address).toBe(k.ss58Address);
    }
    expect(secretPhrase).toBeTruthy();
  });

  it("loads a wallet's hotkey, and the same file through --key-file", async () => {
    const k = await btwalletKeyfile(mnemonicGenerate(12));
    const file = writeWalletHotkey(dir, "op", "miner1", JSON.stringify(k));
    const pair = await loadKeypair({ wallet: { name: "op", hotkey: "miner1", path: dir } });
    expect(pair.address).toBe(k.ss58Address);
    expect((await loadKeypair({ keyFile: file })).address).toBe(k.ss58Address);
  });

  it("refuses a secret that does not give the file's ss58Address, naming no secret", async () => {
    const k = await btwalletKeyfile(mnemonicGenerate(12));
    const other = await btwalletKeyfile(mnemonicGenerate(12));
    for (const [i, data] of [
      { ...k, ss58Address: other.ss58Address },
      { secretSeed: k.secretSeed, ss58Address: other.ss58Address },
      { privateKey: k.privateKey, ss58Address: other.ss58Address },
    ].entries()) {
      writeWalletHotkey(dir, "bad", `h${i}`, JSON.stringify(data));
      const message = await refusal(
        loadKeypair({ wallet: { name: "bad", hotkey: `h${i}`, path: dir } }),
      );
      expect(message).toMatch(/refusing to sign with it/);
      for (const s of secrets(k)) expect(message).not.toContain(s);
    }
  });

  it("refuses encrypted keyfiles with what to do instead", async () => {
    for (const [i, text] of [
      "$NACLabc\x00\x01",
      "$ANSIBLE_VAULT;1.1;AES256\n6162",
      "gAAAAABk-x",
    ].entries()) {
      writeWalletHotkey(dir, "enc", `h${i}`, text);
      const message = await refusal(
        loadKeypair({ wallet: { name: "enc", hotkey: `h${i}`, path: dir } }),
      );
      expect(message).toMatch(/is encrypted \((NaCl|ansible-vault|legacy \(Fernet\))\)/);
      expect(message).toMatch(/--mnemonic-env/);
      expect(message).toMatch(/btcli wallet regen-hotkey/);
    }
    expect(keyfileEncryption('{"ss58Address": "5x"}')).toBeUndefined();
  });

  it("keeps the owner-only permission check, and names a missing hotkey's path", async () => {
    const k = await btwalletKeyfile(mnemonicGenerate(12));
    writeWalletHotkey(dir, "loose", "h", JSON.stringify(k), 0o644);
    expect(
      await refusal(loadKeypair({ wallet: { name: "loose", hotkey: "h", path: dir } })),
    ).toMatch(/accessible by group or others \(mode 644\); restrict it with: chmod 600/);
    expect(
      await refusal(loadKeypair({ wallet: { name: "none", hotkey: "h", path: dir } })),
    ).toMatch(/no hotkey "h" in wallet "none" .*looked for .*none\/hotkeys\/h/);
  });

  it("refuses a public-only file, bad hex and a missing address, without values", async () => {
    const k = await btwalletKeyfile(mnemonicGenerate(12));
    expect(() =>
      pairFromBtwallet({ publicKey: k.publicKey, ss58Address: k.ss58Address }, "f", keyring()),
    ).toThrow(/holds no secret/);
    expect(() =>
      pairFromBtwallet({ secretSeed: "0xzz", ss58Address: k.ss58Address }, "f", keyring()),
    ).toThrow(/secretSeed must be 0x and 64 or 128 hex digits/);
    expect(() => pairFromBtwallet({ secretPhrase: k.secretPhrase }, "f", keyring())).toThrow(
      /no ss58Address/,
    );
    expect(() =>
      pairFromBtwallet({ secretPhrase: 7, ss58Address: k.ss58Address }, "f", keyring()),
    ).toThrow(/field "secretPhrase" must be a string/);
  });
});
