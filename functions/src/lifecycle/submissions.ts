// Records whether a miner's submission counts, so a miner (and the operator) can see a rejection.
// Finalisation re-verifies on its own and never relies on this field.
import { Timestamp } from "firebase-admin/firestore";
import { admittedSubmission, cryptoReady, verifySubmission } from "consensus-core";
import { requestsCol, submissionsCol, type Verification } from "../db";
import { log } from "../log";
import { readRegistry } from "../registry/registry";

export async function handleSubmissionCreated(
  docId: string,
  now: Date,
): Promise<Verification | null> {
  await cryptoReady();
  const ref = submissionsCol().doc(docId);
  const data = (await ref.get()).data();
  if (!data) return null;
  if (data.verification) return data.verification;
  const hotkey = typeof data.miner_hotkey === "string" ? data.miner_hotkey : "";
  const requestId = typeof data.request_id === "string" ? data.request_id : "";
  const [entry, request] = await Promise.all([
    hotkey ? readRegistry([hotkey]).then((m) => m.get(hotkey)) : undefined,
    /^[0-9a-f-]{36}$/i.test(requestId) ? requestsCol().doc(requestId).get() : undefined,
  ]);
  const verdict = verifySubmission(docId, data, entry);
  const requestDoc = request?.data();
  const admitted =
    verdict.ok && requestDoc
      ? admittedSubmission(hotkey, data.submitted_at.toMillis(), {
          expected_miners: requestDoc.expected_miners ?? null,
          validator_deadline_ms: requestDoc.validator_deadline.toMillis(),
        })
      : "ok";
  const reason = !verdict.ok ? verdict.reason : !requestDoc ? "unknown_request" : admitted;
  const verification: Verification = {
    status: reason === "ok" ? "accepted" : "rejected",
    reason: reason === "ok" ? null : reason,
    verified_at: Timestamp.fromDate(now),
  };
  // Both deliveries of a duplicated event compute the same verdict, so a plain update is safe.
  await ref.update({ verification });
  const fields = { request_id: data.request_id, miner_hotkey: hotkey, reason: verification.reason };
  if (verification.status === "accepted") log.info("submission_accepted", fields);
  else log.warn("submission_rejected", fields);
  return verification;
}
