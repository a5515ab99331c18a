/**
 * Which import jobs still have a live process behind them, for several server processes on one
 * PostgreSQL (`--workers N`). A job's file lives only in the memory of the process that accepted
 * it, so when that process dies the job can never finish; at start-up a sole process fails every
 * unfinished job, but a worker that dies while the others keep serving needs more than that.
 *
 * Each process holds a PostgreSQL session advisory lock per job it has accepted, on one
 * connection of its own, from before the job row exists until the job ends. PostgreSQL drops a
 * session's locks when its connection closes — also when the process is killed — so an
 * unfinished job whose lock nobody holds is orphaned, and `failOrphanedJobs` (run by the
 * cluster's primary when a worker exits) marks it failed.
 */
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../db/schema.js';
import { failUnlockedJobs, lockJob, unlockJob } from './imports.repo.js';

export class JobLiveness {
  private client: Promise<pg.PoolClient> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  private connection(): Promise<pg.PoolClient> {
    if (!this.client) {
      this.client = this.pool.connect().then((c) => {
        // A lost connection loses the locks; the next job takes a new one.
        c.on('error', () => {
          this.client = null;
        });
        return c;
      });
      this.client.catch(() => {
        this.client = null;
      });
    }
    return this.client;
  }

  async hold(jobId: string): Promise<void> {
    await lockJob(await this.connection(), jobId);
  }

  async release(jobId: string): Promise<void> {
    const c = await this.client?.catch(() => null);
    if (c) await unlockJob(c, jobId).catch(() => undefined);
  }

  async close(): Promise<void> {
    const c = await this.client?.catch(() => null);
    this.client = null;
    c?.release();
  }
}

/** Fails the unfinished jobs no live process holds (its lock is free). Returns how many. */
export function failOrphanedJobs(db: Kysely<Database>, message: string): Promise<number> {
  return failUnlockedJobs(db, message);
}
