/**
 * Database side of the staff import: the school's staff for planStaffImport, and the set-based
 * write of a plan inside the job's transaction.
 */
import { personLabel } from '../../platform/audit-target.js';
import { newId } from '../../platform/ids.js';
import { AUDIT_COLUMNS, type AuditInsert, type Db, auditRow, bulkInsert, bulkUpdateById } from './imports.repo.js';
import type { WriteInput } from './pipeline.js';
import type { ExistingStaff, StaffContext, StaffPlan, StaffValues } from './staff-plan.js';

export async function loadStaffOfSchool(db: Db, schoolId: string): Promise<ExistingStaff[]> {
  return db
    .selectFrom('staff')
    .select([
      'id', 'staff_code', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'position', 'qualification_code',
      'contract_type_code', 'subject_codes', 'phone', 'email', 'citizen_id', 'ethnicity_code',
    ])
    .where('school_id', '=', schoolId)
    .execute();
}

const STAFF_VALUE_COLUMNS = [
  'staff_code', 'family_name', 'middle_name', 'given_name', 'name_sort_key', 'search_text', 'date_of_birth', 'sex', 'position',
  'qualification_code', 'contract_type_code', 'subject_codes', 'phone', 'email', 'citizen_id', 'ethnicity_code',
] as const satisfies readonly (keyof StaffValues)[];
const STAFF_COLUMNS = ['school_id', 'id', ...STAFF_VALUE_COLUMNS] as const;

/** The staff fields an audit row shows (not the derived name keys). */
function auditView(values: Partial<StaffValues>): Record<string, unknown> {
  const { name_sort_key: _sortKey, search_text: _searchText, ...view } = values;
  return view;
}

/** One insert and one update for the whole plan, and the audit rows of every record written. */
export async function writeStaffPlan(trx: Db, plan: StaffPlan, { job }: WriteInput<StaffContext>): Promise<void> {
  const inserts: (StaffValues & { school_id: string; id: string })[] = [];
  const audits: AuditInsert[] = [];
  for (const c of plan.creates) {
    const id = newId();
    inserts.push({ school_id: job.schoolId, id, ...c.values });
    audits.push(auditRow(job, 'staff', 'staff.import_create', id, null, { ...auditView(c.values), importJobId: job.jobId, row: c.row }, personLabel(c.values)));
  }
  for (const u of plan.updates) {
    const after = Object.fromEntries(u.changed.map((k) => [k, u.values[k]]));
    audits.push(auditRow(job, 'staff', 'staff.import_update', u.id, u.before, { ...after, importJobId: job.jobId, row: u.row }, personLabel(u.values)));
  }
  await bulkInsert(trx, 'staff', STAFF_COLUMNS, inserts);
  await bulkUpdateById(trx, 'staff', job.schoolId, STAFF_VALUE_COLUMNS, plan.updates.map((u) => ({ id: u.id, ...u.values })), { touchUpdatedAt: true });
  await bulkInsert(trx, 'audit_log', AUDIT_COLUMNS, audits);
}
