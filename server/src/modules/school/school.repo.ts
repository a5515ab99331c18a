import { type Insertable, type Kysely, type Transaction, type Updateable, sql } from 'kysely';
import type {
  ClassTable,
  Database,
  SchoolLevel,
  SchoolSubjectTable,
  SchoolYearTable,
  StaffPosition,
  StaffRow,
  StaffTable,
  TeachingAssignmentTable,
} from '../../db/schema.js';
import type { NameSearch } from '../../platform/name-search.js';
import { escapeLike, startsNameWords } from '../../platform/name-search.repo.js';

type Db = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------- org units

/** The unit as it is on `asOf`, with its kind and levels (null when it does not exist then). */
export async function findUnitOn(db: Db, unitId: string, asOf: string) {
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .select(['u.id', 'u.kind', 'v.name', 'v.parent_id', 'v.school_levels'])
    .where('u.id', '=', unitId)
    .where('v.valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', asOf)]))
    .executeTakeFirst() as Promise<
    { id: string; kind: Database['org_unit']['kind']; name: string; parent_id: string | null; school_levels: SchoolLevel[] } | undefined
  >;
}

// ---------------------------------------------------------------- code lists and subjects

export async function codeListItem(db: Db, list: string, code: string) {
  return db.selectFrom('code_list_item').select(['code', 'name']).where('list', '=', list).where('code', '=', code).executeTakeFirst();
}

export async function subjectsByCode(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('subject').select(['code', 'name', 'sort_order']).where('code', 'in', codes).execute();
}

// ---------------------------------------------------------------- school years

export async function listSchoolYears(db: Db, schoolId: string) {
  return db.selectFrom('school_year').selectAll().where('school_id', '=', schoolId).orderBy('year', 'desc').execute();
}

export async function findSchoolYear(db: Db, schoolId: string, year: number) {
  return db.selectFrom('school_year').selectAll().where('school_id', '=', schoolId).where('year', '=', year).executeTakeFirst();
}

/** The latest declared year that has already started on `today` (the school's "current" year). */
export async function latestStartedYear(db: Db, schoolId: string, today: string): Promise<number | null> {
  const row = await db
    .selectFrom('school_year')
    .select((eb) => eb.fn.max('year').as('year'))
    .where('school_id', '=', schoolId)
    .where('term1_start', '<=', today)
    .executeTakeFirst();
  return row?.year ?? null;
}

/** Declares the year, or moves the term dates of a year already declared. */
export async function saveSchoolYear(trx: Transaction<Database>, year: Insertable<SchoolYearTable>): Promise<void> {
  await trx
    .insertInto('school_year')
    .values(year)
    .onConflict((oc) =>
      oc.columns(['school_id', 'year']).doUpdateSet({
        term1_start: year.term1_start,
        term1_end: year.term1_end,
        term2_start: year.term2_start,
        term2_end: year.term2_end,
      }),
    )
    .execute();
}

// ---------------------------------------------------------------- classes

/** Classes with homeroom teacher and the number of students currently enrolled (open enrolments). */
export async function listClasses(db: Db, schoolId: string, filter: { year?: number; grade?: number; classId?: string }, today: string) {
  const counts = db
    .selectFrom('enrolment as e')
    .innerJoin('student as st', (j) => j.onRef('st.school_id', '=', 'e.school_id').onRef('st.id', '=', 'e.student_id'))
    .select([
      'e.class_id',
      sql<number>`count(distinct e.student_id)`.as('n'),
      sql<number>`count(distinct e.student_id) filter (where st.sex = 'male')`.as('male'),
      sql<number>`count(distinct e.student_id) filter (where st.sex = 'female')`.as('female'),
    ])
    .where('e.school_id', '=', schoolId)
    .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>', today)]))
    .groupBy('e.class_id')
    .as('cnt');
  let q = db
    .selectFrom('class as c')
    .leftJoin('staff as t', (j) => j.onRef('t.school_id', '=', 'c.school_id').onRef('t.id', '=', 'c.homeroom_teacher_id'))
    .leftJoin(counts, 'cnt.class_id', 'c.id')
    .select([
      'c.id',
      'c.year',
      'c.name',
      'c.grade',
      'c.age_group',
      'c.site_id',
      'c.homeroom_teacher_id',
      'c.session',
      'c.is_multi_grade',
      't.family_name',
      't.middle_name',
      't.given_name',
      'cnt.n',
      'cnt.male',
      'cnt.female',
    ])
    .where('c.school_id', '=', schoolId);
  if (filter.year !== undefined) q = q.where('c.year', '=', filter.year);
  if (filter.grade !== undefined) q = q.where('c.grade', '=', filter.grade);
  if (filter.classId !== undefined) q = q.where('c.id', '=', filter.classId);
  return q.execute();
}

export async function findClass(db: Db, schoolId: string, classId: string) {
  return db.selectFrom('class').selectAll().where('school_id', '=', schoolId).where('id', '=', classId).executeTakeFirst();
}

export async function classNamesOfYear(db: Db, schoolId: string, year: number) {
  return db.selectFrom('class').select(['id', 'name']).where('school_id', '=', schoolId).where('year', '=', year).execute();
}

export async function homeroomClassOf(db: Db, schoolId: string, staffId: string, year: number) {
  return db
    .selectFrom('class')
    .select(['id', 'name', 'year'])
    .where('school_id', '=', schoolId)
    .where('homeroom_teacher_id', '=', staffId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export async function homeroomClassesFrom(db: Db, schoolId: string, staffId: string, fromYear: number) {
  return db
    .selectFrom('class')
    .select(['id', 'name', 'year'])
    .where('school_id', '=', schoolId)
    .where('homeroom_teacher_id', '=', staffId)
    .where('year', '>=', fromYear)
    .orderBy('year')
    .execute();
}

export async function insertClass(trx: Transaction<Database>, row: Insertable<ClassTable>): Promise<void> {
  await trx.insertInto('class').values(row).execute();
}

export async function updateClassFields(trx: Transaction<Database>, schoolId: string, classId: string, set: Updateable<ClassTable>): Promise<void> {
  await trx.updateTable('class').set(set).where('school_id', '=', schoolId).where('id', '=', classId).execute();
}

// ---------------------------------------------------------------- staff

export async function listStaff(
  db: Db,
  schoolId: string,
  filter: { search?: NameSearch; position?: StaffPosition; includeLeft?: boolean; staffId?: string },
) {
  let q = db
    .selectFrom('staff as s')
    .leftJoin('code_list_item as ql', (j) => j.on('ql.list', '=', 'DM_TRINH_DO_CHUYEN_MON').onRef('ql.code', '=', 's.qualification_code'))
    .leftJoin('code_list_item as ct', (j) => j.on('ct.list', '=', 'DM_HINH_THUC_HOP_DONG').onRef('ct.code', '=', 's.contract_type_code'))
    .select([
      's.id',
      's.staff_code',
      's.family_name',
      's.middle_name',
      's.given_name',
      's.date_of_birth',
      's.sex',
      's.phone',
      's.email',
      's.position',
      's.qualification_code',
      'ql.name as qualification_name',
      's.contract_type_code',
      'ct.name as contract_type_name',
      's.subject_codes',
      's.status',
      's.school_contact',
    ])
    .where('s.school_id', '=', schoolId);
  if (!filter.includeLeft && !filter.staffId) q = q.where('s.status', '=', 'active');
  if (filter.position) q = q.where('s.position', '=', filter.position);
  if (filter.staffId) q = q.where('s.id', '=', filter.staffId);
  if (filter.search) {
    const { raw, words } = filter.search;
    // Each word typed starts a word of the name, or the query starts the staff code (ASCII, so lower() folds it).
    q = q.where((eb) =>
      eb.or([startsNameWords(sql.ref('s.search_text'), words), eb(sql<string>`lower(s.staff_code)`, 'like', `${escapeLike(raw.toLowerCase())}%`)]),
    );
  }
  // name_sort_key is built so that plain byte order is the Vietnamese class-list order.
  return q.orderBy(sql`s.name_sort_key collate "C"`).orderBy('s.id').execute();
}

/**
 * The staff directory: active staff with only what colleagues may see. The personal columns are
 * not selected at all, so no later change to the presenter can leak them. Search is by name only
 * (not by staff code: the directory does not show codes, so it must not confirm them either).
 */
export async function listStaffDirectory(db: Db, schoolId: string, filter: { search?: NameSearch; position?: StaffPosition }) {
  let q = db
    .selectFrom('staff as s')
    .select(['s.id', 's.family_name', 's.middle_name', 's.given_name', 's.position', 's.subject_codes', 's.school_contact'])
    .where('s.school_id', '=', schoolId)
    .where('s.status', '=', 'active');
  if (filter.position) q = q.where('s.position', '=', filter.position);
  if (filter.search) q = q.where(startsNameWords(sql.ref('s.search_text'), filter.search.words));
  return q.orderBy(sql`s.name_sort_key collate "C"`).orderBy('s.id').execute();
}

export async function findStaff(db: Db, schoolId: string, staffId: string) {
  return db.selectFrom('staff').selectAll().where('school_id', '=', schoolId).where('id', '=', staffId).executeTakeFirst();
}

/** Locks the staff row for the rest of the transaction: serialises "one homeroom class per year" checks. */
export async function lockStaff(trx: Transaction<Database>, schoolId: string, staffId: string) {
  return trx
    .selectFrom('staff')
    .select(['id', 'status', 'family_name', 'middle_name', 'given_name'])
    .where('school_id', '=', schoolId)
    .where('id', '=', staffId)
    .forUpdate()
    .executeTakeFirst();
}

export async function staffByCode(db: Db, schoolId: string, staffCode: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'family_name', 'middle_name', 'given_name'])
    .where('school_id', '=', schoolId)
    .where('staff_code', '=', staffCode)
    .executeTakeFirst();
}

export async function staffByCitizenId(db: Db, schoolId: string, citizenId: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'family_name', 'middle_name', 'given_name'])
    .where('school_id', '=', schoolId)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
}

export async function insertStaff(trx: Transaction<Database>, row: Insertable<StaffTable>): Promise<void> {
  await trx.insertInto('staff').values(row).execute();
}

/** Writes the changed fields (and the time of the change); returns the row as it is afterwards. */
export async function updateStaffFields(trx: Transaction<Database>, schoolId: string, staffId: string, set: Updateable<StaffTable>): Promise<StaffRow> {
  await trx
    .updateTable('staff')
    .set({ ...set, updated_at: sql`now()` })
    .where('school_id', '=', schoolId)
    .where('id', '=', staffId)
    .execute();
  return trx.selectFrom('staff').selectAll().where('school_id', '=', schoolId).where('id', '=', staffId).executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------- assignments

export async function listAssignments(
  db: Db,
  schoolId: string,
  filter: { year?: number; term?: number; classId?: string; staffId?: string; id?: string },
) {
  let q = db
    .selectFrom('teaching_assignment as a')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'a.school_id').onRef('c.id', '=', 'a.class_id'))
    .innerJoin('staff as s', (j) => j.onRef('s.school_id', '=', 'a.school_id').onRef('s.id', '=', 'a.staff_id'))
    .innerJoin('subject as sub', 'sub.code', 'a.subject_code')
    .select([
      'a.id',
      'a.year',
      'a.term',
      'a.class_id',
      'c.name as class_name',
      'c.grade',
      'a.subject_code',
      'sub.name as subject_name',
      'sub.sort_order as subject_sort',
      'a.staff_id',
      's.family_name',
      's.middle_name',
      's.given_name',
    ])
    .where('a.school_id', '=', schoolId);
  if (filter.year !== undefined) q = q.where('a.year', '=', filter.year);
  if (filter.term !== undefined) q = q.where('a.term', '=', filter.term);
  if (filter.classId !== undefined) q = q.where('a.class_id', '=', filter.classId);
  if (filter.staffId !== undefined) q = q.where('a.staff_id', '=', filter.staffId);
  if (filter.id !== undefined) q = q.where('a.id', '=', filter.id);
  return q.execute();
}

export async function findAssignment(db: Db, schoolId: string, assignmentId: string) {
  return db.selectFrom('teaching_assignment').selectAll().where('school_id', '=', schoolId).where('id', '=', assignmentId).executeTakeFirst();
}

export async function findAssignmentSlot(db: Db, schoolId: string, slot: { year: number; term: number; classId: string; subjectCode: string }) {
  return db
    .selectFrom('teaching_assignment as a')
    .innerJoin('staff as s', (j) => j.onRef('s.school_id', '=', 'a.school_id').onRef('s.id', '=', 'a.staff_id'))
    .select(['a.id', 'a.staff_id', 's.family_name', 's.middle_name', 's.given_name'])
    .where('a.school_id', '=', schoolId)
    .where('a.year', '=', slot.year)
    .where('a.term', '=', slot.term)
    .where('a.class_id', '=', slot.classId)
    .where('a.subject_code', '=', slot.subjectCode)
    .executeTakeFirst();
}

export async function insertAssignment(trx: Transaction<Database>, row: Insertable<TeachingAssignmentTable>): Promise<void> {
  await trx.insertInto('teaching_assignment').values(row).execute();
}

export async function deleteAssignmentRow(trx: Transaction<Database>, schoolId: string, assignmentId: string): Promise<void> {
  await trx.deleteFrom('teaching_assignment').where('school_id', '=', schoolId).where('id', '=', assignmentId).execute();
}

// ---------------------------------------------------------------- subjects (catalog + school overrides)

export async function catalogSubjects(db: Db, grades: number[]) {
  if (grades.length === 0) return [];
  return db
    .selectFrom('curriculum_subject as cs')
    .innerJoin('subject as s', 's.code', 'cs.subject_code')
    .select(['cs.grade', 'cs.subject_code', 's.name', 's.sort_order', 'cs.periods_per_year', 'cs.assessment_kind', 'cs.is_elective'])
    .where('cs.grade', 'in', grades)
    .execute();
}

export async function schoolSubjectOverrides(db: Db, schoolId: string, year: number, grades: number[]) {
  if (grades.length === 0) return [];
  return db
    .selectFrom('school_subject as ss')
    .innerJoin('subject as s', 's.code', 'ss.subject_code')
    .select(['ss.grade', 'ss.subject_code', 's.name', 's.sort_order', 'ss.periods_per_year', 'ss.assessment_kind', 'ss.is_taught'])
    .where('ss.school_id', '=', schoolId)
    .where('ss.year', '=', year)
    .where('ss.grade', 'in', grades)
    .execute();
}

export async function findSchoolSubject(db: Db, schoolId: string, year: number, grade: number, subjectCode: string) {
  return db
    .selectFrom('school_subject')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('grade', '=', grade)
    .where('subject_code', '=', subjectCode)
    .executeTakeFirst();
}

/** Sets the school's own periods, assessment and taught flag for a subject of a grade in a year. */
export async function saveSchoolSubject(trx: Transaction<Database>, row: Insertable<SchoolSubjectTable>): Promise<void> {
  await trx
    .insertInto('school_subject')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['school_id', 'year', 'grade', 'subject_code']).doUpdateSet({
        periods_per_year: row.periods_per_year,
        assessment_kind: row.assessment_kind,
        is_taught: row.is_taught,
      }),
    )
    .execute();
}

export async function findCatalogSubject(db: Db, grade: number, subjectCode: string) {
  return db
    .selectFrom('curriculum_subject')
    .selectAll()
    .where('grade', '=', grade)
    .where('subject_code', '=', subjectCode)
    .executeTakeFirst();
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
