// Rules added for event-driven rounds: miners' signed declines, and late rankings (an expected
// validator may still write after the result, until the timeout; the backend records it as late).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
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
  deleteDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import {
  apiRequest,
  MINER_CHARLIE,
  MINER_DAVE,
  PROJECT_ID,
  ranking,
  rankingId,
  registryEntry,
  REQUESTS,
  SIGNATURE,
  VALIDATOR_ALICE,
  VALIDATOR_EVE_UNEXPECTED,
} from "./fixtures";

let env: RulesTestEnvironment;
const fs = (uid: string | null, role?: "validator" | "miner"): Firestore =>
  (uid === null
    ? env.unauthenticatedContext().firestore()
    : env.authenticatedContext(uid, role ? { role } : {}).firestore()) as unknown as Firestore;

const declineId = (requestId: string, hotkey: string) => `${requestId}_${hotkey}`;
function decline(requestId: string, hotkey: string, overrides: Record<string, unknown> = {}) {
  return {
    request_id: requestId,
    miner_hotkey: hotkey,
    miner_uid: 7,
    reason: "no_fitting_leads",
    signature: SIGNATURE,
    submitted_at: serverTimestamp(),
    ...overrides,
  };
}
const declineRef = (db: Firestore, requestId: string, hotkey: string) =>
  doc(db, "miner_declines", declineId(requestId, hotkey));

const COMPLETED_PAST_TIMEOUT = "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6";

beforeAll(async () => {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  env = await initializeTestEnvironment({
    projectId: PROJECT_ID,
    firestore: {
      rules: readFileSync(resolve(__dirname, "../../firestore.rules"), "utf8"),
      host,
      port: Number(port),
    },
  });
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const admin = context.firestore() as unknown as Firestore;
    await Promise.all([
      // The rules honour a role claim only while the registry gives the hotkey that role.
      ...(
        [
          [VALIDATOR_ALICE, "validator", 0],
          [VALIDATOR_EVE_UNEXPECTED, "validator", 4],
          [MINER_CHARLIE, "miner", 7],
          [MINER_DAVE, "miner", 8],
        ] as const
      ).map(([hotkey, role, uid]) =>
        setDoc(doc(admin, "registry", hotkey), registryEntry(hotkey, role, uid)),
      ),
      setDoc(doc(admin, "api_requests", REQUESTS.pending), apiRequest(REQUESTS.pending, "pending")),
      setDoc(
        doc(admin, "api_requests", REQUESTS.completed),
        apiRequest(REQUESTS.completed, "completed"),
      ),
      setDoc(doc(admin, "api_requests", REQUESTS.failed), apiRequest(REQUESTS.failed, "failed")),
      setDoc(
        doc(admin, "api_requests", REQUESTS.expired),
        apiRequest(REQUESTS.expired, "pending", { timeoutInMs: -5_000 }),
      ),
      setDoc(
        doc(admin, "api_requests", COMPLETED_PAST_TIMEOUT),
        apiRequest(COMPLETED_PAST_TIMEOUT, "completed", { timeoutInMs: -5_000 }),
      ),
      setDoc(declineRef(admin, REQUESTS.pending, MINER_DAVE), {
        ...decline(REQUESTS.pending, MINER_DAVE),
        submitted_at: Timestamp.now(),
      }),
    ]);
  });
});

afterAll(async () => {
  await env?.cleanup();
});

describe("miner_declines", () => {
  it("a miner declines an open request in its own name", async () => {
    const db = fs(MINER_CHARLIE, "miner");
    await assertSucceeds(
      setDoc(
        declineRef(db, REQUESTS.pending, MINER_CHARLIE),
        decline(REQUESTS.pending, MINER_CHARLIE),
      ),
    );
  });

  it("rejects a decline in another miner's name, by a validator, or signed out", async () => {
    await assertFails(
      setDoc(
        declineRef(fs(MINER_CHARLIE, "miner"), REQUESTS.pending, MINER_DAVE),
        decline(REQUESTS.pending, MINER_DAVE),
      ),
    );
    await assertFails(
      setDoc(
        declineRef(fs(MINER_CHARLIE, "miner"), REQUESTS.pending, MINER_CHARLIE),
        decline(REQUESTS.pending, MINER_DAVE),
      ),
    );
    await assertFails(
      setDoc(
        declineRef(fs(VALIDATOR_ALICE, "validator"), REQUESTS.pending, VALIDATOR_ALICE),
        decline(REQUESTS.pending, VALIDATOR_ALICE),
      ),
    );
    await assertFails(
      setDoc(
        declineRef(fs(null), REQUESTS.pending, MINER_CHARLIE),
        decline(REQUESTS.pending, MINER_CHARLIE),
      ),
    );
  });

  it.each([
    ["completed", REQUESTS.completed],
    ["failed", REQUESTS.failed],
    ["past its timeout", REQUESTS.expired],
    ["unknown", REQUESTS.unknown],
  ])("rejects a decline for a %s request", async (_what, requestId) => {
    const db = fs(MINER_CHARLIE, "miner");
    await assertFails(
      setDoc(declineRef(db, requestId, MINER_CHARLIE), decline(requestId, MINER_CHARLIE)),
    );
  });

  it("rejects leads, another reason, a client time or a malformed signature", async () => {
    const db = fs(MINER_CHARLIE, "miner");
    const ref = declineRef(db, REQUESTS.pending, MINER_CHARLIE);
    for (const bad of [
      { leads: [] },
      { reason: "busy" },
      { submitted_at: Timestamp.now() },
      { signature: "0x1234" },
      { miner_uid: -1 },
    ]) {
      await assertFails(setDoc(ref, decline(REQUESTS.pending, MINER_CHARLIE, bad)));
    }
  });

  it("a decline cannot be changed or deleted", async () => {
    const ref = declineRef(fs(MINER_DAVE, "miner"), REQUESTS.pending, MINER_DAVE);
    await assertFails(updateDoc(ref, { reason: "no_fitting_leads" }));
    await assertFails(deleteDoc(ref));
    await assertFails(setDoc(ref, decline(REQUESTS.pending, MINER_DAVE)));
  });

  it("validators list declines; a miner reads only its own", async () => {
    const byRequest = (db: Firestore) =>
      query(collection(db, "miner_declines"), where("request_id", "==", REQUESTS.pending));
    await assertSucceeds(getDocs(byRequest(fs(VALIDATOR_ALICE, "validator"))));
    await assertFails(getDocs(byRequest(fs(MINER_CHARLIE, "miner"))));
    await assertFails(getDoc(declineRef(fs(MINER_CHARLIE, "miner"), REQUESTS.pending, MINER_DAVE)));
    await assertSucceeds(getDoc(declineRef(fs(MINER_DAVE, "miner"), REQUESTS.pending, MINER_DAVE)));
    await assertSucceeds(
      getDoc(declineRef(fs(MINER_CHARLIE, "miner"), REQUESTS.pending, MINER_CHARLIE)),
    );
  });
});

describe("late rankings", () => {
  const ref = (db: Firestore, requestId: string, hotkey: string) =>
    doc(db, "validator_rankings", rankingId(requestId, hotkey));

  it("an expected validator may still rank a completed request before its timeout", async () => {
    const db = fs(VALIDATOR_ALICE, "validator");
    await assertSucceeds(
      setDoc(
        ref(db, REQUESTS.completed, VALIDATOR_ALICE),
        ranking(REQUESTS.completed, VALIDATOR_ALICE),
      ),
    );
  });

  it("not after the timeout, not for a failed request, not if unexpected", async () => {
    const alice = fs(VALIDATOR_ALICE, "validator");
    await assertFails(
      setDoc(
        ref(alice, COMPLETED_PAST_TIMEOUT, VALIDATOR_ALICE),
        ranking(COMPLETED_PAST_TIMEOUT, VALIDATOR_ALICE),
      ),
    );
    await assertFails(
      setDoc(
        ref(alice, REQUESTS.failed, VALIDATOR_ALICE),
        ranking(REQUESTS.failed, VALIDATOR_ALICE),
      ),
    );
    const eve = fs(VALIDATOR_EVE_UNEXPECTED, "validator");
    await assertFails(
      setDoc(
        ref(eve, REQUESTS.completed, VALIDATOR_EVE_UNEXPECTED),
        ranking(REQUESTS.completed, VALIDATOR_EVE_UNEXPECTED),
      ),
    );
  });
});
