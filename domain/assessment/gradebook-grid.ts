/**
 * The gradebook grid of one class × subject × term under TT22/2021, shared by the server (which
 * stores and checks) and the browser (which shows live averages while the teacher types): the
 * columns, what a cell accepts, how it is written, and the term summary of a row.
 */
import { formatEnteredMark, formatTenths, parseMark, type Tenths } from './marks.js';
import { INCOMPLETE_LABEL, type Outcome } from './outcome.js';
import { PASS_FAIL_LABELS, commentTermResult, scoredTermAverage, type PassFail } from './tt22.js';
import { SUBJECT_LEVEL_SHORT, parsePeriodicTestScore, type Checkpoint, type SubjectLevel } from './tt27.js';

/**
 * What a column takes: a TT22 mark, Đạt / Chưa đạt, a comment; or, in a primary (TT27) grid, a
 * subject level (T / H / C) and a periodic test score (whole 1–10). Primary columns are defined in
 * primary-grid.ts, beside these.
 */
export type ColumnKind = 'score' | 'pass_fail' | 'comment' | 'subject_level' | 'test_score';
/** `checkpoint`: in a primary grid, the TT27 checkpoint the column belongs to. */
export type GradebookColumn = { key: string; label: string; title: string; kind: ColumnKind; checkpoint?: Checkpoint };

/** Regular assessments run tx1…tx9 (the most a school's plan can ask for: 4 plus topic clusters). */
export const MAX_REGULAR_COLUMNS = 9;

/**
 * TT22/2021 Điều 6–7: the regular assessments the subject needs this term, the mid-term and the
 * end-of-term assessment, then the teacher's comment (nhận xét, Điều 5 khoản 1). A scored subject
 * takes marks; a comment-only subject Đạt / Chưa đạt in the same places.
 */
export function tt22Columns(assessment: 'score' | 'comment', requiredRegular: number): GradebookColumn[] {
  if (!Number.isInteger(requiredRegular) || requiredRegular < 1 || requiredRegular > MAX_REGULAR_COLUMNS) {
    throw new RangeError(`regular assessments must be 1–${MAX_REGULAR_COLUMNS} (got ${requiredRegular})`);
  }
  const kind: ColumnKind = assessment === 'score' ? 'score' : 'pass_fail';
  return [
    ...Array.from({ length: requiredRegular }, (_, i) => ({ key: `tx${i + 1}`, label: `TX${i + 1}`, title: `Đánh giá thường xuyên lần ${i + 1}`, kind })),
    { key: 'gk', label: 'GK', title: 'Đánh giá giữa kì', kind },
    { key: 'ck', label: 'CK', title: 'Đánh giá cuối kì', kind },
    { key: 'nx', label: 'Nhận xét', title: 'Nhận xét của giáo viên', kind: 'comment' },
  ];
}

/** A periodic test score (test_score column) is held as a `score` too: whole tenths 10–100. */
export type CellValue = { kind: 'score'; tenths: Tenths } | { kind: 'pass_fail'; result: PassFail } | { kind: 'comment'; text: string } | { kind: 'subject_level'; level: SubjectLevel };

export type ParsedCell = { ok: true; value: CellValue | null } | { ok: false; message: string };

export const COMMENT_MAX_LENGTH = 2000;

/** What a teacher typed, without accents, spaces or dots, đ as d, lower case: "Chưa đạt" → "chuadat". */
export function foldTyped(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s.]+/g, '');
}

/** "Đ", "Đạt", "d", "dat" → Đạt; "CĐ", "Chưa đạt", "cd", "chua dat" → Chưa đạt (what teachers type or paste). */
export function parsePassFail(input: string): PassFail | null {
  const folded = foldTyped(input);
  if (folded === 'd' || folded === 'dat') return 'dat';
  if (folded === 'cd' || folded === 'chuadat') return 'chua_dat';
  return null;
}

/**
 * "T", "H", "C", "Hoàn thành tốt", "hoan thanh", "Chưa hoàn thành", "HTT", "HT", "CHT" → the TT27
 * subject level (what teachers type or paste, with or without accents).
 */
export function parseSubjectLevel(input: string): SubjectLevel | null {
  const folded = foldTyped(input);
  if (folded === 't' || folded === 'htt' || folded === 'hoanthanhtot') return 'hoan_thanh_tot';
  if (folded === 'h' || folded === 'ht' || folded === 'hoanthanh') return 'hoan_thanh';
  if (folded === 'c' || folded === 'cht' || folded === 'chuahoanthanh') return 'chua_hoan_thanh';
  return null;
}

/** What a cell of this kind holds after the teacher typed `input`; empty text clears it. */
export function parseCell(kind: ColumnKind, input: string): ParsedCell {
  const text = input.trim();
  if (text === '') return { ok: true, value: null };
  if (kind === 'comment') {
    if (text.length > COMMENT_MAX_LENGTH) return { ok: false, message: `Nhận xét dài tối đa ${COMMENT_MAX_LENGTH} kí tự (đang có ${text.length}).` };
    return { ok: true, value: { kind: 'comment', text } };
  }
  if (kind === 'pass_fail') {
    const result = parsePassFail(text);
    return result ? { ok: true, value: { kind: 'pass_fail', result } } : { ok: false, message: `"${text}" không phải mức đánh giá; hãy nhập Đ (Đạt) hoặc CĐ (Chưa đạt).` };
  }
  if (kind === 'subject_level') {
    const level = parseSubjectLevel(text);
    return level
      ? { ok: true, value: { kind: 'subject_level', level } }
      : { ok: false, message: `"${text}" không phải mức đánh giá; hãy nhập T (Hoàn thành tốt), H (Hoàn thành) hoặc C (Chưa hoàn thành).` };
  }
  if (kind === 'test_score') {
    // TT27 Điều 7 khoản 2: whole points 1–10 only (no 0, no decimals); the parser's one sentence names the limits and what was wrong.
    const score = parsePeriodicTestScore(text);
    return score.ok ? { ok: true, value: { kind: 'score', tenths: score.tenths } } : score;
  }
  const mark = parseMark(text);
  return mark.ok ? { ok: true, value: { kind: 'score', tenths: mark.tenths } } : mark;
}

/** A cell as the grid shows it: "8,5", "Đ", "CĐ", or the comment. */
export function formatCell(value: CellValue | null): string {
  if (!value) return '';
  if (value.kind === 'score') return formatEnteredMark(value.tenths);
  if (value.kind === 'pass_fail') return value.result === 'dat' ? 'Đ' : 'CĐ';
  if (value.kind === 'subject_level') return SUBJECT_LEVEL_SHORT[value.level];
  return value.text;
}

/** One row's term result from its cells: ĐTBmhk for a scored subject, Đạt / Chưa đạt for a comment one. */
export function tt22RowSummary(
  assessment: 'score' | 'comment',
  requiredRegular: number,
  cells: Readonly<Record<string, CellValue | null | undefined>>,
): { outcome: Outcome<Tenths | PassFail>; text: string } {
  const at = (key: string) => cells[key] ?? null;
  const regularKeys = Array.from({ length: MAX_REGULAR_COLUMNS }, (_, i) => `tx${i + 1}`);
  if (assessment === 'score') {
    const score = (v: CellValue | null) => (v?.kind === 'score' ? v.tenths : null);
    const outcome = scoredTermAverage({ regular: regularKeys.map((k) => score(at(k))), midterm: score(at('gk')), final: score(at('ck')) }, requiredRegular);
    return { outcome, text: outcome.status === 'ok' ? formatTenths(outcome.value) : INCOMPLETE_LABEL };
  }
  const pass = (v: CellValue | null) => (v?.kind === 'pass_fail' ? v.result : null);
  const outcome = commentTermResult({ regular: regularKeys.map((k) => pass(at(k))), midterm: pass(at('gk')), final: pass(at('ck')) }, requiredRegular);
  return { outcome, text: outcome.status === 'ok' ? PASS_FAIL_LABELS[outcome.value] : INCOMPLETE_LABEL };
}
