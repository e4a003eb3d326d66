// Session revocation (issue 11), end to end on the emulators: nodes sign in through the real `api`
// function and the Auth emulator, then the metagraph sync removes one hotkey and changes another's
// role. Their ID tokens are still unexpired, yet the very next read or write is refused, their
// refresh tokens are revoked, and sign-in refuses the old roles.
import { getAuth as adminAuth } from "firebase-admin/auth";
import { Timestamp } from "firebase-admin/firestore";
import {
  doc,
  getDoc,
  serverTimestamp,
  setDoc,
  updateDoc,
  type Firestore,
} from "firebase/firestore";
import {
  COLLECTIONS,
  rankingDocId,
  submissionDocId,
  type MetagraphSnapshot,
  type Neuron,
} from "consensus-core";
import { syncRegistryFromSnapshot } from "../../../functions/src/registry/sync";
import { createLeadRequest } from "../../../functions/test/support/create-request";
import {
  API_URL,
  PROJECT_ID,
  adminDb,
  clearFirestore,
  keypair,
  testLifecycle,
} from "../../../functions/test/support/emulator";
import { Session, requestCustomToken } from "../../src/runtime/session";

async function neuron(uri: string, uid: number, permit: boolean): Promise<Neuron> {
  return {
    uid,
    hotkey: (await keypair(uri)).address,
    coldkey: (await keypair(`${uri}//cold`)).address,
    stake: 1000,
    validator_trust: permit ? 0.5 : 0,
    validator_permit: permit,
    active: true,
    is_serving: true,
    axon: null,
  };
}
const snapshot = (block: number, neurons: Neuron[]): MetagraphSnapshot => ({
  netuid: 71,
  block,
  neurons,
});

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );
const rankingBody = (requestId: string, hotkey: string) => ({
  request_id: requestId,
  validator_hotkey: hotkey,
  validator_uid: 0,
  ranked_leads: [{ lead_hash: "ab".repeat(32), score: 1, rank: 1 }],
  num_leads_ranked: 1,
  signature: "0x" + "ab".repeat(64),
  submitted_at: serverTimestamp(),
});
const submissionBody = (requestId: string, hotkey: string) => ({
  request_id: requestId,
  miner_hotkey: hotkey,
  miner_uid: 10,
  leads: [{ email: "a@b.io", business: "B" }],
  num_leads: 1,
  signature: "0x" + "ab".repeat(64),
  submitted_at: serverTimestamp(),
});

test("a removed validator and a re-roled miner lose their sessions at the sync", async () => {
  await clearFirestore();
  adminDb();
  const alice = await keypair("//Alice");
  const bob = await keypair("//Bob");
  const ferdie = await keypair("//Ferdie");
  const [nAlice, nBob, nFerdie] = await Promise.all([
    neuron("//Alice", 0, true),
    neuron("//Bob", 1, true),
    neuron("//Ferdie", 10, false),
  ]);
  await syncRegistryFromSnapshot(snapshot(1000, [nAlice, nBob, nFerdie]), new Date());
  for (const v of [alice, bob]) {
    await adminDb()
      .collection(COLLECTIONS.registry)
      .doc(v.address)
      .update({ last_seen: Timestamp.now() });
  }
  const req = await createLeadRequest(
    "c",
    { num_leads: 1, business_desc: "x" },
    new Date(),
    testLifecycle(),
  );
  expect(req.expected_validators).toContain(alice.address);

  const open = (pair: typeof alice, role: "validator" | "miner") =>
    Session.open(pair, role, { apiBaseUrl: API_URL, projectId: PROJECT_ID }).then((s) => {
      sessions.push(s);
      return s;
    });
  const aliceSession = await open(alice, "validator");
  const ferdieSession = await open(ferdie, "miner");
  const requestOf = (db: Firestore) => getDoc(doc(db, COLLECTIONS.requests, req.request_id));
  // Before the sync both sessions work.
  expect(await code(requestOf(aliceSession.db))).toBe("ok");
  expect(await code(requestOf(ferdieSession.db))).toBe("ok");

  // Alice leaves the metagraph; Ferdie gains a validator permit (miner -> validator).
  const report = await syncRegistryFromSnapshot(
    snapshot(1001, [nBob, { ...nFerdie, validator_permit: true, validator_trust: 0.2 }]),
    new Date(),
  );
  expect(report.removed.map((r) => r.hotkey)).toEqual([alice.address]);
  expect(report.sessions.revoked.sort()).toEqual([alice.address, ferdie.address].sort());
  expect(report.sessions.failed).toEqual([]);

  // The ID tokens they hold have not expired, yet every read and write is refused now.
  const aliceDb = aliceSession.db;
  expect(await code(requestOf(aliceDb))).toBe("permission-denied");
  expect(await code(getDoc(doc(aliceDb, COLLECTIONS.registry, alice.address)))).toBe(
    "permission-denied",
  );
  expect(
    await code(
      updateDoc(doc(aliceDb, COLLECTIONS.registry, alice.address), {
        last_seen: serverTimestamp(),
        is_serving: true,
      }),
    ),
  ).toBe("permission-denied");
  expect(
    await code(
      setDoc(
        doc(aliceDb, COLLECTIONS.rankings, rankingDocId(req.request_id, alice.address)),
        rankingBody(req.request_id, alice.address),
      ),
    ),
  ).toBe("permission-denied");
  const ferdieDb = ferdieSession.db;
  expect(await code(requestOf(ferdieDb))).toBe("permission-denied");
  expect(
    await code(
      setDoc(
        doc(ferdieDb, COLLECTIONS.submissions, submissionDocId(req.request_id, ferdie.address)),
        submissionBody(req.request_id, ferdie.address),
      ),
    ),
  ).toBe("permission-denied");
  expect(await countDocsFor(req.request_id)).toBe(0);

  // Refresh tokens revoked: no new ID token can be minted from the old session.
  for (const pair of [alice, ferdie]) {
    const user = await adminAuth().getUser(pair.address);
    expect(Date.parse(user.tokensValidAfterTime!)).toBeGreaterThan(0);
  }
  // Sign-in refuses the old roles; Ferdie may sign in as what he is now.
  await expect(requestCustomToken(alice, "validator", API_URL)).rejects.toMatchObject({
    status: 403,
    code: "not_registered",
  });
  await expect(requestCustomToken(ferdie, "miner", API_URL)).rejects.toMatchObject({
    status: 403,
    code: "role_not_allowed",
  });
  const ferdieAsValidator = await open(ferdie, "validator");
  expect(await code(requestOf(ferdieAsValidator.db))).toBe("ok");
});

async function countDocsFor(requestId: string): Promise<number> {
  const db = adminDb();
  const [r, s] = await Promise.all([
    db.collection(COLLECTIONS.rankings).where("request_id", "==", requestId).count().get(),
    db.collection(COLLECTIONS.submissions).where("request_id", "==", requestId).count().get(),
  ]);
  return r.data().count + s.data().count;
}
