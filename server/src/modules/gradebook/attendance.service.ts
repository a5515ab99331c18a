import type { Kysely, Transaction } from 'kysely';
import type { TAttendance, TSaveAttendance } from '../../../../contracts/attendance.js';
import { DEFAULT_TT22_OPTIONS, formatVnDate, isoToday, joinFullName, lessonLabel, ruleSetFor } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { countAbsences, deleteAbsences, deleteLeaveAbsences, listClassAbsences, upsertAbsences, upsertLeaveAbsences } from './attendance.repo.js';
import { type Caller, type ClassRow, type Standing, classWithStanding, termDates } from './class-standing.js';
import { findGradebookClass, listGridStudents, listTaughtSubjects } from './gradebook.repo.js';
import { listLessonAbsences } from './lesson-attendance.repo.js';

type Db = Kysely<Database>;

/** Read: the school's managers, the homeroom teacher, the class's subject teachers. */
const canRead = (s: Standing) => s.manager || s.homeroom || s.teachesAny;
/** Enter: the homeroom teacher and the school's managers (subject teachers record lessons: lesson-attendance.service.ts). */
const canEdit = (s: Standing) => s.manager || s.homeroom;

const yearSpan = (cls: ClassRow) => ({ from: termDates(cls, 1).from, to: termDates(cls, 2).to });
const SESSIONS_OF: Record<string, Array<'morning' | 'afternoon'>> = { morning: ['morning'], afternoon: ['afternoon'], full_day: ['morning', 'afternoon'] };

export async function getAttendance(db: Db, caller: Caller, schoolId: string, classId: string, range: { from: string; to: string }): Promise<TAttendance> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!canRead(standing)) throw notFound('Không tìm thấy lớp.');
  if (range.from > range.to) throw badRequest('range_reversed', 'Từ ngày: phải trước hoặc bằng Đến ngày.');
  const year = yearSpan(cls);
  const students = dedupe(await listGridStudents(db, schoolId, classId, range.from, range.to));
  const [absences, totals, lessonAbsences, subjects] = await Promise.all([
    listClassAbsences(db, schoolId, classId, range.from, range.to),
    countAbsences(db, schoolId, year.from, year.to, students.map((s) => s.id)),
    listLessonAbsences(db, schoolId, classId, range.from, range.to),
    listTaughtSubjects(db, schoolId, cls.year, cls.grade),
  ]);
  const subjectName = new Map(subjects.map((s) => [s.code, s.name]));
  return {
    classId,
    className: cls.name,
    from: range.from,
    to: range.to,
    sessions: SESSIONS_OF[cls.session] ?? ['morning'],
    canEdit: canEdit(standing),
    // The 45-session rule is TT22's (Điều 12); a primary class (TT27) has none.
    limit: ruleSetFor(cls.year, cls.grade) === 'tt22_2021' ? DEFAULT_TT22_OPTIONS.maxSessionsAbsent : null,
    students: students.map((s) => {
      const t = totals.find((x) => x.student_id === s.id);
      return {
        studentId: s.id,
        fullName: joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }),
        absences: absences.filter((a) => a.student_id === s.id).map((a) => ({ date: a.day, session: a.session, excused: a.excused, reason: a.reason })),
        lessonAbsences: lessonAbsences
          .filter((a) => a.student_id === s.id)
          .map((a) => ({ date: a.day, lesson: a.lesson, label: lessonLabel(a.lesson), subjectName: subjectName.get(a.subject_code) ?? a.subject_code, excused: a.excused, reason: a.reason })),
        yearExcused: Number(t?.excused ?? 0),
        yearUnexcused: Number(t?.unexcused ?? 0),
      };
    }),
  };
}

const dedupe = <T extends { id: string }>(rows: T[]) => rows.filter((r, i) => rows.findIndex((x) => x.id === r.id) === i);

/** Records absences (or presence, which removes one) for days of the school year up to today. */
export async function saveAttendance(db: Db, caller: Caller, schoolId: string, classId: string, input: TSaveAttendance): Promise<TAttendance> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!canRead(standing)) throw notFound('Không tìm thấy lớp.');
  if (!canEdit(standing)) throw new AppError(403, 'attendance_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${cls.name} hoặc ban giám hiệu ghi chuyên cần.`);
  const year = yearSpan(cls);
  const today = isoToday();
  const sessions = SESSIONS_OF[cls.session] ?? ['morning'];
  for (const [i, e] of input.entries.entries()) {
    const where = `Dòng ${i + 1}`;
    if (e.date < year.from || e.date > year.to) throw badRequest('date_outside_year', `${where} — Ngày nghỉ: ${formatVnDate(e.date)} không thuộc năm học của lớp ${cls.name} (${formatVnDate(year.from)} – ${formatVnDate(year.to)}).`);
    if (e.date > today) throw badRequest('date_in_future', `${where} — Ngày nghỉ: ${formatVnDate(e.date)} chưa đến; chỉ ghi buổi nghỉ đã diễn ra (đơn xin nghỉ trước sẽ có ở sổ liên lạc).`);
    if (!sessions.includes(e.session)) throw badRequest('session_not_taught', `${where} — Buổi: lớp ${cls.name} không học buổi ${e.session === 'morning' ? 'sáng' : 'chiều'}.`);
  }
  const members = await listGridStudents(db, schoolId, classId, year.from, year.to);
  for (const [i, e] of input.entries.entries()) {
    const inClass = members.some((m) => m.id === e.studentId && m.start_date <= e.date && (m.end_date === null || m.end_date >= e.date));
    if (!inClass) throw badRequest('student_not_in_class', `Dòng ${i + 1} — Học sinh: không học lớp ${cls.name} vào ngày ${formatVnDate(e.date)}.`);
  }
  await db.transaction().execute(async (trx) => {
    const present = input.entries.filter((e) => e.status === 'present').map((e) => ({ studentId: e.studentId, day: e.date, session: e.session }));
    const absent = input.entries
      .filter((e) => e.status !== 'present')
      .map((e) => ({ studentId: e.studentId, day: e.date, session: e.session, excused: e.status === 'excused', reason: e.reason?.trim() || null }));
    await deleteAbsences(trx, schoolId, present);
    await upsertAbsences(trx, schoolId, classId, absent, caller.actor.userId);
  });
  const dates = input.entries.map((e) => e.date).sort();
  return getAttendance(db, caller, schoolId, classId, { from: dates[0] ?? today, to: dates[dates.length - 1] ?? today });
}

/**
 * An approved leave request (đơn xin nghỉ học, issue 11 §5) becomes excused absences, by the rules
 * above but one: the sessions may be ahead of today (a leave is asked before the day). Each session
 * must be a day of the class's school year and a session the class meets, with the student in the
 * class that day; a session already recorded (unexcused, or excused for another reason) becomes
 * excused with the request's reason. The rows carry the request, so withdrawing it removes them.
 * Returns the number of sessions written.
 */
export async function recordApprovedLeave(
  trx: Transaction<Database>,
  leave: { id: string; schoolId: string; classId: string; studentId: string; sessions: Array<{ date: string; session: 'morning' | 'afternoon' }>; reason: string; by: string },
): Promise<number> {
  const cls = await findGradebookClass(trx, leave.schoolId, leave.classId);
  if (!cls) throw notFound('Không tìm thấy lớp.');
  const year = yearSpan(cls);
  const taught = SESSIONS_OF[cls.session] ?? ['morning'];
  const members = (await listGridStudents(trx, leave.schoolId, leave.classId, year.from, year.to)).filter((m) => m.id === leave.studentId);
  for (const e of leave.sessions) {
    if (e.date < year.from || e.date > year.to) throw badRequest('date_outside_year', `Ngày nghỉ: ${formatVnDate(e.date)} không thuộc năm học của lớp ${cls.name} (${formatVnDate(year.from)} – ${formatVnDate(year.to)}).`);
    if (!taught.includes(e.session)) throw badRequest('session_not_taught', `Buổi: lớp ${cls.name} không học buổi ${e.session === 'morning' ? 'sáng' : 'chiều'}.`);
    if (!members.some((m) => m.start_date <= e.date && (m.end_date === null || m.end_date >= e.date))) throw badRequest('student_not_in_class', `Học sinh: không học lớp ${cls.name} vào ngày ${formatVnDate(e.date)}.`);
  }
  const reason = leave.reason.length > 500 ? `${leave.reason.slice(0, 499)}…` : leave.reason;
  await upsertLeaveAbsences(trx, leave.schoolId, leave.classId, leave.id, leave.sessions.map((e) => ({ studentId: leave.studentId, day: e.date, session: e.session, excused: true, reason })), leave.by);
  return leave.sessions.length;
}

/** Withdrawing an approved leave before its days: the absences it wrote from `fromDay` on go (a teacher's own record of a session stays). */
export async function removeApprovedLeave(trx: Transaction<Database>, schoolId: string, leaveRequestId: string, fromDay: string): Promise<number> {
  return deleteLeaveAbsences(trx, schoolId, leaveRequestId, fromDay);
}
