import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchRequests } from './request-activity.js';

// A server whose answer takes as long as the request asks (?ms=…).
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
    setTimeout(() => res.end('ok'), ms);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const since = (t: number) => performance.now() - t;

describe('watchRequests: background work waits for a quiet moment of the server', () => {
  it('waits while a request is in progress and for the quiet time after it, counting the start as activity', async () => {
    const activity = watchRequests(server, { quietMs: 60, maxWaitMs: 2000 });
    let t = performance.now();
    await activity.quiet();
    expect(since(t)).toBeGreaterThanOrEqual(55); // just started: as if a request had just ended
    const slow = fetch(`${base}/?ms=200`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50)); // the request is in progress now
    t = performance.now();
    await activity.quiet();
    const waited = since(t);
    expect(await slow).toBe('ok');
    expect(waited).toBeGreaterThanOrEqual(150 + 55);
    // Quiet for longer than quietMs: no wait.
    await new Promise((r) => setTimeout(r, 80));
    t = performance.now();
    await activity.quiet();
    expect(since(t)).toBeLessThan(30);
  });

  it('never waits longer than maxWaitMs, so the work still moves on a busy server', async () => {
    const activity = watchRequests(server, { quietMs: 50, maxWaitMs: 120 });
    const slow = fetch(`${base}/?ms=1500`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await activity.quiet();
    const waited = since(t);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(1000); // the request is still running
    await slow;
  });
});
