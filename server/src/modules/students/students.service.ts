import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { ZDashboard } from '../../../../contracts/school.js';
import type {
  TCreateStudent,
  TGuardian,
  TStudentListItem,
  TStudentProfile,
  TUpdateStudent,
  ZChangeStatus,
  ZStudentListQuery,
  ZTransferClass,
} from '../../../../contracts/students.js';
import { ZStudentList } from '../../../../contracts/students.js';
import {
  checkDateOfBirth,
  formatVnDate,
  joinFullName,
  nameSortKey,
  normalizeNameText,
  schoolYearLabel,
  schoolYearOf,
  searchFold,
  splitFullName,
} from '../../../../domain/index.js';
import { codeListName } from '../../db/reference-data.js';
import type { ClassRow, Database, Role, StudentRow } from '../../db/schema.js';
import { type SchoolView, hasAny, isGuardianOf, schoolView } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { PreparedJson } from '../../platform/compression.js';
import { cachePerDb, dataVersion } from '../../platform/versioned-cache.js';
import { nameSearch } from '../../platform/name-search-sql.js';
import { logAccess, logAccessMany } from '../../platform/access-log.js';
import { type PdfColumn, buildPdfTable } from '../../platform/pdf-table.js';
import { auditColumns, writeAudit } from '../../platform/audit.js';
import { personLabel } from '../../platform/audit-target.js';
import { type AppError, badRequest, conflict, labelledMessage, notFound } from '../../platform/errors.js';
import { FIELD_LABELS } from '../../../../contracts/field-labels.js';
import { UUID_RE, newId } from '../../platform/ids.js';
import { todayIso } from '../../platform/org-tree.js';
import { type XlsxColumn, buildXlsx } from '../../platform/xlsx-export.js';
import {
  ETHNICITY_LIST,
  type GuardianInsert,
  type ListFilter,
  RELIGION_LIST,
  STATUS_LIST,
  type StudentListRow,
  activeStaffCount,
  classesByIds,
  classesOfYear,
  closeEnrolment,
  codeNames,
  currentWithCitizenId,
  currentWithLearnerId,
  dashboardCounts,
  deleteGuardians,
  findClass,
  findStudent,
  grantRoleIfMissing,
  guardiansOf,
  insertAdmission,
  studentProfileRow,
  insertEnrolment,
  insertEvent,
  insertGuardians,
  insertStudent,
  listAll,
  listPage,
  lockStudent,
  openEnrolment,
  relinkStudentAccounts,
  classWithSchoolYears,
  classWithSchoolYearsAndTempSeq,
  schoolInfo,
  schoolYears,
  studentInClasses,
  updateGuardian,
  updateStudent,
} from './students.repo.js';
import { issueTempCode, tempCodeNumbering } from './temp-codes.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Who is calling: the actor, the roles the access hook found over the school, and their IP for the audit log. */
export type Caller = { actor: Actor; roles: Set<Role>; ip?: string | null };

export type StudentListQuery = z.infer<typeof ZStudentListQuery>;
export type TransferClassInput = z.infer<typeof ZTransferClass>;
export type ChangeStatusInput = z.infer<typeof ZChangeStatus>;
export type Dashboard = z.infer<typeof ZDashboard>;

/** Roles that see every record of a school they cover. */
const FULL_VIEW_ROLES: Role[] = ['system_admin', 'province_officer', 'district_officer', 'principal', 'school_staff'];
const TEACHER_ROLES: Role[] = ['homeroom_teacher', 'subject_teacher'];

/** Statuses after which the learner is no longer on the school's roll: transferred out (04/08/11), dropped out (05/09/12). */
export const LEAVING_STATUSES = new Set(['04', '05', '08', '09', '11', '12']);
const TRANSFER_OUT_STATUSES = new Set(['04', '08', '11']);
/** Statuses that may bring a student who dropped out back onto the roll. */
const DROPOUT_STATUSES = new Set(['05', '09', '12']);

/** Largest export; a school is far below it, the cap only stops a runaway query. */
const EXPORT_MAX_ROWS = 50_000;

const SEX_LABEL = { male: 'Nam', female: 'Nữ' } as const;

// ---------------------------------------------------------------- helpers

type SchoolYearRow = Awaited<ReturnType<typeof schoolYears>>[number];

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

const TRANSFER_CODES = {
  out: { term1: '04', term2: '08', summer: '11' },
  in: { term1: '02', term2: '06', summer: '10' },
} as const;

async function currentYear(db: Db | Trx, schoolId: string): Promise<{ year: number; years: SchoolYearRow[] }> {
  const years = await schoolYears(db, schoolId);
  return { year: pickCurrentYear(years, todayIso()), years };
}

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

function placeableClass<C extends ClassRow & { school_years: SchoolYearRow[] }>(found: C | undefined) {
  if (!found) throw badRequest('class_not_in_school', 'Lớp đã chọn không thuộc trường này. Hãy chọn một lớp của trường.');
  const { school_years: years, ...cls } = found;
  const year = pickCurrentYear(years, todayIso());
  if (!placeableYears(years, year, todayIso()).has(cls.year)) {
    throw badRequest('class_wrong_year', `Lớp ${cls.name} không thuộc năm học ${schoolYearLabel(year)} của trường. Hãy chọn lớp của năm học hiện tại.`);
  }
  return cls;
}

/**
 * The date of birth fits the class's grade in its school year (domain/students/date-of-birth.ts:
 * the same rule the form and the import apply). The contract has already refused future dates.
 */
function assertDateOfBirthFits(dateOfBirth: string, cls: { grade: number; year: number }) {
  const verdict = checkDateOfBirth(dateOfBirth, { today: todayIso(), grade: cls.grade, schoolYear: cls.year });
  if (!verdict.ok) throw badRequest('date_of_birth_out_of_range', labelledMessage(FIELD_LABELS.dateOfBirth, verdict.message), { field: 'dateOfBirth' });
}

function fullNameOf(r: { family_name: string; middle_name: string; given_name: string }): string {
  return joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });
}

function nameColumns(fullName: string) {
  const parts = splitFullName(normalizeNameText(fullName));
  if (!parts.givenName) throw badRequest('name_required', 'Hãy nhập họ và tên học sinh.');
  return {
    family_name: parts.familyName,
    middle_name: parts.middleName,
    given_name: parts.givenName,
    name_sort_key: nameSortKey(parts),
    search_text: searchFold(joinFullName(parts)),
  };
}

function presentListItem(r: StudentListRow): TStudentListItem {
  return {
    id: r.id,
    schoolId: r.school_id,
    learnerId: r.learner_id,
    tempCode: r.temp_code,
    familyName: r.family_name,
    middleName: r.middle_name,
    givenName: r.given_name,
    fullName: fullNameOf(r),
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    ethnicityCode: r.ethnicity_code,
    ethnicityName: r.ethnicity_name,
    statusCode: r.status_code,
    statusName: r.status_name,
    classId: r.class_id,
    className: r.class_name,
    grade: r.grade,
  };
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
}

const learnerTaken = (learnerId: string): AppError =>
  conflict(
    'learner_id_taken',
    `Mã định danh ${learnerId} đã được dùng cho một học sinh đang đi học. Hãy kiểm tra lại mã; nếu học sinh chuyển từ trường khác đến, hãy gửi đề nghị tiếp nhận ở mục "Chuyển trường".`,
  );
const citizenTaken = (citizenId: string): AppError =>
  conflict('citizen_id_taken', `Số định danh cá nhân ${citizenId} đã được dùng cho một học sinh đang đi học. Hãy kiểm tra lại số này.`);

/** Turns a race lost to another transaction into the same 409 the pre-check gives. */
async function mapUniqueViolations<T>(work: () => Promise<T>, ids: { learnerId?: string | null; citizenId?: string | null }): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (ids.learnerId && isUniqueViolation(err, 'student_learner_id_uq')) throw learnerTaken(ids.learnerId);
    if (ids.citizenId && isUniqueViolation(err, 'student_citizen_id_uq')) throw citizenTaken(ids.citizenId);
    throw err;
  }
}

function assertCodes(input: { ethnicityCode?: string | null; religionCode?: string | null }) {
  if (input.ethnicityCode && codeListName(ETHNICITY_LIST, input.ethnicityCode) === null) {
    throw badRequest('unknown_ethnicity', `Dân tộc: mã ${input.ethnicityCode} không có trong danh mục dân tộc — hãy chọn dân tộc trong danh sách.`);
  }
  if (input.religionCode && codeListName(RELIGION_LIST, input.religionCode) === null) {
    throw badRequest('unknown_religion', `Tôn giáo: mã ${input.religionCode} không có trong danh mục tôn giáo — hãy chọn tôn giáo trong danh sách.`);
  }
}

function assertGuardianRelations(guardians: TGuardian[]) {
  for (const rel of ['father', 'mother'] as const) {
    if (guardians.filter((g) => g.relation === rel).length > 1) {
      throw badRequest('duplicate_guardian', `Chỉ được khai báo một ${rel === 'father' ? 'cha' : 'mẹ'} cho mỗi học sinh.`);
    }
  }
}

function guardianRow(schoolId: string, studentId: string, g: TGuardian, id: string, userId: string | null): GuardianInsert {
  return {
    school_id: schoolId,
    id,
    student_id: studentId,
    relation: g.relation,
    full_name: normalizeNameText(g.fullName),
    phone: g.phone ?? null,
    email: g.email ?? null,
    occupation: g.occupation ?? null,
    birth_year: g.birthYear ?? null,
    user_id: userId,
  };
}

// ---------------------------------------------------------------- access

/** 404 unless the caller may see this student: managers and offices; teachers of its classes; its guardians; the student. */
export async function assertCanSee(db: Db, caller: Caller, student: StudentRow): Promise<void> {
  const { actor, roles } = caller;
  if (hasAny(roles, FULL_VIEW_ROLES)) return;
  if (hasAny(roles, TEACHER_ROLES)) {
    const { year } = await currentYear(db, student.school_id);
    const view = await schoolView(db, roles, actor, student.school_id, year);
    if (view.kind === 'full') return;
    if (await studentInClasses(db, student.school_id, student.id, view.classIds)) return;
  }
  if (roles.has('parent') && (await isGuardianOf(db, actor, student.school_id, student.id))) return;
  if (roles.has('student') && actor.student?.schoolId === student.school_id && actor.student.studentId === student.id) return;
  throw notFound('Không tìm thấy học sinh.');
}

export async function requireStudent(db: Db | Trx, schoolId: string, studentId: string): Promise<StudentRow> {
  if (!UUID_RE.test(studentId)) throw notFound('Không tìm thấy học sinh.');
  const row = await findStudent(db, schoolId, studentId);
  if (!row) throw notFound('Không tìm thấy học sinh.');
  return row;
}

// ---------------------------------------------------------------- list and export

async function listFilter(db: Db, caller: Caller, schoolId: string, query: Omit<StudentListQuery, 'page' | 'pageSize'>): Promise<ListFilter | null> {
  // The hot path (a manager's default list) needs no school-year lookup: only a teacher's view
  // (their classes of a year) or an explicit year filter does.
  const fullView = hasAny(caller.roles, FULL_VIEW_ROLES);
  let current: number | undefined;
  let view: SchoolView = { kind: 'full' };
  if (!fullView) {
    current = (await currentYear(db, schoolId)).year;
    view = await schoolView(db, caller.roles, caller.actor, schoolId, query.year ?? current);
  } else if (query.year !== undefined) {
    current = (await currentYear(db, schoolId)).year;
  }
  if (view.kind === 'teacher' && view.classIds.length === 0) return null;
  return {
    schoolId,
    pastYear: query.year !== undefined && query.year !== current ? query.year : undefined,
    year: query.year,
    grade: query.grade,
    classId: query.classId,
    sex: query.sex,
    ethnicityCode: query.ethnicityCode,
    statusCode: query.statusCode,
    includeLeft: query.includeLeft ?? false,
    q: nameSearch(query.q),
    classIds: view.kind === 'teacher' ? view.classIds : null,
  };
}

/**
 * Pages of student lists, per process, valid for one data version of the school (bumped by
 * triggers on student and class): the list is the hottest read of the system. A page is kept as
 * the JSON the API sends, in UTF-8 bytes (and compressed, once per coding asked for), checked
 * against the contract once when it is made, so a hit costs neither a query, a serialisation,
 * an encoding nor a compression.
 */
const listCache = cachePerDb<PreparedJson>(2000);

/**
 * One page of the list as the response body (ZStudentList as JSON). `knownVersion`: the school's
 * data version when the request already read it (with the session).
 */
export async function listStudentsJson(db: Db, caller: Caller, schoolId: string, query: StudentListQuery, knownVersion: number | null = null): Promise<PreparedJson> {
  const { page, pageSize } = query;
  const [filter, version] = await Promise.all([listFilter(db, caller, schoolId, query), knownVersion ?? dataVersion(db, `school:${schoolId}`)]);
  if (!filter) return PreparedJson.of(ZStudentList.parse({ total: 0, page, pageSize, items: [] }));
  // The key holds the whole resolved filter, a teacher's class list included.
  const key = JSON.stringify([filter, page, pageSize]);
  const cache = listCache(db);
  let body = cache.get(key, version);
  if (body === undefined) {
    const { items, total } = await listPage(db, filter, page, pageSize);
    body = PreparedJson.of(ZStudentList.parse({ total, page, pageSize, items: items.map(presentListItem) }));
    cache.set(key, version, body);
  }
  return body;
}

type ExportQuery = Omit<StudentListQuery, 'page' | 'pageSize'>;

/** The rows of a list export (same filter and scope as the list), logged in each student's access log. */
async function exportRows(db: Db, caller: Caller, schoolId: string, query: ExportQuery) {
  const filter = await listFilter(db, caller, schoolId, query);
  const rows = filter ? await listAll(db, filter, EXPORT_MAX_ROWS) : [];
  // A list export hands out personal data of every row: each student's access log gets a line (one statement).
  await logAccessMany(db, caller.actor, schoolId, rows.map((r) => r.id), 'list_export', caller.ip);
  const cls = query.classId
    ? ((await db.selectFrom('class').select(['name', 'year']).where('school_id', '=', schoolId).where('id', '=', query.classId).executeTakeFirst()) ?? null)
    : null;
  return { rows, school: await schoolInfo(db, schoolId), cls };
}

/**
 * The download's name: one class is named after the class and its school year, as a teacher files
 * it ("Danh-sách-lớp-6A1-2025-2026.xlsx"; the header carries the ASCII form too); a wider list
 * after the school.
 */
function exportFileName(cls: { name: string; year: number } | null, schoolName: string | undefined, ext: 'xlsx' | 'pdf'): string {
  if (cls) return `Danh-sách-lớp-${cls.name.trim().replace(/\s+/g, '-')}-${schoolYearLabel(cls.year)}.${ext}`;
  return `Danh sach hoc sinh - ${schoolName ?? 'truong'}.${ext}`;
}

export async function exportStudents(db: Db, caller: Caller, schoolId: string, query: ExportQuery) {
  const { rows, school, cls } = await exportRows(db, caller, schoolId, query);
  let n = 0;
  // Column set of the sector database's student sheet.
  const columns: XlsxColumn<StudentListRow>[] = [
    { header: 'STT', width: 6, value: () => ++n },
    { header: 'Mã định danh', width: 16, value: (r) => r.learner_id ?? r.temp_code },
    { header: 'Họ và tên', width: 28, value: (r) => fullNameOf(r) },
    { header: 'Ngày sinh', width: 12, value: (r) => formatVnDate(r.date_of_birth) },
    { header: 'Giới tính', width: 10, value: (r) => SEX_LABEL[r.sex] },
    { header: 'Dân tộc', width: 12, value: (r) => r.ethnicity_name ?? r.ethnicity_code },
    { header: 'Trạng thái', width: 18, value: (r) => r.status_name ?? r.status_code },
    { header: 'Lớp', width: 8, value: (r) => r.class_name },
    { header: 'Khối', width: 6, value: (r) => r.grade },
    { header: 'Số định danh cá nhân', width: 20, value: (r) => r.citizen_id },
  ];
  const body = await buildXlsx('Học sinh', columns, rows);
  const fileName = exportFileName(cls, school?.name, 'xlsx');
  return { body, fileName };
}

/**
 * The same list as a printable A4 PDF (a class list for the classroom wall, roll call, parents'
 * meeting): names in class-list order, no citizen ids — a printout leaves the building.
 */
export async function exportStudentsPdf(db: Db, caller: Caller, schoolId: string, query: ExportQuery) {
  const { rows, school, cls } = await exportRows(db, caller, schoolId, query);
  const classNames = [...new Set(rows.map((r) => r.class_name).filter((c): c is string => Boolean(c)))];
  const scope = classNames.length === 1 ? `Lớp ${classNames[0]}` : `${rows.length} học sinh`;
  let n = 0;
  const columns: PdfColumn<StudentListRow>[] = [
    // Numbers, dates, classes and ids are sized to their longest value (never split over two lines).
    { header: 'STT', width: 32, align: 'right', nowrap: true, value: () => ++n },
    { header: 'Họ và tên', width: 160, value: (r) => fullNameOf(r) },
    { header: 'Ngày sinh', width: 66, nowrap: true, value: (r) => formatVnDate(r.date_of_birth) },
    { header: 'Giới tính', width: 58, value: (r) => SEX_LABEL[r.sex] },
    { header: 'Dân tộc', width: 60, value: (r) => r.ethnicity_name ?? r.ethnicity_code },
    { header: 'Lớp', width: 40, nowrap: true, value: (r) => r.class_name },
    { header: 'Mã định danh', width: 99, nowrap: true, value: (r) => r.learner_id ?? r.temp_code },
  ];
  const body = await buildPdfTable([`DANH SÁCH HỌC SINH — ${scope}`, school?.name ?? ''], columns, rows);
  const fileName = exportFileName(cls, school?.name, 'pdf');
  return { body, fileName };
}

// ---------------------------------------------------------------- profile

/** The profile of one row, with the learner's history across every school (names only for other schools). */
type ProfileRow = NonNullable<Awaited<ReturnType<typeof studentProfileRow>>>;

export async function buildProfile(db: Db, schoolId: string, studentId: string): Promise<TStudentProfile> {
  const row = await studentProfileRow(db, schoolId, studentId);
  if (!row) throw notFound('Không tìm thấy học sinh.');
  return presentProfile(row);
}

function presentProfile(s: ProfileRow): TStudentProfile {
  return {
    id: s.id,
    schoolId: s.school_id,
    learnerId: s.learner_id,
    tempCode: s.temp_code,
    familyName: s.family_name,
    middleName: s.middle_name,
    givenName: s.given_name,
    fullName: fullNameOf(s),
    dateOfBirth: s.date_of_birth,
    sex: s.sex,
    ethnicityCode: s.ethnicity_code,
    ethnicityName: s.ethnicity_name,
    statusCode: s.status_code,
    statusName: s.status_name,
    classId: s.current_class_id,
    className: s.class_name,
    grade: s.grade,
    personId: s.person_id,
    citizenId: s.citizen_id,
    religionCode: s.religion_code,
    birthplace: s.birthplace,
    address: s.address,
    statusDate: s.status_date,
    isCurrent: s.is_current,
    schoolName: s.school_name ?? '',
    guardians: s.guardians.map((g) => ({
      id: g.id,
      relation: g.relation,
      fullName: g.full_name,
      phone: g.phone,
      email: g.email,
      occupation: g.occupation,
      birthYear: g.birth_year,
    })),
    enrolments: s.enrolments.map((e) => ({
      year: e.year,
      className: e.class_name,
      startDate: e.start_date,
      endDate: e.end_date,
      schoolName: e.school_name ?? '',
    })),
    // Other schools' events show what happened and where, never their notes.
    history: s.events.map((ev) => ({
      id: ev.id,
      schoolId: ev.school_id,
      schoolName: ev.school_name,
      kind: ev.kind,
      eventDate: ev.event_date,
      statusCode: ev.status_code,
      fromClassName: ev.from_class_name,
      toClassName: ev.to_class_name,
      otherSchoolName: ev.other_school_name,
      note: ev.school_id === s.school_id ? ev.note : null,
    })),
    pendingTransfer: s.pending
      ? {
          id: s.pending.id,
          kind: s.pending.kind,
          toSchoolName: s.pending.to_school_name ?? '',
          effectiveDate: s.pending.effective_date,
          // Inside JSON the timestamp arrives as PostgreSQL's text; the API speaks ISO 8601.
          createdAt: new Date(s.pending.created_at).toISOString(),
        }
      : null,
  };
}

export async function getStudentProfile(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TStudentProfile> {
  if (!UUID_RE.test(studentId)) throw notFound('Không tìm thấy học sinh.');
  // Read first, then decide: the profile query carries the row the access rule needs.
  const row = await studentProfileRow(db, schoolId, studentId);
  if (!row) throw notFound('Không tìm thấy học sinh.');
  await assertCanSee(db, caller, row);
  // Every view of a record is logged (docs/privacy.md, "Ai đã xem hồ sơ").
  await logAccess(db, caller.actor, { schoolId, studentId }, 'profile_view', caller.ip);
  const profile = presentProfile(row);
  // An open transfer is the school's business (and its offices'): teachers, parents and the learner do not see it.
  return hasAny(caller.roles, FULL_VIEW_ROLES) ? profile : { ...profile, pendingTransfer: null };
}

// ---------------------------------------------------------------- create and update

/** What the audit log keeps of a student: the row and its guardians. */
async function snapshot(trx: Trx, schoolId: string, studentId: string) {
  const row = await findStudent(trx, schoolId, studentId);
  const guardians = await guardiansOf(trx, schoolId, studentId);
  return { ...row, guardians };
}

export async function createStudent(db: Db, caller: Caller, schoolId: string, input: TCreateStudent): Promise<TStudentProfile> {
  const names = nameColumns(input.fullName);
  assertGuardianRelations(input.guardians);
  assertCodes(input);
  const learnerId = input.learnerId ?? null;
  const citizenId = input.citizenId ?? null;
  // Without a learner id the class is read together with the school's next temporary code. A
  // number taken for an admission refused afterwards is skipped, as a sequence would.
  const numbering = learnerId ? null : await tempCodeNumbering(db, schoolId);
  const found = numbering
    ? await classWithSchoolYearsAndTempSeq(db, schoolId, input.classId, numbering.prefix)
    : await classWithSchoolYears(db, schoolId, input.classId);
  const takenSeq = found && 'temp_seq' in found ? found.temp_seq : null;
  const cls = placeableClass(found);
  assertDateOfBirthFits(input.dateOfBirth, cls);
  const tempCode = numbering ? (takenSeq ? numbering.code(Number(takenSeq)) : await issueTempCode(db, schoolId)) : null;
  const admissionDate = input.admissionDate ?? todayIso();
  const id = newId();
  const eventId = newId();
  // One statement: its unique indexes refuse a learner id or citizen id already in use by a
  // current record, and mapUniqueViolations says so as a 409, race or not.
  const { student, guardians, schoolName } = await mapUniqueViolations(
    () =>
      insertAdmission(db, {
        student: {
          school_id: schoolId,
          id,
          person_id: newId(),
          learner_id: learnerId,
          temp_code: tempCode,
          citizen_id: citizenId,
          ...names,
          date_of_birth: input.dateOfBirth,
          sex: input.sex,
          ethnicity_code: input.ethnicityCode,
          religion_code: input.religionCode ?? null,
          birthplace: input.birthplace ?? null,
          address: input.address ?? null,
          status_code: '01',
          status_date: admissionDate,
          is_current: true,
          current_class_id: cls.id,
        },
        year: cls.year,
        enrolmentId: newId(),
        eventId,
        createdBy: caller.actor.userId,
        guardians: input.guardians.map((g) => guardianRow(schoolId, id, g, newId(), null)),
        audit: auditColumns(caller.actor, { action: 'student.create', entity: 'student', entityId: id, orgUnitId: schoolId, targetLabel: personLabel(names) }, caller.ip),
      }),
    { learnerId, citizenId },
  );
  // The answer is the profile a read would give, made from the rows just written: a new learner
  // has one enrolment, one event and no transfer (students.round-trips.test.ts compares the two).
  return presentProfile({
    ...student,
    ethnicity_name: codeListName(ETHNICITY_LIST, student.ethnicity_code),
    status_name: codeListName(STATUS_LIST, student.status_code),
    class_name: cls.name,
    grade: cls.grade,
    school_name: schoolName,
    guardians,
    enrolments: [{ year: cls.year, start_date: admissionDate, end_date: null, class_name: cls.name, school_name: schoolName }],
    events: [
      {
        id: eventId,
        school_id: schoolId,
        kind: 'admitted',
        event_date: admissionDate,
        status_code: student.status_code,
        note: null,
        from_class_name: null,
        to_class_name: cls.name,
        school_name: schoolName,
        other_school_name: null,
      },
    ],
    pending: null,
  });
}

export async function updateStudentRecord(
  db: Db,
  caller: Caller,
  schoolId: string,
  studentId: string,
  input: TUpdateStudent,
): Promise<TStudentProfile> {
  await requireStudent(db, schoolId, studentId);
  if (input.guardians) assertGuardianRelations(input.guardians);
  assertCodes(input);
  const patch: Partial<StudentRow> = {};
  if (input.fullName !== undefined) Object.assign(patch, nameColumns(input.fullName));
  if (input.dateOfBirth !== undefined) patch.date_of_birth = input.dateOfBirth;
  if (input.sex !== undefined) patch.sex = input.sex;
  if (input.ethnicityCode !== undefined) patch.ethnicity_code = input.ethnicityCode || '01';
  if (input.religionCode !== undefined) patch.religion_code = input.religionCode;
  if (input.birthplace !== undefined) patch.birthplace = input.birthplace;
  if (input.address !== undefined) patch.address = input.address;
  if (input.citizenId !== undefined) patch.citizen_id = input.citizenId;
  if (input.learnerId !== undefined) patch.learner_id = input.learnerId;
  await mapUniqueViolations(
    () =>
      db.transaction().execute(async (trx) => {
        const current = await lockStudent(trx, schoolId, studentId);
        if (!current) throw notFound('Không tìm thấy học sinh.');
        const before = await snapshot(trx, schoolId, studentId);
        if (patch.date_of_birth && current.current_class_id) {
          const cls = await findClass(trx, schoolId, current.current_class_id);
          if (cls) assertDateOfBirthFits(patch.date_of_birth, cls);
        }
        const self = { schoolId, id: studentId };
        if (current.is_current && patch.learner_id && patch.learner_id !== current.learner_id && (await currentWithLearnerId(trx, patch.learner_id, self))) {
          throw learnerTaken(patch.learner_id);
        }
        if (current.is_current && patch.citizen_id && patch.citizen_id !== current.citizen_id && (await currentWithCitizenId(trx, patch.citizen_id, self))) {
          throw citizenTaken(patch.citizen_id);
        }
        // Removing the Ministry id leaves the learner with a temporary code (one of the two is required).
        if (patch.learner_id === null && !current.temp_code) {
          patch.temp_code = await issueTempCode(trx, schoolId);
        }
        if (Object.keys(patch).length > 0) await updateStudent(trx, schoolId, studentId, patch);

        if (input.guardians) {
          const existing = new Map(before.guardians.map((g) => [g.id, g]));
          const kept = new Set<string>();
          const inserts: GuardianInsert[] = [];
          for (const g of input.guardians) {
            if (g.id) {
              const old = existing.get(g.id);
              if (!old) throw badRequest('guardian_not_found', 'Người giám hộ cần sửa không thuộc học sinh này. Hãy tải lại hồ sơ rồi thử lại.');
              if (kept.has(g.id)) throw badRequest('guardian_duplicate_id', 'Một người giám hộ được gửi lên hai lần.');
              kept.add(g.id);
              // user_id stays: the parent account linked to this guardian keeps its access.
              await updateGuardian(trx, guardianRow(schoolId, studentId, g, g.id, old.user_id));
            } else {
              inserts.push(guardianRow(schoolId, studentId, g, newId(), null));
            }
          }
          await deleteGuardians(
            trx,
            schoolId,
            studentId,
            before.guardians.filter((g) => !kept.has(g.id)).map((g) => g.id),
          );
          await insertGuardians(trx, inserts);
        }
        await writeAudit(
          trx,
          caller.actor,
          { action: 'student.update', entity: 'student', entityId: studentId, orgUnitId: schoolId, before, after: await snapshot(trx, schoolId, studentId) },
          caller.ip,
        );
      }),
    { learnerId: patch.learner_id, citizenId: patch.citizen_id },
  );
  return buildProfile(db, schoolId, studentId);
}

// ---------------------------------------------------------------- class transfer and status

function notCurrent(): AppError {
  return conflict('student_not_current', 'Học sinh không còn trong danh sách đang học của trường nên không thể thực hiện thao tác này.');
}

export async function transferClass(db: Db, caller: Caller, schoolId: string, studentId: string, input: TransferClassInput): Promise<TStudentProfile> {
  await requireStudent(db, schoolId, studentId);
  await db.transaction().execute(async (trx) => {
    const student = await lockStudent(trx, schoolId, studentId);
    if (!student) throw notFound('Không tìm thấy học sinh.');
    if (!student.is_current) throw notCurrent();
    if (student.current_class_id === input.toClassId) {
      throw badRequest('same_class', 'Học sinh đang học ở lớp này rồi. Hãy chọn một lớp khác.');
    }
    const target = await findClass(trx, schoolId, input.toClassId);
    if (!target) throw badRequest('class_not_in_school', 'Lớp chuyển đến không thuộc trường này. Hãy chọn một lớp của trường.');
    const open = await openEnrolment(trx, schoolId, studentId);
    const from = student.current_class_id ? await findClass(trx, schoolId, student.current_class_id) : undefined;
    const year = open?.year ?? from?.year ?? (await currentYear(trx, schoolId)).year;
    if (target.year !== year) {
      throw badRequest('class_wrong_year', `Lớp ${target.name} không thuộc năm học ${schoolYearLabel(year)} của học sinh. Hãy chọn lớp cùng năm học.`);
    }
    if (open && input.effectiveDate < open.start_date) {
      throw badRequest(
        'date_before_enrolment',
        `Ngày chuyển lớp (${formatVnDate(input.effectiveDate)}) không được trước ngày học sinh vào lớp hiện tại (${formatVnDate(open.start_date)}).`,
      );
    }
    const before = { ...student, enrolment: open ?? null };
    if (open) await closeEnrolment(trx, schoolId, open.id, input.effectiveDate);
    const enrolment = { school_id: schoolId, id: newId(), student_id: studentId, class_id: target.id, year: target.year, start_date: input.effectiveDate, end_date: null };
    await insertEnrolment(trx, enrolment);
    await updateStudent(trx, schoolId, studentId, { current_class_id: target.id });
    await insertEvent(trx, {
      school_id: schoolId,
      id: newId(),
      student_id: studentId,
      person_id: student.person_id,
      kind: 'class_transfer',
      event_date: input.effectiveDate,
      from_class_id: student.current_class_id,
      to_class_id: target.id,
      note: input.note ?? null,
      created_by: caller.actor.userId,
    });
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'student.transfer_class',
        entity: 'student',
        entityId: studentId,
        orgUnitId: schoolId,
        before,
        after: { ...(await findStudent(trx, schoolId, studentId)), enrolment },
      },
      caller.ip,
    );
  });
  return buildProfile(db, schoolId, studentId);
}

export async function changeStatus(db: Db, caller: Caller, schoolId: string, studentId: string, input: ChangeStatusInput): Promise<TStudentProfile> {
  await requireStudent(db, schoolId, studentId);
  if (codeListName(STATUS_LIST, input.statusCode) === null) {
    throw badRequest('unknown_status', `Trạng thái: mã ${input.statusCode} không có trong danh mục trạng thái học sinh — hãy chọn trạng thái trong danh sách.`);
  }
  const leaving = LEAVING_STATUSES.has(input.statusCode);
  await db.transaction().execute(async (trx) => {
    const student = await lockStudent(trx, schoolId, studentId);
    if (!student) throw notFound('Không tìm thấy học sinh.');
    if (student.status_code === input.statusCode) {
      throw badRequest('same_status', 'Học sinh đang ở trạng thái này rồi.');
    }
    const open = await openEnrolment(trx, schoolId, studentId);
    const patch: Partial<StudentRow> = { status_code: input.statusCode, status_date: input.effectiveDate };
    let reopened: Database['enrolment'] | null = null;
    if (leaving) {
      if (!student.is_current) throw notCurrent();
      if (open && input.effectiveDate < open.start_date) {
        throw badRequest(
          'date_before_enrolment',
          `Ngày hiệu lực (${formatVnDate(input.effectiveDate)}) không được trước ngày học sinh vào lớp hiện tại (${formatVnDate(open.start_date)}).`,
        );
      }
      patch.is_current = false;
      if (open) await closeEnrolment(trx, schoolId, open.id, input.effectiveDate);
    } else if (!student.is_current) {
      // Back on the roll: only a learner who dropped out here; one who transferred out belongs to the other school now.
      if (TRANSFER_OUT_STATUSES.has(student.status_code) || !DROPOUT_STATUSES.has(student.status_code)) {
        throw conflict(
          'student_transferred_out',
          'Học sinh đã chuyển đi nên không thể đổi trạng thái tại trường này. Nếu học sinh quay lại, trường hãy gửi đề nghị tiếp nhận ở mục "Chuyển trường".',
        );
      }
      if (student.learner_id && (await currentWithLearnerId(trx, student.learner_id))) throw learnerTaken(student.learner_id);
      if (student.status_date > input.effectiveDate) {
        throw badRequest('date_before_status', `Ngày hiệu lực không được trước ngày của trạng thái hiện tại (${formatVnDate(student.status_date)}).`);
      }
      patch.is_current = true;
      // Back into the last class when it belongs to the current school year; otherwise the school places them with a class transfer.
      const { year } = await currentYear(trx, schoolId);
      const last = student.current_class_id ? await findClass(trx, schoolId, student.current_class_id) : undefined;
      if (last && last.year === year) {
        reopened = { school_id: schoolId, id: newId(), student_id: studentId, class_id: last.id, year, start_date: input.effectiveDate, end_date: null };
        await insertEnrolment(trx, reopened);
      } else {
        patch.current_class_id = null;
      }
    }
    await updateStudent(trx, schoolId, studentId, patch);
    await insertEvent(trx, {
      school_id: schoolId,
      id: newId(),
      student_id: studentId,
      person_id: student.person_id,
      kind: 'status_change',
      event_date: input.effectiveDate,
      status_code: input.statusCode,
      from_class_id: leaving ? student.current_class_id : null,
      to_class_id: reopened?.class_id ?? null,
      note: input.note ?? null,
      created_by: caller.actor.userId,
    });
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'student.status_change',
        entity: 'student',
        entityId: studentId,
        orgUnitId: schoolId,
        before: student,
        after: await findStudent(trx, schoolId, studentId),
      },
      caller.ip,
    );
  });
  return buildProfile(db, schoolId, studentId);
}

// ---------------------------------------------------------------- transfer between schools

/** What moving a learner's record between schools needs; both sides' consent is the caller's business. */
export type LearnerMove = {
  /** The learner's current record at the sending school, locked by the caller's transaction. */
  from: StudentRow;
  toSchoolId: string;
  /** The receiving school's class, already checked (placeable year, level and grade). */
  toClass: ClassRow;
  effectiveDate: string;
  note: string | null;
  /** The two-sided transfer this move completes (kept in the audit rows). */
  transferId: string;
};

/**
 * Moves a learner's record to another school, inside the caller's transaction: the old row is
 * closed (not current, status "chuyển đi", enrolment ended, event, audit row), a new row at the
 * receiving school carries the same person_id and learner id with the guardians, parent grants,
 * the learner's own account, an enrolment in the class, an event and an audit row. The learner is
 * never duplicated and the history reads across both schools. Returns the new record's id.
 * Called only when a two-sided transfer completes (modules/transfers).
 */
export async function moveLearner(trx: Trx, actor: Actor, ip: string | null | undefined, move: LearnerMove): Promise<string> {
  const { from: old, toSchoolId: schoolId, toClass: target } = move;
  if (!old.is_current) throw notCurrent();
  const newStudentId = newId();
  const open = await openEnrolment(trx, old.school_id, old.id);
  if (open && move.effectiveDate < open.start_date) {
    throw badRequest(
      'date_before_enrolment',
      `Ngày chuyển trường (${formatVnDate(move.effectiveDate)}) không được trước ngày học sinh vào lớp ở trường cũ (${formatVnDate(open.start_date)}).`,
    );
  }
  const oldYears = await schoolYears(trx, old.school_id);
  const period = periodOf(oldYears, move.effectiveDate);
  const outCode = TRANSFER_CODES.out[period];
  const inCode = TRANSFER_CODES.in[period];
  const note = move.note;

  // 1. Close the old school's row first: the unique indexes allow one current row per learner id / citizen id.
  const oldBefore = await snapshot(trx, old.school_id, old.id);
  await updateStudent(trx, old.school_id, old.id, { is_current: false, status_code: outCode, status_date: move.effectiveDate });
  if (open) await closeEnrolment(trx, old.school_id, open.id, move.effectiveDate);
  await insertEvent(trx, {
    school_id: old.school_id,
    id: newId(),
    student_id: old.id,
    person_id: old.person_id,
    kind: 'transfer_out',
    event_date: move.effectiveDate,
    status_code: outCode,
    from_class_id: old.current_class_id,
    other_school_id: schoolId,
    note,
    created_by: actor.userId,
  });
  await writeAudit(
    trx,
    actor,
    {
      action: 'student.transfer_out',
      entity: 'student',
      entityId: old.id,
      orgUnitId: old.school_id,
      before: oldBefore,
      after: { ...(await findStudent(trx, old.school_id, old.id)), toSchoolId: schoolId, transferId: move.transferId },
    },
    ip,
  );

  // 2. Open the learner's row in the receiving school with the same person, profile and guardians.
  await insertStudent(trx, {
    school_id: schoolId,
    id: newStudentId,
    person_id: old.person_id,
    learner_id: old.learner_id,
    temp_code: null,
    citizen_id: old.citizen_id,
    family_name: old.family_name,
    middle_name: old.middle_name,
    given_name: old.given_name,
    name_sort_key: old.name_sort_key,
    search_text: old.search_text,
    date_of_birth: old.date_of_birth,
    sex: old.sex,
    ethnicity_code: old.ethnicity_code,
    religion_code: old.religion_code,
    birthplace: old.birthplace,
    address: old.address,
    status_code: inCode,
    status_date: move.effectiveDate,
    is_current: true,
    current_class_id: target.id,
  });
  const guardians = oldBefore.guardians.map((g) => ({ ...g, school_id: schoolId, id: newId(), student_id: newStudentId }));
  await insertGuardians(trx, guardians);
  // Parent accounts linked to the guardians keep seeing their child, now at the receiving school.
  const grants: string[] = [];
  for (const userId of new Set(guardians.map((g) => g.user_id).filter((u): u is string => !!u))) {
    if (await grantRoleIfMissing(trx, newId(), userId, 'parent', schoolId)) grants.push(userId);
  }
  // The learner's own account follows the learner to the new row.
  const accounts = await relinkStudentAccounts(trx, { schoolId: old.school_id, id: old.id }, { schoolId, id: newStudentId });
  for (const a of accounts) await grantRoleIfMissing(trx, newId(), a.id, 'student', schoolId);
  await insertEnrolment(trx, {
    school_id: schoolId,
    id: newId(),
    student_id: newStudentId,
    class_id: target.id,
    year: target.year,
    start_date: move.effectiveDate,
    end_date: null,
  });
  await insertEvent(trx, {
    school_id: schoolId,
    id: newId(),
    student_id: newStudentId,
    person_id: old.person_id,
    kind: 'transfer_in',
    event_date: move.effectiveDate,
    status_code: inCode,
    to_class_id: target.id,
    other_school_id: old.school_id,
    note,
    created_by: actor.userId,
  });
  await writeAudit(
    trx,
    actor,
    {
      action: 'student.transfer_in',
      entity: 'student',
      entityId: newStudentId,
      orgUnitId: schoolId,
      after: {
        ...(await snapshot(trx, schoolId, newStudentId)),
        fromSchoolId: old.school_id,
        fromStudentId: old.id,
        transferId: move.transferId,
        parentGrants: grants,
        studentAccounts: accounts.map((a) => a.id),
      },
    },
    ip,
  );
  return newStudentId;
}

// ---------------------------------------------------------------- dashboard

export async function schoolDashboard(db: Db, caller: Caller, schoolId: string, asOfInput?: string): Promise<Dashboard> {
  const { year: current, years } = await currentYear(db, schoolId);
  const asOf = asOfInput ?? todayIso();
  // On a given date: the school year that contains it, else the last one begun by then.
  const year = asOfInput
    ? (years.find((y) => y.term1_start <= asOf && asOf <= y.term2_end)?.year ??
      [...years].reverse().find((y) => y.term1_start <= asOf)?.year ??
      schoolYearOf(asOf))
    : current;
  const view = await schoolView(db, caller.roles, caller.actor, schoolId, year);
  const classIds = view.kind === 'teacher' ? view.classIds : null;
  const [school, counts, classes, staff] = await Promise.all([
    schoolInfo(db, schoolId),
    classIds && classIds.length === 0 ? Promise.resolve([]) : dashboardCounts(db, schoolId, asOfInput, classIds),
    classesOfYear(db, schoolId, year, classIds),
    activeStaffCount(db, schoolId),
  ]);
  // Students may sit in a class of another year (not yet promoted): still count them by that class.
  const known = new Map(classes.map((c) => [c.id, c]));
  const stray = [...new Set(counts.map((c) => c.class_id).filter((id): id is string => !!id && !known.has(id)))];
  for (const c of await classesByIds(db, schoolId, stray)) known.set(c.id, c);

  const byClass = new Map(classes.map((c) => [c.id, { classId: c.id, className: c.name, grade: c.grade, students: 0, female: 0 }]));
  const byGrade = new Map<number, { grade: number; students: number; female: number; classes: number }>();
  const gradeRow = (grade: number) => {
    let g = byGrade.get(grade);
    if (!g) byGrade.set(grade, (g = { grade, students: 0, female: 0, classes: 0 }));
    return g;
  };
  for (const c of classes) gradeRow(c.grade).classes += 1;
  const bySex = { male: 0, female: 0 };
  const byEthnicity = new Map<string, number>();
  const totals = { students: 0, female: 0, ethnicMinority: 0, classes: classes.length, staff };
  for (const row of counts) {
    const n = Number(row.n);
    totals.students += n;
    if (row.sex === 'female') totals.female += n;
    if (row.ethnicity_code !== '01') totals.ethnicMinority += n;
    bySex[row.sex] += n;
    byEthnicity.set(row.ethnicity_code, (byEthnicity.get(row.ethnicity_code) ?? 0) + n);
    const cls = row.class_id ? known.get(row.class_id) : undefined;
    if (!cls) continue;
    let entry = byClass.get(cls.id);
    if (!entry) byClass.set(cls.id, (entry = { classId: cls.id, className: cls.name, grade: cls.grade, students: 0, female: 0 }));
    entry.students += n;
    if (row.sex === 'female') entry.female += n;
    const g = gradeRow(cls.grade);
    g.students += n;
    if (row.sex === 'female') g.female += n;
  }
  const ethNames = await codeNames(db, ETHNICITY_LIST, [...byEthnicity.keys()]);
  return {
    schoolId,
    schoolName: school?.name ?? '',
    year,
    asOf,
    view: classIds ? 'own_classes' : 'school',
    totals,
    byGrade: [...byGrade.values()].sort((a, b) => a.grade - b.grade),
    byClass: [...byClass.values()].sort((a, b) => a.grade - b.grade || (a.className < b.className ? -1 : a.className > b.className ? 1 : 0)),
    bySex: (['male', 'female'] as const).map((sex) => ({ sex, students: bySex[sex] })),
    byEthnicity: [...byEthnicity.entries()]
      .map(([code, students]) => ({ code, name: ethNames.get(code) ?? code, students }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
}
