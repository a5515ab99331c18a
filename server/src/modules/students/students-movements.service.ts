import type { z } from 'zod';
import type { TStudentProfile, ZChangeStatus, ZTransferClass } from '../../../../contracts/students.js';
import { formatVnDate, schoolYearLabel } from '../../../../domain/index.js';
import { codeListName } from '../../db/reference-data.js';
import type { Database, StudentRow } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { STATUS_LIST, currentWithLearnerId, findClass, findStudent, lockStudent, openEnrolment } from './students.repo.js';
import { closeEnrolment, insertEnrolment, insertEvent, updateStudent } from './students-writes.repo.js';
import { buildProfile, requireStudent } from './students-profile.service.js';
import { type Caller, type Db, currentYear, learnerTaken, notCurrent } from './students.common.js';

// Movements within the school: a class transfer and a change of enrolment status. A move to
// another school is students-school-move.service.ts.

export type TransferClassInput = z.infer<typeof ZTransferClass>;
export type ChangeStatusInput = z.infer<typeof ZChangeStatus>;

/** Statuses after which the learner is no longer on the school's roll: transferred out (04/08/11), dropped out (05/09/12). */
export const LEAVING_STATUSES = new Set(['04', '05', '08', '09', '11', '12']);
const TRANSFER_OUT_STATUSES = new Set(['04', '08', '11']);
/** Statuses that may bring a student who dropped out back onto the roll. */
const DROPOUT_STATUSES = new Set(['05', '09', '12']);

export async function transferClass(db: Db, caller: Caller, schoolId: string, studentId: string, input: TransferClassInput): Promise<TStudentProfile> {
  await requireStudent(db, schoolId, studentId);
  await db.transaction().execute(async (trx) => {
    const student = await lockStudent(trx, schoolId, studentId);
    if (!student) throw notFound('Không tìm thấy học sinh.');
    if (!student.is_current) throw notCurrent();
    if (student.current_class_id === input.toClassId) {
      throw badRequest('same_class', 'Học sinh đang học ở lớp này rồi. Hãy chọn một lớp khác.');
    }
    const target = await findClass(trx, schoolId, input.toClassId);
    if (!target) throw badRequest('class_not_in_school', 'Lớp chuyển đến không thuộc trường này. Hãy chọn một lớp của trường.');
    const open = await openEnrolment(trx, schoolId, studentId);
    const from = student.current_class_id ? await findClass(trx, schoolId, student.current_class_id) : undefined;
    const year = open?.year ?? from?.year ?? (await currentYear(trx, schoolId)).year;
    if (target.year !== year) {
      throw badRequest('class_wrong_year', `Lớp ${target.name} không thuộc năm học ${schoolYearLabel(year)} của học sinh. Hãy chọn lớp cùng năm học.`);
    }
    if (open && input.effectiveDate < open.start_date) {
      throw badRequest(
        'date_before_enrolment',
        `Ngày chuyển lớp (${formatVnDate(input.effectiveDate)}) không được trước ngày học sinh vào lớp hiện tại (${formatVnDate(open.start_date)}).`,
      );
    }
    const before = { ...student, enrolment: open ?? null };
    if (open) await closeEnrolment(trx, schoolId, open.id, input.effectiveDate);
    const enrolment = { school_id: schoolId, id: newId(), student_id: studentId, class_id: target.id, year: target.year, start_date: input.effectiveDate, end_date: null };
    await insertEnrolment(trx, enrolment);
    await updateStudent(trx, schoolId, studentId, { current_class_id: target.id });
    await insertEvent(trx, {
      school_id: schoolId,
      id: newId(),
      student_id: studentId,
      person_id: student.person_id,
      kind: 'class_transfer',
      event_date: input.effectiveDate,
      from_class_id: student.current_class_id,
      to_class_id: target.id,
      note: input.note ?? null,
      created_by: caller.actor.userId,
    });
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'student.transfer_class',
        entity: 'student',
        entityId: studentId,
        orgUnitId: schoolId,
        before,
        after: { ...(await findStudent(trx, schoolId, studentId)), enrolment },
      },
      caller.ip,
    );
  });
  return buildProfile(db, schoolId, studentId);
}

export async function changeStatus(db: Db, caller: Caller, schoolId: string, studentId: string, input: ChangeStatusInput): Promise<TStudentProfile> {
  await requireStudent(db, schoolId, studentId);
  if (codeListName(STATUS_LIST, input.statusCode) === null) {
    throw badRequest('unknown_status', `Trạng thái: mã ${input.statusCode} không có trong danh mục trạng thái học sinh — hãy chọn trạng thái trong danh sách.`);
  }
  const leaving = LEAVING_STATUSES.has(input.statusCode);
  await db.transaction().execute(async (trx) => {
    const student = await lockStudent(trx, schoolId, studentId);
    if (!student) throw notFound('Không tìm thấy học sinh.');
    if (student.status_code === input.statusCode) {
      throw badRequest('same_status', 'Học sinh đang ở trạng thái này rồi.');
    }
    const open = await openEnrolment(trx, schoolId, studentId);
    const patch: Partial<StudentRow> = { status_code: input.statusCode, status_date: input.effectiveDate };
    let reopened: Database['enrolment'] | null = null;
    if (leaving) {
      if (!student.is_current) throw notCurrent();
      if (open && input.effectiveDate < open.start_date) {
        throw badRequest(
          'date_before_enrolment',
          `Ngày hiệu lực (${formatVnDate(input.effectiveDate)}) không được trước ngày học sinh vào lớp hiện tại (${formatVnDate(open.start_date)}).`,
        );
      }
      patch.is_current = false;
      if (open) await closeEnrolment(trx, schoolId, open.id, input.effectiveDate);
    } else if (!student.is_current) {
      // Back on the roll: only a learner who dropped out here; one who transferred out belongs to the other school now.
      if (TRANSFER_OUT_STATUSES.has(student.status_code) || !DROPOUT_STATUSES.has(student.status_code)) {
        throw conflict(
          'student_transferred_out',
          'Học sinh đã chuyển đi nên không thể đổi trạng thái tại trường này. Nếu học sinh quay lại, trường hãy gửi đề nghị tiếp nhận ở mục "Chuyển trường".',
        );
      }
      if (student.learner_id && (await currentWithLearnerId(trx, student.learner_id))) throw learnerTaken(student.learner_id);
      if (student.status_date > input.effectiveDate) {
        throw badRequest('date_before_status', `Ngày hiệu lực không được trước ngày của trạng thái hiện tại (${formatVnDate(student.status_date)}).`);
      }
      patch.is_current = true;
      // Back into the last class when it belongs to the current school year; otherwise the school places them with a class transfer.
      const { year } = await currentYear(trx, schoolId);
      const last = student.current_class_id ? await findClass(trx, schoolId, student.current_class_id) : undefined;
      if (last && last.year === year) {
        reopened = { school_id: schoolId, id: newId(), student_id: studentId, class_id: last.id, year, start_date: input.effectiveDate, end_date: null };
        await insertEnrolment(trx, reopened);
      } else {
        patch.current_class_id = null;
      }
    }
    await updateStudent(trx, schoolId, studentId, patch);
    await insertEvent(trx, {
      school_id: schoolId,
      id: newId(),
      student_id: studentId,
      person_id: student.person_id,
      kind: 'status_change',
      event_date: input.effectiveDate,
      status_code: input.statusCode,
      from_class_id: leaving ? student.current_class_id : null,
      to_class_id: reopened?.class_id ?? null,
      note: input.note ?? null,
      created_by: caller.actor.userId,
    });
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'student.status_change',
        entity: 'student',
        entityId: studentId,
        orgUnitId: schoolId,
        before: student,
        after: await findStudent(trx, schoolId, studentId),
      },
      caller.ip,
    );
  });
  return buildProfile(db, schoolId, studentId);
}
