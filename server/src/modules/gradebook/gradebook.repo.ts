import { type Kysely, type Transaction, sql } from 'kysely';
import { preparedAs } from '../../db/connection.js';
import type { Database, GradebookState, SubjectLevelValue } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One grid: a class × subject × term of a school. */
export type GridKey = { schoolId: string; classId: string; subjectCode: string; term: number };

/** Classes of a school with their year, grade, sessions, homeroom teacher and the school's term dates for the year (null = defaults). */
export function classesWithTermDates(db: Db, schoolId: string) {
  return db
    .selectFrom('class as c')
    .leftJoin('school_year as y', (j) => j.onRef('y.school_id', '=', 'c.school_id').onRef('y.year', '=', 'c.year'))
    .select(['c.id', 'c.name', 'c.year', 'c.grade', 'c.session', 'c.homeroom_teacher_id', 'y.term1_start', 'y.term1_end', 'y.term2_start', 'y.term2_end'])
    .where('c.school_id', '=', schoolId);
}

export async function findGradebookClass(db: Db, schoolId: string, classId: string) {
  return classesWithTermDates(db, schoolId).where('c.id', '=', classId).executeTakeFirst();
}

/** The subject as the school teaches it in a grade that year (undefined when it is not taught). */
export async function findTaughtSubject(db: Db, schoolId: string, year: number, grade: number, subjectCode: string) {
  return (await listTaughtSubjects(db, schoolId, year, grade, subjectCode)).at(0);
}

/** Every subject the class's grade is taught that year (overrides applied), in catalog order; or only `onlyCode`. */
export async function listTaughtSubjects(db: Db, schoolId: string, year: number, grade: number, onlyCode?: string) {
  let q = db
    .selectFrom('subject as s')
    .leftJoin('curriculum_subject as c', (j) => j.onRef('c.subject_code', '=', 's.code').on('c.grade', '=', grade))
    .leftJoin('school_subject as o', (j) =>
      j.onRef('o.subject_code', '=', 's.code').on('o.school_id', '=', schoolId).on('o.year', '=', year).on('o.grade', '=', grade),
    )
    .select(['s.code', 's.name', 's.sort_order', 'c.periods_per_year as catalog_periods', 'c.assessment_kind as catalog_kind', 'c.is_elective', 'o.periods_per_year as school_periods', 'o.assessment_kind as school_kind', 'o.is_taught'])
    .where((eb) => eb.or([eb('c.subject_code', 'is not', null), eb('o.subject_code', 'is not', null)]));
  if (onlyCode) q = q.where('s.code', '=', onlyCode);
  const rows = await q.orderBy('s.sort_order').execute();
  return rows.flatMap((r) => {
    const periods = r.school_periods ?? r.catalog_periods;
    const kind = r.school_kind ?? r.catalog_kind;
    if (periods === null || kind === null || r.is_taught === false) return [];
    return [{ code: r.code, name: r.name, periodsPerYear: periods, assessmentKind: kind, isElective: r.is_elective === true }];
  });
}

/** Who teaches the class each subject, per term, in the class's own year, with the teacher's name parts. */
export async function listClassAssignments(db: Db, schoolId: string, classId: string) {
  return db
    .selectFrom('teaching_assignment as a')
    .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'a.school_id').onRef('c.id', '=', 'a.class_id').onRef('c.year', '=', 'a.year'))
    .innerJoin('staff as s', (j) => j.onRef('s.school_id', '=', 'a.school_id').onRef('s.id', '=', 'a.staff_id'))
    .select(['a.subject_code', 'a.term', 'a.staff_id', 's.family_name', 's.middle_name', 's.given_name'])
    .where('a.school_id', '=', schoolId)
    .where('a.class_id', '=', classId)
    .execute();
}

/** The students enrolled in the class at some point between `from` and `to`, in class-list order. */
export async function listGridStudents(db: Db, schoolId: string, classId: string, from: string, to: string) {
  return db
    .selectFrom('enrolment as e')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'e.school_id').onRef('s.id', '=', 'e.student_id'))
    .select(['s.id', 's.family_name', 's.middle_name', 's.given_name', 's.name_sort_key', 's.learner_id', 's.temp_code', 's.date_of_birth', 'e.start_date', 'e.end_date'])
    .where('e.school_id', '=', schoolId)
    .where('e.class_id', '=', classId)
    .where('e.start_date', '<=', to)
    .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>=', from)]))
    .orderBy(sql`s.name_sort_key collate "C"`)
    .orderBy('s.id')
    .execute();
}

/** The grid's cells; only some students' when `studentIds` is given. */
export async function listGridCells(db: Db, key: GridKey, studentIds?: string[]) {
  let q = db
    .selectFrom('gradebook_cell')
    .select(['student_id', 'column_key', 'score_tenths', 'pass_fail', 'comment', 'subject_level', 'version', 'value_at_lock', 'corrected_at'])
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('subject_code', '=', key.subjectCode)
    .where('term', '=', key.term);
  if (studentIds) {
    if (studentIds.length === 0) return [];
    q = q.where('student_id', 'in', studentIds);
  }
  return q.execute();
}

export type CellRow = Awaited<ReturnType<typeof listGridCells>>[number];

/** The grid's state row, locked for the rest of the transaction when `forUpdate`. */
export async function findGridState(db: Db, key: GridKey, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('gradebook_state')
    .select(['state', 'changed_at', 'unlock_reason'])
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('subject_code', '=', key.subjectCode)
    .where('term', '=', key.term);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The states of every grid of a class that year (rows only where a state was ever set). */
export async function listClassGridStates(db: Db, schoolId: string, classId: string) {
  return db.selectFrom('gradebook_state').select(['subject_code', 'term', 'state']).where('school_id', '=', schoolId).where('class_id', '=', classId).execute();
}

/**
 * Makes sure the grid has a state row and locks it: saves and state changes of one grid queue up
 * behind each other, so a save cannot slip in while the principal locks.
 */
export async function lockGridState(trx: Transaction<Database>, key: GridKey) {
  // One statement: creates the row if the grid never had one, and either way locks it and reads it
  // (a no-op update takes the row lock that a plain insert … on conflict do nothing would not).
  return trx
    .insertInto('gradebook_state')
    .values({ school_id: key.schoolId, class_id: key.classId, subject_code: key.subjectCode, term: key.term, state: 'open' })
    .onConflict((oc) => oc.columns(['school_id', 'class_id', 'subject_code', 'term']).doUpdateSet((eb) => ({ state: eb.ref('gradebook_state.state') })))
    .returning(['state', 'unlock_reason'])
    .executeTakeFirstOrThrow();
}

export async function setGridState(trx: Transaction<Database>, key: GridKey, state: GradebookState, by: string, unlockReason: string | null) {
  await trx
    .updateTable('gradebook_state')
    .set({ state, changed_by: by, changed_at: new Date(), unlock_reason: unlockReason })
    .where('school_id', '=', key.schoolId)
    .where('class_id', '=', key.classId)
    .where('subject_code', '=', key.subjectCode)
    .where('term', '=', key.term)
    .execute();
}

/** A cell to write: its value in one of the three forms (all null = cleared) and the version the writer saw (0 = none). */
export type CellWrite = {
  studentId: string;
  columnKey: string;
  scoreTenths: number | null;
  passFail: 'dat' | 'chua_dat' | null;
  comment: string | null;
  /** TT27 (primary): the level of a …_muc column. */
  subjectLevel: SubjectLevelValue | null;
  expectedVersion: number;
  /** Set when the grid was locked before and this cell's locked value is being kept (a correction). */
  valueAtLock?: string | null;
};

/**
 * Writes the cells in one statement, each only if it still has the version the writer saw: a new
 * cell is inserted at version 1; an existing one is updated to version + 1 only where its version
 * is the one expected. Returns the cells written; the others changed under the writer (conflicts).
 */
export async function writeCells(trx: Transaction<Database>, key: GridKey, cells: CellWrite[], by: string, corrected: boolean) {
  if (cells.length === 0) return [];
  const now = new Date();
  return trx
    .insertInto('gradebook_cell')
    .values(
      cells.map((c) => ({
        school_id: key.schoolId,
        class_id: key.classId,
        subject_code: key.subjectCode,
        term: key.term,
        student_id: c.studentId,
        column_key: c.columnKey,
        score_tenths: c.scoreTenths,
        pass_fail: c.passFail,
        comment: c.comment,
        subject_level: c.subjectLevel,
        version: c.expectedVersion + 1,
        updated_by: by,
        updated_at: now,
        value_at_lock: c.valueAtLock ?? null,
        corrected_at: corrected ? now : null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['school_id', 'class_id', 'subject_code', 'term', 'student_id', 'column_key'])
        .doUpdateSet((eb) => ({
          score_tenths: eb.ref('excluded.score_tenths'),
          pass_fail: eb.ref('excluded.pass_fail'),
          comment: eb.ref('excluded.comment'),
          subject_level: eb.ref('excluded.subject_level'),
          version: eb.ref('excluded.version'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
          // The value shown when the grid was locked is kept through any number of corrections.
          value_at_lock: sql<string | null>`coalesce(gradebook_cell.value_at_lock, excluded.value_at_lock)`,
          corrected_at: sql<Date | null>`coalesce(excluded.corrected_at, gradebook_cell.corrected_at)`,
        }))
        .where(sql<boolean>`gradebook_cell.version = excluded.version - 1`),
    )
    .returning(['student_id', 'column_key', 'version'])
    .execute();
}

type SavedCell = { student_id: string; column_key: string; version: number };
type TouchedCell = Pick<CellRow, 'student_id' | 'column_key' | 'score_tenths' | 'pass_fail' | 'comment' | 'subject_level'>;

/**
 * The everyday save in one round trip, a fixed text prepared once per connection (50 teachers save
 * at once on the evening marks are due): takes the grid's state row lock exactly as
 * `lockGridState` does, then writes the cells with the version rule of `writeCells` only if the
 * grid is open and was never unlocked (a grid being corrected goes through the transaction that
 * keeps each cell's locked value). Returns the state it found, the cells written, and the touched
 * students' other cells as they were before the statement (with the written ones, their rows now).
 */
export async function saveOpenGridCells(db: Kysely<Database>, key: GridKey, cells: CellWrite[], by: string, touched: string[]) {
  const rows = JSON.stringify(
    cells.map((c) => ({
      student_id: c.studentId,
      column_key: c.columnKey,
      score_tenths: c.scoreTenths,
      pass_fail: c.passFail,
      comment: c.comment,
      subject_level: c.subjectLevel,
      expected: c.expectedVersion,
    })),
  );
  const r = await sql<{ state: { state: GradebookState; unlock_reason: string | null }; written: SavedCell[]; before: TouchedCell[] }>`${sql.raw(preparedAs('gradebook_save'))}
    with st as (
      insert into gradebook_state (school_id, class_id, subject_code, term, state)
      values (${key.schoolId}::uuid, ${key.classId}::uuid, ${key.subjectCode}::text, ${key.term}::smallint, 'open')
      on conflict (school_id, class_id, subject_code, term) do update set state = gradebook_state.state
      returning state, unlock_reason
    ), w as (
      insert into gradebook_cell (school_id, class_id, subject_code, term, student_id, column_key, score_tenths, pass_fail, comment, subject_level, version, updated_by, updated_at)
      select ${key.schoolId}::uuid, ${key.classId}::uuid, ${key.subjectCode}::text, ${key.term}::smallint, x.student_id, x.column_key, x.score_tenths, x.pass_fail, x.comment, x.subject_level, x.expected + 1, ${by}::uuid, now()
        from json_to_recordset(${rows}::json) as x (student_id uuid, column_key text, score_tenths smallint, pass_fail text, comment text, subject_level text, expected int)
       where exists (select 1 from st where st.state = 'open' and st.unlock_reason is null)
      on conflict (school_id, class_id, subject_code, term, student_id, column_key) do update
        set score_tenths = excluded.score_tenths, pass_fail = excluded.pass_fail, comment = excluded.comment, subject_level = excluded.subject_level,
            version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        where gradebook_cell.version = excluded.version - 1
      returning student_id, column_key, version
    )
    select (select row_to_json(st) from st) as state,
           (select coalesce(json_agg(w), '[]') from w) as written,
           (select coalesce(json_agg(c), '[]') from (
              select student_id, column_key, score_tenths, pass_fail, comment, subject_level from gradebook_cell
               where school_id = ${key.schoolId}::uuid and class_id = ${key.classId}::uuid and subject_code = ${key.subjectCode}::text and term = ${key.term}::smallint
                 and student_id = any(${sql.val(touched)}::uuid[])) c) as before`.execute(db);
  return r.rows[0];
}

/** The current value of some cells of a grid (for conflicts). */
export async function findCells(db: Db, key: GridKey, cells: Array<{ studentId: string; columnKey: string }>) {
  if (cells.length === 0) return [];
  return db
    .selectFrom('gradebook_cell as g')
    .leftJoin('app_user as u', 'u.id', 'g.updated_by')
    .select(['g.student_id', 'g.column_key', 'g.score_tenths', 'g.pass_fail', 'g.comment', 'g.subject_level', 'g.version', 'g.value_at_lock', 'g.corrected_at', 'u.display_name as updated_by_name'])
    .where('g.school_id', '=', key.schoolId)
    .where('g.class_id', '=', key.classId)
    .where('g.subject_code', '=', key.subjectCode)
    .where('g.term', '=', key.term)
    .where((eb) => eb.or(cells.map((c) => eb.and([eb('g.student_id', '=', c.studentId), eb('g.column_key', '=', c.columnKey)]))))
    .execute();
}

/**
 * A class's cells of some columns in its grids, every subject, in one term or both (the class
 * summary: a primary checkpoint's levels and tests, a TT22 subject page's TX, GK and CK marks).
 */
export async function listClassCells(db: Db, schoolId: string, classId: string, columnKeys: string[], term?: number) {
  let q = db
    .selectFrom('gradebook_cell')
    .select(['student_id', 'subject_code', 'term', 'column_key', 'subject_level', 'score_tenths', 'pass_fail'])
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .where('column_key', 'in', columnKeys);
  if (term !== undefined) q = q.where('term', '=', term);
  return q.execute();
}
