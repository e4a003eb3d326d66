// Stale sessions (issue 11): an ID token minted before the registry sync removed a hotkey, or
// changed its role, must stop working at once, not when it expires. The token below keeps its role
// claim throughout; only the registry entry changes, as the sync changes it.
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
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import {
  apiRequest,
  MINER_CHARLIE,
  ranking,
  rankingId,
  registryEntry,
  REQUESTS,
  submission,
  submissionId,
  VALIDATOR_ALICE,
  VALIDATOR_BOB,
} from "./fixtures";
import { nodeDb, seedDocs, startRulesEnv } from "./context";

let env: RulesTestEnvironment;

beforeAll(async () => {
  env = await startRulesEnv();
});

beforeEach(async () => {
  await env.clearFirestore();
  await seedDocs(env, [
    ["registry", VALIDATOR_ALICE, registryEntry(VALIDATOR_ALICE, "validator", 0)],
    ["registry", VALIDATOR_BOB, registryEntry(VALIDATOR_BOB, "validator", 1)],
    ["registry", MINER_CHARLIE, registryEntry(MINER_CHARLIE, "miner", 7)],
    ["api_requests", REQUESTS.pending, apiRequest(REQUESTS.pending, "pending")],
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

/** What the metagraph sync writes for a hotkey that left the metagraph. */
const removedEntry = (hotkey: string, uid: number) => ({
  ...registryEntry(hotkey, "validator", uid),
  role: null,
  validator_permit: false,
  validator_trust: 0,
  stake: 0,
  is_serving: false,
});

/** Every read and write the validator's session is for. */
async function validatorSessionFails(db: Firestore, hotkey: string): Promise<void> {
  await assertFails(getDoc(doc(db, "api_requests", REQUESTS.pending)));
  await assertFails(
    getDocs(
      query(collection(db, "api_requests"), where("status", "in", ["pending", "processing"])),
    ),
  );
  await assertFails(
    getDocs(
      query(collection(db, "miner_submissions"), where("request_id", "==", REQUESTS.pending)),
    ),
  );
  await assertFails(
    setDoc(
      doc(db, "validator_rankings", rankingId(REQUESTS.pending, hotkey)),
      ranking(REQUESTS.pending, hotkey),
    ),
  );
  await assertFails(getDoc(doc(db, "registry", hotkey)));
  await assertFails(
    updateDoc(doc(db, "registry", hotkey), { last_seen: serverTimestamp(), is_serving: true }),
  );
  await assertFails(getDoc(doc(db, "consensus_metrics", REQUESTS.pending)));
}

describe("a removed hotkey's still-valid token", () => {
  it("works before the removal (the baseline the attack starts from)", async () => {
    const db = nodeDb(env, VALIDATOR_ALICE, "validator");
    await assertSucceeds(getDoc(doc(db, "api_requests", REQUESTS.pending)));
    await assertSucceeds(
      setDoc(
        doc(db, "validator_rankings", rankingId(REQUESTS.pending, VALIDATOR_ALICE)),
        ranking(REQUESTS.pending, VALIDATOR_ALICE),
      ),
    );
  });

  it("reads and writes nothing once the sync removed the hotkey (role null)", async () => {
    const db = nodeDb(env, VALIDATOR_ALICE, "validator");
    await assertSucceeds(getDoc(doc(db, "api_requests", REQUESTS.pending)));
    await seedDocs(env, [["registry", VALIDATOR_ALICE, removedEntry(VALIDATOR_ALICE, 0)]]);
    await validatorSessionFails(db, VALIDATOR_ALICE);
  });

  it("reads and writes nothing once the registry entry is gone altogether", async () => {
    const db = nodeDb(env, VALIDATOR_BOB, "validator");
    await env.withSecurityRulesDisabled(async (context) => {
      await context.firestore().collection("registry").doc(VALIDATOR_BOB).delete();
    });
    await validatorSessionFails(db, VALIDATOR_BOB);
  });
});

describe("a hotkey whose role changed", () => {
  it("validator -> miner: the validator token stops, even for the miner's own paths", async () => {
    const db = nodeDb(env, VALIDATOR_ALICE, "validator");
    await seedDocs(env, [
      ["registry", VALIDATOR_ALICE, registryEntry(VALIDATOR_ALICE, "miner", 0)],
    ]);
    await validatorSessionFails(db, VALIDATOR_ALICE);
  });

  it("miner -> validator: the miner token can no longer submit or read", async () => {
    const db = nodeDb(env, MINER_CHARLIE, "miner");
    const own = doc(db, "miner_submissions", submissionId(REQUESTS.pending, MINER_CHARLIE));
    await assertSucceeds(getDoc(own));
    await seedDocs(env, [
      ["registry", MINER_CHARLIE, registryEntry(MINER_CHARLIE, "validator", 7)],
    ]);
    await assertFails(getDoc(own));
    await assertFails(getDoc(doc(db, "api_requests", REQUESTS.pending)));
    await assertFails(
      setDoc(
        doc(db, "miner_submissions", submissionId(REQUESTS.processing, MINER_CHARLIE)),
        submission(REQUESTS.processing, MINER_CHARLIE),
      ),
    );
  });

  it("a token whose claim does not match the registry never worked", async () => {
    // Charlie is registered as a miner; a validator claim for him (never minted by sign-in, but
    // the rules must not rely on that) is refused.
    const db = nodeDb(env, MINER_CHARLIE, "validator");
    await assertFails(getDoc(doc(db, "api_requests", REQUESTS.pending)));
    await assertFails(
      getDocs(
        query(collection(db, "miner_submissions"), where("request_id", "==", REQUESTS.pending)),
      ),
    );
  });
});
