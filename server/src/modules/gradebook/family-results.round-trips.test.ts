import { sql as rawSql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { TFamilyResults } from '../../../../contracts/results.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { statementsOf } from '../../../test/statements.js';
import { publishedCellsQuery } from './publication.repo.js';

// A parent's view of a child's results is what 20,000 parents open on report-card evening
// (issue 11, bench/family.bench.ts): its cost is its round trips to the database. This counts the
// statements it sends and checks that the attendance it shows is the child's own, read by the
// child, not the whole class's list filtered afterwards.
const ctx = await setupTestApp();
const school = `/api/v1/schools/${F.schoolA1}`;

describe('a family\'s results read', () => {
  it('costs nine statements, and its attendance is the child\'s own: totals of both kinds and the latest, not a classmate\'s', async () => {
    const homeroom = await ctx.as('homeroomA1');
    const put = await homeroom.put(`${school}/classes/${F.class6A1}/attendance`, {
      entries: [
        { studentId: F.studentAn, date: '2025-10-06', session: 'morning', status: 'excused', reason: 'Ốm' },
        { studentId: F.studentAn, date: '2025-10-07', session: 'morning', status: 'unexcused' },
        { studentId: F.studentBinh, date: '2025-10-08', session: 'morning', status: 'unexcused' },
        { studentId: F.studentBinh, date: '2025-10-09', session: 'morning', status: 'unexcused' },
      ],
    });
    expect(put.statusCode).toBe(200);
    const parent = await ctx.as('parentA');
    const url = `${school}/students/${F.studentAn}/results?year=2025`;
    expect((await parent.get(url)).statusCode).toBe(200); // plans and caches warm
    let body: TFamilyResults | undefined;
    const sql = await statementsOf(ctx.handle.pool, async () => {
      const res = await parent.get(url);
      expect(res.statusCode).toBe(200);
      body = res.json<TFamilyResults>();
    });
    expect(body?.attendance).toEqual({
      excused: 1,
      unexcused: 1,
      recent: [
        { date: '2025-10-06', session: 'morning', excused: true },
        { date: '2025-10-07', session: 'morning', excused: false },
      ],
    });
    // The session; the student with the guardian link (at once); then the published cells,
    // results, summer results, awards, year comments and the child's absences (at once).
    expect(sql).toHaveLength(9);
    const attendance = sql.filter((s) => /from "attendance"/.test(s));
    expect(attendance).toHaveLength(1);
    expect(attendance[0]).toMatch(/"student_id" = \$/);
    expect(attendance[0]).not.toMatch(/class_id/);
  });

  it("the child's published marks are found through the child's own cells, not by reading every cell of the school (EXPLAIN)", async () => {
    // A school's worth of published marks, so the plan is the one a real school gets (the fixture's few
    // cells make every plan equally cheap); rolled back afterwards.
    const rollback = new Error('rollback');
    let plan = '';
    await ctx.handle.db
      .transaction()
      .execute(async (trx) => {
        await rawSql`
          insert into gradebook_cell (school_id, class_id, subject_code, term, student_id, column_key, score_tenths)
          select s.school_id, s.current_class_id, sub.code, t.term, s.id, k.key, 70
          from student s
          cross join subject sub
          cross join (values (1), (2)) t(term)
          cross join (values ('tx1'), ('tx2'), ('tx3'), ('tx4'), ('tx5'), ('gk'), ('ck')) k(key)
          where s.school_id = ${F.schoolA1} and s.current_class_id is not null
          on conflict do nothing`.execute(trx);
        // …published, as by the end of a term.
        await rawSql`
          insert into gradebook_publication (school_id, class_id, subject_code, term, column_key)
          select distinct school_id, class_id, subject_code, term, column_key from gradebook_cell where school_id = ${F.schoolA1}
          on conflict do nothing`.execute(trx);
        await rawSql`analyze gradebook_cell`.execute(trx);
        await rawSql`analyze gradebook_publication`.execute(trx);
        await rawSql`set local enable_seqscan = off`.execute(trx);
        plan = (await publishedCellsQuery(trx, F.schoolA1, F.studentAn, 2025).explain()).map((r) => Object.values(r).join(' ')).join('\n');
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
    // Without migration 0036 the plan walks the primary key (class, subject, term, …) of the whole school.
    expect(plan).toMatch(/gradebook_cell_student_idx/);
  });

  it('the session the page asks first costs four statements: the session, then the units with their declared levels, the children and the schools\' grades at once', async () => {
    const parent = await ctx.as('parentA');
    let children: unknown;
    const sql = await statementsOf(ctx.handle.pool, async () => {
      const res = await parent.get('/api/v1/auth/session');
      expect(res.statusCode).toBe(200);
      children = res.json<{ me: { children: { studentId: string }[]; grants: { schoolLevels: string[] }[] } }>().me;
    });
    expect(children).toMatchObject({ children: [{ studentId: F.studentAn }], grants: [{ schoolLevels: ['lower_secondary'] }] });
    expect(sql).toHaveLength(4);
  });

  it('another family\'s child is still not found', async () => {
    const other = await (await ctx.as('parentC')).get(`${school}/students/${F.studentAn}/results`);
    expect(other.statusCode).toBe(404);
  });
});
