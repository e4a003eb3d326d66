// What outside probes found (issue 20), as the rules see it: a miner the request did not expect or
// one past the validator deadline cannot add leads (or another copy of a lead) after validators
// scored; a node cannot write a uid other than its registry entry's; and a validator the request
// does not expect cannot harvest its miners' leads.
import {
  assertFails,
  assertSucceeds,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  Timestamp,
  where,
} from "firebase/firestore";
import {
  apiRequest,
  MINER_CHARLIE,
  MINER_DAVE,
  MINER_FERDIE,
  ranking,
  rankingId,
  registryEntry,
  REQUESTS,
  submission,
  submissionId,
  VALIDATOR_ALICE,
  VALIDATOR_BOB,
  VALIDATOR_EVE_UNEXPECTED,
} from "./fixtures";
import { nodeDb, seedDocs, startRulesEnv } from "./context";

let env: RulesTestEnvironment;
const miner = (hotkey: string) => nodeDb(env, hotkey, "miner");
const validator = (hotkey: string) => nodeDb(env, hotkey, "validator");

/** The pending request expects Charlie and Dave only; the "deadline passed" one is still open. */
const PAST_DEADLINE = REQUESTS.processing;

beforeAll(async () => {
  env = await startRulesEnv();
});

beforeEach(async () => {
  await env.clearFirestore();
  await seedDocs(env, [
    ["registry", VALIDATOR_ALICE, registryEntry(VALIDATOR_ALICE, "validator", 0)],
    ["registry", VALIDATOR_BOB, registryEntry(VALIDATOR_BOB, "validator", 1)],
    ["registry", VALIDATOR_EVE_UNEXPECTED, registryEntry(VALIDATOR_EVE_UNEXPECTED, "validator", 4)],
    ["registry", MINER_CHARLIE, registryEntry(MINER_CHARLIE, "miner", 7)],
    ["registry", MINER_DAVE, registryEntry(MINER_DAVE, "miner", 8)],
    ["registry", MINER_FERDIE, registryEntry(MINER_FERDIE, "miner", 9)],
    [
      "api_requests",
      REQUESTS.pending,
      apiRequest(REQUESTS.pending, "pending", { expectedMiners: [MINER_CHARLIE, MINER_DAVE] }),
    ],
    [
      "api_requests",
      PAST_DEADLINE,
      // Open until its timeout, but its validator deadline has passed.
      apiRequest(PAST_DEADLINE, "processing", { deadlineInMs: -1_000 }),
    ],
    [
      "miner_submissions",
      submissionId(REQUESTS.pending, MINER_CHARLIE),
      { ...submission(REQUESTS.pending, MINER_CHARLIE), submitted_at: Timestamp.now() },
    ],
  ]);
});

afterAll(async () => {
  await env?.cleanup();
});

describe("1, 2: what validators score is fixed by the expected miners before the deadline", () => {
  it("an expected miner submits before the deadline", async () => {
    const id = submissionId(REQUESTS.pending, MINER_DAVE);
    await assertSucceeds(
      setDoc(
        doc(miner(MINER_DAVE), "miner_submissions", id),
        submission(REQUESTS.pending, MINER_DAVE),
      ),
    );
  });

  it("a registered miner the request did not expect cannot submit (the swap's late copy)", async () => {
    const id = submissionId(REQUESTS.pending, MINER_FERDIE);
    await assertFails(
      setDoc(
        doc(miner(MINER_FERDIE), "miner_submissions", id),
        submission(REQUESTS.pending, MINER_FERDIE),
      ),
    );
  });

  it("an expected miner cannot submit after the validator deadline, even while the request is open", async () => {
    const id = submissionId(PAST_DEADLINE, MINER_DAVE);
    await assertFails(
      setDoc(
        doc(miner(MINER_DAVE), "miner_submissions", id),
        submission(PAST_DEADLINE, MINER_DAVE),
      ),
    );
  });

  it("nor decline after it, nor decline a request that did not expect it", async () => {
    const decline = (requestId: string, hotkey: string, uid: number) => ({
      request_id: requestId,
      miner_hotkey: hotkey,
      miner_uid: uid,
      reason: "no_fitting_leads",
      signature: "0x" + "ab".repeat(64),
      submitted_at: submission(requestId, hotkey).submitted_at,
    });
    await assertFails(
      setDoc(
        doc(miner(MINER_DAVE), "miner_declines", submissionId(PAST_DEADLINE, MINER_DAVE)),
        decline(PAST_DEADLINE, MINER_DAVE, 8),
      ),
    );
    await assertFails(
      setDoc(
        doc(miner(MINER_FERDIE), "miner_declines", submissionId(REQUESTS.pending, MINER_FERDIE)),
        decline(REQUESTS.pending, MINER_FERDIE, 9),
      ),
    );
    await assertSucceeds(
      setDoc(
        doc(miner(MINER_DAVE), "miner_declines", submissionId(REQUESTS.pending, MINER_DAVE)),
        decline(REQUESTS.pending, MINER_DAVE, 8),
      ),
    );
  });
});

describe("3: uids come from the registry", () => {
  it("a miner (uid 8) cannot submit as miner_uid 9", async () => {
    const id = submissionId(REQUESTS.pending, MINER_DAVE);
    await assertFails(
      setDoc(
        doc(miner(MINER_DAVE), "miner_submissions", id),
        submission(REQUESTS.pending, MINER_DAVE, { miner_uid: 9 }),
      ),
    );
  });

  it("a validator (uid 0) cannot rank as validator_uid 1", async () => {
    const id = rankingId(REQUESTS.pending, VALIDATOR_ALICE);
    await assertFails(
      setDoc(
        doc(validator(VALIDATOR_ALICE), "validator_rankings", id),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { validator_uid: 1 }),
      ),
    );
    await assertSucceeds(
      setDoc(
        doc(validator(VALIDATOR_ALICE), "validator_rankings", id),
        ranking(REQUESTS.pending, VALIDATOR_ALICE, { validator_uid: 0 }),
      ),
    );
  });
});

describe("9: only the validators a request expects read its miners' leads", () => {
  const ofPending = (db: ReturnType<typeof validator>) =>
    getDocs(
      query(collection(db, "miner_submissions"), where("request_id", "==", REQUESTS.pending)),
    );

  it("an expected validator reads the open request's submissions", async () => {
    const snap = await assertSucceeds(ofPending(validator(VALIDATOR_ALICE)));
    expect(snap.size).toBe(1);
  });

  it("a registered validator the request does not expect reads none of them", async () => {
    await assertFails(ofPending(validator(VALIDATOR_EVE_UNEXPECTED)));
    await assertFails(
      getDoc(
        doc(
          validator(VALIDATOR_EVE_UNEXPECTED),
          "miner_submissions",
          submissionId(REQUESTS.pending, MINER_CHARLIE),
        ),
      ),
    );
  });

  it("nor can it count the request's declines", async () => {
    await assertFails(
      getDocs(
        query(
          collection(validator(VALIDATOR_EVE_UNEXPECTED), "miner_declines"),
          where("request_id", "==", REQUESTS.pending),
        ),
      ),
    );
    await assertSucceeds(
      getDocs(
        query(
          collection(validator(VALIDATOR_BOB), "miner_declines"),
          where("request_id", "==", REQUESTS.pending),
        ),
      ),
    );
  });
});
