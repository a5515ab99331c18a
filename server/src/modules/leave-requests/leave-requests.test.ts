import { describe, expect, it } from 'vitest';
import type { TAttendance } from '../../../../contracts/attendance.js';
import type { TLeaveRequest, TLeaveRequests } from '../../../../contracts/leave-requests.js';
import type { TFamilyResults } from '../../../../contracts/results.js';
import { addDays, isSunday, isoToday, schoolYearOf } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

// Đơn xin nghỉ học (issue 11 §5). Fixture: An (6A1, a morning class, child of parentA), homeroom
// teacher Lê Thị Hoa (homeroomA1); Cường (6A2, child of parentC). The classes are moved to this
// school year so that "today" is in it.
const ctx = await setupTestApp({ jobs: false });
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const anLeave = `${school}/students/${F.studentAn}/leave-requests`;
const today = isoToday();
const year = schoolYearOf(today);
await db.updateTable('class').set({ year }).where('school_id', '=', F.schoolA1).execute();
await db.updateTable('teaching_assignment').set({ year }).where('school_id', '=', F.schoolA1).execute();

/** The n-th school day (not a Sunday) after `from` (n ≥ 1), or before it when n < 0. */
function schoolDay(from: string, n: number): string {
  let d = from;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, Math.sign(n));
    if (!isSunday(d)) left--;
  }
  return d;
}
const absences = (leaveId?: string) => {
  let q = db.selectFrom('attendance').select(['day', 'session', 'excused', 'reason', 'leave_request_id']).where('student_id', '=', F.studentAn);
  if (leaveId) q = q.where('leave_request_id', '=', leaveId);
  return q.orderBy('day').orderBy('session').execute();
};

describe('the parent asks: days, sessions of the class, a reason', () => {
  it('boundaries of the date range: from 7 days back to 60 days ahead, at most 31 days, in order, not only Sundays (issue 11 §5; limits decided in leave-requests.service.ts)', async () => {
    const parent = await ctx.as('parentA');
    const ask = (from: string, to: string, part = 'full_day') => parent.post(anLeave, { from, to, part, reason: 'Cháu bị ốm' });
    const tooOld = await ask(addDays(today, -8), addDays(today, -8));
    expect(tooOld.statusCode).toBe(422);
    expect(tooOld.json<{ detail: string }>().detail).toMatch(/^Từ ngày: chỉ xin nghỉ cho những ngày từ \d\d\/\d\d\/\d{4} trở đi/);
    const tooFar = await ask(addDays(today, 61), addDays(today, 61));
    expect(tooFar.json()).toMatchObject({ code: 'leave_too_early' });
    expect((await ask(addDays(today, 10), addDays(today, 41))).json()).toMatchObject({ code: 'leave_too_long' });
    expect((await ask(addDays(today, 3), addDays(today, 2))).json()).toMatchObject({ code: 'leave_range_reversed', detail: 'Đến ngày: phải sau hoặc bằng Từ ngày.' });
    let sunday = addDays(today, 1);
    while (!isSunday(sunday)) sunday = addDays(sunday, 1);
    expect((await ask(sunday, sunday)).json()).toMatchObject({ code: 'leave_no_school_day' });
    const badDate = await parent.post(anLeave, { from: '31/02/2026', to: today, part: 'full_day', reason: 'Cháu bị ốm' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json<{ detail: string }>().detail).toContain('Từ ngày');
    // Both ends themselves are accepted: 7 days back (one request) and 60 days ahead (another).
    const first = await ask(addDays(today, -7), addDays(today, -7));
    expect(isSunday(addDays(today, -7)) ? first.json<{ code: string }>().code : first.statusCode).toBe(isSunday(addDays(today, -7)) ? 'leave_no_school_day' : 200);
    const last = await ask(addDays(today, 60), addDays(today, 60));
    expect(isSunday(addDays(today, 60)) ? last.json<{ code: string }>().code : last.statusCode).toBe(isSunday(addDays(today, 60)) ? 'leave_no_school_day' : 200);
    // Clean up: cancel them.
    for (const r of (await parent.get(anLeave)).json<TLeaveRequests>().items) await parent.post(`${school}/leave-requests/${r.id}/cancel`);
  });

  it('a half-day class has its one session: "cả ngày" is the morning, an afternoon is refused; a two-session class counts two a day', async () => {
    const parent = await ctx.as('parentA');
    const list = (await parent.get(anLeave)).json<TLeaveRequests>();
    expect(list.parts).toEqual(['full_day', 'morning']);
    const afternoon = await parent.post(anLeave, { from: schoolDay(today, 2), to: schoolDay(today, 2), part: 'afternoon', reason: 'Đi khám răng' });
    expect(afternoon.statusCode).toBe(422);
    expect(afternoon.json()).toMatchObject({ code: 'leave_session_not_taught', detail: expect.stringContaining('Buổi xin nghỉ: lớp 6A1 chỉ học buổi sáng') });
    const two = await parent.post(anLeave, { from: schoolDay(today, 2), to: schoolDay(today, 3), part: 'full_day', reason: 'Về quê' });
    expect(two.json<TLeaveRequest>()).toMatchObject({ status: 'pending', sessions: 2, canCancel: true, canDecide: false, requestedBy: 'Phụ huynh em Nguyễn Văn An' });
    await parent.post(`${school}/leave-requests/${two.json<TLeaveRequest>().id}/cancel`);

    await db.updateTable('class').set({ session: 'full_day' }).where('id', '=', F.class6A1).execute();
    expect((await parent.get(anLeave)).json<TLeaveRequests>().parts).toEqual(['full_day', 'morning', 'afternoon']);
    const full = await parent.post(anLeave, { from: schoolDay(today, 2), to: schoolDay(today, 3), part: 'full_day', reason: 'Về quê' });
    expect(full.json<TLeaveRequest>().sessions).toBe(4);
    await parent.post(`${school}/leave-requests/${full.json<TLeaveRequest>().id}/cancel`);
    await db.updateTable('class').set({ session: 'morning' }).where('id', '=', F.class6A1).execute();
  });

  it("another family's child in the URL is refused, and so is their request's id", async () => {
    const other = await ctx.as('parentC');
    expect((await other.get(anLeave)).statusCode).toBe(404);
    const otherPost = await other.post(anLeave, { from: schoolDay(today, 1), to: schoolDay(today, 1), part: "full_day", reason: "Ốm" });
    expect(otherPost.statusCode, otherPost.body).toBe(404);
    const mine = (await (await ctx.as('parentA')).post(anLeave, { from: schoolDay(today, 5), to: schoolDay(today, 5), part: 'full_day', reason: 'Ốm' })).json<TLeaveRequest>();
    const refused = await other.post(`${school}/leave-requests/${mine.id}/cancel`);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('Nguyễn Văn An');
    // Two requests never cover the same day.
    const twice = await (await ctx.as('parentA')).post(anLeave, { from: schoolDay(today, 4), to: schoolDay(today, 6), part: 'full_day', reason: 'Ốm' });
    expect(twice.json()).toMatchObject({ code: 'leave_overlap' });
    // The pending one is cancelled by the parent: the teacher is told, nothing is written to attendance.
    const cancelled = await (await ctx.as('parentA')).post(`${school}/leave-requests/${mine.id}/cancel`);
    expect(cancelled.json<TLeaveRequest>()).toMatchObject({ status: 'cancelled', canCancel: false });
    expect(await absences(mine.id)).toEqual([]);
  });
});

describe('the homeroom teacher decides', () => {
  it('approve → the sessions are excused absences in attendance with the reason, a session recorded unexcused becomes excused (audited, the family told)', async () => {
    const teacher = await ctx.as('homeroomA1');
    const parent = await ctx.as('parentA');
    // Yesterday's session (a school day) was recorded unexcused by the teacher.
    const yesterday = schoolDay(today, -1);
    const saved = await teacher.put(`${school}/classes/${F.class6A1}/attendance`, { entries: [{ studentId: F.studentAn, date: yesterday, session: 'morning', status: 'unexcused' }] });
    expect(saved.statusCode).toBe(200);
    const created = (await parent.post(anLeave, { from: yesterday, to: today, part: 'full_day', reason: 'Cháu bị sốt' })).json<TLeaveRequest>();
    const told = await db.selectFrom('notification').select(['kind', 'title', 'link']).where('user_id', '=', F.users.homeroomA1).where('source_id', '=', created.id).execute();
    expect(told).toEqual([{ kind: 'leave_request', title: 'Đơn xin nghỉ học của em Nguyễn Văn An (6A1)', link: '/don-xin-nghi' }]);

    const pending = (await teacher.get(`${school}/leave-requests?status=pending`)).json<TLeaveRequests>().items;
    expect(pending.map((r) => [r.id, r.canDecide])).toEqual([[created.id, true]]);
    const approved = await teacher.post(`${school}/leave-requests/${created.id}/decision`, { decision: 'approve' });
    expect(approved.json<TLeaveRequest>()).toMatchObject({ status: 'approved', decidedBy: 'Cô Lê Thị Hoa — GVCN 6A1', canDecide: false });

    const days = isSunday(today) ? [yesterday] : [yesterday, today];
    expect(await absences(created.id)).toEqual(days.map((day) => ({ day, session: 'morning', excused: true, reason: 'Đơn xin nghỉ học: Cháu bị sốt', leave_request_id: created.id })));
    const sheet = (await teacher.get(`${school}/classes/${F.class6A1}/attendance?from=${yesterday}&to=${today}`)).json<TAttendance>();
    expect(sheet.students.find((s) => s.studentId === F.studentAn)?.absences).toEqual(days.map((date) => ({ date, session: 'morning', excused: true, reason: 'Đơn xin nghỉ học: Cháu bị sốt' })));
    // The family reads the absence as excused in the child's attendance.
    const family = (await parent.get(`${school}/students/${F.studentAn}/results`)).json<TFamilyResults>();
    expect(family.attendance).toMatchObject({ excused: days.length, unexcused: 0 });

    expect(await db.selectFrom('audit_log').select(['action', 'entity_id', 'after']).where('action', '=', 'leave_request.approve').execute()).toEqual([
      { action: 'leave_request.approve', entity_id: F.studentAn, after: { from_day: yesterday, to_day: today, part: 'full_day', sessions: days.length } },
    ]);
    expect(await db.selectFrom('notification').select(['kind', 'title']).where('user_id', '=', F.users.parentA).where('source_id', '=', created.id).execute()).toEqual([
      { kind: 'leave_decision', title: 'Đơn xin nghỉ học của em Nguyễn Văn An đã được duyệt' },
    ]);
    // Decided once: a second decision is refused; its days have come, so the parent no longer withdraws it.
    expect((await teacher.post(`${school}/leave-requests/${created.id}/decision`, { decision: 'decline', note: 'Đổi ý' })).statusCode).toBe(409);
    expect((await parent.post(`${school}/leave-requests/${created.id}/cancel`)).json()).toMatchObject({ code: 'leave_started' });
  });

  it('decline → nothing in attendance, the note is required and the family reads it', async () => {
    const teacher = await ctx.as('homeroomA1');
    const parent = await ctx.as('parentA');
    const day = schoolDay(today, 8);
    const created = (await parent.post(anLeave, { from: day, to: day, part: 'morning', reason: 'Đi du lịch' })).json<TLeaveRequest>();
    const noNote = await teacher.post(`${school}/leave-requests/${created.id}/decision`, { decision: 'decline' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json<{ detail: string }>().detail).toContain('Ghi chú');
    const declined = await teacher.post(`${school}/leave-requests/${created.id}/decision`, { decision: 'decline', note: 'Trùng ngày kiểm tra giữa kì' });
    expect(declined.json<TLeaveRequest>()).toMatchObject({ status: 'declined', note: 'Trùng ngày kiểm tra giữa kì' });
    expect(await absences(created.id)).toEqual([]);
    expect(await db.selectFrom('attendance').select('day').where('student_id', '=', F.studentAn).where('day', '=', day).execute()).toEqual([]);
    const seen = (await parent.get(anLeave)).json<TLeaveRequests>().items.find((r) => r.id === created.id);
    expect(seen).toMatchObject({ status: 'declined', note: 'Trùng ngày kiểm tra giữa kì', canCancel: false });
  });

  it('withdrawing an approved request before its first day removes the excused absences it wrote (audited)', async () => {
    const teacher = await ctx.as('homeroomA1');
    const parent = await ctx.as('parentA');
    const from = schoolDay(today, 10);
    const to = schoolDay(today, 11);
    const created = (await parent.post(anLeave, { from, to, part: 'full_day', reason: 'Việc gia đình' })).json<TLeaveRequest>();
    await teacher.post(`${school}/leave-requests/${created.id}/decision`, { decision: 'approve', note: 'Cô đồng ý' });
    expect(await absences(created.id)).toHaveLength(2);
    const withdrawn = await parent.post(`${school}/leave-requests/${created.id}/cancel`);
    expect(withdrawn.json<TLeaveRequest>()).toMatchObject({ status: 'withdrawn' });
    expect(await absences(created.id)).toEqual([]);
    expect(await db.selectFrom('audit_log').select('after').where('action', '=', 'leave_request.withdraw').execute()).toEqual([{ after: { from_day: from, to_day: to, part: 'full_day', sessions: 2 } }]);
  });

  it('a teacher of another class, and a replaced homeroom teacher, do not decide', async () => {
    const parent = await ctx.as('parentA');
    const day = schoolDay(today, 14);
    const created = (await parent.post(anLeave, { from: day, to: day, part: 'full_day', reason: 'Ốm' })).json<TLeaveRequest>();
    // mathA1 teaches 6A2 and is given a homeroom grant (of no class yet): another class's teacher does not decide.
    await db.insertInto('role_grant').values({ id: crypto.randomUUID(), user_id: F.users.mathA1, role: 'homeroom_teacher', org_unit_id: F.schoolA1 }).execute();
    const notTheirs = await (await ctx.as('mathA1')).post(`${school}/leave-requests/${created.id}/decision`, { decision: 'approve' });
    expect(notTheirs.statusCode).toBe(404);
    expect(notTheirs.body).not.toContain('Nguyễn Văn An');
    expect((await (await ctx.as('mathA1')).get(`${school}/leave-requests`)).json<TLeaveRequests>().items).toEqual([]);
    // 6A1 is given to mathA1: the former homeroom teacher no longer decides or lists it.
    await db.updateTable('class').set({ homeroom_teacher_id: F.teacherMath }).where('id', '=', F.class6A1).execute();
    const old = await ctx.as('homeroomA1');
    expect((await old.post(`${school}/leave-requests/${created.id}/decision`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await old.get(`${school}/leave-requests`)).json<TLeaveRequests>().items).toEqual([]);
    const now = await ctx.as('mathA1');
    const byNew = await now.post(`${school}/leave-requests/${created.id}/decision`, { decision: "approve" });
    expect(byNew.json<TLeaveRequest>(), byNew.body).toMatchObject({ status: 'approved', decidedBy: 'Thầy Phạm Minh Đức — GVCN 6A1' });
  });
});

describe('after retention (ND 13/2023, docs/privacy.md)', () => {
  it("anonymising a student removes the contact book's free text about them: leave requests and message threads", async () => {
    const { anonymiseStudentRows } = await import('../privacy/privacy.repo.js');
    await db.insertInto('message_thread').values({ id: crypto.randomUUID(), school_id: F.schoolA1, student_id: F.studentAn, kind: 'homeroom', staff_id: null }).execute();
    expect((await db.selectFrom('leave_request').select('id').where('student_id', '=', F.studentAn).execute()).length).toBeGreaterThan(0);
    await db.transaction().execute((trx) => anonymiseStudentRows(trx, F.schoolA1, [F.studentAn], { given_name: 'Ẩn danh', name_sort_key: 'an danh', search_text: 'an danh' }));
    expect(await db.selectFrom('leave_request').select('id').where('student_id', '=', F.studentAn).execute()).toEqual([]);
    expect(await db.selectFrom('message_thread').select('id').where('student_id', '=', F.studentAn).execute()).toEqual([]);
    // The excused absences stay in attendance (the record of the year), no longer tied to a request.
    expect((await db.selectFrom('attendance').select('leave_request_id').where('student_id', '=', F.studentAn).execute()).every((a) => a.leave_request_id === null)).toBe(true);
  });
});
