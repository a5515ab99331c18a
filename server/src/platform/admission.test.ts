import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { buildApp } from '../app.js';
import type { DbHandle } from '../db/connection.js';
import { BUSY_DETAIL } from './admission.js';

// platform/admission.ts: two API requests at a time, up to three waiting 300 ms, through the
// whole app (the hook sits after the session and permission checks, before the handler).
const LIMIT = { maxInFlight: 2, maxWaitMs: 300, maxWaiting: 3, retryAfterSeconds: 5, passwordChecksInFlight: 1 };

let handle: DbHandle;
let app: FastifyInstance;
let base = '';
/** Requests the slow route has started, in order of arrival (their ?n=). */
const started: string[] = [];
/** Lets every started slow request finish. */
let openGate: () => void = () => undefined;
let gate = Promise.resolve();
const closeGate = () => {
  gate = new Promise((resolve) => (openGate = resolve));
};

beforeAll(async () => {
  handle = await freshDb();
  app = await buildApp(handle, { admission: LIMIT });
  app.get('/api/v1/admission-probe', { config: { permission: { access: 'public' } } }, async (req) => {
    started.push((req.query as { n?: string }).n ?? '');
    await gate;
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  openGate();
  await app.close();
  await handle.close();
});

const probe = (n: number | string) => app.inject({ method: 'GET', url: `/api/v1/admission-probe?n=${n}` });
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('admission control: a bounded number of API requests at once, the rest wait briefly or are told to come back', () => {
  it('the third request waits for a place and is served, in order of arrival', async () => {
    started.length = 0;
    closeGate();
    const first = [probe(1), probe(2)];
    await until(() => started.length === 2);
    const third = probe(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual(['1', '2']);
    openGate();
    const answers = await Promise.all([...first, third]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(started).toEqual(['1', '2', '3']);
  });

  it('past the waiting line, or past the wait, a 503 in Vietnamese with Retry-After; /api/health still answers', async () => {
    started.length = 0;
    closeGate();
    const held = [probe('a'), probe('b')];
    await until(() => started.length === 2);
    const waiters = [probe('w1'), probe('w2'), probe('w3')];
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    const turnedAway = await probe('x');
    expect(performance.now() - t0).toBeLessThan(200);
    expect(turnedAway.statusCode).toBe(503);
    expect(turnedAway.headers['retry-after']).toBe('5');
    expect(turnedAway.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(turnedAway.json()).toMatchObject({ code: 'server_busy', title: 'Hệ thống đang bận', detail: BUSY_DETAIL });
    // The security headers are on the refusal too.
    expect(turnedAway.headers['x-content-type-options']).toBe('nosniff');
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);

    const waited = await Promise.all(waiters);
    expect(waited.map((w) => w.statusCode)).toEqual([503, 503, 503]);
    expect(started).toEqual(['a', 'b']);
    openGate();
    expect((await Promise.all(held)).map((h) => h.statusCode)).toEqual([200, 200]);
  });

  it('every place comes back: after refusals, errors and a client that left while waiting, two requests start at once again', async () => {
    started.length = 0;
    closeGate();
    const held = [probe('h1'), probe('h2')];
    await until(() => started.length === 2);
    // A phone that gives up while it waits (a real socket, closed by the client).
    const gone = http.get(`${base}/api/v1/admission-probe?n=gone`);
    gone.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 30));
    gone.destroy();
    await new Promise((r) => setTimeout(r, 20));
    // Its turn comes while it is gone: the place passes on instead of being held by nobody.
    openGate();
    await Promise.all(held);
    expect(started).toEqual(['h1', 'h2']);
    // An API error is a finished request too.
    expect((await app.inject({ method: 'GET', url: '/api/v1/no-such-route' })).statusCode).toBe(404);

    started.length = 0;
    closeGate();
    const again = [probe('n1'), probe('n2')];
    await until(() => started.length === 2);
    expect(started).toEqual(['n1', 'n2']);
    openGate();
    expect((await Promise.all(again)).map((a) => a.statusCode)).toEqual([200, 200]);
  });
});

describe('password checks wait in a line of their own', () => {
  it('with every general place taken, a parent still signs in; with the password line full, the next sign-in is told to come back, in Vietnamese with Retry-After', async () => {
    started.length = 0;
    closeGate();
    const held = [probe('r1'), probe('r2')];
    await until(() => started.length === 2);
    // The general line is full (2 in flight): a sign-in does not wait behind the reads.
    const login = (address: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gv.a1', password: F.password }, remoteAddress: address });
    const alone = await login('198.51.100.21');
    expect(alone.statusCode).toBe(200);
    expect(alone.json()).toMatchObject({ username: 'gv.a1' });
    // One password check at a time, three waiting: from ten addresses at once (so the per-address
    // line of two lets each through), some sign-ins are answered 503 after the 300 ms wait.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => login(`198.51.100.${30 + i}`)));
    const codes = burst.map((b) => b.statusCode);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => c === 503).length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    const refused = burst.find((b) => b.statusCode === 503)!;
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ code: 'server_busy', detail: BUSY_DETAIL });
    // The reads were never let in by the sign-ins: still the same two.
    expect(started).toEqual(['r1', 'r2']);
    openGate();
    expect((await Promise.all(held)).map((h) => h.statusCode)).toEqual([200, 200]);
  });
});

describe('a sign-in told to come back is not counted against its address', () => {
  it('sign-ins answered 503 in a burst of ten leave the per-minute sign-in limit (10 here) untouched', async () => {
    const db = await freshDb();
    const one = await buildApp(db, { admission: { maxInFlight: 1, maxWaitMs: 50, maxWaiting: 0, retryAfterSeconds: 5, passwordChecksInFlight: 1 }, loginRatePerMinute: 10 });
    try {
      await one.ready();
      const login = (password: string = F.password) => one.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gv.a1', password }, remoteAddress: '198.51.100.7' });
      const answers = await Promise.all(Array.from({ length: 10 }, () => login()));
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === 503).length).toBeGreaterThanOrEqual(7);
      expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
      // Neither the 503s nor the successes counted: three mistyped passwords are answered as such
      // (counted, the 503s would have taken the address past 10: 429), then the right one gets in.
      for (let i = 0; i < 3; i++) expect((await login(`sai-${i}`)).statusCode).toBe(401);
      expect((await login()).statusCode).toBe(200);
    } finally {
      await one.close();
      await db.close();
    }
  });

  it('sign-ins waiting their turn are not counted: 40 parents behind one address arriving faster than passwords are checked all get in under a limit of 10 a minute', async () => {
    const db = await freshDb();
    const one = await buildApp(db, { admission: { maxInFlight: 64, maxWaitMs: 5000, maxWaiting: 100, retryAfterSeconds: 5, passwordChecksInFlight: 1 }, loginRatePerMinute: 10 });
    try {
      await one.ready();
      const login = (password: string = F.password) => one.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gv.a1', password }, remoteAddress: '198.51.100.9' });
      const answers: Promise<{ statusCode: number }>[] = [];
      for (let i = 0; i < 40; i++) {
        answers.push(login());
        await new Promise((r) => setTimeout(r, 3));
      }
      expect((await Promise.all(answers)).map((a) => a.statusCode)).toEqual(Array(40).fill(200));
      // Failures still count: ten wrong passwords fill the limit, the eleventh request is refused.
      const wrong: number[] = [];
      for (let i = 0; i < 11; i++) wrong.push((await login(`sai-${i}`)).statusCode);
      expect(wrong.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(wrong.at(-1)).toBe(429);
    } finally {
      await one.close();
      await db.close();
    }
  });
});

