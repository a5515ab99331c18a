import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';

// The electronic gradebook as a subject teacher uses it on a weak connection: gv.demo (a Toán
// teacher) finds a grid they teach from "Sổ điểm", enters a column of marks with the keyboard
// (decimal comma or point, an invalid mark refused in place), watches the average computed as
// they type, edits a cell while offline (kept in the browser, sent when the network is back),
// one while the server cannot be reached and then reloads (replayed from IndexedDB), meets a
// conflict, pastes a column from Excel, picks a comment phrase; then submit → return → lock →
// unlock with a reason, and a correction shown as on paper. Screenshots at 1366 and 360 px; no
// sideways overflow of the page and no serious axe violation on the grid.
//
// Term II: term I holds the demo's marks as of the day of the seed (server/src/demo/README.md), so
// the empty, open grids a teacher starts from are term II's, which has not begun.
const TERM = 2;
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const AXE = path.resolve('node_modules/axe-core/axe.min.js');

type ApiSession = { cookie: string; csrf: string; me: { userId: string; displayName: string; staff: { schoolId: string } | null } };
type Grid = {
  state: string;
  published: string[];
  unlockReason: string | null;
  rows: { studentId: string; fullName: string; cells: Record<string, { value: string | null; version: number; correctedFrom: string | null }> }[];
};

async function apiLogin(username: string): Promise<ApiSession> {
  const res = await fetch(`${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status, username).toBe(200);
  const me = await res.json();
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: me.csrfToken, me };
}

async function call<T>(s: ApiSession, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${API}${p}`, {
    method,
    headers: { cookie: s.cookie, ...(body ? { 'content-type': 'application/json', 'x-csrf-token': s.csrf } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status, `${method} ${p}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

async function signIn(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  return page;
}

async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: V[] }> } };
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** The page is no wider than the window (the grid scrolls inside its own box). */
const pageWidth = (page: Page) => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, inner: window.innerWidth }));

let browser: Browser;
let gv: ApiSession;
let principal: ApiSession;
let context: BrowserContext;
let page: Page;
let gridPath = '';
let gridUrl = '';
let rows: Grid['rows'] = [];

const cell = (r: number, c: number) => page.locator(`input[data-cell="${r}:${c}"]`);
const td = (r: number, c: number) => page.getByTestId('gradebook-row').nth(r).locator('td.gb-cell').nth(c);
const status = () => page.getByTestId('gradebook-status').textContent();
const serverGrid = (s: ApiSession = gv) => call<Grid>(s, 'GET', `${gridPath}?term=${TERM}`);
const serverValue = async (r: number, col: string) => (await serverGrid()).rows[r]!.cells[col]?.value ?? null;
const savedAll = async () => expect.poll(status, { timeout: 15_000 }).toMatch(/Đã lưu lúc \d\d:\d\d/);

// The marks of the TX1 column, typed the ways teachers type them (comma, point, whole).
const TYPED = ['8', '7.5', '9', '6,5', '10', '5'];
const SHOWN = ['8', '7,5', '9', '6,5', '10', '5'];

beforeAll(async () => {
  browser = await launchBrowser();
  gv = await apiLogin('gv.demo');
  principal = await apiLogin('hieutruong.demo');
  context = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(context, 'gv.demo');
});
afterAll(async () => {
  await browser?.close();
});

describe('the gradebook of a subject teacher', () => {
  it('"Sổ điểm" lists the classes gv.demo teaches and opens a TT22 grid of theirs', async () => {
    await page.locator('.app-sider .ant-menu-item', { hasText: 'Sổ điểm' }).click();
    await page.getByRole('heading', { name: 'Sổ điểm', exact: true }).waitFor();
    await page.getByTestId(`gradebook-open-${TERM}`).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-classes-1366.png'), fullPage: true });
    // A term they enter marks in: "Nhập điểm", term II.
    const open = page.locator(`a.gb-term-edit[data-testid="gradebook-open-${TERM}"]`).first();
    expect(await open.count(), 'gv.demo has no grid to enter in term II').toBe(1);
    await open.click();
    await page.getByTestId('gradebook-grid').waitFor({ timeout: 20_000 });
    const url = new URL(page.url());
    expect(url.searchParams.get('hk')).toBe(String(TERM));
    const [, , classId, subjectCode] = url.pathname.split('/');
    gridPath = `/schools/${gv.me.staff!.schoolId}/classes/${classId}/gradebook/${subjectCode}`;
    gridUrl = `${url.pathname}${url.search}`;
    const g = await serverGrid();
    rows = g.rows;
    expect(g.state).toBe('open');
    expect(rows.length).toBeGreaterThan(5);
    expect(await page.getByTestId('gradebook-row').count()).toBe(rows.length);
    // Class-list order, names as the server gives them; no ids on the page.
    expect(await page.locator('.gb-table tbody th.gb-name').first().textContent()).toContain(rows[0]!.fullName);
    expect(await page.locator('body').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await cell(0, 0).getAttribute('aria-label')).toBe(`Điểm TX1 của ${rows[0]!.fullName}`);
  });

  it('enters the TX1 column with the keyboard: Enter goes down, comma or point, an invalid mark is refused in place', async () => {
    await cell(0, 0).click();
    for (let r = 0; r < rows.length; r++) {
      await page.keyboard.type(r === 2 ? '11' : TYPED[r % TYPED.length]!);
      await page.keyboard.press('Enter');
    }
    // "11" stays in its cell, red, with the reason; it is not sent.
    await expect.poll(() => td(2, 0).getAttribute('class')).toContain('gb-invalid');
    expect(await cell(2, 0).inputValue()).toBe('11');
    expect(await cell(2, 0).getAttribute('aria-invalid')).toBe('true');
    expect(await td(2, 0).getAttribute('title')).toContain('Điểm tối đa là 10');
    await expect.poll(status).toContain('1 ô nhập chưa đúng — chưa gửi');
    await cell(2, 0).click();
    expect(await page.getByTestId('gradebook-cell-message').textContent()).toContain('Điểm tối đa là 10 ("11")');
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-invalid-1366.png') });
    // Typed over, it is a mark like the others.
    await page.keyboard.type('9');
    await page.keyboard.press('Enter');
    await savedAll();
    expect(await status()).not.toContain('chưa đúng');
    // Escape takes back what was typed in the cell.
    await cell(4, 0).click();
    await page.keyboard.type('3');
    await page.keyboard.press('Escape');
    expect(await cell(4, 0).inputValue()).toBe(SHOWN[4]);
    const g = await serverGrid();
    g.rows.forEach((row, r) => expect(row.cells.tx1?.value, row.fullName).toBe(r === 2 ? '9' : SHOWN[r % SHOWN.length]));
  });

  it('the term average (ĐTBmhk) is computed in the browser as the teacher types, with the domain rule', async () => {
    expect(await page.getByTestId('gradebook-summary').first().textContent()).toContain('Chưa đủ');
    // Row 1: TX1 8, then TX2–TX4, GK, CK across with Tab: (8+7+9+8 + 2×7,5 + 3×8,5) / 9 = 8,06 → 8,1.
    await cell(0, 1).click();
    for (const v of ['7', '9', '8', '7,5']) {
      await page.keyboard.type(v);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('8.5');
    // Before leaving the cell, before any answer from the server.
    await expect.poll(() => page.getByTestId('gradebook-summary').first().textContent()).toBe('8,1');
    await page.keyboard.press('Tab');
    await savedAll();
    expect((await serverGrid()).rows[0]!.cells.ck?.value).toBe('8,5');
  });

  it('leaving with an invalid cell asks first (a link, back, the menu, closing the tab); staying keeps it, leaving loses it as said', async () => {
    await cell(4, 3).click();
    await page.keyboard.type('75');
    await page.keyboard.press('Enter');
    await expect.poll(() => td(4, 3).getAttribute('class')).toContain('gb-invalid');
    const warning = page.locator('.ant-modal-confirm').filter({ has: page.getByTestId('gradebook-leave-warning') });
    const stay = async () => {
      await warning.getByRole('button', { name: 'Ở lại sổ điểm' }).click();
      await warning.waitFor({ state: 'detached' });
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(gridUrl);
      expect(await cell(4, 3).inputValue()).toBe('75');
    };
    // "Các môn của lớp", the link the review tapped.
    await page.getByRole('link', { name: 'Các môn của lớp' }).click();
    await warning.waitFor();
    expect(await warning.locator('.ant-modal-confirm-title').textContent()).toBe('Còn 1 ô chưa lưu vào sổ điểm');
    expect(await warning.textContent()).toContain('1 ô nhập chưa đúng (tô đỏ) sẽ mất nếu rời trang');
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-leave-warning-1366.png') });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-leave-warning-360.png') });
    await page.setViewportSize({ width: 1366, height: 800 });
    await stay();
    // The browser's back button.
    await page.evaluate(() => window.history.back());
    await warning.waitFor();
    await stay();
    // Closing or reloading the tab: the page asks the browser to confirm.
    expect(
      await page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      }),
    ).toBe(true);
    // The menu, and this time the teacher leaves: the entry is gone, as the warning said.
    await page.locator('.app-sider .ant-menu-item', { hasText: 'Sổ điểm' }).click();
    await warning.waitFor();
    await warning.getByRole('button', { name: 'Vẫn rời trang, bỏ các ô này' }).click();
    await page.getByRole('heading', { name: 'Sổ điểm', exact: true }).waitFor();
    await page.goto(`${baseUrl}${gridUrl}`);
    await page.getByTestId('gradebook-grid').waitFor({ timeout: 20_000 });
    expect(await cell(4, 3).inputValue()).toBe('');
    expect(await serverValue(4, 'tx4')).toBeNull();
    // Nothing left to lose: leaving does not ask.
    expect(
      await page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      }),
    ).toBe(false);
  });

  it('offline: the edit is kept in the browser, marked unsent, and sent when the network is back', async () => {
    await context.setOffline(true);
    await cell(1, 1).click();
    await page.keyboard.type('6');
    await page.keyboard.press('Enter');
    await expect.poll(status).toContain('1 ô chưa gửi được — sẽ tự gửi khi có mạng');
    expect(await td(1, 1).getAttribute('class')).toContain('gb-pending');
    // Kept in IndexedDB, not on the server.
    const kept = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const req = indexedDB.open('truongso-gradebook');
          req.onsuccess = () => {
            const all = req.result.transaction('outbox').objectStore('outbox').getAll();
            all.onsuccess = () => resolve((all.result as { edits: unknown[] }[]).reduce((n, r) => n + r.edits.length, 0));
            all.onerror = () => reject(new Error(String(all.error)));
          };
          req.onerror = () => reject(new Error(String(req.error)));
        }),
    );
    expect(kept).toBe(1);
    expect(await serverValue(1, 'tx2')).toBeNull();
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-offline-1366.png') });
    await context.setOffline(false);
    await savedAll();
    expect(await serverValue(1, 'tx2')).toBe('6');
    expect(await td(1, 1).getAttribute('class')).not.toContain('gb-pending');
  });

  it('the tab is closed while offline; reopened, the unsent cell comes back from IndexedDB and is sent', async () => {
    await context.setOffline(true);
    await cell(2, 1).click();
    await page.keyboard.type('5,5');
    await page.keyboard.press('Enter');
    await expect.poll(status).toContain('1 ô chưa gửi được — sẽ tự gửi khi có mạng');
    // The phone kills the tab (no unload handlers run).
    await page.close({ runBeforeUnload: false });
    await context.setOffline(false);
    expect(await serverValue(2, 'tx2')).toBeNull();
    // Reopened on a connection that still cannot reach the server for the cells.
    const cellsRoute = '**/gradebook/*/cells';
    page = await context.newPage();
    await page.route(cellsRoute, (route) => route.abort('internetdisconnected'));
    await page.goto(`${baseUrl}${gridUrl}`);
    await page.getByTestId('gradebook-grid').waitFor({ timeout: 20_000 });
    // The cell is shown as unsent (from the browser's store), and the page keeps trying.
    await expect.poll(() => td(2, 1).getAttribute('class')).toContain('gb-pending');
    expect(await cell(2, 1).inputValue()).toBe('5,5');
    await expect.poll(status, { timeout: 15_000 }).toMatch(/1 ô chưa gửi được \(mạng yếu\) — sẽ thử lại sau \d+ giây/);
    expect(await serverValue(2, 'tx2')).toBeNull();
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-replay-1366.png') });
    // The server is reachable again: the next retry sends it, without the teacher doing anything.
    await page.unroute(cellsRoute);
    await savedAll();
    expect(await serverValue(2, 'tx2')).toBe('5,5');
    expect(await td(2, 1).getAttribute('class')).not.toContain('gb-pending');
  });

  it('a conflict: a value changed elsewhere is kept, and the teacher is told both values', async () => {
    // The same cell written from another device after this page read the grid.
    await call(gv, 'PUT', `${gridPath}/cells`, { term: TERM, cells: [{ studentId: rows[3]!.studentId, column: 'tx2', value: '4', version: 0 }] });
    await cell(3, 1).click();
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    const notice = page.getByTestId('gradebook-notice');
    await notice.first().waitFor({ timeout: 15_000 });
    expect(await notice.first().textContent()).toContain('vừa sửa ô này thành "4". Giá trị bạn nhập ("7") chưa được lưu');
    expect(await cell(3, 1).inputValue()).toBe('4');
    expect(await td(3, 1).getAttribute('class')).toContain('gb-conflict');
    expect(await serverValue(3, 'tx2')).toBe('4');
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-conflict-1366.png') });
    // Re-entered, it is saved on the new version and the notice goes.
    await cell(3, 1).click();
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await savedAll();
    expect(await serverValue(3, 'tx2')).toBe('7');
    expect(await notice.count()).toBe(0);
  });

  it('a column pasted from Excel spreads down from the focused cell', async () => {
    await cell(0, 2).click();
    // Rows 1–3 of TX3 already hold 9 (row 1); the block overwrites from there.
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[data-cell="1:2"]')!;
      input.focus();
      const dt = new DataTransfer();
      dt.setData('text/plain', '8\r\n7,5\r\n6.5\r\n');
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => Promise.all([1, 2, 3].map((r) => cell(r, 2).inputValue()))).toEqual(['8', '7,5', '6,5']);
    await page.locator('.gb-cellbar').click();
    await savedAll();
    const g = await serverGrid();
    expect([1, 2, 3].map((r) => g.rows[r]!.cells.tx3?.value)).toEqual(['8', '7,5', '6,5']);
  });

  it('a comment phrase is picked for the Nhận xét cell', async () => {
    const nx = (await page.locator('.gb-table thead th.gb-col').count()) - 1;
    await cell(0, nx).click();
    await page.getByTestId('gradebook-phrases-button').click();
    await page.getByTestId('gradebook-phrases').getByRole('button', { name: 'Có tiến bộ so với đầu học kì.' }).click();
    await expect.poll(() => cell(0, nx).inputValue()).toBe('Có tiến bộ so với đầu học kì.');
    await page.locator('.gb-cellbar').click();
    await savedAll();
    expect(await serverValue(0, 'nx')).toBe('Có tiến bộ so với đầu học kì.');
  });

  it('at 1366 and 360 px: the page does not overflow sideways, the grid scrolls in its box, no serious axe violation', async () => {
    await page.locator('.gb-cellbar').click();
    for (const size of [
      { width: 1366, height: 800 },
      { width: 360, height: 740 },
    ]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      const w = await pageWidth(page);
      expect(w.doc, `page width at ${size.width}`).toBeLessThanOrEqual(w.inner);
      await page.screenshot({ path: path.join(SHOT_DIR, `gradebook-${size.width}.png`), fullPage: true });
      expect(await axeSerious(page), `axe at ${size.width}`).toEqual([]);
    }
    // At 360 px the name column stays in view while the marks scroll.
    await cell(0, 5).focus();
    await page.waitForTimeout(200);
    const name = await page.locator('.gb-table tbody th.gb-name').first().boundingBox();
    const ck = await cell(0, 5).boundingBox();
    expect(name!.x).toBeGreaterThanOrEqual(0);
    expect(ck!.x).toBeGreaterThanOrEqual(name!.x + name!.width - 1);
    expect(ck!.x + ck!.width).toBeLessThanOrEqual(361);
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-360-scrolled.png') });
    await page.setViewportSize({ width: 1366, height: 800 });
  });
});

describe('publishing columns to families: confirmed, named, and withdrawn', () => {
  const dialog = () => page.locator('.ant-modal').filter({ has: page.getByTestId('gradebook-publish-dialog') });

  it('the button names the columns; the dialog says how many students have no mark in each, and publishes only those kept', async () => {
    const button = page.getByTestId('gradebook-publish');
    expect(await button.textContent()).toBe('Công bố cột TX1, TX2, TX3, TX4, GK, CK, Nhận xét cho gia đình');
    await button.click();
    await dialog().waitFor();
    const g = await serverGrid();
    const missing = (col: string) => g.rows.filter((r) => !r.cells[col]?.value).length;
    expect(await dialog().locator('.ant-modal-title').textContent()).toBe('Công bố cột TX1, TX2, TX3, TX4, GK, CK, Nhận xét cho gia đình?');
    expect(await page.getByTestId('gradebook-publish-ck').textContent()).toBe(`CK — còn ${missing('ck')} học sinh chưa có điểm`);
    expect(await page.getByTestId('gradebook-publish-tx1').textContent()).toBe('TX1 — cả lớp đã có điểm');
    // The teacher keeps CK and Nhận xét only: the title follows.
    for (const col of ['tx1', 'tx2', 'tx3', 'tx4', 'gk']) await page.getByTestId(`gradebook-publish-${col}`).click();
    expect(await dialog().locator('.ant-modal-title').textContent()).toBe('Công bố cột CK, Nhận xét cho gia đình?');
    expect(await dialog().textContent()).toContain('Gia đình của học sinh chưa có điểm sẽ thấy ô trống');
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-publish-1366.png') });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-publish-360.png') });
    expect(await axeSerious(page), 'axe on the publish dialog at 360').toEqual([]);
    await page.setViewportSize({ width: 1366, height: 800 });
    // Nothing published until confirmed.
    expect((await serverGrid()).published).toEqual([]);
    await dialog().getByRole('button', { name: 'Công bố', exact: true }).click();
    await expect.poll(async () => (await serverGrid()).published.sort()).toEqual(['ck', 'nx']);
    await expect.poll(() => page.locator('.gb-published').textContent()).toBe('Gia đình đang xem: CK, Nhận xét');
    expect(await button.textContent()).toBe('Công bố cột TX1, TX2, TX3, TX4, GK cho gia đình');
  });

  it('"Thôi công bố" withdraws a published column after a confirmation; cancelling changes nothing', async () => {
    await page.getByTestId('gradebook-unpublish').click();
    await dialog().waitFor();
    expect(await dialog().locator('.ant-modal-title').textContent()).toBe('Thôi công bố cột CK, Nhận xét?');
    await dialog().getByRole('button', { name: 'Hủy' }).click();
    await dialog().waitFor({ state: 'hidden' });
    expect((await serverGrid()).published.sort()).toEqual(['ck', 'nx']);
    await page.getByTestId('gradebook-unpublish').click();
    await dialog().waitFor();
    await page.getByTestId('gradebook-publish-nx').click();
    expect(await dialog().locator('.ant-modal-title').textContent()).toBe('Thôi công bố cột CK?');
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-unpublish-1366.png') });
    await dialog().getByRole('button', { name: 'Thôi công bố' }).click();
    await expect.poll(async () => (await serverGrid()).published).toEqual(['nx']);
    await expect.poll(() => page.locator('.gb-published').textContent()).toBe('Gia đình đang xem: Nhận xét');
    // And the last one: families see none of the grid.
    await page.getByTestId('gradebook-unpublish').click();
    await dialog().waitFor();
    await dialog().getByRole('button', { name: 'Thôi công bố' }).click();
    await expect.poll(async () => (await serverGrid()).published).toEqual([]);
    await expect.poll(() => page.locator('.gb-published').textContent()).toBe('Chưa công bố cột nào cho gia đình');
    expect(await page.getByTestId('gradebook-unpublish').count()).toBe(0);
  });
});

describe('submit → lock → unlock with a reason, and a correction shown as on paper', () => {
  it('gv.demo submits (each step confirmed); the grid becomes read-only', async () => {
    await page.getByTestId('gradebook-action-submit').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Nộp sổ điểm' }).click();
    await expect.poll(() => page.getByTestId('gradebook-state-label').textContent()).toBe('Đã nộp, chờ giáo viên chủ nhiệm duyệt');
    await page.getByTestId('gradebook-readonly').waitFor();
    expect(await page.locator('input[data-cell]').count()).toBe(0);
    await page.getByTestId('gradebook-action-reopen').waitFor();
  });

  it('the principal locks it, then unlocks it with a reason; the teacher corrects a mark: old struck through, new in red', async () => {
    await call(principal, 'POST', `${gridPath}/state`, { term: TERM, action: 'lock' });
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, ...PAGE_DEFAULTS, bypassCSP: true });
    const hp = await signIn(ctx, 'hieutruong.demo');
    await hp.goto(`${baseUrl}${gridUrl}`);
    await hp.getByTestId('gradebook-grid').waitFor({ timeout: 20_000 });
    expect(await hp.getByTestId('gradebook-state-label').textContent()).toBe('Đã khóa');
    expect(await axeSerious(hp), 'axe on the read-only grid').toEqual([]);
    await hp.getByTestId('gradebook-action-unlock').click();
    const dialog = hp.locator('.ant-modal').filter({ hasText: 'Lý do mở khóa' });
    await dialog.getByRole('button', { name: 'Mở khóa', exact: true }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.locator('textarea').fill('Nhập nhầm điểm TX1 của học sinh số 1.');
    await dialog.getByRole('button', { name: 'Mở khóa', exact: true }).click();
    await expect.poll(() => hp.getByTestId('gradebook-state-label').textContent()).toBe('Đang nhập điểm');
    await ctx.close();

    await page.reload();
    await page.getByTestId('gradebook-grid').waitFor({ timeout: 20_000 });
    expect(await page.getByText('Sổ điểm đã được mở khóa để sửa. Lý do: Nhập nhầm điểm TX1 của học sinh số 1.').count()).toBe(1);
    await cell(0, 0).click();
    await page.keyboard.type('9,5');
    await page.keyboard.press('Enter');
    await savedAll();
    await expect.poll(() => td(0, 0).locator('s.gb-old').textContent()).toBe('8');
    expect(await td(0, 0).getAttribute('class')).toContain('gb-corrected');
    expect(await cell(0, 0).evaluate((el) => getComputedStyle(el).color)).toBe('rgb(207, 19, 34)');
    const g = await serverGrid();
    expect(g.rows[0]!.cells.tx1).toMatchObject({ value: '9,5', correctedFrom: '8' });
    // After a reload the server says the same.
    await page.reload();
    await page.getByTestId('gradebook-grid').waitFor({ timeout: 20_000 });
    expect(await td(0, 0).locator('s.gb-old').textContent()).toBe('8');
    await page.screenshot({ path: path.join(SHOT_DIR, 'gradebook-corrected-1366.png') });
  });
});
