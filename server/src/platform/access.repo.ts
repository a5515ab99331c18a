import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/** Ids of the classes of a school year whose homeroom teacher is the staff member, or that they teach. */
export async function classIdsTaughtBy(db: Db, schoolId: string, year: number, staffId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('class')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('homeroom_teacher_id', '=', staffId)
    .union(
      db
        .selectFrom('teaching_assignment')
        .select('class_id as id')
        .where('school_id', '=', schoolId)
        .where('year', '=', year)
        .where('staff_id', '=', staffId),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a guardian row links the account to the student. */
export async function hasGuardianLink(db: Db, schoolId: string, studentId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('guardian')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
