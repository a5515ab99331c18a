import { type Kysely, type Transaction, sql } from 'kysely';
import type { AssessmentLevel, Database, ResultPeriod } from '../../db/schema.js';

// Queries of exemptions (miễn học) and of the summer re-test and training (migration 0020).

type Db = Kysely<Database> | Transaction<Database>;

/** The exemptions of a school year, of some students only when `studentIds` is given. */
export async function listExemptions(db: Db, schoolId: string, year: number, studentIds?: string[]) {
  let q = db
    .selectFrom('subject_exemption')
    .select(['student_id', 'subject_code', 'scope', 'reason', 'recorded_at'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year);
  if (studentIds) {
    if (studentIds.length === 0) return [];
    q = q.where('student_id', 'in', studentIds);
  }
  return q.execute();
}

/** The students exempt from one subject in one term of a year (a whole-year exemption covers both terms). */
export async function listExemptStudents(db: Db, schoolId: string, year: number, subjectCode: string, term: number) {
  return db
    .selectFrom('subject_exemption')
    .select(['student_id', 'scope', 'reason'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('subject_code', '=', subjectCode)
    .where('scope', 'in', ['cn', term === 1 ? 'hk1' : 'hk2'])
    .execute();
}

export async function upsertExemption(trx: Transaction<Database>, row: { schoolId: string; studentId: string; year: number; subjectCode: string; scope: ResultPeriod; reason: string; by: string }) {
  await trx
    .insertInto('subject_exemption')
    .values({ school_id: row.schoolId, student_id: row.studentId, year: row.year, subject_code: row.subjectCode, scope: row.scope, reason: row.reason, recorded_by: row.by })
    .onConflict((oc) =>
      oc.columns(['school_id', 'student_id', 'year', 'subject_code']).doUpdateSet((eb) => ({
        scope: eb.ref('excluded.scope'),
        reason: eb.ref('excluded.reason'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function deleteExemption(trx: Transaction<Database>, schoolId: string, studentId: string, year: number, subjectCode: string) {
  return trx
    .deleteFrom('subject_exemption')
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('year', '=', year)
    .where('subject_code', '=', subjectCode)
    .returning(['scope', 'reason'])
    .executeTakeFirst();
}

/** The school's summer state of a year; undefined = open. */
export async function findSummerState(db: Db, schoolId: string, year: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('summer_state').select(['locked', 'unlock_reason']).where('school_id', '=', schoolId).where('year', '=', year);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function setSummerState(trx: Transaction<Database>, schoolId: string, year: number, locked: boolean, by: string, unlockReason: string | null) {
  await trx
    .insertInto('summer_state')
    .values({ school_id: schoolId, year, locked, changed_by: by, unlock_reason: unlockReason })
    .onConflict((oc) =>
      oc.columns(['school_id', 'year']).doUpdateSet((eb) => ({
        locked: eb.ref('excluded.locked'),
        changed_by: eb.ref('excluded.changed_by'),
        changed_at: sql<Date>`now()`,
        unlock_reason: eb.ref('excluded.unlock_reason'),
      })),
    )
    .execute();
}

/**
 * Takes the school's summer state row for the rest of the transaction (entries, the lock and the
 * re-classification of one school year queue up behind each other), creating it open if missing.
 */
export async function lockSummerState(trx: Transaction<Database>, schoolId: string, year: number) {
  return trx
    .insertInto('summer_state')
    .values({ school_id: schoolId, year, locked: false })
    .onConflict((oc) => oc.columns(['school_id', 'year']).doUpdateSet((eb) => ({ locked: eb.ref('summer_state.locked') })))
    .returning(['locked', 'unlock_reason'])
    .executeTakeFirstOrThrow();
}

/** The year close's rows of some students (or all of the school when no ids). */
export async function listYearStudentResults(db: Db, schoolId: string, year: number, studentIds?: string[]) {
  let q = db
    .selectFrom('student_result as r')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'r.school_id').onRef('c.id', '=', 'r.class_id'))
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'r.school_id').onRef('s.id', '=', 'r.student_id'))
    .select(['r.student_id', 'r.class_id', 'c.name as class_name', 'r.learning', 'r.training', 'r.sessions_absent', 'r.promotion', 's.family_name', 's.middle_name', 's.given_name'])
    .where('r.school_id', '=', schoolId)
    .where('r.year', '=', year)
    .where('r.period', '=', 'cn');
  if (studentIds) {
    if (studentIds.length === 0) return [];
    q = q.where('r.student_id', 'in', studentIds);
  }
  return q.orderBy('c.name').orderBy(sql`s.name_sort_key collate "C"`).execute();
}

export async function listSummerRetests(db: Db, schoolId: string, year: number, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('summer_retest')
    .select(['student_id', 'subject_code', 'score_tenths', 'pass_fail'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('student_id', 'in', studentIds)
    .execute();
}

export async function listSummerTraining(db: Db, schoolId: string, year: number, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db.selectFrom('summer_training').select(['student_id', 'level']).where('school_id', '=', schoolId).where('year', '=', year).where('student_id', 'in', studentIds).execute();
}

export async function listSummerResults(db: Db, schoolId: string, year: number, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('summer_result')
    .select(['student_id', 'promotion', 'learning', 'training', 'detail', 'missing'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('student_id', 'in', studentIds)
    .execute();
}

export async function writeSummerRetests(
  trx: Transaction<Database>,
  schoolId: string,
  year: number,
  rows: Array<{ studentId: string; subjectCode: string; scoreTenths: number | null; passFail: 'dat' | 'chua_dat' | null }>,
  by: string,
) {
  const set = rows.filter((r) => r.scoreTenths !== null || r.passFail !== null);
  const cleared = rows.filter((r) => r.scoreTenths === null && r.passFail === null);
  if (set.length > 0) {
    await trx
      .insertInto('summer_retest')
      .values(set.map((r) => ({ school_id: schoolId, student_id: r.studentId, year, subject_code: r.subjectCode, score_tenths: r.scoreTenths, pass_fail: r.passFail, entered_by: by })))
      .onConflict((oc) =>
        oc.columns(['school_id', 'student_id', 'year', 'subject_code']).doUpdateSet((eb) => ({
          score_tenths: eb.ref('excluded.score_tenths'),
          pass_fail: eb.ref('excluded.pass_fail'),
          entered_by: eb.ref('excluded.entered_by'),
          entered_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }
  for (const r of cleared) {
    await trx.deleteFrom('summer_retest').where('school_id', '=', schoolId).where('student_id', '=', r.studentId).where('year', '=', year).where('subject_code', '=', r.subjectCode).execute();
  }
}

export async function writeSummerTraining(trx: Transaction<Database>, schoolId: string, year: number, rows: Array<{ studentId: string; level: AssessmentLevel | null }>, by: string) {
  const set = rows.flatMap((r) => (r.level ? [{ school_id: schoolId, student_id: r.studentId, year, level: r.level, set_by: by }] : []));
  if (set.length > 0) {
    await trx
      .insertInto('summer_training')
      .values(set)
      .onConflict((oc) => oc.columns(['school_id', 'student_id', 'year']).doUpdateSet((eb) => ({ level: eb.ref('excluded.level'), set_by: eb.ref('excluded.set_by'), set_at: sql<Date>`now()` })))
      .execute();
  }
  const cleared = rows.filter((r) => !r.level).map((r) => r.studentId);
  if (cleared.length > 0) await trx.deleteFrom('summer_training').where('school_id', '=', schoolId).where('year', '=', year).where('student_id', 'in', cleared).execute();
}

/** Replaces the summer results of the given students of a year (the re-classification). */
export async function replaceSummerResults(
  trx: Transaction<Database>,
  schoolId: string,
  year: number,
  rows: Array<{ studentId: string; promotion: 'promoted' | 'retained' | null; learning: AssessmentLevel | null; training: AssessmentLevel | null; detail: string | null; missing: string | null }>,
  by: string,
) {
  await trx.deleteFrom('summer_result').where('school_id', '=', schoolId).where('year', '=', year).execute();
  if (rows.length === 0) return;
  await trx
    .insertInto('summer_result')
    .values(rows.map((r) => ({ school_id: schoolId, student_id: r.studentId, year, promotion: r.promotion, learning: r.learning, training: r.training, detail: r.detail, missing: r.missing, computed_by: by })))
    .execute();
}

/** Every subject's name by code (people read names, never codes). */
export async function listSubjectNames(db: Db) {
  return db.selectFrom('subject').select(['code', 'name']).execute();
}
