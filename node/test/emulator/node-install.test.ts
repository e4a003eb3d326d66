// A validator run from the node-only install (the packed consensus-node, installed alone with
// --omit=dev; see test/package/node-package.test.ts) serves a round on the emulators beside nodes
// run from the repository: what an operator installs is what signs.
import { realpathSync, rmSync } from "node:fs";
import { dirname } from "node:path";
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
import { describeInstall, packAndInstall, type NodeInstall } from "../support/node-install";
import { killAll, startCli, startListening } from "../support/processes";

let install: NodeInstall;

beforeAll(() => {
  install = packAndInstall();
  console.log(describeInstall(install));
}, scaled(600_000));

afterAll(() => {
  if (install) rmSync(dirname(install.dir), { recursive: true, force: true });
});

afterEach(() => killAll());

test("a validator from the node-only install ranks a request to completion", async () => {
  await clearFirestore();
  const [alice] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  // The installed package's own entry point (.bin/consensus-node links to it), not node/lib.
  const cli = realpathSync(install.bin);
  expect(cli.startsWith(install.dir)).toBe(true);
  const installed = startCli(
    "installed validator",
    ["validator", "--uri", "//Alice", "--emulator"],
    {},
    cli,
  );
  await installed.waitFor(/listening for requests/, scaled(90_000));
  await startListening(["validator", "//Bob"], ["miner", "//Ferdie"]);

  const res = await postLeads(await newApiKey(), {
    num_leads: 3,
    business_desc: "B2B SaaS companies selling software to sales teams in the US",
  });
  expect(res.status).toBe(202);
  const id = res.body.request_id as string;
  const final = await waitForFinal(id, scaled(40_000));
  expect(final.status).toBe("completed");
  expect(final.result.participants).toContain(alice.address);
  const ranking = await adminDb()
    .collection(COLLECTIONS.rankings)
    .doc(`${id}_${alice.address}`)
    .get();
  expect(ranking.data()?.verification.status).toBe("accepted");
});
