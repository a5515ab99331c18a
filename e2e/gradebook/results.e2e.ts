import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { unzipSync } from 'fflate';
import { verifyPdfSignature } from '../../server/src/platform/pdf-sign.js';
import { pdfPageTexts } from '../../server/test/pdf-text.js';
import { identity, pkcs12 } from '../../server/test/test-certificates.js';
import { PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, axeSerious, checkWidths, signIn, toast } from './helpers.js';

// A class's results as its homeroom teacher and the principal use them, on the demo as of the
// seed day (term I marks, states, absences, training ratings, the term I close: global-setup waits
// for the fill). gvcn.demo (homeroom teacher of 6A1) opens "Kết quả học tập và rèn luyện" from
// "Sổ điểm", rates a student's training for term II, publishes term I to families, reviews a
// grid handed in, records an absence; hieutruong.demo locks that grid, runs the term I close and
// reads its summary, is told why a học bạ cannot be printed yet, closes the year, reads the lists
// and downloads a học bạ whose text is checked with pdf.js. Screenshots at 1366 and 360 px, no
// sideways overflow, no serious axe violation. Term I grids only: gradebook.e2e.ts works on term II.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/;
const CODES = /\b(tot|kha|dat|chua_dat|hk1|hk2|promoted|retest|xuat_sac|gioi)\b/;

type Cls = { id: string; name: string; access: string };
type ClassBook = { subjects: { subjectCode: string; subjectName: string; terms: { term: number; state: string }[] }[] };
type Results = { students: { studentId: string; fullName: string; trainingTerm2: string | null }[]; published: boolean };
type Attendance = { students: { studentId: string; fullName: string; absences: { date: string; excused: boolean; reason: string | null }[]; yearUnexcused: number }[] };

let browser: Browser;
let gvcn: ApiSession;
let schoolId = '';
let cls: Cls;
let submitted = '';
const call = <T>(s: ApiSession, method: string, p: string, body?: unknown) => apiCall<T>(API, s, method, p, body);
// Today in Vietnam (the server's "today").
const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, `${name}.png`), fullPage: true });

async function newPage(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true, acceptDownloads: true });
  return { ctx, page: await signIn(ctx, baseUrl, username) };
}

beforeAll(async () => {
  browser = await launchBrowser();
  gvcn = await apiLogin(API, 'gvcn.demo');
  schoolId = gvcn.me.staff!.schoolId;
  const classes = await call<Cls[]>(gvcn, 'GET', `/schools/${schoolId}/classes`);
  cls = classes.find((c) => c.access === 'homeroom')!;
  expect(cls?.name).toBe('6A1');
  // A term I grid of 6A1 handed in by its teacher (the demo hands in ~14 %), for the homeroom teacher to review.
  const book = await call<ClassBook>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/gradebook`);
  submitted = book.subjects.find((s) => s.terms.some((t) => t.term === 1 && t.state === 'submitted'))?.subjectCode ?? '';
  expect(submitted, 'the demo has no term I grid of 6A1 handed in').not.toBe('');
});
afterAll(async () => {
  await browser?.close();
});

describe('the homeroom teacher (gvcn.demo, 6A1)', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => ({ ctx, page } = await newPage('gvcn.demo')));
  afterAll(async () => ctx?.close());

  it('opens the class results from "Sổ điểm": term I as closed, in words, no ids or codes', async () => {
    await page.locator('.app-sider .ant-menu-item', { hasText: 'Sổ điểm' }).click();
    await page.getByTestId('gradebook-to-results').click();
    await page.getByRole('heading', { name: 'Kết quả học tập và rèn luyện' }).waitFor();
    await page.getByTestId('results-row').first().waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('lop')).toBe(cls.id);
    await page.getByTestId('results-computed').waitFor();
    const text = await page.locator('.app-content').innerText();
    expect(text).toMatch(/Lớp 6A1 · Năm học \d{4}-\d{4}/);
    expect(text).toMatch(/\b(Tốt|Khá|Đạt)\b/);
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(CODES);
    await checkWidths(page, 'results-gvcn');
    // Each subject's term result.
    await page.getByTestId('results-view').getByText('Điểm các môn', { exact: true }).click();
    await page.getByRole('columnheader', { name: 'Toán' }).waitFor();
    expect(await page.getByTestId('results-row').first().innerText()).toMatch(/\d,\d/);
    await checkWidths(page, 'results-marks');
  });

  it('rates a student\'s training for term II and saves it, with a message in words', async () => {
    await page.getByTestId('results-period').getByText('Học kì II', { exact: true }).click();
    await page.getByRole('tab', { name: 'Rèn luyện' }).click();
    const row = page.getByTestId('training-row').first();
    await row.waitFor({ timeout: 30_000 });
    const name = (await row.locator('.rs-name').innerText()).trim();
    await row.getByText('Khá', { exact: true }).click();
    await page.getByText('1 thay đổi chưa lưu').waitFor();
    await page.getByTestId('training-save').click();
    await toast(page, 'Đã lưu xếp loại rèn luyện học kì II của 1 học sinh.');
    const r = await call<Results>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/results?period=hk2`);
    expect(r.students.find((s) => s.fullName === name)?.trainingTerm2).toBe('kha');
    await checkWidths(page, 'results-training');
  });

  it('publishes term I to families', async () => {
    await page.getByTestId('results-period').getByText('Học kì I', { exact: true }).click();
    await page.getByTestId('results-publish').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Công bố cho gia đình' }).click();
    await toast(page, 'Đã công bố kết quả học kì I cho gia đình.');
    await expect.poll(() => page.getByTestId('results-published').innerText()).toContain('đang xem');
    expect((await call<Results>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/results?period=hk1`)).published).toBe(true);
  });

  it('reviews a grid handed in', async () => {
    await page.goto(`${baseUrl}/so-diem/${cls.id}/${submitted}?hk=1`);
    await page.getByTestId('gradebook-action-review').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Duyệt' }).click();
    await expect.poll(() => page.getByTestId('gradebook-state-label').textContent(), { timeout: 15_000 }).toContain('đã duyệt');
  });

  it('records an unexcused absence with a reason; the year totals follow', async () => {
    await page.locator('.app-sider .ant-menu-item', { hasText: 'Điểm danh' }).click();
    const row = page.getByTestId('attendance-row').nth(1);
    await row.waitFor({ timeout: 30_000 });
    const name = (await row.locator('.rs-name').innerText()).trim();
    const before = (await call<Attendance>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/attendance?from=${today}&to=${today}`)).students.find((s) => s.fullName === name)!;
    await row.getByText('Không phép', { exact: true }).first().click();
    await row.getByTestId('attendance-reason').fill('Không báo trước');
    await page.getByTestId('attendance-save').click();
    await toast(page, /Đã lưu điểm danh ngày \d\d\/\d\d\/\d{4}: \d+ buổi nghỉ\./);
    const after = (await call<Attendance>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/attendance?from=${today}&to=${today}`)).students.find((s) => s.fullName === name)!;
    expect(after.absences).toContainEqual({ date: today, session: expect.any(String), excused: false, reason: 'Không báo trước' });
    expect(after.yearUnexcused).toBe(before.yearUnexcused + 1);
    await expect.poll(() => row.innerText()).toContain(`${after.yearUnexcused} không phép`);
    await checkWidths(page, 'attendance-gvcn');
  });
});

describe('the principal (hieutruong.demo)', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => ({ ctx, page } = await newPage('hieutruong.demo')));
  afterAll(async () => ctx?.close());

  it('locks the reviewed grid', async () => {
    await page.goto(`${baseUrl}/so-diem/${cls.id}/${submitted}?hk=1`);
    await page.getByTestId('gradebook-action-lock').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Khóa' }).click();
    await expect.poll(() => page.getByTestId('gradebook-state-label').textContent(), { timeout: 15_000 }).toBe('Đã khóa');
  });

  it('runs the term I close and reads its summary: counts, incomplete students with reasons', async () => {
    await page.locator('.app-sider .ant-menu-item', { hasText: 'Kết quả của lớp' }).click();
    await page.getByTestId('results-row').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('results-close').click();
    // First what is not ready: only Toán is locked, and some students lack marks or a training rating.
    const confirm = await page.getByTestId('results-close-confirm').innerText({ timeout: 60_000 });
    expect(confirm).toMatch(/\d+ sổ điểm \(lớp × môn × học kì\) chưa được khóa/);
    expect(confirm).toMatch(/\d+\/\d+ học sinh sẽ chưa đủ điều kiện xếp loại/);
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Vẫn tổng hợp kết quả học kì I' }).click();
    const summary = page.getByTestId('results-summary-body');
    await summary.waitFor({ timeout: 60_000 });
    const text = await summary.innerText();
    expect(text).toMatch(/\d+ lớp, \d+ học sinh; \d+ học sinh đủ điều kiện xếp loại \(cả học tập và rèn luyện\)\./);
    expect(text).toMatch(/Tốt: \d+/);
    expect(text).toContain('Học sinh chưa đủ điều kiện xếp loại');
    expect(text).not.toMatch(CODES);
    await shot(page, 'results-close-summary-1366');
    expect(await axeSerious(page), 'axe on the summary').toEqual([]);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOT_DIR, 'results-close-summary-360.png') });
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.getByTestId('results-summary-close').click();
    await page.getByTestId('results-summary-body').waitFor({ state: 'hidden' });
  });

  it('a học bạ before any year is closed: told why in words', async () => {
    // No button that could only say "not yet": one note above the list says when the books print.
    expect(await page.getByTestId('results-hoc-ba-not-yet').innerText()).toContain('Học bạ in được khi hiệu trưởng đã tổng hợp kết quả cả năm');
    expect(await page.getByTestId('results-hoc-ba').count()).toBe(0);
  });

  it('closes the year, reads the lists, downloads a học bạ (text checked with pdf.js)', async () => {
    await page.getByTestId('results-period').getByText('Cả năm', { exact: true }).click();
    await page.getByTestId('results-close').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Vẫn tổng hợp kết quả cả năm' }).click();
    await page.getByTestId('results-summary-body').waitFor({ timeout: 60_000 });
    await page.getByTestId('results-summary-close').click();
    await page.getByTestId('results-summary-body').waitFor({ state: 'hidden' });
    await page.getByTestId('results-computed').waitFor({ timeout: 30_000 });

    await page.getByRole('tab', { name: 'Danh sách' }).click();
    for (const id of ['promoted', 'retest', 'summerTraining', 'retained', 'excellent', 'good', 'incomplete']) await page.getByTestId(`results-list-${id}`).waitFor();
    expect(await page.getByTestId('results-list-excellent').innerText()).toContain('Học sinh Xuất sắc');
    expect(await page.getByTestId('results-list-good').innerText()).toContain('Học sinh Giỏi');
    expect(await page.locator('.app-content').innerText()).not.toMatch(UUID);
    await checkWidths(page, 'results-lists');

    await page.getByRole('tab', { name: 'Kết quả' }).click();
    const row = page.getByTestId('results-row').first();
    const name = (await row.locator('.rs-name').innerText()).trim();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), row.getByTestId('results-hoc-ba').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = path.join(SHOT_DIR, 'hoc-ba.pdf');
    await download.saveAs(file);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfPageTexts(pdf)).join('\n').normalize('NFC');
    writeFileSync(path.join(SHOT_DIR, 'hoc-ba.txt'), text);
    expect(text).toContain('HỌC BẠ');
    expect(text).toContain(name);
    expect(text).toContain('6A1');
  });

  it('prints the whole class as a job: progress, then one PDF per student in a .zip (laid out on the server\'s worker threads)', async () => {
    await page.getByTestId('results-hoc-ba-batch').click();
    const dialog = page.getByTestId('results-hoc-ba-batch-job');
    await dialog.getByTestId('results-hoc-ba-batch-state').waitFor();
    await checkWidths(page, 'results-hoc-ba-batch');
    const result = dialog.getByTestId('results-hoc-ba-batch-result');
    await result.waitFor({ timeout: 120_000 });
    const students = (await call<Results>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/results?period=cn`)).students;
    expect(await result.innerText()).toMatch(new RegExp(`^Đã in học bạ của ${students.length} học sinh \\(\\d+ trang\\)\\.`));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), dialog.getByTestId('results-hoc-ba-batch-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const files = unzipSync(new Uint8Array(await readAll(download)));
    const names = Object.keys(files);
    expect(names).toHaveLength(students.length);
    // One book per student, named by class and name, each with its student's name in its text.
    for (const s of students.slice(0, 3)) {
      const file = `6A1/${s.fullName}.pdf`;
      expect(names).toContain(file);
      expect((await pdfPageTexts(Buffer.from(files[file]))).join('\n').normalize('NFC')).toContain(s.fullName);
    }
    await dialog.getByRole('button', { name: 'Đóng' }).first().click();
  });

  it('signs a student\'s học bạ with the school\'s certificate: the downloaded PDF\'s signature verifies, a flipped byte does not', async () => {
    const row = page.getByTestId('results-row').first();
    const name = (await row.locator('.rs-name').innerText()).trim();
    await row.getByTestId('results-hoc-ba-sign').click();
    const dialog = page.getByTestId('results-hoc-ba-sign-dialog');
    // Without a file: told what to choose, nothing sent.
    await dialog.getByRole('button', { name: 'Kí và tải về' }).click();
    await dialog.getByText('Tệp chứng thư số: hãy chọn tệp .p12 hoặc .pfx của trường.').waitFor();
    await checkWidths(page, 'results-hoc-ba-sign');
    // Valid today: the server refuses a certificate out of its validity period.
    const school = identity('Trường THCS Nguyễn Du', { serial: '0e2e', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 30 * 86_400_000) });
    const p12 = pkcs12(school, [], 'e2e-mat-khau');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByTestId('results-hoc-ba-sign-file').click()]);
    await chooser.setFiles({ name: 'truong.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
    await dialog.getByTestId('results-hoc-ba-sign-passphrase').fill('sai-mat-khau');
    await dialog.getByRole('button', { name: 'Kí và tải về' }).click();
    await toast(page, /mật khẩu/);
    await dialog.getByTestId('results-hoc-ba-sign-passphrase').fill('e2e-mat-khau');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), dialog.getByRole('button', { name: 'Kí và tải về' }).click()]);
    const pdf = await readAll(download);
    expect(verifyPdfSignature(pdf)).toMatchObject({ valid: true, signer: 'Trường THCS Nguyễn Du', coversWholeFile: true });
    expect((await pdfPageTexts(pdf)).join('\n').normalize('NFC')).toContain(name);
    // A byte of the first page's objects, inside what the signature covers.
    const flipped = Buffer.from(pdf);
    flipped[flipped.indexOf('/Type /Page') + 2] ^= 1;
    expect(verifyPdfSignature(flipped).valid).toBe(false);
  });

  it('signs every học bạ of the class in one go: a .zip of books, each signature valid', async () => {
    await page.getByTestId('results-hoc-ba-sign-class').click();
    const dialog = page.getByTestId('results-hoc-ba-sign-dialog');
    await dialog.getByText('Kí số học bạ cả lớp 6A1').waitFor();
    const school = identity('Trường THCS Nguyễn Du', { serial: '0e2f', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 30 * 86_400_000) });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByTestId('results-hoc-ba-sign-file').click()]);
    await chooser.setFiles({ name: 'truong.p12', mimeType: 'application/x-pkcs12', buffer: pkcs12(school, [], 'e2e-mat-khau') });
    await dialog.getByTestId('results-hoc-ba-sign-passphrase').fill('e2e-mat-khau');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), dialog.getByRole('button', { name: 'Kí và tải về' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const files = unzipSync(new Uint8Array(await readAll(download)));
    const students = (await call<Results>(gvcn, 'GET', `/schools/${schoolId}/classes/${cls.id}/results?period=cn`)).students;
    const books = Object.keys(files).filter((f) => f.endsWith('.pdf'));
    expect(books).toHaveLength(students.length);
    for (const f of books.slice(0, 3)) expect(verifyPdfSignature(Buffer.from(files[f])), f).toMatchObject({ valid: true, signer: 'Trường THCS Nguyễn Du' });
    await toast(page, 'Đã kí số học bạ lớp 6A1 và tải về tệp .zip.');
  });
});

async function readAll(download: import('playwright-core').Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
