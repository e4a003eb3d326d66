// Hotkey sign-in against the real `api` function in the Functions emulator, and the custom token
// it mints used with the Firebase JS SDK (auth emulator) under the real security rules.
import { getIdTokenResult } from "firebase/auth";
import { doc, getDoc } from "firebase/firestore";
import { COLLECTIONS, type SignInRequest } from "consensus-core";
import {
  API_URL,
  PROJECT_ID,
  clearFirestore,
  keypair,
  seedRegistry,
} from "../../../functions/test/support/emulator";
import {
  Session,
  SignInError,
  buildChallenge,
  requestCustomToken,
  signChallenge,
} from "../../src/session";

async function postSignIn(body: SignInRequest) {
  const res = await fetch(`${API_URL}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  await clearFirestore();
  await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
});

test("a valid sign-in returns a custom token the Firebase JS SDK signs in with", async () => {
  const alice = await keypair("//Alice");
  const { token, hotkey, role } = await requestCustomToken(alice, "validator", API_URL);
  expect(typeof token).toBe("string");
  expect(hotkey).toBe(alice.address);
  expect(role).toBe("validator");

  const session = await Session.open(alice, "validator", {
    apiBaseUrl: API_URL,
    projectId: PROJECT_ID,
  });
  try {
    const user = session.auth.currentUser!;
    expect(user.uid).toBe(alice.address);
    expect((await getIdTokenResult(user)).claims.role).toBe("validator");
    // The rules let a signed-in node read its own registry entry.
    const entry = await getDoc(doc(session.db, COLLECTIONS.registry, alice.address));
    expect(entry.data()).toMatchObject({ uid: 0, role: "validator", validator_trust: 0.5 });
  } finally {
    await session.close();
  }
});

test("wrong key: Bob signing for Alice's hotkey is 401 bad_signature", async () => {
  const alice = await keypair("//Alice");
  const bob = await keypair("//Bob");
  const res = await postSignIn(signChallenge(bob, buildChallenge(alice.address, "validator")));
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe("bad_signature");
});

test("an unregistered hotkey is 403 not_registered", async () => {
  const charlie = await keypair("//Charlie");
  const err = await requestCustomToken(charlie, "miner", API_URL).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SignInError);
  expect(err).toMatchObject({ status: 403, code: "not_registered" });
  expect((err as Error).message).toContain("hotkey is not registered on the subnet");
});

test("a miner asking for the validator role is 403 role_not_allowed", async () => {
  const ferdie = await keypair("//Ferdie");
  await expect(requestCustomToken(ferdie, "validator", API_URL)).rejects.toMatchObject({
    status: 403,
    code: "role_not_allowed",
  });
  // Its own role works.
  await expect(requestCustomToken(ferdie, "miner", API_URL)).resolves.toMatchObject({
    hotkey: ferdie.address,
    role: "miner",
  });
});

test("a replayed challenge is 401 replayed_nonce", async () => {
  const alice = await keypair("//Alice");
  const body = signChallenge(alice, buildChallenge(alice.address, "validator"));
  expect((await postSignIn(body)).status).toBe(200);
  const replay = await postSignIn(body);
  expect(replay.status).toBe(401);
  expect(replay.body.error.code).toBe("replayed_nonce");
});

test("a stale challenge is 401 stale_challenge", async () => {
  const alice = await keypair("//Alice");
  const tenMinutesAgo = Date.now() - 10 * 60_000;
  const res = await postSignIn(
    signChallenge(alice, buildChallenge(alice.address, "validator", tenMinutesAgo)),
  );
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe("stale_challenge");
  const future = await postSignIn(
    signChallenge(alice, buildChallenge(alice.address, "validator", Date.now() + 10 * 60_000)),
  );
  expect(future.body.error.code).toBe("stale_challenge");
});
