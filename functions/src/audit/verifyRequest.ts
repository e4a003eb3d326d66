// `verify <request_id>`: reads what a finalised request's result names and re-verifies it
// (recompute.ts). Read-only.
import { cryptoReady, rankingDocId, submissionDocId } from "consensus-core";
import { rankingsCol, requestsCol, submissionsCol } from "../db";
import { recomputeStoredResult, type RecomputeReport, type StoredDoc } from "./recompute";

async function readDocs(
  col: FirebaseFirestore.CollectionReference<object>,
  ids: readonly string[],
): Promise<StoredDoc[]> {
  if (ids.length === 0) return [];
  const snaps = await col.firestore.getAll(...ids.map((id) => col.doc(id)));
  return snaps.map((s) => ({ id: s.id, data: s.data() as Record<string, unknown> | undefined }));
}

export async function verifyStoredRequest(requestId: string): Promise<RecomputeReport> {
  await cryptoReady();
  const request = (await requestsCol().doc(requestId).get()).data();
  const result = request?.status === "completed" ? request.result : null;
  const [rankings, submissions] = await Promise.all([
    readDocs(
      rankingsCol(),
      (result?.participants ?? []).map((h) => rankingDocId(requestId, h)),
    ),
    readDocs(
      submissionsCol(),
      (result?.miners ?? []).map((h) => submissionDocId(requestId, h)),
    ),
  ]);
  return recomputeStoredResult({ requestId, request, rankings, submissions });
}
