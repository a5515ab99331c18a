import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths as checkPageWidths, signIn, shownWords, toast as toastOn } from './helpers.js';

// Phẩm chất, năng lực (TT27/2020 Điều 7) of a primary class as the demo's primary homeroom teacher
// (gvcn.tieuhoc.demo) and principal (hieutruong.tieuhoc.demo) use them: at giữa học kì II (empty
// in the demo) the teacher rates by tapping and typing in the grid and saves; a rating the
// principal changed meanwhile comes back as a conflict and shows the principal's word; on a phone
// one student at a time; the principal locks the checkpoint (the teacher reads it only) and
// unlocks it with a reason. Every screen in words, at 1366 and 360 px.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(tot|dat|can_co_gang|mid_term[12]|end_term1|end_year|pc_[a-z_]+|nlc_[a-z_]+|nldt_[a-z_]+)\b/;

type Cls = { id: string; name: string; year: number; grade: number; homeroomTeacherName?: string | null };
type Sheet = { rows: { studentId: string; fullName: string; ratings: Record<string, { value: string | null; version: number }> }[]; state: string };

let browser: Browser;
let teacher: ApiSession;
let principal: ApiSession;
let schoolId = '';
let cls: Cls;
let ctx: BrowserContext;
let page: Page;
const sheetPath = () => `/schools/${schoolId}/classes/${cls.id}/qualities`;
const sheet = () => apiCall<Sheet>(API, teacher, 'GET', `${sheetPath()}?checkpoint=mid_term2`);
const toast = (text: string | RegExp) => toastOn(page, text);
const checkWidths = (name: string) => checkPageWidths(page, name);
const cell = (row: number, col: number) => page.locator(`[data-cell="${row}:${col}"]`);

const words = () => shownWords(page, CODES);

const openSheet = async (checkpoint = 'Giữa học kì II') => {
  await page.goto(`${baseUrl}/ket-qua?nam=${cls.year}&lop=${cls.id}&ky=hk2&tab=qualities`);
  await page.getByTestId('qualities').waitFor();
  const wide = (page.viewportSize()?.width ?? 1366) > 900;
  if (wide) await page.getByTestId('qualities-checkpoint').getByText(checkpoint).click();
  else {
    await page.getByTestId('qualities-checkpoint').click();
    await page.locator('.ant-select-item-option').filter({ hasText: checkpoint }).click();
  }
  await page.getByTestId('qualities-state').waitFor();
};

beforeAll(async () => {
  browser = await launchBrowser();
  teacher = await apiLogin(API, 'gvcn.tieuhoc.demo');
  principal = await apiLogin(API, 'hieutruong.tieuhoc.demo');
  schoolId = teacher.me.staff!.schoolId;
  const classes = await apiCall<Cls[]>(API, teacher, 'GET', `/schools/${schoolId}/classes`);
  const own = await Promise.all(
    classes
      .filter((c) => c.grade === 4)
      .map(async (c) => ((await fetch(`${API}/schools/${schoolId}/classes/${c.id}/qualities?checkpoint=mid_term2`, { headers: { cookie: teacher.cookie } })).ok ? c : null)),
  );
  cls = own.find((c) => c !== null)!;
  expect(cls).toBeDefined();
  ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'gvcn.tieuhoc.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

describe('the primary homeroom teacher (gvcn.tieuhoc.demo)', () => {
  it('rates in the grid with a tap, a typed D and C and the arrows, saves, and the server holds exactly that', async () => {
    await openSheet();
    const before = await sheet();
    expect(before.rows.every((r) => Object.values(r.ratings).every((x) => x.value === null))).toBe(true);
    await cell(0, 0).click(); // empty → Tốt
    await expect.poll(() => cell(0, 0).innerText()).toBe('T');
    await cell(0, 1).focus();
    await page.keyboard.press('d'); // Đạt (as "đ" or "Đ"), then on to the next quality
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('0:2');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('c'); // row 1, quality 2: Cần cố gắng
    await expect.poll(() => cell(1, 2).innerText()).toBe('C');
    await expect.poll(() => page.getByText('3 ô chưa lưu').count()).toBe(1);
    await words();
    await page.getByTestId('qualities-save').click();
    await toast('Đã lưu 3 ô.');
    const after = await sheet();
    const [a, b] = after.rows;
    expect(a!.ratings.pc_yeu_nuoc).toMatchObject({ value: 'Tốt', version: 1 });
    expect(a!.ratings.pc_nhan_ai).toMatchObject({ value: 'Đạt', version: 1 });
    expect(b!.ratings.pc_cham_chi).toMatchObject({ value: 'Cần cố gắng', version: 1 });
    const others = after.rows.flatMap((r, i) => Object.entries(r.ratings).filter(([q, x]) => x.value !== null && !(i === 0 && ['pc_yeu_nuoc', 'pc_nhan_ai'].includes(q)) && !(i === 1 && q === 'pc_cham_chi')));
    expect(others).toEqual([]);
    await checkWidths('qualities-grid');
  });

  it("loses nobody's rating: one the principal changed meanwhile comes back as a conflict with the principal's word", async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await openSheet();
    await cell(0, 3).click(); // the teacher's draft: Tốt, read at version 0
    const first = (await sheet()).rows[0]!;
    await apiCall(API, principal, 'PUT', sheetPath(), { checkpoint: 'mid_term2', ratings: [{ studentId: first.studentId, quality: 'pc_trung_thuc', value: 'Đạt', version: 0 }] });
    await page.getByTestId('qualities-save').click();
    await toast(/1 ô vừa được người khác sửa trước bạn/);
    await expect.poll(() => cell(0, 3).innerText()).toBe('Đ');
    expect((await sheet()).rows[0]!.ratings.pc_trung_thuc).toMatchObject({ value: 'Đạt', version: 1 });
  });

  it('on a phone rates one student at a time and steps to the next', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await openSheet();
    await page.getByTestId('qualities-student').waitFor();
    const line = page.getByTestId('qualities-line').filter({ hasText: 'Trách nhiệm' });
    await line.getByText('Đạt', { exact: true }).click();
    await page.getByTestId('qualities-next').click();
    await page.getByTestId('qualities-line').filter({ hasText: 'Trách nhiệm' }).getByText('Cần cố gắng', { exact: true }).click();
    await words();
    await page.getByTestId('qualities-save').click();
    await toast('Đã lưu 2 ô.');
    const rows = (await sheet()).rows;
    expect(rows[0]!.ratings.pc_trach_nhiem?.value).toBe('Đạt');
    expect(rows[1]!.ratings.pc_trach_nhiem?.value).toBe('Cần cố gắng');
    await checkWidths('qualities-phone');
    await page.setViewportSize({ width: 1366, height: 800 });
  });
});

// The year comments for the học bạ, under the end-of-year ratings: one student at a time, a phrase
// from the teacher's list, one save; the codes of their topics never shown.
type YearSheet = { rows: { studentId: string; comments: Record<string, { value: string | null; version: number }> }[]; commentTopics: { code: string; label: string }[] };
const yearSheet = () => apiCall<YearSheet>(API, teacher, 'GET', `${sheetPath()}?checkpoint=end_year`);
const TOPIC_CODES = /\b(pham_chat|nang_luc_chung|nang_luc_dac_thu|overall|tieu_bieu|dot_xuat)\b/;

describe("the homeroom teacher's year comments (học bạ tiểu học)", () => {
  it('at the end of the year writes a student\'s comments, adds a phrase, steps to the next, saves; the server holds exactly that', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await openSheet('Cuối năm học');
    await page.getByTestId('year-comments').waitFor();
    await page.getByTestId('year-comment-pham_chat').fill('Em chăm chỉ, trung thực, biết giúp đỡ bạn.');
    // A phrase from the list goes after the text of the box it was opened from.
    await page.getByTestId('year-comment').filter({ hasText: 'Năng lực chung' }).getByTestId('gradebook-phrases-button').click();
    const phrase = (await page.getByTestId('gradebook-phrases').locator('.gb-phrase').first().innerText()).trim();
    await page.getByTestId('gradebook-phrases').locator('.gb-phrase').first().click();
    await expect.poll(() => page.getByTestId('year-comment-nang_luc_chung').inputValue()).toBe(phrase);
    await page.getByTestId('year-comments-next').click();
    await page.getByTestId('year-comment-overall').fill('Một năm học tiến bộ rõ.');
    await expect.poll(() => page.getByText('3 nhận xét chưa lưu').count()).toBe(1);
    await words();
    await shownWords(page, TOPIC_CODES);
    await page.getByTestId('year-comments-save').click();
    await toast('Đã lưu 3 nhận xét.');
    const [a, b] = (await yearSheet()).rows;
    expect(a!.comments.pham_chat).toEqual({ value: 'Em chăm chỉ, trung thực, biết giúp đỡ bạn.', version: 1 });
    expect(a!.comments.nang_luc_chung).toEqual({ value: phrase, version: 1 });
    expect(b!.comments.overall).toEqual({ value: 'Một năm học tiến bộ rõ.', version: 1 });
    await checkWidths('year-comments');
  });

  it('on a phone: the same, one student at a time, nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await openSheet('Cuối năm học');
    await page.getByTestId('year-comments').waitFor();
    await page.getByTestId('year-comments-pick').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').nth(2).click();
    // The ratings above show the same student as the comments.
    await expect.poll(() => page.getByTestId('qualities-pick').innerText()).toMatch(/^3\. /);
    await page.getByTestId('year-comment-nang_luc_dac_thu').fill('Đọc diễn cảm, tính toán cẩn thận.');
    await page.getByTestId('year-comments-save').click();
    await toast('Đã lưu 1 nhận xét.');
    expect((await yearSheet()).rows[2]!.comments.nang_luc_dac_thu?.value).toBe('Đọc diễn cảm, tính toán cẩn thận.');
    await checkWidths('year-comments-phone');
    await page.setViewportSize({ width: 1366, height: 800 });
  });
});

describe('the primary principal (hieutruong.tieuhoc.demo)', () => {
  it('locks giữa học kì II: the teacher reads it only; unlocking asks for a reason', async () => {
    // Their own browser (a context keeps one session cookie).
    const bossCtx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
    const boss = await signIn(bossCtx, baseUrl, 'hieutruong.tieuhoc.demo');
    const teacherPage = page;
    page = boss;
    try {
      await openSheet();
      await page.getByTestId('qualities-lock').click();
      await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Khóa đánh giá' }).click();
      await toast('Đã khóa đánh giá phẩm chất, năng lực.');
      expect((await sheet()).state).toBe('locked');
      await checkWidths('qualities-locked');

      // The teacher's screen: no cell to tap, no save; what the server says instead.
      page = teacherPage;
      await openSheet();
      await expect.poll(() => page.getByTestId('qualities-state').innerText()).toBe('Đã khóa');
      expect(await page.getByTestId('qualities-save').count()).toBe(0);
      expect(await page.locator('[data-cell]').count()).toBe(0);
      await words();

      page = boss;
      await page.getByTestId('qualities-unlock').click();
      await page.locator('.ant-modal').filter({ hasText: 'Mở khóa đánh giá phẩm chất, năng lực' }).getByRole('button', { name: 'Mở khóa' }).click();
      await toast('Hãy ghi rõ vì sao cần mở khóa');
      await page.getByTestId('qualities-unlock-reason').fill('Cô chủ nhiệm cần sửa đánh giá của hai em');
      await page.locator('.ant-modal').filter({ hasText: 'Mở khóa đánh giá phẩm chất, năng lực' }).getByRole('button', { name: 'Mở khóa' }).click();
      await toast('Đã mở khóa đánh giá phẩm chất, năng lực.');
      await page.getByText('Lần mở khóa trước: Cô chủ nhiệm cần sửa đánh giá của hai em').waitFor();
      expect((await sheet()).state).toBe('open');
    } finally {
      page = teacherPage;
      await bossCtx.close();
    }
  });
});
