// btwallet keyfiles for tests, written the way btwallet writes them: the fields and JSON shape of
// opentensor/btwallet's serialized_keypair_to_keyfile_data, mode 600, at
// <path>/<name>/hotkeys/<hotkey>.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { u8aToHex } from "@polkadot/util";
import {
  cryptoWaitReady,
  encodeAddress,
  mnemonicToMiniSecret,
  sr25519PairFromSeed,
} from "@polkadot/util-crypto";

/** polkadot's ed25519-form secret (scalar x 8) back to schnorrkel's to_bytes() form (scalar). */
function toSchnorrkel(secret: Uint8Array): Uint8Array {
  const out = Uint8Array.from(secret);
  for (let i = 0; i < 32; i++) {
    out[i] = ((secret[i] >> 3) | (i < 31 ? secret[i + 1] << 5 : 0)) & 0xff;
  }
  return out;
}

/** Every field btwallet writes for a hotkey made from `mnemonic`. */
export async function btwalletKeyfile(mnemonic: string): Promise<Record<string, string>> {
  await cryptoWaitReady();
  const seed = mnemonicToMiniSecret(mnemonic);
  const { publicKey, secretKey } = sr25519PairFromSeed(seed);
  return {
    accountId: u8aToHex(publicKey),
    publicKey: u8aToHex(publicKey),
    privateKey: u8aToHex(toSchnorrkel(secretKey)),
    secretPhrase: mnemonic,
    secretSeed: u8aToHex(seed),
    ss58Address: encodeAddress(publicKey, 42),
  };
}

/** Writes `content` as btwallet would: <path>/<name>/hotkeys/<hotkey>, mode 600. */
export function writeWalletHotkey(
  walletPath: string,
  name: string,
  hotkey: string,
  content: string,
  mode = 0o600,
): string {
  const dir = join(walletPath, name, "hotkeys");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, hotkey);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}
