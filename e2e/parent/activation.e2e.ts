import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfPageTexts } from '../../server/test/pdf-text.js';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { type ApiSession, apiCall, apiLogin, checkWidths, signIn } from '../gradebook/helpers.js';

// Issue 11: "phuhuynh.demo links a second child with a printed code", at 360 px. The demo has a
// sibling of her 6A1 child in 8A1 whose mother row (her name and phone) has no account yet
// (server/src/demo/demo-accounts.ts). The principal prints 8A1's sheet on "Kích hoạt sổ liên
// lạc" (the PDF is read back as text, as a family reads the slip), the mother types the code on
// her phone from "Con của tôi" → "Thêm con", consents, and sees both children. The family's page
// is also reached from the login page without signing in. Screenshots in test-results/e2e.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const PHONE = { width: 360, height: 740 };

type Me = { displayName: string; children: { schoolId: string; studentId: string; fullName: string }[] };
type Cls = { id: string; name: string };
type Activation = { students: { studentId: string; fullName: string; guardians: { fullName: string; relation: string; activatedAt: string | null }[] }[] };

let browser: Browser;
let ctx: BrowserContext;
let principal: ApiSession;
let parent: ApiSession;
let schoolId: string;
let class8A1: Cls;
let sibling: Activation['students'][number];

beforeAll(async () => {
  browser = await launchBrowser();
  principal = await apiLogin(API, 'hieutruong.demo');
  parent = await apiLogin(API, 'phuhuynh.demo');
  const me = parent.me as unknown as Me;
  schoolId = me.children[0]!.schoolId;
  class8A1 = (await apiCall<Cls[]>(API, principal, 'GET', `/schools/${schoolId}/classes`)).find((c) => c.name === '8A1')!;
  const list = await apiCall<Activation>(API, principal, 'GET', `/schools/${schoolId}/classes/${class8A1.id}/activation`);
  sibling = list.students.find((s) => s.guardians.some((g) => g.relation === 'mother' && g.fullName === me.displayName && g.activatedAt === null))!;
  expect(sibling, 'the demo sibling in 8A1').toBeDefined();
  expect(me.children.map((c) => c.fullName)).not.toContain(sibling.fullName);
});

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

describe('linking a second child with a printed code (phone width)', () => {
  let code = '';

  it('the principal prints 8A1’s sheet on "Kích hoạt sổ liên lạc"; the slip names the child, the class, the mother and the code', async () => {
    ctx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
    const page = await signIn(ctx, baseUrl, 'hieutruong.demo');
    await page.goto(`${baseUrl}/kich-hoat-so-lien-lac?lop=${class8A1.id}`);
    await page.getByTestId('activation-student').first().waitFor();
    await expect.poll(() => page.getByText(sibling.fullName).count()).toBeGreaterThan(0);
    await checkWidths(page, 'activation-school');
    await page.setViewportSize(PHONE);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activation-print-all').click()]);
    const text = (await pdfPageTexts(readFileSync((await download.path())!))).join('\n').replace(/\s+/g, ' ');
    const slip = text.slice(text.indexOf(`Học sinh: ${sibling.fullName} Lớp: 8A1`));
    expect(slip.length).toBeGreaterThan(0);
    const m = /Dành cho mẹ: ([^]*?) Mã kích hoạt: ([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{4})/.exec(slip);
    expect(m?.[1]).toBe((parent.me as unknown as Me).displayName);
    expect(slip).toMatch(/hết hạn ngày \d{2}\/\d{2}\/\d{4}/);
    code = m![2];
    await page.close();
  });

  it('the family page opens from the login page without signing in, in Vietnamese, at 1366 and 360 px', async () => {
    const anon = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
    const page = await anon.newPage();
    await page.goto(baseUrl);
    await page.getByTestId('login-activate').click();
    await page.getByTestId('activation-code').waitFor();
    await expect.poll(() => page.getByText('Kích hoạt sổ liên lạc điện tử').count()).toBeGreaterThan(0);
    await checkWidths(page, 'activation-family-start');
    // A wrong code is said in Vietnamese, nothing about any learner.
    await page.setViewportSize(PHONE);
    await page.getByTestId('activation-code').fill('ABC-DEF-GHJK');
    await page.getByTestId('activation-check').click();
    await expect.poll(() => page.getByTestId('activation-error').innerText()).toContain('Mã kích hoạt: mã không đúng');
    await anon.close();
  });

  it('phuhuynh.demo types the code from "Con của tôi" → "Thêm con", consents, and sees the second child', async () => {
    await ctx.close();
    ctx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
    const page = await signIn(ctx, baseUrl, 'phuhuynh.demo');
    await page.goto(`${baseUrl}/con-cua-toi`);
    await page.getByTestId('add-child').click();
    await page.getByTestId('activation-code').fill(code.toLowerCase().replace(/-/g, ' '));
    await page.getByTestId('activation-check').click();
    const preview = page.getByTestId('activation-preview');
    await preview.waitFor();
    expect(await preview.innerText()).toContain(sibling.fullName);
    expect(await preview.innerText()).toContain('8A1');
    // Consent first: without it nothing is sent.
    await page.getByTestId('activation-submit').click();
    await expect.poll(() => page.getByText('Hãy đánh dấu đồng ý để kích hoạt.').count()).toBeGreaterThan(0);
    await checkWidths(page, 'activation-family-confirm');
    await page.setViewportSize(PHONE);
    await page.getByTestId('activation-consent').check();
    await page.getByTestId('activation-submit').click();
    await page.getByTestId('activation-done').waitFor();
    expect(await page.getByTestId('activation-done').innerText()).toContain(sibling.fullName);
    await page.screenshot({ path: 'test-results/e2e/activation-family-done-360.png' });
    await page.getByTestId('activation-open-children').click();
    await expect.poll(() => page.getByTestId('child-item').count()).toBe(2);
    expect(await page.getByTestId('child-item').filter({ hasText: sibling.fullName }).count()).toBe(1);
    await checkWidths(page, 'activation-children');
    // The school sees it activated.
    const list = await apiCall<Activation>(API, principal, 'GET', `/schools/${schoolId}/classes/${class8A1.id}/activation`);
    expect(list.students.find((s) => s.studentId === sibling.studentId)!.guardians.find((g) => g.relation === 'mother')!.activatedAt).not.toBeNull();
  });
});
