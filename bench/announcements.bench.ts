import pg from 'pg';
import { hashPassword } from '../server/src/platform/passwords.js';
import { ApiClient } from './api-client.js';
import { withBenchDatabase } from './pg-cluster.js';
import { freePort, startAndWait } from './process-utils.js';
import type { BenchResult } from './types.js';

const FAMILIES = 2000;
const CLASSES = 50;
const PASSWORD = 'Bench@2026';
const ms = (x: number) => `${x.toFixed(0)} ms`;

/**
 * Issue 11's figure: one school-wide announcement to 2,000 families, time until it is in every
 * in-app inbox (target ≤ 10 s). On PostgreSQL, a school of 2,000 current students in 50 classes,
 * each with a guardian who has an account, made by SQL in the bench's own database; the principal
 * writes the announcement and sends it through the API: the answer to "Gửi ngay" comes after the
 * transaction that wrote every inbox row committed, so its time is the figure (checked by counting
 * the rows). Baselines in the same run: one plain insert of 2,000 notification rows through `pg`,
 * and the same 2,000 rows queued one insert per family.
 */
export function benchAnnouncements(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'announcements', (dbUrl) => measure(dbUrl));
}

async function measure(dbUrl: string): Promise<BenchResult> {
  const port = await freePort();
  const server = await startAndWait(process.execPath, ['dist/server/main.mjs', 'serve'], { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: dbUrl }, `http://127.0.0.1:${port}/api/health`);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const ids = await generateSchool(db);
    const base = `http://127.0.0.1:${port}`;
    const principal = new ApiClient(base);
    await principal.login('bench.hieutruong', PASSWORD);
    const path = `/api/v1/org-units/${ids.schoolId}/announcements`;

    const runs: number[] = [];
    let notices = 0;
    for (let i = 0; i < 3; i++) {
      const draft = await principal.call<{ id: string }>('POST', path, { title: `Thông báo toàn trường ${i + 1}`, body: 'Kính gửi quý phụ huynh,\nNhà trường thông báo lịch nghỉ Tết.', audience: { families: true } });
      const t0 = performance.now();
      await principal.call('POST', `${path}/${draft.id}/send`, { sendAt: null });
      runs.push(performance.now() - t0);
      notices = Number((await db.query<{ n: string }>('select count(*) as n from notification where source_id = $1', [draft.id])).rows[0]?.n ?? 0);
      if (notices !== FAMILIES) throw new Error(`announcement ${i + 1}: ${notices} inbox rows instead of ${FAMILIES}`);
    }
    const plain = await baselineInsert(db, ids.parentIds, false);
    const oneByOne = await baselineInsert(db, ids.parentIds, true);
    const best = Math.min(...runs);
    const median = [...runs].sort((a, b) => a - b)[1] ?? best;
    return {
      name: 'Announcements on PostgreSQL (server, database and load generator share the machine)',
      rows: [
        [
          `one school-wide announcement to ${FAMILIES.toLocaleString('en')} families (${CLASSES} classes, each family an account): "Gửi ngay" until every in-app inbox holds it (${notices.toLocaleString('en')} rows), 3 sendings`,
          `median ${ms(median)} (best ${ms(best)}, all ${runs.map(ms).join(' / ')}) = ${(median / plain).toFixed(1)}× one plain insert of the same rows`,
          '≤ 10 s',
        ],
        [`baseline: one INSERT of ${FAMILIES.toLocaleString('en')} notification rows through \`pg\``, ms(plain), '—'],
        [`baseline: ${FAMILIES.toLocaleString('en')} single-row INSERTs in one transaction`, ms(oneByOne), '—'],
      ],
      notes: ['The push, e-mail and webhook throughput is the channels\' figure: the sending queues one delivery job for the batch and returns.'],
    };
  } finally {
    await db.end();
    await server.stop();
  }
}

/** One school with its principal, 2,000 current students in 50 classes, a guardian with an account each. */
async function generateSchool(db: pg.Client) {
  const schoolId = crypto.randomUUID();
  const provinceId = crypto.randomUUID();
  const principalId = crypto.randomUUID();
  const year = new Date().getUTCMonth() >= 7 ? new Date().getUTCFullYear() : new Date().getUTCFullYear() - 1;
  const hash = await hashPassword(PASSWORD);
  await db.query('begin');
  await db.query(`insert into org_unit (id, kind, code) values ($1, 'province_office', 'BENCHP'), ($2, 'school', 'BENCHS')`, [provinceId, schoolId]);
  await db.query(
    `insert into org_unit_version (unit_id, valid_from, parent_id, name, school_levels, ownership)
     values ($1, '2020-01-01', null, 'Sở GD&ĐT Thử tải', '{}', null), ($2, '2020-01-01', $1, 'Trường THCS Thử tải', '{lower_secondary}', 'public')`,
    [provinceId, schoolId],
  );
  await db.query(`insert into school_year (school_id, year, term1_start, term1_end, term2_start, term2_end) values ($1, $2::int, make_date($2::int, 9, 5), make_date($2::int + 1, 1, 15), make_date($2::int + 1, 1, 19), make_date($2::int + 1, 5, 31))`, [schoolId, year]);
  await db.query(`insert into app_user (id, username, password_hash, display_name) values ($1, 'bench.hieutruong', $2, 'Hiệu trưởng thử tải')`, [principalId, hash]);
  await db.query(`insert into role_grant (id, user_id, role, org_unit_id) values (gen_random_uuid(), $1, 'principal', $2)`, [principalId, schoolId]);
  await db.query(
    `insert into class (school_id, id, year, name, grade)
     select $1, gen_random_uuid(), $2::int, (6 + (i - 1) / 13)::text || 'T' || i, 6 + (i - 1) / 13 from generate_series(1, ${CLASSES}) i`,
    [schoolId, year],
  );
  await db.query(
    `with c as (select id, row_number() over (order by name) - 1 as k from class where school_id = $1)
     insert into student (school_id, id, person_id, temp_code, family_name, middle_name, given_name, name_sort_key, search_text, date_of_birth, sex, status_date, current_class_id)
     select $1, s.id, s.id, 'TT' || lpad(s.i::text, 6, '0'), 'Nguyễn', 'Văn', 'Học Sinh ' || s.i, 'hoc sinh ' || lpad(s.i::text, 5, '0'), 'nguyen van hoc sinh ' || s.i, date '2013-01-01' + (s.i % 365), case when s.i % 2 = 0 then 'male' else 'female' end, date '2025-09-05', c.id
       from (select i, gen_random_uuid() as id from generate_series(1, ${FAMILIES}) i) s
       join c on c.k = s.i % ${CLASSES}`,
    [schoolId],
  );
  await db.query(
    `with s as (select id, row_number() over (order by id) as i from student where school_id = $1),
          u as (insert into app_user (id, username, password_hash, display_name)
                select gen_random_uuid(), 'bench.ph' || s.i, 'x', 'Phụ huynh ' || s.i from s returning id, username)
     insert into guardian (school_id, id, student_id, relation, full_name, user_id)
     select $1, gen_random_uuid(), s.id, 'mother', 'Mẹ học sinh ' || s.i, u.id from s join u on u.username = 'bench.ph' || s.i`,
    [schoolId],
  );
  await db.query(`insert into role_grant (id, user_id, role, org_unit_id) select gen_random_uuid(), user_id, 'parent', $1 from guardian where school_id = $1`, [schoolId]);
  await db.query('commit');
  await db.query('analyze');
  const parents = await db.query<{ user_id: string; student_id: string }>('select user_id, student_id from guardian where school_id = $1', [schoolId]);
  return { schoolId, parentIds: parents.rows };
}

/** The same 2,000 inbox rows as one statement, or one statement per row in one transaction. */
async function baselineInsert(db: pg.Client, parents: { user_id: string; student_id: string }[], oneByOne: boolean): Promise<number> {
  const source = crypto.randomUUID();
  const batch = crypto.randomUUID();
  const t0 = performance.now();
  if (oneByOne) {
    await db.query('begin');
    for (const p of parents) {
      await db.query(`insert into notification (id, user_id, student_id, kind, source_id, batch_id, title, link) values (gen_random_uuid(), $1, $2, 'announcement', $3, $4, 'Thử tải', '/x')`, [p.user_id, p.student_id, source, batch]);
    }
    await db.query('commit');
  } else {
    await db.query(
      `insert into notification (id, user_id, student_id, kind, source_id, batch_id, title, link)
       select gen_random_uuid(), u, s, 'announcement', $3, $4, 'Thử tải', '/x' from unnest($1::uuid[], $2::uuid[]) as t(u, s)`,
      [parents.map((p) => p.user_id), parents.map((p) => p.student_id), source, batch],
    );
  }
  const took = performance.now() - t0;
  await db.query('delete from notification where source_id = $1', [source]);
  return took;
}
