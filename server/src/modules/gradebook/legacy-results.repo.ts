import type { Kysely, Transaction } from 'kysely';
import type { Database, LegacyConduct } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The school's students a file's codes name: by learner id (mã định danh) or the school's temporary code. */
export async function findStudentsByCode(db: Db, schoolId: string, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('student')
    .select(['id', 'learner_id', 'temp_code', 'family_name', 'middle_name', 'given_name', 'is_current'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('learner_id', 'in', codes), eb('temp_code', 'in', codes)]))
    // A learner who left and came back has two rows here: the current one first.
    .orderBy('is_current', 'desc')
    .execute();
}

/** The student-years already imported among these students. */
export async function findLegacyYears(db: Db, schoolId: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db.selectFrom('legacy_result').select(['id', 'student_id', 'year']).where('school_id', '=', schoolId).where('student_id', 'in', studentIds).execute();
}

export type LegacyYearWrite = {
  id: string;
  studentId: string;
  year: number;
  grade: number;
  className: string;
  conductTerm1: LegacyConduct | null;
  conductTerm2: LegacyConduct | null;
  conductYear: LegacyConduct | null;
  sessionsAbsent: number;
  /** ĐTB các môn học kì I / II when the file has them. */
  averageTerm1Tenths: number | null;
  averageTerm2Tenths: number | null;
  subjects: Array<{ name: string; averageTenths: number | null; commentResult: 'd' | 'cd' | null }>;
};

/** Writes the years, replacing the rows of `replaceIds` (their subjects go with them: on delete cascade). */
export async function writeLegacyYears(trx: Transaction<Database>, schoolId: string, userId: string, fileName: string, years: LegacyYearWrite[], replaceIds: string[]) {
  if (replaceIds.length > 0) await trx.deleteFrom('legacy_result').where('school_id', '=', schoolId).where('id', 'in', replaceIds).execute();
  if (years.length === 0) return;
  await trx
    .insertInto('legacy_result')
    .values(
      years.map((y) => ({
        school_id: schoolId,
        id: y.id,
        student_id: y.studentId,
        year: y.year,
        grade: y.grade,
        class_name: y.className,
        conduct_term1: y.conductTerm1,
        conduct_term2: y.conductTerm2,
        conduct_year: y.conductYear,
        sessions_absent: y.sessionsAbsent,
        average_term1_tenths: y.averageTerm1Tenths,
        average_term2_tenths: y.averageTerm2Tenths,
        file_name: fileName,
        imported_by: userId,
      })),
    )
    .execute();
  const subjects = years.flatMap((y) =>
    y.subjects.map((s, i) => ({ school_id: schoolId, legacy_result_id: y.id, subject_name: s.name, sort_order: i, average_tenths: s.averageTenths, comment_result: s.commentResult })),
  );
  if (subjects.length > 0) await trx.insertInto('legacy_subject_result').values(subjects).execute();
}

/** A student's imported years, oldest first, with who imported them. */
export async function listLegacyYears(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('legacy_result as r')
    .leftJoin('app_user as u', 'u.id', 'r.imported_by')
    .select(['r.id', 'r.year', 'r.grade', 'r.class_name', 'r.conduct_term1', 'r.conduct_term2', 'r.conduct_year', 'r.sessions_absent', 'r.average_term1_tenths', 'r.average_term2_tenths', 'r.imported_at', 'u.display_name as imported_by_name'])
    .where('r.school_id', '=', schoolId)
    .where('r.student_id', '=', studentId)
    .orderBy('r.year')
    .execute();
}

export async function listLegacySubjects(db: Db, schoolId: string, resultIds: string[]) {
  if (resultIds.length === 0) return [];
  return db
    .selectFrom('legacy_subject_result')
    .select(['legacy_result_id', 'subject_name', 'average_tenths', 'comment_result'])
    .where('school_id', '=', schoolId)
    .where('legacy_result_id', 'in', resultIds)
    .orderBy('legacy_result_id')
    .orderBy('sort_order')
    .execute();
}
