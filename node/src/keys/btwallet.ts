// Hotkeys as btcli keeps them: btwallet's JSON keyfile at <path>/<wallet>/hotkeys/<hotkey>, so an
// operator's existing Bittensor wallet signs for the node as is. btwallet writes the fields
// accountId, publicKey, privateKey, secretPhrase, secretSeed and ss58Address, and reads the secret
// from the first of secretPhrase, secretSeed, privateKey that is present; so does this file. The
// key it yields must have the file's ss58Address, or nothing is signed with it. Messages name the
// file and the field, never a field's value.
import { homedir } from "node:os";
import * as path from "node:path";
import type { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aEq } from "@polkadot/util";
import { decodeAddress, mnemonicValidate, signatureVerify } from "@polkadot/util-crypto";
import { z } from "zod";

export interface WalletOptions {
  /** The wallet (coldkey) folder name: btcli's --wallet.name. */
  name: string;
  /** The hotkey file name inside its hotkeys/ folder: btcli's --wallet.hotkey. */
  hotkey: string;
  /** The folder holding the wallets, `~` expanded: btcli's --wallet.path. */
  path: string;
}

/** btwallet's defaults (and btcli's): ~/.bittensor/wallets/default/hotkeys/default. */
export const WALLET_DEFAULTS: WalletOptions = {
  name: "default",
  hotkey: "default",
  path: "~/.bittensor/wallets",
};

/** Where btwallet keeps the hotkey: `<path>/<name>/hotkeys/<hotkey>`, a leading `~` expanded. */
export function walletHotkeyFile(wallet: WalletOptions, home: string = homedir()): string {
  const base =
    wallet.path === "~" || wallet.path.startsWith("~/")
      ? path.join(home, wallet.path.slice(1))
      : wallet.path;
  return path.resolve(base, wallet.name, "hotkeys", wallet.hotkey);
}

/** The prefixes btwallet's encrypted keyfiles start with, by encryption. */
const ENCRYPTED_PREFIXES: [prefix: string, kind: string][] = [
  ["$NACL", "NaCl"],
  ["$ANSIBLE_VAULT", "ansible-vault"],
  ["gAAAAA", "legacy (Fernet)"],
];

/** The encryption of btwallet keyfile text, or undefined when it is plain. */
export function keyfileEncryption(text: string): string | undefined {
  const start = text.trimStart();
  return ENCRYPTED_PREFIXES.find(([prefix]) => start.startsWith(prefix))?.[1];
}

export function encryptedKeyfileMessage(file: string, kind: string): string {
  return (
    `hotkey file ${file} is encrypted (${kind}); a node runs unattended and does not ask for ` +
    `passwords. Use an unencrypted hotkey (btcli writes hotkeys unencrypted unless told ` +
    `--use-password; recreate it with \`btcli wallet regen-hotkey\`), or pass its mnemonic with ` +
    `--mnemonic-env VAR`
  );
}

/** The fields btwallet writes; JSON null is how it stores an absent one. */
const FIELDS = [
  "accountId",
  "publicKey",
  "privateKey",
  "secretPhrase",
  "secretSeed",
  "ss58Address",
] as const;

const field = z.string().nullish();
const KeyfileSchema = z.object({
  accountId: field,
  publicKey: field,
  privateKey: field,
  secretPhrase: field,
  secretSeed: field,
  ss58Address: field,
});

/** Whether a parsed key file is btwallet's format rather than this project's own. */
export function looksLikeBtwallet(record: Record<string, unknown>): boolean {
  return FIELDS.some((f) => f in record);
}

const HEX = /^0x[0-9a-fA-F]*$/;

function hexBytes(value: string, lengths: number[], what: string): Uint8Array {
  const v = value.trim();
  if (!HEX.test(v) || !lengths.includes((v.length - 2) / 2)) {
    throw new Error(`${what} must be 0x and ${lengths.map((l) => l * 2).join(" or ")} hex digits`);
  }
  return Uint8Array.from(Buffer.from(v.slice(2), "hex"));
}

/**
 * btwallet's privateKey is schnorrkel's SecretKey::to_bytes(): the secret scalar as is, then the
 * 32-byte nonce. The polkadot libraries keep the scalar multiplied by the cofactor 8 (the
 * "ed25519" form, as in schnorrkel's to_ed25519_bytes), so the scalar is shifted left 3 bits,
 * little-endian; a canonical scalar is below 2^253, so nothing is lost.
 */
export function schnorrkelToEd25519Secret(secret: Uint8Array): Uint8Array {
  if (secret.length !== 64) throw new Error("a schnorrkel secret key is 64 bytes");
  const out = Uint8Array.from(secret);
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const byte = secret[i];
    out[i] = ((byte << 3) | carry) & 0xff;
    carry = byte >> 5;
  }
  return out;
}

/**
 * The hotkey pair from btwallet keyfile data. Refuses a file whose secret does not yield its
 * ss58Address: signing with another key would only be refused by the backend later, confusingly.
 */
export function pairFromBtwallet(data: unknown, file: string, keyring: Keyring): KeyringPair {
  const what = `hotkey file ${file}`;
  const parsed = KeyfileSchema.safeParse(data);
  if (!parsed.success) {
    const bad = parsed.error.issues[0]?.path.join(".") || "(file)";
    throw new Error(`${what}: field "${bad}" must be a string`);
  }
  const k = parsed.data;
  if (!k.ss58Address) {
    throw new Error(`${what} has no ss58Address to check its key against`);
  }
  let expected: Uint8Array;
  try {
    expected = decodeAddress(k.ss58Address);
  } catch {
    throw new Error(`${what}: ss58Address is not a valid SS58 address`);
  }

  let pair: KeyringPair;
  let used: string;
  if (k.secretPhrase) {
    used = "secretPhrase";
    const phrase = k.secretPhrase.trim().split(/\s+/).join(" ");
    if (!mnemonicValidate(phrase)) throw new Error(`${what}: secretPhrase is not a valid mnemonic`);
    pair = keyring.addFromMnemonic(phrase);
  } else if (k.secretSeed) {
    used = "secretSeed";
    // btwallet accepts a 32-byte mini secret (what it writes) or a 64-byte secret key.
    const seed = hexBytes(k.secretSeed, [32, 64], `${what}: secretSeed`);
    pair =
      seed.length === 32
        ? keyring.addFromSeed(seed)
        : fromSecretKey(keyring, seed, expected, `${what}: secretSeed`);
  } else if (k.privateKey) {
    used = "privateKey";
    const secret = hexBytes(k.privateKey, [64], `${what}: privateKey`);
    pair = fromSecretKey(keyring, secret, expected, `${what}: privateKey`);
  } else {
    throw new Error(
      `${what} holds no secret (secretPhrase, secretSeed or privateKey): it is a public key only`,
    );
  }
  if (!u8aEq(pair.publicKey, expected)) {
    throw new Error(
      `${what}: its ${used} yields ${keyring.encodeAddress(pair.publicKey)}, not the file's ` +
        `ss58Address ${k.ss58Address}; refusing to sign with it`,
    );
  }
  return pair;
}

/**
 * A pair from a 64-byte schnorrkel secret key. The libraries here derive no public key from a
 * secret key, so the claimed one is used and proven: a signature made with the secret must verify
 * against it, or the secret is not that key's.
 */
function fromSecretKey(
  keyring: Keyring,
  schnorrkel: Uint8Array,
  publicKey: Uint8Array,
  what: string,
): KeyringPair {
  const pair = keyring.addFromPair({
    publicKey,
    secretKey: schnorrkelToEd25519Secret(schnorrkel),
  });
  const probe = new TextEncoder().encode("consensus-node key check");
  if (!signatureVerify(probe, pair.sign(probe), publicKey).isValid) {
    throw new Error(`${what} does not belong to the file's ss58Address; refusing to sign with it`);
  }
  return pair;
}
