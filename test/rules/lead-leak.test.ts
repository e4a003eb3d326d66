// The lead leak (issue 11): the winning leads of a finished request reach API clients through the
// API only. No node (validator or miner) reads a finished request, the submissions behind it, or a
// consensus_metrics record's lead contents; nodes still read everything an open request needs.
import {
  assertFails,
  assertSucceeds,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { collection, doc, getDoc, getDocs, query, Timestamp, where } from "firebase/firestore";
import {
  apiRequest,
  lead,
  MINER_CHARLIE,
  MINER_DAVE,
  registryEntry,
  REQUESTS,
  submission,
  submissionId,
  VALIDATOR_ALICE,
  VALIDATOR_BOB,
} from "./fixtures";
import { nodeDb, seedDocs, startRulesEnv } from "./context";

let env: RulesTestEnvironment;
const alice = () => nodeDb(env, VALIDATOR_ALICE, "validator");
const charlie = () => nodeDb(env, MINER_CHARLIE, "miner");
const nodes = () => [alice(), charlie()];

const winningLead = { ...lead(1), c_validator_hotkey: "CONSENSUS", consensus_score: 0.9 };

beforeAll(async () => {
  env = await startRulesEnv();
});

beforeEach(async () => {
  await env.clearFirestore();
  const at = { submitted_at: Timestamp.now() };
  await seedDocs(env, [
    ["registry", VALIDATOR_ALICE, registryEntry(VALIDATOR_ALICE, "validator", 0)],
    ["registry", VALIDATOR_BOB, registryEntry(VALIDATOR_BOB, "validator", 1)],
    ["registry", MINER_CHARLIE, registryEntry(MINER_CHARLIE, "miner", 7)],
    ["registry", MINER_DAVE, registryEntry(MINER_DAVE, "miner", 8)],
    ["api_requests", REQUESTS.pending, apiRequest(REQUESTS.pending, "pending")],
    [
      "api_requests",
      REQUESTS.completed,
      { ...apiRequest(REQUESTS.completed, "completed"), result: { leads: [winningLead] } },
    ],
    ["api_requests", REQUESTS.failed, apiRequest(REQUESTS.failed, "failed")],
    [
      "miner_submissions",
      submissionId(REQUESTS.completed, MINER_DAVE),
      { ...submission(REQUESTS.completed, MINER_DAVE, { miner_uid: 8 }), ...at },
    ],
    [
      "miner_submissions",
      submissionId(REQUESTS.pending, MINER_DAVE),
      { ...submission(REQUESTS.pending, MINER_DAVE, { miner_uid: 8 }), ...at },
    ],
  ]);
});

afterAll(async () => {
  await env?.cleanup();
});

describe("api_requests: finished requests are not readable by nodes", () => {
  it("no node gets a completed request (it holds the result)", async () => {
    for (const db of nodes()) {
      await assertFails(getDoc(doc(db, "api_requests", REQUESTS.completed)));
    }
  });

  it("no node gets a failed request", async () => {
    for (const db of nodes()) await assertFails(getDoc(doc(db, "api_requests", REQUESTS.failed)));
  });

  it("no node lists requests without the open-status filter", async () => {
    for (const db of nodes()) await assertFails(getDocs(collection(db, "api_requests")));
  });

  it("no node queries completed requests by status", async () => {
    for (const db of nodes()) {
      await assertFails(
        getDocs(query(collection(db, "api_requests"), where("status", "==", "completed"))),
      );
    }
  });

  it("the open-request listener's query still works and returns open requests only", async () => {
    for (const db of nodes()) {
      const open = query(
        collection(db, "api_requests"),
        where("status", "in", ["pending", "processing"]),
      );
      const snap = await assertSucceeds(getDocs(open));
      expect(snap.docs.map((d) => d.id)).toEqual([REQUESTS.pending]);
      expect(snap.docs[0].data().result).toBeNull();
    }
  });

  it("a node gets an open request by id", async () => {
    for (const db of nodes()) {
      await assertSucceeds(getDoc(doc(db, "api_requests", REQUESTS.pending)));
    }
  });
});

describe("miner_submissions: a validator reads open requests' submissions only", () => {
  it("a validator cannot get a submission of a completed request", async () => {
    await assertFails(
      getDoc(doc(alice(), "miner_submissions", submissionId(REQUESTS.completed, MINER_DAVE))),
    );
  });

  it("a validator cannot query the submissions of a completed request", async () => {
    await assertFails(
      getDocs(
        query(
          collection(alice(), "miner_submissions"),
          where("request_id", "==", REQUESTS.completed),
        ),
      ),
    );
  });

  it("a validator cannot list submissions across requests", async () => {
    await assertFails(getDocs(collection(alice(), "miner_submissions")));
  });

  it("a validator still collects an open request's submissions", async () => {
    const snap = await assertSucceeds(
      getDocs(
        query(
          collection(alice(), "miner_submissions"),
          where("request_id", "==", REQUESTS.pending),
        ),
      ),
    );
    expect(snap.size).toBe(1);
  });

  it("a miner cannot read another miner's submission to a completed request", async () => {
    await assertFails(
      getDoc(doc(charlie(), "miner_submissions", submissionId(REQUESTS.completed, MINER_DAVE))),
    );
  });
});
