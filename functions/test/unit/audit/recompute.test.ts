// recomputeStoredResult on signed documents built in memory: what it accepts, and the first
// difference it names for each way a stored result can fail to follow from its inputs.
import { randomUUID } from "node:crypto";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import {
  calculateConsensusRanking,
  cryptoReady,
  eligibleLeadPool,
  leadHash,
  rankingDocId,
  rankingPayload,
  submissionDocId,
  submissionPayload,
  type ConsensusMode,
  type Lead,
  type RankingContent,
  type SubmissionContent,
} from "consensus-core";
import { recomputeStoredResult, type RecomputeInput } from "../../../src/audit/recompute";
import type { ApiRequestDoc } from "../../../src/db";

let alice: KeyringPair;
let bob: KeyringPair;
let ferdie: KeyringPair;
beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  [alice, bob, ferdie] = ["//Alice", "//Bob", "//Ferdie"].map((u) => keyring.addFromUri(u));
});

const leads: Lead[] = ["a", "b", "c"].map((n) => ({ business: `${n} Inc`, email: `${n}@acme.io` }));

/** A completed request as finalisation would have stored it, with its signed documents. */
function stored(
  opts: { mode?: ConsensusMode; trust?: [number, number]; legacy?: boolean } = {},
): RecomputeInput {
  const requestId = randomUUID();
  const [ta, tb] = opts.trust ?? [0.45, 0.55];
  const submission: SubmissionContent = {
    request_id: requestId,
    miner_hotkey: ferdie.address,
    miner_uid: 10,
    leads,
    num_leads: 3,
  };
  const rank = (v: KeyringPair, uid: number, scores: number[]): RankingContent => ({
    request_id: requestId,
    validator_hotkey: v.address,
    validator_uid: uid,
    ranked_leads: scores.map((score, i) => ({ lead_hash: leadHash(leads[i]), score, rank: i + 1 })),
    num_leads_ranked: 3,
  });
  // What the consensus reads of each ranking: the lead each hash names.
  const votes = (scores: number[]) => scores.map((score, i) => ({ lead: leads[i], score }));
  const [sa, sb] = [
    [1, 0.2, 0.3],
    [0, 0.6, 0.5],
  ];
  const ra = rank(alice, 0, sa);
  const rb = rank(bob, 1, sb);
  const equal = ta === 0 && tb === 0;
  const mode = opts.mode ?? "weighted";
  const consensus = calculateConsensusRanking({
    numLeads: 2,
    rankings: [
      { validator_hotkey: alice.address, trust: ta, ranked_leads: votes(sa) },
      { validator_hotkey: bob.address, trust: tb, ranked_leads: votes(sb) },
    ],
    eligibleLeads: eligibleLeadPool([submission]),
    mode,
    kappa: 0.5,
  });
  const sign = (pair: KeyringPair, message: string) => u8aToHex(pair.sign(message));
  const request = {
    request_id: requestId,
    num_leads: 2,
    status: "completed",
    ...(opts.legacy ? {} : { consensus: { mode, kappa: 0.5 } }),
    expected_validators: [alice.address, bob.address].sort(),
    expected_miners: [ferdie.address],
    validator_deadline: at(90_000),
    finalized_at: at(2_000),
    result: {
      leads: consensus.leads,
      participants: [alice.address, bob.address].sort(),
      timed_out: [],
      miners: [ferdie.address],
      ...(opts.legacy ? {} : { consensus_mode: consensus.mode, kappa: consensus.kappa }),
      trust_used: consensus.weights,
      equal_weights: equal,
      finalized_by: "quorum",
    },
  } as unknown as ApiRequestDoc;
  const accepted = { status: "accepted", reason: null };
  return {
    requestId,
    request,
    rankings: [
      {
        id: rankingDocId(requestId, alice.address),
        data: {
          ...ra,
          signature: sign(alice, rankingPayload(ra)),
          submitted_at: at(1_000),
          verification: accepted,
        },
      },
      {
        id: rankingDocId(requestId, bob.address),
        data: {
          ...rb,
          signature: sign(bob, rankingPayload(rb)),
          submitted_at: at(1_100),
          verification: accepted,
        },
      },
    ],
    submissions: [
      {
        id: submissionDocId(requestId, ferdie.address),
        data: {
          ...submission,
          signature: sign(ferdie, submissionPayload(submission)),
          submitted_at: at(500),
        },
      },
    ],
    registry: new Map([
      [alice.address, { role: "validator", uid: 0, validator_trust: ta }],
      [bob.address, { role: "validator", uid: 1, validator_trust: tb }],
      [ferdie.address, { role: "miner", uid: 10, validator_trust: 0 }],
    ]),
  };
}

/** A stored Firestore timestamp, this many ms after the request was created. */
const at = (ms: number) => ({ toMillis: () => 1_700_000_000_000 + ms });

describe("recomputeStoredResult", () => {
  it.each<ConsensusMode>(["weighted", "clipped"])("matches a %s result", (mode) => {
    const input = stored({ mode });
    const report = recomputeStoredResult(input);
    expect(report).toEqual({
      requestId: input.requestId,
      match: true,
      difference: null,
      differences: [],
      notes: [],
      settings: { mode, kappa: 0.5 },
      signaturesChecked: 3,
      leadsCompared: 2,
    });
  });

  it("matches a result computed with equal weights (all trust 0)", () => {
    expect(recomputeStoredResult(stored({ trust: [0, 0] })).match).toBe(true);
  });

  it("treats a result without a recorded mode as the seed formula", () => {
    const report = recomputeStoredResult(stored({ legacy: true }));
    expect(report).toMatchObject({ match: true, settings: { mode: "weighted", kappa: 0.5 } });
  });

  it("a result whose recorded mode is not the one that produced it differs", () => {
    const input = stored({ mode: "weighted", legacy: true });
    input.request!.result!.consensus_mode = "clipped";
    // Weighted: a = 0.45 (Alice's 1.0 alone), b = 0.42, c = 0.41. Clipped: C_a = 0 (Alice holds
    // less than κ), so b (0.42) comes first.
    expect(recomputeStoredResult(input)).toMatchObject({
      match: false,
      settings: { mode: "clipped", kappa: 0.5 },
      difference: 'lead at rank 1 email: stored "a@acme.io", recomputed "b@acme.io"',
    });
  });

  it("names a ranking whose content no longer matches its signature", () => {
    const input = stored();
    const data = input.rankings[1].data as { ranked_leads: { score: number }[] };
    data.ranked_leads[0].score = 1;
    expect(recomputeStoredResult(input)).toMatchObject({
      match: false,
      difference: `ranking ${input.rankings[1].id}: bad_signature`,
    });
  });

  it("names a missing ranking, a valid ranking left out, and a missing submission", () => {
    let input = stored();
    input.rankings = input.rankings.slice(0, 1);
    expect(recomputeStoredResult(input).difference).toMatch(
      /^participants: \w+ has no valid signed ranking$/,
    );

    input = stored();
    const [first] = input.request!.result!.participants;
    input.request!.result!.participants = input.request!.result!.participants.slice(1);
    delete input.request!.result!.trust_used[first];
    expect(recomputeStoredResult(input).differences).toContain(
      `participants: the valid ranking of ${first} is not counted`,
    );

    input = stored();
    input.submissions = [];
    expect(recomputeStoredResult(input).difference).toBe(
      `miners: ${ferdie.address} has no signed submission admitted by the request`,
    );
  });

  it("names an edited stored lead field and an extra lead", () => {
    let input = stored();
    input.request!.result!.leads[1].normalized_score = 0.9;
    expect(recomputeStoredResult(input).difference).toMatch(
      /^lead at rank 2 normalized_score: stored 0\.9, recomputed /,
    );

    input = stored();
    input.request!.num_leads = 3;
    expect(recomputeStoredResult(input).difference).toBe("lead count: stored 2, recomputed 3");
  });

  it("names trust recorded for a validator that did not participate", () => {
    const input = stored();
    input.request!.result!.trust_used["5Extra"] = 0.1;
    expect(recomputeStoredResult(input).difference).toMatch(/^trust_used names /);
  });

  it("reports requests that are missing or not completed", () => {
    const input = stored();
    expect(recomputeStoredResult({ ...input, request: undefined }).difference).toBe(
      "request not found",
    );
    input.request!.status = "failed";
    expect(recomputeStoredResult(input).difference).toBe(
      "request is failed, not completed: no result to verify",
    );
  });
});

// Issue 20, item 8: someone with database access rewrites a stored result; verify must not take
// the result's own claims (mode, trust, participants, miners) as its inputs.
describe("recomputeStoredResult against a rewritten result", () => {
  it("a clipped request whose result was rewritten into the weighted one is a mismatch", () => {
    const clipped = stored({ mode: "clipped" });
    const weighted = stored({ mode: "weighted" });
    // The weighted result, consistent in itself, pasted over the clipped request's result.
    clipped.request!.result = {
      ...weighted.request!.result!,
      participants: clipped.request!.result!.participants,
    };
    const report = recomputeStoredResult(clipped);
    expect(report.match).toBe(false);
    expect(report.settings).toEqual({ mode: "clipped", kappa: 0.5 });
    expect(report.difference).toBe(
      'result.consensus_mode: stored "weighted", request created with "clipped"',
    );
  });

  it("trust_used that is not what the registry gave is a mismatch", () => {
    const input = stored({ trust: [0.45, 0.55] });
    const trust = input.request!.result!.trust_used;
    const [a, b] = Object.keys(trust).sort();
    [trust[a], trust[b]] = [trust[b], trust[a]];
    expect(recomputeStoredResult(input).differences.join("\n")).toMatch(
      /^trust_used \w+: stored 0\.\d+, registry 0\.\d+$/m,
    );
  });

  it("a registry entry changed since finalisation is noted, not judged", () => {
    const input = stored({ trust: [0.45, 0.55] });
    input.request!.result!.registry_block = 100;
    const entry = input.registry.get(alice.address)!;
    (input.registry as Map<string, typeof entry>).set(alice.address, {
      ...entry,
      validator_trust: 0.9,
      block: 120,
    });
    const report = recomputeStoredResult(input);
    expect(report.match).toBe(true);
    expect(report.notes).toEqual([
      `registry entry of validator ${alice.address} changed after finalisation`,
    ]);
  });

  it("a miner counted although it submitted after the validator deadline is a mismatch", () => {
    const input = stored();
    input.submissions[0].data!.submitted_at = at(95_000);
    expect(recomputeStoredResult(input).difference).toBe(
      `miners: ${ferdie.address} has no signed submission admitted by the request`,
    );
  });

  it("a miner the request did not expect is never counted", () => {
    const input = stored();
    input.request!.expected_miners = [bob.address];
    expect(recomputeStoredResult(input).difference).toBe(
      `miners: ${ferdie.address} has no signed submission admitted by the request`,
    );
  });

  it("a uid other than the registry's makes a counted validator a mismatch", () => {
    const input = stored();
    const entry = input.registry.get(bob.address)!;
    (input.registry as Map<string, typeof entry>).set(bob.address, { ...entry, uid: 7 });
    expect(recomputeStoredResult(input).differences).toContain(
      `participants: ${bob.address} is counted but not a registered validator`,
    );
  });

  it("a lead whose content differs from the copy the validators scored is a mismatch", () => {
    const input = stored();
    const lead = input.request!.result!.leads[0];
    input.request!.result!.leads[0] = { ...lead, full_name: "Mallory", website: "evil.example" };
    expect(recomputeStoredResult(input).difference).toMatch(
      /^lead at rank 1 full_name: stored "Mallory", recomputed undefined$/,
    );
  });
});

describe("recomputeStoredResult and the result's commit time", () => {
  it("a counted ranking written after the result's commit is a mismatch; a straggler is not", () => {
    const input = stored();
    input.request!.result_committed_at = at(1_050) as never;
    // Bob ranked at 1100, after the commit at 1050, yet the result counts him.
    expect(recomputeStoredResult(input).differences).toContain(
      `participants: ${bob.address} ranked after the result was written`,
    );
    // The same straggler left out, as the finaliser would have: a match.
    const fair = stored({ trust: [0.45, 0.55] });
    fair.request!.result_committed_at = at(1_050) as never;
    fair.request!.result!.participants = [alice.address];
    fair.request!.result!.trust_used = { [alice.address]: 0.45 };
    fair.request!.result!.leads = calculateConsensusRanking({
      numLeads: 2,
      rankings: [
        {
          validator_hotkey: alice.address,
          trust: 0.45,
          // Alice's ranking, bound to the leads its hashes name.
          ranked_leads: (
            fair.rankings[0].data as { ranked_leads: { lead_hash: string; score: number }[] }
          ).ranked_leads.map((e) => ({
            lead: leads.find((l) => leadHash(l) === e.lead_hash)!,
            score: e.score,
          })),
        },
      ],
      eligibleLeads: eligibleLeadPool([fair.submissions[0].data as unknown as SubmissionContent]),
    }).leads;
    expect(recomputeStoredResult(fair)).toMatchObject({ match: true, differences: [] });
  });
});
