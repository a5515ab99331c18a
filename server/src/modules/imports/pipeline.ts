/**
 * The one pipeline every import kind runs through:
 *
 *   parse (the kind's column map) → validate (pure) → load context (a few set-based queries)
 *   → plan (pure: creates, updates, unchanged rows, conflicts) → write (set-based, ONE
 *   transaction with the per-record audit rows, the summary audit row and the job's final state).
 *
 * A kind plugs in with an `ImportSpec`: its sheet, its validator, what its planner needs from the
 * database, its planner and its writer. Everything a user sees of the run — progress, the
 * all-or-nothing refusal, the messages, the stored issues and the error sheet — is decided here,
 * the same for every kind.
 */
import type { Kysely } from 'kysely';
import type { DbEngine } from '../../db/connection.js';
import type { Database, ImportKind, ImportMode } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { type Db, updateJob } from './imports.repo.js';
import { type ImportIssue, type ParsedSheet, type SheetSpec, displayCell, parseSheet } from './sheet-columns.js';
import type { StoredIssue } from './templates.js';
import type { JobLiveness } from './job-liveness.js';

export type JobActor = { userId: string; username: string } | null;

/** A job as the queue holds it: what the upload asked for, and the file (in memory only). */
export type QueuedImport = {
  jobId: string;
  schoolId: string;
  kind: ImportKind;
  mode: ImportMode;
  /** Matched students' name, date of birth and sex may change (students only; principals only). */
  identityChanges: boolean;
  year: number;
  fileName: string;
  file: Buffer;
  actor: JobActor;
  ip: string | null;
};

/** The job as a kind's steps see it: everything but the file. */
export type ImportJob = Omit<QueuedImport, 'file'>;

/** Liveness locks: on PostgreSQL, where other processes may share the database. */
export type ImportDeps = { db: Kysely<Database>; engine: DbEngine; liveness?: JobLiveness };

/** A step's answer: a value, or why the whole job is refused (nothing is written). */
export type Verdict<T> = { ok: true; value: T } | { ok: false; message: string };

/** What a planner decides; `updates` are the matched rows that change something. */
export type ImportPlan<Create, Update> = {
  creates: Create[];
  updates: Update[];
  /** File rows that matched a record needing no change: counted, neither written nor audited. */
  unchanged: number[];
  /** Conflicts only the database reveals (ambiguous matches, identity conflicts…). */
  issues: ImportIssue[];
};

/** An update of a matched record by id (staff, classes): every written column, and which compared ones change from what. */
export type PlannedRowUpdate<Values> = {
  row: number;
  id: string;
  /** Every written column after the update (blank cells keep the stored value). */
  values: Values;
  /** The compared columns that change, with their stored values. */
  changed: (keyof Values)[];
  before: Partial<Values>;
};

export type WriteInput<Context> = {
  job: ImportJob;
  context: Context;
  /** Rows of the plan written so far (PostgreSQL only: on PGlite the transaction holds the one connection). */
  onProgress?: (written: number) => Promise<void> | void;
};

/** What an import kind plugs into the pipeline. */
export type ImportSpec<F extends string, Ref, Row, Context, Plan extends ImportPlan<unknown, unknown>> = {
  /** The column map: headers, aliases, required columns, the header row, the row limit; `noun` names the records. */
  sheet: SheetSpec<F>;
  /** The warning for a row without any key field; without it such rows are dropped silently. */
  skippedRowWarning?: string;
  /** The refusal when no row is left to write. */
  nothingToWrite: string;
  /** Reference data the rows are checked against (code lists, classes, staff), or why the job cannot run. */
  loadReference: (db: Db, job: ImportJob) => Promise<Verdict<Ref>>;
  /** Pure: checks every row; a row with an error is not returned. */
  validate: (sheet: ParsedSheet<F>, ref: Ref) => { rows: Row[]; issues: ImportIssue[] };
  /** What the planner needs from the database, read in a few set-based queries. */
  loadContext: (db: Db, input: { job: ImportJob; sheet: ParsedSheet<F>; ref: Ref; rows: Row[] }) => Promise<Context>;
  /** Pure. */
  plan: (rows: Row[], context: Context) => Plan;
  /** Set-based statements inside the job's transaction: data and per-record audit rows. */
  write: (trx: Db, plan: Plan, input: WriteInput<Context>) => Promise<void>;
  /** What this kind adds to the summary audit row, and a clause for the done message. */
  summary?: (plan: Plan, counts: { errorRows: number }) => { audit: Record<string, unknown>; note: string | null };
};

/** Issues kept in import_job.errors; error_count and warning_count keep the true totals. */
const MAX_STORED_ISSUES = 10_000;
/** Error rows whose original cells are kept for the "Dòng lỗi" sheet. */
const MAX_ROW_COPIES = 5_000;
const PROGRESS_EVERY = 500;

/** Chains progress writes so they never overlap or arrive out of order. */
class Progress {
  private chain: Promise<void> = Promise.resolve();
  private last = -1;
  constructor(
    private readonly db: Db,
    private readonly jobId: string,
  ) {}
  report(n: number): void {
    if (n - this.last < PROGRESS_EVERY) return;
    this.last = n;
    this.chain = this.chain.then(() => updateJob(this.db, this.jobId, { processed_rows: n })).catch(() => undefined);
  }
  flush(): Promise<void> {
    return this.chain;
  }
}

/** Errors first, then warnings, each by row; the first error of a row carries the row's original cells. */
export function storeIssues(issues: ImportIssue[], sheet: ParsedSheet<string> | null): StoredIssue[] {
  const sorted = [...issues].sort((a, b) => a.row - b.row || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const capped = [...sorted.filter((i) => i.severity === 'error'), ...sorted.filter((i) => i.severity === 'warning')].slice(0, MAX_STORED_ISSUES);
  if (!sheet) return capped;
  const byRow = new Map(sheet.rows.map((r) => [r.rowNumber, r.cells]));
  const done = new Set<number>();
  let copies = 0;
  return capped.map((i) => {
    if (i.severity !== 'error' || done.has(i.row) || copies >= MAX_ROW_COPIES) return i;
    const cells = byRow.get(i.row);
    if (!cells) return i;
    done.add(i.row);
    copies += 1;
    return {
      ...i,
      cells: sheet.headers.map((h) => [h.header, displayCell(cells[h.index], sheet.dateColumns.has(h.index), sheet.date1904)] as [string, string | null]),
    };
  });
}

type Outcome = { status: 'done' | 'rejected'; created: number; updated: number; unchanged: number; message: string };

type Checked = { total: number; stored: StoredIssue[]; errorCount: number; warningCount: number };

async function finish(db: Db, job: ImportJob, checked: Checked, outcome: Outcome): Promise<void> {
  await updateJob(db, job.jobId, {
    status: outcome.status,
    total_rows: checked.total,
    processed_rows: checked.total,
    created_rows: outcome.created,
    updated_rows: outcome.updated,
    unchanged_rows: outcome.unchanged,
    error_count: checked.errorCount,
    warning_count: checked.warningCount,
    errors: checked.stored,
    message: outcome.message,
    finished: true,
  });
}

async function refuse(db: Db, job: ImportJob, message: string): Promise<void> {
  await updateJob(db, job.jobId, { status: 'rejected', message, finished: true });
}

const count = (n: number) => n.toLocaleString('vi-VN');

function rejectedMessage(errorCount: number, noun: string): string {
  return `Tệp có ${count(errorCount)} lỗi nên chưa ghi ${noun} nào. Hãy tải bảng lỗi, sửa trong tệp rồi tải lên lại (hoặc chọn "chỉ ghi các dòng hợp lệ").`;
}

function doneMessage(
  o: { created: number; updated: number; unchanged: number; skipped: number; errorRows: number; ignoredHeaders: string[]; note: string | null },
  noun: string,
): string {
  const parts = [`Đã thêm ${count(o.created)} ${noun}, cập nhật ${count(o.updated - o.unchanged)}`];
  if (o.note) parts.push(o.note);
  if (o.unchanged) parts.push(`${count(o.unchanged)} không thay đổi`);
  if (o.errorRows) parts.push(`bỏ qua ${count(o.errorRows)} dòng có lỗi (xem bảng lỗi)`);
  if (o.skipped) parts.push(`bỏ qua ${o.skipped} dòng không có dữ liệu ${noun}`);
  let s = `${parts.join('; ')}.`;
  if (o.ignoredHeaders.length) s += ` Các cột không dùng: ${o.ignoredHeaders.slice(0, 10).join(', ')}.`;
  return s;
}

async function summaryAudit(trx: Db, job: ImportJob, after: Record<string, unknown>): Promise<void> {
  await writeAudit(
    trx,
    job.actor,
    {
      action: `import.${job.kind}`,
      entity: 'import_job',
      entityId: job.jobId,
      orgUnitId: job.schoolId,
      after: { fileName: job.fileName, mode: job.mode, identityChanges: job.identityChanges, year: job.year, ...after },
    },
    job.ip,
  );
}

/**
 * Runs one job of one kind to a final state (done or rejected). Throws only on a database
 * failure; the caller marks the job failed then.
 */
export async function runImport<F extends string, Ref, Row, Context, Plan extends ImportPlan<unknown, unknown>>(
  deps: ImportDeps,
  queued: QueuedImport,
  spec: ImportSpec<F, Ref, Row, Context, Plan>,
): Promise<void> {
  const { db } = deps;
  const { file, ...job } = queued;
  const progress = new Progress(db, job.jobId);
  const sheet = await parseSheet(file, spec.sheet, (n) => progress.report(n));
  await progress.flush();
  if (!sheet.ok) return refuse(db, job, sheet.message);
  const total = sheet.rows.length;
  await updateJob(db, job.jobId, { total_rows: total, processed_rows: total });

  const ref = await spec.loadReference(db, job);
  if (!ref.ok) return refuse(db, job, ref.message);
  const { rows, issues } = spec.validate(sheet, ref.value);
  const context = await spec.loadContext(db, { job, sheet, ref: ref.value, rows });
  const plan = spec.plan(rows, context);

  const skipped = spec.skippedRowWarning === undefined ? [] : sheet.skippedRows;
  const all: ImportIssue[] = [
    ...issues,
    ...plan.issues,
    ...skipped.map<ImportIssue>((row) => ({ row, column: '', value: null, message: spec.skippedRowWarning ?? '', severity: 'warning' })),
  ];
  const errorRows = new Set(all.filter((i) => i.severity === 'error').map((i) => i.row)).size;
  const checked: Checked = {
    total,
    stored: storeIssues(all, sheet),
    errorCount: all.filter((i) => i.severity === 'error').length,
    warningCount: all.filter((i) => i.severity === 'warning').length,
  };
  const noun = spec.sheet.noun;
  const nothing = { created: 0, updated: 0, unchanged: 0 };
  if (checked.errorCount > 0 && job.mode === 'all_or_nothing') {
    return finish(db, job, checked, { status: 'rejected', ...nothing, message: rejectedMessage(checked.errorCount, noun) });
  }
  const created = plan.creates.length;
  const unchanged = plan.unchanged.length;
  const updated = plan.updates.length + unchanged;
  if (created + updated === 0) {
    return finish(db, job, checked, { status: 'rejected', ...nothing, message: spec.nothingToWrite });
  }

  await updateJob(db, job.jobId, { status: 'writing', processed_rows: 0 });
  const writeProgress = deps.engine === 'postgres' ? new Progress(db, job.jobId) : null;
  const summary = spec.summary?.(plan, { errorRows }) ?? { audit: {}, note: null };
  const message = doneMessage({ created, updated, unchanged, skipped: skipped.length, errorRows, ignoredHeaders: sheet.ignoredHeaders, note: summary.note }, noun);
  await db.transaction().execute(async (trx) => {
    await spec.write(trx, plan, { job, context, onProgress: writeProgress ? (n) => writeProgress.report(n) : undefined });
    await writeProgress?.flush();
    await summaryAudit(trx, job, { totalRows: total, created, updated, unchanged, ...summary.audit, errorCount: checked.errorCount });
    await finish(trx, job, checked, { status: 'done', created, updated, unchanged, message });
  });
}
