// Hotkey sign-in against the real `api` function in the Functions emulator, and the custom token
// it mints used with the Firebase JS SDK (auth emulator) under the real security rules.
import { getIdTokenResult } from "firebase/auth";
import { doc, getDoc } from "firebase/firestore";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { COLLECTIONS, type SignInRequest } from "consensus-core";
import { Timestamp } from "firebase-admin/firestore";
import { signInLimitKey } from "../../../functions/src/auth/signIn";
import {
  RATE_LIMIT_SHARDS,
  WINDOW_MS,
  shardCapacities,
  windowOf,
} from "../../../functions/src/http/rateLimit";
import {
  adminDb,
  API_URL,
  PROJECT_ID,
  clearFirestore,
  keypair,
  seedRegistry,
} from "../../../functions/test/support/emulator";
import {
  Session,
  buildChallenge,
  requestCustomToken,
  signChallenge,
} from "../../src/runtime/session";
import { PermissionDeniedError } from "consensus-client";

async function postSignIn(body: SignInRequest) {
  const res = await fetch(`${API_URL}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
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
  expect(err).toBeInstanceOf(PermissionDeniedError);
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

test("sign-in is rate-limited per hotkey: past the limit in a minute, 429 with Retry-After", async () => {
  // The limit is the backend's param, read from its .env, not copied here.
  const env = readFileSync(resolve(__dirname, "../../../functions/.env"), "utf8");
  const limit = Number(/^SIGN_IN_PER_HOTKEY_PER_MINUTE=(\d+)$/m.exec(env)![1]);
  await seedRegistry([{ uri: "//Dave", uid: 3, trust: 0.1 }]);
  const dave = await keypair("//Dave");
  const keyHash = signInLimitKey("hotkey", dave.address);
  // Dave has used all but FREE of his sign-ins in this minute and the next three (the counter
  // shards written as the API writes them), so the test needs FREE + 1 sign-ins per window and
  // holds on a slow machine; what is checked is the window the 429 came in.
  const FREE = 2;
  const caps = shardCapacities(limit, RATE_LIMIT_SHARDS);
  const first = windowOf(new Date());
  const batch = adminDb().batch();
  for (let w = first; w < first + 4; w++) {
    caps.forEach((cap, shard) => {
      const ref = adminDb().collection(COLLECTIONS.rateLimits).doc(`${keyHash}_${w}_${shard}`);
      batch.set(ref, {
        count: shard === 0 ? cap - FREE : cap,
        expires_at: Timestamp.fromMillis((w + 2) * WINDOW_MS),
      });
    });
  }
  await batch.commit();
  let refused: Awaited<ReturnType<typeof postSignIn>> | undefined;
  let admitted = 0;
  for (let i = 0; i < 4 * (FREE + 1) && !refused; i++) {
    const res = await postSignIn(signChallenge(dave, buildChallenge(dave.address, "validator")));
    if (res.status === 429) refused = res;
    else expect(res.status).toBe(200);
    if (res.status === 200) admitted++;
  }
  expect(refused?.body.error.code).toBe("rate_limited");
  expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  const shards = await adminDb().collection(COLLECTIONS.rateLimits).get();
  const byWindow = new Map<string, number>();
  for (const d of shards.docs) {
    const [hash, window] = d.id.split("_");
    if (hash === keyHash) byWindow.set(window!, (byWindow.get(window!) ?? 0) + d.data().count);
  }
  // No window past the limit, the refusing one at it, and every sign-in counted once.
  const sums = [...byWindow.values()];
  expect(Math.max(...sums)).toBe(limit);
  expect(sums.reduce((a, b) => a + b - (limit - FREE), 0)).toBe(admitted);
  // Another hotkey from the same caller still signs in.
  const alice = await keypair("//Alice");
  expect((await requestCustomToken(alice, "validator", API_URL)).hotkey).toBe(alice.address);
});
