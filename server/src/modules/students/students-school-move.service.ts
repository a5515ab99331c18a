import { formatVnDate } from '../../../../domain/index.js';
import type { ClassRow, StudentRow } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { findStudent, openEnrolment, schoolYears } from './students.repo.js';
import {
  closeEnrolment,
  grantRoleIfMissing,
  insertEnrolment,
  insertEvent,
  insertGuardians,
  insertStudent,
  relinkStudentAccounts,
  updateStudent,
} from './students-writes.repo.js';
import { type Trx, notCurrent, periodOf, snapshot } from './students.common.js';

const TRANSFER_CODES = {
  out: { term1: '04', term2: '08', summer: '11' },
  in: { term1: '02', term2: '06', summer: '10' },
} as const;

/** What moving a learner's record between schools needs; both sides' consent is the caller's business. */
export type LearnerMove = {
  /** The learner's current record at the sending school, locked by the caller's transaction. */
  from: StudentRow;
  toSchoolId: string;
  /** The receiving school's class, already checked (placeable year, level and grade). */
  toClass: ClassRow;
  effectiveDate: string;
  note: string | null;
  /** The two-sided transfer this move completes (kept in the audit rows). */
  transferId: string;
};

/**
 * Moves a learner's record to another school, inside the caller's transaction: the old row is
 * closed (not current, status "chuyển đi", enrolment ended, event, audit row), a new row at the
 * receiving school carries the same person_id and learner id with the guardians, parent grants,
 * the learner's own account, an enrolment in the class, an event and an audit row. The learner is
 * never duplicated and the history reads across both schools. Returns the new record's id.
 * Called only when a two-sided transfer completes (modules/transfers).
 */
export async function moveLearner(trx: Trx, actor: Actor, ip: string | null | undefined, move: LearnerMove): Promise<string> {
  const { from: old, toSchoolId: schoolId, toClass: target } = move;
  if (!old.is_current) throw notCurrent();
  const newStudentId = newId();
  const open = await openEnrolment(trx, old.school_id, old.id);
  if (open && move.effectiveDate < open.start_date) {
    throw badRequest(
      'date_before_enrolment',
      `Ngày chuyển trường (${formatVnDate(move.effectiveDate)}) không được trước ngày học sinh vào lớp ở trường cũ (${formatVnDate(open.start_date)}).`,
    );
  }
  const oldYears = await schoolYears(trx, old.school_id);
  const period = periodOf(oldYears, move.effectiveDate);
  const outCode = TRANSFER_CODES.out[period];
  const inCode = TRANSFER_CODES.in[period];
  const note = move.note;

  // 1. Close the old school's row first: the unique indexes allow one current row per learner id / citizen id.
  const oldBefore = await snapshot(trx, old.school_id, old.id);
  await updateStudent(trx, old.school_id, old.id, { is_current: false, status_code: outCode, status_date: move.effectiveDate });
  if (open) await closeEnrolment(trx, old.school_id, open.id, move.effectiveDate);
  await insertEvent(trx, {
    school_id: old.school_id,
    id: newId(),
    student_id: old.id,
    person_id: old.person_id,
    kind: 'transfer_out',
    event_date: move.effectiveDate,
    status_code: outCode,
    from_class_id: old.current_class_id,
    other_school_id: schoolId,
    note,
    created_by: actor.userId,
  });
  await writeAudit(
    trx,
    actor,
    {
      action: 'student.transfer_out',
      entity: 'student',
      entityId: old.id,
      orgUnitId: old.school_id,
      before: oldBefore,
      after: { ...(await findStudent(trx, old.school_id, old.id)), toSchoolId: schoolId, transferId: move.transferId },
    },
    ip,
  );

  // 2. Open the learner's row in the receiving school with the same person, profile and guardians.
  await insertStudent(trx, {
    school_id: schoolId,
    id: newStudentId,
    person_id: old.person_id,
    learner_id: old.learner_id,
    temp_code: null,
    citizen_id: old.citizen_id,
    family_name: old.family_name,
    middle_name: old.middle_name,
    given_name: old.given_name,
    name_sort_key: old.name_sort_key,
    search_text: old.search_text,
    date_of_birth: old.date_of_birth,
    sex: old.sex,
    ethnicity_code: old.ethnicity_code,
    religion_code: old.religion_code,
    birthplace: old.birthplace,
    address: old.address,
    status_code: inCode,
    status_date: move.effectiveDate,
    is_current: true,
    current_class_id: target.id,
  });
  const guardians = oldBefore.guardians.map((g) => ({ ...g, school_id: schoolId, id: newId(), student_id: newStudentId }));
  await insertGuardians(trx, guardians);
  // Parent accounts linked to the guardians keep seeing their child, now at the receiving school.
  const grants: string[] = [];
  for (const userId of new Set(guardians.map((g) => g.user_id).filter((u): u is string => !!u))) {
    if (await grantRoleIfMissing(trx, newId(), userId, 'parent', schoolId)) grants.push(userId);
  }
  // The learner's own account follows the learner to the new row.
  const accounts = await relinkStudentAccounts(trx, { schoolId: old.school_id, id: old.id }, { schoolId, id: newStudentId });
  for (const a of accounts) await grantRoleIfMissing(trx, newId(), a.id, 'student', schoolId);
  await insertEnrolment(trx, {
    school_id: schoolId,
    id: newId(),
    student_id: newStudentId,
    class_id: target.id,
    year: target.year,
    start_date: move.effectiveDate,
    end_date: null,
  });
  await insertEvent(trx, {
    school_id: schoolId,
    id: newId(),
    student_id: newStudentId,
    person_id: old.person_id,
    kind: 'transfer_in',
    event_date: move.effectiveDate,
    status_code: inCode,
    to_class_id: target.id,
    other_school_id: old.school_id,
    note,
    created_by: actor.userId,
  });
  await writeAudit(
    trx,
    actor,
    {
      action: 'student.transfer_in',
      entity: 'student',
      entityId: newStudentId,
      orgUnitId: schoolId,
      after: {
        ...(await snapshot(trx, schoolId, newStudentId)),
        fromSchoolId: old.school_id,
        fromStudentId: old.id,
        transferId: move.transferId,
        parentGrants: grants,
        studentAccounts: accounts.map((a) => a.id),
      },
    },
    ip,
  );
  return newStudentId;
}
