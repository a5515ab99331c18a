import ExcelJS, { type CellValue } from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';

/**
 * Staff personal data: teachers get the staff directory (name, position, subjects, the contact the
 * school publishes), never colleagues' personal fields. The personal values below are written by
 * this file (the shared fixtures carry none), and every check looks for the VALUES in the raw
 * answer text, not for field names: a renamed field must not slip through.
 */
const ctx = await setupTestApp();
const base = `/api/v1/schools/${F.schoolA1}`;

// A colleague with every personal field filled in, as the principal records them.
const PERSONAL = {
  fullName: 'Ngô Thị Xuân',
  staffCode: 'GV777',
  dateOfBirth: '1983-11-27',
  sex: 'female',
  ethnicityCode: '03',
  citizenId: '001183004455',
  phone: '0936111222',
  email: 'xuan.ngo.rieng@gmail.com',
  position: 'teacher',
  qualificationCode: '03',
  contractTypeCode: '07',
  subjectCodes: ['ngu_van', 'lich_su_dia_li'],
  schoolContact: 'Tổ Ngữ văn, phòng 204, máy lẻ 31',
} as const;
// Values that must never reach a teacher, in every form they could take in JSON or Excel.
const SECRET_VALUES = [
  '1983-11-27',
  '27/11/1983',
  '0936111222',
  '936111222',
  'xuan.ngo.rieng@gmail.com',
  '001183004455',
  'Viên chức/Công chức HĐLV không xác định thời hạn',
  'Đại học',
  'GV777',
];
// The math teacher's phone and date of birth, set by the principal (the fixture has none).
const MATH_PHONE = '0987000222';
const MATH_DOB = '1979-02-14';

let xuanId = '';

beforeAll(async () => {
  const p = await ctx.as('principalA1');
  const res = await p.post(`${base}/staff`, PERSONAL);
  expect(res.statusCode, res.body).toBe(200);
  xuanId = (res.json() as { id: string }).id;
  const math = await p.patch(`${base}/staff/${F.teacherMath}`, { phone: MATH_PHONE, dateOfBirth: MATH_DOB, email: 'duc.pham@truong.edu.vn' });
  expect(math.statusCode, math.body).toBe(200);
});

async function xlsxText(payload: Buffer): Promise<{ rows: unknown[][]; text: string }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  for (const sheet of wb.worksheets) sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  // Dates would come back as Date objects from ExcelJS: render them the way a reader sees them.
  const text = rows
    .flat()
    .map((v) => (v instanceof Date ? `${v.toISOString().slice(0, 10)} ${String(v.getUTCDate()).padStart(2, '0')}/${String(v.getUTCMonth() + 1).padStart(2, '0')}/${v.getUTCFullYear()}` : xlsxCellText(v as CellValue)))
    .join('\n');
  return { rows, text };
}

type Entry = { id: string; fullName: string; position: string; subjects: { code: string; name: string }[]; schoolContact: string | null };

describe('GET /schools/:schoolId/staff-directory', () => {
  it.each(['homeroomA1', 'mathA1'] as const)('%s sees names, positions, subjects and the published contact — none of the personal values', async (who) => {
    const res = await (await ctx.as(who)).get(`${base}/staff-directory`);
    expect(res.statusCode).toBe(200);
    const list = res.json() as Entry[];
    const xuan = list.find((e) => e.id === xuanId);
    expect(xuan).toEqual({
      id: xuanId,
      fullName: 'Ngô Thị Xuân',
      position: 'teacher',
      subjects: [
        { code: 'ngu_van', name: 'Ngữ văn' },
        { code: 'lich_su_dia_li', name: 'Lịch sử và Địa lí' },
      ],
      schoolContact: 'Tổ Ngữ văn, phòng 204, máy lẻ 31',
    });
    // The whole school is listed, in Vietnamese order, with nothing published by default.
    expect(list.map((e) => e.fullName)).toEqual(['Phạm Minh Đức', 'Lê Thị Hoa', 'Trần Văn Hùng', 'Ngô Thị Xuân']);
    expect(list.find((e) => e.id === F.teacherMath)).toMatchObject({ subjects: [{ code: 'toan', name: 'Toán' }], schoolContact: null });
    for (const secret of [...SECRET_VALUES, MATH_PHONE, MATH_DOB, '14/02/1979', 'duc.pham@truong.edu.vn']) {
      expect(res.body, `${who} must not see ${secret}`).not.toContain(secret);
    }
    // Only the directory's own keys, whatever the service might add later.
    for (const e of list) expect(Object.keys(e).sort()).toEqual(['fullName', 'id', 'position', 'schoolContact', 'subjects']);
  });

  it('searches by name without accents, filters by position, and does not confirm staff codes', async () => {
    const t = await ctx.as('mathA1');
    const names = async (qs: string) => ((await t.get(`${base}/staff-directory${qs}`)).json() as Entry[]).map((e) => e.fullName);
    expect(await names('?q=xuan')).toEqual(['Ngô Thị Xuân']);
    expect(await names('?position=principal')).toEqual(['Trần Văn Hùng']);
    expect(await names('?q=gv777')).toEqual([]);
    expect(await names('?q=%25')).toEqual([]);
  });

  it('staff who left are not in the directory', async () => {
    const p = await ctx.as('principalA1');
    const res = await p.post(`${base}/staff`, { fullName: 'Kiều Văn Cũ', position: 'staff' });
    const id = (res.json() as { id: string }).id;
    expect((await p.patch(`${base}/staff/${id}`, { status: 'left' })).statusCode).toBe(200);
    const list = (await (await ctx.as('homeroomA1')).get(`${base}/staff-directory`)).json() as Entry[];
    expect(list.map((e) => e.id)).not.toContain(id);
  });

  it('everyone who reads the school may use it; parents, students and other schools get 404', async () => {
    for (const who of ['principalA1', 'staffA1', 'homeroomA1', 'mathA1', 'communeA', 'soA', 'admin'] as const) {
      const res = await (await ctx.as(who)).get(`${base}/staff-directory`);
      expect(res.statusCode, who).toBe(200);
      expect(res.body, who).toContain('Ngô Thị Xuân');
    }
    for (const who of ['parentA', 'studentAn', 'principalB1', 'soB'] as const) {
      const res = await (await ctx.as(who)).get(`${base}/staff-directory`);
      expect(res.statusCode, who).toBe(404);
      expect(res.body, who).not.toContain('Ngô Thị Xuân');
    }
    expect((await ctx.anonymous.get(`${base}/staff-directory`)).statusCode).toBe(401);
  });
});

describe('GET /schools/:schoolId/staff-directory/export.xlsx', () => {
  it('a teacher exports names, positions, subjects and the published contact, and no personal value', async () => {
    const res = await (await ctx.as('homeroomA1')).get(`${base}/staff-directory/export.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const { rows, text } = await xlsxText(res.rawPayload);
    expect(rows[0]).toEqual(['STT', 'Họ và tên', 'Chức vụ', 'Môn dạy', 'Liên hệ trong trường']);
    expect(rows).toContainEqual([4, 'Ngô Thị Xuân', 'Giáo viên', 'Ngữ văn, Lịch sử và Địa lí', 'Tổ Ngữ văn, phòng 204, máy lẻ 31']);
    expect(rows).toContainEqual([1, 'Phạm Minh Đức', 'Giáo viên', 'Toán']);
    for (const secret of [...SECRET_VALUES, MATH_PHONE, MATH_DOB, '14/02/1979', 'duc.pham@truong.edu.vn']) {
      expect(text, `export must not contain ${secret}`).not.toContain(secret);
    }
  });

  it('parents and other schools get 404', async () => {
    expect((await (await ctx.as('parentA')).get(`${base}/staff-directory/export.xlsx`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(`${base}/staff-directory/export.xlsx`)).statusCode).toBe(404);
  });
});

describe('personal staff records stay with managers and offices', () => {
  it.each(['homeroomA1', 'mathA1'] as const)('%s gets 404 on the personal list and its export, with none of the values', async (who) => {
    const t = await ctx.as(who);
    for (const url of [`${base}/staff`, `${base}/staff?q=xuan`, `${base}/staff/export.xlsx`]) {
      const res = await t.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/problem\+json/);
      for (const secret of [...SECRET_VALUES, 'Ngô Thị Xuân', MATH_PHONE]) expect(res.body, `${url} leaks ${secret}`).not.toContain(secret);
    }
  });

  it.each(['principalA1', 'staffA1', 'communeA', 'soA'] as const)('%s still gets every personal field, in the list and in the export', async (who) => {
    const s = await ctx.as(who);
    const res = await s.get(`${base}/staff?q=xuan`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({
        id: xuanId,
        staffCode: 'GV777',
        dateOfBirth: '1983-11-27',
        phone: '0936111222',
        email: 'xuan.ngo.rieng@gmail.com',
        contractTypeName: 'Viên chức/Công chức HĐLV không xác định thời hạn',
        qualificationName: 'Đại học',
        schoolContact: 'Tổ Ngữ văn, phòng 204, máy lẻ 31',
      }),
    ]);
    const file = await s.get(`${base}/staff/export.xlsx?q=xuan`);
    expect(file.statusCode).toBe(200);
    const { rows } = await xlsxText(file.rawPayload);
    const head = rows[0] as string[];
    const row = rows[1] as unknown[];
    const cell = (h: string) => row[head.indexOf(h)];
    expect(cell('Họ và tên')).toBe('Ngô Thị Xuân');
    expect(cell('Ngày sinh')).toBe('27/11/1983');
    expect(cell('Điện thoại')).toBe('0936111222');
    expect(cell('Email')).toBe('xuan.ngo.rieng@gmail.com');
    expect(cell('Hình thức hợp đồng')).toBe('Viên chức/Công chức HĐLV không xác định thời hạn');
    expect(cell('Liên hệ trong trường')).toBe('Tổ Ngữ văn, phòng 204, máy lẻ 31');
  });
});

describe('the school contact is set by the school, per person', () => {
  it('managers set and clear it (audited); teachers cannot', async () => {
    const p = await ctx.as('principalA1');
    const set = await p.patch(`${base}/staff/${F.teacherMath}`, { schoolContact: '  Phòng Toán – Tin, tầng 3  ' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ schoolContact: 'Phòng Toán – Tin, tầng 3' });
    const dir = (await (await ctx.as('homeroomA1')).get(`${base}/staff-directory`)).json() as Entry[];
    expect(dir.find((e) => e.id === F.teacherMath)?.schoolContact).toBe('Phòng Toán – Tin, tầng 3');
    const audit = await ctx.handle.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'staff.update')
      .where('entity_id', '=', F.teacherMath)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ school_contact: null });
    expect(audit.after).toMatchObject({ school_contact: 'Phòng Toán – Tin, tầng 3' });

    expect((await p.patch(`${base}/staff/${F.teacherMath}`, { schoolContact: '' })).json()).toMatchObject({ schoolContact: null });
    const t = await ctx.as('mathA1');
    expect((await t.patch(`${base}/staff/${F.teacherMath}`, { schoolContact: 'Gọi 0987000222' })).statusCode).toBe(404);
    const row = await ctx.handle.db.selectFrom('staff').select('school_contact').where('id', '=', F.teacherMath).executeTakeFirstOrThrow();
    expect(row.school_contact).toBeNull();
  });

  it('refuses a contact longer than 200 characters with a Vietnamese message', async () => {
    const res = await (await ctx.as('principalA1')).patch(`${base}/staff/${F.teacherMath}`, { schoolContact: 'x'.repeat(201) });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe('Liên hệ trong trường: liên hệ trong trường tối đa 200 ký tự.');
  });
});
