import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, launchBrowser } from '../browser.js';
import { arrivedMail } from '../mailbox.js';
import { checkWidths, shownWords, signIn } from '../gradebook/helpers.js';

// The contact book's notices as phuhuynh.demo uses them on a phone: "Cài đặt thông báo" — turn
// e-mail on with an address (a wrong one is refused in Vietnamese first), save, "Gửi thử" — then
// the bell counts it, the inbox lists it, opening it marks it read, and the e-mail arrives at a
// local SMTP server (smtp-server), UTF-8 Vietnamese: the one the global setup keeps up for the run
// and starts the app with (SMTP_URL); e2e/mailbox.ts reads what reached it.
// At 360 and 1366 px: no sideways overflow, no serious axe violation, no ids.
const baseUrl = inject('baseUrl');
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  ctx = await browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 }, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'phuhuynh.demo');
});
afterAll(async () => {
  await browser?.close();
});

describe('notices for a parent on a phone', () => {
  it('sets e-mail in Cài đặt thông báo, sends a test, reads it in the inbox, and the e-mail arrives', async () => {
    await page.goto(`${baseUrl}/hop-thu/cai-dat`);
    await page.getByRole('heading', { name: 'Cài đặt thông báo' }).waitFor();
    const email = page.getByLabel('Địa chỉ e-mail nhận thông báo');
    await email.fill('khong-phai-email');
    // Ticked, not toggled: an earlier test (announcements) may have turned e-mail on already, and a
    // click would then turn it off — the e-mail never went, in CI, when that test ran first.
    await page.getByRole('checkbox', { name: /Gửi thông báo tới hộp thư của bạn/ }).check();
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Địa chỉ e-mail chưa đúng');
    await email.fill('me.minh@example.vn');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByText('Đã lưu cài đặt thông báo.').waitFor();
    await checkWidths(page, 'notices-settings');
    await shownWords(page, /\{"/);

    await page.getByRole('button', { name: 'Gửi thử cho tôi' }).click();
    await page.getByText('Đã gửi thử.').waitFor();
    await page.goto(`${baseUrl}/hop-thu`);
    await expect.poll(async () => page.getByTestId('notice-bell').getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/chưa đọc/);
    const item = page.getByTestId('notice-item').first();
    await expect.poll(() => item.innerText()).toContain('Thông báo thử từ Trường Số');
    await checkWidths(page, 'notices-inbox');
    await item.click();
    await page.goto(`${baseUrl}/hop-thu`);
    await expect.poll(async () => page.locator('.notice-unread').filter({ hasText: 'Thông báo thử từ Trường Số' }).count()).toBe(0);

    const isTest = (m: { to: string; subject: string }) => m.to === 'me.minh@example.vn' && m.subject.includes('Thông báo thử');
    await expect.poll(() => arrivedMail().filter(isTest).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const mail = arrivedMail().find(isTest);
    expect(mail?.subject).toBe('[Trường Số] Thông báo thử từ Trường Số');
    expect(mail?.text).toContain('Cài đặt thông báo');
  });

  it('shows the sender an empty failure list in words', async () => {
    await page.goto(`${baseUrl}/hop-thu/chua-gui-duoc`);
    await page.getByText('Mọi thông báo bạn gửi đều đã tới người nhận.').waitFor();
    await checkWidths(page, 'notices-failures');
  });
});
