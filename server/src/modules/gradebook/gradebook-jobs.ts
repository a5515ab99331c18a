import type { Kysely } from 'kysely';
import type { TJob } from '../../../../contracts/jobs.js';
import type { Database, ResultPeriod } from '../../db/schema.js';
import { isoToday, joinFullName, schoolYearLabel } from '../../../../domain/index.js';
import { OFFICE_ROLES } from '../../../../contracts/roles.js';

import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { defineJob, enqueueJob } from '../../platform/jobs.js';
import { findJob, listJobFiles } from '../../platform/jobs.repo.js';
import { subtreeIds } from '../../platform/org-tree.repo.js';
import { WorkerPool, renderWorkerCount, workerEntry } from '../../platform/worker-pool.js';
import { type Caller, classWithStanding } from './class-standing.js';
import { type HocBaBook, countPdfPages, renderBook } from './hoc-ba-pdf.js';
import { findHocBaStudent, listBatchStudents } from './hoc-ba.repo.js';
import { bookFileNames, buildHocBaBook, hocBaShared } from './hoc-ba.service.js';
import { PERIOD_LABELS, computeResults } from './results.service.js';
import { listYearClasses } from './results.repo.js';

// The gradebook's background jobs: a class's or a school's học bạ as one download, and an
// office's close of every school below it. Both run on the database's queue (platform/jobs.ts).

type Db = Kysely<Database>;
type HocBaBatchParams = { schoolId: string; classId: string | null };
type UnitCloseParams = { year: number; period: ResultPeriod };
type Outcome = { text: string; details: string[] };

/**
 * Fewer books than this are rendered on the job's own thread: starting a worker (pdfkit, the
 * fonts) costs about what ten books do. TRUONGSO_RENDER_WORKERS_MIN_BOOKS changes it (tests: 1).
 */
const minBooksForWorkers = () => Number(process.env.TRUONGSO_RENDER_WORKERS_MIN_BOOKS ?? 20);

const STATE_LABELS: Record<TJob['state'], string> = { queued: 'Đang chờ', running: 'Đang chạy', done: 'Đã xong', failed: 'Không thành công' };
const KIND_LABELS: Record<string, string> = { hoc_ba_batch: 'In học bạ hàng loạt', results_close_unit: 'Tổng hợp kết quả các trường' };

/** Books whose records are being read while earlier ones are laid out. */
const READ_AHEAD = 4;

export const hocBaBatchJob = defineJob<HocBaBatchParams>('hoc_ba_batch', async (ctx): Promise<Outcome> => {
  const students = await listBatchStudents(ctx.db, ctx.params.schoolId, ctx.params.classId);
  const printable = students.filter((s) => s.has_year);
  const fileOf = bookFileNames();
  let pages = 0;
  let done = 0;
  // The next books' records are read while this one renders: the reads wait on the database, the
  // rendering on the workers, so the two overlap; what every book of the school shares is read once.
  const shared = hocBaShared(ctx.db, ctx.params.schoolId);
  const load = (id: string) => {
    const book = findHocBaStudent(ctx.db, ctx.params.schoolId, id).then((student) => (student ? buildHocBaBook(ctx.db, ctx.params.schoolId, student, shared) : null));
    // Awaited on a later turn; until then a failure must not count as unhandled (it would end the process).
    book.catch(() => undefined);
    return book;
  };
  // Books are laid out on worker threads (one per core) while this thread reads the next books and
  // stores the finished ones; a few in flight keep every worker busy. A class's handful is rendered
  // here: starting the workers would cost more than it saves.
  const workers = printable.length >= minBooksForWorkers() ? renderWorkerCount() : 0;
  const pool = workers > 0 ? new WorkerPool<HocBaBook, { pdf: Uint8Array; pages: number }>(workerEntry(import.meta.url, 'hoc-ba-render.worker'), workers) : null;
  const render = async (data: HocBaBook) => {
    if (!pool) {
      const pdf = await renderBook(data);
      return { pdf, pages: countPdfPages(pdf) };
    }
    const { pdf, pages: n } = await pool.run(data);
    return { pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), pages: n };
  };
  const inFlight = new Set<Promise<void>>();
  let stored: Promise<void> = Promise.resolve();
  try {
    // A few books read ahead: each is several small queries, and the workers lay a book out faster than one book's reads come back.
    const ahead: Promise<HocBaBook | null>[] = [];
    let toLoad = 0;
    const readAhead = () => {
      while (ahead.length < READ_AHEAD && toLoad < printable.length) ahead.push(load(printable[toLoad++].id));
    };
    readAhead();
    for (const s of printable) {
      await ctx.turn();
      const data = await ahead.shift();
      readAhead();
      if (!data) continue;
      const fullName = joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name });
      const file = fileOf(s);
      // Laid out side by side, stored one after the other in the list's order (the .zip's order).
      const rendered = render(data);
      rendered.catch(() => undefined);
      const task = stored.then(async () => {
        const book = await rendered;
        pages += book.pages;
        await ctx.addFile(file, book.pdf);
        await ctx.progress(++done, printable.length, `${s.class_name}: ${fullName}`);
      });
      stored = task;
      inFlight.add(task);
      void task.then(() => inFlight.delete(task), () => undefined);
      if (inFlight.size > Math.max(1, workers)) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    // A failed book fails the job; the others still in flight finish before the workers go.
    await Promise.allSettled(inFlight);
    await pool?.close();
  }
  const left = students.filter((s) => !s.has_year);
  return {
    text: `Đã in học bạ của ${printable.length} học sinh (${pages} trang).${left.length > 0 ? ` ${left.length} học sinh chưa có năm học nào được tổng hợp cả năm nên chưa in.` : ''}`,
    details: left.slice(0, 200).map((s) => `${s.class_name}: ${joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name })} — chưa tổng hợp cả năm`),
  };
});

export const unitCloseJob = defineJob<UnitCloseParams>('results_close_unit', async (ctx): Promise<Outcome> => {
  if (!ctx.actor) throw new AppError(400, 'job_actor_missing', 'Người tạo việc này không còn tài khoản.');
  const schools = await subtreeIds(ctx.db, ctx.orgUnitId, isoToday(), ['school']);
  let students = 0;
  let complete = 0;
  let closed = 0;
  const details: string[] = [];
  for (const [i, schoolId] of schools.entries()) {
    await ctx.turn();
    if ((await listYearClasses(ctx.db, schoolId, ctx.params.year)).length > 0) {
      const s = await computeResults(ctx.db, ctx.actor, null, schoolId, ctx.params);
      if (s.classes > 0) {
        closed++;
        students += s.students;
        complete += s.complete;
      }
    }
    await ctx.progress(i + 1, schools.length);
  }
  if (students > complete) details.push(`${students - complete} học sinh chưa đủ điều kiện xếp loại: xem danh sách ở từng trường.`);
  return { text: `Đã tổng hợp ${PERIOD_LABELS[ctx.params.period]} năm học ${schoolYearLabel(ctx.params.year)} của ${closed} trường: ${students} học sinh, ${complete} đủ điều kiện xếp loại.`, details };
});

/** Who prints the học bạ of a class (its homeroom teacher, the school's managers) or of the whole school (the managers). */
async function mayPrintHocBa(db: Db, caller: Caller, { schoolId, classId }: HocBaBatchParams): Promise<boolean> {
  if (!classId) return caller.roles.has('principal') || caller.roles.has('school_staff');
  try {
    const { standing } = await classWithStanding(db, caller, schoolId, classId);
    return standing.manager || standing.homeroom;
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return false;
    throw e;
  }
}

/** Queues the học bạ of a class (its homeroom teacher or the school's managers) or of the whole school (managers). */
export async function startHocBaBatch(db: Db, caller: Caller, schoolId: string, classId: string | null): Promise<TJob> {
  if (!(await mayPrintHocBa(db, caller, { schoolId, classId }))) {
    if (classId) throw notFound('Không tìm thấy lớp.');
    throw new AppError(403, 'batch_needs_class', 'Lớp: giáo viên chủ nhiệm in học bạ của lớp mình — hãy chọn lớp.');
  }
  const students = await listBatchStudents(db, schoolId, classId);
  if (!students.some((s) => s.has_year)) {
    throw new AppError(422, 'hoc_ba_no_year_closed', 'Học bạ: chưa học sinh nào có năm học được tổng hợp kết quả cả năm; hiệu trưởng tổng hợp cả năm trước rồi mới in học bạ.');
  }
  const id = await enqueueJob(db, { kind: hocBaBatchJob, orgUnitId: schoolId, params: { schoolId, classId }, createdBy: caller.actor.userId, total: students.filter((s) => s.has_year).length });
  return getJob(db, caller, schoolId, id);
}

/** Queues the close of every school below an office for a period. */
export async function startUnitClose(db: Db, caller: Caller, unitId: string, input: UnitCloseParams): Promise<TJob> {
  const schools = await subtreeIds(db, unitId, isoToday(), ['school']);
  if (schools.length === 0) throw badRequest('no_schools', 'Đơn vị: không có trường nào trực thuộc để tổng hợp.');
  const id = await enqueueJob(db, { kind: unitCloseJob, orgUnitId: unitId, params: input, createdBy: caller.actor.userId, total: schools.length });
  return getJob(db, caller, unitId, id);
}

/**
 * A job of a unit, to whoever may now do what it does; 404 to anyone else. A học bạ batch holds the
 * books themselves, so its rule is the books' rule today (not who queued it: a homeroom teacher
 * replaced since, an office, the operator see nothing); an office's close, the offices of the unit.
 */
async function visibleJob(db: Db, caller: Caller, unitId: string, jobId: string) {
  const job = await findJob(db, unitId, jobId);
  const allowed =
    job?.kind === hocBaBatchJob.kind
      ? await mayPrintHocBa(db, caller, job.params as HocBaBatchParams)
      : job?.kind === unitCloseJob.kind && OFFICE_ROLES.some((r) => caller.roles.has(r));
  if (!job || !allowed) throw notFound('Không tìm thấy việc này.');
  return job;
}

export async function getJob(db: Db, caller: Caller, unitId: string, jobId: string): Promise<TJob> {
  const job = await visibleJob(db, caller, unitId, jobId);
  const outcome = job.result as Outcome | null;
  return {
    id: job.id,
    kindLabel: KIND_LABELS[job.kind] ?? 'Việc nền',
    state: job.state,
    stateLabel: STATE_LABELS[job.state],
    progressDone: job.progress_done,
    progressTotal: job.progress_total,
    progressText: job.progress_text,
    resultText: outcome?.text ?? null,
    details: outcome?.details ?? [],
    error: job.error,
    createdBy: job.created_by_name,
    createdAt: job.created_at.toISOString(),
    finishedAt: job.finished_at?.toISOString() ?? null,
    hasFiles: job.state === 'done' && job.kind === 'hoc_ba_batch' && job.progress_done > 0,
  };
}

/** A finished job's files as they were made, for the .zip. */
export async function jobFiles(db: Db, caller: Caller, unitId: string, jobId: string) {
  const job = await visibleJob(db, caller, unitId, jobId);
  if (job.state !== 'done') throw new AppError(409, 'job_not_done', 'Việc này chưa xong; tải tệp khi tiến độ đạt 100%.');
  return { fileName: `${KIND_LABELS[job.kind] ?? 'Viec nen'} ${job.created_at.toISOString().slice(0, 10)}.zip`, files: await listJobFiles(db, jobId) };
}
