import type { Kysely } from 'kysely';
import { addDays, isSunday, isoToday } from '../../domain/index.js';
import type { Database } from '../src/db/schema.js';
import { F } from './fixture-ids.js';

/**
 * Records the access matrix's contact-book cells start from (messages and leave requests, issue 11):
 * written straight to the tables, so a denied cell has a real target to be refused and an allowed
 * cell a fresh one to act on.
 */
type Db = Kysely<Database>;

/** The student's thread with the homeroom teacher, or (for a subject teacher's cell) with Phạm Minh Đức, made once. */
export async function threadFor(db: Db, schoolId: string, studentId: string, subjectTeacherCell: boolean): Promise<string> {
  // Phạm Minh Đức is school A1's: elsewhere the thread is the homeroom one.
  const subjectTeacher = subjectTeacherCell && schoolId === F.schoolA1;
  let q = db.selectFrom('message_thread').select('id').where('school_id', '=', schoolId).where('student_id', '=', studentId);
  q = subjectTeacher ? q.where('kind', '=', 'subject').where('staff_id', '=', F.teacherMath) : q.where('kind', '=', 'homeroom');
  const found = await q.executeTakeFirst();
  if (found) {
    await db.updateTable('message_thread').set({ closed_at: null }).where('id', '=', found.id).execute();
    return found.id;
  }
  const id = crypto.randomUUID();
  await db.insertInto('message_thread').values({ id, school_id: schoolId, student_id: studentId, kind: subjectTeacher ? 'subject' : 'homeroom', staff_id: subjectTeacher ? F.teacherMath : null }).execute();
  return id;
}

/** A fresh message in a thread, written by one side, with a text the answer can be searched for. */
export async function messageIn(db: Db, schoolId: string, threadId: string, side: 'family' | 'staff', body: string, reported = false): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('message')
    .values({ id, thread_id: threadId, school_id: schoolId, side, author_id: null, author_label: side === 'family' ? 'Phụ huynh' : 'Giáo viên', body, ...(reported ? { reported_at: new Date(), report_side: 'family' as const, report_reason: 'Ma trận' } : {}) })
    .execute();
  return id;
}

/** The school lets families write to subject teachers (a subject teacher's allowed cell writes). */
export async function subjectMessagesOn(db: Db, schoolId: string) {
  await db.insertInto('contact_setting').values({ school_id: schoolId, subject_teacher_messages: true }).onConflict((oc) => oc.column('school_id').doUpdateSet({ subject_teacher_messages: true })).execute();
}

/** The first school day from today on. */
export function nextSchoolDay(n = 0): string {
  let d = addDays(isoToday(), n);
  while (isSunday(d)) d = addDays(d, 1);
  return d;
}

/** A fresh pending leave request of a student on a day of its own (the fixture's year, so nothing overlaps). */
export async function pendingLeave(db: Db, schoolId: string, studentId: string, day: string): Promise<string> {
  const student = await db.selectFrom('student').select('current_class_id').where('id', '=', studentId).executeTakeFirstOrThrow();
  const id = crypto.randomUUID();
  await db
    .insertInto('leave_request')
    .values({ id, school_id: schoolId, student_id: studentId, class_id: student.current_class_id!, from_day: day, to_day: day, part: 'full_day', reason: 'Ma trận', requested_by: null, requested_by_label: 'Phụ huynh' })
    .execute();
  return id;
}

/** The school year of the fixture's classes runs until three months from now (a leave asked today is inside it); the function returned puts it back. */
export async function yearReachesToday(db: Db, schoolId: string): Promise<() => Promise<null>> {
  const before = await db.selectFrom('school_year').selectAll().where('school_id', '=', schoolId).where('year', '=', F.year).executeTakeFirst();
  const end = addDays(isoToday(), 90);
  if (before) await db.updateTable('school_year').set({ term2_end: end }).where('school_id', '=', schoolId).where('year', '=', F.year).execute();
  else await db.insertInto('school_year').values({ school_id: schoolId, year: F.year, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: end }).execute();
  return async () => {
    if (before) await db.updateTable('school_year').set({ term2_end: before.term2_end }).where('school_id', '=', schoolId).where('year', '=', F.year).execute();
    else await db.deleteFrom('school_year').where('school_id', '=', schoolId).where('year', '=', F.year).execute();
    return null;
  };
}
