import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database, LeaveRequestStatus } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const columns = [
  'r.id',
  'r.school_id',
  'r.student_id',
  'r.class_id',
  'r.from_day',
  'r.to_day',
  'r.part',
  'r.reason',
  'r.status',
  'r.requested_by_label',
  'r.created_at',
  'r.decided_by_label',
  'r.decided_at',
  'r.decision_note',
  's.family_name',
  's.middle_name',
  's.given_name',
  'c.name as class_name',
  'c.session as class_session',
  'c.homeroom_teacher_id',
] as const;

const base = (db: Db, schoolId: string) =>
  db
    .selectFrom('leave_request as r')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'r.school_id').onRef('s.id', '=', 'r.student_id'))
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'r.school_id').onRef('c.id', '=', 'r.class_id'))
    .select(columns)
    .where('r.school_id', '=', schoolId);

export type LeaveRow = Awaited<ReturnType<typeof findLeaveRequest>> & object;

export async function findLeaveRequest(db: Db, schoolId: string, id: string) {
  return base(db, schoolId).where('r.id', '=', id).executeTakeFirst();
}

/** A child's requests, latest days first. */
export async function listStudentLeaveRequests(db: Db, schoolId: string, studentId: string) {
  return base(db, schoolId).where('r.student_id', '=', studentId).orderBy('r.from_day', 'desc').orderBy('r.created_at', 'desc').limit(200).execute();
}

/** The requests of the classes a teacher is homeroom teacher of: pending first (the service orders), the latest 300. */
export async function listHomeroomLeaveRequests(db: Db, schoolId: string, staffId: string, onlyPending: boolean) {
  let q = base(db, schoolId).where('c.homeroom_teacher_id', '=', staffId);
  if (onlyPending) q = q.where('r.status', '=', 'pending');
  return q.orderBy('r.created_at', 'desc').limit(300).execute();
}

/** A pending or approved request of the child whose days meet [from, to]. */
export async function findOverlapping(db: Db, schoolId: string, studentId: string, from: string, to: string) {
  return db
    .selectFrom('leave_request')
    .select(['id', 'from_day', 'to_day', 'status'])
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('status', 'in', ['pending', 'approved'])
    .where('from_day', '<=', to)
    .where('to_day', '>=', from)
    .executeTakeFirst();
}

export async function insertLeaveRequest(
  trx: Transaction<Database>,
  r: { id: string; schoolId: string; studentId: string; classId: string; from: string; to: string; part: 'morning' | 'afternoon' | 'full_day'; reason: string; by: string; byLabel: string },
) {
  await trx
    .insertInto('leave_request')
    .values({ id: r.id, school_id: r.schoolId, student_id: r.studentId, class_id: r.classId, from_day: r.from, to_day: r.to, part: r.part, reason: r.reason, requested_by: r.by, requested_by_label: r.byLabel })
    .execute();
}

/** Moves a request from one status to the next; false when it was no longer in `from` (a concurrent step won). */
export async function moveLeaveRequest(
  trx: Transaction<Database>,
  id: string,
  from: LeaveRequestStatus,
  to: LeaveRequestStatus,
  decision?: { by: string; byLabel: string; note: string | null },
): Promise<boolean> {
  const res = await trx
    .updateTable('leave_request')
    .set({
      status: to,
      ...(decision ? { decided_by: decision.by, decided_by_label: decision.byLabel, decided_at: sql<Date>`now()`, decision_note: decision.note } : { ended_at: sql<Date>`now()` }),
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
