import type { Kysely } from 'kysely';
import type { TLessonAttendance, TSaveLessonRoll } from '../../../../contracts/attendance.js';
import { formatVnDate, isoToday, joinFullName, lessonLabel, lessonsOf, schoolYearLabel } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { type Caller, type ClassRow, type Standing, classWithStanding, termDates } from './class-standing.js';
import { listGridStudents, listTaughtSubjects } from './gradebook.repo.js';
import { deleteLessonRoll, findLessonRoll, lessonAttendanceOn, listLessonAbsences, listLessonRolls, turnLessonAttendance, writeLessonRoll } from './lesson-attendance.repo.js';

type Db = Kysely<Database>;

/**
 * Attendance per lesson (tiết), where the school turns it on for a school year: the subject
 * teacher calls the roll of the lesson they teach (the school's managers may call or correct any);
 * the homeroom teacher reads the day's lessons to record the sessions, which are what TT22/2021
 * Điều 12 counts. A roll is the whole lesson: the students named are missing, the rest were there.
 */

/** Read a class's lessons: whoever reads its attendance (managers, homeroom, its subject teachers). */
const canRead = (s: Standing) => s.manager || s.homeroom || s.teachesAny;
/** Call the roll of a subject's lesson: its teacher that term, or the school's managers. */
const mayCall = (s: Standing, subjectCode: string, term: number) => s.manager || s.teaches(subjectCode, term);

const termOfDay = (cls: ClassRow, day: string) => (day <= termDates(cls, 1).to ? 1 : 2);
const offMessage = (className: string, year: number) =>
  `Trường chưa bật điểm danh theo tiết cho năm học ${schoolYearLabel(year)}; lớp ${className} ghi chuyên cần theo buổi. Hiệu trưởng bật ở trang Điểm danh.`;

export async function getLessonAttendance(db: Db, caller: Caller, schoolId: string, classId: string, day: string): Promise<TLessonAttendance> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!canRead(standing)) throw notFound('Không tìm thấy lớp.');
  checkDayInYear(cls, day, 'Ngày');
  const term = termOfDay(cls, day);
  const [enabled, subjects, students, rolls, absences] = await Promise.all([
    lessonAttendanceOn(db, schoolId, cls.year),
    listTaughtSubjects(db, schoolId, cls.year, cls.grade),
    listGridStudents(db, schoolId, classId, day, day),
    listLessonRolls(db, schoolId, classId, day),
    listLessonAbsences(db, schoolId, classId, day, day),
  ]);
  const nameOf = new Map(subjects.map((s) => [s.code, s.name]));
  return {
    classId,
    className: cls.name,
    date: day,
    enabled,
    canSwitch: standing.principal,
    lessons: lessonsOf(cls.session).map((lesson) => ({ lesson, label: lessonLabel(lesson) })),
    subjects: subjects.filter((s) => mayCall(standing, s.code, term)).map((s) => ({ code: s.code, name: s.name })),
    rolls: rolls.map((r) => ({
      lesson: r.lesson,
      label: lessonLabel(r.lesson),
      subjectCode: r.subject_code,
      subjectName: nameOf.get(r.subject_code) ?? r.subject_code,
      recordedBy: r.recorded_by_name ?? null,
      canEdit: enabled && mayCall(standing, r.subject_code, term),
      absences: absences.filter((a) => a.lesson === r.lesson).map((a) => ({ studentId: a.student_id, excused: a.excused, reason: a.reason })),
    })),
    students: students
      .filter((s, i) => students.findIndex((x) => x.id === s.id) === i)
      .map((s) => ({ studentId: s.id, fullName: joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }) })),
  };
}

/** Calls (or calls again) one lesson's roll; answers the day as `getLessonAttendance` does. */
export async function saveLessonRoll(db: Db, caller: Caller, schoolId: string, classId: string, input: TSaveLessonRoll): Promise<TLessonAttendance> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!canRead(standing)) throw notFound('Không tìm thấy lớp.');
  if (!(await lessonAttendanceOn(db, schoolId, cls.year))) throw conflict('lesson_attendance_off', offMessage(cls.name, cls.year));
  checkDayInYear(cls, input.date, 'Ngày');
  if (input.date > isoToday()) throw badRequest('date_in_future', `Ngày: ${formatVnDate(input.date)} chưa đến; chỉ điểm danh tiết học đã diễn ra.`);
  checkLesson(cls, input.lesson);
  const term = termOfDay(cls, input.date);
  const subject = (await listTaughtSubjects(db, schoolId, cls.year, cls.grade, input.subjectCode)).at(0);
  if (!subject) throw badRequest('subject_not_taught', `Môn học: lớp ${cls.name} không học môn này trong năm học ${schoolYearLabel(cls.year)}.`);
  if (!mayCall(standing, subject.code, term)) {
    throw new AppError(403, 'lesson_not_yours', `Chỉ giáo viên dạy môn ${subject.name} của lớp ${cls.name} trong học kì ${term === 1 ? 'I' : 'II'} (hoặc ban giám hiệu) điểm danh tiết này.`);
  }
  const members = await listGridStudents(db, schoolId, classId, input.date, input.date);
  const seen = new Set<string>();
  for (const [i, a] of input.absences.entries()) {
    if (!members.some((m) => m.id === a.studentId)) throw badRequest('student_not_in_class', `Học sinh vắng ${i + 1}: không học lớp ${cls.name} vào ngày ${formatVnDate(input.date)}.`);
    if (seen.has(a.studentId)) throw badRequest('student_repeated', `Học sinh vắng ${i + 1}: học sinh này đã có trong danh sách vắng của tiết.`);
    seen.add(a.studentId);
  }
  await db.transaction().execute(async (trx) => {
    const existing = await findLessonRoll(trx, schoolId, classId, input.date, input.lesson, { forUpdate: true });
    // Another subject's roll under this number is someone else's lesson: a teacher who typed the
    // wrong lesson must not wipe it. The school's managers may correct it.
    if (existing && existing.subject_code !== subject.code && !mayCall(standing, existing.subject_code, term)) {
      throw conflict('lesson_taken', `${lessonLabel(input.lesson)} ngày ${formatVnDate(input.date)} của lớp ${cls.name} đã được điểm danh cho môn khác. Kiểm tra lại tiết.`);
    }
    await writeLessonRoll(
      trx,
      schoolId,
      classId,
      { day: input.date, lesson: input.lesson, subjectCode: subject.code, absences: input.absences.map((a) => ({ studentId: a.studentId, excused: a.excused, reason: a.reason?.trim() || null })) },
      caller.actor.userId,
    );
  });
  return getLessonAttendance(db, caller, schoolId, classId, input.date);
}

/** Removes a roll called under the wrong lesson number. */
export async function removeLessonRoll(db: Db, caller: Caller, schoolId: string, classId: string, input: { date: string; lesson: number }): Promise<TLessonAttendance> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!canRead(standing)) throw notFound('Không tìm thấy lớp.');
  if (!(await lessonAttendanceOn(db, schoolId, cls.year))) throw conflict('lesson_attendance_off', offMessage(cls.name, cls.year));
  checkDayInYear(cls, input.date, 'Ngày');
  const term = termOfDay(cls, input.date);
  await db.transaction().execute(async (trx) => {
    const existing = await findLessonRoll(trx, schoolId, classId, input.date, input.lesson, { forUpdate: true });
    if (!existing) throw notFound(`${lessonLabel(input.lesson)} ngày ${formatVnDate(input.date)} của lớp ${cls.name} chưa được điểm danh.`);
    if (!mayCall(standing, existing.subject_code, term)) throw new AppError(403, 'lesson_not_yours', `Chỉ giáo viên đã dạy tiết này (hoặc ban giám hiệu) xoá được điểm danh của tiết.`);
    await deleteLessonRoll(trx, schoolId, classId, input.date, input.lesson);
  });
  return getLessonAttendance(db, caller, schoolId, classId, input.date);
}

/** The principal turns attendance per lesson on or off for a school year (audited). */
export async function switchLessonAttendance(db: Db, caller: Caller, schoolId: string, input: { year: number; enabled: boolean }) {
  await db.transaction().execute(async (trx) => {
    const before = await lessonAttendanceOn(trx, schoolId, input.year);
    if (before === input.enabled) return;
    await turnLessonAttendance(trx, schoolId, input.year, input.enabled, caller.actor.userId);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'school_year.lesson_attendance',
        entity: 'school_year',
        entityId: `${schoolId}:${input.year}`,
        orgUnitId: schoolId,
        targetLabel: `Năm học ${schoolYearLabel(input.year)}`,
        before: { lesson_attendance: before },
        after: { lesson_attendance: input.enabled },
      },
      caller.ip,
    );
  });
  return { year: input.year, enabled: input.enabled };
}

function checkDayInYear(cls: ClassRow, day: string, label: string) {
  const from = termDates(cls, 1).from;
  const to = termDates(cls, 2).to;
  if (day < from || day > to) throw badRequest('date_outside_year', `${label}: ${formatVnDate(day)} không thuộc năm học của lớp ${cls.name} (${formatVnDate(from)} – ${formatVnDate(to)}).`);
}

function checkLesson(cls: ClassRow, lesson: number) {
  const lessons = lessonsOf(cls.session);
  if (!lessons.includes(lesson)) {
    throw badRequest('lesson_not_taught', `Tiết: lớp ${cls.name} học ${cls.session === 'morning' ? 'buổi sáng' : cls.session === 'afternoon' ? 'buổi chiều' : 'cả ngày'}, chọn ${lessons.map(lessonLabel).join(', ')}.`);
  }
}
