// A node started on a btcli wallet (--wallet.name/.hotkey/.path over btwallet's keyfile) signs in
// as that hotkey and serves a request; an encrypted hotkey file is refused before any network call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mnemonicGenerate } from "@polkadot/util-crypto";
import { COLLECTIONS } from "consensus-core";
import {
  adminDb,
  clearFirestore,
  newApiKey,
  postLeads,
  seedRegistry,
  waitForFinal,
  scaled,
} from "../../../functions/test/support/emulator";
import { btwalletKeyfile, writeWalletHotkey } from "../support/btwallet";
import { killAll, startCli, startListening } from "../support/processes";

let wallets: string;
let mnemonic: string;
let hotkey: string;

beforeAll(async () => {
  wallets = mkdtempSync(join(tmpdir(), "bittensor-wallets-"));
  mnemonic = mnemonicGenerate(12);
  const keyfile = await btwalletKeyfile(mnemonic);
  hotkey = keyfile.ss58Address;
  writeWalletHotkey(wallets, "operator", "miner1", JSON.stringify(keyfile));
  // What btwallet writes for a password-protected hotkey: "$NACL" then the sealed box.
  writeWalletHotkey(wallets, "operator", "locked", "$NACL\u0013q\u0083\u00df ciphertext");
});
afterAll(() => rmSync(wallets, { recursive: true, force: true }));

beforeEach(async () => {
  await clearFirestore();
  await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: mnemonic, uid: 7, role: "miner" },
  ]);
});
afterEach(() => killAll());

const walletArgs = (name: string) => [
  "miner",
  "--emulator",
  "--wallet.name",
  "operator",
  "--wallet.hotkey",
  name,
  "--wallet.path",
  wallets,
];

test("a miner on a btcli wallet's hotkey signs in as it and its submission is accepted", async () => {
  await startListening(["validator", "//Alice"], ["validator", "//Bob"]);
  const miner = startCli("wallet miner", walletArgs("miner1"));
  await miner.waitFor(new RegExp(`signed in as miner hotkey=${hotkey}`), scaled(90_000));
  await miner.waitFor(/listening for requests/, scaled(90_000));
  expect(miner.output()).toContain(`key_from="wallet operator hotkey miner1 in ${wallets}"`);

  const res = await postLeads(await newApiKey(), {
    num_leads: 3,
    business_desc: "B2B SaaS companies selling software to sales teams in the US",
  });
  expect(res.status).toBe(202);
  const id = res.body.request_id as string;
  const final = await waitForFinal(id, scaled(40_000));
  expect(final.status).toBe("completed");
  const sub = await adminDb().collection(COLLECTIONS.submissions).doc(`${id}_${hotkey}`).get();
  expect(sub.data()?.verification.status).toBe("accepted");
  // The secret never reaches the log.
  expect(miner.output()).not.toContain(mnemonic);
});

test("an encrypted hotkey file is refused with what to do, and nothing else happens", async () => {
  const miner = startCli("locked miner", walletArgs("locked"));
  const { code } = await miner.exit;
  expect(code).toBe(2);
  expect(miner.output()).toMatch(/hotkey file .*operator\/hotkeys\/locked is encrypted \(NaCl\)/);
  expect(miner.output()).toMatch(/--mnemonic-env VAR/);
  expect(miner.output()).not.toMatch(/signed in|listening/);
});
