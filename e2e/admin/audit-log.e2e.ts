import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// Issue 8: the principal reads the audit log — the student by name, fields by their Vietnamese
// labels, dates as dd/mm/yyyy, ethnicity by name — as a table at desktop width and as cards at
// 360 px, with no sideways scrolling and every filter labelled.
const baseUrl = inject('baseUrl');
let browser: Browser;

async function signIn(username: string, width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, ...PAGE_DEFAULTS });
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  return page;
}

const dmy = (iso: string) => iso.split('-').reverse().join('/');
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the audit log a principal can read', () => {
  let expected: string[] = [];
  let fullName = '';

  it('an edit of a student through the API shows as Vietnamese lines in the table', async () => {
    const page = await signIn('hieutruong.demo', 1366, 800);
    // The edit as the web app sends it (session cookie and CSRF token): date of birth +1 day, sex and ethnicity changed.
    const edit = await page.evaluate(async () => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string; grants: { role: string; orgUnitId: string }[] };
      const schoolId = me.grants.find((g) => g.role === 'principal')!.orgUnitId;
      const list = (await (await fetch(`/api/v1/schools/${schoolId}/students?pageSize=1`)).json()) as { items: { id: string; fullName: string; dateOfBirth: string; sex: string; ethnicityCode: string }[] };
      const s = list.items[0]!;
      const next = new Date(`${s.dateOfBirth}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      const patch = { dateOfBirth: next.toISOString().slice(0, 10), sex: s.sex === 'male' ? 'female' : 'male', ethnicityCode: s.ethnicityCode === '02' ? '01' : '02' };
      const res = await fetch(`/api/v1/schools/${schoolId}/students/${s.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(patch),
      });
      return { status: res.status, before: s, patch };
    });
    expect(edit.status).toBe(200);
    const b = edit.before;
    const ethnicity = (code: string) => (code === '01' ? 'Kinh' : code === '02' ? 'Tày' : null);
    const sex = (v: string) => (v === 'male' ? 'Nam' : 'Nữ');
    fullName = b.fullName;
    expected = [
      `Ngày sinh: ${dmy(b.dateOfBirth)} → ${dmy(edit.patch.dateOfBirth)}`,
      `Giới tính: ${sex(b.sex)} → ${sex(edit.patch.sex)}`,
      ...(ethnicity(b.ethnicityCode) ? [`Dân tộc: ${ethnicity(b.ethnicityCode)} → ${ethnicity(edit.patch.ethnicityCode)}`] : []),
    ];

    await page.goto(`${baseUrl}/nhat-ky`);
    const row = page.locator('.ant-table-row').filter({ hasText: 'Sửa hồ sơ học sinh' }).first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain(`Học sinh ${fullName}`);
    await row.locator('.ant-table-row-expand-icon').click();
    const details = page.locator('.ant-table-expanded-row').first();
    await details.waitFor();
    const text = (await details.textContent()) ?? '';
    for (const line of expected) {
      const [label, values] = line.split(': ');
      const [from, to] = values!.split(' → ');
      expect(text).toContain(label);
      expect(text).toContain(from);
      expect(text).toContain(to);
    }
    const all = (await page.locator('main, .ant-layout-content').first().textContent()) ?? '';
    expect(all).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}|\b(given_name|date_of_birth|ethnicity_code|male|female)\b|[{}]/);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    // Every filter has a name a screen reader says.
    for (const label of ['Đơn vị', 'Người thực hiện', 'Đối tượng', 'Khoảng thời gian']) {
      expect(await page.locator('label.audit-filter', { hasText: label }).count(), label).toBe(1);
    }
    await page.screenshot({ path: path.join(SHOT_DIR, 'audit-principal-1366.png'), fullPage: true });
    await page.close();
  });

  it('at 360 px the entries are cards with the same lines, and nothing scrolls sideways', async () => {
    const page = await signIn('hieutruong.demo', 360, 740);
    await page.goto(`${baseUrl}/nhat-ky`);
    const card = page.getByTestId('audit-card').filter({ hasText: 'Sửa hồ sơ học sinh' }).first();
    await card.waitFor({ timeout: 30_000 });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(`Học sinh ${fullName}`);
    for (const line of expected) expect(text).toContain(line);
    expect(await page.locator('.ant-table').count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOT_DIR, 'audit-principal-360.png'), fullPage: true });
    await page.close();
  });
});
