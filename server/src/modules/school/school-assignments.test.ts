import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();
const base = `/api/v1/schools/${F.schoolA1}`;
const db = ctx.handle.db;

type Assignment = { id: string; year: number; term: number; classId: string; className: string; subjectCode: string; subjectName: string; staffId: string; staffName: string };

const assignmentCount = async () => (await db.selectFrom('teaching_assignment').select('id').where('school_id', '=', F.schoolA1).execute()).length;

describe('GET /schools/:schoolId/assignments', () => {
  it('lists the year assignments with class, subject and teacher names, by class then subject', async () => {
    const s = await ctx.as('mathA1');
    const res = await s.get(`${base}/assignments?year=2025`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        id: '00000000-0000-7000-8000-000000005001',
        year: 2025,
        term: 1,
        classId: F.class6A1,
        className: '6A1',
        subjectCode: 'ngu_van',
        subjectName: 'Ngữ văn',
        staffId: F.teacherHomeroom,
        staffName: 'Lê Thị Hoa',
      },
      {
        id: '00000000-0000-7000-8000-000000005002',
        year: 2025,
        term: 1,
        classId: F.class6A2,
        className: '6A2',
        subjectCode: 'toan',
        subjectName: 'Toán',
        staffId: F.teacherMath,
        staffName: 'Phạm Minh Đức',
      },
    ]);
  });

  it('filters by teacher, class and term', async () => {
    const s = await ctx.as('principalA1');
    expect(((await s.get(`${base}/assignments?staffId=${F.teacherMath}`)).json() as Assignment[]).map((a) => a.className)).toEqual(['6A2']);
    expect(((await s.get(`${base}/assignments?year=2025&classId=${F.class6A1}`)).json() as Assignment[]).map((a) => a.subjectCode)).toEqual(['ngu_van']);
    expect((await s.get(`${base}/assignments?year=2025&term=2`)).json()).toEqual([]);
  });

  it('other schools, offices of other provinces and parents get 404', async () => {
    for (const who of ['principalB1', 'soB', 'parentA'] as const) {
      expect((await (await ctx.as(who)).get(`${base}/assignments`)).statusCode, who).toBe(404);
    }
    expect((await (await ctx.as('soA')).get(`${base}/assignments`)).statusCode).toBe(200);
  });
});

describe('POST /schools/:schoolId/assignments', () => {
  it('assigns a teacher to a subject taught in the class grade, and audits it', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A1, subjectCode: 'toan', staffId: F.teacherMath });
    expect(res.statusCode).toBe(200);
    const created = res.json() as Assignment;
    expect(created).toMatchObject({ className: '6A1', subjectName: 'Toán', staffName: 'Phạm Minh Đức', term: 1 });
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'assignment.create').where('entity_id', '=', created.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ org_unit_id: F.schoolA1, before: null });
    expect(audit.after).toMatchObject({ class_id: F.class6A1, subject_code: 'toan', staff_id: F.teacherMath });
    const term2 = await s.post(`${base}/assignments`, { year: 2025, term: 2, classId: F.class6A1, subjectCode: 'toan', staffId: F.teacherHomeroom });
    expect(term2.statusCode).toBe(200);
  });

  it('refuses a subject already assigned that term, naming who teaches it now', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A1, subjectCode: 'ngu_van', staffId: F.teacherMath });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'assignment_taken',
      detail: 'Môn Ngữ văn lớp 6A1 học kì I năm học 2025-2026 đã phân công cho Lê Thị Hoa. Hãy xóa phân công này trước khi giao cho giáo viên khác.',
      currentStaffId: F.teacherHomeroom,
    });
  });

  it('refuses a subject not in the GDPT 2018 plan of the grade', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A1, subjectCode: 'vat_li', staffId: F.teacherMath });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'subject_not_taught',
      detail:
        'Môn Vật lí không được dạy ở khối 6 năm học 2025-2026 (theo chương trình GDPT 2018 và kế hoạch của trường). Hãy chọn môn khác hoặc điều chỉnh môn học của trường.',
    });
  });

  it('follows the school overrides: a subject switched off is refused, one switched on is accepted', async () => {
    const s = await ctx.as('principalA1');
    await s.put(`${base}/subjects`, { year: 2025, grade: 6, subjectCode: 'am_nhac', periodsPerYear: 0, assessmentKind: 'comment', isTaught: false });
    const off = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A2, subjectCode: 'am_nhac', staffId: F.teacherMath });
    expect(off.json().code).toBe('subject_not_taught');
    await s.put(`${base}/subjects`, { year: 2025, grade: 6, subjectCode: 'vat_li', periodsPerYear: 35, assessmentKind: 'score', isTaught: true });
    const on = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A2, subjectCode: 'vat_li', staffId: F.teacherMath });
    expect(on.statusCode).toBe(200);
  });

  it('refuses a class or a teacher of another school, a class of another year, an unknown subject', async () => {
    const s = await ctx.as('principalA1');
    const cls = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class10B1, subjectCode: 'toan', staffId: F.teacherMath });
    expect(cls.json()).toMatchObject({ code: 'class_not_in_school', detail: 'Không tìm thấy lớp đã chọn trong trường. Hãy chọn lại lớp.' });
    const staff = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A2, subjectCode: 'ngu_van', staffId: F.principalB1 });
    expect(staff.json()).toMatchObject({ code: 'staff_not_in_school', detail: 'Không tìm thấy giáo viên đã chọn trong trường. Hãy chọn lại giáo viên.' });
    const year = await s.post(`${base}/assignments`, { year: 2026, term: 1, classId: F.class6A2, subjectCode: 'ngu_van', staffId: F.teacherMath });
    expect(year.json()).toMatchObject({
      code: 'class_year_mismatch',
      detail: 'Lớp 6A2 thuộc năm học 2025-2026, không phải năm học 2026-2027. Hãy chọn lớp của năm học 2026-2027.',
    });
    const subject = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A2, subjectCode: 'xyz', staffId: F.teacherMath });
    expect(subject.json().code).toBe('unknown_subject');
    const term = await s.post(`${base}/assignments`, { year: 2025, term: 3, classId: F.class6A2, subjectCode: 'toan', staffId: F.teacherMath });
    expect(term.json().code).toBe('validation_failed');
  });

  it('teachers cannot assign (404) and nothing is written', async () => {
    const before = await assignmentCount();
    const res = await (await ctx.as('homeroomA1')).post(`${base}/assignments`, { year: 2025, term: 2, classId: F.class6A1, subjectCode: 'ngu_van', staffId: F.teacherHomeroom });
    expect(res.statusCode).toBe(404);
    expect(await assignmentCount()).toBe(before);
  });
});

describe('DELETE /schools/:schoolId/assignments/:assignmentId', () => {
  const fixtureId = '00000000-0000-7000-8000-000000005002';

  it('teachers cannot delete (404) and the assignment stays', async () => {
    expect((await (await ctx.as('mathA1')).del(`${base}/assignments/${fixtureId}`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).del(`${base}/assignments/${fixtureId}`)).statusCode).toBe(404);
    expect(await db.selectFrom('teaching_assignment').select('id').where('id', '=', fixtureId).executeTakeFirst()).toBeDefined();
  });

  it('deletes with an audit row holding the old assignment; a second delete is 404', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.del(`${base}/assignments/${fixtureId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'assignment.delete').where('entity_id', '=', fixtureId).executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ subject_code: 'toan', staff_id: F.teacherMath });
    expect(audit.after).toBeNull();
    const again = await s.del(`${base}/assignments/${fixtureId}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().detail).toBe('Không tìm thấy phân công chuyên môn trong trường.');
    // The slot is free again.
    const reassign = await s.post(`${base}/assignments`, { year: 2025, term: 1, classId: F.class6A2, subjectCode: 'toan', staffId: F.principalA1 });
    expect(reassign.statusCode).toBe(200);
  });
});
