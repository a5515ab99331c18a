import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { nameSortKey, searchFold } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../../test/harness.js';
import { periodOf, pickCurrentYear } from './students.common.js';

// Read side: list, search, paging, profile, access rules, export, dashboard.
// Writes are in students.writes.test.ts (each test file gets its own database).
const ctx = await setupTestApp();

const A1 = `/api/v1/schools/${F.schoolA1}`;
const B1 = `/api/v1/schools/${F.schoolB1}`;

type ListBody = { total: number; page: number; pageSize: number; items: { id: string; fullName: string; className: string | null }[] };

async function list(s: Session, query = '', base = A1): Promise<ListBody> {
  const res = await s.get(`${base}/students${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ListBody;
}
const names = (b: ListBody) => b.items.map((i) => i.fullName);

async function readXlsx(payload: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  ws.eachRow((row) => {
    rows.push((row.values as (string | number | null)[]).slice(1));
  });
  return { ws, rows };
}

describe('school year helpers', () => {
  const years = [{ school_id: F.schoolA1, year: 2025, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: '2026-05-31' }];
  it('picks the year containing today, else the latest one', () => {
    expect(pickCurrentYear(years, '2025-12-01')).toBe(2025);
    expect(pickCurrentYear(years, '2026-11-23')).toBe(2025);
    expect(pickCurrentYear([], '2026-11-23')).toBe(2026);
  });
  it('tells term 1, term 2 and summer from the school calendar', () => {
    expect(periodOf(years, '2025-10-01')).toBe('term1');
    expect(periodOf(years, '2026-01-15')).toBe('term1');
    expect(periodOf(years, '2026-01-17')).toBe('term2'); // break between the terms
    expect(periodOf(years, '2026-03-01')).toBe('term2');
    expect(periodOf(years, '2026-07-01')).toBe('summer');
    expect(periodOf(years, '2025-08-20')).toBe('summer');
  });
});

describe('GET /schools/:schoolId/students', () => {
  it('lists current students by class, then Vietnamese given-name order (An < Bình < Cường)', async () => {
    const body = await list(await ctx.as('principalA1'));
    expect(body.total).toBe(3);
    expect(names(body)).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình', 'Hoàng Quốc Cường']);
    expect(body.items.map((i) => i.className)).toEqual(['6A1', '6A1', '6A2']);
    expect(body.items[0]).toMatchObject({
      learnerId: '0100000001',
      familyName: 'Nguyễn',
      middleName: 'Văn',
      givenName: 'An',
      dateOfBirth: '2014-03-02',
      sex: 'male',
      ethnicityName: 'Kinh',
      statusCode: '01',
      statusName: 'Đang học',
      grade: 6,
    });
  });

  it('within one class the order is by given name, whatever the family name', async () => {
    const body = await list(await ctx.as('principalA1'), `?classId=${F.class6A1}`);
    // Đặng < Nguyễn by family name, but An < Bình by given name decides.
    expect(names(body)).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình']);
    expect(nameSortKey({ familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An' }) < nameSortKey({ familyName: 'Đặng', middleName: 'Thị', givenName: 'Bình' })).toBe(true);
  });

  it('searches without accents: "nguyen van an", "dang", "đang", "BINH"', async () => {
    const s = await ctx.as('principalA1');
    expect(names(await list(s, `?q=${encodeURIComponent('nguyen van an')}`))).toEqual(['Nguyễn Văn An']);
    expect(names(await list(s, `?q=${encodeURIComponent('dang')}`))).toEqual(['Đặng Thị Bình']);
    expect(names(await list(s, `?q=${encodeURIComponent('đang')}`))).toEqual(['Đặng Thị Bình']);
    expect(names(await list(s, `?q=${encodeURIComponent('Đặng')}`))).toEqual(['Đặng Thị Bình']);
    expect(names(await list(s, '?q=BINH'))).toEqual(['Đặng Thị Bình']);
    expect(names(await list(s, `?q=${encodeURIComponent('quoc cuong')}`))).toEqual(['Hoàng Quốc Cường']);
    expect(searchFold('Đặng Thị Bình')).toBe('dang thi binh');
  });

  it('finds a student by exact learner id', async () => {
    const s = await ctx.as('principalA1');
    expect(names(await list(s, '?q=0100000003'))).toEqual(['Hoàng Quốc Cường']);
    // Part of an id is not a match (ids are not names).
    expect((await list(s, '?q=010000000')).total).toBe(0);
  });

  it('treats LIKE wildcards in the query as plain text', async () => {
    const s = await ctx.as('principalA1');
    expect((await list(s, `?q=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await list(s, `?q=${encodeURIComponent('_')}`)).total).toBe(0);
    expect((await list(s, `?q=${encodeURIComponent("an' or 1=1 --")}`)).total).toBe(0);
  });

  it('pages with a total count', async () => {
    const s = await ctx.as('principalA1');
    const p1 = await list(s, '?pageSize=2&page=1');
    expect(p1).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(names(p1)).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình']);
    const p2 = await list(s, '?pageSize=2&page=2');
    expect(p2.total).toBe(3);
    expect(names(p2)).toEqual(['Hoàng Quốc Cường']);
    const p3 = await list(s, '?pageSize=2&page=3');
    expect(p3).toMatchObject({ total: 3, items: [] });
  });

  it('filters by class, grade, sex, ethnicity, status and year', async () => {
    const s = await ctx.as('principalA1');
    expect(names(await list(s, `?classId=${F.class6A2}`))).toEqual(['Hoàng Quốc Cường']);
    expect((await list(s, '?grade=6')).total).toBe(3);
    expect((await list(s, '?grade=7')).total).toBe(0);
    expect(names(await list(s, '?sex=female'))).toEqual(['Đặng Thị Bình']);
    expect((await list(s, '?ethnicityCode=01')).total).toBe(3);
    expect((await list(s, '?ethnicityCode=03')).total).toBe(0);
    expect((await list(s, '?statusCode=01')).total).toBe(3);
    expect((await list(s, '?year=2025')).total).toBe(3);
    expect((await list(s, '?year=2024')).total).toBe(0);
    expect((await list(s, '?includeLeft=false')).total).toBe(3);
    expect((await list(s, '?includeLeft=true')).total).toBe(3);
  });

  it('rejects malformed filters with a Vietnamese message', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`${A1}/students?classId=abc`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect((await s.get(`${A1}/students?pageSize=100000`)).statusCode).toBe(400);
  });

  it('a homeroom teacher sees only 6A1; a subject teacher only 6A2 where they teach', async () => {
    expect(names(await list(await ctx.as('homeroomA1')))).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình']);
    const math = await ctx.as('mathA1');
    expect(names(await list(math))).toEqual(['Hoàng Quốc Cường']);
    // Asking for another class does not widen the view.
    expect((await list(math, `?classId=${F.class6A1}`)).total).toBe(0);
    expect((await list(math, '?q=an')).items.map((i) => i.fullName)).not.toContain('Nguyễn Văn An');
  });

  it('offices above the school see it; other schools and provinces get 404', async () => {
    expect((await list(await ctx.as('soA'))).total).toBe(3);
    expect((await list(await ctx.as('communeA'))).total).toBe(3);
    expect((await list(await ctx.as('admin'))).total).toBe(3);
    expect((await list(await ctx.as('staffA1'))).total).toBe(3);
    for (const who of ['soB', 'principalB1', 'parentA', 'studentAn'] as const) {
      const res = await (await ctx.as(who)).get(`${A1}/students`);
      expect(res.statusCode, who).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect((await ctx.anonymous.get(`${A1}/students`)).statusCode).toBe(401);
  });

  it('B1 lists only its own student', async () => {
    const body = await list(await ctx.as('principalB1'), '', B1);
    expect(names(body)).toEqual(['Lò Thị Dung']);
    expect(body.items[0]).toMatchObject({ ethnicityCode: '03', ethnicityName: 'Thái', className: '10A1', grade: 10 });
  });
});

describe('GET /schools/:schoolId/students/:studentId', () => {
  const profile = (s: Session, id: string, base = A1) => s.get(`${base}/students/${id}`);

  it('returns the full profile with guardians and enrolments', async () => {
    const res = await profile(await ctx.as('principalA1'), F.studentAn);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({
      id: F.studentAn,
      personId: F.studentAn,
      fullName: 'Nguyễn Văn An',
      isCurrent: true,
      schoolName: 'Trường THCS Lê Lợi',
      className: '6A1',
      statusDate: '2025-09-05',
    });
    expect(p.guardians).toEqual([expect.objectContaining({ relation: 'mother', fullName: 'Trần Thị Mai', phone: '0912345678' })]);
    expect(p.enrolments).toEqual([{ year: 2025, className: '6A1', startDate: '2025-09-05', endDate: null, schoolName: 'Trường THCS Lê Lợi' }]);
  });

  it('a parent sees their own child only; the list stays closed to them', async () => {
    const parent = await ctx.as('parentA');
    expect((await profile(parent, F.studentAn)).statusCode).toBe(200);
    expect((await profile(parent, F.studentBinh)).statusCode).toBe(404);
    expect((await profile(parent, F.studentCuong)).statusCode).toBe(404);
    const parentC = await ctx.as('parentC');
    expect((await profile(parentC, F.studentCuong)).statusCode).toBe(200);
    expect((await profile(parentC, F.studentAn)).statusCode).toBe(404);
  });

  it('a student sees only themself', async () => {
    const s = await ctx.as('studentAn');
    expect((await profile(s, F.studentAn)).json().fullName).toBe('Nguyễn Văn An');
    expect((await profile(s, F.studentBinh)).statusCode).toBe(404);
  });

  it('teachers see students of their classes only', async () => {
    const home = await ctx.as('homeroomA1');
    expect((await profile(home, F.studentAn)).statusCode).toBe(200);
    expect((await profile(home, F.studentBinh)).statusCode).toBe(200);
    expect((await profile(home, F.studentCuong)).statusCode).toBe(404);
    const math = await ctx.as('mathA1');
    expect((await profile(math, F.studentCuong)).statusCode).toBe(200);
    expect((await profile(math, F.studentAn)).statusCode).toBe(404);
  });

  it('answers 404 (never 403) outside the scope, for unknown and malformed ids, and for another school\'s student', async () => {
    const pB = await ctx.as('principalB1');
    expect((await profile(pB, F.studentAn)).statusCode).toBe(404);
    expect((await profile(await ctx.as('soB'), F.studentAn)).statusCode).toBe(404);
    expect((await profile(await ctx.as('soA'), F.studentAn)).statusCode).toBe(200);
    const pA = await ctx.as('principalA1');
    expect((await profile(pA, F.studentB1)).statusCode).toBe(404);
    expect((await profile(pA, '00000000-0000-7000-8000-00000000ffff')).statusCode).toBe(404);
    const bad = await profile(pA, 'not-a-uuid');
    expect(bad.statusCode).toBe(404);
    expect(bad.json().code).toBe('not_found');
  });
});

describe('GET /schools/:schoolId/dashboard', () => {
  it('counts current students by grade, class, sex and ethnicity', async () => {
    const res = await (await ctx.as('principalA1')).get(`${A1}/dashboard`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ schoolId: F.schoolA1, schoolName: 'Trường THCS Lê Lợi', year: 2025 });
    expect(d.totals).toEqual({ students: 3, female: 1, ethnicMinority: 0, classes: 2, staff: 3 });
    expect(d.byGrade).toEqual([{ grade: 6, students: 3, female: 1, classes: 2 }]);
    expect(d.byClass).toEqual([
      { classId: F.class6A1, className: '6A1', grade: 6, students: 2, female: 1 },
      { classId: F.class6A2, className: '6A2', grade: 6, students: 1, female: 0 },
    ]);
    expect(d.bySex).toEqual([
      { sex: 'male', students: 2 },
      { sex: 'female', students: 1 },
    ]);
    expect(d.byEthnicity).toEqual([{ code: '01', name: 'Kinh', students: 3 }]);
  });

  it('on a date counts the enrolments valid then', async () => {
    const s = await ctx.as('principalA1');
    const before = (await s.get(`${A1}/dashboard?asOf=2025-09-01`)).json();
    expect(before.totals.students).toBe(0);
    expect(before.year).toBe(2025);
    const during = (await s.get(`${A1}/dashboard?asOf=2025-10-01`)).json();
    expect(during.totals.students).toBe(3);
    expect(during.asOf).toBe('2025-10-01');
    expect((await s.get(`${A1}/dashboard?asOf=2025-02-30`)).statusCode).toBe(400);
  });

  it('a teacher gets the numbers of their classes only', async () => {
    const d = (await (await ctx.as('homeroomA1')).get(`${A1}/dashboard`)).json();
    expect(d.totals).toMatchObject({ students: 2, female: 1, classes: 1 });
    expect(d.byClass.map((c: { className: string }) => c.className)).toEqual(['6A1']);
  });

  it('counts ethnic minorities with names from DM_DAN_TOC', async () => {
    const d = (await (await ctx.as('principalB1')).get(`${B1}/dashboard`)).json();
    expect(d.totals).toMatchObject({ students: 1, female: 1, ethnicMinority: 1, classes: 1 });
    expect(d.byEthnicity).toEqual([{ code: '03', name: 'Thái', students: 1 }]);
  });

  it('is closed to parents and other schools', async () => {
    expect((await (await ctx.as('parentA')).get(`${A1}/dashboard`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(`${A1}/dashboard`)).statusCode).toBe(404);
    expect((await (await ctx.as('soA')).get(`${A1}/dashboard`)).statusCode).toBe(200);
  });
});

describe('GET /schools/:schoolId/students/export.xlsx', () => {
  it('one class is named after the class and its school year, with the Vietnamese name in filename* (issue 8)', async () => {
    const res = await (await ctx.as('principalA1')).get(`${A1}/students/export.xlsx?classId=${F.class6A1}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      "attachment; filename=\"Danh-sach-lop-6A1-2025-2026.xlsx\"; filename*=UTF-8''Danh-s%C3%A1ch-l%E1%BB%9Bp-6A1-2025-2026.xlsx",
    );
    const { rows } = await readXlsx(res.rawPayload);
    expect(rows.slice(1).map((r) => r[7])).toEqual(['6A1', '6A1']);
  });

  it('is not mistaken for a student id and exports the visible students in sector-database columns', async () => {
    const res = await (await ctx.as('principalA1')).get(`${A1}/students/export.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename="Danh_sach_hoc_sinh_-_Truong_THCS_Le_Loi\.xlsx"/);
    const { rows } = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual(['STT', 'Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Trạng thái', 'Lớp', 'Khối', 'Số định danh cá nhân']);
    expect(rows.slice(1)).toEqual([
      [1, '0100000001', 'Nguyễn Văn An', '02/03/2014', 'Nam', 'Kinh', 'Đang học', '6A1', 6],
      [2, '0100000002', 'Đặng Thị Bình', '19/07/2014', 'Nữ', 'Kinh', 'Đang học', '6A1', 6],
      [3, '0100000003', 'Hoàng Quốc Cường', '30/11/2014', 'Nam', 'Kinh', 'Đang học', '6A2', 6],
    ]);
  });

  it('applies the filters and the teacher scope of the list', async () => {
    const home = await readXlsx((await (await ctx.as('homeroomA1')).get(`${A1}/students/export.xlsx`)).rawPayload);
    expect(home.rows.slice(1).map((r) => r[2])).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình']);
    const math = await readXlsx((await (await ctx.as('mathA1')).get(`${A1}/students/export.xlsx`)).rawPayload);
    expect(math.rows.slice(1).map((r) => r[2])).toEqual(['Hoàng Quốc Cường']);
    const q = await readXlsx((await (await ctx.as('principalA1')).get(`${A1}/students/export.xlsx?q=dang`)).rawPayload);
    expect(q.rows.slice(1).map((r) => r[2])).toEqual(['Đặng Thị Bình']);
    expect((await (await ctx.as('parentA')).get(`${A1}/students/export.xlsx`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(`${A1}/students/export.xlsx`)).statusCode).toBe(404);
  });

  it('neutralises a name that would run as a formula in Excel', async () => {
    // Written straight to the table: the API's name normalisation is not what is under test here.
    await ctx.handle.db
      .insertInto('student')
      .values({
        school_id: F.schoolA1,
        id: '00000000-0000-7000-8000-00000000e001',
        person_id: '00000000-0000-7000-8000-00000000e001',
        learner_id: '0100000777',
        temp_code: null,
        citizen_id: '001214000777',
        family_name: '=HYPERLINK("http://x","y")',
        middle_name: '',
        given_name: 'Zed',
        name_sort_key: nameSortKey({ familyName: 'x', middleName: '', givenName: 'Zed' }),
        search_text: 'zed',
        date_of_birth: '2014-01-01',
        sex: 'male',
        religion_code: null,
        birthplace: null,
        address: null,
        status_date: '2025-09-05',
        current_class_id: F.class6A2,
      })
      .execute();
    const res = await (await ctx.as('principalA1')).get(`${A1}/students/export.xlsx?classId=${F.class6A2}`);
    const { ws, rows } = await readXlsx(res.rawPayload);
    expect(rows.length).toBe(3);
    const cell = ws.getCell('C3');
    expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
    expect(cell.value).toBe('\'=HYPERLINK("http://x","y") Zed');
    expect(ws.getCell('J3').value).toBe('001214000777');
  });
});
