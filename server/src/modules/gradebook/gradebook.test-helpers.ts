import type { Kysely } from 'kysely';
import { CURRICULUM, requiredRegularAssessments } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { F } from '../../../test/fixture-ids.js';

/** Every grade-6 subject of a student's term filled so each term average is `tenths` (comment subjects Đạt, or `art` for Âm nhạc). */
export async function fillTerm(db: Kysely<Database>, studentId: string, classId: string, term: number, tenths: number, art: 'dat' | 'chua_dat' = 'dat') {
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
      score_tenths: c.assessmentKind === 'score' ? tenths : null,
      pass_fail: c.assessmentKind === 'score' ? null : c.subjectCode === 'am_nhac' ? art : ('dat' as const),
    }));
  });
  await db.insertInto('gradebook_cell').values(rows).execute();
}
