import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The child as the contact book names them, with their current class and its homeroom teacher. */
export async function findContactStudent(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('student as s')
    .leftJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
    .select(['s.id', 's.family_name', 's.middle_name', 's.given_name', 's.current_class_id', 'c.name as class_name', 'c.year', 'c.session', 'c.homeroom_teacher_id'])
    .where('s.school_id', '=', schoolId)
    .where('s.id', '=', studentId)
    .executeTakeFirst();
}
export type ContactStudent = NonNullable<Awaited<ReturnType<typeof findContactStudent>>>;

/** Staff of the school by id: the names and sex a teacher is addressed by ("Cô Lê Thị Hoa"). Never a phone or e-mail. */
export async function listStaffNames(db: Db, schoolId: string, staffIds: string[]) {
  if (staffIds.length === 0) return [];
  return db.selectFrom('staff').select(['id', 'family_name', 'middle_name', 'given_name', 'sex']).where('school_id', '=', schoolId).where('id', 'in', staffIds).execute();
}

/** The subject teachers of a class this year (every term), with the subjects' names. */
export async function listClassSubjectTeachers(db: Db, schoolId: string, classId: string) {
  return db
    .selectFrom('teaching_assignment as a')
    .innerJoin('subject as s', 's.code', 'a.subject_code')
    .select(['a.staff_id', 's.name as subject_name', 's.sort_order'])
    .where('a.school_id', '=', schoolId)
    .where('a.class_id', '=', classId)
    .orderBy('s.sort_order')
    .execute();
}

/** The active accounts of a staff member (who is told). */
export async function staffUserIds(db: Db, schoolId: string, staffId: string): Promise<string[]> {
  const rows = await db.selectFrom('app_user').select('id').where('staff_school_id', '=', schoolId).where('staff_id', '=', staffId).where('is_active', '=', true).execute();
  return rows.map((r) => r.id);
}

/** The accounts linked to a child as guardians. */
export async function guardianUserIds(db: Db, schoolId: string, studentId: string): Promise<string[]> {
  const rows = await db.selectFrom('guardian').select('user_id').where('school_id', '=', schoolId).where('student_id', '=', studentId).where('user_id', 'is not', null).execute();
  return [...new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : [])))];
}

/** The principals of a school (who read reported messages). */
export async function principalUserIds(db: Db, schoolId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grant as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select('u.id')
    .where('g.org_unit_id', '=', schoolId)
    .where('g.role', '=', 'principal')
    .where('u.is_active', '=', true)
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}

export async function findContactSetting(db: Db, schoolId: string) {
  return db.selectFrom('contact_setting').select(['subject_teacher_messages']).where('school_id', '=', schoolId).executeTakeFirst();
}

export async function saveContactSetting(trx: Transaction<Database>, schoolId: string, subjectTeacherMessages: boolean, by: string) {
  await trx
    .insertInto('contact_setting')
    .values({ school_id: schoolId, subject_teacher_messages: subjectTeacherMessages, updated_by: by })
    .onConflict((oc) => oc.column('school_id').doUpdateSet({ subject_teacher_messages: subjectTeacherMessages, updated_by: by, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function findQuietHours(db: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('quiet_hours').select(['user_id', 'quiet_from', 'quiet_to']).where('user_id', 'in', userIds).execute();
}

export async function saveQuietHours(db: Db, userId: string, hours: { from: number; to: number } | null) {
  if (!hours) {
    await db.deleteFrom('quiet_hours').where('user_id', '=', userId).execute();
    return;
  }
  await db
    .insertInto('quiet_hours')
    .values({ user_id: userId, quiet_from: hours.from, quiet_to: hours.to })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ quiet_from: hours.from, quiet_to: hours.to, updated_at: sql<Date>`now()` }))
    .execute();
}

const threadColumns = ['t.id', 't.school_id', 't.student_id', 't.kind', 't.staff_id', 't.closed_at', 't.last_message_at', 't.family_read_at', 't.staff_read_at'] as const;

/** A child's threads (homeroom and subject teachers'). */
export async function listStudentThreads(db: Db, schoolId: string, studentId: string) {
  return db.selectFrom('message_thread as t').select(threadColumns).where('t.school_id', '=', schoolId).where('t.student_id', '=', studentId).execute();
}

export async function findThread(db: Db, schoolId: string, threadId: string) {
  return db.selectFrom('message_thread as t').select(threadColumns).where('t.school_id', '=', schoolId).where('t.id', '=', threadId).executeTakeFirst();
}
export type ThreadRow = NonNullable<Awaited<ReturnType<typeof findThread>>>;

/** The child's thread with a teacher, made on first use (one per child and teacher: the unique indexes). */
export async function ensureThread(trx: Transaction<Database>, schoolId: string, studentId: string, staffId: string | null): Promise<ThreadRow> {
  const find = () => {
    let q = trx.selectFrom('message_thread as t').select(threadColumns).where('t.school_id', '=', schoolId).where('t.student_id', '=', studentId);
    q = staffId === null ? q.where('t.kind', '=', 'homeroom') : q.where('t.kind', '=', 'subject').where('t.staff_id', '=', staffId);
    return q.executeTakeFirst();
  };
  const found = await find();
  if (found) return found;
  await trx
    .insertInto('message_thread')
    .values({ id: crypto.randomUUID(), school_id: schoolId, student_id: studentId, kind: staffId === null ? 'homeroom' : 'subject', staff_id: staffId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const made = await find();
  if (!made) throw new Error('message thread was not made');
  return made;
}

/**
 * The threads a teacher answers: the homeroom threads of the children now in the classes they are
 * homeroom teacher of, and their own subject threads (the service keeps those of classes they still teach).
 */
export async function listTeacherThreads(db: Db, schoolId: string, staffId: string, homeroom: boolean) {
  return db
    .selectFrom('message_thread as t')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 't.school_id').onRef('s.id', '=', 't.student_id'))
    .leftJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
    .select([...threadColumns, 's.family_name', 's.middle_name', 's.given_name', 's.current_class_id', 'c.name as class_name'])
    .where('t.school_id', '=', schoolId)
    .where((eb) =>
      eb.or([
        ...(homeroom ? [eb.and([eb('t.kind', '=', 'homeroom'), eb('c.homeroom_teacher_id', '=', staffId)])] : []),
        eb.and([eb('t.kind', '=', 'subject'), eb('t.staff_id', '=', staffId)]),
      ]),
    )
    .orderBy('t.last_message_at', 'desc')
    .limit(500)
    .execute();
}

/** Whether a staff member teaches a class (any subject, any term). */
export async function teachesClass(db: Db, schoolId: string, classId: string, staffId: string): Promise<boolean> {
  const row = await db.selectFrom('teaching_assignment').select('id').where('school_id', '=', schoolId).where('class_id', '=', classId).where('staff_id', '=', staffId).executeTakeFirst();
  return row !== undefined;
}

export async function listThreadMessages(db: Db, threadId: string) {
  return db
    .selectFrom('message')
    .select(['id', 'side', 'author_id', 'author_label', 'body', 'created_at', 'notify_at', 'reported_at', 'report_side'])
    .where('thread_id', '=', threadId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Per thread: the messages of each side after the other side last read, and the last message. */
export async function threadFigures(db: Db, threadIds: string[]) {
  if (threadIds.length === 0) return [];
  return db
    .selectFrom('message as m')
    .innerJoin('message_thread as t', 't.id', 'm.thread_id')
    .select((eb) => [
      'm.thread_id',
      eb.fn.count<string>('m.id').filterWhere((w) => w.and([w('m.side', '=', 'family'), w.or([w('t.staff_read_at', 'is', null), w('m.created_at', '>', w.ref('t.staff_read_at'))])])).as('unread_staff'),
      eb.fn.count<string>('m.id').filterWhere((w) => w.and([w('m.side', '=', 'staff'), w.or([w('t.family_read_at', 'is', null), w('m.created_at', '>', w.ref('t.family_read_at'))])])).as('unread_family'),
    ])
    .where('m.thread_id', 'in', threadIds)
    .groupBy('m.thread_id')
    .execute();
}

export async function lastMessages(db: Db, threadIds: string[]) {
  if (threadIds.length === 0) return [];
  return db
    .selectFrom('message')
    .distinctOn('thread_id')
    .select(['thread_id', 'body', 'created_at'])
    .where('thread_id', 'in', threadIds)
    .orderBy('thread_id')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function insertMessage(
  trx: Transaction<Database>,
  m: { id: string; threadId: string; schoolId: string; side: 'family' | 'staff'; authorId: string; authorLabel: string; body: string; notifyAt: Date | null },
) {
  await trx
    .insertInto('message')
    .values({ id: m.id, thread_id: m.threadId, school_id: m.schoolId, side: m.side, author_id: m.authorId, author_label: m.authorLabel, body: m.body, notify_at: m.notifyAt })
    .execute();
  const read = m.side === 'family' ? { family_read_at: sql<Date>`now()` } : { staff_read_at: sql<Date>`now()` };
  await trx.updateTable('message_thread').set({ last_message_at: sql<Date>`now()`, ...read }).where('id', '=', m.threadId).execute();
}

/** How many messages an account wrote since an instant (the rate limit per sender). */
export async function countRecentMessages(db: Db, authorId: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('message')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('author_id', '=', authorId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ? new Date(row.oldest) : null };
}

export async function markRead(db: Db, threadId: string, side: 'family' | 'staff') {
  await db
    .updateTable('message_thread')
    .set(side === 'family' ? { family_read_at: sql<Date>`now()` } : { staff_read_at: sql<Date>`now()` })
    .where('id', '=', threadId)
    .execute();
}

export async function setThreadClosed(trx: Transaction<Database>, threadId: string, closedBy: string | null) {
  await trx
    .updateTable('message_thread')
    .set(closedBy ? { closed_at: sql<Date>`now()`, closed_by: closedBy } : { closed_at: null, closed_by: null })
    .where('id', '=', threadId)
    .execute();
}

export async function findMessage(db: Db, schoolId: string, messageId: string) {
  return db
    .selectFrom('message')
    .select(['id', 'thread_id', 'side', 'author_id', 'author_label', 'body', 'reported_at', 'notify_at', 'created_at'])
    .where('school_id', '=', schoolId)
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/** Reports a message once: false when it was reported already. */
export async function reportMessage(trx: Transaction<Database>, messageId: string, by: string, side: 'family' | 'staff', reason: string): Promise<boolean> {
  const res = await trx
    .updateTable('message')
    .set({ reported_at: sql<Date>`now()`, reported_by: by, report_side: side, report_reason: reason })
    .where('id', '=', messageId)
    .where('reported_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The school's reported messages, newest report first: nothing else of any thread. */
export async function listReportedMessages(db: Db, schoolId: string) {
  return db
    .selectFrom('message as m')
    .innerJoin('message_thread as t', 't.id', 'm.thread_id')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 't.school_id').onRef('s.id', '=', 't.student_id'))
    .leftJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
    .leftJoin('app_user as u', 'u.id', 'm.reported_by')
    .select(['m.id', 'm.author_label', 'm.body', 'm.created_at', 'm.reported_at', 'm.report_side', 'm.report_reason', 's.family_name', 's.middle_name', 's.given_name', 'c.name as class_name', 'u.display_name as reporter'])
    .where('m.school_id', '=', schoolId)
    .where('m.reported_at', 'is not', null)
    .orderBy('m.reported_at', 'desc')
    .limit(500)
    .execute();
}

/** Holds a queued job until an instant (a message's notice during the teacher's quiet hours). */
export async function delayJob(trx: Transaction<Database>, jobId: string, runAfter: Date) {
  await trx.updateTable('background_job').set({ run_after: runAfter }).where('id', '=', jobId).execute();
}
