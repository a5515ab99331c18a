// Pure rules of the results and attendance screens (no React): what a row's draft changes, what a
// save sends, how a count reads. Tested in results-logic.test.ts.
import type { Attendance, ClassResults, SaveAttendance } from '../../api/types';

export type Level = 'tot' | 'kha' | 'dat' | 'chua_dat';
export type Period = ClassResults['period'];
export type Session = Attendance['sessions'][number];
export type Status = SaveAttendance['entries'][number]['status'];

export const LEVELS: Level[] = ['tot', 'kha', 'dat', 'chua_dat'];
export const PERIODS: Period[] = ['hk1', 'hk2', 'cn'];

export const isPeriod = (v: string | null): v is Period => v === 'hk1' || v === 'hk2' || v === 'cn';

/** The term a period's training ratings belong to: a term's own, the current one for the year. */
export const termOfPeriod = (p: Period, current: 1 | 2): 1 | 2 => (p === 'hk1' ? 1 : p === 'hk2' ? 2 : current);
export const periodOfTerm = (t: 1 | 2): Period => (t === 1 ? 'hk1' : 'hk2');

type Student = ClassResults['students'][number];
export const ratingOf = (s: Student, term: 1 | 2): Level | null => (term === 1 ? s.trainingTerm1 : s.trainingTerm2);

/** The ratings a save sends: only the rows whose draft differs from what the server holds. */
export function ratingChanges(students: readonly Student[], term: 1 | 2, draft: ReadonlyMap<string, Level | null>): { studentId: string; level: Level | null }[] {
  return students.flatMap((s) => {
    if (!draft.has(s.studentId)) return [];
    const level = draft.get(s.studentId) ?? null;
    return level === ratingOf(s, term) ? [] : [{ studentId: s.studentId, level }];
  });
}

/** Code → count, in the order the labels give, without the zeros: "Tốt: 12", "Khá: 20" … */
export function countLines(counts: Record<string, number>, labels: Record<string, string>): { label: string; n: number }[] {
  const known = Object.keys(labels).filter((k) => (counts[k] ?? 0) > 0);
  const other = Object.keys(counts).filter((k) => !(k in labels) && counts[k] > 0);
  return [...known, ...other].map((k) => ({ label: labels[k] ?? k, n: counts[k] }));
}

// ---- attendance ----

export type Mark = { status: Status; reason: string };
export const markKey = (studentId: string, session: Session) => `${studentId}/${session}`;

type AttendanceStudent = Attendance['students'][number];

/** What the server holds for a student, a session and the day shown. */
export function savedMark(s: AttendanceStudent, date: string, session: Session): Mark {
  const a = s.absences.find((x) => x.date === date && x.session === session);
  return a ? { status: a.excused ? 'excused' : 'unexcused', reason: a.reason ?? '' } : { status: 'present', reason: '' };
}

/** The entries a save sends: each session whose status or reason the teacher changed. */
export function attendanceEntries(
  students: readonly AttendanceStudent[],
  sessions: readonly Session[],
  date: string,
  draft: ReadonlyMap<string, Mark>,
): SaveAttendance['entries'] {
  const out: SaveAttendance['entries'] = [];
  for (const s of students) {
    for (const session of sessions) {
      const d = draft.get(markKey(s.studentId, session));
      if (!d) continue;
      const was = savedMark(s, date, session);
      const reason = d.status === 'present' ? '' : d.reason.trim();
      if (d.status === was.status && reason === was.reason) continue;
      out.push({ studentId: s.studentId, date, session, status: d.status, ...(reason ? { reason } : {}) });
    }
  }
  return out;
}

/** "near" from four fifths of the limit (36 of 45), "over" at the limit: the homeroom view's warning. */
export function absenceWarning(total: number, limit: number): 'over' | 'near' | null {
  if (total >= limit) return 'over';
  if (total * 5 >= limit * 4) return 'near';
  return null;
}

/**
 * The server's reasons ("Toán: học kì II chưa có điểm trung bình", one per subject) with the
 * subjects that share a reason named together: a student with the whole term II still open reads
 * two lines, not thirteen. Reasons without a subject stay as they are; the order is the first
 * appearance of each reason.
 */
export function groupReasons(reasons: readonly string[]): string[] {
  // Each reason keeps the list of its subjects; the output holds either a plain reason or that list.
  const bySubject = new Map<string, string[]>();
  const out: (string | { reason: string; subjects: string[] })[] = [];
  for (const r of reasons) {
    const at = r.indexOf(': ');
    if (at <= 0) {
      out.push(r);
      continue;
    }
    const subject = r.slice(0, at);
    const reason = r.slice(at + 2);
    const subjects = bySubject.get(reason);
    if (subjects) subjects.push(subject);
    else {
      const started = [subject];
      bySubject.set(reason, started);
      out.push({ reason, subjects: started });
    }
  }
  return out.map((x) => (typeof x === 'string' ? x : `${x.subjects.join(', ')}: ${x.reason}`));
}

/** The reasons of a student's "chưa đủ điều kiện" as one line: grouped, the first three, then how many more (`more` words it). */
export function firstReasons(all: readonly string[], more: (n: number) => string): string {
  const reasons = groupReasons(all);
  return reasons.length > 3 ? `${reasons.slice(0, 3).join('; ')}; ${more(reasons.length - 3)}` : reasons.join('; ');
}

/** A lesson's roll as the teacher marks it: each student's status, absent ones with a reason. */
export type LessonDraft = ReadonlyMap<string, Mark>;

/** The marks of a roll already called (everyone not named was there). */
export function lessonDraftOf(absences: readonly { studentId: string; excused: boolean; reason: string | null }[]): Map<string, Mark> {
  return new Map(absences.map((a) => [a.studentId, { status: a.excused ? 'excused' : 'unexcused', reason: a.reason ?? '' }]));
}

/** What a roll sends: the absent students of the class in list order, each excused or not, with the reason typed (if any). */
export function lessonAbsences(studentIds: readonly string[], draft: LessonDraft): { studentId: string; excused: boolean; reason?: string }[] {
  return studentIds.flatMap((studentId) => {
    const m = draft.get(studentId);
    if (!m || m.status === 'present') return [];
    const reason = m.reason.trim();
    return [{ studentId, excused: m.status === 'excused', ...(reason ? { reason } : {}) }];
  });
}

/**
 * A primary student's subjects at a term's checkpoint, counted by level from the marks the
 * server wrote ("T (9)", "H", "C (4)"; TT27 Điều 7): what the summary shows for a term, where
 * TT27 gives no overall outcome (that is the year's, Điều 9). Null when nothing is entered.
 */
export function primaryLevelCounts(marks: Readonly<Record<string, string>>): { T: number; H: number; C: number } | null {
  const counts = { T: 0, H: 0, C: 0 };
  for (const v of Object.values(marks)) {
    const level = v.trim().charAt(0);
    if (level === 'T' || level === 'H' || level === 'C') counts[level]++;
  }
  return counts.T + counts.H + counts.C > 0 ? counts : null;
}
