/**
 * The demo province's gradebook "as of" the day it was seeded: term 1 marks for every class
 * assessed under TT22/2021 (grades 6–12) — regular, mid-term and end-of-term marks nearly complete,
 * comment subjects Đạt with a rare Chưa đạt, a few teacher's comments, most grids open and some
 * submitted, reviewed or locked, most columns published to families — absences since the first day
 * of the year (primary classes too), term 1 training ratings, and the term 1 close (closeResults,
 * as a principal runs it). Primary classes (TT27/2020) get giữa kì I and cuối kì I levels, periodic
 * tests where Điều 7 asks and comments, the homeroom teacher's ratings of qualities and
 * competencies, and the same close. gvmn.demo's preschool school gets its evaluation and
 * measurements (`demo-preschool.repo.ts`, queued with the rest); preschool has no grid.
 *
 * Speed: ~500,000 cells for 20,000 learners. They are made inside the database by one set-based
 * INSERT … SELECT per chunk of classes (demo-gradebook.repo.ts), with draws that hash the seed and
 * keys the seed makes the same every time, so the same seed gives the same marks. Still, it takes
 * longer than the first start can spare, so the seed only queues the work (demo_gradebook_fill,
 * one row per school, the demo school first) and the server fills it after it listens, one chunk
 * per transaction: it answers between chunks, a stop leaves whole chunks, and a restart resumes
 * the schools not done (every insert skips what is already there). `npm run seed` fills at once.
 */
import type { Kysely } from 'kysely';
import { addDays, CURRICULUM, DEFAULT_TT27_OPTIONS, isoToday, periodicTestRequired, requiredRegularAssessments, ruleSetFor } from '../../../domain/index.js';
import type { Database } from '../db/schema.js';
import type { Actor } from '../platform/actor.js';
import { closeResults } from '../modules/gradebook/results.service.js';
import { demoPreschoolSchool, primaryDemoSchool } from './demo-accounts.js';
import type { DemoBuild } from './demo-plan.js';
import { findPreschoolTeacherAccount, insertDemoPreschool } from './demo-preschool.repo.js';
import { enterBulkLoadMode, leaveBulkLoadMode } from './demo.repo.js';
import {
  analyzeFillSource,
  type ClassChunk,
  FILL_SOURCES,
  type FillRow,
  type FillTables,
  findFillSchool,
  insertChunkAbsences,
  insertChunkCells,
  insertChunkPrimaryCells,
  insertChunkPublications,
  insertChunkQualities,
  insertChunkRatings,
  insertChunkStates,
  listFillClasses,
  markDemoGradebookDone,
  pendingDemoGradebook,
} from './demo-gradebook.repo.js';

/** About this many enrolments per transaction (a class or two): ~3,500 cells, under 100 ms on PGlite. */
const CHUNK_ENROLMENTS = 60;

/** How much easier (+) or harder (−) a subject's marks run, in tenths. */
const SUBJECT_SHIFT: Record<string, number> = {
  toan: -4,
  khtn: -3,
  ngoai_ngu_1: -4,
  ngu_van: -1,
  lich_su_dia_li: 2,
  gdcd: 6,
  cong_nghe: 5,
  tin_hoc: 4,
  lich_su: 1,
  dia_li: 2,
  gdktpl: 5,
  vat_li: -3,
  hoa_hoc: -3,
  sinh_hoc: 0,
  gdqp_an: 8,
  chuyen_de: 0,
};

/** Grades assessed under TT22/2021 in the school year. */
export function tt22Grades(year: number): number[] {
  return [6, 7, 8, 9, 10, 11, 12].filter((g) => ruleSetFor(year, g) === 'tt22_2021');
}

/** Grades assessed under TT27/2020 (primary) in the school year. */
export function tt27Grades(year: number): number[] {
  return [1, 2, 3, 4, 5].filter((g) => ruleSetFor(year, g) === 'tt27_2020');
}

/** The subjects of the gradebook per grade (the catalog's, as the grids read it) and the words the fill writes. */
export function fillTables(year: number): FillTables {
  const grades = new Set(tt22Grades(year));
  const tt22 = CURRICULUM.filter((c) => grades.has(c.grade) && c.assessmentKind !== 'mixed').map((r) => ({
    grade: r.grade,
    code: r.subjectCode,
    kind: r.assessmentKind === 'score' ? ('score' as const) : ('comment' as const),
    regular: requiredRegularAssessments(r.periodsPerYear),
  }));
  // Primary: every subject and activity of the grade takes a level (TT27 Điều 7); `regular` says which
  // periodic tests term 1 has (1: giữa kì I, 2: cuối kì I), from the domain's rule, not copied here.
  const tt27 = tt27Grades(year).flatMap((grade) =>
    DEFAULT_TT27_OPTIONS.subjectsForGrade(grade).map((code) => ({
      grade,
      code,
      kind: 'level' as const,
      regular: (periodicTestRequired(grade, code, 'mid_term1') ? 1 : 0) + (periodicTestRequired(grade, code, 'end_term1') ? 2 : 0),
    })),
  );
  const rows = [...tt22, ...tt27];
  const qualities = tt27Grades(year).flatMap((grade) => DEFAULT_TT27_OPTIONS.qualityCodesForGrade(grade).map((code) => ({ grade, code })));
  return {
    subjects: {
      grade: rows.map((r) => r.grade),
      code: rows.map((r) => r.code),
      kind: rows.map((r) => r.kind),
      regular: rows.map((r) => r.regular),
      offset: rows.map((r) => SUBJECT_SHIFT[r.code] ?? 0),
    },
    qualities: { grade: qualities.map((q) => q.grade), code: qualities.map((q) => q.code) },
    commentsHigh: [
      'Học tốt, tích cực phát biểu xây dựng bài.',
      'Nắm vững kiến thức, vận dụng linh hoạt.',
      'Tư duy tốt, cần phát huy.',
      'Chăm chỉ, làm bài cẩn thận, trình bày đẹp.',
    ],
    commentsMid: [
      'Có cố gắng, cần chăm chỉ hơn nữa.',
      'Nắm được kiến thức cơ bản, cần luyện thêm bài tập vận dụng.',
      'Tiếp thu bài khá, cần cẩn thận hơn khi làm bài.',
      'Có tiến bộ so với đầu năm học.',
    ],
    commentsLow: [
      'Cần cố gắng nhiều hơn, chú ý nghe giảng.',
      'Chưa tập trung trong giờ học, cần ôn luyện thêm.',
      'Kiến thức còn hổng, cần tham gia học phụ đạo.',
      'Chưa làm bài tập về nhà đầy đủ.',
    ],
    commentsPassFail: [
      'Tích cực tham gia các hoạt động.',
      'Hoàn thành tốt các nội dung được giao.',
      'Có ý thức tập luyện, tiến bộ rõ.',
      'Cần mạnh dạn hơn khi tham gia hoạt động nhóm.',
    ],
    reasonsExcused: [
      'Ốm, phụ huynh xin phép',
      'Sốt, có đơn xin phép của phụ huynh',
      'Đi khám bệnh',
      'Gia đình có việc riêng, phụ huynh xin phép',
      'Về quê có việc gia đình',
      'Đau bụng, phụ huynh gọi điện xin phép',
      'Dự đám cưới người nhà',
    ],
    reasonsUnexcused: ['Không có lý do', 'Không xin phép', 'Không liên lạc được với phụ huynh'],
  };
}

/**
 * The fill's queue for a freshly built province, one row per school with primary or secondary
 * classes, the demo school first: written by seedDemo with the other rows. The data is "as of"
 * the day before `today` (absences up to yesterday), whenever the fill actually runs.
 */
export function planDemoGradebook(build: DemoBuild, today: string = isoToday()): Array<Omit<FillRow, 'done_at'>> {
  // The schools with demo accounts first: THCS Nguyễn Du, then the primary school's and gvmn.demo's
  // preschool school (its evaluation and measurements; demo-accounts.ts), then the rest.
  const primary = primaryDemoSchool(build);
  const preschool = demoPreschoolSchool(build);
  const rank = (s: DemoBuild['schools'][number]) => (s.isDemo ? 0 : s === primary ? 1 : s.id === preschool?.id ? 2 : 3);
  const schools = [...build.schools].sort((a, b) => rank(a) - rank(b));
  const asOf = addDays(today, -1);
  return schools
    .filter((s) => s.classes.some((c) => c.grade >= 1) || s.id === preschool?.id)
    .map((s, position) => ({ school_id: s.id, position, year: build.year, seed: build.seed, as_of: asOf }));
}

export type FillOptions = {
  /** Ends the fill after the statement in progress (a chunk cut short is rolled back, to be redone). */
  shouldStop?: () => boolean;
  /**
   * Write each chunk with the per-row triggers off (demo.repo.ts enterBulkLoadMode): for PGlite,
   * where the foreign-key checks and the lock trigger cost more than the rows themselves. Safe
   * there because PGlite is one connection: nothing else runs during the chunk's transaction, every
   * row the chunk references is read in it, and a locked grid is skipped by the insert itself.
   * Not for PostgreSQL, where other connections write meanwhile: the triggers stay on.
   */
  bulk?: boolean;
  /**
   * Resolves when the server is quiet enough for the next statement (platform/request-activity.ts):
   * on PGlite a statement runs on the server's thread, so one started while a page loads makes the
   * page wait for it. Without it the fill only gives the event loop a turn between statements.
   */
  quiet?: () => Promise<void>;
};

export type FillSummary = { schools: number; cells: number; states: number; published: number; absences: number; ratings: number; results: number; ms: number };

class Stopped extends Error {}

/**
 * Between two transactions: the fill waits for a quiet moment when told how (else the event loop
 * gets a turn: requests that came in meanwhile, the first page or a login, are answered now, not
 * after the fill), and stops here when asked to.
 */
async function breathe(opts: FillOptions): Promise<void> {
  if (opts.quiet) await opts.quiet();
  else await new Promise((resolve) => setImmediate(resolve));
  if (opts.shouldStop?.()) throw new Stopped();
}

/**
 * Between two statements of a chunk's transaction: a turn of the event loop only (a request that
 * needs the database waits for the transaction anyway: waiting for it to end would wait for
 * ourselves), and a stop rolls the chunk back.
 */
async function turn(opts: FillOptions): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (opts.shouldStop?.()) throw new Stopped();
}

/** The principal, as closeResults reads a caller. */
function principalCaller(p: { id: string; username: string; display_name: string; staff_school_id: string | null; staff_id: string | null }, schoolId: string) {
  const actor: Actor = {
    userId: p.id,
    username: p.username,
    displayName: p.display_name,
    grants: [{ role: 'principal', orgUnitId: schoolId }],
    staff: p.staff_school_id && p.staff_id ? { schoolId: p.staff_school_id, staffId: p.staff_id } : null,
    student: null,
    csrfToken: '',
    mustChangePassword: false,
    treeVersion: 0,
  };
  return { actor, roles: new Set(['principal' as const]) };
}

/** Groups a school's classes into chunks of about CHUNK_ENROLMENTS enrolments, in name order. */
function chunksOf<T extends { enrolments: number | string }>(classes: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const c of classes) {
    if (current.length > 0 && size + Number(c.enrolments) > CHUNK_ENROLMENTS) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(c);
    size += Number(c.enrolments);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Fills one queued school: its classes chunk by chunk, then the term 1 close, then marks it done. */
async function fillSchool(db: Kysely<Database>, row: FillRow, summary: FillSummary, opts: FillOptions): Promise<void> {
  const school = await findFillSchool(db, row.school_id, row.year);
  const classes = await listFillClasses(db, row.school_id, row.year);
  const grades = tt22Grades(row.year);
  const tables = fillTables(row.year);
  if (school) {
    const chronicClassIds = classes.filter((c) => c.homeroom_has_account && grades.includes(c.grade)).map((c) => c.id);
    for (const chunk of chunksOf(classes)) {
      const c: ClassChunk = {
        schoolId: row.school_id,
        classIds: chunk.map((x) => x.id),
        year: row.year,
        seed: row.seed,
        asOf: row.as_of,
        term1Start: school.term1_start,
        tt22Grades: grades,
        chronicClassIds,
        tables,
      };
      await breathe(opts);
      await db.transaction().execute(async (trx) => {
        const unchecked = opts.bulk ? await enterBulkLoadMode(trx) : false;
        summary.cells += await insertChunkCells(trx, c);
        summary.cells += await insertChunkPrimaryCells(trx, c);
        await turn(opts);
        summary.states += await insertChunkStates(trx, c, school.principal.id);
        summary.published += await insertChunkPublications(trx, c);
        summary.absences += await insertChunkAbsences(trx, c);
        await turn(opts);
        summary.ratings += await insertChunkRatings(trx, c);
        summary.ratings += await insertChunkQualities(trx, c, school.principal.id);
        if (unchecked) await leaveBulkLoadMode(trx);
      });
    }
    const primaryGrades = tt27Grades(row.year);
    if (classes.some((c) => grades.includes(c.grade) || primaryGrades.includes(c.grade))) {
      await breathe(opts);
      const closed = await closeResults(db, principalCaller(school.principal, row.school_id), row.school_id, { year: row.year, period: 'hk1' });
      summary.results += closed.students;
    }
  }
  // Preschool: where a class teacher can sign in (gvmn.demo), the first period's evaluation and a
  // measurement per child, some weeks into the year (never after the fill's day).
  await breathe(opts);
  await db.transaction().execute(async (trx) => {
    const teacher = await findPreschoolTeacherAccount(trx, row.school_id, row.year);
    if (!teacher) return;
    const weeksIn = addDays(school?.term1_start ?? `${row.year}-09-05`, 40);
    await insertDemoPreschool(trx, row.school_id, row.year, row.seed, weeksIn < row.as_of ? weeksIn : row.as_of, teacher.id);
  });
  await markDemoGradebookDone(db, row.school_id);
  summary.schools += 1;
}

/**
 * Fills every queued school not done yet, in queue order. Safe to run again after a stop: chunks
 * are whole transactions, every insert skips rows already there, and a school is marked done only
 * after its close. Returns what it wrote (`stopped` when shouldStop ended it first).
 */
export async function fillDemoGradebook(db: Kysely<Database>, opts: FillOptions = {}): Promise<FillSummary & { stopped: boolean }> {
  const started = performance.now();
  const summary: FillSummary = { schools: 0, cells: 0, states: 0, published: 0, absences: 0, ratings: 0, results: 0, ms: 0 };
  let stopped = false;
  try {
    const pending = await pendingDemoGradebook(db);
    if (pending.length > 0) {
      for (const table of Object.keys(FILL_SOURCES)) {
        await breathe(opts);
        await analyzeFillSource(db, table);
      }
    }
    for (const row of pending) {
      await breathe(opts);
      await fillSchool(db, row, summary, opts);
    }
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    stopped = true;
  }
  summary.ms = Math.round(performance.now() - started);
  return { ...summary, stopped };
}

/**
 * Runs the fill in the background when the queue holds work (a fresh demo, or a fill a stop cut
 * short), reporting its end or its failure on the console; `stop()` ends it after the statement in
 * progress. The server answers meanwhile: the event loop gets a turn between statements.
 */
export function startDemoGradebookFill(db: Kysely<Database>, opts: Pick<FillOptions, 'bulk' | 'quiet'> = {}): { done: Promise<FillSummary | null>; stop: () => void } {
  let stopped = false;
  const done = (async () => {
    if ((await pendingDemoGradebook(db)).length === 0) return null;
    const summary = await fillDemoGradebook(db, { ...opts, shouldStop: () => stopped });
    if (!summary.stopped) {
      console.log(
        `Đã nạp sổ điểm demo: ${summary.schools} trường, ${summary.cells} ô điểm, ${summary.absences} buổi nghỉ, ${summary.ratings} xếp loại rèn luyện, kết quả học kì I của ${summary.results} học sinh (${summary.ms} ms).`,
      );
    }
    return summary;
  })().catch((err: unknown) => {
    if (stopped) return null;
    console.error(`Chưa nạp xong sổ điểm demo (sẽ nạp tiếp ở lần khởi động sau): ${(err as Error).message}`);
    return null;
  });
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
