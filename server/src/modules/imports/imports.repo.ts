/**
 * Kysely queries of the import module: import_job rows (and the liveness locks of jobs), the
 * reference data an import validates against, and set-based bulk writes. Always scoped by
 * school. The queries of one kind's context and write are in its own repo file.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import type pg from 'pg';
import type { Database, ImportKind, ImportMode, ImportStatus } from '../../db/schema.js';
import type { AuditAction } from '../../platform/audit-actions.js';
import type { AuditColumns } from '../../platform/audit.js';
import { newId } from '../../platform/ids.js';
import type { CodeItem } from './sheet-columns.js';

export type Db = Kysely<Database> | Transaction<Database>;

// ------------------------------------------------------------------ import_job

export async function insertJob(
  db: Db,
  job: { id: string; schoolId: string; kind: ImportKind; mode: ImportMode; identityChanges: boolean; fileName: string; createdBy: string | null },
): Promise<void> {
  await db
    .insertInto('import_job')
    .values({
      id: job.id,
      school_id: job.schoolId,
      kind: job.kind,
      mode: job.mode,
      identity_changes: job.identityChanges,
      status: 'queued',
      file_name: job.fileName,
      created_by: job.createdBy,
      message: null,
      finished_at: null,
    })
    .execute();
}

const JOB_COLUMNS = [
  'id', 'school_id', 'kind', 'mode', 'identity_changes', 'status', 'file_name', 'total_rows', 'processed_rows', 'created_rows', 'updated_rows',
  'unchanged_rows', 'error_count', 'warning_count', 'message', 'created_by', 'created_at', 'finished_at',
] as const;

export async function findJob(db: Db, schoolId: string, jobId: string, withErrors = true) {
  const row = await db
    .selectFrom('import_job')
    .select(JOB_COLUMNS)
    .$if(withErrors, (q) => q.select('errors'))
    .where('school_id', '=', schoolId)
    .where('id', '=', jobId)
    .executeTakeFirst();
  return row;
}

export async function listJobs(db: Db, schoolId: string, limit: number) {
  return db
    .selectFrom('import_job')
    .select(JOB_COLUMNS)
    .where('school_id', '=', schoolId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type JobPatch = {
  status?: ImportStatus;
  total_rows?: number;
  processed_rows?: number;
  created_rows?: number;
  updated_rows?: number;
  unchanged_rows?: number;
  error_count?: number;
  warning_count?: number;
  errors?: unknown;
  message?: string | null;
  finished?: boolean;
};

export async function updateJob(db: Db, jobId: string, patch: JobPatch): Promise<void> {
  const { errors, finished, ...rest } = patch;
  await db
    .updateTable('import_job')
    .set({
      ...rest,
      ...(errors === undefined ? {} : { errors: JSON.stringify(errors) }),
      ...(finished ? { finished_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', jobId)
    .execute();
}

/** Jobs left unfinished by a previous process: their file lived in that process's memory. */
export async function failUnfinishedJobs(db: Db, message: string): Promise<number> {
  const res = await db
    .updateTable('import_job')
    .set({ status: 'failed', message, finished_at: sql<Date>`now()` })
    .where('status', 'in', ['queued', 'validating', 'writing'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Advisory-lock key of a job: the 64 random low bits of its UUIDv7, as a bigint. */
const JOB_LOCK_KEY = (id: string) => `('x' || right(replace(${id}::text, '-', ''), 16))::bit(64)::bigint`;

/** Marks a job as run by the process holding `client` (a session lock: see job-liveness.ts). */
export async function lockJob(client: pg.PoolClient, jobId: string): Promise<void> {
  await client.query(`select pg_advisory_lock(${JOB_LOCK_KEY('$1')})`, [jobId]);
}

export async function unlockJob(client: pg.PoolClient, jobId: string): Promise<void> {
  await client.query(`select pg_advisory_unlock(${JOB_LOCK_KEY('$1')})`, [jobId]);
}

/** Fails the unfinished jobs whose lock no session holds. Returns how many. */
export async function failUnlockedJobs(db: Kysely<Database>, message: string): Promise<number> {
  // The xact lock only tests "is anyone holding it": it is released again at commit.
  const res = await db.transaction().execute((trx) =>
    sql`update import_job set status = 'failed', message = ${message}, finished_at = now()
      where status in ('queued', 'validating', 'writing') and pg_try_advisory_xact_lock(${sql.raw(JOB_LOCK_KEY('id'))})`.execute(trx),
  );
  return Number(res.numAffectedRows ?? 0);
}

// ------------------------------------------------------------------ reference data

/** The kind of an org unit (an upload is accepted for a school only), or undefined. */
export async function findUnitKind(db: Db, unitId: string) {
  const unit = await db.selectFrom('org_unit').select(['kind']).where('id', '=', unitId).executeTakeFirst();
  return unit?.kind;
}

export async function loadCodeList(db: Db, list: string): Promise<CodeItem[]> {
  return db.selectFrom('code_list_item').select(['code', 'name']).where('list', '=', list).orderBy('sort_order').execute();
}

export async function loadClasses(db: Db, schoolId: string) {
  return db
    .selectFrom('class')
    .select(['id', 'name', 'grade', 'year', 'session', 'is_multi_grade', 'homeroom_teacher_id'])
    .where('school_id', '=', schoolId)
    .execute();
}

export async function loadSubjects(db: Db) {
  return db.selectFrom('subject').select(['code', 'name']).orderBy('sort_order').execute();
}

export async function loadSchool(db: Db, schoolId: string, year: number) {
  const unit = await db.selectFrom('org_unit').select(['id', 'code', 'kind']).where('id', '=', schoolId).executeTakeFirst();
  const sy = await db
    .selectFrom('school_year')
    .select(['term1_start', 'term2_end'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .executeTakeFirst();
  return unit ? { ...unit, term1Start: sy?.term1_start ?? null, term2End: sy?.term2_end ?? null } : undefined;
}

// ------------------------------------------------------------------ set-based bulk writes

const BULK_CHUNK = 5000;

/**
 * INSERT … SELECT … FROM json_populate_recordset(null::table, $1): the whole chunk travels as
 * ONE JSON parameter that PostgreSQL parses in C and types from the table's own row type.
 * Measured against unnest($1::type[], …) arrays (which node-postgres escapes element by
 * element in JS) and against VALUES lists (limited to 65,535 parameters): about 3× faster
 * than arrays for audit rows with JSON payloads. jsonb columns take plain objects.
 * Calls `afterChunk` with the number of rows written so far.
 */
export async function bulkInsert<T extends Record<string, unknown>>(
  trx: Db,
  table: keyof Database,
  columns: readonly (keyof T & string)[],
  rows: T[],
  afterChunk?: (written: number) => Promise<void> | void,
): Promise<void> {
  const cols = sql.join(columns.map((c) => sql.id(c)));
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    const chunk = rows.slice(i, i + BULK_CHUNK);
    await sql`insert into ${sql.table(table)} (${cols})
      select ${cols} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(chunk)}::json)`.execute(trx);
    await afterChunk?.(Math.min(i + BULK_CHUNK, rows.length));
  }
}

/**
 * UPDATE t SET c = v.c … FROM json_populate_recordset(null::t, $1) v
 * WHERE t.school_id = $school AND t.id = v.id. Every listed column is overwritten from the rows.
 */
export async function bulkUpdateById<T extends { id: string }>(
  trx: Db,
  table: 'student' | 'guardian' | 'staff' | 'class',
  schoolId: string,
  columns: readonly Exclude<keyof T & string, 'id'>[],
  rows: T[],
  options: { touchUpdatedAt?: boolean; afterChunk?: (written: number) => Promise<void> | void } = {},
): Promise<void> {
  const sets = columns.map((c) => sql`${sql.id(c)} = v.${sql.id(c)}`);
  if (options.touchUpdatedAt) sets.push(sql`updated_at = now()`);
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    const chunk = rows.slice(i, i + BULK_CHUNK);
    await sql`update ${sql.table(table)} as t set ${sql.join(sets)}
      from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(chunk)}::json) as v
      where t.school_id = ${schoolId}::uuid and t.id = v.id`.execute(trx);
    await options.afterChunk?.(Math.min(i + BULK_CHUNK, rows.length));
  }
}

/** An audit row the import writes in bulk: the platform's columns, snapshots as plain values (stored as jsonb). */
export type AuditInsert = AuditColumns & { before: unknown; after: unknown };

export const AUDIT_COLUMNS = ['id', 'user_id', 'username', 'action', 'entity', 'entity_id', 'org_unit_id', 'before', 'after', 'ip', 'target_label'] as const;

/** The audit row of one record an import writes, by the job's uploader, in the job's school. */
export function auditRow(
  job: { schoolId: string; actor: { userId: string; username: string } | null; ip: string | null },
  entity: 'student' | 'staff' | 'class',
  action: AuditAction,
  entityId: string,
  before: unknown,
  after: unknown,
  targetLabel: string | null,
): AuditInsert {
  return {
    id: newId(),
    user_id: job.actor?.userId ?? null,
    username: job.actor?.username ?? null,
    action,
    entity,
    entity_id: entityId,
    org_unit_id: job.schoolId,
    before,
    after,
    ip: job.ip,
    target_label: targetLabel,
  };
}
