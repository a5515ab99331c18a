import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths as checkPageWidths, signIn, shownWords, toast as toastOn } from '../gradebook/helpers.js';

// "Đánh giá sự phát triển của trẻ" as the preschool class teacher (gvmn.demo) uses it on the demo:
// her 5-year-old class with the fill's first-period results, one indicator ticked the other way and
// saved, seen again after a reload; then "Cân đo": a height and weight for one child and the
// nutrition status in words. Every screen in words (no ids or codes), at 1366 and 360 px without
// sideways overflow and without a serious axe violation.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(dat|chua_dat|end_term1|end_year|the_chat|nhan_thuc)\b|\{"/;

type Cls = { id: string; name: string; year: number; grade: number; access: string };
type Sheet = { rows: { studentId: string; fullName: string; results: Record<string, { value: string | null; version: number }> }[] };

let browser: Browser;
let teacher: ApiSession;
let schoolId = '';
let cls: Cls;
let ctx: BrowserContext;
let page: Page;
const call = <T>(method: string, p: string, body?: unknown) => apiCall<T>(API, teacher, method, p, body);
const toast = (text: string | RegExp) => toastOn(page, text);
const checkWidths = (name: string) => checkPageWidths(page, name);

const words = () => shownWords(page, CODES);

beforeAll(async () => {
  browser = await launchBrowser();
  teacher = await apiLogin(API, 'gvmn.demo');
  schoolId = teacher.me.staff!.schoolId;
  const classes = await call<Cls[]>('GET', `/schools/${schoolId}/classes`);
  cls = classes.find((c) => c.access === 'homeroom')!;
  expect(cls?.grade).toBe(0);
  ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'gvmn.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

describe('the preschool class teacher (gvmn.demo)', () => {
  it('opens the screen from the menu with the fill’s results, ticks an indicator, saves, reloads and sees it', async () => {
    await page.getByRole('menuitem', { name: 'Đánh giá trẻ mầm non' }).click();
    await page.getByTestId('development').waitFor();
    await page.getByTestId('development-summary').waitFor();
    const text = await words();
    expect(text).toContain(cls.name);
    expect(text).toContain('Tổng hợp theo lĩnh vực');
    expect(text).toContain('Thể chất');

    const before = await call<Sheet>('GET', `/schools/${schoolId}/classes/${cls.id}/development?evaluationPeriod=end_term1`);
    const child = before.rows[0]!;
    const was = child.results.the_chat_1?.value ?? 'dat';
    const next = was === 'dat' ? 'Chưa đạt' : 'Đạt';
    const table = page.getByTestId('domain-the_chat');
    const row = table.locator('tr').filter({ hasText: child.fullName }).first();
    await row.getByTestId('result-the_chat_1').getByText(next, { exact: true }).click();
    await expect.poll(() => page.getByTestId('development-save').innerText()).toContain('Lưu 1 thay đổi');
    await page.getByTestId('development-save').click();
    await toast('Đã lưu 1 kết quả.');
    await page.reload();
    await page.getByTestId('domain-the_chat').waitFor();
    const checked = page.getByTestId('domain-the_chat').locator('tr').filter({ hasText: child.fullName }).first().getByTestId('result-the_chat_1').locator('.ant-radio-button-wrapper-checked');
    await expect.poll(() => checked.innerText()).toBe(next);
    const after = await call<Sheet>('GET', `/schools/${schoolId}/classes/${cls.id}/development?evaluationPeriod=end_term1`);
    expect(after.rows[0]?.results.the_chat_1?.value).toBe(was === 'dat' ? 'chua_dat' : 'dat');
    await checkWidths('preschool-evaluation');
  });

  it('on a phone, one child at a time as cards', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await page.getByTestId('child-card').waitFor();
      expect(await page.getByTestId('child-card').innerText()).toContain('Thể chất');
      await page.getByRole('button', { name: 'Trẻ sau' }).click();
      await words();
    } finally {
      await page.setViewportSize({ width: 1366, height: 800 });
    }
  });

  it('enters a height and weight on “Cân đo” and reads the nutrition status in words', async () => {
    await page.getByRole('tab', { name: 'Cân đo' }).click();
    await page.getByTestId('measurements').waitFor();
    const row = page.getByTestId('measurement-row').first();
    await row.getByTestId('height').fill('abc');
    await expect.poll(() => row.innerText()).toContain('không phải là chiều cao');
    await row.getByTestId('height').fill('108,5');
    await row.getByTestId('weight').fill('17,8');
    await page.getByTestId('measurements-save').click();
    await toast('Đã lưu số đo của 1 trẻ.');
    await expect.poll(() => row.innerText()).toContain('cao 108,5 cm, nặng 17,8 kg');
    const text = await words();
    expect(text).toMatch(/Bình thường|Suy dinh dưỡng|Thừa cân/);
    await checkWidths('preschool-measurements');
  });

  it('reads the school’s indicator set on “Bộ chỉ số”, read only for a teacher', async () => {
    await page.getByRole('tab', { name: 'Bộ chỉ số' }).click();
    await page.getByTestId('indicator-set').waitFor();
    const text = await words();
    expect(text).toContain('Ban giám hiệu nhà trường sửa bộ chỉ số; bạn chỉ xem.');
    expect(text).toContain('Tự mặc, cởi áo và giữ vệ sinh cá nhân (mẫu)');
    expect(await page.getByTestId('set-save').count()).toBe(0);
    await checkWidths('preschool-indicator-set');
  });
});

describe('the preschool school’s principal', () => {
  it('adds an indicator on “Bộ chỉ số”, saves, and the class teacher’s evaluation has a column for it', async () => {
    const admin = await apiLogin(API, 'admin');
    const users = await apiCall<{ username: string; grants: { role: string; orgUnitId: string }[] }[]>(API, admin, 'GET', `/users?unitId=${schoolId}`);
    const principal = users.find((u) => u.grants.some((g) => g.role === 'principal' && g.orgUnitId === schoolId))!;
    expect(principal).toBeDefined();
    const pctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
    try {
      const p = await signIn(pctx, baseUrl, principal.username);
      await p.goto(`${baseUrl}/danh-gia-tre?tab=bo-chi-so`);
      await p.getByTestId('indicator-set').waitFor();
      await p.getByTestId('set-add-indicator').first().click();
      await p.getByTestId('set-indicator-name').nth(2).fill('Giữ thăng bằng khi đi trên ghế thể dục (chỉ số thử)');
      await checkPageWidths(p, 'preschool-indicator-set-edit');
      await p.getByTestId('set-save').click();
      await p.locator('.ant-message-notice').filter({ hasText: 'Đã lưu bộ chỉ số.' }).first().waitFor({ timeout: 30_000 });
      const set = await apiCall<{ counts: { indicators: number } }>(API, teacher, 'GET', `/schools/${schoolId}/preschool/indicator-set`);
      expect(set.counts.indicators).toBe(13);
      await page.goto(`${baseUrl}/danh-gia-tre?nam=${cls.year}&lop=${cls.id}`);
      await page.getByTestId('domain-the_chat').waitFor();
      await expect.poll(() => page.getByTestId('domain-the_chat').locator('thead').innerText()).toContain('Giữ thăng bằng khi đi trên ghế thể dục (chỉ số thử)');
      // The new indicator is not evaluated yet: the domain's summary counts those children as not finished.
      await expect.poll(() => page.getByTestId('development-summary').innerText()).toMatch(/Thể chất\s+\d+\s+\d+\s+[1-9]\d*/);
    } finally {
      await pctx.close();
    }
  });
});

describe('the menu of a preschool-only school', () => {
  it('offers gvmn.demo the preschool evaluation and no Sổ điểm, Kết quả or Điểm danh; a link to Sổ điểm says the school has no such classes', async () => {
    const menu = await page.locator('.app-sider .ant-menu').innerText();
    expect(menu).toContain('Đánh giá trẻ mầm non');
    for (const entry of ['Sổ điểm', 'Kết quả của lớp', 'Điểm danh']) expect(menu).not.toContain(entry);
    await page.goto(`${baseUrl}/so-diem`);
    await page.getByTestId('not-taught').waitFor();
    expect(await words()).toContain('không có lớp từ lớp 1 đến lớp 12');
    await checkWidths('preschool-no-gradebook');
  });
});

describe('a preschool child’s parent (phuhuynh.mamnon.demo)', () => {
  it('reads the child’s evaluated period by domain in words and the measurements with a decimal comma', async () => {
    const pctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
    try {
      const p = await signIn(pctx, baseUrl, 'phuhuynh.mamnon.demo');
      await p.getByRole('menuitem', { name: 'Con của tôi' }).click();
      await p.getByTestId('child-item').first().click();
      await p.getByTestId('child-development').waitFor();
      await p.getByTestId('child-measurements').waitFor();
      const text = await shownWords(p, CODES);
      expect(text).toContain('Sự phát triển của trẻ');
      expect(text).toMatch(/Cuối học kì I năm học \d{4}-\d{4}/);
      // The principal's test above added an indicator to Thể chất that nobody has evaluated: the family reads that the period is not finished.
      expect(text).toMatch(/Thể chất: Chưa đánh giá xong \(đã đánh giá \d+\/\d+ chỉ số\)/);
      expect(text).toContain('Giáo viên chưa đánh giá xong đợt này');
      expect(text).toMatch(/Tình cảm và xã hội: (Đạt|Chưa đạt)/);
      expect(text).toMatch(/Chiều cao \d+,\d cm · Cân nặng \d+,\d kg/);
      expect(text).toMatch(/Tình trạng dinh dưỡng: (Bình thường|Suy dinh dưỡng|Thừa cân|Béo phì)/);
      await checkPageWidths(p, 'preschool-parent-child');
    } finally {
      await pctx.close();
    }
  });
});
