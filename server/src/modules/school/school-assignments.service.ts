import { compareVietnameseText, schoolYearLabel } from '../../../../domain/index.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest, conflict, isUniqueViolation, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type Db, defaultYear, personName, requireSchool } from './school.common.js';
import {
  deleteAssignmentRow,
  findAssignment,
  findAssignmentSlot,
  findClass,
  findStaff,
  insertAssignment,
  listAssignments,
  subjectsByCode,
} from './school.repo.js';
import { isSubjectTaught } from './school.service.js';

type AssignmentRow = Awaited<ReturnType<typeof listAssignments>>[number];

const TERM_LABEL: Record<number, string> = { 1: 'học kì I', 2: 'học kì II' };

const present = (r: AssignmentRow) => ({
  id: r.id,
  year: r.year,
  term: r.term,
  classId: r.class_id,
  className: r.class_name,
  subjectCode: r.subject_code,
  subjectName: r.subject_name,
  staffId: r.staff_id,
  staffName: personName(r),
});

/** Class (grade, then name 6A2 < 6A10), then catalog subject order, then term. */
const compareRows = (a: AssignmentRow, b: AssignmentRow) =>
  a.year - b.year ||
  a.grade - b.grade ||
  compareVietnameseText(a.class_name, b.class_name) ||
  a.subject_sort - b.subject_sort ||
  a.term - b.term;

export type AssignmentQuery = { year?: number; term?: number; classId?: string; staffId?: string };

export async function getAssignments(db: Db, schoolId: string, query: AssignmentQuery) {
  await requireSchool(db, schoolId);
  // A class or a teacher asked for explicitly shows every year; otherwise the current year.
  const year = query.year ?? (query.classId || query.staffId ? undefined : await defaultYear(db, schoolId));
  const rows = await listAssignments(db, schoolId, { ...query, year });
  return rows.sort(compareRows).map(present);
}

export async function createAssignment(
  db: Db,
  actor: Actor,
  schoolId: string,
  input: { year: number; term: number; classId: string; subjectCode: string; staffId: string },
) {
  await requireSchool(db, schoolId);
  const cls = await findClass(db, schoolId, input.classId);
  if (!cls) throw badRequest('class_not_in_school', 'Không tìm thấy lớp đã chọn trong trường. Hãy chọn lại lớp.');
  if (cls.year !== input.year) {
    throw badRequest(
      'class_year_mismatch',
      `Lớp ${cls.name} thuộc năm học ${schoolYearLabel(cls.year)}, không phải năm học ${schoolYearLabel(input.year)}. Hãy chọn lớp của năm học ${schoolYearLabel(input.year)}.`,
    );
  }
  const staff = await findStaff(db, schoolId, input.staffId);
  if (!staff) throw badRequest('staff_not_in_school', 'Không tìm thấy giáo viên đã chọn trong trường. Hãy chọn lại giáo viên.');
  if (staff.status !== 'active') {
    throw badRequest('staff_left', `${personName(staff)} đã nghỉ công tác tại trường, không thể phân công giảng dạy.`);
  }
  const [subject] = await subjectsByCode(db, [input.subjectCode]);
  if (!subject) {
    throw badRequest('unknown_subject', `Môn học "${input.subjectCode}" không có trong danh mục môn học. Hãy chọn môn trong danh mục.`);
  }
  if (cls.grade === 0 || !(await isSubjectTaught(db, schoolId, input.year, cls.grade, input.subjectCode))) {
    throw badRequest(
      'subject_not_taught',
      cls.grade === 0
        ? `Lớp mầm non ${cls.name} không học theo môn học, không thể phân công môn ${subject.name}.`
        : `Môn ${subject.name} không được dạy ở khối ${cls.grade} năm học ${schoolYearLabel(input.year)} (theo chương trình GDPT 2018 và kế hoạch của trường). Hãy chọn môn khác hoặc điều chỉnh môn học của trường.`,
    );
  }
  const taken = async () => {
    const holder = await findAssignmentSlot(db, schoolId, input);
    const who = holder ? personName(holder) : 'một giáo viên khác';
    return conflict(
      'assignment_taken',
      `Môn ${subject.name} lớp ${cls.name} ${TERM_LABEL[input.term]} năm học ${schoolYearLabel(input.year)} đã phân công cho ${who}. Hãy xóa phân công này trước khi giao cho giáo viên khác.`,
      holder ? { currentStaffId: holder.staff_id, currentAssignmentId: holder.id } : undefined,
    );
  };
  if (await findAssignmentSlot(db, schoolId, input)) throw await taken();
  const id = newId();
  const values = {
    school_id: schoolId,
    id,
    year: input.year,
    term: input.term,
    class_id: input.classId,
    subject_code: input.subjectCode,
    staff_id: input.staffId,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertAssignment(trx, values);
      await writeAudit(trx, actor, { action: 'assignment.create', entity: 'teaching_assignment', entityId: id, orgUnitId: schoolId, after: values });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw await taken();
    throw err;
  }
  const [row] = await listAssignments(db, schoolId, { id });
  return present(row);
}

export async function deleteAssignment(db: Db, actor: Actor, schoolId: string, assignmentId: string) {
  await requireSchool(db, schoolId);
  const existing = await findAssignment(db, schoolId, assignmentId);
  if (!existing) throw notFound('Không tìm thấy phân công chuyên môn trong trường.');
  await db.transaction().execute(async (trx) => {
    await deleteAssignmentRow(trx, schoolId, assignmentId);
    await writeAudit(trx, actor, {
      action: 'assignment.delete',
      entity: 'teaching_assignment',
      entityId: assignmentId,
      orgUnitId: schoolId,
      before: existing,
    });
  });
  return { ok: true };
}
