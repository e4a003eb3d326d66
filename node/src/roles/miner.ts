// The miner: on every open request, pause sourcing, curate leads that fit the description, sign
// them and create miner_submissions/{request_id}_{hotkey}. Once per request, even across restarts.
import {
  COLLECTIONS,
  DeclineContentSchema,
  LIMITS,
  SubmissionContentSchema,
  canonicalBytes,
  declineDocId,
  declinePayload,
  describeIssues,
  submissionDocId,
  submissionPayload,
  tooLargeIssue,
  type DeclineContent,
  type Lead,
  type SubmissionContent,
} from "consensus-core";
import { largestFitting } from "./fit-bytes";
import { PoolCurator, dedupeLeads, loadLeadPool, type Curator } from "../leads";
import { events } from "../runtime/events";
import { NodeRuntime, type NodeRuntimeOptions } from "../runtime/node-runtime";
import type { OpenRequest } from "../runtime/open-request";

export interface MinerNodeOptions extends NodeRuntimeOptions {
  /** Default: PoolCurator over the shipped lead pool (or `leadPoolPath`), seeded with the hotkey. */
  curator?: Curator | undefined;
  leadPoolPath?: string | undefined;
}

/** Firestore rejects `undefined` field values; JSON drops them (and copies the leads). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The leads, in order, that are each within the byte limit for one lead (LIMITS.leadBytesMax). */
export function leadsWithinByteLimit(leads: readonly Lead[]): Lead[] {
  return leads.filter((l) => canonicalBytes(plain(l)) <= LIMITS.leadBytesMax);
}

/**
 * The signed part of a submission: distinct leads (by normalised email), at most 200, each within
 * the byte limit for a lead, and as many of them, in the curator's order, as fit the byte limit
 * of a submission (LIMITS.submissionBytesMax); parsed by the same schema the backend verifies
 * with, so the signature covers exactly what it will check. Throws when nothing valid is left.
 */
export function buildSubmission(
  requestId: string,
  minerHotkey: string,
  minerUid: number,
  leads: readonly Lead[],
): SubmissionContent {
  const candidates = leadsWithinByteLimit(dedupeLeads(leads)).slice(0, LIMITS.leadsPerDocumentMax);
  const content = (n: number) => ({
    request_id: requestId,
    miner_hotkey: minerHotkey,
    miner_uid: minerUid,
    leads: plain(candidates.slice(0, n)),
    num_leads: n,
  });
  const n = largestFitting(
    candidates.length,
    (k) => canonicalBytes(content(k)) <= LIMITS.submissionBytesMax,
  );
  const parsed = SubmissionContentSchema.safeParse(content(n));
  if (!parsed.success) {
    const tooLarge = tooLargeIssue(parsed.error);
    if (tooLarge) throw new Error(`submission too large to write: ${tooLarge}`);
    const first = describeIssues(parsed.error)[0];
    throw new Error(`submission does not validate: ${first.field}: ${first.message}`);
  }
  return plain(parsed.data);
}

/** The signed decline a miner sends when nothing it holds fits the request. */
export function buildDecline(
  requestId: string,
  minerHotkey: string,
  minerUid: number,
): DeclineContent {
  return DeclineContentSchema.parse({
    request_id: requestId,
    miner_hotkey: minerHotkey,
    miner_uid: minerUid,
    reason: "no_fitting_leads",
  });
}

export class MinerNode extends NodeRuntime {
  readonly role = "miner" as const;
  private readonly curator: Curator;

  constructor(options: MinerNodeOptions) {
    super(options);
    this.curator =
      options.curator ??
      new PoolCurator(loadLeadPool(options.leadPoolPath), { seed: options.pair.address });
  }

  protected async handleRequest(request: OpenRequest, signal: AbortSignal): Promise<void> {
    const id = request.request_id;
    // Only the miners active when the request was created may answer it (the rules refuse others).
    if (request.expected_miners && !request.expected_miners.includes(this.hotkey)) {
      events.notExpected(this.log, { request_id: id, role: "miner" });
      return;
    }
    const t0 = Date.now();
    this.pauseBackgroundWork(id);
    const docId = submissionDocId(id, this.hotkey);
    // A restart may find its submission written: checked while curating, not before it.
    const [exists, leads] = await Promise.all([
      this.ownDocExists(COLLECTIONS.submissions, docId),
      this.curator.curate({
        request_id: id,
        business_desc: request.business_desc,
        num_leads: request.num_leads,
      }),
    ]);
    if (exists) {
      events.alreadyWritten(this.log, { request_id: id, doc: "submission" });
      return;
    }
    const curatedMs = Date.now() - t0;
    if (signal.aborted) {
      events.closedBeforeSubmitting(this.log, { request_id: id });
      return;
    }
    // Nothing to submit, or nothing within the byte limit for a lead: nothing that fits.
    if (leadsWithinByteLimit(leads).length === 0) {
      await this.decline(request);
      return;
    }
    const content = buildSubmission(id, this.hotkey, this.uid, leads);
    const payload = submissionPayload(content);
    if (!(await this.writeSignedOnce(COLLECTIONS.submissions, docId, content, payload))) {
      events.alreadyWritten(this.log, { request_id: id, doc: "submission" });
      return;
    }
    events.submitted(this.log, {
      request_id: id,
      num_leads: content.num_leads,
      asked: request.num_leads,
      curate_ms: curatedMs,
      total_ms: Date.now() - t0,
      since_created_ms: Date.now() - request.createdAtMs,
    });
  }

  /**
   * Nothing fits: say so with a signed decline, so validators stop waiting for this miner instead
   * of running into their cap. At most one per request, like a submission.
   */
  private async decline(request: OpenRequest): Promise<void> {
    const id = request.request_id;
    const content = buildDecline(id, this.hotkey, this.uid);
    const docId = declineDocId(id, this.hotkey);
    if (
      !(await this.writeSignedOnce(COLLECTIONS.declines, docId, content, declinePayload(content)))
    ) {
      events.alreadyWritten(this.log, { request_id: id, doc: "decline" });
      return;
    }
    events.declined(this.log, {
      request_id: id,
      since_created_ms: Date.now() - request.createdAtMs,
    });
  }
}
