import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStudentWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { XLSX_SKELETON, makeZip, zipBomb } from '../../../../bench/fixtures/make-zip.js';
import type { TImportJob } from '../../../../contracts/imports.js';
import { F } from '../../../test/fixture-ids.js';
import { type TestContext, setupTestApp } from '../../../test/harness.js';
import { importFile, multipart, upload, waitForJob } from './imports.test-helpers.js';

let ctx: TestContext;
const Q = { kind: 'students' as const, year: F.year };

beforeAll(async () => {
  ctx = await setupTestApp();
});

const jobCount = async () =>
  Number((await ctx.handle.db.selectFrom('import_job').select(ctx.handle.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('upload hardening', () => {
  it('a file that is not an xlsx (renamed) → 415, no job', async () => {
    const s = await ctx.as('principalA1');
    const before = await jobCount();
    const res = await upload(ctx, s, F.schoolA1, Q, 'hoc-sinh.xlsx', Buffer.from('STT,Họ tên,Ngày sinh\n1,Nguyễn Văn A,01/01/2013\n'));
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'not_xlsx', detail: expect.stringMatching(/không phải tệp Excel \.xlsx/) });
    // an old .xls (OLE compound file) gets a specific hint
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(512)]);
    const r2 = await upload(ctx, s, F.schoolA1, Q, 'cu.xlsx', ole);
    expect(r2.statusCode).toBe(415);
    expect(r2.json().detail).toMatch(/\.xls.*mật khẩu/);
    // a real xlsx under another extension
    const r3 = await upload(ctx, s, F.schoolA1, Q, 'hoc-sinh.csv', await makeStudentWorkbook({ rows: 1 }));
    expect(r3.statusCode).toBe(415);
    // a zip that is not a spreadsheet (e.g. a renamed .docx or .zip)
    const r4 = await upload(ctx, s, F.schoolA1, Q, 'x.xlsx', makeZip([{ name: 'word/document.xml', data: '<w/>' }]));
    expect(r4.statusCode).toBe(415);
    expect(await jobCount()).toBe(before);
  });

  it('a file just over the 15 MB cap → 413 problem+json', async () => {
    const s = await ctx.as('principalA1');
    const big = Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(15 * 1024 * 1024 + 10)]);
    const res = await upload(ctx, s, F.schoolA1, Q, 'lon.xlsx', big);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('a zip bomb (50 MB of zeros, ratio ~1000:1) is refused before ExcelJS sees it', async () => {
    const s = await ctx.as('principalA1');
    const bomb = zipBomb(50);
    expect(bomb.length).toBeLessThan(200_000);
    const res = await upload(ctx, s, F.schoolA1, Q, 'bom.xlsx', bomb);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'xlsx_suspicious_ratio' });
  });

  it('an archive that lies about its sizes, or declares > 100 MB, or has too many parts, is refused', async () => {
    const s = await ctx.as('principalA1');
    const liar = makeZip([...XLSX_SKELETON, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(8 * 1024 * 1024, 0x41), declaredSize: 1000 }]);
    const r1 = await upload(ctx, s, F.schoolA1, Q, 'liar.xlsx', liar);
    expect(r1.statusCode).toBe(422);
    expect(r1.json().code).toBe('xlsx_suspicious_ratio');
    const huge = makeZip([...XLSX_SKELETON, { name: 'xl/worksheets/sheet1.xml', data: 'x', declaredSize: 0xfffffff0 }]);
    const r2 = await upload(ctx, s, F.schoolA1, Q, 'huge.xlsx', huge);
    expect(r2.statusCode).toBe(422);
    expect(r2.json().code).toBe('xlsx_too_large_uncompressed');
    const many = makeZip([...XLSX_SKELETON, ...Array.from({ length: 10_001 }, (_, i) => ({ name: `xl/x${i}.xml`, data: '', deflate: false }))]);
    const r3 = await upload(ctx, s, F.schoolA1, Q, 'many.xlsx', many);
    expect(r3.statusCode).toBe(422);
    expect(r3.json().code).toBe('xlsx_too_many_parts');
  });

  it('a ~10 MB workbook under the cap is accepted and imported', async () => {
    const s = await ctx.as('principalA1');
    // 2,000 pupils with a 6.5 KB incompressible note each ≈ 10 MB on disk.
    const file = await makeStudentWorkbook({ rows: 2_000, classNames: ['6A1', '6A2'], firstLearnerId: 120000001, seed: 12, fillerBytesPerRow: 6_500, citizenIds: false });
    expect(file.length).toBeGreaterThan(9 * 1024 * 1024);
    expect(file.length).toBeLessThan(15 * 1024 * 1024);
    const job = await importFile(ctx, s, F.schoolA1, Q, file, 'lon-hop-le.xlsx');
    expect(job.status, `${job.message} ${JSON.stringify(job.errors.slice(0, 3))}`).toBe('done');
    expect(job.createdRows).toBe(2_000);
    expect(job.message).toMatch(/Các cột không dùng: Ghi chú/);
  }, 120_000);

  it('rejects a non-multipart request and a request without a file', async () => {
    const s = await ctx.as('principalA1');
    const r1 = await s.post(`/api/v1/schools/${F.schoolA1}/imports?kind=students`, { file: 'x' });
    expect(r1.statusCode).toBe(415);
    const boundary = 'b0undary';
    const r2 = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${F.schoolA1}/imports?kind=students`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    expect(r2.statusCode).toBe(400);
    const r3 = await upload(ctx, s, F.schoolA1, { kind: 'teachers' as never }, 'a.xlsx', await makeStudentWorkbook({ rows: 1 }));
    expect(r3.statusCode).toBe(400);
  });
});

describe('access', () => {
  let fileA: Buffer;
  let jobB1: TImportJob;
  beforeAll(async () => {
    fileA = await makeStudentWorkbook({ rows: 2, classNames: ['6A1'], firstLearnerId: 130000001, seed: 13 });
    const admin = await ctx.as('admin');
    const res = await upload(ctx, admin, F.schoolB1, { kind: 'students', year: F.year }, 'b1.xlsx', await makeStudentWorkbook({ rows: 2, classNames: ['10A1'], firstLearnerId: 230000001, seed: 23 }));
    expect(res.statusCode).toBe(202);
    jobB1 = await waitForJob(admin, F.schoolB1, res.json().id);
  });

  it('principal of another school → 404 on every A1 import endpoint', async () => {
    const b = await ctx.as('principalB1');
    expect((await upload(ctx, b, F.schoolA1, Q, 'a.xlsx', fileA)).statusCode).toBe(404);
    expect((await b.get(`/api/v1/schools/${F.schoolA1}/imports`)).statusCode).toBe(404);
    const a = await ctx.as('principalA1');
    const own = await importFile(ctx, a, F.schoolA1, Q, fileA);
    expect((await b.get(`/api/v1/schools/${F.schoolA1}/imports/${own.id}`)).statusCode).toBe(404);
    expect((await b.get(`/api/v1/schools/${F.schoolA1}/imports/${own.id}/errors.xlsx`)).statusCode).toBe(404);
  });

  it('teachers cannot import or read imports (homeroom, subject teacher, parent)', async () => {
    for (const who of ['homeroomA1', 'mathA1', 'parentA'] as const) {
      const s = await ctx.as(who);
      const res = await upload(ctx, s, F.schoolA1, Q, 'a.xlsx', fileA);
      expect([403, 404]).toContain(res.statusCode);
      expect([403, 404]).toContain((await s.get(`/api/v1/schools/${F.schoolA1}/imports`)).statusCode);
    }
  });

  it("a job of another school is 404 through this school's path", async () => {
    const a = await ctx.as('principalA1');
    expect((await a.get(`/api/v1/schools/${F.schoolA1}/imports/${jobB1.id}`)).statusCode).toBe(404);
    expect((await a.get(`/api/v1/schools/${F.schoolA1}/imports/${jobB1.id}/errors.xlsx`)).statusCode).toBe(404);
    const admin = await ctx.as('admin');
    expect((await admin.get(`/api/v1/schools/${F.schoolA1}/imports/${jobB1.id}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/schools/${F.schoolB1}/imports/${jobB1.id}`)).statusCode).toBe(200);
  });

  it('anonymous → 401; missing CSRF token → 403; templates need a session', async () => {
    const { payload, contentType } = multipart('a.xlsx', fileA);
    const anon = await ctx.app.inject({ method: 'POST', url: `/api/v1/schools/${F.schoolA1}/imports?kind=students`, headers: { 'content-type': contentType }, payload });
    expect(anon.statusCode).toBe(401);
    const a = await ctx.as('principalA1');
    const noCsrf = await ctx.app.inject({ method: 'POST', url: `/api/v1/schools/${F.schoolA1}/imports?kind=students`, headers: { cookie: a.cookie, 'content-type': contentType }, payload });
    expect(noCsrf.statusCode).toBe(403);
    expect((await ctx.anonymous.get('/api/v1/imports/templates/students')).statusCode).toBe(401);
    const t = await (await ctx.as('parentA')).get('/api/v1/imports/templates/staff');
    expect(t.statusCode).toBe(200);
    expect(t.headers['content-disposition']).toMatch(/Mau-nhap-can-bo\.xlsx/);
  });
});
