// The reference nodes' lexicon: the one shipped with the core (core/src/leads/lexicon.json, the
// same words the backend reads a request with), extended by an operator's file named in
// LEAD_LEXICON_PATH. Only the file reading lives here; the lexicon itself is pure core.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  compileLexicon,
  mergeLexicons,
  parseLexiconFile,
  shippedLexiconFile,
  type Lexicon,
  type LexiconFile,
} from "consensus-core";

export {
  compileLexicon,
  correctTypos,
  editDistance,
  foldPlural,
  LEVELS,
  LexiconFileSchema,
  matchPhrases,
  mergeLexicons,
  tokenizeText,
  type Entry,
  type EntryKind,
  type Level,
  type Lexicon,
  type LexiconFile,
  type PhraseIndex,
  type Span,
  type Token,
} from "consensus-core";

/** The shipped lexicon file, for an operator to copy the shape of. */
export const DEFAULT_LEXICON_PATH = path.join(
  path.dirname(require.resolve("consensus-core")),
  "leads",
  "lexicon.json",
);

function readLexiconFile(file: string): LexiconFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`lexicon ${file}: ${(err as Error).message}`);
  }
  return parseLexiconFile(data, file);
}

/** Reads, validates and merges lexicon files in order (the first is the base). */
export function loadLexicon(files: readonly string[] = [DEFAULT_LEXICON_PATH]): Lexicon {
  if (files.length === 0) throw new Error("loadLexicon: no file given");
  const [first, ...rest] = files.map((f) =>
    path.resolve(f) === path.resolve(DEFAULT_LEXICON_PATH)
      ? shippedLexiconFile()
      : readLexiconFile(f),
  );
  return compileLexicon(rest.reduce(mergeLexicons, first));
}

let cachedDefault: { key: string; lexicon: Lexicon } | undefined;

/**
 * The shipped lexicon, extended by the file named in LEAD_LEXICON_PATH when that is set. Loaded
 * once per process (per value of the variable).
 */
export function defaultLexicon(env: NodeJS.ProcessEnv = process.env): Lexicon {
  const extra = env.LEAD_LEXICON_PATH?.trim();
  const key = extra ?? "";
  if (cachedDefault?.key !== key) {
    const files = extra ? [DEFAULT_LEXICON_PATH, path.resolve(extra)] : [DEFAULT_LEXICON_PATH];
    cachedDefault = { key, lexicon: loadLexicon(files) };
  }
  return cachedDefault.lexicon;
}
