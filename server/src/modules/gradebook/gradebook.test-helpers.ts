import type { Kysely } from 'kysely';
import { CURRICULUM, requiredRegularAssessments } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { F } from '../../../test/fixture-ids.js';

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
