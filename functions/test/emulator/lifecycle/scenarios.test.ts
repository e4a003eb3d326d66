// The seed plan's testing checklist, end to end through the HTTPS API and the Firestore triggers
// running in the Functions emulator. Validators and miners are played by this test (the node
// processes have their own tests); what is exercised here is the backend.
import {
  COLLECTIONS,
  calculateConsensusRanking,
  eligibleLeadPool,
  leadConstraints,
  parseDescription,
  builtInLexicon,
  understand,
} from "consensus-core";
import { runSweep } from "../../../src/lifecycle/sweep";
import {
  adminDb,
  clearFirestore,
  getStatus,
  lead,
  newApiKey,
  postLeads,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  waitFor,
  waitForFinal,
  backendParam,
} from "../../support/emulator";

let key: string;

beforeEach(async () => {
  await clearFirestore();
  key = await newApiKey();
});

async function openRequest(numLeads: number, desc = "B2B SaaS companies selling to sales teams") {
  const res = await postLeads(key, { num_leads: numLeads, business_desc: desc });
  expect(res.status).toBe(202);
  return res.body as { request_id: string; status: string; timeout: string; poll_url: string };
}

const emails = (leads: { email: string }[]) => leads.map((l) => l.email);

test("1. single validator + single miner: completes on the ranking, no waiting", async () => {
  const [alice, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await openRequest(2);
  expect(req.status).toBe("pending");
  expect(req.poll_url).toMatch(new RegExp(`/leads/status/${req.request_id}$`));
  const leads = [lead(1), lead(2), lead(3)];
  await submitLeads(miner, 10, req.request_id, leads);
  await submitRanking(alice, 0, req.request_id, [
    [leads[2], 0.9],
    [leads[0], 0.7],
    [leads[1], 0.2],
  ]);
  const final = await waitForFinal(req.request_id);
  // The only expected validator's ranking finalised it, before the validator deadline came.
  expect(final.status).toBe("completed");
  expect(final.result.finalized_by).toBe("quorum");
  expect(final.finalized_at.toMillis()).toBeLessThan(final.validator_deadline.toMillis());

  const status = await getStatus(key, req.request_id);
  expect(status.status).toBe(200);
  expect(status.body.status).toBe("completed");
  expect(status.body.validators).toEqual({ answered: 1, expected: 1 });
  expect(emails(status.body.leads)).toEqual([leads[2].email, leads[0].email]);
  expect(status.body.leads[0]).toMatchObject({
    c_validator_hotkey: "CONSENSUS",
    consensus_score: 0.45,
    normalized_score: 0.9,
    num_validators: 1,
    rank: 1,
  });
  // How the ask was read (issue 24): the core's reading of the description, and per lead the
  // stated constraints it meets, derived at status time; the result document is untouched.
  const desc = "B2B SaaS companies selling to sales teams";
  expect(status.body.understood).toEqual(understand(desc));
  expect(status.body.understood.industries.map((i: { id: string }) => i.id)).toContain("saas");
  const parsed = parseDescription(desc, builtInLexicon());
  for (const l of status.body.leads) {
    const { matched, missed } = leadConstraints(l, parsed);
    expect({ matched: l.matched, missed: l.missed }).toEqual({ matched, missed });
  }
  expect(final.result.leads[0]).not.toHaveProperty("matched");
});

test("2. two validators + single miner: both rankings count", async () => {
  const [alice, bob, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Bob", uid: 1, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await openRequest(2);
  const leads = [lead(1), lead(2), lead(3)];
  await submitLeads(miner, 10, req.request_id, leads);
  await submitRanking(alice, 0, req.request_id, [
    [leads[0], 1.0],
    [leads[1], 0.4],
  ]);
  await waitFor(
    "first ranking accepted",
    async () => (await requestDoc(req.request_id))?.status === "processing",
  );
  const mid = await getStatus(key, req.request_id);
  expect(mid.body).toMatchObject({
    status: "processing",
    validators: { answered: 1, expected: 2 },
  });
  expect(mid.body.leads).toBeUndefined();

  await submitRanking(bob, 1, req.request_id, [
    [leads[1], 0.9],
    [leads[2], 0.8],
  ]);
  const final = await waitForFinal(req.request_id);
  expect(final.status).toBe("completed");
  // S = 0.5*1.0 = 0.5 (L1); 0.5*0.4 + 0.5*0.9 = 0.65 (L2); 0.5*0.8 = 0.4 (L3).
  expect(emails(final.result.leads)).toEqual([leads[1].email, leads[0].email]);
  expect(final.result.leads[0].consensus_score).toBeCloseTo(0.65, 12);
  expect(final.result.leads[0].num_validators).toBe(2);
  expect(final.result.participants).toEqual([alice.address, bob.address].sort());
});

test("3. single validator + two miners: leads of both miners can win", async () => {
  const [alice, m1, m2] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 1 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
    { uri: "//Eve", uid: 11, role: "miner" },
  ]);
  const req = await openRequest(3);
  const fromM1 = [lead(1), lead(2)];
  const fromM2 = [lead(3), lead(4)];
  await submitLeads(m1, 10, req.request_id, fromM1);
  await submitLeads(m2, 11, req.request_id, fromM2);
  await submitRanking(alice, 0, req.request_id, [
    [fromM2[0], 0.95],
    [fromM1[1], 0.9],
    [fromM2[1], 0.5],
    [fromM1[0], 0.1],
  ]);
  const final = await waitForFinal(req.request_id);
  expect(emails(final.result.leads)).toEqual([fromM2[0].email, fromM1[1].email, fromM2[1].email]);
  expect(final.result.miners).toEqual([m1.address, m2.address].sort());
});

test("4. two validators + two miners: full distributed consensus matches the pure function", async () => {
  const [alice, bob, m1, m2] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.7 },
    { uri: "//Bob", uid: 1, trust: 0.3 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
    { uri: "//Eve", uid: 11, role: "miner" },
  ]);
  const req = await openRequest(3);
  const a = [lead(1), lead(2), lead(3)];
  const b = [lead(4), lead(5), lead(1)];
  await submitLeads(m1, 10, req.request_id, a);
  await submitLeads(m2, 11, req.request_id, b);
  const ra: [(typeof a)[0], number][] = [
    [a[0], 0.9],
    [b[0], 0.6],
    [a[2], 0.3],
  ];
  const rb: [(typeof a)[0], number][] = [
    [b[1], 0.95],
    [a[0], 0.5],
    [b[0], 0.4],
  ];
  await Promise.all([
    submitRanking(alice, 0, req.request_id, ra),
    submitRanking(bob, 1, req.request_id, rb),
  ]);
  const final = await waitForFinal(req.request_id);
  const expected = calculateConsensusRanking({
    numLeads: 3,
    rankings: [
      {
        validator_hotkey: alice.address,
        trust: 0.7,
        ranked_leads: ra.map(([l, s]) => ({ lead: l, score: s })),
      },
      {
        validator_hotkey: bob.address,
        trust: 0.3,
        ranked_leads: rb.map(([l, s]) => ({ lead: l, score: s })),
      },
    ],
    eligibleLeads: eligibleLeadPool([
      { miner_hotkey: m1.address, leads: a },
      { miner_hotkey: m2.address, leads: b },
    ]),
  });
  expect(final.result.leads).toEqual(expected.leads);
  // 0.9*0.7 + 0.5*0.3 = 0.78 for lead 1, submitted by both miners but counted once.
  expect(final.result.leads[0]).toMatchObject({ email: a[0].email, num_validators: 2 });
  expect(final.result.leads[0].consensus_score).toBeCloseTo(0.78, 12);
  const metrics = (
    await adminDb().collection(COLLECTIONS.metrics).doc(req.request_id).get()
  ).data()!;
  expect(metrics).toMatchObject({
    validators_expected: 2,
    validators_participated: 2,
    validators_timed_out: 0,
    miners_counted: 2,
  });
  expect(metrics.trust_distribution.by_validator).toEqual({
    [alice.address]: 0.7,
    [bob.address]: 0.3,
  });
  // Ranks and scores, never lead contents: nodes may read metrics (the leads reach clients via the API).
  expect(metrics.top_leads[0]).toEqual({
    rank: 1,
    consensus_score: final.result.leads[0].consensus_score,
    normalized_score: final.result.leads[0].normalized_score,
    num_validators: 2,
  });
  const serialized = JSON.stringify(metrics);
  for (const l of final.result.leads) expect(serialized).not.toContain(l.email);
  expect(typeof metrics.avg_response_ms).toBe("number");
});

test("5. one validator offline: completes after its deadline with the others, absence logged", async () => {
  const [alice, bob, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.6 },
    { uri: "//Bob", uid: 1, trust: 0.4 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const req = await openRequest(1);
  const leads = [lead(1), lead(2)];
  await submitLeads(miner, 10, req.request_id, leads);
  await submitRanking(alice, 0, req.request_id, [
    [leads[1], 0.8],
    [leads[0], 0.3],
  ]);
  await waitFor(
    "ranking accepted",
    async () => (await requestDoc(req.request_id))?.status === "processing",
  );
  const doc = await requestDoc(req.request_id);
  const deadline: Date = doc!.validator_deadline.toDate();

  // Before the deadline the sweep leaves it alone.
  await runSweep(new Date(deadline.getTime() - 1000));
  expect((await requestDoc(req.request_id))!.status).toBe("processing");

  await runSweep(new Date(deadline.getTime() + 1000));
  const final = await requestDoc(req.request_id);
  expect(final!.status).toBe("completed");
  expect(final!.result.finalized_by).toBe("deadline");
  expect(final!.result.participants).toEqual([alice.address]);
  expect(final!.result.timed_out).toEqual([bob.address]);
  expect(emails(final!.result.leads)).toEqual([leads[1].email]);
  const metrics = (
    await adminDb().collection(COLLECTIONS.metrics).doc(req.request_id).get()
  ).data()!;
  expect(metrics.timed_out).toEqual([bob.address]);
  expect(metrics.validators_timed_out).toBe(1);
});

test("6. client timeout: nobody answers, the request fails with a reason, nothing hangs", async () => {
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.6 }]);
  const req = await openRequest(1);
  const doc = (await requestDoc(req.request_id))!;
  const deadline: Date = doc.validator_deadline.toDate();
  const timeout: Date = doc.timeout.toDate();
  // The deployed params (functions/.env), read rather than copied.
  const seconds = (name: string) => Number(backendParam(name)) * 1000;
  expect(timeout.getTime() - doc.created_at.toMillis()).toBe(seconds("REQUEST_TIMEOUT_SECONDS"));
  expect(deadline.getTime() - doc.created_at.toMillis()).toBe(
    seconds("VALIDATOR_DEADLINE_SECONDS"),
  );

  // Past the validator deadline but before the timeout: still waiting for a late validator.
  const between = await runSweep(new Date(deadline.getTime() + 1000));
  expect(between.waiting).toBeGreaterThanOrEqual(1);
  expect((await requestDoc(req.request_id))!.status).toBe("pending");

  await runSweep(new Date(timeout.getTime() + 1000));
  const status = await getStatus(key, req.request_id);
  // Nothing was submitted, so no validator could rank: the client is told the miners were missing.
  expect(status.body).toMatchObject({
    status: "failed",
    reason: "no_miner_submitted",
    validators: { answered: 0, expected: 1 },
  });
  expect(status.body.leads).toBeUndefined();
});

test("7. trust weighting: the high-trust validator moves the order, with exact scores", async () => {
  const [alice, bob, miner] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.8 },
    { uri: "//Bob", uid: 1, trust: 0.2 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const leads = [lead(1), lead(2)];
  async function round(aliceTrust: number, bobTrust: number) {
    await seedRegistry([
      { uri: "//Alice", uid: 0, trust: aliceTrust },
      { uri: "//Bob", uid: 1, trust: bobTrust },
    ]);
    const req = await openRequest(2);
    await submitLeads(miner, 10, req.request_id, leads);
    // Alice prefers lead 2, Bob prefers lead 1.
    await submitRanking(alice, 0, req.request_id, [
      [leads[1], 0.9],
      [leads[0], 0.2],
    ]);
    await submitRanking(bob, 1, req.request_id, [
      [leads[0], 1.0],
      [leads[1], 0.1],
    ]);
    return (await waitForFinal(req.request_id)).result.leads;
  }

  const aliceLeads = await round(0.8, 0.2);
  expect(emails(aliceLeads)).toEqual([leads[1].email, leads[0].email]);
  expect(aliceLeads[0].consensus_score).toBeCloseTo(0.9 * 0.8 + 0.1 * 0.2, 12); // 0.74
  expect(aliceLeads[1].consensus_score).toBeCloseTo(0.2 * 0.8 + 1.0 * 0.2, 12); // 0.36
  expect(aliceLeads[0].normalized_score).toBeCloseTo(0.74, 12);

  const bobLeads = await round(0.2, 0.8);
  expect(emails(bobLeads)).toEqual([leads[0].email, leads[1].email]);
  expect(bobLeads[0].consensus_score).toBeCloseTo(0.2 * 0.2 + 1.0 * 0.8, 12); // 0.84
  expect(bobLeads[1].consensus_score).toBeCloseTo(0.9 * 0.2 + 0.1 * 0.8, 12); // 0.26
});
