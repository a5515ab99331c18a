import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CellInput, excelSerial, makeSheetWorkbook, makeStudentWorkbook, studentSheetRows } from '../../../../bench/fixtures/make-student-xlsx.js';
import { F } from '../../../test/fixture-ids.js';
import { type TestContext, setupTestApp } from '../../../test/harness.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';
import { FORMULA_MESSAGE } from './sheet-columns.js';
import { importFile } from './imports.test-helpers.js';

let ctx: TestContext;
const Y = { kind: 'students' as const, year: F.year };

beforeAll(async () => {
  ctx = await setupTestApp();
});

const db = () => ctx.handle.db;

async function studentsByLearner(ids: string[]) {
  return db().selectFrom('student').selectAll().where('learner_id', 'in', ids).execute();
}

describe('student import — happy path and re-upload', () => {
  const file = () => makeStudentWorkbook({ rows: 50, classNames: ['6A1', '6A2'], firstLearnerId: 101000001, seed: 1 });

  it('creates 50 students with enrolments, events, guardians and audit rows', async () => {
    const s = await ctx.as('principalA1');
    const job = await importFile(ctx, s, F.schoolA1, Y, await file());
    expect(job.status, job.message ?? '').toBe('done');
    expect(job).toMatchObject({ totalRows: 50, createdRows: 50, updatedRows: 0, errorCount: 0, processedRows: 50 });
    expect(job.finishedAt).not.toBeNull();

    const ids = Array.from({ length: 50 }, (_, i) => String(101000001 + i).padStart(10, '0'));
    const rows = await studentsByLearner(ids);
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.school_id === F.schoolA1 && r.is_current)).toBe(true);
    expect(new Set(rows.map((r) => r.current_class_id))).toEqual(new Set([F.class6A1, F.class6A2]));
    const first = rows.find((r) => r.learner_id === '0101000001')!;
    expect(first.family_name).not.toBe('');
    expect(first.date_of_birth).toMatch(/^2013-\d\d-\d\d$/);

    const studentIds = rows.map((r) => r.id);
    const enrol = await db().selectFrom('enrolment').selectAll().where('student_id', 'in', studentIds).execute();
    expect(enrol).toHaveLength(50);
    expect(enrol.every((e) => e.year === F.year && e.end_date === null)).toBe(true);
    const events = await db().selectFrom('student_event').selectAll().where('student_id', 'in', studentIds).execute();
    expect(events.filter((e) => e.kind === 'imported')).toHaveLength(50);
    const guardians = await db().selectFrom('guardian').selectAll().where('student_id', 'in', studentIds).execute();
    expect(guardians.length).toBeGreaterThan(50);

    const audits = await db().selectFrom('audit_log').selectAll().where('org_unit_id', '=', F.schoolA1).where('action', 'like', '%import%').execute();
    expect(audits.filter((a) => a.action === 'student.import_create')).toHaveLength(50);
    const summary = audits.filter((a) => a.entity === 'import_job');
    expect(summary).toHaveLength(1);
    expect(summary[0]!.entity_id).toBe(job.id);
    expect(summary[0]!.after).toMatchObject({ created: 50, updated: 0 });
    expect(audits.every((a) => a.user_id === F.users.principalA1)).toBe(true);

    const list = await s.get(`/api/v1/schools/${F.schoolA1}/imports`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { id: string }[] }).items[0]!.id).toBe(job.id);
  });

  it('re-uploading the same file updates, never duplicates', async () => {
    const s = await ctx.as('staffA1');
    const before = await db().selectFrom('student').select(db().fn.countAll<number>().as('n')).where('school_id', '=', F.schoolA1).executeTakeFirstOrThrow();
    const job = await importFile(ctx, s, F.schoolA1, Y, await file());
    expect(job.status, job.message ?? '').toBe('done');
    expect(job).toMatchObject({ createdRows: 0, updatedRows: 50, unchangedRows: 50, errorCount: 0 });
    const after = await db().selectFrom('student').select(db().fn.countAll<number>().as('n')).where('school_id', '=', F.schoolA1).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a changed class moves the student: enrolment closed, new one opened, class_transfer event', async () => {
    const s = await ctx.as('principalA1');
    // Everyone into 6A2 now; the first 25 (6A1 before, alternating) change class.
    const moved = await makeStudentWorkbook({ rows: 50, classNames: ['6A2'], firstLearnerId: 101000001, seed: 1 });
    const job = await importFile(ctx, s, F.schoolA1, Y, moved);
    expect(job.status, job.message ?? '').toBe('done');
    expect(job.createdRows).toBe(0);
    expect(job.updatedRows).toBe(50);
    const st = (await studentsByLearner(['0101000001']))[0]!;
    expect(st.current_class_id).toBe(F.class6A2);
    const enrol = await db().selectFrom('enrolment').selectAll().where('student_id', '=', st.id).orderBy('start_date').execute();
    expect(enrol).toHaveLength(2);
    expect(enrol.filter((e) => e.end_date === null)).toHaveLength(1);
    expect(enrol.find((e) => e.end_date === null)!.class_id).toBe(F.class6A2);
    const ev = await db().selectFrom('student_event').selectAll().where('student_id', '=', st.id).where('kind', '=', 'class_transfer').execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ from_class_id: F.class6A1, to_class_id: F.class6A2 });
    const upd = await db().selectFrom('audit_log').selectAll().where('action', '=', 'student.import_update').where('entity_id', '=', st.id).execute();
    expect(upd).toHaveLength(1);
    expect(upd[0]!.before).toMatchObject({ current_class_id: F.class6A1 });
  });
});

describe('student import — pupils without a learner id', () => {
  it('get temporary codes; re-upload matches them by name + date of birth (no duplicates)', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeStudentWorkbook({ rows: 5, classNames: ['6A2'], firstLearnerId: null, seed: 77 });
    const first = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(first.status, JSON.stringify(first.errors)).toBe('done');
    expect(first.createdRows).toBe(5);
    const temps = await db().selectFrom('student').select(['temp_code', 'learner_id']).where('temp_code', 'like', 'TMP-01001001-%').execute();
    expect(temps).toHaveLength(5);
    expect(temps.every((t) => t.learner_id === null && /^TMP-01001001-\d{6}$/.test(t.temp_code ?? ''))).toBe(true);
    const again = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(again).toMatchObject({ status: 'done', createdRows: 0, updatedRows: 5 });
    // The Ministry ids arrive later: same pupils, now with ids → filled in, still no duplicates.
    const withIds = await makeStudentWorkbook({ rows: 5, classNames: ['6A2'], firstLearnerId: 177000001, seed: 77 });
    const third = await importFile(ctx, s, F.schoolA1, Y, withIds);
    expect(third).toMatchObject({ status: 'done', createdRows: 0, updatedRows: 5 });
    const filled = await db().selectFrom('student').select(['temp_code', 'learner_id']).where('temp_code', 'like', 'TMP-01001001-%').execute();
    expect(filled.map((f) => f.learner_id).sort()).toEqual(['0177000001', '0177000002', '0177000003', '0177000004', '0177000005']);
  });
});

describe('student import — sector-database layout', () => {
  it('finds the header under title rows; reads Excel serial, text and ISO dates; skips blank and totals rows', async () => {
    const s = await ctx.as('principalA1');
    const opts = { rows: 12, classNames: ['6A1'], layout: 'sector' as const, firstLearnerId: 102000001, seed: 2, blankRowEvery: 5, totalsRow: true, dateStyle: 'mixed' as const };
    const rows = studentSheetRows(opts);
    // title rows above the header, blank rows between, a totals row at the end
    expect(rows[4]![2]).toBe('Họ tên');
    expect(typeof rows[6]![3]).toBe('number'); // second student: serial date
    const job = await importFile(ctx, s, F.schoolA1, Y, await makeStudentWorkbook(opts));
    expect(job.status, `${job.message} ${JSON.stringify(job.errors)}`).toBe('done');
    expect(job.createdRows).toBe(12);
    expect(job.totalRows).toBe(12);
    expect(job.warningCount ?? 0).toBe(0);
    // Dates written three ways all land on the generated ISO date.
    const { generateStudents } = await import('../../../../bench/fixtures/make-student-xlsx.js');
    const gen = generateStudents(opts);
    const stored = await studentsByLearner(gen.map((g) => g.learnerId!));
    for (const g of gen) expect(stored.find((x) => x.learner_id === g.learnerId)!.date_of_birth).toBe(g.dateOfBirth);
    expect(excelSerial('2013-01-01')).toBe(41275);
  });

  it('accepts separate Họ / Đệm / Tên columns, a "Nữ" x-column, codes for sex and ethnicity, numeric ids that lost their zeros', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeSheetWorkbook([
      {
        name: 'DS',
        rows: [
          ['DANH SÁCH HỌC SINH LỚP 6A1'],
          ['STT', 'Mã học sinh', 'Họ', 'Đệm', 'Tên', 'Ngày tháng năm sinh', 'Nữ', 'Dân tộc', 'Lớp', 'SĐT mẹ', 'Họ tên mẹ'],
          [1, 103000001, 'nguyễn', 'thị', 'HOA', '7/3/2013', 'x', 'muong', '6a1', 912345678, 'Lê Thị Lan'],
          [2, '0103000002', 'Trần', '', 'Minh', excelSerial('2013-12-31'), null, '01', '6A1', null, null],
        ],
      },
    ]);
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status, `${job.message} ${JSON.stringify(job.errors)}`).toBe('done');
    expect(job.createdRows).toBe(2);
    expect(job.warnings?.[0]?.message).toMatch(/Đã thêm số 0/);
    const [hoa] = await studentsByLearner(['0103000001']);
    expect(hoa).toMatchObject({ family_name: 'Nguyễn', middle_name: 'Thị', given_name: 'Hoa', sex: 'female', ethnicity_code: '06', date_of_birth: '2013-03-07' });
    const g = await db().selectFrom('guardian').selectAll().where('student_id', '=', hoa!.id).execute();
    expect(g).toEqual([expect.objectContaining({ relation: 'mother', full_name: 'Lê Thị Lan', phone: '0912345678' })]);
    const [minh] = await studentsByLearner(['0103000002']);
    expect(minh).toMatchObject({ sex: 'male', middle_name: '', date_of_birth: '2013-12-31' });
  });
});

describe('student import — validation (all or nothing)', () => {
  it('wrong headers → rejected, listing the missing columns', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeSheetWorkbook([{ name: 'S', rows: [['STT', 'Họ và tên', 'Ngày sinh', 'Ghi chú'], [1, 'Nguyễn Văn A', '01/01/2013', '']] }]);
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status).toBe('rejected');
    expect(job.message).toMatch(/Thiếu cột: Giới tính, Dân tộc, Lớp/);
    const none = await importFile(ctx, s, F.schoolA1, Y, await makeSheetWorkbook([{ name: 'S', rows: [['a', 'b'], [1, 2]] }]));
    expect(none.status).toBe('rejected');
    expect(none.message).toMatch(/Không tìm thấy dòng tiêu đề.*Họ và tên.*Ngày sinh.*Giới tính.*Dân tộc.*Lớp/);
  });

  it('31/02/2015, unknown class, bad ids → row/column/Vietnamese message; nothing written', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeStudentWorkbook({
      rows: 6,
      classNames: ['6A1'],
      firstLearnerId: 104000001,
      seed: 4,
      cell: (i, h) => {
        if (i === 1 && h === 'Ngày sinh') return '31/02/2015';
        if (i === 2 && h === 'Lớp') return '6A9';
        if (i === 3 && h === 'Mã định danh') return '12345';
        if (i === 4 && h === 'Giới tính') return 'Khác';
        if (i === 5 && h === 'Dân tộc') return 'Không rõ';
        return undefined;
      },
    });
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status).toBe('rejected');
    expect(job.createdRows).toBe(0);
    expect(job.errorCount).toBe(5);
    expect(job.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'Ngày sinh', value: '31/02/2015', message: 'Ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng' }),
      expect.objectContaining({ row: 4, column: 'Lớp', message: 'Lớp 6A9 chưa có trong năm học 2025-2026; hãy tạo lớp trước hoặc nhập danh sách lớp' }),
      expect.objectContaining({ row: 5, column: 'Mã định danh', message: expect.stringMatching(/10 chữ số/) }),
      expect.objectContaining({ row: 6, column: 'Giới tính' }),
      expect.objectContaining({ row: 7, column: 'Dân tộc' }),
    ]);
    expect(job.message).toMatch(/chưa ghi học sinh nào/);
    expect(await studentsByLearner(['0104000001'])).toHaveLength(0);
  });

  it('duplicate ids inside the file mark both rows', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeStudentWorkbook({
      rows: 12,
      classNames: ['6A1'],
      firstLearnerId: 105000001,
      seed: 5,
      cell: (i, h) => (i === 10 && h === 'Mã định danh' ? '0105000001' : undefined),
    });
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Mã định danh', message: 'Trùng mã định danh với dòng 12' }),
      expect.objectContaining({ row: 12, column: 'Mã định danh', message: 'Trùng mã định danh với dòng 2' }),
    ]);
  });

  it("a learner id of another school's current student is refused without naming that school", async () => {
    const s = await ctx.as('principalA1');
    const file = await makeStudentWorkbook({
      rows: 3,
      classNames: ['6A1'],
      firstLearnerId: 106000001,
      seed: 6,
      cell: (i, h) => (i === 2 && h === 'Mã định danh' ? '0200000001' : undefined),
    });
    const job = await importFile(ctx, s, F.schoolA1, Y, file);
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      expect.objectContaining({ row: 4, value: '0200000001', message: 'Mã định danh đã thuộc một học sinh đang học ở trường khác; hãy làm thủ tục chuyển trường' }),
    ]);
    expect(JSON.stringify(job)).not.toMatch(/Quang Trung/);
  });

  it('formula cells: refused in identity columns, cached result used elsewhere', async () => {
    const s = await ctx.as('principalA1');
    const header = ['Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp', 'Địa chỉ thường trú'];
    const file = await makeSheetWorkbook([
      {
        name: 'S',
        rows: [
          header,
          [{ formula: 'TEXT(107000001,"0000000000")', result: '0107000001' }, 'Lê Văn Công', '01/02/2013', 'Nam', 'Kinh', '6A1', null],
          ['0107000002', 'Lê Văn Thức', '01/02/2013', 'Nam', { formula: 'Z1' }, '6A1', null],
          ['0107000003', 'Lê Thị Mơ', '01/02/2013', 'Nữ', 'Kinh', '6A1', { formula: '"12 "&"Lê Lợi"', result: '12 Lê Lợi' }],
        ],
      },
    ]);
    const job = await importFile(ctx, s, F.schoolA1, { ...Y, mode: 'valid_only' }, file);
    expect(job.status).toBe('done');
    expect(job.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Mã định danh', message: FORMULA_MESSAGE }),
      expect.objectContaining({ row: 3, column: 'Dân tộc', message: FORMULA_MESSAGE }),
    ]);
    expect(job.createdRows).toBe(1);
    const [mo] = await studentsByLearner(['0107000003']);
    expect(mo!.address).toBe('12 Lê Lợi');
  });
});

describe('student import — valid_only and the error sheet', () => {
  let jobId = '';
  it('valid_only writes the valid rows only', async () => {
    const s = await ctx.as('principalA1');
    const file = await makeStudentWorkbook({
      rows: 10,
      classNames: ['6A2'],
      firstLearnerId: 108000001,
      seed: 8,
      cell: (i, h) => (i === 3 && h === 'Ngày sinh' ? '30/02/2013' : i === 7 && h === 'Họ và tên' ? null : undefined),
    });
    const job = await importFile(ctx, s, F.schoolA1, { ...Y, mode: 'valid_only' }, file, 'Danh sách 6A2.xlsx');
    expect(job.status).toBe('done');
    expect(job).toMatchObject({ createdRows: 8, errorCount: 2 });
    expect(job.message).toMatch(/bỏ qua 2 dòng có lỗi/);
    const ids = Array.from({ length: 10 }, (_, i) => String(108000001 + i).padStart(10, '0'));
    const rows = await studentsByLearner(ids);
    expect(rows.map((r) => r.learner_id).sort()).toEqual(ids.filter((_, i) => i !== 3 && i !== 7));
    jobId = job.id;
  });

  it('errors.xlsx lists row, column, value and message, plus a copy of the bad rows', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`/api/v1/schools/${F.schoolA1}/imports/${jobId}/errors.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('Lỗi')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Dòng', 'Cột', 'Giá trị', 'Lỗi', 'Mức độ']);
    expect(sheet.getRow(2).values).toEqual([undefined, 5, 'Ngày sinh', '30/02/2013', 'Ngày 30/02/2013 không có thật — kiểm tra lại ngày và tháng', 'Lỗi']);
    expect(sheet.getRow(3).getCell(1).value).toBe(9);
    expect(sheet.getRow(3).getCell(2).value).toBe('Họ và tên');
    const copy = wb.getWorksheet('Dòng lỗi')!;
    const head = (copy.getRow(1).values as unknown[]).slice(1);
    expect(head[0]).toBe('Dòng gốc');
    expect(head).toContain('Mã định danh');
    expect(head[head.length - 1]).toBe('Lỗi');
    expect(copy.getRow(2).getCell(1).value).toBe(5);
    expect(xlsxCellText(copy.getRow(2).getCell(head.length).value)).toMatch(/Ngày sinh: ngày 30\/02\/2013 không có thật — kiểm tra lại ngày và tháng/);
    expect(copy.getRow(2).getCell(head.indexOf('Mã định danh') + 1).value).toBe('0108000004');
  });
});

describe('student import — template round trip', () => {
  it('the downloaded template imports as is (its example row)', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get('/api/v1/imports/templates/students');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Danh sách', 'Hướng dẫn']);
    const guide = wb.getWorksheet('Hướng dẫn')!;
    const guideText: string[] = [];
    guide.eachRow((r) => guideText.push(xlsxCellText(r.getCell(1).value)));
    expect(guideText).toContain('Mường');
    expect(guideText).toContain('Dân tộc');
    const job = await importFile(ctx, s, F.schoolA1, Y, res.rawPayload, 'mau.xlsx');
    expect(job.status, `${job.message} ${JSON.stringify(job.errors)}`).toBe('done');
    expect(job.createdRows).toBe(1);
    expect(await studentsByLearner(['0101234567'])).toHaveLength(1);
  });
});

describe('student import — số đăng bộ (the template\'s optional column; the Ministry list has none)', () => {
  const sheet = (rows: CellInput[][]) =>
    makeSheetWorkbook([{ name: 'DS', rows: [['STT', 'Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp', 'Số đăng bộ'], ...rows] }]);

  it('stores it on create, keeps it when the cell is blank, refuses a number of another learner of the school and a number twice in the file', async () => {
    const s = await ctx.as('principalA1');
    const first = await importFile(ctx, s, F.schoolA1, Y, await sheet([
      [1, '0109000001', 'Vũ Thị Đào', '01/02/2014', 'Nữ', 'Kinh', '6A1', '301/THCS'],
      [2, '0109000002', 'Vũ Văn Mận', '03/04/2014', 'Nam', 'Kinh', '6A1', 302],
    ]));
    expect(first.status, JSON.stringify(first.errors)).toBe('done');
    const numbers = async () =>
      Object.fromEntries((await studentsByLearner(['0109000001', '0109000002'])).map((r) => [r.learner_id, r.register_number]));
    expect(await numbers()).toEqual({ '0109000001': '301/THCS', '0109000002': '302' });

    // A blank cell leaves the stored number; a number already another learner's is an error on that row, nothing written.
    const clash = await importFile(ctx, s, F.schoolA1, Y, await sheet([
      [1, '0109000001', 'Vũ Thị Đào', '01/02/2014', 'Nữ', 'Kinh', '6A1', null],
      [2, '0109000002', 'Vũ Văn Mận', '03/04/2014', 'Nam', 'Kinh', '6A1', '301/THCS'],
    ]));
    expect(clash.status).toBe('rejected');
    expect(clash.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'Số đăng bộ', value: '301/THCS', message: 'Số đăng bộ đã là của một học sinh khác của trường; hãy kiểm tra lại' }),
    ]);
    expect(await numbers()).toEqual({ '0109000001': '301/THCS', '0109000002': '302' });

    const twice = await importFile(ctx, s, F.schoolA1, Y, await sheet([
      [1, '0109000003', 'Vũ Văn Lê', '05/06/2014', 'Nam', 'Kinh', '6A1', '400'],
      [2, '0109000004', 'Vũ Thị Mơ', '07/08/2014', 'Nữ', 'Kinh', '6A1', '400'],
    ]));
    expect(twice.status).toBe('rejected');
    expect(twice.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Số đăng bộ', message: 'Trùng số đăng bộ với dòng 3' }),
      expect.objectContaining({ row: 3, column: 'Số đăng bộ', message: 'Trùng số đăng bộ với dòng 2' }),
    ]);

    const blank = await importFile(ctx, s, F.schoolA1, Y, await sheet([[1, '0109000002', 'Vũ Văn Mận', '03/04/2014', 'Nam', 'Kinh', '6A1', '302A']]));
    expect(blank.status).toBe('done');
    expect(await numbers()).toEqual({ '0109000001': '301/THCS', '0109000002': '302A' });
  });

  it('the template has the column', async () => {
    const res = await (await ctx.as('principalA1')).get('/api/v1/imports/templates/students');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const headers = (wb.getWorksheet('Danh sách')!.getRow(1).values as ExcelJS.CellValue[]).map((v) => xlsxCellText(v));
    expect(headers).toContain('Số đăng bộ');
  });
});

