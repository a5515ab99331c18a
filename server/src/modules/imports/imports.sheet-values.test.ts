import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CellInput, excelSerial, makeSheetWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import type { TImportJob } from '../../../../contracts/imports.js';
import { formatVnDate, isoToday } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { type Session, type TestContext, setupTestApp } from '../../../test/harness.js';
import { importFile } from './imports.test-helpers.js';

/**
 * What the import does with two kinds of cell that used to come out wrong:
 * - dates: the reader ignores styles, so a date cell is its Excel serial number; the error sheet
 *   must show it as the day it is (dd/mm/yyyy), in the "Giá trị" column and in the copy of the
 *   bad rows;
 * - the guardian's phone: the Ministry's student list puts a bare "Số điện thoại" beside each
 *   guardian's name (father, mother, người giám hộ); it goes into that guardian's contact.
 */
let ctx: TestContext;
const Y = { kind: 'students' as const, year: F.year };
const TODAY = formatVnDate(isoToday());

beforeAll(async () => {
  ctx = await setupTestApp();
});
const db = () => ctx.handle.db;

async function errorWorkbook(s: Session, job: TImportJob) {
  const res = await s.get(`/api/v1/schools/${F.schoolA1}/imports/${job.id}/errors.xlsx`);
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows = (name: string) => {
    const out: unknown[][] = [];
    wb.getWorksheet(name)?.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
    return out;
  };
  return { errors: rows('Lỗi'), copies: rows('Dòng lỗi') };
}

describe('the error sheet shows date cells as dd/mm/yyyy', () => {
  it('students: "Giá trị" and the copy of the bad rows, for the mapped date column and other "Ngày …" columns', async () => {
    const s = await ctx.as('principalA1');
    const header = ['STT', 'Mã định danh Bộ GD&ĐT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp', 'Họ tên mẹ', 'Ngày sinh mẹ', 'Ghi chú'];
    const file = await makeSheetWorkbook([
      {
        name: 'DanhSachHocSinh',
        rows: [
          ['DANH SÁCH HỌC SINH'],
          header,
          [1, '0150000001', 'Vũ Thị Tương Lai', excelSerial('2030-01-15'), 'Nữ', 'Kinh', '6A1', 'Vũ Thị Hằng', excelSerial('1985-06-05'), 12],
          [2, '0150000002', 'Vũ Văn Lớp', excelSerial('2013-12-31'), 'Nam', 'Kinh', '6A9', 'Đào Thị Lan', excelSerial('1987-02-28'), 3.5],
          [3, '0150000003', 'Vũ Văn Năm', 60, 'Nam', 'Kinh', '6A1', null, null, null],
          [4, '0150000004', 'Vũ Văn Đúng', excelSerial('2013-05-20'), 'Nam', 'Kinh', '6A1', null, null, null],
          [5, '0150000005', 'Vũ Văn Bé', excelSerial('2022-03-01'), 'Nam', 'Kinh', '6A1', null, null, null],
          [6, '0150000006', 'Vũ Văn Muộn', excelSerial('2010-12-31'), 'Nam', 'Kinh', '6A1', null, null, null],
        ],
      },
    ]);
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status).toBe('rejected');
    const { errors, copies } = await errorWorkbook(s, job);
    expect(errors).toEqual([
      ['Dòng', 'Cột', 'Giá trị', 'Lỗi', 'Mức độ'],
      // One message for a date in the future (no second, misleading "age -5" warning: issue 8).
      [3, 'Ngày sinh', '15/01/2030', `Ngày 15/01/2030 chưa tới (hôm nay là ${TODAY}) — kiểm tra lại năm sinh.`, 'Lỗi'],
      [4, 'Lớp', '6A9', 'Lớp 6A9 chưa có trong năm học 2025-2026; hãy tạo lớp trước hoặc nhập danh sách lớp', 'Lỗi'],
      // Serial 60 is Excel's 29/02/1900, a day that does not exist: the number stays as typed.
      [5, 'Ngày sinh', '60', 'Ngày 29/02/1900 không có thật (lỗi năm nhuận 1900 của Excel) — kiểm tra lại ngày và tháng', 'Lỗi'],
      // The date-of-birth rule of the form and the API (domain/students): a grade-6 pupil aged 3 is refused.
      [
        7,
        'Ngày sinh',
        '01/03/2022',
        'Sinh ngày 01/03/2022 thì năm học 2025-2026 mới 3 tuổi — khối 6 nhận học sinh 10–17 tuổi tính theo năm (thường 11 tuổi, sinh năm 2014); kiểm tra lại năm sinh hoặc lớp.',
        'Lỗi',
      ],
      // Warnings come after the errors, with the same dd/mm/yyyy value: 15 in grade 6 is allowed, but past the late-entry limit.
      [8, 'Ngày sinh', '31/12/2010', '15 tuổi (tính theo năm) ở khối 6 — hơn tuổi quy định (11) quá 3 năm; kiểm tra lại ngày sinh.', 'Cảnh báo'],
    ]);
    expect(copies[0]).toEqual(['Dòng gốc', ...header, 'Lỗi']);
    // Dates in both date columns; other numbers ("Ghi chú", STT) stay numbers as text.
    expect(copies[1]).toEqual([3, '1', '0150000001', 'Vũ Thị Tương Lai', '15/01/2030', 'Nữ', 'Kinh', '6A1', 'Vũ Thị Hằng', '05/06/1985', '12', `Ngày sinh: ngày 15/01/2030 chưa tới (hôm nay là ${TODAY}) — kiểm tra lại năm sinh.`]);
    expect(copies[2]).toEqual([
      4, '2', '0150000002', 'Vũ Văn Lớp', '31/12/2013', 'Nam', 'Kinh', '6A9', 'Đào Thị Lan', '28/02/1987', '3.5',
      'Lớp: lớp 6A9 chưa có trong năm học 2025-2026; hãy tạo lớp trước hoặc nhập danh sách lớp',
    ]);
    expect(copies[3]!.slice(0, 5)).toEqual([5, '3', '0150000003', 'Vũ Văn Năm', '60']);
  });

  it('a 1904-date workbook (old Mac Excel) is read and shown with its own epoch', async () => {
    const s = await ctx.as('principalA1');
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('DS');
    ws.addRow(['Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp']);
    // In the 1904 system a serial counts 1,462 days fewer than in the 1900 system.
    ws.addRow(['0150000011', 'Đinh Văn Mac', excelSerial('2013-03-04') - 1462, 'Nam', 'Kinh', '6A7']);
    const job = await importFile(ctx, s, F.schoolA1, Y, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(job.status).toBe('rejected');
    const { copies } = await errorWorkbook(s, job);
    expect(copies[1]!.slice(0, 4)).toEqual([2, '0150000011', 'Đinh Văn Mac', '04/03/2013']);
  });

  it('staff: the date of birth is shown the same way', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeSheetWorkbook([
      { name: 'CB', rows: [['Mã cán bộ', 'Họ và tên', 'Ngày sinh', 'Chức vụ'], ['GV901', 'Trịnh Văn Sau', excelSerial('2031-09-02'), 'Giáo viên']] },
    ]);
    const job = await importFile(ctx, s, F.schoolA1, { kind: 'staff' }, file);
    expect(job.status).toBe('rejected');
    const { errors, copies } = await errorWorkbook(s, job);
    expect(errors[1]).toEqual([2, 'Ngày sinh', '02/09/2031', `Ngày 02/09/2031 chưa tới (hôm nay là ${TODAY}) — kiểm tra lại năm sinh.`, 'Lỗi']);
    expect(copies[1]).toEqual([2, 'GV901', 'Trịnh Văn Sau', '02/09/2031', 'Giáo viên', `Ngày sinh: ngày 02/09/2031 chưa tới (hôm nay là ${TODAY}) — kiểm tra lại năm sinh.`]);
  });
});

describe("the guardian's phone is imported into the guardian's contact", () => {
  // The Ministry's layout: a bare "Số điện thoại" beside each guardian's name, other details between.
  const MINISTRY_HEADER = [
    'STT', 'Mã định danh Bộ GD&ĐT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp',
    'Họ tên cha', 'Số điện thoại', 'Họ tên mẹ', 'Nghề nghiệp mẹ', 'Số điện thoại', 'Họ tên người giám hộ', 'Số điện thoại',
  ];
  const ministryFile = (rows: CellInput[][]) => makeSheetWorkbook([{ name: 'DanhSachHocSinh', rows: [['DANH SÁCH HỌC SINH'], MINISTRY_HEADER, ...rows] }]);
  const guardiansOf = async (learnerId: string) => {
    const st = await db().selectFrom('student').select('id').where('learner_id', '=', learnerId).executeTakeFirstOrThrow();
    return db().selectFrom('guardian').select(['relation', 'full_name', 'phone']).where('student_id', '=', st.id).orderBy('relation').execute();
  };

  it('father, mother and người giám hộ each get the phone beside their name (0 restored, +84 converted)', async () => {
    const s = await ctx.as('principalA1');
    const job = await importFile(
      ctx,
      s,
      F.schoolA1,
      Y,
      await ministryFile([[1, '0160000001', 'Lê Minh Khang', '12/04/2013', 'Nam', 'Kinh', '6A1', 'Lê Văn Tâm', '0912000001', 'Trần Thị Mơ', 'Nông dân', 912000002, 'Lê Thị Bà', '+84 912 000 003']]),
    );
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    // Only the mother's job is left unused: none of the three phone columns was dropped.
    expect(job.message).toBe('Đã thêm 1 học sinh, cập nhật 0. Các cột không dùng: Nghề nghiệp mẹ.');
    expect(await guardiansOf('0160000001')).toEqual([
      { relation: 'father', full_name: 'Lê Văn Tâm', phone: '0912000001' },
      { relation: 'guardian', full_name: 'Lê Thị Bà', phone: '0912000003' },
      { relation: 'mother', full_name: 'Trần Thị Mơ', phone: '0912000002' },
    ]);
  });

  it('re-importing updates the phone (audited with the previous value); the same file again changes nothing', async () => {
    const s = await ctx.as('principalA1');
    const row: CellInput[] = [1, '0160000001', 'Lê Minh Khang', '12/04/2013', 'Nam', 'Kinh', '6A1', 'Lê Văn Tâm', '0912000001', 'Trần Thị Mơ', 'Nông dân', '0912000002', 'Lê Thị Bà', '0388777666'];
    const job = await importFile(ctx, s, F.schoolA1, Y, await ministryFile([row]));
    expect(job).toMatchObject({ status: 'done', createdRows: 0, updatedRows: 1, unchangedRows: 0 });
    expect((await guardiansOf('0160000001')).find((g) => g.relation === 'guardian')).toEqual({ relation: 'guardian', full_name: 'Lê Thị Bà', phone: '0388777666' });
    const st = await db().selectFrom('student').select('id').where('learner_id', '=', '0160000001').executeTakeFirstOrThrow();
    const audit = await db().selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', st.id).where('action', '=', 'student.import_update').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ guardians: [{ relation: 'guardian', name: 'Lê Thị Bà', phone: '0388777666', before: { name: 'Lê Thị Bà', phone: '0912000003' } }] });
    const again = await importFile(ctx, s, F.schoolA1, Y, await ministryFile([row]));
    expect(again).toMatchObject({ status: 'done', updatedRows: 1, unchangedRows: 1 });
  });

  it('a phone that is not a Vietnamese number is refused with a message naming the column and whose phone it is', async () => {
    const s = await ctx.as('principalA1');
    const job = await importFile(
      ctx,
      s,
      F.schoolA1,
      Y,
      await ministryFile([
        [1, '0160000002', 'Lê Minh Hậu', '12/05/2013', 'Nam', 'Kinh', '6A1', null, null, null, null, null, 'Lê Thị Bà', '12345'],
        [2, '0160000003', 'Lê Minh Tiền', '12/06/2013', 'Nam', 'Kinh', '6A1', null, null, 'Trần Thị Mơ', null, '0123456789', null, null],
      ]),
    );
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      {
        row: 3,
        column: 'Số điện thoại',
        value: '12345',
        message:
          'Số điện thoại "12345" ở cột "Số điện thoại" không phải số điện thoại Việt Nam hợp lệ: cần 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912345678), hoặc số máy bàn 11 chữ số bắt đầu bằng 02 (số điện thoại của người giám hộ)',
      },
      {
        row: 4,
        column: 'Số điện thoại',
        value: '0123456789',
        message:
          'Số điện thoại "0123456789" ở cột "Số điện thoại" không phải số điện thoại Việt Nam hợp lệ: cần 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912345678), hoặc số máy bàn 11 chữ số bắt đầu bằng 02 (số điện thoại của mẹ)',
      },
    ]);
  });

  it('a phone without a guardian name is refused rather than kept without a person', async () => {
    const s = await ctx.as('principalA1');
    const job = await importFile(
      ctx,
      s,
      F.schoolA1,
      Y,
      await ministryFile([[1, '0160000004', 'Lê Minh Vô', '12/07/2013', 'Nam', 'Kinh', '6A1', null, null, null, null, null, null, '0912000009']]),
    );
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'Họ tên người giám hộ',
        message: 'Có số điện thoại người giám hộ nhưng chưa có họ tên người giám hộ; hãy nhập họ tên hoặc xóa số điện thoại',
      }),
    ]);
  });

  it('a bare "Số điện thoại" not beside a guardian is not taken for one', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeSheetWorkbook([
      {
        name: 'DS',
        rows: [
          ['Mã định danh', 'Họ và tên', 'Ngày sinh', 'Số điện thoại', 'Giới tính', 'Dân tộc', 'Lớp', 'Họ tên mẹ'],
          ['0160000005', 'Lê Minh Tự', '12/08/2013', '0912000010', 'Nam', 'Kinh', '6A1', 'Trần Thị Mơ'],
        ],
        textColumns: [1, 3, 4],
      },
    ]);
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect(job.message).toContain('Các cột không dùng: Số điện thoại.');
    expect(await guardiansOf('0160000005')).toEqual([{ relation: 'mother', full_name: 'Trần Thị Mơ', phone: null }]);
  });

  it('our own template has the guardian columns and imports them', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get('/api/v1/imports/templates/students');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const data = wb.getWorksheet('Danh sách')!;
    const head = (data.getRow(1).values as unknown[]).slice(1) as string[];
    expect(head.slice(-6)).toEqual(['Họ tên cha', 'SĐT cha', 'Họ tên mẹ', 'SĐT mẹ', 'Họ tên người giám hộ', 'SĐT người giám hộ']);
    const row = data.getRow(2);
    row.getCell(head.indexOf('Mã định danh') + 1).value = '0160000006';
    row.getCell(head.indexOf('Họ tên người giám hộ') + 1).value = 'Nguyễn Thị Ngoại';
    row.getCell(head.indexOf('SĐT người giám hộ') + 1).value = '0977123456';
    row.commit();
    const job = await importFile(ctx, s, F.schoolA1, Y, Buffer.from(await wb.xlsx.writeBuffer()), 'mau.xlsx');
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect((await guardiansOf('0160000006')).find((g) => g.relation === 'guardian')).toEqual({ relation: 'guardian', full_name: 'Nguyễn Thị Ngoại', phone: '0977123456' });
  });
});
