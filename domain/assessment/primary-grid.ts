/**
 * The gradebook grid of a primary class (TT27/2020, grades 1–5), shared by the server (which
 * stores and checks) and the browser (which shows it): the columns beside tt22Columns
 * (gradebook-grid.ts), which checkpoint a column belongs to, and a row's summary.
 *
 * How the four checkpoints fit the gradebook's class × subject × term grids: TT27 Điều 7 assesses
 * at mid-term I, end of term I, mid-term II and end of year, two per term — just as TT22 has its
 * mid-term (gk) and end-of-term (ck) assessment inside each term's grid. So a primary grid is
 * still one class × subject × term (the same cells, versions, states and lock trigger), and its
 * columns carry the checkpoint as the prefix TT22 uses for the same place in the term:
 *   term 1: gk_* = mid_term1, ck_* = end_term1;   term 2: gk_* = mid_term2, ck_* = end_year.
 * Each checkpoint has the level (…_muc, T / H / C), the periodic test (…_kt, whole 1–10) where
 * Điều 7 khoản 2 requires one, and the teacher's comment (…_nx). The keys never collide with the
 * TT22 keys (tx1…tx9, gk, ck, nx), so a TT22 mark sent to a primary grid (or the reverse) is
 * refused as a column the grid does not have.
 */
import { INCOMPLETE_LABEL, type Outcome, incomplete, ok } from './outcome.js';
import { foldTyped, tt22RowSummary, type CellValue, type GradebookColumn } from './gradebook-grid.js';
import { formatEnteredMark } from './marks.js';
import {
  CHECKPOINT_LABELS,
  DEFAULT_TT27_OPTIONS,
  SUBJECT_LEVEL_LABELS,
  periodicTestRequired,
  type Checkpoint,
  type QualityLevel,
  type SubjectLevel,
  type Tt27Options,
} from './tt27.js';

export type CheckpointPosition = 'gk' | 'ck';

/** The checkpoint at each place of a term's grid (see the header). */
export const TERM_CHECKPOINTS: Record<1 | 2, Record<CheckpointPosition, Checkpoint>> = {
  1: { gk: 'mid_term1', ck: 'end_term1' },
  2: { gk: 'mid_term2', ck: 'end_year' },
};

/** The term grid and the place in it where a checkpoint's columns are. */
export function gridPlaceOf(checkpoint: Checkpoint): { term: 1 | 2; position: CheckpointPosition } {
  switch (checkpoint) {
    case 'mid_term1':
      return { term: 1, position: 'gk' };
    case 'end_term1':
      return { term: 1, position: 'ck' };
    case 'mid_term2':
      return { term: 2, position: 'gk' };
    case 'end_year':
      return { term: 2, position: 'ck' };
  }
}

/** The column keys of a checkpoint: level, periodic test, comment. */
export const primaryColumnKeys = (position: CheckpointPosition) => ({ level: `${position}_muc`, test: `${position}_kt`, comment: `${position}_nx` });

/** Every column key a primary grid can have (what storage and the save contract accept). */
export const PRIMARY_COLUMN_KEY_PATTERN = /^(gk|ck)_(muc|kt|nx)$/;

const SHORT_AT: Record<Checkpoint, string> = { mid_term1: 'GKI', end_term1: 'CKI', mid_term2: 'GKII', end_year: 'CN' };
/** The checkpoint inside a sentence: lower-case, the term's numeral kept ("cuối học kì I"). */
const inSentence = (c: Checkpoint) => CHECKPOINT_LABELS[c].charAt(0).toLocaleLowerCase('vi') + CHECKPOINT_LABELS[c].slice(1);

/**
 * TT27/2020 Điều 7 for one subject of a grade in a term: for each of the term's two checkpoints
 * the level (Hoàn thành tốt / Hoàn thành / Chưa hoàn thành), the periodic test score where
 * Điều 7 khoản 2 requires one (end of term I and end of year for Tiếng Việt, Toán, Ngoại ngữ 1,
 * Lịch sử và Địa lí, Khoa học, Tin học và Công nghệ where the grade has them; grades 4–5 also
 * mid-term I and II in Tiếng Việt and Toán), and the comment (nhận xét, Điều 6).
 */
export function tt27Columns(grade: number, subjectCode: string, term: number, options: Tt27Options = DEFAULT_TT27_OPTIONS): GradebookColumn[] {
  if (term !== 1 && term !== 2) throw new RangeError(`term must be 1 or 2 (got ${term})`);
  return (['gk', 'ck'] as const).flatMap((position) => {
    const checkpoint = TERM_CHECKPOINTS[term][position];
    const keys = primaryColumnKeys(position);
    const at = inSentence(checkpoint);
    const columns: GradebookColumn[] = [{ key: keys.level, label: `Mức ${SHORT_AT[checkpoint]}`, title: `Mức đạt được ${at}`, kind: 'subject_level', checkpoint }];
    if (periodicTestRequired(grade, subjectCode, checkpoint, options)) {
      columns.push({ key: keys.test, label: `KT ${SHORT_AT[checkpoint]}`, title: `Điểm kiểm tra định kì ${at}`, kind: 'test_score', checkpoint });
    }
    columns.push({ key: keys.comment, label: `Nhận xét ${SHORT_AT[checkpoint]}`, title: `Nhận xét ${at}`, kind: 'comment', checkpoint });
    return columns;
  });
}

/** One checkpoint of a row as the grid holds it: the level and the test score (null = not entered or no test). */
export type PrimaryCheckpointEntry = { level: SubjectLevel | null; testTenths: number | null };

/** A checkpoint's level and test score from a row's cells (by the column keys of its place). */
export function primaryEntryOf(cells: Readonly<Record<string, CellValue | null | undefined>>, position: CheckpointPosition): PrimaryCheckpointEntry {
  const keys = primaryColumnKeys(position);
  const level = cells[keys.level];
  const test = cells[keys.test];
  return { level: level?.kind === 'subject_level' ? level.level : null, testTenths: test?.kind === 'score' ? test.tenths : null };
}

/**
 * A row's summary in a term's grid: the latest checkpoint of the term that has anything entered,
 * as "Hoàn thành tốt (9)"; "Chưa đủ điều kiện xếp loại" with what is missing (level or required
 * test) — a missing entry never reads as a level.
 */
export function tt27RowSummary(
  columns: readonly GradebookColumn[],
  cells: Readonly<Record<string, CellValue | null | undefined>>,
): { outcome: Outcome<PrimaryCheckpointEntry>; text: string } {
  const positions = (['ck', 'gk'] as const).filter((p) => columns.some((c) => c.key === primaryColumnKeys(p).level));
  const entered = positions.find((p) => Object.keys(cells).some((k) => k.startsWith(`${p}_`) && cells[k]));
  const position = entered ?? positions.at(-1) ?? 'gk';
  const checkpoint = columns.find((c) => c.key === primaryColumnKeys(position).level)?.checkpoint;
  const at = checkpoint ? inSentence(checkpoint) : '';
  const entry = primaryEntryOf(cells, position);
  const testRequired = columns.some((c) => c.key === primaryColumnKeys(position).test);
  const reasons = [
    ...(entry.level === null ? [`chưa có mức đánh giá ${at}`] : []),
    ...(testRequired && entry.testTenths === null ? [`thiếu điểm kiểm tra định kì ${at}`] : []),
  ];
  if (reasons.length > 0 || entry.level === null) return { outcome: incomplete(reasons), text: INCOMPLETE_LABEL };
  const text = `${SUBJECT_LEVEL_LABELS[entry.level]}${testRequired && entry.testTenths !== null ? ` (${formatEnteredMark(entry.testTenths)})` : ''}`;
  return { outcome: ok(entry), text };
}

/**
 * A quality's or competency's level as the homeroom teacher types it (TT27 Điều 7): "T", "Tốt";
 * "Đ", "Đạt", "D"; "C", "CCG", "Cần cố gắng" — with or without accents.
 */
export function parseQualityLevel(input: string): QualityLevel | null {
  const folded = foldTyped(input);
  if (folded === 't' || folded === 'tot') return 'tot';
  if (folded === 'd' || folded === 'dat') return 'dat';
  if (folded === 'c' || folded === 'ccg' || folded === 'cancogang') return 'can_co_gang';
  return null;
}

/**
 * A row's summary in any grid, as the server answers it and the browser recomputes it while the
 * teacher types: TT22's ĐTBmhk or Đạt / Chưa đạt, or a primary grid's checkpoint level (TT27).
 */
export function gradebookRowSummary(
  grid: { ruleSet: 'tt22_2021' | 'tt27_2020'; assessment: 'score' | 'comment'; requiredRegular: number; columns: readonly GradebookColumn[] },
  cells: Readonly<Record<string, CellValue | null | undefined>>,
): { outcome: Outcome<unknown>; text: string } {
  return grid.ruleSet === 'tt27_2020' ? tt27RowSummary(grid.columns, cells) : tt22RowSummary(grid.assessment, grid.requiredRegular, cells);
}
