import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// Stored XSS in the real browser: text full of markup, saved through the API like any other
// value, must show as text on the page and run nothing.
const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

const ADDRESS = '<img src=x onerror="window.__xss=1">Thôn 3';
const BIRTHPLACE = '"><svg onload="window.__xss=2">';
const OCCUPATION = '<script>window.__xss=3</script>Nông dân';

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});
afterAll(async () => {
  await browser?.close();
});

describe('markup typed into a student record is shown as text, never run', () => {
  let profileUrl = '';

  it('a principal saves a record whose address, birthplace and guardian occupation are markup', async () => {
    await page.goto(baseUrl);
    await page.getByTestId('login-username').fill('hieutruong.demo');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
    // Same calls the web app makes, from the signed-in page (cookie + CSRF header).
    const created = await page.evaluate(
      async ({ address, birthplace, occupation }) => {
        const me = await (await fetch('/api/v1/auth/me')).json();
        const schoolId = me.grants[0].orgUnitId as string;
        const classes = await (await fetch(`/api/v1/schools/${schoolId}/classes`)).json();
        const res = await fetch(`/api/v1/schools/${schoolId}/students`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({
            fullName: 'Quàng Văn Thử',
            dateOfBirth: '2014-04-04',
            sex: 'male',
            classId: classes[0].id,
            address,
            birthplace,
            guardians: [{ relation: 'father', fullName: 'Quàng Văn Bố', occupation }],
          }),
        });
        return { status: res.status, schoolId, body: await res.json() };
      },
      { address: ADDRESS, birthplace: BIRTHPLACE, occupation: OCCUPATION },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    profileUrl = `${baseUrl}/hoc-sinh/${created.body.id}`;
  });

  it('the profile shows the markup literally, creates no element from it and runs no script', async () => {
    await page.goto(profileUrl);
    const profile = page.getByTestId('student-profile');
    await profile.getByText('Quàng Văn Thử').first().waitFor({ timeout: 30_000 });
    // The record's cards are a chunk of their own, drawn after the name (student-profile-page.tsx).
    await expect.poll(async () => (await profile.textContent()) ?? '', { timeout: 30_000 }).toContain(OCCUPATION);
    const text = (await profile.textContent()) ?? '';
    expect(text).toContain(ADDRESS);
    expect(text).toContain(BIRTHPLACE);
    expect(text).toContain(OCCUPATION);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-profile-markup.png'), fullPage: true });
  });
});
