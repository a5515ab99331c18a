import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

// The rows an audit target's name is read from when the audit row's snapshot does not hold it
// (platform/audit-target.ts), in the transaction that writes the audit row.

type Db = Transaction<Database> | Kysely<Database>;

export async function studentNameParts(trx: Db, studentId: string) {
  return trx.selectFrom('student').select(['family_name', 'middle_name', 'given_name']).where('id', '=', studentId).executeTakeFirst();
}

export async function staffNameParts(trx: Db, staffId: string) {
  return trx.selectFrom('staff').select(['family_name', 'middle_name', 'given_name']).where('id', '=', staffId).executeTakeFirst();
}

export async function classNameAndYear(trx: Db, classId: string) {
  return trx.selectFrom('class').select(['name', 'year']).where('id', '=', classId).executeTakeFirst();
}

export async function className(trx: Db, classId: string): Promise<string | undefined> {
  return (await trx.selectFrom('class').select(['name']).where('id', '=', classId).executeTakeFirst())?.name;
}

/** The student a school transfer moves, by the record at the school they leave. */
export async function transferStudentId(trx: Db, transferId: string): Promise<string | undefined> {
  return (await trx.selectFrom('school_transfer').select('from_student_id').where('id', '=', transferId).executeTakeFirst())?.from_student_id;
}

/** The name of the unit's newest version. */
export async function latestUnitName(trx: Db, unitId: string): Promise<string | undefined> {
  return (await trx.selectFrom('org_unit_version').select('name').where('unit_id', '=', unitId).orderBy('valid_from', 'desc').executeTakeFirst())?.name;
}

export async function accountNames(trx: Db, userId: string) {
  return trx.selectFrom('app_user').select(['display_name', 'username']).where('id', '=', userId).executeTakeFirst();
}
