import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD, SHOT_DIR } from '../browser.js';

// What the gradebook's e2e files share: an API session beside the browser, sign-in, axe, page width.
const AXE = path.resolve('node_modules/axe-core/axe.min.js');

export type ApiSession = { cookie: string; csrf: string; me: { userId: string; displayName: string; staff: { schoolId: string } | null } };

/**
 * A parent's child in a class, by its name: phuhuynh.demo has her 6A1 child and, once
 * e2e/parent/activation.e2e.ts has run, its sibling in 8A1 — the order of /auth/me's children says nothing.
 */
export async function childInClass(api: string, s: ApiSession, className: string): Promise<{ schoolId: string; studentId: string; fullName: string }> {
  const { children } = s.me as unknown as { children: { schoolId: string; studentId: string; fullName: string }[] };
  for (const c of children) {
    const p = await apiCall<{ className: string | null }>(api, s, 'GET', `/schools/${c.schoolId}/students/${c.studentId}`);
    if (p.className === className) return c;
  }
  throw new Error(`no child of this account is in ${className}`);
}

export async function apiLogin(api: string, username: string): Promise<ApiSession> {
  const res = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status, username).toBe(200);
  const me = await res.json();
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: me.csrfToken, me };
}

export async function apiCall<T>(api: string, s: ApiSession, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api}${p}`, {
    method,
    headers: { cookie: s.cookie, ...(body ? { 'content-type': 'application/json', 'x-csrf-token': s.csrf } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status, `${method} ${p}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

export async function signIn(context: BrowserContext, baseUrl: string, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
  return page;
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations of what the page shows now. */
export async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: V[] }> } };
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** The page is no wider than the window. */
export const pageWidth = (page: Page) => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, inner: window.innerWidth }));

/** At 1366 and 360 px: no sideways overflow, no serious axe violation; screenshots of both. */
export async function checkWidths(page: Page, name: string) {
  try {
    await checkEach(page, name);
  } finally {
    await page.setViewportSize({ width: 1366, height: 800 });
  }
}

async function checkEach(page: Page, name: string) {
  for (const size of [
    { width: 1366, height: 800 },
    { width: 360, height: 740 },
  ]) {
    await page.setViewportSize(size);
    // Away from the link just clicked: a hovered link's lighter colour is not what axe should judge.
    await page.mouse.move(1, 1);
    await page.waitForTimeout(400);
    const w = await pageWidth(page);
    expect(w.doc, `${name} page width at ${size.width}`).toBeLessThanOrEqual(w.inner);
    await page.screenshot({ path: path.join(SHOT_DIR, `${name}-${size.width}.png`), fullPage: size.width > 400 });
    expect(await axeSerious(page), `${name} axe at ${size.width}`).toEqual([]);
  }
}

/** Waits for the antd message (toast) that says `text`. */
export const toast = (page: Page, text: string | RegExp) => page.locator('.ant-message-notice').filter({ hasText: text }).first().waitFor({ timeout: 30_000 });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/;

/** The page's content as a user reads it: no raw id and none of the API's codes (`codes`); returns the text. */
export async function shownWords(page: Page, codes: RegExp): Promise<string> {
  const text = await page.locator('.app-content').innerText();
  expect(text).not.toMatch(UUID);
  expect(text).not.toMatch(codes);
  return text;
}
