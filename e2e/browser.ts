import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const SHOT_DIR = path.resolve('test-results/e2e');

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const DEMO_PASSWORD = process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025';

/**
 * What every page of these tests starts with: Vietnamese, and reduced motion (the app then turns
 * antd's zooms off, so a click never lands on a dialog still growing into place — seen as a
 * lost click on a loaded CI machine).
 */
export const PAGE_DEFAULTS = { locale: 'vi-VN', reducedMotion: 'reduce' } as const;
