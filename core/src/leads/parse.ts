// Reads a buyer's business description the way a sales team would: who they want (function and
// seniority), at what kind of company (industry), where (place), and what they rule out. Pure
// and deterministic: the same text and lexicon always give the same result. The rules are
// documented in docs/lead-fit.md.
import {
  correctTypos,
  expandTruncations,
  matchPhrases,
  tokenizeText,
  type Entry,
  type Level,
  type Lexicon,
  type Span,
  type Token,
  LEVELS,
} from "./lexicon";

/** One role the buyer asked for: any of `functions` (null = any) at any of `accepts` (null = any). */
export interface RoleWant {
  functions: string[] | null;
  accepts: Level[] | null;
  /** The level the buyer named, used to order leads by closeness ("VPs" puts VPs first). */
  level: Level | null;
  /** The lexicon title the buyer named ("cto"), which a lead's own named title must match. */
  title: string | null;
  /** The words this was read from. */
  text: string;
  /**
   * True when the buyer made the seniority a requirement ("managers only"). Otherwise a seniority
   * word naming one level is a preference: that level comes first, more senior people of the same
   * function also fit ("security managers" takes the Head of Security when managers run out).
   */
  required: boolean;
}

export interface ParsedDescription {
  /** A lead must match at least one (when any is given). */
  roles: RoleWant[];
  /** Industry concept ids; a lead must be in at least one (when any is given). */
  industries: string[];
  /** Place ids; a lead must be in at least one (when any is given). */
  places: string[];
  /** What the buyer ruled out; a lead matching any of these is a misfit. */
  exclude: { functions: string[]; levels: Level[]; industries: string[]; places: string[] };
  /** Functions the seller's own product points at ("sales-automation software"): preference only. */
  preferredFunctions: string[];
  /** The part read as the seller's own product, not as the wanted audience; null when none. */
  product: string | null;
  corrections: { from: string; to: string }[];
  /** The buyer said the place does not matter ("anywhere", "any country but X"). */
  anywhere: boolean;
  /** Companies read in "companies like X", each standing for its industry. */
  companiesLike: string[];
  /** Words outside the seller's clause that the parser did not understand, in text order. */
  ignored: string[];
  /**
   * Constraints the buyer stated in words the parser could not read ("at A&E firms", "companies
   * like Zorblatt" with no industry understood): no lead can be shown to meet them, so none fits
   * and the round answers nothing rather than guessing; the words are in `ignored`.
   */
  unread: "industry"[];
}

const has = (span: Span, kind: Entry["kind"], id?: string): boolean =>
  span.entries.some((e) => e.kind === kind && (id === undefined || e.id === id));
const ids = (span: Span, kind: Entry["kind"]): string[] =>
  span.entries.filter((e) => e.kind === kind).map((e) => e.id);
const isCue = (span: Span | undefined, group: string): boolean =>
  span !== undefined && has(span, "cue", group);
const isConcept = (span: Span): boolean =>
  span.entries.some((e) =>
    ["function", "title", "seniority", "industry", "place"].includes(e.kind),
  );

/** Words of the text a span covers, for messages and the LLM prompt. */
const spanText = (text: string, tokens: readonly Token[], from: number, to: number): string =>
  to > from ? text.slice(tokens[from].start, tokens[to - 1].end) : "";

/**
 * Finds the seller's own clause, whose words describe the product rather than the leads wanted.
 * Returns [from, to) token indices, or null. Three patterns, first match wins:
 *  1. "we / our / my ..." up to the next audience cue ("to", "for", "targeting", "help"...) or
 *     sentence break; with neither, only the pronoun itself.
 *  2. A selling verb ("selling", "offer", "provide") not preceded by a company noun or a relative
 *     pronoun: from the start to the next audience cue after the verb.
 *  3. A product noun ("platform", "software", "CRM") before the first "for"/"to" with no company
 *     noun in between: from the start to that cue ("HR software for hospitals").
 */
function sellerClause(
  spans: readonly Span[],
  tokens: readonly Token[],
  lexicon: Lexicon,
): [number, number] | null {
  const nextCue = (afterSpan: number): number | null => {
    for (let k = afterSpan + 1; k < spans.length; k++) {
      if (tokens[spans[k].from].hardBreak) return spans[k].from;
      if (isCue(spans[k], "audience")) return spans[k].from;
    }
    return null;
  };
  const firstBreakAfter = (tokenIndex: number): number | null => {
    for (let t = tokenIndex + 1; t < tokens.length; t++) if (tokens[t].hardBreak) return t;
    return null;
  };
  // Nouns are looked up word by word: "HR software" is one industry phrase yet still a product.
  const hasWord = (from: number, to: number, group: "product_nouns" | "company_nouns") =>
    tokens.slice(from, to).some((t) => lexicon.cue(group, t.norm));

  const subject = spans.findIndex((s) => isCue(s, "seller_subjects"));
  if (subject !== -1) {
    const from = spans[subject].from;
    const end = nextCue(subject) ?? firstBreakAfter(from);
    if (end !== null) return [from, end];
    // "... for our IT asset management product": no cue follows, so the clause runs to the last
    // product noun of the sentence; every word of it describes what is sold, not who buys.
    let productEnd: number | null = null;
    for (let t = from + 1; t < tokens.length; t++) {
      if (lexicon.cue("product_nouns", tokens[t].norm)) productEnd = t + 1;
    }
    return [from, productEnd ?? spans[subject].to];
  }

  const verb = spans.findIndex((s) => isCue(s, "seller_verbs"));
  if (verb !== -1) {
    const vFrom = spans[verb].from;
    const before = spans.slice(Math.max(0, verb - 3), verb);
    const describesAudience =
      hasWord(Math.max(0, vFrom - 3), vFrom, "company_nouns") ||
      before.some((s) => isCue(s, "relative"));
    if (!describesAudience) {
      const cue = nextCue(verb);
      if (cue !== null) return [0, cue];
    }
  }

  const firstCue = spans.findIndex(
    (s) => isCue(s, "audience") && ["for", "to"].includes(tokens[s.from].norm),
  );
  if (firstCue !== -1) {
    const cueAt = spans[firstCue].from;
    if (
      cueAt > 0 &&
      hasWord(0, cueAt, "product_nouns") &&
      !hasWord(0, cueAt, "company_nouns") &&
      !tokens.slice(1, cueAt + 1).some((t) => t.hardBreak)
    ) {
      return [0, cueAt];
    }
  }
  return null;
}

/**
 * The whole sentence a seller clause opens ("Our HR platform is used by ops teams."), when another
 * sentence states whom the buyer wants ("Looking for operations directors at ..."): the roles it
 * names are the product's users, a preference only. Null when the description has one sentence.
 */
function sellerSentence(
  spans: readonly Span[],
  tokens: readonly Token[],
  seller: [number, number] | null,
  text: string,
): [number, number] | null {
  if (seller === null) return null;
  // Only a full stop, semicolon, colon, "!" or "?" ends a sentence; brackets do not.
  const ends = (t: number) =>
    tokens[t].hardBreak && /[.;:!?]/.test(text.slice(tokens[t - 1].end, tokens[t].start));
  let from = seller[0];
  while (from > 0 && !ends(from)) from--;
  let to = seller[0] + 1;
  while (to < tokens.length && !ends(to)) to++;
  const askedElsewhere = spans.some(
    (s) =>
      isRole(s) && (s.to <= from || s.from >= to) && !(s.from >= seller[0] && s.to <= seller[1]),
  );
  return askedElsewhere ? [from, to] : null;
}

/** A product noun that is also an industry ("software") and names no company: the thing sold. */
const namesProduct = (spans: readonly Span[], k: number): boolean => {
  const next = spans[k + 1];
  return (
    isCue(spans[k], "product_nouns") &&
    !(next !== undefined && next.from === spans[k].to && isCue(next, "company_nouns"))
  );
};

/**
 * Where a selling verb follows a company noun ("SaaS companies that sell to hospitals"), the words
 * after it describe the audience's own customers: industries there are not the buyer's ask.
 */
function customerClause(spans: readonly Span[], tokens: readonly Token[]): [number, number] | null {
  for (let k = 0; k < spans.length; k++) {
    if (!isCue(spans[k], "seller_verbs")) continue;
    const before = spans.slice(Math.max(0, k - 3), k);
    if (!before.some((s) => isCue(s, "company_nouns") || isCue(s, "relative"))) continue;
    let end = tokens.length;
    for (let t = spans[k].to; t < tokens.length; t++) {
      if (tokens[t].hardBreak) {
        end = t;
        break;
      }
    }
    return [spans[k].from, end];
  }
  return null;
}

/**
 * A word naming both a function and an industry ("marketing") is read from its neighbour: before
 * a company noun it is the industry ("marketing firms"), otherwise the function ("marketing
 * leaders", "heads of marketing").
 */
function resolveAmbiguity(spans: Span[]): Span[] {
  return spans.map((span, k) => {
    const isFunction = has(span, "function") || has(span, "title");
    if (!isFunction || !has(span, "industry")) return span;
    const next = spans[k + 1];
    const industryReading =
      next !== undefined &&
      next.from === span.to &&
      (isCue(next, "company_nouns") || isCue(next, "product_nouns") || has(next, "industry"));
    const keep: Entry["kind"][] = industryReading ? ["industry"] : ["function", "title"];
    return {
      ...span,
      entries: span.entries.filter(
        (e) => keep.includes(e.kind) || !["function", "title", "industry"].includes(e.kind),
      ),
    };
  });
}

/** Which constraint a concept span speaks to; an exclusion covers one kind ("non-US fintechs"). */
const conceptKind = (s: Span): string =>
  has(s, "place") ? "place" : has(s, "industry") ? "industry" : "role";

/**
 * Spans whose words are ruled out: after an exclusion cue, over concepts of one kind joined by
 * filler words ("not agencies or consultancies", "outside the US and Canada").
 */
function exclusionScopes(spans: readonly Span[], tokens: readonly Token[]): Set<number> {
  const excluded = new Set<number>();
  // "anywhere but X", "any country but X": "but" right after an anywhere cue opens an exclusion.
  const anywhereBut = (k: number) =>
    k > 0 &&
    isCue(spans[k], "anywhere_but") &&
    isCue(spans[k - 1], "anywhere") &&
    spans[k - 1].to === spans[k].from;
  for (let k = 0; k < spans.length; k++) {
    if (!(isCue(spans[k], "exclude") || anywhereBut(k)) || isConcept(spans[k])) continue;
    let prevEnd = spans[k].to;
    let kind: string | undefined;
    for (let j = k + 1; j < spans.length; j++) {
      const s = spans[j];
      // An unknown word or a sentence break ends the scope.
      if (s.from !== prevEnd || tokens[s.from].hardBreak) break;
      if (isConcept(s)) {
        kind ??= conceptKind(s);
        if (conceptKind(s) !== kind) break;
        excluded.add(j);
      } else if (
        !isCue(s, "exclude_fillers") &&
        !isCue(s, "company_nouns") &&
        !isCue(s, "connectors")
      ) {
        break;
      }
      prevEnd = s.to;
    }
  }
  return excluded;
}

const roleKinds: Entry["kind"][] = ["function", "title", "seniority"];
const isRole = (s: Span): boolean => s.entries.some((e) => roleKinds.includes(e.kind));

/**
 * Groups adjacent role words into the roles asked for. Words joined only by "of", "and", "or",
 * commas or role nouns ("team", "people") form one group: "VPs and Directors of Sales" is one
 * role (sales at VP-or-director level). A full title ("CTO", "founder") is a role of its own.
 */
function roleWants(
  spans: readonly Span[],
  tokens: readonly Token[],
  usable: (k: number) => boolean,
  lexicon: Lexicon,
  text: string,
): RoleWant[] {
  const groups: number[][] = [];
  let current: number[] = [];
  let lastEnd = -1;
  const close = () => {
    if (current.length > 0) groups.push(current);
    current = [];
  };
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k];
    const adjacent = s.from === lastEnd && !tokens[s.from].hardBreak;
    if (usable(k) && isRole(s)) {
      if (!adjacent) close();
      current.push(k);
      lastEnd = s.to;
    } else if (
      usable(k) &&
      current.length > 0 &&
      adjacent &&
      (isCue(s, "role_connectors") || isCue(s, "role_nouns"))
    ) {
      lastEnd = s.to;
    } else {
      close();
      lastEnd = -1;
    }
  }
  if (current.length > 0) groups.push(current);

  // A group of seniority words alone followed by a requirement cue ("(manager level only)")
  // states the level of the role before it instead of asking for a role of its own.
  const followedByRequirement = (group: number[]): boolean => {
    const next = spans[group[group.length - 1] + 1];
    return next !== undefined && isCue(next, "requirement");
  };
  const seniorityOnly = (group: number[]) =>
    group.every((k) => spans[k].entries.every((e) => e.kind !== "function" && e.kind !== "title"));
  const requiredLevels = new Map<number, Level[]>();
  for (let g = groups.length - 1; g > 0; g--) {
    if (!seniorityOnly(groups[g]) || !followedByRequirement(groups[g])) continue;
    const levels = groups[g].flatMap((k) =>
      ids(spans[k], "seniority").flatMap((id) => lexicon.file.seniority[id].accepts),
    );
    requiredLevels.set(g - 1, levels);
    groups.splice(g, 1);
  }

  // A function word alone right before an industry or company noun qualifies the company
  // ("performance marketing agencies", "security vendors"), it does not ask for a role.
  const qualifiers = new Set<number>();
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g];
    const next = spans[group[group.length - 1] + 1];
    const onlyFunctions = group.every((k) =>
      spans[k].entries.every((e) => e.kind !== "seniority" && e.kind !== "title"),
    );
    const qualifies =
      next !== undefined &&
      next.from === spans[group[group.length - 1]].to &&
      (has(next, "industry") || isCue(next, "company_nouns"));
    if (onlyFunctions && qualifies && !requiredLevels.has(g)) qualifiers.add(g);
  }

  const wants: RoleWant[] = [];
  for (const [g, group] of groups.entries()) {
    if (qualifiers.has(g)) continue;
    const functions = new Set<string>();
    const accepts = new Set<Level>();
    let level: Level | null = null;
    for (const k of group) {
      const s = spans[k];
      for (const e of s.entries) {
        if (e.kind === "title") {
          const t = lexicon.file.titles[e.id];
          if (t.level === "manager" && !followedByRequirement(group) && !requiredLevels.has(g)) {
            // "customer success managers" names a function at one level, not a chief's title:
            // read as that function with the level as a preference, like "sales managers".
            wants.push({
              functions: [t.function],
              accepts: LEVELS.slice(0, LEVELS.indexOf("manager") + 1),
              level: "manager",
              title: null,
              text: spanText(text, tokens, s.from, s.to),
              required: false,
            });
            continue;
          }
          wants.push({
            functions: [t.function],
            accepts: [t.level],
            level: t.level,
            title: e.id,
            text: spanText(text, tokens, s.from, s.to),
            required: true,
          });
        } else if (e.kind === "function") {
          functions.add(e.id);
        } else if (e.kind === "seniority") {
          const sen = lexicon.file.seniority[e.id];
          for (const l of sen.accepts) accepts.add(l);
          level ??= sen.level;
        }
      }
    }
    if (functions.size > 0 || accepts.size > 0) {
      const first = spans[group[0]];
      const last = spans[group[group.length - 1]];
      const stated = requiredLevels.get(g);
      const required = stated !== undefined || followedByRequirement(group);
      if (stated) {
        accepts.clear();
        for (const l of stated) accepts.add(l);
      } else if (
        !required &&
        functions.size > 0 &&
        accepts.size === 1 &&
        level !== null &&
        // Individual contributors and juniors name a kind of job, not a floor of seniority.
        LEVELS.indexOf(level) <= LEVELS.indexOf("manager")
      ) {
        // One named level of a named function is a preference: more senior people of that
        // function fit too, ordered after the named level by closeness.
        for (const l of LEVELS.slice(0, LEVELS.indexOf(level))) accepts.add(l);
      } else if (
        !required &&
        functions.size > 0 &&
        accepts.has("manager") &&
        ![...accepts].some((l) => LEVELS.indexOf(l) > LEVELS.indexOf("manager"))
      ) {
        // Several levels of one function down to its managers ("IT managers and IT directors"):
        // the lowest is the floor, and everyone above it in the function fits too.
        for (const l of LEVELS.slice(0, LEVELS.indexOf("manager"))) accepts.add(l);
      } else if (functions.size > 0 && accepts.size === 0) {
        // A function with no level ("finance teams", "marketing people", "procurement at ..."):
        // the people who run it and decide for it, managers and up, not its analysts and interns.
        for (const l of LEVELS.slice(0, LEVELS.indexOf("manager") + 1)) accepts.add(l);
      }
      wants.push({
        functions: functions.size > 0 ? [...functions].sort() : null,
        accepts: accepts.size > 0 ? [...accepts] : null,
        level,
        title: null,
        text: spanText(text, tokens, first.from, last.to),
        required,
      });
    }
  }
  return wants;
}

/**
 * Words of one kind written together narrow each other: in "cold-chain logistics", "fintech
 * payments companies" or "southeast US" the broader word only names the family of the narrower
 * one, so a concept that contains a concept named right before or after it is dropped.
 */
function narrowAdjacent(
  spans: readonly Span[],
  k: number,
  kind: "industry" | "place",
  ancestors: Map<string, Set<string>>,
): string[] {
  const own = ids(spans[k], kind);
  const neighbours = [spans[k - 1], spans[k + 1]]
    .filter((n): n is Span => n !== undefined && (n.to === spans[k].from || n.from === spans[k].to))
    .flatMap((n) => ids(n, kind));
  return own.filter(
    (id) => !neighbours.some((other) => other !== id && ancestors.get(other)?.has(id)),
  );
}

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Parses a business description against a lexicon. */
export function parseDescription(text: string, lexicon: Lexicon): ParsedDescription {
  const typos = correctTypos(tokenizeText(text), lexicon);
  const expanded = expandTruncations(typos.tokens, lexicon);
  const tokens = expanded.tokens;
  const corrections = [...typos.corrections, ...expanded.corrections];
  const spans = resolveAmbiguity(matchPhrases(tokens, lexicon.description));

  const seller = sellerClause(spans, tokens, lexicon);
  const customers = customerClause(spans, tokens);
  const inRange = (s: Span, r: [number, number] | null) =>
    r !== null && s.from >= r[0] && s.to <= r[1];
  const excluded = exclusionScopes(spans, tokens);
  // "ideally London", "preferably Series B": what follows a preference cue, up to the end of the
  // clause, is a wish the round does not enforce; it is reported with the ignored words.
  const wishes: [number, number][] = [];
  spans.forEach((s) => {
    if (!isCue(s, "preference")) return;
    let end = tokens.length;
    for (let t = s.to; t < tokens.length; t++) {
      if (tokens[t].hardBreak) {
        end = t;
        break;
      }
    }
    wishes.push([s.from, end]);
  });
  const inWish = (s: Span) => wishes.some((w) => s.from >= w[0] && s.to <= w[1]);
  const sentence = sellerSentence(spans, tokens, seller, text);
  // In the seller's own sentence, role words name the product's users, not the ask.
  const usersOnly = (k: number) => inRange(spans[k], sentence) && isRole(spans[k]);
  const usable = (k: number) =>
    !inRange(spans[k], seller) && !excluded.has(k) && !inWish(spans[k]) && !usersOnly(k);

  const industries: string[] = [];
  const places: string[] = [];
  const exclude = {
    functions: [] as string[],
    levels: [] as Level[],
    industries: [] as string[],
    places: [] as string[],
  };
  const preferred: string[] = [];
  const companiesLike: string[] = [];
  const ignoredCompanies = new Set<number>();
  // "companies like Stripe or Adyen": a like cue opens a list of companies, kept open over
  // connectors; any other word closes it.
  let likeOpen = false;
  spans.forEach((s, k) => {
    if (tokens[s.from].hardBreak) likeOpen = false;
    if (isCue(s, "like")) likeOpen = true;
    else if (has(s, "company")) {
      if (likeOpen && usable(k)) {
        for (const cid of ids(s, "company")) {
          industries.push(lexicon.file.companies[cid].industry);
          companiesLike.push(spanText(text, tokens, s.from, s.to));
        }
      } else ignoredCompanies.add(k);
    } else if (!isCue(s, "connectors") && !isCue(s, "company_nouns")) likeOpen = false;
  });
  spans.forEach((s, k) => {
    if (inRange(s, seller) || usersOnly(k)) {
      // "our product" / "our platform": the noun for what is sold names no one's job.
      if (isCue(s, "product_nouns")) return;
      preferred.push(...ids(s, "function"));
      for (const t of ids(s, "title")) preferred.push(lexicon.file.titles[t].function);
      return;
    }
    if (inWish(s)) return;
    if (excluded.has(k)) {
      exclude.functions.push(...ids(s, "function"));
      for (const t of ids(s, "title")) exclude.functions.push(lexicon.file.titles[t].function);
      for (const sid of ids(s, "seniority"))
        exclude.levels.push(...lexicon.file.seniority[sid].accepts);
      exclude.industries.push(...ids(s, "industry"));
      exclude.places.push(...ids(s, "place"));
      return;
    }
    // "pharmaceutical manufacturers": a maker noun after an industry word only names its kind.
    const prev = spans[k - 1];
    const isHead =
      isCue(s, "industry_heads") &&
      prev !== undefined &&
      prev.to === s.from &&
      has(prev, "industry");
    if (!inRange(s, customers) && !isHead && !(inRange(s, sentence) && namesProduct(spans, k))) {
      industries.push(...narrowAdjacent(spans, k, "industry", lexicon.industryAncestors));
    }
    places.push(...narrowAdjacent(spans, k, "place", lexicon.placeAncestors));
  });

  // Words no phrase covers (outside the seller's clause and fillers), and companies named outside
  // a "like" list: the answer reports them, so a buyer sees what the round did not use.
  const covered = new Set<number>();
  spans.forEach((s, k) => {
    if (ignoredCompanies.has(k)) return;
    for (let t = s.from; t < s.to; t++) covered.add(t);
  });
  const ignored: string[] = wishes.map((w) => spanText(text, tokens, w[0], w[1]));
  const unknown = new Set<number>();
  tokens.forEach((t, i) => {
    if (wishes.some((w) => i >= w[0] && i < w[1])) return;
    if (covered.has(i) || (seller !== null && i >= seller[0] && i < seller[1])) return;
    if (lexicon.cue("filler", t.norm) || /^\d+$/.test(t.norm)) return;
    unknown.add(i);
    const word = text.slice(t.start, t.end);
    if (!ignored.includes(word)) ignored.push(word);
  });

  // A broader industry named apart from a narrower one it contains ("energy procurement people
  // at utilities and oil & gas"): the narrower says which part is meant. Named in one list
  // ("CPG and food brands", "travel and hospitality businesses"), both stand.
  const runOf = new Map<string, Set<number>>();
  let run = 0;
  let prevEnd = -1;
  spans.forEach((s) => {
    if (!has(s, "industry")) return;
    const joined =
      prevEnd >= 0 &&
      tokens
        .slice(prevEnd, s.from + 1)
        .every(
          (t, i) =>
            (i === 0 || !t.hardBreak) &&
            (i === s.from - prevEnd ||
              ["and", "or", "plus"].includes(t.norm) ||
              lexicon.cue("company_nouns", t.norm)),
        );
    if (!joined) run++;
    prevEnd = s.to;
    for (const id of ids(s, "industry")) runOf.set(id, (runOf.get(id) ?? new Set()).add(run));
  });
  // An industry word right before a role word ("fleet ops leaders at logistics companies") says
  // what the role works on; when the company's industry is named elsewhere, that one stands.
  const qualifier = (s: Span, k: number) =>
    spans[k + 1] !== undefined && spans[k + 1].from === s.to && isRole(spans[k + 1]);
  const ownIndustries = new Set<string>();
  const qualifying = new Set<string>();
  spans.forEach((s, k) => {
    if (!has(s, "industry") || !usable(k)) return;
    for (const id of ids(s, "industry")) (qualifier(s, k) ? qualifying : ownIndustries).add(id);
  });
  const sameRun = (a: string, b: string) =>
    [...(runOf.get(a) ?? [])].some((r) => runOf.get(b)?.has(r));
  const stated = sortedUnique(industries).filter(
    (id) =>
      !(
        qualifying.has(id) &&
        !ownIndustries.has(id) &&
        industries.some((o) => ownIndustries.has(o))
      ),
  );
  const narrowed = stated.filter(
    (id) =>
      !stated.some(
        (other) =>
          other !== id && lexicon.industryAncestors.get(other)?.has(id) && !sameRun(id, other),
      ),
  );
  const unread = narrowed.length === 0 && industryUnread(tokens, spans, unknown, lexicon);

  return {
    roles: roleWants(spans, tokens, usable, lexicon, text),
    industries: narrowed,
    places: sortedUnique(places),
    exclude: {
      functions: sortedUnique(exclude.functions),
      levels: sortedUnique(exclude.levels) as Level[],
      industries: sortedUnique(exclude.industries),
      places: sortedUnique(exclude.places),
    },
    preferredFunctions: sortedUnique(preferred),
    product: seller ? spanText(text, tokens, seller[0], seller[1]) || null : null,
    corrections,
    anywhere: spans.some((s) => isCue(s, "anywhere")),
    companiesLike,
    ignored,
    unread: unread ? ["industry"] : [],
  };
}

/**
 * Whether the buyer named an industry in words the lexicon does not know, with no industry
 * understood anywhere else: an unknown word right before a company noun ("A&E firms",
 * "agri-food companies"), or a "like" list in which no company is known ("companies like
 * Zorblatt"). Any answer would then guess at the industry.
 */
function industryUnread(
  tokens: readonly Token[],
  spans: readonly Span[],
  unknown: ReadonlySet<number>,
  lexicon: Lexicon,
): boolean {
  for (const i of unknown) {
    const next = tokens[i + 1];
    const word = tokens[i].norm;
    // Words the lexicon knows as plain modifiers ("B2B", "regional", "early stage") name no industry.
    if (lexicon.known.has(word)) continue;
    if (next !== undefined && !next.hardBreak && lexicon.cue("company_nouns", next.norm)) {
      return true;
    }
  }
  const spanAt = new Map<number, Span>();
  for (const s of spans) spanAt.set(s.from, s);
  for (const s of spans) {
    if (!isCue(s, "like")) continue;
    let known = false;
    let named = false;
    for (let t = s.to; t < tokens.length && !tokens[t].hardBreak;) {
      const at = spanAt.get(t);
      if (at !== undefined && has(at, "company")) known = true;
      else if (unknown.has(t)) named = true;
      else if (
        at === undefined
          ? !lexicon.cue("filler", tokens[t].norm)
          : !isCue(at, "connectors") && !isCue(at, "company_nouns")
      )
        break;
      t = at?.to ?? t + 1;
    }
    if (named && !known) return true;
  }
  return false;
}

/** A one-paragraph reading of a parse, for logs and the LLM prompt. */
export function describeParse(parsed: ParsedDescription): string {
  const parts: string[] = [];
  if (parsed.roles.length > 0) {
    parts.push(
      `roles (any of): ${parsed.roles
        .map(
          (r) =>
            `${r.functions ? r.functions.join("/") : "any function"} at ${
              r.accepts ? r.accepts.join("/") : "any level"
            } ("${r.text}")`,
        )
        .join("; ")}`,
    );
  }
  if (parsed.industries.length > 0)
    parts.push(`industries (any of): ${parsed.industries.join(", ")}`);
  if (parsed.places.length > 0) parts.push(`places (any of): ${parsed.places.join(", ")}`);
  else if (parsed.anywhere) parts.push("places: anywhere");
  if (parsed.companiesLike.length > 0)
    parts.push(`companies like: ${parsed.companiesLike.join(", ")}`);
  if (parsed.unread.length > 0) {
    parts.push(
      `stated but not understood: ${parsed.unread.join(", ")} (${parsed.ignored.join(", ")}); no lead can be shown to fit`,
    );
  }
  const ex = parsed.exclude;
  const excluded = [...ex.functions, ...ex.levels, ...ex.industries, ...ex.places];
  if (excluded.length > 0) parts.push(`excluded: ${excluded.join(", ")}`);
  if (parsed.preferredFunctions.length > 0) {
    parts.push(
      `preferred functions (the product's users): ${parsed.preferredFunctions.join(", ")}`,
    );
  }
  return parts.length > 0 ? parts.join("; ") : "no stated constraints";
}
