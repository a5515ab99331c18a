import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import type { AppUserTable, Database, OrgUnitKind, Role } from '../../db/schema.js';
import { lockedUntilSql } from '../../platform/login-throttle.repo.js';
import type { NameSearch } from '../../platform/name-search.js';
import { escapeLike, startsNameWords } from '../../platform/name-search.repo.js';

type Db = Kysely<Database> | Transaction<Database>;

const userColumns = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.is_active',
  'u.must_change_password',
  'u.last_login_at',
  'u.staff_school_id',
  'u.staff_id',
  'u.student_school_id',
  'u.student_id',
] as const;

/** Sign-in locked anywhere (a (name, client) pair or the account back-off), until when. */
const lockedUntil = () => lockedUntilSql('u.username').as('locked_until');

/**
 * Accounts with at least one grant on one of `unitIds`, optionally found by a search: each word
 * typed starts a word of the display name, or the query starts the user name.
 */
export async function usersWithGrantsIn(db: Db, unitIds: string[], search?: NameSearch) {
  if (unitIds.length === 0) return [];
  let q = db
    .selectFrom('app_user as u')
    .select(userColumns)
    .select(lockedUntil)
    .where((eb) => eb.exists(eb.selectFrom('role_grant as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.org_unit_id', 'in', unitIds)));
  if (search) {
    // f_unaccent first: lower() only folds ASCII under the C locale PGlite runs with.
    q = q.where((eb) =>
      eb.or([startsNameWords(sql<string>`lower(f_unaccent(u.display_name))`, search.words), eb('u.username', 'like', `${escapeLike(search.raw.toLowerCase())}%`)]),
    );
  }
  return q.execute();
}

export async function findUser(db: Db, userId: string) {
  return db.selectFrom('app_user as u').select(userColumns).select(lockedUntil).where('u.id', '=', userId).executeTakeFirst();
}

export async function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('app_user').select(['id']).where('username', '=', username).executeTakeFirst();
}

export async function userLinkedTo(db: Db, link: { staff?: { schoolId: string; staffId: string }; student?: { schoolId: string; studentId: string } }) {
  let q = db.selectFrom('app_user').select(['id', 'username']);
  if (link.staff) q = q.where('staff_school_id', '=', link.staff.schoolId).where('staff_id', '=', link.staff.staffId);
  if (link.student) q = q.where('student_school_id', '=', link.student.schoolId).where('student_id', '=', link.student.studentId);
  return q.executeTakeFirst();
}

export async function grantsOfUsers(db: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('role_grant')
    .select(['id', 'user_id', 'role', 'org_unit_id', 'created_at'])
    .where('user_id', 'in', userIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute() as Promise<{ id: string; user_id: string; role: Role; org_unit_id: string; created_at: unknown }[]>;
}

/** The unit of the user's oldest grant: what the access hook checks first for /users/:userId/… */
export async function firstGrantUnit(db: Db, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('role_grant')
    .select('org_unit_id')
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.org_unit_id ?? null;
}

/** Every version of the units, to name them as they are today (or as they were last, when closed). */
export async function unitVersions(db: Db, unitIds: string[]) {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('org_unit_version as v')
    .innerJoin('org_unit as u', 'u.id', 'v.unit_id')
    .select(['v.unit_id', 'u.kind', 'v.name', 'v.valid_from', 'v.valid_to'])
    .where('v.unit_id', 'in', unitIds)
    .orderBy('v.valid_from')
    .execute() as Promise<{ unit_id: string; kind: OrgUnitKind; name: string; valid_from: string; valid_to: string | null }[]>;
}

export async function findStaffInSchool(db: Db, schoolId: string, staffId: string) {
  return db.selectFrom('staff').select(['id', 'status']).where('school_id', '=', schoolId).where('id', '=', staffId).executeTakeFirst();
}

export async function findCurrentStudentInSchool(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('student')
    .select(['id'])
    .where('school_id', '=', schoolId)
    .where('id', '=', studentId)
    .where('is_current', '=', true)
    .executeTakeFirst();
}

// ---------------------------------------------------------------- account writes

export async function insertUser(trx: Transaction<Database>, user: Insertable<AppUserTable>): Promise<void> {
  await trx.insertInto('app_user').values(user).execute();
}

export async function insertGrant(trx: Transaction<Database>, grant: { id: string; userId: string; role: Role; orgUnitId: string }): Promise<void> {
  await trx.insertInto('role_grant').values({ id: grant.id, user_id: grant.userId, role: grant.role, org_unit_id: grant.orgUnitId }).execute();
}

export async function deleteGrant(trx: Transaction<Database>, userId: string, grantId: string): Promise<void> {
  await trx.deleteFrom('role_grant').where('id', '=', grantId).where('user_id', '=', userId).execute();
}

/** A password someone else set: the account must choose its own at the next sign-in. */
export async function setTemporaryPassword(trx: Transaction<Database>, userId: string, hash: string): Promise<void> {
  await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: true }).where('id', '=', userId).execute();
}

// ---------------------------------------------------------------- audit

export type AuditFilter = {
  unitIds: string[];
  /** Also rows that belong to no unit (system administrators). */
  includeUnitless?: boolean;
  userId?: string;
  entity?: string;
  /** Inclusive lower bound, an ISO timestamp with offset. */
  fromTs?: string;
  /** Exclusive upper bound, an ISO timestamp with offset. */
  toTs?: string;
};

function auditQuery(db: Db, f: AuditFilter) {
  // A row belongs to its unit, and an event about an account also to every unit that held one of
  // the account's grants (subject_unit_ids): a school sees the lockouts of its accounts.
  let q = db.selectFrom('audit_log as a').where((eb) =>
    eb.or([
      eb('a.org_unit_id', 'in', f.unitIds),
      sql<boolean>`a.subject_unit_ids && ${sql.val(f.unitIds)}::uuid[]`,
      ...(f.includeUnitless ? [eb('a.org_unit_id', 'is', null)] : []),
    ]),
  );
  if (f.userId) q = q.where('a.user_id', '=', f.userId);
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.fromTs) q = q.where(sql<boolean>`a.at >= ${f.fromTs}::timestamptz`);
  if (f.toTs) q = q.where(sql<boolean>`a.at < ${f.toTs}::timestamptz`);
  return q;
}

export async function countAudit(db: Db, f: AuditFilter): Promise<number> {
  if (f.unitIds.length === 0) return 0;
  const row = await auditQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listAudit(db: Db, f: AuditFilter, page: { limit: number; offset: number }) {
  if (f.unitIds.length === 0) return [];
  return auditQuery(db, f)
    .select(['a.id', 'a.at', 'a.user_id', 'a.username', 'a.action', 'a.entity', 'a.entity_id', 'a.org_unit_id', 'a.before', 'a.after', 'a.target_label'])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Names of the records a page of audit rows points at (ids of any school: a transfer names both sides). */
export async function auditRefNames(db: Db, ids: { class: string[]; staff: string[]; user: string[]; student: string[] }) {
  const [classes, staff, users, students] = await Promise.all([
    ids.class.length ? db.selectFrom('class').select(['id', 'name']).where('id', 'in', ids.class).execute() : [],
    ids.staff.length ? db.selectFrom('staff').select(['id', 'family_name', 'middle_name', 'given_name']).where('id', 'in', ids.staff).execute() : [],
    ids.user.length ? db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids.user).execute() : [],
    ids.student.length ? db.selectFrom('student').select(['id', 'family_name', 'middle_name', 'given_name']).where('id', 'in', ids.student).execute() : [],
  ]);
  return { classes, staff, users, students };
}

/** The accounts that wrote a page of audit rows: their names and roles today. */
export async function auditActors(db: Db, userIds: string[]) {
  if (userIds.length === 0) return { users: [], grants: [] };
  const [users, grants] = await Promise.all([
    db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', userIds).execute(),
    db.selectFrom('role_grant').select(['user_id', 'role']).where('user_id', 'in', userIds).execute(),
  ]);
  return { users, grants };
}
