import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import type { ActivationCodeTable, Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------- the school's side

/** The current students of a class (the record's current class), in class-list order. */
export async function classStudents(db: Db, schoolId: string, classId: string, onlyIds?: string[]) {
  let q = db
    .selectFrom('student')
    .select(['id', 'family_name', 'middle_name', 'given_name', 'date_of_birth'])
    .where('school_id', '=', schoolId)
    .where('current_class_id', '=', classId)
    .where('is_current', '=', true);
  if (onlyIds) q = q.where('id', 'in', onlyIds.length ? onlyIds : ['00000000-0000-0000-0000-000000000000']);
  return q.orderBy('name_sort_key').orderBy('id').execute();
}

export async function guardiansOfStudents(db: Db, schoolId: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('guardian')
    .select(['id', 'student_id', 'relation', 'full_name', 'user_id'])
    .where('school_id', '=', schoolId)
    .where('student_id', 'in', studentIds)
    .orderBy('student_id')
    .orderBy(sql`case relation when 'mother' then 0 when 'father' then 1 else 2 end`)
    .orderBy('id')
    .execute();
}

/** Every printed code of the students (newest first per student), used or not. */
export async function printedCodesOf(db: Db, schoolId: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('activation_code')
    .select(['id', 'student_id', 'kind', 'guardian_id', 'created_at', 'expires_at', 'used_at', 'revoked_at'])
    .where('school_id', '=', schoolId)
    .where('student_id', 'in', studentIds)
    .where('kind', 'in', ['guardian', 'student'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The students' own accounts (app_user linked to the record), with when they were made. */
export async function studentAccountsOf(db: Db, schoolId: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('app_user')
    .select(['id', 'student_id', 'created_at'])
    .where('student_school_id', '=', schoolId)
    .where('student_id', 'in', studentIds)
    .execute();
}

/** When each linked guardian's link was made: the activation that used a code of that guardian (null: linked otherwise, e.g. by the demo or an import). */
export async function guardianActivations(db: Db, schoolId: string, guardianIds: string[]) {
  if (guardianIds.length === 0) return [];
  return db
    .selectFrom('activation_code')
    .select(['guardian_id', (eb) => eb.fn.max('used_at').as('used_at')])
    .where('school_id', '=', schoolId)
    .where('guardian_id', 'in', guardianIds)
    .where('used_at', 'is not', null)
    .groupBy('guardian_id')
    .execute();
}

/** A reprint: the students' printed codes not yet used stop working. */
export async function revokeUnusedCodes(trx: Transaction<Database>, schoolId: string, studentIds: string[]): Promise<void> {
  if (studentIds.length === 0) return;
  await trx
    .updateTable('activation_code')
    .set({ revoked_at: new Date() })
    .where('school_id', '=', schoolId)
    .where('student_id', 'in', studentIds)
    .where('kind', 'in', ['guardian', 'student'])
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertCodes(trx: Db, rows: Insertable<ActivationCodeTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('activation_code').values(rows).execute();
}

/** Per school: current students, students with a printed code, students with at least one linked guardian. */
export async function adoptionRows(db: Db, schoolIds: string[]) {
  if (schoolIds.length === 0) return [];
  return db
    .selectFrom('student as s')
    .select((eb) => [
      's.school_id',
      eb.fn.countAll<string>().as('students'),
      eb.fn
        .count<string>(
          eb
            .case()
            .when(eb.exists(eb.selectFrom('activation_code as c').select('c.id').whereRef('c.school_id', '=', 's.school_id').whereRef('c.student_id', '=', 's.id').where('c.kind', 'in', ['guardian', 'student'])))
            .then(1)
            .end(),
        )
        .as('printed'),
      eb.fn
        .count<string>(
          eb
            .case()
            .when(eb.exists(eb.selectFrom('guardian as g').select('g.id').whereRef('g.school_id', '=', 's.school_id').whereRef('g.student_id', '=', 's.id').where('g.user_id', 'is not', null)))
            .then(1)
            .end(),
        )
        .as('activated'),
      // Families active in the last 7 days: a guardian's account signed in, or used a session, since.
      eb.fn
        .count<string>(
          eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('guardian as g')
                  .innerJoin('app_user as u', 'u.id', 'g.user_id')
                  .select('g.id')
                  .whereRef('g.school_id', '=', 's.school_id')
                  .whereRef('g.student_id', '=', 's.id')
                  .where((w) =>
                    w.or([
                      w('u.last_login_at', '>', sql<Date>`now() - interval '7 days'`),
                      w.exists(w.selectFrom('user_session as us').select('us.user_id').whereRef('us.user_id', '=', 'u.id').where('us.last_seen_at', '>', sql<Date>`now() - interval '7 days'`)),
                    ]),
                  ),
              ),
            )
            .then(1)
            .end(),
        )
        .as('active7'),
    ])
    .where('s.school_id', 'in', schoolIds)
    .where('s.is_current', '=', true)
    .groupBy('s.school_id')
    .execute();
}

// ---------------------------------------------------------------- the family's side

/** A code by its hash, with the student it is for (current record only) and the class the student is in. */
export async function codeByHash(db: Db, hash: string) {
  return db
    .selectFrom('activation_code as c')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'c.school_id').onRef('s.id', '=', 'c.student_id'))
    .leftJoin('class as k', (j) => j.onRef('k.school_id', '=', 's.school_id').onRef('k.id', '=', 's.current_class_id'))
    .leftJoin('guardian as g', (j) => j.onRef('g.school_id', '=', 'c.school_id').onRef('g.id', '=', 'c.guardian_id'))
    .select([
      'c.id',
      'c.school_id',
      'c.student_id',
      'c.kind',
      'c.guardian_id',
      'c.expires_at',
      'c.used_at',
      'c.revoked_at',
      's.family_name',
      's.middle_name',
      's.given_name',
      's.date_of_birth',
      's.is_current',
      'k.name as class_name',
      'k.grade',
      'g.full_name as guardian_name',
      'g.relation',
      'g.user_id as guardian_user_id',
    ])
    .where('c.code_hash', '=', hash)
    .executeTakeFirst();
}

/** The row again inside the transaction, locked: two activations with one code cannot both pass. */
export async function lockCode(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('activation_code').select(['id', 'used_at', 'revoked_at', 'expires_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markCodeUsed(trx: Transaction<Database>, id: string, userId: string): Promise<void> {
  await trx.updateTable('activation_code').set({ used_at: new Date(), used_by: userId }).where('id', '=', id).execute();
}

/** Links the guardian row to the account, when it has none yet (the count says whether it did). */
export async function linkGuardian(trx: Transaction<Database>, schoolId: string, guardianId: string, userId: string): Promise<number> {
  const r = await trx.updateTable('guardian').set({ user_id: userId }).where('school_id', '=', schoolId).where('id', '=', guardianId).where('user_id', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Another guardian row of the same child already linked to this account (a parent recorded twice). */
export async function guardianLinkedTo(db: Db, schoolId: string, studentId: string, userId: string) {
  return db.selectFrom('guardian').select('id').where('school_id', '=', schoolId).where('student_id', '=', studentId).where('user_id', '=', userId).executeTakeFirst();
}

export async function studentAccountOf(db: Db, schoolId: string, studentId: string) {
  return db.selectFrom('app_user').select('id').where('student_school_id', '=', schoolId).where('student_id', '=', studentId).executeTakeFirst();
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  return !!(await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst());
}

export async function insertAccount(
  trx: Transaction<Database>,
  user: { id: string; username: string; passwordHash: string; displayName: string; student: { schoolId: string; studentId: string } | null },
): Promise<void> {
  await trx
    .insertInto('app_user')
    .values({
      id: user.id,
      username: user.username,
      password_hash: user.passwordHash,
      display_name: user.displayName,
      student_school_id: user.student?.schoolId ?? null,
      student_id: user.student?.studentId ?? null,
    })
    .execute();
}

export async function hasGrant(db: Db, userId: string, role: 'parent' | 'student', unitId: string): Promise<boolean> {
  return !!(await db.selectFrom('role_grant').select('id').where('user_id', '=', userId).where('role', '=', role).where('org_unit_id', '=', unitId).executeTakeFirst());
}

export async function insertGrant(trx: Transaction<Database>, grant: { id: string; userId: string; role: 'parent' | 'student'; unitId: string }): Promise<void> {
  await trx.insertInto('role_grant').values({ id: grant.id, user_id: grant.userId, role: grant.role, org_unit_id: grant.unitId }).execute();
}

/** The current record of a learner by Ministry id and date of birth. */
export async function learnerByIdAndBirth(db: Db, learnerId: string, dateOfBirth: string) {
  return db
    .selectFrom('student')
    .select(['school_id', 'id', 'family_name', 'middle_name', 'given_name'])
    .where('learner_id', '=', learnerId)
    .where('date_of_birth', '=', dateOfBirth)
    .where('is_current', '=', true)
    .executeTakeFirst();
}

/** The guardians of a student with a contact on record. */
export async function guardianContacts(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('guardian')
    .select(['id', 'full_name', 'relation', 'phone', 'email', 'user_id'])
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .orderBy('id')
    .execute();
}

/** The student's sent codes still open (not used, not replaced, not expired), newest first. */
export async function openContactCodes(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('activation_code')
    .select(['id', 'code_hash', 'guardian_id'])
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('kind', '=', 'contact')
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .execute();
}

/** A new sent code replaces the ones sent before for the student. */
export async function revokeContactCodes(trx: Db, schoolId: string, studentId: string): Promise<void> {
  await trx
    .updateTable('activation_code')
    .set({ revoked_at: new Date() })
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('kind', '=', 'contact')
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

// ---------------------------------------------------------------- attempts

/**
 * Counts one attempt for each key in its window (a window older than `windowMinutes` starts
 * again) and returns each key's count, in one statement, before the code is checked.
 */
export async function takeAttempts(db: Db, keys: string[], windowMinutes: number) {
  const rows = await db
    .insertInto('activation_attempt')
    .values(keys.map((key) => ({ key, attempts: 1 })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        attempts: sql`case when activation_attempt.window_started_at < now() - ${windowMinutes}::int * interval '1 minute' then 1 else activation_attempt.attempts + 1 end`,
        window_started_at: sql`case when activation_attempt.window_started_at < now() - ${windowMinutes}::int * interval '1 minute' then now() else activation_attempt.window_started_at end`,
      }),
    )
    .returning(['key', 'attempts'])
    .execute();
  return rows;
}

/** A right code: its attempt is given back to each key. */
export async function giveBackAttempts(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.updateTable('activation_attempt').set({ attempts: sql`greatest(attempts - 1, 0)` }).where('key', 'in', keys).execute();
}

/** Windows long over are forgotten. */
export async function pruneAttempts(db: Db, olderThanMinutes: number): Promise<void> {
  await db.deleteFrom('activation_attempt').where('window_started_at', '<', sql<Date>`now() - ${olderThanMinutes}::int * interval '1 minute'`).execute();
}

/**
 * Per school, the announcements sent in the last 30 days that reached its students' families: how
 * many, how many children's families they reached in all, and how many of those a family member read.
 */
export async function announcementReachRows(db: Db, schoolIds: string[]) {
  if (schoolIds.length === 0) return [];
  return db
    .selectFrom('announcement_student as t')
    .innerJoin('announcement as a', 'a.id', 't.announcement_id')
    .select((eb) => [
      't.school_id',
      eb.fn.count<string>('t.announcement_id').distinct().as('sent'),
      eb.fn.countAll<string>().as('reached'),
      eb.fn
        .count<string>(
          eb
            .case()
            .when(eb.exists(eb.selectFrom('announcement_read as r').select('r.user_id').whereRef('r.announcement_id', '=', 't.announcement_id').whereRef('r.student_id', '=', 't.student_id')))
            .then(1)
            .end(),
        )
        .as('read'),
    ])
    .where('t.school_id', 'in', schoolIds)
    .where('a.status', '=', 'sent')
    .where('a.sent_at', '>', sql<Date>`now() - interval '30 days'`)
    .groupBy('t.school_id')
    .execute();
}
