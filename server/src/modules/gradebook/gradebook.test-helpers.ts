import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CURRICULUM, requiredRegularAssessments } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { F } from '../../../test/fixture-ids.js';
import { freshClass, freshStudent } from '../../../test/matrix-places.js';

/**
 * A primary class (TT27) in school A1 (the fixture's accounts are there; the gradebook follows the
 * class's grade, not the school's level): homeroom homeroomA1, Toán and Tiếng Việt taught by
 * mathA1 in both terms.
 */
export async function primaryClass(db: Kysely<Database>, grade: number) {
  const id = await freshClass(db, F.schoolA1, grade);
  await db.updateTable('class').set({ homeroom_teacher_id: F.teacherHomeroom }).where('id', '=', id).execute();
  for (const subject of ['toan', 'tieng_viet']) {
    for (const term of [1, 2]) {
      await db.insertInto('teaching_assignment').values({ school_id: F.schoolA1, id: randomUUID(), year: F.year, term, class_id: id, subject_code: subject, staff_id: F.teacherMath }).execute();
    }
  }
  return id;
}

/** A new student of school A1 placed in a class (enrolment and current class). */
export async function studentIn(db: Kysely<Database>, classId: string, grade: number) {
  const s = await freshStudent(db, F.schoolA1, grade);
  await db.updateTable('enrolment').set({ class_id: classId }).where('student_id', '=', s.id).execute();
  await db.updateTable('student').set({ current_class_id: classId }).where('id', '=', s.id).execute();
  return s;
}

/**
 * Every grade-6 subject of a student's term filled so each scored term average is `tenths` (Toán:
 * `toan` when given), comment subjects Đạt (Âm nhạc: `art` when given).
 */
export async function fillTerm(db: Kysely<Database>, studentId: string, classId: string, term: number, tenths: number, opts: { art?: 'dat' | 'chua_dat'; toan?: number } = {}) {
  const rows = CURRICULUM.filter((c) => c.grade === 6).flatMap((c) => {
    const n = requiredRegularAssessments(c.periodsPerYear);
    const keys = [...Array.from({ length: n }, (_, i) => `tx${i + 1}`), 'gk', 'ck'];
    return keys.map((column_key) => ({
      school_id: F.schoolA1,
      class_id: classId,
      subject_code: c.subjectCode,
      term,
      student_id: studentId,
      column_key,
      score_tenths: c.assessmentKind === 'score' ? (c.subjectCode === 'toan' ? (opts.toan ?? tenths) : tenths) : null,
      pass_fail: c.assessmentKind === 'score' ? null : c.subjectCode === 'am_nhac' ? (opts.art ?? 'dat') : ('dat' as const),
    }));
  });
  await db.insertInto('gradebook_cell').values(rows).execute();
}
