import { type Expression, type RawBuilder, sql } from 'kysely';
import { SEARCH_RANK } from '../../../domain/index.js';

/**
 * Word-start name search in SQL, the same rule as domain/names/name-search.ts (each query word
 * starts a word of the name; whole words rank first), in plain LIKE that PGlite and PostgreSQL
 * run identically. These are fragments the repos put into their queries (nothing here runs a
 * statement), so they are repo code; what the services use (the query as typed, the in-memory
 * ranking) is in name-search.ts.
 */

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
