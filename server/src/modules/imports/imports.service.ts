/**
 * Import jobs: accept an upload (type, size and zip-bomb checks happen before anything else),
 * queue it, and process it in the background, one job at a time per process.
 *
 * States of a job: queued → validating (parse + check EVERY row, then match against the
 * database) → rejected | writing (ONE transaction: data, per-record audit rows, one summary
 * audit row, and the job's final state) → done | failed. Every kind runs the same pipeline
 * (pipeline.ts) with its own spec.
 *
 * There is no job library yet: the queue lives in this process and the uploaded file only
 * in memory, so jobs left unfinished by a crash or restart are marked failed at start-up
 * (see ImportQueue.start); with several processes on PostgreSQL, the jobs of one that dies are
 * failed when it exits (job-liveness.ts). A job is never resumed: that needs pg-boss with the
 * file on disk.
 */
import type { Kysely } from 'kysely';
import { IMPORT_ERRORS_IN_RESPONSE, type TImportJob } from '../../../../contracts/imports.js';
import { cleanText, isoToday, schoolYearOf } from '../../../../domain/index.js';
import type { Database, ImportKind, ImportMode, Role } from '../../db/schema.js';
import { AppError, isUniqueViolation } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { CLASS_IMPORT } from './class-import.js';
import { failUnfinishedJobs, findJob, findUnitKind, insertJob, listJobs, loadCodeList, loadSubjects, updateJob } from './imports.repo.js';
import { type ImportDeps, type JobActor, type QueuedImport, runImport } from './pipeline.js';
import { STAFF_IMPORT } from './staff-import.js';
import { STUDENT_IMPORT } from './student-import.js';
import { IDENTITY_MODE_LABEL } from './student-plan.js';
import { type StoredIssue, buildErrorWorkbook, buildTemplate } from './templates.js';
import { DEFAULT_ZIP_LIMITS, assertXlsxUpload, type ZipLimits } from './zip-guard.js';

type Db = Kysely<Database>;

/** Uploads waiting in memory at most; more → 503 "try again". */
const MAX_PENDING_JOBS = 20;

/**
 * Who may allow identity changes in an import: the principal (or the system administrator). The
 * clerk who uploads the lists every year cannot: a name or date of birth that differs from the
 * school's record is a question for the head of the school, not something a file decides.
 */
export const IDENTITY_CHANGE_ROLES: readonly Role[] = ['system_admin', 'principal'];

/** Why a job whose process went away (restart, crash) was failed. */
export const JOB_LOST_MESSAGE = 'Máy chủ đã khởi động lại trong lúc xử lý tệp; không có dữ liệu nào được ghi. Hãy tải tệp lên lại.';

// ------------------------------------------------------------------ queue

/** Runs jobs one at a time in this process; `setImmediate` keeps the upload request fast. */
export class ImportQueue {
  private readonly pending: QueuedImport[] = [];
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: ImportDeps) {}

  /** Jobs a previous process left unfinished cannot resume: their file was only in memory. */
  async start(): Promise<void> {
    await failUnfinishedJobs(this.deps.db, JOB_LOST_MESSAGE);
  }

  /** Marks a job as run by this process (before its row exists): see job-liveness.ts. */
  async claim(jobId: string): Promise<void> {
    await this.deps.liveness?.hold(jobId);
  }

  async release(jobId: string): Promise<void> {
    await this.deps.liveness?.release(jobId);
  }

  get size(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  enqueue(job: QueuedImport): void {
    if (this.closed) throw new AppError(503, 'shutting_down', 'Máy chủ đang khởi động lại; hãy thử lại sau ít phút.');
    this.pending.push(job);
    if (!this.running) {
      this.running = new Promise<void>((resolve) => {
        setImmediate(() => {
          // drain() does not throw in practice (runImportJob fails the job, release() ignores a lost
          // connection); if it ever did, log it and let the next enqueue start a new drain rather
          // than leave an unhandled rejection (which ends the process) and a queue stuck "running".
          this.drain()
            .catch((err: unknown) => {
              console.error('[imports] queue stopped', err);
              this.running = null;
            })
            .finally(resolve);
        });
      });
    }
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const job = this.pending.shift() as QueuedImport;
      await runImportJob(this.deps, job);
      await this.release(job.jobId);
    }
    this.running = null;
  }

  /** On shutdown: let the running job finish, fail the ones still waiting. */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = this.pending.splice(0);
    if (this.running) await this.running;
    for (const j of waiting) {
      await updateJob(this.deps.db, j.jobId, {
        status: 'failed',
        message: 'Máy chủ dừng trước khi xử lý tệp; không có dữ liệu nào được ghi. Hãy tải tệp lên lại.',
        finished: true,
      }).catch(() => undefined);
      await this.release(j.jobId);
    }
    await this.deps.liveness?.close();
  }
}

// ------------------------------------------------------------------ upload

/** Keeps a readable, harmless file name: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // Control and bidi characters go too: "\u202Exslx.exe" would read as "exe.xlsx".
  const s = cleanText(base);
  return (s || 'tep-nhap.xlsx').slice(0, 200);
}

/**
 * Checks the upload and queues a job. Everything that can be decided without parsing the
 * sheet is decided here, synchronously: extension, ZIP signature, archive limits.
 */
export async function acceptUpload(
  db: Db,
  queue: ImportQueue,
  input: {
    schoolId: string;
    kind: ImportKind;
    mode: ImportMode;
    /** Asked for "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp". */
    identityChanges?: boolean;
    /** Roles the uploader holds over the school (the access hook's answer); needed for identityChanges. */
    heldRoles?: ReadonlySet<Role>;
    year?: number;
    fileName: string;
    file: Buffer;
    actor: JobActor;
    ip: string | null;
  },
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<TImportJob> {
  const identityChanges = input.identityChanges === true;
  if (identityChanges && input.kind !== 'students') {
    throw new AppError(
      400,
      'identity_changes_students_only',
      `Tùy chọn "${IDENTITY_MODE_LABEL}" chỉ dùng khi nhập danh sách học sinh. Hãy bỏ chọn tùy chọn này.`,
    );
  }
  if (identityChanges && !IDENTITY_CHANGE_ROLES.some((r) => input.heldRoles?.has(r) === true)) {
    throw new AppError(
      403,
      'identity_changes_forbidden',
      `Chỉ hiệu trưởng được chọn "${IDENTITY_MODE_LABEL}". Hãy bỏ chọn tùy chọn này (các dòng khác họ tên, ngày sinh hoặc giới tính sẽ được liệt kê trong bảng lỗi) hoặc nhờ hiệu trưởng tải tệp lên.`,
    );
  }
  await assertXlsxUpload(input.fileName, input.file, limits);
  if (queue.size >= MAX_PENDING_JOBS) {
    throw new AppError(503, 'import_queue_full', 'Hệ thống đang xử lý nhiều tệp nhập; hãy thử lại sau ít phút.');
  }
  if ((await findUnitKind(db, input.schoolId)) !== 'school') throw new AppError(404, 'not_found', 'Không tìm thấy trường.');
  const jobId = newId();
  const year = input.year ?? schoolYearOf(isoToday());
  await queue.claim(jobId);
  try {
    await insertJob(db, {
      id: jobId,
      schoolId: input.schoolId,
      kind: input.kind,
      mode: input.mode,
      identityChanges,
      fileName: input.fileName,
      createdBy: input.actor?.userId ?? null,
    });
  } catch (err) {
    await queue.release(jobId);
    throw err;
  }
  try {
    queue.enqueue({
      jobId,
      schoolId: input.schoolId,
      kind: input.kind,
      mode: input.mode,
      identityChanges,
      year,
      fileName: input.fileName,
      file: input.file,
      actor: input.actor,
      ip: input.ip,
    });
  } catch (err) {
    // Shutting down: the row must not stay queued with nobody to run it.
    await updateJob(db, jobId, { status: 'failed', message: JOB_LOST_MESSAGE, finished: true });
    await queue.release(jobId);
    throw err;
  }
  return getJob(db, input.schoolId, jobId);
}

// ------------------------------------------------------------------ reading jobs

type JobRecord = NonNullable<Awaited<ReturnType<typeof findJob>>>;

const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : String(d));

function storedIssues(errors: unknown): StoredIssue[] {
  return Array.isArray(errors) ? (errors as StoredIssue[]) : [];
}

export function presentJob(row: JobRecord, withIssues = true): TImportJob {
  const issues = withIssues ? storedIssues(row.errors) : [];
  const strip = (i: StoredIssue) => ({ row: i.row, column: i.column, value: i.value, message: i.message });
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === undefined);
  const warnings = issues.filter((i) => i.severity === 'warning');
  return {
    id: row.id,
    schoolId: row.school_id,
    kind: row.kind,
    mode: row.mode,
    allowIdentityChanges: row.identity_changes,
    status: row.status,
    fileName: row.file_name,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    createdRows: row.created_rows,
    updatedRows: row.updated_rows,
    unchangedRows: row.unchanged_rows,
    errorCount: row.error_count,
    errors: errors.slice(0, IMPORT_ERRORS_IN_RESPONSE).map(strip),
    warningCount: row.warning_count,
    warnings: warnings.slice(0, IMPORT_ERRORS_IN_RESPONSE).map(strip),
    message: row.message,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at ? iso(row.finished_at) : null,
  };
}

export async function getJob(db: Db, schoolId: string, jobId: string): Promise<TImportJob> {
  const row = await findJob(db, schoolId, jobId);
  if (!row) throw new AppError(404, 'not_found', 'Không tìm thấy lượt nhập này.');
  return presentJob(row);
}

export async function recentJobs(db: Db, schoolId: string, limit = 30): Promise<TImportJob[]> {
  const rows = await listJobs(db, schoolId, limit);
  // The list carries no error details (the counts only); GET /imports/:jobId has them.
  return rows.map((r) => presentJob({ ...r, errors: [] }, false));
}

/** The template of a kind, with the allowed values of its code lists. */
export async function templateFile(db: Db, kind: ImportKind): Promise<Buffer> {
  return buildTemplate(kind, {
    ethnicities: await loadCodeList(db, 'DM_DAN_TOC'),
    statuses: await loadCodeList(db, 'DM_TRANG_THAI_HOC_SINH'),
    qualifications: await loadCodeList(db, 'DM_TRINH_DO_CHUYEN_MON'),
    contracts: await loadCodeList(db, 'DM_HINH_THUC_HOP_DONG'),
    subjects: await loadSubjects(db),
  });
}

export async function errorSheet(db: Db, schoolId: string, jobId: string): Promise<{ fileName: string; body: Buffer }> {
  const row = await findJob(db, schoolId, jobId);
  if (!row) throw new AppError(404, 'not_found', 'Không tìm thấy lượt nhập này.');
  const issues = storedIssues(row.errors);
  const base = row.file_name.replace(/\.xlsx$/i, '');
  return { fileName: `Loi-${base}.xlsx`, body: await buildErrorWorkbook(issues) };
}

// ------------------------------------------------------------------ running a job

/** Each kind's run: the one pipeline with that kind's spec. */
const RUNS: Record<ImportKind, (deps: ImportDeps, job: QueuedImport) => Promise<void>> = {
  students: (deps, job) => runImport(deps, job, STUDENT_IMPORT),
  staff: (deps, job) => runImport(deps, job, STAFF_IMPORT),
  classes: (deps, job) => runImport(deps, job, CLASS_IMPORT),
};

/** Processes one job to a final state; never throws. */
export async function runImportJob(deps: ImportDeps, job: QueuedImport): Promise<void> {
  const { db } = deps;
  try {
    await updateJob(db, job.jobId, { status: 'validating', processed_rows: 0 });
    await RUNS[job.kind](deps, job);
  } catch (err) {
    // A unique index can still fire if someone else wrote the same id between our check and the write.
    const raced = isUniqueViolation(err);
    const message =
      raced
        ? 'Dữ liệu trong trường vừa thay đổi trong lúc nhập (trùng mã định danh hoặc số định danh). Không có dữ liệu nào được ghi; hãy tải tệp lên lại.'
        : 'Đã có lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Hãy thử lại hoặc báo quản trị viên.';
    if (!raced) console.error('[imports] job failed', job.jobId, err);
    await updateJob(db, job.jobId, { status: 'failed', message, finished: true }).catch(() => undefined);
  } finally {
    // Let the buffer go as soon as possible.
    (job as { file: Buffer | null }).file = null;
  }
}
