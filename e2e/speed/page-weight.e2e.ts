import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_BUDGET_BYTES, type PageWeight, pageWeights } from '../../bench/page-weight.js';
import { DEMO_PASSWORD, launchBrowser } from '../browser.js';

// What the web app costs a phone (issue 8, speed), measured in Chromium with an empty cache
// against the app started the README way: every script and stylesheet comes compressed, hashed
// files are kept a year, index.html is asked for again, and the login page and the parent area
// stay within budget.
// `npm run bench` writes the same figures to docs/benchmarks.md.
const baseUrl = inject('baseUrl');
let browser: Browser;
let weights: { login: PageWeight; parentArea: PageWeight };

beforeAll(async () => {
  browser = await launchBrowser();
  weights = await pageWeights(browser, baseUrl, { username: 'phuhuynh.demo', password: DEMO_PASSWORD });
});
afterAll(async () => {
  await browser?.close();
});

describe('the web app as a browser downloads it', () => {
  it('gets every script and stylesheet brotli-compressed', () => {
    for (const w of [weights.login, weights.parentArea]) {
      expect(w.files.length).toBeGreaterThan(3);
      // A file under ~100 bytes is not worth compressing and the build leaves it plain.
      for (const f of w.files) if (f.bytes > 200) expect(f.encoding, f.path).toBe('br');
    }
  });

  it(`loads at most ${PAGE_BUDGET_BYTES / 1024} KB of JS + CSS for the login page`, () => {
    expect(weights.login.bytes).toBeGreaterThan(50 * 1024); // it did count something
    expect(weights.login.bytes).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  });

  it(`loads at most ${PAGE_BUDGET_BYTES / 1024} KB of JS + CSS for the parent area ("Con của tôi", then the child's profile)`, () => {
    expect(weights.parentArea.bytes).toBeGreaterThan(weights.login.bytes / 2);
    expect(weights.parentArea.bytes).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  });

  it('the parent area does not download the staff screens’ heavy parts (table, date pickers, selects, forms, the phone menu’s drawer)', () => {
    const heavy = /\/assets\/(table|vn-date-picker|lazy-date-picker|select|student-forms|student-profile-actions|upload|drawer)-[\w-]+\.js$/;
    expect(weights.parentArea.files.map((f) => f.path).filter((p) => heavy.test(p))).toEqual([]);
  });

  it('caches hashed assets for a year and asks again for index.html, compressed as the browser accepts', async () => {
    const asset = weights.login.files.find((f) => f.type === 'script')!.path;
    for (const enc of ['br', 'gzip']) {
      const res = await fetch(`${baseUrl}${asset}`, { headers: { 'accept-encoding': enc } });
      await res.arrayBuffer();
      expect(res.headers.get('content-encoding')).toBe(enc);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    for (const url of ['/', '/con-cua-toi']) {
      const res = await fetch(`${baseUrl}${url}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });
});
