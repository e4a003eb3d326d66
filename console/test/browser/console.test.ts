/// <reference lib="dom" />
// The operator console in Debian's Chromium against the emulator suite (Hosting serves the page)
// with real validator and miner processes: an operator watches a request the README's client
// command sends go from open to completed without a reload, sees a kill -9'd validator marked dead
// and missing from the next round; accounts without the operator claim see nothing.
import type { Page } from "playwright-core";
import { getAuth } from "firebase-admin/auth";
import {
  adminDb,
  clearFirestore,
  newApiKey,
  seedRegistry,
} from "../../../functions/test/support/emulator";
import {
  kill,
  killAll,
  sendRequestCommand,
  startNode,
  type NodeProcess,
} from "../../../node/test/support/processes";
import { createOperator, launch, screenshot, signIn, type Browser } from "./support";

jest.setTimeout(180_000);

const OPERATOR = { email: "operator@example.com", password: "operator-pass-1" };
const DESC = "B2B SaaS companies selling software to sales teams in the US";
/** Nodes heartbeat every 5 s here (the CLI minimum) so liveness is seen quickly. */
const HEARTBEAT_MS = 5_000;

let browser: Browser;
let page: Page;
let key: string;
let validators: NodeProcess[];
let hotkeys: { alice: string; bob: string; charlie: string };

beforeAll(async () => {
  await clearFirestore();
  adminDb();
  key = await newApiKey("console-test");
  const pairs = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.3 },
    { uri: "//Charlie", uid: 2, trust: 0.2 },
    { uri: "//Dave", uid: 10, role: "miner" },
    { uri: "//Ferdie", uid: 11, role: "miner" },
  ]);
  hotkeys = { alice: pairs[0].address, bob: pairs[1].address, charlie: pairs[2].address };
  await createOperator(OPERATOR.email, OPERATOR.password);
  const hb = ["--heartbeat-ms", String(HEARTBEAT_MS)];
  const nodes = [
    startNode("validator", "//Alice", hb),
    startNode("validator", "//Bob", hb),
    startNode("validator", "//Charlie", hb),
    startNode("miner", "//Dave", hb),
    startNode("miner", "//Ferdie", hb),
  ];
  // Five sign-ins at once cold-start the Functions emulator's workers: allow for a busy machine.
  await Promise.all(nodes.map((n) => n.waitFor(/listening for requests/, 120_000)));
  validators = nodes.slice(0, 3);
  browser = await launch();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await killAll();
});

/** Clicks a request's row and waits for its timeline to show. */
async function openTimeline(id: string): Promise<void> {
  await page.click(`tr[data-request-id="${id}"]`);
  await page.waitForSelector(`#timeline[data-request-id="${id}"]`);
}

/** Records every (status, validators) a rounds-table row shows, from inside the page. */
async function watchRow(id: string): Promise<void> {
  await page.evaluate((requestId) => {
    const w = window as unknown as { seen: Record<string, string[]> };
    w.seen ??= {};
    const seen = (w.seen[requestId] = [] as string[]);
    const record = () => {
      const row = document.querySelector<HTMLElement>(`tr[data-request-id="${requestId}"]`);
      if (!row) return;
      const state = `${row.dataset.status} ${row.querySelector("[data-col=validators]")?.textContent?.trim()}`;
      if (seen[seen.length - 1] !== state) seen.push(state);
    };
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true });
    record();
  }, id);
}

test("an operator signs in and watches a request appear, progress and complete without reload", async () => {
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.waitForSelector("#rounds");
  // Every node's heartbeat is in: five live rows.
  await page.waitForFunction(() => document.querySelectorAll("tr[data-state=live]").length === 5);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  const id = await sendRequestCommand(key, DESC);
  const row = `tr[data-request-id="${id}"]`;
  const handle = (await page.waitForSelector(row))!;
  await watchRow(id);
  await openTimeline(id);
  await handle.focus();
  await page.waitForSelector(`${row}[data-status=completed]`, { timeout: 60_000 });
  // The row the page first drew is the one that turned completed, and it kept the keyboard focus:
  // renders update rows in place (a replaced row would lose focus and clicks made mid-render).
  expect(await handle.evaluate((e) => e.isConnected && document.activeElement === e)).toBe(true);
  await page.waitForSelector(`#timeline[data-request-id="${id}"] [data-kind=finalised]`);

  const seen = await page.evaluate(
    (r) => (window as unknown as { seen: Record<string, string[]> }).seen[r],
    id,
  );
  // First drawn open; how many validators had answered by then depends on how fast the round ran
  // (on a quick one all three may have ranked before any verdict moved it to processing).
  expect(seen[0]).toMatch(/^(pending|processing) [0-3] of 3$/);
  expect(seen[seen.length - 1]).toBe("completed 3 of 3");
  // Validators answered only ever goes up.
  const counts = seen.map((s) => Number(/ (\d) of/.exec(s)![1]));
  expect(counts).toEqual([...counts].sort());
  // The same page, never reloaded.
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  // The timeline: created, both miners' submissions, three verified rankings, finalised.
  const kinds = await page.$$eval("#timeline [data-kind]", (els) =>
    els.map((e) => (e as HTMLElement).dataset.kind),
  );
  expect(kinds[0]).toBe("created");
  expect(kinds.filter((k) => k === "submission")).toHaveLength(2);
  expect(kinds.filter((k) => k === "ranking")).toHaveLength(3);
  expect(kinds[kinds.length - 1]).toBe("finalised");
  expect(await page.textContent("#timeline")).toContain("accepted");
  await page.waitForSelector("#timeline .leads li");

  await screenshot(page, "console-desktop");
  // On a phone the rows stack: the outcome and each node's last heartbeat are on screen, not
  // scrolled off to the right.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const cell of [`${row} [data-col=closed]`, "tr[data-hotkey] [data-col=last-heartbeat]"]) {
    const box = (await page.locator(cell).first().boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  await screenshot(page, "console-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // Found by its first characters: the search box opens its timeline.
  await page.fill("#find-request input[name=id]", id.slice(0, 13));
  await page.click("#find-request button[type=submit]");
  await page.waitForSelector(`#timeline[data-request-id="${id}"]`);
  expect((await page.textContent("#find-error"))?.trim()).toBe("");
});

test("kill -9 of a validator: marked dead within the liveness window, missing from the next round", async () => {
  // The window the page uses is the one the backend recorded on the last request: functions/.env's
  // HEARTBEAT_WINDOW_SECONDS (45 s), not a constant of the page's own.
  const liveness = page.locator("#liveness");
  expect(await liveness.getAttribute("data-source")).toBe("request");
  const deadAfterMs = Number(await liveness.getAttribute("data-dead-after-ms"));
  expect(deadAfterMs).toBe(45_000);

  const charlie = validators[2];
  const killedAt = Date.now();
  await kill(charlie, "SIGKILL");
  const node = `tr[data-hotkey="${hotkeys.charlie}"]`;
  // Its last heartbeat was at most one period before the kill; the page marks it dead once that
  // heartbeat is older than the window (checked on the page's 1 s tick): within window + a beat.
  await page.waitForSelector(`${node}[data-state=dead]`, {
    timeout: deadAfterMs + HEARTBEAT_MS + 5_000,
  });
  // ...and not before the window: it was heard from at most one beat before the kill.
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(deadAfterMs - HEARTBEAT_MS);
  for (const live of [hotkeys.alice, hotkeys.bob]) {
    expect(await page.getAttribute(`tr[data-hotkey="${live}"]`, "data-state")).toBe("live");
  }

  const id = await sendRequestCommand(key, DESC);
  const row = `tr[data-request-id="${id}"]`;
  await page.waitForSelector(row);
  await openTimeline(id);
  // Alice and Bob answer; Charlie is shown missing (still expected, or no longer expected).
  const shown = page.waitForFunction(
    ([r, c]) => {
      const t = document.querySelector<HTMLElement>(`#timeline[data-request-id="${r}"]`);
      const absent = `${t?.querySelector<HTMLElement>("[data-missing]")?.dataset.missing ?? ""},${
        t?.querySelector<HTMLElement>("[data-absent]")?.dataset.absent ?? ""
      }`;
      // Exactly Charlie is missing: Alice's and Bob's rankings count as answered.
      return (
        t &&
        t.querySelectorAll("[data-kind=ranking]").length === 2 &&
        absent.split(",").filter(Boolean).join(",") === c
      );
    },
    [id, hotkeys.charlie],
    { timeout: 60_000 },
  );
  // On a timeout, say what the page showed instead.
  await shown.catch(async (e: Error) => {
    throw new Error(
      `${e.message}\nthe timeline showed: ${await page.textContent("#timeline-slot")}`,
    );
  });
  // The backend, using the same window, no longer expected it: the round completes with the two
  // live validators, closed by the last ranking's trigger (no wait for the deadline).
  await page.waitForSelector(`${row}[data-status=completed]`, { timeout: 60_000 });
  // Two of the two it asked, flagged: the registry holds a third validator the round did not ask.
  expect(
    (await page.textContent(`${row} [data-col=validators]`))?.replace(/\s+/g, " ").trim(),
  ).toBe("2 of 2 3 registered, 1 not asked");
  expect(await page.getAttribute(`${row} [data-not-asked]`, "data-not-asked")).toBe(
    hotkeys.charlie,
  );
  expect((await page.textContent(`${row} [data-col=closed]`))?.trim()).toBe("quorum via ranking");
  // Both miners answered (submitted or declined) out of the two expected.
  expect((await page.textContent(`${row} [data-col=miners]`))?.trim()).toMatch(
    /^(2|1 \+ 1 declined|0 \+ 2 declined) of 2$/,
  );
  await screenshot(page, "console-dead-validator");
});

test("a signed-out visitor and a signed-in validator see nothing", async () => {
  const visitor = await launch();
  const other = await visitor.context.newPage();
  try {
    await other.goto("http://127.0.0.1:5050");
    await other.waitForSelector("#sign-in");
    expect(await other.$("#rounds")).toBeNull();

    // A wrong password is said in words, not as Firebase's error code.
    await signIn(other, OPERATOR.email, "not-the-password");
    await other.waitForFunction(
      () => document.querySelector("#sign-in-error")?.textContent === "Wrong email or password.",
    );
    expect(await other.$("#rounds")).toBeNull();

    // A validator's account (role claim, no operator claim) signing in through the form.
    const email = "validator@example.com";
    const user = await getAuth().createUser({ email, password: "validator-pass-1" });
    await getAuth().setCustomUserClaims(user.uid, { role: "validator" });
    await signIn(other, email, "validator-pass-1");
    await other.waitForSelector("#refused");
    expect(await other.$("#rounds")).toBeNull();
    expect(await other.$("#nodes")).toBeNull();
    await screenshot(other, "console-refused");
  } finally {
    await visitor.close();
  }
});
