// Records whether a miner's submission is signed and well-formed, so a miner (and the operator)
// sees a bad one at once. Nothing is read: the document comes with the event, and who may submit,
// under which uid and until when is what the rules checked at the write; finalisation applies the
// request's admission rule and records its verdict on any submission it leaves out.
import { Timestamp } from "firebase-admin/firestore";
import { cryptoReady, verifySignedSubmission } from "consensus-core";
import { submissionsCol, type SubmissionDoc, type Verification } from "../db";
import { logs } from "../logs";
import { isNotFound, isPreconditionFailure } from "./retry";

export async function handleSubmissionCreated(
  docId: string,
  now: Date,
  delivered?: { data: SubmissionDoc | undefined; updateTime: Timestamp },
): Promise<Verification | null> {
  await cryptoReady();
  const ref = submissionsCol().doc(docId);
  const snap: { data: SubmissionDoc | undefined; updateTime: Timestamp } =
    delivered ?? (await ref.get().then((d) => ({ data: d.data(), updateTime: d.updateTime! })));
  const data = snap.data;
  if (!data) return null;
  if (data.verification) return data.verification;
  const verdict = verifySignedSubmission(docId, data);
  const verification: Verification = {
    status: verdict.ok ? "accepted" : "rejected",
    reason: verdict.ok ? null : verdict.reason,
    verified_at: Timestamp.fromDate(now),
  };
  // Only onto the document as created: a verdict already there (another delivery's, or the
  // finalisation's) stands.
  const written = await ref.update({ verification }, { lastUpdateTime: snap.updateTime }).then(
    () => true,
    (err: unknown) => {
      if (!isPreconditionFailure(err) && !isNotFound(err)) throw err;
      return false;
    },
  );
  if (!written) return (await ref.get()).data()?.verification ?? null;
  const fields = {
    request_id: data.request_id,
    miner_hotkey: data.miner_hotkey,
    reason: verification.reason,
  };
  if (verification.status === "accepted") logs.submissionAccepted(fields);
  else logs.submissionRejected(fields);
  return verification;
}
