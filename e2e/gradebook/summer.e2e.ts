import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths as checkPageWidths, signIn, shownWords, toast as toastOn } from './helpers.js';

// Exemptions (miễn học) and the summer panel as the principal uses them, on the demo: on 6A1's
// results, the "Miễn học" tab records a GDTC exemption for term II through the dialog, the grid of
// GDTC term II shows the student as "Miễn", then the year's "Sau kì nghỉ hè" tab is locked and
// unlocked (with a reason), and the exemption is lifted again. Every screen in words (no ids or
// codes), at 1366 and 360 px without sideways overflow and without a serious axe violation.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(tot|kha|dat|chua_dat|hk1|hk2|cn|gdtc|retest|summer_training)\b/;

type Cls = { id: string; name: string; year: number };
type Exemptions = { items: { fullName: string; subjectCode: string; scope: string; reason: string }[] };

let browser: Browser;
let principal: ApiSession;
let schoolId = '';
let cls: Cls;
let ctx: BrowserContext;
let page: Page;
const call = <T>(method: string, p: string, body?: unknown) => apiCall<T>(API, principal, method, p, body);
const toast = (text: string | RegExp) => toastOn(page, text);

/** The shared 1366/360 check (width, screenshots, axe) on this file's page. */
const checkWidths = (name: string) => checkPageWidths(page, name);

const words = () => shownWords(page, CODES);

beforeAll(async () => {
  browser = await launchBrowser();
  principal = await apiLogin(API, 'hieutruong.demo');
  schoolId = principal.me.staff!.schoolId;
  const classes = await call<Cls[]>('GET', `/schools/${schoolId}/classes`);
  cls = classes.find((c) => c.name === '6A1')!;
  expect(cls).toBeDefined();
  ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'hieutruong.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

describe('the principal (hieutruong.demo) on 6A1', () => {
  let student = '';

  it('records a GDTC exemption for term II through the dialog; the list reads it in words', async () => {
    await page.goto(`${baseUrl}/ket-qua?nam=${cls.year}&lop=${cls.id}&tab=exemptions`);
    await page.getByTestId('exemption-add').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: 'Ghi miễn học một môn' });
    await dialog.waitFor();
    await dialog.getByTestId('exemption-student').click();
    const first = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    student = (await first.getAttribute('title')) ?? (await first.innerText());
    await first.click();
    await dialog.getByTestId('exemption-subject').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Giáo dục thể chất' }).first().click();
    await dialog.getByTestId('exemption-scope').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Học kì II' }).first().click();
    await dialog.getByTestId('exemption-reason').fill('Gãy tay, có giấy của bệnh viện');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await toast(`Đã ghi miễn học môn Giáo dục thể chất cho em ${student}.`);
    const list = page.getByTestId('exemptions');
    await expect.poll(() => list.innerText()).toContain('Gãy tay, có giấy của bệnh viện');
    const text = await words();
    expect(text).toContain(student);
    expect(text).toContain('Học kì II');
    const stored = await call<Exemptions>('GET', `/schools/${schoolId}/classes/${cls.id}/exemptions`);
    expect(stored.items).toContainEqual(expect.objectContaining({ fullName: student, subjectCode: 'gdtc', scope: 'hk2', reason: 'Gãy tay, có giấy của bệnh viện' }));
    await checkWidths('exemptions');
  });

  it('the grid of GDTC term II shows the student as "Miễn"', async () => {
    await page.goto(`${baseUrl}/so-diem/${cls.id}/gdtc?hk=2`);
    const tag = page.getByTestId('gradebook-exempt').first();
    await tag.waitFor({ timeout: 30_000 });
    expect(await tag.innerText()).toBe('Miễn học trong học kì II — Gãy tay, có giấy của bệnh viện');
    const row = page.getByTestId('gradebook-row').filter({ has: tag });
    expect(await row.innerText()).toContain(student);
  });

  it('the year\'s "Sau kì nghỉ hè" (under the lists): locked and unlocked with a reason, in words', async () => {
    await page.goto(`${baseUrl}/ket-qua?nam=${cls.year}&lop=${cls.id}&ky=cn&tab=lists`);
    await page.getByTestId('summer').waitFor({ timeout: 30_000 });
    await words();
    await checkWidths('summer');
    await page.getByTestId('summer-lock').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Khóa kết quả hè' }).click();
    await toast('Đã khóa kết quả hè.');
    await page.getByTestId('summer-locked').waitFor();
    await checkWidths('summer-locked');
    await page.getByTestId('summer-unlock').click();
    await page.getByTestId('summer-unlock-reason').fill('Nhập nhầm điểm môn Toán');
    await page.locator('.ant-modal').filter({ hasText: 'Mở khóa kết quả hè' }).getByRole('button', { name: 'Mở khóa' }).click();
    await toast('Đã mở khóa kết quả hè.');
    await page.getByTestId('summer-locked').waitFor({ state: 'hidden' });
  });

  it('lifts the exemption again', async () => {
    await page.goto(`${baseUrl}/ket-qua?nam=${cls.year}&lop=${cls.id}&tab=exemptions`);
    const item = page.locator('[data-testid="exemption-row"], [data-testid="exemption-card"]').filter({ hasText: 'Gãy tay, có giấy của bệnh viện' }).first();
    await item.waitFor({ timeout: 30_000 });
    await item.getByTestId('exemption-remove').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Bỏ miễn học' }).click();
    await toast('Đã bỏ miễn học.');
    const stored = await call<Exemptions>('GET', `/schools/${schoolId}/classes/${cls.id}/exemptions`);
    expect(stored.items.some((x) => x.reason === 'Gãy tay, có giấy của bệnh viện')).toBe(false);
  });
});
