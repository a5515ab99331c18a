import { type Kysely, sql } from 'kysely';
import type { BackgroundJobState, Database } from '../db/schema.js';

type Db = Kysely<Database>;

export type JobRow = {
  id: string;
  kind: string;
  org_unit_id: string;
  params: unknown;
  state: BackgroundJobState;
  attempts: number;
  max_attempts: number;
  created_by: string | null;
};

export async function insertJob(
  db: Db,
  row: { id: string; kind: string; orgUnitId: string; params: unknown; createdBy: string | null; maxAttempts: number; total: number; runAfter?: Date; delaySeconds?: number },
) {
  await db
    .insertInto('background_job')
    .values({
      id: row.id,
      kind: row.kind,
      org_unit_id: row.orgUnitId,
      params: JSON.stringify(row.params),
      created_by: row.createdBy,
      max_attempts: row.maxAttempts,
      progress_total: row.total,
      // A time of the caller's (a scheduled announcement), or a delay on the database's clock (a retry).
      ...(row.runAfter ? { run_after: row.runAfter } : row.delaySeconds ? { run_after: sql<Date>`now() + make_interval(secs => ${row.delaySeconds})` } : {}),
    })
    .execute();
}

/**
 * A process that is the only one on the database starts: jobs still 'running' died with the
 * process before (a SIGKILL), so they are taken up at once instead of after the heartbeat's
 * staleness.
 */
/** Which kinds of job a runner takes: only these, or all but these (platform/jobs.ts lanes). */
export type KindFilter = { only: readonly string[] } | { except: readonly string[] } | null;

const kindCondition = (kinds: KindFilter) =>
  !kinds ? sql`true` : 'only' in kinds ? sql`kind in (${sql.join([...kinds.only])})` : sql`kind not in (${sql.join([...kinds.except])})`;

export async function releaseOrphanedJobs(db: Db, kinds: KindFilter = null): Promise<number> {
  const r = await sql`update background_job set heartbeat_at = to_timestamp(0) where state = 'running' and ${kindCondition(kinds)}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Claims the next job to run: a queued one whose time has come, or a running one whose process
 * stopped beating (killed, crashed). SKIP LOCKED: two processes never claim the same job.
 */
export async function claimJob(db: Db, staleSeconds: number, kinds: KindFilter = null): Promise<JobRow | undefined> {
  const r = await sql<JobRow>`
    update background_job j set state = 'running', attempts = j.attempts + 1, heartbeat_at = now()
     where j.id = (
       select id from background_job
        where ((state = 'queued' and run_after <= now())
           or (state = 'running' and heartbeat_at < now() - make_interval(secs => ${staleSeconds})))
          and ${kindCondition(kinds)}
        order by run_after, created_at
        limit 1
        for update skip locked)
    returning j.id, j.kind, j.org_unit_id, j.params, j.state, j.attempts, j.max_attempts, j.created_by`.execute(db);
  return r.rows[0];
}

export async function beat(db: Db, id: string, progress?: { done: number; total: number; text: string | null }) {
  let q = db.updateTable('background_job').set({ heartbeat_at: new Date() }).where('id', '=', id).where('state', '=', 'running');
  if (progress) q = q.set({ progress_done: progress.done, progress_total: progress.total, progress_text: progress.text });
  await q.execute();
}

export async function finishJob(db: Db, id: string, result: unknown) {
  await db.updateTable('background_job').set({ state: 'done', result: JSON.stringify(result ?? null), error: null, finished_at: new Date() }).where('id', '=', id).execute();
}

/** A failed attempt: queued again after `retryInSeconds`, or failed for good when null. Its files go: the next attempt starts over. */
export async function failAttempt(db: Db, id: string, error: string, retryInSeconds: number | null) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('background_job_file').where('job_id', '=', id).execute();
    await trx
      .updateTable('background_job')
      .set(
        retryInSeconds === null
          ? { state: 'failed', error, finished_at: new Date() }
          : { state: 'queued', error, run_after: sql<Date>`now() + make_interval(secs => ${retryInSeconds})`, progress_done: 0 },
      )
      .where('id', '=', id)
      .execute();
  });
}

export async function addJobFile(db: Db, jobId: string, seq: number, name: string, body: Uint8Array) {
  await db
    .insertInto('background_job_file')
    .values({ job_id: jobId, seq, name, body })
    .onConflict((oc) => oc.columns(['job_id', 'seq']).doUpdateSet({ name, body }))
    .execute();
}

export async function findJob(db: Db, orgUnitId: string, id: string) {
  return db
    .selectFrom('background_job as j')
    .leftJoin('app_user as u', 'u.id', 'j.created_by')
    .select(['j.id', 'j.kind', 'j.org_unit_id', 'j.params', 'j.state', 'j.attempts', 'j.max_attempts', 'j.progress_done', 'j.progress_total', 'j.progress_text', 'j.result', 'j.error', 'j.created_by', 'j.created_at', 'j.finished_at', 'u.display_name as created_by_name'])
    .where('j.org_unit_id', '=', orgUnitId)
    .where('j.id', '=', id)
    .executeTakeFirst();
}

export async function listJobFiles(db: Db, jobId: string) {
  return db.selectFrom('background_job_file').select(['name', 'body']).where('job_id', '=', jobId).orderBy('seq').execute();
}

/** Who started a job, as an actor for the audit lines its work writes. */
export async function findJobUser(db: Db, userId: string) {
  return db.selectFrom('app_user').select(['id', 'username', 'display_name', 'staff_school_id', 'staff_id']).where('id', '=', userId).executeTakeFirst();
}
