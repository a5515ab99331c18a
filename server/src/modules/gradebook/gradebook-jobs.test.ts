import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TJob } from '../../../../contracts/jobs.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { fillTerm } from './gradebook.test-helpers.js';
import { yearCommentsQuery } from './hoc-ba.repo.js';

// Fixture: homeroomA1 is 6A1's homeroom teacher (An, Bình); principalA1 the principal and 6A2's
// homeroom teacher (Cường); communeA the commune office above schools A1 and A2.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const jobUrl = (unit: string, id: string) => `/api/v1/org-units/${unit}/jobs/${id}`;

beforeAll(async () => {
  for (const term of [1, 2]) {
    await fillTerm(db, F.studentAn, F.class6A1, term, 92);
    await fillTerm(db, F.studentBinh, F.class6A1, term, 70);
    await (await ctx.as('homeroomA1')).put(`${school}/classes/${F.class6A1}/training`, { term, ratings: [{ studentId: F.studentAn, level: 'tot' }, { studentId: F.studentBinh, level: 'kha' }] });
  }
  expect((await (await ctx.as('principalA1')).post(`${school}/results/close`, { year: 2025, period: 'cn' })).statusCode).toBe(200);
});

async function finished(who: 'homeroomA1' | 'principalA1' | 'communeA', unit: string, id: string): Promise<TJob> {
  const s = await ctx.as(who);
  for (let i = 0; i < 600; i++) {
    const job = (await s.get(jobUrl(unit, id))).json<TJob>();
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('học bạ batch as a background job', () => {
  it("the homeroom teacher prints the class: followed to its end, one PDF per student in a .zip, each book's text intact", async () => {
    const hr = await ctx.as('homeroomA1');
    const started = await hr.post(`${school}/hoc-ba/batches`, { classId: F.class6A1 });
    expect(started.statusCode).toBe(202);
    expect(started.json<TJob>()).toMatchObject({ kindLabel: 'In học bạ hàng loạt', progressTotal: 2 });
    const job = await finished('homeroomA1', F.schoolA1, started.json<TJob>().id);
    expect(job).toMatchObject({ state: 'done', stateLabel: 'Đã xong', progressDone: 2, progressTotal: 2, hasFiles: true, createdBy: expect.any(String) });
    expect(job.resultText).toMatch(/^Đã in học bạ của 2 học sinh \(\d+ trang\)\.$/);

    const zip = await hr.get(`${jobUrl(F.schoolA1, job.id)}/files.zip`);
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    expect(Object.keys(files).sort()).toEqual(['6A1/Nguyễn Văn An.pdf', '6A1/Đặng Thị Bình.pdf']);
    const an = (await pdfPageTexts(Buffer.from(files['6A1/Nguyễn Văn An.pdf']))).join('\n');
    for (const want of ['Nguyễn Văn An', '2025-2026', '9,2', 'Học sinh Xuất sắc']) expect(an, want).toContain(want);
    const binh = (await pdfPageTexts(Buffer.from(files['6A1/Đặng Thị Bình.pdf']))).join('\n');
    expect(binh).toContain('Đặng Thị Bình');
    expect(binh).not.toContain('Nguyễn Văn An');
  });

  it('the principal prints the whole school, class by class, laid out on worker threads (as a school of more than a class is)', async () => {
    process.env.TRUONGSO_RENDER_WORKERS = '2';
    process.env.TRUONGSO_RENDER_WORKERS_MIN_BOOKS = '1';
    try {
      const p = await ctx.as('principalA1');
      const started = await p.post(`${school}/hoc-ba/batches`, {});
      expect(started.statusCode).toBe(202);
      const job = await finished('principalA1', F.schoolA1, started.json<TJob>().id);
      // Cường (6A2) has no marks: the year close still placed him ("chưa đủ điều kiện xếp loại"), so his book prints what is known.
      const files = unzipSync(new Uint8Array((await p.get(`${jobUrl(F.schoolA1, job.id)}/files.zip`)).rawPayload));
      expect(Object.keys(files)).toEqual(['6A1/Nguyễn Văn An.pdf', '6A1/Đặng Thị Bình.pdf', '6A2/Hoàng Quốc Cường.pdf']);
      expect(job).toMatchObject({ progressDone: 3, progressTotal: 3, details: [] });
      expect(job.resultText).toMatch(/^Đã in học bạ của 3 học sinh \(\d+ trang\)\.$/);
      const an = (await pdfPageTexts(Buffer.from(files['6A1/Nguyễn Văn An.pdf']))).join('\n');
      for (const want of ['Nguyễn Văn An', '2025-2026', '9,2', 'Học sinh Xuất sắc']) expect(an, want).toContain(want);
      const cuong = (await pdfPageTexts(Buffer.from(files['6A2/Hoàng Quốc Cường.pdf']))).join('\n');
      expect(cuong).toContain('Hoàng Quốc Cường');
      // Who taught what is read once per class for the batch: each book names its own class's teachers.
      expect(an).toContain('Lê Thị Hoa');
      expect(an).not.toContain('Phạm Minh Đức');
      expect(cuong).toContain('Phạm Minh Đức');
    } finally {
      delete process.env.TRUONGSO_RENDER_WORKERS;
      delete process.env.TRUONGSO_RENDER_WORKERS_MIN_BOOKS;
    }
  });

  it("a book's comments are found through the comment index, not by reading every cell of the school (EXPLAIN)", async () => {
    const plan = await db.transaction().execute(async (trx) => {
      // The test database is tiny, so a sequential scan is cheapest; forbid it to see whether the index fits.
      await sql`set local enable_seqscan = off`.execute(trx);
      return (await yearCommentsQuery(trx, F.schoolA1, F.studentAn).explain()).map((r) => Object.values(r).join(' ')).join('\n');
    });
    expect(plan).toContain('gradebook_cell_comment_idx');
    // A primary book reads the end-of-year comments ("ck_nx") through their own index (migration 0025).
    const primaryPlan = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return (await yearCommentsQuery(trx, F.schoolA1, F.studentAn, 'ck_nx').explain()).map((r) => Object.values(r).join(' ')).join('\n');
    });
    expect(primaryPlan).toContain('gradebook_cell_primary_comment_idx');
  });

  it('who may: another class, the whole school for a teacher, someone else’s job, a parent, an unfinished job', async () => {
    const hr = await ctx.as('homeroomA1');
    expect((await hr.post(`${school}/hoc-ba/batches`, { classId: F.class6A2 })).statusCode).toBe(404);
    expect((await hr.post(`${school}/hoc-ba/batches`, {})).json()).toMatchObject({ code: 'batch_needs_class' });
    expect((await (await ctx.as('mathA1')).post(`${school}/hoc-ba/batches`, { classId: F.class6A2 })).statusCode).toBe(404);
    expect((await (await ctx.as('parentA')).post(`${school}/hoc-ba/batches`, { classId: F.class6A1 })).statusCode).toBe(404);
    const mine = (await hr.post(`${school}/hoc-ba/batches`, { classId: F.class6A1 })).json<TJob>();
    // Another teacher of the school does not follow the homeroom teacher's job; the principal does.
    expect((await (await ctx.as('mathA1')).get(jobUrl(F.schoolA1, mine.id))).statusCode).toBe(404);
    expect((await (await ctx.as('principalA1')).get(jobUrl(F.schoolA1, mine.id))).statusCode).toBe(200);
    // Another school's principal does not reach it at all; nor through their own school's address.
    expect((await (await ctx.as('principalB1')).get(jobUrl(F.schoolA1, mine.id))).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(jobUrl(F.schoolB1, mine.id))).statusCode).toBe(404);
    await finished('homeroomA1', F.schoolA1, mine.id);
    // The books are the học bạ's rule, today: not the offices (who do not read a học bạ) nor the
    // operator, with the job's address in hand.
    for (const who of ['communeA', 'soA', 'admin'] as const) {
      const s = await ctx.as(who);
      expect((await s.get(jobUrl(F.schoolA1, mine.id))).statusCode, who).toBe(404);
      expect((await s.get(`${jobUrl(F.schoolA1, mine.id)}/files.zip`)).statusCode, who).toBe(404);
    }
    // A homeroom teacher replaced since queuing it no longer downloads the class's books.
    expect((await hr.get(`${jobUrl(F.schoolA1, mine.id)}/files.zip`)).statusCode).toBe(200);
    await db.updateTable('class').set({ homeroom_teacher_id: null }).where('id', '=', F.class6A1).execute();
    try {
      expect((await hr.get(jobUrl(F.schoolA1, mine.id))).statusCode).toBe(404);
      expect((await hr.get(`${jobUrl(F.schoolA1, mine.id)}/files.zip`)).statusCode).toBe(404);
    } finally {
      await db.updateTable('class').set({ homeroom_teacher_id: F.teacherHomeroom }).where('id', '=', F.class6A1).execute();
    }
  });
});

describe("an office's close of every school below it, as a job", () => {
  it('the commune office closes term I of its schools: results stored per school, audited as the officer', async () => {
    expect((await (await ctx.as('principalA1')).post(`/api/v1/org-units/${F.communeA1}/results/close`, { year: 2025, period: 'hk1' })).statusCode).toBe(404);
    const office = await ctx.as('communeA');
    const started = await office.post(`/api/v1/org-units/${F.communeA1}/results/close`, { year: 2025, period: 'hk1' });
    expect(started.statusCode).toBe(202);
    const job = await finished('communeA', F.communeA1, started.json<TJob>().id);
    expect(job.state).toBe('done');
    // A1 (THCS, 3 students) and the primary schools M1, M2 (TT27: one student each, nothing entered, so not complete).
    expect(job.resultText).toMatch(/^Đã tổng hợp Học kì I năm học 2025-2026 của 3 trường: 5 học sinh, 2 đủ điều kiện xếp loại\.$/);
    const stored = await db.selectFrom('student_result').select(['student_id', 'learning']).where('school_id', '=', F.schoolA1).where('period', '=', 'hk1').orderBy('student_id').execute();
    expect(stored.map((r) => r.learning)).toEqual(['tot', 'kha', null]);
    const audit = await db.selectFrom('audit_log').select(['user_id', 'action']).where('action', '=', 'results.close').where('org_unit_id', '=', F.schoolA1).orderBy('at', 'desc').executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(F.users.communeA);
  });

  it('an office with no open school below it is told so; nothing is queued', async () => {
    const res = await (await ctx.as('soB')).post(`/api/v1/org-units/${F.districtG}/results/close`, { year: 2025, period: 'cn' });
    expect(res.json()).toMatchObject({ status: 400, code: 'no_schools', detail: 'Đơn vị: không có trường nào trực thuộc để tổng hợp.' });
    expect(await db.selectFrom('background_job').select('id').where('org_unit_id', '=', F.districtG).execute()).toEqual([]);
  });
});
