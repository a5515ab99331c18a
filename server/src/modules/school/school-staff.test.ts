import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { compareVietnameseNames } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();
const base = `/api/v1/schools/${F.schoolA1}`;
const db = ctx.handle.db;

type Staff = {
  id: string;
  fullName: string;
  familyName: string;
  middleName: string;
  givenName: string;
  position: string;
  status: string;
  phone: string | null;
  subjectCodes: string[];
  qualificationName: string | null;
  contractTypeName: string | null;
};

const names = async (url: string) => ((await (await ctx.as('principalA1')).get(url)).json() as Staff[]).map((s) => s.fullName);

describe('POST /schools/:schoolId/staff', () => {
  it('creates a staff member with names normalised and code-list names resolved, and audits it', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/staff`, {
      fullName: '  nguyễn   văn an ',
      staffCode: 'GV010',
      dateOfBirth: '1990-04-12',
      sex: 'male',
      ethnicityCode: '01',
      phone: '0912345678',
      email: 'An.Nguyen@Truong.EDU.vn',
      qualificationCode: '03',
      contractTypeCode: '07',
      subjectCodes: ['toan', 'toan', 'tin_hoc'],
    });
    expect(res.statusCode).toBe(200);
    const created = res.json() as Staff;
    expect(created).toMatchObject({
      fullName: 'Nguyễn Văn An',
      familyName: 'Nguyễn',
      middleName: 'Văn',
      givenName: 'An',
      position: 'teacher',
      status: 'active',
      email: 'an.nguyen@truong.edu.vn',
      qualificationName: 'Đại học',
      contractTypeName: 'Viên chức/Công chức HĐLV không xác định thời hạn',
      subjectCodes: ['toan', 'tin_hoc'],
    });
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.create').where('entity_id', '=', created.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ org_unit_id: F.schoolA1, before: null });
    expect(audit.after).toMatchObject({ family_name: 'Nguyễn', given_name: 'An', staff_code: 'GV010' });
  });

  it.each([
    [{ qualificationCode: '99' }, 'unknown_qualification', 'Mã trình độ chuyên môn "99" không có trong danh mục DM_TRINH_DO_CHUYEN_MON. Hãy chọn giá trị trong danh mục.'],
    [{ contractTypeCode: '01' }, 'unknown_contract_type', 'Mã hình thức hợp đồng "01" không có trong danh mục DM_HINH_THUC_HOP_DONG. Hãy chọn giá trị trong danh mục.'],
    [{ ethnicityCode: '99' }, 'unknown_ethnicity', 'Mã dân tộc "99" không có trong danh mục DM_DAN_TOC. Hãy chọn giá trị trong danh mục.'],
    [{ subjectCodes: ['toan', 'phap_thuat'] }, 'unknown_subject', 'Môn học "phap_thuat" không có trong danh mục môn học. Hãy chọn môn trong danh mục.'],
    [{ fullName: 'Hoa' }, 'full_name_incomplete', 'Hãy nhập đầy đủ họ và tên (ví dụ: Nguyễn Văn An).'],
    [{ dateOfBirth: '2015-01-01' }, 'invalid_date_of_birth', 'Ngày sinh 01/01/2015 không hợp lệ: cán bộ, giáo viên phải từ đủ 18 tuổi trở lên.'],
  ])('refuses %o with a Vietnamese message', async (change, code, detail) => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/staff`, { fullName: 'Trịnh Thị Thu', ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, detail });
  });

  it('refuses a staff code or citizen id already used in the school', async () => {
    const s = await ctx.as('principalA1');
    const code = await s.post(`${base}/staff`, { fullName: 'Trịnh Thị Thu', staffCode: 'GV010' });
    expect(code.statusCode).toBe(409);
    expect(code.json()).toMatchObject({ code: 'staff_code_taken', detail: 'Mã cán bộ GV010 đã được dùng cho Nguyễn Văn An. Hãy nhập mã khác.' });
    expect((await s.post(`${base}/staff`, { fullName: 'Vũ Văn Bảy', citizenId: '001090000001' })).statusCode).toBe(200);
    const cid = await s.post(`${base}/staff`, { fullName: 'Vũ Văn Tám', citizenId: '001090000001' });
    expect(cid.statusCode).toBe(409);
    expect(cid.json().code).toBe('citizen_id_taken');
  });

  it('validates field formats with field-level messages', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/staff`, { fullName: 'Trịnh Thị Thu', phone: '12345' });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe('Điện thoại: số điện thoại phải có dạng 09xxxxxxxx.');
  });

  it('a teacher cannot add staff (404) and nothing is written', async () => {
    const count = async () => (await db.selectFrom('staff').select('id').where('school_id', '=', F.schoolA1).execute()).length;
    const before = await count();
    expect((await (await ctx.as('homeroomA1')).post(`${base}/staff`, { fullName: 'Đinh Văn Lạ' })).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).post(`${base}/staff`, { fullName: 'Đinh Văn Lạ' })).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });
});

describe('GET /schools/:schoolId/staff', () => {
  it('sorts Vietnamese style: given name first, then middle, then family name', async () => {
    const s = await ctx.as('principalA1');
    for (const fullName of ['Bùi Anh', 'Đỗ Thị Ánh', 'Lê Văn Đức', 'Âu Dương Bình', 'Ngô Hoàng Anh']) {
      expect((await s.post(`${base}/staff`, { fullName })).statusCode).toBe(200);
    }
    const list = await names(`${base}/staff`);
    expect(list).toEqual([
      'Nguyễn Văn An',
      'Bùi Anh',
      'Ngô Hoàng Anh',
      'Đỗ Thị Ánh',
      'Vũ Văn Bảy',
      'Âu Dương Bình',
      'Phạm Minh Đức',
      'Lê Văn Đức',
      'Lê Thị Hoa',
      'Trần Văn Hùng',
    ]);
    expect([...list].sort(compareVietnameseNames)).toEqual(list);
  });

  it('searches without accents, by any part of the name, or by staff code', async () => {
    expect(await names(`${base}/staff?q=duc`)).toEqual(['Phạm Minh Đức', 'Lê Văn Đức']);
    expect(await names(`${base}/staff?q=${encodeURIComponent('ĐỨC')}`)).toEqual(['Phạm Minh Đức', 'Lê Văn Đức']);
    expect(await names(`${base}/staff?q=nguyen%20van`)).toEqual(['Nguyễn Văn An']);
    expect(await names(`${base}/staff?q=gv010`)).toEqual(['Nguyễn Văn An']);
    expect(await names(`${base}/staff?q=%25`)).toEqual([]);
  });

  it('matches the start of name words only and ranks whole words first (issue 8)', async () => {
    // Substring search used to return every "Trần"/"Văn" for "an", and "Đức" for "uc".
    expect(await names(`${base}/staff?q=an`)).toEqual(['Nguyễn Văn An', 'Bùi Anh', 'Ngô Hoàng Anh', 'Đỗ Thị Ánh']);
    expect(await names(`${base}/staff?q=uc`)).toEqual([]);
    // "Hoa" is a whole word of Lê Thị Hoa, only the start of Hoàng: class-list order alone would put Anh first.
    expect(await names(`${base}/staff?q=hoa`)).toEqual(['Lê Thị Hoa', 'Ngô Hoàng Anh']);
    // An exact staff code comes before names; a code is found by its start.
    expect(await names(`${base}/staff?q=GV010`)).toEqual(['Nguyễn Văn An']);
    expect(await names(`${base}/staff?q=gv01`)).toEqual(['Nguyễn Văn An']);
  });

  it('filters by position', async () => {
    expect(await names(`${base}/staff?position=principal`)).toEqual(['Trần Văn Hùng']);
  });

  it('managers and offices above may read; teachers (directory only), other schools, offices and parents get 404', async () => {
    for (const who of ['staffA1', 'soA', 'communeA'] as const) {
      expect((await (await ctx.as(who)).get(`${base}/staff`)).statusCode, who).toBe(200);
    }
    for (const who of ['homeroomA1', 'mathA1', 'parentA', 'studentAn', 'principalB1', 'soB'] as const) {
      expect((await (await ctx.as(who)).get(`${base}/staff`)).statusCode, who).toBe(404);
    }
  });
});

describe('PATCH /schools/:schoolId/staff/:staffId', () => {
  it('changes only the fields sent and audits before/after', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.patch(`${base}/staff/${F.teacherMath}`, { phone: '0987000111' });
    expect(res.statusCode).toBe(200);
    // position and subjects are untouched by a partial update.
    expect(res.json()).toMatchObject({ phone: '0987000111', position: 'teacher', subjectCodes: ['toan'] });
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.update').where('entity_id', '=', F.teacherMath).executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ phone: null, given_name: 'Đức' });
    expect(audit.after).toMatchObject({ phone: '0987000111', given_name: 'Đức' });
  });

  it('renaming recomputes the sort and search columns', async () => {
    const s = await ctx.as('principalA1');
    const staff = ((await s.get(`${base}/staff?q=bui%20anh`)).json() as Staff[])[0]!;
    const res = await s.patch(`${base}/staff/${staff.id}`, { fullName: 'Bùi Thị Yến' });
    expect(res.json()).toMatchObject({ familyName: 'Bùi', middleName: 'Thị', givenName: 'Yến' });
    expect(await names(`${base}/staff?q=thi%20yen`)).toEqual(['Bùi Thị Yến']);
    expect((await names(`${base}/staff`)).at(-1)).toBe('Bùi Thị Yến');
  });

  it('a homeroom teacher cannot be marked as left while leading a class', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.patch(`${base}/staff/${F.teacherHomeroom}`, { status: 'left' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'staff_is_homeroom',
      detail: 'Lê Thị Hoa đang là giáo viên chủ nhiệm lớp 6A1 năm học 2025-2026. Hãy đổi giáo viên chủ nhiệm của lớp trước khi cho nghỉ.',
    });
  });

  it('staff who left drop out of the list unless includeLeft=true, and cannot become homeroom teachers', async () => {
    const s = await ctx.as('principalA1');
    const staff = ((await s.get(`${base}/staff?q=le%20van%20duc`)).json() as Staff[])[0]!;
    expect((await s.patch(`${base}/staff/${staff.id}`, { status: 'left' })).json().status).toBe('left');
    expect(await names(`${base}/staff?q=duc`)).toEqual(['Phạm Minh Đức']);
    expect(await names(`${base}/staff?q=duc&includeLeft=false`)).toEqual(['Phạm Minh Đức']);
    expect(await names(`${base}/staff?q=duc&includeLeft=true`)).toEqual(['Phạm Minh Đức', 'Lê Văn Đức']);
    const cls = await s.post(`${base}/classes`, { year: 2025, name: '9A1', grade: 9, homeroomTeacherId: staff.id });
    expect(cls.statusCode).toBe(400);
    expect(cls.json().code).toBe('homeroom_not_staff');
  });

  it('answers 404 for staff of another school and refuses teachers', async () => {
    const s = await ctx.as('principalA1');
    expect((await s.patch(`${base}/staff/${F.principalB1}`, { phone: '0912000000' })).statusCode).toBe(404);
    const t = await ctx.as('mathA1');
    expect((await t.patch(`${base}/staff/${F.teacherMath}`, { phone: '0912000000' })).statusCode).toBe(404);
    const row = await db.selectFrom('staff').select('phone').where('id', '=', F.teacherMath).executeTakeFirstOrThrow();
    expect(row.phone).toBe('0987000111');
  });
});

describe('GET /schools/:schoolId/staff/export.xlsx', () => {
  it('exports the sorted staff list with code-list and subject names', async () => {
    const s = await ctx.as('staffA1');
    const res = await s.get(`${base}/staff/export.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(3).value).toBe('Họ và tên');
    expect(sheet.getRow(2).getCell(3).value).toBe('Nguyễn Văn An');
    expect(sheet.getRow(2).getCell(7).value).toBe('Đại học');
    expect(sheet.getRow(2).getCell(9).value).toBe('Toán, Tin học');
  });
});
