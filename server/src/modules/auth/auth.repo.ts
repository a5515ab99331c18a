import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Id, kind and name on `asOf` of the given units; a unit closed by then is left out. */
export async function unitNamesOn(db: Db, unitIds: string[], asOf: string) {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    // The levels a school's record declares come with its name (the web's menu reads them).
    .select(['u.id', 'u.kind', 'v.name', 'v.school_levels'])
    .where('u.id', 'in', unitIds)
    .where('v.valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', asOf)]))
    .execute();
}

/** The grades each school has classes of, in any year. */
export async function classGradesOf(db: Db, schoolIds: string[]) {
  if (schoolIds.length === 0) return [];
  return db.selectFrom('class').select(['school_id', 'grade']).distinct().where('school_id', 'in', schoolIds).execute();
}

/**
 * The current student records of the children this account is the guardian of, and, for a
 * student's own account, that student's own current record (`self`: what "Con của tôi" shows it,
 * read only). A student account sees its own record only, never a classmate's or a sibling's.
 */
export async function childrenOfGuardian(db: Db, userId: string) {
  return db
    .selectFrom('guardian as g')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'g.school_id').onRef('s.id', '=', 'g.student_id'))
    .select(['s.school_id', 's.id', 's.family_name', 's.middle_name', 's.given_name'])
    .select(sql<boolean>`false`.as('self'))
    .where('g.user_id', '=', userId)
    .where('s.is_current', '=', true)
    .unionAll(
      db
        .selectFrom('app_user as u')
        .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'u.student_school_id').onRef('s.id', '=', 'u.student_id'))
        .select(['s.school_id', 's.id', 's.family_name', 's.middle_name', 's.given_name'])
        .select(sql<boolean>`true`.as('self'))
        .where('u.id', '=', userId)
        .where('s.is_current', '=', true),
    )
    .execute();
}

export async function passwordHashOf(db: Db, userId: string): Promise<string> {
  return (await db.selectFrom('app_user').select(['password_hash']).where('id', '=', userId).executeTakeFirstOrThrow()).password_hash;
}

/** The same password's hash at today's setting (decision 0021), unless the password changed meanwhile. */
export async function upgradePasswordHash(db: Db, userId: string, checked: string, fresh: string): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: fresh }).where('id', '=', userId).where('password_hash', '=', checked).execute();
}

/** Stores a new password the account chose itself, so it no longer has to change it. */
export async function setOwnPassword(trx: Transaction<Database>, userId: string, hash: string): Promise<void> {
  await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: false }).where('id', '=', userId).execute();
}
