import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';
import { type JobRow, type KindFilter, addJobFile, beat, claimJob, failAttempt, findJobUser, finishJob, insertJob, releaseOrphanedJobs } from './jobs.repo.js';

/**
 * Background jobs on the database's own queue (migration 0019), the same on PGlite and
 * PostgreSQL: a job survives the process that queued it, a process that dies mid-job leaves a
 * heartbeat that stops, and the job is claimed again (handlers start over: a retry deletes the
 * files of the attempt before). Why not pg-boss: it needs PostgreSQL features and a schema of its
 * own, and the embedded engine must run the same code (docs/decisions/0017-background-jobs.md).
 */

type Db = Kysely<Database>;

export type JobContext<P> = {
  db: Db;
  id: string;
  params: P;
  orgUnitId: string;
  /** Who queued it, as an actor for audit lines (null when the system did). */
  actor: Actor | null;
  /** Reports progress (and beats the heart): what the job's page shows. */
  progress: (done: number, total: number, text?: string) => Promise<void>;
  /** Keeps a file the job made; the job's files are downloaded together as one .zip. */
  addFile: (name: string, body: Buffer) => Promise<void>;
  /** Resolves at a moment the server is free (between two pieces of work: PGlite has one thread and one connection). */
  turn: () => Promise<void>;
};

export type JobHandler<P> = (ctx: JobContext<P>) => Promise<unknown>;

const handlers = new Map<string, JobHandler<never>>();

/** Declares a kind of job (at module load); `run` does it, and what it returns is the job's result. */
export function defineJob<P>(kind: string, run: JobHandler<P>): { kind: string } {
  handlers.set(kind, run);
  return { kind };
}

const runners = new Set<JobRunner>();

/**
 * Queues a job; a runner of this process starts it at once, another process's at its next poll.
 * Not before `runAfter` (a scheduled announcement) or `delaySeconds` from now (a retry). Queued
 * inside a transaction, the job is not visible until the commit, which the wake-up may come
 * before: a woken runner that finds nothing looks again a few times within the next seconds
 * (JobRunner.wake), so the job starts soon after the commit.
 */
export async function enqueueJob(
  db: Db,
  job: { kind: { kind: string }; orgUnitId: string; params: unknown; createdBy: string | null; total?: number; maxAttempts?: number; runAfter?: Date; delaySeconds?: number },
): Promise<string> {
  const id = crypto.randomUUID();
  await insertJob(db, { id, kind: job.kind.kind, orgUnitId: job.orgUnitId, params: job.params, createdBy: job.createdBy, maxAttempts: job.maxAttempts ?? 3, total: job.total ?? 0, runAfter: job.runAfter, delaySeconds: job.delaySeconds });
  for (const r of runners) r.wake();
  return id;
}

export type JobRunnerOptions = {
  /** A running job whose heartbeat is older than this is taken to have lost its process. */
  staleSeconds?: number;
  pollMs?: number;
  /** Waits for a quiet moment of the HTTP server (platform/request-activity.ts) between pieces of work. */
  quiet?: () => Promise<void>;
  log?: (message: string) => void;
  /** Seconds before the next attempt after attempt n failed (tests shorten it). */
  retrySeconds?: (attempt: number) => number;
  /** The only process on the database: jobs left 'running' at start died with the one before (app.ts soleProcess). */
  soleProcess?: boolean;
  /** The kinds this runner takes (a lane, see CONTACT_BOOK_JOBS); all by default. */
  kinds?: KindFilter;
};

/**
 * The contact book's jobs: short, and someone is waiting for them (a parent's test e-mail, a
 * teacher's message notice, an announcement due now). app.ts runs them in a lane of their own, so
 * they never wait behind a học bạ batch or a province's close, which run in the other lane.
 */
export type { KindFilter };
export const CONTACT_BOOK_JOBS = ['deliver_notices', 'message_notice', 'announcement_send', 'notice_digest'] as const;

/** After a wake-up that found nothing (the queuing transaction not yet committed), look again after these pauses, ms. */
const REPOLL_AFTER_WAKE_MS = [20, 80, 250, 600, 1500];

/** Seconds before attempt n + 1 of a failed job: 10 s, 40 s, 160 s … */
export const retryDelaySeconds = (attempt: number) => 10 * 4 ** (attempt - 1);

/** Runs this process's share of the queue (of its lane's kinds), one job at a time. */
export class JobRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** Quick looks left after a wake-up (REPOLL_AFTER_WAKE_MS). */
  private repolls: number[] = [];
  private readonly staleSeconds: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.staleSeconds = options.staleSeconds ?? 60;
    this.pollMs = options.pollMs ?? 5000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    runners.add(this);
    this.loop = this.work();
  }

  async stop(): Promise<void> {
    this.running = false;
    runners.delete(this);
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.repolls = [...REPOLL_AFTER_WAKE_MS];
    this.wakeUp?.();
  }

  private async work(): Promise<void> {
    const kinds = this.options.kinds ?? null;
    if (this.options.soleProcess) await releaseOrphanedJobs(this.db, kinds).catch(() => undefined);
    while (this.running) {
      const job = await claimJob(this.db, this.staleSeconds, kinds).catch((err: unknown) => {
        this.options.log?.(`Không lấy được việc nền: ${String(err)}`);
        return undefined;
      });
      if (job) {
        await this.run(job);
        continue;
      }
      const pause = this.repolls.shift() ?? this.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private async run(job: JobRow): Promise<void> {
    const handler = handlers.get(job.kind);
    if (!handler || job.attempts > job.max_attempts) {
      await failAttempt(this.db, job.id, handler ? 'Việc nền dừng giữa chừng quá số lần cho phép.' : 'Máy chủ này không chạy được loại việc nền này.', null);
      return;
    }
    // The heart beats on its own too: one piece of work may take longer than a progress report.
    const heart = setInterval(() => void beat(this.db, job.id).catch(() => undefined), (this.staleSeconds * 1000) / 4);
    let files = 0;
    const ctx: JobContext<never> = {
      db: this.db,
      id: job.id,
      params: job.params as never,
      orgUnitId: job.org_unit_id,
      actor: job.created_by ? await jobActor(this.db, job.created_by) : null,
      progress: (done, total, text) => beat(this.db, job.id, { done, total, text: text ?? null }),
      addFile: (name, body) => addJobFile(this.db, job.id, files++, name, body),
      turn: async () => {
        await new Promise((r) => setImmediate(r));
        if (this.options.quiet) await this.options.quiet();
      },
    };
    try {
      await finishJob(this.db, job.id, await handler(ctx));
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'Lỗi hệ thống khi chạy việc nền.';
      if (!(err instanceof AppError)) this.options.log?.(`Việc nền ${job.kind} ${job.id} lỗi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const retry = !(err instanceof AppError) && job.attempts < job.max_attempts;
      await failAttempt(this.db, job.id, message, retry ? (this.options.retrySeconds ?? retryDelaySeconds)(job.attempts) : null).catch(() => undefined);
    } finally {
      clearInterval(heart);
    }
  }
}

async function jobActor(db: Db, userId: string): Promise<Actor | null> {
  const u = await findJobUser(db, userId);
  if (!u) return null;
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    grants: [],
    staff: u.staff_school_id && u.staff_id ? { schoolId: u.staff_school_id, staffId: u.staff_id } : null,
    student: null,
    csrfToken: '',
    mustChangePassword: false,
    treeVersion: 0,
  };
}
