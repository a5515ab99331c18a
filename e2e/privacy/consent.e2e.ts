import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';
import { apiLogin, childInClass } from '../gradebook/helpers.js';

const baseUrl = inject('baseUrl');
let browser: Browser;

async function signIn(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, ...PAGE_DEFAULTS, acceptDownloads: true });
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  return page;
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('personal data: a parent consents online, downloads the data; the principal sees who viewed it', () => {
  let childPath = '';

  it('the parent gives consent to publish photos; the child (≥ 7) has not yet', async () => {
    const page = await signIn('phuhuynh.demo');
    // Her 6A1 child (activation.e2e.ts may have linked the 8A1 sibling, with its contact-book consent, before this file).
    const child = await childInClass(`${baseUrl}/api/v1`, await apiLogin(`${baseUrl}/api/v1`, 'phuhuynh.demo'), '6A1');
    await page.goto(`${baseUrl}/con-cua-toi`);
    await page.getByTestId('child-item').filter({ hasText: child.fullName }).click();
    // The consents sit with the record, on the family portal's "Hồ sơ" tab.
    await page.getByTestId('portal-tab-profile').click();
    const row = page.getByTestId('consent-photo_publish');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Chưa có đồng ý của cha mẹ');
    await row.getByRole('button', { name: 'Đồng ý' }).click();
    await row.getByText('Cha mẹ: Đã đồng ý').waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Chưa có đồng ý của học sinh');
    expect(await page.getByTestId('consent-school_records').textContent()).toContain('Theo quy định pháp luật');
    childPath = new URL(page.url()).pathname;
    await page.screenshot({ path: path.join(SHOT_DIR, 'consent-parent-desktop.png'), fullPage: true });

    // The menu says what each file is (issue 8): a readable PDF, and the complete JSON for programs.
    await page.getByTestId('export-personal-data').click();
    await page.getByText('Bản dễ đọc, để xem và in: dữ liệu cá nhân của con (PDF)').waitFor();
    const [printable] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-personal-data-pdf').click()]);
    expect(printable.suggestedFilename()).toMatch(/^du-lieu-ca-nhan-.+\.pdf$/);
    await page.getByTestId('export-personal-data').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('Tải toàn bộ dữ liệu cá nhân của con (tệp máy đọc được, JSON)').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^du-lieu-ca-nhan-.+\.json$/);
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.consents.records).toEqual([expect.objectContaining({ purpose: 'photo_publish', action: 'give', method: 'online' })]);
    expect(data.accessLog.some((a: { username: string }) => a.username === 'phuhuynh.demo')).toBe(true);

    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await page.getByTestId('consent-photo_publish').waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOT_DIR, 'consent-parent-360.png'), fullPage: true });
    await page.close();
  });

  it('the principal sees the consent and "Ai đã xem hồ sơ" with the parent in it', async () => {
    const studentId = childPath.split('/')[3]!;
    const page = await signIn('hieutruong.demo');
    await page.goto(`${baseUrl}/hoc-sinh/${studentId}`);
    const log = page.getByTestId('access-log-card');
    await log.getByText('phuhuynh.demo').first().waitFor({ timeout: 30_000 });
    expect(await log.textContent()).toContain('Xuất dữ liệu cá nhân');
    // Times as dd/mm/yyyy HH:mm (issue 8), not the browser's "14:05:09 3/2/2025".
    const times = await log.locator('td').allTextContents();
    expect(times.filter((t) => /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/.test(t)).length).toBeGreaterThan(0);
    expect(times.filter((t) => /\d:\d{2}:\d{2}/.test(t))).toEqual([]);
    expect(await page.getByTestId('consent-photo_publish').textContent()).toContain('Cha mẹ: Đã đồng ý');
    await page.screenshot({ path: path.join(SHOT_DIR, 'consent-principal-desktop.png'), fullPage: true });
    await page.close();
  });
});
