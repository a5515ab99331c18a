import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { setupTestApp } from '../../test/harness.js';
import { XSS } from '../../test/hostile-corpora.js';
import { xlsxCellText } from '../../test/xlsx-text.js';
import { buildApp } from '../app.js';
import { SESSION_COOKIE } from './sessions.js';

// Targeted attacks the generated suite (hostile-input.test.ts) cannot judge on its own: that what
// was stored comes back byte for byte (and inert) in JSON and Excel, Unicode canonical forms,
// CSRF on every state-changing route, session fixation, path traversal, slow clients.
const webDir = mkdtempSync(path.join(os.tmpdir(), 'ts-web-'));
mkdirSync(path.join(webDir, 'assets'));
writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Trường Số</title>');
writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log(1)');
const ctx = await setupTestApp({ webDir });
const A1 = `/api/v1/schools/${F.schoolA1}`;

const newStudent = (over: Record<string, unknown>) => ({
  fullName: 'Lò Văn Páo',
  dateOfBirth: '2013-05-06',
  sex: 'male',
  classId: F.class6A1,
  admissionDate: '2025-09-05',
  ...over,
});

async function exportedRows(url: string, who: 'principalA1' | 'admin' = 'principalA1'): Promise<string[][]> {
  const s = await ctx.as(who);
  const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell((cell) => {
      // A formula cell would have a `formula`; everything we write must be plain text or numbers.
      expect(cell.formula, `cell ${cell.address}`).toBeUndefined();
      cells.push(xlsxCellText(cell.value));
    });
    rows.push(cells);
  });
  return rows;
}

describe('stored XSS: markup is kept as text and comes back inert', () => {
  it('an address, birthplace and guardian occupation full of markup round-trip byte for byte as JSON', async () => {
    const s = await ctx.as('principalA1');
    const created = await s.post(
      `${A1}/students`,
      newStudent({
        address: XSS[0],
        birthplace: XSS[2],
        guardians: [{ relation: 'father', fullName: 'Lò Văn Pảo', occupation: XSS[1] }],
      }),
    );
    expect(created.statusCode, created.body).toBe(200);
    const profile = await s.get(`${A1}/students/${created.json().id}`);
    expect(profile.headers['content-type']).toMatch(/^application\/json/);
    expect(profile.json().address).toBe(XSS[0]);
    expect(profile.json().birthplace).toBe(XSS[2]);
    expect(profile.json().guardians[0].occupation).toBe(XSS[1]);
    // The single-page app is the only HTML the server sends, and its CSP forbids inline script.
    const csp = String((await ctx.app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline\'; script');
  });

  it('a name made of markup is refused with a Vietnamese message, from the form and from guardians', async () => {
    const s = await ctx.as('principalA1');
    for (const body of [newStudent({ fullName: XSS[0] }), newStudent({ guardians: [{ relation: 'mother', fullName: '<b>Mẹ</b>' }] })]) {
      const res = await s.post(`${A1}/students`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/^Họ (và tên|tên người giám hộ thứ 1): họ tên có ký tự không được dùng \(/);
    }
  });

  it('exports keep markup and formulas as plain text cells (never a formula)', async () => {
    const admin = await ctx.as('admin');
    const formula = XSS.find((x) => x.startsWith('='))!;
    const renamed = await admin.post(`/api/v1/org-units/${F.schoolA2}/rename`, { name: formula, effectiveDate: '2025-10-01', reason: XSS[1] });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const cells = (await exportedRows(`/api/v1/audit/export.xlsx?unitId=${F.provinceA}`, 'admin')).flat();
    // The unit's new name starts with "=": written as text behind an apostrophe, as OWASP advises.
    expect(cells).toContain(`'${formula}`);
    // The address stored in the first test shows, as literal text, in the change log export.
    expect(cells.some((c) => c.includes(XSS[0]!))).toBe(true);
  });
});

describe('Unicode canonical forms (NFC) and invisible characters', () => {
  it('a name typed in decomposed form (NFD, macOS) is stored composed and found by either form', async () => {
    const s = await ctx.as('principalA1');
    const nfd = 'Nguyễn Thị Ánh Tuyết'.normalize('NFD');
    const res = await s.post(`${A1}/students`, newStudent({ fullName: nfd, sex: 'female' }));
    expect(res.statusCode, res.body).toBe(200);
    const stored = await ctx.handle.db.selectFrom('student').select(['given_name', 'middle_name']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(stored.given_name).toBe('Tuyết'.normalize('NFC'));
    expect(stored.given_name).not.toBe('Tuyết'.normalize('NFD'));
    for (const q of ['Ánh Tuyết'.normalize('NFD'), 'Ánh Tuyết', 'anh tuyet']) {
      const list = await s.get(`${A1}/students?q=${encodeURIComponent(q)}`);
      expect(list.json().items.map((i: { fullName: string }) => i.fullName)).toContain('Nguyễn Thị Ánh Tuyết');
    }
  });

  it('zero-width, bidi-override and control characters are removed before validation and storage', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(
      `${A1}/students`,
      newStudent({ fullName: 'Đinh\u200B Văn\u00AD Kh\u202Eải', address: 'Thôn\u0000 3\u2066, xã Tân\u200D Lập' }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const profile = (await s.get(`${A1}/students/${res.json().id}`)).json();
    expect(profile.fullName).toBe('Đinh Văn Khải');
    expect(profile.address).toBe('Thôn 3, xã Tân Lập');
  });

  it('passwords are not rewritten: a password with a zero-width character must match exactly', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ht.a1', password: `${F.password}\u200B` } });
    expect(res.statusCode).toBe(401);
  });
});

describe('CSRF: every state-changing route refuses a request without the session token', () => {
  it('no header or a wrong header → 403 csrf_failed, and nothing is written', async () => {
    const s = await ctx.as('admin');
    const auditBefore = await ctx.handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const unsafe = ctx.app.declaredRoutes.filter((r) => r.method !== 'GET' && r.permission.access !== 'public');
    expect(unsafe.length).toBeGreaterThan(20);
    for (const route of unsafe) {
      const url = `/api${route.url.replace(/^\/api/, '')}`.replace(/:(\w+)/g, (_, n: string) => ({ schoolId: F.schoolA1, unitId: F.schoolA1, studentId: F.studentBinh })[n] ?? F.schoolA1);
      for (const token of [undefined, 'sai-ma', s.csrf.slice(0, -1)]) {
        const headers: Record<string, string> = { cookie: s.cookie };
        if (token !== undefined) headers['x-csrf-token'] = token;
        const res = await ctx.app.inject({ method: route.method as 'POST', url, headers, payload: {} });
        expect(res.statusCode, `${route.method} ${route.url} token=${token}`).toBe(403);
        expect(res.json().code).toBe('csrf_failed');
      }
    }
    const auditAfter = await ctx.handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
  });

  it('the session cookie is HttpOnly and SameSite=Lax, so another site can neither read nor send it on a POST', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gv.a1', password: F.password } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});

describe('session fixation', () => {
  it('a session id chosen by an attacker is never adopted, and an existing one is replaced at login', async () => {
    const planted = 'a'.repeat(43);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: `${SESSION_COOKIE}=${planted}` },
      payload: { username: 'gvcn.a1', password: F.password },
    });
    expect(res.statusCode).toBe(200);
    const issued = String(res.headers['set-cookie']).match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))![1]!;
    expect(issued).not.toBe(planted);
    const me = (cookie: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect((await me(planted)).statusCode).toBe(401);
    expect((await me(issued)).statusCode).toBe(200);
    // Logging in again on the same browser (say, as another person) ends the previous session.
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: `${SESSION_COOKIE}=${issued}` },
      payload: { username: 'gv.a1', password: F.password },
    });
    expect(again.statusCode).toBe(200);
    expect((await me(issued)).statusCode).toBe(401);
  });
});

describe('path traversal', () => {
  it('static files: encoded and double-encoded ../ never leave the web folder', async () => {
    for (const url of [
      '/../../../../etc/passwd',
      '/assets/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/..%252f..%252f..%252fetc%252fpasswd',
      '/assets/..%5c..%5c..%5cetc%5cpasswd',
      '/assets/app.js%00.html',
      '/..%2fpackage.json',
    ]) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toContain('root:x:0:0');
      expect(res.body, url).not.toContain('"truong-so"');
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/assets/app.js' })).body).toBe('console.log(1)');
  });

  it('an uploaded file name with ../, NUL and a bidi override is reduced to a harmless base name', async () => {
    const s = await ctx.as('principalA1');
    const boundary = '----ts';
    const name = '..\\..\\../../etc/\u202Expsl\u0000x.xlsx';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.from('not a zip'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `${A1}/imports?kind=students&mode=all`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect([400, 415]).toContain(res.statusCode);
    expect(res.body).not.toContain('../');
    expect(res.body).not.toContain('\u202E');
  });

  it('download names in Content-Disposition carry no path, quote or line break', async () => {
    const s = await ctx.as('principalA1');
    const res = await ctx.app.inject({ method: 'GET', url: `${A1}/students/export.xlsx`, headers: { cookie: s.cookie } });
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[^"\r\n/\\]+$/);
  });
});

describe('slow clients (slowloris)', () => {
  it('the production defaults bound every phase of a request', async () => {
    const { defaultAppConfig } = await import('../app.js');
    const t = defaultAppConfig.timeouts;
    expect(t.idleMs).toBeLessThanOrEqual(60_000);
    expect(t.headersMs).toBeLessThanOrEqual(30_000);
    expect(t.requestMs).toBeLessThanOrEqual(180_000);
    expect(ctx.app.server.headersTimeout).toBe(t.headersMs);
    expect(ctx.app.server.requestTimeout).toBe(t.requestMs);
  });

  it('a client that trickles its headers is cut off when the headers timeout passes', async () => {
    const app = await buildApp(ctx.handle, { timeouts: { idleMs: 5_000, headersMs: 1_000, requestMs: 2_000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    afterAll(() => app.close());
    const { port } = app.server.address() as AddressInfo;
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'));
      // One header byte every 200 ms: never idle, never finished.
      const drip = setInterval(() => socket.writable && socket.write('X'), 200);
      socket.on('close', () => {
        clearInterval(drip);
        resolve(performance.now() - t0);
      });
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error('the server kept a trickling client for 10 s')), 10_000);
    });
    // Node checks the headers timer every few seconds (connectionsCheckingInterval), so allow that.
    expect(closedAfter).toBeGreaterThanOrEqual(900);
    expect(closedAfter).toBeLessThan(8_000);
  });
});
