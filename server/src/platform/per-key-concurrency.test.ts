import { describe, expect, it } from 'vitest';
import { busyRefusal } from './admission.js';
import { AppError } from './errors.js';
import { PerKeyConcurrency } from './per-key-concurrency.js';

// The per-address line of password checks (auth.routes.ts): `maxInFlight` at once per key, the next
// wait in order, beyond the waiting room the line's own refusal.
describe('a line per key', () => {
  it('two at a time per key, the rest in order of arrival; another key is not held up; a full line refuses with what it was given', async () => {
    const line = new PerKeyConcurrency({ maxInFlight: 2, maxWaiting: 2, refusal: busyRefusal });
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        gates.set(name, () => resolve(name));
      });
    const a = ['a1', 'a2', 'a3', 'a4'].map((n) => line.run('carrier', task(n)));
    const b = line.run('school', task('b1'));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a1', 'a2', 'b1']);
    // The waiting room of two is full: the fifth is told the server is busy (503, come back in 5 s).
    const refused = await line.run('carrier', task('a5')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: 'server_busy', extra: { retryAfterSeconds: 5 } });
    gates.get('a2')!();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    for (const n of ['a1', 'a3', 'b1']) gates.get(n)!();
    await new Promise((r) => setImmediate(r));
    gates.get('a4')!();
    expect(await Promise.all([...a, b])).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
  });

  it('a key\'s line goes with its last task, refused or timed-out ones included: a thousand addresses leave nothing behind', async () => {
    const line = new PerKeyConcurrency({ maxInFlight: 1, maxWaiting: 1, maxWaitMs: 20 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => line.run(`ip:10.0.${i >> 8}.${i & 255}`, async () => i)));
    expect(line.keysInUse).toBe(0);
    // One running, one waiting out its 20 ms, one refused at once; then all gone.
    let open: () => void = () => undefined;
    const held = line.run('busy', () => new Promise<void>((r) => (open = r)));
    const timedOut = line.run('busy', async () => undefined).catch((e: unknown) => e);
    const refused = await line.run('busy', async () => undefined).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429 });
    expect(await timedOut).toMatchObject({ status: 429 });
    expect(line.keysInUse).toBe(1);
    open();
    await held;
    expect(line.keysInUse).toBe(0);
  });

  it('without a refusal of its own, a full line is the 429 "too fast"', async () => {
    const line = new PerKeyConcurrency({ maxInFlight: 1, maxWaiting: 0 });
    let open: () => void = () => undefined;
    const held = line.run('x', () => new Promise<void>((r) => (open = r)));
    await expect(line.run('x', async () => undefined)).rejects.toMatchObject({ status: 429, code: 'rate_limited' });
    open();
    await held;
  });

  it('a task that waited its longest is refused and leaves the line; the one behind it still gets the next slot', async () => {
    const line = new PerKeyConcurrency({ maxInFlight: 1, maxWaiting: 5, maxWaitMs: 60, refusal: busyRefusal });
    let open: () => void = () => undefined;
    const held = line.run('carrier', () => new Promise<string>((r) => (open = () => r('first'))));
    const t0 = performance.now();
    const late = line.run('carrier', async () => 'late').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    const next = line.run('carrier', async () => 'next');
    expect(await late).toMatchObject({ status: 503, code: 'server_busy' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    open();
    expect(await held).toBe('first');
    expect(await next).toBe('next');
    // Nothing is left running or waiting: a new task starts at once.
    expect(await line.run('carrier', async () => 'again')).toBe('again');
  });
});
