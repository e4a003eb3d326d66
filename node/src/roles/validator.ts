// The validator: for every open request that expects it, pause its sourced-lead queue, collect the
// miners' submissions until every expected miner answered (bounded by the deadline: wait-bound.ts),
// rank the leads, sign the ranking and create
// validator_rankings/{request_id}_{hotkey}. Once per request, even across restarts.
import {
  collection,
  onSnapshot,
  query,
  where,
  type DocumentData,
  type FirestoreError,
} from "firebase/firestore";
import {
  COLLECTIONS,
  DeclineContentSchema,
  LIMITS,
  RankingContentSchema,
  declineDocId,
  declinePayload,
  describeIssues,
  leadHash,
  rankingDocId,
  rankingPayload,
  poolLeads,
  timedLeadPool,
  tooLargeIssue,
  verifyHotkeySignature,
  verifySignedSubmission,
  type Lead,
  type RankingContent,
  type TimedSubmission,
} from "consensus-core";
import { HeuristicRanker, LlmRanker, type RankedLeadResult, type Ranker } from "../leads";
import type { Logger } from "../runtime/log";
import { events } from "../runtime/events";
import { NodeRuntime, type NodeRuntimeOptions } from "../runtime/node-runtime";
import type { OpenRequest } from "../runtime/open-request";
import {
  DEFAULT_WAIT_BOUND,
  submissionWaitBound,
  validateWaitBound,
  waitDecision,
  type StopReason,
  type WaitBoundConfig,
} from "../runtime/wait-bound";

export interface ValidatorNodeOptions extends NodeRuntimeOptions {
  /** Default: LlmRanker.fromEnv() (heuristic fallback) when LLM_BASE_URL is set, else heuristic. */
  ranker?: Ranker | undefined;
  /** Overrides of DEFAULT_WAIT_BOUND. */
  waitBound?: Partial<WaitBoundConfig> | undefined;
}

/** The ranker a validator uses when none is given: the LLM when configured, the heuristic always behind it. */
export function defaultRanker(log: () => Logger, env: NodeJS.ProcessEnv = process.env): Ranker {
  const heuristic = new HeuristicRanker();
  return (
    LlmRanker.fromEnv(env, {
      fallback: heuristic,
      onFallback: (err) => events.llmFallback(log(), { error: err.message }),
    }) ?? heuristic
  );
}

/**
 * Leads of the submissions that are well-formed, signed by their miner and by a miner the request
 * expected (the backend rechecks, and also that the miner is registered), one copy per normalised
 * email: the backend's own rule (the earliest submitted copy, `timedLeadPool`), so the content
 * this validator scores and signs is the copy the consensus returns.
 */
export function gatherLeads(
  submissions: readonly { id: string; data: DocumentData }[],
  expectedMiners: readonly string[] | null = null,
): {
  leads: Lead[];
  accepted: number;
  rejected: number;
} {
  const timed: TimedSubmission[] = [];
  let rejected = 0;
  for (const { id, data } of submissions) {
    const verdict = verifySignedSubmission(id, data);
    const submittedAt = data.submitted_at as { toMillis?: () => number } | null | undefined;
    const expected = !expectedMiners || expectedMiners.includes(String(data.miner_hotkey));
    if (
      !verdict.ok ||
      data.verification?.status === "rejected" ||
      typeof submittedAt?.toMillis !== "function" ||
      !expected
    ) {
      rejected++;
      continue;
    }
    timed.push({ ...verdict.content, submitted_at_ms: submittedAt.toMillis() });
  }
  return { leads: [...poolLeads(timedLeadPool(timed)).values()], accepted: timed.length, rejected };
}

/** The hotkey of a well-formed decline signed by its miner, or null. */
export function verifiedDecliner(id: string, data: DocumentData): string | null {
  const parsed = DeclineContentSchema.safeParse({
    request_id: data.request_id,
    miner_hotkey: data.miner_hotkey,
    miner_uid: data.miner_uid,
    reason: data.reason,
  });
  if (!parsed.success || typeof data.signature !== "string") return null;
  const c = parsed.data;
  if (id !== declineDocId(c.request_id, c.miner_hotkey)) return null;
  return verifyHotkeySignature(declinePayload(c), data.signature, c.miner_hotkey)
    ? c.miner_hotkey
    : null;
}

/** Every miner the request expects has submitted or declined (false when it names none). */
export function allMinersAnswered(
  expected: readonly string[] | null,
  submitters: Iterable<string>,
  decliners: Iterable<string>,
): boolean {
  return missingMiners(expected, submitters, decliners) === 0;
}

/**
 * How many of the miners the request expects have neither submitted nor declined; null when the
 * request names none (an older request: the wait bound then falls back to fixed caps).
 */
export function missingMiners(
  expected: readonly string[] | null,
  submitters: Iterable<string>,
  decliners: Iterable<string>,
): number | null {
  if (!expected || expected.length === 0) return null;
  const answered = new Set([...submitters, ...decliners]);
  return new Set(expected.filter((h) => !answered.has(h))).size;
}

/**
 * The signed ranking: at most 200 leads, ranks 1..n, each lead named by `lead_hash` (the SHA-256
 * of its canonical JSON, so the signature binds the exact content scored) instead of embedded,
 * parsed by the schema the backend checks. Compact, so it is always within the byte limit.
 */
export function buildRanking(
  requestId: string,
  validatorHotkey: string,
  validatorUid: number,
  ranked: readonly RankedLeadResult[],
): RankingContent {
  const kept = [...ranked]
    .sort((a, b) => a.rank - b.rank)
    .slice(0, LIMITS.leadsPerDocumentMax)
    .map((r, i) => ({ lead_hash: leadHash(r.lead), score: r.score, rank: i + 1 }));
  const parsed = RankingContentSchema.safeParse({
    request_id: requestId,
    validator_hotkey: validatorHotkey,
    validator_uid: validatorUid,
    ranked_leads: kept,
    num_leads_ranked: kept.length,
  });
  if (!parsed.success) {
    const tooLarge = tooLargeIssue(parsed.error);
    if (tooLarge) throw new Error(`ranking too large to write: ${tooLarge}`);
    const first = describeIssues(parsed.error)[0];
    throw new Error(`ranking does not validate: ${first.field}: ${first.message}`);
  }
  return JSON.parse(JSON.stringify(parsed.data)) as RankingContent;
}

interface Collected {
  submissions: { id: string; data: DocumentData }[];
  declined: number;
  reason: StopReason | "closed";
  waitedMs: number;
  firstAfterMs: number | null;
}

export class ValidatorNode extends NodeRuntime {
  readonly role = "validator" as const;
  readonly waitBound: WaitBoundConfig;
  private readonly ranker: Ranker;
  private trust: number | undefined;

  constructor(options: ValidatorNodeOptions) {
    super(options);
    this.waitBound = validateWaitBound({ ...DEFAULT_WAIT_BOUND, ...options.waitBound });
    this.ranker = options.ranker ?? defaultRanker(() => this.log);
  }

  /** The registry trust last seen for this validator. */
  get currentTrust(): number | undefined {
    return this.trust;
  }

  protected subscribeRole(): Promise<void> {
    return this.track("trust", (ready, fail) =>
      onSnapshot(
        this.registryRef(),
        (snap) => {
          const data = snap.data();
          if (typeof data?.uid === "number") this.uid = data.uid;
          const trust =
            typeof data?.validator_trust === "number" ? data.validator_trust : undefined;
          if (trust !== undefined && trust !== this.trust) {
            this.trust = trust;
            events.trustChanged(this.log, { trust });
          }
          ready();
        },
        fail,
      ),
    );
  }

  protected async handleRequest(request: OpenRequest, signal: AbortSignal): Promise<void> {
    const id = request.request_id;
    if (!request.expected_validators.includes(this.hotkey)) {
      events.notExpected(this.log, { request_id: id, role: "validator" });
      return;
    }
    const t0 = Date.now();
    this.pauseBackgroundWork(id);
    const docId = rankingDocId(id, this.hotkey);
    if (await this.ownDocExists(COLLECTIONS.rankings, docId)) {
      events.alreadyWritten(this.log, { request_id: id, doc: "ranking" });
      return;
    }
    const bound = submissionWaitBound({
      startedAtMs: t0,
      validatorDeadlineMs: request.validatorDeadlineMs,
      firstSubmissionAtMs: null,
      lastSubmissionAtMs: null,
    });
    events.collectingSubmissions(this.log, {
      request_id: id,
      num_leads: request.num_leads,
      at_most_s: Math.max(0, (bound.stopAtMs - t0) / 1000),
    });
    const collected = await this.collect(request, t0, signal);
    if (collected.reason === "closed") {
      events.closedWhileCollecting(this.log, { request_id: id });
      return;
    }
    if (collected.submissions.length === 0 && collected.reason === "all_answered") {
      events.allDeclined(this.log, { request_id: id, declined: collected.declined });
      return;
    }
    if (collected.submissions.length === 0) {
      events.noSubmission(this.log, {
        request_id: id,
        waited_s: collected.waitedMs / 1000,
        stop: collected.reason,
      });
      return;
    }
    const { leads, accepted, rejected } = gatherLeads(
      collected.submissions,
      request.expected_miners,
    );
    if (leads.length === 0) {
      events.noValidSubmission(this.log, { request_id: id, rejected });
      return;
    }
    const tRank = Date.now();
    const ranked = await this.ranker.rank(
      { request_id: id, business_desc: request.business_desc, num_leads: request.num_leads },
      leads,
    );
    const rankMs = Date.now() - tRank;
    if (ranked.length === 0) {
      events.rankerEmpty(this.log, { request_id: id });
      return;
    }
    if (signal.aborted) {
      events.closedWhileRanking(this.log, { request_id: id });
      return;
    }
    const content = buildRanking(id, this.hotkey, this.uid, ranked);
    const payload = rankingPayload(content);
    if (!(await this.writeSignedOnce(COLLECTIONS.rankings, docId, content, payload))) {
      events.alreadyWritten(this.log, { request_id: id, doc: "ranking" });
      return;
    }
    events.ranked(this.log, {
      request_id: id,
      num_leads_ranked: content.num_leads_ranked,
      submissions: accepted,
      rejected_submissions: rejected,
      declined: collected.declined,
      stop: collected.reason,
      first_submission_after_ms: collected.firstAfterMs,
      collected_ms: collected.waitedMs,
      rank_ms: rankMs,
      total_ms: Date.now() - t0,
      since_created_ms: Date.now() - request.createdAtMs,
    });
  }

  /** Watches the request's submissions until the wait bound, the request closing, or shutdown. */
  private collect(
    request: OpenRequest,
    startedAtMs: number,
    signal: AbortSignal,
  ): Promise<Collected> {
    const waitBound = this.waitBound;
    const submissions = new Map<string, DocumentData>();
    const decliners = new Set<string>();
    let firstAt: number | null = null;
    let lastAt: number | null = null;
    const result = (reason: Collected["reason"]): Collected => ({
      submissions: [...submissions].map(([id, data]) => ({ id, data })),
      declined: decliners.size,
      reason,
      waitedMs: Date.now() - startedAtMs,
      firstAfterMs: firstAt === null ? null : firstAt - startedAtMs,
    });
    if (signal.aborted) return Promise.resolve(result("closed"));

    return new Promise<Collected>((resolve, reject) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      // Snapshot callbacks run asynchronously, so `unsubscribe` is assigned before they fire.
      const unsubscribe = onSnapshot(
        query(
          collection(this.db, COLLECTIONS.submissions),
          where("request_id", "==", request.request_id),
        ),
        (snap) => {
          let added = false;
          // Only what changed: converting every document on every snapshot is quadratic in the
          // miners (192 submissions → 18,000 conversions per validator per round).
          for (const change of snap.docChanges()) {
            const d = change.doc;
            if (change.type === "removed") continue;
            if (!submissions.has(d.id)) added = true;
            // Kept current: the backend's verdict lands on the document after it is created.
            submissions.set(d.id, d.data());
          }
          if (added) {
            const now = Date.now();
            firstAt ??= now;
            lastAt = now;
          }
          evaluate();
        },
        fail,
      );
      // Declines: a miner with nothing that fits says so, and is then no longer waited for.
      const unsubscribeDeclines = onSnapshot(
        query(
          collection(this.db, COLLECTIONS.declines),
          where("request_id", "==", request.request_id),
        ),
        (snap) => {
          let added = false;
          // Each decline's signature is checked once, when it arrives, not on every snapshot.
          for (const change of snap.docChanges()) {
            if (change.type !== "added") continue;
            const d = change.doc;
            const hotkey = verifiedDecliner(d.id, d.data());
            if (hotkey && !decliners.has(hotkey)) {
              decliners.add(hotkey);
              added = true;
            }
          }
          // A decline is an answer too: the silence the wait bound measures starts again.
          if (added && firstAt !== null) lastAt = Date.now();
          evaluate();
        },
        fail,
      );
      function fail(err: FirestoreError): void {
        if (finished) return;
        cleanup();
        reject(err);
      }
      const onAbort = () => finish("closed");
      const cleanup = () => {
        finished = true;
        if (timer) clearTimeout(timer);
        unsubscribe();
        unsubscribeDeclines();
        signal.removeEventListener("abort", onAbort);
      };
      const finish = (reason: Collected["reason"]) => {
        if (finished) return;
        cleanup();
        resolve(result(reason));
      };
      // A declaration (hoisted): the snapshot callback above refers to it.
      function evaluate(): void {
        if (finished) return;
        const missing = missingMiners(
          request.expected_miners,
          [...submissions.values()].map((d) => String(d.miner_hotkey)),
          decliners,
        );
        const decision = waitDecision(
          {
            startedAtMs,
            validatorDeadlineMs: request.validatorDeadlineMs,
            firstSubmissionAtMs: firstAt,
            lastSubmissionAtMs: lastAt,
            missingMiners: missing,
            allExpectedAnswered: missing === 0,
          },
          Date.now(),
          waitBound,
        );
        if (decision.done) {
          finish(decision.reason);
          return;
        }
        if (timer) clearTimeout(timer);
        timer = setTimeout(evaluate, Math.max(0, decision.checkAgainAtMs - Date.now()));
      }
      signal.addEventListener("abort", onAbort);
      evaluate();
    });
  }
}
