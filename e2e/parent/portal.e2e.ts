import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';
import { axeSerious, pageWidth, signIn } from '../gradebook/helpers.js';

// The family portal (issue 11, item 2) on a 360 px phone: phuhuynh.demo opens her child's page,
// moves between its tabs (each its own address), then the phone loses the network: a reload still
// shows the child's last results, with the date and time they came from the server and the word
// "ngoại tuyến". The installable app's files are served as a browser needs them (manifest, worker
// that registers), and after signing out nothing of hers is left in the phone's caches.
// hocsinh.demo (her child's own account) reads the same page without messages and leave requests.
const baseUrl = inject('baseUrl');
const PHONE = { width: 360, height: 740 };
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOT_DIR, `portal-${name}.png`), fullPage: true });

async function fits(name: string) {
  const w = await pageWidth(page);
  expect(w.doc, `${name}: no sideways scrolling at 360 px`).toBeLessThanOrEqual(w.inner);
  expect(await axeSerious(page), `${name} axe`).toEqual([]);
  await shot(name);
}

/** The data caches the service worker keeps per account (sw-rules.ts DATA_CACHE_PREFIX), with their entries. */
const keptData = (p: Page) =>
  p.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const n of await caches.keys()) {
      if (!n.startsWith('ts-data-u-')) continue;
      out[n] = (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });

beforeAll(async () => {
  browser = await launchBrowser();
  ctx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
  page = await signIn(ctx, baseUrl, 'phuhuynh.demo');
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

describe('the installable app', () => {
  it('serves the manifest (Vietnamese name, icons that exist) and the service worker with the right types, never cached for long', async () => {
    const m = await fetch(`${baseUrl}/manifest.webmanifest`);
    expect(m.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await m.json()) as { name: string; short_name: string; theme_color: string; display: string; icons: { src: string; sizes: string; type: string }[] };
    expect(manifest).toMatchObject({ name: 'Trường Số', short_name: 'Trường Số', theme_color: '#0b6bcb', display: 'standalone' });
    for (const size of ['192x192', '512x512']) expect(manifest.icons.some((i) => i.sizes === size && i.type === 'image/png')).toBe(true);
    for (const i of manifest.icons) {
      const res = await fetch(`${baseUrl}${i.src}`);
      expect(res.headers.get('content-type'), i.src).toBe('image/png');
      expect(new Uint8Array(await res.arrayBuffer()).slice(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47])); // "PNG"
    }
    const sw = await fetch(`${baseUrl}/sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const code = await sw.text();
    for (const event of ['push', 'notificationclick', 'fetch']) expect(code).toContain(`"${event}"`);
    const html = await (await fetch(`${baseUrl}/`)).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
  });
});

describe('phuhuynh.demo on the family portal, 360 px', () => {
  let childPath = '';

  it('opens her child: results first, the service worker registered and in control', async () => {
    await page.getByTestId('child-item').first().click();
    await page.getByTestId('portal-tabs').waitFor({ timeout: 30_000 });
    await page.getByTestId('child-results').waitFor();
    childPath = new URL(page.url()).pathname;
    expect(childPath).toMatch(/^\/con-cua-toi\/[^/]+\/[^/]+$/);
    expect(await page.getByTestId('portal-tab-results').getAttribute('aria-current')).toBe('page');
    const sw = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, script: reg.active?.scriptURL ?? null };
    });
    expect(sw).toEqual({ scope: `${baseUrl}/`, script: `${baseUrl}/sw.js` });
    // The page loaded before the worker took over: reload once under its control, as a returning parent.
    await page.reload();
    await page.getByTestId('child-marks').or(page.getByTestId('child-marks-none')).first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await fits('results');
  });

  it('moves between tabs, each with its own address; the places not built yet say "Sắp có"', async () => {
    const tabs: [string, string, string][] = [
      ['attendance', '/diem-danh', 'Chuyên cần'],
      ['announcements', '/thong-bao', 'Thông báo'],
      ['messages', '/tin-nhan', 'Tin nhắn'],
      ['leave', '/xin-nghi', 'Xin nghỉ'],
      ['profile', '/ho-so', 'Thông tin chung'],
      ['timetable', '/thoi-khoa-bieu', 'Thời khóa biểu'],
      ['fees', '/hoc-phi', 'Học phí'],
      ['results', '', 'Kết quả học tập'],
    ];
    for (const [tab, suffix, words] of tabs) {
      await page.getByTestId(`portal-tab-${tab}`).click();
      await page.waitForURL(`${baseUrl}${childPath}${suffix}`);
      await page.locator('.app-content').getByText(words, { exact: false }).first().waitFor({ timeout: 20_000 });
      expect(await page.getByTestId(`portal-tab-${tab}`).getAttribute('aria-current')).toBe('page');
      if (tab === 'timetable' || tab === 'fees') expect(await page.getByTestId(`portal-tab-${tab}`).innerText()).toContain('Sắp có');
      if (tab === 'attendance' || tab === 'announcements' || tab === 'timetable') await fits(tab);
    }
    // A notification's link opens its tab directly.
    await page.goto(`${baseUrl}${childPath}/thong-bao`);
    expect(await (await page.getByTestId('portal-tab-announcements').elementHandle())?.getAttribute('aria-current')).toBe('page');
    await page.goto(`${baseUrl}${childPath}`);
    await page.getByTestId('child-results').waitFor();
  });

  it('offline, a reload still shows the last results, with their date and "đang ngoại tuyến"', async () => {
    await page.getByTestId('child-marks').or(page.getByTestId('child-marks-none')).first().waitFor({ timeout: 30_000 });
    const before = await page.getByTestId('child-results').innerText();
    const kept = await keptData(page);
    expect(Object.values(kept).flat()).toEqual(expect.arrayContaining([`${childPath.replace('/con-cua-toi/', '/api/v1/schools/').replace(/\/([^/]+)$/, '/students/$1')}/results`]));
    await ctx.setOffline(true);
    try {
      await page.reload();
      await page.getByTestId('child-results').waitFor({ timeout: 30_000 });
      await page.getByTestId('child-marks').or(page.getByTestId('child-marks-none')).first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('child-results').innerText()).toBe(before);
      const note = page.getByTestId('offline-note');
      await note.waitFor();
      expect((await note.innerText()).trim()).toMatch(/^Dữ liệu lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4} — đang ngoại tuyến$/);
      // The date is today's (the answers were kept a moment ago), as the phone's clock reads it.
      const today = await page.evaluate(() => new Date().toLocaleDateString('en-GB'));
      expect(await note.innerText()).toContain(today);
      await fits('offline');
      // Another tab that reads the same answer is there too; the record's tab as it was kept.
      await page.getByTestId('portal-tab-attendance').click();
      await page.getByTestId('child-attendance').waitFor({ timeout: 20_000 });
    } finally {
      await ctx.setOffline(false);
    }
  });

  it('signing out leaves nothing of hers in the phone’s caches', async () => {
    expect(Object.keys(await keptData(page)).length).toBe(1);
    await page.getByTestId('user-menu').click();
    await page.getByText('Đăng xuất', { exact: true }).click();
    await page.getByTestId('login-username').waitFor({ timeout: 20_000 });
    await expect.poll(() => keptData(page)).toEqual({});
  });
});

describe('a staff account on the same kind of phone', () => {
  it('gvcn.demo reads students and classes: the worker keeps none of those answers', async () => {
    const staff = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
    try {
      page = await signIn(staff, baseUrl, 'gvcn.demo');
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload(); // now under the worker's control
      await page.goto(`${baseUrl}/hoc-sinh`);
      await page.getByTestId('student-row').first().waitFor({ timeout: 30_000 });
      await page.getByTestId('student-row').first().click();
      await page.getByTestId('student-profile').waitFor({ timeout: 30_000 });
      expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
      expect(await keptData(page)).toEqual({});
    } finally {
      await staff.close();
    }
  });
});

describe('a parent of several children, 360 px', () => {
  it('switches child from buttons that show each long name whole, keeping the tab', async () => {
    // The demo's parents have one child each: her session answer gets two more (long names, another
    // school), as a parent who linked them would have. No worker here, so the page sees the change.
    const many = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true, serviceWorkers: 'block' });
    try {
      await many.route('**/api/v1/auth/session', async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as { me: { children: { schoolId: string; studentId: string; fullName: string; self: boolean }[] } | null };
        if (body.me?.children.length) {
          const first = body.me.children[0]!;
          body.me.children.push(
            { schoolId: first.schoolId, studentId: `${first.studentId.slice(0, -4)}ffff`, fullName: 'Nguyễn Hoàng Ngọc Bảo Châu Phương Thảo', self: false },
            { schoolId: '00000000-0000-7000-8000-000000000001', studentId: '00000000-0000-7000-8000-000000000002', fullName: 'Tôn Nữ Thị Huyền Trang', self: false },
          );
        }
        await route.fulfill({ response: res, json: body });
      });
      page = await signIn(many, baseUrl, 'phuhuynh.demo');
      await page.reload(); // the session answer (the sign-in's own answer was not the patched one)
      await page.getByTestId('child-item').first().click();
      await page.getByTestId('portal-tab-attendance').click();
      const items = page.getByTestId('child-switch').getByRole('link');
      await items.first().waitFor({ timeout: 20_000 });
      expect(await items.count()).toBe(3);
      // Every name whole: nothing clipped or hidden behind an ellipsis, the page no wider than the phone.
      for (const box of await items.evaluateAll((els) => els.map((e) => ({ text: e.textContent, sw: e.scrollWidth, cw: e.clientWidth, right: e.getBoundingClientRect().right })))) {
        expect(box.sw, box.text ?? '').toBeLessThanOrEqual(box.cw);
        expect(box.right).toBeLessThanOrEqual(PHONE.width);
      }
      expect(await items.allInnerTexts()).toContain('Nguyễn Hoàng Ngọc Bảo Châu Phương Thảo');
      await fits('switcher');
      // The tab stays as the address changes child.
      await items.nth(1).click();
      await page.waitForURL(/\/diem-danh$/);
    } finally {
      await many.close();
    }
  });
});

describe('hocsinh.demo (her child’s own account), 360 px', () => {
  it('reads their own record, without messages and leave requests, and the worker keeps it under their own account only', async () => {
    const own = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
    try {
      page = await signIn(own, baseUrl, 'hocsinh.demo');
      await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('child-item').count()).toBe(1);
      await page.getByTestId('child-item').click();
      await page.getByTestId('child-results').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('portal-tab-messages').count()).toBe(0);
      expect(await page.getByTestId('portal-tab-leave').count()).toBe(0);
      await fits('student');
      // Kept: their own record's answers, in one cache named after their account, nothing else.
      const ownPath = new URL(page.url()).pathname.replace('/con-cua-toi/', '/api/v1/schools/').replace(/\/([^/]+)$/, '/students/$1');
      await expect.poll(async () => Object.values(await keptData(page)).flat().some((p) => p.startsWith(`${ownPath}/results`))).toBe(true);
      const kept = await keptData(page);
      expect(Object.keys(kept)).toHaveLength(1);
      for (const p of Object.values(kept).flat()) expect(p === '/api/v1/auth/session' || p.startsWith(ownPath) || p.startsWith('/api/v1/reference/'), p).toBe(true);
      // The parent's messages tab is not theirs: the one no-permission page.
      await page.goto(`${new URL(page.url()).href}/tin-nhan`);
      await page.getByTestId('no-permission').waitFor({ timeout: 20_000 });
    } finally {
      await own.close();
    }
  });
});
