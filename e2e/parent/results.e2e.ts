import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths, signIn, shownWords } from '../gradebook/helpers.js';

// "Con của tôi" as phuhuynh.demo (mother of one learner of 6A1) reads her child's year: what the
// teachers published, in words. The demo has published most term I columns; the principal takes
// them all back first (and puts them back at the end, for the files that run after this one), so
// the page must say that nothing is published — no empty table. Then the child's subject teacher
// (gv.demo, or gvcn.demo when gv.demo teaches nothing of 6A1) publishes one column holding the
// child's mark with a decimal, through the API, and the parent sees that mark, decimal comma
// included, and nothing else. At 1366 and 360 px: no sideways overflow, no serious axe violation,
// no ids, no codes.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(tx\d|gk|ck|nx|morning|afternoon|hk1|hk2|cn|tot|kha|dat|chua_dat)\b|\{"/;

type Me = { displayName: string; children: { schoolId: string; studentId: string; fullName: string }[] };
type Cls = { id: string; name: string };
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
/** What the demo had published, put back after the test: subject → term → columns. */
const taken: { subjectCode: string; term: number; columns: string[] }[] = [];
const call = <T>(s: ApiSession, method: string, p: string, body?: unknown) => apiCall<T>(API, s, method, p, body);
const words = () => shownWords(page, CODES);
const grid = (s: ApiSession, subjectCode: string, term: number) => call<Grid>(s, 'GET', `/schools/${child.schoolId}/classes/${cls.id}/gradebook/${subjectCode}?term=${term}`);

async function openChild() {
  await page.goto(`${baseUrl}/con-cua-toi`);
  await page.getByTestId('child-item').first().click();
  await page.getByTestId('child-results').waitFor();
  await page.getByTestId('child-attendance').or(page.getByText('Con chưa được xếp lớp')).first().waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  principal = await apiLogin(API, 'hieutruong.demo');
  parent = await apiLogin(API, 'phuhuynh.demo');
  const me = parent.me as unknown as Me;
  expect(me.children).toHaveLength(1);
  child = me.children[0]!;
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
  expect((await call<Family>(parent, 'GET', `/schools/${child.schoolId}/students/${child.studentId}/results`)).subjects).toEqual([]);
  ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'phuhuynh.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  for (const t of taken) await call(principal, 'PUT', `/schools/${child.schoolId}/classes/${cls.id}/gradebook/${t.subjectCode}/publication`, { term: t.term, columns: t.columns, published: true });
});

describe('the parent (phuhuynh.demo) on "Con của tôi"', () => {
  it('before anything is published: says so in words, the attendance beside it, no empty table', async () => {
    await openChild();
    await page.getByTestId('child-marks-none').waitFor();
    const text = await words();
    expect(text).toContain('Kết quả học tập');
    expect(text).toContain('Giáo viên chưa công bố điểm nào');
    expect(text).toContain('Nhà trường chưa công bố kết quả học kì hay cả năm');
    expect(text).toContain('Chuyên cần');
    expect(text).toMatch(/Năm học \d{4}-\d{4} · Lớp 6A1/);
    expect(await page.getByTestId('child-results').locator('table').count()).toBe(0);
    expect(await page.getByTestId('child-marks').count()).toBe(0);
    await checkWidths(page, 'parent-results-none');
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
});
