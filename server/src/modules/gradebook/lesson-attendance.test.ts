import { describe, expect, it } from 'vitest';
import type { TAttendance, TLessonAttendance } from '../../../../contracts/attendance.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

// Fixture: mathA1 (Phạm Minh Đức) teaches Toán in 6A2 in term I only; principalA1 is the principal
// and 6A2's homeroom teacher (Cường); homeroomA1 teaches Ngữ văn in 6A1. Both classes meet mornings.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const lessons = (classId: string) => `${school}/classes/${classId}/lessons`;
const day = '2025-10-06';

const turn = async (enabled: boolean) => (await ctx.as('principalA1')).put(`${school}/lesson-attendance`, { year: F.year, enabled });

describe('attendance per lesson (tiết) by the subject teacher, where the school turns it on', () => {
  it('is off until the principal turns it on for the year (audited); a teacher cannot turn it on', async () => {
    const math = await ctx.as('mathA1');
    const before = await math.put(lessons(F.class6A2), { date: day, lesson: 2, subjectCode: 'toan', absences: [] });
    expect(before.statusCode).toBe(409);
    expect(before.json()).toMatchObject({ code: 'lesson_attendance_off', detail: expect.stringContaining('chưa bật điểm danh theo tiết cho năm học 2025-2026') });
    expect((await math.get(`${lessons(F.class6A2)}?date=${day}`)).json<TLessonAttendance>()).toMatchObject({ enabled: false, canSwitch: false });
    expect((await math.put(`${school}/lesson-attendance`, { year: F.year, enabled: true })).statusCode).toBe(404); // the principal's act

    const on = await turn(true);
    expect(on.json()).toEqual({ year: F.year, enabled: true });
    const audit = await db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'school_year.lesson_attendance').execute();
    expect(audit).toEqual([{ action: 'school_year.lesson_attendance', after: { lesson_attendance: true } }]);
    // Turning it on again changes nothing and writes nothing.
    await turn(true);
    expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'school_year.lesson_attendance').execute()).toHaveLength(1);
  });

  it('the Toán teacher calls the roll of a Toán lesson; the homeroom teacher reads it, by lesson and beside the sessions', async () => {
    const math = await ctx.as('mathA1');
    const day1 = (await math.get(`${lessons(F.class6A2)}?date=${day}`)).json<TLessonAttendance>();
    // Only their own subject to choose; a morning class has lessons 1–5.
    expect(day1.subjects).toEqual([{ code: 'toan', name: 'Toán' }]);
    expect(day1.lessons.map((l) => l.label)).toEqual(['Tiết 1 (sáng)', 'Tiết 2 (sáng)', 'Tiết 3 (sáng)', 'Tiết 4 (sáng)', 'Tiết 5 (sáng)']);
    const res = await math.put(lessons(F.class6A2), { date: day, lesson: 2, subjectCode: 'toan', absences: [{ studentId: F.studentCuong, excused: false, reason: ' Đến muộn quá 15 phút ' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json<TLessonAttendance>().rolls).toEqual([
      { lesson: 2, label: 'Tiết 2 (sáng)', subjectCode: 'toan', subjectName: 'Toán', recordedBy: 'Phạm Minh Đức', canEdit: true, absences: [{ studentId: F.studentCuong, excused: false, reason: 'Đến muộn quá 15 phút' }] },
    ]);

    const homeroom = await ctx.as('principalA1');
    const sessions = (await homeroom.get(`${school}/classes/${F.class6A2}/attendance?from=2025-10-01&to=2025-10-31`)).json<TAttendance>();
    expect(sessions.students.find((s) => s.studentId === F.studentCuong)?.lessonAbsences).toEqual([
      { date: day, lesson: 2, label: 'Tiết 2 (sáng)', subjectName: 'Toán', excused: false, reason: 'Đến muộn quá 15 phút' },
    ]);
    // The sessions themselves are the homeroom teacher's to record: a missed lesson is not a missed session.
    expect(sessions.students.find((s) => s.studentId === F.studentCuong)).toMatchObject({ yearExcused: 0, yearUnexcused: 0 });

    // Called again with everyone there: the roll stays, the absence goes.
    const again = await math.put(lessons(F.class6A2), { date: day, lesson: 2, subjectCode: 'toan', absences: [] });
    expect(again.json<TLessonAttendance>().rolls).toMatchObject([{ lesson: 2, subjectCode: 'toan', absences: [] }]);
    expect(await db.selectFrom('lesson_absence').select('student_id').where('class_id', '=', F.class6A2).execute()).toEqual([]);
  });

  it('a teacher calls only the lessons of their own subject, class and term', async () => {
    const math = await ctx.as('mathA1');
    const nguVan = await math.put(lessons(F.class6A2), { date: day, lesson: 1, subjectCode: 'ngu_van', absences: [] });
    expect(nguVan.statusCode).toBe(403);
    expect(nguVan.json()).toMatchObject({ code: 'lesson_not_yours', detail: 'Chỉ giáo viên dạy môn Ngữ văn của lớp 6A2 trong học kì I (hoặc ban giám hiệu) điểm danh tiết này.' });
    // Term II: Toán of 6A2 is not theirs then.
    const term2 = await math.put(lessons(F.class6A2), { date: '2026-02-10', lesson: 1, subjectCode: 'toan', absences: [] });
    expect(term2.json()).toMatchObject({ code: 'lesson_not_yours' });
    // Another class: not found, nothing said about it.
    expect((await math.put(lessons(F.class6A1), { date: day, lesson: 1, subjectCode: 'toan', absences: [] })).statusCode).toBe(404);
    expect((await math.get(`${lessons(F.class6A1)}?date=${day}`)).statusCode).toBe(404);
    expect(await db.selectFrom('lesson_roll').select('lesson').where('day', '=', '2026-02-10').execute()).toEqual([]);
  });

  it('refuses in words what cannot be: an afternoon lesson of a morning class, a day not come, a stranger, a student twice', async () => {
    const math = await ctx.as('mathA1');
    const put = (body: object) => math.put(lessons(F.class6A2), { date: day, lesson: 3, subjectCode: 'toan', absences: [], ...body });
    expect((await put({ lesson: 6 })).json()).toMatchObject({
      code: 'lesson_not_taught',
      detail: 'Tiết: lớp 6A2 học buổi sáng, chọn Tiết 1 (sáng), Tiết 2 (sáng), Tiết 3 (sáng), Tiết 4 (sáng), Tiết 5 (sáng).',
    });
    expect((await put({ date: '2099-01-05' })).json()).toMatchObject({ code: 'date_outside_year' });
    expect((await put({ absences: [{ studentId: F.studentAn, excused: true }] })).json()).toMatchObject({ code: 'student_not_in_class', detail: 'Học sinh vắng 1: không học lớp 6A2 vào ngày 06/10/2025.' });
    const twice = await put({ absences: [{ studentId: F.studentCuong, excused: true }, { studentId: F.studentCuong, excused: false }] });
    expect(twice.json()).toMatchObject({ code: 'student_repeated' });
    expect((await put({ lesson: 11 })).json()).toMatchObject({ detail: expect.stringContaining('Tiết') });
    expect(await db.selectFrom('lesson_roll').select('lesson').where('lesson', '=', 3).execute()).toEqual([]);
  });

  it("another subject's roll under the same lesson is not overwritten by a teacher; the principal corrects any", async () => {
    const principal = await ctx.as('principalA1');
    const nguVan = await principal.put(lessons(F.class6A2), { date: day, lesson: 4, subjectCode: 'ngu_van', absences: [{ studentId: F.studentCuong, excused: true, reason: 'Ốm' }] });
    expect(nguVan.statusCode).toBe(200);
    const math = await ctx.as('mathA1');
    const taken = await math.put(lessons(F.class6A2), { date: day, lesson: 4, subjectCode: 'toan', absences: [] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'lesson_taken', detail: 'Tiết 4 (sáng) ngày 06/10/2025 của lớp 6A2 đã được điểm danh cho môn khác. Kiểm tra lại tiết.' });
    expect((await math.del(`${lessons(F.class6A2)}?date=${day}&lesson=4`)).json()).toMatchObject({ code: 'lesson_not_yours' });
    const kept = (await math.get(`${lessons(F.class6A2)}?date=${day}`)).json<TLessonAttendance>().rolls.find((r) => r.lesson === 4);
    expect(kept).toMatchObject({ subjectCode: 'ngu_van', canEdit: false, absences: [{ studentId: F.studentCuong, excused: true, reason: 'Ốm' }] });
    // Their own roll they may remove (called under the wrong lesson).
    const removed = await math.del(`${lessons(F.class6A2)}?date=${day}&lesson=2`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json<TLessonAttendance>().rolls.map((r) => r.lesson)).toEqual([4]);
    expect((await math.del(`${lessons(F.class6A2)}?date=${day}&lesson=2`)).statusCode).toBe(404);
  });

  it('turned off again: the rolls stay to read, none can be called or changed', async () => {
    await turn(false);
    const math = await ctx.as('mathA1');
    const read = (await math.get(`${lessons(F.class6A2)}?date=${day}`)).json<TLessonAttendance>();
    expect(read).toMatchObject({ enabled: false, rolls: [{ lesson: 4, canEdit: false }] });
    expect((await math.put(lessons(F.class6A2), { date: day, lesson: 1, subjectCode: 'toan', absences: [] })).json()).toMatchObject({ code: 'lesson_attendance_off' });
  });
});
