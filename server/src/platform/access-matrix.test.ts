import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../test/harness.js';
import { ACCOUNTS, SECRETS, TARGET, type Target, type Who, expectedByDeclaration, fillPath } from '../../test/route-targets.js';
import { xlsxCellText } from '../../test/xlsx-text.js';

/**
 * The access matrix, generated from the route table: every /api/v1 route × every fixture account
 * (one per role, in and out of scope) × a target inside school A1 (province A) and one inside
 * school B1 (province B). A route added later is covered without touching this file.
 *
 * Checked for every cell the declaration denies: the answer is 401/403/404, it is
 * problem+json, and it carries none of the target's data; denied writes change nothing.
 * Checked for every GET cell the declaration allows: the caller is not turned away (no 401/403).
 * The finer rules (teacher → own classes, parent → own child) have their own cases below.
 */
const ctx = await setupTestApp();

const sessions = new Map<Who, Session>();
async function send(who: Who | 'anonymous', method: string, url: string, body: unknown) {
  if (who === 'anonymous') {
    return ctx.app.inject({ method: method as 'GET', url, payload: method === 'GET' || method === 'DELETE' ? undefined : (body as object) });
  }
  let s = sessions.get(who);
  if (!s) {
    s = await ctx.as(who);
    sessions.set(who, s);
  }
  const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  return ctx.app.inject({ method: method as 'GET', url, headers, payload: method === 'GET' || method === 'DELETE' ? undefined : (body as object) });
}

let cells = 0;
afterAll(() => {
  console.log(`access matrix: ${ctx.app.declaredRoutes.length} routes × ${ACCOUNTS.length + 1} callers × 2 targets = ${cells} cells checked`);
});

describe('access matrix over every declared route', () => {
  it('covers every /api/v1 route and every route declares a permission', () => {
    const routes = ctx.app.declaredRoutes;
    expect(routes.length).toBeGreaterThan(45);
    for (const r of routes) expect(r.permission, `${r.method} ${r.url}`).toBeDefined();
  });

  it('denies out-of-scope callers with 401/403/404, without leaking data, and writes nothing', async () => {
    const auditBefore = await ctx.handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const failures: string[] = [];
    for (const route of ctx.app.declaredRoutes) {
      // Logging out would end the shared session of the next cells.
      if (route.url.endsWith('/auth/logout') || route.url.endsWith('/auth/login')) continue;
      for (const t of ['A', 'B'] as Target[]) {
        for (const who of [...ACCOUNTS, 'anonymous'] as const) {
          const expected = expectedByDeclaration(route.permission, who, t);
          if (expected !== 'deny') continue;
          cells++;
          const res = await send(who, route.method, fillPath(route.url, t), TARGET[t]);
          const where = `${route.method} ${route.url} as ${who} on ${t}`;
          if (![401, 403, 404].includes(res.statusCode)) failures.push(`${where}: ${res.statusCode}`);
          else if (!String(res.headers['content-type']).includes('application/problem+json')) failures.push(`${where}: not problem+json`);
          for (const secret of SECRETS[t]) if (res.body.includes(secret)) failures.push(`${where}: leaks "${secret}"`);
        }
      }
    }
    expect(failures).toEqual([]);
    const auditAfter = await ctx.handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
  });

  it('lets in-scope callers through on every GET route (never 401/403)', async () => {
    const failures: string[] = [];
    for (const route of ctx.app.declaredRoutes.filter((r) => r.method === 'GET')) {
      for (const t of ['A', 'B'] as Target[]) {
        for (const who of ACCOUNTS) {
          if (expectedByDeclaration(route.permission, who, t) !== 'allow') continue;
          cells++;
          const res = await send(who, 'GET', fillPath(route.url, t), undefined);
          if ([401, 403].includes(res.statusCode) || res.statusCode >= 500) failures.push(`${route.method} ${route.url} as ${who} on ${t}: ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('finer rules inside a school (services)', () => {
  const profile = (studentId: string) => `/api/v1/schools/${F.schoolA1}/students/${studentId}`;
  it.each([
    ['parentA', F.studentAn, 200],
    ['parentA', F.studentBinh, 404],
    ['parentC', F.studentAn, 404],
    ['studentAn', F.studentAn, 200],
    ['studentAn', F.studentBinh, 404],
    ['homeroomA1', F.studentBinh, 200],
    ['homeroomA1', F.studentCuong, 404],
    ['mathA1', F.studentCuong, 200],
    ['mathA1', F.studentAn, 404],
    ['principalA1', F.studentCuong, 200],
  ] as const)('%s reading profile %s → %i', async (who, studentId, status) => {
    const res = await send(who, 'GET', profile(studentId), undefined);
    expect(res.statusCode).toBe(status);
    if (status === 404) expect(res.body).not.toMatch(/Bình|Cường|Nguyễn Văn An/);
  });

  it('a teacher list, count and export hold only their classes', async () => {
    const list = (await send('mathA1', 'GET', `/api/v1/schools/${F.schoolA1}/students`, undefined)).json();
    expect(list.total).toBe(1);
    expect(list.items.map((i: { fullName: string }) => i.fullName)).toEqual(['Hoàng Quốc Cường']);
    const dash = (await send('mathA1', 'GET', `/api/v1/schools/${F.schoolA1}/dashboard`, undefined)).json();
    expect(dash.totals.students).toBe(1);
    const xlsx = await send('mathA1', 'GET', `/api/v1/schools/${F.schoolA1}/students/export.xlsx`, undefined);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(xlsxCellText(c.value))));
    expect(cells).toContain('Hoàng Quốc Cường');
    expect(cells.some((c) => c.includes('Bình') || c.includes('Nguyễn Văn An'))).toBe(false);
  });

  it('a parent cannot list the school', async () => {
    const res = await send('parentA', 'GET', `/api/v1/schools/${F.schoolA1}/students`, undefined);
    expect(res.statusCode).toBe(404);
  });
});
