import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import path from 'node:path';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// Issue 8, role-aware screens: every demo account opens every page of the app (parameterised ones
// with a real and a missing id). Each (role, page) shows either the page's own content or the one
// "Bạn không có quyền xem trang này" page; a stale link shows "Không tìm thấy". The expectations
// are written here by hand, per role, from who the product is for — not read from the app's
// route table (web/src/route-access.tsx), so a wrong table fails this test.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
let browser: Browser;

type Session = { cookie: string; me: { userId: string; grants: { role: string; orgUnitId: string; orgUnitName: string }[]; children: { schoolId: string; studentId: string }[] } };

async function apiLogin(username: string): Promise<Session> {
  const res = await fetch(`${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status, username).toBe(200);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, me: await res.json() };
}

async function apiGet<T>(s: Session, path: string): Promise<T> {
  const res = await fetch(`${API}${path}`, { headers: { cookie: s.cookie } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/**
 * What a (role, page) must show: a heading of the page, the student profile, no permission, not
 * found, or "this school has no such classes" (a page of a level the chosen school does not teach).
 */
type Expect = { heading: string } | 'profile' | 'denied' | 'not_found' | 'not_taught';

const PAGES = [
  'dashboard',
  'orgTree',
  'students',
  'studentReal',
  'studentMissing',
  'staleClass',
  'classes',
  'gradebook',
  'gradebookMissing',
  'results',
  'attendance',
  'preschool',
  'staff',
  'assignments',
  'imports',
  'transfers',
  'users',
  'audit',
  'anonymise',
  'children',
  'childReal',
  'childOther',
  'unknownPath',
] as const;
type PageKey = (typeof PAGES)[number];

const H = (heading: string): Expect => ({ heading });
const familyOnly = { children: 'denied', childReal: 'denied', childOther: 'denied' } as const;
const notFoundLinks = { studentReal: 'profile', studentMissing: 'not_found', staleClass: 'not_found', unknownPath: 'not_found' } as const;
const schoolReader = {
  dashboard: H('Tổng quan'),
  students: H('Học sinh'),
  classes: H('Lớp học'),
  assignments: H('Phân công chuyên môn'),
  // Preschool evaluation: the offices read it (every level is below them), the school's managers and teachers where the school has preschool classes (a teacher sees only their own class).
  preschool: H('Đánh giá sự phát triển của trẻ'),
  ...notFoundLinks,
  ...familyOnly,
};
// The gradebook is the school's own: its managers and teachers, not the offices above it (contracts/roles.ts GRADEBOOK_ROLES).
const gradebookUser = { gradebook: H('Sổ điểm'), gradebookMissing: 'not_found', results: H('Kết quả học tập và rèn luyện'), attendance: H('Điểm danh') } as const;
const noGradebook = { gradebook: 'denied', gradebookMissing: 'denied', results: 'denied', attendance: 'denied' } as const;
const office = {
  ...schoolReader,
  ...noGradebook,
  // The offices read the results of the schools below them (contracts/roles.ts RESULTS_READ_ROLES), not their gradebooks.
  results: H('Kết quả học tập và rèn luyện'),
  orgTree: H('Cây đơn vị'),
  staff: H('Cán bộ, giáo viên, nhân viên'),
  imports: 'denied',
  transfers: H('Chuyển trường'),
  users: H('Người dùng & phân quyền'),
  audit: H('Nhật ký hệ thống'),
  anonymise: 'denied',
} as const;
// THCS Nguyễn Du has no preschool class: its people get "the school has no preschool classes", not an empty page.
const teacher = {
  ...schoolReader,
  ...gradebookUser,
  preschool: 'not_taught',
  orgTree: 'denied',
  staff: H('Danh bạ cán bộ, giáo viên'),
  imports: 'denied',
  transfers: 'denied',
  users: 'denied',
  audit: 'denied',
  anonymise: 'denied',
} as const;

const EXPECTED: Record<string, Record<PageKey, Expect>> = {
  admin: {
    ...office,
    // The operator runs the system, not the schools' results or children's development records.
    results: 'denied',
    preschool: 'denied',
    imports: H('Nhập dữ liệu từ Excel'),
    anonymise: H('Ẩn danh dữ liệu học sinh đã rời trường'),
  },
  'so.demo': office,
  'phong.demo': office,
  'hieutruong.demo': {
    ...schoolReader,
    ...gradebookUser,
    preschool: 'not_taught',
    orgTree: 'denied',
    staff: H('Cán bộ, giáo viên, nhân viên'),
    imports: H('Nhập dữ liệu từ Excel'),
    transfers: H('Chuyển trường'),
    users: H('Người dùng & phân quyền'),
    audit: H('Nhật ký hệ thống'),
    anonymise: H('Ẩn danh dữ liệu học sinh đã rời trường'),
  },
  'gvcn.demo': teacher,
  // A subject teacher leads no class: "Kết quả của lớp" is the homeroom teacher's page.
  'gv.demo': { ...teacher, results: 'denied' },
  // A preschool-only school: the preschool evaluation, and no gradebook, results or attendance of grades 1–12.
  'gvmn.demo': {
    ...teacher,
    gradebook: 'not_taught',
    gradebookMissing: 'not_taught',
    results: 'not_taught',
    attendance: 'not_taught',
    preschool: H('Đánh giá sự phát triển của trẻ'),
  },
  'phuhuynh.demo': {
    ...(Object.fromEntries(PAGES.map((p) => [p, 'denied'])) as Record<PageKey, Expect>),
    children: H('Con của tôi'),
    childReal: 'profile',
    childOther: 'not_found',
    unknownPath: 'not_found',
  },
};

const MISSING_ID = '01a2449d-0000-7000-8000-000000000000';

/** In-app navigation (the router listens to popstate): no reload, the signed-in app is reused. */
async function go(page: Page, path: string): Promise<void> {
  await page.evaluate(async (p) => {
    window.history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }, path);
}

async function seen(page: Page, e: Expect): Promise<void> {
  const marker =
    e === 'denied'
      ? page.getByTestId('no-permission')
      : e === 'not_found'
        ? page.getByTestId('not-found')
        : e === 'not_taught'
          ? page.getByTestId('not-taught')
          : e === 'profile'
            ? page.getByTestId('student-profile')
            : page.getByRole('heading', { name: e.heading, exact: true });
  await marker.first().waitFor({ state: 'visible', timeout: 20_000 });
  // Exactly one of the three outcomes: never a page shell with a refusal inside, never "Tải lại".
  if (e !== 'denied') expect(await page.getByTestId('no-permission').count()).toBe(0);
  if (e !== 'not_found') expect(await page.getByTestId('not-found').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Tải lại' }).count()).toBe(0);
  if (e !== 'not_taught') expect(await page.getByTestId('not-taught').count()).toBe(0);
  if (e === 'denied' || e === 'not_taught') {
    await page.getByRole('button', { name: 'Về trang chủ' }).waitFor();
    expect(await page.locator('.page-header').count()).toBe(0);
  }
  if (e === 'not_found') expect(await page.getByRole('button', { name: /Quay lại danh sách|Về trang chủ/ }).count()).toBe(1);
}

/** One context per role, signed in once through the real login page. */
async function signIn(username: string, schoolForOffices: { id: string; name: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS });
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  // Offices pick a school before its pages show records: pick the demo school once, as a user would.
  const me = await page.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()) as { userId: string; grants: { role: string }[] });
  if (me.grants.some((g) => ['system_admin', 'province_officer', 'district_officer'].includes(g.role))) {
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [`truongso.school.${me.userId}`, JSON.stringify(schoolForOffices)]);
    await page.reload();
    await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  }
  return { context, page };
}

let school: { id: string; name: string };
let parent: Session;
let otherStudentId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  parent = await apiLogin('phuhuynh.demo');
  const principal = await apiLogin('hieutruong.demo');
  const grant = principal.me.grants.find((g) => g.role === 'principal')!;
  school = { id: grant.orgUnitId, name: grant.orgUnitName };
  const list = await apiGet<{ items: { id: string }[] }>(principal, `/schools/${school.id}/students?pageSize=5`);
  otherStudentId = list.items.map((i) => i.id).find((id) => !parent.me.children.some((c) => c.studentId === id))!;
});
afterAll(async () => {
  await browser?.close();
});

describe('every page for every demo role', () => {
  for (const [username, expected] of Object.entries(EXPECTED)) {
    // Two roles at a time (maxConcurrency in e2e/vitest.config.ts), each in its own browser context.
    it.concurrent(`${username}: each page shows its content, the no-permission page, or "Không tìm thấy"`, async () => {
      const api = await apiLogin(username);
      // A student this role may open (its own class's, the school's; for the parent their child).
      const child = parent.me.children[0]!;
      const readsSchool = expected.students !== 'denied';
      // gvmn.demo works at the demo's preschool school, the other school people at THCS Nguyễn Du.
      const ownSchool = username === 'gvmn.demo' ? api.me.grants[0]!.orgUnitId : school.id;
      const realStudent = readsSchool ? (await apiGet<{ items: { id: string }[] }>(api, `/schools/${ownSchool}/students?pageSize=1`)).items[0]!.id : child.studentId;
      const paths: Record<PageKey, string> = {
        dashboard: '/tong-quan',
        orgTree: '/cay-don-vi',
        students: '/hoc-sinh',
        studentReal: `/hoc-sinh/${realStudent}`,
        studentMissing: `/hoc-sinh/${MISSING_ID}`,
        staleClass: '/hoc-sinh?lop=abc',
        classes: '/lop-hoc',
        gradebook: '/so-diem',
        gradebookMissing: `/so-diem/${MISSING_ID}/toan?hk=1`,
        results: '/ket-qua',
        attendance: '/diem-danh',
        preschool: '/danh-gia-tre',
        staff: '/can-bo',
        assignments: '/phan-cong',
        imports: '/nhap-du-lieu',
        transfers: '/chuyen-truong',
        users: '/nguoi-dung',
        audit: '/nhat-ky',
        anonymise: '/an-danh',
        children: '/con-cua-toi',
        childReal: `/con-cua-toi/${child.schoolId}/${child.studentId}`,
        childOther: `/con-cua-toi/${school.id}/${otherStudentId}`,
        unknownPath: '/khong-co-trang-nay',
      };
      const { context, page } = await signIn(username, school);
      try {
        for (const key of PAGES) {
          await go(page, paths[key]);
          try {
            await seen(page, expected[key]);
            if (username === 'phuhuynh.demo' && (key === 'users' || key === 'childOther')) await page.screenshot({ path: path.join(SHOT_DIR, `role-routes-parent-${key}.png`) });
          } catch (err) {
            throw new Error(`${username} ${paths[key]}: expected ${JSON.stringify(expected[key])}: ${(err as Error).message}`, { cause: err });
          }
        }
      } finally {
        await context.close();
      }
    });
  }
});

describe("a subject teacher's classes", () => {
  it('the class list, the dashboard and the student list agree with the teaching assignments', async () => {
    const gv = await apiLogin('gv.demo');
    const principal = await apiLogin('hieutruong.demo');
    const staffId = (await apiGet<{ staff: { staffId: string } }>(gv, '/auth/me')).staff.staffId;
    // The fixture's own answer (as the principal sees the school): classes gv.demo leads or is assigned to.
    type Cls = { id: string; name: string; year: number; homeroomTeacherId: string | null; studentCount: number | null; access: string };
    const all = await apiGet<Cls[]>(principal, `/schools/${school.id}/classes`);
    const year = all[0]!.year;
    const assigned = await apiGet<{ classId: string; staffId: string }[]>(principal, `/schools/${school.id}/assignments?year=${year}`);
    const ownIds = new Set([...assigned.filter((a) => a.staffId === staffId).map((a) => a.classId), ...all.filter((c) => c.homeroomTeacherId === staffId).map((c) => c.id)]);
    const own = all.filter((c) => ownIds.has(c.id));
    const ownStudents = own.reduce((n, c) => n + (c.studentCount ?? 0), 0);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(all.length);
    // The API as gv.demo says the same.
    const asTeacher = await apiGet<Cls[]>(gv, `/schools/${school.id}/classes`);
    expect(asTeacher.filter((c) => c.access !== 'none').map((c) => c.id).sort()).toEqual([...ownIds].sort());
    const dash = await apiGet<{ totals: { classes: number; students: number } }>(gv, `/schools/${school.id}/dashboard`);
    expect(dash.totals).toMatchObject({ classes: own.length, students: ownStudents });
    const fmt = (n: number) => n.toLocaleString('vi-VN');

    const { context, page } = await signIn('gv.demo', school);
    try {
      await go(page, '/lop-hoc');
      await page.getByText(`${own.length} lớp bạn dạy hoặc chủ nhiệm · ${fmt(ownStudents)} học sinh`).waitFor({ timeout: 20_000 });
      expect(await page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(own.length);
      expect(await page.getByTestId('class-not-yours').count()).toBe(0);
      await page.getByTestId('class-scope').getByText('Tất cả lớp của trường').click();
      await page.getByText(`${all.length} lớp của trường · ${own.length} lớp bạn dạy hoặc chủ nhiệm`).waitFor();
      expect(await page.getByTestId('class-not-yours').count()).toBe(all.length - own.length);
      expect(await page.getByText('Không thuộc lớp bạn dạy').count()).toBe(all.length - own.length);
      await page.screenshot({ path: path.join(SHOT_DIR, 'role-routes-teacher-classes.png'), fullPage: true });

      await go(page, '/tong-quan');
      await expect.poll(() => page.getByTestId('stat-classes').textContent(), { timeout: 20_000 }).toContain(`Lớp bạn dạy${fmt(own.length)}`);
      expect(await page.getByTestId('stat-students').textContent()).toContain(fmt(ownStudents));

      await go(page, '/hoc-sinh');
      await page.getByText(`${fmt(ownStudents)} học sinh các lớp bạn dạy hoặc chủ nhiệm`).waitFor({ timeout: 20_000 });

      // A class of the school that is not theirs: explained, not an empty list.
      const other = all.find((c) => !ownIds.has(c.id))!;
      await go(page, `/hoc-sinh?lop=${other.id}&nam=${year}`);
      await page.getByText(`Lớp ${other.name} không thuộc lớp bạn dạy`).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('student-table').count()).toBe(0);
      // The class picker names the class; no id anywhere a user reads.
      expect(await page.locator('body').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      await page.screenshot({ path: path.join(SHOT_DIR, 'role-routes-teacher-not-yours.png') });
    } finally {
      await context.close();
    }
  });
});
