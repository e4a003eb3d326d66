// What plug-ins receive and must answer, as zod schemas over the core's: a module's return value
// and an HTTP service's JSON body are both checked here before anything is signed. The HTTP
// contract is documented in docs/run-a-node.md.
import { LeadSchema, LIMITS, ScoreSchema } from "consensus-core";
import { z } from "zod";

/** What a curator plug-in answers: the leads to submit, best first; none means "decline". */
export const CuratorAnswerSchema = z.array(LeadSchema).max(LIMITS.leadsPerDocumentMax);

/** A module ranker's answer: a score for some or all of the leads it was given. */
export const RankerAnswerSchema = z
  .array(z.looseObject({ lead: LeadSchema, score: ScoreSchema }))
  .max(LIMITS.leadsPerDocumentMax);

/** The body POSTed to --curator-url. */
export interface CuratorCall {
  request_id: string;
  business_desc: string;
  num_leads: number;
  /** The miner's SS58 hotkey, for a service that serves several miners. */
  hotkey: string;
}

/** The body POSTed to --ranker-url. */
export interface RankerCall extends CuratorCall {
  leads: z.infer<typeof LeadSchema>[];
}

/** --curator-url's answer. */
export const CuratorReplySchema = z.looseObject({ leads: CuratorAnswerSchema });

/** --ranker-url's answer: one score per lead sent, in the order sent. */
export const RankerReplySchema = z.looseObject({ scores: z.array(ScoreSchema) });
