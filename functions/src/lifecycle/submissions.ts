// Records whether a miner's submission counts, so a miner (and the operator) can see a rejection.
// Finalisation re-verifies on its own and never relies on this field.
import { Timestamp } from "firebase-admin/firestore";
import { cryptoReady, verifySubmission } from "consensus-core";
import { submissionsCol, type Verification } from "../db";
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
  const role = hotkey ? (await readRegistry([hotkey])).get(hotkey)?.role : undefined;
  const verdict = verifySubmission(docId, data, role);
  const verification: Verification = {
    status: verdict.ok ? "accepted" : "rejected",
    reason: verdict.ok ? null : verdict.reason,
    verified_at: Timestamp.fromDate(now),
  };
  // Both deliveries of a duplicated event compute the same verdict, so a plain update is safe.
  await ref.update({ verification });
  const fields = { request_id: data.request_id, miner_hotkey: hotkey, reason: verification.reason };
  if (verdict.ok) log.info("submission_accepted", fields);
  else log.warn("submission_rejected", fields);
  return verification;
}
