import { type Kysely, type Transaction, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { compiledOnce } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { ETHNICITY_LIST, STATUS_LIST } from './students.repo.js';

// One student as the profile shows it, and what the access check asks of the record.

type Db = Kysely<Database> | Transaction<Database>;

/** The newest name of the unit `ref` points at (a closed school keeps its last name). */
const newestUnitName = (ref: string) =>
  sql<string | null>`(select nv.name from org_unit_version nv where nv.unit_id = ${sql.ref(ref)} order by nv.valid_from desc limit 1)`;

/**
 * Everything a student's profile shows, in one statement: the row with its code and class names,
 * the guardians, enrolments and events of the person in every school they attended, an open
 * transfer, and each school's newest name. The profile is read on every open of a record, so it
 * costs one round trip, not nine (docs/profiles/README.md).
 */
export async function studentProfileRow(db: Db, schoolId: string, studentId: string) {
  return (await profileQuery(db, schoolId, studentId))[0];
}

// Built and compiled once, prepared once per connection: it runs on every open of a record.
const profileQuery = compiledOnce('student_profile', 2, (db, schoolId, studentId) =>
  db
    .selectFrom('student as s')
    .leftJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
    .leftJoin('code_list_item as eth', (j) => j.on('eth.list', '=', ETHNICITY_LIST).onRef('eth.code', '=', 's.ethnicity_code'))
    .leftJoin('code_list_item as st', (j) => j.on('st.list', '=', STATUS_LIST).onRef('st.code', '=', 's.status_code'))
    .selectAll('s')
    .select(['eth.name as ethnicity_name', 'st.name as status_name', 'c.name as class_name', 'c.grade'])
    .select((eb) => [
      newestUnitName('s.school_id').as('school_name'),
      jsonArrayFrom(
        eb
          .selectFrom('guardian as g')
          .select(['g.id', 'g.relation', 'g.full_name', 'g.phone', 'g.email', 'g.occupation', 'g.birth_year'])
          .whereRef('g.school_id', '=', 's.school_id')
          .whereRef('g.student_id', '=', 's.id')
          .orderBy('g.id'),
      ).as('guardians'),
      jsonArrayFrom(
        eb
          .selectFrom('student as ps')
          .innerJoin('enrolment as e', (j) => j.onRef('e.school_id', '=', 'ps.school_id').onRef('e.student_id', '=', 'ps.id'))
          .innerJoin('class as ec', (j) => j.onRef('ec.school_id', '=', 'e.school_id').onRef('ec.id', '=', 'e.class_id'))
          .select(['e.year', 'e.start_date', 'e.end_date', 'ec.name as class_name', newestUnitName('e.school_id').as('school_name')])
          .whereRef('ps.person_id', '=', 's.person_id')
          .orderBy('e.start_date')
          .orderBy('e.id'),
      ).as('enrolments'),
      jsonArrayFrom(
        eb
          .selectFrom('student_event as ev')
          .leftJoin('class as fc', (j) => j.onRef('fc.school_id', '=', 'ev.school_id').onRef('fc.id', '=', 'ev.from_class_id'))
          .leftJoin('class as tc', (j) => j.onRef('tc.school_id', '=', 'ev.school_id').onRef('tc.id', '=', 'ev.to_class_id'))
          .select([
            'ev.id',
            'ev.school_id',
            'ev.kind',
            'ev.event_date',
            'ev.status_code',
            'ev.note',
            'fc.name as from_class_name',
            'tc.name as to_class_name',
            newestUnitName('ev.school_id').as('school_name'),
            newestUnitName('ev.other_school_id').as('other_school_name'),
          ])
          .whereRef('ev.person_id', '=', 's.person_id')
          .orderBy('ev.event_date')
          .orderBy('ev.created_at')
          .orderBy('ev.id'),
      ).as('events'),
      jsonObjectFrom(
        eb
          .selectFrom('school_transfer as t')
          .select(['t.id', 't.kind', 't.effective_date', 't.created_at', newestUnitName('t.to_school_id').as('to_school_name')])
          .whereRef('t.school_id', '=', 's.school_id')
          .whereRef('t.from_school_id', '=', 's.school_id')
          .whereRef('t.from_student_id', '=', 's.id')
          .where('t.status', '=', 'pending')
          .limit(1),
      ).as('pending'),
    ])
    .where('s.school_id', '=', schoolId)
    .where('s.id', '=', studentId),
);

export async function guardiansOf(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('guardian')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .orderBy('id')
    .execute();
}

/** Is the student (now, or earlier this year) in one of these classes? */
export async function studentInClasses(db: Db, schoolId: string, studentId: string, classIds: string[]): Promise<boolean> {
  if (classIds.length === 0) return false;
  const row = await db
    .selectFrom('student as s')
    .select('s.id')
    .where('s.school_id', '=', schoolId)
    .where('s.id', '=', studentId)
    .where((eb) =>
      eb.or([
        eb('s.current_class_id', 'in', classIds),
        eb.exists(
          eb
            .selectFrom('enrolment as e')
            .select('e.id')
            .whereRef('e.school_id', '=', 's.school_id')
            .whereRef('e.student_id', '=', 's.id')
            .where('e.class_id', 'in', classIds),
        ),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
