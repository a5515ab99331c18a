import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Whether the school takes attendance per lesson in a school year. */
export async function lessonAttendanceOn(db: Db, schoolId: string, year: number): Promise<boolean> {
  return (await db.selectFrom('lesson_attendance_year').select('year').where('school_id', '=', schoolId).where('year', '=', year).executeTakeFirst()) !== undefined;
}

export async function turnLessonAttendance(db: Db, schoolId: string, year: number, on: boolean, by: string) {
  if (on) {
    await db.insertInto('lesson_attendance_year').values({ school_id: schoolId, year, turned_on_by: by }).onConflict((oc) => oc.columns(['school_id', 'year']).doNothing()).execute();
  } else {
    await db.deleteFrom('lesson_attendance_year').where('school_id', '=', schoolId).where('year', '=', year).execute();
  }
}

/** A class's rolls of one day, with the name of whoever called each. */
export async function listLessonRolls(db: Db, schoolId: string, classId: string, day: string) {
  return db
    .selectFrom('lesson_roll as r')
    .leftJoin('app_user as u', 'u.id', 'r.recorded_by')
    .select(['r.lesson', 'r.subject_code', 'u.display_name as recorded_by_name'])
    .where('r.school_id', '=', schoolId)
    .where('r.class_id', '=', classId)
    .where('r.day', '=', day)
    .orderBy('r.lesson')
    .execute();
}

/** The absences of a class's lessons between two days (inclusive). */
export async function listLessonAbsences(db: Db, schoolId: string, classId: string, from: string, to: string) {
  return db
    .selectFrom('lesson_absence as a')
    .innerJoin('lesson_roll as r', (j) => j.onRef('r.school_id', '=', 'a.school_id').onRef('r.class_id', '=', 'a.class_id').onRef('r.day', '=', 'a.day').onRef('r.lesson', '=', 'a.lesson'))
    .select(['a.student_id', 'a.day', 'a.lesson', 'a.excused', 'a.reason', 'r.subject_code'])
    .where('a.school_id', '=', schoolId)
    .where('a.class_id', '=', classId)
    .where('a.day', '>=', from)
    .where('a.day', '<=', to)
    .orderBy('a.day')
    .orderBy('a.lesson')
    .execute();
}

/** Lessons missed per student over a period, wherever in the school (excused and not together). */
export async function countLessonAbsences(db: Db, schoolId: string, from: string, to: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('lesson_absence')
    .select((eb) => ['student_id', eb.fn.countAll<string>().as('lessons')])
    .where('school_id', '=', schoolId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('student_id', 'in', studentIds)
    .groupBy('student_id')
    .execute();
}

export type LessonRollWrite = { day: string; lesson: number; subjectCode: string; absences: Array<{ studentId: string; excused: boolean; reason: string | null }> };

/** Calls (or calls again) one lesson's roll: the roll row, then exactly the given absences. */
export async function writeLessonRoll(trx: Transaction<Database>, schoolId: string, classId: string, roll: LessonRollWrite, by: string) {
  await trx
    .insertInto('lesson_roll')
    .values({ school_id: schoolId, class_id: classId, day: roll.day, lesson: roll.lesson, subject_code: roll.subjectCode, recorded_by: by })
    .onConflict((oc) =>
      oc.columns(['school_id', 'class_id', 'day', 'lesson']).doUpdateSet({ subject_code: roll.subjectCode, recorded_by: by, recorded_at: sql<Date>`now()` }),
    )
    .execute();
  await trx.deleteFrom('lesson_absence').where('school_id', '=', schoolId).where('class_id', '=', classId).where('day', '=', roll.day).where('lesson', '=', roll.lesson).execute();
  if (roll.absences.length === 0) return;
  await trx
    .insertInto('lesson_absence')
    .values(roll.absences.map((a) => ({ school_id: schoolId, class_id: classId, day: roll.day, lesson: roll.lesson, student_id: a.studentId, excused: a.excused, reason: a.reason })))
    .execute();
}

/** The roll of one lesson (for the check before a change), locked for the transaction. */
export async function findLessonRoll(db: Db, schoolId: string, classId: string, day: string, lesson: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('lesson_roll').select(['subject_code']).where('school_id', '=', schoolId).where('class_id', '=', classId).where('day', '=', day).where('lesson', '=', lesson);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Removes a roll and its absences (the lesson was called under the wrong number). */
export async function deleteLessonRoll(db: Db, schoolId: string, classId: string, day: string, lesson: number) {
  await db.deleteFrom('lesson_roll').where('school_id', '=', schoolId).where('class_id', '=', classId).where('day', '=', day).where('lesson', '=', lesson).execute();
}
