import { type Kysely, type Transaction, sql } from 'kysely';
import type { AssessmentLevel, Database, ResultPeriod, StudentResultTable, SubjectLevelValue } from '../../db/schema.js';
import { classesWithTermDates } from './gradebook.repo.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function listTrainingRatings(db: Db, schoolId: string, year: number, studentIds?: string[]) {
  let q = db.selectFrom('training_rating').select(['student_id', 'term', 'level']).where('school_id', '=', schoolId).where('year', '=', year);
  if (studentIds) {
    if (studentIds.length === 0) return [];
    q = q.where('student_id', 'in', studentIds);
  }
  return q.execute();
}

export async function upsertTrainingRatings(trx: Transaction<Database>, schoolId: string, year: number, term: number, rows: Array<{ studentId: string; level: AssessmentLevel }>, by: string) {
  if (rows.length === 0) return;
  await trx
    .insertInto('training_rating')
    .values(rows.map((r) => ({ school_id: schoolId, student_id: r.studentId, year, term, level: r.level, set_by: by })))
    .onConflict((oc) => oc.columns(['school_id', 'student_id', 'year', 'term']).doUpdateSet((eb) => ({ level: eb.ref('excluded.level'), set_by: eb.ref('excluded.set_by'), set_at: sql<Date>`now()` })))
    .execute();
}

export async function deleteTrainingRatings(trx: Transaction<Database>, schoolId: string, year: number, term: number, studentIds: string[]) {
  if (studentIds.length === 0) return;
  await trx.deleteFrom('training_rating').where('school_id', '=', schoolId).where('year', '=', year).where('term', '=', term).where('student_id', 'in', studentIds).execute();
}

/** The school's classes of a year, with the school's term dates for it. */
export async function listYearClasses(db: Db, schoolId: string, year: number) {
  return classesWithTermDates(db, schoolId).where('c.year', '=', year).execute();
}

/** Of these students, those with a year closed at the school (a học bạ has something to print). */
export async function listStudentsWithClosedYear(db: Db, schoolId: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db.selectFrom('student_result').select('student_id').distinct().where('school_id', '=', schoolId).where('student_id', 'in', studentIds).where('period', '=', 'cn').execute();
}

/** The locked grids (class × subject × term) of a school's year in the given terms. */
export async function listLockedGrids(db: Db, schoolId: string, year: number, terms: readonly number[]) {
  return db
    .selectFrom('gradebook_state as g')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
    .select(['g.class_id', 'g.subject_code', 'g.term'])
    .where('g.school_id', '=', schoolId)
    .where('c.year', '=', year)
    .where('g.term', 'in', [...terms])
    .where('g.state', '=', 'locked')
    .execute();
}

/** Every enrolment of the year's classes that overlaps [from, to], with the student's name. */
export async function listYearEnrolments(db: Db, schoolId: string, year: number, from: string, to: string) {
  return db
    .selectFrom('enrolment as e')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'e.school_id').onRef('s.id', '=', 'e.student_id'))
    .select(['e.student_id', 'e.class_id', 'e.start_date', 'e.end_date', 's.family_name', 's.middle_name', 's.given_name', 's.name_sort_key'])
    .where('e.school_id', '=', schoolId)
    .where('e.year', '=', year)
    .where('e.start_date', '<=', to)
    .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>=', from)]))
    .execute();
}

/**
 * The marks of the school's classes of a year in the given terms, one row per student × subject ×
 * term: the cells as [column, tenths, Đạt/Chưa đạt] in the order they were last written (a later
 * entry of the same column, from a second class, comes after). Comments are left out: no result
 * reads them. One row per triple keeps a 1,500-student school to ~40,000 rows instead of ~300,000.
 */
export async function listYearMarks(db: Db, schoolId: string, year: number, terms: number[]) {
  return db
    .selectFrom('gradebook_cell as g')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
    .select([
      'g.student_id',
      'g.subject_code',
      'g.term',
      sql<Array<[string, number | null, 'dat' | 'chua_dat' | null]>>`json_agg(json_build_array(g.column_key, g.score_tenths, g.pass_fail) order by g.updated_at)`.as('cells'),
    ])
    .where('g.school_id', '=', schoolId)
    .where('c.year', '=', year)
    .where('g.term', 'in', terms)
    .where('g.column_key', '!=', 'nx')
    .groupBy(['g.student_id', 'g.subject_code', 'g.term'])
    .execute();
}

/** Replaces a period's results of the school with a new close, in one transaction. */
export async function replaceResults(
  trx: Transaction<Database>,
  schoolId: string,
  year: number,
  period: ResultPeriod,
  students: Array<{
    student_id: string;
    class_id: string;
    learning: AssessmentLevel | null;
    learning_adjusted_from: AssessmentLevel | null;
    learning_adjusted_because: string | null;
    training: AssessmentLevel | null;
    sessions_absent: number;
    sessions_absent_excused: number;
    promotion: 'promoted' | 'retained' | 'retest' | 'summer_training' | null;
    promotion_detail: string | null;
    award: 'xuat_sac' | 'gioi' | null;
    missing: string[];
    /** Primary (TT27): the end-of-year outcome, and the qualities at the checkpoint closed (code → level). */
    primary_outcome?: StudentResultTable['primary_outcome'];
    qualities?: Record<string, string>;
  }>,
  subjects: Array<{
    student_id: string;
    subject_code: string;
    average_tenths: number | null;
    pass_fail: 'dat' | 'chua_dat' | null;
    exempt: boolean;
    missing: string | null;
    subject_level?: SubjectLevelValue | null;
    test_tenths?: number | null;
  }>,
  by: string,
) {
  await trx.deleteFrom('subject_result').where('school_id', '=', schoolId).where('year', '=', year).where('period', '=', period).execute();
  await trx.deleteFrom('student_result').where('school_id', '=', schoolId).where('year', '=', year).where('period', '=', period).execute();
  const now = new Date();
  // One statement per table, the columns sent as arrays: a school's 20,000 subject results are
  // 9 parameters, not 180,000, and PostgreSQL unpacks them faster than it parses value lists.
  const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k]);
  if (students.length > 0) {
    await sql`
      insert into student_result (school_id, year, period, computed_at, computed_by, student_id, class_id, learning, learning_adjusted_from,
        learning_adjusted_because, training, sessions_absent, sessions_absent_excused, promotion, promotion_detail, award, missing, primary_outcome, qualities)
      select ${schoolId}, ${year}, ${period}, ${now}, ${by}, x.*
        from unnest(${col(students, 'student_id')}::uuid[], ${col(students, 'class_id')}::uuid[], ${col(students, 'learning')}::text[],
          ${col(students, 'learning_adjusted_from')}::text[], ${col(students, 'learning_adjusted_because')}::text[], ${col(students, 'training')}::text[],
          ${col(students, 'sessions_absent')}::int[], ${col(students, 'sessions_absent_excused')}::int[], ${col(students, 'promotion')}::text[],
          ${col(students, 'promotion_detail')}::text[], ${col(students, 'award')}::text[], ${students.map((s) => JSON.stringify(s.missing))}::jsonb[],
          ${students.map((s) => s.primary_outcome ?? null)}::text[], ${students.map((s) => JSON.stringify(s.qualities ?? {}))}::jsonb[]) as x`.execute(trx);
  }
  if (subjects.length > 0) {
    await sql`
      insert into subject_result (school_id, year, period, student_id, subject_code, average_tenths, pass_fail, exempt, missing, subject_level, test_tenths)
      select ${schoolId}, ${year}, ${period}, x.*
        from unnest(${col(subjects, 'student_id')}::uuid[], ${col(subjects, 'subject_code')}::text[], ${col(subjects, 'average_tenths')}::smallint[],
          ${col(subjects, 'pass_fail')}::text[], ${col(subjects, 'exempt')}::boolean[], ${col(subjects, 'missing')}::text[],
          ${subjects.map((r) => r.subject_level ?? null)}::text[], ${subjects.map((r) => r.test_tenths ?? null)}::smallint[]) as x`.execute(trx);
  }
}

export async function listClassStudentResults(db: Db, schoolId: string, classId: string, year: number, period: ResultPeriod) {
  return db
    .selectFrom('student_result')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .where('year', '=', year)
    .where('period', '=', period)
    .execute();
}

export async function listSubjectResults(db: Db, schoolId: string, year: number, period: ResultPeriod, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('subject_result')
    .select(['student_id', 'subject_code', 'average_tenths', 'pass_fail', 'exempt', 'missing', 'subject_level', 'test_tenths'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('period', '=', period)
    .where('student_id', 'in', studentIds)
    .execute();
}

/** The subjects each class of the year has a teacher for (an elective counts for a class only then). */
export async function listYearAssignedSubjects(db: Db, schoolId: string, year: number) {
  return db.selectFrom('teaching_assignment').select(['class_id', 'subject_code']).distinct().where('school_id', '=', schoolId).where('year', '=', year).execute();
}

/**
 * The end-of-checkpoint level and periodic test of the school's primary grids of a year in one
 * term (the ck_* columns: end_term1 in term 1, end_year in term 2; primary-grid.ts), oldest first
 * so that where a student who changed class has the same column twice, the later entry wins.
 */
export async function listPrimaryCheckpointMarks(db: Db, schoolId: string, year: number, term: number) {
  return db
    .selectFrom('gradebook_cell as g')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
    .select(['g.student_id', 'g.subject_code', 'g.column_key', 'g.subject_level', 'g.score_tenths'])
    .where('g.school_id', '=', schoolId)
    .where('c.year', '=', year)
    .where('c.grade', '<=', 5)
    .where('g.term', '=', term)
    .where('g.column_key', 'in', ['ck_muc', 'ck_kt'])
    .orderBy('g.updated_at')
    .execute();
}
