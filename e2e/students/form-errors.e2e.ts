import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// Issue 8: careless input in the "Thêm học sinh" form is explained in place, one message per
// field: an impossible date stays typed, "A" is too short, the age must fit the class's grade.
const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS });
});
afterAll(async () => {
  await browser?.close();
});

const fieldError = (field: string) => page.locator(`.ant-form-item:has(#${field}) .ant-form-item-explain-error`);

describe('the student form explains careless input where it was typed', () => {
  it('opens "Thêm học sinh" as hieutruong.demo', async () => {
    await page.goto(baseUrl);
    await page.getByTestId('login-username').fill('hieutruong.demo');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
    await page.goto(`${baseUrl}/hoc-sinh`);
    await page.getByRole('button', { name: 'Thêm học sinh' }).click();
    await page.locator('.ant-modal #fullName').waitFor({ timeout: 30_000 });
  });

  it('"A" is too short; 31/02/2015 stays typed and "không có thật" shows under it', async () => {
    await page.locator('#fullName').fill('A');
    await page.locator('#dateOfBirth').fill('31/02/2015');
    await page.locator('#fullName').click(); // leave the date field
    await fieldError('fullName').waitFor();
    expect(await fieldError('fullName').textContent()).toBe('Họ tên quá ngắn — cần ít nhất 2 chữ cái.');
    await fieldError('dateOfBirth').waitFor();
    expect(await fieldError('dateOfBirth').textContent()).toBe('Ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng.');
    expect(await page.locator('#dateOfBirth').inputValue()).toBe('31/02/2015');
    await page.screenshot({ path: path.join(SHOT_DIR, 'student-form-errors.png') });
  });

  it('a date of birth in the future, and one too young for the class, get the domain rule\'s message', async () => {
    await page.locator('#dateOfBirth').fill('15/01/2030');
    await page.locator('#dateOfBirth').press('Enter');
    await page.locator('#fullName').click();
    await expect.poll(() => fieldError('dateOfBirth').textContent()).toMatch(/^Ngày 15\/01\/2030 chưa tới \(hôm nay là \d\d\/\d\d\/\d{4}\) — kiểm tra lại năm sinh\.$/);
    await page.locator('#classId').fill('6A1');
    await page.locator('#classId').press('Enter');
    // As a person would: the class is chosen (its list closed, 6A1 shown) before the date is typed.
    const classField = page.locator('.ant-modal .ant-select').filter({ has: page.locator('#classId') });
    await expect.poll(async () => [await page.locator('#classId').getAttribute('aria-expanded'), await classField.textContent()]).toEqual(['false', expect.stringContaining('6A1')]);
    // The picker takes typed text on Enter once it has read it; on a loaded machine Enter can come
    // first and keep the previous date (seen once in CI), so the date is typed again until it is taken.
    await expect
      .poll(
        async () => {
          await page.locator('#dateOfBirth').fill('01/03/2022');
          await page.locator('#dateOfBirth').press('Enter');
          await page.locator('#fullName').click();
          return fieldError('dateOfBirth').textContent();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toMatch(/^Sinh ngày 01\/03\/2022 thì năm học \d{4}-\d{4} mới \d tuổi — khối 6 nhận học sinh/);
  });

  it('in every other form an empty required field is named by its label ("Thêm lớp")', async () => {
    await page.goto(`${baseUrl}/lop-hoc`);
    await page.getByRole('button', { name: 'Thêm lớp' }).click();
    const name = page.locator('.ant-modal #name');
    await name.waitFor({ timeout: 30_000 });
    await name.fill('6A');
    await name.fill('');
    await fieldError('name').waitFor();
    expect(await fieldError('name').textContent()).toBe('Tên lớp: chưa điền — hãy nhập hoặc chọn giá trị.');
  });
});
