import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { buildApp } from '../app.js';
import { parseTrustProxy } from './trust-proxy.js';

// A client that writes its own X-Forwarded-For must not pick the address the login limits count
// against (issue 7: were the header believed from anyone, 130 wrong passwords, each with a
// different forged header, would draw no 429).

const RATE = 10;
const handle = await freshDb();
const apps = new Map<string, Awaited<ReturnType<typeof buildApp>>>();
async function appWith(trustProxy: string) {
  let app = apps.get(trustProxy);
  if (!app) {
    app = await buildApp(handle, { loginRatePerMinute: RATE, trustProxy });
    await app.ready();
    apps.set(trustProxy, app);
  }
  return app;
}
afterAll(async () => {
  for (const app of apps.values()) await app.close();
  await handle.close();
});

/** `count` wrong passwords, each with a different forged address in front of what the proxy appends. */
async function forgedGuesses(trustProxy: string, opts: { remoteAddress: string; appended?: string; username: string; count: number }) {
  const app = await appWith(trustProxy);
  const codes: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    const forged = `100.${64 + (i >> 8)}.${i & 255}.7`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: opts.remoteAddress,
      headers: { 'x-forwarded-for': opts.appended ? `${forged}, ${opts.appended}` : forged },
      payload: { username: opts.username, password: `sai-${i}` },
    });
    codes.push(res.statusCode);
  }
  return codes;
}
const throttled = (codes: number[]) => codes.filter((c) => c === 429).length;

describe('TRUST_PROXY: who may say where a request comes from', () => {
  it('TRUST_PROXY=1 (one nginx on this machine): a different forged header per request is still limited at the real client address', async () => {
    const codes = await forgedGuesses('1', { remoteAddress: '127.0.0.1', appended: '203.0.113.7', username: 'khong.co.1', count: RATE + 3 });
    expect(codes.slice(0, RATE).every((c) => c !== 429)).toBe(true);
    expect(throttled(codes)).toBe(3);
  });

  it('TRUST_PROXY=1: a client reaching the server directly from a public address is not believed at all', async () => {
    const codes = await forgedGuesses('1', { remoteAddress: '198.51.100.20', username: 'khong.co.2', count: RATE + 3 });
    expect(throttled(codes)).toBe(3);
  });

  it('TRUST_PROXY=<proxy address>: the same, with the proxy named', async () => {
    const codes = await forgedGuesses('10.0.0.2', { remoteAddress: '10.0.0.2', appended: '203.0.113.8', username: 'khong.co.3', count: RATE + 3 });
    expect(throttled(codes)).toBe(3);
    // A peer that is not the named proxy is not believed either.
    const direct = await forgedGuesses('10.0.0.2', { remoteAddress: '10.0.0.3', username: 'khong.co.4', count: RATE + 3 });
    expect(throttled(direct)).toBe(3);
  });

  it('without TRUST_PROXY the header is ignored entirely: limited at the socket address, and the real address is what is recorded', async () => {
    const codes = await forgedGuesses('', { remoteAddress: '198.51.100.30', username: 'khong.co.5', count: RATE + 3 });
    expect(throttled(codes)).toBe(3);
    // Two real addresses sending the same forged header are two clients, not one.
    const app = await appWith('');
    const same = { 'x-forwarded-for': '192.0.2.99' };
    const a = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.31', headers: same, payload: { username: 'ht.a1', password: F.password } });
    const b = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.32', headers: same, payload: { username: 'ht.a1', password: F.password } });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const sessions = await handle.db.selectFrom('user_session').select('ip').where('user_id', '=', F.users.principalA1).execute();
    expect(sessions.map((s) => s.ip).sort()).toEqual(['198.51.100.31', '198.51.100.32']);
  });
});

function trustFn(value: string) {
  const fn = parseTrustProxy(value);
  if (!fn) throw new Error(`"${value}" should give a trust function`);
  return fn;
}

describe('IPv6', () => {
  it('a client rotating through its own /64 is one client for the rate limit', async () => {
    const app = await appWith('');
    const codes: number[] = [];
    for (let i = 0; i < RATE + 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `2001:db8:5:6::${(i + 1).toString(16)}`, payload: { username: 'khong.co.6', password: `sai-${i}` } });
      codes.push(res.statusCode);
    }
    expect(throttled(codes)).toBe(3);
  });
});

describe('parseTrustProxy', () => {
  it('reads hop counts, addresses, ranges and the private-range names', () => {
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);

    const hop = trustFn('1');
    expect(hop('127.0.0.1', 0)).toBe(true);
    expect(hop('::ffff:10.1.2.3', 0)).toBe(true);
    expect(hop('::1', 0)).toBe(true);
    expect(hop('203.0.113.5', 0)).toBe(false); // a public peer is a client, not our proxy
    expect(hop('10.0.0.9', 1)).toBe(false); // only one hop

    const two = trustFn('2');
    expect(two('192.168.1.1', 1)).toBe(true);
    expect(two('8.8.8.8', 1)).toBe(false);

    const list = trustFn(' 10.0.0.2 , 192.168.0.0/16, fd00::/8, loopback ');
    expect(list('10.0.0.2', 0)).toBe(true);
    expect(list('10.0.0.3', 0)).toBe(false);
    expect(list('192.168.44.5', 3)).toBe(true);
    expect(list('fd12::1', 0)).toBe(true);
    expect(list('127.0.0.1', 0)).toBe(true);
    expect(list('203.0.113.5', 0)).toBe(false);
  });

  it.each(['true', 'TRUE', '*', 'all', '0.0.0.0/0', '::/0', 'nginx', '10.0.0.1/33', '10.0.0.1,', '999.1.1.1', '11'])(
    'refuses "%s" at start, in Vietnamese, naming the setting',
    (value) => {
      expect(() => parseTrustProxy(value)).toThrow(/TRUST_PROXY=".*" không dùng được/);
    },
  );

  it('a server configured to trust everyone does not start', async () => {
    await expect(buildApp(handle, { trustProxy: 'true' })).rejects.toThrow(/TRUST_PROXY/);
  });
});
