// The unchanged-row count and the warning count of a job are columns of import_job (migration
// 0014), for new jobs and for the jobs written before, which kept them in the issue list.
import { afterAll, describe, expect, it } from 'vitest';
import { makeSheetWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { emptyDb } from '../../backup/backup.test-helpers.js';
import type { DbHandle } from '../../db/connection.js';
import { migrate } from '../../db/migrator.js';
import { importFile } from './imports.test-helpers.js';

const SCHOOL = '00000000-0000-7000-8000-00000000000a';
const JOB = (n: number) => `00000000-0000-7000-8000-00000000010${n}`;

const error = { row: 3, column: 'Ngày sinh', value: '31/02/2014', message: 'Ngày không có thật', severity: 'error' };
const warning = (row: number) => ({ row, column: 'Mã định danh', value: '100000001', message: 'Đã thêm số 0 ở đầu', severity: 'warning' });
const info = (value: string) => ({ row: 0, column: 'unchanged', value, message: '', severity: 'info' });

let handle: DbHandle | undefined;
afterAll(async () => {
  await handle?.close();
});

describe('migration 0014 (import job counts)', () => {
  it('takes the unchanged count out of the issue list and counts the warnings the list kept', async () => {
    handle = await emptyDb();
    const { pool } = handle;
    await migrate(pool, { upTo: '0013_notices_in_band.sql' });
    await pool.query("insert into org_unit (id, kind) values ($1, 'school')", [SCHOOL]);
    const legacy = (n: number, errors: unknown[]) =>
      pool.query(
        "insert into import_job (id, school_id, kind, mode, status, file_name, errors) values ($1, $2, 'students', 'valid_only', 'done', 'a.xlsx', $3::jsonb)",
        [JOB(n), SCHOOL, JSON.stringify(errors)],
      );
    await legacy(1, [error, warning(4), warning(5), info('50')]);
    await legacy(2, []);
    await legacy(3, [info('không phải số')]);
    await legacy(4, [warning(2)]);

    await migrate(pool);
    const { rows } = await pool.query<{ id: string; unchanged_rows: number; warning_count: number; errors: unknown[] }>(
      'select id, unchanged_rows, warning_count, errors from import_job order by id',
    );
    expect(rows).toEqual([
      { id: JOB(1), unchanged_rows: 50, warning_count: 2, errors: [error, warning(4), warning(5)] },
      { id: JOB(2), unchanged_rows: 0, warning_count: 0, errors: [] },
      { id: JOB(3), unchanged_rows: 0, warning_count: 0, errors: [] },
      { id: JOB(4), unchanged_rows: 0, warning_count: 1, errors: [warning(2)] },
    ]);
  });
});

describe('a job stores its counts in columns', () => {
  it('unchanged rows and warnings are counted in import_job, the issue list holds errors and warnings only', async () => {
    const ctx = await setupTestApp();
    const s = await ctx.as('principalA1');
    const rows = [
      ['Tên lớp', 'Khối', 'GVCN'],
      ['9A1', 9, 'Phạm Minh Đức'],
      ['9A2', 9, 'Phạm Minh Đức'],
    ];
    const file = await makeSheetWorkbook([{ name: 'Lop', rows }]);
    const first = await importFile(ctx, s, F.schoolA1, { kind: 'classes', year: F.year }, file);
    expect(first).toMatchObject({ status: 'done', createdRows: 2, unchangedRows: 0, warningCount: 1 });
    const again = await importFile(ctx, s, F.schoolA1, { kind: 'classes', year: F.year }, file);
    expect(again).toMatchObject({ status: 'done', createdRows: 0, updatedRows: 2, unchangedRows: 2, warningCount: 1 });
    const job = await ctx.handle.db
      .selectFrom('import_job')
      .select(['unchanged_rows', 'warning_count', 'errors'])
      .where('id', '=', again.id)
      .executeTakeFirstOrThrow();
    expect(job.unchanged_rows).toBe(2);
    expect(job.warning_count).toBe(1);
    expect((job.errors as { severity: string }[]).map((i) => i.severity)).toEqual(['warning']);
    const list = await s.get(`/api/v1/schools/${F.schoolA1}/imports`);
    expect((list.json() as { items: { id: string; unchangedRows: number }[] }).items[0]).toMatchObject({ id: again.id, unchangedRows: 2 });
  });
});
