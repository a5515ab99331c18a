import type { Kysely, Transaction } from 'kysely';
import { SUBJECTS, schoolYearLabel } from '../../../domain/index.js';
import type { Database } from '../db/schema.js';
import type { AuditEntity } from './audit-actions.js';
import {
  accountNames,
  className,
  classNameAndYear,
  latestUnitName,
  staffNameParts,
  studentNameParts,
  transferStudentId,
} from './audit-target.repo.js';

type Db = Transaction<Database> | Kysely<Database>;
type Snapshot = Record<string, unknown>;

/**
 * The human name of what an audit row is about, as it is when the row is written ("Nguyễn Văn
 * An", "9A1 (2025-2026)"): stored with the row (audit_log.target_label) so the log still names a
 * student or class the way they were after a later rename, a transfer or a deletion. Formats are
 * the same as the backfill in migration 0009 writes.
 */

const isObj = (v: unknown): v is Snapshot => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export const personLabel = (r: { family_name?: unknown; middle_name?: unknown; given_name?: unknown }): string | null =>
  str([r.family_name, r.middle_name, r.given_name].filter((p) => typeof p === 'string' && p !== '').join(' '));

/** "9A1 (2025-2026)". */
export const classLabel = (name: string, year: number): string => `${name} (${schoolYearLabel(year)})`;

const subjectName = (code: unknown): string | null => SUBJECTS.find((s) => s.code === code)?.name ?? null;
const TERM_NAME: Record<number, string> = { 1: 'học kì I', 2: 'học kì II' };

/** From the snapshot the row carries, when it holds the name; null when a lookup is needed. */
export function labelFromSnapshot(entity: string, entityId: string | null, before: unknown, after: unknown): string | null {
  const s = isObj(after) ? after : isObj(before) ? before : null;
  switch (entity as AuditEntity) {
    case 'student':
    case 'staff':
      return s ? personLabel(s) : null;
    case 'class':
      return s && str(s.name) && typeof s.year === 'number' ? classLabel(s.name as string, s.year) : null;
    case 'org_unit':
      return s ? str(s.name) : null;
    case 'import_job':
      return s ? str(s.fileName) : null;
    case 'school_year': {
      const year = Number(entityId?.split(':')[1] ?? (s?.year as number | undefined));
      return Number.isInteger(year) && year > 1900 ? schoolYearLabel(year) : null;
    }
    case 'school_subject': {
      const name = s ? subjectName(s.subject_code) : null;
      return s && name && typeof s.year === 'number' ? `${name} khối ${String(s.grade)} (${schoolYearLabel(s.year)})` : null;
    }
    default:
      return null;
  }
}

/** The label of a row about to be written: from its snapshot, else from the tables (same transaction). */
export async function describeAuditTarget(
  trx: Db,
  entry: { entity: string; entityId?: string | null; orgUnitId?: string | null; before?: unknown; after?: unknown },
): Promise<string | null> {
  const id = entry.entityId ?? null;
  const fromSnapshot = labelFromSnapshot(entry.entity, id, entry.before, entry.after);
  if (fromSnapshot || !id) return fromSnapshot;
  const s = isObj(entry.after) ? entry.after : isObj(entry.before) ? entry.before : {};
  switch (entry.entity as AuditEntity) {
    case 'student': {
      const r = await studentNameParts(trx, id);
      return r ? personLabel(r) : null;
    }
    case 'staff': {
      const r = await staffNameParts(trx, id);
      return r ? personLabel(r) : null;
    }
    case 'class': {
      const r = await classNameAndYear(trx, id);
      return r ? classLabel(r.name, r.year) : null;
    }
    case 'app_user':
      return userLabel(trx, id);
    case 'role_grant':
      return typeof s.userId === 'string' ? userLabel(trx, s.userId) : null;
    case 'teaching_assignment': {
      const classId = typeof s.class_id === 'string' ? s.class_id : null;
      const cls = classId ? await className(trx, classId) : undefined;
      const subject = subjectName(s.subject_code);
      if (cls === undefined || !subject || typeof s.year !== 'number') return null;
      return `${subject}, lớp ${cls}, ${TERM_NAME[Number(s.term)] ?? ''} ${schoolYearLabel(s.year)}`.replace(/\s+/g, ' ');
    }
    case 'school_transfer': {
      const studentId = typeof s.from_student_id === 'string' ? s.from_student_id : await transferStudentId(trx, id);
      if (!studentId) return null;
      const r = await studentNameParts(trx, studentId);
      return r ? personLabel(r) : null;
    }
    case 'org_unit':
      return (await latestUnitName(trx, id)) ?? null;
    default:
      return null;
  }
}

async function userLabel(trx: Db, userId: string): Promise<string | null> {
  const u = await accountNames(trx, userId);
  return u ? `${u.display_name} (${u.username})` : null;
}
