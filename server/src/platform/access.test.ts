import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoToday } from '../../../domain/index.js';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import type { Role } from '../db/schema.js';
import { type Caller, assertCanSee, requireStudent } from '../modules/students/students.service.js';
import { visibleTree } from '../modules/org/org.service.js';
import { hasAny, isGuardianOf, placementOf, requireRolesOver, rolesOver, schoolView, teacherClassIds, unitAccess, unitClosedError } from './access.js';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';
import { readingDate } from './org-tree.js';
import { dataVersion } from './data-version.repo.js';

// The access functions called directly, on the fixture province: who holds which role over which
// unit (subtree inheritance), a teacher's classes, a parent's children, the visible part of the
// tree, and who may open a student record. Each case checks the exact data that comes back (role
// sets, class ids, unit ids in order), not a status code: these are the cases the mutation run
// (`npm run mutation`) relies on to notice a dropped filter or an inverted condition.

const handle = await freshDb();
const db = handle.db;
afterAll(() => handle.close());

const NOBODY = '00000000-0000-7000-8000-00000000dead';
/** A school that moved from province B to province A and then closed (2023: moved; 2025-06-01: closed). */
const MOVED_CLOSED = '00000000-0000-7000-8000-0000000001c1';
/** A class of the previous school year in A1, homeroom: the Ngữ văn teacher; the Toán teacher taught it. */
const CLASS_2024 = '00000000-0000-7000-8000-0000000030c1';
/** A class in B1 whose homeroom teacher row in B1 happens to carry the same id as a teacher of A1. */
const CLASS_B1_SAME_STAFF_ID = '00000000-0000-7000-8000-0000000031c1';

const treeVersion = () => dataVersion(db, 'org_tree');

async function actor(grants: [Role, string][], extra: Partial<Actor> = {}): Promise<Actor> {
  return {
    userId: NOBODY,
    username: 'thu.nghiem',
    displayName: 'Tài khoản thử',
    grants: grants.map(([role, orgUnitId]) => ({ role, orgUnitId })),
    staff: null,
    student: null,
    csrfToken: 'csrf',
    mustChangePassword: false,
    treeVersion: await treeVersion(),
    ...extra,
  };
}

const sorted = (s: Iterable<string>) => [...s].sort();

beforeAll(async () => {
  await db.insertInto('org_unit').values({ id: MOVED_CLOSED, kind: 'school', code: '09009009' }).execute();
  const version = (parent_id: string, valid_from: string, valid_to: string) => ({
    unit_id: MOVED_CLOSED,
    name: 'Trường THCS Đã Giải Thể',
    parent_id,
    valid_from,
    valid_to,
    school_levels: ['lower_secondary' as const],
    ownership: 'public' as const,
    area: null,
    province_code: null,
    address: null,
    change_reason: null,
  });
  // Inserted newest first, so "the last version" cannot come from insertion order.
  await db
    .insertInto('org_unit_version')
    .values([version(F.provinceA, '2023-01-01', '2025-06-01'), version(F.provinceB, '2020-01-01', '2023-01-01')])
    .execute();

  await db
    .insertInto('school_year')
    .values({ school_id: F.schoolA1, year: 2024, term1_start: '2024-09-05', term1_end: '2025-01-15', term2_start: '2025-01-19', term2_end: '2025-05-31' })
    .execute();
  await db
    .insertInto('class')
    .values({ school_id: F.schoolA1, id: CLASS_2024, year: 2024, name: '5A1', grade: 6, homeroom_teacher_id: F.teacherHomeroom, session: 'morning', age_group: null, site_id: null })
    .execute();
  await db
    .insertInto('teaching_assignment')
    .values({ school_id: F.schoolA1, id: '00000000-0000-7000-8000-0000000050c1', year: 2024, term: 1, class_id: CLASS_2024, subject_code: 'toan', staff_id: F.teacherMath })
    .execute();
  // Ids are per school (the key is school_id + id): another school may hold the same staff id.
  await db
    .insertInto('staff')
    .values({
      school_id: F.schoolB1,
      id: F.teacherHomeroom,
      family_name: 'Đinh',
      middle_name: 'Văn',
      given_name: 'Khoa',
      name_sort_key: 'khoa van dinh',
      search_text: 'dinh van khoa',
      position: 'teacher',
      sex: 'male',
      subject_codes: [],
    })
    .execute();
  await db
    .insertInto('class')
    .values({ school_id: F.schoolB1, id: CLASS_B1_SAME_STAFF_ID, year: F.year, name: '10A2', grade: 10, homeroom_teacher_id: F.teacherHomeroom, session: 'morning', age_group: null, site_id: null })
    .execute();
});

describe('rolesOver: a grant covers its unit and everything below it, nothing above or beside', () => {
  it('a grant on the unit itself', async () => {
    expect(sorted(await rolesOver(db, await actor([['principal', F.schoolA1]]), F.schoolA1))).toEqual(['principal']);
  });

  it('a grant on an ancestor covers every level below it (province → commune → school → site)', async () => {
    const so = await actor([['province_officer', F.provinceA]]);
    for (const unit of [F.provinceA, F.communeA1, F.schoolA1, F.schoolA2, F.siteA1]) {
      expect(sorted(await rolesOver(db, so, unit)), unit).toEqual(['province_officer']);
    }
    expect(sorted(await rolesOver(db, await actor([['district_officer', F.communeA1]]), F.siteA1))).toEqual(['district_officer']);
    expect(sorted(await rolesOver(db, await actor([['principal', F.schoolA1]]), F.siteA1))).toEqual(['principal']);
  });

  it('a grant covers nothing above it, beside it or in another province', async () => {
    const so = await actor([['province_officer', F.provinceA]]);
    for (const unit of [F.ministry, F.provinceB, F.districtB1, F.schoolB1]) expect(sorted(await rolesOver(db, so, unit)), unit).toEqual([]);
    const principal = await actor([['principal', F.schoolA1]]);
    for (const unit of [F.communeA1, F.provinceA, F.schoolA2, F.schoolB1]) expect(sorted(await rolesOver(db, principal, unit)), unit).toEqual([]);
  });

  it('only the grants that cover the unit count, each with its own role', async () => {
    const many = await actor([
      ['principal', F.schoolA1],
      ['parent', F.schoolA1],
      ['province_officer', F.provinceB],
      ['homeroom_teacher', F.schoolA2],
    ]);
    expect(sorted(await rolesOver(db, many, F.schoolA1))).toEqual(['parent', 'principal']);
    expect(sorted(await rolesOver(db, many, F.schoolB1))).toEqual(['province_officer']);
    expect(sorted(await rolesOver(db, many, F.schoolA2))).toEqual(['homeroom_teacher']);
    expect(sorted(await rolesOver(db, many, F.communeA1))).toEqual([]);
  });

  it('the same actor asks about many units in a row: each answer is about its own unit (per-unit cache)', async () => {
    const principal = await actor([['principal', F.schoolB1]]);
    const answers: string[][] = [];
    for (const unit of [F.schoolB1, F.schoolA1, F.schoolB1, F.provinceB, F.schoolA1]) answers.push(sorted(await rolesOver(db, principal, unit)));
    expect(answers).toEqual([['principal'], [], ['principal'], [], []]);
  });

  it('system_admin covers every unit, wherever its grant is', async () => {
    const admin = await actor([['system_admin', F.ministry]]);
    for (const unit of [F.ministry, F.provinceB, F.schoolA1, F.siteA1]) expect(sorted(await rolesOver(db, admin, unit))).toEqual(['system_admin']);
    const odd = await actor([['system_admin', F.schoolB1]]);
    expect(sorted(await rolesOver(db, odd, F.schoolA1))).toEqual(['system_admin']);
  });

  it('no grants: no roles, on any unit', async () => {
    const none = await actor([]);
    expect(sorted(await rolesOver(db, none, F.schoolA1))).toEqual([]);
    expect(sorted(await rolesOver(db, none, F.ministry))).toEqual([]);
  });

  it('a closed unit is judged by the tree of its last version: the office that held it at the end, not the one before', async () => {
    // The abolished district office (closed 2025-07-01) still belongs to province A for its history.
    expect(sorted(await rolesOver(db, await actor([['province_officer', F.provinceA]]), F.districtA1))).toEqual(['province_officer']);
    expect(sorted(await rolesOver(db, await actor([['province_officer', F.provinceB]]), F.districtA1))).toEqual([]);
    // Moved from B to A in 2023, closed in 2025: A, not B.
    expect(sorted(await rolesOver(db, await actor([['province_officer', F.provinceA]]), MOVED_CLOSED))).toEqual(['province_officer']);
    expect(sorted(await rolesOver(db, await actor([['province_officer', F.provinceB]]), MOVED_CLOSED))).toEqual([]);
    expect(sorted(await rolesOver(db, await actor([['district_officer', F.communeA1]]), MOVED_CLOSED))).toEqual([]);
  });

  it("a unit that never existed: no roles but the admin's", async () => {
    const so = await actor([['province_officer', F.provinceA]]);
    expect(sorted(await rolesOver(db, so, NOBODY))).toEqual([]);
  });
});

describe('requireRolesOver and hasAny', () => {
  it('returns the roles held when one of the wanted roles is among them', async () => {
    const a = await actor([['principal', F.schoolA1], ['parent', F.schoolA1]]);
    expect(sorted(await requireRolesOver(db, a, F.schoolA1, ['principal']))).toEqual(['parent', 'principal']);
  });

  it('answers 404 (never 403) when none of the wanted roles is held over the unit', async () => {
    const a = await actor([['parent', F.schoolA1]]);
    const err = await requireRolesOver(db, a, F.schoolA1, ['principal', 'school_staff']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(404);
    const outside = await requireRolesOver(db, await actor([['principal', F.schoolA1]]), F.schoolB1, ['principal']).catch((e: unknown) => e);
    expect((outside as AppError).status).toBe(404);
  });

  it('hasAny: one match is enough, none is none', () => {
    expect(hasAny(new Set<Role>(['parent', 'principal']), ['school_staff', 'principal'])).toBe(true);
    expect(hasAny(new Set<Role>(['parent']), ['school_staff', 'principal'])).toBe(false);
    expect(hasAny(new Set<Role>(), ['parent'])).toBe(false);
    expect(hasAny(new Set<Role>(['parent']), [])).toBe(false);
  });
});

describe('teacherClassIds and schoolView: a teacher sees the classes they lead or teach this year, in their own school', () => {
  const teacher = (staffId: string, schoolId: string = F.schoolA1) => actor([['homeroom_teacher', schoolId]], { staff: { schoolId, staffId } });

  it('homeroom class and taught classes, each once', async () => {
    // Lê Thị Hoa leads 6A1 and teaches Ngữ văn there: 6A1 once.
    expect(await teacherClassIds(db, await teacher(F.teacherHomeroom), F.schoolA1, F.year)).toEqual([F.class6A1]);
    // Phạm Minh Đức leads none and teaches Toán in 6A2.
    expect(await teacherClassIds(db, await teacher(F.teacherMath), F.schoolA1, F.year)).toEqual([F.class6A2]);
    // The principal leads 6A2.
    expect(await teacherClassIds(db, await teacher(F.principalA1), F.schoolA1, F.year)).toEqual([F.class6A2]);
  });

  it('the year asked for, not another one', async () => {
    expect(await teacherClassIds(db, await teacher(F.teacherHomeroom), F.schoolA1, 2024)).toEqual([CLASS_2024]);
    expect(await teacherClassIds(db, await teacher(F.teacherMath), F.schoolA1, 2024)).toEqual([CLASS_2024]);
    expect(await teacherClassIds(db, await teacher(F.teacherMath), F.schoolA1, 2023)).toEqual([]);
  });

  it('nothing in another school, even where a staff row there carries the same id', async () => {
    expect(await teacherClassIds(db, await teacher(F.teacherHomeroom), F.schoolB1, F.year)).toEqual([]);
    // The B1 teacher with that id sees their B1 class, and nothing of A1.
    expect(await teacherClassIds(db, await teacher(F.teacherHomeroom, F.schoolB1), F.schoolB1, F.year)).toEqual([CLASS_B1_SAME_STAFF_ID]);
    expect(await teacherClassIds(db, await teacher(F.teacherHomeroom, F.schoolB1), F.schoolA1, F.year)).toEqual([]);
  });

  it('an account that is not a staff member sees no class', async () => {
    expect(await teacherClassIds(db, await actor([['homeroom_teacher', F.schoolA1]]), F.schoolA1, F.year)).toEqual([]);
  });

  it('schoolView: every manager and office role gets the full school; a teacher only their classes', async () => {
    const a = await teacher(F.teacherMath);
    for (const role of ['system_admin', 'province_officer', 'district_officer', 'principal', 'school_staff'] as Role[]) {
      expect(await schoolView(db, new Set<Role>([role]), a, F.schoolA1, F.year), role).toEqual({ kind: 'full' });
    }
    for (const role of ['homeroom_teacher', 'subject_teacher', 'parent', 'student'] as Role[]) {
      expect(await schoolView(db, new Set<Role>([role]), a, F.schoolA1, F.year), role).toEqual({ kind: 'teacher', classIds: [F.class6A2] });
    }
    expect(await schoolView(db, new Set<Role>(['subject_teacher', 'school_staff']), a, F.schoolA1, F.year)).toEqual({ kind: 'full' });
    expect(await schoolView(db, new Set<Role>(['subject_teacher']), await actor([]), F.schoolA1, F.year)).toEqual({ kind: 'teacher', classIds: [] });
  });
});

describe('isGuardianOf: a parent account reaches its own children only', () => {
  const parent = (who: 'parentA' | 'parentC') => actor([['parent', F.schoolA1]], { userId: F.users[who] });

  it('own child yes, another child no', async () => {
    expect(await isGuardianOf(db, await parent('parentA'), F.schoolA1, F.studentAn)).toBe(true);
    expect(await isGuardianOf(db, await parent('parentA'), F.schoolA1, F.studentBinh)).toBe(false);
    expect(await isGuardianOf(db, await parent('parentA'), F.schoolA1, F.studentCuong)).toBe(false);
    expect(await isGuardianOf(db, await parent('parentC'), F.schoolA1, F.studentCuong)).toBe(true);
    expect(await isGuardianOf(db, await parent('parentC'), F.schoolA1, F.studentAn)).toBe(false);
  });

  it('the link is per school: the same student id in another school is not the child', async () => {
    expect(await isGuardianOf(db, await parent('parentA'), F.schoolB1, F.studentAn)).toBe(false);
  });

  it("an account with no guardian row is nobody's parent", async () => {
    expect(await isGuardianOf(db, await actor([['parent', F.schoolA1]]), F.schoolA1, F.studentAn)).toBe(false);
  });
});

describe('visibleTree: the subtrees of the granted units on the date asked', () => {
  const today = isoToday();
  const ids = async (a: Actor, asOf = today) => (await visibleTree(db, a, asOf)).map((u) => u.id);

  it('a province officer: their province and everything in it today, in Vietnamese name order (Đ after D, before S)', async () => {
    const units = await visibleTree(db, await actor([['province_officer', F.provinceA]]), today);
    expect(units.map((u) => u.name)).toEqual([
      'Điểm trường Bản Mới',
      'Sở GD&ĐT tỉnh An Giang Thử',
      'Trường THCS Lê Lợi',
      'Trường THCS Trần Phú',
      'Trường Tiểu học Đồng Tâm',
      'Trường Tiểu học Núi Thành',
      'Trường Tiểu học Sông Cầu',
      'UBND xã Hai',
      'UBND xã Một',
    ]);
    expect(sorted(units.map((u) => u.id))).toEqual(
      sorted([F.provinceA, F.schoolA1, F.schoolA2, F.schoolA3, F.schoolM1, F.schoolM2, F.communeA1, F.communeA2, F.siteA1]),
    );
  });

  it('as the tree was on another date: the district office before it was abolished', async () => {
    expect(sorted(await ids(await actor([['province_officer', F.provinceA]]), '2025-01-01'))).toEqual(
      sorted([F.provinceA, F.districtA1, F.schoolA1, F.schoolA2, F.schoolA3, F.schoolA4, F.schoolM1, F.schoolM2, F.siteA1, MOVED_CLOSED]),
    );
    expect(sorted(await ids(await actor([['province_officer', F.provinceB]]), '2022-01-01'))).toEqual(
      sorted([F.provinceB, F.districtB1, F.schoolB1, MOVED_CLOSED]),
    );
  });

  it('a principal: their school and its site; a commune office: its schools', async () => {
    expect(sorted(await ids(await actor([['principal', F.schoolA1]])))).toEqual(sorted([F.schoolA1, F.siteA1]));
    expect(sorted(await ids(await actor([['district_officer', F.communeA1]])))).toEqual(sorted([F.communeA1, F.schoolA1, F.schoolA2, F.schoolM1, F.schoolM2, F.siteA1]));
    expect(sorted(await ids(await actor([['principal', F.schoolB1]])))).toEqual([F.schoolB1]);
  });

  it('parents and students see no part of the tree, whatever else they hold', async () => {
    expect(await ids(await actor([['parent', F.schoolA1]]))).toEqual([]);
    expect(await ids(await actor([['student', F.schoolA1]]))).toEqual([]);
    expect(sorted(await ids(await actor([['parent', F.schoolA1], ['principal', F.schoolB1]])))).toEqual([F.schoolB1]);
    expect(sorted(await ids(await actor([['student', F.schoolA1], ['principal', F.schoolB1]])))).toEqual([F.schoolB1]);
  });

  it('system_admin sees the whole country from the ministry down, whatever unit its grant names', async () => {
    const all = [F.ministry, F.provinceA, F.provinceB, F.communeA1, F.communeA2, F.districtB1, F.districtG, F.schoolA1, F.schoolA2, F.schoolA3, F.schoolM1, F.schoolM2, F.schoolB1, F.siteA1];
    expect(sorted(await ids(await actor([['system_admin', F.ministry]])))).toEqual(sorted(all));
    expect(sorted(await ids(await actor([['system_admin', F.schoolB1], ['parent', F.schoolA1]])))).toEqual(sorted(all));
  });

  it('two grants: the union of both subtrees, each unit once', async () => {
    expect(await ids(await actor([['principal', F.schoolA1], ['homeroom_teacher', F.schoolA1], ['principal', F.schoolB1]]))).toEqual([F.siteA1, F.schoolA1, F.schoolB1]);
  });
});

describe('assertCanSee: who may open one student record', () => {
  const caller = (roles: Role[], a: Actor): Caller => ({ actor: a, roles: new Set(roles) });
  const student = (id: string, schoolId = F.schoolA1) => requireStudent(db, schoolId, id);
  async function sees(c: Caller, studentId: string): Promise<boolean> {
    try {
      await assertCanSee(db, c, await student(studentId));
      return true;
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(404);
      expect((e as AppError).detail).toBe('Không tìm thấy học sinh.');
      return false;
    }
  }
  const all = [F.studentAn, F.studentBinh, F.studentCuong];
  const seen = async (c: Caller) => {
    const out: string[] = [];
    for (const id of all) if (await sees(c, id)) out.push(id);
    return out;
  };

  it('managers and offices: every student of the school', async () => {
    const a = await actor([]);
    for (const role of ['system_admin', 'province_officer', 'district_officer', 'principal', 'school_staff'] as Role[]) {
      expect(await seen(caller([role], a)), role).toEqual(all);
    }
  });

  it('teachers: the students of their classes this year only', async () => {
    const homeroom = await actor([], { staff: { schoolId: F.schoolA1, staffId: F.teacherHomeroom } });
    expect(await seen(caller(['homeroom_teacher'], homeroom))).toEqual([F.studentAn, F.studentBinh]);
    const math = await actor([], { staff: { schoolId: F.schoolA1, staffId: F.teacherMath } });
    expect(await seen(caller(['subject_teacher'], math))).toEqual([F.studentCuong]);
    expect(await seen(caller(['subject_teacher'], await actor([])))).toEqual([]);
  });

  it('parents: their own children only, and only while they hold the parent role', async () => {
    expect(await seen(caller(['parent'], await actor([], { userId: F.users.parentA })))).toEqual([F.studentAn]);
    expect(await seen(caller(['parent'], await actor([], { userId: F.users.parentC })))).toEqual([F.studentCuong]);
    // The guardian row alone (parent grant withdrawn) opens nothing.
    expect(await seen(caller(['student'], await actor([], { userId: F.users.parentA })))).toEqual([]);
    expect(await seen(caller([], await actor([], { userId: F.users.parentA })))).toEqual([]);
  });

  it('a teacher who is also a parent: their classes plus their own child', async () => {
    const both = await actor([], { userId: F.users.parentC, staff: { schoolId: F.schoolA1, staffId: F.teacherHomeroom } });
    expect(await seen(caller(['homeroom_teacher', 'parent'], both))).toEqual(all);
  });

  it('students: their own record in their own school only', async () => {
    const an = await actor([], { student: { schoolId: F.schoolA1, studentId: F.studentAn } });
    expect(await seen(caller(['student'], an))).toEqual([F.studentAn]);
    // Ids are per school: a student account of B1 carrying An's id is not An.
    const elsewhere = await actor([], { student: { schoolId: F.schoolB1, studentId: F.studentAn } });
    expect(await seen(caller(['student'], elsewhere))).toEqual([]);
    expect(await seen(caller(['parent'], an))).toEqual([]);
  });

  it('no role: nothing', async () => {
    expect(await seen(caller([], await actor([])))).toEqual([]);
  });
});

describe('closed units (docs/decisions/0005-closed-units.md)', () => {
  it('placement: open today, closed with its closing date and the tree of its LAST day, future, unknown', async () => {
    const v = await treeVersion();
    const open = await placementOf(db, F.schoolA1, v);
    expect(open).toEqual({ state: 'open', chain: new Set([F.schoolA1, F.communeA1, F.provinceA, F.ministry]), closedOn: null });
    // G's only version began under district office G while it was province A's; province B held it on G's last day.
    const g = await placementOf(db, F.schoolG, v);
    expect(g).toEqual({ state: 'closed', chain: new Set([F.schoolG, F.districtG, F.provinceB, F.ministry]), closedOn: '2025-06-01' });
    const a4 = await placementOf(db, F.schoolA4, v);
    expect(a4).toEqual({ state: 'closed', chain: new Set([F.schoolA4, F.communeA1, F.provinceA, F.ministry]), closedOn: '2026-01-01' });
    expect(await placementOf(db, NOBODY, v)).toEqual({ state: 'unknown', chain: new Set(), closedOn: null });
  });

  it('a unit that opens in the future is judged by the tree on its opening day, and is not closed', async () => {
    const future = '00000000-0000-7000-8000-0000000001f1';
    await db.insertInto('org_unit').values({ id: future, kind: 'school', code: '09009010' }).execute();
    await db
      .insertInto('org_unit_version')
      .values({ unit_id: future, name: 'Trường THCS Sắp Mở', parent_id: F.communeA2, valid_from: '2099-01-01', valid_to: null, school_levels: ['lower_secondary'], ownership: 'public', area: null, province_code: null, address: null, change_reason: null })
      .execute();
    const v = await treeVersion();
    expect(await placementOf(db, future, v)).toEqual({ state: 'future', chain: new Set([future, F.communeA2, F.provinceA, F.ministry]), closedOn: null });
    expect(await unitAccess(db, await actor([['district_officer', F.communeA2]]), future)).toEqual({ roles: new Set(['district_officer']), closedOn: null });
    expect(await readingDate(db, future, isoToday())).toBe(isoToday());
  });

  it('a unit whose last version ends today is closed today: its last day was yesterday', async () => {
    const today = isoToday();
    const endsToday = '00000000-0000-7000-8000-0000000001f2';
    await db.insertInto('org_unit').values({ id: endsToday, kind: 'school', code: '09009011' }).execute();
    await db
      .insertInto('org_unit_version')
      .values({ unit_id: endsToday, name: 'Trường THCS Đóng Hôm Nay', parent_id: F.communeA2, valid_from: '2020-09-01', valid_to: today, school_levels: ['lower_secondary'], ownership: 'public', area: null, province_code: null, address: null, change_reason: null })
      .execute();
    const v = await treeVersion();
    expect(await placementOf(db, endsToday, v)).toEqual({ state: 'closed', chain: new Set([endsToday, F.communeA2, F.provinceA, F.ministry]), closedOn: today });
    expect(await unitAccess(db, await actor([['principal', endsToday]]), endsToday)).toEqual({ roles: new Set(), closedOn: today });
    expect(await readingDate(db, endsToday, today)).toBe(addDays(today, -1));
  });

  it('a grant on a closed unit gives nothing: its principal, the officer of the abolished office', async () => {
    expect(await unitAccess(db, await actor([['principal', F.schoolA4]]), F.schoolA4)).toEqual({ roles: new Set(), closedOn: '2026-01-01' });
    expect(await unitAccess(db, await actor([['district_officer', F.districtA1]]), F.districtA1)).toEqual({ roles: new Set(), closedOn: '2025-07-01' });
    // …nor over what was below the abolished office.
    expect(sorted(await rolesOver(db, await actor([['district_officer', F.districtA1]]), F.schoolA1))).toEqual([]);
    // The same account's other, open grant still works.
    expect(sorted(await rolesOver(db, await actor([['principal', F.schoolA4], ['subject_teacher', F.schoolA1]]), F.schoolA1))).toEqual(['subject_teacher']);
  });

  it('a closed school is read by the offices above it on its last day only, and school roles there no longer count', async () => {
    const closedOn = '2026-01-01';
    expect(await unitAccess(db, await actor([['province_officer', F.provinceA]]), F.schoolA4)).toEqual({ roles: new Set(['province_officer']), closedOn });
    expect(await unitAccess(db, await actor([['district_officer', F.communeA1]]), F.schoolA4)).toEqual({ roles: new Set(['district_officer']), closedOn });
    expect(await unitAccess(db, await actor([['district_officer', F.communeA2]]), F.schoolA4)).toEqual({ roles: new Set(), closedOn });
    // A principal granted on the commune office (an odd grant) is still a school role.
    expect(await unitAccess(db, await actor([['principal', F.communeA1], ['province_officer', F.provinceA]]), F.schoolA4)).toEqual({ roles: new Set(['province_officer']), closedOn });
    expect(await unitAccess(db, await actor([['system_admin', F.ministry]]), F.schoolA4)).toEqual({ roles: new Set(['system_admin']), closedOn });
    expect(sorted(await rolesOver(db, await actor([['province_officer', F.provinceA]]), F.schoolG))).toEqual([]);
    expect(sorted(await rolesOver(db, await actor([['province_officer', F.provinceB]]), F.schoolG))).toEqual(['province_officer']);
  });

  it('strictlyBelow: a grant on the unit itself does not count, one above it does; the operator always does', async () => {
    const so = await actor([['province_officer', F.provinceA]]);
    expect(await unitAccess(db, so, F.provinceA, { strictlyBelow: true })).toEqual({ roles: new Set(), closedOn: null });
    expect(await unitAccess(db, so, F.provinceA)).toEqual({ roles: new Set(['province_officer']), closedOn: null });
    expect(await unitAccess(db, so, F.communeA1, { strictlyBelow: true })).toEqual({ roles: new Set(['province_officer']), closedOn: null });
    expect(await unitAccess(db, await actor([['system_admin', F.ministry]]), F.ministry, { strictlyBelow: true })).toEqual({ roles: new Set(['system_admin']), closedOn: null });
  });

  it('readingDate: today for an open unit, the last day of a closed one; the day before crosses months and years', async () => {
    expect(await readingDate(db, F.schoolA1, '2026-12-04')).toBe('2026-12-04');
    expect(await readingDate(db, F.schoolA4, '2026-12-04')).toBe('2025-12-31');
    expect(await readingDate(db, F.districtA1, '2026-12-04')).toBe('2025-06-30');
    // Not yet closed on the day asked: that day.
    expect(await readingDate(db, F.schoolA4, '2025-12-15')).toBe('2025-12-15');
    expect(await readingDate(db, NOBODY, '2026-12-04')).toBe('2026-12-04');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('the refusal of a change names the closing date in Vietnamese', () => {
    const err = unitClosedError('2026-01-01');
    expect(err).toMatchObject({ status: 409, code: 'unit_closed' });
    expect(err.detail).toBe('Đơn vị này đã ngừng hoạt động từ ngày 01/01/2026: dữ liệu chỉ còn để tra cứu, không thay đổi được.');
  });
});
