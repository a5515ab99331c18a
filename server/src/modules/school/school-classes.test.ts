import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();
const base = `/api/v1/schools/${F.schoolA1}`;
const db = ctx.handle.db;

type Class = {
  id: string;
  name: string;
  grade: number;
  homeroomTeacherId: string | null;
  homeroomTeacherName: string | null;
  session: string;
  isMultiGrade: boolean;
  access: 'full' | 'homeroom' | 'teaching' | 'none';
  studentCount: number | null;
  maleCount: number | null;
  femaleCount: number | null;
};

const classCount = async () =>
  Number((await db.selectFrom('class').select((eb) => eb.fn.countAll<number>().as('n')).where('school_id', '=', F.schoolA1).executeTakeFirstOrThrow()).n);

describe('GET /schools/:schoolId/classes', () => {
  it('lists the year classes with current enrolment counts by sex and the homeroom teacher name', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`${base}/classes?year=2025`);
    expect(res.statusCode).toBe(200);
    const classes = res.json() as Class[];
    expect(classes.map((c) => c.name)).toEqual(['6A1', '6A2']);
    expect(classes[0]).toMatchObject({
      id: F.class6A1,
      grade: 6,
      homeroomTeacherId: F.teacherHomeroom,
      homeroomTeacherName: 'Lê Thị Hoa',
      session: 'morning',
      studentCount: 2,
      maleCount: 1,
      femaleCount: 1,
    });
    expect(classes[1]).toMatchObject({ homeroomTeacherName: 'Trần Văn Hùng', studentCount: 1, maleCount: 1, femaleCount: 0 });
  });

  it('defaults to the school current year and filters by grade', async () => {
    const s = await ctx.as('principalA1');
    expect(((await s.get(`${base}/classes`)).json() as Class[]).map((c) => c.name)).toEqual(['6A1', '6A2']);
    expect((await s.get(`${base}/classes?year=2025&grade=7`)).json()).toEqual([]);
  });

  it('a student who left the class no longer counts', async () => {
    await db.updateTable('enrolment').set({ end_date: '2025-10-01' }).where('school_id', '=', F.schoolA1).where('student_id', '=', F.studentBinh).execute();
    const s = await ctx.as('principalA1');
    const [c6a1] = (await s.get(`${base}/classes?year=2025`)).json() as Class[];
    expect(c6a1).toMatchObject({ studentCount: 1, maleCount: 1, femaleCount: 0 });
    await db.updateTable('enrolment').set({ end_date: null }).where('school_id', '=', F.schoolA1).where('student_id', '=', F.studentBinh).execute();
  });

  it('teachers read the classes of their school; offices above it too; others get 404', async () => {
    for (const who of ['homeroomA1', 'mathA1', 'staffA1', 'soA', 'communeA', 'admin'] as const) {
      expect((await (await ctx.as(who)).get(`${base}/classes?year=2025`)).statusCode, who).toBe(200);
    }
    for (const who of ['principalB1', 'soB', 'parentA', 'studentAn'] as const) {
      const res = await (await ctx.as(who)).get(`${base}/classes?year=2025`);
      expect(res.statusCode, who).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect((await ctx.anonymous.get(`${base}/classes`)).statusCode).toBe(401);
  });

  // Issue 8: one rule of the server (decision 0003: a teacher reads the students of the classes they
  // lead or teach) decides a teacher's class list, the student list of a class and the dashboard,
  // so the three agree: every class by name, counts only for their own.
  it('a teacher sees every class by name, counts only for their own, and the student list and dashboard agree', async () => {
    const expected = {
      homeroomA1: { '6A1': 'homeroom', '6A2': 'none' },
      mathA1: { '6A1': 'none', '6A2': 'teaching' },
      principalA1: { '6A1': 'full', '6A2': 'full' },
    } as const;
    const full = ((await (await ctx.as('principalA1')).get(`${base}/classes?year=2025`)).json() as Class[]).map((c) => [c.name, c] as const);
    const sizeOf = new Map(full);
    for (const [who, access] of Object.entries(expected) as [keyof typeof expected, Record<string, Class['access']>][]) {
      const s = await ctx.as(who);
      const classes = (await s.get(`${base}/classes?year=2025`)).json() as Class[];
      expect(Object.fromEntries(classes.map((c) => [c.name, c.access])), who).toEqual(access);
      for (const c of classes) {
        const counts = [c.studentCount, c.maleCount, c.femaleCount];
        const whole = sizeOf.get(c.name)!;
        expect(counts, `${who} ${c.name}`).toEqual(c.access === 'none' ? [null, null, null] : [whole.studentCount, whole.maleCount, whole.femaleCount]);
      }
      const own = classes.filter((c) => c.access !== 'none');
      const ownStudents = own.reduce((n, c) => n + (c.studentCount ?? 0), 0);
      const list = (await s.get(`${base}/students?year=2025&pageSize=500`)).json() as { total: number; items: { className: string }[] };
      expect(list.total, who).toBe(ownStudents);
      expect(new Set(list.items.map((i) => i.className)), who).toEqual(new Set(own.map((c) => c.name)));
      const dash = (await s.get(`${base}/dashboard`)).json() as { view: string; totals: { classes: number; students: number }; byClass: { className: string }[] };
      expect(dash.view, who).toBe(who === 'principalA1' ? 'school' : 'own_classes');
      expect(dash.totals, who).toMatchObject({ classes: own.length, students: ownStudents });
      expect(dash.byClass.map((c) => c.className).sort(), who).toEqual(own.map((c) => c.name).sort());
    }
  });

  it("a teacher's class export says which classes are not theirs instead of a size", async () => {
    const res = await (await ctx.as('mathA1')).get(`${base}/classes/export.xlsx?year=2025`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    const header = rows[0]!;
    const byName = new Map(rows.slice(1).map((r) => [r[header.indexOf('Tên lớp')], r[header.indexOf('Sĩ số')]]));
    expect(byName.get('6A1')).toBe('Không thuộc lớp bạn dạy');
    expect(byName.get('6A2')).toBe(1);
  });
});

describe('POST /schools/:schoolId/classes', () => {
  it('creates a class, defaults its session, and audits it', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/classes`, { year: 2025, name: ' 6A10 ', grade: 6, homeroomTeacherId: F.teacherMath });
    expect(res.statusCode).toBe(200);
    const created = res.json() as Class;
    expect(created).toMatchObject({ name: '6A10', grade: 6, session: 'full_day', isMultiGrade: false, homeroomTeacherName: 'Phạm Minh Đức', studentCount: 0 });
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'class.create').where('entity_id', '=', created.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ org_unit_id: F.schoolA1, username: 'ht.a1', before: null });
    expect(audit.after).toMatchObject({ name: '6A10', homeroom_teacher_id: F.teacherMath });
  });

  it('sorts by grade, then class names with numbers in numeric order (6A2 before 6A10)', async () => {
    const s = await ctx.as('principalA1');
    expect((await s.post(`${base}/classes`, { year: 2025, name: '7A1', grade: 7 })).statusCode).toBe(200);
    expect((await s.post(`${base}/classes`, { year: 2025, name: '6A3', grade: 6 })).statusCode).toBe(200);
    const names = ((await s.get(`${base}/classes?year=2025`)).json() as Class[]).map((c) => c.name);
    expect(names).toEqual(['6A1', '6A2', '6A3', '6A10', '7A1']);
  });

  it('refuses a class name already used that year, whatever its case', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/classes`, { year: 2025, name: '6a1', grade: 6 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'class_name_taken', detail: 'Lớp 6A1 đã có trong năm học 2025-2026.' });
  });

  it('refuses a homeroom teacher who already leads a class that year', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/classes`, { year: 2025, name: '6A4', grade: 6, homeroomTeacherId: F.teacherHomeroom });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'homeroom_taken',
      detail: 'Lê Thị Hoa đã là giáo viên chủ nhiệm lớp 6A1 năm học 2025-2026. Mỗi giáo viên chỉ chủ nhiệm một lớp trong một năm học.',
    });
  });

  it('refuses a homeroom teacher from another school', async () => {
    const s = await ctx.as('principalA1');
    const other = await s.post(`${base}/classes`, { year: 2025, name: '6A5', grade: 6, homeroomTeacherId: F.principalB1 });
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({
      code: 'homeroom_not_staff',
      detail: 'Giáo viên chủ nhiệm phải là cán bộ, giáo viên đang công tác tại trường. Hãy chọn lại giáo viên.',
    });
  });

  it('refuses a grade outside the school levels, and a year not declared', async () => {
    const s = await ctx.as('principalA1');
    const grade = await s.post(`${base}/classes`, { year: 2025, name: '10A1', grade: 10 });
    expect(grade.statusCode).toBe(400);
    expect(grade.json()).toMatchObject({ code: 'grade_not_in_school_levels', detail: 'Khối 10 không thuộc cấp học của trường (trường dạy khối 6–9).' });
    const year = await s.post(`${base}/classes`, { year: 2030, name: '6A1', grade: 6 });
    expect(year.statusCode).toBe(400);
    expect(year.json()).toMatchObject({
      code: 'school_year_missing',
      detail: 'Năm học 2030-2031 chưa được khai báo cho trường. Hãy khai báo năm học (ngày bắt đầu, kết thúc các học kì) trước khi tạo lớp.',
    });
  });

  it('accepts a site of the school and refuses one that is not', async () => {
    const s = await ctx.as('principalA1');
    const ok = await s.post(`${base}/classes`, { year: 2025, name: '8A1', grade: 8, siteId: F.siteA1 });
    expect(ok.statusCode).toBe(200);
    const bad = await s.post(`${base}/classes`, { year: 2025, name: '8A2', grade: 8, siteId: F.schoolA2 });
    expect(bad.json()).toMatchObject({ code: 'site_not_in_school' });
  });

  it('rejects a malformed name with the field-level message', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/classes`, { year: 2025, name: '6A1<script>', grade: 6 });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe('Tên: tên lớp chỉ gồm chữ, số, dấu chấm, gạch.');
  });

  it('two people creating classes at once cannot break the name or homeroom rules', async () => {
    const s = await ctx.as('principalA1');
    const staff = await s.post(`${base}/staff`, { fullName: 'Quách Văn Đồng' });
    const teacherId = staff.json().id as string;
    const sameTeacher = await Promise.all([
      s.post(`${base}/classes`, { year: 2025, name: '9A5', grade: 9, homeroomTeacherId: teacherId }),
      s.post(`${base}/classes`, { year: 2025, name: '9A6', grade: 9, homeroomTeacherId: teacherId }),
    ]);
    expect(sameTeacher.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const sameName = await Promise.all([
      s.post(`${base}/classes`, { year: 2025, name: '9A7', grade: 9 }),
      s.post(`${base}/classes`, { year: 2025, name: '9A7', grade: 9 }),
    ]);
    expect(sameName.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(sameName.find((r) => r.statusCode === 409)!.json().detail).toBe('Lớp 9A7 đã có trong năm học 2025-2026.');
    // Leave the class list as the export test expects it.
    await db.deleteFrom('class').where('school_id', '=', F.schoolA1).where('name', 'in', ['9A5', '9A6', '9A7']).execute();
  });

  it('a teacher cannot create a class (404) and nothing is written', async () => {
    const before = await classCount();
    const s = await ctx.as('homeroomA1');
    const res = await s.post(`${base}/classes`, { year: 2025, name: '9A9', grade: 9 });
    expect(res.statusCode).toBe(404);
    expect(await classCount()).toBe(before);
    expect((await (await ctx.as('principalB1')).post(`${base}/classes`, { year: 2025, name: '9A9', grade: 9 })).statusCode).toBe(404);
    expect((await (await ctx.as('soA')).post(`${base}/classes`, { year: 2025, name: '9A9', grade: 9 })).statusCode).toBe(404);
    expect(await classCount()).toBe(before);
  });
});

describe('PATCH /schools/:schoolId/classes/:classId', () => {
  it('changes only the fields sent and audits before/after', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.patch(`${base}/classes/${F.class6A1}`, { isMultiGrade: true });
    expect(res.statusCode).toBe(200);
    // session (morning) and the homeroom teacher stay as they were.
    expect(res.json()).toMatchObject({ name: '6A1', session: 'morning', isMultiGrade: true, homeroomTeacherId: F.teacherHomeroom });
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'class.update').where('entity_id', '=', F.class6A1).executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ is_multi_grade: false, session: 'morning' });
    expect(audit.after).toMatchObject({ is_multi_grade: true, session: 'morning' });
  });

  it('renames, refusing a name taken by another class', async () => {
    const s = await ctx.as('staffA1');
    const taken = await s.patch(`${base}/classes/${F.class6A1}`, { name: '6A2' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toBe('Lớp 6A2 đã có trong năm học 2025-2026.');
    // Its own name in another case is fine.
    expect((await s.patch(`${base}/classes/${F.class6A1}`, { name: '6A1' })).statusCode).toBe(200);
  });

  it('moves the homeroom role, checking the one-class-per-year rule against other classes only', async () => {
    const s = await ctx.as('principalA1');
    const keep = await s.patch(`${base}/classes/${F.class6A1}`, { homeroomTeacherId: F.teacherHomeroom });
    expect(keep.statusCode).toBe(200);
    const busy = await s.patch(`${base}/classes/${F.class6A1}`, { homeroomTeacherId: F.principalA1 });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().detail).toContain('Trần Văn Hùng đã là giáo viên chủ nhiệm lớp 6A2');
    const cleared = await s.patch(`${base}/classes/${F.class6A2}`, { homeroomTeacherId: null });
    expect(cleared.json()).toMatchObject({ homeroomTeacherId: null, homeroomTeacherName: null });
  });

  it('answers 404 for a class of another school, and refuses teachers', async () => {
    const s = await ctx.as('principalA1');
    expect((await s.patch(`${base}/classes/${F.class10B1}`, { name: 'X' })).statusCode).toBe(404);
    const t = await ctx.as('homeroomA1');
    expect((await t.patch(`${base}/classes/${F.class6A1}`, { name: '6A9' })).statusCode).toBe(404);
    const row = await db.selectFrom('class').select('name').where('id', '=', F.class6A1).executeTakeFirstOrThrow();
    expect(row.name).toBe('6A1');
  });
});

describe('GET /schools/:schoolId/classes/export.xlsx', () => {
  it('exports the sorted class list as a workbook', async () => {
    const s = await ctx.as('homeroomA1');
    const res = await s.get(`${base}/classes/export.xlsx?year=2025`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(2).value).toBe('Tên lớp');
    const names = [];
    for (let r = 2; r <= sheet.rowCount; r++) names.push(sheet.getRow(r).getCell(2).value);
    expect(names).toEqual(['6A1', '6A2', '6A3', '6A10', '7A1', '8A1']);
    expect(sheet.getRow(2).getCell(8).value).toBe(2);
    expect((await (await ctx.as('parentA')).get(`${base}/classes/export.xlsx`)).statusCode).toBe(404);
  });
});
