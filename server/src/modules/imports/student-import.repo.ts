/**
 * Database side of the student import: the snapshot planStudentImport needs, and the
 * set-based write of a plan inside the caller's transaction.
 */
import { sql } from 'kysely';
import type { AuditAction } from '../../platform/audit-actions.js';
import { personLabel } from '../../platform/audit-target.js';
import { newId } from '../../platform/ids.js';
import { issueTempCodes, reserveGivenTempCodes } from '../students/temp-codes.js';
import { AUDIT_COLUMNS, type AuditInsert, type Db, bulkInsert, bulkUpdateById } from './imports.repo.js';
import { type ExistingStudent, type FormerRecord, type StudentCandidate, type StudentPlan, type StudentSnapshot, auditView } from './student-import.js';

export async function loadStudentSnapshot(db: Db, schoolId: string, candidates: StudentCandidate[]): Promise<StudentSnapshot> {
  const students = (await db
    .selectFrom('student')
    .select([
      'id', 'person_id', 'learner_id', 'temp_code', 'citizen_id', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex',
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
  'school_id', 'id', 'person_id', 'learner_id', 'temp_code', 'citizen_id', 'family_name', 'middle_name', 'given_name', 'name_sort_key',
  'search_text', 'date_of_birth', 'sex', 'ethnicity_code', 'status_code', 'status_date', 'birthplace', 'address', 'current_class_id',
] as const;
const STUDENT_UPDATE_COLUMNS = STUDENT_COLUMNS.filter((c) => !['school_id', 'id', 'person_id', 'temp_code'].includes(c));
const ENROLMENT_COLUMNS = ['school_id', 'id', 'student_id', 'class_id', 'year', 'start_date', 'end_date'] as const;
const EVENT_COLUMNS = ['school_id', 'id', 'student_id', 'person_id', 'kind', 'event_date', 'status_code', 'from_class_id', 'to_class_id', 'note', 'created_by'] as const;
const GUARDIAN_COLUMNS = ['school_id', 'id', 'student_id', 'relation', 'full_name', 'phone'] as const;

export type StudentWriteContext = {
  schoolId: string;
  year: number;
  /** Date the new enrolments and events start: today, or the first day of the school year if that is later. */
  startDate: string;
  actor: { userId: string; username: string } | null;
  ip: string | null;
  jobId: string;
  fileName: string;
  /** Progress: rows of the plan written so far. */
  onProgress?: (written: number) => Promise<void> | void;
};

/**
 * Writes a plan with set-based statements. Must run inside the caller's transaction: the
 * import is all-or-nothing on the write side too.
 */
export async function writeStudentPlan(trx: Db, plan: StudentPlan, ctx: StudentWriteContext): Promise<void> {
  const { schoolId } = ctx;
  const actorId = ctx.actor?.userId ?? null;
  const note = `Nhập từ tệp ${ctx.fileName}`.slice(0, 500);
  const students: Record<string, unknown>[] = [];
  const enrolments: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const guardians: Record<string, unknown>[] = [];
  const guardianUpdates: Record<string, unknown>[] = [];
  const audits: AuditInsert[] = [];
  const audit = (action: AuditAction, entityId: string, before: unknown, after: unknown, targetLabel: string | null) =>
    audits.push({
      id: newId(),
      user_id: actorId,
      username: ctx.actor?.username ?? null,
      action,
      entity: 'student',
      entity_id: entityId,
      org_unit_id: schoolId,
      before,
      after,
      ip: ctx.ip,
      target_label: targetLabel,
    });

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
    enrolments.push({ school_id: schoolId, id: newId(), student_id: id, class_id: c.row.current_class_id, year: ctx.year, start_date: ctx.startDate, end_date: null });
    events.push({
      school_id: schoolId, id: newId(), student_id: id, person_id: personId, kind: 'imported', event_date: ctx.startDate,
      status_code: c.row.status_code, from_class_id: null, to_class_id: c.row.current_class_id, note, created_by: actorId,
    });
    for (const g of c.guardians) {
      if (g.op === 'insert') guardians.push({ school_id: schoolId, id: newId(), student_id: id, relation: g.relation, full_name: g.name, phone: g.phone });
    }
    audit('student.import_create', id, null, {
      ...auditView(c.row),
      guardians: c.guardians.map((g) => ({ relation: g.relation, name: g.name, phone: g.phone })),
      importJobId: ctx.jobId,
      row: c.candidate.row,
    }, personLabel(c.row));
  }

  const changedUpdates = plan.updates.filter((u) => u.changed.length > 0 || u.guardians.length > 0);
  const enrolmentsToClose: string[] = [];
  const studentUpdates: Record<string, unknown>[] = [];
  for (const u of changedUpdates) {
    const id = u.existing.id;
    if (u.changed.length > 0) studentUpdates.push({ id, ...u.row });
    if (u.classMove) {
      enrolmentsToClose.push(id);
      enrolments.push({ school_id: schoolId, id: newId(), student_id: id, class_id: u.classMove.to, year: ctx.year, start_date: ctx.startDate, end_date: null });
      events.push({
        school_id: schoolId, id: newId(), student_id: id, person_id: u.existing.person_id, kind: u.classMove.kind, event_date: ctx.startDate,
        status_code: null, from_class_id: u.classMove.from, to_class_id: u.classMove.to, note, created_by: actorId,
      });
    }
    if (u.statusChanged) {
      events.push({
        school_id: schoolId, id: newId(), student_id: id, person_id: u.existing.person_id, kind: 'status_change', event_date: ctx.startDate,
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
    audit(identity ? 'student.import_identity_change' : 'student.import_update', id, before, {
      ...after,
      ...(gChanges.length ? { guardians: gChanges } : {}),
      ...(identity ? { identityFields: u.identityChanged } : {}),
      importJobId: ctx.jobId,
      row: u.candidate.row,
    }, personLabel(u.row));
  }

  // Progress counts plan rows (creates then updates), not table rows.
  const total = plan.creates.length + plan.updates.length;
  let done = 0;
  await bulkInsert(trx, 'student', STUDENT_COLUMNS, students, async (n) => {
    await ctx.onProgress?.(Math.min(n, total));
  });
  done = plan.creates.length;
  if (studentUpdates.length > 0) {
    await bulkUpdateById(trx, 'student', schoolId, STUDENT_UPDATE_COLUMNS as never[], studentUpdates as { id: string }[], {
      touchUpdatedAt: true,
      afterChunk: async (n) => {
        await ctx.onProgress?.(done + n);
      },
    });
  }
  if (enrolmentsToClose.length > 0) {
    await sql`update enrolment set end_date = ${ctx.startDate}::date
      where school_id = ${schoolId}::uuid and end_date is null and student_id = any(${sql.val(enrolmentsToClose)}::uuid[])`.execute(trx);
  }
  await bulkInsert(trx, 'enrolment', ENROLMENT_COLUMNS, enrolments);
  await bulkInsert(trx, 'student_event', EVENT_COLUMNS, events);
  await bulkInsert(trx, 'guardian', GUARDIAN_COLUMNS, guardians);
  if (guardianUpdates.length > 0) {
    await bulkUpdateById(trx, 'guardian', schoolId, ['full_name', 'phone'] as never[], guardianUpdates as { id: string }[]);
  }
  await bulkInsert(trx, 'audit_log', AUDIT_COLUMNS, audits);
  await ctx.onProgress?.(total);
}
