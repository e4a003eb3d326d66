// `verify <request_id>`: reads every ranking and submission stored for a request and today's
// registry entries of their authors, and re-verifies the result from them (recompute.ts).
// Read-only.
import { cryptoReady } from "consensus-core";
import { rankingsCol, requestsCol, submissionsCol } from "../db";
import { readRegistry } from "../registry/registry";
import { recomputeStoredResult, type RecomputeReport, type StoredDoc } from "./recompute";

const stored = (snap: FirebaseFirestore.QuerySnapshot): StoredDoc[] =>
  snap.docs.map((d) => ({ id: d.id, data: d.data() as Record<string, unknown> }));

/** The hotkey a "{request_id}_{hotkey}" document id names. */
const hotkeyOf = (docId: string): string => docId.slice(docId.indexOf("_") + 1);

export async function verifyStoredRequest(requestId: string): Promise<RecomputeReport> {
  await cryptoReady();
  const [requestSnap, rankingSnap, submissionSnap] = await Promise.all([
    requestsCol().doc(requestId).get(),
    rankingsCol().where("request_id", "==", requestId).get(),
    submissionsCol().where("request_id", "==", requestId).get(),
  ]);
  const rankings = stored(rankingSnap);
  const submissions = stored(submissionSnap);
  const request = requestSnap.data();
  const registry = await readRegistry([
    ...[...rankings, ...submissions].map((d) => hotkeyOf(d.id)),
    ...(request?.result?.participants ?? []),
    ...(request?.result?.miners ?? []),
  ]);
  return recomputeStoredResult({ requestId, request, rankings, submissions, registry });
}
