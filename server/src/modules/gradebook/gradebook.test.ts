import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { TGradebook, TSaveGradebookResult } from '../../../../contracts/gradebook.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

// Fixture: mathA1 teaches Toán in 6A2 (term I); homeroomA1 is 6A1's homeroom teacher and teaches
// its Ngữ văn (term I); principalA1 is the principal and 6A2's homeroom teacher. Cường is in 6A2.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const grid = (classId: string, subject: string) => `/api/v1/schools/${F.schoolA1}/classes/${classId}/gradebook/${subject}`;
const toan6A2 = grid(F.class6A2, 'toan');

const save = async (who: 'mathA1' | 'homeroomA1' | 'principalA1', url: string, cells: Array<{ studentId: string; column: string; value: string | null; version: number }>, term = 1) =>
  (await ctx.as(who)).put(`${url}/cells`, { term, cells });

describe('the gradebook grid (TT22/2021)', () => {
  it('shows the subject teacher a grid with the columns the subject needs: Toán 140 periods → TX1–TX4, GK, CK, comment', async () => {
    const res = await (await ctx.as('mathA1')).get(`${toan6A2}?term=1`);
    expect(res.statusCode).toBe(200);
    const g = res.json<TGradebook>();
    expect(g.columns.map((c) => c.label)).toEqual(['TX1', 'TX2', 'TX3', 'TX4', 'GK', 'CK', 'Nhận xét']);
    expect(g).toMatchObject({ className: '6A2', subjectName: 'Toán', assessment: 'score', requiredRegular: 4, state: 'open', teacherName: 'Phạm Minh Đức', readOnlyReason: null });
    expect(g.actions).toMatchObject({ edit: true, submit: true, lock: false });
    expect(g.rows.map((r) => r.fullName)).toContain('Hoàng Quốc Cường');
  });

  it('saves a column, computes ĐTBmhk exactly, and refuses bad values in place with the reason', async () => {
    const cells = [
      ['tx1', '7'],
      ['tx2', '8'],
      ['tx3', '9'],
      ['tx4', '6'],
      ['gk', '8'],
      ['ck', '7,5'],
    ].map(([column, value]) => ({ studentId: F.studentCuong, column, value, version: 0 }));
    const res = await save('mathA1', toan6A2, [...cells, { studentId: F.studentCuong, column: 'nx', value: '8,25', version: 0 }]);
    expect(res.statusCode).toBe(200);
    const out = res.json<TSaveGradebookResult>();
    expect(out.saved).toHaveLength(7); // the comment column takes "8,25" as text
    // (7 + 8 + 9 + 6 + 2·8 + 3·7,5) / 9 = 68,5 / 9 = 7,61… → 7,6
    expect(out.summaries).toEqual([{ studentId: F.studentCuong, summary: '7,6', summaryMissing: [] }]);
    const bad = await save('mathA1', toan6A2, [
      { studentId: F.studentCuong, column: 'tx1', value: '8,25', version: 1 },
      { studentId: F.studentCuong, column: 'tx2', value: '11', version: 1 },
    ]);
    const b = bad.json<TSaveGradebookResult>();
    expect(b.saved).toEqual([]);
    expect(b.rejected.map((r) => r.message)).toEqual([
      'Đánh giá thường xuyên lần 1: Điểm chỉ lấy một chữ số thập phân ("8,25"); ví dụ 8,5.',
      'Đánh giá thường xuyên lần 2: Điểm tối đa là 10 ("11").',
    ]);
    const row = (await (await ctx.as('mathA1')).get(`${toan6A2}?term=1`)).json<TGradebook>().rows.find((r) => r.studentId === F.studentCuong);
    expect(row?.cells.tx1).toEqual({ value: '7', version: 1, correctedFrom: null });
    expect(row?.cells.ck?.value).toBe('7,5');
    expect(row?.summary).toBe('7,6');
  });

  it('a missing mark gives "Chưa đủ điều kiện xếp loại" with the reason, never a number', async () => {
    const res = await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'ck', value: null, version: 1 }]);
    expect(res.json<TSaveGradebookResult>().summaries).toEqual([{ studentId: F.studentCuong, summary: 'Chưa đủ điều kiện xếp loại', summaryMissing: ['thiếu điểm cuối kì'] }]);
    await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'ck', value: '7,5', version: 2 }]);
  });

  it('two writers: the second save of a cell it read before the first is a conflict, and the first value is kept', async () => {
    // Both tabs read tx4 at version 1; the first saves 6,5, the second tries 5.
    const first = await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'tx4', value: '6,5', version: 1 }]);
    expect(first.json<TSaveGradebookResult>().saved).toEqual([{ studentId: F.studentCuong, column: 'tx4', value: '6,5', version: 2 }]);
    const second = await save('mathA1', toan6A2, [
      { studentId: F.studentCuong, column: 'tx4', value: '5', version: 1 },
      { studentId: F.studentCuong, column: 'tx3', value: '9', version: 1 },
    ]);
    const out = second.json<TSaveGradebookResult>();
    expect(out.conflicts).toEqual([{ studentId: F.studentCuong, column: 'tx4', value: '6,5', version: 2, updatedBy: 'Phạm Minh Đức' }]);
    expect(out.saved.map((s) => s.column)).toEqual(['tx3']);
    const stored = await db.selectFrom('gradebook_cell').select(['score_tenths', 'version']).where('student_id', '=', F.studentCuong).where('column_key', '=', 'tx4').executeTakeFirstOrThrow();
    expect(stored).toEqual({ score_tenths: 65, version: 2 });
  });

  it('a new cell sent with version 0 after someone created it is a conflict too', async () => {
    await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'gk', value: '8', version: 0 }]).then((r) =>
      expect(r.json<TSaveGradebookResult>().conflicts).toEqual([{ studentId: F.studentCuong, column: 'gk', value: '8', version: 1, updatedBy: 'Phạm Minh Đức' }]),
    );
  });
});

describe('the grid as an .xlsx', () => {
  it('has the class list with codes and every column as the grid writes it, and the summary', async () => {
    const res = await (await ctx.as('mathA1')).get(`${toan6A2}/export.xlsx?term=1`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''So%20diem%20To%C3%A1n%206A2%20HK1%202025-2026.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['STT', 'Họ và tên', 'Ngày sinh', 'Mã học sinh', 'TX1', 'TX2', 'TX3', 'TX4', 'GK', 'CK', 'Nhận xét', 'ĐTBmhk', `Phiên bản ô điểm ${F.class6A2}/toan/1`]);
    // The cells' versions, for the import to tell a mark changed after the export: kept, not shown.
    expect(sheet.getColumn(13).hidden).toBe(true);
    const rows = [2, 3, 4, 5].map((n) => (sheet.getRow(n).values as unknown[]).slice(1)).filter((r) => r[1] === 'Hoàng Quốc Cường');
    expect(rows[0]?.slice(0, 4)).toEqual([1, 'Hoàng Quốc Cường', '30/11/2014', '0100000003']);
    expect(rows[0]?.slice(4, 10)).toEqual(['7', '8', '9', '6,5', '8', '7,5']);
    expect(rows[0]?.[12]).toBe('tx1=1 tx2=1 tx3=2 tx4=2 gk=1 ck=3 nx=1');
  });
});

describe('who reaches which grid', () => {
  it('a subject teacher does not see another subject or another class: 404, as for nothing', async () => {
    const s = await ctx.as('mathA1');
    expect((await s.get(`${grid(F.class6A1, 'toan')}?term=1`)).statusCode).toBe(404);
    expect((await s.get(`${grid(F.class6A2, 'ngu_van')}?term=1`)).statusCode).toBe(404);
    expect((await save('mathA1', grid(F.class6A2, 'ngu_van'), [{ studentId: F.studentCuong, column: 'tx1', value: '8', version: 0 }])).statusCode).toBe(404);
  });
  it('the homeroom teacher reads every subject of the class, read-only, and is told why', async () => {
    const res = await (await ctx.as('homeroomA1')).get(`${grid(F.class6A1, 'toan')}?term=1`);
    expect(res.statusCode).toBe(200);
    const g = res.json<TGradebook>();
    expect(g.actions.edit).toBe(false);
    expect(g.readOnlyReason).toBe('Chỉ giáo viên được phân công dạy môn này ở lớp trong học kì I mới nhập điểm.');
    const put = await save('homeroomA1', grid(F.class6A1, 'toan'), [{ studentId: F.studentAn, column: 'tx1', value: '8', version: 0 }]);
    expect(put.statusCode).toBe(403);
    expect(put.json()).toMatchObject({ code: 'gradebook_not_teacher' });
  });
  it('a teacher enters only the term they are assigned: Toán 6A2 term II has no assignment', async () => {
    const put = await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'tx1', value: '8', version: 0 }], 2);
    expect(put.statusCode).toBe(403);
  });
  it('a parent or student does not reach the gradebook at all', async () => {
    for (const who of ['parentC', 'studentAn'] as const) expect((await (await ctx.as(who)).get(`${toan6A2}?term=1`)).statusCode, who).toBe(404);
  });
  it('the class page lists the subjects a teacher may read, with states', async () => {
    const res = await (await ctx.as('mathA1')).get(`/api/v1/schools/${F.schoolA1}/classes/${F.class6A2}/gradebook`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ supported: boolean; subjects: Array<{ subjectCode: string; terms: Array<{ canEdit: boolean }> }> }>();
    expect(body.supported).toBe(true);
    expect(body.subjects.map((s) => s.subjectCode)).toEqual(['toan']);
    expect(body.subjects[0]?.terms.map((t) => t.canEdit)).toEqual([true, false]);
    const principal = (await (await ctx.as('principalA1')).get(`/api/v1/schools/${F.schoolA1}/classes/${F.class6A2}/gradebook`)).json<{ subjects: unknown[] }>();
    expect(principal.subjects.length).toBeGreaterThan(8);
  });
});

describe('submit → review → lock, unlock with a reason, corrections', () => {
  const step = (who: 'mathA1' | 'homeroomA1' | 'principalA1', action: string, reason?: string) => ctx.as(who).then((s) => s.post(`${toan6A2}/state`, { term: 1, action, reason }));

  it('walks the chain; nobody edits a grid that is not open; the lock holds below the API too', async () => {
    expect((await step('homeroomA1', 'review')).statusCode).toBe(404); // not 6A2's homeroom teacher, cannot read 6A2 Toán
    expect((await step('principalA1', 'lock')).json()).toMatchObject({ code: 'gradebook_transition_refused', detail: 'Sổ điểm đang ở trạng thái "Đang nhập điểm" nên chưa khóa được.' });
    expect((await step('principalA1', 'submit')).json()).toMatchObject({ code: 'gradebook_action_forbidden' });
    const submitted = await step('mathA1', 'submit');
    expect(submitted.json<TGradebook>()).toMatchObject({ state: 'submitted', actions: { edit: false, reopen: true } });
    const refused = await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'tx1', value: '9', version: 1 }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'gradebook_not_open' });
    const tx1 = () => db.selectFrom('gradebook_cell').select('score_tenths').where('student_id', '=', F.studentCuong).where('column_key', '=', 'tx1').executeTakeFirstOrThrow();
    expect((await tx1()).score_tenths).toBe(70); // refused means nothing written, not written and then refused
    expect((await step('principalA1', 'review')).json<TGradebook>().state).toBe('reviewed');
    expect((await step('principalA1', 'lock')).json<TGradebook>().state).toBe('locked');
    expect((await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'tx1', value: '9', version: 1 }])).statusCode).toBe(409);
    // A script or an import writing the table directly is stopped by the database.
    await expect(sql`update gradebook_cell set score_tenths = 100 where student_id = ${F.studentCuong}`.execute(db)).rejects.toThrow(/gradebook_locked/);
    await expect(sql`delete from gradebook_cell where student_id = ${F.studentCuong}`.execute(db)).rejects.toThrow(/gradebook_locked/);
    expect((await tx1()).score_tenths).toBe(70);
  });

  it('unlocking needs a reason; a change after it is shown as a correction with the locked value, and audited', async () => {
    const noReason = await step('principalA1', 'unlock');
    expect(noReason.statusCode).toBe(400);
    expect((await step('mathA1', 'unlock', 'Nhập nhầm điểm của em Cường')).json()).toMatchObject({ code: 'gradebook_action_forbidden' });
    const open = await step('principalA1', 'unlock', 'Nhập nhầm điểm TX1 của em Cường');
    expect(open.json<TGradebook>()).toMatchObject({ state: 'open', unlockReason: 'Nhập nhầm điểm TX1 của em Cường' });
    const fixed = await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'tx1', value: '9', version: 1 }]);
    expect(fixed.json<TSaveGradebookResult>().saved).toEqual([{ studentId: F.studentCuong, column: 'tx1', value: '9', version: 2 }]);
    // A second correction keeps the value the locked grid showed.
    await save('mathA1', toan6A2, [{ studentId: F.studentCuong, column: 'tx1', value: '9,5', version: 2 }]);
    const row = (await (await ctx.as('principalA1')).get(`${toan6A2}?term=1`)).json<TGradebook>().rows.find((r) => r.studentId === F.studentCuong);
    expect(row?.cells.tx1).toEqual({ value: '9,5', version: 3, correctedFrom: '7' });
    expect(row?.cells.tx2?.correctedFrom).toBeNull();
    const audit = await db.selectFrom('audit_log').select(['action', 'target_label']).where('entity', '=', 'gradebook').orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['gradebook.submit', 'gradebook.review', 'gradebook.lock', 'gradebook.unlock', 'gradebook.correct', 'gradebook.correct']);
    expect(audit[0]?.target_label).toBe('Toán — 6A2 (2025-2026), học kì I');
  });
});
