import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledOnce } from '../../db/connection.js';
import type { ClassRow, Database } from '../../db/schema.js';

// The lookups every students service shares: school, years and classes, one student, uniqueness
// of ids, temporary-code counters. The list, the profile and the writes have their own repos
// (students-list.repo.ts, students-profile.repo.ts, students-writes.repo.ts).

type Db = Kysely<Database> | Transaction<Database>;

export const STATUS_LIST = 'DM_TRANG_THAI_HOC_SINH';
export const ETHNICITY_LIST = 'DM_DAN_TOC';
export const RELIGION_LIST = 'DM_TON_GIAO';

// ---------------------------------------------------------------- schools, years, classes

export async function schoolYears(db: Db, schoolId: string) {
  return db.selectFrom('school_year').selectAll().where('school_id', '=', schoolId).orderBy('year').execute();
}

/** The code of a unit (fixed when it is created). */
export async function unitCode(db: Db, unitId: string): Promise<string | null | undefined> {
  return (await db.selectFrom('org_unit').select('code').where('id', '=', unitId).executeTakeFirst())?.code;
}

/** Code and newest name of a unit (a closed school keeps the name it had last). */
export async function schoolInfo(db: Db, schoolId: string) {
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .select(['u.id', 'u.kind', 'u.code', 'v.name'])
    .where('u.id', '=', schoolId)
    .orderBy('v.valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Newest name of each unit. */
export async function unitNames(db: Db, unitIds: string[]): Promise<Map<string, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('org_unit_version')
    .distinctOn('unit_id')
    .select(['unit_id', 'name'])
    .where('unit_id', 'in', unitIds)
    .orderBy('unit_id')
    .orderBy('valid_from', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.unit_id, r.name]));
}

export async function findClass(db: Db, schoolId: string, classId: string) {
  return db.selectFrom('class').selectAll().where('school_id', '=', schoolId).where('id', '=', classId).executeTakeFirst();
}

/**
 * A class of the school with all the school's years (what deciding whether it may take a student
 * needs), in one statement compiled once: every admission and class transfer asks it.
 */
export async function classWithSchoolYears(db: Db, schoolId: string, classId: string) {
  return (await classWithYearsQuery(db, schoolId, classId))[0];
}

const classWithYearsQuery = compiledOnce('class_with_school_years', 2, (db, schoolId, classId) =>
  db
    .selectFrom('class as c')
    .selectAll('c')
    .select((eb) => jsonArrayFrom(eb.selectFrom('school_year as y').selectAll('y').whereRef('y.school_id', '=', 'c.school_id').orderBy('y.year')).as('school_years'))
    .where('c.school_id', '=', schoolId)
    .where('c.id', '=', classId),
);

/**
 * The same class with its school's years, and the next number of the school's temporary codes with
 * `prefix` taken in the same statement (null when the school has no counter for it yet): what an
 * admission without a learner id needs before it writes, in one round trip. A number taken for a
 * class that is then refused is skipped, as a sequence would skip it.
 *
 * The statement commits without waiting for the disk (synchronous_commit off for this one
 * transaction): the school's counter row is locked for microseconds, not for a disk flush, so
 * admissions of one school do not queue on it. Nothing is lost by that: the admission that uses
 * the number commits later and waits for the disk, which writes the log in order, so the counter's
 * move is on disk before any record carrying its number is; after a crash before that, the number
 * was never used.
 */
export async function classWithSchoolYearsAndTempSeq(db: Kysely<Database>, schoolId: string, classId: string, prefix: string) {
  const r = await sql<ClassRow & { school_years: Selectable<Database['school_year']>[]; temp_seq: string | null }>`/* prepared: class_and_temp_seq */
    with no_flush_wait as (select set_config('synchronous_commit', 'off', true)),
    taken as (
      update temp_code_counter set last_seq = last_seq + 1
      from no_flush_wait where school_id = ${schoolId} and prefix = ${prefix}
      returning last_seq
    )
    select c.*,
      (select coalesce(json_agg(y order by y.year), '[]') from school_year y where y.school_id = c.school_id) as school_years,
      (select last_seq from taken) as temp_seq
    from class c where c.school_id = ${schoolId} and c.id = ${classId}`.execute(db);
  return r.rows[0];
}

// ---------------------------------------------------------------- one student

export async function findStudent(db: Db, schoolId: string, studentId: string) {
  return db.selectFrom('student').selectAll().where('school_id', '=', schoolId).where('id', '=', studentId).executeTakeFirst();
}

/** Same, locking the row until the transaction ends (two concurrent changes queue up). */
export async function lockStudent(trx: Transaction<Database>, schoolId: string, studentId: string) {
  return trx
    .selectFrom('student')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', studentId)
    .forUpdate()
    .executeTakeFirst();
}

export async function openEnrolment(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('enrolment')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('end_date', 'is', null)
    .orderBy('start_date', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ---------------------------------------------------------------- uniqueness

/** A current student (any school) holding this learner id, other than `exceptId`. */
export async function currentWithLearnerId(db: Db, learnerId: string, except?: { schoolId: string; id: string }) {
  let qb = db.selectFrom('student').select(['school_id', 'id']).where('learner_id', '=', learnerId).where('is_current', '=', true);
  if (except) qb = qb.where((eb) => eb.not(eb.and([eb('school_id', '=', except.schoolId), eb('id', '=', except.id)])));
  return qb.executeTakeFirst();
}

export async function currentWithCitizenId(db: Db, citizenId: string, except?: { schoolId: string; id: string }) {
  let qb = db.selectFrom('student').select(['school_id', 'id']).where('citizen_id', '=', citizenId).where('is_current', '=', true);
  if (except) qb = qb.where((eb) => eb.not(eb.and([eb('school_id', '=', except.schoolId), eb('id', '=', except.id)])));
  return qb.executeTakeFirst();
}

/**
 * Takes `count` consecutive numbers of the school's temporary codes with this prefix and returns
 * the last. A short statement of its own where it can be (the admission form): the counter row is
 * then locked only while PostgreSQL runs it, not until a longer transaction commits.
 */
export async function takeTempSeqs(db: Db, schoolId: string, prefix: string, count: number): Promise<number> {
  const taken = await db
    .updateTable('temp_code_counter')
    .set({ last_seq: sql`last_seq + ${count}` })
    .where('school_id', '=', schoolId)
    .where('prefix', '=', prefix)
    .returning('last_seq')
    .executeTakeFirst();
  if (taken) return Number(taken.last_seq);
  // First use of this prefix: start after the highest number already in use. Two first uses at
  // once both insert; the second finds the row and adds to it.
  const seeded = await db
    .insertInto('temp_code_counter')
    .values({ school_id: schoolId, prefix, last_seq: (await highestTempSeqInUse(db, schoolId, prefix)) + count })
    .onConflict((oc) => oc.columns(['school_id', 'prefix']).doUpdateSet({ last_seq: sql`temp_code_counter.last_seq + ${count}` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(seeded.last_seq);
}

/** Makes sure the counter never issues a number up to `seq` (codes an import file brings along). */
export async function raiseTempSeqFloor(db: Db, schoolId: string, prefix: string, seq: number): Promise<void> {
  await takeTempSeqs(db, schoolId, prefix, 0);
  await db
    .updateTable('temp_code_counter')
    .set({ last_seq: sql`greatest(last_seq, ${seq})` })
    .where('school_id', '=', schoolId)
    .where('prefix', '=', prefix)
    .execute();
}

async function highestTempSeqInUse(db: Db, schoolId: string, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('student')
    .select('temp_code')
    .where('school_id', '=', schoolId)
    .where('temp_code', 'like', `${prefix}%`)
    .orderBy(sql`length(temp_code) desc`)
    .orderBy(sql`temp_code collate "C" desc`)
    .limit(1)
    .executeTakeFirst();
  const last = row?.temp_code ? Number(row.temp_code.slice(prefix.length)) : 0;
  return Number.isSafeInteger(last) ? last : 0;
}
