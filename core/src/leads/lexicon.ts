// The description parser's vocabulary: which words name a job function, a seniority, an industry
// or a place, and which words steer the parse (exclusions, "selling X to Y"). It lives in a JSON
// file (core/src/leads/lexicon.json, imported so it is bundled wherever the core goes: the
// backend reads a request with the same words as the nodes) and an operator can extend it for
// the reference nodes without touching code (node/src/leads/lexicon.ts reads LEAD_LEXICON_PATH);
// docs/lead-fit.md describes every section. Pure: no file or environment access here.
import { z } from "zod";
import shippedLexicon from "./lexicon.json";

export const LEVELS = [
  "c_level",
  "vp",
  "head",
  "director",
  "manager",
  "individual",
  "entry",
] as const;
export type Level = (typeof LEVELS)[number];

const phrases = z.array(z.string().trim().min(1)).default([]);
const id = z.string().regex(/^[a-z0-9_]+$/, "ids are lower-case letters, digits and _");
const LevelSchema = z.enum(LEVELS);

/** Every section is optional so that an operator's extension file can hold only what it adds. */
export const LexiconFileSchema = z
  .object({
    about: z.string().optional(),
    levels: z.array(LevelSchema).optional(),
    level_phrases: z.partialRecord(LevelSchema, phrases).default({}),
    seniority: z
      .record(
        id,
        z.object({ phrases, level: LevelSchema, accepts: z.array(LevelSchema).min(1) }).strict(),
      )
      .default({}),
    functions: z.record(id, z.object({ phrases, title_phrases: phrases }).strict()).default({}),
    titles: z
      .record(id, z.object({ phrases, function: id, level: LevelSchema }).strict())
      .default({}),
    industries: z
      .record(
        id,
        z
          .object({
            phrases,
            labels: z.array(z.string().min(1)).default([]),
            in: z.array(id).default([]),
          })
          .strict(),
      )
      .default({}),
    places: z.record(id, z.object({ phrases, in: z.array(id).default([]) }).strict()).default({}),
    /** Well-known companies, read only in "companies like X": X stands for its industry. */
    companies: z.record(id, z.object({ phrases, industry: id }).strict()).default({}),
    case_sensitive: phrases,
    ignore: phrases,
    cues: z
      .object({
        exclude: phrases,
        exclude_fillers: phrases,
        audience: phrases,
        seller: phrases,
        seller_verbs: phrases,
        seller_subjects: phrases,
        product_nouns: phrases,
        company_nouns: phrases,
        relative: phrases,
        role_nouns: phrases,
        connectors: phrases,
        role_connectors: phrases,
        anywhere: phrases,
        anywhere_but: phrases,
        requirement: phrases,
        like: phrases,
        industry_heads: phrases,
        filler: phrases,
        preference: phrases,
      })
      .partial()
      .default({}),
    known_words: phrases,
  })
  .strict();
export type LexiconFile = z.infer<typeof LexiconFileSchema>;

/** Validates a lexicon file's content; `source` names it in the error. */
export function parseLexiconFile(data: unknown, source: string): LexiconFile {
  const parsed = LexiconFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`lexicon ${source}: field "${issue.path.join(".")}": ${issue.message}`);
  }
  return parsed.data;
}

const union = (a: readonly string[] = [], b: readonly string[] = []): string[] => [
  ...new Set([...a, ...b]),
];

/**
 * Adds `extra` to `base`: phrases are appended to the entry with the same id, new ids are added,
 * and an entry's scalar fields (a title's function or level, a seniority's accepted levels) are
 * replaced when the extension names them. Nothing is ever removed.
 */
export function mergeLexicons(base: LexiconFile, extra: LexiconFile): LexiconFile {
  const mergeRecord = <T extends { phrases: string[] }>(
    a: Record<string, T>,
    b: Record<string, T>,
    listKeys: (keyof T)[] = [],
  ): Record<string, T> => {
    const out: Record<string, T> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      const prev = out[key];
      if (!prev) {
        out[key] = value;
        continue;
      }
      const merged = { ...prev, ...value, phrases: union(prev.phrases, value.phrases) } as T;
      for (const k of listKeys) {
        (merged as Record<keyof T, unknown>)[k] = union(prev[k] as string[], value[k] as string[]);
      }
      out[key] = merged;
    }
    return out;
  };
  const cues: LexiconFile["cues"] = { ...base.cues };
  for (const [k, v] of Object.entries(extra.cues) as [keyof LexiconFile["cues"], string[]][]) {
    cues[k] = union(cues[k], v);
  }
  const levelPhrases: LexiconFile["level_phrases"] = { ...base.level_phrases };
  for (const [k, v] of Object.entries(extra.level_phrases) as [Level, string[]][]) {
    levelPhrases[k] = union(levelPhrases[k], v);
  }
  return {
    ...base,
    level_phrases: levelPhrases,
    seniority: mergeRecord(base.seniority, extra.seniority),
    functions: mergeRecord(base.functions, extra.functions, ["title_phrases"]),
    titles: mergeRecord(base.titles, extra.titles),
    industries: mergeRecord(base.industries, extra.industries, ["labels", "in"]),
    places: mergeRecord(base.places, extra.places, ["in"]),
    companies: mergeRecord(base.companies, extra.companies),
    case_sensitive: union(base.case_sensitive, extra.case_sensitive),
    ignore: union(base.ignore, extra.ignore),
    cues,
    known_words: union(base.known_words, extra.known_words),
  };
}

// ---- text ------------------------------------------------------------------------------------

/** One word of a text: `norm` is folded, lower-cased and de-pluralised; `raw` keeps the case. */
export interface Token {
  norm: string;
  raw: string;
  /** Index into the text, so parse results can quote what they read. */
  start: number;
  end: number;
  /** A sentence or clause mark (. ; : ! ? parentheses) sits between this token and the previous. */
  hardBreak: boolean;
}

/**
 * Crude plural folding applied to both the text and the lexicon, so "VPs", "CTOs", "hospitals",
 * "agencies" meet "VP", "CTO", "hospital", "agency". Words ending in -ss/-us/-is/-as keep their s
 * ("saas", "us", "analysis").
 */
export function foldPlural(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length >= 3 && word.endsWith("s") && !/(ss|us|is|as)$/.test(word)) {
    return word.slice(0, -1);
  }
  return word;
}

const foldAccents = (text: string): string =>
  text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");

/**
 * Splits text into words. Hyphens, slashes and apostrophes separate words ("sales-automation",
 * "non-US", "we're"); an ampersand inside a word keeps it whole ("R&D", "F&B"), a free-standing
 * one reads as "and".
 */
export function tokenizeText(text: string): Token[] {
  const folded = foldAccents(text);
  const tokens: Token[] = [];
  const re = /[A-Za-z0-9]+(?:&[A-Za-z0-9]+)*|&/g;
  let last = 0;
  for (let m = re.exec(folded); m !== null; m = re.exec(folded)) {
    const gap = folded.slice(last, m.index);
    last = m.index + m[0].length;
    const word = m[0] === "&" ? "and" : m[0];
    const lower = foldPlural(word.toLowerCase());
    const raw =
      word.toLowerCase().endsWith("ies") && lower.endsWith("y") && word.length > 4
        ? `${word.slice(0, -3)}y`
        : word.slice(0, lower.length);
    tokens.push({
      norm: lower,
      raw,
      start: m.index,
      end: last,
      // A dot before a lower-case word ends an abbreviation ("Dir. of Sales"), not a sentence.
      hardBreak:
        tokens.length > 0 &&
        (/[;:!?()[\]]/.test(gap) || (gap.includes(".") && !/^[a-z]/.test(word))),
    });
  }
  return tokens;
}

// ---- compiled lexicon --------------------------------------------------------------------------

export type EntryKind =
  | "function"
  | "title"
  | "seniority"
  | "level"
  | "industry"
  | "place"
  | "company"
  | "ignore"
  | "cue";

export interface Entry {
  kind: EntryKind;
  /** Concept id (function, industry, place...), the level for "level", the cue group for "cue". */
  id: string;
  /** Set when the phrase must match letter case too (e.g. "US" but not the pronoun "us"). */
  exact?: string[];
}

/** Phrases of one context keyed by their normalised token sequence. */
export interface PhraseIndex {
  map: Map<string, Entry[]>;
  maxLength: number;
}

export interface Lexicon {
  file: LexiconFile;
  /** Used on descriptions. */
  description: PhraseIndex;
  /** Used on a lead's role title for its function and title. */
  title: PhraseIndex;
  /** Used on a lead's role title for its level, alone, so "Logistics Director" keeps "director". */
  level: PhraseIndex;
  /** Used on a lead's region when its labels are not the pool's own. */
  place: PhraseIndex;
  /** Every normalised word the lexicon knows, for typo correction. */
  vocabulary: string[];
  /** Words of concept phrases (functions, titles, seniority, industries, places). */
  conceptWords: Set<string>;
  known: Set<string>;
  /** Industry label (lower-case) -> concepts listing it, with the label's position in the list. */
  labels: Map<string, { id: string; index: number }[]>;
  /** Each place with every place that contains it (itself included). */
  placeAncestors: Map<string, Set<string>>;
  /** Each industry concept with every broader concept containing it (itself included). */
  industryAncestors: Map<string, Set<string>>;
  cue: (group: keyof LexiconFile["cues"], norm: string) => boolean;
}

function newIndex(): PhraseIndex {
  return { map: new Map(), maxLength: 1 };
}

function addPhrase(index: PhraseIndex, phrase: string, entry: Entry, caseSensitive: Set<string>) {
  const tokens = tokenizeText(phrase);
  if (tokens.length === 0) return;
  const key = tokens.map((t) => t.norm).join(" ");
  const e: Entry = caseSensitive.has(phrase)
    ? { ...entry, exact: tokens.map((t) => t.raw) }
    : entry;
  const list = index.map.get(key) ?? [];
  if (!list.some((x) => x.kind === e.kind && x.id === e.id && !x.exact === !e.exact)) list.push(e);
  index.map.set(key, list);
  index.maxLength = Math.max(index.maxLength, tokens.length);
}

/** Turns a lexicon file into lookup tables. Throws when an entry points at an unknown id. */
export function compileLexicon(file: LexiconFile): Lexicon {
  const cs = new Set(file.case_sensitive);
  const description = newIndex();
  const title = newIndex();
  const level = newIndex();
  const place = newIndex();
  const both = (phrase: string, entry: Entry) => {
    addPhrase(description, phrase, entry, cs);
    addPhrase(title, phrase, entry, cs);
  };

  for (const [fid, f] of Object.entries(file.functions)) {
    for (const p of f.phrases) both(p, { kind: "function", id: fid });
    for (const p of f.title_phrases) addPhrase(title, p, { kind: "function", id: fid }, cs);
  }
  for (const [tid, t] of Object.entries(file.titles)) {
    if (!file.functions[t.function]) {
      throw new Error(`lexicon: title "${tid}" names unknown function "${t.function}"`);
    }
    for (const p of t.phrases) both(p, { kind: "title", id: tid });
  }
  for (const [sid, s] of Object.entries(file.seniority)) {
    for (const p of s.phrases) addPhrase(description, p, { kind: "seniority", id: sid }, cs);
  }
  for (const [lvl, list] of Object.entries(file.level_phrases)) {
    for (const p of list ?? []) {
      addPhrase(level, p, { kind: "level", id: lvl }, cs);
      // Also among titles, so that "vice president" shields "president" there.
      addPhrase(title, p, { kind: "level", id: lvl }, cs);
    }
  }
  for (const [iid, ind] of Object.entries(file.industries)) {
    for (const p of ind.phrases) addPhrase(description, p, { kind: "industry", id: iid }, cs);
  }
  for (const [pid, pl] of Object.entries(file.places)) {
    for (const p of pl.phrases) {
      addPhrase(description, p, { kind: "place", id: pid }, cs);
      addPhrase(place, p, { kind: "place", id: pid }, cs);
    }
    addPhrase(place, pid.replace(/_/g, " "), { kind: "place", id: pid }, cs);
  }
  for (const [cid, c] of Object.entries(file.companies)) {
    if (!file.industries[c.industry]) {
      throw new Error(`lexicon: company "${cid}" names unknown industry "${c.industry}"`);
    }
    for (const p of c.phrases) addPhrase(description, p, { kind: "company", id: cid }, cs);
  }
  for (const p of file.ignore) addPhrase(description, p, { kind: "ignore", id: "ignore" }, cs);
  const cueSets = new Map<string, Set<string>>();
  for (const [group, list] of Object.entries(file.cues)) {
    const set = new Set<string>();
    for (const p of list ?? []) {
      addPhrase(description, p, { kind: "cue", id: group }, cs);
      set.add(
        tokenizeText(p)
          .map((t) => t.norm)
          .join(" "),
      );
    }
    cueSets.set(group, set);
  }

  const vocabulary = new Set<string>();
  for (const key of [...description.map.keys(), ...title.map.keys(), ...level.map.keys()]) {
    for (const w of key.split(" ")) vocabulary.add(w);
  }
  const conceptWords = new Set<string>();
  for (const [key, entries] of description.map) {
    if (entries.some((e) => e.kind !== "cue" && e.kind !== "ignore" && e.kind !== "company")) {
      for (const w of key.split(" ")) conceptWords.add(w);
    }
  }
  const known = new Set<string>(vocabulary);
  for (const w of file.known_words) for (const t of tokenizeText(w)) known.add(t.norm);

  const labels = new Map<string, { id: string; index: number }[]>();
  for (const [iid, ind] of Object.entries(file.industries)) {
    ind.labels.forEach((label, index) => {
      const key = label.trim().toLowerCase();
      labels.set(key, [...(labels.get(key) ?? []), { id: iid, index }]);
    });
  }

  const placeAncestors = ancestors("place", file.places);
  const industryAncestors = ancestors("industry", file.industries);
  return {
    file,
    description,
    title,
    level,
    place,
    vocabulary: [...vocabulary].filter((w) => w.length >= 5).sort(),
    conceptWords,
    known,
    labels,
    placeAncestors,
    industryAncestors,
    cue: (group, norm) => cueSets.get(group)?.has(norm) ?? false,
  };
}

/** For each entry, itself and every entry it is (transitively) "in". Throws on unknown ids and cycles. */
function ancestors(
  what: string,
  entries: Record<string, { in: string[] }>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (key: string, path: string[]): Set<string> => {
    const cached = out.get(key);
    if (cached) return cached;
    if (path.includes(key)) throw new Error(`lexicon: ${what} "${key}" is inside itself`);
    const set = new Set<string>([key]);
    for (const parent of entries[key].in) {
      if (!entries[parent]) throw new Error(`lexicon: ${what} "${key}" is in unknown "${parent}"`);
      for (const a of visit(parent, [...path, key])) set.add(a);
    }
    out.set(key, set);
    return set;
  };
  for (const key of Object.keys(entries)) visit(key, []);
  return out;
}

let shipped: Lexicon | undefined;

/** The lexicon shipped with the core, compiled once per process. */
export function shippedLexiconFile(): LexiconFile {
  return parseLexiconFile(shippedLexicon, "core/src/leads/lexicon.json");
}
export function builtInLexicon(): Lexicon {
  shipped ??= compileLexicon(shippedLexiconFile());
  return shipped;
}

// ---- phrase matching ---------------------------------------------------------------------------

/** A run of tokens [from, to) the lexicon recognises, with every meaning it has there. */
export interface Span {
  from: number;
  to: number;
  entries: Entry[];
}

/**
 * Greedy longest-phrase matching, left to right: at each token the longest phrase the index
 * knows wins ("vice president" over "president", "not only" over "not"), then matching resumes
 * after it. Tokens no phrase covers are skipped.
 */
export function matchPhrases(tokens: readonly Token[], index: PhraseIndex): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched: Span | undefined;
    for (let len = Math.min(index.maxLength, tokens.length - i); len >= 1 && !matched; len--) {
      const slice = tokens.slice(i, i + len);
      // A phrase never spans a sentence break.
      if (slice.slice(1).some((t) => t.hardBreak)) continue;
      const entries = index.map
        .get(slice.map((t) => t.norm).join(" "))
        ?.filter((e) => !e.exact || e.exact.every((raw, k) => slice[k].raw === raw));
      if (entries && entries.length > 0) matched = { from: i, to: i + len, entries };
    }
    if (matched) {
      spans.push(matched);
      i = matched.to;
    } else {
      i++;
    }
  }
  return spans;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * Typo repair: a word of five letters or more that the lexicon does not know is read as the
 * lexicon word closest to it, when that is one edit away (two for words of nine letters or more).
 * Ties go to the alphabetically first word, so the result never depends on file order. Short
 * words are never corrected: too many real words are one edit from each other.
 */
export function correctTypos(
  tokens: readonly Token[],
  lexicon: Lexicon,
): { tokens: Token[]; corrections: { from: string; to: string }[] } {
  const corrections: { from: string; to: string }[] = [];
  const out = tokens.map((t) => {
    if (t.norm.length < 5 || lexicon.known.has(t.norm) || /\d/.test(t.norm)) return t;
    const budget = t.norm.length >= 9 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = budget + 1;
    for (const word of lexicon.vocabulary) {
      if (Math.abs(word.length - t.norm.length) > budget) continue;
      const dist = editDistance(t.norm, word);
      // On a tie a concept word wins over a steering word: a buyer misspells "officers" (a
      // title) more often than "offer" (a seller cue).
      const better =
        dist < bestDistance ||
        (dist === bestDistance &&
          best !== undefined &&
          lexicon.conceptWords.has(word) &&
          !lexicon.conceptWords.has(best));
      if (better) {
        best = word;
        bestDistance = dist;
      }
    }
    if (best === undefined) return t;
    corrections.push({ from: t.norm, to: best });
    return { ...t, norm: best, raw: best };
  });
  return { tokens: out, corrections };
}

/**
 * Truncated words inside a known phrase ("fin services", "prof services", "health sys"): an
 * unknown word of three letters or more that begins one word of a lexicon phrase of two words or
 * more, whose other words are written out next to it, is read as that word, when exactly one
 * word fits. Runs after typo repair; each expansion is reported with the corrections.
 */
export function expandTruncations(
  tokens: readonly Token[],
  lexicon: Lexicon,
): { tokens: Token[]; corrections: { from: string; to: string }[] } {
  const corrections: { from: string; to: string }[] = [];
  const out = [...tokens];
  const phrases = [...lexicon.description.map.keys()]
    .map((k) => k.split(" "))
    .filter((words) => words.length >= 2);
  out.forEach((t, i) => {
    if (t.norm.length < 3 || !/^[a-z]+$/.test(t.norm) || lexicon.known.has(t.norm)) return;
    if (lexicon.cue("filler", t.norm)) return;
    const fits = new Set<string>();
    for (const words of phrases) {
      words.forEach((w, p) => {
        if (w === t.norm || !w.startsWith(t.norm)) return;
        const from = i - p;
        if (from < 0 || from + words.length > out.length) return;
        const rest = words.every(
          (x, q) => q === p || (out[from + q].norm === x && (q === 0 || !out[from + q].hardBreak)),
        );
        if (rest && (p === 0 || !t.hardBreak)) fits.add(w);
      });
    }
    if (fits.size !== 1) return;
    const [word] = fits;
    corrections.push({ from: t.norm, to: word });
    out[i] = { ...t, norm: word, raw: word };
  });
  return { tokens: out, corrections };
}
