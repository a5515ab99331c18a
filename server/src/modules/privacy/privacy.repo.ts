import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import type { ConsentRecordTable, Database, StudentAnonymisationTable } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function consentRecordsOf(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('consent_record as c')
    .leftJoin('app_user as u', 'u.id', 'c.recorded_by')
    .selectAll('c')
    .select('u.username as recorded_by_username')
    .where('c.school_id', '=', schoolId)
    .where('c.student_id', '=', studentId)
    .orderBy('c.effective_date')
    .orderBy('c.recorded_at')
    .execute();
}

export async function insertConsentRecord(trx: Transaction<Database>, record: Insertable<ConsentRecordTable>): Promise<void> {
  await trx.insertInto('consent_record').values(record).execute();
}

export async function anonymisationOf(db: Db, schoolId: string, studentId: string) {
  return db.selectFrom('student_anonymisation').selectAll().where('school_id', '=', schoolId).where('student_id', '=', studentId).executeTakeFirst();
}

export async function guardianOfStudent(db: Db, schoolId: string, studentId: string, guardianId: string) {
  return db.selectFrom('guardian').selectAll().where('school_id', '=', schoolId).where('student_id', '=', studentId).where('id', '=', guardianId).executeTakeFirst();
}

/** The guardian row that links this parent account to the student (the first one if, oddly, several). */
export async function guardianOfAccount(db: Db, schoolId: string, studentId: string, userId: string) {
  return db
    .selectFrom('guardian')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('user_id', '=', userId)
    .orderBy('id')
    .executeTakeFirst();
}

/** Every guardian row of the student. */
export async function guardiansOf(db: Db, schoolId: string, studentId: string) {
  return db.selectFrom('guardian').selectAll().where('school_id', '=', schoolId).where('student_id', '=', studentId).orderBy('id').execute();
}

/** The sign-in accounts linked to the student record. */
export async function accountsOfStudent(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('app_user')
    .select(['username', 'display_name', 'is_active', 'last_login_at', 'created_at'])
    .where('student_school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .execute();
}

/** The name of a code in a Ministry code list, or null when the list has no such code. */
export async function codeListItemName(db: Db, list: string, code: string): Promise<string | null> {
  return (await db.selectFrom('code_list_item').select('name').where('list', '=', list).where('code', '=', code).executeTakeFirst())?.name ?? null;
}

export async function accessLogOf(db: Db, schoolId: string, studentId: string, limit: number) {
  return db
    .selectFrom('access_log as a')
    .leftJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.at', 'a.username', 'a.action', 'a.ip', 'a.user_id', 'u.display_name'])
    .where('a.school_id', '=', schoolId)
    .where('a.student_id', '=', studentId)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

export async function auditRowsAbout(db: Db, studentId: string) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'username', 'action', 'entity', 'entity_id', 'before', 'after', 'ip'])
    .where('entity', '=', 'student')
    .where('entity_id', '=', studentId)
    .orderBy('at')
    .execute();
}

/**
 * Rows of this school whose learner left (no longer on the roll: transferred out, dropped out)
 * on or before `cutoff`, who is on no school's roll today, and that are not anonymised yet.
 * `ids` narrows to the given rows (the write path re-checks its input this way).
 */
export async function eligibleForAnonymisation(db: Db, schoolId: string, cutoff: string, ids?: string[]) {
  let q = db
    .selectFrom('student as s')
    .leftJoin('code_list_item as st', (j) => j.on('st.list', '=', 'DM_TRANG_THAI_HOC_SINH').onRef('st.code', '=', 's.status_code'))
    .select([
      's.id',
      's.person_id',
      's.family_name',
      's.middle_name',
      's.given_name',
      's.learner_id',
      's.date_of_birth',
      's.status_code',
      's.status_date',
      'st.name as status_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('enrolment as e')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('e.school_id', '=', 's.school_id')
        .whereRef('e.student_id', '=', 's.id')
        .as('enrolments'),
    )
    .where('s.school_id', '=', schoolId)
    .where('s.is_current', '=', false)
    .where('s.status_date', '<=', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('student_anonymisation as a').select('a.student_id').whereRef('a.school_id', '=', 's.school_id').whereRef('a.student_id', '=', 's.id')),
      ),
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom('student as o').select('o.id').whereRef('o.person_id', '=', 's.person_id').where('o.is_current', '=', true))))
    .orderBy('s.status_date')
    .orderBy(sql`s.name_sort_key collate "C"`); // the key's order is its byte order (decision 0002)
  if (ids) q = q.where('s.id', 'in', ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000']);
  return q.execute();
}

/** Locks the rows about to be anonymised, so a concurrent edit waits and then sees them anonymised. */
export async function lockStudents(trx: Transaction<Database>, schoolId: string, ids: string[]) {
  await trx.selectFrom('student').select('id').where('school_id', '=', schoolId).where('id', 'in', ids).forUpdate().execute();
}

export async function consentCounts(trx: Transaction<Database>, schoolId: string, ids: string[]) {
  return trx
    .selectFrom('consent_record')
    .select(['student_id', 'purpose', 'action', (eb) => eb.fn.countAll<number>().as('n')])
    .where('school_id', '=', schoolId)
    .where('student_id', 'in', ids)
    .groupBy(['student_id', 'purpose', 'action'])
    .execute();
}

export async function insertAnonymisations(trx: Transaction<Database>, rows: Insertable<StudentAnonymisationTable>[]): Promise<void> {
  await trx.insertInto('student_anonymisation').values(rows).execute();
}

/** Removes the students' consent records and guardians and the notes of their events. */
export async function deleteContactsAndConsents(trx: Transaction<Database>, schoolId: string, ids: string[]): Promise<void> {
  await trx.deleteFrom('consent_record').where('school_id', '=', schoolId).where('student_id', 'in', ids).execute();
  await trx.deleteFrom('guardian').where('school_id', '=', schoolId).where('student_id', 'in', ids).execute();
  await trx.updateTable('student_event').set({ note: null }).where('school_id', '=', schoolId).where('student_id', 'in', ids).execute();
}

/**
 * Replaces the students' personal data with the placeholder name, in one statement for the batch:
 * the year of birth stays, the rest of the date goes.
 */
export async function anonymiseStudentRows(
  trx: Transaction<Database>,
  schoolId: string,
  ids: string[],
  placeholder: { given_name: string; name_sort_key: string; search_text: string },
): Promise<void> {
  await trx
    .updateTable('student')
    .set({
      family_name: '',
      middle_name: '',
      ...placeholder,
      date_of_birth: sql<string>`make_date(extract(year from date_of_birth)::int, 1, 1)`,
      learner_id: null,
      // The row still needs a code (learner id or temporary code); this one says nothing about the person.
      temp_code: sql<string>`'AN-' || id::text`,
      citizen_id: null,
      // The paper register (sổ đăng bộ) names the learner beside this number.
      register_number: null,
      religion_code: null,
      birthplace: null,
      address: null,
      updated_at: new Date(),
    })
    .where('school_id', '=', schoolId)
    .where('id', 'in', ids)
    .execute();
  // The contact book's free text about the child (messages, leave requests and their reasons, the
  // family named "Phụ huynh em …") goes: nothing of it is kept after retention (migration 0035).
  await trx.deleteFrom('message_thread').where('school_id', '=', schoolId).where('student_id', 'in', ids).execute();
  await trx.deleteFrom('leave_request').where('school_id', '=', schoolId).where('student_id', 'in', ids).execute();
}

/** Ids of the sign-in accounts linked to these students. */
export async function accountIdsOfStudents(trx: Transaction<Database>, schoolId: string, ids: string[]): Promise<string[]> {
  const rows = await trx.selectFrom('app_user').select('id').where('student_school_id', '=', schoolId).where('student_id', 'in', ids).execute();
  return rows.map((a) => a.id);
}

/** Renames and switches off the accounts and ends their sessions. */
export async function anonymiseAccounts(trx: Transaction<Database>, accountIds: string[], displayName: string): Promise<void> {
  if (accountIds.length === 0) return;
  for (const a of accountIds) {
    await trx.updateTable('app_user').set({ username: `an-danh-${a}`, display_name: displayName, is_active: false }).where('id', '=', a).execute();
  }
  await trx.deleteFrom('user_session').where('user_id', 'in', accountIds).execute();
}

/** The JSON that replaces an audit snapshot of an anonymised student. */
export const REDACTED = JSON.stringify({ anonymised: true });

/** What the audit viewer names a redacted row by, instead of the person's name it stored. */
export const REDACTED_LABEL = { student: 'Học sinh đã ẩn danh', app_user: 'Tài khoản đã ẩn danh' } as const;

export async function redactAuditRows(trx: Transaction<Database>, entity: 'student' | 'app_user', ids: string[]) {
  if (ids.length === 0) return;
  await trx
    .updateTable('audit_log')
    .set({
      before: sql`case when before is null then null else ${REDACTED}::jsonb end`,
      after: sql`case when after is null then null else ${REDACTED}::jsonb end`,
      target_label: REDACTED_LABEL[entity],
    })
    .where('entity', '=', entity)
    .where('entity_id', 'in', ids)
    .execute();
}

/** Rows about a school transfer of these students name the learner (target_label): the name goes too. */
export async function redactTransferAuditLabels(trx: Transaction<Database>, studentIds: string[]) {
  if (studentIds.length === 0) return;
  await trx
    .updateTable('audit_log')
    .set({ target_label: REDACTED_LABEL.student })
    .where('entity', '=', 'school_transfer')
    .where(
      'entity_id',
      'in',
      trx
        .selectFrom('school_transfer')
        .select(sql<string>`id::text`.as('id'))
        .where((eb) => eb.or([eb('from_student_id', 'in', studentIds), eb('to_student_id', 'in', studentIds)])),
    )
    .execute();
}
