import type { Kysely, Transaction } from 'kysely';
import { isoToday, joinFullName, schoolYearOf } from '../../../../domain/index.js';
import type { Database, SchoolLevel } from '../../db/schema.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { readingDate } from '../../platform/org-tree.js';
import { codeListItem, findUnitOn, latestStartedYear } from './school.repo.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export const personName = (p: { family_name: string | null; middle_name: string | null; given_name: string | null }) =>
  joinFullName({ familyName: p.family_name ?? '', middleName: p.middle_name ?? '', givenName: p.given_name ?? '' });

const LEVEL_GRADES: Record<SchoolLevel, number[]> = {
  preschool: [0],
  primary: [1, 2, 3, 4, 5],
  lower_secondary: [6, 7, 8, 9],
  upper_secondary: [10, 11, 12],
};

/** Grades a school teaches from its levels (0 = preschool). */
export function gradesOfLevels(levels: readonly SchoolLevel[]): number[] {
  return [...new Set(levels.flatMap((l) => LEVEL_GRADES[l] ?? []))].sort((a, b) => a - b);
}

/** "khối 6–9" / "mầm non và khối 1–5" for messages. */
export function describeGrades(grades: number[]): string {
  const parts: string[] = [];
  if (grades.includes(0)) parts.push('mầm non');
  const g = grades.filter((x) => x > 0);
  if (g.length > 0) parts.push(g.length === 1 ? `khối ${g[0]}` : `khối ${g[0]}–${g[g.length - 1]}`);
  return parts.length > 0 ? parts.join(' và ') : 'chưa khai báo cấp học';
}

export type School = { id: string; name: string; levels: SchoolLevel[]; grades: number[] };

/**
 * The school named in the path, as it is today (a closed school as it was on its last day). The
 * access hook already checked the caller's roles over the unit; this makes sure the unit is a
 * school (an office id answers 404).
 */
export async function requireSchool(db: Db | Trx, schoolId: string): Promise<School> {
  const today = isoToday();
  const unit = (await findUnitOn(db, schoolId, today)) ?? (await findUnitOn(db, schoolId, await readingDate(db, schoolId, today)));
  if (!unit || unit.kind !== 'school') throw notFound('Không tìm thấy trường.');
  return { id: unit.id, name: unit.name, levels: unit.school_levels, grades: gradesOfLevels(unit.school_levels) };
}

/** The year a list shows by default: the latest declared year that has started, else the calendar's. */
export async function defaultYear(db: Db, schoolId: string): Promise<number> {
  const today = isoToday();
  return (await latestStartedYear(db, schoolId, today)) ?? schoolYearOf(today);
}

/** Checks a code against a Ministry code list; `label` names the field in Vietnamese. */
export async function assertInCodeList(db: Db | Trx, list: string, code: string, label: string, errorCode: string) {
  const item = await codeListItem(db, list, code);
  if (!item) throw badRequest(errorCode, `Mã ${label} "${code}" không có trong danh mục ${list}. Hãy chọn giá trị trong danh mục.`);
  return item;
}

/** Two class names are "the same" regardless of case and spacing (6a1 = 6A1). */
export const sameName = (a: string, b: string) =>
  a.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi') === b.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
