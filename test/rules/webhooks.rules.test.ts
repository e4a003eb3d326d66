// The webhook secret signs deliveries, so it is stored where signing can read it (api_keys, beside
// the key's hash) and the callback URL in webhooks/{request_id}: no client of Firestore, whatever
// its role, reads or writes either. The backend (Admin SDK) is the only reader.
import {
  assertFails,
  assertSucceeds,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { firestoreOf, seedDocs, startRulesEnv } from "./context";
import {
  apiRequest,
  MINER_CHARLIE,
  registryEntry,
  REQUESTS,
  UIDS,
  VALIDATOR_ALICE,
} from "./fixtures";

jest.setTimeout(30_000);

let env: RulesTestEnvironment;
const KEY_HASH = "a".repeat(64);
const SECRET = "whsec_never_readable";

const CALLERS: [string, () => Firestore][] = [
  ["anyone", () => firestoreOf(env.unauthenticatedContext())],
  ["a signed-in user without a claim", () => firestoreOf(env.authenticatedContext("u1", {}))],
  [
    "a validator",
    () => firestoreOf(env.authenticatedContext(VALIDATOR_ALICE, { role: "validator" })),
  ],
  ["a miner", () => firestoreOf(env.authenticatedContext(MINER_CHARLIE, { role: "miner" }))],
  [
    "an operator",
    () => firestoreOf(env.authenticatedContext("op-uid", { operator: true, email: "o@x.io" })),
  ],
];

beforeAll(async () => {
  env = await startRulesEnv();
  await env.clearFirestore();
  await seedDocs(env, [
    [
      "registry",
      VALIDATOR_ALICE,
      registryEntry(VALIDATOR_ALICE, "validator", UIDS[VALIDATOR_ALICE]),
    ],
    ["registry", MINER_CHARLIE, registryEntry(MINER_CHARLIE, "miner", UIDS[MINER_CHARLIE])],
    ["operators", "op-uid", { uid: "op-uid", email: "o@x.io" }],
    ["api_requests", REQUESTS.pending, apiRequest(REQUESTS.pending, "pending")],
    [
      "api_keys",
      KEY_HASH,
      { client_id: "acme", label: "", disabled: false, webhook_secret: SECRET },
    ],
    [
      "webhooks",
      REQUESTS.pending,
      {
        request_id: REQUESTS.pending,
        client_id: "acme",
        callback_url: "https://hooks.example.com/",
        key_hash: KEY_HASH,
      },
    ],
  ]);
});

afterAll(async () => {
  await env?.cleanup();
});

test("control: the node and operator contexts are real (they read the open request)", async () => {
  for (const [name, as] of CALLERS.slice(2)) {
    await assertSucceeds(getDoc(doc(as(), "api_requests", REQUESTS.pending))).catch((err) => {
      throw new Error(`${name}: ${err}`);
    });
  }
});

describe.each(CALLERS)("%s", (_name, as) => {
  test("cannot read the stored webhook secret (api_keys), by get or by query", async () => {
    await assertFails(getDoc(doc(as(), "api_keys", KEY_HASH)));
    await assertFails(getDocs(collection(as(), "api_keys")));
    await assertFails(
      getDocs(query(collection(as(), "api_keys"), where("webhook_secret", "==", SECRET))),
    );
  });

  test("cannot read a request's webhook record (callback URL, key hash)", async () => {
    await assertFails(getDoc(doc(as(), "webhooks", REQUESTS.pending)));
    await assertFails(getDocs(collection(as(), "webhooks")));
  });

  test("cannot write either", async () => {
    const db = as();
    await assertFails(updateDoc(doc(db, "api_keys", KEY_HASH), { webhook_secret: "whsec_mine" }));
    await assertFails(setDoc(doc(db, "api_keys", "b".repeat(64)), { webhook_secret: "x" }));
    await assertFails(
      updateDoc(doc(db, "webhooks", REQUESTS.pending), { callback_url: "https://evil.example/" }),
    );
    await assertFails(setDoc(doc(db, "webhooks", "new"), { callback_url: "https://e.example/" }));
    await assertFails(deleteDoc(doc(db, "webhooks", REQUESTS.pending)));
  });
});
