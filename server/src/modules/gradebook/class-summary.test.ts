import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { fillTerm as fillTermOf } from './gradebook.test-helpers.js';

// Fixture: homeroomA1 is 6A1's homeroom teacher (An, Bình); principalA1 the principal; mathA1
// teaches Toán in 6A2 only; staffA1 is school staff (a manager: reads every class's results).
const ctx = await setupTestApp();
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const summaryUrl = (classId: string, year: number = F.year) => `${school}/classes/${classId}/results/summary.xlsx?year=${year}`;

const fillTerm = (studentId: string, classId: string, term: number, tenths: number, toan = tenths) => fillTermOf(db, studentId, classId, term, tenths, { toan });

async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** A subject page's cell by the student's name, the term group of row 6 ("Học kì I") and the header of row 7 ("TX2", "ĐTBmhk"). */
function markAt(ws: ExcelJS.Worksheet, name: string, group: string, header: string): unknown {
  let row = 0;
  ws.eachRow((r, n) => {
    if (n > 7 && r.getCell(2).value === name) row = n;
  });
  let col = 0;
  for (let c = 3; c <= ws.columnCount && !col; c++) if (ws.getCell(6, c).value === group && ws.getCell(7, c).value === header) col = c;
  if (!row || !col) throw new Error(`no mark for ${name} × ${group} ${header} (row ${row}, col ${col})`);
  return ws.getRow(row).getCell(col).value;
}

/** A sheet's cell text by the student's name (column B) and the header (row 7 under a group, else row 6). */
function cellAt(ws: ExcelJS.Worksheet, name: string, header: string): unknown {
  let row = 0;
  ws.eachRow((r, n) => {
    if (n > 7 && r.getCell(2).value === name) row = n;
  });
  let col = 0;
  for (const r of [7, 6]) {
    ws.getRow(r).eachCell((c, n) => {
      if (!col && c.value === header) col = n;
    });
  }
  if (!row || !col) throw new Error(`no cell for ${name} × ${header} (row ${row}, col ${col})`);
  return ws.getRow(row).getCell(col).value;
}

describe('the class summary workbook (sổ theo dõi và đánh giá học sinh, TT22 annex)', () => {
  it('before any close: every sheet lists the class in class-list order and says the results are not closed yet', async () => {
    const res = await (await ctx.as('homeroomA1')).get(summaryUrl(F.class6A1));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('6A1');
    const wb = await workbook(res.rawPayload);
    // The three summary sheets, then a page per subject of the class (catalog order).
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 3)).toEqual(['Học kì I', 'Học kì II', 'Cả năm']);
    expect(names).toEqual(expect.arrayContaining(['Ngữ văn', 'Toán', 'Âm nhạc', 'Giáo dục thể chất']));
    expect(names.every((n) => n.length <= 31)).toBe(true);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell(2, 1).value).toBe('SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH');
    expect(ws.getCell(4, 1).text).toMatch(/^Chưa tổng hợp kết quả học kì i/);
    // Class-list order: by given name (An before Bình), whatever the family names.
    expect([ws.getRow(8).getCell(2).value, ws.getRow(9).getCell(2).value]).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình']);
    expect(cellAt(ws, 'Nguyễn Văn An', 'Toán')).toBe('');
  });

  it('after the closes: the right student\'s right average in the right cell, results, absences, and for the year promotion and award', async () => {
    await fillTerm(F.studentAn, F.class6A1, 1, 92, 83); // Toán HK1 8,3
    await fillTerm(F.studentAn, F.class6A1, 2, 94, 90); // Toán HK2 9,0 → ĐTBmcn (8,3 + 2·9,0)/3 = 8,77 → 8,8
    await fillTerm(F.studentBinh, F.class6A1, 1, 70);
    await fillTerm(F.studentBinh, F.class6A1, 2, 70);
    const hr = await ctx.as('homeroomA1');
    for (const term of [1, 2]) await hr.put(`${school}/classes/${F.class6A1}/training`, { term, ratings: [{ studentId: F.studentAn, level: 'tot' }, { studentId: F.studentBinh, level: 'kha' }] });
    await hr.put(`${school}/classes/${F.class6A1}/attendance`, {
      entries: [
        { studentId: F.studentBinh, date: '2025-10-06', session: 'morning', status: 'excused', reason: 'Ốm' },
        { studentId: F.studentBinh, date: '2025-10-07', session: 'morning', status: 'unexcused' },
      ],
    });
    const principal = await ctx.as('principalA1');
    for (const period of ['hk1', 'hk2', 'cn']) expect((await principal.post(`${school}/results/close`, { year: F.year, period })).statusCode).toBe(200);

    const res = await hr.get(summaryUrl(F.class6A1));
    expect(res.statusCode).toBe(200);
    const wb = await workbook(res.rawPayload);
    const [hk1, hk2, cn] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(hk1.getCell(4, 1).text).toMatch(/^Kết quả do hiệu trưởng tổng hợp lúc/);
    expect(cellAt(hk1, 'Nguyễn Văn An', 'Toán')).toBe('8,3');
    expect(cellAt(hk1, 'Nguyễn Văn An', 'Ngữ văn')).toBe('9,2');
    expect(cellAt(hk1, 'Đặng Thị Bình', 'Toán')).toBe('7,0');
    expect(cellAt(hk2, 'Nguyễn Văn An', 'Toán')).toBe('9,0');
    expect(cellAt(cn, 'Nguyễn Văn An', 'Toán')).toBe('8,8');
    expect(cellAt(cn, 'Nguyễn Văn An', 'Âm nhạc')).toBe('Đ');
    expect(cellAt(hk1, 'Nguyễn Văn An', 'Kết quả học tập')).toBe('Tốt');
    expect(cellAt(hk1, 'Đặng Thị Bình', 'Kết quả rèn luyện')).toBe('Khá');
    expect(cellAt(hk1, 'Đặng Thị Bình', 'Có phép')).toBe(1);
    expect(cellAt(hk1, 'Đặng Thị Bình', 'Không phép')).toBe(1);
    expect(cellAt(cn, 'Đặng Thị Bình', 'Không phép')).toBe(1);
    expect(cellAt(cn, 'Nguyễn Văn An', 'Lên lớp / Ở lại lớp')).toBe('Được lên lớp');
    expect(cellAt(cn, 'Nguyễn Văn An', 'Khen thưởng')).toBe('Học sinh Xuất sắc');
    expect(cellAt(cn, 'Đặng Thị Bình', 'Khen thưởng')).toBe('');
    // The year sheet has the year's columns; a term sheet does not.
    expect(() => cellAt(hk1, 'Nguyễn Văn An', 'Khen thưởng')).toThrow();

    // The subject pages: every mark of both terms as the grid holds it, the averages as the close stored them.
    const toan = wb.getWorksheet('Toán')!;
    expect(toan.getCell(2, 1).value).toBe('SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH — MÔN TOÁN');
    expect(markAt(toan, 'Nguyễn Văn An', 'Học kì I', 'TX1')).toBe('8,3');
    expect(markAt(toan, 'Nguyễn Văn An', 'Học kì I', 'CK')).toBe('8,3');
    expect(markAt(toan, 'Nguyễn Văn An', 'Học kì I', 'ĐTBmhk')).toBe('8,3');
    expect(markAt(toan, 'Nguyễn Văn An', 'Học kì II', 'GK')).toBe('9,0');
    expect(markAt(toan, 'Nguyễn Văn An', 'Học kì II', 'ĐTBmhk')).toBe('9,0');
    expect(markAt(toan, 'Đặng Thị Bình', 'Học kì II', 'TX1')).toBe('7,0');
    // The year is the last column, its header merged over both header rows.
    expect(toan.getCell(7, toan.columnCount).value).toBe('Cả năm (ĐTBmcn)');
    expect(markAt(toan, 'Nguyễn Văn An', 'Cả năm (ĐTBmcn)', 'Cả năm (ĐTBmcn)')).toBe('8,8');
    // Toán has 4 periods a week in grade 6 (140 a year): four regular marks a term (TT22 Điều 7).
    expect(markAt(toan, 'Nguyễn Văn An', 'Học kì I', 'TX4')).toBe('8,3');
    expect(() => markAt(toan, 'Nguyễn Văn An', 'Học kì I', 'TX5')).toThrow();
    const music = wb.getWorksheet('Âm nhạc')!;
    expect(markAt(music, 'Nguyễn Văn An', 'Học kì I', 'GK')).toBe('Đ');
    expect(markAt(music, 'Nguyễn Văn An', 'Học kì I', 'Mức đánh giá')).toBe('Đ');
  });

  it('who reads it: the homeroom teacher of the class and the managers; not a subject teacher, not another class\'s homeroom teacher; the year must be the class\'s', async () => {
    expect((await (await ctx.as('staffA1')).get(summaryUrl(F.class6A1))).statusCode).toBe(200);
    expect((await (await ctx.as('principalA1')).get(summaryUrl(F.class6A2))).statusCode).toBe(200);
    const teacher = await (await ctx.as('mathA1')).get(summaryUrl(F.class6A2));
    expect(teacher.statusCode).toBe(404);
    expect(teacher.body).not.toContain('Cường');
    expect((await (await ctx.as('homeroomA1')).get(summaryUrl(F.class6A2))).statusCode).toBe(404);
    expect((await (await ctx.as('parentA')).get(summaryUrl(F.class6A1))).statusCode).toBe(404);
    const wrongYear = await (await ctx.as('homeroomA1')).get(summaryUrl(F.class6A1, F.year - 1));
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json()).toMatchObject({ code: 'year_mismatch', detail: 'Năm học: lớp 6A1 học năm học 2025-2026, không phải 2024-2025.' });
  });
});
