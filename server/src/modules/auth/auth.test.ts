import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { freshClass } from '../../../test/matrix-places.js';
import type { TMe } from '../../../../contracts/auth.js';
import { MAX_FAILED_LOGINS } from './auth.service.js';

const ctx = await setupTestApp();

describe('GET /api/health', () => {
  it('reports the engine in use', async () => {
    const res = await ctx.anonymous.get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });
});

describe('POST /api/v1/auth/login', () => {
  it('signs in with the right password and sets an HttpOnly session cookie', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ht.a1', password: F.password } });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/ts_sid=.+HttpOnly.*SameSite=Lax/i);
    const me = res.json();
    expect(me.grants).toEqual([expect.objectContaining({ role: 'principal', orgUnitId: F.schoolA1, orgUnitName: 'Trường THCS Lê Lợi' })]);
  });

  it('answers a wrong password and an unknown user the same way, as problem+json in Vietnamese', async () => {
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'so.b', password: 'sai-mat-khau1' } });
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'khong.co', password: 'sai-mat-khau1' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials', detail: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
    expect(unknown.json().code).toBe('invalid_credentials');
  });

  it('locks the account after repeated wrong passwords, even for the right password, and says so', async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nv.a1', password: `wrong-${i}x` } });
    }
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nv.a1', password: F.password } });
    expect(res.statusCode).toBe(423);
    expect(res.json().code).toBe('account_locked');
    const audit = await ctx.handle.db.selectFrom('audit_log').select('action').where('entity_id', '=', F.users.staffA1).execute();
    expect(audit.map((a) => a.action)).toContain('user.locked');
  });

  it('rejects a malformed body with a field-level Vietnamese message', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '', password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().detail).toContain('tên đăng nhập');
  });
});

describe('sessions and CSRF', () => {
  it('GET /auth/me needs a session', async () => {
    expect((await ctx.anonymous.get('/api/v1/auth/me')).statusCode).toBe(401);
    const s = await ctx.as('homeroomA1');
    const me = (await s.get('/api/v1/auth/me')).json();
    expect(me.username).toBe('gvcn.a1');
    expect(me.staff).toEqual({ schoolId: F.schoolA1, staffId: F.teacherHomeroom });
  });

  it('GET /auth/session says "signed out" as a 200 (the login page asks it: no console error), and gives the same user as /auth/me when signed in', async () => {
    const anonymous = await ctx.anonymous.get('/api/v1/auth/session');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ signedIn: false, me: null });
    const s = await ctx.as('homeroomA1');
    const session = await s.get('/api/v1/auth/session');
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ signedIn: true, me: (await s.get('/api/v1/auth/me')).json() });
    // A cookie that is no session (expired, forged) is "signed out" too, and no one else's session.
    const forged = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: 'ts_sid=forged-token' } });
    expect(forged.json()).toEqual({ signedIn: false, me: null });
  });

  it('a parent sees their own children in /auth/me', async () => {
    const s = await ctx.as('parentA');
    const me = (await s.get('/api/v1/auth/me')).json();
    expect(me.children).toEqual([{ schoolId: F.schoolA1, studentId: F.studentAn, fullName: 'Nguyễn Văn An', self: false }]);
  });

  it("a student's account sees its own record in /auth/me, and only it (not a classmate, not a record it is not linked to)", async () => {
    const s = await ctx.as('studentAn');
    const me = (await s.get('/api/v1/auth/me')).json() as TMe;
    expect(me.children).toEqual([{ schoolId: F.schoolA1, studentId: F.studentAn, fullName: 'Nguyễn Văn An', self: true }]);
    // The portal reads the own record's published results; a classmate's answers "not found" as before.
    expect((await s.get(`/api/v1/schools/${F.schoolA1}/students/${F.studentAn}/results`)).statusCode).toBe(200);
    expect((await s.get(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}/results`)).statusCode).toBe(404);
    // A record no longer current (moved on) is not listed: the account then has nothing to read there.
    await ctx.handle.db.updateTable('student').set({ is_current: false }).where('school_id', '=', F.schoolA1).where('id', '=', F.studentAn).execute();
    try {
      expect(((await s.get('/api/v1/auth/me')).json() as TMe).children).toEqual([]);
    } finally {
      await ctx.handle.db.updateTable('student').set({ is_current: true }).where('school_id', '=', F.schoolA1).where('id', '=', F.studentAn).execute();
    }
  });

  it('a staff account linked to no student lists no record of its own', async () => {
    const me = (await (await ctx.as('homeroomA1')).get('/api/v1/auth/me')).json() as TMe;
    expect(me.children).toEqual([]);
  });

  it('tells each school grant the school’s levels: its record’s, and those of the classes it keeps (the menu reads them); none for an office', async () => {
    const levelsOf = async (who: Parameters<typeof ctx.as>[0]) =>
      ((await (await ctx.as(who)).get('/api/v1/auth/me')).json() as TMe).grants.map((g) => [g.orgUnitId, g.schoolLevels]);
    expect(await levelsOf('principalB1')).toEqual([[F.schoolB1, ['upper_secondary']]]);
    expect(await levelsOf('soA')).toEqual([[F.provinceA, []]]);
    // A preschool class at the THPT (grade 0): the school now has the preschool pages too.
    await freshClass(ctx.handle.db, F.schoolB1, 0);
    expect(await levelsOf('principalB1')).toEqual([[F.schoolB1, ['preschool', 'upper_secondary']]]);
  });

  it('refuses a state-changing request without the CSRF header', async () => {
    const s = await ctx.as('admin');
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });

  it('logout ends the session on the server', async () => {
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'so.a', password: F.password } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = login.json().csrfToken;
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('sends security headers', async () => {
    const res = await ctx.anonymous.get('/api/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
