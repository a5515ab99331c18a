import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths, signIn } from '../gradebook/helpers.js';

// The principal brings in a student's TT58 year (grade 7, 2019-2020) from an .xlsx through the
// API, then reads it on the student's profile: the card "Kết quả các năm học trước (Thông tư
// 58/2011)" with the recomputed học lực and title in words, at 1366 and 360 px, no sideways
// overflow, no serious axe violation.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;

type Student = { id: string; fullName: string; learnerId: string | null };

let browser: Browser;
let principal: ApiSession;
let schoolId = '';
let student: Student;

beforeAll(async () => {
  browser = await launchBrowser();
  principal = await apiLogin(API, 'hieutruong.demo');
  schoolId = principal.me.staff!.schoolId;
  const list = await apiCall<{ items: Student[] }>(API, principal, 'GET', `/schools/${schoolId}/students?grade=9`);
  student = list.items.find((s) => s.learnerId)!;
  expect(student, 'the demo has no grade 9 student with a learner id').toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
});

describe('legacy TT58 results on the student profile', () => {
  it('imported from a file, shown recomputed on the profile at 1366 and 360 px', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Kết quả');
    ws.addRow(['Mã định danh', 'Họ và tên', 'Năm học', 'Khối', 'Lớp', 'Toán', 'Ngữ văn', 'Vật lí', 'Tiếng Anh', 'Thể dục', 'Hạnh kiểm HK I', 'Hạnh kiểm HK II', 'Hạnh kiểm cả năm', 'Số buổi nghỉ']);
    ws.addRow([student.learnerId, student.fullName, '2019-2020', 7, '7A1', '8,5', '8,0', '7,9', '8,0', 'Đ', 'Tốt', 'Tốt', 'Tốt', 2]);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(await wb.xlsx.writeBuffer())]), 'ket-qua-cu.xlsx');
    const res = await fetch(`${API}/schools/${schoolId}/legacy-results/import?replace=true`, { method: 'POST', headers: { cookie: principal.cookie, 'x-csrf-token': principal.csrf }, body: form });
    expect(res.status, await res.clone().text()).toBe(200);

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
    const page = await signIn(ctx, baseUrl, 'hieutruong.demo');
    await page.goto(`${baseUrl}/hoc-sinh/${student.id}`);
    const card = page.getByTestId('profile-legacy-results');
    await card.waitFor({ timeout: 30_000 });
    const text = await card.innerText();
    // (8,5 + 8,0 + 7,9 + 8,0) / 4 = 32,4 / 4 = 8,1; none below 6,5, Thể dục Đ → Giỏi; Tốt → Học sinh giỏi.
    expect(text).toContain('Kết quả các năm học trước (Thông tư 58/2011)');
    expect(text).toContain('Năm học 2019-2020 · Lớp 7A1');
    expect(text).toContain('Điểm TB các môn: 8,1');
    expect(text).toContain('Học lực: Giỏi');
    expect(text).toContain('Học sinh giỏi');
    expect(text).not.toMatch(/\b(gioi|tot|tt58_2011)\b/);
    await checkWidths(page, 'legacy-results-profile');
    await ctx.close();
  });
});
