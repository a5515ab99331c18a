import type { TStudentProfile } from '../../../../contracts/students.js';
import type { StudentRow } from '../../db/schema.js';
import { hasAny, isGuardianOf, schoolView } from '../../platform/access.js';
import { logAccess } from '../../platform/access-log.js';
import { notFound } from '../../platform/errors.js';
import { UUID_RE } from '../../platform/ids.js';
import { studentInClasses, studentProfileRow } from './students-profile.repo.js';
import { findStudent } from './students.repo.js';
import { type Caller, type Db, FULL_VIEW_ROLES, TEACHER_ROLES, type Trx, currentYear } from './students.common.js';
import { presentProfile } from './students.presenters.js';

// One student's profile, and who may see it.

/** 404 unless the caller may see this student: managers and offices; teachers of its classes; its guardians; the student. */
export async function assertCanSee(db: Db, caller: Caller, student: StudentRow): Promise<void> {
  const { actor, roles } = caller;
  if (hasAny(roles, FULL_VIEW_ROLES)) return;
  if (hasAny(roles, TEACHER_ROLES)) {
    const { year } = await currentYear(db, student.school_id);
    const view = await schoolView(db, roles, actor, student.school_id, year);
    if (view.kind === 'full') return;
    if (await studentInClasses(db, student.school_id, student.id, view.classIds)) return;
  }
  if (roles.has('parent') && (await isGuardianOf(db, actor, student.school_id, student.id))) return;
  if (roles.has('student') && actor.student?.schoolId === student.school_id && actor.student.studentId === student.id) return;
  throw notFound('Không tìm thấy học sinh.');
}

export async function requireStudent(db: Db | Trx, schoolId: string, studentId: string): Promise<StudentRow> {
  if (!UUID_RE.test(studentId)) throw notFound('Không tìm thấy học sinh.');
  const row = await findStudent(db, schoolId, studentId);
  if (!row) throw notFound('Không tìm thấy học sinh.');
  return row;
}

export async function buildProfile(db: Db, schoolId: string, studentId: string): Promise<TStudentProfile> {
  const row = await studentProfileRow(db, schoolId, studentId);
  if (!row) throw notFound('Không tìm thấy học sinh.');
  return presentProfile(row);
}

export async function getStudentProfile(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TStudentProfile> {
  if (!UUID_RE.test(studentId)) throw notFound('Không tìm thấy học sinh.');
  // Read first, then decide: the profile query carries the row the access rule needs.
  const row = await studentProfileRow(db, schoolId, studentId);
  if (!row) throw notFound('Không tìm thấy học sinh.');
  await assertCanSee(db, caller, row);
  // Every view of a record is logged (docs/privacy.md, "Ai đã xem hồ sơ").
  await logAccess(db, caller.actor, { schoolId, studentId }, 'profile_view', caller.ip);
  const profile = presentProfile(row);
  // An open transfer is the school's business (and its offices'): teachers, parents and the learner do not see it.
  return hasAny(caller.roles, FULL_VIEW_ROLES) ? profile : { ...profile, pendingTransfer: null };
}
