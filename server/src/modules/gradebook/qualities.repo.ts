import { type Kysely, type Transaction, sql } from 'kysely';
import type { CheckpointValue, Database, QualityLevelValue, YearCommentTopicValue } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One class's ratings at one checkpoint (TT27 phẩm chất, năng lực). */
export type QualityKey = { schoolId: string; classId: string; checkpoint: CheckpointValue };

export async function listQualityRatings(db: Db, key: QualityKey) {
  return db
    .selectFrom('quality_rating')
    .select(['student_id', 'quality_code', 'level', 'version'])
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('checkpoint', '=', key.checkpoint)
    .execute();
}

export async function findQualityState(db: Db, key: QualityKey) {
  return db
    .selectFrom('quality_rating_state')
    .select(['state', 'unlock_reason'])
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('checkpoint', '=', key.checkpoint)
    .executeTakeFirst();
}

/** Creates the state row if there was none, and locks it for the transaction (as lockGridState). */
export async function lockQualityState(trx: Transaction<Database>, key: QualityKey) {
  return trx
    .insertInto('quality_rating_state')
    .values({ school_id: key.schoolId, class_id: key.classId, checkpoint: key.checkpoint, state: 'open' })
    .onConflict((oc) => oc.columns(['school_id', 'class_id', 'checkpoint']).doUpdateSet((eb) => ({ state: eb.ref('quality_rating_state.state') })))
    .returning(['state', 'unlock_reason'])
    .executeTakeFirstOrThrow();
}

export async function setQualityState(trx: Transaction<Database>, key: QualityKey, state: 'open' | 'locked', by: string, unlockReason: string | null) {
  await trx
    .updateTable('quality_rating_state')
    .set({ state, changed_by: by, changed_at: new Date(), unlock_reason: unlockReason })
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('checkpoint', '=', key.checkpoint)
    .execute();
}

export type QualityWrite = { studentId: string; qualityCode: string; level: QualityLevelValue | null; expectedVersion: number };

/**
 * Writes the ratings in one statement, each only if it still has the version the writer saw (new
 * at version 1, else version + 1 where the version is the one expected), like writeCells. Returns
 * the ratings written; the others changed under the writer.
 */
export async function writeQualityRatings(trx: Transaction<Database>, key: QualityKey, rows: QualityWrite[], by: string) {
  if (rows.length === 0) return [];
  return trx
    .insertInto('quality_rating')
    .values(
      rows.map((r) => ({
        school_id: key.schoolId,
        class_id: key.classId,
        checkpoint: key.checkpoint,
        student_id: r.studentId,
        quality_code: r.qualityCode,
        level: r.level,
        version: r.expectedVersion + 1,
        updated_by: by,
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['school_id', 'class_id', 'checkpoint', 'student_id', 'quality_code'])
        .doUpdateSet((eb) => ({ level: eb.ref('excluded.level'), version: eb.ref('excluded.version'), updated_by: eb.ref('excluded.updated_by'), updated_at: eb.ref('excluded.updated_at') }))
        .where(sql<boolean>`quality_rating.version = excluded.version - 1`),
    )
    .returning(['student_id', 'quality_code', 'version'])
    .execute();
}

/** Every rating of a school's classes of a year at one checkpoint (for the close). */
export async function listSchoolQualityRatings(db: Db, schoolId: string, year: number, checkpoint: CheckpointValue) {
  return db
    .selectFrom('quality_rating as q')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'q.school_id').onRef('c.id', '=', 'q.class_id'))
    .select(['q.student_id', 'q.class_id', 'q.quality_code', 'q.level', 'q.updated_at'])
    .where('q.school_id', '=', schoolId)
    .where('c.year', '=', year)
    .where('q.checkpoint', '=', checkpoint)
    .orderBy('q.updated_at')
    .execute();
}

/** One class's year comments (the end-of-year checkpoint's, locked with its ratings). */
export async function listClassYearComments(db: Db, schoolId: string, classId: string) {
  return db
    .selectFrom('year_comment')
    .select(['student_id', 'topic', 'comment', 'version'])
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .execute();
}

export type YearCommentWrite = { studentId: string; topic: YearCommentTopicValue; comment: string | null; expectedVersion: number };

/** Writes the comments in one statement, each only if it still has the version the writer saw (as writeQualityRatings). */
export async function writeYearComments(trx: Transaction<Database>, schoolId: string, classId: string, rows: YearCommentWrite[], by: string) {
  if (rows.length === 0) return [];
  return trx
    .insertInto('year_comment')
    .values(
      rows.map((r) => ({
        school_id: schoolId,
        class_id: classId,
        student_id: r.studentId,
        topic: r.topic,
        comment: r.comment,
        version: r.expectedVersion + 1,
        updated_by: by,
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['school_id', 'class_id', 'student_id', 'topic'])
        .doUpdateSet((eb) => ({ comment: eb.ref('excluded.comment'), version: eb.ref('excluded.version'), updated_by: eb.ref('excluded.updated_by'), updated_at: eb.ref('excluded.updated_at') }))
        .where(sql<boolean>`year_comment.version = excluded.version - 1`),
    )
    .returning(['student_id', 'topic', 'version'])
    .execute();
}
