import { type Expression, type RawBuilder, sql } from 'kysely';
import { queryWords, SEARCH_RANK, type SearchCandidate, searchRank } from '../../../domain/index.js';

/**
 * Word-start name search in SQL, the same rule as domain/names/name-search.ts (each query word
 * starts a word of the name; whole words rank first), in plain LIKE that PGlite and PostgreSQL
 * run identically.
 */

/** A search box's query: as typed (for exact codes) and as folded words (for names). */
export type NameSearch = { raw: string; words: string[] };

/** The search of a query parameter; undefined when nothing was typed. */
export function nameSearch(q: string | undefined): NameSearch | undefined {
  const raw = q?.trim();
  return raw ? { raw, words: queryWords(raw) } : undefined;
}

/** Escapes LIKE wildcards typed by the user, so "%" and "_" match themselves. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The folded name with a space before every word (domain `wordStartText`). Separators are
 * literals, not parameters: the student index of migration 0008 is on this exact expression over
 * `search_text`, and the planner only uses it when the query has the same expression.
 */
const wordStartText = (folded: Expression<string>) => sql<string>`(' ' || translate(${folded}, '''-.', '   '))`;

/**
 * Every query word (already folded, see domain `queryWords`) starts a word of `folded`.
 * `% yen%` on the word-start text is what the trigram index serves ("  y", " ye", "yen").
 * No words: no name can match.
 */
export function startsNameWords(folded: Expression<string>, words: readonly string[]): RawBuilder<boolean> {
  if (words.length === 0) return sql<boolean>`false`;
  const text = wordStartText(folded);
  return sql<boolean>`(${sql.join(
    words.map((w) => sql`${text} like ${`% ${escapeLike(w)}%`}`),
    sql` and `,
  )})`;
}

/** Every query word is a whole word of `folded`. */
function isWholeNameWords(folded: Expression<string>, words: readonly string[]): RawBuilder<boolean> {
  if (words.length === 0) return sql<boolean>`false`;
  const text = sql<string>`(${wordStartText(folded)} || ' ')`;
  return sql<boolean>`(${sql.join(
    words.map((w) => sql`${text} like ${`% ${escapeLike(w)} %`}`),
    sql` and `,
  )})`;
}

/**
 * The domain `searchRank` of a row that matched: an exact code first (`exactCode`, e.g. the
 * learner id equals the query), then every word whole, then word starts only.
 */
export function searchRankSql(folded: Expression<string>, words: readonly string[], exactCode: Expression<boolean>): RawBuilder<number> {
  return sql<number>`case when ${exactCode} then ${sql.lit(SEARCH_RANK.exactId)}
    when ${isWholeNameWords(folded, words)} then ${sql.lit(SEARCH_RANK.wholeWords)}
    else ${sql.lit(SEARCH_RANK.wordStarts)} end`;
}

/**
 * Rows already in list order, put in search-rank order (stable: the list order stays within a
 * rank), for the short lists that are ranked in memory (staff, accounts). A row the database
 * found by a code prefix but whose name does not match ranks with the word starts.
 */
export function rankedBySearch<T>(rows: T[], q: string | undefined, candidate: (row: T) => SearchCandidate): T[] {
  if (!q?.trim()) return rows;
  const rank = (r: T) => searchRank(candidate(r), q) ?? SEARCH_RANK.wordStarts;
  return rows
    .map((r) => ({ r, k: rank(r) }))
    .sort((a, b) => a.k - b.k)
    .map(({ r }) => r);
}
