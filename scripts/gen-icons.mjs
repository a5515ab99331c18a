// Draws the web app's PNG icons (manifest, home screen, notification badge) from the favicon's
// shapes, in the local Chromium: nothing is downloaded. Run after changing the logo:
//   node scripts/gen-icons.mjs   (writes web/public/icons/*.png; they are committed)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const out = path.resolve('web/public/icons');
mkdirSync(out, { recursive: true });
const CAP = '<path d="M12 26 32 16l20 10-20 10z" fill="#fff"/><path d="M20 31v9c0 4 6 8 12 8s12-4 12-8v-9l-12 6z" fill="#fff" opacity=".85"/>';
// Rounded square (any purpose); full-bleed square with the cap in the middle 60 % (maskable: the launcher cuts its own shape);
// white cap on transparent (the status-bar badge, drawn by the phone in one colour).
const ICONS = [
  { file: 'icon-192.png', size: 192, svg: `<rect width="64" height="64" rx="14" fill="#0b6bcb"/>${CAP}` },
  { file: 'icon-512.png', size: 512, svg: `<rect width="64" height="64" rx="14" fill="#0b6bcb"/>${CAP}` },
  { file: 'maskable-512.png', size: 512, svg: `<rect width="64" height="64" fill="#0b6bcb"/><g transform="translate(9.6 9.6) scale(.7)">${CAP}</g>` },
  { file: 'apple-touch-icon.png', size: 180, svg: `<rect width="64" height="64" fill="#0b6bcb"/><g transform="translate(6.4 6.4) scale(.8)">${CAP}</g>` },
  { file: 'badge-96.png', size: 96, svg: `<g transform="translate(0 -2)">${CAP.replace(' opacity=".85"', '')}</g>` },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const i of ICONS) {
  await page.setViewportSize({ width: i.size, height: i.size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="${i.size}" height="${i.size}" style="display:block">${i.svg}</svg></body></html>`,
  );
  await page.locator('svg').screenshot({ path: path.join(out, i.file), omitBackground: true });
  console.log(i.file);
}
await browser.close();
