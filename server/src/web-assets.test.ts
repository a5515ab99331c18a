import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../test/harness.js';

// How the built web app is served (issue 8, speed): the compressed copy the build wrote beside
// each file when the browser accepts it, hashed assets cached for a year, index.html (and the
// single-page fallback that serves it) checked on every load. The budget of what the login page
// and the parent area load is measured in a browser: e2e/speed/page-weight.e2e.ts.

const webDir = mkdtempSync(path.join(tmpdir(), 'ts-web-assets-'));
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

const INDEX = '<!doctype html><html lang="vi"><title>Trường Số</title><script type="module" src="/assets/index-AbC123.js"></script></html>';
const SCRIPT = `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `Học sinh số ${i}`))};\n`;
/** A file and the compressed copies the build writes beside it (web/vite.config.ts). */
function writeBuilt(rel: string, text: string) {
  const file = path.join(webDir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  writeFileSync(`${file}.br`, brotliCompressSync(text));
  writeFileSync(`${file}.gz`, gzipSync(text));
}
writeBuilt('index.html', INDEX);
writeBuilt('assets/index-AbC123.js', SCRIPT);
// A file the build did not compress (too small to gain): served plain whatever is asked.
writeFileSync(path.join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

const { app } = await setupTestApp({ webDir });
const get = (url: string, acceptEncoding?: string) =>
  app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('the built web app', () => {
  it('sends the brotli copy to a browser that accepts br, gzip to one that only accepts gzip, plain to one that accepts neither', async () => {
    const br = await get('/assets/index-AbC123.js', 'gzip, deflate, br, zstd');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 3);

    const gz = await get('/assets/index-AbC123.js', 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const plain = await get('/assets/index-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);

    const svg = await get('/favicon.svg', 'br');
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-encoding']).toBeUndefined();
  });

  it('lets browsers keep hashed assets for a year, whatever the encoding', async () => {
    for (const enc of ['br', 'gzip', undefined]) {
      expect((await get('/assets/index-AbC123.js', enc)).headers['cache-control']).toBe(IMMUTABLE);
    }
  });

  it('has index.html checked on every load, at /, by name and as the fallback of every page address', async () => {
    for (const url of ['/', '/index.html', '/hoc-sinh', '/con-cua-toi/abc/def?x=1']) {
      for (const enc of ['br', 'gzip', undefined]) {
        const res = await get(url, enc);
        expect(res.statusCode, `${url} ${enc}`).toBe(200);
        expect(res.headers['cache-control'], `${url} ${enc}`).toBe('no-cache');
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['content-encoding']).toBe(enc);
        const body = enc === 'br' ? brotliDecompressSync(res.rawPayload) : enc === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload;
        expect(body.toString()).toBe(INDEX);
      }
    }
    // Files outside assets/ have no hash in their name either.
    expect((await get('/favicon.svg')).headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with 404, not with index.html (an old page asking for a file a new build removed)', async () => {
    const res = await get('/assets/index-Old999.js', 'br');
    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control']).not.toBe(IMMUTABLE);
  });
});
