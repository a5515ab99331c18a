import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { nameSortKey, searchFold } from '../../domain/index.js';
import type { Database, OrgUnitKind, Role } from '../src/db/schema.js';
import type { A1Student, Place } from './access-policy.js';
import { F, KITS, type SchoolKit } from './fixture-ids.js';

type Db = Kysely<Database>;

// What the access matrix points requests at: the ids behind each place of the fixture province,
// the values that identify it (which a refused answer must never contain), and factories for
// fresh copies of a place's records, so that an allowed change can run for real without spoiling
// the fixture for the cells after it.

export const UNIT_ID: Record<Place, string> = {
  ministry: F.ministry,
  provinceA: F.provinceA,
  provinceB: F.provinceB,
  communeA1: F.communeA1,
  communeA2: F.communeA2,
  districtA1: F.districtA1,
  districtG: F.districtG,
  A1: F.schoolA1,
  A2: F.schoolA2,
  A3: F.schoolA3,
  A4: F.schoolA4,
  G: F.schoolG,
  M1: F.schoolM1,
  M2: F.schoolM2,
  B1: F.schoolB1,
};

export const KIND_OF: Record<Place, OrgUnitKind> = {
  ministry: 'ministry',
  provinceA: 'province_office',
  provinceB: 'province_office',
  communeA1: 'commune_office',
  communeA2: 'commune_office',
  districtA1: 'district_office',
  districtG: 'district_office',
  A1: 'school',
  A2: 'school',
  A3: 'school',
  A4: 'school',
  G: 'school',
  M1: 'school',
  M2: 'school',
  B1: 'school',
};

/** Schools with records (A2 has none: it is a place for the org routes only). */
export type SchoolPlace = 'A1' | 'A3' | 'A4' | 'G' | 'M1' | 'M2' | 'B1';
export const SCHOOL_PLACES: SchoolPlace[] = ['A1', 'A3', 'A4', 'G', 'M1', 'M2', 'B1'];

type Student = { id: string; fullName: string; learnerId: string; classId: string; guardianPhone: string | null };
type SchoolData = {
  schoolId: string;
  schoolName: string;
  classId: string;
  className: string;
  staffId: string;
  staffName: string;
  assignmentId: string;
  students: Student[];
  /** A staff member's personal values (phone, date of birth) that only managers and offices read. */
  staffPersonal: string[];
  secrets: string[];
};

const fullName = (p: { family: string; middle: string; given: string }) => `${p.family} ${p.middle} ${p.given}`;

function fromKit(k: SchoolKit): SchoolData {
  const student = { id: k.studentId, fullName: fullName(k.student), learnerId: k.student.learnerId, classId: k.classId, guardianPhone: k.guardianPhone };
  return {
    schoolId: k.schoolId,
    schoolName: k.schoolName,
    classId: k.classId,
    className: k.className,
    staffId: k.principalStaffId,
    staffName: fullName(k.principal),
    assignmentId: k.assignmentId,
    students: [student],
    staffPersonal: [k.principal.phone, k.principal.dob],
    secrets: [
      k.schoolName.replace(/^Trường (THCS|THPT|Tiểu học) /, ''),
      student.fullName,
      k.student.learnerId,
      k.guardianPhone,
      fullName(k.principal),
      k.principal.phone,
      fullName(k.teacher),
    ],
  };
}

/** The students of school A1 by their short names (access-policy.ts STUDENT_RELATIONS). */
export const A1_STUDENTS: Record<A1Student, Student> = {
  An: { id: F.studentAn, fullName: 'Nguyễn Văn An', learnerId: '0100000001', classId: F.class6A1, guardianPhone: '0912345678' },
  Binh: { id: F.studentBinh, fullName: 'Đặng Thị Bình', learnerId: '0100000002', classId: F.class6A1, guardianPhone: null },
  Cuong: { id: F.studentCuong, fullName: 'Hoàng Quốc Cường', learnerId: '0100000003', classId: F.class6A2, guardianPhone: '0987654321' },
};

export const SCHOOL: Record<SchoolPlace, SchoolData> = {
  A1: {
    schoolId: F.schoolA1,
    schoolName: 'Trường THCS Lê Lợi',
    classId: F.class6A1,
    className: '6A1',
    staffId: F.teacherMath,
    staffName: 'Phạm Minh Đức',
    assignmentId: '00000000-0000-7000-8000-000000005002',
    students: Object.values(A1_STUDENTS),
    staffPersonal: [],
    secrets: ['Lê Lợi', 'Nguyễn Văn An', 'Đặng Thị Bình', 'Hoàng Quốc Cường', '0100000001', '0100000002', '0100000003', '0912345678', '0987654321', 'Phạm Minh Đức', 'Lê Thị Hoa'],
  },
  A3: fromKit(KITS.A3),
  A4: fromKit(KITS.A4),
  G: fromKit(KITS.G),
  M1: fromKit(KITS.M1),
  M2: fromKit(KITS.M2),
  B1: {
    schoolId: F.schoolB1,
    schoolName: 'Trường THPT Quang Trung',
    classId: F.class10B1,
    className: '10A1',
    staffId: F.principalB1,
    staffName: 'Võ Thị Lan',
    assignmentId: '', // B1 has no teaching assignment in the fixture: made in setUpPlaces
    students: [{ id: F.studentB1, fullName: 'Lò Thị Dung', learnerId: '0200000001', classId: F.class10B1, guardianPhone: null }],
    staffPersonal: [],
    secrets: ['Quang Trung', 'Lò Thị Dung', '0200000001', 'Võ Thị Lan'],
  },
};

/** Values that identify a place: a refusal must contain none of them. Offices: their schools' values. */
export function secretsOf(place: Place): string[] {
  if (place in SCHOOL) return SCHOOL[place as SchoolPlace].secrets;
  const below: Partial<Record<Place, SchoolPlace[]>> = {
    communeA1: ['A1', 'M1', 'M2'],
    communeA2: ['A3'],
    provinceA: ['A1', 'A3', 'M1', 'M2'],
    provinceB: ['B1'],
    districtA1: ['A4'],
    districtG: [],
  };
  return (below[place] ?? []).flatMap((s) => SCHOOL[s].secrets);
}

/** Per place: an account with a role there (target of the account routes), an audit row, an import job. */
export type PlaceExtras = { userId: string; username: string; grantId: string; auditId: string; jobId: string | null; jobMarker: string };
export const EXTRAS = {} as Record<Place, PlaceExtras>;
/** Per student: a consent note and an access-log address only that student has; a left student per school. */
export const STUDENT_MARKS = new Map<string, { consentNote: string; accessIp: string }>();
export const LEFT_STUDENT = {} as Record<SchoolPlace, Student>;

/** The role an account created at a place gets (one that fits the kind of unit). */
export function roleAt(place: Place): Role {
  const kind = KIND_OF[place];
  if (kind === 'ministry') return 'system_admin';
  if (kind === 'province_office') return 'province_officer';
  if (kind === 'school') return 'subject_teacher';
  return 'district_officer';
}

const person = (family: string, middle: string, given: string) => ({
  family_name: family,
  middle_name: middle,
  given_name: given,
  name_sort_key: nameSortKey({ familyName: family, middleName: middle, givenName: given }),
  search_text: searchFold(`${family} ${middle} ${given}`),
});

/** The name the place's audit row carries: what the audit export must show to the place's readers. */
export const auditMarker = (place: Place) => `Mốc ma trận ${place}`;

/** Writes what the matrix needs beyond the shared fixture. */
export async function setUpPlaces(db: Db): Promise<void> {
  const hash = (await db.selectFrom('app_user').select('password_hash').where('id', '=', F.users.admin).executeTakeFirstOrThrow()).password_hash;
  let n = 0;
  for (const place of Object.keys(UNIT_ID) as Place[]) {
    n++;
    const unitId = UNIT_ID[place];
    const user = await makeUser(db, hash, `mx.${place.toLowerCase()}`, roleAt(place), unitId);
    const auditId = randomUUID();
    await db
      .insertInto('audit_log')
      .values({ id: auditId, user_id: F.users.admin, username: 'admin', action: 'matrix.marker', entity: 'org_unit', entity_id: unitId, org_unit_id: unitId, before: null, after: null, ip: null, target_label: auditMarker(place) })
      .execute();
    let jobId: string | null = null;
    const jobMarker = `Giá trị lỗi ${place}`;
    if (KIND_OF[place] === 'school') {
      jobId = randomUUID();
      await db
        .insertInto('import_job')
        .values({
          id: jobId,
          school_id: unitId,
          kind: 'students',
          mode: 'all_or_nothing',
          status: 'rejected',
          file_name: `hoc-sinh-${place}.xlsx`,
          total_rows: 1,
          error_count: 1,
          errors: JSON.stringify([{ row: 2, column: 'Họ và tên', value: jobMarker, message: 'Họ và tên không hợp lệ.', severity: 'error' }]),
          message: null,
          created_by: F.users.admin,
          finished_at: new Date(),
        })
        .execute();
    }
    EXTRAS[place] = { ...user, auditId, jobId, jobMarker };
  }
  // B1 has no assignment in the shared fixture.
  const b1Assignment = randomUUID();
  await db.insertInto('teaching_assignment').values({ school_id: F.schoolB1, id: b1Assignment, year: F.year, term: 1, class_id: F.class10B1, subject_code: 'toan', staff_id: F.principalB1 }).execute();
  SCHOOL.B1.assignmentId = b1Assignment;

  for (const place of SCHOOL_PLACES) {
    const school = SCHOOL[place];
    for (const [i, s] of school.students.entries()) {
      const marks = { consentNote: `Phiếu giấy số ${place}-${i + 1}`, accessIp: `10.9.${++n}.${i + 1}` };
      STUDENT_MARKS.set(s.id, marks);
      await db
        .insertInto('consent_record')
        .values({
          school_id: school.schoolId,
          id: randomUUID(),
          student_id: s.id,
          purpose: 'photo_publish',
          action: 'give',
          giver: 'student',
          guardian_id: null,
          giver_name: s.fullName,
          giver_relation: null,
          method: 'paper',
          effective_date: '2025-09-10',
          note: marks.consentNote,
          recorded_by: F.users.admin,
        })
        .execute();
      await db.insertInto('access_log').values({ school_id: school.schoolId, student_id: s.id, user_id: F.users.admin, username: 'admin', action: 'profile_view', ip: marks.accessIp }).execute();
    }
    LEFT_STUDENT[place] = await makeLeftStudent(db, school.schoolId, `Xưa ${place}`);
  }
}

async function makeUser(db: Db, hash: string, username: string, role: Role, unitId: string) {
  const userId = randomUUID();
  const grantId = randomUUID();
  await db
    .insertInto('app_user')
    .values({ id: userId, username, password_hash: hash, display_name: `Tài khoản ${username}`, staff_school_id: null, staff_id: null, student_school_id: null, student_id: null, locked_until: null, last_login_at: null })
    .execute();
  await db.insertInto('role_grant').values({ id: grantId, user_id: userId, role, org_unit_id: unitId }).execute();
  return { userId, username, grantId };
}

/** A learner who left the school in 2015: a candidate for anonymisation. */
async function makeLeftStudent(db: Db, schoolId: string, given: string): Promise<Student> {
  const id = randomUUID();
  const [g1, ...rest] = given.split(' ');
  await db
    .insertInto('student')
    .values({
      school_id: schoolId,
      id,
      person_id: id,
      learner_id: null,
      temp_code: `CU${nextSerial()}`,
      citizen_id: null,
      ...person('Lưu', g1 ?? 'Văn', rest.join(' ') || 'Cũ'),
      date_of_birth: '2001-01-01',
      sex: 'male',
      ethnicity_code: '01',
      religion_code: null,
      birthplace: null,
      address: null,
      status_code: '05',
      status_date: '2015-06-01',
      is_current: false,
      current_class_id: null,
    })
    .execute();
  return { id, fullName: `Lưu ${given}`, learnerId: '', classId: '', guardianPhone: null };
}

// ---------------------------------------------------------------- fresh copies for allowed changes

let serial = 0;
/** A number unique within the run, for names and codes. */
export const nextSerial = () => ++serial;
const LETTERS = ['An', 'Bảo', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Linh', 'Minh', 'Nam', 'Oanh', 'Phúc', 'Quân', 'Sơn', 'Thảo', 'Uyên', 'Vy', 'Xuân', 'Yến'];
/** A Vietnamese given name unique within the run (person names are allow-listed: no digits). */
export function uniqueGivenName(): string {
  const k = nextSerial();
  return `${LETTERS[k % LETTERS.length]} ${LETTERS[Math.floor(k / LETTERS.length) % LETTERS.length]} ${LETTERS[Math.floor(k / 361) % LETTERS.length]}`;
}

/** A new current student in a new class of the school (so moving or changing them spoils nothing). */
export async function freshStudent(db: Db, schoolId: string, grade: number) {
  const classId = await freshClass(db, schoolId, grade);
  const id = randomUUID();
  const given = uniqueGivenName();
  const learnerId = `09${String(nextSerial()).padStart(8, '0')}`;
  await db
    .insertInto('student')
    .values({
      school_id: schoolId,
      id,
      person_id: id,
      learner_id: learnerId,
      temp_code: null,
      citizen_id: null,
      ...person('Tôn', 'Thất', given),
      date_of_birth: '2014-02-02',
      sex: 'female',
      ethnicity_code: '01',
      religion_code: null,
      birthplace: null,
      address: null,
      status_code: '01',
      status_date: '2025-09-05',
      current_class_id: classId,
    })
    .execute();
  await db.insertInto('enrolment').values({ school_id: schoolId, id: randomUUID(), student_id: id, class_id: classId, year: F.year, start_date: '2025-09-05', end_date: null }).execute();
  return { id, fullName: `Tôn Thất ${given}`, classId, learnerId, dateOfBirth: '2014-02-02' };
}

export async function freshClass(db: Db, schoolId: string, grade: number): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('class')
    .values({ school_id: schoolId, id, year: F.year, name: `${grade}X${nextSerial()}`, grade, homeroom_teacher_id: null, session: 'morning', age_group: null, site_id: null })
    .execute();
  return id;
}

export async function freshAssignment(db: Db, schoolId: string, staffId: string, grade: number) {
  const classId = await freshClass(db, schoolId, grade);
  const id = randomUUID();
  await db.insertInto('teaching_assignment').values({ school_id: schoolId, id, year: F.year, term: 1, class_id: classId, subject_code: 'toan', staff_id: staffId }).execute();
  return id;
}

export async function freshLeftStudent(db: Db, schoolId: string) {
  return makeLeftStudent(db, schoolId, `Văn ${uniqueGivenName()}`);
}

/** An account with the place's role there, for the account routes. */
export async function freshUser(db: Db, place: Place) {
  const hash = (await db.selectFrom('app_user').select('password_hash').where('id', '=', F.users.admin).executeTakeFirstOrThrow()).password_hash;
  return makeUser(db, hash, `mx.moi${nextSerial()}`, roleAt(place), UNIT_ID[place]);
}

/** A new open unit of the place's kind beside it (same parent today), for reshaping. */
export async function freshUnitBeside(db: Db, place: Place) {
  const today = new Date().toISOString().slice(0, 10);
  const v = await db
    .selectFrom('org_unit_version')
    .selectAll()
    .where('unit_id', '=', UNIT_ID[place])
    .where('valid_from', '<=', today)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', today)]))
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const name = `Đơn vị thử ${nextSerial()}`;
  await db.insertInto('org_unit').values({ id, kind: KIND_OF[place], code: null }).execute();
  await db.insertInto('org_unit_version').values({ ...v, unit_id: id, name, valid_from: '2020-01-01', valid_to: null }).execute();
  return { id, name, parentId: v.parent_id };
}

// ---------------------------------------------------------------- school transfers

/** The school each place exchanges learners with in the matrix (same level; B1's is a second THPT made in setup). */
const PARTNER: Record<SchoolPlace, SchoolPlace | 'B2'> = { A1: 'A3', A3: 'A1', A4: 'A1', G: 'A3', M1: 'M2', M2: 'M1', B1: 'B2' };
let b2SchoolId = '';
export const partnerSchoolId = (place: SchoolPlace) => {
  const partner = PARTNER[place];
  return partner === 'B2' ? b2SchoolId : SCHOOL[partner].schoolId;
};
export const gradeOf = (place: SchoolPlace) => Number.parseInt(SCHOOL[place].className, 10);

/**
 * Pending transfers per place, for the cells that refuse a decision (nothing changes them):
 * a request the place must decide (it sends), one it made (it receives), an issue it must accept.
 */
export const TRANSFERS = {} as Record<SchoolPlace, { toDecide: string; asked: string; toAccept: string }>;

/** A pending transfer of a fresh learner of `fromSchoolId`, stored as the two copies the service keeps. */
export async function freshTransfer(db: Db, kind: 'request' | 'issue', fromSchoolId: string, toSchoolId: string, grade: number): Promise<string> {
  const learner = await freshStudent(db, fromSchoolId, grade);
  const toClassId = kind === 'request' ? await freshClass(db, toSchoolId, grade) : null;
  const id = randomUUID();
  const row = {
    id,
    kind,
    status: 'pending' as const,
    from_school_id: fromSchoolId,
    to_school_id: toSchoolId,
    from_student_id: learner.id,
    person_id: learner.id,
    to_class_id: toClassId,
    effective_date: '2026-02-10',
    note: null,
    created_by: F.users.admin,
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    to_student_id: null,
  };
  await db.insertInto('school_transfer').values([{ ...row, school_id: fromSchoolId }, { ...row, school_id: toSchoolId }]).execute();
  return id;
}

/** A learner of the place's partner school the place may ask for (same level and grade). */
export async function learnerToAskFor(db: Db, place: SchoolPlace) {
  return freshStudent(db, partnerSchoolId(place), gradeOf(place));
}

export async function setUpTransfers(db: Db): Promise<void> {
  b2SchoolId = (await freshUnitBeside(db, 'B1')).id;
  await db.insertInto('school_year').values({ school_id: b2SchoolId, year: F.year, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: '2026-05-31' }).execute();
  for (const place of SCHOOL_PLACES) {
    const here = SCHOOL[place].schoolId;
    const there = partnerSchoolId(place);
    const grade = gradeOf(place);
    TRANSFERS[place] = {
      toDecide: await freshTransfer(db, 'request', here, there, grade),
      asked: await freshTransfer(db, 'request', there, here, grade),
      toAccept: await freshTransfer(db, 'issue', there, here, grade),
    };
  }
}
