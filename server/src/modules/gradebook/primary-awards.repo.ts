import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database, PrimaryAwardKindValue } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The awards of a primary class beyond Học sinh Xuất sắc (TT27 Điều 13): proposed and recorded. */
export async function listClassAwards(db: Db, schoolId: string, classId: string) {
  return db
    .selectFrom('primary_award')
    .select(['student_id', 'kind', 'achievement', 'status', 'version'])
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .orderBy('kind')
    .execute();
}

export type AwardKey = { schoolId: string; classId: string; studentId: string; kind: PrimaryAwardKindValue };

/** The award, locked for the transaction (a save or a removal decides from it). */
export async function findAwardForUpdate(trx: Transaction<Database>, k: AwardKey) {
  return trx
    .selectFrom('primary_award')
    .select(['status', 'version'])
    .where('school_id', '=', k.schoolId)
    .where('class_id', '=', k.classId)
    .where('student_id', '=', k.studentId)
    .where('kind', '=', k.kind)
    .forUpdate()
    .executeTakeFirst();
}

/** Writes the award only if it still has the version the writer saw (new at 1); false when it changed meanwhile. */
export async function upsertAward(trx: Transaction<Database>, k: AwardKey, achievement: string, status: 'proposed' | 'recorded', expectedVersion: number, by: string) {
  const written = await trx
    .insertInto('primary_award')
    .values({
      school_id: k.schoolId,
      class_id: k.classId,
      student_id: k.studentId,
      kind: k.kind,
      achievement,
      status,
      version: expectedVersion + 1,
      proposed_by: status === 'proposed' ? by : null,
      recorded_by: status === 'recorded' ? by : null,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc.columns(['school_id', 'class_id', 'student_id', 'kind']).doUpdateSet((eb) => ({
        achievement: eb.ref('excluded.achievement'),
        status: eb.ref('excluded.status'),
        version: eb.ref('excluded.version'),
        // Who proposed stays when the principal records it.
        proposed_by: status === 'proposed' ? eb.ref('excluded.proposed_by') : eb.ref('primary_award.proposed_by'),
        recorded_by: eb.ref('excluded.recorded_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })).where(sql<boolean>`primary_award.version = excluded.version - 1`),
    )
    .returning('version')
    .executeTakeFirst();
  return written !== undefined;
}

export async function deleteAward(trx: Transaction<Database>, k: AwardKey) {
  await trx
    .deleteFrom('primary_award')
    .where('school_id', '=', k.schoolId)
    .where('class_id', '=', k.classId)
    .where('student_id', '=', k.studentId)
    .where('kind', '=', k.kind)
    .execute();
}

/** A student's recorded awards by year (the học bạ, the family's view). */
export async function listStudentRecordedAwards(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('primary_award as a')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'a.school_id').onRef('c.id', '=', 'a.class_id'))
    .select(['c.year', 'a.kind', 'a.achievement'])
    .where('a.school_id', '=', schoolId)
    .where('a.student_id', '=', studentId)
    .where('a.status', '=', 'recorded')
    .orderBy('a.kind')
    .execute();
}

/** A student's year comments by year (the học bạ, the family's view). */
export async function listStudentYearComments(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('year_comment as y')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'y.school_id').onRef('c.id', '=', 'y.class_id'))
    .select(['c.year', 'y.class_id', 'y.topic', 'y.comment'])
    .where('y.school_id', '=', schoolId)
    .where('y.student_id', '=', studentId)
    .where('y.comment', 'is not', null)
    .execute();
}
