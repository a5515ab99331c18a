import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

// The demo gradebook's statements (the plan is demo-gradebook.ts): the queue of demo schools still
// to fill, and the set-based inserts that make a class's term marks, absences and training ratings
// inside the database. ~500,000 cells built in JS and sent through PGlite's WASM bridge would take
// tens of seconds; made by one INSERT … SELECT per class chunk they cost what PostgreSQL spends
// writing them.
//
// Randomness: every draw is hashtextextended(key, seed) of a key made of what the seed makes the
// same every time (school code, class name, subject, learner id or temporary code, column), never
// of a UUID, so the same seed gives the same marks on PGlite and PostgreSQL. 12-bit slices of the
// 64-bit hash give uniform draws (u) and, three summed, a bell-shaped one (z, mean 0, sd 1, ±3).

type Db = Kysely<Database> | Transaction<Database>;

/** One demo school still to fill (or done). */
export type FillRow = { school_id: string; position: number; year: number; seed: number; as_of: string; done_at: Date | null };

export async function queueDemoGradebook(trx: Transaction<Database>, rows: Array<Omit<FillRow, 'done_at'>>): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('demo_gradebook_fill').values(rows).execute();
}

/** The demo schools whose gradebook is not filled yet, in the order the seed queued them. */
export async function pendingDemoGradebook(db: Db): Promise<FillRow[]> {
  return db.selectFrom('demo_gradebook_fill').selectAll().where('done_at', 'is', null).orderBy('position').execute();
}

export async function markDemoGradebookDone(db: Db, schoolId: string): Promise<void> {
  await db.updateTable('demo_gradebook_fill').set({ done_at: new Date() }).where('school_id', '=', schoolId).execute();
}

/** The tables the fill reads and the columns it joins and filters them on, for analyzeFillSource. */
export const FILL_SOURCES: Readonly<Record<string, readonly string[]>> = {
  class: ['school_id', 'id', 'year', 'grade'],
  student: ['school_id', 'id'],
  enrolment: ['school_id', 'student_id', 'class_id', 'year', 'start_date', 'end_date'],
  teaching_assignment: ['school_id', 'year', 'term', 'class_id', 'subject_code'],
  guardian: ['school_id', 'student_id', 'user_id'],
};

/**
 * Fresh planner statistics for a table the fill reads, on the columns it reads: the seed has just
 * bulk-loaded them (and PGlite runs no autovacuum); without them the cells' insert costs about half
 * as much again. Only those columns: the whole of student (names, addresses …) takes a second.
 */
export async function analyzeFillSource(db: Db, table: string): Promise<void> {
  const columns = FILL_SOURCES[table];
  if (!columns) throw new Error(`analyzeFillSource: ${table} is not a fill source`);
  await sql`analyze ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})`.execute(db);
}

/** The school's classes of the year (primary and secondary) with what the plan reads, in name order. */
export async function listFillClasses(db: Db, schoolId: string, year: number) {
  return db
    .selectFrom('class as c')
    .leftJoin('enrolment as e', (j) => j.onRef('e.school_id', '=', 'c.school_id').onRef('e.class_id', '=', 'c.id'))
    .select((eb) => [
      'c.id',
      'c.name',
      'c.grade',
      eb.fn.count<string>('e.id').as('enrolments'),
      // Whether the homeroom teacher can sign in (gvcn.demo): that class gets the learner near the absence limit.
      eb
        .exists(eb.selectFrom('app_user as u').select('u.id').whereRef('u.staff_school_id', '=', 'c.school_id').whereRef('u.staff_id', '=', 'c.homeroom_teacher_id'))
        .as('homeroom_has_account'),
    ])
    .where('c.school_id', '=', schoolId)
    .where('c.year', '=', year)
    .where('c.grade', '>=', 1)
    .groupBy(['c.school_id', 'c.id', 'c.name', 'c.grade', 'c.homeroom_teacher_id'])
    .orderBy('c.grade')
    .orderBy('c.name')
    .execute();
}

/** The school's term 1 dates and its principal's account (who closes the term). */
export async function findFillSchool(db: Db, schoolId: string, year: number) {
  const term = await db.selectFrom('school_year').select(['term1_start', 'term1_end']).where('school_id', '=', schoolId).where('year', '=', year).executeTakeFirst();
  const principal = await db
    .selectFrom('role_grant as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.staff_school_id', 'u.staff_id'])
    .where('g.org_unit_id', '=', schoolId)
    .where('g.role', '=', 'principal')
    .orderBy('u.username')
    .executeTakeFirst();
  return term && principal ? { ...term, principal } : undefined;
}

/** What varies the marks by subject, and the words the fill writes (demo-gradebook.ts holds them). */
export type FillTables = {
  /**
   * One entry per grade × subject the gradebook covers: TT22 grades, subjects not 'mixed' (kind
   * score or comment, `regular` the number of regular marks); TT27 grades, every subject (kind
   * level, `regular` the periodic tests of term 1 as bits: 1 giữa kì I, 2 cuối kì I).
   */
  subjects: { grade: number[]; code: string[]; kind: Array<'score' | 'comment' | 'level'>; regular: number[]; offset: number[] };
  /** The qualities and competencies rated per TT27 grade (grade × code). */
  qualities: { grade: number[]; code: string[] };
  commentsHigh: string[];
  commentsMid: string[];
  commentsLow: string[];
  commentsPassFail: string[];
  reasonsExcused: string[];
  reasonsUnexcused: string[];
};

export type ClassChunk = {
  schoolId: string;
  classIds: string[];
  year: number;
  seed: number;
  /** The last day whose absences exist (the day before the seed ran). */
  asOf: string;
  term1Start: string;
  /** Grades assessed under TT22/2021 this year: only their classes get marks, ratings, chronic absentees. */
  tt22Grades: number[];
  /** Classes where one learner has missed 40-odd sessions (the homeroom view's warning). */
  chronicClassIds: string[];
  tables: FillTables;
};

// ---------------------------------------------------------------- draws
/** A 64-bit hash of the key under the seed. */
const hash = (key: RawBuilder<unknown>, seed: number) => sql<string>`hashtextextended(${key}, ${seed}::bigint)`;
/** Uniform in [0, 1) from 12 bits of a hash, starting at bit `at`. */
const u = (h: RawBuilder<unknown>, at: number) => sql<number>`(((${h} >> ${sql.lit(at)}) & 4095)::float8 / 4096)`;
/** Bell-shaped, mean 0, sd 1, within ±3: the sum of three 12-bit slices from bit `at` (Irwin–Hall). */
const z = (h: RawBuilder<unknown>, at: number) =>
  sql<number>`(((((${h} >> ${sql.lit(at)}) & 4095) + ((${h} >> ${sql.lit(at + 12)}) & 4095) + ((${h} >> ${sql.lit(at + 24)}) & 4095))::float8 - 6142.5) / 2048)`;
const ref = (name: string) => sql.raw(name);

/**
 * The chunk's classes and their learners over term 1: each enrolment, with a key for the draws
 * (learner id, else school code + temporary code), whether it ended before the as-of day (left
 * during the term) and whether the learner came from another class of the school during the year.
 * The learner's ability (tenths, 25–97) is drawn from the key alone, so it follows the learner.
 */
function membersCte(c: ClassChunk) {
  return sql`
    cls as materialized (
      select c.school_id, c.id as class_id, c.name as class_name, c.grade, c.session, c.homeroom_teacher_id, o.code as school_code,
        y.term1_start, y.term1_end,
        (select u.id from app_user u where u.staff_school_id = c.school_id and u.staff_id = c.homeroom_teacher_id order by u.id limit 1) as homeroom_user
      from class c
      join org_unit o on o.id = c.school_id
      join school_year y on y.school_id = c.school_id and y.year = c.year
      where c.school_id = ${c.schoolId} and c.id = any(${c.classIds}::uuid[])
    ),
    member as materialized (
      select cls.*, e.id as enrolment_id, e.student_id, e.start_date, e.end_date, k.skey,
        (e.end_date is not null and e.end_date <= ${c.asOf}::date) as left_early,
        exists (select 1 from enrolment p where p.school_id = e.school_id and p.student_id = e.student_id and p.year = e.year
          and p.id <> e.id and p.start_date < e.start_date) as moved_in,
        least(98, greatest(30, 74 + 12 * ${z(ref('hk.h'), 0)})) as ability
      from cls
      join enrolment e on e.school_id = cls.school_id and e.class_id = cls.class_id
      join student s on s.school_id = e.school_id and s.id = e.student_id
      cross join lateral (select coalesce(s.learner_id, cls.school_code || '/' || s.temp_code, s.id::text) as skey) k
      cross join lateral (select ${hash(ref('k.skey'), c.seed)} as h) hk
      where e.year = ${c.year} and e.start_date <= cls.term1_end and (e.end_date is null or e.end_date >= cls.term1_start)
    )`;
}

/**
 * The chunk's grids: every subject the class is taught in term 1 that the gradebook covers, with
 * its teacher's account, and the state the grid is in: most open, some submitted or reviewed, a few
 * locked (a draw per school, class and subject).
 */
function gridsCte(c: ClassChunk) {
  const t = c.tables.subjects;
  const stateDraw = u(hash(sql`cls.school_code || '/' || cls.class_name || '/' || a.subject_code || '/state'`, c.seed), 0);
  return sql`
    grid as materialized (
      select cls.school_id, cls.class_id, cls.grade, cls.homeroom_user, a.subject_code, sub.kind, sub.regular, sub.shift,
        (select u.id from app_user u where u.staff_school_id = a.school_id and u.staff_id = a.staff_id order by u.id limit 1) as teacher_user,
        case when d.x < 0.05 then 'locked' when d.x < 0.13 then 'reviewed' when d.x < 0.27 then 'submitted' else 'open' end as state
      from cls
      join teaching_assignment a on a.school_id = cls.school_id and a.class_id = cls.class_id and a.year = ${c.year} and a.term = 1
      join unnest(${t.grade}::int[], ${t.code}::text[], ${t.kind}::text[], ${t.regular}::int[], ${t.offset}::int[]) as sub(grade, code, kind, regular, shift)
        on sub.grade = cls.grade and sub.code = a.subject_code
      cross join lateral (select ${stateDraw} as x) d
    )`;
}

/**
 * Term 1 cells of the chunk's grids. Per learner and subject: a tilt around the learner's ability;
 * per cell: noise, then rounding the way teachers enter marks (regular marks mostly whole, tests
 * often to the half point, some with one decimal), 0–10. Comment subjects: Đạt, rarely Chưa đạt
 * (more often for weak learners). A few teacher's comments (nx) from the plan's phrases. Who left
 * the class during the term has TX1 only; who came from another class has everything but TX1 (it
 * is in the old class's grid). In open grids a few learners miss one mark (CK or the last TX).
 * Locked grids are never written (the lock trigger would refuse; a rerun after a restart skips them).
 */
export async function insertChunkCells(trx: Transaction<Database>, c: ClassChunk): Promise<number> {
  const tb = c.tables;
  const hss = ref('m.hss');
  const hc = ref('hc.h');
  const res = await sql`
    with ${membersCte(c)}, ${gridsCte(c)},
    pair as materialized (
      select g.school_id, g.class_id, g.subject_code, g.kind, g.regular, g.shift, g.state, g.teacher_user,
        m.student_id, m.skey, m.ability, m.left_early, m.moved_in, hx.hss
      from grid g
      join member m on m.school_id = g.school_id and m.class_id = g.class_id
      cross join lateral (select ${hash(sql`m.skey || '/' || g.subject_code`, c.seed)} as hss) hx
      where g.kind <> 'level' and not exists (select 1 from gradebook_state s where s.school_id = g.school_id and s.class_id = g.class_id
        and s.subject_code = g.subject_code and s.term = 1 and s.state = 'locked')
    )
    insert into gradebook_cell (school_id, class_id, subject_code, term, student_id, column_key, score_tenths, pass_fail, comment, updated_by)
    select m.school_id, m.class_id, m.subject_code, 1, m.student_id, col.key,
      case when m.kind = 'score' and col.key <> 'nx' then
        least(100, greatest(0,
          case when col.key like 'tx%' then
            case when v.r < 0.72 then round(v.raw / 10) * 10 when v.r < 0.93 then round(v.raw / 5) * 5 else round(v.raw) end
          else
            case when v.r < 0.35 then round(v.raw / 10) * 10 when v.r < 0.85 then round(v.raw / 5) * 5 else round(v.raw) end
          end))::smallint
      end,
      case when m.kind = 'comment' and col.key <> 'nx' then
        case when v.cd < (case when m.ability < 50 then 0.02 else 0.0005 end) then 'chua_dat' else 'dat' end
      end,
      case when col.key = 'nx' then
        case when m.kind = 'comment' then (${tb.commentsPassFail}::text[])[1 + p.pick % ${tb.commentsPassFail.length}]
          when m.ability >= 80 then (${tb.commentsHigh}::text[])[1 + p.pick % ${tb.commentsHigh.length}]
          when m.ability >= 58 then (${tb.commentsMid}::text[])[1 + p.pick % ${tb.commentsMid.length}]
          else (${tb.commentsLow}::text[])[1 + p.pick % ${tb.commentsLow.length}] end
      end,
      m.teacher_user
    from pair m
    cross join lateral (select
        ${z(hss, 0)} as tilt,
        ${u(hss, 36)} as missing,
        ((${hss} >> 48) & 1) = 0 as missing_final,
        ${u(hss, 49)} as nx,
        ((${hss} >> 24) & 65535)::int as pick) p
    cross join lateral generate_series(1, m.regular + 3) k
    cross join lateral (select case when k.k <= m.regular then 'tx' || k.k when k.k = m.regular + 1 then 'gk' when k.k = m.regular + 2 then 'ck' else 'nx' end as key) col
    cross join lateral (select ${hash(sql`m.skey || '/' || m.subject_code || '/' || col.key`, c.seed)} as h) hc
    cross join lateral (select
        m.ability + m.shift + 5 * p.tilt + (case when col.key like 'tx%' then 8 else 6 end) * ${z(hc, 0)} as raw,
        ${u(hc, 36)} as r,
        ${u(hc, 48)} as cd) v
    where (col.key <> 'nx' or (p.nx < 0.06 and not m.left_early))
      and (not m.left_early or col.key = 'tx1')
      and (m.left_early or not m.moved_in or col.key <> 'tx1')
      and not (m.state = 'open' and p.missing < 0.004
        and col.key = case when p.missing_final then 'ck' else 'tx' || m.regular end)
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * Term 1 of the chunk's primary grids (TT27/2020 Điều 7): at giữa kì I and cuối kì I (gk_*, ck_*)
 * each learner's level — Hoàn thành tốt for about two in five, Chưa hoàn thành for about one in
 * 150 (weak learners, a subject or two), Hoàn thành for the rest, following the learner's ability — the periodic test (a whole
 * 1–10 near the level) where the grid's subject has one at that checkpoint, and a comment for about
 * one in four. Who left the class during the term has the mid-term only; in open grids a few
 * learners miss the end-of-term level. Locked grids are never written, as for TT22.
 */
export async function insertChunkPrimaryCells(trx: Transaction<Database>, c: ClassChunk): Promise<number> {
  const tb = c.tables;
  const hss = ref('m.hss');
  const hc = ref('hc.h');
  const res = await sql`
    with ${membersCte(c)}, ${gridsCte(c)},
    pair as materialized (
      select g.school_id, g.class_id, g.subject_code, g.regular as tests, g.state, g.teacher_user,
        m.student_id, m.skey, m.ability, m.left_early, hx.hss
      from grid g
      join member m on m.school_id = g.school_id and m.class_id = g.class_id
      cross join lateral (select ${hash(sql`m.skey || '/' || g.subject_code`, c.seed)} as hss) hx
      where g.kind = 'level' and not exists (select 1 from gradebook_state s where s.school_id = g.school_id and s.class_id = g.class_id
        and s.subject_code = g.subject_code and s.term = 1 and s.state = 'locked')
    )
    insert into gradebook_cell (school_id, class_id, subject_code, term, student_id, column_key, score_tenths, comment, subject_level, updated_by)
    select m.school_id, m.class_id, m.subject_code, 1, m.student_id, col.pos || '_' || col.part,
      case when col.part = 'kt' then (least(10, greatest(1, round(v.raw / 10))) * 10)::smallint end,
      case when col.part = 'nx' then
        case when v.raw >= 80 then (${tb.commentsHigh}::text[])[1 + v.pick % ${tb.commentsHigh.length}]
          when v.raw >= 55 then (${tb.commentsMid}::text[])[1 + v.pick % ${tb.commentsMid.length}]
          else (${tb.commentsLow}::text[])[1 + v.pick % ${tb.commentsLow.length}] end
      end,
      case when col.part = 'muc' then
        case when v.raw >= 78 then 'hoan_thanh_tot' when v.raw >= 38 then 'hoan_thanh' else 'chua_hoan_thanh' end
      end,
      m.teacher_user
    from pair m
    cross join lateral (select ${z(hss, 0)} as tilt, ${u(hss, 36)} as missing, ${u(hss, 48)} as nx) p
    cross join (values ('gk', 'muc', 1), ('gk', 'kt', 1), ('gk', 'nx', 1), ('ck', 'muc', 2), ('ck', 'kt', 2), ('ck', 'nx', 2)) col(pos, part, test_bit)
    cross join lateral (select ${hash(sql`m.skey || '/' || m.subject_code || '/' || col.pos`, c.seed)} as h) hc
    -- The phrase is drawn per checkpoint: a teacher does not write the same comment at mid-term and end of term.
    cross join lateral (select m.ability + 5 * p.tilt + 6 * ${z(hc, 0)} as raw, ((${hc} >> 40) & 65535)::int as pick) v
    where (col.part <> 'kt' or (m.tests & col.test_bit) <> 0)
      and (col.part <> 'nx' or p.nx < 0.25)
      and (not m.left_early or col.pos = 'gk')
      and not (m.state = 'open' and col.pos = 'ck' and col.part = 'muc' and p.missing < 0.01)
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * The homeroom teacher's ratings of qualities and competencies (TT27 Điều 7) at giữa kì I and
 * cuối kì I for the learners still in the chunk's primary classes: Tốt for about half, Cần cố
 * gắng rarely, Đạt otherwise, each quality drawn around the learner (the same learner rates alike
 * across qualities and checkpoints). Then the principal's lock of giữa kì I in most classes
 * (after the ratings: a locked checkpoint takes none). Ratings or a lock already there stay.
 */
export async function insertChunkQualities(trx: Transaction<Database>, c: ClassChunk, principalUserId: string): Promise<number> {
  const q = c.tables.qualities;
  const hq = ref('hq.h');
  const res = await sql`
    with ${membersCte(c)}
    insert into quality_rating (school_id, class_id, checkpoint, student_id, quality_code, level, updated_by)
    select m.school_id, m.class_id, cp.checkpoint, m.student_id, qc.code,
      case when t.score > 0.1 then 'tot' when t.score > -2.1 then 'dat' else 'can_co_gang' end,
      m.homeroom_user
    from member m
    join unnest(${q.grade}::int[], ${q.code}::text[]) as qc(grade, code) on qc.grade = m.grade
    cross join (values ('mid_term1'), ('end_term1')) cp(checkpoint)
    cross join lateral (select ${hash(sql`m.skey || '/quality/' || qc.code || '/' || cp.checkpoint`, c.seed)} as h) hq
    cross join lateral (select 0.7 * (m.ability - 74) / 12 + 0.2 * ${z(hash(sql`m.skey || '/qualities'`, c.seed), 0)} + 0.6 * ${z(hq, 0)} as score) t
    where not m.left_early
      and not exists (select 1 from quality_rating_state s where s.school_id = m.school_id and s.class_id = m.class_id
        and s.checkpoint = cp.checkpoint and s.state = 'locked')
    on conflict do nothing`.execute(trx);
  const lockDraw = u(hash(sql`cls.school_code || '/' || cls.class_name || '/qualities-lock'`, c.seed), 0);
  await sql`
    with ${membersCte(c)}
    insert into quality_rating_state (school_id, class_id, checkpoint, state, changed_by)
    select cls.school_id, cls.class_id, 'mid_term1', 'locked', ${principalUserId}::uuid
    from cls
    where cls.grade = any(${q.grade}::int[]) and ${lockDraw} < 0.7
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * The grids' states, written after their cells (a locked grid takes no cell, by its trigger): who
 * took the last step is the teacher (submitted), the homeroom teacher (reviewed) or the principal
 * (locked), where they have an account. A state already there (a user's) stays.
 */
export async function insertChunkStates(trx: Transaction<Database>, c: ClassChunk, principalUserId: string): Promise<number> {
  const res = await sql`
    with ${membersCte(c)}, ${gridsCte(c)}
    insert into gradebook_state (school_id, class_id, subject_code, term, state, changed_by)
    select g.school_id, g.class_id, g.subject_code, 1, g.state,
      case g.state when 'submitted' then g.teacher_user when 'reviewed' then g.homeroom_user else ${principalUserId}::uuid end
    from grid g
    where g.state <> 'open'
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * What the families see (the contact book): the teacher has published the regular and mid-term
 * marks of most open grids (the end-of-term marks are still coming in), and every column of the
 * grids handed in (submitted, reviewed, locked), comments included. Results are not published: the
 * term is not over, and publishing them is the homeroom teacher's step to show.
 */
export async function insertChunkPublications(trx: Transaction<Database>, c: ClassChunk): Promise<number> {
  const draw = u(hash(sql`cls.school_code || '/' || cls.class_name || '/' || g.subject_code || '/publish'`, c.seed), 0);
  const res = await sql`
    with ${membersCte(c)}, ${gridsCte(c)}
    insert into gradebook_publication (school_id, class_id, subject_code, term, column_key, published_by)
    select g.school_id, g.class_id, g.subject_code, 1, col.key, g.teacher_user
    from grid g
    join cls on cls.school_id = g.school_id and cls.class_id = g.class_id
    cross join lateral generate_series(1, g.regular + 3) k
    cross join lateral (select case when k.k <= g.regular then 'tx' || k.k when k.k = g.regular + 1 then 'gk' when k.k = g.regular + 2 then 'ck' else 'nx' end as key) col
    where g.kind <> 'level' and (g.state <> 'open' or (col.key not in ('ck', 'nx') and ${draw} < 0.85))
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * Absences from the first day of the year to the as-of day, school days Monday to Friday, within
 * each enrolment. Per learner a number of days (half none, most under four, a few more); spread
 * over the span with one day drawn in each equal slice, so no day repeats. Full-day classes miss
 * both sessions of a day. In TT22 classes drawn for it (and the plan's chronic classes) one learner
 * has missed many sessions (20–34; 41–44 where the plan asks), mostly without leave. Excused
 * absences carry a reason; some unexcused ones a note.
 */
export async function insertChunkAbsences(trx: Transaction<Database>, c: ClassChunk): Promise<number> {
  const tb = c.tables;
  const hs = ref('ha.h');
  const hj = ref('hj.h');
  const res = await sql`
    with ${membersCte(c)},
    days as materialized (
      select d::date as day, (row_number() over (order by d) - 1)::int as idx
      from generate_series(${c.term1Start}::timestamp, ${c.asOf}::timestamp, interval '1 day') d
      where extract(isodow from d) <= 5
    ),
    chronic as materialized (
      select distinct on (m.class_id) m.class_id, m.student_id
      from member m
      where m.grade = any(${c.tt22Grades}::int[]) and not m.left_early and not m.moved_in
        and not exists (select 1 from guardian g where g.school_id = m.school_id and g.student_id = m.student_id and g.user_id is not null)
        and (m.class_id = any(${c.chronicClassIds}::uuid[])
          or ${u(hash(sql`m.school_code || '/' || m.class_name || '/chronic'`, c.seed), 0)} < 0.08)
      order by m.class_id, ${hash(sql`m.skey || '/chronic'`, c.seed)}
    ),
    span as materialized (
      select m.*, (ch.student_id is not null) as chronic,
        (select min(idx) from days where day >= m.start_date) as lo,
        (select max(idx) from days where m.end_date is null or day < m.end_date) as hi
      from member m
      left join chronic ch on ch.class_id = m.class_id and ch.student_id = m.student_id
    ),
    counted as materialized (
      select s.*, least(s.hi - s.lo + 1, case
          when s.chronic and s.class_id = any(${c.chronicClassIds}::uuid[]) then 41 + (${hs} & 3)::int
          when s.chronic then 20 + ((${hs} >> 2) & 15)::int % 15
          when a.x < 0.50 then 0 when a.x < 0.70 then 1 when a.x < 0.82 then 2 when a.x < 0.89 then 3
          when a.x < 0.95 then 4 + ((${hs} >> 20) & 3)::int % 3
          when a.x < 0.99 then 7 + ((${hs} >> 20) & 7)::int % 5
          else 12 + ((${hs} >> 20) & 7)::int % 5 end) as days_absent
      from span s
      cross join lateral (select ${hash(sql`s.skey || '/absent/' || s.class_name`, c.seed)} as h) ha
      cross join lateral (select ${u(hs, 8)} as x) a
      where s.lo is not null and s.hi is not null
    )
    insert into attendance (school_id, student_id, day, session, class_id, excused, reason, recorded_by)
    select n.school_id, n.student_id, d.day, ses.session, n.class_id, x.excused,
      case when x.excused then (${tb.reasonsExcused}::text[])[1 + x.pick % ${tb.reasonsExcused.length}]
        when x.note then (${tb.reasonsUnexcused}::text[])[1 + x.pick % ${tb.reasonsUnexcused.length}] end,
      n.homeroom_user
    from counted n
    cross join lateral generate_series(0, n.days_absent - 1) j
    cross join lateral (select j.j * (n.hi - n.lo + 1) / n.days_absent as first, (j.j + 1) * (n.hi - n.lo + 1) / n.days_absent as next) sl
    cross join lateral (select ${hash(sql`n.skey || '/absent/' || n.class_name || '/' || j.j`, c.seed)} as h) hj
    cross join lateral (select
        ${u(hj, 0)} < (case when n.chronic then 0.3 else 0.7 end) as excused,
        ${u(hj, 12)} < 0.4 as note,
        ((${hj} >> 24) & 65535)::int as pick,
        n.lo + sl.first + floor(${u(hj, 40)} * (sl.next - sl.first))::int as idx) x
    join days d on d.idx = x.idx
    cross join lateral (select unnest(case n.session when 'morning' then array['morning'] when 'afternoon' then array['afternoon']
        else array['morning', 'afternoon'] end) as session) ses
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * Term 1 training ratings by the homeroom teacher for the learners still in the TT22 classes,
 * but for ~2% not rated yet: Tốt for most, then Khá, Đạt, rarely Chưa đạt, lower with many
 * unexcused absences. A rating already there (a user's) stays.
 */
export async function insertChunkRatings(trx: Transaction<Database>, c: ClassChunk): Promise<number> {
  const hr = ref('hr.h');
  const res = await sql`
    with ${membersCte(c)}
    insert into training_rating (school_id, student_id, year, term, level, set_by)
    select m.school_id, m.student_id, ${c.year}, 1,
      case when t.score > -0.35 then 'tot' when t.score > -1.2 then 'kha' when t.score > -2.2 then 'dat' else 'chua_dat' end,
      m.homeroom_user
    from member m
    cross join lateral (select ${hash(sql`m.skey || '/training'`, c.seed)} as h) hr
    cross join lateral (select
        0.6 * (m.ability - 74) / 12 + 0.8 * ${z(hr, 0)}
          - 0.12 * (select count(*) from attendance a where a.school_id = m.school_id and a.student_id = m.student_id and not a.excused) as score,
        ${u(hr, 36)} as unrated) t
    where m.grade = any(${c.tt22Grades}::int[]) and not m.left_early and t.unrated >= 0.02
    on conflict do nothing`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}
