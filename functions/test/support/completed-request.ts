// One request taken to completion the way production does it: registry seeded, the request
// created by the lifecycle code, a signed submission and signed rankings written, and the ranking
// trigger in the Functions emulator finalising it.
import type { Lead } from "consensus-core";
import { lifecycleConfig } from "../../src/config";
import { createLeadRequest } from "./create-request";
import { seedRegistry, submitLeads, submitRanking, waitForFinal, type NodeSpec } from "./emulator";

export interface CompletedRequestSpec {
  /** Validators (role validator); each ranks with the matching entry of `scores`. */
  validators: NodeSpec[];
  /** What the one miner (//Ferdie, uid 10) submits. */
  leads: Lead[];
  scores: [Lead, number][][];
  numLeads: number;
}

export async function createCompletedRequest(spec: CompletedRequestSpec) {
  const pairs = await seedRegistry([
    ...spec.validators,
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const miner = pairs[pairs.length - 1];
  const validators = pairs.slice(0, -1);
  const { request_id: requestId } = await createLeadRequest(
    "test-client",
    { num_leads: spec.numLeads, business_desc: "B2B SaaS companies selling to sales teams" },
    new Date(),
    lifecycleConfig(),
  );
  await submitLeads(miner, 10, requestId, spec.leads);
  await Promise.all(
    validators.map((v, i) => submitRanking(v, spec.validators[i].uid, requestId, spec.scores[i])),
  );
  const final = await waitForFinal(requestId);
  if (final.status !== "completed") throw new Error(`request ${requestId} ${final.status}`);
  return {
    requestId,
    final,
    validators: validators.map((v) => v.address),
    miner: miner.address,
  };
}
