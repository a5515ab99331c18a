import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths, shownWords, signIn } from '../gradebook/helpers.js';

// The principal (hieutruong.demo) brings in a student's results of a year assessed under Thông tư
// 58/2011 through "Nhập dữ liệu (Excel)", kind "Kết quả học tập các năm trước (TT58)": downloads
// the template, fills its example row with exceljs as a school office would in Excel, uploads it,
// reads the count, then the year on the student's profile; the same year again is a conflict,
// replaced only after the explicit confirmation; a file with a wrong mark and an unknown code is
// refused whole, the rows to fix named by the file's own Vietnamese headers. 1366 and 360 px, no
// sideways overflow, no serious axe violation, no id or code on the page.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(legacy_import_\w+|tt58_2011|gioi|tot|kha)\b/;

type Student = { id: string; fullName: string; learnerId: string | null };
type Legacy = { years: { schoolYear: string; className: string; academic: string }[] };

let browser: Browser;
let principal: ApiSession;
let schoolId = '';
let student: Student;
let ctx: BrowserContext;
let page: Page;
let template: ExcelJS.Workbook;

const legacyOf = () => apiCall<Legacy>(API, principal, 'GET', `/schools/${schoolId}/students/${student.id}/legacy-results`);

beforeAll(async () => {
  browser = await launchBrowser();
  principal = await apiLogin(API, 'hieutruong.demo');
  schoolId = principal.me.staff!.schoolId;
  // A grade 8 student (e2e/students/legacy-results.e2e.ts takes a grade 9 one): no year imported yet.
  const list = await apiCall<{ items: Student[] }>(API, principal, 'GET', `/schools/${schoolId}/students?grade=8`);
  student = list.items.filter((s) => s.learnerId)[1]!;
  expect(student, 'the demo has no grade 8 student with a learner id').toBeTruthy();
  expect((await legacyOf()).years).toEqual([]);
  ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true, acceptDownloads: true });
  page = await signIn(ctx, baseUrl, 'hieutruong.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

/** The template's row 2 (its example) as the student's year: every scored subject 8,0 but Toán 9,0; Thể dục, Âm nhạc, Mỹ thuật Đ; the terms' averages as recorded. */
function filled(wb: ExcelJS.Workbook, className: string): Promise<ExcelJS.Buffer> {
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(1).values as unknown[]).map((v) => (typeof v === 'string' ? v : ''));
  const row = ws.getRow(2);
  const byHeader: Record<string, string | number> = {
    'Mã định danh': student.learnerId!,
    'Họ và tên': student.fullName,
    'Năm học': '2019-2020',
    Khối: 7,
    Lớp: className,
    Toán: '9,0',
    'Thể dục': 'Đ',
    'Âm nhạc': 'Đ',
    'Mỹ thuật': 'Đ',
    'ĐTB các môn HK I': '7,9',
    'ĐTB các môn HK II': '8,2',
    'Hạnh kiểm HK I': 'Tốt',
    'Hạnh kiểm HK II': 'Tốt',
    'Hạnh kiểm cả năm': 'Tốt',
    'Số buổi nghỉ': 1,
  };
  headers.forEach((h, at) => {
    if (!h) return;
    row.getCell(at).value = byHeader[h] ?? '8,0';
  });
  return wb.xlsx.writeBuffer();
}

async function openLegacyKind() {
  await page.goto(`${baseUrl}/nhap-du-lieu`);
  await page.getByTestId('import-kind-legacy').click();
}

async function upload(name: string, buffer: ExcelJS.Buffer) {
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(buffer) });
  await page.getByTestId('import-start').click();
}

describe('"Kết quả học tập các năm trước (TT58)" in the import page', () => {
  it('template downloaded, a row filled, uploaded: the count, then the year recomputed on the profile', async () => {
    await openLegacyKind();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
    expect(download.suggestedFilename()).toBe('Mau-nhap-ket-qua-TT58.xlsx');
    template = new ExcelJS.Workbook();
    await template.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    await checkWidths(page, 'legacy-import-kind');

    await upload('ket-qua-tt58.xlsx', await filled(template, '7A2'));
    const done = page.getByTestId('legacy-import-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getAttribute('data-imported')).toBe('1');
    const text = await shownWords(page, CODES);
    expect(text).toContain('Đã nhập kết quả học tập các năm trước');
    expect(text).toContain('Đã ghi 1 dòng');
    await checkWidths(page, 'legacy-import-done');

    await page.goto(`${baseUrl}/hoc-sinh/${student.id}`);
    const card = page.getByTestId('profile-legacy-results');
    await card.waitFor({ timeout: 30_000 });
    const shown = await card.innerText();
    // (9,0 + 10 × 8,0) / 11 = 89 / 11 = 8,09… → 8,1; Toán ≥ 8, none below 6,5, Đ everywhere → Giỏi; Tốt → Học sinh giỏi.
    expect(shown).toContain('Năm học 2019-2020 · Lớp 7A2');
    expect(shown).toContain('Điểm TB các môn: 8,1');
    expect(shown).toContain('Điểm TB các môn HK I: 7,9 · HK II: 8,2');
    expect(shown).toContain('Học lực: Giỏi');
    expect(shown).toContain('Học sinh giỏi');
  });

  it('the same year again: "đã có kết quả năm 2019-2020 — nhập lại để thay thế?", replaced only after the confirmation', async () => {
    await openLegacyKind();
    await upload('ket-qua-tt58-sua.xlsx', await filled(template, '7A3'));
    const conflict = page.getByTestId('legacy-import-conflict');
    await conflict.waitFor({ timeout: 30_000 });
    const text = await shownWords(page, CODES);
    expect(text).toContain('Đã có kết quả năm 2019-2020 — nhập lại để thay thế?');
    expect(text).toContain(`kết quả năm học 2019-2020 của em ${student.fullName} đã được nhập trước đây.`);
    expect((await legacyOf()).years.map((y) => y.className)).toEqual(['7A2']);
    await checkWidths(page, 'legacy-import-conflict');

    await page.getByTestId('legacy-replace').click();
    await page.locator('.ant-modal-confirm-title', { hasText: 'Thay kết quả đã nhập?' }).waitFor();
    await page.getByTestId('legacy-replace-ok').click();
    const done = page.getByTestId('legacy-import-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.innerText()).toContain('trong đó 1 dòng thay kết quả đã nhập trước đây');
    expect((await legacyOf()).years.map((y) => y.className)).toEqual(['7A3']);
  });

  it('a wrong mark and an unknown code: the file refused whole, each row to fix by the file\'s header', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await filled(template, '6A1')) as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const at = (h: string) => (ws.getRow(1).values as unknown[]).indexOf(h);
    ws.getRow(2).getCell(at('Năm học')).value = '2018-2019';
    ws.getRow(2).getCell(at('Khối')).value = 6;
    ws.getRow(2).getCell(at('Toán')).value = '11';
    const stranger = ws.addRow([]);
    ws.getRow(2).eachCell((c, n) => {
      stranger.getCell(n).value = c.value;
    });
    stranger.getCell(at('Toán')).value = '8';
    stranger.getCell(at('Mã định danh')).value = '0999999999';

    await openLegacyKind();
    await upload('ket-qua-loi.xlsx', await wb.xlsx.writeBuffer());
    const invalid = page.getByTestId('legacy-import-invalid');
    await invalid.waitFor({ timeout: 30_000 });
    const text = await shownWords(page, CODES);
    expect(text).toContain('Tệp chưa nhập được, chưa có kết quả nào được ghi');
    const issues = await page.getByTestId('import-issue').allInnerTexts();
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/2\s+Toán\s+điểm trung bình môn cả năm: Điểm tối đa là 10/);
    expect(issues[1]).toMatch(/3\s+Mã định danh\s+trường không có học sinh mã 0999999999/);
    await checkWidths(page, 'legacy-import-invalid');
    // Nothing written: the student's years are the one replaced above.
    expect((await legacyOf()).years.map((y) => y.schoolYear)).toEqual(['2019-2020']);
  });
});
