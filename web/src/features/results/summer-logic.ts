// Pure rules of the summer panel (no React): what a save sends from the drafts. Tested in summer-logic.test.ts.
import type { Summer } from '../../api/types';
import type { Level } from './results-logic';

type Student = Summer['students'][number];
export const retestKey = (studentId: string, subjectCode: string) => `${studentId}/${subjectCode}`;

/** Typed the way the server writes it back ("5" and "5,0" are one mark; "đ" is "Đ"), so an unchanged cell is not sent. */
const same = (typed: string, stored: string | null) => {
  const a = typed.trim().replace('.', ',').toLocaleUpperCase('vi');
  const b = (stored ?? '').toLocaleUpperCase('vi');
  return a === b || (/^\d+$/.test(a) && `${a},0` === b);
};

/** The re-test marks a save sends: cells whose draft differs from what the server holds ("" clears). */
export function retestChanges(students: readonly Student[], draft: ReadonlyMap<string, string>): { studentId: string; subjectCode: string; value: string | null }[] {
  return students.flatMap((s) =>
    s.retests.flatMap((r) => {
      const k = retestKey(s.studentId, r.subjectCode);
      if (!draft.has(k) || !r.canEdit) return [];
      const typed = draft.get(k) ?? '';
      if (same(typed, r.value)) return [];
      return [{ studentId: s.studentId, subjectCode: r.subjectCode, value: typed.trim() === '' ? null : typed.trim() }];
    }),
  );
}

/** The summer training re-ratings a save sends. */
export function trainingChanges(students: readonly Student[], draft: ReadonlyMap<string, Level | null>): { studentId: string; level: Level | null }[] {
  return students.flatMap((s) => {
    if (!s.training || !draft.has(s.studentId)) return [];
    const level = draft.get(s.studentId) ?? null;
    return level === s.training.level ? [] : [{ studentId: s.studentId, level }];
  });
}
