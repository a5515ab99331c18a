// Pure rules of the qualities-and-competencies sheet (TT27/2020 Điều 7, primary): what a save
// sends from the drafts, what a key press or a tap does to a cell. No React; tested in
// qualities-logic.test.ts.
import { QUALITY_LEVEL_LABELS, parseQualityLevel, type Checkpoint } from '../../../../domain/index';
import type { QualityRatings } from '../../api/types';

type Row = QualityRatings['rows'][number];
/** A rating as the server writes it back ("Tốt", "Đạt", "Cần cố gắng"); null: not rated. */
export type Rating = string | null;

/** The three ratings in the order a tap walks them (and the order of the phone's buttons). */
export const RATINGS: readonly string[] = [QUALITY_LEVEL_LABELS.tot, QUALITY_LEVEL_LABELS.dat, QUALITY_LEVEL_LABELS.can_co_gang];
/** The one letter a cell of the wide table shows (the full word is in its accessible name). */
export const SHORT: Readonly<Record<string, string>> = { [RATINGS[0]]: 'T', [RATINGS[1]]: 'Đ', [RATINGS[2]]: 'C' };

export const cellKey = (studentId: string, quality: string) => `${studentId}/${quality}`;

/** What the sheet shows in a cell: the draft if the teacher changed it, else what the server holds. */
export function ratingOf(row: Row, quality: string, draft: ReadonlyMap<string, Rating>): Rating {
  const k = cellKey(row.studentId, quality);
  return draft.has(k) ? (draft.get(k) ?? null) : (row.ratings[quality]?.value ?? null);
}

/** A tap on a cell: empty → Tốt → Đạt → Cần cố gắng → empty. */
export function nextRating(current: Rating): Rating {
  const i = current === null ? -1 : RATINGS.indexOf(current);
  return i + 1 < RATINGS.length ? RATINGS[i + 1] : null;
}

/**
 * A key typed on a focused cell, as the grid reads T / H / C: "t" Tốt, "đ" or "d" Đạt, "c" Cần
 * cố gắng (the domain's parseQualityLevel, the server's rule), Delete or Backspace clears;
 * undefined for a key that means nothing here (arrows, Tab), so the browser keeps it.
 */
export function ratingForKey(key: string): Rating | undefined {
  if (key === 'Delete' || key === 'Backspace') return null;
  if (key.length !== 1) return undefined;
  const level = parseQualityLevel(key);
  return level ? QUALITY_LEVEL_LABELS[level] : undefined;
}

/** The cells a save sends: those whose draft differs from the server's, each with the version read. */
export function qualityChanges(rows: readonly Row[], qualities: readonly string[], draft: ReadonlyMap<string, Rating>) {
  return rows.flatMap((r) =>
    qualities.flatMap((q) => {
      const k = cellKey(r.studentId, q);
      if (!draft.has(k)) return [];
      const value = draft.get(k) ?? null;
      const stored = r.ratings[q] ?? { value: null, version: 0 };
      return value === stored.value ? [] : [{ studentId: r.studentId, quality: q, value, version: stored.version }];
    }),
  );
}

/** "Điền «Đạt» vào ô trống": the draft with every cell not yet rated (on the server or in the draft) set to `rating`. */
export function fillEmpty(rows: readonly Row[], qualities: readonly string[], draft: ReadonlyMap<string, Rating>, rating: string): Map<string, Rating> {
  const next = new Map(draft);
  for (const r of rows) for (const q of qualities) if (ratingOf(r, q, draft) === null) next.set(cellKey(r.studentId, q), rating);
  return next;
}

/** How many of a student's qualities and competencies carry a rating, drafts counted. */
export const ratedCount = (row: Row, qualities: readonly string[], draft: ReadonlyMap<string, Rating>) => qualities.filter((q) => ratingOf(row, q, draft) !== null).length;

/**
 * The checkpoint the sheet opens on: of the chosen period's term, the one a school year's
 * calendar is at on `isoDate` (mid-term I in September–November, end of term I after; mid-term
 * II until March, end of year after). The teacher can pick any other.
 */
export function defaultCheckpoint(period: string, isoDate: string): Checkpoint {
  const month = Number(isoDate.slice(5, 7));
  if (period === 'hk1') return month >= 9 && month <= 11 ? 'mid_term1' : 'end_term1';
  if (period === 'hk2') return month >= 1 && month <= 3 ? 'mid_term2' : 'end_year';
  return 'end_year';
}

// The homeroom teacher's year comments (end of the year: the học bạ's), drafted per student × topic.

type CommentTopic = 'pham_chat' | 'nang_luc_chung' | 'nang_luc_dac_thu' | 'overall';
export const commentKey = (studentId: string, topic: string) => `${studentId}#${topic}`;

/** What a comment box shows: the draft if the teacher typed, else what the server holds ("" for none). */
export function commentOf(row: Row, topic: string, draft: ReadonlyMap<string, string>): string {
  const k = commentKey(row.studentId, topic);
  return draft.get(k) ?? row.comments[topic]?.value ?? '';
}

/** The comments a save sends: those whose draft differs from the server's once trimmed (blank clears), each with the version read. */
export function commentChanges(rows: readonly Row[], topics: readonly string[], draft: ReadonlyMap<string, string>) {
  return rows.flatMap((r) =>
    topics.flatMap((topic) => {
      const typed = draft.get(commentKey(r.studentId, topic));
      if (typed === undefined) return [];
      const stored = r.comments[topic] ?? { value: null, version: 0 };
      const value = typed.trim() === '' ? null : typed.trim();
      return value === (stored.value ?? null) ? [] : [{ studentId: r.studentId, topic: topic as CommentTopic, value, version: stored.version }];
    }),
  );
}

/** How many of a student's comment boxes hold text, drafts counted. */
export const writtenCount = (row: Row, topics: readonly string[], draft: ReadonlyMap<string, string>) => topics.filter((t) => commentOf(row, t, draft).trim() !== '').length;

/** A phrase picked from the teacher's list goes after what the box holds, on the same line with a space. */
export const withPhrase = (text: string, phrase: string) => (text.trim() ? `${text.trimEnd()} ${phrase}` : phrase);
