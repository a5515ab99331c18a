import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { AuditColumns } from '../../platform/audit.js';
import type { Database, NewStudent, StudentEventKind, StudentRow } from '../../db/schema.js';

// Writes to a student's record: the admission, edits, guardians, enrolments, events, and what a
// school move carries over (role grants, the learner's account).

export async function insertStudent(trx: Transaction<Database>, row: NewStudent) {
  await trx.insertInto('student').values(row).execute();
}

export type GuardianRow = Selectable<Database['guardian']>;

/**
 * An admission in one autocommitted statement: the student with its enrolment, its "admitted"
 * event, its guardians and its audit line (whose snapshot is the inserted rows, as the other
 * writes' snapshots are). Admission day sends many of these at once, so it is one round trip with
 * a fixed text, prepared once per connection, instead of a transaction of five (issue 8, speed).
 * Returns the inserted student, its guardians and the school's newest name: all a profile needs.
 */
export async function insertAdmission(
  db: Kysely<Database>,
  rows: { student: NewStudent & { current_class_id: string }; year: number; enrolmentId: string; eventId: string; createdBy: string | null; guardians: GuardianInsert[]; audit: AuditColumns },
) {
  const { student: st, audit: a } = rows;
  const guardians = JSON.stringify(rows.guardians.map(({ id, relation, full_name, phone, email, occupation, birth_year }) => ({ id, relation, full_name, phone, email, occupation, birth_year })));
  const r = await sql<StudentRow & { guardians: GuardianRow[]; school_name: string | null }>`/* prepared: student_admission */
    with s as (
      insert into student (school_id, id, person_id, learner_id, temp_code, citizen_id, family_name, middle_name, given_name,
        name_sort_key, search_text, date_of_birth, sex, ethnicity_code, religion_code, birthplace, address, status_code,
        status_date, is_current, current_class_id, register_number)
      values (${st.school_id}, ${st.id}, ${st.person_id}, ${st.learner_id ?? null}, ${st.temp_code ?? null}, ${st.citizen_id ?? null},
        ${st.family_name}, ${st.middle_name ?? ''}, ${st.given_name}, ${st.name_sort_key}, ${st.search_text}, ${st.date_of_birth},
        ${st.sex}, ${st.ethnicity_code ?? '01'}, ${st.religion_code ?? null}, ${st.birthplace ?? null}, ${st.address ?? null},
        ${st.status_code ?? '01'}, ${st.status_date}, true, ${st.current_class_id}, ${st.register_number ?? null})
      returning *
    ), e as (
      insert into enrolment (school_id, id, student_id, class_id, year, start_date)
      select s.school_id, ${rows.enrolmentId}, s.id, s.current_class_id, ${rows.year}, s.status_date from s
    ), ev as (
      insert into student_event (school_id, id, student_id, person_id, kind, event_date, status_code, to_class_id, created_by)
      select s.school_id, ${rows.eventId}, s.id, s.person_id, 'admitted', s.status_date, s.status_code, s.current_class_id, ${rows.createdBy} from s
    ), g as (
      insert into guardian (school_id, id, student_id, relation, full_name, phone, email, occupation, birth_year)
      select s.school_id, x.id, s.id, x.relation, x.full_name, x.phone, x.email, x.occupation, x.birth_year
      from s, jsonb_to_recordset(${guardians}::jsonb)
        as x(id uuid, relation text, full_name text, phone text, email text, occupation text, birth_year smallint)
      returning *
    ), gs as (
      select coalesce(jsonb_agg(to_jsonb(g) order by g.id), '[]'::jsonb) as guardians from g
    ), a as (
      insert into audit_log (id, user_id, username, action, entity, entity_id, org_unit_id, after, ip, target_label)
      select ${a.id}, ${a.user_id}, ${a.username}, ${a.action}, ${a.entity}, ${a.entity_id}, ${a.org_unit_id},
        to_jsonb(s) || jsonb_build_object('guardians', gs.guardians), ${a.ip}, ${a.target_label}
      from s, gs
    )
    select s.*, gs.guardians,
      (select nv.name from org_unit_version nv where nv.unit_id = s.school_id order by nv.valid_from desc limit 1) as school_name
    from s, gs`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('the admission inserted no student');
  const { guardians: inserted, school_name, ...student } = row;
  return { student, guardians: inserted, schoolName: school_name };
}

export async function updateStudent(trx: Transaction<Database>, schoolId: string, id: string, patch: Partial<StudentRow>) {
  const { school_id: _s, id: _i, created_at: _c, ...rest } = patch;
  await trx
    .updateTable('student')
    .set({ ...rest, updated_at: sql`now()` })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

export type GuardianInsert = Database['guardian'];

export async function insertGuardians(trx: Transaction<Database>, rows: GuardianInsert[]) {
  if (rows.length === 0) return;
  await trx.insertInto('guardian').values(rows).execute();
}

export async function updateGuardian(trx: Transaction<Database>, row: GuardianInsert) {
  const { school_id, id, student_id, user_id: _keep, ...rest } = row;
  await trx.updateTable('guardian').set(rest).where('school_id', '=', school_id).where('id', '=', id).where('student_id', '=', student_id).execute();
}

export async function deleteGuardians(trx: Transaction<Database>, schoolId: string, studentId: string, ids: string[]) {
  if (ids.length === 0) return;
  await trx.deleteFrom('guardian').where('school_id', '=', schoolId).where('student_id', '=', studentId).where('id', 'in', ids).execute();
}

export async function insertEnrolment(trx: Transaction<Database>, row: Database['enrolment']) {
  await trx.insertInto('enrolment').values(row).execute();
}

export async function closeEnrolment(trx: Transaction<Database>, schoolId: string, enrolmentId: string, endDate: string) {
  await trx.updateTable('enrolment').set({ end_date: endDate }).where('school_id', '=', schoolId).where('id', '=', enrolmentId).execute();
}

export async function insertEvent(
  trx: Transaction<Database>,
  row: {
    school_id: string;
    id: string;
    student_id: string;
    person_id: string;
    kind: StudentEventKind;
    event_date: string;
    status_code?: string | null;
    from_class_id?: string | null;
    to_class_id?: string | null;
    other_school_id?: string | null;
    note?: string | null;
    created_by: string | null;
  },
) {
  await trx
    .insertInto('student_event')
    .values({ status_code: null, from_class_id: null, to_class_id: null, other_school_id: null, note: null, ...row })
    .execute();
}

/** A parent account keeps seeing its child after a transfer: it needs the parent role at the new school. */
export async function grantRoleIfMissing(trx: Transaction<Database>, id: string, userId: string, role: 'parent' | 'student', unitId: string) {
  const res = await trx
    .insertInto('role_grant')
    .values({ id, user_id: userId, role, org_unit_id: unitId })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'org_unit_id']).doNothing())
    .returning('id')
    .execute();
  return res.length > 0;
}

/** Student accounts linked to a row that is being closed by a transfer. */
export async function relinkStudentAccounts(trx: Transaction<Database>, from: { schoolId: string; id: string }, to: { schoolId: string; id: string }) {
  return trx
    .updateTable('app_user')
    .set({ student_school_id: to.schoolId, student_id: to.id })
    .where('student_school_id', '=', from.schoolId)
    .where('student_id', '=', from.id)
    .returning('id')
    .execute();
}
