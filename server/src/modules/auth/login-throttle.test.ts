import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { buildApp } from '../../app.js';
import { forgetLocks } from '../../platform/login-locks.js';
import { ACCOUNT_MAX_ATTEMPTS, DEVICE_COOKIE, PAIR_LOCK_MINUTES, PAIR_MAX_ATTEMPTS, addressKey, backoffMinutes, pruneThrottle } from '../../platform/login-throttle.js';

// The sign-in throttling rules of docs/decisions/0010-login-throttling.md (issue 7): per
// (name, client) locks, a per-account back-off that one address cannot trigger and the owner's
// browser is exempt from, the same answers for names no account has, state in the database.
const ctx = await setupTestApp();
const db = ctx.handle.db;

type Res = Awaited<ReturnType<typeof ctx.app.inject>>;
const login = (username: string, password: string, remoteAddress: string, device?: string, app = ctx.app) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress, cookies: device ? { [DEVICE_COOKIE]: device } : {} });
const deviceOf = (res: Res) => {
  const v = res.cookies.find((c) => c.name === DEVICE_COOKIE)?.value;
  if (!v) throw new Error(`no device cookie: ${res.statusCode} ${res.body}`);
  return v;
};
const answer = (r: Res) => ({ status: r.statusCode, code: r.json().code as string, detail: r.json().detail as string });

describe('a stranger cannot tell which names exist', () => {
  it('from one address: a known and an unknown name get the same statuses, codes and texts, lock included', async () => {
    const known: ReturnType<typeof answer>[] = [];
    const unknown: ReturnType<typeof answer>[] = [];
    for (let i = 0; i < PAIR_MAX_ATTEMPTS + 2; i++) {
      known.push(answer(await login('so.a', `doan-${i}`, '203.0.113.10')));
      unknown.push(answer(await login('khong.ai.ca', `doan-${i}`, '203.0.113.11')));
    }
    expect(known.map((a) => a.status)).toEqual([...Array(PAIR_MAX_ATTEMPTS).fill(401), 423, 423]);
    expect(unknown).toEqual(known);
    expect(known[PAIR_MAX_ATTEMPTS]!.code).toBe('account_locked');
    // The last try before the lock is announced, for both alike (issue 8).
    const plain = 'Tên đăng nhập hoặc mật khẩu không đúng.';
    expect(known.slice(0, PAIR_MAX_ATTEMPTS).map((a) => a.detail)).toEqual([
      ...Array(PAIR_MAX_ATTEMPTS - 2).fill(plain),
      `${plain} Còn 1 lần thử trước khi tài khoản bị khóa ${PAIR_LOCK_MINUTES} phút.`,
      `${plain} Tài khoản đã bị tạm khóa ${PAIR_LOCK_MINUTES} phút.`,
    ]);
  });

  it('from many addresses: both are backed off after ACCOUNT_MAX_ATTEMPTS, with the same answer', async () => {
    const run = async (username: string, net: number) => {
      const codes: number[] = [];
      for (let i = 0; i < ACCOUNT_MAX_ATTEMPTS; i++) codes.push((await login(username, `doan-${i}`, `198.18.${net}.${i + 1}`)).statusCode);
      return { codes, next: answer(await login(username, 'doan-cuoi', `198.18.${net}.200`)) };
    };
    const known = await run('xa.a', 1);
    const unknown = await run('ai.do.khong.co', 2);
    expect(known.codes).toEqual(Array(ACCOUNT_MAX_ATTEMPTS).fill(401));
    expect(unknown).toEqual(known);
    expect(known.next).toMatchObject({ status: 423, code: 'account_backoff' });
    expect(known.next.detail).toContain(`${backoffMinutes(0)} phút`);
  });

  it('and the same time: a wrong password for a known name costs what one for an unknown name costs', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, each from its own address so that no lock answers early.
    for (let i = 0; i < 20; i++) {
      for (const [name, times, net] of [['ph.an', known, 20], ['khong.ai.ca.2', unknown, 21]] as const) {
        const t0 = performance.now();
        const res = await login(name, `doan-${i}`, `198.18.${net}.${i + 1}`);
        times.push(performance.now() - t0);
        expect(res.statusCode).toBe(401);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const ratio = median(known) / median(unknown);
    console.log(`wrong password: known name ${median(known).toFixed(1)} ms, unknown name ${median(unknown).toFixed(1)} ms (median of 20)`);
    // The password check (argon2) dominates both. Answering an unknown name without the dummy
    // check made it ≈ 4 times faster (tried: 139 ms against 34 ms). The band is wide because another
    // test file shares the two cores during \`npm test\`; the missing check is far outside it.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('nobody can lock the owner out', () => {
  it('one address alone cannot start the account back-off, however long it keeps guessing', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) codes.push((await login('ph.cuong', `doan-${i}`, '203.0.113.50')).statusCode);
    expect(codes.slice(0, PAIR_MAX_ATTEMPTS)).toEqual(Array(PAIR_MAX_ATTEMPTS).fill(401));
    expect(codes.slice(PAIR_MAX_ATTEMPTS).every((c) => c === 423)).toBe(true);
    const account = await db.selectFrom('login_backoff').selectAll().where('username', '=', 'ph.cuong').executeTakeFirstOrThrow();
    expect(account.attempts).toBe(PAIR_MAX_ATTEMPTS);
    expect(account.locked_until).toBeNull();
    expect((await login('ph.cuong', F.password, '203.0.113.51')).statusCode).toBe(200);
  });

  it('a browser that keeps guessing stops being a known browser of the account', async () => {
    const first = await login('hs.an', F.password, '203.0.113.70');
    const device = deviceOf(first);
    for (let i = 0; i < PAIR_MAX_ATTEMPTS; i++) expect((await login('hs.an', `doan-${i}`, '203.0.113.70', device)).statusCode).toBe(401);
    expect((await login('hs.an', F.password, '203.0.113.70', device)).statusCode).toBe(423);
    const devices = await db.selectFrom('login_device').select('token_hash').where('user_id', '=', F.users.studentAn).execute();
    expect(devices).toEqual([]);
    // Its address was never the one locked: the next sign-in from there, without the cookie, works.
    expect((await login('hs.an', F.password, '203.0.113.70')).statusCode).toBe(200);
  });

  it('the device cookie is replaced at every sign-in and carries the browser\'s other accounts along', async () => {
    const a = await login('so.b', F.password, '203.0.113.80');
    const b = await login('ht.b1', F.password, '203.0.113.80', deviceOf(a));
    const token = deviceOf(b);
    expect(token).not.toBe(deviceOf(a));
    const rows = await db.selectFrom('login_device').select(['user_id', 'token_hash']).where('user_id', 'in', [F.users.soB, F.users.principalB1]).execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([F.users.soB, F.users.principalB1].sort());
    expect(new Set(rows.map((r) => r.token_hash)).size).toBe(1);
    // The old value is worth nothing now; the new one is a known browser of both accounts.
    const cookie = b.headers['set-cookie'];
    expect(String(cookie)).toMatch(new RegExp(`${DEVICE_COOKIE}=[^;]+; Max-Age=\\d+; Path=/api/v1/auth/login; HttpOnly; SameSite=Strict`));
  });
});

describe('what the limits remember', () => {
  it('a lock is kept in the database: a restarted process (or another worker) still refuses, and only that client', async () => {
    for (let i = 0; i < PAIR_MAX_ATTEMPTS; i++) expect((await login('gvcn.a1', `doan-${i}`, '203.0.113.60')).statusCode).toBe(401);
    const row = await db.selectFrom('login_attempt').selectAll().where('username', '=', 'gvcn.a1').where('client', '=', 'ip:203.0.113.60').executeTakeFirstOrThrow();
    const minutes = (new Date(row.locked_until!).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    forgetLocks('gvcn.a1'); // what a fresh process knows: nothing in memory
    const other = await buildApp(ctx.handle, { loginRatePerMinute: 10_000 });
    try {
      expect((await login('gvcn.a1', F.password, '203.0.113.60', undefined, other)).statusCode).toBe(423);
      expect((await login('gvcn.a1', F.password, '203.0.113.61', undefined, other)).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('IPv6 clients count by their /64: rotating addresses inside it does not get more guesses', async () => {
    for (let i = 1; i <= PAIR_MAX_ATTEMPTS; i++) expect((await login('nv.a1', `doan-${i}`, `2001:db8:0:1::${i}`)).statusCode).toBe(401);
    expect((await login('nv.a1', F.password, '2001:db8:0:1:ffff:1:2:3')).statusCode).toBe(423);
    expect((await login('nv.a1', F.password, '2001:db8:0:2::1')).statusCode).toBe(200);
  });

  it('addressKey: IPv4 as is (also when mapped into IPv6), IPv6 by /64', () => {
    expect(addressKey('203.0.113.9')).toBe('ip:203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
    expect(addressKey('2001:db8::1')).toBe('ip:2001:db8:0:0::/64');
    expect(addressKey('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('ip:2001:db8:0:1::/64');
    expect(addressKey('2001:db8:0:1::')).toBe('ip:2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('ip:0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('ip:fe80:0:0:0::/64');
    expect(addressKey(undefined)).toBe('ip:unknown');
  });

  it('counters nobody touched for a day go; locks still running and recent counters stay', async () => {
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await db
      .insertInto('login_attempt')
      .values([
        { username: 'cu.lam.roi', client: 'ip:192.0.2.200', attempts: 3, locked_until: null, last_attempt_at: dayAgo },
        { username: 'cu.van.khoa', client: 'ip:192.0.2.201', attempts: 0, locked_until: new Date(Date.now() + 600_000), last_attempt_at: dayAgo },
        { username: 'moi.day', client: 'ip:192.0.2.202', attempts: 2, locked_until: null, last_attempt_at: new Date() },
      ])
      .execute();
    await db.insertInto('login_backoff').values({ username: 'cu.lam.roi', window_started_at: new Date(Date.now() - 72 * 3600_000), attempts: 4, locked_until: null }).execute();
    await pruneThrottle(db);
    const left = await db.selectFrom('login_attempt').select('username').where('username', 'in', ['cu.lam.roi', 'cu.van.khoa', 'moi.day']).execute();
    expect(left.map((r) => r.username).sort()).toEqual(['cu.van.khoa', 'moi.day']);
    expect(await db.selectFrom('login_backoff').select('username').where('username', '=', 'cu.lam.roi').execute()).toEqual([]);
  });

  it('the back-off doubles each time the window fills up again, up to a day', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(backoffMinutes)).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  });
});

describe('the administrator\'s unlock', () => {
  it('lifts the (name, address) locks and the back-off at once; the account list shows the lock until then', async () => {
    const admin = await ctx.as('admin');
    for (let i = 0; i < PAIR_MAX_ATTEMPTS; i++) await login('ht.a1', `doan-${i}`, '203.0.113.90');
    for (let i = 0; i < ACCOUNT_MAX_ATTEMPTS; i++) await login('ht.a1', `doan-xa-${i}`, `198.18.30.${i + 1}`);
    expect(answer(await login('ht.a1', F.password, '198.18.30.250')).code).toBe('account_backoff');
    const listed = ((await admin.get(`/api/v1/users?unitId=${F.schoolA1}`)).json() as { username: string; lockedUntil: string | null }[]).find((u) => u.username === 'ht.a1');
    expect(listed?.lockedUntil).not.toBeNull();
    expect((await admin.post(`/api/v1/users/${F.users.principalA1}/unlock`)).statusCode).toBe(200);
    expect((await login('ht.a1', F.password, '203.0.113.90')).statusCode).toBe(200);
    expect((await login('ht.a1', F.password, '198.18.30.251')).statusCode).toBe(200);
    const after = ((await admin.get(`/api/v1/users?unitId=${F.schoolA1}`)).json() as { username: string; lockedUntil: string | null }[]).find((u) => u.username === 'ht.a1');
    expect(after?.lockedUntil).toBeNull();
  });
});
