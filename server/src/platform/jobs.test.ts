import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { AppError } from './errors.js';
import { CONTACT_BOOK_JOBS, JobRunner, defineJob, enqueueJob } from './jobs.js';

// The database's job queue, on whichever engine the run uses: retries, refusals, a job whose
// process died, and two processes sharing one queue.
const handle = await freshDb();
const db = handle.db;
afterAll(() => handle.close());

const runs = new Map<string, number>();
const count = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1);

const flaky = defineJob<{ failFirst: number }>('test_flaky', async (ctx) => {
  count(ctx.id);
  if ((runs.get(ctx.id) ?? 0) <= ctx.params.failFirst) throw new Error('network down');
  await ctx.addFile('a.txt', Buffer.from('ok'));
  return { text: 'xong', details: [] };
});
const refused = defineJob('test_refused', async () => {
  throw new AppError(400, 'nothing_to_do', 'Không có gì để làm.');
});
const slow = defineJob('test_slow', async (ctx) => {
  count(ctx.id);
  await ctx.progress(1, 1);
  return null;
});

/** A long batch that holds its lane until released. */
let releaseLong: () => void = () => undefined;
const long = defineJob('test_long', async () => {
  await new Promise<void>((resolve) => (releaseLong = resolve));
  return null;
});

async function settled(id: string, timeoutMs = 20_000) {
  const t0 = Date.now();
  for (;;) {
    const row = await db.selectFrom('background_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (row.state === 'done' || row.state === 'failed') return row;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${row.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('background jobs (platform/jobs.ts)', () => {
  it('a job that fails is tried again, its half-made files dropped; after max attempts it fails with a message for people', async () => {
    const runner = new JobRunner(db, { retrySeconds: () => 0, pollMs: 20 });
    runner.start();
    try {
      const ok = await enqueueJob(db, { kind: flaky, orgUnitId: F.schoolA1, params: { failFirst: 1 }, createdBy: F.users.principalA1 });
      const done = await settled(ok);
      expect(done).toMatchObject({ state: 'done', attempts: 2, result: { text: 'xong', details: [] } });
      expect(await db.selectFrom('background_job_file').select('name').where('job_id', '=', ok).execute()).toEqual([{ name: 'a.txt' }]);

      const bad = await enqueueJob(db, { kind: flaky, orgUnitId: F.schoolA1, params: { failFirst: 9 }, createdBy: null, maxAttempts: 3 });
      expect(await settled(bad)).toMatchObject({ state: 'failed', attempts: 3, error: 'Lỗi hệ thống khi chạy việc nền.' });
      expect(runs.get(bad)).toBe(3);

      // A refusal is not retried: it would be refused again.
      const no = await enqueueJob(db, { kind: refused, orgUnitId: F.schoolA1, params: {}, createdBy: null });
      expect(await settled(no)).toMatchObject({ state: 'failed', attempts: 1, error: 'Không có gì để làm.' });
    } finally {
      await runner.stop();
    }
  });

  it('a job whose process died (its heartbeat stopped) is claimed again and done once; a live one is left alone', async () => {
    const dead = crypto.randomUUID();
    const live = crypto.randomUUID();
    for (const [id, beat] of [[dead, new Date(Date.now() - 10 * 60_000)], [live, new Date()]] as const) {
      await db.insertInto('background_job').values({ id, kind: 'test_slow', org_unit_id: F.schoolA1, params: '{}', state: 'running', attempts: 1, heartbeat_at: beat }).execute();
    }
    const runner = new JobRunner(db, { staleSeconds: 60, pollMs: 20 });
    runner.start();
    try {
      expect(await settled(dead)).toMatchObject({ state: 'done', attempts: 2 });
      await new Promise((r) => setTimeout(r, 200));
      expect(await db.selectFrom('background_job').select(['state', 'attempts']).where('id', '=', live).executeTakeFirstOrThrow()).toEqual({ state: 'running', attempts: 1 });
      expect(runs.get(dead)).toBe(1);
      expect(runs.has(live)).toBe(false);
    } finally {
      await runner.stop();
      await db.deleteFrom('background_job').where('id', '=', live).execute();
    }
  });

  it('two runners on one queue run every job exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => enqueueJob(db, { kind: slow, orgUnitId: F.schoolA1, params: {}, createdBy: null })));
    const a = new JobRunner(db, { pollMs: 10 });
    const b = new JobRunner(db, { pollMs: 10 });
    a.start();
    b.start();
    try {
      for (const id of ids) expect((await settled(id)).state).toBe('done');
      expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('lanes: a contact-book delivery runs while a long batch holds the other lane, and neither lane takes the other\'s kinds', async () => {
    // app.ts's lanes: the contact book's deliveries on their own (a stand-in kind here: redefining
    // a real kind would replace its handler for the whole process).
    expect(CONTACT_BOOK_JOBS).toEqual(expect.arrayContaining(['deliver_notices', 'message_notice', 'announcement_send']));
    const quick = defineJob('test_quick_notice', async (ctx) => {
      count(ctx.id);
      return null;
    });
    const contactKinds = ['test_quick_notice'];
    const contact = new JobRunner(db, { pollMs: 10, kinds: { only: contactKinds } });
    const bulk = new JobRunner(db, { pollMs: 10, kinds: { except: contactKinds } });
    contact.start();
    bulk.start();
    try {
      const batch = await enqueueJob(db, { kind: long, orgUnitId: F.schoolA1, params: {}, createdBy: null });
      for (let i = 0; i < 100 && (await db.selectFrom('background_job').select('state').where('id', '=', batch).executeTakeFirstOrThrow()).state !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
      const notice = await enqueueJob(db, { kind: quick, orgUnitId: F.schoolA1, params: {}, createdBy: null });
      expect((await settled(notice, 5_000)).state).toBe('done');
      expect((await db.selectFrom('background_job').select('state').where('id', '=', batch).executeTakeFirstOrThrow()).state).toBe('running');
      releaseLong();
      expect((await settled(batch)).state).toBe('done');
      // The contact lane alone never takes a batch.
      await bulk.stop();
      const another = await enqueueJob(db, { kind: slow, orgUnitId: F.schoolA1, params: {}, createdBy: null });
      await new Promise((r) => setTimeout(r, 200));
      expect((await db.selectFrom('background_job').select('state').where('id', '=', another).executeTakeFirstOrThrow()).state).toBe('queued');
      bulk.start();
      expect((await settled(another)).state).toBe('done');
    } finally {
      releaseLong();
      await Promise.all([contact.stop(), bulk.stop()]);
    }
  });
});
