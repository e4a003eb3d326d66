// What a validator reads to turn consensus into weights (consensus-node weights): every
// miner_scores record and the miners' registry entries (for their uids), nothing more; miners and
// strangers read neither, and nobody but the backend writes miner_scores.
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
  setDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import {
  MINER_CHARLIE,
  MINER_DAVE,
  PROJECT_ID,
  registryEntry,
  VALIDATOR_ALICE,
  VALIDATOR_BOB,
} from "./fixtures";

let env: RulesTestEnvironment;
const fs = (c: { firestore(): unknown }) => c.firestore() as Firestore;
const validator = () => fs(env.authenticatedContext(VALIDATOR_ALICE, { role: "validator" }));
const miner = () => fs(env.authenticatedContext(MINER_CHARLIE, { role: "miner" }));
/** Claims validator, but the registry says miner (e.g. after a sync took its permit away). */
const demoted = () => fs(env.authenticatedContext(MINER_DAVE, { role: "validator" }));
const stranger = () => fs(env.unauthenticatedContext());

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
  await env.withSecurityRulesDisabled(async (context) => {
    const admin = fs(context);
    await Promise.all([
      setDoc(
        doc(admin, "registry", VALIDATOR_ALICE),
        registryEntry(VALIDATOR_ALICE, "validator", 0),
      ),
      setDoc(doc(admin, "registry", VALIDATOR_BOB), registryEntry(VALIDATOR_BOB, "validator", 1)),
      setDoc(doc(admin, "registry", MINER_CHARLIE), registryEntry(MINER_CHARLIE, "miner", 7)),
      setDoc(doc(admin, "registry", MINER_DAVE), registryEntry(MINER_DAVE, "miner", 8)),
      setDoc(doc(admin, "miner_scores", MINER_CHARLIE), {
        hotkey: MINER_CHARLIE,
        rolling_score: 0.4,
      }),
      setDoc(doc(admin, "miner_scores", MINER_DAVE), { hotkey: MINER_DAVE, rolling_score: 0 }),
    ]);
  });
});

afterAll(async () => {
  await env?.cleanup();
});

const minersQuery = (db: Firestore) =>
  query(collection(db, "registry"), where("role", "==", "miner"));

describe("a validator", () => {
  test("lists every miner_scores record", async () => {
    const snap = await assertSucceeds(getDocs(collection(validator(), "miner_scores")));
    expect(snap.docs.map((d) => d.id).sort()).toEqual([MINER_CHARLIE, MINER_DAVE].sort());
  });

  test("lists the miners' registry entries and opens one", async () => {
    const snap = await assertSucceeds(getDocs(minersQuery(validator())));
    expect(snap.docs.map((d) => d.data().uid).sort()).toEqual([7, 8]);
    await assertSucceeds(getDoc(doc(validator(), "registry", MINER_CHARLIE)));
  });

  test("is refused the whole registry and another validator's entry", async () => {
    await assertFails(getDocs(collection(validator(), "registry")));
    await assertFails(getDoc(doc(validator(), "registry", VALIDATOR_BOB)));
  });

  test("writes no miner_scores record", async () => {
    await assertFails(
      setDoc(doc(validator(), "miner_scores", MINER_CHARLIE), { rolling_score: 1 }),
    );
  });
});

describe.each([
  ["a miner", miner],
  ["a validator claim the registry no longer backs", demoted],
  ["a signed-out visitor", stranger],
])("%s", (_who, as) => {
  test("is refused miner_scores and the miners' registry entries", async () => {
    await assertFails(getDocs(collection(as(), "miner_scores")));
    await assertFails(getDoc(doc(as(), "miner_scores", MINER_CHARLIE)));
    await assertFails(getDocs(minersQuery(as())));
  });
  test("writes no miner_scores record", async () => {
    await assertFails(setDoc(doc(as(), "miner_scores", MINER_DAVE), { rolling_score: 1 }));
  });
});
