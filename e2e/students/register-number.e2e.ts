import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// Số đăng bộ on a phone (360 px): the principal writes it in the student's edit form, the profile
// shows it, nothing overflows sideways; a number another learner of the school holds is refused
// under the field with its label.
const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 360, height: 740 }, ...PAGE_DEFAULTS });
});
afterAll(async () => {
  await browser?.close();
});

const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function openStudent(nth: number) {
  await page.goto(`${baseUrl}/hoc-sinh`);
  await page.getByTestId('student-row').nth(nth).click();
  await page.getByRole('button', { name: 'Sửa' }).waitFor({ timeout: 30_000 });
}

async function saveNumber(value: string) {
  await page.getByRole('button', { name: 'Sửa' }).click();
  await page.locator('.ant-modal #registerNumber').waitFor();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.locator('#registerNumber').fill(value);
  await page.locator('.ant-modal').getByRole('button', { name: 'Lưu' }).click();
}

describe('số đăng bộ at 360 px', () => {
  it('signs in as hieutruong.demo', async () => {
    await page.goto(baseUrl);
    await page.getByTestId('login-username').fill('hieutruong.demo');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  });

  it('the edit form takes it and the profile shows it, within the width', async () => {
    await openStudent(0);
    await saveNumber('E2E/0001');
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByText('E2E/0001').count()).toBeGreaterThan(0);
    expect(await page.getByText('Số đăng bộ').count()).toBeGreaterThan(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-register-number-360.png'), fullPage: true });
  });

  it("another learner's number is refused under the field, naming it", async () => {
    await openStudent(1);
    await saveNumber('E2E/0001');
    const error = page.locator('.ant-form-item:has(#registerNumber) .ant-form-item-explain-error');
    await error.waitFor();
    // Under the field its label is beside it; the notice names it.
    expect(await error.textContent()).toMatch(/^số E2E\/0001 đã là số đăng bộ của một học sinh khác của trường/);
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('Số đăng bộ: số E2E/0001');
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
