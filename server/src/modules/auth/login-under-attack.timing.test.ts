import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { defaultAppConfig } from '../../app.js';
import { MAX_FAILED_LOGINS } from './auth.service.js';

// The real login rate limit (per address per minute), not the harness's relaxed one. The app listens
// on a real port: attacker and legitimate users are separate HTTP clients, each on its own
// loopback address (127.0.0.0/8 is all local), so per-address limits see them as the internet would.
const ctx = await setupTestApp({ loginRatePerMinute: defaultAppConfig.loginRatePerMinute });
await ctx.app.listen({ port: 0, host: '0.0.0.0' });
const port = (ctx.app.server.address() as AddressInfo).port;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p95 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.ceil(times.length * 0.95) - 1]!;

function httpLogin(username: string, password: string, localAddress: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ username, password });
    const req = http.request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const login = (username: string, password: string, localAddress: string) => httpLogin(username, password, localAddress);

/** Ten people signing in, one every 200 ms, each from their own address; returns each login's time. */
async function legitLogins(round: number): Promise<number[]> {
  const times: number[] = [];
  const statuses = await Promise.all(
    Array.from({ length: 10 }, async (_, i) => {
      await sleep(i * 200);
      const t0 = performance.now();
      const res = await login(i % 2 ? 'ht.b1' : 'gvcn.a1', F.password, `127.0.${10 + round}.${i + 1}`);
      times.push(performance.now() - t0);
      return res.status;
    }),
  );
  expect(new Set(statuses)).toEqual(new Set([200]));
  return times;
}

/**
 * One client sends `count` wrong passwords for one account, one request every millisecond, from a
 * worker thread (its own event loop, like a separate machine would be) over keep-alive connections.
 */
function attack(username: string, count: number, from = '127.0.0.66', keepAlive = true): Promise<{ status: number; body: string }[]> {
  const worker = new Worker(
    `
    const http = require('node:http');
    const { workerData, parentPort } = require('node:worker_threads');
    const { port, username, count } = workerData;
    const agent = new http.Agent({ keepAlive: workerData.keepAlive, maxSockets: workerData.keepAlive ? 64 : Infinity, localAddress: workerData.from });
    const results = [];
    let done = 0;
    const t0 = performance.now();
    function send(i) {
      const body = JSON.stringify({ username, password: 'wrong-password-' + i });
      const req = http.request({ host: '127.0.0.1', port, agent, method: 'POST', path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => { results[i] = { status: res.statusCode, body: text }; if (++done === count) { agent.destroy(); parentPort.postMessage(results); } });
      });
      req.on('error', (e) => { results[i] = { status: 0, body: String(e) }; if (++done === count) parentPort.postMessage(results); });
      req.end(body);
    }
    let i = 0;
    (function tick() {
      const due = Math.floor(performance.now() - t0) + 1;
      while (i < Math.min(due, count)) send(i++);
      if (i < count) setTimeout(tick, 1);
    })();
    `,
    { eval: true, workerData: { port, username, count, from, keepAlive } },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (r) => {
      void worker.terminate();
      resolve(r);
    });
    worker.once('error', reject);
  });
}

// Runs alone (vitest.timing.config.ts, after the parallel suite): it measures latency, so nothing
// else may compete for the two cores while it runs.
describe('login under brute force from one client (OWASP ASVS V6.3)', () => {
  it('throttles the attacker, checks at most five guesses, and other people sign in within 300 ms p95 (PostgreSQL)', async () => {
    // Warm-up: the first logins and the first throttled requests pay for JIT and cold caches.
    await Promise.all([legitLogins(0), attack('ph.cuong', 200, '127.0.0.67')]);
    const quiet = await legitLogins(2);
    const [attackResults, underAttack] = await Promise.all([attack('ht.a1', 2000), legitLogins(1)]);

    const codes = attackResults.map((r) => r.status);
    expect(codes.every((c) => [401, 423, 429].includes(c))).toBe(true);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2000 - defaultAppConfig.loginRatePerMinute);
    expect(JSON.parse(attackResults.find((r) => r.status === 429)!.body).detail).toContain('thao tác quá nhanh');
    // Each 401 is one argon2 check of a guess: the attempt counter is taken before the check, so a
    // burst never gets more than MAX_FAILED_LOGINS guesses checked.
    const checked = codes.filter((c) => c === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    console.log(
      `legit login p95: ${p95(quiet).toFixed(0)} ms quiet, ${p95(underAttack).toFixed(0)} ms during 2,000 wrong passwords in 2 s over HTTP ` +
        `(${(p95(underAttack) / p95(quiet)).toFixed(2)}×); guesses checked ${checked}, answered 429: ${codes.filter((c) => c === 429).length}`,
    );
    // Issue 3's figure (p95 ≤ 300 ms) is for a service, i.e. on PostgreSQL. On embedded PGlite the
    // database runs as WebAssembly on the server's own thread, so every query the flood causes
    // waits in line with the legitimate logins; the bound there is looser and says so
    // (docs/security.md).
    expect(p95(underAttack)).toBeLessThanOrEqual(ctx.handle.engine === 'postgres' ? 300 : 1000);
  });

  it('an attacker opening a new connection for every guess is shut out at the door; others still sign in', async () => {
    const quiet = await legitLogins(4);
    const [attackResults, underAttack] = await Promise.all([attack('gv.a1', 2000, '127.0.0.68', false), legitLogins(3)]);
    const codes = attackResults.map((r) => r.status);
    // 0 = connection closed before any answer: the address went on after 2 × the limit.
    expect(codes.every((c) => [0, 401, 423, 429].includes(c))).toBe(true);
    const closed = codes.filter((c) => c === 0).length;
    expect(closed).toBeGreaterThan(1000);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    console.log(
      `legit login p95 against a new-connection-per-guess attacker: ${p95(quiet).toFixed(0)} ms quiet, ${p95(underAttack).toFixed(0)} ms under attack ` +
        `(${(p95(underAttack) / p95(quiet)).toFixed(2)}×); ${closed} of 2,000 connections closed at the door`,
    );
    // Not the 300 ms target: on this 2-core machine the attacking thread itself opens 1,000
    // connections a second next to the server (≈ 0.3 s on PostgreSQL, ≈ 1.2 s on PGlite measured).
    // This bound only guards against a collapse; docs/security.md lists it as open.
    expect(p95(underAttack)).toBeLessThanOrEqual(ctx.handle.engine === 'postgres' ? 800 : 2500);
  });
});
