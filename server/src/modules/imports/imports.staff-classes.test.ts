import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSheetWorkbook, makeStudentWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { F } from '../../../test/fixture-ids.js';
import { type TestContext, setupTestApp } from '../../../test/harness.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';
import { importFile } from './imports.test-helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupTestApp();
});
const db = () => ctx.handle.db;

const STAFF_HEADER = ['STT', 'Mã cán bộ', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Chức vụ', 'Trình độ', 'Hình thức hợp đồng', 'Môn dạy', 'Số điện thoại', 'Email'];

describe('staff import', () => {
  it('creates staff with codes from the code lists and subjects by name; re-upload updates by staff code', async () => {
    const s = await ctx.as('principalA1');
    const rows = [
      STAFF_HEADER,
      [1, 'GV101', 'Đỗ Thị Mai', '12/05/1988', 'Nữ', 'Giáo viên', 'Đại học sư phạm', 'Viên chức/Công chức HĐLV không xác định thời hạn', 'Toán, Tin học', '0912 345 678', 'mai.dt@truong.edu.vn'],
      [2, 'GV102', 'Vũ Văn Long', '03/01/1979', 'Nam', 'Phó hiệu trưởng', '02', '08', 'Vật lý; KHTN', 987654321, null],
      [3, null, 'Ngô Thị Hằng', null, 'Nữ', 'Kế toán', null, 'Hợp đồng lao động trên 1 năm', null, null, null],
    ];
    const job = await importFile(ctx, s, F.schoolA1, { kind: 'staff' }, await makeSheetWorkbook([{ name: 'CB', rows }]));
    expect(job.status, `${job.message} ${JSON.stringify(job.errors)}`).toBe('done');
    expect(job).toMatchObject({ createdRows: 3, updatedRows: 0 });
    const mai = await db().selectFrom('staff').selectAll().where('school_id', '=', F.schoolA1).where('staff_code', '=', 'GV101').executeTakeFirstOrThrow();
    expect(mai).toMatchObject({ family_name: 'Đỗ', given_name: 'Mai', sex: 'female', position: 'teacher', qualification_code: '16', contract_type_code: '07', phone: '0912345678', date_of_birth: '1988-05-12' });
    expect(mai.subject_codes).toEqual(['toan', 'tin_hoc']);
    const long = await db().selectFrom('staff').selectAll().where('staff_code', '=', 'GV102').executeTakeFirstOrThrow();
    expect(long).toMatchObject({ position: 'vice_principal', qualification_code: '02', contract_type_code: '08', phone: '0987654321' });
    expect(long.subject_codes).toEqual(['vat_li', 'khtn']);
    const hang = await db().selectFrom('staff').selectAll().where('given_name', '=', 'Hằng').where('school_id', '=', F.schoolA1).executeTakeFirstOrThrow();
    expect(hang.position).toBe('staff');

    rows[1]![9] = '0911111111';
    const again = await importFile(ctx, s, F.schoolA1, { kind: 'staff' }, await makeSheetWorkbook([{ name: 'CB', rows }]));
    expect(again.status).toBe('done');
    expect(again).toMatchObject({ createdRows: 0, updatedRows: 3, unchangedRows: 2 });
    const mai2 = await db().selectFrom('staff').select(['phone']).where('staff_code', '=', 'GV101').executeTakeFirstOrThrow();
    expect(mai2.phone).toBe('0911111111');
    const audits = await db().selectFrom('audit_log').selectAll().where('entity', '=', 'staff').where('action', 'like', 'staff.import_%').execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['staff.import_create', 'staff.import_create', 'staff.import_create', 'staff.import_update']);
  });

  it('unknown position, qualification and subject → rejected with the allowed values named', async () => {
    const s = await ctx.as('principalA1');
    const rows = [STAFF_HEADER, [1, 'GV201', 'Phan Văn Tài', '01/01/1990', 'Nam', 'Trưởng phòng', 'Tiến sĩ vật lý', null, 'Toán, Thiên văn', null, 'khong-phai-email']];
    const job = await importFile(ctx, s, F.schoolA1, { kind: 'staff' }, await makeSheetWorkbook([{ name: 'CB', rows }]));
    expect(job.status).toBe('rejected');
    expect(job.errors.map((e) => e.column)).toEqual(['Chức vụ', 'Trình độ', 'Môn dạy', 'Email']);
    expect(job.errors[0]!.message).toMatch(/Hiệu trưởng, Phó hiệu trưởng, Giáo viên hoặc Nhân viên/);
    expect(job.errors[2]!.message).toMatch(/Thiên văn/);
  });
});

describe('class import', () => {
  it('creates and updates classes by (year, name); GVCN matched by full name; then students can be imported into them', async () => {
    const s = await ctx.as('principalA1');
    const rows = [
      ['STT', 'Tên lớp', 'Khối', 'Buổi', 'Lớp ghép', 'GVCN'],
      [1, '6A3', 6, 'Sáng', 'Không', 'Phạm Minh Đức'],
      [2, '7A1', 'Khối 7', 'Cả ngày', null, 'Đỗ Thị Mai'],
      [3, '6a1', 6, 'Chiều', null, null],
    ];
    const job = await importFile(ctx, s, F.schoolA1, { kind: 'classes', year: F.year }, await makeSheetWorkbook([{ name: 'Lop', rows }]));
    expect(job.status, `${job.message} ${JSON.stringify(job.errors)}`).toBe('done');
    expect(job).toMatchObject({ createdRows: 2, updatedRows: 1 });
    const classes = await db().selectFrom('class').selectAll().where('school_id', '=', F.schoolA1).where('year', '=', F.year).orderBy('name').execute();
    expect(classes.map((c) => c.name)).toEqual(['6A1', '6A2', '6A3', '7A1']);
    expect(classes.find((c) => c.name === '6A3')).toMatchObject({ grade: 6, session: 'morning', is_multi_grade: false, homeroom_teacher_id: F.teacherMath });
    // 6A1 keeps its homeroom teacher (blank cell) and changes session
    expect(classes.find((c) => c.name === '6A1')).toMatchObject({ session: 'afternoon', homeroom_teacher_id: F.teacherHomeroom });

    const students = await importFile(ctx, s, F.schoolA1, { kind: 'students', year: F.year }, await makeStudentWorkbook({ rows: 4, classNames: ['6A3', '7A1'], firstLearnerId: 140000001, seed: 14 }));
    expect(students.status, `${students.message} ${JSON.stringify(students.errors)}`).toBe('done');
    expect(students.createdRows).toBe(4);
  });

  it('unknown GVCN, bad grade or session, duplicate class → row errors', async () => {
    const s = await ctx.as('principalA1');
    const rows = [
      ['Tên lớp', 'Khối', 'Buổi', 'GVCN'],
      ['8A1', 8, 'Sáng', 'Nguyễn Văn Không Có'],
      ['8A2', 13, 'Tối', null],
      ['8A1', 8, null, null],
    ];
    const job = await importFile(ctx, s, F.schoolA1, { kind: 'classes', year: F.year }, await makeSheetWorkbook([{ name: 'Lop', rows }]));
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'GVCN', message: expect.stringMatching(/Không tìm thấy cán bộ/) }),
      expect.objectContaining({ row: 3, column: 'Khối' }),
      expect.objectContaining({ row: 3, column: 'Buổi' }),
    ]);
    const dup = [['Tên lớp', 'Khối'], ['8A1', 8], ['8 a1', 8]];
    const job2 = await importFile(ctx, s, F.schoolA1, { kind: 'classes', year: F.year }, await makeSheetWorkbook([{ name: 'Lop', rows: dup }]));
    expect(job2.status).toBe('rejected');
    expect(job2.errors).toEqual([expect.objectContaining({ row: 3, column: 'Tên lớp', message: 'Trùng tên lớp với dòng 2' })]);
  });

  it('templates for staff and classes list the allowed values', async () => {
    const s = await ctx.as('staffA1');
    for (const [kind, expected] of [
      ['staff', ['Đại học sư phạm', 'Phó hiệu trưởng', 'Hợp đồng lao động trên 1 năm', 'Ngữ văn']],
      ['classes', ['Cả ngày', 'GVCN']],
    ] as const) {
      const res = await s.get(`/api/v1/imports/templates/${kind}`);
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const text: string[] = [];
      wb.getWorksheet('Hướng dẫn')!.eachRow((r) => text.push(xlsxCellText(r.getCell(1).value)));
      for (const e of expected) expect(text).toContain(e);
    }
  });
});
