// Event-driven rounds on the real emulators: close tasks (which the Cloud Tasks emulator dispatches
// at once, whatever their schedule time), the status endpoint closing overdue requests, early close
// with its grace, late rankings, failure reasons, and the sweep (isolated per request, and driven
// on its schedule through the Functions emulator by scripts/lib/scheduler.mjs).
import { getFunctions } from "firebase-admin/functions";
import { COLLECTIONS } from "consensus-core";
import type { LifecycleConfig } from "../../../src/config";
import { closeIfDue } from "../../../src/lifecycle/close";
import { NotDueError, handleCloseTask } from "../../../src/lifecycle/closeTask";
import { createLeadRequest } from "../../support/create-request";
import { runSweep } from "../../../src/lifecycle/sweep";
import { scheduleRequestTasks } from "../../../src/lifecycle/tasks";
import {
  adminDb,
  clearFirestore,
  getStatus,
  lead,
  newApiKey,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  waitFor,
  waitForFinal,
  scaled,
  withoutTriggers,
} from "../../support/emulator";

const CLIENT = "rounds-client";
const INPUT = { num_leads: 2, business_desc: "B2B SaaS companies selling to sales teams" };

function cfg(o: Partial<LifecycleConfig> = {}): LifecycleConfig {
  return {
    validatorDeadlineMs: 90_000,
    requestTimeoutMs: 120_000,
    minValidators: 1,
    heartbeatWindowMs: 45_000,
    ...o,
  };
}

async function setup() {
  const [alice, bob, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  return { alice, bob, miner };
}

async function accepted(requestId: string, hotkey: string) {
  return waitFor(`ranking of ${hotkey} verified`, async () => {
    const snap = await adminDb()
      .collection(COLLECTIONS.rankings)
      .doc(`${requestId}_${hotkey}`)
      .get();
    return snap.data()?.verification?.status;
  });
}

const leads = [lead(1), lead(2), lead(3)];

beforeEach(() => clearFirestore());

test("a request records the liveness params that chose its nodes (the console's window)", async () => {
  await setup();
  const doc = await createLeadRequest(
    CLIENT,
    INPUT,
    new Date(),
    cfg({ heartbeatWindowMs: 30_000, heartbeatPeriodMs: 10_000 }),
  );
  expect((await requestDoc(doc.request_id))?.liveness).toEqual({
    window_ms: 30_000,
    period_ms: 10_000,
  });
});

test("a task dispatched before its deadline (as the emulator does) does not finalise early", async () => {
  const { alice, bob, miner } = await setup();
  const doc = await createLeadRequest(
    CLIENT,
    INPUT,
    new Date(),
    cfg({ validatorDeadlineMs: 8_000 }),
  );
  expect(doc.expected_miners).toEqual([miner.address]);
  // The Cloud Tasks emulator dispatches both tasks at once, seconds before their times.
  expect(await scheduleRequestTasks(doc)).toBe(true);
  await submitLeads(miner, 10, doc.request_id, leads);
  await submitRanking(alice, 0, doc.request_id, [[leads[0], 0.9]]);
  // The handler, given a clock before the deadline, asks to be retried and closes nothing.
  await expect(
    handleCloseTask(
      { request_id: doc.request_id, at: "deadline" },
      () => new Date(doc.validator_deadline.toMillis() - 5_000),
    ),
  ).rejects.toBeInstanceOf(NotDueError);

  const final = await waitForFinal(doc.request_id, scaled(40_000));
  expect(final.status).toBe("completed");
  expect(final.result.finalized_by).toBe("deadline");
  expect(final.closed_by).toBe("task");
  expect(final.finalized_at.toMillis()).toBeGreaterThanOrEqual(doc.validator_deadline.toMillis());
  expect(final.result.participants).toEqual([alice.address]);
  expect(final.result.timed_out).toEqual([bob.address]);
  expect(final.finalize_count).toBe(1);
});

test("a task delivered twice, and the sweep racing tasks, finalise once", async () => {
  const { alice, miner } = await setup();
  const doc = await createLeadRequest(
    CLIENT,
    INPUT,
    new Date(),
    cfg({ validatorDeadlineMs: 3_000 }),
  );
  await scheduleRequestTasks(doc);
  // A second delivery of the deadline task (another id, so Cloud Tasks does not deduplicate it).
  await getFunctions()
    .taskQueue("locations/us-central1/functions/closeRequest")
    .enqueue({ request_id: doc.request_id, at: "deadline" }, { id: `${doc.request_id}-again` });
  await submitLeads(miner, 10, doc.request_id, leads);
  await submitRanking(alice, 0, doc.request_id, [[leads[1], 0.8]]);
  await accepted(doc.request_id, alice.address);
  // In-process deliveries and sweeps racing at a clock past the deadline, beside the real tasks.
  const past = new Date(doc.validator_deadline.toMillis() + 1);
  const task = () => handleCloseTask({ request_id: doc.request_id, at: "deadline" }, () => past);
  const [first, second] = await Promise.all([task(), task(), runSweep(past), runSweep(past)]);
  const final = await waitForFinal(doc.request_id, scaled(40_000));
  expect(final.status).toBe("completed");
  expect(final.finalize_count).toBe(1);
  const kinds = [first.kind, second.kind];
  expect(kinds.filter((k) => k === "completed").length).toBeLessThanOrEqual(1);
  const metrics = await adminDb()
    .collection(COLLECTIONS.metrics)
    .where("request_id", "==", doc.request_id)
    .get();
  expect(metrics.size).toBe(1);
});

test("status polled past the deadline, with no task and no sweep run, returns a final status", async () => {
  const { alice, miner } = await setup();
  const key = await newApiKey(CLIENT);
  // No tasks scheduled for this request.
  const doc = await createLeadRequest(
    CLIENT,
    INPUT,
    new Date(),
    cfg({ validatorDeadlineMs: 8_000 }),
  );
  const before = await getStatus(key, doc.request_id);
  expect(before.body.status).toBe("pending");
  await submitLeads(miner, 10, doc.request_id, leads);
  await submitRanking(alice, 0, doc.request_id, [[leads[2], 0.7]]);
  await accepted(doc.request_id, alice.address);
  await waitFor(
    "the validator deadline",
    async () => Date.now() > doc.validator_deadline.toMillis(),
  );
  const after = await getStatus(key, doc.request_id);
  expect(after.body).toMatchObject({
    status: "completed",
    validators: { answered: 1, expected: 2 },
  });
  expect(after.body.leads.map((l: { email: string }) => l.email)).toEqual([leads[2].email]);
  const stored = await requestDoc(doc.request_id);
  expect(stored!.closed_by).toBe("status");
  expect(stored!.finalize_count).toBe(1);
});

test("failure reasons: no miner submitted vs no validator responded", async () => {
  const { miner } = await setup();
  const key = await newApiKey(CLIENT);
  const quick = cfg({ validatorDeadlineMs: 1, requestTimeoutMs: 1 });
  const none = await createLeadRequest(CLIENT, INPUT, new Date(), quick);
  const silent = await createLeadRequest(CLIENT, INPUT, new Date(), quick);
  await submitLeads(miner, 10, silent.request_id, leads);
  const a = await getStatus(key, none.request_id);
  const b = await getStatus(key, silent.request_id);
  expect(a.body).toMatchObject({ status: "failed", reason: "no_miner_submitted" });
  expect(b.body).toMatchObject({ status: "failed", reason: "no_validator_responded" });
});

test("early close: a share of the trust closes the round after the grace; a straggler is recorded as late", async () => {
  const { alice, bob, miner } = await setup();
  const doc = await createLeadRequest(
    CLIENT,
    INPUT,
    new Date(),
    cfg({ earlyCloseShare: 0.5, earlyCloseGraceMs: 0 }),
  );
  expect(doc.early_close).toEqual({ share: 0.5, grace_ms: 0 });
  await submitLeads(miner, 10, doc.request_id, leads);
  await submitRanking(alice, 0, doc.request_id, [[leads[0], 0.9]]);
  const final = await waitForFinal(doc.request_id);
  expect(final.result).toMatchObject({
    finalized_by: "early_close",
    participants: [alice.address],
  });
  expect(final.closed_by).toBe("ranking");
  expect(final.finalized_at.toMillis()).toBeLessThan(doc.validator_deadline.toMillis());

  await submitRanking(bob, 1, doc.request_id, [[leads[1], 1.0]]);
  expect(await accepted(doc.request_id, bob.address)).toBe("late");
  const after = await waitFor("bob recorded late", async () => {
    const d = await requestDoc(doc.request_id);
    return d?.late_validators?.length ? d : undefined;
  });
  expect(after.late_validators).toEqual([bob.address]);
  // Never counted: the result is the one written before Bob's ranking.
  expect(after.result).toEqual(final.result);
  expect(after.finalize_count).toBe(1);
});

test("one failing request in a sweep is logged with its id and does not stop the others", async () => {
  await setup();
  const later = cfg({ validatorDeadlineMs: 600_000, requestTimeoutMs: 600_000 });
  const docs = await Promise.all(
    [0, 1, 2, 3].map(() => createLeadRequest(CLIENT, INPUT, new Date(), later)),
  );
  const broken = docs[1].request_id;
  const at = new Date(Date.now() + 601_000);
  const summary = await runSweep(at, async (id, now) => {
    if (id === broken) throw new Error("simulated failure");
    return closeIfDue(id, now, "sweep");
  });
  expect(summary).toMatchObject({ examined: 4, failed: 3, errors: 1 });
  expect((await requestDoc(broken))!.status).toBe("pending");
  for (const d of docs.filter((x) => x.request_id !== broken)) {
    expect((await requestDoc(d.request_id))!.status).toBe("failed");
  }
});

test("a poison request (stored data that breaks its finalisation) never blocks the sweep", async () => {
  await setup();
  const later = cfg({ validatorDeadlineMs: 600_000, requestTimeoutMs: 600_000 });
  const docs = await Promise.all(
    [0, 1, 2].map(() => createLeadRequest(CLIENT, INPUT, new Date(), later)),
  );
  // The real closer, no injected failure: the poison request is due first (the sweep orders by
  // deadline) and its corrupt timeout makes the finalising transaction throw on every attempt.
  const poison = docs[0].request_id;
  await adminDb()
    .collection(COLLECTIONS.requests)
    .doc(poison)
    .update({ validator_deadline: new Date(Date.now() - 1_000), timeout: "corrupt" });
  const at = new Date(Date.now() + 601_000);
  for (const run of [1, 2]) {
    const summary = await runSweep(at);
    // Every run: the poison request fails alone (logged with its id), the others were closed on
    // the first run and are not due any more on the second.
    expect(summary).toMatchObject(
      run === 1 ? { examined: 3, failed: 2, errors: 1 } : { examined: 1, failed: 0, errors: 1 },
    );
  }
  expect((await requestDoc(poison))!.status).toBe("pending");
  for (const d of docs.slice(1)) {
    const final = (await requestDoc(d.request_id))!;
    expect(final).toMatchObject({ status: "failed", closed_by: "sweep", finalize_count: 1 });
  }
});

test(
  "the deployed sweepRequests runs on its schedule under the emulators",
  async () => {
    const { alice, miner } = await setup();
    // A reload of the functions first (what another test file's withoutTriggers does): the
    // emulator keeps the old generation's trigger, disabled, and the scheduler must drive the new.
    await withoutTriggers(async () => undefined);
    // No tasks and nobody polls: only the scheduled sweep can close this request. The deadline
    // leaves room for the miner, which must submit before it; the sweep runs every minute.
    const doc = await createLeadRequest(
      CLIENT,
      INPUT,
      new Date(),
      cfg({ validatorDeadlineMs: 3_000 }),
    );
    await submitLeads(miner, 10, doc.request_id, leads);
    await submitRanking(alice, 0, doc.request_id, [[leads[0], 0.5]]);
    const final = await waitForFinal(doc.request_id, scaled(130_000));
    expect(final.status).toBe("completed");
    expect(final.closed_by).toBe("sweep");
  },
  scaled(150_000),
);
