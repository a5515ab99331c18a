import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { compiledOnce } from '../../db/connection.js';
import type { AuditColumns } from '../../platform/audit.js';
import type { ClassRow, Database, NewStudent, Sex, StudentEventKind, StudentRow } from '../../db/schema.js';
import { type NameSearch, searchRankSql, startsNameWords } from '../../platform/name-search-sql.js';

type Db = Kysely<Database> | Transaction<Database>;

export const STATUS_LIST = 'DM_TRANG_THAI_HOC_SINH';
export const ETHNICITY_LIST = 'DM_DAN_TOC';
export const RELIGION_LIST = 'DM_TON_GIAO';

// ---------------------------------------------------------------- schools, years, classes

export async function schoolYears(db: Db, schoolId: string) {
  return db.selectFrom('school_year').selectAll().where('school_id', '=', schoolId).orderBy('year').execute();
}

/** The code of a unit (fixed when it is created). */
export async function unitCode(db: Db, unitId: string): Promise<string | null | undefined> {
  return (await db.selectFrom('org_unit').select('code').where('id', '=', unitId).executeTakeFirst())?.code;
}

/** Code and newest name of a unit (a closed school keeps the name it had last). */
export async function schoolInfo(db: Db, schoolId: string) {
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .select(['u.id', 'u.kind', 'u.code', 'v.name'])
    .where('u.id', '=', schoolId)
    .orderBy('v.valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Newest name of each unit. */
export async function unitNames(db: Db, unitIds: string[]): Promise<Map<string, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('org_unit_version')
    .distinctOn('unit_id')
    .select(['unit_id', 'name'])
    .where('unit_id', 'in', unitIds)
    .orderBy('unit_id')
    .orderBy('valid_from', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.unit_id, r.name]));
}

export async function findClass(db: Db, schoolId: string, classId: string) {
  return db.selectFrom('class').selectAll().where('school_id', '=', schoolId).where('id', '=', classId).executeTakeFirst();
}

/**
 * A class of the school with all the school's years (what deciding whether it may take a student
 * needs), in one statement compiled once: every admission and class transfer asks it.
 */
export async function classWithSchoolYears(db: Db, schoolId: string, classId: string) {
  return (await classWithYearsQuery(db, schoolId, classId))[0];
}

const classWithYearsQuery = compiledOnce('class_with_school_years', 2, (db, schoolId, classId) =>
  db
    .selectFrom('class as c')
    .selectAll('c')
    .select((eb) => jsonArrayFrom(eb.selectFrom('school_year as y').selectAll('y').whereRef('y.school_id', '=', 'c.school_id').orderBy('y.year')).as('school_years'))
    .where('c.school_id', '=', schoolId)
    .where('c.id', '=', classId),
);

/**
 * The same class with its school's years, and the next number of the school's temporary codes with
 * `prefix` taken in the same statement (null when the school has no counter for it yet): what an
 * admission without a learner id needs before it writes, in one round trip. A number taken for a
 * class that is then refused is skipped, as a sequence would skip it.
 *
 * The statement commits without waiting for the disk (synchronous_commit off for this one
 * transaction): the school's counter row is locked for microseconds, not for a disk flush, so
 * admissions of one school do not queue on it. Nothing is lost by that: the admission that uses
 * the number commits later and waits for the disk, which writes the log in order, so the counter's
 * move is on disk before any record carrying its number is; after a crash before that, the number
 * was never used.
 */
export async function classWithSchoolYearsAndTempSeq(db: Kysely<Database>, schoolId: string, classId: string, prefix: string) {
  const r = await sql<ClassRow & { school_years: Selectable<Database['school_year']>[]; temp_seq: string | null }>`/* prepared: class_and_temp_seq */
    with no_flush_wait as (select set_config('synchronous_commit', 'off', true)),
    taken as (
      update temp_code_counter set last_seq = last_seq + 1
      from no_flush_wait where school_id = ${schoolId} and prefix = ${prefix}
      returning last_seq
    )
    select c.*,
      (select coalesce(json_agg(y order by y.year), '[]') from school_year y where y.school_id = c.school_id) as school_years,
      (select last_seq from taken) as temp_seq
    from class c where c.school_id = ${schoolId} and c.id = ${classId}`.execute(db);
  return r.rows[0];
}

export async function codeName(db: Db, list: string, code: string): Promise<string | null> {
  const row = await db.selectFrom('code_list_item').select('name').where('list', '=', list).where('code', '=', code).executeTakeFirst();
  return row?.name ?? null;
}

// ---------------------------------------------------------------- list and export

export type ListFilter = {
  schoolId: string;
  /**
   * A past school year: the class shown is the student's last class of that year (from enrolments)
   * and students who left since are included. Undefined = the current view (current class).
   */
  pastYear?: number;
  /** Class year filter in the current view. */
  year?: number;
  grade?: number;
  classId?: string;
  sex?: Sex;
  ethnicityCode?: string;
  statusCode?: string;
  includeLeft: boolean;
  /** Raw query (exact learner id / temp code) and its folded words (each starts a word of the name). */
  q?: NameSearch;
  /** A teacher's classes; null = the whole school. */
  classIds: string[] | null;
};

function filtered(db: Db, f: ListFilter) {
  const classJoin =
    f.pastYear === undefined
      ? sql<boolean>`c.id = s.current_class_id`
      : sql<boolean>`c.id = (select e.class_id from enrolment e
           where e.school_id = s.school_id and e.student_id = s.id and e.year = ${f.pastYear}
           order by e.start_date desc, e.id desc limit 1)`;
  const classCol = f.pastYear === undefined ? 's.current_class_id' : 'c.id';
  let qb = db
    .selectFrom('student as s')
    .leftJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').on(classJoin))
    .where('s.school_id', '=', f.schoolId);
  if (f.pastYear !== undefined) qb = qb.where('c.id', 'is not', null);
  else if (!f.includeLeft) qb = qb.where('s.is_current', '=', true);
  if (f.year !== undefined) qb = qb.where('c.year', '=', f.year);
  if (f.grade !== undefined) qb = qb.where('c.grade', '=', f.grade);
  if (f.classId !== undefined) qb = qb.where(classCol, '=', f.classId);
  if (f.classIds !== null) qb = qb.where(classCol, 'in', f.classIds);
  if (f.sex !== undefined) qb = qb.where('s.sex', '=', f.sex);
  if (f.ethnicityCode !== undefined) qb = qb.where('s.ethnicity_code', '=', f.ethnicityCode);
  if (f.statusCode !== undefined) qb = qb.where('s.status_code', '=', f.statusCode);
  if (f.q) {
    const { raw, words } = f.q;
    // The word-start trigram index of migration 0008 serves the name condition.
    qb = qb.where((eb) => eb.or([startsNameWords(sql.ref('s.search_text'), words), exactCode(raw)]));
  }
  return qb;
}

/** The query is the student's learner id or temporary code, whole (ids are not names). */
const exactCode = (raw: string) => sql<boolean>`(s.learner_id = ${raw} or s.temp_code = ${raw.toUpperCase()})`;

/**
 * The rows of a list in class-list order; a search lists an exact id first, then names with every
 * word typed whole, then the rest (domain searchRank), each in class-list order. The page is cut on
 * student + class first and only its rows are joined to the code lists: on a 2,000-student school
 * that halves the query time compared with joining every row before the top-N sort.
 */
function listSelect(db: Db, f: ListFilter, page?: { limit: number; offset: number }) {
  const q = f.q;
  let inner = filtered(db, f)
    .select([
      's.id',
      's.school_id',
      's.learner_id',
      's.temp_code',
      's.citizen_id',
      's.family_name',
      's.middle_name',
      's.given_name',
      's.name_sort_key',
      's.date_of_birth',
      's.sex',
      's.ethnicity_code',
      's.status_code',
      'c.id as class_id',
      'c.name as class_name',
      'c.grade',
    ])
    .select(q ? searchRankSql(sql.ref('s.search_text'), q.words, exactCode(q.raw)).as('search_rank') : sql<number>`0`.as('search_rank'))
    .$if(q !== undefined, (qb) => qb.orderBy('search_rank'))
    // Class list order: grade, class, then the Vietnamese name key (binary order by design).
    .orderBy(sql`c.grade nulls last`)
    .orderBy(sql`c.name collate "C" nulls last`)
    .orderBy(sql`s.name_sort_key collate "C"`)
    .orderBy('s.id');
  if (page) inner = inner.limit(page.limit).offset(page.offset);
  return db
    .selectFrom(inner.as('x'))
    .leftJoin('code_list_item as eth', (j) => j.on('eth.list', '=', ETHNICITY_LIST).onRef('eth.code', '=', 'x.ethnicity_code'))
    .leftJoin('code_list_item as st', (j) => j.on('st.list', '=', STATUS_LIST).onRef('st.code', '=', 'x.status_code'))
    .selectAll('x')
    .select(['eth.name as ethnicity_name', 'st.name as status_name'])
    .$if(q !== undefined, (qb) => qb.orderBy('x.search_rank'))
    .orderBy(sql`x.grade nulls last`)
    .orderBy(sql`x.class_name collate "C" nulls last`)
    .orderBy(sql`x.name_sort_key collate "C"`)
    .orderBy('x.id');
}

export type StudentListRow = Awaited<ReturnType<ReturnType<typeof listSelect>['execute']>>[number];

/** One page and the total: exactly two queries whatever the page size. */
export async function listPage(db: Db, f: ListFilter, page: number, pageSize: number) {
  const [items, count] = await Promise.all([
    listSelect(db, f, { limit: pageSize, offset: (page - 1) * pageSize }).execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function listAll(db: Db, f: ListFilter, max: number) {
  return listSelect(db, f, { limit: max, offset: 0 }).execute();
}

// ---------------------------------------------------------------- one student

export async function findStudent(db: Db, schoolId: string, studentId: string) {
  return db.selectFrom('student').selectAll().where('school_id', '=', schoolId).where('id', '=', studentId).executeTakeFirst();
}

/** Same, locking the row until the transaction ends (two concurrent changes queue up). */
export async function lockStudent(trx: Transaction<Database>, schoolId: string, studentId: string) {
  return trx
    .selectFrom('student')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', studentId)
    .forUpdate()
    .executeTakeFirst();
}

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

// ---------------------------------------------------------------- uniqueness

/** A current student (any school) holding this learner id, other than `exceptId`. */
export async function currentWithLearnerId(db: Db, learnerId: string, except?: { schoolId: string; id: string }) {
  let qb = db.selectFrom('student').select(['school_id', 'id']).where('learner_id', '=', learnerId).where('is_current', '=', true);
  if (except) qb = qb.where((eb) => eb.not(eb.and([eb('school_id', '=', except.schoolId), eb('id', '=', except.id)])));
  return qb.executeTakeFirst();
}

export async function currentWithCitizenId(db: Db, citizenId: string, except?: { schoolId: string; id: string }) {
  let qb = db.selectFrom('student').select(['school_id', 'id']).where('citizen_id', '=', citizenId).where('is_current', '=', true);
  if (except) qb = qb.where((eb) => eb.not(eb.and([eb('school_id', '=', except.schoolId), eb('id', '=', except.id)])));
  return qb.executeTakeFirst();
}

/**
 * Takes `count` consecutive numbers of the school's temporary codes with this prefix and returns
 * the last. A short statement of its own where it can be (the admission form): the counter row is
 * then locked only while PostgreSQL runs it, not until a longer transaction commits.
 */
export async function takeTempSeqs(db: Db, schoolId: string, prefix: string, count: number): Promise<number> {
  const taken = await db
    .updateTable('temp_code_counter')
    .set({ last_seq: sql`last_seq + ${count}` })
    .where('school_id', '=', schoolId)
    .where('prefix', '=', prefix)
    .returning('last_seq')
    .executeTakeFirst();
  if (taken) return Number(taken.last_seq);
  // First use of this prefix: start after the highest number already in use. Two first uses at
  // once both insert; the second finds the row and adds to it.
  const seeded = await db
    .insertInto('temp_code_counter')
    .values({ school_id: schoolId, prefix, last_seq: (await highestTempSeqInUse(db, schoolId, prefix)) + count })
    .onConflict((oc) => oc.columns(['school_id', 'prefix']).doUpdateSet({ last_seq: sql`temp_code_counter.last_seq + ${count}` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(seeded.last_seq);
}

/** Makes sure the counter never issues a number up to `seq` (codes an import file brings along). */
export async function raiseTempSeqFloor(db: Db, schoolId: string, prefix: string, seq: number): Promise<void> {
  await takeTempSeqs(db, schoolId, prefix, 0);
  await db
    .updateTable('temp_code_counter')
    .set({ last_seq: sql`greatest(last_seq, ${seq})` })
    .where('school_id', '=', schoolId)
    .where('prefix', '=', prefix)
    .execute();
}

async function highestTempSeqInUse(db: Db, schoolId: string, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('student')
    .select('temp_code')
    .where('school_id', '=', schoolId)
    .where('temp_code', 'like', `${prefix}%`)
    .orderBy(sql`length(temp_code) desc`)
    .orderBy(sql`temp_code collate "C" desc`)
    .limit(1)
    .executeTakeFirst();
  const last = row?.temp_code ? Number(row.temp_code.slice(prefix.length)) : 0;
  return Number.isSafeInteger(last) ? last : 0;
}

/** The current row of a learner, found by BOTH learner id and birth date (an id alone must not be enough to find anyone). */
export async function lockCurrentByLearnerAndDob(trx: Transaction<Database>, learnerId: string, dateOfBirth: string) {
  return trx
    .selectFrom('student')
    .selectAll()
    .where('learner_id', '=', learnerId)
    .where('date_of_birth', '=', dateOfBirth)
    .where('is_current', '=', true)
    .forUpdate()
    .executeTakeFirst();
}

// ---------------------------------------------------------------- writes

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
        status_date, is_current, current_class_id)
      values (${st.school_id}, ${st.id}, ${st.person_id}, ${st.learner_id ?? null}, ${st.temp_code ?? null}, ${st.citizen_id ?? null},
        ${st.family_name}, ${st.middle_name ?? ''}, ${st.given_name}, ${st.name_sort_key}, ${st.search_text}, ${st.date_of_birth},
        ${st.sex}, ${st.ethnicity_code ?? '01'}, ${st.religion_code ?? null}, ${st.birthplace ?? null}, ${st.address ?? null},
        ${st.status_code ?? '01'}, ${st.status_date}, true, ${st.current_class_id})
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

export async function openEnrolment(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('enrolment')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('end_date', 'is', null)
    .orderBy('start_date', 'desc')
    .limit(1)
    .executeTakeFirst();
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

// ---------------------------------------------------------------- dashboard

/** Counts by class × sex × ethnicity of the current students (asOf undefined) or the enrolments valid on asOf. */
export async function dashboardCounts(db: Db, schoolId: string, asOf: string | undefined, classIds: string[] | null) {
  if (asOf === undefined) {
    let qb = db
      .selectFrom('student as s')
      .select(['s.current_class_id as class_id', 's.sex', 's.ethnicity_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('s.school_id', '=', schoolId)
      .where('s.is_current', '=', true);
    if (classIds !== null) qb = qb.where('s.current_class_id', 'in', classIds);
    return qb.groupBy(['s.current_class_id', 's.sex', 's.ethnicity_code']).execute();
  }
  let qb = db
    .selectFrom('enrolment as e')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'e.school_id').onRef('s.id', '=', 'e.student_id'))
    .select(['e.class_id', 's.sex', 's.ethnicity_code', (eb) => eb.fn.count<number>('s.id').distinct().as('n')])
    .where('e.school_id', '=', schoolId)
    .where('e.start_date', '<=', asOf)
    .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>', asOf)]));
  if (classIds !== null) qb = qb.where('e.class_id', 'in', classIds);
  return qb.groupBy(['e.class_id', 's.sex', 's.ethnicity_code']).execute();
}

export async function classesOfYear(db: Db, schoolId: string, year: number, classIds: string[] | null) {
  if (classIds !== null && classIds.length === 0) return [];
  let qb = db.selectFrom('class').select(['id', 'name', 'grade']).where('school_id', '=', schoolId).where('year', '=', year);
  if (classIds !== null) qb = qb.where('id', 'in', classIds);
  return qb.orderBy('grade').orderBy(sql`name collate "C"`).execute();
}

export async function classesByIds(db: Db, schoolId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('class').select(['id', 'name', 'grade', 'year']).where('school_id', '=', schoolId).where('id', 'in', ids).execute();
}

export async function activeStaffCount(db: Db, schoolId: string): Promise<number> {
  const row = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function codeNames(db: Db, list: string, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('code_list_item').select(['code', 'name']).where('list', '=', list).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
