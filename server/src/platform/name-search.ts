import { queryWords, SEARCH_RANK, type SearchCandidate, searchRank } from '../../../domain/index.js';

/** A search box's query: as typed (for exact codes) and as folded words (for names). */
export type NameSearch = { raw: string; words: string[] };

/** The search of a query parameter; undefined when nothing was typed. */
export function nameSearch(q: string | undefined): NameSearch | undefined {
  const raw = q?.trim();
  return raw ? { raw, words: queryWords(raw) } : undefined;
}

/**
 * Rows already in list order, put in search-rank order (stable: the list order stays within a
 * rank), for the short lists that are ranked in memory (staff, accounts). A row the database
 * found by a code prefix but whose name does not match ranks with the word starts. The lists
 * ranked in SQL use name-search.repo.ts, the same rule.
 */
export function rankedBySearch<T>(rows: T[], q: string | undefined, candidate: (row: T) => SearchCandidate): T[] {
  if (!q?.trim()) return rows;
  const rank = (r: T) => searchRank(candidate(r), q) ?? SEARCH_RANK.wordStarts;
  return rows
    .map((r) => ({ r, k: rank(r) }))
    .sort((a, b) => a.k - b.k)
    .map(({ r }) => r);
}
