import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The student's record as the học bạ's first page prints it, with the guardians. */
export async function findHocBaStudent(db: Db, schoolId: string, studentId: string) {
  const student = await db
    .selectFrom('student')
    .select(['id', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'ethnicity_code', 'birthplace', 'address', 'learner_id', 'temp_code', 'register_number', 'current_class_id'])
    .where('school_id', '=', schoolId)
    .where('id', '=', studentId)
    .executeTakeFirst();
  if (!student) return undefined;
  const guardians = await db.selectFrom('guardian').select(['relation', 'full_name', 'occupation']).where('school_id', '=', schoolId).where('student_id', '=', studentId).execute();
  return { ...student, guardians };
}

/** A unit's names from itself up to the root on a day (school, commune, province…), nearest first. */
export async function unitNamesUp(db: Db, unitId: string, asOf: string) {
  const rows: Array<{ id: string; kind: string; name: string }> = [];
  let id: string | null = unitId;
  for (let depth = 0; id && depth < 8; depth++) {
    const row: { id: string; kind: string; name: string; parent_id: string | null } | undefined = await db
      .selectFrom('org_unit as u')
      .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
      .select(['u.id', 'u.kind', 'v.name', 'v.parent_id'])
      .where('u.id', '=', id)
      .where('v.valid_from', '<=', asOf)
      .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', asOf)]))
      .executeTakeFirst();
    if (!row) break;
    rows.push({ id: row.id, kind: row.kind, name: row.name });
    id = row.parent_id;
  }
  return rows;
}

/** The years a student has closed results in at this school, with the class and its homeroom teacher. */
export async function listHocBaYears(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('student_result as r')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'r.school_id').onRef('c.id', '=', 'r.class_id'))
    .leftJoin('staff as h', (j) => j.onRef('h.school_id', '=', 'c.school_id').onRef('h.id', '=', 'c.homeroom_teacher_id'))
    .select([
      'r.year',
      'r.period',
      'r.class_id',
      'c.name as class_name',
      'c.grade',
      'r.learning',
      'r.training',
      'r.sessions_absent',
      'r.promotion',
      'r.promotion_detail',
      'r.award',
      'r.primary_outcome',
      'r.qualities',
      'h.family_name as hr_family',
      'h.middle_name as hr_middle',
      'h.given_name as hr_given',
    ])
    .where('r.school_id', '=', schoolId)
    .where('r.student_id', '=', studentId)
    .orderBy('r.year')
    .execute();
}

export async function listStudentSubjectResults(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('subject_result as r')
    .innerJoin('subject as s', 's.code', 'r.subject_code')
    .select(['r.year', 'r.period', 'r.subject_code', 's.name', 's.sort_order', 'r.average_tenths', 'r.pass_fail', 'r.exempt', 'r.subject_level', 'r.test_tenths'])
    .where('r.school_id', '=', schoolId)
    .where('r.student_id', '=', studentId)
    .execute();
}

/**
 * The column of term II whose comment the học bạ prints as the year's: TT22's "nx", a primary
 * grid's end-of-year comment "ck_nx" (TT27: the comment at cuối năm học).
 */
export type YearCommentColumn = 'nx' | 'ck_nx';

/** The subject teachers' comments (term II's comment column) of a student's years. */
export async function listYearComments(db: Db, schoolId: string, studentId: string, column: YearCommentColumn = 'nx') {
  return yearCommentsQuery(db, schoolId, studentId, column).execute();
}

/** The query of `listYearComments` (its test reads the plan). */
export function yearCommentsQuery(db: Db, schoolId: string, studentId: string, column: YearCommentColumn = 'nx') {
  return db
    .selectFrom('gradebook_cell as g')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
    .select(['c.year', 'g.subject_code', 'g.comment'])
    .where('g.school_id', '=', schoolId)
    .where('g.student_id', '=', studentId)
    // A literal, so the planner matches the partial index on comment cells (migrations 0023, 0025).
    .where('g.column_key', '=', sql.lit(column))
    .where('g.term', '=', 2);
}

/** Who taught each subject of the student's classes in term II (or I when no term II assignment). */
export async function listYearTeachers(db: Db, schoolId: string, classIds: string[]) {
  if (classIds.length === 0) return [];
  return db
    .selectFrom('teaching_assignment as a')
    .innerJoin('staff as s', (j) => j.onRef('s.school_id', '=', 'a.school_id').onRef('s.id', '=', 'a.staff_id'))
    .select(['a.class_id', 'a.subject_code', 'a.term', 's.family_name', 's.middle_name', 's.given_name'])
    .where('a.school_id', '=', schoolId)
    .where('a.class_id', 'in', classIds)
    .execute();
}

export async function findPrincipalName(db: Db, schoolId: string) {
  return db
    .selectFrom('staff')
    .select(['family_name', 'middle_name', 'given_name'])
    .where('school_id', '=', schoolId)
    .where('position', '=', 'principal')
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/**
 * The students a học bạ batch covers: the school's current students (of one class, or all),
 * class by class in list order, each with whether they have a closed year to print.
 */
export async function listBatchStudents(db: Db, schoolId: string, classId: string | null) {
  let q = db
    .selectFrom('student as s')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
    .select((eb) => [
      's.id',
      's.family_name',
      's.middle_name',
      's.given_name',
      's.learner_id',
      'c.name as class_name',
      eb
        .exists(eb.selectFrom('student_result as r').select('r.student_id').whereRef('r.school_id', '=', 's.school_id').whereRef('r.student_id', '=', 's.id').where('r.period', '=', 'cn'))
        .as('has_year'),
    ])
    .where('s.school_id', '=', schoolId)
    .where('s.is_current', '=', true);
  if (classId) q = q.where('s.current_class_id', '=', classId);
  return q.orderBy('c.grade').orderBy('c.name').orderBy(sql`s.name_sort_key collate "C"`).orderBy('s.id').execute();
}

/** What came of the student's summers: the re-test marks and the re-classified results, by year. */
export async function listStudentSummers(db: Db, schoolId: string, studentId: string) {
  const [retests, results] = await Promise.all([
    db.selectFrom('summer_retest').select(['year', 'subject_code', 'score_tenths', 'pass_fail']).where('school_id', '=', schoolId).where('student_id', '=', studentId).execute(),
    db.selectFrom('summer_result').select(['year', 'promotion', 'detail']).where('school_id', '=', schoolId).where('student_id', '=', studentId).execute(),
  ]);
  return { retests, results };
}
