import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

// The class summary workbook's own query (class-summary-subjects.ts): every TT22 mark of a class's
// grids, both terms, in one read.

/** The class's marks and Đ / CĐ of every subject and term (TT22 columns: TX, GK, CK; comments and primary columns left out). */
export async function listClassTermCells(db: Kysely<Database>, schoolId: string, classId: string) {
  return db
    .selectFrom('gradebook_cell')
    .select(['student_id', 'subject_code', 'term', 'column_key', 'score_tenths', 'pass_fail'])
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .where('column_key', '~', '^(tx[1-9]|gk|ck)$')
    .execute();
}
