// The operator console's reads under the security rules: every query the page makes (the exact
// specs in console/src/queries.ts) and every document it opens succeeds for an operator and is
// refused to everyone else; operators write nothing and read nothing the page does not show.
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
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  setDoc,
  Timestamp,
  updateDoc,
  type Firestore,
} from "firebase/firestore";
import { build, SPECS, type QuerySpec } from "../../console/src/queries";
import {
  apiRequest,
  MINER_CHARLIE,
  MINER_DAVE,
  PROJECT_ID,
  ranking,
  rankingId,
  registryEntry,
  REQUESTS,
  submission,
  submissionId,
  VALIDATOR_ALICE,
  VALIDATOR_BOB,
} from "./fixtures";

// The project's testTimeout does not reach hooks here, and loading the rules or seeding on a loaded
// 2-core machine can take longer than jest's 5 s default.
jest.setTimeout(30_000);

let env: RulesTestEnvironment;
const fs = (c: { firestore(): unknown }) => c.firestore() as Firestore;

// Who tries to read. The operator is an email/password user holding the claim grant-operator sets,
// with the operators/{uid} record it writes (seeded below).
const OPERATOR_UID = "op-uid";
const operator = () =>
  fs(env.authenticatedContext(OPERATOR_UID, { operator: true, email: "op@example.com" }));
/**
 * An operator after `grant-operator --revoke`: its ID token, issued before, still carries the claim
 * (for up to an hour), but its operators/{uid} record is gone (issue 20).
 */
const revokedOperator = () =>
  fs(env.authenticatedContext("revoked-uid", { operator: true, email: "gone@example.com" }));
const validator = () => fs(env.authenticatedContext(VALIDATOR_ALICE, { role: "validator" }));
const miner = () => fs(env.authenticatedContext(MINER_CHARLIE, { role: "miner" }));
/** A signed-in account without the claim: an API client's staff, a revoked operator, anyone. */
const noClaim = () => fs(env.authenticatedContext("client-uid", { email: "client@example.com" }));
/** A claim set to something other than true does not count. */
const fakeClaim = () => fs(env.authenticatedContext("fake-uid", { operator: "true" }));
/** A node token that also carries the operator claim is still a node, not an operator. */
const nodeWithClaim = () =>
  fs(env.authenticatedContext(VALIDATOR_ALICE, { role: "validator", operator: true }));
const stranger = () => fs(env.unauthenticatedContext());

const since = new Date(Date.now() - 60 * 60 * 1000);
const QUERIES: [string, QuerySpec][] = [
  ["rounds table", SPECS.recentRequests(1)],
  ["rounds table, page 3", SPECS.recentRequests(3)],
  ["last-hour requests", SPECS.windowRequests(since)],
  ["recent rankings", SPECS.recentRankings()],
  ["recent submissions", SPECS.recentSubmissions()],
  ["recent declines", SPECS.recentDeclines()],
  ["registry", SPECS.registry()],
  ["last-hour metrics", SPECS.windowMetrics(since)],
  ["rolling agreement", SPECS.agreement()],
  ["miner scores", SPECS.minerScores()],
  ["a request's rankings", SPECS.rankingsOf(REQUESTS.completed)],
  ["a request's submissions", SPECS.submissionsOf(REQUESTS.completed)],
  ["a request's declines", SPECS.declinesOf(REQUESTS.completed)],
];
/** The shape of a query (collection, filtered fields, order), whatever its values. */
const shape = (spec: QuerySpec) =>
  JSON.stringify([spec.collection, (spec.where ?? []).map((w) => [w[0], w[1]]), spec.orderBy]);
const DOCS: [string, string][] = [
  ["api_requests", REQUESTS.completed],
  ["consensus_metrics", REQUESTS.completed],
  ["registry", VALIDATOR_ALICE],
  ["validator_agreement", VALIDATOR_ALICE],
  ["miner_scores", MINER_CHARLIE],
  ["miner_declines", submissionId(REQUESTS.completed, MINER_DAVE)],
  ["validator_rankings", rankingId(REQUESTS.completed, VALIDATOR_ALICE)],
  ["miner_submissions", submissionId(REQUESTS.completed, MINER_CHARLIE)],
];

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
    const now = Timestamp.now();
    await Promise.all([
      setDoc(doc(admin, "api_requests", REQUESTS.completed), {
        ...apiRequest(REQUESTS.completed, "completed"),
        finalized_at: now,
        result: { participants: [VALIDATOR_ALICE], leads: [] },
      }),
      setDoc(doc(admin, "api_requests", REQUESTS.pending), apiRequest(REQUESTS.pending, "pending")),
      setDoc(doc(admin, "consensus_metrics", REQUESTS.completed), {
        request_id: REQUESTS.completed,
        finalized_at: now,
        top_leads: [],
      }),
      setDoc(
        doc(admin, "registry", VALIDATOR_ALICE),
        registryEntry(VALIDATOR_ALICE, "validator", 0),
      ),
      setDoc(doc(admin, "registry", MINER_CHARLIE), registryEntry(MINER_CHARLIE, "miner", 7)),
      setDoc(doc(admin, "registry", VALIDATOR_BOB), registryEntry(VALIDATOR_BOB, "validator", 1)),
      setDoc(doc(admin, "validator_rankings", rankingId(REQUESTS.completed, VALIDATOR_ALICE)), {
        ...ranking(REQUESTS.completed, VALIDATOR_ALICE),
        submitted_at: now,
      }),
      setDoc(doc(admin, "miner_submissions", submissionId(REQUESTS.completed, MINER_CHARLIE)), {
        ...submission(REQUESTS.completed, MINER_CHARLIE),
        submitted_at: now,
      }),
      setDoc(doc(admin, "validator_agreement", VALIDATOR_ALICE), {
        hotkey: VALIDATOR_ALICE,
        rolling_clipped_share: 0.9,
      }),
      setDoc(doc(admin, "miner_scores", MINER_CHARLIE), {
        hotkey: MINER_CHARLIE,
        rolling_score: 0.4,
      }),
      setDoc(doc(admin, "miner_declines", submissionId(REQUESTS.completed, MINER_DAVE)), {
        request_id: REQUESTS.completed,
        miner_hotkey: MINER_DAVE,
        miner_uid: 8,
        reason: "no_fitting_leads",
        signature: "0x" + "ab".repeat(64),
        submitted_at: now,
      }),
      setDoc(doc(admin, "operators", OPERATOR_UID), { uid: OPERATOR_UID, email: "op@example.com" }),
      setDoc(doc(admin, "api_keys", "hash"), { client_id: "acme" }),
      setDoc(doc(admin, "rate_limits", "acme"), { count: 1 }),
      setDoc(doc(admin, "sign_in_nonces", "n"), { hotkey: VALIDATOR_ALICE }),
    ]);
  });
});

afterAll(async () => {
  await env?.cleanup();
});

test("every query the console makes is tried here", () => {
  const tried = new Set(QUERIES.map(([, spec]) => shape(spec)));
  // Each spec builder takes at most one argument whose value does not change the shape.
  const made = Object.values(SPECS).map((make) =>
    shape((make as (arg: unknown) => QuerySpec)(new Date(0))),
  );
  expect(made.filter((s) => !tried.has(s))).toEqual([]);
});

describe("an operator", () => {
  test.each(QUERIES)("runs the console's query: %s", async (_name, spec) => {
    const snap = await assertSucceeds(getDocs(build(operator(), spec)));
    expect(snap.size).toBeGreaterThanOrEqual(0);
  });

  test("the queries return the seeded documents", async () => {
    const rounds = await getDocs(build(operator(), SPECS.recentRequests(1)));
    expect(rounds.docs.map((d) => d.id).sort()).toEqual(
      [REQUESTS.completed, REQUESTS.pending].sort(),
    );
    const nodes = await getDocs(build(operator(), SPECS.registry()));
    expect(nodes.size).toBe(3);
  });

  test.each(DOCS)("opens %s/%s", async (collection, id) => {
    await assertSucceeds(getDoc(doc(operator(), collection, id)));
  });

  test.each(["api_keys/hash", "rate_limits/acme", "sign_in_nonces/n", `operators/${OPERATOR_UID}`])(
    "reads nothing the console does not show: %s",
    async (path) => {
      await assertFails(getDoc(doc(operator(), path)));
    },
  );

  test("writes nothing", async () => {
    const db = operator();
    await assertFails(updateDoc(doc(db, "api_requests", REQUESTS.pending), { status: "failed" }));
    await assertFails(updateDoc(doc(db, "registry", VALIDATOR_ALICE), { validator_trust: 1 }));
    await assertFails(setDoc(doc(db, "consensus_metrics", REQUESTS.pending), { x: 1 }));
    await assertFails(
      setDoc(doc(db, "validator_rankings", rankingId(REQUESTS.pending, VALIDATOR_ALICE)), {
        ...ranking(REQUESTS.pending, VALIDATOR_ALICE),
        submitted_at: Timestamp.now(),
      }),
    );
  });
});

describe("revocation", () => {
  test("the same token reads the console until its operators record is deleted, then nothing", async () => {
    // One token throughout: what the browser holds when an administrator runs --revoke.
    const db = operator();
    await assertSucceeds(getDocs(build(db, SPECS.recentRequests(1))));
    await assertSucceeds(getDoc(doc(db, "registry", VALIDATOR_ALICE)));
    await env.withSecurityRulesDisabled(async (context) => {
      await deleteDoc(doc(fs(context), "operators", OPERATOR_UID));
    });
    for (const [, spec] of QUERIES) await assertFails(getDocs(build(db, spec)));
    for (const [name, id] of DOCS) await assertFails(getDoc(doc(db, name, id)));
  });

  test("nobody writes an operators record: not an operator, a node or a claim holder", async () => {
    for (const db of [operator(), revokedOperator(), validator(), miner(), noClaim(), stranger()]) {
      await assertFails(setDoc(doc(db, "operators", "revoked-uid"), { uid: "revoked-uid" }));
      await assertFails(deleteDoc(doc(db, "operators", OPERATOR_UID)));
    }
  });

  test("nodes read no operators record", async () => {
    for (const db of [validator(), miner(), nodeWithClaim()]) {
      await assertFails(getDoc(doc(db, "operators", OPERATOR_UID)));
      await assertFails(getDocs(collection(db, "operators")));
    }
  });
});

describe.each([
  ["a signed-out visitor", stranger],
  ["a revoked operator whose token still carries the claim", revokedOperator],
  ["an account without the claim (e.g. an API client)", noClaim],
  ["an account with a non-boolean claim", fakeClaim],
])("%s", (_who, as) => {
  test.each(QUERIES)("is refused the console's query: %s", async (_name, spec) => {
    await assertFails(getDocs(build(as(), spec)));
  });
  test.each(DOCS)("is refused %s/%s", async (collection, id) => {
    await assertFails(getDoc(doc(as(), collection, id)));
  });
});

// Nodes keep the reads their own work needs (open requests and, for validators, the miners'
// submissions they rank and the miners' registry entries their weights go to; their own ranking
// and registry entry), but not the console's views of everyone: all rankings, the whole registry
// (and, for miners, other miners' submissions). A validator may read miners' entries
// (weights.rules.test.ts), so the entry it is refused here is another validator's.
const NODE_REFUSED: [string, QuerySpec][] = [
  ["rolling agreement", SPECS.agreement()],
  ["recent rankings", SPECS.recentRankings()],
  ["registry", SPECS.registry()],
  ["a request's rankings", SPECS.rankingsOf(REQUESTS.completed)],
];
const MINER_REFUSED: [string, QuerySpec][] = [
  ...NODE_REFUSED,
  ["miner scores", SPECS.minerScores()],
  ["recent declines", SPECS.recentDeclines()],
  ["recent submissions", SPECS.recentSubmissions()],
  ["a request's submissions", SPECS.submissionsOf(REQUESTS.completed)],
];
describe.each([
  ["a validator", validator, VALIDATOR_BOB, NODE_REFUSED],
  ["a miner", miner, VALIDATOR_ALICE, MINER_REFUSED],
  ["a validator token carrying operator: true", nodeWithClaim, VALIDATOR_BOB, NODE_REFUSED],
])("%s", (_who, as, other, refused) => {
  test.each(refused)("is refused the console's query: %s", async (_name, spec) => {
    await assertFails(getDocs(build(as(), spec)));
  });
  test("is refused another node's registry entry", async () => {
    await assertFails(getDoc(doc(as(), "registry", other)));
  });
});
