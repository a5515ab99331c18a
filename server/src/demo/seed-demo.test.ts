import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLearnerId } from '../../../domain/index.js';
import { type DbHandle, openDb } from '../db/connection.js';
import { migrate } from '../db/migrator.js';
import { loadReferenceData } from '../db/reference-data.js';
import type { Database } from '../db/schema.js';
import { verifyPassword } from '../platform/passwords.js';
import { currentSchoolYear, type DemoSummary, seedDemo } from './seed-demo.js';

// The shared test template carries fixtures (its own ministry 'BO', 'admin' …), so the demo
// seeds into empty migrated databases of its own: PGlite by default, PostgreSQL when
// DATABASE_URL is set (like the other integration tests).
const PASSWORD = 'Demo@2025x';
const OPTIONS = { students: 1500, password: PASSWORD, seed: 2025 } as const;

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
    // One principal account per other school, linked to that school's principal.
    const principals = grants.filter((g) => g.username.startsWith('ht.'));
    expect(principals).toHaveLength(summary.schools - 1);
    for (const p of [...principals, by.get('hieutruong.demo')!]) {
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
    await seedDemo(handles[1]!.db, { ...OPTIONS });
    const a = await firstStudentNames(db);
    const b = await firstStudentNames(handles[1]!.db);
    expect(a).toHaveLength(20);
    expect(b).toEqual(a);
  });

  it('refuses to seed a database that already holds the demo province', async () => {
    await expect(seedDemo(db, { ...OPTIONS })).rejects.toThrow(/BO/);
  });
});
