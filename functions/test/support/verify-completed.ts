// The emulator tier's shared check: every request a test completed passes `verify` (every
// signature re-checked, the consensus recomputed with the recorded mode, kappa and trust).
import { COLLECTIONS } from "consensus-core";
import { verifyStoredRequest } from "../../src/audit/verifyRequest";
import { formatVerifyReport } from "../../src/admin/format-integrity";
import { adminDb } from "./emulator";

/** Requests already verified in this test file (Firestore is cleared between some tests only). */
const verified = new Set<string>();

export async function verifyEveryCompletedRequest(): Promise<number> {
  const completed = await adminDb()
    .collection(COLLECTIONS.requests)
    .where("status", "==", "completed")
    .get();
  const lines: string[] = [];
  for (const doc of completed.docs) {
    // A request id is a UUID, unique across tests: once verified it need not be read again.
    if (verified.has(doc.id)) continue;
    const report = await verifyStoredRequest(doc.id);
    if (!report.match) lines.push(formatVerifyReport(report));
    else verified.add(doc.id);
  }
  if (lines.length > 0) throw new Error(`verify failed after this test:\n${lines.join("\n")}`);
  return verified.size;
}
