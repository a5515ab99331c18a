import ExcelJS, { type CellValue } from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../../test/harness.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';
import { ACCOUNT_MAX_ATTEMPTS, PAIR_MAX_ATTEMPTS } from '../../platform/login-throttle.js';

// Security events about an account (issue 7): locks, back-offs and password changes are written
// against the units that hold the account's grants (an event without a unit appears in no audit
// view), so they show to the system administrator and to every such unit — not to other schools.
const ctx = await setupTestApp();

type Entry = { action: string; entityId: string | null; orgUnitName: string | null; after: Record<string, unknown> | null };
const login = (username: string, password: string, remoteAddress: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

let twoSchools = '';

beforeAll(async () => {
  // An account with grants in two schools of two provinces, made by the system administrator.
  const admin = await ctx.as('admin');
  const made = await admin.post('/api/v1/users', { username: 'ph.hai.truong', displayName: 'Phụ huynh hai trường', password: 'TamThoi2025x', role: 'parent', orgUnitId: F.schoolA1 });
  expect(made.statusCode, made.body).toBe(200);
  twoSchools = made.json().id;
  expect((await admin.post(`/api/v1/users/${twoSchools}/grants`, { role: 'parent', orgUnitId: F.schoolB1 })).statusCode).toBe(200);

  for (let i = 0; i < PAIR_MAX_ATTEMPTS; i++) {
    expect((await login('gv.a1', `doan-${i}`, '203.0.113.5')).statusCode).toBe(401); // school A1
    expect((await login('ht.b1', `doan-${i}`, '203.0.113.6')).statusCode).toBe(401); // school B1
    expect((await login('ph.hai.truong', `doan-${i}`, '203.0.113.7')).statusCode).toBe(401); // both
    expect((await login('khong.ai.ca', `doan-${i}`, '203.0.113.8')).statusCode).toBe(401); // nobody
  }
  for (let i = 0; i < ACCOUNT_MAX_ATTEMPTS; i++) await login('gvcn.a1', `doan-${i}`, `198.18.40.${i + 1}`); // school A1
  const parent = await ctx.as('parentA'); // school A1
  expect((await parent.post('/api/v1/auth/change-password', { currentPassword: F.password, newPassword: 'MatKhauMoi2026' })).statusCode).toBe(200);
});

async function seen(s: Session, unitId: string): Promise<Entry[]> {
  const res = await s.get(`/api/v1/audit?unitId=${unitId}&entity=app_user&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}
const key = (e: Entry) => `${e.action} ${e.entityId}`;

describe('account events in the audit viewer', () => {
  it('the principal of A1 sees the lockouts, back-off and password change of A1 accounts, with who and from where — not those of B1', async () => {
    const items = await seen(await ctx.as('principalA1'), F.schoolA1);
    const keys = items.map(key);
    expect(keys).toContain(`user.locked ${F.users.mathA1}`);
    expect(keys).toContain(`user.login_backoff ${F.users.homeroomA1}`);
    expect(keys).toContain(`user.change_password ${F.users.parentA}`);
    expect(keys).toContain(`user.locked ${twoSchools}`);
    expect(keys).not.toContain(`user.locked ${F.users.principalB1}`);
    const locked = items.find((e) => key(e) === `user.locked ${F.users.mathA1}`)!;
    expect(locked.orgUnitName).toBe('Trường THCS Lê Lợi');
    expect(locked.after).toMatchObject({ username: 'gv.a1', client: 'địa chỉ 203.0.113.5', failedAttempts: PAIR_MAX_ATTEMPTS });
    const backoff = items.find((e) => key(e) === `user.login_backoff ${F.users.homeroomA1}`)!;
    expect(backoff.after).toMatchObject({ username: 'gvcn.a1', failedAttempts: ACCOUNT_MAX_ATTEMPTS, backoffLevel: 1 });
  });

  it('the principal of B1 sees B1\'s and the two-school account\'s, not A1\'s', async () => {
    const keys = (await seen(await ctx.as('principalB1'), F.schoolB1)).map(key);
    expect(keys).toContain(`user.locked ${F.users.principalB1}`);
    expect(keys).toContain(`user.locked ${twoSchools}`);
    expect(keys).not.toContain(`user.locked ${F.users.mathA1}`);
    expect(keys).not.toContain(`user.change_password ${F.users.parentA}`);
  });

  it('a province officer sees the accounts granted below the province; the commune office those below it', async () => {
    const soA = (await seen(await ctx.as('soA'), F.provinceA)).map(key);
    expect(soA).toContain(`user.locked ${F.users.mathA1}`);
    expect(soA).toContain(`user.locked ${twoSchools}`);
    expect(soA).not.toContain(`user.locked ${F.users.principalB1}`);
    const soB = (await seen(await ctx.as('soB'), F.provinceB)).map(key);
    expect(soB).toContain(`user.locked ${F.users.principalB1}`);
    expect(soB).not.toContain(`user.locked ${F.users.mathA1}`);
    const commune = (await seen(await ctx.as('communeA'), F.communeA1)).map(key);
    expect(commune).toContain(`user.login_backoff ${F.users.homeroomA1}`);
    expect(commune).not.toContain(`user.locked ${F.users.principalB1}`);
  });

  it('the system administrator sees all of them; nobody sees an event for a name no account has', async () => {
    const items = await seen(await ctx.as('admin'), F.ministry);
    const keys = items.map(key);
    for (const k of [`user.locked ${F.users.mathA1}`, `user.locked ${F.users.principalB1}`, `user.login_backoff ${F.users.homeroomA1}`, `user.change_password ${F.users.parentA}`]) {
      expect(keys).toContain(k);
    }
    expect(JSON.stringify(items)).not.toContain('khong.ai.ca');
  });

  it('a school filter of the administrator shows that school\'s, not the others\'', async () => {
    const keys = (await seen(await ctx.as('admin'), F.schoolB1)).map(key);
    expect(keys).toContain(`user.locked ${F.users.principalB1}`);
    expect(keys).not.toContain(`user.locked ${F.users.mathA1}`);
  });

  it('the Excel export of A1 holds the same rows', async () => {
    const res = await (await ctx.as('principalA1')).get(`/api/v1/audit/export.xlsx?unitId=${F.schoolA1}&entity=app_user`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => xlsxCellText(v as CellValue))));
    // Columns: when, who, action, target, unit, content — the audit presenter's words.
    const locked = rows.find((r) => r[2]!.startsWith('Tạm khóa đăng nhập') && r[3] === 'Tài khoản Phạm Minh Đức (gv.a1)');
    expect(locked?.[1]).toBe('Hệ thống');
    expect(locked?.[4]).toBe('Trường THCS Lê Lợi');
    expect(locked?.[5]).toContain('Tên đăng nhập: gv.a1');
    expect(locked?.[5]).toContain('Đăng nhập từ: địa chỉ 203.0.113.5');
    expect(rows.some((r) => r[3] === 'Tài khoản Võ Thị Lan (ht.b1)')).toBe(false);
  });
});
