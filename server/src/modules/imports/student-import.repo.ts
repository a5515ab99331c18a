/**
 * Database side of the student import: the snapshot planStudentImport needs, and the
 * set-based write of a plan inside the job's transaction.
 */
import { sql } from 'kysely';
import { personLabel } from '../../platform/audit-target.js';
import { newId } from '../../platform/ids.js';
import { issueTempCodes, reserveGivenTempCodes } from '../students/temp-codes.js';
import { AUDIT_COLUMNS, type AuditInsert, type Db, auditRow, bulkInsert, bulkUpdateById } from './imports.repo.js';
import type { WriteInput } from './pipeline.js';
import type { StudentCandidate } from './student-import.js';
import {
  type ExistingStudent,
  type FormerRecord,
  type StudentContext,
  type StudentPlan,
  type StudentSnapshot,
  type StudentValues,
  auditView,
} from './student-plan.js';

export async function loadStudentSnapshot(db: Db, schoolId: string, candidates: StudentCandidate[]): Promise<StudentSnapshot> {
  const students = (await db
    .selectFrom('student')
    .select([
      'id', 'person_id', 'learner_id', 'temp_code', 'citizen_id', 'register_number', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex',
      'ethnicity_code', 'status_code', 'status_date', 'birthplace', 'address', 'current_class_id', 'is_current',
    ])
    .where('school_id', '=', schoolId)
    .execute()) as ExistingStudent[];
  const guardians = await db
    .selectFrom('guardian')
    .select(['id', 'student_id', 'relation', 'full_name', 'phone'])
    .where('school_id', '=', schoolId)
    .execute();

  const learnerIds = [...new Set(candidates.map((c) => c.learnerId).filter((x): x is string => !!x))];
  const citizenIds = [...new Set(candidates.map((c) => c.citizenId).filter((x): x is string => !!x))];
  const learnerIdsElsewhere = new Set<string>();
  const formerRecords = new Map<string, FormerRecord>();
  const citizenOwners = new Map<string, { schoolId: string; studentId: string }>();
  if (learnerIds.length > 0) {
    const rows = await db
      .selectFrom('student')
      .select(['learner_id', 'school_id', 'person_id', 'is_current', 'updated_at', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex'])
      .where(sql<boolean>`learner_id = any(${sql.val(learnerIds)}::text[])`)
      .orderBy('updated_at', 'asc')
      .execute();
    for (const r of rows) {
      if (!r.learner_id) continue;
      if (r.is_current && r.school_id !== schoolId) learnerIdsElsewhere.add(r.learner_id);
      if (!r.is_current) {
        // latest wins
        formerRecords.set(r.learner_id, {
          personId: r.person_id,
          schoolId: r.school_id,
          family_name: r.family_name,
          middle_name: r.middle_name,
          given_name: r.given_name,
          date_of_birth: r.date_of_birth,
          sex: r.sex,
        });
      }
    }
  }
  if (citizenIds.length > 0) {
    const rows = await db
      .selectFrom('student')
      .select(['citizen_id', 'school_id', 'id'])
      .where('is_current', '=', true)
      .where(sql<boolean>`citizen_id = any(${sql.val(citizenIds)}::text[])`)
      .execute();
    for (const r of rows) if (r.citizen_id) citizenOwners.set(r.citizen_id, { schoolId: r.school_id, studentId: r.id });
  }
  const classes = await db.selectFrom('class').select(['id', 'year']).where('school_id', '=', schoolId).execute();

  return {
    schoolId,
    students,
    guardians,
    learnerIdsElsewhere,
    citizenOwners,
    formerRecords,
    classYears: new Map(classes.map((c) => [c.id, c.year])),
  };
}

const STUDENT_COLUMNS = [
  'school_id', 'id', 'person_id', 'learner_id', 'temp_code', 'citizen_id', 'register_number', 'family_name', 'middle_name', 'given_name', 'name_sort_key',
  'search_text', 'date_of_birth', 'sex', 'ethnicity_code', 'status_code', 'status_date', 'birthplace', 'address', 'current_class_id',
] as const;
/** What an update overwrites: every written column but the ones that never change (temp_code stays). */
const STUDENT_UPDATE_COLUMNS = STUDENT_COLUMNS.filter((c): c is Exclude<(typeof STUDENT_COLUMNS)[number], 'school_id' | 'id' | 'person_id' | 'temp_code'> =>
  !['school_id', 'id', 'person_id', 'temp_code'].includes(c));
const ENROLMENT_COLUMNS = ['school_id', 'id', 'student_id', 'class_id', 'year', 'start_date', 'end_date'] as const;
const EVENT_COLUMNS = ['school_id', 'id', 'student_id', 'person_id', 'kind', 'event_date', 'status_code', 'from_class_id', 'to_class_id', 'note', 'created_by'] as const;
const GUARDIAN_COLUMNS = ['school_id', 'id', 'student_id', 'relation', 'full_name', 'phone'] as const;

/**
 * Writes a plan with set-based statements, inside the job's transaction: the import is
 * all-or-nothing on the write side too.
 */
export async function writeStudentPlan(trx: Db, plan: StudentPlan, { job, context, onProgress }: WriteInput<StudentContext>): Promise<void> {
  const { schoolId, year } = job;
  const startDate = context.statusDate;
  const actorId = job.actor?.userId ?? null;
  const note = `Nhập từ tệp ${job.fileName}`.slice(0, 500);
  const students: Record<string, unknown>[] = [];
  const enrolments: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const guardians: Record<string, unknown>[] = [];
  const guardianUpdates: { id: string; full_name: string; phone: string | null }[] = [];
  const audits: AuditInsert[] = [];

  // Temporary codes come from the school's one issuer, inside this transaction: the counter row
  // stays locked until the import commits, so an admission meanwhile takes the next free number.
  await reserveGivenTempCodes(trx, schoolId, plan.creates.flatMap((c) => (c.row.temp_code ? [c.row.temp_code] : [])));
  const newCodes = await issueTempCodes(trx, schoolId, plan.creates.filter((c) => c.needsTempCode).length);
  let nextCode = 0;
  for (const planned of plan.creates) {
    const c = planned.needsTempCode ? { ...planned, row: { ...planned.row, temp_code: newCodes[nextCode++] } } : planned;
    const id = newId();
    const personId = c.personId ?? id;
    students.push({ school_id: schoolId, id, person_id: personId, ...c.row });
    enrolments.push({ school_id: schoolId, id: newId(), student_id: id, class_id: c.row.current_class_id, year, start_date: startDate, end_date: null });
    events.push({
      school_id: schoolId, id: newId(), student_id: id, person_id: personId, kind: 'imported', event_date: startDate,
      status_code: c.row.status_code, from_class_id: null, to_class_id: c.row.current_class_id, note, created_by: actorId,
    });
    for (const g of c.guardians) {
      if (g.op === 'insert') guardians.push({ school_id: schoolId, id: newId(), student_id: id, relation: g.relation, full_name: g.name, phone: g.phone });
    }
    audits.push(
      auditRow(job, 'student', 'student.import_create', id, null, {
        ...auditView(c.row),
        guardians: c.guardians.map((g) => ({ relation: g.relation, name: g.name, phone: g.phone })),
        importJobId: job.jobId,
        row: c.candidate.row,
      }, personLabel(c.row)),
    );
  }

  const enrolmentsToClose: string[] = [];
  const studentUpdates: (StudentValues & { id: string })[] = [];
  for (const u of plan.updates) {
    const id = u.existing.id;
    if (u.changed.length > 0) studentUpdates.push({ id, ...u.row });
    if (u.classMove) {
      enrolmentsToClose.push(id);
      enrolments.push({ school_id: schoolId, id: newId(), student_id: id, class_id: u.classMove.to, year, start_date: startDate, end_date: null });
      events.push({
        school_id: schoolId, id: newId(), student_id: id, person_id: u.existing.person_id, kind: u.classMove.kind, event_date: startDate,
        status_code: null, from_class_id: u.classMove.from, to_class_id: u.classMove.to, note, created_by: actorId,
      });
    }
    if (u.statusChanged) {
      events.push({
        school_id: schoolId, id: newId(), student_id: id, person_id: u.existing.person_id, kind: 'status_change', event_date: startDate,
        status_code: u.row.status_code, from_class_id: null, to_class_id: null, note, created_by: actorId,
      });
    }
    for (const g of u.guardians) {
      if (g.op === 'insert') guardians.push({ school_id: schoolId, id: newId(), student_id: id, relation: g.relation, full_name: g.name, phone: g.phone });
      else guardianUpdates.push({ id: g.id, full_name: g.name, phone: g.phone });
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const k of u.changed) {
      before[k] = u.existing[k as keyof ExistingStudent];
      after[k] = u.row[k];
    }
    const gChanges = u.guardians.map((g) => ({ relation: g.relation, name: g.name, phone: g.phone, ...(g.op === 'update' ? { before: g.before } : {}) }));
    // Name, date of birth or sex changed by a file is its own action, so the audit viewer and any
    // review can find every identity change that came from an import.
    const identity = u.identityChanged.length > 0;
    audits.push(
      auditRow(job, 'student', identity ? 'student.import_identity_change' : 'student.import_update', id, before, {
        ...after,
        ...(gChanges.length ? { guardians: gChanges } : {}),
        ...(identity ? { identityFields: u.identityChanged } : {}),
        importJobId: job.jobId,
        row: u.candidate.row,
      }, personLabel(u.row)),
    );
  }

  // Progress counts plan rows (creates then updates), not table rows.
  const total = plan.creates.length + plan.updates.length;
  await bulkInsert(trx, 'student', STUDENT_COLUMNS, students, async (n) => {
    await onProgress?.(Math.min(n, total));
  });
  const done = plan.creates.length;
  if (studentUpdates.length > 0) {
    await bulkUpdateById(trx, 'student', schoolId, STUDENT_UPDATE_COLUMNS, studentUpdates, {
      touchUpdatedAt: true,
      afterChunk: async (n) => {
        await onProgress?.(done + n);
      },
    });
  }
  if (enrolmentsToClose.length > 0) {
    await sql`update enrolment set end_date = ${startDate}::date
      where school_id = ${schoolId}::uuid and end_date is null and student_id = any(${sql.val(enrolmentsToClose)}::uuid[])`.execute(trx);
  }
  await bulkInsert(trx, 'enrolment', ENROLMENT_COLUMNS, enrolments);
  await bulkInsert(trx, 'student_event', EVENT_COLUMNS, events);
  await bulkInsert(trx, 'guardian', GUARDIAN_COLUMNS, guardians);
  if (guardianUpdates.length > 0) {
    await bulkUpdateById(trx, 'guardian', schoolId, ['full_name', 'phone'], guardianUpdates);
  }
  await bulkInsert(trx, 'audit_log', AUDIT_COLUMNS, audits);
  await onProgress?.(total);
}
