import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { TGradebookImportIssue } from '../../../../contracts/gradebook.js';
import type { TLegacyImportResult, TLegacyResults } from '../../../../contracts/legacy-results.js';
import { F } from '../../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../../test/harness.js';
import { multipart } from '../imports/imports.test-helpers.js';

// Fixture: school A1 has An and Bình (6A1, homeroomA1's class; An is parentA's child and the
// studentAn account) and Cường (6A2, parentC's child). Their 2019-2020 year (grade 7, before TT22
// reached grade 7 in 2022-2023) is TT58's.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const base = `/api/v1/schools/${F.schoolA1}`;
const legacyOf = (studentId: string, school = F.schoolA1) => `/api/v1/schools/${school}/students/${studentId}/legacy-results`;

const HEADER = ['Mã định danh', 'Họ và tên', 'Năm học', 'Khối', 'Lớp', 'Toán', 'Ngữ văn', 'Vật lí', 'Hóa học', 'Tiếng Anh', 'Thể dục', 'Hạnh kiểm HK I', 'Hạnh kiểm HK II', 'Hạnh kiểm cả năm', 'Số buổi nghỉ'];
type Row = Array<string | number | null>;

function workbook(rows: Row[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Kết quả');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return wb;
}

async function upload(s: Session, wb: ExcelJS.Workbook | Buffer, query = '', fileName = 'ket-qua-cu.xlsx', school = F.schoolA1) {
  const body = Buffer.isBuffer(wb) ? wb : Buffer.from(await wb.xlsx.writeBuffer());
  const m = multipart(fileName, body);
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${school}/legacy-results/import${query}`,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType },
    payload: m.payload,
  });
}

const stored = async () =>
  (await db.selectFrom('legacy_result').select(['student_id', 'year', 'class_name', 'sessions_absent']).orderBy('student_id').orderBy('year').execute()).map(
    (r) => `${r.student_id}/${r.year}/${r.class_name}/${r.sessions_absent}`,
  );

// Hand-checked (Điều 11: ĐTBcn = plain mean of the scored subjects; Điều 13):
// An:    (8,0 + 8,0 + 8,5 + 7,5 + 8,0) / 5 = 40,0 / 5 = 8,0; Toán 8,0; none below 6,5; Thể dục Đ → Giỏi.
//        Conduct year Khá (the record's) + Giỏi → Học sinh tiên tiến (Điều 18: Học sinh giỏi needs Tốt).
// Bình:  (8,0 + 8,0 + 9,6 + 6,4 + 8,0) / 5 = 8,0 but Hóa học 6,4 < 6,5 → not Giỏi; Khá reached
//        (khoản 2: ≥ 6,5, Toán ≥ 6,5, none below 5,0) → Khá straight: khoản 6 only lifts a rank
//        pulled down to Trung bình or lower. No year conduct in the record: term II's Tốt stands in.
// Cường: (8,0 + 8,0 + 10 + 4,8 + 9,2) / 5 = 40,0 / 5 = 8,0, Hóa học 4,8 < 5,0 → khoản 1–5 give
//        Trung bình; one subject pulled a Giỏi average down → khoản 6: Khá. Absent 50 > 45 → Ở lại lớp.
const AN: Row = ['0100000001', 'Nguyễn Văn An', '2019-2020', 7, '7A1', '8,0', '8', 8.5, '7.5', '8,0', 'Đ', 'Tốt', 'Khá', 'Khá', 3];
const BINH: Row = ['0100000002', 'Đặng Thị Bình', '2019-2020', 7, '7A1', '8', '8', '9,6', '6,4', '8', 'Đ', 'Tốt', 'Tốt', null, 0];
const CUONG: Row = [100000003, 'Hoang Quoc Cuong', '2019 - 2020', '7', '7A2', '8', '8', '10', '4,8', '9,2', 'D', 'K', 'Khá', 'Tốt', 50];

describe('legacy results (Thông tư 58/2011): import, then read recomputed', () => {
  it('the template is the header row and one example row', async () => {
    const res = await (await ctx.as('staffA1')).get(`${base}/legacy-results/template.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(2);
    expect((ws.getRow(1).values as unknown[]).slice(1, 6)).toEqual(['Mã định danh', 'Họ và tên', 'Năm học', 'Khối', 'Lớp']);
    expect(ws.getRow(1).values).toContain('Số buổi nghỉ');
    expect(ws.getRow(1).values).toContain('ĐTB các môn HK I');
    expect(ws.getRow(1).values).toContain('ĐTB các môn HK II');
  });

  it('imports three students with every value as written in Excel; the read recomputes học lực, conduct, promotion and title in words; one audit entry', async () => {
    const principal = await ctx.as('principalA1');
    const res = await upload(principal, workbook([AN, BINH, CUONG]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TLegacyImportResult>()).toEqual({ fileName: 'ket-qua-cu.xlsx', imported: 3, replaced: 0 });
    expect(await stored()).toEqual([`${F.studentAn}/2019/7A1/3`, `${F.studentBinh}/2019/7A1/0`, `${F.studentCuong}/2019/7A2/50`]);
    // Marks kept in tenths as integers, Đ/CĐ as such.
    const an = await db
      .selectFrom('legacy_subject_result as s')
      .innerJoin('legacy_result as r', (j) => j.onRef('r.school_id', '=', 's.school_id').onRef('r.id', '=', 's.legacy_result_id'))
      .select(['s.subject_name', 's.average_tenths', 's.comment_result'])
      .where('r.student_id', '=', F.studentAn)
      .orderBy('s.sort_order')
      .execute();
    expect(an.slice(0, 6)).toEqual([
      { subject_name: 'Toán', average_tenths: 80, comment_result: null },
      { subject_name: 'Ngữ văn', average_tenths: 80, comment_result: null },
      { subject_name: 'Vật lí', average_tenths: 85, comment_result: null },
      { subject_name: 'Hóa học', average_tenths: 75, comment_result: null },
      { subject_name: 'Tiếng Anh', average_tenths: 80, comment_result: null },
      { subject_name: 'Thể dục', average_tenths: null, comment_result: 'd' },
    ]);

    const anYears = (await principal.get(legacyOf(F.studentAn))).json<TLegacyResults>();
    expect(anYears.fullName).toBe('Nguyễn Văn An');
    expect(anYears.years).toHaveLength(1);
    expect(anYears.years[0]).toMatchObject({
      schoolYear: '2019-2020',
      grade: 7,
      className: '7A1',
      overallAverage: '8,0',
      academic: 'Giỏi',
      academicNote: null,
      conductTerm1: 'Tốt',
      conductTerm2: 'Khá',
      conductYear: 'Khá',
      conductNote: null,
      promotion: 'Được lên lớp',
      title: 'Học sinh tiên tiến',
      importedBy: expect.any(String),
    });
    expect(anYears.years[0]!.subjects.slice(0, 3)).toEqual([
      { subject: 'Toán', result: '8,0' },
      { subject: 'Ngữ văn', result: '8,0' },
      { subject: 'Vật lí', result: '8,5' },
    ]);
    expect(anYears.years[0]!.subjects.at(-1)).toEqual({ subject: 'Thể dục', result: 'Đ' });

    const binh = (await principal.get(legacyOf(F.studentBinh))).json<TLegacyResults>().years[0]!;
    expect(binh).toMatchObject({ overallAverage: '8,0', academic: 'Khá', academicNote: null, conductYear: 'Tốt', promotion: 'Được lên lớp', title: 'Học sinh tiên tiến' });
    expect(binh.conductNote).toContain('hạnh kiểm học kì II');

    const cuong = (await principal.get(legacyOf(F.studentCuong))).json<TLegacyResults>().years[0]!;
    expect(cuong).toMatchObject({ overallAverage: '8,0', academic: 'Khá', conductTerm1: 'Khá', conductYear: 'Tốt', title: 'Học sinh tiên tiến' });
    expect(cuong.academicNote).toBe('Điểm trung bình các môn đạt loại Giỏi nhưng môn Hóa học thấp hơn mức của loại đó (theo khoản 1–5 chỉ xếp loại Trung bình), nên được điều chỉnh lên loại Khá (Điều 13 khoản 6).');
    expect(cuong.promotion).toBe('Ở lại lớp: Nghỉ 50 buổi trong năm học, quá 45 buổi');

    const audits = await db.selectFrom('audit_log').select(['after', 'org_unit_id']).where('action', '=', 'results.legacy_import').execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ org_unit_id: F.schoolA1, after: { studentYears: 3, replacedYears: 0, schoolYears: '2019-2020' } });
  });

  it('optional term averages (ĐTB các môn HK I / HK II): stored and shown as recorded; the rank stays the year\'s; a wrong one is refused by its header', async () => {
    const principal = await ctx.as('principalA1');
    const withTerms = (rows: Row[]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Kết quả');
      ws.addRow([...HEADER, 'ĐTB các môn HK I', 'ĐTB các môn HK II']);
      for (const r of rows) ws.addRow(r);
      return wb;
    };
    // Cường, 2018-2019 grade 6: the year's subjects all 6,0 → Trung bình, whatever the terms say (8,9 and 9,2 would be Giỏi).
    const year: Row = ['0100000003', 'Hoàng Quốc Cường', '2018-2019', 6, '6A2', '6', '6', '6', '6', '6', 'Đ', 'Tốt', 'Tốt', 'Tốt', 0];
    const bad = await upload(principal, withTerms([[...year, '8,9', '12']]));
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ issues: TGradebookImportIssue[] }>().issues).toEqual([{ row: 2, column: 'ĐTB các môn HK II', message: 'điểm trung bình các môn học kì II: Điểm tối đa là 10 ("12").' }]);
    const res = await upload(principal, withTerms([[...year, '8,9', 9.2]]));
    expect(res.statusCode, res.body).toBe(200);
    const y = (await principal.get(legacyOf(F.studentCuong))).json<TLegacyResults>().years.find((x) => x.year === 2018)!;
    expect(y).toMatchObject({ averageTerm1: '8,9', averageTerm2: '9,2', overallAverage: '6,0', academic: 'Trung bình' });
    // A file without the columns: none recorded.
    expect((await principal.get(legacyOf(F.studentCuong))).json<TLegacyResults>().years.find((x) => x.year === 2019)).toMatchObject({ averageTerm1: null, averageTerm2: null });
  });

  it('a wrong file is refused whole, every issue by row, column and what to fix; nothing is written', async () => {
    const s = await ctx.as('staffA1');
    const before = await stored();
    const res = await upload(
      s,
      workbook([
        ['0100000009', 'Người Lạ', '2018-2019', 7, '7A1', '8', '8', '8', '8', '8', 'Đ', 'Tốt', 'Tốt', 'Tốt', 0],
        ['0100000001', 'Nguyễn Văn Anh', '2018-2019', 6, '6A1', '8', '8', '8', '8', '8', 'Đ', 'Tốt', 'Tốt', 'Tốt', 0],
        ['0100000002', 'Đặng Thị Bình', '2018-2019', 6, '6A1', '7,55', '8', '8', '8', '8', 'Đ', 'Tốt', 'Tốt', 'Tốt', 0],
        ['0100000003', 'Hoàng Quốc Cường', '2022-2023', 7, '7A2', '8', '8', '8', '8', '8', 'Đ', 'Tốt', 'Tốt', 'Tốt', 0],
        // A student of another school (B1) is not this school's to record.
        ['0200000001', 'Lò Thị Dung', '2018-2019', 8, '8A1', '8', '8', '8', '8', '8', 'Đ', 'Tốt', 'Tốt', 'Tốt', 0],
      ]),
    );
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; detail: string; issues: TGradebookImportIssue[] }>();
    expect(body.code).toBe('legacy_import_invalid');
    expect(body.issues).toEqual([
      { row: 2, column: 'Mã định danh', message: expect.stringContaining('trường không có học sinh mã 0100000009') },
      { row: 3, column: 'Họ và tên', message: 'mã 0100000001 là của em Nguyễn Văn An, nhưng tệp ghi "Nguyễn Văn Anh". Hãy sửa lại họ tên hoặc mã cho đúng học sinh.' },
      { row: 4, column: 'Toán', message: 'điểm trung bình môn cả năm: Điểm chỉ lấy một chữ số thập phân ("7,55"); ví dụ 8,5.' },
      {
        row: 5,
        column: 'Năm học',
        message: 'năm học 2022-2023 khối 7 đã đánh giá theo Thông tư 22/2021/TT-BGDĐT, không theo Thông tư 58/2011; kết quả năm đó nhập qua sổ điểm. Hãy kiểm tra lại năm học và khối.',
      },
      { row: 6, column: 'Mã định danh', message: expect.stringContaining('trường không có học sinh mã 0200000001') },
    ]);
    expect(body.detail).toMatch(/^Tệp chưa nhập được, chưa có kết quả nào được ghi\. Hãy sửa 5 lỗi/);
    expect(body.detail).toContain('Dòng 4, cột Toán: điểm trung bình môn cả năm');
    expect(await stored()).toEqual(before);
  });

  it('a student-year imported before is a conflict listed per row, nothing written — unless the request says replace', async () => {
    const s = await ctx.as('principalA1');
    const before = await stored();
    const newer: Row = [...AN.slice(0, 4), '7A3', ...AN.slice(5)];
    const first: Row = ['0100000001', 'Nguyễn Văn An', '2018-2019', 6, '6A1', '7', '7', '7', '7', '7', 'Đ', 'Khá', 'Khá', 'Khá', 1];
    const res = await upload(s, workbook([first, newer]));
    expect(res.statusCode).toBe(409);
    const body = res.json<{ code: string; issues: TGradebookImportIssue[]; schoolYears: string[] }>();
    expect(body.code).toBe('legacy_import_conflict');
    expect(body.issues).toEqual([{ row: 3, column: 'Năm học', message: 'kết quả năm học 2019-2020 của em Nguyễn Văn An đã được nhập trước đây.' }]);
    // The years already imported, for the screen's question ("đã có kết quả năm 2019-2020 — nhập lại để thay thế?").
    expect(body.schoolYears).toEqual(['2019-2020']);
    expect(await stored()).toEqual(before);

    const replaced = await upload(s, workbook([first, newer]), '?replace=true');
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json<TLegacyImportResult>()).toMatchObject({ imported: 2, replaced: 1 });
    const years = (await s.get(legacyOf(F.studentAn))).json<TLegacyResults>().years;
    expect(years.map((y) => `${y.schoolYear} ${y.className} ${y.academic}`)).toEqual(['2018-2019 6A1 Khá', '2019-2020 7A3 Giỏi']);
  });

  it('who: the school\'s managers import, not a teacher nor another school; the family reads its own child only, the homeroom teacher their class', async () => {
    const wb = workbook([BINH]);
    // A teacher has no standing to import (the permission answers as for a place they cannot see).
    expect([403, 404]).toContain((await upload(await ctx.as('homeroomA1'), wb, '?replace=true')).statusCode);
    expect(await db.selectFrom('legacy_result').select('class_name').where('student_id', '=', F.studentBinh).executeTakeFirst()).toEqual({ class_name: '7A1' });
    const other = await upload(await ctx.as('principalB1'), wb, '?replace=true');
    expect([403, 404]).toContain(other.statusCode);
    const otherRead = await (await ctx.as('principalB1')).get(legacyOf(F.studentAn));
    expect([403, 404]).toContain(otherRead.statusCode);
    expect(otherRead.body).not.toContain('Nguyễn Văn An');

    const parentA = await ctx.as('parentA');
    expect((await parentA.get(legacyOf(F.studentAn))).json<TLegacyResults>().years.length).toBe(2);
    const notMine = await parentA.get(legacyOf(F.studentCuong));
    expect(notMine.statusCode).toBe(404);
    expect(notMine.body).not.toContain('Cường');
    expect((await (await ctx.as('parentC')).get(legacyOf(F.studentCuong))).json<TLegacyResults>().fullName).toBe('Hoàng Quốc Cường');
    expect((await (await ctx.as('studentAn')).get(legacyOf(F.studentAn))).statusCode).toBe(200);
    expect((await (await ctx.as('studentAn')).get(legacyOf(F.studentBinh))).statusCode).toBe(404);

    const homeroom = await ctx.as('homeroomA1');
    expect((await homeroom.get(legacyOf(F.studentBinh))).statusCode).toBe(200);
    expect((await homeroom.get(legacyOf(F.studentCuong))).statusCode).toBe(404);
    expect((await (await ctx.as('mathA1')).get(legacyOf(F.studentAn))).statusCode).toBe(404);
    // The province's office reads the results of the schools below it.
    expect((await (await ctx.as('soA')).get(legacyOf(F.studentAn))).statusCode).toBe(200);
  });

  it('not an .xlsx is refused before it is read', async () => {
    const s = await ctx.as('principalA1');
    const csv = await upload(s, Buffer.from('Mã định danh;Họ và tên\n0100000001;An'), '', 'ket-qua.csv');
    expect(csv.statusCode).toBe(415);
    expect(csv.json()).toMatchObject({ code: 'not_xlsx' });
  });
});
