import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { buildApp } from '../../app.js';
import { PAIR_LOCK_MINUTES, PAIR_MAX_ATTEMPTS } from '../../platform/login-throttle.js';

// Temporary passwords and the change-password form (issue 7): an account whose password was set
// by an administrator opens nothing but the change form (before: it exported a whole school through
// the API), and guessing the current password is limited like signing in.
const ctx = await setupTestApp();
const db = ctx.handle.db;

type Res = Awaited<ReturnType<typeof ctx.app.inject>>;
type Signed = { cookie: string; csrf: string; res: Res };

async function signIn(username: string, password: string, remoteAddress = '127.0.0.1', app = ctx.app): Promise<Signed> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const cookie = `ts_sid=${res.cookies.find((c) => c.name === 'ts_sid')!.value}`;
  return { cookie, csrf: res.json().csrfToken as string, res };
}
const call = (s: Signed, method: string, url: string, payload?: unknown, remoteAddress = '127.0.0.1', app = ctx.app) =>
  app.inject({
    method: method as 'GET',
    url,
    remoteAddress,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    payload: method === 'GET' || method === 'DELETE' ? undefined : ((payload ?? {}) as object),
  });
const changePassword = (s: Signed, currentPassword: string, newPassword = 'MatKhauMoi2026', remoteAddress = '127.0.0.1', app = ctx.app) =>
  call(s, 'POST', '/api/v1/auth/change-password', { currentPassword, newPassword }, remoteAddress, app);

/** A school-staff account of school A1 made by its principal: it starts with a temporary password. */
async function newStaffAccount(username: string, password = 'TamThoi2025x') {
  const principal = await ctx.as('principalA1');
  const res = await principal.post('/api/v1/users', { username, displayName: 'Nhân viên mới', password, role: 'school_staff', orgUnitId: F.schoolA1 });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().mustChangePassword).toBe(true);
  return { id: res.json().id as string, username, password };
}

const OPEN_BEFORE_CHANGE = new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/change-password']);
const fillPath = (url: string) =>
  url.replace(/:(\w+)/g, (_, name: string) => (name === 'kind' ? 'students' : name === 'list' ? 'DM_DAN_TOC' : name === 'studentId' ? F.studentBinh : F.schoolA1));

describe('a temporary password opens only the way to change it', () => {
  it('every other route of the API answers 403 password_change_required; me says so; nothing of the school comes back', async () => {
    const account = await newStaffAccount('nv.tam.thoi');
    const s = await signIn(account.username, account.password);
    expect(s.res.json().mustChangePassword).toBe(true);
    const me = await call(s, 'GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'nv.tam.thoi', mustChangePassword: true });

    const failures: string[] = [];
    let refused = 0;
    for (const route of ctx.app.declaredRoutes) {
      const name = `${route.method} ${route.url}`;
      if (route.permission.access === 'public' || OPEN_BEFORE_CHANGE.has(name)) continue;
      const res = await call(s, route.method, fillPath(route.url));
      refused++;
      if (res.statusCode !== 403) failures.push(`${name}: ${res.statusCode}`);
      else if (res.json().code !== 'password_change_required') failures.push(`${name}: ${res.json().code}`);
      else if (/Bình|Lê Lợi|Nguyễn Văn An/.test(res.body)) failures.push(`${name}: leaks school data`);
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(45);
    const refusal = await call(s, 'GET', `/api/v1/schools/${F.schoolA1}/students/export.xlsx`);
    expect(refusal.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refusal.json().detail).toBe('Bạn đang dùng mật khẩu tạm thời. Hãy đổi mật khẩu trước khi tiếp tục.');
  });

  it('after the change (which signs the session out) the new password opens the school as the role allows', async () => {
    const account = await newStaffAccount('nv.tam.thoi.2');
    const s = await signIn(account.username, account.password);
    expect((await call(s, 'GET', `/api/v1/schools/${F.schoolA1}/students`)).statusCode).toBe(403);
    expect((await changePassword(s, 'sai-mat-khau-1')).json().code).toBe('wrong_current_password');
    const changed = await changePassword(s, account.password);
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await call(s, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const again = await signIn(account.username, 'MatKhauMoi2026');
    expect(again.res.json().mustChangePassword).toBe(false);
    const list = await call(again, 'GET', `/api/v1/schools/${F.schoolA1}/students`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { fullName: string }) => i.fullName)).toContain('Đặng Thị Bình');
  });

  it('an administrator\'s reset puts a signed-in account back behind the change form', async () => {
    const s = await signIn('nv.a1', F.password);
    expect((await call(s, 'GET', `/api/v1/schools/${F.schoolA1}/students`)).statusCode).toBe(200);
    const principal = await ctx.as('principalA1');
    expect((await principal.post(`/api/v1/users/${F.users.staffA1}/reset-password`, { newPassword: 'DatLai2026x' })).statusCode).toBe(200);
    expect((await call(s, 'GET', `/api/v1/schools/${F.schoolA1}/students`)).statusCode).toBe(401);
    const again = await signIn('nv.a1', 'DatLai2026x');
    const res = await call(again, 'GET', `/api/v1/schools/${F.schoolA1}/students`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('password_change_required');
  });
});

describe('guessing the current password is limited like signing in', () => {
  it(`${PAIR_MAX_ATTEMPTS} wrong current passwords lock the form, even for the right one; audited; the administrator's unlock lifts it`, async () => {
    const s = await signIn('gv.a1', F.password);
    const answers: { code: string; detail: string }[] = [];
    for (let i = 0; i < PAIR_MAX_ATTEMPTS; i++) answers.push((await changePassword(s, `doan-${i}`)).json());
    expect(answers.map((a) => a.code)).toEqual(Array(PAIR_MAX_ATTEMPTS).fill('wrong_current_password'));
    // The try before the lock says so (issue 8).
    expect(answers.map((a) => a.detail)).toEqual([
      ...Array(PAIR_MAX_ATTEMPTS - 2).fill('Mật khẩu hiện tại không đúng.'),
      `Mật khẩu hiện tại không đúng. Còn 1 lần thử trước khi chức năng đổi mật khẩu bị khóa ${PAIR_LOCK_MINUTES} phút.`,
      `Mật khẩu hiện tại không đúng. Chức năng đổi mật khẩu đã bị tạm khóa ${PAIR_LOCK_MINUTES} phút.`,
    ]);
    const locked = await changePassword(s, F.password);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('password_change_locked');
    expect(locked.json().detail).toMatch(/^Đã nhập sai mật khẩu hiện tại nhiều lần nên tạm khóa chức năng đổi mật khẩu\. Vui lòng thử lại sau 15 phút/);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'org_unit_id', 'subject_unit_ids', 'after'])
      .where('entity_id', '=', F.users.mathA1)
      .where('action', '=', 'user.change_password_locked')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ org_unit_id: F.schoolA1, subject_unit_ids: [F.schoolA1] });
    // Signing in is a different door: the account is not locked out of it.
    expect((await call(s, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const principal = await ctx.as('principalA1');
    expect((await principal.post(`/api/v1/users/${F.users.mathA1}/unlock`)).statusCode).toBe(200);
    expect((await changePassword(s, F.password, 'MatKhauMoi2026')).statusCode).toBe(200);
  });

  it('parallel guesses: the attempts are counted before the password check, so at most five are checked', async () => {
    const s = await signIn('ph.an', F.password);
    const res = await Promise.all(Array.from({ length: 20 }, (_, i) => changePassword(s, `song-song-${i}`)));
    const codes = res.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 400).length).toBe(PAIR_MAX_ATTEMPTS);
    expect(codes.filter((c) => c !== 400).every((c) => c === 423 || c === 429)).toBe(true);
  });

  it('the per-address limit of sign-in applies to the change form too', async () => {
    const app = await buildApp(ctx.handle, { loginRatePerMinute: 4 });
    try {
      const s = await signIn('so.b', F.password, '198.51.100.77', app);
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await changePassword(s, `doan-${i}`, 'MatKhauMoi2026', '198.51.100.77', app)).statusCode);
      expect(codes.slice(0, 4)).toEqual([400, 400, 400, 400]);
      expect(codes.slice(4)).toEqual([429, 429]);
    } finally {
      await app.close();
    }
  });
});
