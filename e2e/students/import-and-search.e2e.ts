import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfPageTexts } from '../../server/test/pdf-text.js';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;

/** A class list as a school exports it: the 6A1 of the demo school gains three new pupils. */
async function classListXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách');
  ws.addRow(['STT', 'Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp']);
  ws.addRow([1, '9900000001', 'Trịnh Đức Khiêm', '12/03/2014', 'Nam', 'Kinh', '6A1']);
  ws.addRow([2, '9900000002', 'Lường Thị Ngọc Ánh', '01/11/2014', 'Nữ', 'Thái', '6A1']);
  ws.addRow([3, '9900000003', 'Hứa Văn Quý', '27/06/2014', 'Nam', 'Tày', '6A1']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS });
});
afterAll(async () => {
  await browser?.close();
});

describe('principal: import a class, find a pupil without accents, open the profile', () => {
  it('logs in as hieutruong.demo', async () => {
    await page.goto(baseUrl);
    await page.getByTestId('login-username').fill('hieutruong.demo');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('user-menu').textContent()).toContain('Hiệu trưởng');
  });

  it('imports three pupils into 6A1 from an .xlsx file', async () => {
    await page.goto(`${baseUrl}/nhap-du-lieu`);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByTestId('import-file').setInputFiles({
      name: 'lop-6A1.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await classListXlsx(),
    });
    await page.getByTestId('import-start').click();
    const result = page.getByTestId('import-result');
    await result.and(page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    // Each count by its own card: three rows read, three pupils created, none updated, no errors.
    const count = async (k: string) => (await result.getByTestId(`import-count-${k}`).locator('.ant-statistic-content').textContent())?.trim();
    expect(await count('total')).toBe('3');
    expect(await count('created')).toBe('3');
    expect(await count('updated')).toBe('0');
    expect(await count('errors')).toBe('0');
    await page.screenshot({ path: path.join(SHOT_DIR, 'import-done-desktop.png'), fullPage: true });
  });

  it('finds "Trịnh Đức Khiêm" by typing "trinh duc khiem" and opens the profile', async () => {
    await page.goto(`${baseUrl}/hoc-sinh`);
    await page.getByTestId('student-search').fill('trinh duc khiem');
    const row = page.getByTestId('student-row').filter({ hasText: 'Trịnh Đức Khiêm' });
    await row.first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('student-row').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-search-desktop.png') });
    await row.first().click();
    const profile = page.getByTestId('student-profile');
    await profile.getByText('9900000001').first().waitFor({ timeout: 30_000 });
    const text = (await profile.textContent()) ?? '';
    expect(text).toContain('Trịnh Đức Khiêm');
    expect(text).toContain('9900000001');
    expect(text).toContain('12/03/2014');
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-profile-desktop.png'), fullPage: true });
  });

  it('the profile works at 360 px wide without a horizontal page scroll', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await page.getByTestId('student-profile').getByText('9900000001').first().waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-profile-360.png'), fullPage: true });
  });

  it('an accent-free partial search also works on a phone ("đuc" and "duc" both find Đức)', async () => {
    await page.goto(`${baseUrl}/hoc-sinh`);
    await page.getByTestId('student-search').fill('khiem');
    await page.getByTestId('student-row').filter({ hasText: 'Khiêm' }).first().waitFor({ timeout: 30_000 });
    await page.getByTestId('student-search').fill('đuc khiem');
    await page.getByTestId('student-row').filter({ hasText: 'Trịnh Đức Khiêm' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-search-360.png'), fullPage: true });
  });

  it('prints the class list of 6A1 as an A4 PDF from the list page', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(`${baseUrl}/hoc-sinh`);
    await page.getByTestId('student-search').fill('trinh duc khiem');
    // The search applies after a short pause: wait for the filtered list, or the whole school prints.
    await expect.poll(() => page.getByTestId('student-row').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('student-row').filter({ hasText: 'Trịnh Đức Khiêm' }).waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('student-print').click()]);
    const pdf = readFileSync((await download.path())!);
    const text = (await pdfPageTexts(pdf)).join('\n');
    expect(text).toContain('DANH SÁCH HỌC SINH — Lớp 6A1');
    expect(text).toContain('Trịnh Đức Khiêm');
  });
});
