/**
 * Demo province: one Sở, its (abolished) district offices, the commune offices that took over
 * on 1/7/2025, ~30 schools with classes, staff, teaching assignments, ~20,000 students with
 * guardians, and demo accounts for every role.
 *
 * Deterministic: everything except the UUIDs (newId() is time-based by design) comes from one
 * seeded PRNG, so the same options give the same names, dates, codes and class lists.
 *
 * Speed: all rows are built in memory first and then written in ONE transaction with
 * multi-row inserts of ~1000 rows. PGlite is a single connection behind a WASM bridge where
 * every statement is a round trip, so per-row inserts would take minutes instead of seconds.
 */
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import {
  CURRICULUM,
  daysInMonth,
  isoToday,
  makeTemporaryLearnerCode,
  type NameParts,
  nameSortKey,
  schoolYearOf,
  searchFold,
} from '../../../domain/index.js';
import type {
  AppUserTable,
  ClassSession,
  ClassTable,
  Database,
  EnrolmentTable,
  GuardianTable,
  OrgUnitTable,
  OrgUnitVersionTable,
  Ownership,
  RoleGrantTable,
  SchoolLevel,
  SchoolYearTable,
  StaffPosition,
  StaffTable,
  StudentEventTable,
  StudentTable,
  TeachingAssignmentTable,
} from '../db/schema.js';
import { newId } from '../platform/ids.js';
import { hashPassword } from '../platform/passwords.js';
import { type Area, fullNameOf, makeName, pickEthnicityFor, type Sex } from './demo-names.js';
import { createRng, type Rng } from './demo-random.js';

export const DEFAULT_DEMO_STUDENTS = 20000;
export const DEFAULT_DEMO_SEED = 2025;

export type DemoSummary = { schools: number; students: number; staff: number; classes: number; users: number; ms: number };

export type SeedDemoOptions = { students: number; password: string; seed?: number; schoolYear?: number };

// ---------------------------------------------------------------- the demo geography
// Province code 68 is Lâm Đồng in DM_TINH; the names below are invented ("tỉnh Lâm Hà (demo)")
// so nobody mistakes demo learners for real ones.
const PROVINCE_CODE = '68';
const PROVINCE = 'tỉnh Lâm Hà';
const TREE_START = '2020-01-01';
/** Nghị quyết 190/2025/QH15 & two-level local government: district Phòng GD&ĐT abolished. */
const REFORM_DATE = '2025-07-01';
const REFORM_REASON = 'Tổ chức chính quyền địa phương hai cấp: chuyển về UBND cấp xã quản lý từ 01/07/2025';

type District = { code: string; name: string };
const DISTRICTS: readonly District[] = [
  { code: '672', name: 'Thành phố Đồi Thông' },
  { code: '674', name: 'Huyện Đạ Mây' },
];

type Locality = {
  area: Area;
  district: number;
  officeCode: string;
  commune: string;
  /** Pre-2025 communes that merged into this one: birthplaces are written with those. */
  oldCommunes: readonly string[];
  places: readonly string[];
  villages: readonly string[];
};
const LOCALITIES: readonly Locality[] = [
  {
    area: 'urban',
    district: 0,
    officeCode: '6867201',
    commune: 'phường Xuân Thông',
    oldCommunes: ['Phường 1', 'Phường 2', 'Phường 3', 'Phường 4'],
    places: ['Phan Đình Phùng', 'Trần Phú', 'Hai Bà Trưng', 'Lê Hồng Phong', 'Bùi Thị Xuân', 'Hùng Vương', 'Nguyễn Văn Trỗi', 'Ba Tháng Hai', 'Yersin', 'Hoàng Văn Thụ'],
    villages: ['Tổ dân phố 5', 'Tổ dân phố 9'],
  },
  {
    area: 'rural',
    district: 0,
    officeCode: '6867202',
    commune: 'xã Tân Thành',
    oldCommunes: ['Xã Tân Thành', 'Xã Tân Lập', 'Xã Phú Hội'],
    places: ['Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn 4', 'Thôn 5', 'Thôn 6', 'Thôn Tân Hiệp', 'Thôn Phú Thạnh', 'Thôn Tân Lập'],
    villages: ['Tân Hiệp', 'Phú Thạnh', 'Tân Lập'],
  },
  {
    area: 'mountain',
    district: 1,
    officeCode: '6867401',
    commune: 'xã Đạ Mây',
    oldCommunes: ['Xã Đạ Mây', 'Xã Suối Thông', 'Xã Păng Tiêng'],
    places: ['Thôn Đạ Mây 1', 'Thôn Đạ Mây 2', 'Bon Rơm', 'Thôn Suối Thông', 'Thôn Păng Tiêng', 'Thôn Liêng Hung', 'Thôn Bon Đưng'],
    villages: ['Bon Rơm', 'Păng Tiêng', 'Suối Thông', 'Liêng Hung', 'Bon Đưng', 'Đạ Nhim', 'Đạ Mây Thượng', 'Bon Kơ Xia', 'Suối Đá', 'Đồi Mây', 'Lán Mây', 'Bon Ja Ráp', 'Đạ Ròn', 'Thác Bạc'],
  },
];
const OTHER_BIRTHPLACES = ['Thành phố Hà Nội', 'Thành phố Hồ Chí Minh', 'Tỉnh Nghệ An', 'Tỉnh Thanh Hóa', 'Tỉnh Thái Bình', 'Tỉnh Cao Bằng', 'Tỉnh Hà Giang', 'Tỉnh Quảng Ngãi', 'Tỉnh Khánh Hòa'];

// ---------------------------------------------------------------- school mix
type SchoolTemplate = { levels: SchoolLevel[]; loc: number; ownership?: Ownership };
const P: SchoolLevel = 'preschool';
const TH: SchoolLevel = 'primary';
const CS: SchoolLevel = 'lower_secondary';
const PT: SchoolLevel = 'upper_secondary';
// Roughly the national mix (MN ≈ TH > THCS > THPT) with one TH&THCS in the mountains early on,
// so that even a 6-school demo has every level, a liên cấp school and a second THCS.
const SCHOOL_PATTERN: readonly SchoolTemplate[] = [
  { levels: [TH], loc: 0 },
  { levels: [P], loc: 0 },
  { levels: [PT], loc: 0 },
  { levels: [TH, CS], loc: 2 },
  { levels: [CS], loc: 1 },
  { levels: [P], loc: 1 },
  { levels: [TH], loc: 1 },
  { levels: [P], loc: 2 },
  { levels: [TH], loc: 2 },
  { levels: [CS], loc: 0 },
  { levels: [P], loc: 0, ownership: 'private' },
  { levels: [TH], loc: 0 },
  { levels: [CS], loc: 2 },
  { levels: [P], loc: 1 },
  { levels: [TH], loc: 1 },
  { levels: [PT], loc: 2 },
  { levels: [P], loc: 0 },
  { levels: [TH], loc: 0, ownership: 'private' },
  { levels: [CS], loc: 1 },
  { levels: [TH], loc: 2 },
  { levels: [P], loc: 2 },
  { levels: [TH], loc: 1 },
  { levels: [PT], loc: 1 },
  { levels: [TH, CS], loc: 2 },
  { levels: [P], loc: 0 },
  { levels: [CS], loc: 0 },
  { levels: [TH], loc: 0 },
  { levels: [P], loc: 1, ownership: 'private' },
  { levels: [TH], loc: 1 },
  { levels: [CS], loc: 2 },
];

const NAME_POOLS: Record<SchoolLevel, readonly string[]> = {
  preschool: ['Hoa Sen', 'Sơn Ca', 'Họa Mi', 'Hoa Mai', 'Vành Khuyên', 'Tuổi Thơ', 'Hướng Dương', 'Hoa Hồng', 'Búp Sen Xanh', 'Măng Non', 'Ánh Dương', 'Hoa Phượng', 'Thỏ Ngọc', 'Bình Minh', 'Sao Mai', 'Hoa Ban', 'Hoa Đào', 'Vàng Anh', 'Sóc Nâu', 'Hoa Lan'],
  primary: ['Kim Đồng', 'Lê Văn Tám', 'Võ Thị Sáu', 'Nguyễn Văn Trỗi', 'Trần Quốc Toản', 'Lý Tự Trọng', 'Hoàng Văn Thụ', 'Đoàn Thị Điểm', 'Phù Đổng', 'Lê Lợi', 'Quang Trung', 'Ngô Quyền', 'Trưng Vương', 'Bế Văn Đàn', 'Cù Chính Lan', 'La Văn Cầu', 'Tô Vĩnh Diện', 'Phan Chu Trinh', 'Nguyễn Khuyến', 'Đinh Tiên Hoàng', 'Nguyễn Bá Ngọc', 'Hùng Vương'],
  lower_secondary: ['Lê Quý Đôn', 'Chu Văn An', 'Nguyễn Trãi', 'Trần Phú', 'Lê Hồng Phong', 'Phan Bội Châu', 'Nguyễn Huệ', 'Lý Thường Kiệt', 'Trần Hưng Đạo', 'Nguyễn Đình Chiểu', 'Lương Thế Vinh', 'Nguyễn Văn Cừ', 'Hai Bà Trưng', 'Huỳnh Thúc Kháng', 'Tô Hiệu', 'Lê Lai'],
  upper_secondary: ['Bùi Thị Xuân', 'Trần Quốc Tuấn', 'Nguyễn Thái Học', 'Nguyễn Bỉnh Khiêm', 'Tây Sơn', 'Đống Đa', 'Hoàng Hoa Thám', 'Phan Đình Phùng', 'Nguyễn Tất Thành', 'Lê Thánh Tông'],
};
const LEVEL_TITLE: Record<SchoolLevel, string> = {
  preschool: 'Trường Mầm non',
  primary: 'Trường Tiểu học',
  lower_secondary: 'Trường THCS',
  upper_secondary: 'Trường THPT',
};

/** Classes per grade (preschool: per age group) before scaling to the requested student count. */
const NOMINAL_CLASSES: Record<SchoolLevel, Record<Area, number>> = {
  preschool: { urban: 3, rural: 2, mountain: 2 },
  primary: { urban: 5, rural: 4, mountain: 2 },
  lower_secondary: { urban: 5, rural: 4, mountain: 2 },
  upper_secondary: { urban: 9, rural: 7, mountain: 5 },
};
const TARGET_SIZE: Record<SchoolLevel, Record<Area, number>> = {
  preschool: { urban: 28, rural: 25, mountain: 22 },
  primary: { urban: 38, rural: 34, mountain: 27 },
  lower_secondary: { urban: 42, rural: 38, mountain: 33 },
  upper_secondary: { urban: 43, rural: 41, mountain: 38 },
};
const DEMO_SCHOOL_NAME = 'Trường THCS Nguyễn Du';
/** THCS Nguyễn Du: 6 classes in grades 6–7, 5 in grades 8–9, ~40 students each (≈ 880). */
const DEMO_SCHOOL_CLASSES: Record<number, number> = { 6: 6, 7: 6, 8: 5, 9: 5 };
const DEMO_CLASS_SIZE = 40;
const MULTI_GRADE_SIZE = 14;

const GRADES: Record<SchoolLevel, readonly number[]> = {
  preschool: [0],
  primary: [1, 2, 3, 4, 5],
  lower_secondary: [6, 7, 8, 9],
  upper_secondary: [10, 11, 12],
};
/** DM_NHOM_TUOI_MN: 04 = 3–4 tuổi, 05 = 4–5 tuổi, 06 = 5–6 tuổi (mẫu giáo bé / nhỡ / lớn). */
const AGE_GROUPS = [
  { code: '04', age: 3 },
  { code: '05', age: 4 },
  { code: '06', age: 5 },
] as const;
const CLASS_LETTERS = 'ABCDEFGHIKLMNOPQRSTUVXY';

// ---------------------------------------------------------------- curriculum and teachers
const subjectsOfGrade = new Map<number, { code: string; periods: number; elective: boolean }[]>();
for (const c of CURRICULUM) {
  const list = subjectsOfGrade.get(c.grade) ?? [];
  list.push({ code: c.subjectCode, periods: c.periodsPerYear, elective: c.isElective });
  subjectsOfGrade.set(c.grade, list);
}
const periodsOf = (grade: number, subject: string): number =>
  subjectsOfGrade.get(grade)?.find((s) => s.code === subject)?.periods ?? 0;

/** THPT: every class studies 4 of the elective subjects (a "tổ hợp"); four common ones. */
const THPT_COMBOS: readonly (readonly string[])[] = [
  ['vat_li', 'hoa_hoc', 'sinh_hoc', 'tin_hoc'],
  ['vat_li', 'hoa_hoc', 'tin_hoc', 'cong_nghe'],
  ['dia_li', 'gdktpl', 'tin_hoc', 'cong_nghe'],
  ['dia_li', 'gdktpl', 'vat_li', 'hoa_hoc'],
];
/** Primary: the homeroom teacher teaches these in their own class; specialists teach the rest. */
const PRIMARY_HOMEROOM_SUBJECTS = new Set(['tieng_viet', 'toan', 'dao_duc', 'tnxh', 'lich_su_dia_li', 'khoa_hoc', 'hdtn']);
/** Secondary: HĐTN-HN is normally taught by the homeroom teacher of the class. */
const SECONDARY_HOMEROOM_SUBJECTS = new Set(['hdtn_hn']);
/** Subjects taught by the teachers of another subject (the "tổ" that carries them). */
const SUBJECT_GROUP: Record<string, string> = { gd_dia_phuong: 'ngu_van', chuyen_de: 'toan' };
/** Standard teaching load in periods per week (định mức tiết dạy: TT05/2025 — TH 23, THCS 19, THPT 17). */
const WEEKLY_LOAD: Record<SchoolLevel, number> = { preschool: 30, primary: 23, lower_secondary: 19, upper_secondary: 17 };
const WEEKS = 35;
/** Subjects a homeroom teacher is most often chosen from, in secondary schools. */
const CORE_SUBJECTS = new Set(['toan', 'ngu_van', 'ngoai_ngu_1', 'khtn', 'lich_su_dia_li', 'vat_li', 'hoa_hoc', 'sinh_hoc', 'lich_su', 'dia_li', 'gdcd', 'gdktpl', 'tin_hoc', 'cong_nghe']);

// ---------------------------------------------------------------- plan types
type SchoolPlan = {
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
type ClassPlan = {
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
type TeacherPlan = { id: string; level: SchoolLevel; group: string; load: number; row: Insertable<StaffTable>; noHomeroom: boolean };

type Rows = {
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
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Term dates: opening 5/9, term 1 ends mid-January, term 2 starts the Monday after, ends 31/5. */
function termDates(year: number): { term1_start: string; term1_end: string; term2_start: string; term2_end: string } {
  const term1End = `${year + 1}-01-17`;
  const weekday = new Date(`${term1End}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  const toMonday = ((8 - weekday) % 7) || 7;
  return { term1_start: `${year}-09-05`, term1_end: term1End, term2_start: addDays(term1End, toMonday), term2_end: `${year + 1}-05-31` };
}

/** Split total into integers proportional to weights (largest remainder), at least 1 each when possible. */
function apportion(total: number, weights: number[]): number[] {
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
function planned<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`seed-demo: ${what} is missing from the plan`);
  return value;
}

function randomDate(rng: Rng, year: number): string {
  const month = rng.int(1, 12);
  return `${year}-${pad(month, 2)}-${pad(rng.int(1, daysInMonth(year, month)), 2)}`;
}

type PersonFields = { family_name: string; middle_name: string; given_name: string; name_sort_key: string; search_text: string };
// Names repeat a lot (Nguyễn Minh Anh …): caching the sort key and search text per name saves
// a good part of the ~25 µs each costs to compute.
const personFieldsCache = new Map<string, PersonFields>();
function personFields(p: NameParts): PersonFields {
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

const OCCUPATIONS = ['Nông dân', 'Nông dân', 'Công nhân', 'Kinh doanh', 'Buôn bán', 'Công chức', 'Viên chức', 'Giáo viên', 'Lái xe', 'Lao động tự do', 'Nội trợ', 'Bộ đội'];
const phone = (rng: Rng): string => `09${pad(rng.int(0, 99_999_999), 8)}`;

/** Types whose text form never needs quoting inside an array literal. */
const BARE_ARRAY_TYPES = new Set(['uuid', 'date', 'smallint', 'integer', 'bigint', 'boolean']);

/** A PostgreSQL array literal for one column of a chunk ('{…}'); text elements are quoted. */
function arrayLiteral(part: readonly Record<string, unknown>[], column: string, bare: boolean): string {
  let out = '{';
  for (let k = 0; k < part.length; k++) {
    if (k > 0) out += ',';
    const v = part[k][column];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (typeof v === 'number') out += String(v);
    else if (typeof v !== 'string') throw new Error(`seed-demo: ${column} holds a ${typeof v}, which has no array-literal form here`);
    else if (bare) out += v;
    else out += v.includes('"') || v.includes('\\') ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${out}}`;
}

/**
 * Multi-row insert in chunks of ~1000 rows, shaped for PGlite, where every statement crosses a
 * WASM bridge and the server's per-row work is what costs:
 * - tables with only scalar columns go in as one array parameter per column, expanded with
 *   unnest(): array_in is the cheapest way into PostgreSQL short of COPY;
 * - tables with array columns (staff, org_unit_version; small) go in as one json parameter,
 *   expanded with json_populate_recordset.
 * Both are much cheaper than a VALUES list with ~20 bind parameters per row, and neither can
 * hit the 65,535-parameter limit. Columns absent from the rows keep their defaults.
 */
async function insertAll<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  chunk = 1000,
): Promise<void> {
  if (rows.length === 0) return;
  const names = new Set<string>();
  for (const row of rows) for (const key in row) names.add(key);
  const columns = [...names];
  const typeRows = await sql<{ name: string; type: string }>`
    select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
    where a.attrelid = ${table}::regclass and a.attnum > 0 and not a.attisdropped`.execute(trx);
  const typeOf = new Map(typeRows.rows.map((r) => [r.name, r.type]));
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const useJson = columns.some((c) => typeOf.get(c)?.endsWith('[]'));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk) as readonly Record<string, unknown>[];
    if (useJson) {
      await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(part)}::json)`.execute(trx);
    } else {
      const arrays = columns.map((c) => {
        const type = typeOf.get(c) ?? 'text';
        return sql`${arrayLiteral(part, c, BARE_ARRAY_TYPES.has(type))}::${sql.raw(`${type}[]`)}`;
      });
      await sql`insert into ${sql.table(table)} (${list}) select * from unnest(${sql.join(arrays)})`.execute(trx);
    }
  }
}

/**
 * Bulk-load settings for this transaction only (both need superuser; PGlite always is):
 * - session_replication_role = replica skips the per-row foreign-key triggers, as
 *   pg_restore --disable-triggers does. On PGlite each FK check is an SPI lookup plus a row
 *   lock, which more than doubles the load time of 20k students (measured). The
 *   builder creates every referenced row itself, and validateForeignKeys() re-checks every
 *   foreign key set-wise before commit, so nothing unchecked is ever committed.
 * - wal_init_zero = off: new 16 MB WAL segments are not zero-filled first (PGlite keeps them in
 *   memory, where zero-filling is pure copying; the seed writes ~100 MB of WAL).
 * Where SET is refused (a non-superuser on PostgreSQL), the savepoint undoes the attempt and
 * rows are checked one by one as usual.
 */
async function enterBulkLoadMode(trx: Transaction<Database>): Promise<boolean> {
  await sql`savepoint demo_bulk_load`.execute(trx);
  try {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`set local wal_init_zero = off`.execute(trx);
    await sql`release savepoint demo_bulk_load`.execute(trx);
    return true;
  } catch {
    await sql`rollback to savepoint demo_bulk_load`.execute(trx);
    return false;
  }
}

/** Every foreign key of the public schema, checked set-wise; throws on the first violation. */
async function validateForeignKeys(trx: Transaction<Database>): Promise<void> {
  const fks = await sql<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>`
    select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
      array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as child_cols,
      array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as parent_cols
    from pg_constraint c join pg_namespace ns on ns.oid = c.connamespace
    where c.contype = 'f' and ns.nspname = 'public'`.execute(trx);
  for (const fk of fks.rows) {
    const notNull = sql.join(fk.child_cols.map((c) => sql`ch.${sql.ref(c)} is not null`), sql` and `);
    const match = sql.join(fk.child_cols.map((c, i) => sql`p.${sql.ref(fk.parent_cols[i])} = ch.${sql.ref(c)}`), sql` and `);
    const bad = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(fk.child)} ch
      where ${notNull} and not exists (select 1 from ${sql.table(fk.parent)} p where ${match})`.execute(trx);
    const n = bad.rows[0]?.n ?? 0;
    if (n > 0) throw new Error(`Demo data breaks foreign key ${fk.name} (${fk.child} → ${fk.parent}) in ${n} rows`);
  }
}

// ---------------------------------------------------------------- the builder
class DemoBuilder {
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

  build(): void {
    this.buildOffices();
    this.planSchools();
    for (const school of this.schools) this.buildSchool(school);
    for (const school of this.schools) this.buildStudents(school);
    this.buildHistories();
    this.buildAccounts();
  }

  // ------------------------------------------------------------ org tree
  private unit(kind: Insertable<OrgUnitTable>['kind'], code: string | null): string {
    const id = newId();
    this.rows.orgUnits.push({ id, kind, code });
    return id;
  }

  private version(v: Partial<Insertable<OrgUnitVersionTable>> & { unit_id: string; name: string }): void {
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

  private buildOffices(): void {
    this.ministryId = this.unit('ministry', 'BO');
    this.version({ unit_id: this.ministryId, name: 'Bộ Giáo dục và Đào tạo', province_code: null, address: '35 Đại Cồ Việt, Hà Nội' });
    this.provinceId = this.unit('province_office', PROVINCE_CODE);
    this.version({
      unit_id: this.provinceId,
      parent_id: this.ministryId,
      name: `Sở Giáo dục và Đào tạo ${PROVINCE} (demo)`,
      address: `Số 1 đường Trần Hưng Đạo, phường Xuân Thông, ${PROVINCE}`,
    });
    for (const d of DISTRICTS) {
      const id = this.unit('district_office', `${PROVINCE_CODE}${d.code}`);
      this.districtIds.push(id);
      this.version({
        unit_id: id,
        valid_to: REFORM_DATE,
        parent_id: this.provinceId,
        name: `Phòng Giáo dục và Đào tạo ${d.name.charAt(0).toLowerCase()}${d.name.slice(1)}`,
        address: `${d.name}, ${PROVINCE}`,
      });
    }
    for (const loc of LOCALITIES) {
      const id = this.unit('commune_office', loc.officeCode);
      this.communeIds.push(id);
      this.version({
        unit_id: id,
        valid_from: REFORM_DATE,
        parent_id: this.provinceId,
        name: `UBND ${loc.commune} — Phòng Văn hóa–Xã hội`,
        area: loc.area,
        address: `${loc.commune}, ${PROVINCE}`,
        change_reason: 'Thành lập theo mô hình chính quyền địa phương hai cấp',
      });
    }
  }

  // ------------------------------------------------------------ schools and classes
  private planSchools(): void {
    const rng = this.rng;
    const count = Math.min(60, Math.max(6, Math.round(this.totalStudents / 650)));
    const templates: SchoolTemplate[] = [{ levels: [CS], loc: 0 }];
    for (let i = 0; templates.length < count; i++) templates.push(SCHOOL_PATTERN[i % SCHOOL_PATTERN.length]);

    const pools = Object.fromEntries(
      (Object.keys(NAME_POOLS) as SchoolLevel[]).map((l) => [l, rng.shuffle([...NAME_POOLS[l]])]),
    ) as Record<SchoolLevel, string[]>;
    const used = new Set<string>([DEMO_SCHOOL_NAME]);
    const seqByDistrict = new Map<number, number>();
    const mountainVillages = rng.shuffle([...LOCALITIES[2].villages]);
    let villageIdx = 0;

    templates.forEach((t, i) => {
      const loc = LOCALITIES[t.loc];
      const seq = (seqByDistrict.get(loc.district) ?? 0) + 1;
      seqByDistrict.set(loc.district, seq);
      const code = `${PROVINCE_CODE}${DISTRICTS[loc.district].code}${pad(seq, 3)}`;
      const ownership = t.ownership ?? 'public';
      let name: string;
      if (i === 0) name = DEMO_SCHOOL_NAME;
      else if (t.levels.length > 1) {
        name = `Trường TH&THCS ${mountainVillages[villageIdx++ % mountainVillages.length]}`;
      } else {
        const level = t.levels[0];
        const title = ownership === 'private' ? `${LEVEL_TITLE[level]} tư thục` : LEVEL_TITLE[level];
        let n = `${title} ${pools[level].shift() ?? loc.commune}`;
        for (let k = 2; used.has(n); k++) n = `${title} ${loc.commune} số ${k}`;
        name = n;
      }
      used.add(name);
      this.schools.push({
        id: newId(),
        code,
        name,
        levels: t.levels,
        ownership,
        loc,
        isDemo: i === 0,
        sites: [],
        classes: [],
        staffSeq: 0,
        principalId: '',
        principalName: '',
        tempSeq: 0,
      });
    });

    // Capacity at nominal class counts; the scale factor makes the class count follow the
    // requested number of students while class sizes stay realistic.
    let capacity = 0;
    for (const s of this.schools) {
      for (const level of s.levels) {
        for (const g of GRADES[level]) {
          const per = this.nominalClasses(s, level, g);
          capacity += per * (level === 'preschool' ? AGE_GROUPS.length : 1) * this.targetSize(s, level);
        }
      }
    }
    const scale = this.totalStudents / capacity;

    for (const s of this.schools) {
      // Satellite sites: every mountain MN/TH school has two, some rural primary schools one.
      const young = s.levels.includes(P) || s.levels.includes(TH);
      const outlying = s.ownership === 'public' && s.loc.area === 'rural' && s.levels.includes(TH);
      const siteCount = young && s.loc.area === 'mountain' ? 2 : outlying && rng.chance(0.5) ? 1 : 0;
      for (let k = 0; k < siteCount; k++) {
        const village = s.loc.area === 'mountain' ? mountainVillages[villageIdx++ % mountainVillages.length] : rng.pick(s.loc.villages);
        const id = this.unit('school_site', `${s.code}-${k + 1}`);
        s.sites.push({ id, village });
        this.version({
          unit_id: id,
          parent_id: s.id,
          name: `Điểm trường ${village}`,
          school_levels: s.levels,
          ownership: s.ownership,
          area: s.loc.area,
          address: `${village}, ${s.loc.commune}, ${PROVINCE}`,
        });
      }
      for (const level of s.levels) this.planClasses(s, level, scale);
    }

    // Students: spread over all classes in proportion to each class's target size.
    const classes = this.schools.flatMap((s) => s.classes);
    const sizes = apportion(this.totalStudents, classes.map((c) => c.weight));
    classes.forEach((c, i) => {
      c.size = sizes[i];
    });
  }

  private nominalClasses(s: SchoolPlan, level: SchoolLevel, grade: number): number {
    if (s.isDemo) return DEMO_SCHOOL_CLASSES[grade] ?? 1;
    if (s.levels.length > 1) return 1;
    if (s.ownership === 'private') return level === 'preschool' ? 2 : 3;
    return NOMINAL_CLASSES[level][s.loc.area];
  }

  private targetSize(s: SchoolPlan, level: SchoolLevel): number {
    if (s.isDemo) return DEMO_CLASS_SIZE;
    if (s.ownership === 'private') return level === 'preschool' ? 20 : 30;
    if (s.levels.length > 1) return level === 'primary' ? 24 : 30;
    return TARGET_SIZE[level][s.loc.area];
  }

  private planClasses(s: SchoolPlan, level: SchoolLevel, scale: number): void {
    const rng = this.rng;
    const target = this.targetSize(s, level);
    const make = (c: Omit<ClassPlan, 'id' | 'schoolId' | 'level' | 'size' | 'homeroomId' | 'studentRows' | 'weight'> & { weight?: number }): void => {
      const { weight, ...rest } = c;
      // Class sizes vary a little around the target.
      s.classes.push({ ...rest, id: newId(), schoolId: s.id, level, size: 0, homeroomId: null, studentRows: [], weight: (weight ?? target) * (0.85 + rng.next() * 0.25) });
    };
    if (level === 'preschool') {
      for (const ag of AGE_GROUPS) {
        const n = Math.max(1, Math.round(this.nominalClasses(s, level, 0) * scale));
        for (let k = 0; k < n; k++) {
          // Mountain schools keep some classes at their satellite sites.
          const site = s.sites.length > 0 && k > 0 ? s.sites[(k - 1) % s.sites.length] : null;
          make({
            name: `Mẫu giáo ${ag.age} tuổi ${CLASS_LETTERS[k % CLASS_LETTERS.length]}${k >= CLASS_LETTERS.length ? Math.floor(k / CLASS_LETTERS.length) + 1 : ''}`,
            grade: 0,
            ageGroup: ag.code,
            learnerGrades: [ag.age - 5],
            session: 'full_day',
            isMultiGrade: false,
            siteId: site?.id ?? null,
            subjects: [],
          });
        }
      }
      return;
    }
    for (const g of GRADES[level]) {
      const nominal = this.nominalClasses(s, level, g);
      const n = s.isDemo ? Math.min(nominal, Math.max(2, Math.round(nominal * scale))) : Math.max(1, Math.round(nominal * scale));
      for (let k = 1; k <= n; k++) {
        let subjects = (subjectsOfGrade.get(g) ?? []).filter((x) => !x.elective).map((x) => x.code);
        if (level === 'upper_secondary') subjects = [...subjects, ...THPT_COMBOS[(k - 1) % THPT_COMBOS.length]];
        make({
          name: `${g}A${k}`,
          grade: g,
          ageGroup: null,
          learnerGrades: [g],
          session: level === 'primary' ? 'full_day' : this.secondarySession(g),
          isMultiGrade: false,
          siteId: null,
          subjects,
        });
      }
    }
    // Multi-grade classes (lớp ghép) at the satellite sites of mountain primary schools.
    if (level === 'primary' && s.loc.area === 'mountain') {
      s.sites.forEach((site, i) => {
        const pairs = i === 0 && scale >= 0.9 ? [1, 3] : [1];
        for (const g of pairs) {
          const union = [...new Set([...(subjectsOfGrade.get(g) ?? []), ...(subjectsOfGrade.get(g + 1) ?? [])].map((x) => x.code))];
          make({
            name: `${g}+${g + 1} ${site.village}`,
            grade: g,
            ageGroup: null,
            learnerGrades: [g, g + 1],
            session: 'full_day',
            isMultiGrade: true,
            siteId: site.id,
            subjects: union,
            weight: MULTI_GRADE_SIZE,
          });
        }
      });
    }
  }

  private secondarySession(grade: number): ClassSession {
    // THCS: grades 6–7 in the afternoon, 8–9 in the morning; THPT: 10 afternoon, 11–12 morning.
    return grade === 6 || grade === 7 || grade === 10 ? 'afternoon' : 'morning';
  }

  // ------------------------------------------------------------ one school: versions, staff, classes, assignments
  private buildSchool(s: SchoolPlan): void {
    const loc = s.loc;
    const address =
      loc.area === 'urban'
        ? `Số ${this.rng.int(1, 200)} đường ${this.rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`
        : `${this.rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`;
    this.rows.orgUnits.push({ id: s.id, kind: 'school', code: s.code });
    const base = { unit_id: s.id, name: s.name, school_levels: s.levels, ownership: s.ownership, area: loc.area, address };
    if (s.levels.includes(PT)) {
      // THPT schools have always been under the Sở.
      this.version({ ...base, parent_id: this.provinceId });
    } else {
      // MN/TH/THCS: under the district office until 1/7/2025, under the commune office since.
      this.version({ ...base, valid_to: REFORM_DATE, parent_id: this.districtIds[loc.district] });
      this.version({ ...base, valid_from: REFORM_DATE, parent_id: this.communeIds[LOCALITIES.indexOf(loc)], change_reason: REFORM_REASON });
    }
    this.rows.schoolYears.push({ school_id: s.id, year: this.year, ...this.terms });

    const classCount = s.classes.length;
    const mainLevel = s.levels[s.levels.length - 1];
    const principal = this.staffRow(s, 'principal', mainLevel, []);
    s.principalId = principal.id;
    s.principalName = fullNameOf({ familyName: principal.family_name, middleName: principal.middle_name ?? '', givenName: principal.given_name });
    for (let k = 0; k < (classCount >= 28 ? 2 : 1); k++) this.staffRow(s, 'vice_principal', mainLevel, []);

    const teachers: TeacherPlan[] = [];
    this.teachersBySchool.set(s.id, teachers);
    const addTeacher = (level: SchoolLevel, group: string, codes: string[], noHomeroom = false): TeacherPlan => {
      const row = this.staffRow(s, 'teacher', level, codes);
      const t: TeacherPlan = { id: row.id, level, group, load: 0, row, noHomeroom };
      teachers.push(t);
      return t;
    };

    for (const level of s.levels) {
      const classes = s.classes.filter((c) => c.level === level);
      if (level === 'preschool') {
        // Two teachers per preschool class (full-day care); the first is the homeroom teacher.
        for (const c of classes) {
          c.homeroomId = addTeacher(level, 'preschool', []).id;
          addTeacher(level, 'preschool', []);
        }
        continue;
      }
      const homeroomSet = level === 'primary' ? PRIMARY_HOMEROOM_SUBJECTS : SECONDARY_HOMEROOM_SUBJECTS;
      if (level === 'primary') {
        for (const c of classes) {
          c.homeroomId = addTeacher(level, 'homeroom', [...PRIMARY_HOMEROOM_SUBJECTS]).id;
        }
      }
      // Subject teachers in proportion to weekly periods (định mức), at least one per subject.
      const weekly = new Map<string, number>();
      for (const c of classes) {
        for (const subject of c.subjects) {
          if (homeroomSet.has(subject)) continue;
          const group = SUBJECT_GROUP[subject] ?? subject;
          weekly.set(group, (weekly.get(group) ?? 0) + this.classPeriods(c, subject) / WEEKS);
        }
      }
      const attached = (group: string): string[] => [group, ...Object.keys(SUBJECT_GROUP).filter((k) => SUBJECT_GROUP[k] === group && classes.some((c) => c.subjects.includes(k)))];
      for (const [group, periods] of weekly) {
        let n = Math.max(1, Math.ceil(periods / WEEKLY_LOAD[level]));
        // gv.demo is a Toán teacher with no class of their own: keep at least one more Toán teacher.
        if (s.isDemo && group === 'toan') n = Math.max(n, 2);
        for (let k = 0; k < n; k++) addTeacher(level, group, attached(group), s.isDemo && group === 'toan' && k === 0);
      }
      if (level !== 'primary') this.pickSecondaryHomerooms(level, classes, teachers, addTeacher);
      this.assignTeaching(s, classes, teachers, homeroomSet);
    }

    const support = s.loc.area === 'mountain' ? 2 : s.levels.includes(PT) ? 4 : 3;
    for (let k = 0; k < support; k++) this.staffRow(s, 'staff', mainLevel, []);

    for (const c of s.classes) {
      this.rows.classes.push({
        school_id: s.id,
        id: c.id,
        year: this.year,
        name: c.name,
        grade: c.grade,
        age_group: c.ageGroup,
        site_id: c.siteId,
        homeroom_teacher_id: c.homeroomId,
        session: c.session,
        is_multi_grade: c.isMultiGrade,
      });
    }
  }

  private classPeriods(c: ClassPlan, subject: string): number {
    return Math.max(...c.learnerGrades.map((g) => periodsOf(g, subject)));
  }

  private pickSecondaryHomerooms(
    level: SchoolLevel,
    classes: ClassPlan[],
    teachers: TeacherPlan[],
    addTeacher: (level: SchoolLevel, group: string, codes: string[]) => TeacherPlan,
  ): void {
    const candidates = this.rng.shuffle(teachers.filter((t) => t.level === level && !t.noHomeroom));
    // Stable sort: core-subject teachers first, in their shuffled order.
    candidates.sort((a, b) => Number(CORE_SUBJECTS.has(b.group)) - Number(CORE_SUBJECTS.has(a.group)));
    while (candidates.length < classes.length) {
      const group = candidates.length % 2 === 0 ? 'ngu_van' : 'toan';
      candidates.push(addTeacher(level, group, [group]));
    }
    classes.forEach((c, i) => {
      const t = candidates[i];
      c.homeroomId = t.id;
      const codes = t.row.subject_codes as string[];
      if (!codes.includes('hdtn_hn')) codes.push('hdtn_hn');
    });
  }

  private assignTeaching(s: SchoolPlan, classes: ClassPlan[], teachers: TeacherPlan[], homeroomSet: Set<string>): void {
    const byId = new Map(teachers.map((t) => [t.id, t]));
    const chosen = new Map<string, TeacherPlan>(); // `${classId}|${subject}`
    // Pass 1: a homeroom teacher teaches their own subject (and HĐTN) in their own class.
    for (const c of classes) {
      const homeroom = c.homeroomId ? byId.get(c.homeroomId) : undefined;
      if (!homeroom) continue;
      for (const subject of c.subjects) {
        if (homeroomSet.has(subject) || homeroom.group === (SUBJECT_GROUP[subject] ?? subject)) {
          homeroom.load += this.classPeriods(c, subject);
          chosen.set(`${c.id}|${subject}`, homeroom);
        }
      }
    }
    // Pass 2: everything else goes to the least-loaded teacher of the subject (a balanced round-robin).
    for (const c of classes) {
      for (const subject of c.subjects) {
        const key = `${c.id}|${subject}`;
        let teacher = chosen.get(key);
        if (!teacher) {
          const group = SUBJECT_GROUP[subject] ?? subject;
          for (const t of teachers) {
            if (t.level === c.level && t.group === group && (!teacher || t.load < teacher.load)) teacher = t;
          }
          if (!teacher) continue;
          teacher.load += this.classPeriods(c, subject);
        }
        for (const term of [1, 2]) {
          this.rows.assignments.push({ school_id: s.id, id: newId(), year: this.year, term, class_id: c.id, subject_code: subject, staff_id: teacher.id });
        }
      }
    }
  }

  private staffRow(s: SchoolPlan, position: StaffPosition, level: SchoolLevel, subjectCodes: string[]): Insertable<StaffTable> & { id: string } {
    const rng = this.rng;
    const femaleShare =
      position === 'principal' || position === 'vice_principal'
        ? 0.5
        : position === 'staff'
          ? 0.6
          : { preschool: 0.98, primary: 0.8, lower_secondary: 0.7, upper_secondary: 0.6 }[level];
    const sex: Sex = rng.chance(femaleShare) ? 'female' : 'male';
    // Teachers come from all over the province; in mountain schools about half are local.
    const ethnicity = pickEthnicityFor(rng, s.loc.area === 'mountain' ? (rng.chance(0.5) ? 'mountain' : 'urban') : s.loc.area);
    const name = makeName(rng, sex, ethnicity, 'adult');
    const birthYear = position === 'principal' || position === 'vice_principal' ? rng.int(1970, 1985) : rng.int(1968, 2001);
    const qualification =
      position === 'staff'
        ? rng.pick(['03', '04', '05', '05'])
        : position !== 'teacher'
          ? rng.chance(0.4) ? '02' : '16'
          : level === 'preschool'
            ? rng.pick(['17', '17', '16', '16', '16', '18', '03'])
            : level === 'primary'
              ? rng.pick(['16', '16', '16', '16', '16', '16', '17', '17', '13', '03'])
              : rng.pick(level === 'upper_secondary' ? ['16', '16', '16', '16', '16', '02', '02', '13', '03'] : ['16', '16', '16', '16', '16', '16', '02', '13', '03']);
    const contract =
      s.ownership === 'private'
        ? rng.pick(['03', '03', '03', '03', '03', '03', '03', '04', '04', '06'])
        : position === 'principal' || position === 'vice_principal'
          ? '07'
          : position === 'staff'
            ? rng.pick(['07', '07', '03', '03', '04'])
            : rng.pick(['07', '07', '07', '07', '07', '07', '07', '07', '08', '03']);
    s.staffSeq += 1;
    const row = {
      school_id: s.id,
      id: newId(),
      staff_code: `${s.code}${pad(s.staffSeq, 4)}`,
      ...personFields(name),
      date_of_birth: randomDate(rng, birthYear),
      sex,
      ethnicity_code: ethnicity,
      citizen_id: this.citizenId(sex, birthYear),
      phone: phone(rng),
      email: null,
      position,
      qualification_code: qualification,
      contract_type_code: contract,
      subject_codes: subjectCodes,
    };
    this.rows.staff.push(row);
    return row;
  }

  /** 12 digits: province (3) + century/sex digit + 2-digit birth year + 6 random digits; unique. */
  private citizenId(sex: Sex, birthYear: number): string {
    const centuryDigit = birthYear >= 2000 ? (sex === 'male' ? 2 : 3) : sex === 'male' ? 0 : 1;
    for (;;) {
      const id = `0${PROVINCE_CODE}${centuryDigit}${pad(birthYear % 100, 2)}${pad(this.rng.int(0, 999_999), 6)}`;
      if (!this.citizenIds.has(id)) {
        this.citizenIds.add(id);
        return id;
      }
    }
  }

  /** 10 digits: province code + 8 digits from a bijection of a sequence, so ids never repeat. */
  private learnerId(): string {
    this.learnerSeq += 1;
    const n = (this.learnerOffset + this.learnerSeq * 7_368_787) % 100_000_000;
    return `${PROVINCE_CODE}${pad(n, 8)}`;
  }

  // ------------------------------------------------------------ students and guardians
  private buildStudents(s: SchoolPlan): void {
    const rng = this.rng;
    const loc = s.loc;
    const district = DISTRICTS[loc.district].name;
    for (const c of s.classes) {
      for (let i = 0; i < c.size; i++) {
        const grade = c.learnerGrades[i % c.learnerGrades.length];
        const sex: Sex = rng.chance(0.5) ? 'male' : 'female';
        const ethnicity = pickEthnicityFor(rng, loc.area);
        const name = makeName(rng, sex, ethnicity, 'child');
        let birthYear = this.year - 5 - grade;
        if (rng.chance(0.03)) birthYear += rng.chance(0.8) ? -1 : 1;
        const noIdYet = grade <= 1 && rng.chance(0.02);
        if (noIdYet) s.tempSeq += 1;
        const birthplace = rng.chance(0.85)
          ? `${rng.pick(loc.oldCommunes)}, ${district}, ${PROVINCE.charAt(0).toUpperCase()}${PROVINCE.slice(1)}`
          : rng.pick(OTHER_BIRTHPLACES);
        const address =
          loc.area === 'urban'
            ? `Số ${rng.int(1, 250)} đường ${rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`
            : `${rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`;
        const id = newId();
        const personId = newId();
        const row: Insertable<StudentTable> = {
          school_id: s.id,
          id,
          person_id: personId,
          learner_id: noIdYet ? null : this.learnerId(),
          temp_code: noIdYet ? makeTemporaryLearnerCode(s.code, s.tempSeq) : null,
          citizen_id: rng.chance(0.7) ? this.citizenId(sex, birthYear) : null,
          ...personFields(name),
          date_of_birth: randomDate(rng, birthYear),
          sex,
          ethnicity_code: ethnicity,
          religion_code: null,
          birthplace,
          address,
          status_code: '01',
          status_date: this.terms.term1_start,
          is_current: true,
          current_class_id: c.id,
        };
        this.rows.students.push(row);
        c.studentRows.push(row);
        this.rows.enrolments.push({ school_id: s.id, id: newId(), student_id: id, class_id: c.id, year: this.year, start_date: this.terms.term1_start, end_date: null });
        this.rows.events.push(this.event(row, 'admitted', this.terms.term1_start, { status_code: '01', to_class_id: c.id, note: 'Nhập học đầu năm học' }));
        this.buildGuardians(row, ethnicity, birthYear);
      }
    }
  }

  private buildGuardians(student: Insertable<StudentTable>, ethnicity: string, birthYear: number): void {
    const rng = this.rng;
    const r = rng.next();
    // ~72% both parents, ~18% mother only, ~6% father only, ~4% a grandparent or relative.
    const hasFather = r < 0.72 || (r >= 0.9 && r < 0.96);
    const hasMother = r < 0.9;
    if (hasFather) {
      const p = makeName(rng, 'male', ethnicity, 'adult', student.family_name);
      this.guardian(student, 'father', p, birthYear - rng.int(25, 42));
    }
    if (hasMother) {
      const p = makeName(rng, 'female', rng.chance(0.8) ? ethnicity : '01', 'adult');
      this.guardian(student, 'mother', p, birthYear - rng.int(22, 40));
    }
    if (!hasFather && !hasMother) {
      const p = makeName(rng, rng.chance(0.7) ? 'female' : 'male', ethnicity, 'adult');
      this.guardian(student, 'guardian', p, birthYear - rng.int(45, 65));
    }
  }

  private guardian(student: Insertable<StudentTable>, relation: Insertable<GuardianTable>['relation'], p: NameParts, birthYear: number): Insertable<GuardianTable> {
    const row: Insertable<GuardianTable> = {
      school_id: student.school_id,
      id: newId(),
      student_id: student.id,
      relation,
      full_name: fullNameOf(p),
      phone: phone(this.rng),
      email: null,
      occupation: this.rng.pick(OCCUPATIONS),
      birth_year: birthYear,
      user_id: null,
    };
    this.rows.guardians.push(row);
    return row;
  }

  private event(
    student: Insertable<StudentTable>,
    kind: Insertable<StudentEventTable>['kind'],
    date: string,
    extra: Partial<Insertable<StudentEventTable>>,
  ): Insertable<StudentEventTable> {
    return {
      school_id: student.school_id,
      id: newId(),
      student_id: student.id,
      person_id: student.person_id,
      kind,
      event_date: date,
      status_code: null,
      from_class_id: null,
      to_class_id: null,
      other_school_id: null,
      note: null,
      created_by: null,
      ...extra,
    };
  }

  // ------------------------------------------------------------ histories in the demo school
  private buildHistories(): void {
    const demo = this.demoSchool();
    const classOf = (name: string): ClassPlan | undefined => demo.classes.find((c) => c.name === name);
    const lastClassOfGrade = (grade: number): ClassPlan | undefined => demo.classes.filter((c) => c.grade === grade).at(-1);

    // 3 learners who changed class in term 1 (same grade).
    const classMoveDate = `${this.year}-10-19`;
    for (const [fromName, grade] of [['7A1', 7], ['8A2', 8], ['9A1', 9]] as const) {
      const from = classOf(fromName);
      const to = demo.classes.find((c) => c.grade === grade && c !== from);
      const student = from?.studentRows[2];
      if (!from || !to || !student) continue;
      const open = planned(this.rows.enrolments.find((e) => e.student_id === student.id), `open enrolment of ${fromName} mover`);
      open.end_date = classMoveDate; // periods are half-open [start_date, end_date), like the org tree
      this.rows.enrolments.push({ school_id: demo.id, id: newId(), student_id: student.id, class_id: to.id, year: this.year, start_date: classMoveDate, end_date: null });
      student.current_class_id = to.id;
      from.studentRows.splice(2, 1);
      to.studentRows.push(student);
      this.rows.events.push(this.event(student, 'class_transfer', classMoveDate, { from_class_id: from.id, to_class_id: to.id, note: `Chuyển từ lớp ${from.name} sang lớp ${to.name} theo nguyện vọng gia đình` }));
    }

    // 2 learners who moved here in term 1 from another THCS of the demo province.
    const source = this.schools.find((s) => !s.isDemo && s.levels.includes(CS));
    if (!source) return;
    const moves = [
      { grade: 7, date: `${this.year}-10-05` },
      { grade: 8, date: `${this.year}-11-02` },
    ];
    for (const m of moves) {
      const from = source.classes.find((c) => c.grade === m.grade && c.studentRows.length > 1);
      const to = lastClassOfGrade(m.grade);
      const old = from?.studentRows[0];
      if (!from || !to || !old) continue;
      from.studentRows.shift();
      // The old school's record stays, closed: same person_id, so the history reads across schools.
      old.is_current = false;
      old.status_code = '04'; // DM_TRANG_THAI_HOC_SINH: chuyển đi kỳ 1
      old.status_date = m.date;
      old.current_class_id = null;
      const oldEnrolment = planned(this.rows.enrolments.find((e) => e.student_id === old.id), 'enrolment of a school mover');
      oldEnrolment.end_date = m.date;
      const moved: Insertable<StudentTable> = {
        ...old,
        school_id: demo.id,
        id: newId(),
        temp_code: old.temp_code ? makeTemporaryLearnerCode(demo.code, ++demo.tempSeq) : null,
        status_code: '02', // chuyển đến kỳ 1
        status_date: m.date,
        is_current: true,
        current_class_id: to.id,
      };
      this.rows.students.push(moved);
      to.studentRows.push(moved);
      this.rows.enrolments.push({ school_id: demo.id, id: newId(), student_id: moved.id, class_id: to.id, year: this.year, start_date: m.date, end_date: null });
      this.rows.events.push(
        this.event(old, 'transfer_out', m.date, { status_code: '04', from_class_id: from.id, other_school_id: demo.id, note: `Chuyển đến ${demo.name}` }),
        this.event(moved, 'transfer_in', m.date, { status_code: '02', to_class_id: to.id, other_school_id: source.id, note: `Chuyển từ ${source.name}` }),
      );
      for (const g of this.rows.guardians.filter((x) => x.student_id === old.id)) {
        this.rows.guardians.push({ ...g, school_id: demo.id, id: newId(), student_id: moved.id });
      }
    }
  }

  private demoSchool(): SchoolPlan {
    return planned(this.schools.find((s) => s.isDemo), 'the demo school');
  }

  // ------------------------------------------------------------ accounts
  private buildAccounts(): void {
    const demo = this.demoSchool();
    const demoCommune = this.communeIds[LOCALITIES.indexOf(demo.loc)];
    const staffById = new Map(this.rows.staff.filter((r) => r.school_id === demo.id).map((r) => [r.id, r]));
    const nameOfStaff = (id: string): string => {
      const r = planned(staffById.get(id), `staff ${id} of the demo school`);
      return fullNameOf({ familyName: r.family_name, middleName: r.middle_name ?? '', givenName: r.given_name });
    };
    const account = (
      username: string,
      displayName: string,
      role: Insertable<RoleGrantTable>['role'],
      unitId: string,
      link: { staffSchoolId?: string; staffId?: string } = {},
    ): string => {
      const id = newId();
      this.rows.users.push({
        id,
        username,
        password_hash: '', // set by seedDemo once the single hash is ready
        display_name: displayName,
        staff_school_id: link.staffSchoolId ?? null,
        staff_id: link.staffId ?? null,
        student_school_id: null,
        student_id: null,
      });
      this.rows.grants.push({ id: newId(), user_id: id, role, org_unit_id: unitId });
      return id;
    };

    account('admin', 'Quản trị hệ thống', 'system_admin', this.ministryId);
    account('so.demo', `Chuyên viên Sở GD&ĐT ${PROVINCE} (demo)`, 'province_officer', this.provinceId);
    account('phong.demo', `Cán bộ Phòng Văn hóa–Xã hội ${demo.loc.commune} (demo)`, 'district_officer', demoCommune);
    account('hieutruong.demo', demo.principalName, 'principal', demo.id, { staffSchoolId: demo.id, staffId: demo.principalId });

    const class6A1 = planned(demo.classes.find((c) => c.name === '6A1'), 'class 6A1 of the demo school');
    const homeroomId = planned(class6A1.homeroomId, 'homeroom teacher of 6A1');
    account('gvcn.demo', nameOfStaff(homeroomId), 'homeroom_teacher', demo.id, { staffSchoolId: demo.id, staffId: homeroomId });

    const mathTeacher = planned(this.teachersBySchool.get(demo.id)?.find((t) => t.noHomeroom && t.group === 'toan'), 'a maths teacher without a class');
    account('gv.demo', nameOfStaff(mathTeacher.id), 'subject_teacher', demo.id, { staffSchoolId: demo.id, staffId: mathTeacher.id });

    // The parent account is the mother of one learner of 6A1, so it sees exactly one child.
    const childIds = new Set(class6A1.studentRows.map((r) => r.id));
    let mother = this.rows.guardians.find((g) => g.relation === 'mother' && childIds.has(g.student_id));
    if (!mother) {
      const child = class6A1.studentRows[0];
      mother = this.guardian(child, 'mother', makeName(this.rng, 'female', '01', 'adult'), this.year - 40);
    }
    mother.user_id = account('phuhuynh.demo', mother.full_name, 'parent', demo.id);

    for (const s of this.schools) {
      if (s.isDemo) continue;
      account(`ht.${s.code}`, s.principalName, 'principal', s.id, { staffSchoolId: s.id, staffId: s.principalId });
    }
  }
}

/** The school year in progress today in Vietnam (a year starts in September). */
export function currentSchoolYear(now: Date = new Date()): number {
  return schoolYearOf(isoToday(now));
}

/**
 * Seeds a demo province into an empty database (the org tree codes and usernames are fixed,
 * so a second run into the same database fails on the unique constraints and rolls back).
 */
export async function seedDemo(db: Kysely<Database>, opts: SeedDemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  if (!Number.isInteger(opts.students) || opts.students < 100) {
    throw new RangeError(`Số học sinh demo phải là số nguyên ≥ 100 (nhận ${opts.students})`);
  }
  const year = opts.schoolYear ?? currentSchoolYear();
  // Fail fast, before any work; a concurrent second seed would still fail on the unique codes.
  const existing = await db.selectFrom('org_unit').select('id').where('code', '=', 'BO').executeTakeFirst();
  if (existing) throw new Error('Đã có dữ liệu demo (đơn vị mã BO) trong CSDL; không nạp lại.');
  // Hash the demo password ONCE and give every demo account the same hash: argon2id costs
  // ~40 ms per hash by design, so ~40 accounts hashed one by one would eat the time budget.
  // (One shared salt+hash is acceptable for demo accounts only.) The hash runs on the libuv
  // thread pool while the rows are built.
  const hashing = hashPassword(opts.password);
  const builder = new DemoBuilder(opts.seed ?? DEFAULT_DEMO_SEED, year, opts.students);
  builder.build();
  const passwordHash = await hashing;
  for (const u of builder.rows.users) u.password_hash = passwordHash;
  const r = builder.rows;

  await db.transaction().execute(async (trx) => {
    const unchecked = await enterBulkLoadMode(trx);
    await insertAll(trx, 'org_unit', r.orgUnits);
    await insertAll(trx, 'org_unit_version', r.versions);
    await insertAll(trx, 'school_year', r.schoolYears);
    await insertAll(trx, 'staff', r.staff);
    await insertAll(trx, 'class', r.classes);
    await insertAll(trx, 'student', r.students);
    await insertAll(trx, 'guardian', r.guardians);
    await insertAll(trx, 'enrolment', r.enrolments);
    await insertAll(trx, 'student_event', r.events);
    await insertAll(trx, 'teaching_assignment', r.assignments);
    await insertAll(trx, 'app_user', r.users);
    await insertAll(trx, 'role_grant', r.grants);
    if (unchecked) {
      await validateForeignKeys(trx);
      await sql`set local session_replication_role = origin`.execute(trx);
    }
  });

  return {
    schools: r.orgUnits.filter((u) => u.kind === 'school').length,
    students: r.students.filter((s) => s.is_current).length,
    staff: r.staff.length,
    classes: r.classes.length,
    users: r.users.length,
    ms: Math.round(performance.now() - started),
  };
}
