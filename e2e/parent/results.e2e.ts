import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, childInClass, checkWidths, signIn, shownWords } from '../gradebook/helpers.js';

// "Con của tôi" as phuhuynh.demo (mother of one learner of 6A1) reads her child's year: what the
// teachers published, in words. The demo has published most term I columns; the principal takes
// them all back first (and puts them back at the end, for the files that run after this one), so
// the page must say that nothing is published — no empty table (the class's published results
// likewise, by the homeroom teacher). Then the child's subject teacher
// (gv.demo, or gvcn.demo when gv.demo teaches nothing of 6A1) publishes one column holding the
// child's mark with a decimal, through the API, and the parent sees that mark, decimal comma
// included, and nothing else. Last, the homeroom teacher publishes the term I results the demo
// closed, and the parent reads them in words above the marks. At 1366 and 360 px: no sideways overflow, no serious axe violation,
// no ids, no codes.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(tx\d|gk|ck|nx|morning|afternoon|hk1|hk2|cn|tot|kha|dat|chua_dat)\b|\{"/;

type Me = { displayName: string; children: { schoolId: string; studentId: string; fullName: string }[] };
type Cls = { id: string; name: string; year: number };
type ClassBook = { subjects: { subjectCode: string; subjectName: string; assessment: 'score' | 'comment'; terms: { term: number; teacherName: string | null }[] }[] };
type Grid = { published: string[]; columns: { key: string; kind: string }[]; rows: { studentId: string; cells: Record<string, { value: string | null; version: number } | undefined> }[] };
type Family = { subjects: { subjectName: string; terms: { term: number; marks: { label: string; value: string }[] }[] }[]; results: unknown[] };

let browser: Browser;
let principal: ApiSession;
let parent: ApiSession;
let child: Me['children'][number];
let cls: Cls;
let ctx: BrowserContext;
let page: Page;
/** What the demo (or a file before this one) had published, put back after the test: subject → term → columns, and result periods. */
const taken: { subjectCode: string; term: number; columns: string[] }[] = [];
const takenPeriods: string[] = [];
let homeroom: ApiSession;
const call = <T>(s: ApiSession, method: string, p: string, body?: unknown) => apiCall<T>(API, s, method, p, body);
const words = () => shownWords(page, CODES);
const grid = (s: ApiSession, subjectCode: string, term: number) => call<Grid>(s, 'GET', `/schools/${child.schoolId}/classes/${cls.id}/gradebook/${subjectCode}?term=${term}`);

async function openChild() {
  await page.goto(`${baseUrl}/con-cua-toi`);
  await page.getByTestId('child-item').filter({ hasText: child.fullName }).first().click();
  await page.getByTestId('child-results').waitFor();
  await page.getByTestId('child-marks').or(page.getByTestId('child-marks-none')).or(page.getByText('Con chưa được xếp lớp')).first().waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  principal = await apiLogin(API, 'hieutruong.demo');
  parent = await apiLogin(API, 'phuhuynh.demo');
  // Her child in 6A1 (activation.e2e.ts links her second child, in 8A1, with a printed code).
  child = await childInClass(API, parent, '6A1');
  cls = (await call<Cls[]>(principal, 'GET', `/schools/${child.schoolId}/classes`)).find((c) => c.name === '6A1')!;
  expect(cls).toBeDefined();
  // Everything the demo published to families in 6A1, taken back by the principal.
  const book = await call<ClassBook>(principal, 'GET', `/schools/${child.schoolId}/classes/${cls.id}/gradebook`);
  for (const s of book.subjects) {
    for (const { term } of s.terms) {
      const { published } = await grid(principal, s.subjectCode, term);
      if (published.length === 0) continue;
      taken.push({ subjectCode: s.subjectCode, term, columns: published });
      await call(principal, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/gradebook/${s.subjectCode}/publication`, { term, columns: published, published: false });
    }
  }
  // And the class's published results (the demo publishes none; results.e2e.ts publishes term I), by its homeroom teacher.
  homeroom = await apiLogin(API, 'gvcn.demo');
  for (const period of ['hk1', 'hk2', 'cn']) {
    const res = await fetch(`${API}/schools/${child.schoolId}/classes/${cls.id}/results?period=${period}`, { headers: { cookie: homeroom.cookie } });
    if (res.status !== 200 || !((await res.json()) as { published: boolean }).published) continue;
    takenPeriods.push(period);
    await call(homeroom, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/results/publication`, { year: cls.year, period, published: false });
  }
  const family = await call<Family>(parent, 'GET', `/schools/${child.schoolId}/students/${child.studentId}/results`);
  expect(family.subjects).toEqual([]);
  expect(family.results).toEqual([]);
  ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'phuhuynh.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  for (const t of taken) await call(principal, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/gradebook/${t.subjectCode}/publication`, { term: t.term, columns: t.columns, published: true });
  // Term I's results as they were before this file (it publishes them); the other periods taken back are published again.
  for (const period of new Set(['hk1', ...takenPeriods])) {
    await call(homeroom, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/results/publication`, { year: cls.year, period, published: takenPeriods.includes(period) });
  }
});

describe('the parent (phuhuynh.demo) on "Con của tôi"', () => {
  it('before anything is published: says so in words, the attendance beside it, no empty table', async () => {
    await openChild();
    await page.getByTestId('child-marks-none').waitFor();
    const text = await words();
    expect(text).toContain('Kết quả học tập');
    expect(text).toContain('Giáo viên chưa công bố điểm nào');
    expect(text).toContain('Nhà trường chưa công bố kết quả học kì hay cả năm');
    expect(text).toMatch(/Năm học \d{4}-\d{4} · Lớp 6A1/);
    expect(await page.getByTestId('child-results').locator('table').count()).toBe(0);
    expect(await page.getByTestId('child-marks').count()).toBe(0);
    await checkWidths(page, 'parent-results-none');
    // The attendance is the portal's next tab (its own address), in words too.
    await page.getByTestId('portal-tab-attendance').click();
    await page.getByTestId('child-attendance').waitFor({ timeout: 30_000 });
    expect(await words()).toContain('Chuyên cần');
    await page.getByTestId('portal-tab-results').click();
    await page.getByTestId('child-results').waitFor();
  });

  it('after the teacher publishes a column: that mark, with a decimal comma, and nothing else', async () => {
    // The child's subject teacher: gv.demo where they teach 6A1, else the homeroom teacher's own subject.
    const book = await call<ClassBook>(principal, 'GET', `/schools/${child.schoolId}/classes/${cls.id}/gradebook`);
    let pick: { teacher: ApiSession; subjectName: string; subjectCode: string; column: string; value: string } | null = null;
    for (const username of ['gv.demo', 'gvcn.demo']) {
      const teacher = await apiLogin(API, username);
      for (const s of book.subjects.filter((x) => x.assessment === 'score' && x.terms.some((t) => t.term === 1 && t.teacherName === teacher.me.displayName))) {
        const g = await grid(teacher, s.subjectCode, 1);
        const row = g.rows.find((r) => r.studentId === child.studentId);
        const scored = g.columns.filter((c) => c.kind === 'score').map((c) => c.key);
        const column = scored.find((k) => row?.cells[k]?.value?.includes(','));
        if (row && column) {
          pick = { teacher, subjectName: s.subjectName, subjectCode: s.subjectCode, column, value: row.cells[column]!.value! };
          break;
        }
      }
      if (pick) break;
    }
    expect(pick, 'neither gv.demo nor gvcn.demo has a term I mark of the child with a decimal').not.toBeNull();
    const p = pick!;
    await call(p.teacher, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/gradebook/${p.subjectCode}/publication`, { term: 1, columns: [p.column], published: true });
    // The demo had it published already: put back at the end with the rest; else taken back now.
    if (!taken.some((t) => t.subjectCode === p.subjectCode && t.term === 1 && t.columns.includes(p.column))) {
      taken.push({ subjectCode: p.subjectCode, term: 1, columns: [p.column] });
    }

    await page.reload();
    await page.getByTestId('child-marks').waitFor({ timeout: 30_000 });
    const marks = page.getByTestId('child-marks');
    expect(await marks.locator(':scope > li').count()).toBe(1);
    const item = await marks.innerText();
    expect(item).toContain(p.subjectName);
    expect(item).toContain(p.value);
    expect(p.value).toMatch(/^\d{1,2},\d$/);
    const text = await words();
    expect(text).toContain('Học kì I');
    expect(text).not.toContain('Giáo viên chưa công bố điểm nào');
    expect(text).toContain('Nhà trường chưa công bố kết quả học kì hay cả năm');
    await checkWidths(page, 'parent-results-published');
  });

  it('after the homeroom teacher publishes term I results (the demo closed term I): the results in words, above the marks', async () => {
    await call(homeroom, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/results/publication`, { year: cls.year, period: 'hk1', published: true });
    await page.reload();
    const periods = page.getByTestId('child-results-periods');
    await periods.waitFor({ timeout: 30_000 });
    const text = await periods.innerText();
    expect(text).toContain('Học kì I');
    expect(text).toMatch(/Kết quả học tập\s*:?\s*(Tốt|Khá|Đạt|Chưa đạt|Chưa đủ điều kiện xếp loại)/);
    expect(text).toMatch(/Số buổi nghỉ\s*:?\s*(\d+ buổi|Không nghỉ buổi nào)/);
    expect(text).toMatch(/Công bố ngày \d{2}\/\d{2}\/\d{4}/);
    const all = await words();
    expect(all).not.toContain('Nhà trường chưa công bố');
    // The results come before the marks once published.
    expect(all.indexOf('Kết quả học kì, cả năm')).toBeLessThan(all.indexOf('Điểm và nhận xét các môn'));
    await checkWidths(page, 'parent-results-term');
  });
});
