import pg from 'pg';
import { ApiClient } from './api-client.js';
import { DEMO_PASSWORD, startDemoServer } from './demo-server.js';
import { percentile } from './machine.js';
import { withBenchDatabase } from './pg-cluster.js';
import type { BenchResult } from './types.js';

const ms = (x: number) => `${x.toFixed(1)} ms`;
const TEACHERS = 50;
const SECONDS = 10;
/** A teacher's mean pause between two saves of a whole column: 50 of them offer ~25 column saves (1,100 marks) a second. */
const THINK_MS = 2000;

type Grid = { schoolId: string; classId: string; subjectCode: string; studentIds: string[] };
type Times = { times: number[]; errors: number; conflicts: number; rejected: number };

/**
 * On PostgreSQL, the gradebook figures of issue 10:
 * - 50 teachers each saving a whole column of their own class × subject (45 students) over and
 *   over for 10 s, each save naming the versions it read (what the grid does) — p95 against the
 *   same 45-row versioned upsert sent straight through `pg` by 50 callers;
 * - the term close of the largest demo school, its marks filled for both terms — against one
 *   pass of SQL over the same cells.
 */
export function benchGradebook(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'gradebook', (dbUrl) => measureGradebook(dbUrl));
}

async function measureGradebook(dbUrl: string): Promise<BenchResult> {
  const { server, base } = await startDemoServer(dbUrl);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    // The province's term I as the demo filled it: the office's close of all its schools, as a job.
    const province = await provinceClose(base, db);
    await clearDemoGradebook(db);
    const grids = await benchTeachers(db, TEACHERS);
    const teachers = await Promise.all(
      grids.map(async (_, i) => {
        const c = new ApiClient(base);
        await c.login(`bench.gv${i}`, DEMO_PASSWORD);
        return c;
      }),
    );
    const saves = await saveColumns(teachers, grids, SECONDS, THINK_MS);
    const floor = await rawUpserts(dbUrl, grids, SECONDS, THINK_MS);
    await clearDemoGradebook(db);
    const flat = await saveColumns(teachers, grids, SECONDS);
    const flatFloor = await rawUpserts(dbUrl, grids, SECONDS);

    const school = await largestSchool(db);
    await fillSchool(db, school.schoolId);
    const principal = await principalOf(base, db, school.schoolId);
    const scan = await timed(() => db.query('select count(*), sum(score_tenths) from gradebook_cell where school_id = $1', [school.schoolId]));
    const closeTerm = await timed(() => principal.call('POST', `/api/v1/schools/${school.schoolId}/results/close`, { year: school.year, period: 'hk1' }));
    const closeYear = await timed(() => principal.call('POST', `/api/v1/schools/${school.schoolId}/results/close`, { year: school.year, period: 'cn' }));
    const cells = Number((await db.query<{ n: string }>('select count(*) as n from gradebook_cell where school_id = $1', [school.schoolId])).rows[0].n);
    const single = await hocBaOneByOne(principal, db, school.schoolId, 50);
    const books = await hocBaJob(principal, school.schoolId);

    const p95 = percentile(saves.times, 95);
    return {
      name: 'Gradebook on PostgreSQL (server, database and load generator share the 2 cores)',
      rows: [
        [
          `save a column of 45 marks (PUT …/cells with versions), ${TEACHERS} teachers at work for ${SECONDS} s, each on their own class × subject, pausing ${THINK_MS / 1000} s on average between saves`,
          `p50 ${ms(percentile(saves.times, 50))} / p95 ${ms(p95)} / p99 ${ms(percentile(saves.times, 99))}, ${(saves.times.length / SECONDS).toFixed(0)} saves/s = ${(p95 / percentile(floor, 95)).toFixed(2)}× the raw upsert's p95 (${saves.errors} errors, ${saves.conflicts} conflicts, ${saves.rejected} rejected)`,
          'p95 ≤ 50 ms',
        ],
        ['baseline: the same 45-row versioned upsert through `pg`, 50 callers paced the same, pool of 10', `p50 ${ms(percentile(floor, 50))} / p95 ${ms(percentile(floor, 95))}, ${(floor.length / SECONDS).toFixed(0)} statements/s`, '—'],
        [
          `capacity: the same ${TEACHERS} teachers saving back to back, no pause`,
          `${(flat.times.length / SECONDS).toFixed(0)} saves/s (${((flat.times.length * 45) / SECONDS).toFixed(0)} marks/s) = ${(flat.times.length / flatFloor.length).toFixed(2)}× the raw upsert's rate; p50 ${ms(percentile(flat.times, 50))} / p95 ${ms(percentile(flat.times, 95))} (${flat.errors} errors)`,
          '—',
        ],
        ['baseline: the raw upsert back to back, 50 callers, pool of 10', `${(flatFloor.length / SECONDS).toFixed(0)} statements/s, p95 ${ms(percentile(flatFloor, 95))}`, '—'],
        [
          `close term I of the largest demo school (${school.students} students, ${cells.toLocaleString('en')} cells over both terms, every subject)`,
          `${(closeTerm / 1000).toFixed(2)} s = ${(closeTerm / scan).toFixed(1)}× one SQL pass over its cells`,
          '≤ 5 s',
        ],
        ['close the year (both terms, promotion, awards), same school', `${(closeYear / 1000).toFixed(2)} s`, '≤ 5 s'],
        ['baseline: one SQL pass over the school\'s cells (count, sum)', ms(scan), '—'],
        [
          `học bạ of every student of that school as one job (POST …/hoc-ba/batches, one PDF per student into a .zip)`,
          `${books.students} books, ${books.pages} pages in ${(books.millis / 1000).toFixed(1)} s = ${((books.pages * 1000) / books.millis).toFixed(1)} pages/s, ${((books.millis / books.students) * 1000 / 1000).toFixed(1)} s per 1,000 students = ${(books.millis / books.students / single).toFixed(2)}× a single book's GET`,
          '≤ 60 s for 1,000',
        ],
        ['baseline: one học bạ at a time through GET …/hoc-ba.pdf (50 students)', `${single.toFixed(1)} ms per book`, '—'],
        [
          `close term I of the whole demo province as a job (POST /org-units/…/results/close as so.demo: ${province.schools} schools, ${province.students.toLocaleString('en')} students, the demo's term I marks)`,
          `${(province.millis / 1000).toFixed(1)} s, until the job's page says done (${province.state})`,
          '≤ 60 s',
        ],
      ],
      notes: [
        'The save figure paces each of the 50 teachers as a person: a whole column saved, then a pause of 2 s on average (exponential), so 50 of them offer about 25 column saves (1,100 marks) a second — more than a school\'s evening of marks. Back to back (the capacity row) every save waits for the 49 ahead of it on 2 shared cores, so its latency measures the queue, not a save.',
      ],
    };
  } finally {
    await db.end();
    await server.stop();
  }
}

type JobAnswer = { id: string; state: string; progressDone: number; resultText: string | null };

/** Follows a job's page until it is done or failed. */
async function untilDone(client: ApiClient, unitId: string, jobId: string): Promise<JobAnswer> {
  for (;;) {
    const job = await client.call<JobAnswer>('GET', `/api/v1/org-units/${unitId}/jobs/${jobId}`);
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The học bạ of every student of the school with a closed year, as one job; pages as the job counted them. */
async function hocBaJob(principal: ApiClient, schoolId: string) {
  const t0 = performance.now();
  const started = await principal.call<JobAnswer>('POST', `/api/v1/schools/${schoolId}/hoc-ba/batches`, {});
  const job = await untilDone(principal, schoolId, started.id);
  const millis = performance.now() - t0;
  if (job.state !== 'done') throw new Error(`the học bạ job failed: ${JSON.stringify(job)}`);
  return { students: job.progressDone, pages: Number(/\((\d+) trang\)/.exec(job.resultText ?? '')?.[1] ?? 0), millis };
}

/** Milliseconds per book, fetched one at a time (the baseline of the job). */
async function hocBaOneByOne(principal: ApiClient, db: pg.Client, schoolId: string, n: number): Promise<number> {
  const ids = (await db.query<{ student_id: string }>(`select student_id from student_result where school_id = $1 and period = 'cn' limit $2`, [schoolId, n])).rows.map((r) => r.student_id);
  const t0 = performance.now();
  for (const id of ids) {
    const res = await fetch(`${principal.base}/api/v1/schools/${schoolId}/students/${id}/hoc-ba.pdf`, { headers: { cookie: principal.cookie } });
    if (!res.ok) throw new Error(`học bạ ${id}: ${res.status}`);
    await res.arrayBuffer();
  }
  return (performance.now() - t0) / ids.length;
}

/** so.demo closes term I of the demo province (every school below the Sở) and follows the job to its end. */
async function provinceClose(base: string, db: pg.Client) {
  const so = new ApiClient(base);
  await so.login('so.demo', DEMO_PASSWORD);
  const me = await so.call<{ grants: { orgUnitId: string }[] }>('GET', '/api/v1/auth/me');
  const unitId = me.grants[0].orgUnitId;
  const year = (await db.query<{ year: number }>('select max(year) as year from class')).rows[0].year;
  const students = Number((await db.query<{ n: string }>('select count(*) as n from student where is_current')).rows[0].n);
  const schools = Number((await db.query<{ n: string }>(`select count(*) as n from org_unit where kind = 'school'`)).rows[0].n);
  const t0 = performance.now();
  const started = await so.call<JobAnswer>('POST', `/api/v1/org-units/${unitId}/results/close`, { year, period: 'hk1' });
  const job = await untilDone(so, unitId, started.id);
  return { millis: performance.now() - t0, state: job.state === 'done' ? 'done' : `failed: ${job.resultText}`, students, schools };
}

/**
 * The demo's own gradebook (term I as of the day of the seed, server/src/demo/README.md) goes
 * first: these figures are of grids that start empty and open (versions from 0) and of a school
 * filled below, as they were before the demo had marks. Truncated, not deleted: ~600,000 deleted
 * rows would leave a table of dead pages whose stale statistics send the planner to sequential
 * scans no school's real table would see (it measured 20 ms per save that was only the bench's).
 */
export async function clearDemoGradebook(db: pg.Client): Promise<void> {
  const tables = ['gradebook_state', 'gradebook_publication', 'result_publication', 'gradebook_cell', 'training_rating', 'subject_result', 'student_result', 'attendance'];
  await db.query(`truncate ${tables.join(', ')}`);
  await db.query(`analyze ${tables.join(', ')}`);
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/**
 * Fifty teaching pairs of TT22 classes (grades 6–12, a scored subject) with 45 students or the
 * class's size, each given a fresh teacher account assigned to it: bench.gv0 … bench.gv49.
 */
export async function benchTeachers(db: pg.Client, n: number): Promise<Grid[]> {
  const pairs = await db.query<{ school_id: string; class_id: string; subject_code: string; staff_id: string; year: number }>(
    `select distinct on (a.class_id) a.school_id, a.class_id, a.subject_code, a.staff_id, c.year
       from teaching_assignment a
       join class c on c.school_id = a.school_id and c.id = a.class_id
       join curriculum_subject k on k.grade = c.grade and k.subject_code = a.subject_code
      where c.grade between 6 and 12 and k.assessment_kind = 'score' and a.term = 1
      order by a.class_id, a.subject_code
      limit $1`,
    [n],
  );
  if (pairs.rows.length < n) throw new Error(`only ${pairs.rows.length} TT22 teaching pairs in the demo data`);
  const hash = (await db.query<{ password_hash: string }>(`select password_hash from app_user where username = 'gv.demo'`)).rows[0].password_hash;
  const grids: Grid[] = [];
  for (const [i, p] of pairs.rows.entries()) {
    // A teacher of their own for each pair, so 50 accounts each hold exactly one grid.
    const staffId = crypto.randomUUID();
    await db.query(
      `insert into staff (school_id, id, family_name, middle_name, given_name, name_sort_key, search_text, sex, position) values ($1, $2, 'Giáo', 'Viên', $3, $3, $3, 'female', 'teacher')`,
      [p.school_id, staffId, `Thử${i}`],
    );
    grids.push(await assign(db, p, staffId, crypto.randomUUID(), hash, i));
  }
  return grids;
}

async function assign(db: pg.Client, p: { school_id: string; class_id: string; subject_code: string; year: number }, staffId: string, userId: string, hash: string, i: number): Promise<Grid> {
  await db.query('update teaching_assignment set staff_id = $1 where school_id = $2 and class_id = $3 and subject_code = $4 and term = 1', [staffId, p.school_id, p.class_id, p.subject_code]);
  await db.query(`insert into app_user (id, username, password_hash, display_name, staff_school_id, staff_id, must_change_password) values ($1, $2, $3, $4, $5, $6, false)`, [userId, `bench.gv${i}`, hash, `Giáo viên thử ${i}`, p.school_id, staffId]);
  await db.query(`insert into role_grant (id, user_id, role, org_unit_id) values ($1, $2, 'subject_teacher', $3)`, [crypto.randomUUID(), userId, p.school_id]);
  const students = await db.query<{ student_id: string }>('select student_id from enrolment where school_id = $1 and class_id = $2 and end_date is null order by student_id limit 45', [p.school_id, p.class_id]);
  return { schoolId: p.school_id, classId: p.class_id, subjectCode: p.subject_code, studentIds: students.rows.map((r) => r.student_id) };
}

/**
 * Each teacher saves the whole TX1 column again and again, with the versions the last save
 * returned. With `thinkMs`, a teacher pauses a random time of that mean (exponential) between
 * saves, as people do; without it, they save back to back (the server's capacity).
 */
export async function saveColumns(teachers: ApiClient[], grids: Grid[], seconds: number, thinkMs = 0): Promise<Times> {
  const out: Times = { times: [], errors: 0, conflicts: 0, rejected: 0 };
  const end = performance.now() + seconds * 1000;
  const pause = pauses(thinkMs);
  await Promise.all(
    teachers.map(async (t, i) => {
      const g = grids[i];
      const url = `/api/v1/schools/${g.schoolId}/classes/${g.classId}/gradebook/${g.subjectCode}/cells`;
      const versions = new Map<string, number>(g.studentIds.map((id) => [id, 0]));
      let round = 0;
      if (thinkMs > 0) await pause();
      while (performance.now() < end) {
        round++;
        const cells = g.studentIds.map((studentId, k) => ({ studentId, column: 'tx1', value: `${5 + ((k + round) % 5)},${(k * 7 + round) % 10}`, version: versions.get(studentId) ?? 0 }));
        const t0 = performance.now();
        try {
          const r = await t.call<{ saved: { studentId: string; version: number }[]; conflicts: unknown[]; rejected: unknown[] }>('PUT', url, { term: 1, cells });
          out.times.push(performance.now() - t0);
          for (const s of r.saved) versions.set(s.studentId, s.version);
          out.conflicts += r.conflicts.length;
          out.rejected += r.rejected.length;
        } catch {
          out.errors++;
        }
        if (thinkMs > 0) await pause();
      }
    }),
  );
  out.times.sort((a, b) => a - b);
  return out;
}

/** Random pauses of mean `thinkMs` (exponential), the same sequence every run so two runs offer the same load. */
function pauses(thinkMs: number): () => Promise<void> {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return () => new Promise((r) => setTimeout(r, -Math.log(1 - random()) * thinkMs));
}

/** The floor: the same versioned 45-row upsert, straight through `pg`, 50 callers on a pool of 10, paced as the teachers are. */
async function rawUpserts(url: string, grids: Grid[], seconds: number, thinkMs = 0): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('create table if not exists bench_cell (k text, s uuid, c text, v smallint, version int, primary key (k, s, c))');
  await pool.query('truncate bench_cell');
  const pause = pauses(thinkMs);
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    grids.map(async (g, i) => {
      const versions = new Map<string, number>(g.studentIds.map((id) => [id, 0]));
      let round = 0;
      if (thinkMs > 0) await pause();
      while (performance.now() < end) {
        round++;
        const ids = g.studentIds;
        const t0 = performance.now();
        const r = await pool.query<{ s: string; version: number }>(
          `insert into bench_cell (k, s, c, v, version)
             select $1, s, 'tx1', v, version + 1 from unnest($2::uuid[], $3::smallint[], $4::int[]) as x (s, v, version)
           on conflict (k, s, c) do update set v = excluded.v, version = excluded.version where bench_cell.version = excluded.version - 1
           returning s, version`,
          [String(i), ids, ids.map((_, k) => 50 + ((k + round) % 50)), ids.map((id) => versions.get(id) ?? 0)],
        );
        times.push(performance.now() - t0);
        for (const row of r.rows) versions.set(row.s, row.version);
        if (thinkMs > 0) await pause();
      }
    }),
  );
  await pool.end();
  return times.sort((a, b) => a - b);
}

async function largestSchool(db: pg.Client) {
  const r = await db.query<{ school_id: string; year: number; n: string }>(
    `select e.school_id, c.year, count(distinct e.student_id) as n
       from enrolment e join class c on c.school_id = e.school_id and c.id = e.class_id
      where c.grade between 6 and 12 and e.end_date is null
      group by e.school_id, c.year order by n desc limit 1`,
  );
  return { schoolId: r.rows[0].school_id, year: r.rows[0].year, students: Number(r.rows[0].n) };
}

/**
 * Every current student of the school's TT22 classes gets every column of every subject of their
 * grade, both terms, marks from a hash of the ids (comment subjects Đạt): a complete gradebook.
 */
async function fillSchool(db: pg.Client, schoolId: string): Promise<void> {
  await db.query(
    `insert into gradebook_cell (school_id, class_id, subject_code, term, student_id, column_key, score_tenths, pass_fail)
     select e.school_id, e.class_id, k.subject_code, t.term, e.student_id, col.key,
            case when k.assessment_kind = 'score' then 40 + abs(hashtext(e.student_id::text || k.subject_code || t.term || col.key)) % 61 end,
            case when k.assessment_kind = 'comment' then 'dat' end
       from enrolment e
       join class c on c.school_id = e.school_id and c.id = e.class_id
       join curriculum_subject k on k.grade = c.grade and k.assessment_kind in ('score', 'comment')
       cross join (values (1), (2)) as t (term)
       cross join lateral (
         select 'tx' || g as key from generate_series(1, case when k.periods_per_year <= 35 then 2 when k.periods_per_year <= 70 then 3 else 4 end) as g
         union all select 'gk' union all select 'ck'
       ) as col
      where e.school_id = $1 and e.end_date is null and c.grade between 6 and 12
     on conflict do nothing`,
    [schoolId],
  );
  await db.query(
    `insert into training_rating (school_id, student_id, year, term, level)
     select e.school_id, e.student_id, c.year, t.term, 'kha' from enrolment e join class c on c.school_id = e.school_id and c.id = e.class_id
       cross join (values (1), (2)) as t (term)
      where e.school_id = $1 and e.end_date is null and c.grade between 6 and 12
     on conflict do nothing`,
    [schoolId],
  );
}

async function principalOf(base: string, db: pg.Client, schoolId: string): Promise<ApiClient> {
  const r = await db.query<{ username: string }>(
    `select u.username from app_user u join role_grant g on g.user_id = u.id where g.role = 'principal' and g.org_unit_id = $1 limit 1`,
    [schoolId],
  );
  const hash = (await db.query<{ password_hash: string }>(`select password_hash from app_user where username = 'gv.demo'`)).rows[0].password_hash;
  let username = r.rows[0]?.username;
  if (!username) {
    username = 'bench.ht';
    const id = crypto.randomUUID();
    await db.query(`insert into app_user (id, username, password_hash, display_name, must_change_password) values ($1, $2, $3, 'Hiệu trưởng thử', false)`, [id, username, hash]);
    await db.query(`insert into role_grant (id, user_id, role, org_unit_id) values ($1, $2, 'principal', $3)`, [crypto.randomUUID(), id, schoolId]);
  }
  const c = new ApiClient(base);
  await c.login(username, DEMO_PASSWORD);
  return c;
}
