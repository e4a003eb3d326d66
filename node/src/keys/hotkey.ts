// Loading the node's sr25519 hotkey from exactly one source: a secret URI (`//Alice` for
// development), a BIP39 mnemonic, a key file, or a btcli wallet's hotkey. Error messages name the
// source, never its content: a secret must not end up in a log, a terminal scrollback or a bug
// report.
import { readFileSync, statSync } from "node:fs";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { isHex } from "@polkadot/util";
import { cryptoWaitReady, keyExtractSuri, mnemonicValidate } from "@polkadot/util-crypto";
import { SS58_FORMAT } from "consensus-core";
import {
  encryptedKeyfileMessage,
  keyfileEncryption,
  looksLikeBtwallet,
  pairFromBtwallet,
  walletHotkeyFile,
  type WalletOptions,
} from "./btwallet";

export interface KeySourceOptions {
  /** A secret URI: `//Alice`, `<mnemonic>//hard/soft`, `0x<seed>`... */
  uri?: string;
  /** A bare BIP39 mnemonic (12-24 words). */
  mnemonic?: string;
  /**
   * A JSON file `{"secretUri": "..."}` or `{"mnemonic": "..."}`, or a btwallet hotkey file,
   * readable by its owner only.
   */
  keyFile?: string;
  /** A btcli wallet's hotkey: btwallet's keyfile at `<path>/<name>/hotkeys/<hotkey>`. */
  wallet?: WalletOptions;
}

export type KeySourceKind = "uri" | "mnemonic" | "key-file" | "wallet";

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyError";
  }
}

const sr25519Keyring = () => new Keyring({ type: "sr25519", ss58Format: SS58_FORMAT });

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== "";

/** Which source the options name; throws unless exactly one is given. */
export function keySourceKind(options: KeySourceOptions): KeySourceKind {
  const given: KeySourceKind[] = [];
  if (present(options.uri)) given.push("uri");
  if (present(options.mnemonic)) given.push("mnemonic");
  if (present(options.keyFile)) given.push("key-file");
  if (options.wallet) given.push("wallet");
  if (given.length === 0) {
    throw new KeyError("no hotkey given: use a secret URI, a mnemonic, a key file or a wallet");
  }
  if (given.length > 1) {
    throw new KeyError(`give exactly one hotkey source, got ${given.join(" and ")}`);
  }
  return given[0];
}

/**
 * The keyring would also take any phrase of up to 32 characters as a space-padded raw seed, so a
 * typo or a password pasted by mistake silently becomes some other key. Only the forms operators
 * mean are accepted: `//Name` (the dev phrase), a BIP39 mnemonic or a 0x 32-byte seed, each with
 * an optional derivation path.
 */
function phraseIsKey(uri: string): boolean {
  if (uri.startsWith("//")) return true;
  let phrase: string;
  try {
    phrase = keyExtractSuri(uri).phrase;
  } catch {
    return false;
  }
  return isHex(phrase, 256) || mnemonicValidate(phrase);
}

function fromUri(uri: string, what: string): KeyringPair {
  const keyring = sr25519Keyring();
  try {
    if (!phraseIsKey(uri.trim())) throw new Error();
    return keyring.addFromUri(uri.trim());
  } catch {
    // The library's message can quote the phrase; ours does not.
    throw new KeyError(
      `${what} is not a valid secret URI (expected //Name, a mnemonic with an optional ` +
        `derivation path, or a 0x-prefixed 32-byte seed)`,
    );
  }
}

function fromMnemonic(mnemonic: string, what: string): KeyringPair {
  const phrase = mnemonic.trim().split(/\s+/).join(" ");
  if (!mnemonicValidate(phrase)) {
    throw new KeyError(`${what} is not a valid BIP39 mnemonic`);
  }
  return fromUri(phrase, what);
}

/**
 * Refuses a key file that anyone but its owner can read or write (like ssh does with private
 * keys). Windows has no POSIX mode bits, so the check is skipped there.
 */
export function checkKeyFilePermissions(file: string, mode: number): void {
  if (process.platform === "win32") return;
  const loose = mode & 0o077;
  if (loose !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    throw new KeyError(
      `key file ${file} is accessible by group or others (mode ${octal}); ` +
        `restrict it with: chmod 600 ${file}`,
    );
  }
}

/** The text of a secret file, once it is known to be a regular file only its owner can access. */
function readSecretFile(file: string): string {
  let mode: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new KeyError(`key file ${file} is not a regular file`);
    mode = stat.mode;
  } catch (err) {
    if (err instanceof KeyError) throw err;
    throw new KeyError(`cannot read key file ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  checkKeyFilePermissions(file, mode);
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new KeyError(`cannot read key file ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

/** A key file's JSON object; btwallet's encrypted keyfiles are recognised and refused. */
function readKeyObject(file: string): Record<string, unknown> {
  const text = readSecretFile(file);
  const encryption = keyfileEncryption(text);
  if (encryption) throw new KeyError(encryptedKeyfileMessage(file, encryption));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be the secret itself.
    throw new KeyError(`key file ${file} is not valid JSON`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new KeyError(`key file ${file} must hold a JSON object`);
  }
  return data as Record<string, unknown>;
}

function fromBtwallet(file: string, record: Record<string, unknown>): KeyringPair {
  try {
    return pairFromBtwallet(record, file, sr25519Keyring());
  } catch (err) {
    // pairFromBtwallet's messages name fields, never values; a library's would not promise that.
    throw new KeyError((err as Error).message);
  }
}

/** A btcli wallet's hotkey; a missing file names the path it looked at. */
function fromWallet(wallet: WalletOptions): KeyringPair {
  const file = walletHotkeyFile(wallet);
  let record: Record<string, unknown>;
  try {
    record = readKeyObject(file);
  } catch (err) {
    if (err instanceof KeyError && /: ENOENT$/.test(err.message)) {
      throw new KeyError(
        `no hotkey "${wallet.hotkey}" in wallet "${wallet.name}" under ${wallet.path} ` +
          `(looked for ${file}); create one with \`btcli wallet new-hotkey\` or pick another ` +
          `with --wallet.name, --wallet.hotkey, --wallet.path`,
      );
    }
    throw err;
  }
  return fromBtwallet(file, record);
}

function fromKeyFile(file: string): KeyringPair {
  const record = readKeyObject(file);
  if (looksLikeBtwallet(record)) return fromBtwallet(file, record);
  const unknown = Object.keys(record).filter((k) => k !== "secretUri" && k !== "mnemonic");
  if (unknown.length > 0) {
    throw new KeyError(`key file ${file} has unknown field(s): ${unknown.join(", ")}`);
  }
  const { secretUri, mnemonic } = record;
  if (secretUri !== undefined && typeof secretUri !== "string") {
    throw new KeyError(`key file ${file}: "secretUri" must be a string`);
  }
  if (mnemonic !== undefined && typeof mnemonic !== "string") {
    throw new KeyError(`key file ${file}: "mnemonic" must be a string`);
  }
  if (present(secretUri) === present(mnemonic)) {
    throw new KeyError(`key file ${file} must hold exactly one of "secretUri" or "mnemonic"`);
  }
  return present(secretUri)
    ? fromUri(secretUri, `key file ${file}: "secretUri"`)
    : fromMnemonic(mnemonic as string, `key file ${file}: "mnemonic"`);
}

/** Loads the sr25519 key pair (SS58 format 42) from exactly one of the sources. */
export async function loadKeypair(options: KeySourceOptions): Promise<KeyringPair> {
  const kind = keySourceKind(options);
  await cryptoWaitReady();
  switch (kind) {
    case "uri":
      return fromUri(options.uri as string, "the given key");
    case "mnemonic":
      return fromMnemonic(options.mnemonic as string, "the mnemonic");
    case "key-file":
      return fromKeyFile(options.keyFile as string);
    case "wallet":
      return fromWallet(options.wallet as WalletOptions);
  }
}

/**
 * For a command: the key pair, or null once the reason it could not be loaded is on stderr (a
 * usage problem: the caller exits 2). Anything else still throws.
 */
export async function loadKeypairForCommand(
  options: KeySourceOptions,
  stderr: Pick<NodeJS.WriteStream, "write"> = process.stderr,
): Promise<KeyringPair | null> {
  try {
    return await loadKeypair(options);
  } catch (err) {
    if (!(err instanceof KeyError)) throw err;
    stderr.write(`consensus-node: ${err.message}\n`);
    return null;
  }
}
