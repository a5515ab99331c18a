import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths, signIn, toast } from './helpers.js';

// Attendance per lesson (tiết) on the demo: hieutruong.demo turns it on for the year from
// "Điểm danh", gv.demo (a Toán teacher) calls the roll of a lesson in a class they teach — one
// student absent without leave, with a reason — and the principal reads that lesson missed beside
// the class's sessions. Screenshots at 1366 and 360 px, no sideways overflow, no serious axe
// violation.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/;

type Cls = { id: string; name: string; year: number; access: string };
type Lessons = { enabled: boolean; rolls: { lesson: number; subjectName: string; absences: { studentId: string; excused: boolean; reason: string | null }[] }[] };

let browser: Browser;
let gv: ApiSession;
let schoolId = '';
let cls: Cls;
// Today in Vietnam (the server's "today").
const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

async function newPage(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  return { ctx, page: await signIn(ctx, baseUrl, username) };
}

beforeAll(async () => {
  browser = await launchBrowser();
  gv = await apiLogin(API, 'gv.demo');
  schoolId = gv.me.staff!.schoolId;
  const classes = await apiCall<Cls[]>(API, gv, 'GET', `/schools/${schoolId}/classes`);
  cls = classes.find((c) => c.access === 'teaching')!;
  expect(cls, 'gv.demo teaches no class').toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
});

describe('attendance per lesson', () => {
  it('hieutruong.demo sees that it is off for the year and turns it on', async () => {
    const { ctx, page } = await newPage('hieutruong.demo');
    try {
      await page.goto(`${baseUrl}/diem-danh?lop=${cls.id}&nam=${cls.year}&xem=tiet`);
      const off = page.getByTestId('lessons-off');
      await off.waitFor({ timeout: 30_000 });
      expect(await off.innerText()).toMatch(/chưa bật điểm danh theo tiết cho năm học \d{4}-\d{4}/);
      await checkWidths(page, 'lessons-off');
      await page.getByTestId('lessons-switch').click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: 'Xác nhận' }).click();
      await toast(page, 'Đã bật điểm danh theo tiết.');
      await page.getByTestId('lessons-rolls').waitFor(); // shown once it is on
      expect((await apiCall<Lessons>(API, gv, 'GET', `/schools/${schoolId}/classes/${cls.id}/lessons?date=${today}`)).enabled).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it('gv.demo calls the roll of a Toán lesson: one student absent without leave, with a reason', async () => {
    const { ctx, page } = await newPage('gv.demo');
    try {
      await page.goto(`${baseUrl}/diem-danh?lop=${cls.id}&nam=${cls.year}`);
      await page.getByTestId('attendance-mode').getByText('Theo tiết', { exact: true }).click();
      const form = page.getByTestId('lessons-form');
      await form.waitFor({ timeout: 30_000 });
      // The first lesson of the day; Toán is the only subject gv.demo may choose, already chosen.
      await form.getByTestId('lessons-lesson').click();
      const first = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
      const lessonLabel = (await first.innerText()).trim();
      await first.click();
      expect(await form.getByTestId('lessons-subject').innerText()).toContain('Toán');
      const row = form.getByTestId('lessons-row').first();
      const name = (await row.locator('.rs-name').innerText()).trim();
      await row.getByText('Không phép', { exact: true }).click();
      await row.getByTestId('lessons-reason').fill('Đến muộn');
      await expect.poll(() => page.getByTestId('lessons-save').innerText()).toContain('1 vắng');
      await checkWidths(page, 'lessons-form');
      await page.getByTestId('lessons-save').click();
      await toast(page, `Đã lưu điểm danh ${lessonLabel} – Toán: 1 học sinh vắng.`);
      const roll = page.getByTestId('lessons-roll').filter({ hasText: lessonLabel });
      expect(await roll.innerText()).toContain(`Vắng: ${name} (không phép)`);
      expect(await page.locator('.app-content').innerText()).not.toMatch(UUID);
      const stored = await apiCall<Lessons>(API, gv, 'GET', `/schools/${schoolId}/classes/${cls.id}/lessons?date=${today}`);
      expect(stored.rolls.find((r) => r.subjectName === 'Toán')?.absences).toEqual([expect.objectContaining({ excused: false, reason: 'Đến muộn' })]);
      await checkWidths(page, 'lessons-called');
    } finally {
      await ctx.close();
    }
  });

  it('the principal reads the lesson missed beside the sessions of the day', async () => {
    const { ctx, page } = await newPage('hieutruong.demo');
    try {
      await page.goto(`${baseUrl}/diem-danh?lop=${cls.id}&nam=${cls.year}`);
      const missed = page.getByTestId('attendance-lessons').first();
      await missed.waitFor({ timeout: 30_000 });
      expect(await missed.innerText()).toMatch(/^Vắng tiết: Tiết \d \((sáng|chiều)\) – Toán \(không phép\)$/);
      await checkWidths(page, 'lessons-in-sessions');
    } finally {
      await ctx.close();
    }
  });
});
