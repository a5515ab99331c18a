import type { Kysely } from 'kysely';
import type { TCreateLeaveRequest, TDecideLeaveRequest, TLeaveRequest, TLeaveRequests } from '../../../../contracts/leave-requests.js';
import {
  LEAVE_LIMITS,
  LEAVE_PART_LABELS,
  type ClassSession,
  addDays,
  formatVnDate,
  isoToday,
  joinFullName,
  leaveParts,
  partSessions,
  schoolDays,
} from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { isGuardianOf } from '../../platform/access.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { recordApprovedLeave, removeApprovedLeave } from '../gradebook/attendance.service.js';
import { type Caller, termDates } from '../gradebook/class-standing.js';
import { findGradebookClass } from '../gradebook/gradebook.repo.js';
import { findContactStudent, guardianUserIds, staffUserIds } from '../messages/messages.repo.js';
import { homeroomLabel } from '../messages/messages.service.js';
import { notify } from '../notifications/notify.js';
import { type LeaveRow, findLeaveRequest, findOverlapping, insertLeaveRequest, listHomeroomLeaveRequests, listStudentLeaveRequests, moveLeaveRequest } from './leave-requests.repo.js';

/**
 * Đơn xin nghỉ học (issue 11 §5): a parent asks for days and sessions of the child's class with a
 * reason; the class's homeroom teacher approves (the sessions become excused absences, written by
 * the attendance service: attendance.service.ts recordApprovedLeave) or declines with a note.
 *
 * Decided here:
 * - a request reaches from up to 7 days back (written after a sick day) to 60 days ahead, at most
 *   31 days long, inside the class's school year; Sundays are not school days;
 * - a half-day class has one session: "cả ngày" is that session, the other one is refused;
 * - two pending or approved requests of a child never cover the same day;
 * - the parent cancels a pending request at any time, and withdraws an approved one only before its
 *   first day: the excused absences it wrote go with it (after that day the record is the
 *   teacher's, who changes it in attendance).
 */

type Db = Kysely<Database>;

const nameOf = (r: { family_name: string; middle_name: string; given_name: string }) => joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });

/** The sessions a request covers in its class: every school day of the range × the part's sessions. */
function sessionsOf(r: { from_day: string; to_day: string; part: 'morning' | 'afternoon' | 'full_day'; class_session: ClassSession }) {
  const sessions = partSessions(r.part, r.class_session) ?? [];
  return schoolDays(r.from_day, r.to_day).flatMap((date) => sessions.map((session) => ({ date, session })));
}

function present(r: LeaveRow, reader: { family: boolean; homeroom: boolean }, today: string): TLeaveRequest {
  return {
    id: r.id,
    studentId: r.student_id,
    student: nameOf(r),
    className: r.class_name,
    from: r.from_day,
    to: r.to_day,
    part: r.part,
    sessions: sessionsOf(r).length,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by_label,
    requestedAt: new Date(r.created_at).toISOString(),
    decidedBy: r.decided_by_label,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    note: r.decision_note,
    canDecide: reader.homeroom && r.status === 'pending',
    canCancel: reader.family && (r.status === 'pending' || (r.status === 'approved' && r.from_day > today)),
  };
}

async function mustFind(db: Db, schoolId: string, id: string): Promise<LeaveRow> {
  const row = await findLeaveRequest(db, schoolId, id);
  if (!row) throw notFound('Không tìm thấy đơn xin nghỉ.');
  return row;
}

async function familyStudent(db: Db, caller: Caller, schoolId: string, studentId: string) {
  const student = await findContactStudent(db, schoolId, studentId);
  if (!student || !caller.roles.has('parent') || !(await isGuardianOf(db, caller.actor, schoolId, studentId))) throw notFound('Không tìm thấy học sinh.');
  return student;
}

/** The family's requests for a child, and the parts the child's class has for the form. */
export async function familyLeaveRequests(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TLeaveRequests> {
  const student = await familyStudent(db, caller, schoolId, studentId);
  const today = isoToday();
  const rows = await listStudentLeaveRequests(db, schoolId, studentId);
  return { items: rows.map((r) => present(r, { family: true, homeroom: false }, today)), parts: student.session ? leaveParts(student.session) : [], className: student.class_name };
}

/** A parent asks for leave for their child. The homeroom teacher is told. */
export async function createLeaveRequest(db: Db, caller: Caller, schoolId: string, studentId: string, input: TCreateLeaveRequest): Promise<TLeaveRequest> {
  const student = await familyStudent(db, caller, schoolId, studentId);
  const classId = student.current_class_id;
  if (!classId || !student.session) throw new AppError(422, 'leave_no_class', 'Học sinh: em chưa được xếp lớp; nhà trường chưa nhận được đơn xin nghỉ.');
  const today = isoToday();
  const className = student.class_name ?? '';
  if (input.to < input.from) throw new AppError(422, 'leave_range_reversed', 'Đến ngày: phải sau hoặc bằng Từ ngày.');
  const earliest = addDays(today, -LEAVE_LIMITS.daysBack);
  if (input.from < earliest) throw new AppError(422, 'leave_too_late', `Từ ngày: chỉ xin nghỉ cho những ngày từ ${formatVnDate(earliest)} trở đi (tối đa ${LEAVE_LIMITS.daysBack} ngày trước hôm nay).`);
  const latest = addDays(today, LEAVE_LIMITS.daysAhead);
  if (input.to > latest) throw new AppError(422, 'leave_too_early', `Đến ngày: chỉ xin nghỉ trước tối đa ${LEAVE_LIMITS.daysAhead} ngày (đến ${formatVnDate(latest)}).`);
  if (addDays(input.from, LEAVE_LIMITS.maxDays - 1) < input.to) throw new AppError(422, 'leave_too_long', `Đến ngày: một đơn xin nghỉ tối đa ${LEAVE_LIMITS.maxDays} ngày; hãy viết đơn khác cho những ngày sau.`);
  const cls = await findGradebookClass(db, schoolId, classId);
  const year = cls ? { from: termDates(cls, 1).from, to: termDates(cls, 2).to } : null;
  if (year && (input.from < year.from || input.to > year.to)) throw new AppError(422, 'leave_outside_year', `Từ ngày: những ngày xin nghỉ phải thuộc năm học của lớp ${className} (${formatVnDate(year.from)} – ${formatVnDate(year.to)}).`);
  const sessions = partSessions(input.part, student.session);
  if (!sessions) throw new AppError(422, 'leave_session_not_taught', `Buổi xin nghỉ: lớp ${className} chỉ học ${student.session === 'morning' ? 'buổi sáng' : 'buổi chiều'}; hãy chọn "Cả ngày" hoặc buổi lớp học.`);
  if (schoolDays(input.from, input.to).length === 0) throw new AppError(422, 'leave_no_school_day', 'Từ ngày: những ngày đã chọn là Chủ nhật, không có buổi học nào để xin nghỉ.');
  const overlap = await findOverlapping(db, schoolId, studentId, input.from, input.to);
  if (overlap) {
    throw conflict('leave_overlap', `Từ ngày: em đã có đơn ${overlap.status === 'pending' ? 'đang chờ duyệt' : 'đã được duyệt'} cho ${formatVnDate(overlap.from_day)} – ${formatVnDate(overlap.to_day)}; hãy huỷ đơn đó hoặc chọn ngày khác.`);
  }
  const id = crypto.randomUUID();
  const teacherUsers = student.homeroom_teacher_id ? await staffUserIds(db, schoolId, student.homeroom_teacher_id) : [];
  const label = `Phụ huynh em ${nameOf(student)}`;
  await db.transaction().execute(async (trx) => {
    await insertLeaveRequest(trx, { id, schoolId, studentId, classId, from: input.from, to: input.to, part: input.part, reason: input.reason, by: caller.actor.userId, byLabel: label });
    await notify(
      trx,
      teacherUsers.map((userId) => ({
        userId,
        kind: 'leave_request',
        sourceId: id,
        schoolId,
        studentId,
        title: `Đơn xin nghỉ học của em ${nameOf(student)} (${className})`,
        body: input.from === input.to ? `Ngày ${formatVnDate(input.from)}` : `Từ ${formatVnDate(input.from)} đến ${formatVnDate(input.to)}`,
        link: '/don-xin-nghi',
      })),
      { orgUnitId: schoolId, createdBy: caller.actor.userId },
    );
  });
  return present(await mustFind(db, schoolId, id), { family: true, homeroom: false }, today);
}

/** The parent cancels a pending request, or withdraws an approved one before its first day (its absences go). */
export async function cancelLeaveRequest(db: Db, caller: Caller, schoolId: string, requestId: string): Promise<TLeaveRequest> {
  const row = await findLeaveRequest(db, schoolId, requestId);
  if (!row || !caller.roles.has('parent') || !(await isGuardianOf(db, caller.actor, schoolId, row.student_id))) throw notFound('Không tìm thấy đơn xin nghỉ.');
  const today = isoToday();
  if (row.status === 'approved' && row.from_day <= today) throw conflict('leave_started', `Đơn đã được duyệt và đã đến ngày nghỉ (${formatVnDate(row.from_day)}); hãy nhắn giáo viên chủ nhiệm nếu cần sửa.`);
  if (row.status !== 'pending' && row.status !== 'approved') throw conflict('leave_not_pending', 'Đơn này đã kết thúc (không duyệt, đã huỷ hoặc đã rút).');
  const teacherUsers = row.homeroom_teacher_id ? await staffUserIds(db, schoolId, row.homeroom_teacher_id) : [];
  await db.transaction().execute(async (trx) => {
    const to = row.status === 'approved' ? 'withdrawn' : 'cancelled';
    if (!(await moveLeaveRequest(trx, row.id, row.status, to))) throw conflict('leave_not_pending', 'Đơn vừa được xử lý; hãy tải lại.');
    if (to === 'withdrawn') {
      const removed = await removeApprovedLeave(trx, schoolId, row.id, addDays(today, 1));
      await writeAudit(trx, caller.actor, { action: 'leave_request.withdraw', entity: 'student', entityId: row.student_id, orgUnitId: schoolId, targetLabel: nameOf(row), after: { from_day: row.from_day, to_day: row.to_day, part: row.part, sessions: removed } }, caller.ip);
    }
    await notify(
      trx,
      teacherUsers.map((userId) => ({ userId, kind: 'leave_request', sourceId: row.id, schoolId, studentId: row.student_id, title: `Phụ huynh em ${nameOf(row)} đã ${to === 'withdrawn' ? 'rút' : 'huỷ'} đơn xin nghỉ học`, body: `Lớp ${row.class_name}`, link: '/don-xin-nghi' })),
      { orgUnitId: schoolId, createdBy: caller.actor.userId },
    );
  });
  return present(await mustFind(db, schoolId, requestId), { family: true, homeroom: false }, today);
}

const homeroomStaff = (caller: Caller, schoolId: string) => (caller.roles.has('homeroom_teacher') && caller.actor.staff?.schoolId === schoolId ? caller.actor.staff.staffId : null);

/** The homeroom teacher's list: the requests of their classes, pending first (oldest first among them), then the latest. */
export async function teacherLeaveRequests(db: Db, caller: Caller, schoolId: string, onlyPending: boolean): Promise<TLeaveRequests> {
  const staffId = homeroomStaff(caller, schoolId);
  if (!staffId) return { items: [], parts: [], className: null };
  const today = isoToday();
  const rows = await listHomeroomLeaveRequests(db, schoolId, staffId, onlyPending);
  const items = rows.map((r) => present(r, { family: false, homeroom: true }, today));
  items.sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || (a.status === 'pending' ? a.requestedAt.localeCompare(b.requestedAt) : b.requestedAt.localeCompare(a.requestedAt)));
  return { items, parts: [], className: null };
}

/** The homeroom teacher approves (the sessions become excused absences) or declines with a note. Audited; the family is told. */
export async function decideLeaveRequest(db: Db, caller: Caller, schoolId: string, requestId: string, input: TDecideLeaveRequest): Promise<TLeaveRequest> {
  const row = await findLeaveRequest(db, schoolId, requestId);
  const staffId = homeroomStaff(caller, schoolId);
  // Only the homeroom teacher of the request's class (of today: a replaced teacher no longer decides).
  if (!row || !staffId || row.homeroom_teacher_id !== staffId) throw notFound('Không tìm thấy đơn xin nghỉ.');
  if (row.status !== 'pending') throw conflict('leave_not_pending', 'Đơn này không còn chờ duyệt.');
  const label = await homeroomLabel(db, schoolId, staffId, row.class_name);
  const families = await guardianUserIds(db, schoolId, row.student_id);
  const approve = input.decision === 'approve';
  const note = input.note?.trim() || null;
  await db.transaction().execute(async (trx) => {
    if (!(await moveLeaveRequest(trx, row.id, 'pending', approve ? 'approved' : 'declined', { by: caller.actor.userId, byLabel: label, note }))) throw conflict('leave_not_pending', 'Đơn vừa được xử lý; hãy tải lại.');
    let written = 0;
    if (approve) {
      written = await recordApprovedLeave(trx, { id: row.id, schoolId, classId: row.class_id, studentId: row.student_id, sessions: sessionsOf(row), reason: `Đơn xin nghỉ học: ${row.reason}`, by: caller.actor.userId });
    }
    await writeAudit(
      trx,
      caller.actor,
      {
        action: approve ? 'leave_request.approve' : 'leave_request.decline',
        entity: 'student',
        entityId: row.student_id,
        orgUnitId: schoolId,
        targetLabel: nameOf(row),
        after: { from_day: row.from_day, to_day: row.to_day, part: row.part, ...(approve ? { sessions: written } : {}), ...(note ? { decision_note: note } : {}) },
      },
      caller.ip,
    );
    await notify(
      trx,
      families.map((userId) => ({
        userId,
        kind: 'leave_decision',
        sourceId: row.id,
        schoolId,
        studentId: row.student_id,
        title: `Đơn xin nghỉ học của em ${nameOf(row)} ${approve ? 'đã được duyệt' : 'không được duyệt'}`,
        body: `${LEAVE_PART_LABELS[row.part]}, ${row.from_day === row.to_day ? formatVnDate(row.from_day) : `${formatVnDate(row.from_day)} – ${formatVnDate(row.to_day)}`}`,
        link: `/con-cua-toi/${schoolId}/${row.student_id}#don-xin-nghi`,
      })),
      { orgUnitId: schoolId, createdBy: caller.actor.userId },
    );
  });
  return present(await mustFind(db, schoolId, requestId), { family: false, homeroom: true }, isoToday());
}
