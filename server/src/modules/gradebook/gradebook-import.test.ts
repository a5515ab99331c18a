import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { TGradebook, TGradebookImportIssue, TGradebookImportResult } from '../../../../contracts/gradebook.js';
import { F } from '../../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../../test/harness.js';
import { multipart } from '../imports/imports.test-helpers.js';
import { primaryClass, studentIn } from './gradebook.test-helpers.js';

// Fixture: mathA1 teaches Toán in 6A2 (Cường); here also Toán in 6A1 (An, Bình) in term I, so a
// grid has two students and "only the cells in the file" can be seen. homeroomA1 is 6A1's
// homeroom teacher (reads every subject, enters none but Ngữ văn); principalA1 locks.
const ctx = await setupTestApp();
const db = ctx.handle.db;
await db
  .insertInto('teaching_assignment')
  .values({ school_id: F.schoolA1, id: '00000000-0000-7000-8000-0000000050a1', year: F.year, term: 1, class_id: F.class6A1, subject_code: 'toan', staff_id: F.teacherMath })
  .execute();

const grid = (classId: string, subject = 'toan') => `/api/v1/schools/${F.schoolA1}/classes/${classId}/gradebook/${subject}`;
const toan6A1 = grid(F.class6A1);

async function exported(s: Session, url: string, term = 1) {
  const res = await s.get(`${url}/export.xlsx?term=${term}`);
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

/** Header text → column number of the export's first sheet. */
function columnOf(wb: ExcelJS.Workbook, header: string): number {
  const values = wb.worksheets[0]!.getRow(1).values as unknown[];
  const at = values.findIndex((v) => v === header);
  if (at < 0) throw new Error(`no column ${header}`);
  return at;
}

/** Fills cells by (row's student name, column header), as a teacher would in Excel. */
function fill(wb: ExcelJS.Workbook, name: string, cells: Record<string, string | number | null>) {
  const sheet = wb.worksheets[0]!;
  let row = 0;
  sheet.eachRow((r, n) => {
    if (r.getCell(2).value === name) row = n;
  });
  if (!row) throw new Error(`no row for ${name}`);
  for (const [header, value] of Object.entries(cells)) sheet.getRow(row).getCell(columnOf(wb, header)).value = value;
  return row;
}

async function upload(s: Session, url: string, wb: ExcelJS.Workbook | Buffer, query = 'term=1', fileName = 'so-diem.xlsx') {
  const body = Buffer.isBuffer(wb) ? wb : Buffer.from(await wb.xlsx.writeBuffer());
  const m = multipart(fileName, body);
  return ctx.app.inject({ method: 'POST', url: `${url}/import?${query}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType }, payload: m.payload });
}

/** The stored cells of a grid as "student/column=value", sorted: what the database holds, not what the API says. */
async function storedCells(classId: string) {
  const rows = await db
    .selectFrom('gradebook_cell')
    .select(['student_id', 'column_key', 'score_tenths', 'pass_fail', 'comment', 'version'])
    .where('class_id', '=', classId)
    .where('subject_code', '=', 'toan')
    .where('term', '=', 1)
    .execute();
  return rows.map((r) => `${r.student_id === F.studentAn ? 'An' : r.student_id === F.studentBinh ? 'Bình' : r.student_id}/${r.column_key}=${r.score_tenths ?? r.pass_fail ?? r.comment}@${r.version}`).sort();
}

describe('importing a grid from the .xlsx its export writes', () => {
  it('round trip: export, fill in Excel, import — exactly the cells of the file change; the grid and a new export show them; one audit entry', async () => {
    const s = await ctx.as('mathA1');
    // Bình has a mark already, entered in the grid.
    await s.put(`${toan6A1}/cells`, { term: 1, cells: [{ studentId: F.studentBinh, column: 'tx1', value: '6', version: 0 }] });
    const wb = await exported(s, toan6A1);
    // Marks as a teacher types them in Excel: decimal comma as text, a number with a point, a comment starting with "-".
    fill(wb, 'Nguyễn Văn An', { TX1: '7', TX2: 8.5, TX3: '9', TX4: '6,5', GK: '8', CK: '7,5', 'Nhận xét': '- Chăm chỉ, cần cẩn thận hơn' });
    fill(wb, 'Đặng Thị Bình', { TX2: '5' });
    const before = await db.selectFrom('audit_log').select('id').where('action', '=', 'gradebook.import').execute();
    const res = await upload(s, toan6A1, wb);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<TGradebookImportResult>();
    expect(out).toMatchObject({ students: 2, changed: 8, overwritten: 0, unchanged: 1, keptEmpty: 0 });
    expect(await storedCells(F.class6A1)).toEqual(
      [
        'An/tx1=70@1',
        'An/tx2=85@1',
        'An/tx3=90@1',
        'An/tx4=65@1',
        'An/gk=80@1',
        'An/ck=75@1',
        'An/nx=- Chăm chỉ, cần cẩn thận hơn@1',
        'Bình/tx1=60@1',
        'Bình/tx2=50@1',
      ].sort(),
    );
    // (7 + 8,5 + 9 + 6,5 + 2·8 + 3·7,5) / 9 = 69,5 / 9 = 7,72… → 7,7
    const an = out.gradebook.rows.find((r) => r.studentId === F.studentAn);
    expect(an?.summary).toBe('7,7');
    const again = await exported(s, toan6A1);
    const anRow = fill(again, 'Nguyễn Văn An', {});
    expect((again.worksheets[0]!.getRow(anRow).values as unknown[]).slice(5, 12)).toEqual(['7', '8,5', '9', '6,5', '8', '7,5', "'- Chăm chỉ, cần cẩn thận hơn"]);
    const audits = await db.selectFrom('audit_log').select(['id', 'after', 'target_label']).where('action', '=', 'gradebook.import').execute();
    expect(audits.length - before.length).toBe(1);
    expect(audits.at(-1)).toMatchObject({ target_label: 'Toán — 6A1 (2025-2026), học kì I', after: { studentCount: 2, changedCells: 8, unchangedCells: 1 } });

    // The same file once more: nothing changes (and the quoted comment is not taken for a new one).
    const same = await upload(s, toan6A1, again);
    expect(same.json<TGradebookImportResult>()).toMatchObject({ changed: 0, unchanged: 9 });
  });

  it('a bad mark or a student not in the class refuses the whole file, naming row, column and what to fix; nothing is written', async () => {
    const s = await ctx.as('mathA1');
    const before = await storedCells(F.class6A1);
    const wb = await exported(s, toan6A1);
    fill(wb, 'Nguyễn Văn An', { TX3: '10' });
    const binhRow = fill(wb, 'Đặng Thị Bình', { TX2: '11', GK: 'tám' });
    const stranger = wb.worksheets[0]!.addRow([3, 'Hoàng Quốc Cường', '30/11/2014', '0100000003', '8']).number;
    const res = await upload(s, toan6A1, wb);
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; detail: string; issues: TGradebookImportIssue[] }>();
    expect(body.code).toBe('gradebook_import_invalid');
    expect(body.issues).toEqual([
      { row: binhRow, column: 'TX2', message: 'Đánh giá thường xuyên lần 2: Điểm tối đa là 10 ("11").' },
      { row: binhRow, column: 'GK', message: 'Đánh giá giữa kì: "tám" không phải là điểm; hãy nhập một số từ 0 đến 10, ví dụ 8 hoặc 8,5.' },
      { row: stranger, column: 'Mã học sinh', message: 'không có học sinh mã 0100000003 trong lớp 6A1 học kì I. Hãy kiểm tra mã, hoặc xóa dòng này nếu học sinh không học lớp.' },
    ]);
    expect(body.detail).toContain(`Dòng ${binhRow}, cột TX2: Đánh giá thường xuyên lần 2: Điểm tối đa là 10 ("11").`);
    expect(body.detail).toMatch(/^Tệp chưa nhập được, chưa có điểm nào được ghi/);
    expect(await storedCells(F.class6A1)).toEqual(before);
  });

  it('a mark changed in the grid after the export is a conflict, not overwritten — unless the request says overwrite; the teacher\'s own edit in the file is not', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan6A1); // An tx1 = 7 @1, tx2 = 8,5 @1
    // Someone (another tab) changes An's TX1 in the grid after the file was taken.
    await s.put(`${toan6A1}/cells`, { term: 1, cells: [{ studentId: F.studentAn, column: 'tx1', value: '9', version: 1 }] });
    const row = fill(wb, 'Nguyễn Văn An', { TX1: '7,5', TX2: '9' });
    const before = await storedCells(F.class6A1);
    const res = await upload(s, toan6A1, wb);
    expect(res.statusCode).toBe(409);
    const body = res.json<{ code: string; issues: TGradebookImportIssue[] }>();
    expect(body.code).toBe('gradebook_import_conflict');
    expect(body.issues).toEqual([{ row, column: 'TX1', message: 'ô này đã được Phạm Minh Đức sửa thành "9" sau khi tệp được tải về; tệp ghi "7,5".' }]);
    expect(await storedCells(F.class6A1)).toEqual(before);

    const forced = await upload(s, toan6A1, wb, 'term=1&overwrite=true');
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json<TGradebookImportResult>()).toMatchObject({ changed: 2, overwritten: 1 });
    expect((await storedCells(F.class6A1)).filter((c) => c.startsWith('An/tx1') || c.startsWith('An/tx2'))).toEqual(['An/tx1=75@3', 'An/tx2=90@2']);
  });

  it('a file made by hand (no version column): a cell holding another mark is a conflict; empty cells fill; empty file cells never clear', async () => {
    const s = await ctx.as('mathA1');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Toán');
    ws.addRow(['STT', 'Họ và tên', 'TX1', 'TX3', 'CK']);
    ws.addRow([1, 'Nguyen Van An', '7,5', '', '']); // accents left out: still An; TX1 already 7,5
    ws.addRow([2, 'Đặng Thị Bình', '6', '4', 9]); // TX1 is 6 already; TX3, CK empty in the grid
    const res = await upload(s, toan6A1, wb);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TGradebookImportResult>()).toMatchObject({ changed: 2, unchanged: 2, keptEmpty: 2 });
    ws.getRow(3).getCell(3).value = '5'; // Bình TX1 6 → 5 without a version to go by
    const refused = await upload(s, toan6A1, wb);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ issues: TGradebookImportIssue[] }>().issues.map((i) => `${i.row}/${i.column}`)).toEqual(['3/TX1']);
  });

  it('a mark deleted in Excel is cleared when the export showed it and it is unchanged since; the result counts it; a cell empty at the export stays "nothing"', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan6A1); // An tx3 = 9 @1, tx4 = 6,5 @1
    const row = fill(wb, 'Nguyễn Văn An', { TX3: null, TX4: '' });
    const before = await db.selectFrom('audit_log').select('id').where('action', '=', 'gradebook.import').execute();
    const res = await upload(s, toan6A1, wb);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<TGradebookImportResult>();
    expect(out).toMatchObject({ changed: 0, cleared: 2, overwritten: 0, keptEmpty: 0 });
    expect(out.gradebook.rows.find((r) => r.studentId === F.studentAn)?.cells.tx3?.value ?? null).toBeNull();
    expect((await storedCells(F.class6A1)).filter((c) => c.startsWith('An/tx3') || c.startsWith('An/tx4'))).toEqual(['An/tx3=null@2', 'An/tx4=null@2']);
    const audits = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'gradebook.import').execute();
    expect(audits.length - before.length).toBe(1);
    expect(audits.at(-1)).toMatchObject({ after: { clearedCells: 2, changedCells: 0 } });

    // The next export marks the emptied cells; a mark entered in the grid after it is kept by the file's empty cell.
    const again = await exported(s, toan6A1);
    expect(xlsxVersion(again, row)).toBe('tx1=3 tx2=2 tx3=2e tx4=2e gk=1 ck=1 nx=1');
    await s.put(`${toan6A1}/cells`, { term: 1, cells: [{ studentId: F.studentAn, column: 'tx3', value: '9', version: 2 }] });
    const kept = await upload(s, toan6A1, again);
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json<TGradebookImportResult>()).toMatchObject({ cleared: 0, keptEmpty: 1 });
    expect((await storedCells(F.class6A1)).filter((c) => c.startsWith('An/tx3'))).toEqual(['An/tx3=90@3']);
  });

  it('deleting in Excel a mark changed in the grid after the export is a conflict, nothing written — unless the request says overwrite', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan6A1); // An gk = 8 @1
    await s.put(`${toan6A1}/cells`, { term: 1, cells: [{ studentId: F.studentAn, column: 'gk', value: '9', version: 1 }] });
    const row = fill(wb, 'Nguyễn Văn An', { GK: null });
    const before = await storedCells(F.class6A1);
    const res = await upload(s, toan6A1, wb);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string; issues: TGradebookImportIssue[] }>()).toMatchObject({
      code: 'gradebook_import_conflict',
      issues: [{ row, column: 'GK', message: 'ô này đã được Phạm Minh Đức sửa thành "9" sau khi tệp được tải về; tệp để trống (xóa điểm).' }],
    });
    expect(await storedCells(F.class6A1)).toEqual(before);
    const forced = await upload(s, toan6A1, wb, 'term=1&overwrite=true');
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json<TGradebookImportResult>()).toMatchObject({ changed: 0, cleared: 1, overwritten: 1 });
    expect((await storedCells(F.class6A1)).filter((c) => c.startsWith('An/gk'))).toEqual(['An/gk=null@3']);
  });

  it('a file of another term is refused as such', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan6A1);
    const res = await upload(s, toan6A1, wb, 'term=2');
    // Term II has no assignment for mathA1: the teacher rule answers first.
    expect(res.json()).toMatchObject({ code: 'gradebook_not_teacher' });
    await db
      .insertInto('teaching_assignment')
      .values({ school_id: F.schoolA1, id: '00000000-0000-7000-8000-0000000050a2', year: F.year, term: 2, class_id: F.class6A1, subject_code: 'toan', staff_id: F.teacherMath })
      .execute();
    const other = await upload(s, toan6A1, wb, 'term=2');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'gradebook_import_other_grid' });
    expect(other.json<{ detail: string }>().detail).toContain('học kì I, không phải sổ điểm Toán lớp 6A1 học kì II');
  });

  it('only the subject\'s teacher imports: the homeroom teacher is refused, another teacher\'s class is not found', async () => {
    const wb = await exported(await ctx.as('mathA1'), toan6A1);
    const hr = await upload(await ctx.as('homeroomA1'), toan6A1, wb);
    expect(hr.statusCode).toBe(403);
    expect(hr.json()).toMatchObject({ code: 'gradebook_not_teacher' });
    // mathA1 does not teach Ngữ văn in 6A1: the grid is not theirs to see.
    const nv = await upload(await ctx.as('mathA1'), grid(F.class6A1, 'ngu_van'), wb);
    expect(nv.statusCode).toBe(404);
    expect(nv.body).not.toContain('Bình');
  });

  it('not an .xlsx, or a zip bomb, is refused before it is read', async () => {
    const s = await ctx.as('mathA1');
    const csv = await upload(s, toan6A1, Buffer.from('Họ và tên;TX1\nAn;8'), 'term=1', 'so-diem.csv');
    expect(csv.statusCode).toBe(415);
    expect(csv.json()).toMatchObject({ code: 'not_xlsx' });
    const notZip = await upload(s, toan6A1, Buffer.from('not a zip at all'));
    expect(notZip.statusCode).toBe(415);
    const json = await s.post(`${toan6A1}/import?term=1`, { file: 'x' });
    expect(json.json()).toMatchObject({ code: 'multipart_required' });
  });

  it('a grid handed in or locked refuses the import, and the database is unchanged (the trigger holds below it)', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan6A1);
    fill(wb, 'Đặng Thị Bình', { CK: '10' });
    // And a file that only deletes a mark the export showed: a clear is a change like any other.
    const clearing = await exported(s, toan6A1);
    fill(clearing, 'Đặng Thị Bình', { TX1: null });
    expect((await s.post(`${toan6A1}/state`, { term: 1, action: 'submit' })).statusCode).toBe(200);
    const before = await storedCells(F.class6A1);
    const submitted = await upload(s, toan6A1, wb);
    expect(submitted.statusCode).toBe(409);
    expect(submitted.json()).toMatchObject({ code: 'gradebook_not_open' });
    const principal = await ctx.as('principalA1');
    expect((await principal.post(`${toan6A1}/state`, { term: 1, action: 'lock' })).json<TGradebook>().state).toBe('locked');
    const locked = await upload(s, toan6A1, wb);
    expect(locked.statusCode).toBe(409);
    expect(locked.json<{ detail: string }>().detail).toContain('Sổ điểm đã khóa');
    const lockedClear = await upload(s, toan6A1, clearing);
    expect(lockedClear.statusCode).toBe(409);
    expect(lockedClear.json<{ detail: string }>().detail).toContain('Sổ điểm đã khóa');
    expect(await storedCells(F.class6A1)).toEqual(before);
    expect(before).toContain('Bình/tx1=60@1');
  });
});

describe('exempt students (miễn học, Điều 11) in the file', () => {
  it('a TT22 grid: the export writes "Miễn" in the exempt student\'s empty cells and result; the file imports back as it is, a mark typed there is refused', async () => {
    const toan6A2 = grid(F.class6A2);
    await db.insertInto('subject_exemption').values({ school_id: F.schoolA1, student_id: F.studentCuong, year: F.year, subject_code: 'toan', scope: 'hk1', reason: 'Theo quyết định của hiệu trưởng' }).execute();
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan6A2);
    const row = fill(wb, 'Hoàng Quốc Cường', {});
    const values = wb.worksheets[0]!.getRow(row).values as unknown[];
    expect(values[columnOf(wb, 'TX1')]).toBe('Miễn');
    expect(values[columnOf(wb, 'ĐTBmhk')]).toBe('Miễn');
    const same = await upload(s, toan6A2, wb);
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json<TGradebookImportResult>()).toMatchObject({ changed: 0 });
    fill(wb, 'Hoàng Quốc Cường', { TX1: '8' });
    const refused = await upload(s, toan6A2, wb);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ issues: TGradebookImportIssue[] }>().issues).toEqual([
      { row, column: 'TX1', message: 'Học sinh được miễn học môn Toán trong học kì I (lý do: Theo quyết định của hiệu trưởng), nên không nhập điểm. Nếu quyết định miễn học đã thay đổi, nhờ hiệu trưởng bỏ miễn học trước.' },
    ]);
  });
});

describe('a primary grid (TT27) through its .xlsx: two checkpoints, level T / H / C, periodic test, comment', async () => {
  const class4 = await primaryClass(db, 4);
  const hoa = await studentIn(db, class4, 4);
  const kim = await studentIn(db, class4, 4);
  const toan4 = grid(class4);
  const stored = async () =>
    (
      await db
        .selectFrom('gradebook_cell')
        .select(['student_id', 'column_key', 'subject_level', 'score_tenths', 'comment', 'version'])
        .where('class_id', '=', class4)
        .where('term', '=', 1)
        .execute()
    )
      .map((r) => `${r.student_id === hoa.id ? 'Hoa' : 'Kim'}/${r.column_key}=${r.subject_level ?? r.score_tenths ?? r.comment}@${r.version}`)
      .sort();

  it('round trip: the export has the primary columns and the versions; levels, tests and comments come back through the save\'s rules', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan4);
    const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(5);
    expect(header.slice(0, 7)).toEqual(['Mức GKI', 'KT GKI', 'Nhận xét GKI', 'Mức CKI', 'KT CKI', 'Nhận xét CKI', 'Kết quả']);
    expect(String(header[7])).toBe(`Phiên bản ô điểm ${class4}/toan/1`);
    fill(wb, hoa.fullName, { 'Mức GKI': 'T', 'KT GKI': 9, 'Nhận xét GKI': 'Em đọc to, rõ ràng.', 'Mức CKI': 'hoàn thành' });
    fill(wb, kim.fullName, { 'Mức GKI': 'c' });
    const res = await upload(s, toan4, wb);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TGradebookImportResult>()).toMatchObject({ students: 2, changed: 5 });
    expect(await stored()).toEqual(['Hoa/ck_muc=hoan_thanh@1', 'Hoa/gk_kt=90@1', 'Hoa/gk_muc=hoan_thanh_tot@1', 'Hoa/gk_nx=Em đọc to, rõ ràng.@1', 'Kim/gk_muc=chua_hoan_thanh@1']);
    // A new export shows them as the grid writes them, with the versions the next import checks.
    const again = await exported(s, toan4);
    const row = fill(again, hoa.fullName, {});
    expect((again.worksheets[0]!.getRow(row).values as unknown[]).slice(5, 9)).toEqual(['T', '9', 'Em đọc to, rõ ràng.', 'H']);
    expect(xlsxVersion(again, row)).toBe('gk_muc=1 gk_kt=1 gk_nx=1 ck_muc=1');
    expect((await upload(s, toan4, again)).json<TGradebookImportResult>()).toMatchObject({ changed: 0, unchanged: 5 });
  });

  it('a level or test the column does not take refuses the file, by row and the column\'s Vietnamese label; nothing is written', async () => {
    const s = await ctx.as('mathA1');
    const before = await stored();
    const wb = await exported(s, toan4);
    const row = fill(wb, kim.fullName, { 'KT CKI': '11', 'Mức CKI': 'Đạt', 'Mức GKI': 'H' });
    const res = await upload(s, toan4, wb);
    expect(res.statusCode).toBe(422);
    const issues = res.json<{ issues: TGradebookImportIssue[] }>().issues;
    expect(issues).toEqual([
      { row, column: 'Mức CKI', message: 'Mức đạt được cuối học kì I: "Đạt" không phải mức đánh giá; hãy nhập T (Hoàn thành tốt), H (Hoàn thành) hoặc C (Chưa hoàn thành).' },
      { row, column: 'KT CKI', message: 'Điểm kiểm tra định kì cuối học kì I: Điểm kiểm tra định kì là số nguyên từ 1 đến 10, cao nhất là 10 ("11").' },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('a level changed in the grid after the export is a conflict; the homeroom teacher (not the subject\'s teacher) is refused', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan4);
    await s.put(`${toan4}/cells`, { term: 1, cells: [{ studentId: kim.id, column: 'gk_muc', value: 'H', version: 1 }] });
    const row = fill(wb, kim.fullName, { 'Mức GKI': 'T' });
    const res = await upload(s, toan4, wb);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ issues: TGradebookImportIssue[] }>().issues).toEqual([{ row, column: 'Mức GKI', message: 'ô này đã được Phạm Minh Đức sửa thành "H" sau khi tệp được tải về; tệp ghi "T".' }]);
    expect((await stored()).filter((c) => c.startsWith('Kim/gk_muc'))).toEqual(['Kim/gk_muc=hoan_thanh@2']);
    expect((await upload(await ctx.as('homeroomA1'), toan4, wb)).json()).toMatchObject({ code: 'gradebook_not_teacher' });
  });

  it('a level and a comment deleted in Excel are cleared, as in a TT22 grid', async () => {
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan4);
    fill(wb, kim.fullName, { 'Mức GKI': null });
    fill(wb, hoa.fullName, { 'Nhận xét GKI': '' });
    const res = await upload(s, toan4, wb);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TGradebookImportResult>()).toMatchObject({ changed: 0, cleared: 2 });
    expect((await stored()).filter((c) => c.startsWith('Kim/gk_muc') || c.startsWith('Hoa/gk_nx'))).toEqual(['Hoa/gk_nx=null@2', 'Kim/gk_muc=null@3']);
  });

  it('an exempt pupil\'s cells read "Miễn" in the export and come back as nothing entered', async () => {
    await db.insertInto('subject_exemption').values({ school_id: F.schoolA1, student_id: hoa.id, year: F.year, subject_code: 'toan', scope: 'cn', reason: 'Theo quyết định của hiệu trưởng' }).execute();
    const s = await ctx.as('mathA1');
    const wb = await exported(s, toan4);
    const row = fill(wb, hoa.fullName, {});
    const values = wb.worksheets[0]!.getRow(row).values as unknown[];
    expect(values[columnOf(wb, 'KT CKI')]).toBe('Miễn');
    expect(values[columnOf(wb, 'Kết quả')]).toBe('Miễn');
    expect(values[columnOf(wb, 'Mức GKI')]).toBe('T'); // entered before the decision: kept and shown
    const res = await upload(s, toan4, wb);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TGradebookImportResult>()).toMatchObject({ changed: 0 });
    // A new entry for her is refused as in the grid; nothing is written.
    fill(wb, hoa.fullName, { 'KT CKI': '8' });
    const refused = await upload(s, toan4, wb);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ issues: TGradebookImportIssue[] }>().issues).toEqual([{ row, column: 'KT CKI', message: expect.stringMatching(/^Học sinh được miễn học môn Toán cả năm học/) }]);
    expect((await stored()).some((c) => c.startsWith('Hoa/ck_kt'))).toBe(false);
  });
});

/** The hidden version column's token of a row. */
function xlsxVersion(wb: ExcelJS.Workbook, row: number) {
  const values = wb.worksheets[0]!.getRow(1).values as unknown[];
  const at = values.findIndex((v) => typeof v === 'string' && v.startsWith('Phiên bản ô điểm'));
  return wb.worksheets[0]!.getRow(row).getCell(at).value;
}

