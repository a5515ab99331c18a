import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays, formatVnDate, isSunday, isoToday } from '../../domain/index.js';
import { PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, childInClass, apiLogin, axeSerious, pageWidth, signIn } from '../gradebook/helpers.js';

// The contact book at 360 px (issue 11 §4–5): phuhuynh.demo sends a leave request for her child
// (today, or Saturday when today is a Sunday: the attendance page shows days up to today), gvcn.demo
// approves it on "Đơn xin nghỉ", and the absence shows as excused in the class's attendance and in
// the family's; then a message round trip: the parent writes, the homeroom teacher reads it on
// "Tin nhắn" and answers, the parent reads the answer. Screenshots in test-results/e2e/contact-book/.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const PHONE = { width: 360, height: 740 };
const day = isSunday(isoToday()) ? addDays(isoToday(), -1) : isoToday();
const reason = `Cháu bị sốt ${Date.now() % 1000}`;

type Me = { children: { schoolId: string; studentId: string; fullName: string }[] };
type Attendance = { students: { studentId: string; absences: { date: string; session: string; excused: boolean; reason: string | null }[] }[] };

let browser: Browser;
let parentCtx: BrowserContext;
let teacherCtx: BrowserContext;
let parentPage: Page;
let teacherPage: Page;
let child: Me['children'][number];
let homeroom: ApiSession;
let parent: ApiSession;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, 'contact-book', `${name}.png`), fullPage: true });
async function fits(page: Page) {
  // Polled: right after a resize the app's breakpoints (antd's, in JS) still lay out the other width
  // for a moment; a real overflow stays and fails here.
  await expect
    .poll(async () => {
      const w = await pageWidth(page);
      return w.doc - w.inner;
    }, { message: 'no sideways overflow' })
    .toBeLessThanOrEqual(0);
  expect(await axeSerious(page)).toEqual([]);
}
/** A tab of the family portal (web/src/features/parent/portal-tabs.ts): its own address, and what shows there once loaded. */
const TAB_READY = { 'xin-nghi': 'family-leave', 'tin-nhan': 'family-messages', 'diem-danh': 'child-absences' } as const;
async function openChild(tab: keyof typeof TAB_READY = 'xin-nghi') {
  await parentPage.goto(`${baseUrl}/con-cua-toi/${child.schoolId}/${child.studentId}/${tab}`);
  await parentPage.getByTestId(TAB_READY[tab]).waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  parent = await apiLogin(API, 'phuhuynh.demo');
  child = await childInClass(API, parent, '6A1');
  homeroom = await apiLogin(API, 'gvcn.demo');
  parentCtx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
  teacherCtx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
  parentPage = await signIn(parentCtx, baseUrl, 'phuhuynh.demo');
  teacherPage = await signIn(teacherCtx, baseUrl, 'gvcn.demo');
});

afterAll(async () => {
  await browser?.close();
});

describe('contact book at 360 px: a leave request and a message thread', () => {
  it('the parent sends a leave request with the phone’s date input (dd/mm/yyyy shown beside it)', async () => {
    await openChild();
    const card = parentPage.getByTestId('family-leave');
    await card.getByTestId('leave-from').fill(day);
    await card.getByTestId('leave-to').fill(day);
    await expect.poll(() => card.textContent()).toContain(`Đã chọn: ${formatVnDate(day)}`);
    await card.getByTestId('leave-part').selectOption('full_day');
    await card.getByTestId('leave-reason').fill(reason);
    await card.getByTestId('leave-send').click();
    await card.getByText('Đã gửi đơn').waitFor();
    await expect.poll(() => card.getByTestId('leave-status').first().textContent()).toBe('Chờ duyệt');
    await fits(parentPage);
    await shot(parentPage, 'parent-leave-sent-360');
  });

  it('gvcn.demo approves it on "Đơn xin nghỉ"; the absence is excused with the reason in the class’s attendance', async () => {
    await teacherPage.goto(`${baseUrl}/don-xin-nghi`);
    const row = teacherPage.getByTestId('leave-row').filter({ hasText: reason }).first();
    await row.waitFor({ timeout: 30_000 });
    await fits(teacherPage);
    await shot(teacherPage, 'teacher-leave-pending-360');
    await row.getByTestId('leave-approve').click();
    await teacherPage.getByTestId('leave-confirm').click();
    await teacherPage.getByText('Đã duyệt: các buổi nghỉ').first().waitFor({ timeout: 30_000 });

    // The attendance as the API gives it: excused, with the request's reason.
    const family = await apiCall<{ className: string; year: number }>(API, parent, 'GET', `/schools/${child.schoolId}/students/${child.studentId}/results`);
    const classes = await apiCall<{ id: string; name: string; year: number }[]>(API, homeroom, 'GET', `/schools/${child.schoolId}/classes?year=${family.year}`);
    const classId = classes.find((c) => c.name === family.className)?.id;
    expect(classId, family.className).toBeTruthy();
    const sheet = await apiCall<Attendance>(API, homeroom, 'GET', `/schools/${child.schoolId}/classes/${classId}/attendance?from=${day}&to=${day}`);
    const absences = sheet.students.find((s) => s.studentId === child.studentId)?.absences ?? [];
    expect(absences.length).toBeGreaterThan(0);
    expect(absences.every((a) => a.excused && a.reason === `Đơn xin nghỉ học: ${reason}`)).toBe(true);

    // And on the attendance page of the class that day.
    await teacherPage.goto(`${baseUrl}/diem-danh?lop=${classId}${day === isoToday() ? '' : `&ngay=${day}`}`);
    await teacherPage.getByTestId('attendance').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await teacherPage.getByTestId('attendance-reason').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).some((v) => v === `Đơn xin nghỉ học: ${reason}`)).toBe(true);
    await shot(teacherPage, 'teacher-attendance-excused-360');
  });

  it('the family reads the request approved and the absence excused', async () => {
    await openChild();
    await expect.poll(() => parentPage.getByTestId('leave-status').first().textContent()).toBe('Đã duyệt');
    await openChild('diem-danh');
    const line = parentPage.getByTestId('child-absences').locator('li').filter({ hasText: formatVnDate(day) }).first();
    await expect.poll(() => line.textContent()).toContain('có phép');
    await shot(parentPage, 'parent-leave-approved-360');
  });

  it('a message round trip: the parent writes, the teacher reads it unread first and answers, the parent reads the answer', async () => {
    await openChild('tin-nhan');
    const thread = parentPage.getByTestId('family-thread').first();
    const text = `Thưa cô, cháu đã khoẻ hơn ạ (${Date.now() % 1000}).`;
    await thread.getByTestId('message-box').fill(text);
    await thread.getByTestId('message-send').click();
    await thread.getByTestId('message').filter({ hasText: text }).waitFor();
    await fits(parentPage);
    await shot(parentPage, 'parent-message-sent-360');

    await teacherPage.goto(`${baseUrl}/tin-nhan`);
    const item = teacherPage.getByTestId('thread-item').filter({ hasText: child.fullName }).first();
    await item.waitFor({ timeout: 30_000 });
    await expect.poll(() => item.locator('.contact-badge').count()).toBe(1);
    await fits(teacherPage);
    await shot(teacherPage, 'teacher-threads-360');
    await item.click();
    const pane = teacherPage.getByTestId('thread-pane');
    await pane.getByText(text).waitFor();
    const answer = 'Cảm ơn chị, cô đã biết.';
    await pane.getByTestId('reply-box').fill(answer);
    await pane.getByTestId('reply-send').click();
    await pane.getByTestId('message').filter({ hasText: answer }).waitFor();
    await fits(teacherPage);
    await shot(teacherPage, 'teacher-thread-360');

    await openChild('tin-nhan');
    const back = parentPage.getByTestId('family-thread').first().getByTestId('message').filter({ hasText: answer });
    await back.waitFor({ timeout: 30_000 });
    expect(await back.textContent()).toContain('GVCN');
    // Names and roles only: no phone number anywhere on the family's page.
    expect(await parentPage.getByTestId('family-messages').textContent()).not.toMatch(/\b0\d{9}\b/);
  });

  it('at 1366 px the teacher reads the thread beside the list; the principal reads a reported message (and only it) on "Tin nhắn bị báo cáo"', async () => {
    await teacherPage.setViewportSize({ width: 1366, height: 800 });
    await teacherPage.goto(`${baseUrl}/tin-nhan`);
    await teacherPage.getByTestId('thread-item').filter({ hasText: child.fullName }).first().click();
    const pane = teacherPage.getByTestId('thread-pane');
    await pane.getByTestId('message').first().waitFor();
    await fits(teacherPage);
    await shot(teacherPage, 'teacher-thread-1366');
    // The teacher reports the parent's last message to the principal, with a reason.
    const familyMessage = pane.getByTestId('message').filter({ hasText: 'Thưa cô' }).last();
    await familyMessage.getByRole('button', { name: 'Báo cáo' }).click();
    await familyMessage.locator('textarea').fill('Thử báo cáo trong e2e');
    await familyMessage.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await pane.getByText('Đã báo cáo với hiệu trưởng').first().waitFor();
    await teacherPage.goto(`${baseUrl}/don-xin-nghi`);
    await teacherPage.getByTestId('leave-row').first().waitFor();
    await fits(teacherPage);
    await shot(teacherPage, 'teacher-leave-1366');

    const principalCtx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
    const principalPage = await signIn(principalCtx, baseUrl, 'hieutruong.demo');
    await principalPage.goto(`${baseUrl}/tin-nhan-bao-cao`);
    const list = principalPage.getByTestId('reported-list');
    await list.getByText('Thử báo cáo trong e2e').waitFor({ timeout: 30_000 });
    // Never the teacher's answer, which nobody reported.
    expect(await list.textContent()).not.toContain('Cảm ơn chị, cô đã biết.');
    await fits(principalPage);
    await shot(principalPage, 'principal-reported-1366');
    await principalPage.setViewportSize(PHONE);
    await fits(principalPage);
    await shot(principalPage, 'principal-reported-360');
  });
});
