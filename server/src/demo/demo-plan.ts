import type { Insertable } from 'kysely';
import { addDays, daysInMonth, type NameParts, nameSortKey, searchFold } from '../../../domain/index.js';
import type {
  AppUserTable,
  ClassSession,
  ClassTable,
  EnrolmentTable,
  GuardianTable,
  OrgUnitTable,
  OrgUnitVersionTable,
  Ownership,
  RoleGrantTable,
  SchoolLevel,
  SchoolYearTable,
  StaffTable,
  StudentEventTable,
  StudentTable,
  TeachingAssignmentTable,
} from '../db/schema.js';
import { newId } from '../platform/ids.js';
import { fullNameOf, type Sex } from './demo-names.js';
import { createRng, type Rng } from './demo-random.js';
import { type Locality, PROVINCE_CODE, TREE_START } from './demo-province.js';

// What every part of the demo build shares: the plan of each school and class, the rows to
// insert, the seeded random source and the id issuers (DemoBuild), and small helpers.

export type SchoolPlan = {
  id: string;
  code: string;
  name: string;
  levels: SchoolLevel[];
  ownership: Ownership;
  loc: Locality;
  isDemo: boolean;
  sites: { id: string; village: string }[];
  classes: ClassPlan[];
  staffSeq: number;
  principalId: string;
  principalName: string;
  tempSeq: number;
};
export type ClassPlan = {
  id: string;
  schoolId: string;
  name: string;
  grade: number;
  level: SchoolLevel;
  ageGroup: string | null;
  /** Grades of the learners (two for a multi-grade class; 0/-1/-2 for preschool age 5/4/3). */
  learnerGrades: number[];
  session: ClassSession;
  isMultiGrade: boolean;
  siteId: string | null;
  weight: number;
  size: number;
  subjects: string[];
  homeroomId: string | null;
  studentRows: Insertable<StudentTable>[];
};
export type TeacherPlan = { id: string; level: SchoolLevel; group: string; load: number; row: Insertable<StaffTable>; noHomeroom: boolean };

export type Rows = {
  orgUnits: Insertable<OrgUnitTable>[];
  versions: Insertable<OrgUnitVersionTable>[];
  schoolYears: Insertable<SchoolYearTable>[];
  staff: Insertable<StaffTable>[];
  classes: Insertable<ClassTable>[];
  students: Insertable<StudentTable>[];
  guardians: Insertable<GuardianTable>[];
  enrolments: Insertable<EnrolmentTable>[];
  events: Insertable<StudentEventTable>[];
  assignments: Insertable<TeachingAssignmentTable>[];
  users: Insertable<AppUserTable>[];
  grants: Insertable<RoleGrantTable>[];
};

// ---------------------------------------------------------------- small helpers
export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Term dates: opening 5/9, term 1 ends mid-January, term 2 starts the Monday after, ends 31/5. */
export function termDates(year: number): { term1_start: string; term1_end: string; term2_start: string; term2_end: string } {
  const term1End = `${year + 1}-01-17`;
  const weekday = new Date(`${term1End}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  const toMonday = ((8 - weekday) % 7) || 7;
  return { term1_start: `${year}-09-05`, term1_end: term1End, term2_start: addDays(term1End, toMonday), term2_end: `${year + 1}-05-31` };
}

/** Split total into integers proportional to weights (largest remainder), at least 1 each when possible. */
export function apportion(total: number, weights: number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const base = total >= n ? 1 : 0;
  const rest = total - base * n;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / sum);
  const out = exact.map((x) => base + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[order[k][1]] += 1;
  return out;
}

/** The plan builds these by construction (the demo school, its 6A1, …): a miss is a bug here, said by name. */
export function planned<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`seed-demo: ${what} is missing from the plan`);
  return value;
}

export function randomDate(rng: Rng, year: number): string {
  const month = rng.int(1, 12);
  return `${year}-${pad(month, 2)}-${pad(rng.int(1, daysInMonth(year, month)), 2)}`;
}

export type PersonFields = { family_name: string; middle_name: string; given_name: string; name_sort_key: string; search_text: string };
// Names repeat a lot (Nguyễn Minh Anh …): caching the sort key and search text per name saves
// a good part of the ~25 µs each costs to compute.
export const personFieldsCache = new Map<string, PersonFields>();
export function personFields(p: NameParts): PersonFields {
  const key = `${p.familyName}|${p.middleName}|${p.givenName}`;
  let hit = personFieldsCache.get(key);
  if (!hit) {
    hit = {
      family_name: p.familyName,
      middle_name: p.middleName,
      given_name: p.givenName,
      name_sort_key: nameSortKey(p),
      search_text: searchFold(fullNameOf(p)),
    };
    personFieldsCache.set(key, hit);
  }
  return hit;
}

export const OCCUPATIONS = ['Nông dân', 'Nông dân', 'Công nhân', 'Kinh doanh', 'Buôn bán', 'Công chức', 'Viên chức', 'Giáo viên', 'Lái xe', 'Lao động tự do', 'Nội trợ', 'Bộ đội'];
export const phone = (rng: Rng): string => `09${pad(rng.int(0, 99_999_999), 8)}`;

// ---------------------------------------------------------------- the build in progress
/**
 * The rows built so far and what the parts of the build read from each other (the offices'
 * ids, the planned schools, their teachers). Every random draw comes from `rng`, in the order
 * seed-demo.ts calls the parts, so the order of those calls is part of the output.
 */
export class DemoBuild {
  readonly rows: Rows = {
    orgUnits: [],
    versions: [],
    schoolYears: [],
    staff: [],
    classes: [],
    students: [],
    guardians: [],
    enrolments: [],
    events: [],
    assignments: [],
    users: [],
    grants: [],
  };
  readonly rng: Rng;
  readonly terms: ReturnType<typeof termDates>;
  readonly citizenIds = new Set<string>();
  learnerSeq = 0;
  readonly learnerOffset: number;
  ministryId = '';
  provinceId = '';
  districtIds: string[] = [];
  communeIds: string[] = [];
  schools: SchoolPlan[] = [];
  readonly teachersBySchool = new Map<string, TeacherPlan[]>();

  constructor(
    readonly seed: number,
    readonly year: number,
    readonly totalStudents: number,
  ) {
    this.rng = createRng(seed);
    this.terms = termDates(year);
    this.learnerOffset = this.rng.int(0, 99_999_999);
  }

  unit(kind: Insertable<OrgUnitTable>['kind'], code: string | null): string {
    const id = newId();
    this.rows.orgUnits.push({ id, kind, code });
    return id;
  }

  version(v: Partial<Insertable<OrgUnitVersionTable>> & { unit_id: string; name: string }): void {
    this.rows.versions.push({
      valid_from: TREE_START,
      valid_to: null,
      parent_id: null,
      school_levels: [],
      ownership: null,
      area: null,
      province_code: PROVINCE_CODE,
      address: null,
      change_reason: null,
      ...v,
    });
  }

  /** A citizen id, 12 digits: province (3) + century/sex digit + 2-digit birth year + 6 random digits; unique. */
  citizenId(sex: Sex, birthYear: number): string {
    const centuryDigit = birthYear >= 2000 ? (sex === 'male' ? 2 : 3) : sex === 'male' ? 0 : 1;
    for (;;) {
      const id = `0${PROVINCE_CODE}${centuryDigit}${pad(birthYear % 100, 2)}${pad(this.rng.int(0, 999_999), 6)}`;
      if (!this.citizenIds.has(id)) {
        this.citizenIds.add(id);
        return id;
      }
    }
  }

  /** A learner id, 10 digits: province code + 8 digits from a bijection of a sequence, so ids never repeat. */
  learnerId(): string {
    this.learnerSeq += 1;
    const n = (this.learnerOffset + this.learnerSeq * 7_368_787) % 100_000_000;
    return `${PROVINCE_CODE}${pad(n, 8)}`;
  }

  demoSchool(): SchoolPlan {
    return planned(this.schools.find((s) => s.isDemo), 'the demo school');
  }
}
