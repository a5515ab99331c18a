/**
 * Database side of the class import: the school's staff (to find homeroom teachers), the
 * year's classes for planClassImport, and the set-based write of a plan inside the job's
 * transaction.
 */
import { classLabel } from '../../platform/audit-target.js';
import { newId } from '../../platform/ids.js';
import type { ClassContext, ClassPlan, ClassValues, ExistingClass } from './class-plan.js';
import type { StaffRef } from './class-import.js';
import { AUDIT_COLUMNS, type AuditInsert, type Db, auditRow, bulkInsert, bulkUpdateById } from './imports.repo.js';
import type { WriteInput } from './pipeline.js';

/** Every staff member of the school (those who left too: the validator says why they cannot be chosen). */
export async function loadStaffRefs(db: Db, schoolId: string): Promise<StaffRef[]> {
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'family_name', 'middle_name', 'given_name', 'staff_code', 'status'])
    .where('school_id', '=', schoolId)
    .execute();
  return staff.map((s) => ({
    id: s.id,
    fullName: [s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' '),
    staffCode: s.staff_code,
    status: s.status,
  }));
}

export async function loadClassesOfYear(db: Db, schoolId: string, year: number): Promise<ExistingClass[]> {
  return db
    .selectFrom('class')
    .select(['id', 'name', 'grade', 'session', 'is_multi_grade', 'homeroom_teacher_id'])
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .execute();
}

const CLASS_VALUE_COLUMNS = ['grade', 'session', 'is_multi_grade', 'homeroom_teacher_id'] as const satisfies readonly (keyof ClassValues)[];
const CLASS_COLUMNS = ['school_id', 'id', 'year', 'name', 'age_group', 'site_id', ...CLASS_VALUE_COLUMNS] as const;

/** One insert and one update for the whole plan, and the audit rows of every class written. */
export async function writeClassPlan(trx: Db, plan: ClassPlan, { job }: WriteInput<ClassContext>): Promise<void> {
  const { schoolId, year } = job;
  const inserts: (ClassValues & { school_id: string; id: string; year: number; name: string; age_group: null; site_id: null })[] = [];
  const audits: AuditInsert[] = [];
  for (const c of plan.creates) {
    const id = newId();
    inserts.push({ school_id: schoolId, id, year, name: c.name, age_group: null, site_id: null, ...c.values });
    audits.push(
      auditRow(job, 'class', 'class.import_create', id, null, { year, name: c.name, ...c.values, importJobId: job.jobId, row: c.row }, classLabel(c.name, year)),
    );
  }
  for (const u of plan.updates) {
    const after = Object.fromEntries(u.changed.map((k) => [k, u.values[k]]));
    audits.push(auditRow(job, 'class', 'class.import_update', u.id, u.before, { ...after, importJobId: job.jobId, row: u.row }, classLabel(u.name, year)));
  }
  await bulkUpdateById(trx, 'class', schoolId, CLASS_VALUE_COLUMNS, plan.updates.map((u) => ({ id: u.id, ...u.values })));
  await bulkInsert(trx, 'class', CLASS_COLUMNS, inserts);
  await bulkInsert(trx, 'audit_log', AUDIT_COLUMNS, audits);
}
