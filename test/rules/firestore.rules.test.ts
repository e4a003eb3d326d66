// Firestore security rules, exercised against the real emulator: every attack on the
// rules (forged, repeated, late, oversized, cross-role writes and reads) has its own failing case, next to the allowed paths that must keep working.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  where,
} from "firebase/firestore";
import {
  apiRequest,
  leads,
  MINER_CHARLIE,
  MINER_DAVE,
  MINER_FERDIE,
  PROJECT_ID,
  rankedLeads,
  ranking,
  rankingId,
  registryEntry,
  REQUESTS,
  submission,
  submissionId,
  VALIDATOR_ALICE,
  VALIDATOR_BOB,
  UNREGISTERED,
  VALIDATOR_EVE_UNEXPECTED,
  without,
} from "./fixtures";

let env: RulesTestEnvironment;

/** The test context's Firestore, typed for the modular API (the context hands out a compat instance). */
function db(context: RulesTestContext): Firestore {
  return context.firestore() as unknown as Firestore;
}

const validator = (hotkey: string): Firestore =>
  db(env.authenticatedContext(hotkey, { role: "validator" }));
const miner = (hotkey: string): Firestore =>
  db(env.authenticatedContext(hotkey, { role: "miner" }));
/** Signed in (e.g. anonymous or email auth) but without a role claim minted by the backend. */
const noRole = (uid: string): Firestore => db(env.authenticatedContext(uid));
const anonymous = (): Firestore => db(env.unauthenticatedContext());

const OTHER_COLLECTIONS = [
  "api_keys",
  "rate_limits",
  "sign_in_nonces",
  "finalize_claims",
  "something_else",
] as const;

async function seed(): Promise<void> {
  await env.withSecurityRulesDisabled(async (context) => {
    const admin = db(context);
    await Promise.all([
      setDoc(doc(admin, "api_requests", REQUESTS.pending), apiRequest(REQUESTS.pending, "pending")),
      setDoc(
        doc(admin, "api_requests", REQUESTS.processing),
        apiRequest(REQUESTS.processing, "processing"),
      ),
      setDoc(
        doc(admin, "api_requests", REQUESTS.completed),
        apiRequest(REQUESTS.completed, "completed"),
      ),
      setDoc(doc(admin, "api_requests", REQUESTS.failed), apiRequest(REQUESTS.failed, "failed")),
      // Still "pending" because the sweep has not run yet, but its timeout has passed.
      setDoc(
        doc(admin, "api_requests", REQUESTS.expired),
        apiRequest(REQUESTS.expired, "pending", { timeoutInMs: -5_000 }),
      ),
      // Existing documents on the processing request, for read/update/delete cases.
      setDoc(doc(admin, "miner_submissions", submissionId(REQUESTS.processing, MINER_CHARLIE)), {
        ...submission(REQUESTS.processing, MINER_CHARLIE),
        submitted_at: Timestamp.now(),
      }),
      setDoc(doc(admin, "miner_submissions", submissionId(REQUESTS.processing, MINER_DAVE)), {
        ...submission(REQUESTS.processing, MINER_DAVE, { miner_uid: 8 }),
        submitted_at: Timestamp.now(),
      }),
      setDoc(doc(admin, "validator_rankings", rankingId(REQUESTS.processing, VALIDATOR_ALICE)), {
        ...ranking(REQUESTS.processing, VALIDATOR_ALICE),
        submitted_at: Timestamp.now(),
      }),
      setDoc(doc(admin, "validator_rankings", rankingId(REQUESTS.processing, VALIDATOR_BOB)), {
        ...ranking(REQUESTS.processing, VALIDATOR_BOB, { validator_uid: 1 }),
        submitted_at: Timestamp.now(),
      }),
      setDoc(
        doc(admin, "registry", VALIDATOR_ALICE),
        registryEntry(VALIDATOR_ALICE, "validator", 0),
      ),
      setDoc(doc(admin, "registry", VALIDATOR_BOB), registryEntry(VALIDATOR_BOB, "validator", 1)),
      setDoc(doc(admin, "registry", MINER_CHARLIE), registryEntry(MINER_CHARLIE, "miner", 7)),
      setDoc(doc(admin, "registry", MINER_DAVE), registryEntry(MINER_DAVE, "miner", 8)),
      setDoc(doc(admin, "registry", MINER_FERDIE), registryEntry(MINER_FERDIE, "miner", 9)),
      setDoc(
        doc(admin, "registry", VALIDATOR_EVE_UNEXPECTED),
        registryEntry(VALIDATOR_EVE_UNEXPECTED, "validator", 4),
      ),
      // Submissions on finished requests: they hold the leads that won (or competed).
      setDoc(doc(admin, "miner_submissions", submissionId(REQUESTS.completed, MINER_DAVE)), {
        ...submission(REQUESTS.completed, MINER_DAVE, { miner_uid: 8 }),
        submitted_at: Timestamp.now(),
      }),
      setDoc(doc(admin, "miner_submissions", submissionId(REQUESTS.failed, MINER_DAVE)), {
        ...submission(REQUESTS.failed, MINER_DAVE, { miner_uid: 8 }),
        submitted_at: Timestamp.now(),
      }),
      setDoc(doc(admin, "consensus_metrics", REQUESTS.completed), {
        request_id: REQUESTS.completed,
        validators_participated: 2,
        validators_timed_out: 0,
      }),
      ...OTHER_COLLECTIONS.map((name) => setDoc(doc(admin, name, "seeded"), { seeded: true })),
    ]);
  });
}

/** `emulators:exec` exports FIRESTORE_EMULATOR_HOST; the fixed port 8080 is the fallback. */
function emulatorHost(): { host: string; port: number } {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  return { host, port: Number(port) };
}

beforeAll(async () => {
  env = await initializeTestEnvironment({
    projectId: PROJECT_ID,
    firestore: {
      rules: readFileSync(resolve(__dirname, "../../firestore.rules"), "utf8"),
      ...emulatorHost(),
    },
  });
});

beforeEach(async () => {
  await env.clearFirestore();
  await seed();
});

afterAll(async () => {
  await env?.cleanup();
});

describe("api_requests", () => {
  it("a validator reads an open request", async () => {
    await assertSucceeds(getDoc(doc(validator(VALIDATOR_ALICE), "api_requests", REQUESTS.pending)));
  });

  it("a miner reads an open request", async () => {
    await assertSucceeds(getDoc(doc(miner(MINER_CHARLIE), "api_requests", REQUESTS.pending)));
  });

  it("a node listens to all open requests (status in pending, processing)", async () => {
    const open = query(
      collection(validator(VALIDATOR_BOB), "api_requests"),
      where("status", "in", ["pending", "processing"]),
    );
    const snapshot = await assertSucceeds(getDocs(open));
    expect(snapshot.size).toBe(3); // pending, processing and the not-yet-swept expired one
  });

  it("a signed-in user without a node role cannot read requests", async () => {
    await assertFails(getDoc(doc(noRole(VALIDATOR_ALICE), "api_requests", REQUESTS.pending)));
  });

  it("a node cannot create a request", async () => {
    await assertFails(
      setDoc(
        doc(validator(VALIDATOR_ALICE), "api_requests", REQUESTS.unknown),
        apiRequest(REQUESTS.unknown, "pending"),
      ),
    );
  });

  it("a miner cannot flip a request's status to processing", async () => {
    await assertFails(
      updateDoc(doc(miner(MINER_CHARLIE), "api_requests", REQUESTS.pending), {
        status: "processing",
      }),
    );
  });

  it("a validator cannot write a result or add itself to expected_validators", async () => {
    const request = doc(validator(VALIDATOR_EVE_UNEXPECTED), "api_requests", REQUESTS.pending);
    await assertFails(updateDoc(request, { result: { leads: [] }, status: "completed" }));
    await assertFails(
      updateDoc(request, {
        expected_validators: [VALIDATOR_ALICE, VALIDATOR_BOB, VALIDATOR_EVE_UNEXPECTED],
      }),
    );
  });

  it("a node cannot write trust into a request", async () => {
    await assertFails(
      updateDoc(doc(validator(VALIDATOR_ALICE), "api_requests", REQUESTS.pending), {
        validator_trust: 1,
      }),
    );
  });

  it("a node cannot delete a request", async () => {
    await assertFails(deleteDoc(doc(validator(VALIDATOR_ALICE), "api_requests", REQUESTS.pending)));
  });
});

describe("miner_submissions: create", () => {
  const ref = (firestore: Firestore, requestId: string, hotkey: string) =>
    doc(firestore, "miner_submissions", submissionId(requestId, hotkey));

  it("a miner creates its own submission for a pending request", async () => {
    const db = miner(MINER_CHARLIE);
    await assertSucceeds(
      setDoc(ref(db, REQUESTS.pending, MINER_CHARLIE), submission(REQUESTS.pending, MINER_CHARLIE)),
    );
  });

  it("a miner creates its own submission for a processing request", async () => {
    await assertSucceeds(
      setDoc(
        ref(miner(MINER_FERDIE), REQUESTS.processing, MINER_FERDIE),
        submission(REQUESTS.processing, MINER_FERDIE, { miner_uid: 9 }),
      ),
    );
  });

  it("accepts the maximum of 200 leads", async () => {
    const l = leads(200);
    await assertSucceeds(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { leads: l, num_leads: 200 }),
      ),
    );
  });

  it("rejects a submission in another miner's name (hotkey and doc id of Dave)", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_DAVE),
        submission(REQUESTS.pending, MINER_DAVE),
      ),
    );
  });

  it("rejects a submission whose miner_hotkey is someone else's under the caller's doc id", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_DAVE),
      ),
    );
  });

  it("rejects a validator writing a submission", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        submission(REQUESTS.pending, VALIDATOR_ALICE),
      ),
    );
  });

  it("rejects a signed-in user without a role claim", async () => {
    await assertFails(
      setDoc(
        ref(noRole(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE),
      ),
    );
  });

  it("rejects an anonymous write", async () => {
    await assertFails(
      setDoc(
        ref(anonymous(), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE),
      ),
    );
  });

  it("rejects a doc id that does not match request_id + '_' + hotkey", async () => {
    const db = miner(MINER_CHARLIE);
    const data = submission(REQUESTS.pending, MINER_CHARLIE);
    await assertFails(setDoc(doc(db, "miner_submissions", "my-submission"), data));
    await assertFails(setDoc(ref(db, REQUESTS.processing, MINER_CHARLIE + "x"), data));
    await assertFails(
      setDoc(doc(db, "miner_submissions", `${MINER_CHARLIE}_${REQUESTS.pending}`), data),
    );
  });

  it("rejects a doc id for another request than the one in request_id", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.completed, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE),
      ),
    );
  });

  it("rejects a client-chosen submitted_at", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { submitted_at: Timestamp.now() }),
      ),
    );
  });

  it("rejects a backdated submitted_at", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, {
          submitted_at: Timestamp.fromMillis(Date.now() - 60_000),
        }),
      ),
    );
  });

  it.each([
    ["completed", REQUESTS.completed],
    ["failed", REQUESTS.failed],
  ])("rejects a submission for a %s request", async (_status, requestId) => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), requestId, MINER_CHARLIE),
        submission(requestId, MINER_CHARLIE),
      ),
    );
  });

  it("rejects a submission for a request past its timeout (not yet swept)", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.expired, MINER_CHARLIE),
        submission(REQUESTS.expired, MINER_CHARLIE),
      ),
    );
  });

  it("rejects a submission for an unknown request", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.unknown, MINER_CHARLIE),
        submission(REQUESTS.unknown, MINER_CHARLIE),
      ),
    );
  });

  it("rejects 201 leads (oversized document)", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { leads: leads(201), num_leads: 201 }),
      ),
    );
  });

  it("rejects an empty lead list", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { leads: [], num_leads: 0 }),
      ),
    );
  });

  it("rejects leads that are not a list", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { leads: { 0: leads(1)[0] }, num_leads: 1 }),
      ),
    );
  });

  it("rejects a non-string request_id", async () => {
    await assertFails(
      setDoc(
        doc(miner(MINER_CHARLIE), "miner_submissions", `42_${MINER_CHARLIE}`),
        submission(REQUESTS.pending, MINER_CHARLIE, { request_id: 42 }),
      ),
    );
  });

  it("rejects num_leads that does not match leads.length", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { num_leads: 4 }),
      ),
    );
  });

  it("rejects a non-integer num_leads", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { num_leads: "3" }),
      ),
    );
  });

  it.each([
    ["negative", -1],
    ["fractional", 1.5],
    ["string", "7"],
  ])("rejects a %s miner_uid", async (_kind, value) => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { miner_uid: value }),
      ),
    );
  });

  it.each([
    ["too short", "0x" + "ab".repeat(63)],
    ["not hex", "0x" + "zz".repeat(64)],
    ["missing 0x", "ab".repeat(65)],
    ["not a string", 42],
  ])("rejects a signature that is %s", async (_kind, value) => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { signature: value }),
      ),
    );
  });

  it.each([
    "request_id",
    "miner_hotkey",
    "miner_uid",
    "leads",
    "num_leads",
    "signature",
    "submitted_at",
  ])("rejects a submission missing %s", async (key) => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        without(submission(REQUESTS.pending, MINER_CHARLIE), key),
      ),
    );
  });

  it("rejects an extra key (self-reported score)", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        submission(REQUESTS.pending, MINER_CHARLIE, { score: 1 }),
      ),
    );
  });
});

describe("miner_submissions: immutability", () => {
  const own = () =>
    doc(
      miner(MINER_CHARLIE),
      "miner_submissions",
      submissionId(REQUESTS.processing, MINER_CHARLIE),
    );

  it("a miner cannot update its own submission", async () => {
    await assertFails(updateDoc(own(), { leads: leads(5), num_leads: 5 }));
  });

  it("a miner cannot overwrite its own submission with a second create", async () => {
    await assertFails(setDoc(own(), submission(REQUESTS.processing, MINER_CHARLIE)));
  });

  it("a miner cannot delete its own submission", async () => {
    await assertFails(deleteDoc(own()));
  });
});

describe("miner_submissions: read", () => {
  const charlieOnProcessing = submissionId(REQUESTS.processing, MINER_CHARLIE);
  const daveOnProcessing = submissionId(REQUESTS.processing, MINER_DAVE);

  it("a miner reads its own submission", async () => {
    await assertSucceeds(
      getDoc(doc(miner(MINER_CHARLIE), "miner_submissions", charlieOnProcessing)),
    );
  });

  it("a miner can probe its own not-yet-written submission", async () => {
    const snapshot = await assertSucceeds(
      getDoc(
        doc(
          miner(MINER_CHARLIE),
          "miner_submissions",
          submissionId(REQUESTS.pending, MINER_CHARLIE),
        ),
      ),
    );
    expect(snapshot.exists()).toBe(false);
  });

  it("a miner cannot read another miner's submission", async () => {
    await assertFails(getDoc(doc(miner(MINER_CHARLIE), "miner_submissions", daveOnProcessing)));
  });

  it("a miner cannot probe another miner's not-yet-written submission", async () => {
    await assertFails(
      getDoc(
        doc(miner(MINER_CHARLIE), "miner_submissions", submissionId(REQUESTS.pending, MINER_DAVE)),
      ),
    );
  });

  it("a miner cannot probe a missing document whose id has extra segments", async () => {
    await assertFails(
      getDoc(
        doc(miner(MINER_CHARLIE), "miner_submissions", `${REQUESTS.pending}_${MINER_CHARLIE}_x`),
      ),
    );
  });

  it("a miner cannot list all submissions for a request", async () => {
    await assertFails(
      getDocs(
        query(
          collection(miner(MINER_CHARLIE), "miner_submissions"),
          where("request_id", "==", REQUESTS.processing),
        ),
      ),
    );
  });

  it("a miner lists its own submissions when the query filters on its hotkey", async () => {
    const snapshot = await assertSucceeds(
      getDocs(
        query(
          collection(miner(MINER_CHARLIE), "miner_submissions"),
          where("miner_hotkey", "==", MINER_CHARLIE),
        ),
      ),
    );
    expect(snapshot.size).toBe(1);
  });

  it("a validator reads any miner's submission", async () => {
    await assertSucceeds(
      getDoc(doc(validator(VALIDATOR_ALICE), "miner_submissions", daveOnProcessing)),
    );
  });

  it("a validator collects every submission for a request", async () => {
    const snapshot = await assertSucceeds(
      getDocs(
        query(
          collection(validator(VALIDATOR_ALICE), "miner_submissions"),
          where("request_id", "==", REQUESTS.processing),
        ),
      ),
    );
    expect(snapshot.size).toBe(2);
  });

  it("a signed-in user without a role cannot read submissions", async () => {
    await assertFails(getDoc(doc(noRole(MINER_CHARLIE), "miner_submissions", charlieOnProcessing)));
  });
});

describe("validator_rankings: create", () => {
  const ref = (firestore: Firestore, requestId: string, hotkey: string) =>
    doc(firestore, "validator_rankings", rankingId(requestId, hotkey));

  it("an expected validator creates its own ranking for a pending request", async () => {
    await assertSucceeds(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE),
      ),
    );
  });

  it("accepts the maximum of 200 ranked leads", async () => {
    await assertSucceeds(
      setDoc(
        ref(validator(VALIDATOR_BOB), REQUESTS.pending, VALIDATOR_BOB),
        ranking(REQUESTS.pending, VALIDATOR_BOB, {
          validator_uid: 1,
          ranked_leads: rankedLeads(200),
          num_leads_ranked: 200,
        }),
      ),
    );
  });

  it("rejects a ranking in another validator's name (hotkey and doc id of Bob)", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_BOB),
        ranking(REQUESTS.pending, VALIDATOR_BOB),
      ),
    );
  });

  it("rejects Bob's hotkey under Alice's own doc id", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_BOB),
      ),
    );
  });

  it("rejects a miner writing a ranking", async () => {
    await assertFails(
      setDoc(
        ref(miner(MINER_CHARLIE), REQUESTS.pending, MINER_CHARLIE),
        ranking(REQUESTS.pending, MINER_CHARLIE),
      ),
    );
  });

  it("rejects an expected hotkey that signed in with the miner role", async () => {
    await assertFails(
      setDoc(
        ref(miner(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE),
      ),
    );
  });

  it("rejects a validator that is not in expected_validators", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_EVE_UNEXPECTED), REQUESTS.pending, VALIDATOR_EVE_UNEXPECTED),
        ranking(REQUESTS.pending, VALIDATOR_EVE_UNEXPECTED, { validator_uid: 4 }),
      ),
    );
  });

  it("rejects an anonymous ranking", async () => {
    await assertFails(
      setDoc(
        ref(anonymous(), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE),
      ),
    );
  });

  it("rejects a ranking containing validator_trust", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { validator_trust: 1 }),
      ),
    );
  });

  it("rejects a ranking containing verification", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { verification: { ok: true } }),
      ),
    );
  });

  it("rejects a ranking with any other extra key", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { stake: 1_000_000 }),
      ),
    );
  });

  it.each([
    "request_id",
    "validator_hotkey",
    "validator_uid",
    "ranked_leads",
    "num_leads_ranked",
    "signature",
    "submitted_at",
  ])("rejects a ranking missing %s", async (key) => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        without(ranking(REQUESTS.pending, VALIDATOR_ALICE), key),
      ),
    );
  });

  it("rejects a client-chosen submitted_at", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { submitted_at: Timestamp.now() }),
      ),
    );
  });

  it("rejects a doc id that does not match request_id + '_' + hotkey", async () => {
    const db = validator(VALIDATOR_ALICE);
    const data = ranking(REQUESTS.pending, VALIDATOR_ALICE);
    await assertFails(setDoc(doc(db, "validator_rankings", "alice-ranking"), data));
    await assertFails(setDoc(ref(db, REQUESTS.processing, VALIDATOR_ALICE + "2"), data));
    await assertFails(setDoc(ref(db, REQUESTS.failed, VALIDATOR_ALICE), data));
  });

  // A completed request still takes an expected validator's ranking before its timeout: the
  // backend records it as late (test/rules/rounds.rules.test.ts).
  it("rejects a ranking for a failed request", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.failed, VALIDATOR_ALICE),
        ranking(REQUESTS.failed, VALIDATOR_ALICE),
      ),
    );
  });

  it("rejects a ranking for a request past its timeout (not yet swept)", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.expired, VALIDATOR_ALICE),
        ranking(REQUESTS.expired, VALIDATOR_ALICE),
      ),
    );
  });

  it("rejects a ranking for an unknown request", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.unknown, VALIDATOR_ALICE),
        ranking(REQUESTS.unknown, VALIDATOR_ALICE),
      ),
    );
  });

  it("rejects 201 ranked leads (oversized document)", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, {
          ranked_leads: rankedLeads(201),
          num_leads_ranked: 201,
        }),
      ),
    );
  });

  it("rejects an empty ranking", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { ranked_leads: [], num_leads_ranked: 0 }),
      ),
    );
  });

  it("rejects num_leads_ranked that does not match ranked_leads.length", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { num_leads_ranked: 2 }),
      ),
    );
  });

  it("rejects a negative validator_uid", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { validator_uid: -1 }),
      ),
    );
  });

  it("rejects a malformed signature", async () => {
    await assertFails(
      setDoc(
        ref(validator(VALIDATOR_ALICE), REQUESTS.pending, VALIDATOR_ALICE),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { signature: "0xdeadbeef" }),
      ),
    );
  });
});

describe("validator_rankings: immutability", () => {
  const own = () =>
    doc(
      validator(VALIDATOR_ALICE),
      "validator_rankings",
      rankingId(REQUESTS.processing, VALIDATOR_ALICE),
    );

  it("a validator cannot update its own ranking", async () => {
    await assertFails(updateDoc(own(), { ranked_leads: rankedLeads(1), num_leads_ranked: 1 }));
  });

  it("a validator cannot add validator_trust to its own ranking afterwards", async () => {
    await assertFails(updateDoc(own(), { validator_trust: 1 }));
  });

  it("a validator cannot overwrite its own ranking with a second create", async () => {
    await assertFails(setDoc(own(), ranking(REQUESTS.processing, VALIDATOR_ALICE)));
  });

  it("a validator cannot delete its own ranking", async () => {
    await assertFails(deleteDoc(own()));
  });
});

describe("validator_rankings: read", () => {
  const aliceOnProcessing = rankingId(REQUESTS.processing, VALIDATOR_ALICE);
  const bobOnProcessing = rankingId(REQUESTS.processing, VALIDATOR_BOB);

  it("a validator reads its own ranking", async () => {
    await assertSucceeds(
      getDoc(doc(validator(VALIDATOR_ALICE), "validator_rankings", aliceOnProcessing)),
    );
  });

  it("a validator can probe its own not-yet-written ranking", async () => {
    const snapshot = await assertSucceeds(
      getDoc(
        doc(
          validator(VALIDATOR_ALICE),
          "validator_rankings",
          rankingId(REQUESTS.pending, VALIDATOR_ALICE),
        ),
      ),
    );
    expect(snapshot.exists()).toBe(false);
  });

  it("a validator cannot read another validator's ranking", async () => {
    await assertFails(
      getDoc(doc(validator(VALIDATOR_ALICE), "validator_rankings", bobOnProcessing)),
    );
  });

  it("a validator cannot probe another validator's not-yet-written ranking", async () => {
    await assertFails(
      getDoc(
        doc(
          validator(VALIDATOR_ALICE),
          "validator_rankings",
          rankingId(REQUESTS.pending, VALIDATOR_BOB),
        ),
      ),
    );
  });

  it("a validator cannot list all rankings for a request", async () => {
    await assertFails(
      getDocs(
        query(
          collection(validator(VALIDATOR_ALICE), "validator_rankings"),
          where("request_id", "==", REQUESTS.processing),
        ),
      ),
    );
  });

  it("a validator lists its own rankings when the query filters on its hotkey", async () => {
    const snapshot = await assertSucceeds(
      getDocs(
        query(
          collection(validator(VALIDATOR_ALICE), "validator_rankings"),
          where("validator_hotkey", "==", VALIDATOR_ALICE),
        ),
      ),
    );
    expect(snapshot.size).toBe(1);
  });

  it("a miner cannot read any ranking", async () => {
    await assertFails(getDoc(doc(miner(MINER_CHARLIE), "validator_rankings", aliceOnProcessing)));
    await assertFails(
      getDocs(
        query(
          collection(miner(MINER_CHARLIE), "validator_rankings"),
          where("request_id", "==", REQUESTS.processing),
        ),
      ),
    );
  });

  it("a miner whose hotkey matches a ranking's doc id still cannot read it", async () => {
    await assertFails(
      getDoc(
        doc(
          miner(VALIDATOR_ALICE),
          "validator_rankings",
          rankingId(REQUESTS.pending, VALIDATOR_ALICE),
        ),
      ),
    );
  });
});

describe("registry", () => {
  it("a validator reads its own registry entry", async () => {
    await assertSucceeds(getDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE)));
  });

  it("a miner reads its own registry entry", async () => {
    await assertSucceeds(getDoc(doc(miner(MINER_CHARLIE), "registry", MINER_CHARLIE)));
  });

  it("a node cannot read another node's registry entry", async () => {
    await assertFails(getDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_BOB)));
    await assertFails(getDoc(doc(miner(MINER_CHARLIE), "registry", VALIDATOR_ALICE)));
  });

  it("a node cannot list the registry", async () => {
    await assertFails(getDocs(collection(validator(VALIDATOR_ALICE), "registry")));
  });

  it("a node without a role cannot read its registry entry", async () => {
    await assertFails(getDoc(doc(noRole(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE)));
  });

  it("a node updates its heartbeat (last_seen = serverTimestamp, is_serving)", async () => {
    await assertSucceeds(
      updateDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE), {
        last_seen: serverTimestamp(),
        is_serving: true,
      }),
    );
    await assertSucceeds(
      updateDoc(doc(miner(MINER_CHARLIE), "registry", MINER_CHARLIE), {
        last_seen: serverTimestamp(),
        is_serving: false,
      }),
    );
  });

  it("a node updates last_seen alone", async () => {
    await assertSucceeds(
      updateDoc(doc(miner(MINER_CHARLIE), "registry", MINER_CHARLIE), {
        last_seen: serverTimestamp(),
      }),
    );
  });

  it("rejects a heartbeat with a client timestamp", async () => {
    await assertFails(
      updateDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE), {
        last_seen: Timestamp.now(),
        is_serving: true,
      }),
    );
  });

  it("rejects a heartbeat whose is_serving is not a bool", async () => {
    await assertFails(
      updateDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE), {
        last_seen: serverTimestamp(),
        is_serving: "yes",
      }),
    );
  });

  it("rejects a heartbeat that does not refresh last_seen", async () => {
    await assertFails(
      updateDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE), {
        is_serving: false,
      }),
    );
  });

  // Charlie is a miner with uid 7, no permit, trust 0 and stake 10: every value below differs.
  it.each([
    ["validator_trust", 1],
    ["stake", 1_000_000],
    ["role", "validator"],
    ["uid", 0],
    ["validator_permit", true],
    ["hotkey", VALIDATOR_BOB],
  ])("rejects a heartbeat that also touches %s", async (field, value) => {
    await assertFails(
      updateDoc(doc(miner(MINER_CHARLIE), "registry", MINER_CHARLIE), {
        last_seen: serverTimestamp(),
        is_serving: true,
        [field]: value,
      }),
    );
  });

  it("rejects a validator raising its own validator_trust alone", async () => {
    await assertFails(
      updateDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE), {
        validator_trust: 1,
      }),
    );
  });

  it("rejects a heartbeat that adds a new field", async () => {
    await assertFails(
      updateDoc(doc(miner(MINER_CHARLIE), "registry", MINER_CHARLIE), {
        last_seen: serverTimestamp(),
        version: "1.2.3",
      }),
    );
  });

  it("rejects a heartbeat for another node", async () => {
    await assertFails(
      updateDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_BOB), {
        last_seen: serverTimestamp(),
        is_serving: false,
      }),
    );
  });

  it("rejects a node rewriting its whole entry (set) with more trust", async () => {
    await assertFails(
      setDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE), {
        ...registryEntry(VALIDATOR_ALICE, "validator", 0),
        validator_trust: 1,
        last_seen: serverTimestamp(),
      }),
    );
  });

  it("rejects a node creating its own registry entry", async () => {
    await assertFails(
      setDoc(doc(validator(UNREGISTERED), "registry", UNREGISTERED), {
        ...registryEntry(UNREGISTERED, "validator", 4),
        last_seen: serverTimestamp(),
      }),
    );
  });

  it("rejects a node deleting its own registry entry", async () => {
    await assertFails(deleteDoc(doc(validator(VALIDATOR_ALICE), "registry", VALIDATOR_ALICE)));
  });

  it("rejects an anonymous heartbeat", async () => {
    await assertFails(
      updateDoc(doc(anonymous(), "registry", VALIDATOR_ALICE), {
        last_seen: serverTimestamp(),
        is_serving: true,
      }),
    );
  });
});

describe("consensus_metrics", () => {
  it("a validator and a miner read metrics", async () => {
    await assertSucceeds(
      getDoc(doc(validator(VALIDATOR_ALICE), "consensus_metrics", REQUESTS.completed)),
    );
    await assertSucceeds(
      getDoc(doc(miner(MINER_CHARLIE), "consensus_metrics", REQUESTS.completed)),
    );
  });

  it("a node cannot write metrics", async () => {
    const ref = doc(validator(VALIDATOR_ALICE), "consensus_metrics", REQUESTS.completed);
    await assertFails(updateDoc(ref, { validators_participated: 99 }));
    await assertFails(
      setDoc(doc(validator(VALIDATOR_ALICE), "consensus_metrics", REQUESTS.pending), {
        fake: true,
      }),
    );
    await assertFails(deleteDoc(ref));
  });
});

describe("backend-only collections", () => {
  it.each(OTHER_COLLECTIONS)("nodes cannot read or write %s", async (name) => {
    for (const firestore of [validator(VALIDATOR_ALICE), miner(MINER_CHARLIE)]) {
      await assertFails(getDoc(doc(firestore, name, "seeded")));
      await assertFails(getDocs(collection(firestore, name)));
      await assertFails(setDoc(doc(firestore, name, "new"), { value: 1 }));
      await assertFails(updateDoc(doc(firestore, name, "seeded"), { value: 1 }));
      await assertFails(deleteDoc(doc(firestore, name, "seeded")));
    }
  });

  it("a node cannot plant an API key", async () => {
    await assertFails(
      setDoc(doc(validator(VALIDATOR_ALICE), "api_keys", "sha256-of-my-key"), {
        client_id: "attacker",
        key_hash: "00".repeat(32),
        active: true,
      }),
    );
  });

  it("an anonymous client cannot write api_keys", async () => {
    await assertFails(
      setDoc(doc(anonymous(), "api_keys", "sha256-of-my-key"), {
        client_id: "attacker",
        active: true,
      }),
    );
  });

  it("a node cannot write a subcollection under a request", async () => {
    await assertFails(
      setDoc(doc(validator(VALIDATOR_ALICE), "api_requests", REQUESTS.pending, "notes", "n1"), {
        text: "hi",
      }),
    );
  });
});

describe("anonymous clients read nothing", () => {
  const targets: [string, string][] = [
    ["api_requests", REQUESTS.pending],
    ["miner_submissions", submissionId(REQUESTS.processing, MINER_CHARLIE)],
    ["validator_rankings", rankingId(REQUESTS.processing, VALIDATOR_ALICE)],
    ["registry", VALIDATOR_ALICE],
    ["consensus_metrics", REQUESTS.completed],
    ...OTHER_COLLECTIONS.map((name): [string, string] => [name, "seeded"]),
  ];

  it.each(targets)("anonymous get of %s/%s", async (name, id) => {
    await assertFails(getDoc(doc(anonymous(), name, id)));
  });

  it.each(targets)("anonymous list of %s", async (name) => {
    await assertFails(getDocs(collection(anonymous(), name)));
  });
});
