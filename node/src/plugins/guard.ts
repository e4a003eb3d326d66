// Wraps an operator's curator or ranker so that whatever it does, the node only ever signs what the
// core schemas accept: a timeout on every call, the answer parsed, and one warning line naming the
// plug-in and what was wrong. A failed curator makes the miner decline; a failed ranker makes the
// validator skip the request (an empty ranking is never written).
import { describeIssues, leadKey, type Lead } from "consensus-core";
import type { ZodError } from "zod";
import type { Curator, CurateRequest } from "../leads/curator";
import { toRanking, type RankedLeadResult, type Ranker, type RankRequest } from "../leads/ranker";
import { events } from "../runtime/events";
import type { Logger } from "../runtime/log";
import { CuratorAnswerSchema, RankerAnswerSchema } from "./contract";
import { describeFailure, PluginError, withTimeout } from "./limits";

export interface GuardOptions {
  /** How the plug-in is named in log lines: its module path or URL. */
  name: string;
  timeoutMs: number;
  log: Logger;
}

function invalid(error: ZodError): PluginError {
  const issues = describeIssues(error);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new PluginError(`invalid answer: ${first.field}: ${first.message}${more}`);
}

/** A curator whose answers are bounded in time and checked; it never throws. */
export class CheckedCurator implements Curator {
  constructor(
    private readonly inner: Curator,
    private readonly options: GuardOptions,
  ) {}

  async curate(request: CurateRequest): Promise<Lead[]> {
    const { name, timeoutMs, log } = this.options;
    try {
      const answer = await withTimeout(
        Promise.resolve().then(() => this.inner.curate(request)),
        timeoutMs,
        "curate",
      );
      const parsed = CuratorAnswerSchema.safeParse(answer);
      if (!parsed.success) throw invalid(parsed.error);
      return parsed.data;
    } catch (err) {
      events.curatorFailed(log, {
        request_id: request.request_id,
        plugin: name,
        error: describeFailure(err),
      });
      return [];
    }
  }
}

/**
 * A ranker whose answers are bounded in time and checked; it never throws. Every lead it scores
 * must be one it was given: the ranking carries the submitted lead itself, never the plug-in's
 * copy, so a plug-in can neither invent a lead nor alter one. Ranks are recomputed from the scores.
 */
export class CheckedRanker implements Ranker {
  constructor(
    private readonly inner: Ranker,
    private readonly options: GuardOptions,
  ) {}

  async rank(request: RankRequest, leads: Lead[]): Promise<RankedLeadResult[]> {
    const { name, timeoutMs, log } = this.options;
    try {
      const answer = await withTimeout(
        // A copy each: the plug-in cannot edit the leads the ranking will carry.
        Promise.resolve().then(() =>
          this.inner.rank(
            { ...request },
            leads.map((l) => ({ ...l })),
          ),
        ),
        timeoutMs,
        "rank",
      );
      const parsed = RankerAnswerSchema.safeParse(answer);
      if (!parsed.success) throw invalid(parsed.error);
      const given = new Map(leads.map((l) => [leadKey(l), l]));
      const scored = new Map<string, { lead: Lead; score: number }>();
      for (const [i, { lead, score }] of parsed.data.entries()) {
        const key = leadKey(lead);
        const original = given.get(key);
        if (!original)
          throw new PluginError(`invalid answer: ${i}.lead is not a lead it was given`);
        if (scored.has(key)) throw new PluginError(`invalid answer: ${i}.lead is scored twice`);
        scored.set(key, { lead: original, score });
      }
      return toRanking([...scored.values()]);
    } catch (err) {
      events.rankerFailed(log, {
        request_id: request.request_id,
        plugin: name,
        error: describeFailure(err),
      });
      return [];
    }
  }
}
