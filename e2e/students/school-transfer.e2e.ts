import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

/**
 * Two-sided school transfer in the demo province: the principal of Trường THCS Nguyễn Du
 * (hieutruong.demo) asks for a learner of another THCS school; that school's principal
 * (ht.<school code>) approves in their own browser; the learner appears in the new class with
 * the history of both schools. A second request is declined and leaves both records untouched.
 * Prints the time of the whole two-sided transfer.
 */
const baseUrl = inject('baseUrl');
const DEMO_SCHOOL = 'Trường THCS Nguyễn Du';
let browser: Browser;

type Api = { get: <T>(p: string) => Promise<T> };
/** The API as an account sees it (to discover the demo data a person would have on paper). */
async function apiAs(username: string): Promise<Api> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = String(res.headers.get('set-cookie')).split(';')[0]!;
  return {
    get: async <T,>(p: string) => {
      const r = await fetch(`${baseUrl}/api/v1${p}`, { headers: { cookie } });
      if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}

async function signIn(username: string, width = 1366): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, ...PAGE_DEFAULTS });
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  return page;
}

const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

type Unit = { id: string; kind: string; code: string | null; name: string; schoolLevels: string[]; validTo: string | null };
type ListItem = { id: string; fullName: string; learnerId: string | null; dateOfBirth: string; className: string | null; grade: number | null };
type Profile = ListItem & { isCurrent: boolean; schoolName: string; classId: string | null; statusCode: string };

let other: Unit;
let demo: Unit;
let learners: ListItem[] = [];
let targetClass = '';
let principal: Page;
let otherPrincipal: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const so = await apiAs('so.demo');
  const tree = await so.get<{ units: Unit[] }>('/org-units/tree');
  const schools = tree.units.filter((u) => u.kind === 'school' && u.schoolLevels.includes('lower_secondary') && u.code && !u.validTo);
  demo = schools.find((u) => u.name === DEMO_SCHOOL)!;
  other = schools.filter((u) => u.id !== demo.id).sort((a, b) => a.name.localeCompare(b.name, 'vi'))[0]!;
  expect(demo).toBeDefined();
  expect(other).toBeDefined();
  // Two grade-7 learners of the other school: what their parents would bring on paper.
  const theirs = await (await apiAs(`ht.${other.code}`)).get<{ items: ListItem[] }>(`/schools/${other.id}/students?grade=7&pageSize=20`);
  learners = theirs.items.filter((s) => s.learnerId).slice(0, 2);
  expect(learners).toHaveLength(2);
  const classes = await (await apiAs('hieutruong.demo')).get<{ name: string; grade: number; year: number }[]>(`/schools/${demo.id}/classes`);
  const year = Math.max(...classes.map((c) => c.year));
  targetClass = classes.filter((c) => c.grade === 7 && c.year === year).sort((a, b) => a.name.localeCompare(b.name))[0]!.name;
});
afterAll(async () => {
  await browser?.close();
});

/** Fills the "Đề nghị tiếp nhận" form as a secretary would, from the paper dossier. */
async function askFor(page: Page, learner: ListItem, note: string) {
  await page.getByTestId('transfer-request-open').click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('#learnerId').fill(learner.learnerId!);
  await dialog.locator('#dateOfBirth').fill(vnDate(learner.dateOfBirth));
  await dialog.locator('#dateOfBirth').press('Enter');
  await dialog.locator('#toClassId').click();
  await dialog.locator('#toClassId').fill(targetClass);
  await page.keyboard.press('Enter');
  await dialog.locator('#note').fill(note);
  // A click elsewhere in the dialog closes the class list that typing opened.
  await dialog.getByText('Đề nghị tiếp nhận học sinh chuyển đến').click();
}

const itemOf = (page: Page, name: string) => page.getByTestId('transfer-item').filter({ hasText: name });

describe('school transfer between two THCS schools of the demo province', () => {
  it('hieutruong.demo asks for a learner; the other principal approves; the learner is in the new class with history', async () => {
    const learner = learners[0]!;
    principal = await signIn('hieutruong.demo');
    expect(await principal.getByRole('menuitem', { name: 'Chuyển trường' }).count()).toBe(1);
    await principal.goto(`${baseUrl}/chuyen-truong`);
    await principal.getByTestId('transfer-request-open').waitFor({ timeout: 30_000 });

    await askFor(principal, learner, 'Gia đình chuyển về phường mới');
    await principal.screenshot({ path: path.join(SHOT_DIR, 'transfer-request-form-desktop.png') });
    const t0 = performance.now();
    const [asked] = await Promise.all([
      principal.waitForResponse((r) => r.url().endsWith('/transfers/requests') && r.request().method() === 'POST'),
      principal.getByTestId('transfer-request-submit').click(),
    ]);
    const requestMs = performance.now() - t0;
    expect(asked.status()).toBe(200);
    const row = itemOf(principal, learner.fullName);
    await row.waitFor({ timeout: 30_000 });
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('Chờ xử lý');
    expect(rowText).toContain(other.name);
    expect(rowText).toContain(`${learner.className} → ${targetClass}`);
    // Nothing has moved yet: the learner is still on the other school's roll, the profile says a transfer is pending.
    const waiting = await (await apiAs(`ht.${other.code}`)).get<Profile & { pendingTransfer: { toSchoolName: string } | null }>(`/schools/${other.id}/students/${learner.id}`);
    expect({ isCurrent: waiting.isCurrent, className: waiting.className, pendingTo: waiting.pendingTransfer?.toSchoolName }).toEqual({
      isCurrent: true,
      className: learner.className,
      pendingTo: DEMO_SCHOOL,
    });
    await principal.screenshot({ path: path.join(SHOT_DIR, 'transfer-page-desktop.png'), fullPage: true });

    // The other school's principal, in their own browser.
    otherPrincipal = await signIn(`ht.${other.code}`);
    await otherPrincipal.goto(`${baseUrl}/chuyen-truong?huong=di`);
    const theirRow = itemOf(otherPrincipal, learner.fullName);
    await theirRow.waitFor({ timeout: 30_000 });
    await theirRow.getByTestId('transfer-approve').click();
    await otherPrincipal.getByRole('dialog').getByTestId('transfer-step-submit').waitFor({ timeout: 10_000 });
    const t1 = performance.now();
    const [approved] = await Promise.all([
      otherPrincipal.waitForResponse((r) => r.url().endsWith('/approve') && r.request().method() === 'POST'),
      otherPrincipal.getByTestId('transfer-step-submit').click(),
    ]);
    const approveMs = performance.now() - t1;
    expect(approved.status()).toBe(200);
    // Pending list empties; the "Đã chuyển" filter holds it.
    await theirRow.waitFor({ state: 'detached', timeout: 30_000 });

    // Back at Nguyễn Du: the learner is ours, in the chosen class, with the history of both schools.
    await principal.goto(`${baseUrl}/chuyen-truong?tt=completed`);
    const done = itemOf(principal, learner.fullName);
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toContain('Đã chuyển');
    await done.getByRole('button', { name: 'Xem hồ sơ' }).click();
    const profile = principal.getByTestId('student-profile');
    await profile.getByText(`Lớp ${targetClass}`).first().waitFor({ timeout: 30_000 });
    const totalMs = performance.now() - t0;
    // The record's cards (ids, history) load in their own chunk after the header: wait for them.
    await expect.poll(async () => (await profile.textContent()) ?? '', { timeout: 15_000 }).toContain(`Chuyển đến — ${DEMO_SCHOOL}`);
    await expect.poll(async () => (await profile.textContent()) ?? '', { timeout: 15_000 }).toContain(learner.learnerId!);
    const text = (await profile.textContent()) ?? '';
    expect(text).toContain(learner.fullName);
    expect(text).toContain(learner.learnerId!);
    expect(text).toContain(DEMO_SCHOOL);
    expect(text).toContain(`từ ${other.name}`);
    expect(text).toContain(`Chuyển đi — ${other.name}`);
    expect(text).toContain(`Chuyển đến — ${DEMO_SCHOOL}`);
    expect(text).toContain(learner.className!);
    await principal.screenshot({ path: path.join(SHOT_DIR, 'transfer-profile-after-desktop.png'), fullPage: true });
    console.log(
      `[e2e] two-sided school transfer: ${(totalMs / 1000).toFixed(1)} s from sending the request to the profile in the new class ` +
        `(other principal signing in and approving included); request answered in ${Math.round(requestMs)} ms, approval (record moved) in ${Math.round(approveMs)} ms`,
    );
  });

  it('a second request, declined with a reason, leaves both records untouched', async () => {
    const learner = learners[1]!;
    const otherApi = await apiAs(`ht.${other.code}`);
    const before = await otherApi.get<Profile>(`/schools/${other.id}/students/${learner.id}`);
    await principal.goto(`${baseUrl}/chuyen-truong`);
    await askFor(principal, learner, 'Theo nguyện vọng gia đình');
    await principal.getByTestId('transfer-request-submit').click();
    await itemOf(principal, learner.fullName).waitFor({ timeout: 30_000 });

    await otherPrincipal.goto(`${baseUrl}/chuyen-truong?huong=di`);
    const theirRow = itemOf(otherPrincipal, learner.fullName);
    await theirRow.waitFor({ timeout: 30_000 });
    await theirRow.getByTestId('transfer-decline').click();
    const dialog = otherPrincipal.getByRole('dialog');
    await dialog.getByTestId('transfer-decline-reason').waitFor({ timeout: 10_000 });
    // The reason is required: an empty one is refused in the form, and nothing is sent.
    const declines: string[] = [];
    otherPrincipal.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/decline')) declines.push(r.url());
    });
    await dialog.getByTestId('transfer-step-submit').click();
    await dialog.getByText('Hãy ghi rõ lý do (ít nhất 5 ký tự).').waitFor({ timeout: 10_000 });
    expect(declines).toEqual([]);
    await dialog.getByTestId('transfer-decline-reason').fill('Gia đình chưa làm đơn xin chuyển trường.');
    await dialog.getByTestId('transfer-step-submit').click();
    await theirRow.waitFor({ state: 'detached', timeout: 30_000 });

    await principal.goto(`${baseUrl}/chuyen-truong?tt=declined`);
    const declined = itemOf(principal, learner.fullName);
    await declined.waitFor({ timeout: 30_000 });
    expect(await declined.textContent()).toContain('Lý do: Gia đình chưa làm đơn xin chuyển trường.');
    // Both records: still current at the other school, in the same class; nothing at Nguyễn Du.
    const after = await otherApi.get<Profile>(`/schools/${other.id}/students/${learner.id}`);
    expect({ isCurrent: after.isCurrent, classId: after.classId, className: after.className, statusCode: after.statusCode, pending: (after as { pendingTransfer?: unknown }).pendingTransfer }).toEqual({
      isCurrent: true,
      classId: before.classId,
      className: before.className,
      statusCode: before.statusCode,
      pending: null,
    });
    const ours = await (await apiAs('hieutruong.demo')).get<{ total: number }>(`/schools/${demo.id}/students?q=${learner.learnerId}&includeLeft=true`);
    expect(ours.total).toBe(0);
    await principal.screenshot({ path: path.join(SHOT_DIR, 'transfer-declined-desktop.png'), fullPage: true });
  });

  it('the transfer page and the request form work at 360 px: cards, no sideways scroll', async () => {
    await principal.setViewportSize({ width: 360, height: 740 });
    await principal.goto(`${baseUrl}/chuyen-truong?tt=all`);
    await principal.getByTestId('transfer-item').first().waitFor({ timeout: 30_000 });
    expect(await principal.locator('.transfer-card').count()).toBeGreaterThanOrEqual(2);
    expect(await noHorizontalScroll(principal)).toBeLessThanOrEqual(1);
    await principal.screenshot({ path: path.join(SHOT_DIR, 'transfer-page-360.png'), fullPage: true });
    await principal.getByTestId('transfer-tab-outgoing').click();
    await principal.getByText('Không có yêu cầu chuyển trường nào.').waitFor({ timeout: 30_000 });
    await principal.getByTestId('transfer-tab-incoming').click();
    await principal.getByTestId('transfer-request-open').click();
    await principal.getByRole('dialog').locator('#learnerId').waitFor();
    // Let the dialog finish its opening animation before the picture.
    await principal.waitForTimeout(600);
    expect(await noHorizontalScroll(principal)).toBeLessThanOrEqual(1);
    // The viewport, not the full page: the dialog is fixed and scrolls within itself.
    await principal.screenshot({ path: path.join(SHOT_DIR, 'transfer-request-form-360.png') });
    await otherPrincipal.setViewportSize({ width: 360, height: 740 });
    await otherPrincipal.goto(`${baseUrl}/chuyen-truong?huong=di&tt=all`);
    await otherPrincipal.getByTestId('transfer-item').first().waitFor({ timeout: 30_000 });
    expect(await noHorizontalScroll(otherPrincipal)).toBeLessThanOrEqual(1);
    await otherPrincipal.screenshot({ path: path.join(SHOT_DIR, 'transfer-page-sender-360.png'), fullPage: true });
  });
});
