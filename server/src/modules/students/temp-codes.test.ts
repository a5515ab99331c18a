import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStudentWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { F } from '../../../test/fixture-ids.js';
import { type Session, type TestContext, setupTestApp } from '../../../test/harness.js';
import { importFile } from '../imports/imports.test-helpers.js';

// One issuer of temporary learner codes (migration 0012, modules/students/temp-codes.ts): the
// admission form and the import number from the same counter, so neither can hand out a code the
// other already gave, at once or one after the other, and the counter starts after codes already
// in the school (demo data, an older version's records).

const A1 = `/api/v1/schools/${F.schoolA1}`;
const PREFIX = 'TMP-01001001-';
let ctx: TestContext;
let principal: Session;
beforeAll(async () => {
  ctx = await setupTestApp();
  principal = await ctx.as('principalA1');
});

const admit = (fullName: string) =>
  principal.post(`${A1}/students`, { fullName, dateOfBirth: '2014-03-04', sex: 'female', classId: F.class6A1, admissionDate: '2025-09-05' });
const codesInSchool = async () =>
  (await ctx.handle.db.selectFrom('student').select('temp_code').where('school_id', '=', F.schoolA1).where('temp_code', 'like', `${PREFIX}%`).execute())
    .map((r) => r.temp_code!)
    .sort();
const seq = (code: string) => Number(code.slice(PREFIX.length));

describe('temporary codes', () => {
  it('start after the highest code already in the school', async () => {
    // A record written before the counter existed (or by the demo loader) holds number 40.
    await sql`update student set learner_id = null, temp_code = ${`${PREFIX}000040`} where school_id = ${F.schoolA1} and id = ${F.studentBinh}`.execute(ctx.handle.db);
    const res = await admit('Hà Thị Một');
    expect(res.statusCode).toBe(200);
    expect(res.json().tempCode).toBe(`${PREFIX}000041`);
  });

  it('twenty admissions at once get twenty different codes, one after the other', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => admit(`Hà Thị Số ${'ABCDEFGHIJKLMNOPQRST'[i]}`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const codes = results.map((r) => seq(r.json().tempCode as string)).sort((a, b) => a - b);
    expect(codes).toEqual(Array.from({ length: 20 }, (_, i) => 42 + i));
  });

  it('an import continues after the admissions, and an admission after the import', async () => {
    const file = await makeStudentWorkbook({ rows: 3, classNames: ['6A2'], firstLearnerId: null, seed: 515 });
    const job = await importFile(ctx, principal, F.schoolA1, { kind: 'students', year: F.year }, file);
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect(job.createdRows).toBe(3);
    const all = (await codesInSchool()).map(seq);
    expect(all.filter((n) => n > 61)).toEqual([62, 63, 64]);
    expect((await admit('Hà Thị Sau')).json().tempCode).toBe(`${PREFIX}000065`);
  });

  it('a code an import file brings for a new learner is never issued again', async () => {
    const file = await makeStudentWorkbook({
      rows: 1,
      classNames: ['6A2'],
      firstLearnerId: null,
      seed: 616,
      cell: (_i, header) => (header === 'Mã định danh' ? `${PREFIX}000090` : undefined),
    });
    const job = await importFile(ctx, principal, F.schoolA1, { kind: 'students', year: F.year }, file);
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect(await codesInSchool()).toContain(`${PREFIX}000090`);
    expect((await admit('Hà Thị Cuối')).json().tempCode).toBe(`${PREFIX}000091`);
  });
});
