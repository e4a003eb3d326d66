// `npm run admin -- verify <request_id>` and `npm run admin -- agreement` as an operator runs them
// (the compiled CLI in its own process) against a request the emulators completed: verify prints
// match, then the first difference once a stored ranking, submission or result is tampered with.
import { FieldValue } from "firebase-admin/firestore";
import { COLLECTIONS, rankingDocId, submissionDocId } from "consensus-core";
import { cli, requireBuiltCli } from "../../support/admin-cli";
import { createCompletedRequest } from "../../support/completed-request";
import { adminDb, clearFirestore, lead } from "../../support/emulator";

beforeAll(requireBuiltCli);
beforeEach(clearFirestore);

const leads = [lead(1), lead(2), lead(3)];

async function completed() {
  return createCompletedRequest({
    validators: [
      { uri: "//Alice", uid: 0, trust: 0.6 },
      { uri: "//Bob", uid: 1, trust: 0.4 },
    ],
    leads,
    scores: [
      [
        [leads[0], 0.9],
        [leads[1], 0.5],
      ],
      [
        [leads[1], 0.8],
        [leads[2], 0.7],
      ],
    ],
    numLeads: 2,
  });
}

/** Changes one stored field, runs verify, puts the field back. */
async function tampered(
  ref: FirebaseFirestore.DocumentReference,
  field: string,
  value: unknown,
  requestId: string,
) {
  const before = (await ref.get()).get(field);
  await ref.update({ [field]: value });
  try {
    return await cli(["verify", requestId, "--emulator"]);
  } finally {
    await ref.update({ [field]: before === undefined ? FieldValue.delete() : before });
  }
}

test("verify prints match for a completed request, exit 0", async () => {
  const { requestId } = await completed();
  const run = await cli(["verify", requestId, "--emulator"]);
  expect(run.stderr).toMatch(/Target: project demo-consensus/);
  expect(run.stdout.trim()).toBe(
    `match: request ${requestId} (mode weighted, kappa 0.5): 3 signatures checked, 2 leads compared`,
  );
  expect(run.code).toBe(0);

  const json = await cli(["verify", requestId, "--emulator", "--json"]);
  expect(JSON.parse(json.stdout)).toMatchObject({ match: true, difference: null });
});

test("verify names the first difference and exits 1 when stored data was tampered with", async () => {
  const { requestId, validators, miner } = await completed();
  const db = adminDb();
  const ranking = db.collection(COLLECTIONS.rankings).doc(rankingDocId(requestId, validators[0]));
  const submission = db.collection(COLLECTIONS.submissions).doc(submissionDocId(requestId, miner));
  const request = db.collection(COLLECTIONS.requests).doc(requestId);
  const stored = (await request.get()).data()!;

  // A ranking's score changed after signing: its signature no longer holds.
  const rescored = structuredClone((await ranking.get()).data()!.ranked_leads);
  rescored[0].score = 0.1;
  let run = await tampered(ranking, "ranked_leads", rescored, requestId);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    new RegExp(`^MISMATCH: request ${requestId} .*ranking ${requestId}_\\w+: bad_signature`),
  );

  // A miner's submission swapped for another lead.
  run = await tampered(submission, "leads", [lead(9), leads[1], leads[2]], requestId);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/submission .*: bad_signature/);

  // The stored result itself edited: the recomputation disagrees at that field.
  const edited = structuredClone(stored.result);
  edited.leads[1].consensus_score = 0.99;
  run = await tampered(request, "result", edited, requestId);
  expect(run.code).toBe(1);
  // Alice 0.6, Bob 0.4: lead 2 = 0.6·0.5 + 0.4·0.8 = 0.62 first, lead 1 = 0.54 second.
  expect(run.stdout).toMatch(/lead at rank 2 consensus_score: stored 0\.99, recomputed 0\.54 /);

  // Recorded in a different mode than it was computed in.
  run = await tampered(request, "result.consensus_mode", "clipped", requestId);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    /\(mode weighted, kappa 0\.5\): result\.consensus_mode: stored "clipped", request created with "weighted"/,
  );

  // Issue 20, item 8: the request was created clipped and its result says weighted (someone
  // with database access pasted in the weighted result): verify recomputes with what the request
  // recorded at creation, not with what the result says of itself.
  run = await tampered(request, "consensus", { mode: "clipped", kappa: 0.5 }, requestId);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    /\(mode clipped, kappa 0\.5\): result\.consensus_mode: stored "weighted", request created with "clipped"/,
  );

  // Recorded trust changed: not what the registry gave Alice when the request finalised.
  run = await tampered(request, `result.trust_used.${validators[0]}`, 0.1, requestId);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    new RegExp(`: trust_used ${validators[0]}: stored 0\\.1, registry 0\\.6 `),
  );
  // Alice 0.1: lead 2 = 0.05 + 0.32 = 0.37 still first, but no longer 0.62.
  expect(run.stdout).toMatch(
    /also: lead at rank 1 consensus_score: stored 0\.62, recomputed 0\.37/,
  );

  // A participant dropped from the result (and its trust with it): its valid ranking exists.
  const fewer = structuredClone(stored.result);
  fewer.participants = [validators[0]];
  delete fewer.trust_used[validators[1]];
  run = await tampered(request, "result", fewer, requestId);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    new RegExp(`participants: the valid ranking of ${validators[1]} is not counted`),
  );

  // Everything put back: match again.
  run = await cli(["verify", requestId, "--emulator"]);
  expect(run.stdout).toMatch(/^match: /);
  expect(run.code).toBe(0);
});

test("verify of an unknown or unfinished request fails; a malformed id is a usage error", async () => {
  const unknown = "3f1c9f0e-8a5e-4b7a-9c1d-2e3f4a5b6c7d";
  let run = await cli(["verify", unknown, "--emulator"]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/MISMATCH: request .*: request not found/);

  run = await cli(["verify", "not-a-uuid", "--emulator"]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/request id must be a UUID/);

  run = await cli(["verify", "--emulator"]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/exactly one <request_id>/);
});

test("agreement lists each validator's rolling figures, lowest agreement first", async () => {
  const { validators } = await completed();
  const run = await cli(["agreement", "--emulator"]);
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^hotkey\s+clipped share\s+rank corr/);
  // C = 0.9 (lead 1), 0.5 (lead 2), 0 (lead 3: Bob's 0.4 alone is below κ). Alice kept all 1.4
  // of her score mass; Bob kept 0.5 of 1.5.
  expect(lines[1]).toMatch(new RegExp(`^${validators[1]}\\s+0\\.333\\s+`));
  expect(lines[2]).toMatch(new RegExp(`^${validators[0]}\\s+1\\.000\\s+`));

  const one = await cli(["agreement", "--hotkey", validators[1], "--emulator", "--json"]);
  expect(one.code).toBe(0);
  const [record] = JSON.parse(one.stdout);
  expect(record).toMatchObject({
    hotkey: validators[1],
    requests_expected: 1,
    requests_answered: 1,
    rolling_expected: 1,
  });

  const missing = await cli(["agreement", "--hotkey", "5NoSuchHotkey", "--emulator"]);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toMatch(/No validator agreement recorded yet/);
});
