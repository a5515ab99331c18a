import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A class's absences between two days (inclusive). */
export async function listClassAbsences(db: Db, schoolId: string, classId: string, from: string, to: string) {
  return db
    .selectFrom('attendance')
    .select(['student_id', 'day', 'session', 'excused', 'reason'])
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .orderBy('session')
    .execute();
}

/**
 * One student's absences over a period, wherever in the school they were taken, oldest first: the
 * family's view counts them and shows the last few (one statement on the primary key's
 * (school, student, day) order, instead of a count and the whole class's list).
 */
export async function listStudentAbsences(db: Db, schoolId: string, studentId: string, from: string, to: string) {
  return db
    .selectFrom('attendance')
    .select(['day', 'session', 'excused'])
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .orderBy('session')
    .execute();
}

/**
 * Absences per student over a period, excused and not, wherever in the school they were taken:
 * the given students', or every student's of the school (the year close reads them all at once).
 */
export async function countAbsences(db: Db, schoolId: string, from: string, to: string, studentIds?: string[]) {
  if (studentIds?.length === 0) return [];
  let q = db
    .selectFrom('attendance')
    .select((eb) => [
      'student_id',
      eb.fn.count<string>('day').filterWhere('excused', '=', true).as('excused'),
      eb.fn.count<string>('day').filterWhere('excused', '=', false).as('unexcused'),
    ])
    .where('school_id', '=', schoolId)
    .where('day', '>=', from)
    .where('day', '<=', to);
  if (studentIds) q = q.where('student_id', 'in', studentIds);
  return q.groupBy('student_id').execute();
}

export type AbsenceWrite = { studentId: string; day: string; session: 'morning' | 'afternoon'; excused: boolean; reason: string | null };

/** Records absences (a second entry for the same session replaces the first). */
export async function upsertAbsences(trx: Transaction<Database>, schoolId: string, classId: string, rows: AbsenceWrite[], by: string) {
  if (rows.length === 0) return;
  await trx
    .insertInto('attendance')
    .values(rows.map((r) => ({ school_id: schoolId, student_id: r.studentId, day: r.day, session: r.session, class_id: classId, excused: r.excused, reason: r.reason, recorded_by: by })))
    .onConflict((oc) =>
      oc.columns(['school_id', 'student_id', 'day', 'session']).doUpdateSet((eb) => ({
        excused: eb.ref('excluded.excused'),
        reason: eb.ref('excluded.reason'),
        class_id: eb.ref('excluded.class_id'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: sql<Date>`now()`,
        // The teacher's record replaces a leave request's: withdrawing the request no longer touches it.
        leave_request_id: null,
      })),
    )
    .execute();
}

/** Records an approved leave request's sessions as its own (attendance.leave_request_id, migration 0035). */
export async function upsertLeaveAbsences(trx: Transaction<Database>, schoolId: string, classId: string, leaveRequestId: string, rows: AbsenceWrite[], by: string) {
  if (rows.length === 0) return;
  await trx
    .insertInto('attendance')
    .values(rows.map((r) => ({ school_id: schoolId, student_id: r.studentId, day: r.day, session: r.session, class_id: classId, excused: r.excused, reason: r.reason, recorded_by: by, leave_request_id: leaveRequestId })))
    .onConflict((oc) =>
      oc.columns(['school_id', 'student_id', 'day', 'session']).doUpdateSet((eb) => ({
        excused: eb.ref('excluded.excused'),
        reason: eb.ref('excluded.reason'),
        class_id: eb.ref('excluded.class_id'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: sql<Date>`now()`,
        leave_request_id: eb.ref('excluded.leave_request_id'),
      })),
    )
    .execute();
}

/** The absences a leave request wrote, from a day on. */
export async function deleteLeaveAbsences(trx: Transaction<Database>, schoolId: string, leaveRequestId: string, fromDay: string): Promise<number> {
  const res = await trx.deleteFrom('attendance').where('school_id', '=', schoolId).where('leave_request_id', '=', leaveRequestId).where('day', '>=', fromDay).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Marks students present again: their absence rows for those sessions go. */
export async function deleteAbsences(trx: Transaction<Database>, schoolId: string, rows: Array<{ studentId: string; day: string; session: 'morning' | 'afternoon' }>) {
  if (rows.length === 0) return;
  await trx
    .deleteFrom('attendance')
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or(rows.map((r) => eb.and([eb('student_id', '=', r.studentId), eb('day', '=', r.day), eb('session', '=', r.session)]))))
    .execute();
}
