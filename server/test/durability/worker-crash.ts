/**
 * Cluster mode (`serve --workers N`, PostgreSQL only): a worker killed with SIGKILL while it
 * holds an import job must not leave that job "validating" forever — the primary fails it
 * (job-liveness.ts) while the re-forked workers serve. A job whose process is alive is left alone.
 * Run from crash.test.ts on PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { expect } from 'vitest';
import { makeStudentWorkbook } from '../../../bench/fixtures/make-student-xlsx.js';
import { withDatabase } from '../global-setup.js';
import { type DbHandle, openDb } from '../../src/db/connection.js';
import { JOB_LOST_MESSAGE } from '../../src/modules/imports/imports.service.js';
import { JobLiveness, failOrphanedJobs } from '../../src/modules/imports/job-liveness.js';
import { newId } from '../../src/platform/ids.js';
import { ApiClient } from './http-client.js';
import { buildServerBundle, seedDemo, startServer } from './server-process.js';

const PASSWORD = process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025';

/** Only jobs whose lock nobody holds are failed; a released job is no longer protected. */
async function orphansOnly(handle: DbHandle, url: string, schoolId: string): Promise<void> {
  const holder = await openDb({ databaseUrl: url, poolSize: 2 });
  const liveness = new JobLiveness(holder.pool);
  const [alive, orphan] = [newId(), newId()];
  const status = async (id: string) => (await handle.db.selectFrom('import_job').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  try {
    await liveness.hold(alive);
    for (const id of [alive, orphan]) {
      await handle.db
        .insertInto('import_job')
        .values({ id, school_id: schoolId, kind: 'students', mode: 'all_or_nothing', status: 'validating', file_name: 't.xlsx', created_by: null, message: null, finished_at: null })
        .execute();
    }
    await failOrphanedJobs(handle.db, JOB_LOST_MESSAGE);
    expect([await status(alive), await status(orphan)]).toEqual(['validating', 'failed']);
    await liveness.release(alive);
    await failOrphanedJobs(handle.db, JOB_LOST_MESSAGE);
    expect(await status(alive)).toBe('failed');
  } finally {
    await handle.db.deleteFrom('import_job').where('id', 'in', [alive, orphan]).execute();
    await liveness.close();
    await holder.close();
  }
}

export async function killWorkersDuringImport(url: string): Promise<void> {
  const name = `ts_test_wcrash_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const env = { DATABASE_URL: withDatabase(url, name) };
  let handle: DbHandle | undefined;
  try {
    const bundle = await buildServerBundle();
    seedDemo(bundle, env);
    handle = await openDb({ databaseUrl: env.DATABASE_URL, poolSize: 2 });
    const db = handle.db;
    const server = await startServer(bundle, env, ['--workers', '2']);
    try {
      const a = await ApiClient.login(server.base, 'hieutruong.demo', PASSWORD);
      await orphansOnly(handle, env.DATABASE_URL, a.school);

      // Big enough to be still running when the workers die (seconds on PostgreSQL).
      const file = await makeStudentWorkbook({ rows: 4000, classNames: ['6A1', '6A2'], firstLearnerId: 960_000_000, citizenIds: false });
      const year = (await db.selectFrom('class').select('year').where('school_id', '=', a.school).executeTakeFirstOrThrow()).year;
      const up = await a.upload(`/api/v1/schools/${a.school}/imports?kind=students&mode=all_or_nothing&year=${year}`, 'lon.xlsx', file);
      expect(up.status).toBe(202);
      const jobId = (up.body as { id: string }).id;

      // Both workers: whichever took the upload dies with its job.
      const workers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.child.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      expect(workers).toHaveLength(2);
      for (const pid of workers) process.kill(pid, 'SIGKILL');
      const job = () => db.selectFrom('import_job').select(['status', 'message']).where('id', '=', jobId).executeTakeFirstOrThrow();
      const atKill = await job();
      expect(['queued', 'validating', 'writing'], `job already ${atKill.status} when the workers were killed`).toContain(atKill.status);

      const until = Date.now() + 20_000;
      let now = atKill;
      while (now.status !== 'failed' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        now = await job();
      }
      expect(now).toEqual({ status: 'failed', message: JOB_LOST_MESSAGE });
      expect(await db.selectFrom('student').select('id').where('learner_id', 'like', '096%').execute()).toHaveLength(0);
      // The re-forked workers serve the same session.
      let me = 0;
      for (let i = 0; i < 100 && me !== 200; i++) {
        me = await a.request('GET', '/api/v1/auth/me').then((r) => r.status, () => 0);
        if (me !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(me).toBe(200);
    } finally {
      await server.stop();
    }
  } finally {
    await handle?.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
