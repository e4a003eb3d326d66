// Event-driven rounds with real node processes (`node node/lib/cli.js validator|miner --emulator`):
// a validator killed with SIGKILL, the liveness window, a miner that declines or crashes, and
// early close. Requests are created with the same code as POST /leads (prepare, save, tasks), with
// short deadlines so each case takes seconds; the tasks run in the Cloud Tasks emulator.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLLECTIONS } from "consensus-core";
import type { LifecycleConfig } from "../../../functions/src/config";
import { createLeadRequest } from "../../../functions/test/support/create-request";
import { scheduleRequestTasks } from "../../../functions/src/lifecycle/tasks";
import {
  adminDb,
  clearFirestore,
  newApiKey,
  postLeads,
  requestDoc,
  seedRegistry,
  waitFor,
  waitForFinal,
  scaled,
} from "../../../functions/test/support/emulator";
import { short } from "../../src/runtime/log";
import { kill, killAll, startListening } from "../support/processes";

const DESC = "B2B SaaS companies selling software to sales teams in the US";
const BEAT = ["--heartbeat-ms", "5000"];

afterEach(async () => {
  await killAll();
});

beforeEach(() => clearFirestore());

function cfg(o: Partial<LifecycleConfig> = {}): LifecycleConfig {
  return {
    validatorDeadlineMs: 90_000,
    requestTimeoutMs: 120_000,
    minValidators: 1,
    heartbeatWindowMs: 45_000,
    ...o,
  };
}

/** The POST /leads path in-process (request document + its close tasks), with test timings. */
async function openRequest(o: Partial<LifecycleConfig> = {}) {
  const doc = await createLeadRequest(
    "rounds-client",
    { num_leads: 3, business_desc: DESC },
    new Date(),
    cfg(o),
  );
  await scheduleRequestTasks(doc);
  return doc;
}

async function seedThreeValidators() {
  const pairs = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.4 },
    { uri: "//Bob", uid: 1, trust: 0.3 },
    { uri: "//Charlie", uid: 2, trust: 0.3 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  return pairs.map((p) => p.address);
}

async function rankingTimes(requestId: string): Promise<number[]> {
  const snap = await adminDb()
    .collection(COLLECTIONS.rankings)
    .where("request_id", "==", requestId)
    .get();
  return snap.docs.map((d) => d.data().submitted_at.toMillis());
}

test(
  "kill -9 one of three validators: the request completes at its deadline with the other two",
  async () => {
    const [alice, bob, charlie] = await seedThreeValidators();
    const [, , c] = await startListening(
      ["validator", "//Alice", BEAT],
      ["validator", "//Bob", BEAT],
      ["validator", "//Charlie", BEAT],
      ["miner", "//Ferdie", BEAT],
    );
    await kill(c, "SIGKILL");
    const doc = await openRequest({ validatorDeadlineMs: 8_000, requestTimeoutMs: 20_000 });
    // Its heartbeat is still recent: Charlie is expected, and will never answer.
    expect(doc.expected_validators).toEqual([alice, bob, charlie].sort());
    const final = await waitForFinal(doc.request_id, scaled(30_000));
    expect(final.status).toBe("completed");
    expect(final.result.finalized_by).toBe("deadline");
    expect(final.result.participants).toEqual([alice, bob].sort());
    const lag = final.finalized_at.toMillis() - final.validator_deadline.toMillis();
    expect(lag).toBeGreaterThanOrEqual(0);
    // 2 s on a quiet machine: the deadline task's own dispatch, on a machine shared with other
    // suites, waits for a core like everything else.
    expect(lag).toBeLessThan(scaled(1_000));
    const metrics = (
      await adminDb().collection(COLLECTIONS.metrics).doc(doc.request_id).get()
    ).data();
    expect(metrics).toMatchObject({
      validators_expected: 3,
      validators_participated: 2,
      validators_timed_out: 1,
      timed_out: [charlie],
    });
  },
  scaled(180_000),
);

test(
  "after the liveness window a dead validator is no longer expected, and rounds complete at quorum speed",
  async () => {
    const [alice, bob, charlie] = await seedThreeValidators();
    const key = await newApiKey("rounds-client");
    const [, , c] = await startListening(
      ["validator", "//Alice", BEAT],
      ["validator", "//Bob", BEAT],
      ["validator", "//Charlie", BEAT],
      ["miner", "//Ferdie", BEAT],
    );
    const expectedBefore = await postLeads(key, { num_leads: 2, business_desc: DESC });
    expect(expectedBefore.body.expected_validators).toBe(3);
    await kill(c, "SIGKILL");
    const killedAt = Date.now();
    // POST /leads uses the deployed params (HEARTBEAT_WINDOW_SECONDS=45): the first request that no
    // longer expects Charlie arrives within 45 s of the kill.
    // One POST every 2 s at most, well under the API key's rate limit.
    let lastPost = 0;
    const posted = await waitFor(
      "a request that no longer expects the killed validator",
      async () => {
        if (Date.now() - lastPost < 2_000) return undefined;
        lastPost = Date.now();
        const res = await postLeads(key, { num_leads: 2, business_desc: DESC });
        expect(res.status).toBe(202);
        return res.body.expected_validators === 2 ? res.body : undefined;
      },
      70_000,
    );
    // The 45 s window, plus the last beat's age and one POST round on a loaded machine.
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    const doc = await requestDoc(posted.request_id);
    expect(doc!.expected_validators).toEqual([alice, bob].sort());
    expect(doc!.expected_validators).not.toContain(charlie);
    const final = await waitForFinal(posted.request_id, scaled(60_000));
    expect(final.result.finalized_by).toBe("quorum");
    expect(final.finalized_at.toMillis()).toBeLessThan(final.validator_deadline.toMillis());
  },
  scaled(180_000),
);

test(
  "a miner that declines is not waited for; a crashed miner is waited for until the cap",
  async () => {
    const [alice, ferdie, dave] = (
      await seedRegistry([
        { uri: "//Alice", uid: 0, trust: 1 },
        { uri: "//Ferdie", uid: 10, role: "miner" },
        { uri: "//Dave", uid: 11, role: "miner" },
      ])
    ).map((p) => p.address);
    // Dave's pool holds nothing at all, so nothing ever fits: it declines.
    const empty = join(mkdtempSync(join(tmpdir(), "pool-")), "empty.json");
    writeFileSync(empty, "[]");
    // A long cap (15 s of silence), so "not waited for" cannot be the cap.
    const cap = ["--settle-ms", "15000"];
    const [a, , d] = await startListening(
      ["validator", "//Alice", [...BEAT, ...cap]],
      ["miner", "//Ferdie", BEAT],
      ["miner", "//Dave", [...BEAT, "--lead-pool", empty]],
    );
    const declined = await openRequest();
    expect(declined.expected_miners).toEqual([ferdie, dave].sort());
    await d.waitFor(new RegExp(`request ${short(declined.request_id)}: nothing fits, declined`));
    const ranked = await a.waitFor(new RegExp(`request ${short(declined.request_id)}: ranked`));
    expect(ranked).toMatch(/stop=all_answered/);
    expect(ranked).toMatch(/declined=1/);
    const collected = Number(/collected_ms=(\d+)/.exec(ranked)![1]);
    expect(collected).toBeLessThan(15_000);
    expect((await waitForFinal(declined.request_id)).result.participants).toEqual([alice]);

    await kill(d, "SIGKILL");
    const silent = await openRequest();
    // Dave's heartbeat is recent, so the request still expects it; it never answers.
    expect(silent.expected_miners).toContain(dave);
    const capped = await a.waitFor(new RegExp(`request ${short(silent.request_id)}: ranked`));
    // Waited for the one missing miner: 15 s of silence after Ferdie's submission, plus 250 ms.
    expect(capped).toMatch(/stop=settled/);
    expect(Number(/collected_ms=(\d+)/.exec(capped)![1])).toBeGreaterThanOrEqual(15_250);
  },
  scaled(180_000),
);

test(
  "early close at two thirds of the trust with a 2 s grace: completes about 2 s after the others",
  async () => {
    // Charlie is registered and heartbeating (so expected) but runs no node: it never answers.
    const [alice, bob, charlie] = await seedThreeValidators();
    await seedRegistry([{ uri: "//Alice", uid: 0, trust: 1 / 3 }]);
    await seedRegistry([{ uri: "//Bob", uid: 1, trust: 1 / 3 }]);
    await seedRegistry([{ uri: "//Charlie", uid: 2, trust: 1 / 3 }]);
    await startListening(
      ["validator", "//Alice", BEAT],
      ["validator", "//Bob", BEAT],
      ["miner", "//Ferdie", BEAT],
    );
    const doc = await openRequest({
      validatorDeadlineMs: 60_000,
      earlyCloseShare: 2 / 3,
      earlyCloseGraceMs: 2_000,
    });
    expect(doc.expected_validators).toEqual([alice, bob, charlie].sort());
    const final = await waitForFinal(doc.request_id, scaled(30_000));
    expect(final.status).toBe("completed");
    expect(final.result.finalized_by).toBe("early_close");
    expect(final.result.participants).toEqual([alice, bob].sort());
    // close_at = when the second ranking was accepted + the 2 s grace; the close task honours it.
    const lastRanking = Math.max(...(await rankingTimes(doc.request_id)));
    const closeAt = final.close_at.toMillis();
    expect(closeAt - lastRanking).toBeGreaterThanOrEqual(2_000);
    expect(final.finalized_at.toMillis()).toBeGreaterThanOrEqual(closeAt);
    expect(final.finalized_at.toMillis() - closeAt).toBeLessThan(scaled(1_000));
    expect(final.closed_by).toBe("task");
    expect(final.finalized_at.toMillis()).toBeLessThan(doc.validator_deadline.toMillis() - 30_000);
  },
  scaled(180_000),
);
