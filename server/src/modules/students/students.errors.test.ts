import { describe, expect, it } from 'vitest';
import { formatVnDate, isoToday } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

// Issue 8: what a school clerk reads when a student form is wrong. Each case gets one message,
// naming the field by its Vietnamese label and saying what to fix.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const A1 = `/api/v1/schools/${F.schoolA1}`;
const class6 = '00000000-0000-7000-8000-00000000e601';
await db
  .insertInto('class')
  .values({ school_id: F.schoolA1, id: class6, year: 2025, name: '6E1', grade: 6, age_group: null, site_id: null, homeroom_teacher_id: null })
  .execute();

const student = (over: Record<string, unknown> = {}) => ({
  fullName: 'Lò Thị Mai',
  dateOfBirth: '2014-05-06',
  sex: 'female',
  classId: class6,
  admissionDate: '2025-09-05',
  ...over,
});

async function refusal(body: Record<string, unknown>) {
  const s = await ctx.as('principalA1');
  const res = await s.post(`${A1}/students`, body);
  expect(res.statusCode, res.body).toBe(400);
  return res.json() as { detail: string; errors?: unknown[] };
}

describe('student form errors through the API', () => {
  it('markup and a digit in the name: the markup is reported, not the digit', async () => {
    const res = await refusal(student({ fullName: '<script>alert(1)</script> Nguyễn Văn 2' }));
    expect(res.detail).toBe('Họ và tên: họ tên có ký tự không được dùng (< > ( ) /) — chỉ dùng chữ cái, dấu cách, dấu nháy, dấu gạch nối.');
    expect(res.errors).toHaveLength(1);
  });

  it('"A" is too short, not missing; an empty name is missing', async () => {
    expect((await refusal(student({ fullName: 'A' }))).detail).toBe('Họ và tên: họ tên quá ngắn — cần ít nhất 2 chữ cái.');
    expect((await refusal(student({ fullName: '  ' }))).detail).toBe('Họ và tên: chưa nhập họ tên — hãy nhập đủ họ, đệm và tên.');
  });

  it('31/02/2015 (ISO or as typed) gets one message: the date does not exist', async () => {
    for (const dateOfBirth of ['2015-02-31', '31/02/2015']) {
      const res = await refusal(student({ dateOfBirth }));
      expect(res.detail).toBe('Ngày sinh: ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng.');
      expect(res.errors).toHaveLength(1);
    }
  });

  it('a date of birth in the future is refused', async () => {
    const res = await refusal(student({ dateOfBirth: '2030-01-15' }));
    expect(res.detail).toBe(`Ngày sinh: ngày 15/01/2030 chưa tới (hôm nay là ${formatVnDate(isoToday())}) — kiểm tra lại năm sinh.`);
  });

  it('a grade-6 pupil aged 3 is refused with the allowed range; a guardian\'s English-free messages carry the guardian\'s number', async () => {
    const res = await refusal(student({ dateOfBirth: '2022-03-01' }));
    expect(res.detail).toBe(
      'Ngày sinh: sinh ngày 01/03/2022 thì năm học 2025-2026 mới 3 tuổi — khối 6 nhận học sinh 10–17 tuổi tính theo năm (thường 11 tuổi, sinh năm 2014); kiểm tra lại năm sinh hoặc lớp.',
    );
    const g = await refusal(student({ guardians: [{ relation: 'mother', fullName: 'Lò Thị Xuân', birthYear: 2030 }] }));
    expect(g.detail).toBe('Năm sinh người giám hộ thứ 1: năm sinh không sau 2020.');
    const t = await refusal(student({ sex: 'x', address: 'x'.repeat(301) }));
    expect(t.detail).toBe('Giới tính: giá trị không có trong danh sách — hãy chọn một mục có sẵn.');
  });

  it('editing the date of birth checks it against the current class too', async () => {
    const s = await ctx.as('principalA1');
    const created = await s.post(`${A1}/students`, student());
    expect(created.statusCode, created.body).toBe(200);
    const res = await s.patch(`${A1}/students/${created.json().id}`, { dateOfBirth: '2022-03-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/^Ngày sinh: sinh ngày 01\/03\/2022 thì năm học 2025-2026 mới 3 tuổi/);
    expect((await s.patch(`${A1}/students/${created.json().id}`, { dateOfBirth: '2013-12-31' })).statusCode).toBe(200);
  });
});
