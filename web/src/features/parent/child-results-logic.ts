import { PASS_FAIL_LABELS } from '../../../../domain/index';
import type { FamilyResults } from '../../api/types';

// What the family's results view reads from the server's answer (pure, tested): the marks by
// term rather than by subject, a comment subject's short Đ / CĐ in words, an absence as a line.

type Subject = FamilyResults['subjects'][number];
export type TermMarks = { term: number; subjects: Array<{ subjectName: string; marks: Array<{ label: string; value: string }>; comment: string | null }> };

/** The gradebook's short forms of a comment subject (formatCell: Đ / CĐ) read in words by a family. */
const SHORT_FORMS: Record<string, string> = { Đ: PASS_FAIL_LABELS.dat, CĐ: PASS_FAIL_LABELS.chua_dat };

/** A published mark as a family reads it: "7,5" stays, "Đ" is "Đạt", "CĐ" is "Chưa đạt". */
export const markText = (value: string): string => SHORT_FORMS[value.trim()] ?? value;

/**
 * The server groups marks by subject, each with its terms; a parent reads a term at a time
 * (term I, then term II), the subjects in the school's order. A subject with nothing published
 * in a term (no mark, no comment) is left out of that term.
 */
export function marksByTerm(subjects: readonly Subject[]): TermMarks[] {
  const terms = new Map<number, TermMarks>();
  for (const s of subjects) {
    for (const t of s.terms) {
      if (t.marks.length === 0 && !t.comment) continue;
      const entry = terms.get(t.term) ?? { term: t.term, subjects: [] };
      terms.set(t.term, entry);
      entry.subjects.push({ subjectName: s.subjectName, marks: t.marks.map((m) => ({ label: m.label, value: markText(m.value) })), comment: t.comment });
    }
  }
  return [...terms.values()].sort((a, b) => a.term - b.term);
}

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/** "2025-11-03" → "Thứ Hai" (the calendar day, whatever the browser's time zone). */
export function weekdayOf(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay();
  return WEEKDAYS[day] ?? '';
}

/** The school years a family may pick: the years of the child's enrolments at this school, newest first. */
export function yearsAtSchool(enrolments: ReadonlyArray<{ year: number; schoolName: string }>, schoolName: string): number[] {
  return [...new Set(enrolments.filter((e) => e.schoolName === schoolName).map((e) => e.year))].sort((a, b) => b - a);
}
