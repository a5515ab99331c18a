import type { Kysely, Transaction } from 'kysely';
import { isoToday, schoolYearLabel, schoolYearOf } from '../../../../domain/index.js';
import type { ClassRow, Database, Role } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { type AppError, badRequest, conflict } from '../../platform/errors.js';
import { classWithSchoolYears, findStudent, schoolYears } from './students.repo.js';
import { guardiansOf } from './students-profile.repo.js';

// What the students services share: who is calling, which roles see a whole school, the school
// year of a date, where a learner may be placed, and the refusals several of them give.

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

/** Who is calling: the actor, the roles the access hook found over the school, and their IP for the audit log. */
export type Caller = { actor: Actor; roles: Set<Role>; ip?: string | null };

/** Roles that see every record of a school they cover. */
export const FULL_VIEW_ROLES: Role[] = ['system_admin', 'province_officer', 'district_officer', 'principal', 'school_staff'];
export { TEACHER_ROLES } from '../../../../contracts/roles.js';

// ---------------------------------------------------------------- school years

export type SchoolYearRow = Awaited<ReturnType<typeof schoolYears>>[number];

/** The school year that contains `today`; else the newest one the school has set up; else the calendar guess. */
export function pickCurrentYear(years: SchoolYearRow[], today: string): number {
  const hit = years.find((y) => y.term1_start <= today && today <= y.term2_end);
  if (hit) return hit.year;
  const last = years[years.length - 1];
  return last ? last.year : schoolYearOf(today);
}

/** Term 1, term 2, or summer (outside both terms) for a date, from the school's own calendar. */
export function periodOf(years: SchoolYearRow[], date: string): 'term1' | 'term2' | 'summer' {
  const y = years.find((r) => r.term1_start <= date && date <= r.term2_end);
  if (!y) return 'summer';
  // The few days between the terms count as term 2: a transfer then takes effect for term 2.
  return date <= y.term1_end ? 'term1' : 'term2';
}

export async function currentYear(db: Db | Trx, schoolId: string): Promise<{ year: number; years: SchoolYearRow[] }> {
  const years = await schoolYears(db, schoolId);
  return { year: pickCurrentYear(years, isoToday()), years };
}

// ---------------------------------------------------------------- placement

/** Years a new placement may go to: the current one and any school year that has not started yet. */
function placeableYears(years: SchoolYearRow[], current: number, today: string): Set<number> {
  const set = new Set([current]);
  for (const y of years) if (y.term1_start > today) set.add(y.year);
  return set;
}

/** The class exists in this school and belongs to its current or a not-yet-started school year. */
export async function requirePlaceableClass(trx: Db | Trx, schoolId: string, classId: string) {
  return placeableClass(await classWithSchoolYears(trx, schoolId, classId));
}

export function placeableClass<C extends ClassRow & { school_years: SchoolYearRow[] }>(found: C | undefined) {
  if (!found) throw badRequest('class_not_in_school', 'Lớp đã chọn không thuộc trường này. Hãy chọn một lớp của trường.');
  const { school_years: years, ...cls } = found;
  const year = pickCurrentYear(years, isoToday());
  if (!placeableYears(years, year, isoToday()).has(cls.year)) {
    throw badRequest('class_wrong_year', `Lớp ${cls.name} không thuộc năm học ${schoolYearLabel(year)} của trường. Hãy chọn lớp của năm học hiện tại.`);
  }
  return cls;
}

// ---------------------------------------------------------------- shared refusals and the audit snapshot

export const learnerTaken = (learnerId: string): AppError =>
  conflict(
    'learner_id_taken',
    `Mã định danh ${learnerId} đã được dùng cho một học sinh đang đi học. Hãy kiểm tra lại mã; nếu học sinh chuyển từ trường khác đến, hãy gửi đề nghị tiếp nhận ở mục "Chuyển trường".`,
  );

export function notCurrent(): AppError {
  return conflict('student_not_current', 'Học sinh không còn trong danh sách đang học của trường nên không thể thực hiện thao tác này.');
}

/** What the audit log keeps of a student: the row and its guardians. */
export async function snapshot(trx: Trx, schoolId: string, studentId: string) {
  const row = await findStudent(trx, schoolId, studentId);
  const guardians = await guardiansOf(trx, schoolId, studentId);
  return { ...row, guardians };
}
