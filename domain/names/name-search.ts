/**
 * Name search as users mean it: every word typed is the start of a word of the name, in any
 * order, without accents ("yen" finds "Vũ Thị Yến", not every "Nguyễn"; "ánh" finds "Ánh", not
 * "Khánh"). Results rank an exact learner id first, then names where every word typed is a whole
 * word of the name, then names that only start with what was typed.
 *
 * The server runs the same rule in SQL over the stored `search_text` (= searchFold(full name));
 * `wordStartText` is the string that SQL builds, so the two cannot drift apart unnoticed (the
 * students integration tests compare the database's answers with {@link nameMatchesQuery}).
 */

import { searchFold } from './vietnamese-name.js';

/**
 * Characters that separate the words of a name for search, besides the space: the hyphen and
 * apostrophe of ethnic-minority names ("Y-Moan", "H'Hen") and the dot of an initial ("H.").
 * A teacher typing "moan" or "hen" means that part of the name.
 */
export const NAME_WORD_SEPARATORS = "'-.";

const SEPARATOR_RE = /['\-.]/g;

/**
 * The folded name as the SQL sees it: a space before every word, separators turned into spaces.
 * SQL: `' ' || translate(search_text, '''-.', '   ')`. A query word w is then the start of a word
 * exactly when this text contains " " + w.
 */
export const wordStartText = (foldedName: string): string => ` ${foldedName.replace(SEPARATOR_RE, ' ')}`;

/** Folded words of a text, in order, without empty words ("Nguyễn Y-Moan" → nguyen, y, moan). */
export const searchWords = (text: string): string[] =>
  searchFold(text)
    .replace(SEPARATOR_RE, ' ')
    .split(' ')
    .filter((w) => w !== '');

/**
 * The words of a search query: folded, each once, in the order typed. At most
 * {@link MAX_QUERY_WORDS}: a name has few words, and each word is one more condition in SQL.
 */
export const MAX_QUERY_WORDS = 6;
export const queryWords = (query: string): string[] => [...new Set(searchWords(query))].slice(0, MAX_QUERY_WORDS);

/**
 * Every word of the query starts a word of the name (any order, accents and case ignored).
 * An empty query (or one of separators only) matches every name.
 */
export const nameMatchesQuery = (name: string, query: string): boolean => {
  const text = wordStartText(searchFold(name));
  return queryWords(query).every((w) => text.includes(` ${w}`));
};

/** How well a result matches; lower ranks are listed first. */
export const SEARCH_RANK = {
  /** The query is the learner's id (mã định danh), or another code of the candidate, exactly. */
  exactId: 0,
  /** Every word typed is a whole word of the name ("an" for "Lê Văn An"). */
  wholeWords: 1,
  /** Some word typed is only the start of a name word ("an" for "Trần Thị Anh"). */
  wordStarts: 2,
} as const;
export type SearchRank = (typeof SEARCH_RANK)[keyof typeof SEARCH_RANK];

/**
 * A search result candidate: its name and the codes that find it when typed exactly — the
 * learner id (mã định danh, 10 digits, TT42/2021), a temporary code, a staff code, a user name.
 */
export type SearchCandidate = { fullName: string; codes?: readonly (string | null | undefined)[] };

/**
 * Where a candidate goes in the results of `query`, or null if it is not a result. Codes match
 * whole, never by part (ids are not names), and case-insensitively (temporary codes are stored
 * upper-case, user names lower-case).
 */
export function searchRank(candidate: SearchCandidate, query: string): SearchRank | null {
  const raw = query.trim().toUpperCase();
  if (raw !== '' && (candidate.codes ?? []).some((c) => c != null && c.toUpperCase() === raw)) return SEARCH_RANK.exactId;
  const words = queryWords(query);
  if (words.length === 0) return raw === '' ? SEARCH_RANK.wholeWords : null;
  if (!nameMatchesQuery(candidate.fullName, query)) return null;
  const whole = `${wordStartText(searchFold(candidate.fullName))} `;
  return words.every((w) => whole.includes(` ${w} `)) ? SEARCH_RANK.wholeWords : SEARCH_RANK.wordStarts;
}
