/**
 * Import jobs: accept an upload (type, size and zip-bomb checks happen before anything else),
 * queue it, and process it in the background, one job at a time per process.
 *
 * Pipeline of a job: queued → validating (parse + check EVERY row, then match against the
 * database) → rejected | writing (ONE transaction: data, per-record audit rows, one summary
 * audit row, and the job's final state) → done | failed.
 *
 * There is no job library yet: the queue lives in this process and the uploaded file only
 * in memory, so jobs left unfinished by a crash or restart are marked failed at start-up
 * (see ImportQueue.start); with several processes on PostgreSQL, the jobs of one that dies are
 * failed when it exits (job-liveness.ts). A job is never resumed: that needs pg-boss with the
 * file on disk.
 */
import type { Kysely } from 'kysely';
import { IMPORT_ERRORS_IN_RESPONSE, type TImportJob } from '../../../../contracts/imports.js';
import { cleanText, isoToday, schoolYearLabel, schoolYearOf } from '../../../../domain/index.js';
import type { DbEngine } from '../../db/connection.js';
import type { Database, ImportKind, ImportMode, Role } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseClassWorkbook, validateClassRows, writeClasses } from './class-import.js';
import {
  failUnfinishedJobs,
  findJob,
  insertJob,
  listJobs,
  loadClasses,
  loadCodeList,
  loadSchool,
  loadSubjects,
  type Db as RepoDb,
  updateJob,
} from './imports.repo.js';
import { type ImportIssue, type ParsedSheet, displayCell } from './sheet-columns.js';
import { parseStaffWorkbook, planAndWriteStaff, validateStaffRows } from './staff-import.js';
import { loadStudentSnapshot, writeStudentPlan } from './student-import.repo.js';
import { IDENTITY_MODE_LABEL, type StudentField, parseStudentWorkbook, planStudentImport, validateStudentRows } from './student-import.js';
import { type StoredIssue, buildErrorWorkbook } from './templates.js';
import type { JobLiveness } from './job-liveness.js';
import { DEFAULT_ZIP_LIMITS, checkXlsxArchive, type ZipLimits } from './zip-guard.js';

type Db = Kysely<Database>;
type JobActor = { userId: string; username: string } | null;

/** Issues kept in import_job.errors; errorCount keeps the true total. */
const MAX_STORED_ISSUES = 10_000;
/** Error rows whose original cells are kept for the "Dòng lỗi" sheet. */
const MAX_ROW_COPIES = 5_000;
/** Uploads waiting in memory at most; more → 503 "try again". */
const MAX_PENDING_JOBS = 20;
const PROGRESS_EVERY = 500;

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

/**
 * Who may allow identity changes in an import: the principal (or the system administrator). The
 * clerk who uploads the lists every year cannot: a name or date of birth that differs from the
 * school's record is a question for the head of the school, not something a file decides.
 */
export const IDENTITY_CHANGE_ROLES: readonly Role[] = ['system_admin', 'principal'];

/** Liveness locks: on PostgreSQL, where other processes may share the database. */
export type ImportDeps = { db: Db; engine: DbEngine; liveness?: JobLiveness };

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

const XLSX_NAME_RE = /\.xlsx$/i;

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
  if (!XLSX_NAME_RE.test(input.fileName)) {
    throw new AppError(415, 'not_xlsx', 'Chỉ nhận tệp Excel .xlsx. Nếu tệp là .xls hoặc .csv, hãy mở bằng Excel và lưu lại dạng "Excel Workbook (.xlsx)".');
  }
  if (input.file.length === 0) throw new AppError(400, 'empty_file', 'Tệp tải lên trống.');
  const check = await checkXlsxArchive(input.file, limits);
  if (!check.ok) throw new AppError(check.status, check.code, check.detail);
  if (queue.size >= MAX_PENDING_JOBS) {
    throw new AppError(503, 'import_queue_full', 'Hệ thống đang xử lý nhiều tệp nhập; hãy thử lại sau ít phút.');
  }
  const school = await db.selectFrom('org_unit').select(['kind']).where('id', '=', input.schoolId).executeTakeFirst();
  if (!school || school.kind !== 'school') throw new AppError(404, 'not_found', 'Không tìm thấy trường.');
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
    unchangedRows: unchangedOf(issues),
    errorCount: row.error_count,
    errors: errors.slice(0, IMPORT_ERRORS_IN_RESPONSE).map(strip),
    warningCount: warnings.length,
    warnings: warnings.slice(0, IMPORT_ERRORS_IN_RESPONSE).map(strip),
    message: row.message,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at ? iso(row.finished_at) : null,
  };
}

/**
 * import_job has no column for "unchanged" rows; the job keeps that count as a row-0 info
 * entry in its issues list (severity 'info' is never shown as an error or warning).
 */
function unchangedOf(issues: StoredIssue[]): number {
  const info = issues.find((i) => (i.severity as string) === 'info' && i.column === 'unchanged');
  return info ? Number(info.value) || 0 : 0;
}

export async function getJob(db: Db, schoolId: string, jobId: string): Promise<TImportJob> {
  const row = await findJob(db, schoolId, jobId);
  if (!row) throw new AppError(404, 'not_found', 'Không tìm thấy lượt nhập này.');
  return presentJob(row);
}

export async function recentJobs(db: Db, schoolId: string, limit = 30): Promise<TImportJob[]> {
  const rows = await listJobs(db, schoolId, limit);
  // The list carries no error details; GET /imports/:jobId has them.
  return rows.map((r) => presentJob({ ...r, errors: [] }, false));
}

export async function errorSheet(db: Db, schoolId: string, jobId: string): Promise<{ fileName: string; body: Buffer }> {
  const row = await findJob(db, schoolId, jobId);
  if (!row) throw new AppError(404, 'not_found', 'Không tìm thấy lượt nhập này.');
  const issues = storedIssues(row.errors).filter((i) => i.severity === 'error' || i.severity === 'warning');
  const base = row.file_name.replace(/\.xlsx$/i, '');
  return { fileName: `Loi-${base}.xlsx`, body: await buildErrorWorkbook(issues) };
}

// ------------------------------------------------------------------ running a job

/** Chains progress writes so they never overlap or arrive out of order. */
class Progress {
  private chain: Promise<void> = Promise.resolve();
  private last = -1;
  constructor(
    private readonly db: Db,
    private readonly jobId: string,
  ) {}
  report(n: number, force = false): void {
    if (!force && n - this.last < PROGRESS_EVERY) return;
    this.last = n;
    this.chain = this.chain.then(() => updateJob(this.db, this.jobId, { processed_rows: n })).catch(() => undefined);
  }
  flush(): Promise<void> {
    return this.chain;
  }
}

/** Attaches the original cells of each error row (first error of the row) and caps the list. */
function storeIssues(issues: ImportIssue[], sheet: ParsedSheet<string> | null): StoredIssue[] {
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

/** Working dates of an import: "today" in Vietnam, and the date new enrolments start. */
function importDates(year: number, term1Start: string | null, term2End: string | null) {
  const today = isoToday();
  const start = term1Start ?? `${year}-09-05`;
  const end = term2End ?? `${year + 1}-05-31`;
  // Inside the school year: today. Before it, or back-filling a past year: its first day.
  const startDate = today >= start && today <= end ? today : start;
  return { today, startDate };
}

type Outcome = {
  status: 'done' | 'rejected';
  created: number;
  updated: number;
  unchanged: number;
  message: string;
};

async function finish(
  db: RepoDb,
  job: QueuedImport,
  total: number,
  issues: StoredIssue[],
  errorCount: number,
  outcome: Outcome,
) {
  const info: StoredIssue = { row: 0, column: 'unchanged', value: String(outcome.unchanged), message: '', severity: 'info' as never };
  await updateJob(db, job.jobId, {
    status: outcome.status,
    total_rows: total,
    processed_rows: total,
    created_rows: outcome.created,
    updated_rows: outcome.updated,
    error_count: errorCount,
    errors: [...issues, info],
    message: outcome.message,
    finished: true,
  });
}

function rejectedMessage(errorCount: number, kindNoun: string): string {
  return `Tệp có ${errorCount.toLocaleString('vi-VN')} lỗi nên chưa ghi ${kindNoun} nào. Hãy tải bảng lỗi, sửa trong tệp rồi tải lên lại (hoặc chọn "chỉ ghi các dòng hợp lệ").`;
}

function doneMessage(
  o: { created: number; updated: number; unchanged: number; skipped: number; errorRows: number; ignoredHeaders: string[]; identityChanged?: number },
  noun: string,
): string {
  const parts = [`Đã thêm ${o.created.toLocaleString('vi-VN')} ${noun}, cập nhật ${(o.updated - o.unchanged).toLocaleString('vi-VN')}`];
  if (o.identityChanged) parts.push(`trong đó sửa họ tên / ngày sinh / giới tính của ${o.identityChanged.toLocaleString('vi-VN')} ${noun} theo tệp`);
  if (o.unchanged) parts.push(`${o.unchanged.toLocaleString('vi-VN')} không thay đổi`);
  if (o.errorRows) parts.push(`bỏ qua ${o.errorRows.toLocaleString('vi-VN')} dòng có lỗi (xem bảng lỗi)`);
  if (o.skipped) parts.push(`bỏ qua ${o.skipped} dòng không có dữ liệu ${noun}`);
  let s = `${parts.join('; ')}.`;
  if (o.ignoredHeaders.length) s += ` Các cột không dùng: ${o.ignoredHeaders.slice(0, 10).join(', ')}.`;
  return s;
}

const errorRowsOf = (issues: ImportIssue[]) => new Set(issues.filter((i) => i.severity === 'error').map((i) => i.row));

/** Processes one job to a final state; never throws. */
export async function runImportJob(deps: ImportDeps, job: QueuedImport): Promise<void> {
  const { db } = deps;
  try {
    await updateJob(db, job.jobId, { status: 'validating', processed_rows: 0 });
    if (job.kind === 'students') await runStudents(deps, job);
    else if (job.kind === 'staff') await runStaff(deps, job);
    else await runClasses(deps, job);
  } catch (err) {
    const e = err as { code?: string; constraint?: string; message?: string };
    // A unique index can still fire if someone else wrote the same id between our check and the write.
    const message =
      e.code === '23505'
        ? 'Dữ liệu trong trường vừa thay đổi trong lúc nhập (trùng mã định danh hoặc số định danh). Không có dữ liệu nào được ghi; hãy tải tệp lên lại.'
        : 'Đã có lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Hãy thử lại hoặc báo quản trị viên.';
    if (e.code !== '23505') console.error('[imports] job failed', job.jobId, err);
    await updateJob(db, job.jobId, { status: 'failed', message, finished: true }).catch(() => undefined);
  } finally {
    // Let the buffer go as soon as possible.
    (job as { file: Buffer | null }).file = null;
  }
}

async function reject(db: Db, job: QueuedImport, message: string): Promise<void> {
  await updateJob(db, job.jobId, { status: 'rejected', message, finished: true });
}

async function summaryAudit(trx: Parameters<typeof writeAudit>[0], job: QueuedImport, after: Record<string, unknown>) {
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

async function runStudents(deps: ImportDeps, job: QueuedImport): Promise<void> {
  const { db } = deps;
  const progress = new Progress(db, job.jobId);
  const sheet = await parseStudentWorkbook(job.file, (n) => progress.report(n));
  await progress.flush();
  if (!sheet.ok) return reject(db, job, sheet.message);
  const total = sheet.rows.length;
  await updateJob(db, job.jobId, { total_rows: total, processed_rows: total });

  const school = await loadSchool(db, job.schoolId, job.year);
  const { today, startDate } = importDates(job.year, school?.term1Start ?? null, school?.term2End ?? null);
  const classes = (await loadClasses(db, job.schoolId)).filter((c) => c.year === job.year);
  if (classes.length === 0) {
    return reject(db, job, `Trường chưa có lớp nào trong năm học ${schoolYearLabel(job.year)}. Hãy tạo lớp (hoặc nhập danh sách lớp) trước khi nhập học sinh.`);
  }
  const { candidates, issues } = validateStudentRows(sheet, {
    year: job.year,
    today,
    classes,
    ethnicities: await loadCodeList(db, 'DM_DAN_TOC'),
    statuses: await loadCodeList(db, 'DM_TRANG_THAI_HOC_SINH'),
  });
  const snapshot = await loadStudentSnapshot(db, job.schoolId, candidates);
  const header = (f: StudentField, label: string) => sheet.columns.get(f)?.header ?? label;
  const plan = planStudentImport(candidates, snapshot, {
    statusDate: startDate,
    allowIdentityChanges: job.identityChanges,
    headers: {
      learnerId: header('learnerId', 'Mã định danh'),
      citizenId: header('citizenId', 'Số định danh cá nhân'),
      name: sheet.columns.has('fullName') ? header('fullName', 'Họ và tên') : header('givenName', 'Tên'),
      dob: header('dob', 'Ngày sinh'),
      sex: sheet.columns.has('sex') ? header('sex', 'Giới tính') : header('femaleFlag', 'Nữ'),
    },
  });
  const skipped = sheet.skippedRows.map<ImportIssue>((row) => ({
    row,
    column: '',
    value: null,
    message: 'Dòng không có họ tên, ngày sinh hay mã định danh nên được bỏ qua',
    severity: 'warning',
  }));
  const all = [...issues, ...plan.issues, ...skipped];
  const errorRows = errorRowsOf(all);
  const errorCount = all.filter((i) => i.severity === 'error').length;
  const stored = storeIssues(all, sheet);

  if (errorCount > 0 && job.mode === 'all_or_nothing') {
    await finish(db, job, total, stored, errorCount, { status: 'rejected', created: 0, updated: 0, unchanged: 0, message: rejectedMessage(errorCount, 'học sinh') });
    return;
  }
  if (plan.creates.length + plan.updates.length === 0) {
    await finish(db, job, total, stored, errorCount, { status: 'rejected', created: 0, updated: 0, unchanged: 0, message: 'Không có dòng hợp lệ nào để ghi. Hãy tải bảng lỗi, sửa rồi tải lên lại.' });
    return;
  }

  await updateJob(db, job.jobId, { status: 'writing', processed_rows: 0 });
  // PGlite has one connection and the transaction holds it: progress can only be written on PostgreSQL.
  const writeProgress = deps.engine === 'postgres' ? new Progress(db, job.jobId) : null;
  const unchanged = plan.updates.filter((u) => u.changed.length === 0 && u.guardians.length === 0).length;
  const identityChanged = plan.updates.filter((u) => u.identityChanged.length > 0).length;
  const outcome: Outcome = {
    status: 'done',
    created: plan.creates.length,
    updated: plan.updates.length,
    unchanged,
    message: doneMessage(
      {
        created: plan.creates.length,
        updated: plan.updates.length,
        unchanged,
        identityChanged,
        skipped: skipped.length,
        errorRows: errorRows.size,
        ignoredHeaders: sheet.ignoredHeaders,
      },
      'học sinh',
    ),
  };
  await db.transaction().execute(async (trx) => {
    await writeStudentPlan(trx, plan, {
      schoolId: job.schoolId,
      year: job.year,
      startDate,
      actor: job.actor,
      ip: job.ip,
      jobId: job.jobId,
      fileName: job.fileName,
      onProgress: writeProgress ? (n) => writeProgress.report(n) : undefined,
    });
    await writeProgress?.flush();
    await summaryAudit(trx, job, { totalRows: total, created: outcome.created, updated: outcome.updated, unchanged, identityChanged, errorCount, errorRows: errorRows.size });
    await finish(trx, job, total, stored, errorCount, outcome);
  });
}

async function runStaff(deps: ImportDeps, job: QueuedImport): Promise<void> {
  const { db } = deps;
  const sheet = await parseStaffWorkbook(job.file);
  if (!sheet.ok) return reject(db, job, sheet.message);
  const total = sheet.rows.length;
  await updateJob(db, job.jobId, { total_rows: total, processed_rows: total });
  const { candidates, issues } = validateStaffRows(sheet, {
    today: isoToday(),
    qualifications: await loadCodeList(db, 'DM_TRINH_DO_CHUYEN_MON'),
    contracts: await loadCodeList(db, 'DM_HINH_THUC_HOP_DONG'),
    ethnicities: await loadCodeList(db, 'DM_DAN_TOC'),
    subjects: await loadSubjects(db),
  });
  const ctx = {
    schoolId: job.schoolId,
    actor: job.actor,
    ip: job.ip,
    jobId: job.jobId,
    nameHeader: sheet.columns.get('fullName')?.header ?? 'Họ và tên',
  };
  const dry = await planAndWriteStaff(db, candidates, { ...ctx, dryRun: true });
  const all = [...issues, ...dry.issues];
  const errorCount = all.filter((i) => i.severity === 'error').length;
  const stored = storeIssues(all, sheet);
  if (errorCount > 0 && job.mode === 'all_or_nothing') {
    await finish(db, job, total, stored, errorCount, { status: 'rejected', created: 0, updated: 0, unchanged: 0, message: rejectedMessage(errorCount, 'cán bộ') });
    return;
  }
  if (dry.created + dry.updated === 0) {
    await finish(db, job, total, stored, errorCount, { status: 'rejected', created: 0, updated: 0, unchanged: 0, message: 'Không có dòng hợp lệ nào để ghi.' });
    return;
  }
  await updateJob(db, job.jobId, { status: 'writing', processed_rows: 0 });
  await db.transaction().execute(async (trx) => {
    const res = await planAndWriteStaff(trx, candidates, { ...ctx, dryRun: false });
    await summaryAudit(trx, job, { totalRows: total, created: res.created, updated: res.updated, unchanged: res.unchanged, errorCount });
    await finish(trx, job, total, stored, errorCount, {
      status: 'done',
      created: res.created,
      updated: res.updated,
      unchanged: res.unchanged,
      message: doneMessage({ ...res, skipped: 0, errorRows: errorRowsOf(all).size, ignoredHeaders: sheet.ignoredHeaders }, 'cán bộ'),
    });
  });
}

async function runClasses(deps: ImportDeps, job: QueuedImport): Promise<void> {
  const { db } = deps;
  const sheet = await parseClassWorkbook(job.file);
  if (!sheet.ok) return reject(db, job, sheet.message);
  const total = sheet.rows.length;
  await updateJob(db, job.jobId, { total_rows: total, processed_rows: total });
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'family_name', 'middle_name', 'given_name', 'staff_code', 'status'])
    .where('school_id', '=', job.schoolId)
    .execute();
  const { candidates, issues } = validateClassRows(sheet, {
    staff: staff.map((s) => ({
      id: s.id,
      fullName: [s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' '),
      staffCode: s.staff_code,
      status: s.status,
    })),
  });
  const errorCount = issues.filter((i) => i.severity === 'error').length;
  const stored = storeIssues(issues, sheet);
  if (errorCount > 0 && job.mode === 'all_or_nothing') {
    await finish(db, job, total, stored, errorCount, { status: 'rejected', created: 0, updated: 0, unchanged: 0, message: rejectedMessage(errorCount, 'lớp') });
    return;
  }
  if (candidates.length === 0) {
    await finish(db, job, total, stored, errorCount, { status: 'rejected', created: 0, updated: 0, unchanged: 0, message: 'Không có dòng hợp lệ nào để ghi.' });
    return;
  }
  await updateJob(db, job.jobId, { status: 'writing', processed_rows: 0 });
  await db.transaction().execute(async (trx) => {
    const res = await writeClasses(trx, candidates, { schoolId: job.schoolId, year: job.year, actor: job.actor, ip: job.ip, jobId: job.jobId });
    await summaryAudit(trx, job, { totalRows: total, ...res, errorCount });
    await finish(trx, job, total, stored, errorCount, {
      status: 'done',
      ...res,
      message: doneMessage({ ...res, skipped: 0, errorRows: errorRowsOf(issues).size, ignoredHeaders: sheet.ignoredHeaders }, 'lớp'),
    });
  });
}
