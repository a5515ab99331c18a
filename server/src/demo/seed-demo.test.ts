import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type CellValue, isLearnerId, requiredRegularAssessments, periodicTestRequired, type SubjectLevel, tt22RowSummary, tt27Columns, tt27RowSummary } from '../../../domain/index.js';
import { type DbHandle, openDb } from '../db/connection.js';
import { migrate } from '../db/migrator.js';
import { loadReferenceData } from '../db/reference-data.js';
import type { Database } from '../db/schema.js';
import type { Role } from '../db/schema.js';
import { getAttendance } from '../modules/gradebook/attendance.service.js';
import type { Caller } from '../modules/gradebook/class-standing.js';
import { cellValue, getGradebook } from '../modules/gradebook/gradebook.service.js';
import { familyResults } from '../modules/gradebook/publication.service.js';
import { getQualityRatings } from '../modules/gradebook/qualities.service.js';
import { getClassResults } from '../modules/gradebook/results.service.js';
import { familyDevelopment, getClassMeasurements, getDevelopmentSheet } from '../modules/preschool/preschool.service.js';
import { verifyPassword } from '../platform/passwords.js';
import { fillDemoGradebook } from './demo-gradebook.js';
import { currentSchoolYear, type DemoSummary, seedDemo } from './seed-demo.js';

// The shared test template carries fixtures (its own ministry 'BO', 'admin' …), so the demo
// seeds into empty migrated databases of its own: PGlite by default, PostgreSQL when
// DATABASE_URL is set (like the other integration tests).
const PASSWORD = 'Demo@2025x';
// The gradebook is "as of" a fixed day of the year in progress, as on 6 December (term I nearly
// done), whatever day the tests run.
const YEAR = currentSchoolYear();
const TODAY = `${YEAR}-12-06`;
const OPTIONS = { students: 1500, password: PASSWORD, seed: 2025, today: TODAY } as const;

async function emptyDatabases(count: number): Promise<{ handles: DbHandle[]; dispose: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const template = await openDb();
    await migrate(template.pool);
    await loadReferenceData(template.db);
    const dump = await template.pglite!.dumpDataDir('none');
    await template.close();
    const handles: DbHandle[] = [];
    for (let i = 0; i < count; i++) handles.push(await openDb({ loadDataDir: dump }));
    return { handles, dispose: async () => void (await Promise.all(handles.map((h) => h.close()))) };
  }
  const names: string[] = [];
  const handles: DbHandle[] = [];
  for (let i = 0; i < count; i++) {
    const name = `ts_test_demo_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    names.push(name);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const handle = await openDb({ databaseUrl: u.toString(), poolSize: 2 });
    await migrate(handle.pool);
    await loadReferenceData(handle.db);
    handles.push(handle);
  }
  return {
    handles,
    dispose: async () => {
      for (const h of handles) await h.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Parent of a unit on a date, from the effective-dated tree. */
async function parentOn(db: Kysely<Database>, unitId: string, date: string) {
  return db
    .selectFrom('org_unit_version as v')
    .innerJoin('org_unit as p', 'p.id', 'v.parent_id')
    .select(['p.id', 'p.kind'])
    .where('v.unit_id', '=', unitId)
    .where('v.valid_from', '<=', date)
    .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', date)]))
    .executeTakeFirstOrThrow();
}

async function firstStudentNames(db: Kysely<Database>): Promise<string[]> {
  // ids are UUIDv7, created in generation order, so id order is the order the seeder made them.
  const rows = await db.selectFrom('student').select(['family_name', 'middle_name', 'given_name', 'date_of_birth']).orderBy('id').limit(20).execute();
  return rows.map((r) => `${r.family_name} ${r.middle_name} ${r.given_name} ${r.date_of_birth}`);
}

/** A signed-in demo account as the gradebook services read a caller. */
async function callerOf(db: Kysely<Database>, username: string): Promise<Caller> {
  const grants = await db
    .selectFrom('app_user as u')
    .innerJoin('role_grant as g', 'g.user_id', 'u.id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.staff_school_id', 'u.staff_id', 'g.role', 'g.org_unit_id'])
    .where('u.username', '=', username)
    .execute();
  const u = grants[0]!;
  return {
    actor: {
      userId: u.id,
      username: u.username,
      displayName: u.display_name,
      grants: grants.map((g) => ({ role: g.role, orgUnitId: g.org_unit_id })),
      staff: u.staff_school_id && u.staff_id ? { schoolId: u.staff_school_id, staffId: u.staff_id } : null,
      student: null,
      csrfToken: '',
      mustChangePassword: false,
      treeVersion: 0,
    },
    roles: new Set<Role>(grants.map((g) => g.role)),
  };
}

/**
 * Everything the gradebook fill wrote, keyed by what the seed makes the same every time (school
 * code, class name, learner id or temporary code; no UUIDs, no timestamps): one digest per table.
 */
async function gradebookDigest(db: Kysely<Database>): Promise<Record<string, string>> {
  const learner = sql`o.code || ' ' || coalesce(s.learner_id, s.temp_code)`;
  const queries = {
    cells: sql`select ${learner} || ' ' || c.name || ' ' || g.subject_code || ' ' || g.term || ' ' || g.column_key || ' ' || coalesce(g.score_tenths::text, g.pass_fail, g.comment, '') as k
      from gradebook_cell g join org_unit o on o.id = g.school_id join class c on c.school_id = g.school_id and c.id = g.class_id
      join student s on s.school_id = g.school_id and s.id = g.student_id`,
    states: sql`select o.code || ' ' || c.name || ' ' || g.subject_code || ' ' || g.term || ' ' || g.state as k
      from gradebook_state g join org_unit o on o.id = g.school_id join class c on c.school_id = g.school_id and c.id = g.class_id`,
    published: sql`select o.code || ' ' || c.name || ' ' || g.subject_code || ' ' || g.term || ' ' || g.column_key as k
      from gradebook_publication g join org_unit o on o.id = g.school_id join class c on c.school_id = g.school_id and c.id = g.class_id`,
    attendance: sql`select ${learner} || ' ' || a.day || ' ' || a.session || ' ' || a.excused || ' ' || coalesce(a.reason, '') as k
      from attendance a join org_unit o on o.id = a.school_id join student s on s.school_id = a.school_id and s.id = a.student_id`,
    ratings: sql`select ${learner} || ' ' || r.term || ' ' || r.level as k
      from training_rating r join org_unit o on o.id = r.school_id join student s on s.school_id = r.school_id and s.id = r.student_id`,
    results: sql`select ${learner} || ' ' || coalesce(r.learning, '-') || ' ' || coalesce(r.training, '-') || ' ' || r.sessions_absent || ' ' || r.missing::text as k
      from student_result r join org_unit o on o.id = r.school_id join student s on s.school_id = r.school_id and s.id = r.student_id`,
    subjects: sql`select ${learner} || ' ' || r.subject_code || ' ' || coalesce(r.average_tenths::text, r.pass_fail, '') || ' ' || coalesce(r.missing, '') as k
      from subject_result r join org_unit o on o.id = r.school_id join student s on s.school_id = r.school_id and s.id = r.student_id`,
  };
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(queries)) {
    const r = await sql<{ n: number; d: string }>`select count(*)::int as n, md5(coalesce(string_agg(k, E'\n' order by k collate "C"), '')) as d from (${q}) x`.execute(db);
    out[name] = `${r.rows[0]!.n} ${r.rows[0]!.d}`;
  }
  return out;
}

describe('seedDemo — demo province', () => {
  let handles: DbHandle[] = [];
  let dispose: () => Promise<void> = async () => undefined;
  let db: Kysely<Database>;
  let summary: DemoSummary;
  let demoSchoolId: string;

  beforeAll(async () => {
    ({ handles, dispose } = await emptyDatabases(2));
    db = handles[0]!.db;
    summary = await seedDemo(db, { ...OPTIONS });
    await seedDemo(handles[1]!.db, { ...OPTIONS });
    const school = await db
      .selectFrom('org_unit_version')
      .select('unit_id')
      .where('name', '=', 'Trường THCS Nguyễn Du')
      .where('valid_to', 'is', null)
      .executeTakeFirstOrThrow();
    demoSchoolId = school.unit_id;
  });
  afterAll(async () => dispose());

  it('returns a summary that matches the rows', async () => {
    expect(summary.students).toBe(1500);
    expect(summary.schools).toBe(6);
    const current = await db.selectFrom('student').select(db.fn.countAll<number>().as('n')).where('is_current', '=', true).executeTakeFirstOrThrow();
    expect(Number(current.n)).toBe(1500);
    const classes = await db.selectFrom('class').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(classes.n)).toBe(summary.classes);
    const year = await db.selectFrom('school_year').select('year').distinct().execute();
    expect(year.map((y) => y.year)).toEqual([currentSchoolYear()]);
  });

  it('creates the demo accounts with the right roles and units, all with the demo password', async () => {
    const grants = await db
      .selectFrom('app_user as u')
      .innerJoin('role_grant as g', 'g.user_id', 'u.id')
      .innerJoin('org_unit as o', 'o.id', 'g.org_unit_id')
      .select(['u.username', 'u.password_hash', 'u.staff_school_id', 'u.staff_id', 'g.role', 'o.kind', 'o.id as unit_id'])
      .execute();
    const by = new Map(grants.map((g) => [g.username, g]));
    expect(by.get('admin')).toMatchObject({ role: 'system_admin', kind: 'ministry' });
    expect(by.get('so.demo')).toMatchObject({ role: 'province_officer', kind: 'province_office' });
    expect(by.get('phong.demo')).toMatchObject({ role: 'district_officer', kind: 'commune_office' });
    for (const u of ['hieutruong.demo', 'gvcn.demo', 'gv.demo', 'phuhuynh.demo']) {
      expect(by.get(u)?.unit_id, u).toBe(demoSchoolId);
    }
    expect(by.get('hieutruong.demo')?.role).toBe('principal');
    expect(by.get('gvcn.demo')?.role).toBe('homeroom_teacher');
    expect(by.get('gv.demo')?.role).toBe('subject_teacher');
    expect(by.get('phuhuynh.demo')?.role).toBe('parent');
    // A primary school's principal and the homeroom teacher of a grade 4 class there (TT27).
    const primary = by.get('hieutruong.tieuhoc.demo')!;
    expect(primary).toMatchObject({ role: 'principal', kind: 'school' });
    expect(by.get('gvcn.tieuhoc.demo')).toMatchObject({ role: 'homeroom_teacher', unit_id: primary.unit_id });
    const school = await db.selectFrom('org_unit_version').select('school_levels').where('unit_id', '=', primary.unit_id).executeTakeFirstOrThrow();
    expect(school.school_levels).toEqual(['primary']);
    const homeroom = await db.selectFrom('class').select('grade').where('school_id', '=', primary.unit_id).where('homeroom_teacher_id', '=', by.get('gvcn.tieuhoc.demo')!.staff_id).execute();
    expect(homeroom.map((c) => c.grade)).toContain(4);
    // One principal account per other school, linked to that school's principal.
    const principals = grants.filter((g) => g.username.startsWith('ht.'));
    expect(principals).toHaveLength(summary.schools - 2);
    for (const p of [...principals, by.get('hieutruong.demo')!, primary]) {
      const staff = await db.selectFrom('staff').select('position').where('school_id', '=', p.staff_school_id!).where('id', '=', p.staff_id!).executeTakeFirstOrThrow();
      expect(staff.position).toBe('principal');
      expect(p.staff_school_id).toBe(p.unit_id);
    }
    expect(new Set(grants.map((g) => g.password_hash)).size).toBe(1);
    expect(await verifyPassword(grants[0]!.password_hash, PASSWORD)).toBe(true);
  });

  it('links gvcn.demo to the homeroom teacher of 6A1 and gv.demo to a Toán teacher without a class', async () => {
    const users = await db.selectFrom('app_user').select(['username', 'staff_id']).where('username', 'in', ['gvcn.demo', 'gv.demo']).execute();
    const staffOf = new Map(users.map((u) => [u.username, u.staff_id!]));
    const c6A1 = await db.selectFrom('class').select(['id', 'homeroom_teacher_id']).where('school_id', '=', demoSchoolId).where('name', '=', '6A1').executeTakeFirstOrThrow();
    expect(c6A1.homeroom_teacher_id).toBe(staffOf.get('gvcn.demo'));
    const gvcnLoad = await db.selectFrom('teaching_assignment').select('subject_code').where('school_id', '=', demoSchoolId).where('staff_id', '=', staffOf.get('gvcn.demo')!).execute();
    expect(gvcnLoad.length).toBeGreaterThan(0);

    const math = await db
      .selectFrom('teaching_assignment')
      .select('class_id')
      .distinct()
      .where('school_id', '=', demoSchoolId)
      .where('staff_id', '=', staffOf.get('gv.demo')!)
      .where('subject_code', '=', 'toan')
      .execute();
    expect(math.length).toBeGreaterThanOrEqual(2);
    const homeroomOf = await db.selectFrom('class').select('id').where('school_id', '=', demoSchoolId).where('homeroom_teacher_id', '=', staffOf.get('gv.demo')!).execute();
    expect(homeroomOf).toHaveLength(0);
  });

  it('every class has a distinct homeroom teacher and assignments are unique per class, subject and term', async () => {
    const dup = await sql<{ n: number }>`
      select count(*)::int as n from (select school_id, homeroom_teacher_id from class where homeroom_teacher_id is not null
        group by 1, 2 having count(*) > 1) d`.execute(db);
    expect(dup.rows[0]!.n).toBe(0);
    const noHomeroom = await db.selectFrom('class').select('id').where('homeroom_teacher_id', 'is', null).execute();
    expect(noHomeroom).toHaveLength(0);
    // Every primary/secondary class has every curriculum subject of its grade, in both terms.
    const missing = await sql<{ n: number }>`
      select count(*)::int as n from class c join curriculum_subject cs on cs.grade = c.grade and not cs.is_elective
      cross join (values (1), (2)) t(term)
      where c.grade >= 1 and not exists (select 1 from teaching_assignment a where a.school_id = c.school_id and a.class_id = c.id
        and a.subject_code = cs.subject_code and a.term = t.term)`.execute(db);
    expect(missing.rows[0]!.n).toBe(0);
  });

  it('keeps THCS Nguyễn Du under the commune office today and under a district office on 2025-01-01', async () => {
    const today = await parentOn(db, demoSchoolId, new Date().toISOString().slice(0, 10));
    expect(today.kind).toBe('commune_office');
    const phong = await db
      .selectFrom('app_user as u')
      .innerJoin('role_grant as g', 'g.user_id', 'u.id')
      .select('g.org_unit_id')
      .where('u.username', '=', 'phong.demo')
      .executeTakeFirstOrThrow();
    expect(phong.org_unit_id).toBe(today.id);
    const before = await parentOn(db, demoSchoolId, '2025-01-01');
    expect(before.kind).toBe('district_office');
    // The district offices themselves are closed on 1/7/2025.
    const openDistricts = await db
      .selectFrom('org_unit_version as v')
      .innerJoin('org_unit as o', 'o.id', 'v.unit_id')
      .select('o.id')
      .where('o.kind', '=', 'district_office')
      .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', '2025-07-01')]))
      .execute();
    expect(openDistricts).toHaveLength(0);
  });

  it('gives every current student exactly one open enrolment, in their current class', async () => {
    const bad = await sql<{ n: number }>`
      select count(*)::int as n from student s
      where s.is_current and 1 <> (select count(*) from enrolment e where e.school_id = s.school_id and e.student_id = s.id
        and e.end_date is null and e.class_id = s.current_class_id)`.execute(db);
    expect(bad.rows[0]!.n).toBe(0);
    const strayOpen = await sql<{ n: number }>`
      select count(*)::int as n from enrolment e join student s on s.school_id = e.school_id and s.id = e.student_id
      where e.end_date is null and not s.is_current`.execute(db);
    expect(strayOpen.rows[0]!.n).toBe(0);
  });

  it('uses unique 10-digit learner ids, with temporary codes only where the id is missing', async () => {
    const rows = await db.selectFrom('student').select(['learner_id', 'temp_code']).where('is_current', '=', true).execute();
    const ids = rows.flatMap((r) => (r.learner_id ? [r.learner_id] : []));
    expect(ids.every(isLearnerId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rows) expect(r.learner_id !== null || r.temp_code !== null).toBe(true);
    expect(ids.length).toBeGreaterThan(rows.length * 0.95);
  });

  it('has both sexes and at least three ethnic groups', async () => {
    const sexes = await db.selectFrom('student').select('sex').distinct().execute();
    expect(sexes.map((s) => s.sex).sort()).toEqual(['female', 'male']);
    const ethnicities = await db.selectFrom('student').select('ethnicity_code').distinct().execute();
    expect(ethnicities.length).toBeGreaterThanOrEqual(3);
  });

  it('makes phuhuynh.demo the guardian of exactly one student, in 6A1', async () => {
    const rows = await db
      .selectFrom('app_user as u')
      .innerJoin('guardian as g', 'g.user_id', 'u.id')
      .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'g.school_id').onRef('s.id', '=', 'g.student_id'))
      .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 's.school_id').onRef('c.id', '=', 's.current_class_id'))
      .select(['g.relation', 'c.name', 's.school_id'])
      .where('u.username', '=', 'phuhuynh.demo')
      .execute();
    expect(rows).toEqual([{ relation: 'mother', name: '6A1', school_id: demoSchoolId }]);
  });

  it("gives phuhuynh.demo's child their own read-only account, hocsinh.demo (role student, linked to that record)", async () => {
    const child = await db
      .selectFrom('app_user as u')
      .innerJoin('guardian as g', 'g.user_id', 'u.id')
      .select(['g.school_id', 'g.student_id'])
      .where('u.username', '=', 'phuhuynh.demo')
      .executeTakeFirstOrThrow();
    const own = await db
      .selectFrom('app_user as u')
      .innerJoin('role_grant as r', 'r.user_id', 'u.id')
      .select(['u.student_school_id', 'u.student_id', 'r.role', 'r.org_unit_id'])
      .where('u.username', '=', 'hocsinh.demo')
      .execute();
    expect(own).toEqual([{ student_school_id: child.school_id, student_id: child.student_id, role: 'student', org_unit_id: demoSchoolId }]);
  });

  it('records class changes and transfers from another demo school with the same person', async () => {
    const moves = await db.selectFrom('student_event').select(['kind']).where('school_id', '=', demoSchoolId).where('kind', '=', 'class_transfer').execute();
    expect(moves).toHaveLength(3);
    const ins = await db
      .selectFrom('student_event as i')
      .innerJoin('student_event as o', (j) => j.onRef('o.person_id', '=', 'i.person_id').on('o.kind', '=', 'transfer_out'))
      .innerJoin('student as old', (j) => j.onRef('old.school_id', '=', 'o.school_id').onRef('old.id', '=', 'o.student_id'))
      .select(['i.other_school_id', 'o.school_id as old_school', 'o.other_school_id as to_school', 'old.is_current', 'old.status_code', 'i.status_code as in_status'])
      .where('i.kind', '=', 'transfer_in')
      .where('i.school_id', '=', demoSchoolId)
      .execute();
    expect(ins).toHaveLength(2);
    for (const t of ins) {
      expect(t.other_school_id).toBe(t.old_school);
      expect(t.to_school).toBe(demoSchoolId);
      expect(t).toMatchObject({ is_current: false, status_code: '04', in_status: '02' });
    }
  });

  it('gives the same names for the same seed', async () => {
    const a = await firstStudentNames(db);
    const b = await firstStudentNames(handles[1]!.db);
    expect(a).toHaveLength(20);
    expect(b).toEqual(a);
  });

  it('refuses to seed a database that already holds the demo province', async () => {
    await expect(seedDemo(db, { ...OPTIONS })).rejects.toThrow(/BO/);
  });

  describe('the gradebook: term I as of 6 December (fillDemoGradebook)', () => {
    const score = (v: { score_tenths: number | null; pass_fail: 'dat' | 'chua_dat' | null; comment: string | null; subject_level?: SubjectLevel | null }) => cellValue({ ...v, subject_level: v.subject_level ?? null });
    let term1Start: string;
    let class6A1: string;

    beforeAll(async () => {
      expect(await db.selectFrom('demo_gradebook_fill').select('school_id').where('done_at', 'is', null).execute()).toHaveLength(summary.schools);
      const filled = await fillDemoGradebook(db, { bulk: handles[0]!.engine === 'pglite' });
      expect(filled).toMatchObject({ stopped: false, schools: summary.schools });
      term1Start = (await db.selectFrom('school_year').select('term1_start').where('school_id', '=', demoSchoolId).executeTakeFirstOrThrow()).term1_start;
      class6A1 = (await db.selectFrom('class').select('id').where('school_id', '=', demoSchoolId).where('name', '=', '6A1').executeTakeFirstOrThrow()).id;
    });

    it('queued every school (the preschool one for gvmn.demo’s evaluation and measurements), the demo school first, then the primary and preschool schools of the demo accounts, and finished them all', async () => {
      const queue = await db.selectFrom('demo_gradebook_fill').selectAll().orderBy('position').execute();
      expect(queue).toHaveLength(summary.schools);
      expect(queue[0]).toMatchObject({ school_id: demoSchoolId, year: YEAR, seed: 2025, as_of: addDays(TODAY, -1) });
      const schoolOf = async (username: string) => (await db.selectFrom('app_user').select('staff_school_id').where('username', '=', username).executeTakeFirstOrThrow()).staff_school_id;
      expect(queue[1]?.school_id).toBe(await schoolOf('gvcn.tieuhoc.demo'));
      expect(queue[2]?.school_id).toBe(await schoolOf('gvmn.demo'));
      expect(queue.every((q) => q.done_at !== null)).toBe(true);
      // Run again, it finds nothing to do.
      expect(await fillDemoGradebook(db)).toMatchObject({ schools: 0, cells: 0 });
    });

    it('gives every subject of every TT22 class a term I grid, with marks teachers would enter', async () => {
      const noGrid = await sql<{ n: number }>`
        select count(*)::int as n from teaching_assignment a join class c on c.school_id = a.school_id and c.id = a.class_id
        where c.grade >= 6 and a.term = 1
          and not exists (select 1 from gradebook_cell g where g.school_id = a.school_id and g.class_id = a.class_id and g.subject_code = a.subject_code and g.term = 1)`.execute(db);
      expect(noGrid.rows[0]!.n).toBe(0);
      // Primary grids hold TT27 columns only (their own test below).
      const primary = await sql<{ n: number }>`select count(*)::int as n from gradebook_cell g join class c on c.school_id = g.school_id and c.id = g.class_id where c.grade < 6 and g.column_key !~ '^(gk|ck)_(muc|kt|nx)$'`.execute(db);
      expect(primary.rows[0]!.n).toBe(0);
      const marks = await sql<{ whole: number; other: number; min: number; max: number; dat: number; chua_dat: number; comments: number; phrases: number }>`
        select count(*) filter (where score_tenths % 10 = 0)::int as whole, count(*) filter (where score_tenths % 10 <> 0)::int as other,
          min(score_tenths) as min, max(score_tenths) as max,
          count(*) filter (where pass_fail = 'dat')::int as dat, count(*) filter (where pass_fail = 'chua_dat')::int as chua_dat,
          count(comment)::int as comments, count(distinct comment)::int as phrases
        from gradebook_cell where column_key !~ '_'`.execute(db);
      const m = marks.rows[0]!;
      expect(m.min).toBeGreaterThanOrEqual(0);
      expect(m.max).toBeLessThanOrEqual(100);
      // Mostly whole marks, as teachers enter them; some halves and tenths.
      expect(m.whole / (m.whole + m.other)).toBeGreaterThan(0.6);
      expect(m.other).toBeGreaterThan(0);
      // Comment subjects: Đạt, rarely Chưa đạt; a few teacher's comments from a small set of phrases.
      expect(m.chua_dat).toBeGreaterThan(0);
      expect(m.chua_dat / m.dat).toBeLessThan(0.01);
      expect(m.comments).toBeGreaterThan(0);
      expect(m.phrases).toBeLessThanOrEqual(16);
    });

    it('makes term averages (computed with the domain rules) spread over the levels, a few not yet complete', async () => {
      const cells = await db
        .selectFrom('gradebook_cell as g')
        .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
        .innerJoin('curriculum_subject as k', (j) => j.onRef('k.grade', '=', 'c.grade').onRef('k.subject_code', '=', 'g.subject_code'))
        .select(['g.student_id', 'g.class_id', 'g.subject_code', 'g.column_key', 'g.score_tenths', 'g.pass_fail', 'g.comment', 'k.periods_per_year', 'k.assessment_kind'])
        .where('g.term', '=', 1)
        .where('k.assessment_kind', '=', 'score')
        .execute();
      const rows = new Map<string, { required: number; cells: Record<string, CellValue | null> }>();
      for (const c of cells) {
        const key = `${c.student_id}/${c.class_id}/${c.subject_code}`;
        const row = rows.get(key) ?? { required: requiredRegularAssessments(c.periods_per_year), cells: {} };
        row.cells[c.column_key] = score(c);
        rows.set(key, row);
      }
      const averages: number[] = [];
      let incomplete = 0;
      for (const r of rows.values()) {
        const { outcome } = tt22RowSummary('score', r.required, r.cells);
        if (outcome.status === 'ok') averages.push(outcome.value as number);
        else incomplete++;
      }
      expect(averages.length).toBeGreaterThan(5000);
      expect(Math.min(...averages)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...averages)).toBeLessThanOrEqual(100);
      const share = (f: (a: number) => boolean) => averages.filter(f).length / averages.length;
      // Under 5,0, 5,0–6,4, 6,5–7,9 and 8,0 up: every band holds learners, most are in the middle two.
      expect(share((a) => a < 50)).toBeGreaterThan(0.01);
      expect(share((a) => a >= 50 && a < 65)).toBeGreaterThan(0.1);
      expect(share((a) => a >= 65 && a < 80)).toBeGreaterThan(0.25);
      expect(share((a) => a >= 80)).toBeGreaterThan(0.1);
      expect(share((a) => a < 50)).toBeLessThan(0.15);
      // A few rows lack a mark (a learner missed a test, one who left or came mid-term): "Chưa đủ" shows.
      expect(incomplete).toBeGreaterThan(0);
      expect(incomplete / rows.size).toBeLessThan(0.05);
    });

    it('leaves most grids open, some submitted or reviewed and a few locked; locked grids were full before the lock, which holds', async () => {
      const grids = await sql<{ n: number }>`select count(distinct (school_id, class_id, subject_code))::int as n from gradebook_cell where term = 1`.execute(db);
      const states = await db.selectFrom('gradebook_state').select(['school_id', 'class_id', 'subject_code', 'term', 'state']).execute();
      const total = grids.rows[0]!.n;
      const count = (s: string) => states.filter((x) => x.state === s).length;
      expect(count('locked')).toBeGreaterThan(0);
      expect(count('locked') / total).toBeLessThan(0.1);
      expect((count('submitted') + count('reviewed')) / total).toBeGreaterThan(0.05);
      expect((total - states.length) / total).toBeGreaterThan(0.5);
      expect(states.every((s) => s.term === 1)).toBe(true);
      // Every learner in the class the whole term has a complete row in a locked grid.
      const locked = states.filter((s) => s.state === 'locked');
      const gradeOf = new Map((await db.selectFrom('class').select(['id', 'grade']).execute()).map((c) => [c.id, c.grade]));
      for (const g of locked) {
        const grade = gradeOf.get(g.class_id)!;
        const members = await db
          .selectFrom('enrolment')
          .select('student_id')
          .where('school_id', '=', g.school_id)
          .where('class_id', '=', g.class_id)
          .where('start_date', '<=', term1Start)
          .where('end_date', 'is', null)
          .execute();
        const cells = await db
          .selectFrom('gradebook_cell as g')
          .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'g.school_id').onRef('c.id', '=', 'g.class_id'))
          .innerJoin('curriculum_subject as k', (j) => j.onRef('k.grade', '=', 'c.grade').onRef('k.subject_code', '=', 'g.subject_code'))
          .select(['g.student_id', 'g.column_key', 'g.score_tenths', 'g.pass_fail', 'g.comment', 'g.subject_level', 'k.periods_per_year', 'k.assessment_kind'])
          .where('g.school_id', '=', g.school_id)
          .where('g.class_id', '=', g.class_id)
          .where('g.subject_code', '=', g.subject_code)
          .where('g.term', '=', 1)
          .execute();
        expect(members.length).toBeGreaterThan(0);
        for (const m of members) {
          const own = cells.filter((c) => c.student_id === m.student_id);
          const kind = own[0]?.assessment_kind === 'score' ? 'score' : 'comment';
          const values = Object.fromEntries(own.map((c) => [c.column_key, score(c)]));
          const { outcome } =
            grade <= 5 ? tt27RowSummary(tt27Columns(grade, g.subject_code, 1), values) : tt22RowSummary(kind, requiredRegularAssessments(own[0]?.periods_per_year ?? 35), values);
          expect(outcome.status, `${g.subject_code} ${m.student_id}`).toBe('ok');
        }
      }
      // The trigger is on again after the fill: a locked grid refuses a change.
      const g = locked[0]!;
      await expect(
        db
          .updateTable('gradebook_cell')
          .set({ comment: 'x' })
          .where('school_id', '=', g.school_id)
          .where('class_id', '=', g.class_id)
          .where('subject_code', '=', g.subject_code)
          .where('term', '=', 1)
          .execute(),
      ).rejects.toThrow(/gradebook_locked/);
    });

    it("shows gv.demo a filled Toán grid of a class they teach", async () => {
      const gv = await callerOf(db, 'gv.demo');
      const taught = await db
        .selectFrom('teaching_assignment as a')
        .innerJoin('class as c', (j) => j.onRef('c.school_id', '=', 'a.school_id').onRef('c.id', '=', 'a.class_id'))
        .select(['a.class_id', 'c.name'])
        .where('a.school_id', '=', demoSchoolId)
        .where('a.staff_id', '=', gv.actor.staff!.staffId)
        .where('a.subject_code', '=', 'toan')
        .where('a.term', '=', 1)
        .orderBy('c.name')
        .execute();
      expect(taught.length).toBeGreaterThan(0);
      for (const t of taught) {
        const grid = await getGradebook(db, gv, demoSchoolId, t.class_id, 'toan', 1);
        expect(grid.rows.length, t.name).toBeGreaterThan(20);
        const averaged = grid.rows.filter((r) => /^\d{1,2}(,\d)?$/.test(r.summary));
        expect(averaged.length / grid.rows.length, t.name).toBeGreaterThan(0.85);
        const tx1 = grid.rows.flatMap((r) => (r.cells.tx1 ? [r.cells.tx1] : []));
        expect(tx1.length / grid.rows.length, t.name).toBeGreaterThan(0.9);
        expect(tx1.every((c) => /^\d{1,2}(,\d)?$/.test(c.value ?? '') && c.version === 1), t.name).toBe(true);
      }
    });

    it('gives gvcn.demo attendance since the first day (one learner past 40 sessions) and the term I results of 6A1', async () => {
      const gvcn = await callerOf(db, 'gvcn.demo');
      const att = await getAttendance(db, gvcn, demoSchoolId, class6A1, { from: term1Start, to: addDays(TODAY, -1) });
      const totals = att.students.map((s) => s.yearExcused + s.yearUnexcused);
      const most = Math.max(...totals);
      expect(most).toBeGreaterThanOrEqual(40);
      expect(att.limit).toBe(45);
      expect(most).toBeLessThanOrEqual(45);
      expect(totals.filter((t) => t <= 3).length / totals.length).toBeGreaterThan(0.7);
      const absences = att.students.flatMap((s) => s.absences);
      expect(absences.every((a) => a.date >= term1Start && a.date < TODAY)).toBe(true);
      expect(absences.some((a) => a.excused && a.reason)).toBe(true);
      expect(absences.some((a) => !a.excused)).toBe(true);
      const results = await getClassResults(db, gvcn, demoSchoolId, class6A1, 'hk1');
      expect(results.computedAt).not.toBeNull();
      expect(results.students.length).toBe(att.students.length);
      expect(results.students.filter((s) => s.learning && s.learning !== 'Chưa đủ điều kiện xếp loại').length / results.students.length).toBeGreaterThan(0.8);
      expect(results.students.filter((s) => s.trainingTerm1).length / results.students.length).toBeGreaterThan(0.9);
      expect(results.students.find((s) => s.sessionsAbsent === most)).toBeDefined();
    });

    it('gives the primary classes TT27 levels, periodic tests where Điều 7 asks, qualities rated by gvcn.tieuhoc.demo and the term I close', async () => {
      const levels = await sql<{ level: string; n: number }>`select subject_level as level, count(*)::int as n from gradebook_cell where subject_level is not null group by 1`.execute(db);
      const n = Object.fromEntries(levels.rows.map((r) => [r.level, r.n]));
      const all = (n.hoan_thanh_tot ?? 0) + (n.hoan_thanh ?? 0) + (n.chua_hoan_thanh ?? 0);
      expect(n.hoan_thanh_tot / all).toBeGreaterThan(0.25);
      expect(n.hoan_thanh / all).toBeGreaterThan(0.4);
      expect(n.chua_hoan_thanh / all).toBeGreaterThan(0);
      expect(n.chua_hoan_thanh / all).toBeLessThan(0.06);
      // Tests: whole points 1–10, only in the subjects and checkpoints the domain names (grade 4–5 mid-term Toán, not Đạo đức).
      const tests = await sql<{ grade: number; subject_code: string; column_key: string; score_tenths: number }>`
        select distinct c.grade, g.subject_code, g.column_key, g.score_tenths from gradebook_cell g join class c on c.school_id = g.school_id and c.id = g.class_id
        where g.column_key in ('gk_kt', 'ck_kt')`.execute(db);
      expect(tests.rows.every((r) => r.score_tenths % 10 === 0 && r.score_tenths >= 10 && r.score_tenths <= 100)).toBe(true);
      expect(tests.rows.every((r) => periodicTestRequired(r.grade, r.subject_code, r.column_key === 'gk_kt' ? 'mid_term1' : 'end_term1'))).toBe(true);
      expect(tests.rows.some((r) => r.grade === 4 && r.subject_code === 'toan' && r.column_key === 'gk_kt')).toBe(true);

      const gvcn = await callerOf(db, 'gvcn.tieuhoc.demo');
      const schoolId = gvcn.actor.staff!.schoolId;
      const cls = await db.selectFrom('class').select(['id', 'name']).where('school_id', '=', schoolId).where('homeroom_teacher_id', '=', gvcn.actor.staff!.staffId).where('grade', '=', 4).executeTakeFirstOrThrow();
      const sheet = await getQualityRatings(db, gvcn, schoolId, cls.id, 'end_term1');
      expect(sheet.rows.length).toBeGreaterThan(15);
      const rated = sheet.rows.filter((r) => r.missing.length === 0);
      expect(rated.length / sheet.rows.length).toBeGreaterThan(0.9);
      const words = new Set(sheet.rows.flatMap((r) => Object.values(r.ratings).map((x) => x.value)));
      expect(words.has('Tốt') && words.has('Đạt')).toBe(true);
      expect(sheet.actions.edit).toBe(true);
      // The term I close read them: most of the class has every subject and quality of cuối kì I.
      const results = await getClassResults(db, gvcn, schoolId, cls.id, 'hk1');
      expect(results.ruleSet).toBe('tt27_2020');
      expect(results.computedAt).not.toBeNull();
      expect(results.students.filter((s) => s.missing.length === 0).length / results.students.length).toBeGreaterThan(0.8);
    });

    it('gives gvmn.demo a 5-year-old class of a preschool school, its first period evaluated and every child measured once', async () => {
      const gvmn = await callerOf(db, 'gvmn.demo');
      const staff = gvmn.actor.staff!;
      expect(await db.selectFrom('org_unit_version').select('school_levels').where('unit_id', '=', staff.schoolId).where('valid_to', 'is', null).executeTakeFirstOrThrow()).toEqual({ school_levels: ['preschool'] });
      const cls = await db.selectFrom('class').select(['id', 'grade', 'age_group']).where('school_id', '=', staff.schoolId).where('homeroom_teacher_id', '=', staff.staffId).executeTakeFirstOrThrow();
      expect(cls).toMatchObject({ grade: 0, age_group: '06' });
      const sheet = await getDevelopmentSheet(db, gvmn, staff.schoolId, cls.id, 'end_term1');
      expect(sheet.canEdit).toBe(true);
      expect(sheet.set.counts).toEqual({ domains: 6, standards: 6, indicators: 12 });
      expect(sheet.rows.length).toBeGreaterThan(10);
      const done = sheet.summary.map((d) => d.achieved + d.notAchieved);
      expect(Math.min(...done) / sheet.rows.length).toBeGreaterThan(0.9);
      expect(sheet.summary.some((d) => d.notAchieved > 0) && sheet.summary.every((d) => d.achieved > d.notAchieved)).toBe(true);
      const m = await getClassMeasurements(db, gvmn, staff.schoolId, cls.id);
      const latest = m.rows.flatMap((r) => r.measurements);
      expect(latest.length / m.rows.length).toBeGreaterThan(0.9);
      const statuses = latest.map((x) => x.status?.join(', ') ?? 'none');
      expect(statuses.filter((x) => x === 'Bình thường').length / statuses.length).toBeGreaterThan(0.6);
    });

    it("shows phuhuynh.mamnon.demo their preschool child's evaluated period and measurement, in words", async () => {
      const parent = await callerOf(db, 'phuhuynh.mamnon.demo');
      const gvmn = await callerOf(db, 'gvmn.demo');
      const child = await db.selectFrom('guardian').select(['school_id', 'student_id']).where('user_id', '=', parent.actor.userId).execute();
      expect(child).toHaveLength(1);
      expect(child[0]!.school_id).toBe(gvmn.actor.staff!.schoolId);
      const seen = await familyDevelopment(db, parent, child[0]!.school_id, child[0]!.student_id);
      expect(seen.isPreschool).toBe(true);
      expect(seen.periods.map((p) => p.periodLabel)).toEqual([expect.stringMatching(/^Cuối học kì I năm học \d{4}-\d{4} \(lớp /)]);
      expect(seen.periods[0]!.domains.every((d) => ['Đạt', 'Chưa đạt'].includes(d.text) || d.text.startsWith('Chưa đánh giá xong'))).toBe(true);
      expect(seen.measurements).toHaveLength(1);
      expect(seen.measurements[0]!.height).toMatch(/^\d+,\d$/);
    });

    it("shows phuhuynh.demo their child's published marks: TX and GK of most subjects, every column of the grids handed in", async () => {
      const parent = await callerOf(db, 'phuhuynh.demo');
      const child = await db
        .selectFrom('guardian')
        .select(['school_id', 'student_id'])
        .where('user_id', '=', parent.actor.userId)
        .executeTakeFirstOrThrow();
      const seen = await familyResults(db, parent, child.school_id, child.student_id);
      expect(seen.className).toBe('6A1');
      expect(seen.subjects.length).toBeGreaterThan(8);
      const labels = new Set(seen.subjects.flatMap((s) => s.terms.flatMap((t) => t.marks.map((m) => m.label))));
      expect(labels.has('TX1')).toBe(true);
      expect(labels.has('Giữa kì')).toBe(true);
      // Handed-in grids (some of 6A1's) show the end-of-term mark too; open ones do not yet.
      const handedIn = await db.selectFrom('gradebook_state').select('subject_code').where('school_id', '=', demoSchoolId).where('class_id', '=', class6A1).execute();
      const ck = seen.subjects.filter((s) => s.terms.some((t) => t.marks.some((m) => m.label === 'Cuối kì')));
      expect(ck.length).toBe(handedIn.length);
      // Results are not published yet: that is the homeroom teacher's step.
      expect(seen.results).toEqual([]);
    });

    it('makes the same gradebook from the same seed, also when the fill is stopped halfway and resumed', async () => {
      const other = handles[1]!;
      let turns = 0;
      const cut = await fillDemoGradebook(other.db, { bulk: other.engine === 'pglite', shouldStop: () => ++turns > 12 });
      expect(cut.stopped).toBe(true);
      expect(await other.db.selectFrom('demo_gradebook_fill').select('school_id').where('done_at', 'is', null).execute()).not.toHaveLength(0);
      const rest = await fillDemoGradebook(other.db, { bulk: other.engine === 'pglite' });
      expect(rest.stopped).toBe(false);
      expect(await gradebookDigest(other.db)).toEqual(await gradebookDigest(db));
    });
  });
});
