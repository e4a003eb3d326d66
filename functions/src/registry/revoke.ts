// Session revocation after a registry sync (issue 11): a hotkey that left the metagraph, or whose
// role changed, must lose the Firebase session it signed in with. Two layers:
//   1. firestore.rules accept a node's role claim only while registry/{hotkey}.role still equals it,
//      so an ID token already issued stops working the moment the sync commits;
//   2. here, the hotkey's refresh tokens are revoked, so the SDK cannot mint a new ID token either
//      (and sign-in refuses it: the registry no longer gives it that role).
import { getAuth } from "firebase-admin/auth";
import type { RegistrySyncPlan } from "consensus-core";
import { logs } from "../logs";

/** Hotkeys whose session must end: removed with a role, or whose role changed. Sorted, unique. */
export function hotkeysToRevoke(plan: Pick<RegistrySyncPlan, "removed" | "updated">): string[] {
  const out = new Set<string>();
  for (const r of plan.removed) if (r.previous_role !== null) out.add(r.hotkey);
  for (const u of plan.updated) if (u.fields.includes("role")) out.add(u.hotkey);
  return [...out].sort();
}

export interface RevocationReport {
  /** Refresh tokens revoked (the hotkey had signed in at least once). */
  revoked: string[];
  /** No Firebase user: the hotkey never signed in, so there was no session to end. */
  no_session: string[];
  /** Revocation failed (logged); the rules still refuse these hotkeys' tokens. */
  failed: string[];
}

export async function revokeSessions(hotkeys: readonly string[]): Promise<RevocationReport> {
  const report: RevocationReport = { revoked: [], no_session: [], failed: [] };
  for (const hotkey of hotkeys) {
    try {
      await getAuth().revokeRefreshTokens(hotkey);
      report.revoked.push(hotkey);
    } catch (err) {
      if ((err as { code?: string }).code === "auth/user-not-found") {
        report.no_session.push(hotkey);
        continue;
      }
      report.failed.push(hotkey);
      logs.sessionRevocationFailed({
        hotkey,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  if (hotkeys.length > 0) logs.sessionsRevoked({ ...report });
  return report;
}
