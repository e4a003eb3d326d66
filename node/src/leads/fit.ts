// Lead fit lives in the pure core (core/src/leads/fit.ts); the node's versions default to the
// node's lexicon (the shipped one extended by LEAD_LEXICON_PATH) instead of the core's own.
import {
  fitScore as coreFitScore,
  parseCached as coreParseCached,
  profileLead as coreProfileLead,
  type Lead,
  type LeadProfile,
  type Lexicon,
  type ParsedDescription,
} from "consensus-core";
import { defaultLexicon } from "./lexicon";

export {
  assessFit,
  classifyRole,
  FIT_FLOOR,
  MISFIT_CAP,
  type Constraint,
  type FitAssessment,
  type LeadProfile,
} from "consensus-core";

export const profileLead = (lead: Lead, lexicon: Lexicon = defaultLexicon()): LeadProfile =>
  coreProfileLead(lead, lexicon);
export const parseCached = (text: string, lexicon: Lexicon = defaultLexicon()): ParsedDescription =>
  coreParseCached(text, lexicon);
export const fitScore = (lead: Lead, businessDesc: string, lexicon: Lexicon = defaultLexicon()) =>
  coreFitScore(lead, businessDesc, lexicon);
