/// <reference lib="dom" />
// Agreement in the console: three real validators, one of which (Charlie) scores against the
// consensus. It runs the validator's supported LLM ranking (LLM_BASE_URL / LLM_MODEL) pointed at an
// OpenAI-compatible stand-in served by this test that scores every lead 1.0 whatever it is, while
// the honest two rank with the built-in heuristic. No node code is changed for the test. After a
// few requests the nodes table shows Charlie agreeing less with the consensus than the honest two,
// with the figures the backend recorded (validator_agreement).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { AgreementLedgerSchema, agreementRecordFromLedger } from "consensus-core";
import {
  adminDb,
  clearFirestore,
  newApiKey,
  seedRegistry,
} from "../../../functions/test/support/emulator";
import { killAll, sendRequestCommand, startNode } from "../../../node/test/support/processes";
import { createOperator, launch, screenshot, signIn, type Browser } from "./support";

jest.setTimeout(240_000);

const OPERATOR = { email: "agreement-operator@example.com", password: "operator-pass-2" };
const DESC = "B2B SaaS companies selling software to sales teams in the US";
const ROUNDS = 3;

let browser: Browser;
let page: Page;
let key: string;
let llm: Server;
let hotkeys: string[];

/** Answers every chat completion with score 1 for each lead index the ranker could send. */
function inflatingModel(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const scores = Array.from({ length: 200 }, (_, index) => ({ index, score: 1 }));
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify(scores) } }] }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  await clearFirestore();
  key = await newApiKey("agreement-test");
  const pairs = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.3 },
    { uri: "//Charlie", uid: 2, trust: 0.2 },
    { uri: "//Dave", uid: 10, role: "miner" },
    { uri: "//Ferdie", uid: 11, role: "miner" },
  ]);
  hotkeys = pairs.slice(0, 3).map((p) => p.address);
  await createOperator(OPERATOR.email, OPERATOR.password);
  llm = await inflatingModel();
  const base = `http://127.0.0.1:${(llm.address() as AddressInfo).port}`;
  const hb = ["--heartbeat-ms", "5000"];
  const nodes = [
    startNode("validator", "//Alice", hb),
    startNode("validator", "//Bob", hb),
    startNode("validator", "//Charlie", hb, {
      LLM_BASE_URL: base,
      LLM_MODEL: "inflate-everything",
    }),
    startNode("miner", "//Dave", hb),
    startNode("miner", "//Ferdie", hb),
  ];
  await Promise.all(nodes.map((n) => n.waitFor(/listening for requests/, 120_000)));
  browser = await launch();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await killAll();
  await new Promise((resolve) => llm?.close(resolve));
});

const agreementOf = (p: Page, hotkey: string) =>
  p.textContent(`tr[data-hotkey="${hotkey}"] [data-col=agreement]`).then((t) => Number(t));

test("a validator that scores against the consensus shows lower agreement than the honest ones", async () => {
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.waitForSelector("#rounds");
  for (let i = 0; i < ROUNDS; i++) {
    const id = await sendRequestCommand(key, DESC, `client ${i}`);
    await page.waitForSelector(`tr[data-request-id="${id}"][data-status=completed]`, {
      timeout: 60_000,
    });
  }
  // The rolling figures the backend recorded once the last round finalised (same transaction as
  // the result, so they are final by the time its row turned completed).
  const records = await Promise.all(
    hotkeys.map((h) => adminDb().collection("validator_agreement").doc(h).get()),
  );
  const recorded = records.map((r) => {
    // The stored ledger as its rolling record, by core's rule (the page must show the same).
    const { updated_at: _updatedAt, ...ledger } = r.data() ?? {};
    const parsed = AgreementLedgerSchema.safeParse(ledger);
    const record = parsed.success ? agreementRecordFromLedger(parsed.data) : null;
    const v = record?.rolling_clipped_share ?? record?.rolling_rank_correlation;
    return typeof v === "number" ? v.toFixed(2) : "missing";
  });
  // The page shows exactly those figures (its listener may deliver a moment after the row's).
  await page.waitForFunction(
    ([keys, want]) =>
      keys.every(
        (k, i) =>
          document.querySelector(`tr[data-hotkey="${k}"] [data-col=agreement]`)?.textContent ===
          want[i],
      ),
    [hotkeys, recorded] as const,
  );
  const [alice, bob, charlie] = await Promise.all(hotkeys.map((h) => agreementOf(page, h)));
  expect(charlie).toBeLessThan(alice);
  expect(charlie).toBeLessThan(bob);
  await screenshot(page, "console-agreement");
});
