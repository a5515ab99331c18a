import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database, ResultPeriod } from '../../db/schema.js';
import type { GridKey } from './gradebook.repo.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function listPublishedColumns(db: Db, key: GridKey) {
  const rows = await db
    .selectFrom('gradebook_publication')
    .select('column_key')
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('subject_code', '=', key.subjectCode)
    .where('term', '=', key.term)
    .execute();
  return rows.map((r) => r.column_key);
}

export async function publishColumns(trx: Transaction<Database>, key: GridKey, columns: string[], by: string) {
  if (columns.length === 0) return;
  await trx
    .insertInto('gradebook_publication')
    .values(columns.map((column_key) => ({ school_id: key.schoolId, class_id: key.classId, subject_code: key.subjectCode, term: key.term, column_key, published_by: by })))
    .onConflict((oc) => oc.columns(['school_id', 'class_id', 'subject_code', 'term', 'column_key']).doNothing())
    .execute();
}

export async function unpublishColumns(trx: Transaction<Database>, key: GridKey, columns: string[]) {
  if (columns.length === 0) return;
  await trx
    .deleteFrom('gradebook_publication')
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('subject_code', '=', key.subjectCode)
    .where('term', '=', key.term)
    .where('column_key', 'in', columns)
    .execute();
}

export async function setResultPublication(trx: Transaction<Database>, schoolId: string, classId: string, year: number, period: ResultPeriod, published: boolean, by: string) {
  if (!published) {
    await trx.deleteFrom('result_publication').where('school_id', '=', schoolId).where('class_id', '=', classId).where('year', '=', year).where('period', '=', period).execute();
    return;
  }
  await trx
    .insertInto('result_publication')
    .values({ school_id: schoolId, class_id: classId, year, period, published_by: by })
    .onConflict((oc) => oc.columns(['school_id', 'class_id', 'year', 'period']).doNothing())
    .execute();
}

export async function listResultPublications(db: Db, schoolId: string, classIds: string[], year: number) {
  if (classIds.length === 0) return [];
  return db.selectFrom('result_publication').select(['class_id', 'period', 'published_at']).where('school_id', '=', schoolId).where('class_id', 'in', classIds).where('year', '=', year).execute();
}

/** The student as a family reads them: name, sex and date of birth (a preschool child's growth), current class and its year. */
export async function findFamilyStudent(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('student as s')
    .leftJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
    .select(['s.id', 's.family_name', 's.middle_name', 's.given_name', 's.sex', 's.date_of_birth', 's.current_class_id', 'c.name as class_name', 'c.year', 'c.grade', 'c.homeroom_teacher_id'])
    .where('s.school_id', '=', schoolId)
    .where('s.id', '=', studentId)
    .executeTakeFirst();
}

/** The student's published cells of a year, with the subject's name and the column's grid. */
export function listPublishedCells(db: Db, schoolId: string, studentId: string, year: number) {
  return publishedCellsQuery(db, schoolId, studentId, year).execute();
}

/** The query of listPublishedCells, apart so a test can EXPLAIN it (migration 0036's index). */
export function publishedCellsQuery(db: Db, schoolId: string, studentId: string, year: number) {
  return db
    .selectFrom('gradebook_cell as g')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
    .innerJoin('gradebook_publication as p', (j) =>
      j
        .onRef('p.school_id', '=', 'g.school_id')
        .onRef('p.class_id', '=', 'g.class_id')
        .onRef('p.subject_code', '=', 'g.subject_code')
        .onRef('p.term', '=', 'g.term')
        .onRef('p.column_key', '=', 'g.column_key'),
    )
    .innerJoin('subject as s', 's.code', 'g.subject_code')
    .select(['g.subject_code', 's.name as subject_name', 's.sort_order', 'g.term', 'g.column_key', 'g.score_tenths', 'g.pass_fail', 'g.comment', 'g.subject_level', 'p.published_at'])
    .where('g.school_id', '=', schoolId)
    .where('g.student_id', '=', studentId)
    .where('c.year', '=', year);
}

/** The student's results of periods whose publication exists for the class they were in. */
export async function listPublishedResults(db: Db, schoolId: string, studentId: string, year: number) {
  return db
    .selectFrom('student_result as r')
    .innerJoin('result_publication as p', (j) =>
      j.onRef('p.school_id', '=', 'r.school_id').onRef('p.class_id', '=', 'r.class_id').onRef('p.year', '=', 'r.year').onRef('p.period', '=', 'r.period'),
    )
    .selectAll('r')
    .select('p.published_at')
    .where('r.school_id', '=', schoolId)
    .where('r.student_id', '=', studentId)
    .where('r.year', '=', year)
    .execute();
}

/**
 * Who is told when the class's marks or results are published: the family accounts of its
 * current students — guardians with an active account, and the students' own accounts.
 */
export async function familyAccountsOfClass(db: Db, schoolId: string, classId: string): Promise<{ user_id: string; student_id: string }[]> {
  const r = await sql<{ user_id: string; student_id: string }>`
    select g.user_id, s.id as student_id from student s
      join guardian g on g.school_id = s.school_id and g.student_id = s.id
      join app_user u on u.id = g.user_id and u.is_active
     where s.school_id = ${schoolId} and s.current_class_id = ${classId} and s.is_current
    union
    select u.id as user_id, s.id as student_id from student s
      join app_user u on u.student_school_id = s.school_id and u.student_id = s.id and u.is_active
     where s.school_id = ${schoolId} and s.current_class_id = ${classId} and s.is_current
    order by student_id, user_id`.execute(db);
  return r.rows;
}

export async function subjectNameOf(db: Db, code: string): Promise<string> {
  const r = await db.selectFrom('subject').select('name').where('code', '=', code).executeTakeFirst();
  return r?.name ?? code;
}
