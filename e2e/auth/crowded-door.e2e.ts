import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// The login page on a report-card evening (decision 0020): what the browser does with the
// server's "busy" and with a slow answer does not depend on the database engine, so this file runs
// once, on the embedded one (e2e/vitest.config.ts).
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('signing in when many parents do', () => {
  it('on a crowded evening the door says what happens: told to come back, it tries again by itself; a slow answer says to wait, not to press again', async () => {
    // The service worker would send the request itself, past page.route: kept out here.
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...PAGE_DEFAULTS, serviceWorkers: 'block' });
    const page = await context.newPage();
    // The server as the admission line answers it (platform/admission.ts): first "busy, come back
    // in 1 s", then an answer that takes its time.
    let tries = 0;
    await page.route('**/api/v1/auth/login', async (route) => {
      tries++;
      if (tries === 1) {
        await route.fulfill({
          status: 503,
          headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
          body: JSON.stringify({ status: 503, code: 'server_busy', detail: 'Hệ thống đang có nhiều người dùng cùng lúc. Vui lòng thử lại sau vài giây.' }),
        });
        return;
      }
      await new Promise((r) => setTimeout(r, 5500));
      await route.continue();
    });
    await page.goto(baseUrl);
    await page.getByTestId('login-username').fill('phuhuynh.demo');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-retrying').textContent()).toMatch(/^Hệ thống đang có nhiều người đăng nhập cùng lúc\. Tự thử lại sau [12] giây…$/);
    await page.getByTestId('login-waiting').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('login-waiting').textContent()).toBe('Đang có nhiều người đăng nhập cùng lúc, hệ thống kiểm tra lần lượt. Vui lòng chờ, không cần bấm lại.');
    expect(await page.getByTestId('login-retrying').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOT_DIR, 'login-waiting-turn-360.png') });
    // The second try goes through: signed in, no error shown, the notice gone.
    await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
    expect(tries).toBe(2);
    expect(await page.getByTestId('login-error').count()).toBe(0);
    await context.close();
  });
});
