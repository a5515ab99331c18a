import { beforeAll, describe, expect, it } from 'vitest';
import { type CellInput, makeSheetWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { F } from '../../../test/fixture-ids.js';
import { type TestContext, setupTestApp } from '../../../test/harness.js';
import { importFile, upload } from './imports.test-helpers.js';

/**
 * No silent identity overwrite: a row whose key (learner id, temporary code, name + date of
 * birth) finds a student whose name, date of birth or sex differ is refused, unless the principal
 * uploads with "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp", which is audited as its own
 * action. The students named here are the shared fixtures of school A1 (Nguyễn Văn An 0100000001
 * born 02/03/2014, Đặng Thị Bình 0100000002 born 19/07/2014, Hoàng Quốc Cường 0100000003 born
 * 30/11/2014); the earlier records of other learners are written by this file.
 */
let ctx: TestContext;
const Y = { kind: 'students' as const, year: F.year };
const HEADER = ['Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp', 'Địa chỉ thường trú'];
const IDENTITY_HINT =
  'Nếu mã hoặc thông tin trong tệp bị nhầm, hãy sửa tệp; nếu tệp đúng (ví dụ đã sửa theo giấy khai sinh), hiệu trưởng tải tệp lên lại với tùy chọn "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp".';

const sheet = (rows: CellInput[][]) => makeSheetWorkbook([{ name: 'Danh sách', rows: [HEADER, ...rows], textColumns: [1, 3] }]);

beforeAll(async () => {
  ctx = await setupTestApp();
});
const db = () => ctx.handle.db;

const fixtureStudents = () =>
  db()
    .selectFrom('student')
    .select(['learner_id', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'address', 'name_sort_key', 'search_text'])
    .where('learner_id', 'in', ['0100000001', '0100000002', '0100000003'])
    .orderBy('learner_id')
    .execute();

const importAudits = () =>
  db().selectFrom('audit_log').select(['action', 'entity_id', 'before', 'after']).where('action', 'like', 'student.import%').orderBy('at').execute();

describe('identity conflicts are refused, never written over', () => {
  it('learner id, temporary code or name + date of birth matching a student of the school with another name, date of birth or sex: one error naming the student as the school knows them; nothing written', async () => {
    const before = await fixtureStudents();
    const s = await ctx.as('principalA1');
    const job = await importFile(
      ctx,
      s,
      F.schoolA1,
      Y,
      await sheet([
        ['0100000001', 'Nguyễn Văn Anh', '02/03/2014', 'Nam', 'Kinh', '6A1', '9 Hùng Vương'],
        ['0100000002', 'Đặng Thị Bình', '19/08/2014', 'Nữ', 'Kinh', '6A1', null],
        ['0100000003', 'Hoàng Quốc Cường', '30/11/2014', 'Nữ', 'Kinh', '6A2', null],
        [null, 'Hoang Quoc Cuong', '30/11/2014', 'Nam', 'Kinh', '6A2', null],
        ['0100000099', 'Lý Thị Mới', '01/01/2014', 'Nữ', 'Kinh', '6A1', null],
      ]),
    );
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      {
        row: 2,
        column: 'Họ và tên',
        value: 'Nguyễn Văn Anh',
        message: `Không khớp thông tin nhận dạng: mã định danh 0100000001 trong tệp là của học sinh Nguyễn Văn An (sinh ngày 02/03/2014, Nam) của trường, nhưng tệp ghi họ tên "Nguyễn Văn Anh" (trường đang ghi "Nguyễn Văn An"). Chưa ghi gì cho dòng này (không ghi đè). ${IDENTITY_HINT}`,
      },
      {
        row: 3,
        column: 'Ngày sinh',
        value: '19/08/2014',
        message: `Không khớp thông tin nhận dạng: mã định danh 0100000002 trong tệp là của học sinh Đặng Thị Bình (sinh ngày 19/07/2014, Nữ) của trường, nhưng tệp ghi ngày sinh 19/08/2014 (trường đang ghi 19/07/2014). Chưa ghi gì cho dòng này (không ghi đè). ${IDENTITY_HINT}`,
      },
      {
        row: 4,
        column: 'Giới tính',
        value: 'Nữ',
        message: `Không khớp thông tin nhận dạng: mã định danh 0100000003 trong tệp là của học sinh Hoàng Quốc Cường (sinh ngày 30/11/2014, Nam) của trường, nhưng tệp ghi giới tính Nữ (trường đang ghi Nam). Chưa ghi gì cho dòng này (không ghi đè). ${IDENTITY_HINT}`,
      },
      {
        row: 5,
        column: 'Họ và tên',
        value: 'Hoang Quoc Cuong',
        message: `Không khớp thông tin nhận dạng: họ tên (không kể dấu, hoa thường) và ngày sinh trong tệp khớp với học sinh Hoàng Quốc Cường (sinh ngày 30/11/2014, Nam) của trường, nhưng tệp ghi họ tên "Hoang Quoc Cuong" (trường đang ghi "Hoàng Quốc Cường"). Chưa ghi gì cho dòng này (không ghi đè). ${IDENTITY_HINT}`,
      },
    ]);
    expect(await fixtureStudents()).toEqual(before);
    expect(await db().selectFrom('student').select('id').where('learner_id', '=', '0100000099').execute()).toEqual([]);
    expect(await importAudits()).toEqual([]);
  });

  it('valid_only writes the other rows and leaves the conflicting students exactly as they were', async () => {
    const before = await fixtureStudents();
    const s = await ctx.as('staffA1');
    const job = await importFile(
      ctx,
      s,
      F.schoolA1,
      { ...Y, mode: 'valid_only' },
      await sheet([
        ['0100000001', 'Nguyễn Văn Anh', '02/03/2014', 'Nam', 'Kinh', '6A1', '9 Hùng Vương'],
        ['0100000099', 'Lý Thị Mới', '01/01/2014', 'Nữ', 'Kinh', '6A1', null],
      ]),
    );
    expect(job).toMatchObject({ status: 'done', createdRows: 1, updatedRows: 0, errorCount: 1 });
    expect(job.errors.map((e) => [e.row, e.column])).toEqual([[2, 'Họ và tên']]);
    // Not even the address of the conflicting row was taken: the row is refused as a whole.
    expect(await fixtureStudents()).toEqual(before);
    expect((await importAudits()).map((a) => a.action)).toEqual(['student.import_create']);
  });

  it('a temporary code pointing at a student with another sex is a conflict too', async () => {
    const s = await ctx.as('principalA1');
    const first = await importFile(ctx, s, F.schoolA1, Y, await sheet([[null, 'Tạ Minh Khuê', '05/05/2014', 'Nữ', 'Kinh', '6A2', null]]));
    expect(first).toMatchObject({ status: 'done', createdRows: 1 });
    const khue = await db().selectFrom('student').select(['temp_code', 'sex']).where('search_text', '=', 'ta minh khue').executeTakeFirstOrThrow();
    const job = await importFile(ctx, s, F.schoolA1, Y, await sheet([[khue.temp_code, 'Tạ Minh Khuê', '05/05/2014', 'Nam', 'Kinh', '6A2', null]]));
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Giới tính',
        value: 'Nam',
        message: expect.stringContaining(`mã tạm ${khue.temp_code} trong tệp là của học sinh Tạ Minh Khuê (sinh ngày 05/05/2014, Nữ) của trường, nhưng tệp ghi giới tính Nam (trường đang ghi Nữ)`),
      }),
    ]);
    expect((await db().selectFrom('student').select('sex').where('temp_code', '=', khue.temp_code).executeTakeFirstOrThrow()).sex).toBe('female');
  });
});

describe('the identity mode ("Cho phép sửa họ tên / ngày sinh / giới tính theo tệp")', () => {
  const changed = () =>
    sheet([
      ['0100000001', 'Nguyễn Văn Anh', '03/02/2014', 'Nam', 'Kinh', '6A1', null],
      ['0100000002', 'Đặng Thị Bình', '19/07/2014', 'Nữ', 'Kinh', '6A1', '7 Trần Phú'],
    ]);

  it('school staff (the clerk) may not use it: 403 with a Vietnamese reason, no job queued', async () => {
    const jobsBefore = await db().selectFrom('import_job').select('id').execute();
    const res = await upload(ctx, await ctx.as('staffA1'), F.schoolA1, Y, 'ds.xlsx', await changed(), { allowIdentityChanges: true });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'identity_changes_forbidden',
      detail:
        'Chỉ hiệu trưởng được chọn "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp". Hãy bỏ chọn tùy chọn này (các dòng khác họ tên, ngày sinh hoặc giới tính sẽ được liệt kê trong bảng lỗi) hoặc nhờ hiệu trưởng tải tệp lên.',
    });
    // A teacher cannot upload at all; another school's principal does not see the school.
    expect((await upload(ctx, await ctx.as('homeroomA1'), F.schoolA1, Y, 'ds.xlsx', await changed(), { allowIdentityChanges: true })).statusCode).toBe(404);
    expect((await upload(ctx, await ctx.as('principalB1'), F.schoolA1, Y, 'ds.xlsx', await changed(), { allowIdentityChanges: true })).statusCode).toBe(404);
    expect(await db().selectFrom('import_job').select('id').execute()).toHaveLength(jobsBefore.length);
  });

  it('is for student lists only', async () => {
    const res = await upload(ctx, await ctx.as('principalA1'), F.schoolA1, { kind: 'staff' }, 'cb.xlsx', await changed(), { allowIdentityChanges: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('identity_changes_students_only');
  });

  it('the principal: identity changes written, audited as student.import_identity_change with before/after; the job and the summary say so', async () => {
    const s = await ctx.as('principalA1');
    const job = await importFile(ctx, s, F.schoolA1, Y, await changed(), 'ds.xlsx', { allowIdentityChanges: true });
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect(job).toMatchObject({ allowIdentityChanges: true, createdRows: 0, updatedRows: 2, unchangedRows: 0, errorCount: 0 });
    expect(job.message).toBe('Đã thêm 0 học sinh, cập nhật 2; trong đó sửa họ tên / ngày sinh / giới tính của 1 học sinh theo tệp.');
    const [an, binh] = await fixtureStudents();
    expect(an).toMatchObject({ family_name: 'Nguyễn', middle_name: 'Văn', given_name: 'Anh', date_of_birth: '2014-02-03', search_text: 'nguyen van anh' });
    expect(binh).toMatchObject({ given_name: 'Bình', date_of_birth: '2014-07-19', address: '7 Trần Phú' });

    const audits = (await importAudits()).filter((a) => a.entity_id === F.studentAn || a.entity_id === F.studentBinh);
    expect(audits.map((a) => [a.entity_id, a.action])).toEqual([
      [F.studentAn, 'student.import_identity_change'],
      [F.studentBinh, 'student.import_update'],
    ]);
    expect(audits[0]!.before).toEqual({ given_name: 'An', date_of_birth: '2014-03-02' });
    expect(audits[0]!.after).toMatchObject({ given_name: 'Anh', date_of_birth: '2014-02-03', identityFields: ['name', 'date_of_birth'], importJobId: job.id, row: 2 });
    expect(audits[1]!.before).toEqual({ address: null });
    const summary = await db().selectFrom('audit_log').select('after').where('entity', '=', 'import_job').where('entity_id', '=', job.id).executeTakeFirstOrThrow();
    expect(summary.after).toMatchObject({ identityChanges: true, identityChanged: 1, updated: 2 });
    const row = await db().selectFrom('import_job').select('identity_changes').where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row.identity_changes).toBe(true);
  });

  it('re-uploading the same file without the mode changes nothing and counts the rows as unchanged', async () => {
    const before = await fixtureStudents();
    const auditsBefore = await importAudits();
    const job = await importFile(ctx, await ctx.as('staffA1'), F.schoolA1, Y, await changed());
    expect(job).toMatchObject({ status: 'done', allowIdentityChanges: false, createdRows: 0, updatedRows: 2, unchangedRows: 2, errorCount: 0 });
    expect(await fixtureStudents()).toEqual(before);
    expect(await importAudits()).toEqual(auditsBefore);
  });

  it('without the mode, non-identity fields still update (address, class) and are audited as an ordinary update', async () => {
    const job = await importFile(
      ctx,
      await ctx.as('staffA1'),
      F.schoolA1,
      Y,
      await sheet([['0100000002', 'Đặng Thị Bình', '19/07/2014', 'Nữ', 'Kinh', '6A2', '8 Trần Phú']]),
    );
    expect(job).toMatchObject({ status: 'done', updatedRows: 1, unchangedRows: 0 });
    const binh = await db().selectFrom('student').select(['address', 'current_class_id', 'given_name']).where('id', '=', F.studentBinh).executeTakeFirstOrThrow();
    expect(binh).toEqual({ address: '8 Trần Phú', current_class_id: F.class6A2, given_name: 'Bình' });
    const last = (await importAudits()).at(-1)!;
    expect(last).toMatchObject({ action: 'student.import_update', entity_id: F.studentBinh, before: { address: '7 Trần Phú', current_class_id: F.class6A1 } });
  });

  it('the same full name split differently is not a change of name: the stored split stays', async () => {
    const split = await makeSheetWorkbook([
      {
        name: 'DS',
        rows: [
          ['Mã định danh', 'Họ', 'Đệm', 'Tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp'],
          ['0100000003', 'Hoàng Quốc', '', 'Cường', '30/11/2014', 'Nam', 'Kinh', '6A2'],
        ],
        textColumns: [1, 5],
      },
    ]);
    const job = await importFile(ctx, await ctx.as('staffA1'), F.schoolA1, Y, split);
    expect(job).toMatchObject({ status: 'done', updatedRows: 1, unchangedRows: 1, errorCount: 0 });
    const cuong = await db().selectFrom('student').select(['family_name', 'middle_name', 'given_name']).where('id', '=', F.studentCuong).executeTakeFirstOrThrow();
    expect(cuong).toEqual({ family_name: 'Hoàng', middle_name: 'Quốc', given_name: 'Cường' });
  });
});

describe('a learner id that continues an earlier record', () => {
  const former = (schoolId: string, learnerId: string, name: [string, string, string], dob: string, sex: 'male' | 'female') => {
    const id = `00000000-0000-7000-8000-0000000c${learnerId.slice(-4)}`;
    return db()
      .insertInto('student')
      .values({
        school_id: schoolId,
        id,
        person_id: id,
        learner_id: learnerId,
        temp_code: null,
        citizen_id: null,
        family_name: name[0],
        middle_name: name[1],
        given_name: name[2],
        name_sort_key: name.join(' '),
        search_text: name.join(' ').toLowerCase(),
        date_of_birth: dob,
        sex,
        ethnicity_code: '01',
        religion_code: null,
        birthplace: null,
        address: null,
        status_code: '03',
        status_date: '2024-06-01',
        is_current: false,
        current_class_id: null,
      })
      .execute()
      .then(() => id);
  };

  it("another school's record with a different identity: refused without naming it or saying what differs, even in the identity mode", async () => {
    await former(F.schoolB1, '0299000001', ['Mai', 'Văn', 'Tùng'], '2013-04-09', 'male');
    const rows: CellInput[][] = [['0299000001', 'Mai Văn Tùng', '10/04/2013', 'Nam', 'Kinh', '6A1', null]];
    for (const allowIdentityChanges of [false, true]) {
      const job = await importFile(ctx, await ctx.as('principalA1'), F.schoolA1, Y, await sheet(rows), 'ds.xlsx', { allowIdentityChanges });
      expect(job.status).toBe('rejected');
      expect(job.errors).toEqual([
        {
          row: 2,
          column: 'Mã định danh',
          value: '0299000001',
          message:
            'Mã định danh này đã có trong hệ thống cho một học sinh có họ tên, ngày sinh hoặc giới tính khác với tệp; chưa ghi gì cho dòng này. Hãy kiểm tra lại mã định danh; nếu mã đúng, hãy đối chiếu với trường cũ của học sinh hoặc phòng/sở giáo dục.',
        },
      ]);
      // Nothing of the other record: not its date of birth, not its school.
      expect(JSON.stringify(job)).not.toMatch(/09\/04\/2013|2013-04-09|Quang Trung/);
    }
    expect(await db().selectFrom('student').select('id').where('learner_id', '=', '0299000001').where('is_current', '=', true).execute()).toEqual([]);
  });

  it('a matching identity continues the same person', async () => {
    const personId = await former(F.schoolB1, '0299000002', ['Mai', 'Thị', 'Lệ'], '2013-06-01', 'female');
    const job = await importFile(ctx, await ctx.as('principalA1'), F.schoolA1, Y, await sheet([['0299000002', 'Mai Thị Lệ', '01/06/2013', 'Nữ', 'Kinh', '6A1', null]]));
    expect(job).toMatchObject({ status: 'done', createdRows: 1 });
    const now = await db().selectFrom('student').select(['person_id', 'school_id']).where('learner_id', '=', '0299000002').where('is_current', '=', true).executeTakeFirstOrThrow();
    expect(now).toEqual({ person_id: personId, school_id: F.schoolA1 });
  });

  it("the school's own earlier record is named, as the school knows it", async () => {
    await former(F.schoolA1, '0199000001', ['Phan', 'Thanh', 'Hải'], '2013-08-15', 'male');
    const job = await importFile(ctx, await ctx.as('principalA1'), F.schoolA1, Y, await sheet([['0199000001', 'Phan Thanh Hà', '15/08/2013', 'Nữ', 'Kinh', '6A1', null]]));
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([
      {
        row: 2,
        column: 'Họ và tên',
        value: 'Phan Thanh Hà',
        message:
          'Không khớp thông tin nhận dạng: mã định danh 0199000001 là của học sinh Phan Thanh Hải (sinh ngày 15/08/2013, Nam) đã từng học ở trường, nhưng tệp ghi họ tên "Phan Thanh Hà" (trường đang ghi "Phan Thanh Hải"); giới tính Nữ (trường đang ghi Nam). Chưa ghi gì cho dòng này. Hãy kiểm tra lại mã định danh; nếu đúng là học sinh này trở lại trường, hãy ghi họ tên, ngày sinh, giới tính như hồ sơ cũ, nhập xong rồi sửa trên hồ sơ học sinh.',
      },
    ]);
  });
});
