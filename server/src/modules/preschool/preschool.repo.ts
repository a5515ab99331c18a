import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database, PreschoolPeriodValue } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function findIndicatorSet(db: Db, schoolId: string) {
  return db.selectFrom('preschool_indicator_set').select(['indicator_set', 'version']).where('school_id', '=', schoolId).executeTakeFirst();
}

/**
 * Writes the school's set if it still has the version the editor read (0: the default, no row
 * yet). Returns the new version, or undefined when someone saved the set meanwhile.
 */
export async function writeIndicatorSet(trx: Transaction<Database>, schoolId: string, set: unknown, expectedVersion: number, by: string) {
  const row = await trx
    .insertInto('preschool_indicator_set')
    .values({ school_id: schoolId, indicator_set: JSON.stringify(set), version: expectedVersion + 1, updated_by: by, updated_at: new Date() })
    .onConflict((oc) =>
      oc
        .column('school_id')
        .doUpdateSet((eb) => ({ indicator_set: eb.ref('excluded.indicator_set'), version: eb.ref('excluded.version'), updated_by: eb.ref('excluded.updated_by'), updated_at: eb.ref('excluded.updated_at') }))
        .where(sql<boolean>`preschool_indicator_set.version = excluded.version - 1`),
    )
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}

/** One class's evaluation in one period. */
export type EvaluationKey = { schoolId: string; classId: string; period: PreschoolPeriodValue };

export async function listEvaluations(db: Db, key: EvaluationKey) {
  return db
    .selectFrom('preschool_evaluation')
    .select(['student_id', 'indicator_code', 'result', 'version'])
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('period', '=', key.period)
    .execute();
}

export type EvaluationWrite = { studentId: string; indicatorCode: string; result: 'dat' | 'chua_dat' | null; expectedVersion: number };

/** Writes the results in one statement, each only if it still has the version the writer saw (as writeQualityRatings). */
export async function writeEvaluations(trx: Transaction<Database>, key: EvaluationKey, rows: EvaluationWrite[], by: string) {
  if (rows.length === 0) return [];
  return trx
    .insertInto('preschool_evaluation')
    .values(
      rows.map((r) => ({
        school_id: key.schoolId,
        class_id: key.classId,
        period: key.period,
        student_id: r.studentId,
        indicator_code: r.indicatorCode,
        result: r.result,
        version: r.expectedVersion + 1,
        updated_by: by,
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['school_id', 'class_id', 'period', 'student_id', 'indicator_code'])
        .doUpdateSet((eb) => ({ result: eb.ref('excluded.result'), version: eb.ref('excluded.version'), updated_by: eb.ref('excluded.updated_by'), updated_at: eb.ref('excluded.updated_at') }))
        .where(sql<boolean>`preschool_evaluation.version = excluded.version - 1`),
    )
    .returning(['student_id', 'indicator_code', 'result', 'version'])
    .execute();
}

/** Every stored result of one child in the school, with the class's year, for the family's view. */
export async function listChildEvaluations(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('preschool_evaluation as e')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'e.school_id').onRef('c.id', '=', 'e.class_id'))
    .select(['c.year', 'c.name as class_name', 'e.period', 'e.indicator_code', 'e.result'])
    .where('e.school_id', '=', schoolId)
    .where('e.student_id', '=', studentId)
    .orderBy('c.year')
    .execute();
}

export async function listMeasurements(db: Db, schoolId: string, studentIds: string[]) {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('preschool_measurement')
    .select(['student_id', 'measured_on', 'height_tenths_cm', 'weight_tenths_kg', 'version'])
    .where('school_id', '=', schoolId)
    .where('student_id', 'in', studentIds)
    .orderBy('measured_on')
    .execute();
}

export type MeasurementWrite = { studentId: string; measuredOn: string; heightTenthsCm: number; weightTenthsKg: number; expectedVersion: number };

/** Writes measurements (one per child and day), each only if it still has the version the writer saw. */
export async function writeMeasurements(trx: Transaction<Database>, schoolId: string, rows: MeasurementWrite[], by: string) {
  if (rows.length === 0) return [];
  return trx
    .insertInto('preschool_measurement')
    .values(
      rows.map((r) => ({
        school_id: schoolId,
        student_id: r.studentId,
        measured_on: r.measuredOn,
        height_tenths_cm: r.heightTenthsCm,
        weight_tenths_kg: r.weightTenthsKg,
        version: r.expectedVersion + 1,
        updated_by: by,
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['school_id', 'student_id', 'measured_on'])
        .doUpdateSet((eb) => ({
          height_tenths_cm: eb.ref('excluded.height_tenths_cm'),
          weight_tenths_kg: eb.ref('excluded.weight_tenths_kg'),
          version: eb.ref('excluded.version'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where(sql<boolean>`preschool_measurement.version = excluded.version - 1`),
    )
    .returning(['student_id', 'measured_on', 'height_tenths_cm', 'weight_tenths_kg', 'version'])
    .execute();
}

/** A class's enrolments that overlap [from, to] (a child may have left and come back: one row each). */
function classEnrolments(db: Db, schoolId: string, classId: string, from: string, to: string) {
  return db
    .selectFrom('enrolment as e')
    .where('e.school_id', '=', schoolId)
    .where('e.class_id', '=', classId)
    .where('e.start_date', '<=', to)
    .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>=', from)]));
}

/** A child's stays in a class within [from, to]: a measurement belongs to the class it was taken in. */
export async function listClassStays(db: Db, schoolId: string, classId: string, from: string, to: string) {
  return classEnrolments(db, schoolId, classId, from, to).select(['e.student_id', 'e.start_date', 'e.end_date']).execute();
}

/** The children of a class in the period (enrolled at some time between the dates), with what the growth rule needs. */
export async function listClassChildren(db: Db, schoolId: string, classId: string, from: string, to: string) {
  return classEnrolments(db, schoolId, classId, from, to)
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'e.school_id').onRef('s.id', '=', 'e.student_id'))
    .select(['s.id', 's.family_name', 's.middle_name', 's.given_name', 's.name_sort_key', 's.sex', 's.date_of_birth'])
    .distinct()
    .orderBy('s.name_sort_key')
    .execute();
}
