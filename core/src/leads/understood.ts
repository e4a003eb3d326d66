// How a request was read, in the API's terms: the `understood` block of a request's status and
// the constraints each returned lead meets. Derived by the backend from the request's own
// business_desc with the same pure parser and shipped lexicon as the reference nodes, at status
// time, so nothing signed (submissions, rankings, the result) changes and a reader can recompute
// it from the description alone. docs/lead-fit.md explains the choice.
import { z } from "zod";
import type { Lead } from "../schemas";
import { assessFit, type Constraint } from "./fit";
import { builtInLexicon, LEVELS, type Lexicon } from "./lexicon";
import { parseDescription, type ParsedDescription } from "./parse";

export const CONSTRAINTS = ["role", "industry", "place"] as const;
export const ConstraintSchema = z.enum(CONSTRAINTS);

const LevelSchema = z.enum(LEVELS);

export const UnderstoodSchema = z
  .object({
    /** Roles asked for (a lead must match one), each with the words it was read from. */
    roles: z.array(
      z
        .object({
          text: z.string(),
          functions: z.array(z.string()).nullable(),
          /** Levels that fit; null = any. */
          levels: z.array(LevelSchema).nullable(),
          /** The level the buyer named, ordered first. */
          preferred_level: LevelSchema.nullable(),
          /** A named title ("cto") a lead's own named title must match. */
          title: z.string().nullable(),
          /** The seniority was stated as a requirement ("managers only"). */
          required: z.boolean(),
        })
        .strict(),
    ),
    /** Industry concepts (a lead must be in one), with the pool label each stands closest to. */
    industries: z.array(z.object({ id: z.string(), label: z.string() }).strict()),
    /** Place ids (a lead must be in one). */
    places: z.array(z.string()),
    /** The buyer said the place does not matter. */
    anywhere: z.boolean(),
    exclude: z
      .object({
        functions: z.array(z.string()),
        levels: z.array(LevelSchema),
        industries: z.array(z.string()),
        places: z.array(z.string()),
      })
      .strict(),
    /** Companies read in "companies like X", each standing for its industry. */
    companies_like: z.array(z.string()),
    /** The seller's own clause ("we sell X", "for our X product"): context, not the ask. */
    seller_context: z.string().nullable(),
    corrections: z.array(z.object({ from: z.string(), to: z.string() }).strict()),
    /** Words the round did not use: unknown words, unknown companies, unenforced wishes. */
    ignored: z.array(z.string()),
    /**
     * Constraints the buyer stated in words the nodes could not read ("at A&E firms", "companies
     * like X" with X unknown): no lead can be shown to meet them, so none is returned; the words
     * are in `ignored`.
     */
    unread: z.array(ConstraintSchema),
  })
  .strict();
export type Understood = z.infer<typeof UnderstoodSchema>;

/** The API's reading of a parse. */
export function understoodFrom(parsed: ParsedDescription, lexicon: Lexicon): Understood {
  return {
    roles: parsed.roles.map((r) => ({
      text: r.text,
      functions: r.functions,
      levels: r.accepts
        ? [...r.accepts].sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b))
        : null,
      preferred_level: r.level,
      title: r.title,
      required: r.required,
    })),
    industries: parsed.industries.map((id) => ({
      id,
      label: lexicon.file.industries[id]?.labels[0] ?? id,
    })),
    places: parsed.places,
    anywhere: parsed.anywhere,
    exclude: parsed.exclude,
    companies_like: parsed.companiesLike,
    seller_context: parsed.product,
    corrections: parsed.corrections,
    ignored: parsed.ignored,
    unread: parsed.unread,
  };
}

/** How the core reads a business description, with its shipped lexicon. */
export function understand(businessDesc: string, lexicon: Lexicon = builtInLexicon()): Understood {
  return understoodFrom(parseDescription(businessDesc, lexicon), lexicon);
}

/** The constraints a description states (a role, an industry, a place, or an exclusion of one). */
export function statedConstraints(parsed: ParsedDescription): Constraint[] {
  const out: Constraint[] = [];
  const ex = parsed.exclude;
  if (parsed.roles.length + ex.functions.length + ex.levels.length > 0) out.push("role");
  if (parsed.industries.length + ex.industries.length > 0) out.push("industry");
  if (parsed.places.length + ex.places.length > 0) out.push("place");
  return out;
}

/** Which stated constraints a lead meets and which it misses. */
export function leadConstraints(
  lead: Lead,
  parsed: ParsedDescription,
  lexicon: Lexicon = builtInLexicon(),
): { matched: Constraint[]; missed: Constraint[] } {
  const missed = assessFit(lead, parsed, lexicon).missed;
  return {
    matched: statedConstraints(parsed).filter((c) => !missed.includes(c)),
    missed: CONSTRAINTS.filter((c) => missed.includes(c)),
  };
}
