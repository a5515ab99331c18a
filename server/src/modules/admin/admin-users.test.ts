import { describe, expect, it } from 'vitest';
import { compareVietnameseText } from '../../../../domain/text/compare-text.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();
const db = ctx.handle.db;

type User = {
  id: string;
  username: string;
  displayName: string;
  lockedUntil: string | null;
  mustChangePassword?: boolean;
  hasGrantsElsewhere?: boolean;
  grants: { id: string; role: string; orgUnitId: string; orgUnitName: string }[];
};

const login = (username: string, password: string) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

const auditRows = (action: string, entityId: string) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity_id', '=', entityId).execute();

/** A fresh teacher in school A1 to link accounts to. */
async function newStaff(fullName: string): Promise<string> {
  const res = await (await ctx.as('principalA1')).post(`/api/v1/schools/${F.schoolA1}/staff`, { fullName });
  expect(res.statusCode).toBe(200);
  return res.json().id;
}

describe('GET /users', () => {
  it('lists accounts with a role on the unit, sorted by display name in Vietnamese order', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`/api/v1/users?unitId=${F.schoolA1}`);
    expect(res.statusCode).toBe(200);
    const users = res.json() as User[];
    expect(users.map((u) => u.username).sort()).toEqual(['gv.a1', 'gvcn.a1', 'hs.an', 'ht.a1', 'nv.a1', 'ph.an', 'ph.cuong'].sort());
    const names = users.map((u) => u.displayName);
    expect(names).toEqual([...names].sort(compareVietnameseText));
    expect(names[0]).toBe('Lê Thị Hoa');
    expect(users.find((u) => u.username === 'ht.a1')!.grants).toEqual([
      { id: expect.any(String), role: 'principal', orgUnitId: F.schoolA1, orgUnitName: 'Trường THCS Lê Lợi' },
    ]);
  });

  it('an office sees the accounts of its whole subtree (today), not other provinces', async () => {
    const s = await ctx.as('soA');
    const users = (await s.get(`/api/v1/users?unitId=${F.provinceA}`)).json() as User[];
    const names = users.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['so.a', 'xa.a', 'ht.a1', 'gvcn.a1']));
    expect(names).not.toContain('so.b');
    expect(names).not.toContain('ht.b1');
    expect(names).not.toContain('admin');
  });

  it('searches names without accents', async () => {
    const s = await ctx.as('principalA1');
    const hits = async (q: string) => ((await s.get(`/api/v1/users?unitId=${F.schoolA1}&q=${encodeURIComponent(q)}`)).json() as User[]).map((u) => u.username);
    expect(await hits('phu huynh')).toEqual(['ph.an', 'ph.cuong']);
    expect(await hits('ĐỨC')).toEqual(['gv.a1']);
    expect(await hits('gvcn')).toEqual(['gvcn.a1']);
    expect(await hits('%')).toEqual([]);
    // Words are matched at their start (issue 8): "uc" is inside "Đức", not the start of a word.
    expect(await hits('uc')).toEqual([]);
    expect(await hits('duc')).toEqual(['gv.a1']);
  });

  it('refuses other tenants, teachers and parents with 404, and a missing unit with 404 (access is decided before the query is validated)', async () => {
    for (const who of ['principalB1', 'soB', 'homeroomA1', 'staffA1', 'parentA'] as const) {
      expect((await (await ctx.as(who)).get(`/api/v1/users?unitId=${F.schoolA1}`)).statusCode, who).toBe(404);
    }
    expect((await (await ctx.as('principalA1')).get('/api/v1/users')).statusCode).toBe(404);
  });
});

describe('POST /users', () => {
  it('a principal creates a teacher account linked to a staff member; it must change its password', async () => {
    const staffId = await newStaff('Ngô Văn Mới');
    const s = await ctx.as('principalA1');
    const res = await s.post('/api/v1/users', {
      username: 'GV.Moi',
      displayName: 'Ngô Văn Mới',
      password: 'MatKhau2025',
      role: 'subject_teacher',
      orgUnitId: F.schoolA1,
      staffId,
    });
    expect(res.statusCode).toBe(200);
    const user = res.json() as User;
    expect(user).toMatchObject({ username: 'gv.moi', displayName: 'Ngô Văn Mới', mustChangePassword: true, lockedUntil: null });
    expect(user.grants).toEqual([{ id: expect.any(String), role: 'subject_teacher', orgUnitId: F.schoolA1, orgUnitName: 'Trường THCS Lê Lợi' }]);
    const row = await db.selectFrom('app_user').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ staff_school_id: F.schoolA1, staff_id: staffId, must_change_password: true });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const [audit] = await auditRows('user.create', user.id);
    expect(audit).toMatchObject({ org_unit_id: F.schoolA1, username: 'ht.a1' });
    expect(audit!.after).toMatchObject({ username: 'gv.moi', role: 'subject_teacher', staffId });
    const stored = JSON.stringify([audit!.before, audit!.after]);
    expect(stored).not.toContain('MatKhau2025');
    expect(stored).not.toContain('argon2');
    expect(stored.toLowerCase()).not.toContain('password_hash');

    const signIn = await login('gv.moi', 'MatKhau2025');
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json()).toMatchObject({ mustChangePassword: true, staff: { schoolId: F.schoolA1, staffId } });
  });

  it('a principal cannot create a province officer: 404 on the province, 403 with a Vietnamese reason on the school', async () => {
    const s = await ctx.as('principalA1');
    const body = { username: 'cv.moi', displayName: 'Chuyên viên mới', password: 'MatKhau2025', role: 'province_officer' };
    const onProvince = await s.post('/api/v1/users', { ...body, orgUnitId: F.provinceA });
    expect(onProvince.statusCode).toBe(404);
    const onSchool = await s.post('/api/v1/users', { ...body, orgUnitId: F.schoolA1 });
    expect(onSchool.statusCode).toBe(403);
    expect(onSchool.json()).toMatchObject({
      code: 'role_too_high',
      detail:
        'Bạn không thể cấp vai trò "Chuyên viên Sở GD&ĐT": với vai trò "Hiệu trưởng", bạn chỉ cấp được các vai trò thấp hơn. Hãy đề nghị cấp trên tạo tài khoản này.',
    });
    const principal = await s.post('/api/v1/users', { ...body, role: 'principal', orgUnitId: F.schoolA1 });
    expect(principal.statusCode).toBe(403);
    const admin = await s.post('/api/v1/users', { ...body, role: 'system_admin', orgUnitId: F.schoolA1 });
    expect(admin.json().detail).toBe('Chỉ quản trị hệ thống mới cấp được vai trò "Quản trị hệ thống".');
    expect(await db.selectFrom('app_user').select('id').where('username', '=', 'cv.moi').executeTakeFirst()).toBeUndefined();
  });

  it('a principal cannot create an account on another school', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post('/api/v1/users', { username: 'ph.b1', displayName: 'Phụ huynh B1', password: 'MatKhau2025', role: 'parent', orgUnitId: F.schoolB1 });
    expect(res.statusCode).toBe(404);
    expect(await db.selectFrom('app_user').select('id').where('username', '=', 'ph.b1').executeTakeFirst()).toBeUndefined();
  });

  it('checks password strength, username, links and the kind of unit', async () => {
    const s = await ctx.as('principalA1');
    const base = { displayName: 'Phụ huynh mới', password: 'MatKhau2025', role: 'parent', orgUnitId: F.schoolA1 };
    const weak = await s.post('/api/v1/users', { ...base, username: 'ph.moi', password: 'abcdefgh' });
    expect(weak.json()).toMatchObject({ code: 'weak_password', detail: 'Mật khẩu phải có cả chữ và số.' });
    const short = await s.post('/api/v1/users', { ...base, username: 'ph.moi', password: 'ab1' });
    expect(short.json()).toMatchObject({ code: 'validation_failed', detail: 'Mật khẩu: mật khẩu phải có ít nhất 8 ký tự.' });
    const taken = await s.post('/api/v1/users', { ...base, username: 'ht.a1' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'username_taken', detail: 'Tên đăng nhập "ht.a1" đã được dùng. Hãy chọn tên khác.' });
    const badName = await s.post('/api/v1/users', { ...base, username: 'a b' });
    expect(badName.json().detail).toBe('Tên đăng nhập: tên đăng nhập gồm 3–40 ký tự a-z, số, dấu chấm, gạch.');
    const foreignStaff = await s.post('/api/v1/users', { ...base, username: 'gv.x', role: 'subject_teacher', staffId: F.principalB1 });
    expect(foreignStaff.json()).toMatchObject({ code: 'staff_not_in_school' });
    const noStaff = await s.post('/api/v1/users', { ...base, username: 'gv.x', role: 'homeroom_teacher' });
    expect(noStaff.json()).toMatchObject({ code: 'staff_required' });
    const linked = await s.post('/api/v1/users', { ...base, username: 'gv.x', role: 'subject_teacher', staffId: F.teacherMath });
    expect(linked.statusCode).toBe(409);
    expect(linked.json()).toMatchObject({ code: 'staff_has_account', detail: 'Cán bộ, giáo viên này đã có tài khoản "gv.a1". Hãy dùng tài khoản đó.' });
    const foreignStudent = await s.post('/api/v1/users', { ...base, username: 'hs.x', role: 'student', studentId: F.studentB1 });
    expect(foreignStudent.json()).toMatchObject({ code: 'student_not_in_school' });
    const parent = await s.post('/api/v1/users', { ...base, username: 'ph.moi' });
    expect(parent.statusCode).toBe(200);
    const student = await s.post('/api/v1/users', { ...base, displayName: 'Đặng Thị Bình', username: 'hs.binh', role: 'student', studentId: F.studentBinh });
    expect(student.statusCode).toBe(200);
  });

  it('offices create principals and officers below them, with roles fitting the unit', async () => {
    const s = await ctx.as('soA');
    const base = { password: 'MatKhau2025' };
    const principal = await s.post('/api/v1/users', { ...base, username: 'ht.a2', displayName: 'Hiệu trưởng A2', role: 'principal', orgUnitId: F.schoolA2 });
    expect(principal.statusCode).toBe(200);
    const commune = await s.post('/api/v1/users', { ...base, username: 'xa.a1.moi', displayName: 'Cán bộ xã', role: 'district_officer', orgUnitId: F.communeA1 });
    expect(commune.statusCode).toBe(200);
    const peer = await s.post('/api/v1/users', { ...base, username: 'so.a2', displayName: 'Chuyên viên Sở', role: 'province_officer', orgUnitId: F.provinceA });
    expect(peer.statusCode).toBe(403);
    const mismatch = await s.post('/api/v1/users', { ...base, username: 'gv.so', displayName: 'Giáo viên', role: 'parent', orgUnitId: F.provinceA });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({
      code: 'role_unit_mismatch',
      detail: 'Vai trò "Cha mẹ học sinh" chỉ cấp được tại trường; đơn vị đã chọn (Sở GD&ĐT tỉnh An Giang Thử) là Sở GD&ĐT.',
    });
    const other = await s.post('/api/v1/users', { ...base, username: 'ht.b2', displayName: 'Hiệu trưởng B', role: 'principal', orgUnitId: F.schoolB1 });
    expect(other.statusCode).toBe(404);
  });

  it('only a system administrator creates another one', async () => {
    const s = await ctx.as('admin');
    const res = await s.post('/api/v1/users', { username: 'qt.moi', displayName: 'Quản trị mới', password: 'MatKhau2025', role: 'system_admin', orgUnitId: F.ministry });
    expect(res.statusCode).toBe(200);
    const so = await ctx.as('soA');
    const refused = await so.post('/api/v1/users', { username: 'qt.x', displayName: 'Quản trị', password: 'MatKhau2025', role: 'system_admin', orgUnitId: F.provinceA });
    expect(refused.statusCode).toBe(403);
  });
});

describe('grants', () => {
  const userIdOf = async (username: string) => (await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  it('adds and removes roles with audit rows; refuses duplicates, higher roles and the last role', async () => {
    const s = await ctx.as('principalA1');
    const userId = await userIdOf('ph.moi');
    const added = await s.post(`/api/v1/users/${userId}/grants`, { role: 'school_staff', orgUnitId: F.schoolA1 });
    expect(added.statusCode).toBe(200);
    const grants = (added.json() as User).grants;
    expect(grants.map((g) => g.role)).toEqual(['parent', 'school_staff']);
    const newGrant = grants.find((g) => g.role === 'school_staff')!;
    expect((await auditRows('role_grant.create', newGrant.id))[0]!.after).toMatchObject({ role: 'school_staff', orgUnitId: F.schoolA1 });

    const dup = await s.post(`/api/v1/users/${userId}/grants`, { role: 'school_staff', orgUnitId: F.schoolA1 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'grant_exists', detail: 'Tài khoản ph.moi đã có vai trò "Nhân viên trường" tại Trường THCS Lê Lợi.' });
    expect((await s.post(`/api/v1/users/${userId}/grants`, { role: 'principal', orgUnitId: F.schoolA1 })).statusCode).toBe(403);
    expect((await s.post(`/api/v1/users/${userId}/grants`, { role: 'parent', orgUnitId: F.schoolB1 })).statusCode).toBe(404);
    const teacher = await s.post(`/api/v1/users/${userId}/grants`, { role: 'subject_teacher', orgUnitId: F.schoolA1 });
    expect(teacher.json().code).toBe('staff_required');

    const removed = await s.del(`/api/v1/users/${userId}/grants/${newGrant.id}`);
    expect(removed.statusCode).toBe(200);
    expect((removed.json() as User).grants.map((g) => g.role)).toEqual(['parent']);
    expect((await auditRows('role_grant.delete', newGrant.id))[0]!.before).toMatchObject({ role: 'school_staff' });
    const lastId = (removed.json() as User).grants[0]!.id;
    const last = await s.del(`/api/v1/users/${userId}/grants/${lastId}`);
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('last_grant');
    expect((await s.del(`/api/v1/users/${userId}/grants/${F.ministry}`)).statusCode).toBe(404);
  });

  it('managing an account needs authority over every unit it has a role on', async () => {
    // gv.moi gets a parent role in school B1 from the Sở B: principal A1 no longer manages it.
    const userId = await userIdOf('gv.moi');
    const soB = await ctx.as('soB');
    const a1Grant = await soB.post(`/api/v1/users/${userId}/grants`, { role: 'parent', orgUnitId: F.schoolB1 });
    expect(a1Grant.statusCode).toBe(404); // the Sở B does not manage the account's A1 role either
    const admin = await ctx.as('admin');
    expect((await admin.post(`/api/v1/users/${userId}/grants`, { role: 'parent', orgUnitId: F.schoolB1 })).statusCode).toBe(200);
    const s = await ctx.as('principalA1');
    const res = await s.post(`/api/v1/users/${userId}/reset-password`, { newPassword: 'MatKhauMoi1' });
    expect(res.statusCode).toBe(404);
    expect((await s.post(`/api/v1/users/${userId}/unlock`)).statusCode).toBe(404);
    // The list shows the A1 role and says there are others.
    const listed = ((await s.get(`/api/v1/users?unitId=${F.schoolA1}&q=gv.moi`)).json() as User[])[0]!;
    expect(listed.grants.map((g) => g.orgUnitId)).toEqual([F.schoolA1]);
    expect(listed.hasGrantsElsewhere).toBe(true);
  });

  it('a principal cannot take over a peer or a higher account', async () => {
    const s = await ctx.as('principalA1');
    expect((await s.post(`/api/v1/users/${F.users.soA}/reset-password`, { newPassword: 'MatKhauMoi1' })).statusCode).toBe(404);
    const admin = await ctx.as('admin');
    const peer = await admin.post('/api/v1/users', { username: 'pht.a1', displayName: 'Phó hiệu trưởng', password: 'MatKhau2025', role: 'principal', orgUnitId: F.schoolA1 });
    const res = await s.post(`/api/v1/users/${(peer.json() as User).id}/reset-password`, { newPassword: 'MatKhauMoi1' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'user_too_high' });
    expect((await s.post(`/api/v1/users/${F.users.principalB1}/reset-password`, { newPassword: 'MatKhauMoi1' })).statusCode).toBe(404);
  });
});

describe('POST /users/:userId/reset-password', () => {
  it('sets a new password, forces a change at next sign-in, ends every session, and audits without secrets', async () => {
    const teacher = await ctx.as('mathA1');
    expect((await teacher.get('/api/v1/auth/me')).statusCode).toBe(200);
    const s = await ctx.as('principalA1');
    const weak = await s.post(`/api/v1/users/${F.users.mathA1}/reset-password`, { newPassword: '12345678' });
    expect(weak.json()).toMatchObject({ code: 'weak_password', detail: 'Mật khẩu phải có cả chữ và số.' });
    const res = await s.post(`/api/v1/users/${F.users.mathA1}/reset-password`, { newPassword: 'DatLai2025' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });

    expect((await teacher.get('/api/v1/auth/me')).statusCode).toBe(401);
    const sessions = await db.selectFrom('user_session').select('token_hash').where('user_id', '=', F.users.mathA1).execute();
    expect(sessions).toEqual([]);
    const row = await db.selectFrom('app_user').select(['must_change_password']).where('id', '=', F.users.mathA1).executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(true);
    expect((await login('gv.a1', F.password)).statusCode).toBe(401);
    const signIn = await login('gv.a1', 'DatLai2025');
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().mustChangePassword).toBe(true);

    const [audit] = await auditRows('user.reset_password', F.users.mathA1);
    expect(audit).toMatchObject({ org_unit_id: F.schoolA1, username: 'ht.a1' });
    expect(audit!.before).toMatchObject({ mustChangePassword: false });
    expect(audit!.after).toMatchObject({ mustChangePassword: true, sessionsEnded: true });
    expect(JSON.stringify([audit!.before, audit!.after])).not.toContain('DatLai2025');
  });

  it('is refused to teachers and to other schools', async () => {
    expect((await (await ctx.as('homeroomA1')).post(`/api/v1/users/${F.users.parentA}/reset-password`, { newPassword: 'DatLai2025' })).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).post(`/api/v1/users/${F.users.parentA}/reset-password`, { newPassword: 'DatLai2025' })).statusCode).toBe(404);
    // A malformed id fails validation before anything is looked up.
    expect((await (await ctx.as('principalA1')).post('/api/v1/users/not-a-uuid/reset-password', { newPassword: 'DatLai2025' })).statusCode).toBe(404);
    expect((await (await ctx.as('principalA1')).post(`/api/v1/users/${F.ministry}/reset-password`, { newPassword: 'DatLai2025' })).statusCode).toBe(404);
  });
});

describe('POST /users/:userId/unlock', () => {
  // Locks live in login_attempt (per name and client) and login_backoff (per account), decision
  // 0010: an unlock clears both.
  it('clears the (name, address) locks and the account back-off, with an audit row', async () => {
    const until = new Date(Date.now() + 10 * 60_000);
    await db.insertInto('login_attempt').values({ username: 'ph.cuong', client: 'ip:127.0.0.1', attempts: 0, locked_until: until }).execute();
    await db.insertInto('login_backoff').values({ username: 'ph.cuong', window_started_at: new Date(), attempts: 0, locked_until: new Date(Date.now() + 5 * 60_000) }).execute();
    expect((await login('ph.cuong', F.password)).statusCode).toBe(423);
    const s = await ctx.as('principalA1');
    const listed = ((await s.get(`/api/v1/users?unitId=${F.schoolA1}&q=ph.cuong`)).json() as User[])[0]!;
    expect(listed.lockedUntil).toBe(until.toISOString());
    const res = await s.post(`/api/v1/users/${F.users.parentC}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(await db.selectFrom('login_attempt').selectAll().where('username', '=', 'ph.cuong').execute()).toEqual([]);
    expect(await db.selectFrom('login_backoff').selectAll().where('username', '=', 'ph.cuong').execute()).toEqual([]);
    const [audit] = await auditRows('user.unlock', F.users.parentC);
    expect(audit!.before).toMatchObject({ lockedUntil: until.toISOString() });
    expect(audit!.after).toMatchObject({ lockedUntil: null });
    expect((await login('ph.cuong', F.password)).statusCode).toBe(200);
  });
});
