// Rules attacks for `npm run reliability`: every kind of caller a node or a stranger can be (a
// validator, a miner, a removed or re-roled hotkey whose ID token is still valid, a user without a
// role, a node claiming the operator flag, a granted operator, a revoked operator whose ID token
// still carries the claim, a signed-out visitor) tries every read and write the rules must refuse,
// against the real firestore.rules in the Firestore emulator (its own project, so nothing else is
// disturbed). Prints { tried, allowed, callers, examples } as JSON; every attempt that succeeds is
// an allowed attack.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initializeTestEnvironment } from "@firebase/rules-unit-testing";
import {
  Timestamp,
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
} from "firebase/firestore";
import { root } from "./lib.mjs";

const PROJECT = "demo-rules-attacks";
const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");

// Hotkey-shaped ids (no "_", so "{request}_{hotkey}" doc ids split as the rules expect).
const V = "5Validator1";
const V2 = "5Validator2";
const M = "5Miner1";
const M2 = "5Miner2";
const REMOVED = "5Removed1"; // signed in as a validator, then removed from the registry
const REROLED = "5Reroled1"; // signed in as a validator, now a miner in the registry
const V3 = "5Validator3"; // registered, not expected by OPEN
const M3 = "5Miner3"; // registered, not expected by OPEN
const OPERATOR = "op-granted"; // a console operator: claim + operators/{uid} (grant-operator)
const REVOKED_OPERATOR = "op-revoked"; // its token still has the claim; the record is deleted
const OPEN = "11111111-1111-4111-8111-111111111111";
const PAST_DEADLINE = "33333333-3333-4333-8333-333333333333"; // open, its validator deadline passed
const DONE = "22222222-2222-4222-8222-222222222222";
const sig = "0x" + "ab".repeat(64);
const lead = { email: "a@b.io", business: "B" };

async function seed(env) {
  const future = Timestamp.fromMillis(Date.now() + 3_600_000);
  const reg = (role, uid) => ({ uid, role, validator_trust: 0.5, stake: 1, is_serving: true });
  const docs = [
    ["registry", V, reg("validator", 0)],
    ["registry", V2, reg("validator", 1)],
    ["registry", M, reg("miner", 10)],
    ["registry", M2, reg("miner", 11)],
    ["registry", REROLED, reg("miner", 12)],
    ["registry", V3, reg("validator", 2)],
    ["registry", M3, reg("miner", 13)],
    [
      "api_requests",
      OPEN,
      {
        status: "pending",
        timeout: future,
        validator_deadline: future,
        expected_validators: [V, V2, REMOVED, REROLED],
        expected_miners: [M, M2],
      },
    ],
    [
      "api_requests",
      PAST_DEADLINE,
      {
        status: "processing",
        timeout: future,
        validator_deadline: Timestamp.fromMillis(Date.now() - 1_000),
        expected_validators: [V, V2],
        expected_miners: [M, M2],
      },
    ],
    [
      "api_requests",
      DONE,
      {
        status: "completed",
        timeout: future,
        expected_validators: [V, V2],
        result: { leads: [lead] },
      },
    ],
    ["miner_submissions", `${OPEN}_${M2}`, { request_id: OPEN, miner_hotkey: M2, leads: [lead] }],
    ["miner_submissions", `${DONE}_${M2}`, { request_id: DONE, miner_hotkey: M2, leads: [lead] }],
    ["validator_rankings", `${OPEN}_${V2}`, { request_id: OPEN, validator_hotkey: V2 }],
    ["miner_declines", `${OPEN}_${M2}`, { request_id: OPEN, miner_hotkey: M2 }],
    ["consensus_metrics", DONE, { request_id: DONE, top_leads: [{ rank: 1, score: 1 }] }],
    ["validator_agreement", V, { rolling_clipped_share: 1 }],
    ["api_keys", "hash", { client_id: "c" }],
    ["rate_limits", "k", { count: 1 }],
    ["sign_in_nonces", "n", { used: true }],
    ["idempotency_keys", "i", { answer: {} }],
    ["operators", OPERATOR, { uid: OPERATOR, email: "op@example.com" }],
  ];
  await env.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    await Promise.all(docs.map(([c, id, data]) => setDoc(doc(db, c, id), data)));
  });
}

const submission = (requestId, hotkey, extra = {}) => ({
  request_id: requestId,
  miner_hotkey: hotkey,
  miner_uid: 10,
  leads: [lead],
  num_leads: 1,
  signature: sig,
  submitted_at: serverTimestamp(),
  ...extra,
});
const ranking = (requestId, hotkey, extra = {}) => ({
  request_id: requestId,
  validator_hotkey: hotkey,
  validator_uid: 0,
  // The compact form: the lead named by the SHA-256 of its canonical JSON.
  ranked_leads: [
    {
      lead_hash: createHash("sha256")
        .update(JSON.stringify(lead, Object.keys(lead).sort()))
        .digest("hex"),
      score: 1,
      rank: 1,
    },
  ],
  num_leads_ranked: 1,
  signature: sig,
  submitted_at: serverTimestamp(),
  ...extra,
});

/** Attacks every caller tries: reads of what only the API or the backend may see, and writes. */
function attacksFor(db, me, registeredValidator) {
  const d = (c, id) => doc(db, c, id);
  // Validators rank every miner's leads, so they read the submissions of open requests; for
  // anyone else that is reading another miner's leads.
  const openSubmission = registeredValidator
    ? []
    : [["read another miner's submission", () => getDoc(d("miner_submissions", `${OPEN}_${M2}`))]];
  return [
    ...openSubmission,
    ["read a completed request (its result)", () => getDoc(d("api_requests", DONE))],
    ["list every request", () => getDocs(collection(db, "api_requests"))],
    [
      "list completed requests",
      () => getDocs(query(collection(db, "api_requests"), where("status", "==", "completed"))),
    ],
    ["read a finished request's submission", () => getDoc(d("miner_submissions", `${DONE}_${M2}`))],
    [
      "list a finished request's submissions",
      () => getDocs(query(collection(db, "miner_submissions"), where("request_id", "==", DONE))),
    ],
    ["read another validator's ranking", () => getDoc(d("validator_rankings", `${OPEN}_${V2}`))],
    ["list every ranking", () => getDocs(collection(db, "validator_rankings"))],
    ["read another hotkey's registry entry", () => getDoc(d("registry", V2))],
    ["list the registry", () => getDocs(collection(db, "registry"))],
    ["read validator agreement", () => getDoc(d("validator_agreement", V))],
    ["read api keys", () => getDocs(collection(db, "api_keys"))],
    ["read rate limits", () => getDoc(d("rate_limits", "k"))],
    ["read sign-in nonces", () => getDoc(d("sign_in_nonces", "n"))],
    ["read idempotency keys", () => getDoc(d("idempotency_keys", "i"))],
    ["list the operators", () => getDocs(collection(db, "operators"))],
    [
      "grant itself the console (write operators/{uid})",
      () => setDoc(d("operators", me), { uid: me }),
    ],
    [
      "flip a request to processing",
      () => updateDoc(d("api_requests", OPEN), { status: "processing" }),
    ],
    ["create a request", () => setDoc(d("api_requests", "x"), { status: "pending" })],
    ["write metrics", () => setDoc(d("consensus_metrics", OPEN), { top_leads: [] })],
    ["raise own trust", () => updateDoc(d("registry", me), { validator_trust: 1 })],
    ["change own role", () => updateDoc(d("registry", me), { role: "validator" })],
    ["register a hotkey", () => setDoc(d("registry", "5New"), { role: "validator", uid: 99 })],
    ["delete a registry entry", () => deleteDoc(d("registry", V2))],
    [
      "submit as another miner",
      () => setDoc(d("miner_submissions", `${OPEN}_${M2}`), submission(OPEN, M2)),
    ],
    [
      "submit for a finished request",
      () => setDoc(d("miner_submissions", `${DONE}_${me}`), submission(DONE, me)),
    ],
    [
      "submit with extra fields",
      () => setDoc(d("miner_submissions", `${OPEN}_${me}`), submission(OPEN, me, { trust: 1 })),
    ],
    [
      "submit with a client timestamp",
      () =>
        setDoc(
          d("miner_submissions", `${OPEN}_${me}`),
          submission(OPEN, me, { submitted_at: Timestamp.now() }),
        ),
    ],
    ["delete a submission", () => deleteDoc(d("miner_submissions", `${OPEN}_${M2}`))],
    [
      "rank as another validator",
      () => setDoc(d("validator_rankings", `${OPEN}_${V2}`), ranking(OPEN, V2)),
    ],
    [
      "rank with self-reported trust",
      () =>
        setDoc(d("validator_rankings", `${OPEN}_${me}`), ranking(OPEN, me, { validator_trust: 1 })),
    ],
    [
      "rank with a verification verdict",
      () =>
        setDoc(
          d("validator_rankings", `${OPEN}_${me}`),
          ranking(OPEN, me, { verification: { status: "accepted" } }),
        ),
    ],
    [
      "update a ranking",
      () => updateDoc(d("validator_rankings", `${OPEN}_${V2}`), { num_leads_ranked: 2 }),
    ],
    [
      "decline carrying leads",
      () =>
        setDoc(d("miner_declines", `${OPEN}_${me}`), {
          request_id: OPEN,
          miner_hotkey: me,
          miner_uid: 10,
          reason: "no_fitting_leads",
          signature: sig,
          submitted_at: serverTimestamp(),
          leads: [lead],
        }),
    ],
    [
      "decline for another miner",
      () => setDoc(d("miner_declines", `${OPEN}_${M2}`), { request_id: OPEN, miner_hotkey: M2 }),
    ],
    ["delete a decline", () => deleteDoc(d("miner_declines", `${OPEN}_${M2}`))],
  ];
}

/**
 * What outside probes found (issue 20): an unexpected validator harvesting a request's leads, an
 * unexpected or late miner adding leads, and a node writing another neuron's uid.
 */
function probeAttacks(env) {
  const as = (hotkey, role) => env.authenticatedContext(hotkey, { role }).firestore();
  const subs = (db, requestId) =>
    getDocs(query(collection(db, "miner_submissions"), where("request_id", "==", requestId)));
  return [
    [
      "unexpected validator",
      "list an open request's submissions",
      () => subs(as(V3, "validator"), OPEN),
    ],
    [
      "unexpected validator",
      "read an open request's submission",
      () => getDoc(doc(as(V3, "validator"), "miner_submissions", `${OPEN}_${M2}`)),
    ],
    [
      "unexpected validator",
      "list an open request's declines",
      () =>
        getDocs(
          query(collection(as(V3, "validator"), "miner_declines"), where("request_id", "==", OPEN)),
        ),
    ],
    [
      "unexpected miner",
      "submit to a request that did not expect it",
      () =>
        setDoc(
          doc(as(M3, "miner"), "miner_submissions", `${OPEN}_${M3}`),
          submission(OPEN, M3, { miner_uid: 13 }),
        ),
    ],
    [
      "miner",
      "submit after the validator deadline",
      () =>
        setDoc(
          doc(as(M, "miner"), "miner_submissions", `${PAST_DEADLINE}_${M}`),
          submission(PAST_DEADLINE, M),
        ),
    ],
    [
      "miner",
      "submit as another neuron's uid",
      () =>
        setDoc(
          doc(as(M, "miner"), "miner_submissions", `${OPEN}_${M}`),
          submission(OPEN, M, { miner_uid: 11 }),
        ),
    ],
    [
      "validator",
      "rank as another neuron's uid",
      () =>
        setDoc(
          doc(as(V, "validator"), "validator_rankings", `${OPEN}_${V}`),
          ranking(OPEN, V, { validator_uid: 1 }),
        ),
    ],
  ];
}

/**
 * Attacks a revoked operator makes with its old, unexpired token (issue 20): everything the console
 * reads, which it could while its operators record existed (the rest is in attacksFor).
 */
function revokedOperatorAttacks(db) {
  const d = (c, id) => doc(db, c, id);
  return [
    ["read an open request", () => getDoc(d("api_requests", OPEN))],
    ["list the submissions", () => getDocs(collection(db, "miner_submissions"))],
    ["read a decline", () => getDoc(d("miner_declines", `${OPEN}_${M2}`))],
    ["list the declines", () => getDocs(collection(db, "miner_declines"))],
    ["read metrics", () => getDoc(d("consensus_metrics", DONE))],
    ["list validator agreement", () => getDocs(collection(db, "validator_agreement"))],
    ["read its own former operators record", () => getDoc(d("operators", OPERATOR))],
  ];
}

/** A granted operator only reads what the console shows: never writes, never backend-only data. */
function operatorAttacks(db, me) {
  const d = (c, id) => doc(db, c, id);
  return [
    ["read api keys", () => getDocs(collection(db, "api_keys"))],
    ["read rate limits", () => getDoc(d("rate_limits", "k"))],
    ["read sign-in nonces", () => getDoc(d("sign_in_nonces", "n"))],
    ["read idempotency keys", () => getDoc(d("idempotency_keys", "i"))],
    ["list the operators", () => getDocs(collection(db, "operators"))],
    ["read its own operators record", () => getDoc(d("operators", me))],
    ["grant another account", () => setDoc(d("operators", "someone"), { uid: "someone" })],
    ["delete its operators record", () => deleteDoc(d("operators", me))],
    ["flip a request to failed", () => updateDoc(d("api_requests", OPEN), { status: "failed" })],
    ["raise a validator's trust", () => updateDoc(d("registry", V), { validator_trust: 1 })],
    ["write metrics", () => setDoc(d("consensus_metrics", OPEN), { top_leads: [] })],
    [
      "rank as a validator",
      () => setDoc(d("validator_rankings", `${OPEN}_${V}`), ranking(OPEN, V)),
    ],
  ];
}

/** Attacks only a revoked session makes: what it could do while still registered. */
function revokedAttacks(db, me, role) {
  const d = (c, id) => doc(db, c, id);
  return [
    ["read an open request", () => getDoc(d("api_requests", OPEN))],
    [
      "listen to open requests",
      () =>
        getDocs(
          query(collection(db, "api_requests"), where("status", "in", ["pending", "processing"])),
        ),
    ],
    ["read metrics", () => getDoc(d("consensus_metrics", DONE))],
    [
      "heartbeat",
      () => updateDoc(d("registry", me), { last_seen: serverTimestamp(), is_serving: true }),
    ],
    role === "validator"
      ? [
          "rank an open request",
          () => setDoc(d("validator_rankings", `${OPEN}_${me}`), ranking(OPEN, me)),
        ]
      : [
          "submit to an open request",
          () => setDoc(d("miner_submissions", `${OPEN}_${me}`), submission(OPEN, me)),
        ],
  ];
}

async function main() {
  const env = await initializeTestEnvironment({
    projectId: PROJECT,
    firestore: {
      rules: readFileSync(join(root, "firestore.rules"), "utf8"),
      host,
      port: Number(port),
    },
  });
  let tried = 0;
  let allowed = 0;
  let callerCount = 0;
  const examples = [];
  const attempt = async (who, what, run) => {
    tried++;
    try {
      await run();
      allowed++;
      if (examples.length < 10) examples.push(`${who}: ${what}`);
    } catch (err) {
      // Only a rules refusal counts as refused; anything else is a broken attack, not a pass.
      if (err?.code !== "permission-denied") throw err;
    }
  };
  try {
    await env.clearFirestore();
    await seed(env);
    const callers = [
      ["validator", V, env.authenticatedContext(V, { role: "validator" })],
      ["miner", M, env.authenticatedContext(M, { role: "miner" })],
      ["removed validator", REMOVED, env.authenticatedContext(REMOVED, { role: "validator" })],
      ["re-roled validator", REROLED, env.authenticatedContext(REROLED, { role: "validator" })],
      ["user without a role", "5Plain", env.authenticatedContext("5Plain", {})],
      [
        "node claiming operator",
        V,
        env.authenticatedContext(V, { role: "validator", operator: true }),
      ],
      [
        "operator",
        OPERATOR,
        env.authenticatedContext(OPERATOR, { operator: true, email: "op@example.com" }),
      ],
      [
        "revoked operator (old token)",
        REVOKED_OPERATOR,
        env.authenticatedContext(REVOKED_OPERATOR, { operator: true, email: "gone@example.com" }),
      ],
      ["signed-out visitor", "anon", env.unauthenticatedContext()],
    ];
    callerCount = callers.length;
    for (const [who, me, ctx] of callers) {
      const db = ctx.firestore();
      // A granted operator reads what the console shows (the rules tests prove it can), so only
      // its forbidden reads and writes are attacks here.
      const attacks =
        who === "operator"
          ? operatorAttacks(db, me)
          : attacksFor(db, me, who === "validator" || who === "node claiming operator");
      if (who === "removed validator" || who === "re-roled validator") {
        attacks.push(...revokedAttacks(db, me, "validator"));
      }
      if (who === "revoked operator (old token)") attacks.push(...revokedOperatorAttacks(db));
      for (const [what, run] of attacks) await attempt(who, what, run);
    }
    for (const [who, what, run] of probeAttacks(env)) await attempt(who, what, run);
    await env.clearFirestore();
  } finally {
    await env.cleanup();
  }
  console.log(JSON.stringify({ tried, allowed, callers: callerCount, examples }));
}

await main();
