/**
 * The staff import's planner: matches each valid row with the school's staff (staff code, else
 * full name + date of birth) and decides what to create, update or leave alone. Pure: the
 * school's staff come from staff-import.repo.ts, which also writes the plan.
 */
import { nameSortKey, searchFold } from '../../../../domain/index.js';
import type { Sex, StaffPosition } from '../../db/schema.js';
import type { ImportPlan, PlannedRowUpdate } from './pipeline.js';
import type { ImportIssue } from './sheet-columns.js';
import type { StaffCandidate } from './staff-import.js';

/** A staff member of the school, as far as the import compares and overwrites. */
export type ExistingStaff = {
  id: string;
  staff_code: string | null;
  family_name: string;
  middle_name: string;
  given_name: string;
  date_of_birth: string | null;
  sex: Sex | null;
  position: StaffPosition;
  qualification_code: string | null;
  contract_type_code: string | null;
  subject_codes: string[];
  phone: string | null;
  email: string | null;
  citizen_id: string | null;
  ethnicity_code: string | null;
};

/** The columns of a staff record that an import writes. */
export type StaffValues = Omit<ExistingStaff, 'id'> & { name_sort_key: string; search_text: string };

export type PlannedStaffCreate = { row: number; values: StaffValues };

export type PlannedStaffUpdate = PlannedRowUpdate<StaffValues>;

export type StaffPlan = ImportPlan<PlannedStaffCreate, PlannedStaffUpdate>;

export type StaffContext = {
  existing: ExistingStaff[];
  /** The file's header of the name column, for messages. */
  nameHeader: string;
};

const fullNameKey = (s: { family_name: string; middle_name: string; given_name: string }) =>
  searchFold([s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' '));

/** Compared to tell an update from an unchanged row; the derived name keys follow the name. */
const COMPARED: (keyof StaffValues)[] = [
  'staff_code', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'position', 'qualification_code',
  'contract_type_code', 'subject_codes', 'phone', 'email', 'citizen_id', 'ethnicity_code',
];

/**
 * Matches by staff code, else by full name + date of birth (a row with a code only takes a
 * person who has none yet); a row without a date of birth still finds a person whose stored
 * record has one. Several candidates, or two rows for one person, are errors on those rows.
 */
export function planStaffImport(candidates: StaffCandidate[], ctx: StaffContext): StaffPlan {
  const byCode = new Map(ctx.existing.filter((s) => s.staff_code).map((s) => [s.staff_code as string, s]));
  const byNameDob = new Map<string, ExistingStaff[]>();
  const byName = new Map<string, ExistingStaff[]>();
  for (const s of ctx.existing) {
    const name = fullNameKey(s);
    const k = `${name}|${s.date_of_birth ?? ''}`;
    byNameDob.set(k, [...(byNameDob.get(k) ?? []), s]);
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  const plan: StaffPlan = { creates: [], updates: [], unchanged: [], issues: [] };
  const claimed = new Map<string, number>();
  const err = (c: StaffCandidate, message: string) =>
    plan.issues.push({ row: c.row, column: ctx.nameHeader, value: c.fullName, message, severity: 'error' } satisfies ImportIssue);

  for (const c of candidates) {
    let match = c.staffCode ? byCode.get(c.staffCode) : undefined;
    if (!match) {
      let same = byNameDob.get(`${searchFold(c.fullName)}|${c.dateOfBirth ?? ''}`) ?? [];
      if (same.length === 0 && !c.dateOfBirth) same = byName.get(searchFold(c.fullName)) ?? [];
      const usable = c.staffCode ? same.filter((s) => !s.staff_code) : same;
      if (usable.length > 1) {
        err(c, `Có ${usable.length} cán bộ cùng họ tên và ngày sinh; hãy ghi Mã cán bộ để phân biệt`);
        continue;
      }
      match = usable[0];
    }
    if (match && claimed.has(match.id)) {
      err(c, `Dòng này và dòng ${claimed.get(match.id)} cùng khớp với một cán bộ đã có`);
      continue;
    }
    const values: StaffValues = {
      staff_code: c.staffCode ?? match?.staff_code ?? null,
      family_name: c.familyName,
      middle_name: c.middleName,
      given_name: c.givenName,
      name_sort_key: nameSortKey(c),
      search_text: searchFold(c.fullName),
      date_of_birth: c.dateOfBirth ?? match?.date_of_birth ?? null,
      sex: c.sex ?? match?.sex ?? null,
      position: c.position ?? match?.position ?? 'teacher',
      qualification_code: c.qualificationCode ?? match?.qualification_code ?? null,
      contract_type_code: c.contractTypeCode ?? match?.contract_type_code ?? null,
      subject_codes: c.subjectCodes ?? match?.subject_codes ?? [],
      phone: c.phone ?? match?.phone ?? null,
      email: c.email ?? match?.email ?? null,
      citizen_id: c.citizenId ?? match?.citizen_id ?? null,
      ethnicity_code: c.ethnicityCode ?? match?.ethnicity_code ?? null,
    };
    if (!match) {
      plan.creates.push({ row: c.row, values });
      continue;
    }
    claimed.set(match.id, c.row);
    const m = match;
    const changed = COMPARED.filter((k) => JSON.stringify(values[k]) !== JSON.stringify(m[k as keyof ExistingStaff]));
    if (changed.length === 0) {
      plan.unchanged.push(c.row);
      continue;
    }
    plan.updates.push({ row: c.row, id: m.id, values, changed, before: Object.fromEntries(changed.map((k) => [k, m[k as keyof ExistingStaff]])) });
  }
  return plan;
}
