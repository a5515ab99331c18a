import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type A1Student,
  type Caller,
  expectedOutcome,
  type Outcome,
  PLACES,
  type Place,
  type PolicyName,
  RELATIONS,
  type Relation,
  ROLE,
  STUDENT_RELATIONS,
  TREE_SCHOOLS,
} from '../../test/access-policy.js';
import { F, USERNAMES } from '../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../test/harness.js';
import {
  A1_STUDENTS,
  EXTRAS,
  KIND_OF,
  LEFT_STUDENT,
  SCHOOL,
  SCHOOL_PLACES,
  STUDENT_MARKS,
  type SchoolPlace,
  UNIT_ID,
  freshAssignment,
  freshClass,
  freshLeftStudent,
  freshStudent,
  freshUnitBeside,
  freshTransfer,
  freshUser,
  gradeOf,
  learnerToAskFor,
  nextSerial,
  partnerSchoolId,
  TRANSFERS,
  setUpTransfers,
  roleAt,
  secretsOf,
  setUpPlaces,
  uniqueGivenName,
  auditMarker,
} from '../../test/matrix-places.js';
import { pdfPageTexts } from '../../test/pdf-text.js';
import { unzipSync } from 'fflate';
import { xlsxCellText } from '../../test/xlsx-text.js';
import { multipart } from '../modules/imports/imports.test-helpers.js';
import { identity, pkcs12 } from '../../test/test-certificates.js';
import { messageIn, nextSchoolDay, pendingLeave, subjectMessagesOn, threadFor, yearReachesToday } from '../../test/contact-book-matrix.js';

/**
 * The access matrix: every route of the API × every fixture account (one or more per role, on
 * units in every relation the policy distinguishes) × every place of the fixture province.
 *
 * The expected outcome of each cell comes from the hand-written policy (server/test/access-policy.ts)
 * — never from the routes' own permission declarations — so a route that grants too much or too
 * little turns the matrix red. A route missing from ROUTES below fails it too.
 *
 * - allowed cell: 2xx AND the answer holds the target's data (its ids and names, read from the
 *   fixture, never from the API); where a role sees only part (a teacher's classes) the rest must
 *   be absent. An allowed change runs for real, on fresh records made for it.
 * - denied cell: 401/403/404 problem+json, none of the target's identifying values anywhere in the
 *   answer (names, ids, learner ids, phone numbers), nothing written.
 * - closed cell (may read a closed unit, not change it): 409 unit_closed, nothing written.
 */
const ctx = await setupTestApp({ jobs: false });
const db = ctx.handle.db;

type StudentRef = { id: string; fullName: string; learnerId: string; a1?: A1Student };
type Target = { kind: 'none' } | { kind: 'place'; place: Place } | { kind: 'student'; place: SchoolPlace; student: StudentRef };
type Cell = { caller: Caller | 'anonymous'; target: Target; expected: Outcome };

/** A request as a cell sends it, and what an allowed answer must (not) contain. */
type Request = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  upload?: Buffer;
  /** A multipart body of the route's own fields (the import upload above is one `file`). */
  form?: { contentType: string; payload: Buffer };
  mustContain?: string[];
  mustNotContain?: string[];
  /** After an allowed change: read the database to see it was done where it should be. */
  verify?: () => Promise<string | null>;
};

type RouteSpec = {
  policy: PolicyName;
  target: 'none' | 'school' | 'student' | 'unit' | 'user';
  /** Which places to aim at (default: every place with records for the target kind). */
  places?: readonly Place[];
  /** Only the anonymous cell: the route ends or changes the session the matrix runs on. */
  anonymousOnly?: string;
  /** Not part of the matrix, with the reason. */
  skip?: string;
  /** Builds the request; `allowed` says whether it will run for real (then use fresh records). */
  request?: (cell: Cell, allowed: boolean) => Promise<Request>;
  /** A check of the answer's content beyond mustContain, for an allowed cell. */
  check?: (json: unknown, cell: Cell) => string | null;
};

// ---------------------------------------------------------------- what each caller may see

const CALLERS = Object.keys(ROLE) as Caller[];
const placeOf = (t: Target): Place | null => (t.kind === 'none' ? null : t.place);

function relationOf(caller: Caller, target: Target): Relation | null {
  if (target.kind === 'none') return null;
  const r = RELATIONS[caller][target.place];
  if (target.kind === 'student' && r === 'own_unit' && target.student.a1) return STUDENT_RELATIONS[caller]?.[target.student.a1] ?? r;
  return r;
}

/** The place a caller's own grant is on (tree policy: judged by the caller's own unit). */
const grantPlace = (caller: Caller): Place => PLACES.find((p) => ['own_unit', 'own_unit_closed'].includes(RELATIONS[caller][p]))!;

/** The students of a school a caller sees in lists: all, or a teacher's own classes. */
function visibleStudents(caller: Caller, place: SchoolPlace): StudentRef[] {
  const all = studentsOf(place);
  const finer = STUDENT_RELATIONS[caller];
  if (place !== 'A1' || !finer || !['homeroom_teacher', 'subject_teacher'].includes(ROLE[caller])) return all;
  return all.filter((s) => finer[s.a1!] === 'own_class');
}

function studentsOf(place: SchoolPlace): StudentRef[] {
  if (place === 'A1') return (Object.entries(A1_STUDENTS) as [A1Student, (typeof A1_STUDENTS)[A1Student]][]).map(([a1, s]) => ({ ...s, a1 }));
  return SCHOOL[place].students;
}

const schoolOf = (cell: Cell) => {
  if (cell.target.kind === 'none') throw new Error('no target');
  return SCHOOL[cell.target.place as SchoolPlace];
};
const studentOf = (cell: Cell) => {
  if (cell.target.kind !== 'student') throw new Error('not a student target');
  return cell.target.student;
};
const placeName = async (place: Place) =>
  (await db.selectFrom('org_unit_version').select('name').where('unit_id', '=', UNIT_ID[place]).orderBy('valid_from', 'desc').limit(1).executeTakeFirstOrThrow()).name;

/** The date each place is read on: a closed unit's last day, a date when districtG still had a school; today for the others. */
const HISTORY_DATE: Partial<Record<Place, string>> = { districtA1: '2025-06-30', A4: '2025-12-31', G: '2025-05-31', districtG: '2025-01-01' };
const asOfQuery = (place: Place): Record<string, string> => {
  const asOf = HISTORY_DATE[place];
  return asOf ? { asOf } : {};
};
/** One school found below each place on the date above. */
const A_SCHOOL_BELOW: Partial<Record<Place, string>> = {
  ministry: F.schoolB1,
  provinceA: F.schoolA3,
  provinceB: F.schoolB1,
  communeA1: F.schoolM1,
  communeA2: F.schoolA3,
  districtA1: F.schoolA4,
  districtG: F.schoolG,
  A1: F.schoolA1,
  A2: F.schoolA2,
  A3: F.schoolA3,
  A4: F.schoolA4,
  G: F.schoolG,
  M1: F.schoolM1,
  M2: F.schoolM2,
  B1: F.schoolB1,
};
/** A parent office in the same province a school can move to (not its current one). */
const OTHER_PARENT: Partial<Record<Place, string>> = { A1: F.communeA2, A3: F.communeA1, A4: F.communeA2, M1: F.communeA2, M2: F.communeA2, B1: F.districtG, G: F.districtB1 };
const CHILD_KIND: Record<string, string> = {
  ministry: 'province_office',
  province_office: 'commune_office',
  commune_office: 'school',
  district_office: 'school',
  school: 'school_site',
};

async function currentStudentCount(schoolId: string): Promise<number> {
  const row = await db.selectFrom('student').select((eb) => eb.fn.countAll<number>().as('n')).where('school_id', '=', schoolId).where('is_current', '=', true).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function transferStatusIs(id: string, status: string): Promise<string | null> {
  const copies = await db.selectFrom('school_transfer').select('status').where('id', '=', id).execute();
  return copies.length === 2 && copies.every((c) => c.status === status) ? null : `transfer ${id}: ${JSON.stringify(copies)} instead of two copies ${status}`;
}

/** A school with transfers below each place (for an office's transfer list). */
const TRANSFER_SCHOOL_BELOW: Partial<Record<Place, SchoolPlace>> = {
  ministry: 'B1',
  provinceA: 'A3',
  provinceB: 'B1',
  communeA1: 'M1',
  communeA2: 'A3',
  districtA1: 'A1',
  districtG: 'G',
  A1: 'A1',
  A3: 'A3',
  A4: 'A4',
  G: 'G',
  M1: 'M1',
  M2: 'M2',
  B1: 'B1',
};

async function importJobSettled(schoolId: string): Promise<string | null> {
  for (let i = 0; i < 600; i++) {
    const jobs = await db.selectFrom('import_job').select('status').where('school_id', '=', schoolId).where('file_name', '=', 'lop-ma-tran.xlsx').execute();
    if (jobs.length === 0) return 'no import job';
    if (jobs.every((j) => ['done', 'failed', 'rejected'].includes(j.status))) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
  return 'import job did not finish';
}

const activationPrints = async (classId: string) =>
  Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'activation.print').where('entity_id', '=', classId).executeTakeFirstOrThrow()).n);
const classOfStudent = async (studentId: string) =>
  (await db.selectFrom('student').select('current_class_id').where('id', '=', studentId).executeTakeFirstOrThrow()).current_class_id ?? '';
/** Attendance per lesson on in every school for every year that has classes (the matrix's lesson routes need it on). */
const lessonAttendanceOnEverywhere = async () => {
  const years = await db.selectFrom('class').select(['school_id', 'year']).distinct().execute();
  if (years.length) await db.insertInto('lesson_attendance_year').values(years.map((y) => ({ school_id: y.school_id, year: y.year }))).onConflict((oc) => oc.doNothing()).execute();
};
const cellVersion = async (classId: string, studentId: string, column: string) =>
  (await db.selectFrom('gradebook_cell').select('version').where('class_id', '=', classId).where('student_id', '=', studentId).where('subject_code', '=', 'toan').where('term', '=', 1).where('column_key', '=', column).executeTakeFirst())?.version ?? 0;
const gridState = async (classId: string, subjectCode: string, term: number) =>
  (await db.selectFrom('gradebook_state').select('state').where('class_id', '=', classId).where('subject_code', '=', subjectCode).where('term', '=', term).executeTakeFirst())?.state ?? 'open';

/** Makes a class grade 3 (TT27 in the fixture's year) for one request; the function returned puts its grade back (null = done). */
async function asPrimaryClass(classId: string): Promise<() => Promise<string | null>> {
  const { grade } = await db.selectFrom('class').select('grade').where('id', '=', classId).executeTakeFirstOrThrow();
  await db.updateTable('class').set({ grade: 3 }).where('id', '=', classId).execute();
  return async () => {
    await db.updateTable('class').set({ grade }).where('id', '=', classId).execute();
    return null;
  };
}
/** Makes a class a preschool class (grade 0) for one request; the function returned puts its grade back (null = done). */
async function asPreschoolClass(classId: string): Promise<() => Promise<string | null>> {
  const { grade } = await db.selectFrom('class').select('grade').where('id', '=', classId).executeTakeFirstOrThrow();
  await db.updateTable('class').set({ grade: 0 }).where('id', '=', classId).execute();
  return async () => {
    await db.updateTable('class').set({ grade }).where('id', '=', classId).execute();
    return null;
  };
}
/** The school's own preschool indicator set with the one indicator the matrix ticks (the default set has none yet). */
async function withPreschoolSet(schoolId: string) {
  const set = { code: 'mx', name: 'Bộ chỉ số ma trận', basis: 'Ma trận', ageMonths: { from: 60, to: 71 }, expected: null, domains: [{ code: 'd1', name: 'Thể chất', standards: [{ code: 's1', name: 'Chuẩn 1', indicators: [{ code: 'mx1', name: 'Chỉ số ma trận' }] }] }] };
  await db.insertInto('preschool_indicator_set').values({ school_id: schoolId, indicator_set: JSON.stringify(set) }).onConflict((oc) => oc.doNothing()).execute();
}
const evaluationVersion = async (classId: string, studentId: string) =>
  (await db.selectFrom('preschool_evaluation').select('version').where('class_id', '=', classId).where('student_id', '=', studentId).where('period', '=', 'end_term1').where('indicator_code', '=', 'mx1').executeTakeFirst())?.version ?? 0;
const measurementVersion = async (studentId: string) =>
  (await db.selectFrom('preschool_measurement').select('version').where('student_id', '=', studentId).where('measured_on', '=', '2025-10-15').executeTakeFirst())?.version ?? 0;
const qualityVersion = async (classId: string, studentId: string) =>
  (await db.selectFrom('quality_rating').select('version').where('class_id', '=', classId).where('student_id', '=', studentId).where('checkpoint', '=', 'end_term1').where('quality_code', '=', 'pc_cham_chi').executeTakeFirst())?.version ?? 0;
const yearCommentVersion = async (classId: string, studentId: string) =>
  (await db.selectFrom('year_comment').select('version').where('class_id', '=', classId).where('student_id', '=', studentId).where('topic', '=', 'overall').executeTakeFirst())?.version ?? 0;

/** A year close for one student (what the học bạ prints from), standing in for the principal's close. */
async function yearClosedFor(schoolId: string, studentId: string) {
  const classId = await classOfStudent(studentId);
  await db
    .insertInto('student_result')
    .values({ school_id: schoolId, student_id: studentId, year: F.year, period: 'cn', class_id: classId, learning: 'kha', learning_adjusted_from: null, learning_adjusted_because: null, training: 'tot', promotion: 'promoted', promotion_detail: null, award: null, missing: '[]', computed_by: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Puts a student on the year close's summer lists (what the summer routes read), standing in for
 * the principal's close: re-test in Toán (year 2,0), or summer training; and reopens the school's
 * summer entries the lock route may have closed.
 */
async function onSummerList(schoolId: string, studentId: string, kind: 'retest' | 'summer_training') {
  const classId = await classOfStudent(studentId);
  const row = {
    school_id: schoolId,
    student_id: studentId,
    year: F.year,
    period: 'cn' as const,
    class_id: classId,
    learning: kind === 'retest' ? ('chua_dat' as const) : ('dat' as const),
    learning_adjusted_from: null,
    learning_adjusted_because: null,
    training: kind === 'retest' ? ('kha' as const) : ('chua_dat' as const),
    promotion: kind,
    promotion_detail: kind === 'retest' ? 'Toán' : null,
    award: null,
    missing: '[]',
    computed_by: null,
  };
  await db
    .insertInto('student_result')
    .values(row)
    .onConflict((oc) => oc.columns(['school_id', 'student_id', 'year', 'period']).doUpdateSet({ class_id: classId, learning: row.learning, training: row.training, promotion: kind, promotion_detail: row.promotion_detail, sessions_absent: 0 }))
    .execute();
  await db.deleteFrom('subject_result').where('school_id', '=', schoolId).where('student_id', '=', studentId).where('year', '=', F.year).where('period', '=', 'cn').execute();
  if (kind === 'retest') {
    await db.insertInto('subject_result').values({ school_id: schoolId, student_id: studentId, year: F.year, period: 'cn', subject_code: 'toan', average_tenths: 20, pass_fail: null, missing: null }).execute();
  }
  await db.updateTable('summer_state').set({ locked: false }).where('school_id', '=', schoolId).execute();
}

/** A finished học bạ job at a unit, queued by the operator (so no teacher's own), with one file named after it. */
async function finishedJobAt(unitId: string) {
  const id = crypto.randomUUID();
  const text = `Việc thử ${nextSerial()}`;
  const file = `lop/${text}.pdf`;
  await db
    .insertInto('background_job')
    .values({ id, kind: 'hoc_ba_batch', org_unit_id: unitId, params: JSON.stringify({ schoolId: unitId, classId: null }), state: 'done', progress_done: 1, progress_total: 1, result: JSON.stringify({ text, details: [] }), created_by: F.users.admin })
    .execute();
  await db.insertInto('background_job_file').values({ job_id: id, seq: 0, name: file, body: Buffer.from('%PDF-1.7 thử') }).execute();
  return { id, text, file };
}

let certificate: Buffer | undefined;
/** The school's certificate and passphrase as a multipart body (one test certificate for the run). */
function certificateForm() {
  certificate ??= pkcs12(identity('Trường thử', { serial: '02', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000 * 30) }), [], 'matrix');
  const boundary = '----truongso-matrix';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="passphrase"\r\n\r\nmatrix\r\n--${boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="truong.p12"\r\n\r\n`),
    certificate,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload };
}

const unitRows = async (unitId: string) => db.selectFrom('org_unit_version').selectAll().where('unit_id', '=', unitId).orderBy('valid_from').execute();


// ---------------------------------------------------------------- announcements

/** A tiny PNG carrying a marker after its signature: the answer's text shows the marker. */
const pngWith = (marker: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(marker)]);
/** An audience the place's own senders may use (6A1 at A1: its homeroom teacher's class; the staff from an office). */
const audienceAt = (place: Place) =>
  place in SCHOOL ? { families: true, students: false, staff: false, classIds: place === 'A1' ? [F.class6A1] : [], schoolIds: [] } : { families: false, students: false, staff: true, classIds: [], schoolIds: [] };
/** A fresh announcement of a unit (by the caller when allowed, so a homeroom teacher's own), optionally sent to one student's family, with one attachment. */
async function freshAnnouncement(place: Place, cell: Cell, allowed: boolean, opts: { status?: 'draft' | 'sent'; sentHoursAgo?: number; toStudent?: string } = {}) {
  const id = crypto.randomUUID();
  const title = `Thông báo ma trận ${nextSerial()}`;
  const createdBy = allowed && cell.caller !== 'anonymous' ? F.users[cell.caller] : F.users.admin;
  const status = opts.status ?? 'draft';
  await db
    .insertInto('announcement')
    .values({ id, org_unit_id: UNIT_ID[place], created_by: createdBy, title, body: 'Nội dung ma trận', audience: JSON.stringify(audienceAt(place)), status, sent_at: status === 'sent' ? new Date(Date.now() - (opts.sentHoursAgo ?? 0) * 3600_000) : null })
    .execute();
  if (opts.toStudent) await db.insertInto('announcement_student').values({ announcement_id: id, school_id: UNIT_ID[place], student_id: opts.toStudent, class_id: null }).execute();
  const attachmentId = crypto.randomUUID();
  const marker = `tep-ma-tran-${nextSerial()}`;
  await db.insertInto('announcement_attachment').values({ id: attachmentId, announcement_id: id, file_name: `${marker}.png`, content_type: 'image/png', size_bytes: 20, body: pngWith(marker) }).execute();
  return { id, title, attachmentId, marker };
}
/** A sent announcement of school A1 that reached `userId` as staff. */
async function receivedBy(userId: string, cell: Cell) {
  const a = await freshAnnouncement('A1', cell, false, { status: 'sent' });
  await db.insertInto('announcement_staff').values({ announcement_id: a.id, user_id: userId, school_id: F.schoolA1 }).execute();
  return a;
}
const announcementStatus = async (id: string) => (await db.selectFrom('announcement').select('status').where('id', '=', id).executeTakeFirst())?.status;
const ANNOUNCE_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

// ---------------------------------------------------------------- every route and its policy

const SCHOOL_YEAR_OF: Partial<Record<SchoolPlace, number>> = {};
const SUBJECT_PERIODS_OF: Partial<Record<SchoolPlace, number>> = {};
let classesXlsx: Buffer;

const studentList = async (cell: Cell): Promise<Request> => {
  const place = placeOf(cell.target) as SchoolPlace;
  const caller = cell.caller as Caller;
  const seen = cell.caller === 'anonymous' ? [] : visibleStudents(caller, place);
  const hidden = studentsOf(place).filter((s) => !seen.some((v) => v.id === s.id));
  return { mustContain: seen.map((s) => s.fullName), mustNotContain: hidden.map((s) => s.fullName) };
};

export /** A reshape cell acts on a fresh unit beside the place when allowed (the fixture stays whole), on the place itself when refused. */
async function reshapeTarget(cell: Cell, allowed: boolean): Promise<{ place: Place; unit: { id: string } }> {
  const place = placeOf(cell.target)!;
  return { place, unit: allowed ? await freshUnitBeside(db, place) : { id: UNIT_ID[place] } };
}

// ---------------------------------------------------------------- notifications: rows of one person
/** The signed-in caller's account (the anonymous cell aims at parent C's rows, which it must not reach). */
const ownUser = (cell: Cell): string => (cell.caller === 'anonymous' ? F.users.parentC : F.users[cell.caller]);
/** Someone else than the caller. */
const otherUser = (cell: Cell): string => (cell.caller === 'parentA' ? F.users.parentC : F.users.parentA);

async function noticeFor(userId: string, what: string, sentBy: string | null = null) {
  const row = {
    id: crypto.randomUUID(),
    user_id: userId,
    school_id: null,
    student_id: null,
    kind: 'announcement' as const,
    source_id: crypto.randomUUID(),
    batch_id: crypto.randomUUID(),
    title: `Thông báo ${what} ${nextSerial()}`,
    body: '',
    link: '/thong-bao',
    sent_by: sentBy,
  };
  await db.insertInto('notification').values(row).execute();
  return row;
}

/** A notice `senderId` sent (to someone else) whose e-mail failed for good. */
async function failedNoticeSentBy(senderId: string, what: string) {
  const n = await noticeFor(senderId === F.users.parentC ? F.users.parentA : F.users.parentC, what, senderId);
  await db.insertInto('notification_delivery').values({ notification_id: n.id, channel: 'email', status: 'failed', attempts: 5, last_error: 'Máy chủ e-mail từ chối.', message_id: `notice-${n.id}-email` }).execute();
  return n;
}

const ROUTES: Record<string, RouteSpec> = {
  // ------------------------------------------------------------ auth
  'POST /api/v1/auth/login': { policy: 'signedIn', target: 'none', skip: 'public: sign-in has its own tests (auth.test.ts, brute-force.test.ts)' },
  'POST /api/v1/auth/logout': { policy: 'signedIn', target: 'none', anonymousOnly: 'ends the session the matrix signs in with (auth.test.ts)' },
  'POST /api/v1/auth/change-password': { policy: 'signedIn', target: 'none', anonymousOnly: 'changes the password the matrix signs in with (auth.test.ts)' },
  'GET /api/v1/auth/session': { policy: 'signedIn', target: 'none', skip: 'public: answers every caller about their own session only (auth.test.ts)' },
  'GET /api/v1/auth/me': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => ({ mustContain: [USERNAMES[cell.caller as Caller]] }),
  },
  // ------------------------------------------------------------ notifications (contact book): the caller's own rows only
  'GET /api/v1/me/notices': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await noticeFor(ownUser(cell), 'hộp thư');
      const other = await noticeFor(otherUser(cell), 'hộp thư người khác');
      return { mustContain: [own.title], mustNotContain: [other.title, other.id] };
    },
  },
  'GET /api/v1/me/notices/unread': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      await noticeFor(ownUser(cell), 'chưa đọc');
      return {};
    },
    check: (json) => ((json as { unread: number }).unread >= 1 ? null : 'own unread notice not counted'),
  },
  'POST /api/v1/me/notices/read': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await noticeFor(ownUser(cell), 'đánh dấu');
      return { body: { sourceId: own.source_id }, verify: async () => ((await db.selectFrom('notification').select('read_at').where('id', '=', own.id).executeTakeFirstOrThrow()).read_at ? null : 'not marked read') };
    },
  },
  'POST /api/v1/me/notices/test': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => ({
      verify: async () => ((await db.selectFrom('notification').select('id').where('user_id', '=', ownUser(cell)).where('kind', '=', 'test').execute()).length > 0 ? null : 'no test notice'),
    }),
  },
  'GET /api/v1/me/notice-settings': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const address = `${ownUser(cell).slice(-6)}.doc@example.vn`;
      await db.insertInto('notification_preference').values({ user_id: ownUser(cell), email: true, email_address: address }).onConflict((oc) => oc.column('user_id').doUpdateSet({ email: true, email_address: address })).execute();
      return { mustContain: [address] };
    },
  },
  'PUT /api/v1/me/notice-settings': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const address = `${ownUser(cell).slice(-6)}.ghi@example.vn`;
      return {
        body: { push: true, email: true, emailAddress: address, emailDigest: false, webhook: false },
        mustContain: [address],
        verify: async () => ((await db.selectFrom('notification_preference').select('email_address').where('user_id', '=', ownUser(cell)).executeTakeFirst())?.email_address === address ? null : 'not saved'),
      };
    },
  },
  'GET /api/v1/me/push/key': { policy: 'signedIn', target: 'none', check: (json) => (/^[A-Za-z0-9_-]{87}$/.test((json as { publicKey: string }).publicKey) ? null : 'no VAPID key') },
  'POST /api/v1/me/push/subscriptions': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const endpoint = `https://push.example/${crypto.randomUUID()}`;
      return {
        body: { endpoint, keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) }, device: 'Máy thử' },
        verify: async () => ((await db.selectFrom('push_subscription').select('user_id').where('endpoint', '=', endpoint).executeTakeFirst())?.user_id === ownUser(cell) ? null : 'not subscribed'),
      };
    },
  },
  'POST /api/v1/me/push/unsubscribe': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const endpoint = `https://push.example/${crypto.randomUUID()}`;
      await db.insertInto('push_subscription').values({ id: crypto.randomUUID(), user_id: ownUser(cell), endpoint, p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) }).execute();
      return { body: { endpoint }, verify: async () => ((await db.selectFrom('push_subscription').select('id').where('endpoint', '=', endpoint).executeTakeFirst()) ? 'still subscribed' : null) };
    },
  },
  'GET /api/v1/me/sent-notices/failures': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await failedNoticeSentBy(ownUser(cell), 'gửi lỗi');
      const other = await failedNoticeSentBy(otherUser(cell), 'người khác gửi lỗi');
      return { mustContain: [own.title], mustNotContain: [other.title, other.id] };
    },
  },
  'POST /api/v1/me/sent-notices/failures/retry': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await failedNoticeSentBy(ownUser(cell), 'gửi lại');
      return {
        body: { sourceId: own.source_id },
        verify: async () => ((await db.selectFrom('notification_delivery').select('status').where('notification_id', '=', own.id).executeTakeFirstOrThrow()).status === 'pending' ? null : 'not queued again'),
      };
    },
  },
  // ------------------------------------------------------------ reference data
  'GET /api/v1/reference/code-lists/:list': { policy: 'signedIn', target: 'none', request: async () => ({ params: { list: 'DM_DAN_TOC' }, mustContain: ['Kinh', 'Tày'] }) },
  'GET /api/v1/reference/subjects': { policy: 'signedIn', target: 'none', request: async () => ({ mustContain: ['Toán', 'Ngữ văn'] }) },
  'GET /api/v1/imports/templates/:kind': { policy: 'signedIn', target: 'none', request: async () => ({ params: { kind: 'students' }, mustContain: ['Họ và tên'] }) },
  // ------------------------------------------------------------ org tree
  'GET /api/v1/org-units/tree': {
    policy: 'tree',
    target: 'none',
    check: (json, cell) => {
      const units = (json as { units: { id: string; kind: string }[] }).units;
      // The fixture's schools (the matrix adds units of its own beside them).
      const fixtureSchools = new Set(Object.values(UNIT_ID));
      const schools = units.filter((u) => u.kind === 'school' && fixtureSchools.has(u.id)).map((u) => u.id).sort();
      const expected = TREE_SCHOOLS[cell.caller as Caller].map((p) => UNIT_ID[p]).sort();
      return JSON.stringify(schools) === JSON.stringify(expected) ? null : `tree shows schools ${schools.join(',')} instead of ${expected.join(',')}`;
    },
  },
  'GET /api/v1/org-units/:unitId': {
    policy: 'unitRead',
    target: 'unit',
    request: async (cell) => {
      const place = placeOf(cell.target)!;
      return { query: asOfQuery(place), mustContain: [UNIT_ID[place], await placeName(place)] };
    },
  },
  'GET /api/v1/org-units/:unitId/schools': {
    policy: 'unitSchools',
    target: 'unit',
    request: async (cell) => {
      const place = placeOf(cell.target)!;
      const below = A_SCHOOL_BELOW[place];
      return { query: asOfQuery(place), mustContain: below ? [below] : [] };
    },
  },
  'POST /api/v1/org-units': {
    policy: 'unitCreate',
    target: 'unit',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      const name = `Đơn vị mới ${nextSerial()}`;
      const kind = CHILD_KIND[KIND_OF[place]]!;
      return {
        body: { kind, name, parentId: UNIT_ID[place], validFrom: '2026-09-01', ...(kind === 'school' ? { schoolLevels: ['primary'], ownership: 'public' } : {}) },
        mustContain: [name],
        verify: allowed
          ? async () => {
              const row = await db.selectFrom('org_unit_version').select('parent_id').where('name', '=', name).executeTakeFirst();
              return row?.parent_id === UNIT_ID[place] ? null : 'no unit created under the target';
            }
          : undefined,
      };
    },
  },
  'POST /api/v1/org-units/:unitId/move': {
    policy: 'unitReshape',
    target: 'unit',
    places: SCHOOL_PLACES,
    request: async (cell, allowed) => {
      const { place, unit } = await reshapeTarget(cell, allowed);
      const newParentId = OTHER_PARENT[place]!;
      return {
        params: { unitId: unit.id },
        body: { newParentId, effectiveDate: '2027-02-01' },
        mustContain: [unit.id],
        verify: async () => ((await unitRows(unit.id)).some((v) => v.parent_id === newParentId && v.valid_from === '2027-02-01') ? null : 'not moved'),
      };
    },
  },
  'POST /api/v1/org-units/:unitId/rename': {
    policy: 'unitReshape',
    target: 'unit',
    places: [...SCHOOL_PLACES, 'communeA1', 'communeA2', 'districtA1', 'districtG', 'provinceA', 'provinceB'],
    request: async (cell, allowed) => {
      const { unit } = await reshapeTarget(cell, allowed);
      const name = `Tên mới ${nextSerial()}`;
      return {
        params: { unitId: unit.id },
        body: { name, effectiveDate: '2027-02-01' },
        mustContain: [name],
        verify: async () => ((await unitRows(unit.id)).some((v) => v.name === name) ? null : 'not renamed'),
      };
    },
  },
  'POST /api/v1/org-units/:unitId/close': {
    policy: 'unitReshape',
    target: 'unit',
    places: [...SCHOOL_PLACES, 'communeA1', 'communeA2', 'districtA1', 'districtG', 'provinceA', 'provinceB'],
    request: async (cell, allowed) => {
      const { unit } = await reshapeTarget(cell, allowed);
      return {
        params: { unitId: unit.id },
        body: { effectiveDate: '2027-02-01' },
        verify: async () => ((await unitRows(unit.id)).at(-1)?.valid_to === '2027-02-01' ? null : 'not closed'),
      };
    },
  },
  'POST /api/v1/org-units/:unitId/merge': {
    policy: 'unitReshape',
    target: 'unit',
    places: SCHOOL_PLACES,
    request: async (cell, allowed) => {
      const { place, unit } = await reshapeTarget(cell, allowed);
      // Merged into the place itself (a school into its neighbour); when refused, into a neighbour.
      const targetId = allowed ? UNIT_ID[place] : UNIT_ID[place === 'A1' ? 'M1' : 'A1'];
      return {
        params: { unitId: unit.id },
        body: { targetId, effectiveDate: '2027-02-01' },
        verify: async () => ((await unitRows(unit.id)).at(-1)?.valid_to === '2027-02-01' ? null : 'not merged'),
      };
    },
  },
  // ------------------------------------------------------------ school records
  'GET /api/v1/schools/:schoolId/school-years': {
    policy: 'schoolRead',
    target: 'school',
    request: async (cell) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const others = SCHOOL_PLACES.filter((p) => p !== place).map((p) => `"year":${SCHOOL_YEAR_OF[p]}`);
      return { mustContain: [`"year":${SCHOOL_YEAR_OF[place]}`], mustNotContain: others };
    },
  },
  'PUT /api/v1/schools/:schoolId/school-years': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell) => {
      const year = 2040 + (nextSerial() % 50);
      const school = schoolOf(cell);
      return {
        body: { year, term1Start: `${year}-09-05`, term1End: `${year + 1}-01-15`, term2Start: `${year + 1}-01-19`, term2End: `${year + 1}-05-31` },
        mustContain: [`"year":${year}`],
        verify: async () => ((await db.selectFrom('school_year').select('year').where('school_id', '=', school.schoolId).where('year', '=', year).executeTakeFirst()) ? null : 'year not saved'),
      };
    },
  },
  'GET /api/v1/schools/:schoolId/classes': { policy: 'schoolRead', target: 'school', request: async (cell) => ({ mustContain: [schoolOf(cell).classId, schoolOf(cell).className] }) },
  'GET /api/v1/schools/:schoolId/classes/export.xlsx': { policy: 'schoolRead', target: 'school', request: async (cell) => ({ mustContain: [schoolOf(cell).className] }) },
  'POST /api/v1/schools/:schoolId/classes': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell) => {
      const school = schoolOf(cell);
      const grade = Number.parseInt(school.className, 10);
      const name = `${grade}Z${nextSerial()}`;
      return { body: { year: F.year, name, grade, session: 'morning' }, mustContain: [name] };
    },
  },
  'PATCH /api/v1/schools/:schoolId/classes/:classId': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell) => ({ body: { session: 'morning' }, mustContain: [schoolOf(cell).classId, schoolOf(cell).className] }),
  },
  'GET /api/v1/schools/:schoolId/staff-directory': {
    policy: 'schoolRead',
    target: 'school',
    request: async (cell) => ({ mustContain: [schoolOf(cell).staffId, schoolOf(cell).staffName], mustNotContain: schoolOf(cell).staffPersonal }),
  },
  'GET /api/v1/schools/:schoolId/staff-directory/export.xlsx': {
    policy: 'schoolRead',
    target: 'school',
    request: async (cell) => ({ mustContain: [schoolOf(cell).staffName], mustNotContain: schoolOf(cell).staffPersonal }),
  },
  'GET /api/v1/schools/:schoolId/staff': {
    policy: 'staffPersonal',
    target: 'school',
    request: async (cell) => ({ mustContain: [schoolOf(cell).staffId, schoolOf(cell).staffName, ...schoolOf(cell).staffPersonal] }),
  },
  'GET /api/v1/schools/:schoolId/staff/export.xlsx': { policy: 'staffPersonal', target: 'school', request: async (cell) => ({ mustContain: [schoolOf(cell).staffName] }) },
  'POST /api/v1/schools/:schoolId/staff': {
    policy: 'schoolWrite',
    target: 'school',
    request: async () => {
      const fullName = `Đoàn Văn ${uniqueGivenName()}`;
      return { body: { fullName, position: 'teacher', subjectCodes: ['toan'] }, mustContain: [fullName] };
    },
  },
  'PATCH /api/v1/schools/:schoolId/staff/:staffId': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell) => ({ body: { fullName: schoolOf(cell).staffName }, mustContain: [schoolOf(cell).staffId, schoolOf(cell).staffName] }),
  },
  'GET /api/v1/schools/:schoolId/assignments': { policy: 'schoolRead', target: 'school', request: async (cell) => ({ mustContain: [schoolOf(cell).assignmentId] }) },
  'POST /api/v1/schools/:schoolId/assignments': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const classId = allowed ? await freshClass(db, school.schoolId, Number.parseInt(school.className, 10)) : school.classId;
      return { body: { year: F.year, term: 2, classId, subjectCode: 'toan', staffId: school.staffId }, mustContain: [classId] };
    },
  },
  'DELETE /api/v1/schools/:schoolId/assignments/:assignmentId': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const assignmentId = allowed ? await freshAssignment(db, school.schoolId, school.staffId, Number.parseInt(school.className, 10)) : school.assignmentId;
      return {
        params: { assignmentId },
        verify: async () => ((await db.selectFrom('teaching_assignment').select('id').where('id', '=', assignmentId).executeTakeFirst()) ? 'not deleted' : null),
      };
    },
  },
  'GET /api/v1/schools/:schoolId/subjects': {
    policy: 'schoolRead',
    target: 'school',
    request: async (cell) => ({ query: { year: String(F.year) }, mustContain: [`"periodsPerYear":${SUBJECT_PERIODS_OF[placeOf(cell.target) as SchoolPlace]}`] }),
  },
  'PUT /api/v1/schools/:schoolId/subjects': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell) => {
      const periods = 200 + (nextSerial() % 700);
      const grade = Number.parseInt(schoolOf(cell).className, 10);
      return { body: { year: F.year, grade, subjectCode: 'ngu_van', periodsPerYear: periods, assessmentKind: 'score' }, mustContain: [`"periodsPerYear":${periods}`] };
    },
  },
  'GET /api/v1/schools/:schoolId/dashboard': {
    policy: 'schoolRead',
    target: 'school',
    request: async (cell) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const caller = cell.caller as Caller;
      // A full view counts every current learner (the fixture's and those the matrix added); a teacher's, their classes'.
      const full = visibleStudents(caller, place).length === studentsOf(place).length;
      const expected = full ? await currentStudentCount(SCHOOL[place].schoolId) : visibleStudents(caller, place).length;
      return { mustContain: [`"totals":{"students":${expected},`] };
    },
  },
  // ------------------------------------------------------------ students
  'GET /api/v1/schools/:schoolId/students': { policy: 'schoolRead', target: 'school', request: studentList },
  'GET /api/v1/schools/:schoolId/students/export.xlsx': { policy: 'schoolRead', target: 'school', request: studentList },
  'GET /api/v1/schools/:schoolId/students/export.pdf': { policy: 'schoolRead', target: 'school', request: studentList },
  'POST /api/v1/schools/:schoolId/students': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell) => {
      const fullName = `Tôn Nữ ${uniqueGivenName()}`;
      const { classId } = schoolOf(cell);
      // Born the year the class's grade is normally learnt (the API refuses an age the grade does not allow).
      const cls = await db.selectFrom('class').select(['grade', 'year']).where('id', '=', classId).executeTakeFirstOrThrow();
      return { body: { fullName, dateOfBirth: `${cls.year - 5 - cls.grade}-06-06`, sex: 'female', classId }, mustContain: [fullName] };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId': {
    policy: 'studentRead',
    target: 'student',
    request: async (cell) => ({ mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'PATCH /api/v1/schools/:schoolId/students/:studentId': {
    policy: 'schoolWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const s = allowed ? await freshStudent(db, schoolOf(cell).schoolId, Number.parseInt(schoolOf(cell).className, 10)) : studentOf(cell);
      const address = `Số ${nextSerial()} đường Trần Hưng Đạo`;
      return { params: { studentId: s.id }, body: { address }, mustContain: [s.id, s.fullName, address] };
    },
  },
  'POST /api/v1/schools/:schoolId/students/:studentId/transfer-class': {
    policy: 'schoolWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const grade = Number.parseInt(school.className, 10);
      const s = allowed ? await freshStudent(db, school.schoolId, grade) : studentOf(cell);
      const toClassId = allowed ? await freshClass(db, school.schoolId, grade) : school.classId;
      return { params: { studentId: s.id }, body: { toClassId, effectiveDate: '2025-10-01' }, mustContain: [s.id, toClassId] };
    },
  },
  'POST /api/v1/schools/:schoolId/students/:studentId/status': {
    policy: 'schoolWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const s = allowed ? await freshStudent(db, school.schoolId, Number.parseInt(school.className, 10)) : studentOf(cell);
      return { params: { studentId: s.id }, body: { statusCode: '05', effectiveDate: '2025-10-01' }, mustContain: [s.id, '"statusCode":"05"'] };
    },
  },
  // ------------------------------------------------------------ imports
  'POST /api/v1/schools/:schoolId/imports': {
    policy: 'schoolWrite',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      return {
        query: { kind: 'classes', mode: 'all_or_nothing', year: String(F.year) },
        upload: classesXlsx,
        mustContain: [school.schoolId],
        // The job runs in the background: wait for it, so its writes are not taken for a later cell's.
        verify: allowed ? () => importJobSettled(school.schoolId) : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/imports': { policy: 'schoolManage', target: 'school', request: async (cell) => ({ mustContain: [EXTRAS[placeOf(cell.target)!].jobId!] }) },
  'GET /api/v1/schools/:schoolId/imports/:jobId': {
    policy: 'schoolManage',
    target: 'school',
    request: async (cell) => ({ mustContain: [EXTRAS[placeOf(cell.target)!].jobId!, EXTRAS[placeOf(cell.target)!].jobMarker] }),
  },
  'GET /api/v1/schools/:schoolId/imports/:jobId/errors.xlsx': { policy: 'schoolManage', target: 'school', request: async (cell) => ({ mustContain: [EXTRAS[placeOf(cell.target)!].jobMarker] }) },
  // ------------------------------------------------------------ gradebook
  'GET /api/v1/schools/:schoolId/classes/:classId/gradebook': {
    policy: 'gradebookRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id) }, mustContain: ['"subjectCode":"toan"', '"subjectName":"Toán"'] }),
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/gradebook/:subjectCode': {
    policy: 'gradebookRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id), subjectCode: 'toan' }, query: { term: '1' }, mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/gradebook/:subjectCode/export.xlsx': {
    policy: 'gradebookRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id), subjectCode: 'toan' }, query: { term: '1' }, mustContain: [studentOf(cell).fullName, 'ĐTBmhk'] }),
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/gradebook/:subjectCode/cells': {
    policy: 'gradebookEnter',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const column = `tx${1 + (nextSerial() % 4)}`;
      const value = `${5 + (nextSerial() % 5)},5`;
      // The state route's cells may have left the grid submitted: marks go into an open grid.
      if (allowed) await db.updateTable('gradebook_state').set({ state: 'open' }).where('class_id', '=', classId).execute();
      const version = allowed ? await cellVersion(classId, student.id, column) : 0;
      return {
        params: { classId, subjectCode: 'toan' },
        body: { term: 1, cells: [{ studentId: student.id, column, value, version }] },
        mustContain: [`{"studentId":"${student.id}","column":"${column}","value":"${value}"`],
        verify: allowed ? async () => ((await cellVersion(classId, student.id, column)) === version + 1 ? null : 'the mark was not saved') : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/classes/:classId/gradebook/:subjectCode/import': {
    policy: 'gradebookEnter',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const value = `${5 + (nextSerial() % 5)},5`;
      // Marks go into an open grid (the state route may have left it submitted); a file made by hand, so overwrite what the cells route wrote.
      if (allowed) await db.updateTable('gradebook_state').set({ state: 'open' }).where('class_id', '=', classId).execute();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Toán');
      ws.addRow(['STT', 'Họ và tên', 'Mã học sinh', 'CK']);
      ws.addRow([1, student.fullName, student.learnerId, value]);
      const m = multipart('so-diem-ma-tran.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      return {
        params: { classId, subjectCode: 'toan' },
        query: { term: '1', overwrite: 'true' },
        form: { contentType: m.contentType, payload: m.payload },
        mustContain: [student.id, `"ck":{"value":"${value}"`],
        verify: allowed
          ? async () =>
              (await db.selectFrom('gradebook_cell').select('score_tenths').where('class_id', '=', classId).where('student_id', '=', student.id).where('subject_code', '=', 'toan').where('term', '=', 1).where('column_key', '=', 'ck').executeTakeFirst())
                ?.score_tenths === Number(value.replace(',', '')) ? null : 'the imported mark was not stored'
          : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/classes/:classId/gradebook/:subjectCode/state': {
    policy: 'gradebookEnter',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      // The teacher's own two steps, alternately, so every allowed cell finds the grid where its step applies.
      const state = await gridState(classId, 'toan', 1);
      const action = allowed && state === 'submitted' ? 'reopen' : 'submit';
      return {
        params: { classId, subjectCode: 'toan' },
        body: { term: 1, action },
        mustContain: [studentOf(cell).fullName, `"state":"${action === 'submit' ? 'submitted' : 'open'}"`],
      };
    },
  },
  // Qualities and competencies exist for primary classes only (TT27), and the fixture's callers
  // work in secondary schools: an allowed cell makes the target's class grade 3 for its request
  // (so the answer holds the target student) and puts it back in `verify`.
  'GET /api/v1/schools/:schoolId/classes/:classId/qualities': {
    policy: 'qualitiesRead',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      return { params: { classId }, query: { checkpoint: 'end_term1' }, mustContain: [studentOf(cell).id, studentOf(cell).fullName, 'Phẩm chất chủ yếu'], verify: restore };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/qualities': {
    policy: 'qualitiesWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      const version = allowed ? await qualityVersion(classId, student.id) : 0;
      const value = (['Tốt', 'Đạt', 'Cần cố gắng'] as const)[nextSerial() % 3];
      return {
        params: { classId },
        body: { checkpoint: 'end_term1', ratings: [{ studentId: student.id, quality: 'pc_cham_chi', value, version }] },
        mustContain: [`{"studentId":"${student.id}","quality":"pc_cham_chi","value":"${value}","version":${version + 1}}`],
        verify: allowed ? async () => ((await restore?.()) ?? ((await qualityVersion(classId, student.id)) === version + 1 ? null : 'the rating was not saved')) : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/classes/:classId/qualities/state': {
    policy: 'qualitiesLock',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      // Lock and unlock alternately, so every allowed cell finds the checkpoint where its step applies.
      const state = (await db.selectFrom('quality_rating_state').select('state').where('class_id', '=', classId).where('checkpoint', '=', 'mid_term1').executeTakeFirst())?.state ?? 'open';
      const action = allowed && state === 'locked' ? 'unlock' : 'lock';
      return {
        params: { classId },
        body: { checkpoint: 'mid_term1', action, ...(action === 'unlock' ? { reason: 'Ma trận: mở khóa thử' } : {}) },
        mustContain: [studentOf(cell).fullName, `"state":"${action === 'lock' ? 'locked' : 'open'}"`],
        verify: restore,
      };
    },
  },
  // The homeroom teacher's year comments (the học bạ's), written with the end-of-year ratings.
  'PUT /api/v1/schools/:schoolId/classes/:classId/year-comments': {
    policy: 'qualitiesWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      const version = allowed ? await yearCommentVersion(classId, student.id) : 0;
      const value = `Em ${student.fullName} tiến bộ rõ (${nextSerial()}).`;
      return {
        params: { classId },
        body: { comments: [{ studentId: student.id, topic: 'overall', value, version }] },
        mustContain: [`{"studentId":"${student.id}","topic":"overall","value":"${value}","version":${version + 1}}`],
        verify: allowed ? async () => ((await restore?.()) ?? ((await yearCommentVersion(classId, student.id)) === version + 1 ? null : 'the comment was not saved')) : undefined,
      };
    },
  },
  // Awards of a primary class (TT27 Điều 13): an ad-hoc award, which needs no year outcome. An
  // allowed cell starts from no award, so the homeroom teacher's proposal never meets the
  // principal's recorded one.
  'GET /api/v1/schools/:schoolId/classes/:classId/awards': {
    policy: 'primaryAwardsRead',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      return { params: { classId }, mustContain: [studentOf(cell).id, studentOf(cell).fullName, '"actions"'], verify: restore };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/awards': {
    policy: 'primaryAwardWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      if (allowed) await db.deleteFrom('primary_award').where('class_id', '=', classId).where('student_id', '=', student.id).execute();
      const achievement = `Giải Nhì vẽ tranh ${nextSerial()}`;
      return {
        params: { classId },
        body: { studentId: student.id, kind: 'dot_xuat', achievement, version: 0 },
        mustContain: [student.id, `"achievement":"${achievement}"`],
        verify: restore,
      };
    },
  },
  'DELETE /api/v1/schools/:schoolId/classes/:classId/awards': {
    policy: 'primaryAwardWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const restore = allowed ? await asPrimaryClass(classId) : undefined;
      const schoolId = (await db.selectFrom('class').select('school_id').where('id', '=', classId).executeTakeFirstOrThrow()).school_id;
      // The class's one award, a proposal to withdraw (the homeroom teacher may withdraw a proposal, the principal anything).
      await db.deleteFrom('primary_award').where('class_id', '=', classId).execute();
      await db.insertInto('primary_award').values({ school_id: schoolId, class_id: classId, student_id: student.id, kind: 'dot_xuat', achievement: 'Ma trận', status: 'proposed', version: 1 }).execute();
      return {
        params: { classId },
        query: { studentId: student.id, kind: 'dot_xuat', version: '1' },
        mustContain: [student.id, student.fullName, '"awards":[]'],
        verify: allowed
          ? async () => {
              const left = await db.selectFrom('primary_award').select('version').where('class_id', '=', classId).where('student_id', '=', student.id).executeTakeFirst();
              return (await restore?.()) ?? (left ? 'the award was not removed' : null);
            }
          : undefined,
      };
    },
  },
  // Preschool: the fixture's classes are secondary, so an allowed cell makes the target's class
  // grade 0 for its request (the answer then holds the target child) and puts it back in `verify`.
  'GET /api/v1/schools/:schoolId/preschool/indicator-set': {
    policy: 'preschoolSetRead',
    target: 'school',
    request: async () => ({ mustContain: ['"domains"', 'Thể chất'] }),
  },
  'PUT /api/v1/schools/:schoolId/preschool/indicator-set': {
    policy: 'preschoolSetWrite',
    target: 'school',
    request: async (cell, allowed) => {
      const schoolId = schoolOf(cell).schoolId;
      const version = allowed ? ((await db.selectFrom('preschool_indicator_set').select('version').where('school_id', '=', schoolId).executeTakeFirst())?.version ?? 0) : 0;
      const name = `Bộ chỉ số ${nextSerial()}`;
      return {
        body: { name, basis: 'Ma trận', version, domains: [{ code: 'd1', name: 'Thể chất', standards: [{ code: 's1', name: 'Chuẩn 1', indicators: [{ code: 'mx1', name: 'Chỉ số ma trận' }] }] }] },
        mustContain: [name, `"version":${version + 1}`],
        verify: allowed
          ? async () => ((await db.selectFrom('preschool_indicator_set').select('version').where('school_id', '=', schoolId).executeTakeFirst())?.version === version + 1 ? null : 'the set was not saved')
          : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/development': {
    policy: 'preschoolRead',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const restore = allowed ? await asPreschoolClass(classId) : undefined;
      return { params: { classId }, query: { evaluationPeriod: 'end_term1' }, mustContain: [studentOf(cell).id, studentOf(cell).fullName, 'Cuối học kì I'], verify: restore };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/development': {
    policy: 'preschoolWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const restore = allowed ? await asPreschoolClass(classId) : undefined;
      if (allowed) await withPreschoolSet(schoolOf(cell).schoolId);
      const version = allowed ? await evaluationVersion(classId, student.id) : 0;
      const value = nextSerial() % 2 === 0 ? 'dat' : 'chua_dat';
      return {
        params: { classId },
        body: { evaluationPeriod: 'end_term1', results: [{ studentId: student.id, indicator: 'mx1', value, version }] },
        mustContain: [`{"studentId":"${student.id}","indicator":"mx1","value":"${value}","version":${version + 1}}`],
        verify: allowed ? async () => ((await restore?.()) ?? ((await evaluationVersion(classId, student.id)) === version + 1 ? null : 'the result was not saved')) : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/measurements': {
    policy: 'preschoolRead',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const restore = allowed ? await asPreschoolClass(classId) : undefined;
      return { params: { classId }, mustContain: [studentOf(cell).id, studentOf(cell).fullName], verify: restore };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/measurements': {
    policy: 'preschoolWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const restore = allowed ? await asPreschoolClass(classId) : undefined;
      const version = allowed ? await measurementVersion(student.id) : 0;
      const height = `${130 + (nextSerial() % 20)}`;
      return {
        params: { classId },
        body: { measurements: [{ studentId: student.id, measuredOn: '2025-10-15', height, weight: '32', version }] },
        mustContain: [`"studentId":"${student.id}"`, `"height":"${height},0"`, `"version":${version + 1}`],
        verify: allowed ? async () => ((await restore?.()) ?? ((await measurementVersion(student.id)) === version + 1 ? null : 'the measurement was not saved')) : undefined,
      };
    },
  },
  // ------------------------------------------------------------ contact book: messages and leave requests (issue 11)
  'GET /api/v1/schools/:schoolId/students/:studentId/messages': {
    policy: 'familyContact',
    target: 'student',
    request: async (cell) => ({ mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'POST /api/v1/schools/:schoolId/students/:studentId/messages': {
    policy: 'familyContact',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const school = schoolOf(cell);
      await threadFor(db, school.schoolId, student.id, false);
      const text = `Tin ma trận ${nextSerial()}`;
      return {
        body: { teacher: 'homeroom', body: text },
        mustContain: [student.fullName, text],
        verify: allowed ? async () => ((await db.selectFrom('message').select('id').where('body', '=', text).executeTakeFirst()) ? null : 'the message was not kept') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/message-threads': {
    policy: 'teacherContact',
    target: 'school',
    request: async (cell) => {
      const school = schoolOf(cell);
      const subject = cell.caller === 'mathA1';
      const student = subject ? A1_STUDENTS.Cuong : A1_STUDENTS.An;
      if (cell.target.kind === 'place' && cell.target.place === 'A1') {
        const thread = await threadFor(db, school.schoolId, student.id, subject);
        await messageIn(db, school.schoolId, thread, 'family', 'Tin ma trận trong danh sách');
      }
      return { mustContain: [student.fullName] };
    },
  },
  'GET /api/v1/schools/:schoolId/message-threads/:threadId': {
    policy: 'threadTeacher',
    target: 'student',
    request: async (cell) => {
      const text = `Tin ma trận ${nextSerial()}`;
      const thread = await threadFor(db, schoolOf(cell).schoolId, studentOf(cell).id, cell.caller === 'mathA1');
      await messageIn(db, schoolOf(cell).schoolId, thread, 'family', text);
      return { params: { threadId: thread }, mustContain: [studentOf(cell).fullName, text] };
    },
  },
  'POST /api/v1/schools/:schoolId/message-threads/:threadId/messages': {
    policy: 'threadTeacher',
    target: 'student',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      if (allowed) await subjectMessagesOn(db, school.schoolId);
      const thread = await threadFor(db, school.schoolId, studentOf(cell).id, cell.caller === 'mathA1');
      const text = `Trả lời ma trận ${nextSerial()}`;
      return {
        params: { threadId: thread },
        body: { body: text },
        mustContain: [studentOf(cell).fullName, text],
        verify: allowed ? async () => ((await db.selectFrom('message').select('id').where('body', '=', text).where('side', '=', 'staff').executeTakeFirst()) ? null : 'the reply was not kept') : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/message-threads/:threadId/close': {
    policy: 'threadTeacher',
    target: 'student',
    request: async (cell, allowed) => {
      const thread = await threadFor(db, schoolOf(cell).schoolId, studentOf(cell).id, cell.caller === 'mathA1');
      return {
        params: { threadId: thread },
        mustContain: [studentOf(cell).fullName, '"closed":true'],
        verify: allowed ? async () => ((await db.selectFrom('message_thread').select('closed_at').where('id', '=', thread).executeTakeFirstOrThrow()).closed_at ? null : 'not closed') : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/message-threads/:threadId/reopen': {
    policy: 'threadTeacher',
    target: 'student',
    request: async (cell, allowed) => {
      const thread = await threadFor(db, schoolOf(cell).schoolId, studentOf(cell).id, cell.caller === 'mathA1');
      await db.updateTable('message_thread').set({ closed_at: new Date() }).where('id', '=', thread).execute();
      return {
        params: { threadId: thread },
        mustContain: [studentOf(cell).fullName, '"closed":false'],
        verify: allowed ? async () => ((await db.selectFrom('message_thread').select('closed_at').where('id', '=', thread).executeTakeFirstOrThrow()).closed_at ? 'not reopened' : null) : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/messages/:messageId/report': {
    policy: 'messageReport',
    target: 'student',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const thread = await threadFor(db, school.schoolId, studentOf(cell).id, cell.caller === 'mathA1');
      const family = cell.caller !== 'anonymous' && ROLE[cell.caller] === 'parent';
      const message = await messageIn(db, school.schoolId, thread, family ? 'staff' : 'family', `Tin bị báo cáo ${nextSerial()}`);
      return {
        params: { messageId: message },
        body: { reason: 'Lời lẽ không phù hợp' },
        mustContain: ['"ok":true'],
        verify: allowed ? async () => ((await db.selectFrom('message').select('reported_at').where('id', '=', message).executeTakeFirstOrThrow()).reported_at ? null : 'not reported') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/reported-messages': {
    policy: 'contactPrincipal',
    target: 'student',
    request: async (cell) => {
      const school = schoolOf(cell);
      const thread = await threadFor(db, school.schoolId, studentOf(cell).id, false);
      const text = `Tin bị báo cáo ${nextSerial()}`;
      await messageIn(db, school.schoolId, thread, 'staff', text, true);
      const hidden = `Tin không báo cáo ${nextSerial()}`;
      await messageIn(db, school.schoolId, thread, 'family', hidden);
      return { mustContain: [studentOf(cell).fullName, text], mustNotContain: [hidden] };
    },
  },
  'GET /api/v1/schools/:schoolId/contact-settings': { policy: 'contactPrincipal', target: 'school', request: async () => ({ mustContain: ['subjectTeacherMessages'] }) },
  'PUT /api/v1/schools/:schoolId/contact-settings': {
    policy: 'contactPrincipal',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      return {
        body: { subjectTeacherMessages: true },
        mustContain: ['"subjectTeacherMessages":true'],
        verify: allowed ? async () => ((await db.selectFrom('contact_setting').select('subject_teacher_messages').where('school_id', '=', school.schoolId).executeTakeFirst())?.subject_teacher_messages ? null : 'not saved') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/quiet-hours': { policy: 'teacherContact', target: 'school', request: async () => ({ mustContain: ['quietFrom'] }) },
  'PUT /api/v1/schools/:schoolId/quiet-hours': {
    policy: 'teacherContact',
    target: 'school',
    request: async (cell, allowed) => {
      const user = cell.caller === 'anonymous' ? null : F.users[cell.caller];
      return {
        body: { quiet: true, quietFrom: '21:30', quietTo: '06:15' },
        mustContain: ['"quietFrom":"21:30"'],
        verify: allowed && user ? async () => ((await db.selectFrom('quiet_hours').select('quiet_from').where('user_id', '=', user).executeTakeFirst())?.quiet_from === 1290 ? null : 'not saved') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/leave-requests': {
    policy: 'familyContact',
    target: 'student',
    request: async (cell) => {
      await pendingLeave(db, schoolOf(cell).schoolId, studentOf(cell).id, `2025-10-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`);
      return { mustContain: [studentOf(cell).id, studentOf(cell).fullName] };
    },
  },
  'POST /api/v1/schools/:schoolId/students/:studentId/leave-requests': {
    policy: 'familyContact',
    target: 'student',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const student = studentOf(cell);
      const restore = allowed ? await yearReachesToday(db, school.schoolId) : undefined;
      const day = nextSchoolDay(1);
      return {
        body: { from: day, to: day, part: 'full_day', reason: 'Cháu bị ốm' },
        mustContain: [student.fullName, '"status":"pending"'],
        verify: allowed
          ? async () => {
              await restore?.();
              return (await db.selectFrom('leave_request').select('id').where('student_id', '=', student.id).where('from_day', '=', day).where('status', '=', 'pending').executeTakeFirst()) ? null : 'the request was not kept';
            }
          : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/leave-requests/:requestId/cancel': {
    policy: 'familyContact',
    target: 'student',
    request: async (cell, allowed) => {
      const id = await pendingLeave(db, schoolOf(cell).schoolId, studentOf(cell).id, `2025-11-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`);
      return {
        params: { requestId: id },
        mustContain: [studentOf(cell).fullName, '"status":"cancelled"'],
        verify: allowed ? async () => ((await db.selectFrom('leave_request').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'cancelled' ? null : 'not cancelled') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/leave-requests': {
    policy: 'leaveList',
    target: 'school',
    request: async (cell) => {
      const school = schoolOf(cell);
      if (cell.target.kind === 'place' && cell.target.place === 'A1') await pendingLeave(db, school.schoolId, A1_STUDENTS.An.id, `2025-12-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`);
      return { mustContain: cell.target.kind === 'place' && cell.target.place === 'A1' ? [A1_STUDENTS.An.fullName] : [] };
    },
  },
  'POST /api/v1/schools/:schoolId/leave-requests/:requestId/decision': {
    policy: 'leaveDecide',
    target: 'student',
    request: async (cell, allowed) => {
      const id = await pendingLeave(db, schoolOf(cell).schoolId, studentOf(cell).id, `2026-01-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`);
      return {
        params: { requestId: id },
        body: { decision: 'decline', note: 'Ma trận không duyệt' },
        mustContain: [studentOf(cell).fullName, '"status":"declined"'],
        verify: allowed ? async () => ((await db.selectFrom('leave_request').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'declined' ? null : 'not declined') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/development': {
    policy: 'preschoolFamily',
    target: 'student',
    request: async (cell) => ({ mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/attendance': {
    policy: 'gradebookRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id) }, query: { from: '2025-10-01', to: '2025-10-31' }, mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/attendance': {
    policy: 'attendanceWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const date = `2025-10-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`;
      return {
        params: { classId: await classOfStudent(student.id) },
        body: { entries: [{ studentId: student.id, date, session: 'morning', status: 'excused', reason: 'Ốm' }] },
        mustContain: [student.fullName, `{"date":"${date}","session":"morning","excused":true,"reason":"Ốm"}`],
        verify: allowed
          ? async () => ((await db.selectFrom('attendance').select('day').where('student_id', '=', student.id).where('day', '=', date).executeTakeFirst()) ? null : 'the absence was not recorded')
          : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/lessons': {
    policy: 'gradebookRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id) }, query: { date: '2025-10-06' }, mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/lessons': {
    policy: 'lessonRollWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      // Every school takes attendance per lesson here: a refusal is the access rule's, not the switch's.
      await lessonAttendanceOnEverywhere();
      const date = `2025-10-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`;
      const lesson = 1 + (nextSerial() % 5);
      return {
        params: { classId },
        body: { date, lesson, subjectCode: 'toan', absences: [{ studentId: student.id, excused: true, reason: 'Ốm' }] },
        mustContain: [`"lesson":${lesson}`, `{"studentId":"${student.id}","excused":true,"reason":"Ốm"}`],
        verify: allowed
          ? async () =>
              (await db.selectFrom('lesson_absence').select('day').where('student_id', '=', student.id).where('day', '=', date).where('lesson', '=', lesson).executeTakeFirst()) ? null : 'the lesson absence was not recorded'
          : undefined,
      };
    },
  },
  'DELETE /api/v1/schools/:schoolId/classes/:classId/lessons': {
    policy: 'lessonRollWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      await lessonAttendanceOnEverywhere();
      // A Toán roll to remove, on a day of its own so no other cell's roll is in the way.
      const date = `2025-11-${String(1 + (nextSerial() % 28)).padStart(2, '0')}`;
      const lesson = 1 + (nextSerial() % 5);
      const school = (await db.selectFrom('class').select('school_id').where('id', '=', classId).executeTakeFirstOrThrow()).school_id;
      await db.insertInto('lesson_roll').values({ school_id: school, class_id: classId, day: date, lesson, subject_code: 'toan', recorded_by: null }).onConflict((oc) => oc.doNothing()).execute();
      const rollLeft = async () => (await db.selectFrom('lesson_roll').select('lesson').where('class_id', '=', classId).where('day', '=', date).where('lesson', '=', lesson).executeTakeFirst()) !== undefined;
      return {
        params: { classId },
        query: { date, lesson: String(lesson) },
        mustContain: [`"date":"${date}"`, student.fullName],
        verify: allowed ? async () => ((await rollLeft()) ? 'the roll was not removed' : null) : undefined,
      };
    },
  },
  'PUT /api/v1/schools/:schoolId/lesson-attendance': {
    policy: 'lessonAttendanceSwitch',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const year = 2040 + (nextSerial() % 50);
      return {
        body: { year, enabled: true },
        mustContain: [`{"year":${year},"enabled":true}`],
        verify: allowed
          ? async () => ((await db.selectFrom('lesson_attendance_year').select('year').where('school_id', '=', school.schoolId).where('year', '=', year).executeTakeFirst()) ? null : 'not turned on')
          : undefined,
      };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/training': {
    policy: 'trainingWrite',
    target: 'student',
    request: async (cell) => {
      const level = (['tot', 'kha', 'dat'] as const)[nextSerial() % 3];
      return {
        params: { classId: await classOfStudent(studentOf(cell).id) },
        body: { term: 1, ratings: [{ studentId: studentOf(cell).id, level }] },
        mustContain: [`"studentId":"${studentOf(cell).id}","fullName":"${studentOf(cell).fullName}","trainingTerm1":"${level}"`],
      };
    },
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/results': {
    policy: 'resultsRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id) }, query: { period: 'hk1' }, mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/results/summary.xlsx': {
    policy: 'resultsRead',
    target: 'student',
    request: async (cell) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const cls = await db.selectFrom('class').select(['year', 'grade']).where('id', '=', classId).executeTakeFirst();
      // A primary class's book is TT27's table (class-summary.ts); a secondary one TT22's sổ theo dõi.
      const heading = cls && cls.grade >= 1 && cls.grade <= 5 ? 'BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC CỦA LỚP' : 'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH';
      return { params: { classId }, query: { year: String(cls?.year ?? F.year) }, mustContain: [studentOf(cell).fullName, heading] };
    },
  },
  'POST /api/v1/schools/:schoolId/results/close': {
    policy: 'resultsClose',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      return {
        body: { year: F.year, period: 'hk1' },
        mustContain: ['"periodLabel":"Học kì I"'],
        verify: allowed
          ? async () => ((await db.selectFrom('student_result').select('student_id').where('school_id', '=', school.schoolId).where('period', '=', 'hk1').executeTakeFirst()) ? null : 'no results stored')
          : undefined,
      };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/gradebook/:subjectCode/publication': {
    policy: 'gradebookPublish',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      const column = `tx${1 + (nextSerial() % 4)}`;
      return {
        params: { classId, subjectCode: 'toan' },
        body: { term: 1, columns: [column], published: true },
        mustContain: ['"ok":true'],
        verify: allowed
          ? async () =>
              (await db.selectFrom('gradebook_publication').select('column_key').where('class_id', '=', classId).where('subject_code', '=', 'toan').where('column_key', '=', column).executeTakeFirst())
                ? null
                : 'the column was not published'
          : undefined,
      };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/results/publication': {
    policy: 'resultsPublish',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      const schoolId = schoolOf(cell).schoolId;
      // Results can be published once a close stored them: a stored result for the class stands in for the close.
      if (allowed) {
        await db
          .insertInto('student_result')
          .values({ school_id: schoolId, student_id: student.id, year: F.year, period: 'hk2', class_id: classId, learning: 'kha', learning_adjusted_from: null, learning_adjusted_because: null, training: 'tot', promotion: null, promotion_detail: null, award: null, missing: '[]', computed_by: null })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      return {
        params: { classId },
        body: { year: F.year, period: 'hk2', published: true },
        mustContain: ['"ok":true'],
        verify: allowed
          ? async () => ((await db.selectFrom('result_publication').select('period').where('class_id', '=', classId).where('period', '=', 'hk2').executeTakeFirst()) ? null : 'the results were not published')
          : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/results': {
    policy: 'familyResults',
    target: 'student',
    request: async (cell) => ({ mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'GET /api/v1/schools/:schoolId/legacy-results/template.xlsx': { policy: 'legacyImport', target: 'school', request: async () => ({ mustContain: ['Hạnh kiểm cả năm', 'Số buổi nghỉ'] }) },
  'POST /api/v1/schools/:schoolId/legacy-results/import': {
    policy: 'legacyImport',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const schoolId = schoolOf(cell).schoolId;
      const className = `7M${nextSerial()}`;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Kết quả');
      ws.addRow(['Mã định danh', 'Họ và tên', 'Năm học', 'Khối', 'Lớp', 'Toán', 'Ngữ văn', 'Hạnh kiểm cả năm', 'Số buổi nghỉ']);
      ws.addRow([student.learnerId, student.fullName, '2018-2019', 7, className, '8,0', '7,5', 'Tốt', 0]);
      return {
        query: { replace: 'true' },
        upload: Buffer.from(await wb.xlsx.writeBuffer()),
        mustContain: ['"imported":1'],
        verify: allowed
          ? async () =>
              (await db.selectFrom('legacy_result').select('class_name').where('school_id', '=', schoolId).where('student_id', '=', student.id).where('year', '=', 2018).executeTakeFirst())?.class_name === className
                ? null
                : 'the imported year was not stored'
          : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/legacy-results': {
    policy: 'legacyResultsRead',
    target: 'student',
    request: async (cell) => {
      const student = studentOf(cell);
      const schoolId = schoolOf(cell).schoolId;
      // The student's own old year (a class name only this student has), as an import would have stored it.
      const id = crypto.randomUUID();
      const className = `7L-${student.id.slice(-4)}`;
      const inserted = await db
        .insertInto('legacy_result')
        .values({ school_id: schoolId, id, student_id: student.id, year: 2017, grade: 7, class_name: className, conduct_term1: 'tot', conduct_term2: 'tot', conduct_year: null, sessions_absent: 1, file_name: null, imported_by: F.users.principalA1 })
        .onConflict((oc) => oc.columns(['school_id', 'student_id', 'year']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) await db.insertInto('legacy_subject_result').values({ school_id: schoolId, legacy_result_id: id, subject_name: 'Toán', sort_order: 0, average_tenths: 85, comment_result: null }).execute();
      return { mustContain: [student.id, student.fullName, className, '8,5'] };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/hoc-ba.pdf': {
    policy: 'hocBaRead',
    target: 'student',
    request: async (cell, allowed) => {
      if (allowed) await yearClosedFor(schoolOf(cell).schoolId, studentOf(cell).id);
      return { mustContain: [studentOf(cell).fullName] };
    },
  },
  'POST /api/v1/schools/:schoolId/students/:studentId/hoc-ba/signed.pdf': {
    policy: 'hocBaSign',
    target: 'student',
    request: async (cell, allowed) => {
      if (allowed) await yearClosedFor(schoolOf(cell).schoolId, studentOf(cell).id);
      return { form: certificateForm(), mustContain: [studentOf(cell).fullName] };
    },
  },
  'POST /api/v1/schools/:schoolId/classes/:classId/hoc-ba/signed.zip': {
    policy: 'hocBaSign',
    target: 'student',
    request: async (cell, allowed) => {
      if (allowed) await yearClosedFor(schoolOf(cell).schoolId, studentOf(cell).id);
      // The zip's files are named by class and student.
      return { params: { classId: await classOfStudent(studentOf(cell).id) }, form: certificateForm(), mustContain: [`/${studentOf(cell).fullName}.pdf`] };
    },
  },
  // ------------------------------------------------------------ announcements
  'GET /api/v1/org-units/:unitId/announcements': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => ({ mustContain: [(await freshAnnouncement(placeOf(cell.target)!, cell, allowed)).title] }),
  },
  'POST /api/v1/org-units/:unitId/announcements': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      const title = `Soạn ma trận ${nextSerial()}`;
      return {
        body: { title, body: 'Nội dung', audience: audienceAt(place) },
        mustContain: [title, '"status":"draft"'],
        verify: allowed ? async () => ((await db.selectFrom('announcement').select('org_unit_id').where('title', '=', title).executeTakeFirst())?.org_unit_id === UNIT_ID[place] ? null : 'no draft in the unit') : undefined,
      };
    },
  },
  'GET /api/v1/org-units/:unitId/announcements/:announcementId': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed);
      return { params: { announcementId: a.id }, mustContain: [a.title, a.marker] };
    },
  },
  'PUT /api/v1/org-units/:unitId/announcements/:announcementId': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      const a = await freshAnnouncement(place, cell, allowed);
      const title = `Sửa ma trận ${nextSerial()}`;
      return {
        params: { announcementId: a.id },
        body: { title, body: 'Nội dung sửa', audience: audienceAt(place) },
        mustContain: [title],
        verify: async () => ((await db.selectFrom('announcement').select('title').where('id', '=', a.id).executeTakeFirstOrThrow()).title === title ? null : 'not edited'),
      };
    },
  },
  'POST /api/v1/org-units/:unitId/announcements/:announcementId/send': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed);
      return {
        params: { announcementId: a.id },
        body: { sendAt: new Date(Date.now() + 86_400_000).toISOString() },
        mustContain: [a.title, '"status":"scheduled"'],
        verify: async () => ((await announcementStatus(a.id)) === 'scheduled' ? null : 'not scheduled'),
      };
    },
  },
  'POST /api/v1/org-units/:unitId/announcements/:announcementId/cancel': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed);
      return { params: { announcementId: a.id }, mustContain: [a.title, '"status":"cancelled"'], verify: async () => ((await announcementStatus(a.id)) === 'cancelled' ? null : 'not cancelled') };
    },
  },
  'POST /api/v1/org-units/:unitId/announcements/:announcementId/remind': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed, { status: 'sent', sentHoursAgo: 2 });
      return {
        params: { announcementId: a.id },
        mustContain: ['"reminded":'],
        verify: async () => ((await db.selectFrom('announcement').select('reminded_at').where('id', '=', a.id).executeTakeFirstOrThrow()).reminded_at ? null : 'no reminder recorded'),
      };
    },
  },
  'POST /api/v1/org-units/:unitId/announcements/:announcementId/attachments': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed);
      const name = `dinh-kem-${nextSerial()}.pdf`;
      return {
        params: { announcementId: a.id },
        form: multipart(name, ANNOUNCE_PDF),
        mustContain: [a.title, name],
        verify: async () => ((await db.selectFrom('announcement_attachment').select('id').where('announcement_id', '=', a.id).where('file_name', '=', name).executeTakeFirst()) ? null : 'not attached'),
      };
    },
  },
  'DELETE /api/v1/org-units/:unitId/announcements/:announcementId/attachments/:attachmentId': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed);
      return {
        params: { announcementId: a.id, attachmentId: a.attachmentId },
        mustContain: [a.title],
        mustNotContain: [a.marker],
        verify: async () => ((await db.selectFrom('announcement_attachment').select('id').where('id', '=', a.attachmentId).executeTakeFirst()) ? 'attachment still there' : null),
      };
    },
  },
  'GET /api/v1/org-units/:unitId/announcements/:announcementId/attachments/:attachmentId': {
    policy: 'announcementSend',
    target: 'unit',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(placeOf(cell.target)!, cell, allowed);
      return { params: { announcementId: a.id, attachmentId: a.attachmentId }, mustContain: [a.marker] };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/announcements': {
    policy: 'familyAnnouncements',
    target: 'student',
    request: async (cell, allowed) => ({ mustContain: [(await freshAnnouncement(cell.target.kind === 'student' ? cell.target.place : 'A1', cell, allowed, { status: 'sent', toStudent: studentOf(cell).id })).title] }),
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/announcements/:announcementId': {
    policy: 'familyAnnouncements',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const a = await freshAnnouncement(cell.target.kind === 'student' ? cell.target.place : 'A1', cell, allowed, { status: 'sent', toStudent: student.id });
      return {
        params: { announcementId: a.id },
        mustContain: [a.title, a.marker],
        verify: allowed ? async () => ((await db.selectFrom('announcement_read').select('user_id').where('announcement_id', '=', a.id).where('student_id', '=', student.id).executeTakeFirst()) ? null : 'no read receipt') : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/announcements/:announcementId/attachments/:attachmentId': {
    policy: 'familyAnnouncements',
    target: 'student',
    request: async (cell, allowed) => {
      const a = await freshAnnouncement(cell.target.kind === 'student' ? cell.target.place : 'A1', cell, allowed, { status: 'sent', toStudent: studentOf(cell).id });
      return { params: { announcementId: a.id, attachmentId: a.attachmentId }, mustContain: [a.marker] };
    },
  },
  // What reached an account as staff: its own rows only, whoever asks (a parent has none but may ask).
  'GET /api/v1/me/announcements': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await receivedBy(ownUser(cell), cell);
      const other = await receivedBy(otherUser(cell), cell);
      return { mustContain: [own.title], mustNotContain: [other.title, other.id] };
    },
  },
  'GET /api/v1/me/announcements/:announcementId': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await receivedBy(ownUser(cell), cell);
      return {
        params: { announcementId: own.id },
        mustContain: [own.title, own.marker],
        verify: async () => ((await db.selectFrom('announcement_staff').select('read_at').where('announcement_id', '=', own.id).executeTakeFirstOrThrow()).read_at ? null : 'not recorded as read'),
      };
    },
  },
  'GET /api/v1/me/announcements/:announcementId/attachments/:attachmentId': {
    policy: 'signedIn',
    target: 'none',
    request: async (cell) => {
      const own = await receivedBy(ownUser(cell), cell);
      return { params: { announcementId: own.id, attachmentId: own.attachmentId }, mustContain: [own.marker] };
    },
  },
  // ------------------------------------------------------------ exemptions and the summer
  'GET /api/v1/schools/:schoolId/classes/:classId/exemptions': {
    policy: 'exemptionRead',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id) }, mustContain: [studentOf(cell).id, studentOf(cell).fullName] }),
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/exemptions': {
    policy: 'exemptionWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const reason = `Sức khỏe, giấy ${nextSerial()}`;
      return {
        params: { classId: await classOfStudent(student.id) },
        // GDTC, the usual exemption, and a subject no other route of the matrix enters marks in.
        body: { studentId: student.id, subjectCode: 'gdtc', scope: 'cn', reason },
        mustContain: [`"studentId":"${student.id}","fullName":"${student.fullName}","subjectCode":"gdtc"`, reason],
        verify: allowed
          ? async () => ((await db.selectFrom('subject_exemption').select('reason').where('student_id', '=', student.id).where('subject_code', '=', 'gdtc').executeTakeFirst())?.reason === reason ? null : 'the exemption was not recorded')
          : undefined,
      };
    },
  },
  'GET /api/v1/schools/:schoolId/classes/:classId/summer': {
    policy: 'summerRead',
    target: 'student',
    request: async (cell, allowed) => {
      if (allowed) await onSummerList(schoolOf(cell).schoolId, studentOf(cell).id, 'retest');
      return { params: { classId: await classOfStudent(studentOf(cell).id) }, mustContain: [`"studentId":"${studentOf(cell).id}","fullName":"${studentOf(cell).fullName}"`, '"subjectCode":"toan"'] };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/summer/retests': {
    policy: 'summerRetestWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      if (allowed) await onSummerList(schoolOf(cell).schoolId, student.id, 'retest');
      const value = `${5 + (nextSerial() % 5)},5`;
      return {
        params: { classId: await classOfStudent(student.id) },
        body: { retests: [{ studentId: student.id, subjectCode: 'toan', value }] },
        mustContain: [student.fullName, `"value":"${value}"`],
        verify: allowed
          ? async () =>
              (await db.selectFrom('summer_retest').select('score_tenths').where('student_id', '=', student.id).where('subject_code', '=', 'toan').executeTakeFirst())?.score_tenths === Number(value.replace(',', ''))
                ? null
                : 'the re-test mark was not stored'
          : undefined,
      };
    },
  },
  'PUT /api/v1/schools/:schoolId/classes/:classId/summer/training': {
    policy: 'summerTrainingWrite',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      if (allowed) await onSummerList(schoolOf(cell).schoolId, student.id, 'summer_training');
      const level = (['tot', 'kha', 'dat'] as const)[nextSerial() % 3];
      return {
        params: { classId: await classOfStudent(student.id) },
        body: { ratings: [{ studentId: student.id, level }] },
        mustContain: [`"studentId":"${student.id}","fullName":"${student.fullName}"`, `"level":"${level}"`],
        verify: allowed
          ? async () => ((await db.selectFrom('summer_training').select('level').where('student_id', '=', student.id).executeTakeFirst())?.level === level ? null : 'the summer training was not stored')
          : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/summer/state': {
    policy: 'summerDecide',
    target: 'school',
    request: async (cell, allowed) => {
      const schoolId = schoolOf(cell).schoolId;
      // Alternately lock and unlock, so every allowed cell finds the state its step applies to.
      const locked = (await db.selectFrom('summer_state').select('locked').where('school_id', '=', schoolId).where('year', '=', F.year).executeTakeFirst())?.locked === true;
      const action = allowed && locked ? 'unlock' : 'lock';
      return {
        body: { year: F.year, action, reason: 'Kiểm tra ma trận quyền' },
        mustContain: ['"ok":true'],
        verify: allowed
          ? async () => ((await db.selectFrom('summer_state').select('locked').where('school_id', '=', schoolId).where('year', '=', F.year).executeTakeFirst())?.locked === (action === 'lock') ? null : 'the summer state did not change')
          : undefined,
      };
    },
  },
  'POST /api/v1/schools/:schoolId/results/after-summer': {
    policy: 'summerDecide',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const student = school.students[0];
      if (allowed) {
        await onSummerList(school.schoolId, student.id, 'summer_training');
        // Not re-rated yet (the training route's cells may have rated this student): named as missing.
        await db.deleteFrom('summer_training').where('school_id', '=', school.schoolId).where('student_id', '=', student.id).execute();
      }
      return {
        body: { year: F.year },
        mustContain: ['"students":', `"fullName":"${student.fullName}"`, 'chưa có kết quả rèn luyện trong hè'],
        verify: allowed
          ? async () => ((await db.selectFrom('summer_result').select('missing').where('student_id', '=', student.id).where('year', '=', F.year).executeTakeFirst()) ? null : 'no summer result stored')
          : undefined,
      };
    },
  },
  // ------------------------------------------------------------ linking families
  'GET /api/v1/schools/:schoolId/classes/:classId/activation': {
    policy: 'activationSchool',
    target: 'student',
    request: async (cell) => ({ params: { classId: await classOfStudent(studentOf(cell).id) }, mustContain: [`"studentId":"${studentOf(cell).id}","fullName":"${studentOf(cell).fullName}"`] }),
  },
  'POST /api/v1/schools/:schoolId/classes/:classId/activation/sheet.pdf': {
    policy: 'activationSchool',
    target: 'student',
    request: async (cell, allowed) => {
      const student = studentOf(cell);
      const classId = await classOfStudent(student.id);
      // A student whose family and own account are all activated gets a slip without codes: the print is audited either way.
      const before = await activationPrints(classId);
      return {
        params: { classId },
        body: { studentIds: [student.id] },
        mustContain: [`Học sinh: ${student.fullName}`, 'PHIẾU KÍCH HOẠT SỔ LIÊN LẠC ĐIỆN TỬ'],
        verify: allowed ? async () => ((await activationPrints(classId)) > before ? null : 'the print was not audited') : undefined,
      };
    },
  },
  'POST /api/v1/activation/check': { policy: 'signedIn', target: 'none', skip: 'public: a family checks a printed code (activation.test.ts: wrong, expired, used, replaced codes, attempt limits)' },
  'POST /api/v1/activation/redeem': { policy: 'signedIn', target: 'none', skip: 'public: a family activates with a code (activation.test.ts: consent, another family, single use, a staff session refused)' },
  'POST /api/v1/activation/contact-code': { policy: 'signedIn', target: 'none', skip: 'public: answers the same for every learner (activation.test.ts)' },
  // ------------------------------------------------------------ background jobs
  'POST /api/v1/schools/:schoolId/hoc-ba/batches': {
    policy: 'hocBaBatch',
    target: 'student',
    request: async (cell, allowed) => {
      const classId = await classOfStudent(studentOf(cell).id);
      if (allowed) await yearClosedFor(schoolOf(cell).schoolId, studentOf(cell).id);
      return {
        body: { classId },
        mustContain: ['"kindLabel":"In học bạ hàng loạt"', '"state":"queued"'],
        verify: allowed
          ? async () => ((await db.selectFrom('background_job').select('id').where('kind', '=', 'hoc_ba_batch').where('params', '@>', JSON.stringify({ classId })).executeTakeFirst()) ? null : 'no job queued')
          : undefined,
      };
    },
  },
  'POST /api/v1/org-units/:unitId/results/close': {
    policy: 'unitClose',
    target: 'unit',
    // District G has no open school below it today: its close is refused with 400 no_schools (gradebook-jobs.test.ts).
    places: PLACES.filter((p) => p !== 'districtG'),
    request: async (cell, allowed) => {
      const unitId = UNIT_ID[placeOf(cell.target)!];
      return {
        body: { year: F.year, period: 'hk1' },
        mustContain: ['"kindLabel":"Tổng hợp kết quả các trường"'],
        verify: allowed
          ? async () => ((await db.selectFrom('background_job').select('id').where('kind', '=', 'results_close_unit').where('org_unit_id', '=', unitId).executeTakeFirst()) ? null : 'no job queued')
          : undefined,
      };
    },
  },
  'GET /api/v1/org-units/:unitId/jobs/:jobId': {
    policy: 'jobRead',
    target: 'unit',
    request: async (cell) => {
      const job = await finishedJobAt(UNIT_ID[placeOf(cell.target)!]);
      return { params: { jobId: job.id }, mustContain: [job.id, job.text] };
    },
  },
  'GET /api/v1/org-units/:unitId/jobs/:jobId/files.zip': {
    policy: 'jobRead',
    target: 'unit',
    request: async (cell) => {
      const job = await finishedJobAt(UNIT_ID[placeOf(cell.target)!]);
      return { params: { jobId: job.id }, mustContain: [job.file] };
    },
  },
  // ------------------------------------------------------------ personal data duties
  'GET /api/v1/schools/:schoolId/students/:studentId/consents': {
    policy: 'studentRead',
    target: 'student',
    request: async (cell) => ({ mustContain: [STUDENT_MARKS.get(studentOf(cell).id)!.consentNote] }),
  },
  'POST /api/v1/schools/:schoolId/students/:studentId/consents': {
    policy: 'consentWrite',
    target: 'student',
    request: async (cell) => {
      const note = `Ghi chú đồng ý ${nextSerial()}`;
      const role = cell.caller === 'anonymous' ? 'principal' : ROLE[cell.caller];
      const paper = !['parent', 'student'].includes(role);
      return {
        body: { purpose: 'photo_publish', action: 'give', note, ...(paper ? { giver: 'student', effectiveDate: '2025-10-01' } : {}) },
        mustContain: [note],
      };
    },
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/personal-data': {
    policy: 'personalData',
    target: 'student',
    request: async (cell) => ({ mustContain: [studentOf(cell).fullName, studentOf(cell).learnerId] }),
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/personal-data.pdf': {
    policy: 'personalData',
    target: 'student',
    request: async (cell) => ({ mustContain: [studentOf(cell).fullName, studentOf(cell).learnerId] }),
  },
  'GET /api/v1/schools/:schoolId/students/:studentId/access-log': {
    policy: 'privacyOfficerRead',
    target: 'student',
    request: async (cell) => ({ mustContain: [STUDENT_MARKS.get(studentOf(cell).id)!.accessIp] }),
  },
  'GET /api/v1/schools/:schoolId/privacy/anonymisation': {
    policy: 'privacyOfficerRead',
    target: 'school',
    request: async (cell) => ({ mustContain: [LEFT_STUDENT[placeOf(cell.target) as SchoolPlace].id] }),
  },
  'POST /api/v1/schools/:schoolId/privacy/anonymisation': {
    policy: 'privacyOfficerWrite',
    target: 'school',
    request: async (cell, allowed) => {
      const school = schoolOf(cell);
      const s = allowed ? await freshLeftStudent(db, school.schoolId) : LEFT_STUDENT[placeOf(cell.target) as SchoolPlace];
      return {
        body: { studentIds: [s.id] },
        mustContain: ['"anonymised":1'],
        verify: async () => ((await db.selectFrom('student').select('given_name').where('id', '=', s.id).executeTakeFirstOrThrow()).given_name.includes('Xưa') ? 'not anonymised' : null),
      };
    },
  },
  // ------------------------------------------------------------ school transfers
  'GET /api/v1/schools/:schoolId/transfers': {
    policy: 'transferList',
    target: 'school',
    request: async (cell) => {
      const t = TRANSFERS[placeOf(cell.target) as SchoolPlace];
      return { mustContain: [t.toDecide, t.asked, t.toAccept] };
    },
  },
  'GET /api/v1/schools/:schoolId/transfers/destinations': {
    policy: 'transferDestinations',
    target: 'school',
    request: async (cell) => {
      const partner = placeOf(cell.target) === 'A1' ? SCHOOL.A3 : SCHOOL.A1;
      return { query: { q: partner.schoolName.replace(/^Trường THCS /, '') }, mustContain: [partner.schoolId] };
    },
  },
  'POST /api/v1/schools/:schoolId/transfers/requests': {
    policy: 'transferStart',
    target: 'school',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const learner = allowed ? await learnerToAskFor(db, place) : { learnerId: '0900000000', dateOfBirth: '2014-02-02', id: '' };
      return {
        body: { learnerId: learner.learnerId, dateOfBirth: learner.dateOfBirth, toClassId: SCHOOL[place].classId, effectiveDate: '2026-02-10' },
        mustContain: [learner.id, '"status":"pending"'],
      };
    },
  },
  'POST /api/v1/schools/:schoolId/transfers/issues': {
    policy: 'transferStart',
    target: 'school',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const learner = allowed ? await freshStudent(db, SCHOOL[place].schoolId, gradeOf(place)) : SCHOOL[place].students[0]!;
      return { body: { studentId: learner.id, toSchoolId: partnerSchoolId(place), effectiveDate: '2026-02-10' }, mustContain: [learner.id, '"kind":"issue"'] };
    },
  },
  'POST /api/v1/schools/:schoolId/transfers/:transferId/approve': {
    policy: 'transferDecide',
    target: 'school',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const id = allowed ? await freshTransfer(db, 'request', SCHOOL[place].schoolId, partnerSchoolId(place), gradeOf(place)) : TRANSFERS[place].toDecide;
      return { params: { transferId: id }, mustContain: [id, '"status":"completed"'], verify: () => transferStatusIs(id, 'completed') };
    },
  },
  'POST /api/v1/schools/:schoolId/transfers/:transferId/decline': {
    policy: 'transferDecide',
    target: 'school',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const id = allowed ? await freshTransfer(db, 'request', SCHOOL[place].schoolId, partnerSchoolId(place), gradeOf(place)) : TRANSFERS[place].toDecide;
      return { params: { transferId: id }, body: { reason: 'Gia đình đổi ý, không chuyển nữa' }, mustContain: [id, '"status":"declined"'], verify: () => transferStatusIs(id, 'declined') };
    },
  },
  'POST /api/v1/schools/:schoolId/transfers/:transferId/accept': {
    policy: 'transferAccept',
    target: 'school',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const id = allowed ? await freshTransfer(db, 'issue', partnerSchoolId(place), SCHOOL[place].schoolId, gradeOf(place)) : TRANSFERS[place].toAccept;
      return { params: { transferId: id }, body: { toClassId: SCHOOL[place].classId }, mustContain: [id, '"status":"completed"'], verify: () => transferStatusIs(id, 'completed') };
    },
  },
  'POST /api/v1/schools/:schoolId/transfers/:transferId/cancel': {
    policy: 'transferStart',
    target: 'school',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target) as SchoolPlace;
      const id = allowed ? await freshTransfer(db, 'request', partnerSchoolId(place), SCHOOL[place].schoolId, gradeOf(place)) : TRANSFERS[place].asked;
      return { params: { transferId: id }, body: {}, mustContain: [id, '"status":"cancelled"'], verify: () => transferStatusIs(id, 'cancelled') };
    },
  },
  'GET /api/v1/org-units/:unitId/transfers': {
    policy: 'officeTransfers',
    target: 'unit',
    request: async (cell) => {
      const school = TRANSFER_SCHOOL_BELOW[placeOf(cell.target)!];
      return { mustContain: school ? [TRANSFERS[school].toDecide] : ['"total":0'] };
    },
  },
  // ------------------------------------------------------------ accounts and audit
  'GET /api/v1/users': {
    policy: 'unitAdminRead',
    target: 'unit',
    request: async (cell) => ({ query: { unitId: UNIT_ID[placeOf(cell.target)!] }, mustContain: [EXTRAS[placeOf(cell.target)!].username] }),
  },
  'POST /api/v1/users': {
    policy: 'userCreate',
    target: 'unit',
    request: async (cell) => {
      const place = placeOf(cell.target)!;
      const username = `mx.tao${nextSerial()}`;
      // At a school: a parent account (a teacher's needs a staff record to link to).
      const role = KIND_OF[place] === 'school' ? 'parent' : roleAt(place);
      return { body: { username, displayName: 'Tài khoản mới', password: 'MatKhau@2026', role, orgUnitId: UNIT_ID[place] }, mustContain: [username] };
    },
  },
  'POST /api/v1/users/:userId/grants': {
    policy: 'userManage',
    target: 'user',
    places: SCHOOL_PLACES,
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      const user = allowed ? await freshUser(db, place) : EXTRAS[place];
      // Someone of a closed school gets a role at an open one (a grant on a closed unit is refused).
      const at = place === 'A4' ? 'A1' : place === 'G' ? 'B1' : place;
      return { params: { userId: user.userId }, body: { role: 'parent', orgUnitId: UNIT_ID[at] }, mustContain: [user.username, '"role":"parent"'] };
    },
  },
  'DELETE /api/v1/users/:userId/grants/:grantId': {
    policy: 'userManage',
    target: 'user',
    places: SCHOOL_PLACES,
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      if (!allowed) return { params: { userId: EXTRAS[place].userId, grantId: EXTRAS[place].grantId } };
      // The last role of an account cannot be taken away: give a fresh account a second one to remove.
      const user = await freshUser(db, place);
      const second = crypto.randomUUID();
      await db.insertInto('role_grant').values({ id: second, user_id: user.userId, role: 'school_staff', org_unit_id: UNIT_ID[place] }).execute();
      return {
        params: { userId: user.userId, grantId: second },
        mustContain: [user.username],
        verify: async () => ((await db.selectFrom('role_grant').select('id').where('id', '=', second).executeTakeFirst()) ? 'grant not removed' : null),
      };
    },
  },
  'POST /api/v1/users/:userId/reset-password': {
    policy: 'userManage',
    target: 'user',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      const user = allowed ? await freshUser(db, place) : EXTRAS[place];
      return {
        params: { userId: user.userId },
        body: { newPassword: 'MatKhauTam@2026' },
        verify: async () => ((await db.selectFrom('app_user').select('must_change_password').where('id', '=', user.userId).executeTakeFirstOrThrow()).must_change_password ? null : 'password not reset'),
      };
    },
  },
  'POST /api/v1/users/:userId/unlock': {
    policy: 'userManage',
    target: 'user',
    request: async (cell, allowed) => {
      const place = placeOf(cell.target)!;
      const user = allowed ? await freshUser(db, place) : EXTRAS[place];
      // Locked from one address (docs/decisions/0010-login-throttling.md): the unlock must lift it.
      if (allowed) await db.insertInto('login_attempt').values({ username: user.username, client: '203.0.113.9', attempts: 5, locked_until: new Date(Date.now() + 3600_000) }).execute();
      return {
        params: { userId: user.userId },
        verify: async () => {
          const lock = await db.selectFrom('login_attempt').select('locked_until').where('username', '=', user.username).executeTakeFirst();
          return lock?.locked_until && new Date(lock.locked_until) > new Date() ? 'still locked' : null;
        },
      };
    },
  },
  'GET /api/v1/audit': {
    policy: 'unitAdminRead',
    target: 'unit',
    request: async (cell) => ({ query: { unitId: UNIT_ID[placeOf(cell.target)!] }, mustContain: [EXTRAS[placeOf(cell.target)!].auditId] }),
  },
  'GET /api/v1/audit/export.xlsx': {
    policy: 'unitAdminRead',
    target: 'unit',
    request: async (cell) => ({ query: { unitId: UNIT_ID[placeOf(cell.target)!] }, mustContain: [auditMarker(placeOf(cell.target)!)] }),
  },
};

// ---------------------------------------------------------------- running the cells

const sessions = new Map<Caller, Session>();
async function headersOf(caller: Caller | 'anonymous'): Promise<Record<string, string>> {
  if (caller === 'anonymous') return {};
  let s = sessions.get(caller);
  if (!s) sessions.set(caller, (s = await ctx.as(caller)));
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}

function targetsFor(spec: RouteSpec): Target[] {
  if (spec.target === 'none') return [{ kind: 'none' }];
  const places = spec.places ?? (spec.target === 'school' || spec.target === 'student' ? SCHOOL_PLACES : PLACES);
  if (spec.target !== 'student') return places.map((place) => ({ kind: 'place', place }));
  return (places as SchoolPlace[]).flatMap((place) => studentsOf(place).map((student) => ({ kind: 'student' as const, place, student })));
}

function fillUrl(url: string, target: Target, params: Record<string, string>): string {
  const place = placeOf(target);
  const school = place && place in SCHOOL ? SCHOOL[place as SchoolPlace] : null;
  const defaults: Record<string, string | undefined> = {
    schoolId: school?.schoolId,
    unitId: place ? UNIT_ID[place] : undefined,
    classId: school?.classId,
    staffId: school?.staffId,
    assignmentId: school?.assignmentId,
    jobId: place ? (EXTRAS[place].jobId ?? undefined) : undefined,
    userId: place ? EXTRAS[place].userId : undefined,
    grantId: place ? EXTRAS[place].grantId : undefined,
    studentId: target.kind === 'student' ? target.student.id : undefined,
  };
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const v = params[name] ?? defaults[name];
    if (v === undefined) throw new Error(`no value for :${name} in ${url}`);
    return v;
  });
}

async function answerText(res: { headers: Record<string, string | string[] | number | undefined>; rawPayload: Buffer; body: string }): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => cells.push(xlsxCellText(c.value))));
    return cells.join('\n');
  }
  if (type.includes('application/pdf')) return (await pdfPageTexts(res.rawPayload)).join('\n').replace(/\s+/g, ' ');
  if (type.includes('application/zip')) return Object.keys(unzipSync(new Uint8Array(res.rawPayload))).join('\n');
  return res.body;
}

async function auditCount(): Promise<number> {
  return Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

type Tally = { cells: number; allowed: number; withData: number; denied: number; closed: number };
const tally: Tally = { cells: 0, allowed: 0, withData: 0, denied: 0, closed: 0 };

async function runCell(method: string, url: string, spec: RouteSpec, cell: Cell): Promise<string[]> {
  const where = `${method} ${url} as ${cell.caller} on ${cell.target.kind === 'none' ? '-' : cell.target.kind === 'student' ? `${cell.target.place}/${cell.target.student.fullName}` : cell.target.place}`;
  const allowed = cell.expected === 'allow';
  const req: Request = (await spec.request?.(cell, allowed)) ?? {};
  const headers = await headersOf(cell.caller);
  let path = fillUrl(url, cell.target, req.params ?? {});
  if (req.query && Object.keys(req.query).length) path += `?${new URLSearchParams(req.query)}`;
  let payload: string | Buffer | undefined;
  if (req.upload) {
    const m = multipart('lop-ma-tran.xlsx', req.upload);
    headers['content-type'] = m.contentType;
    payload = m.payload;
  } else if (req.form) {
    headers['content-type'] = req.form.contentType;
    payload = req.form.payload;
  } else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(req.body);
  }
  const before = allowed ? 0 : await auditCount();
  const res = await ctx.app.inject({ method: method as 'GET', url: path, headers, payload });
  tally.cells++;
  const problems: string[] = [];
  if (allowed) {
    tally.allowed++;
    if (res.statusCode < 200 || res.statusCode >= 300) return [`${where}: expected allowed, got ${res.statusCode} ${res.body.slice(0, 160)}`];
    const text = await answerText(res);
    for (const want of req.mustContain ?? []) if (!text.includes(want)) problems.push(`${where}: answer lacks the target's "${want}"`);
    for (const hidden of req.mustNotContain ?? []) if (text.includes(hidden)) problems.push(`${where}: answer shows "${hidden}", outside the caller's view`);
    if (spec.check) {
      const p = spec.check(JSON.parse(res.body), cell);
      if (p) problems.push(`${where}: ${p}`);
    }
    if (req.verify) {
      const p = await req.verify();
      if (p) problems.push(`${where}: ${p}`);
    }
    if ((req.mustContain ?? []).length > 0 || spec.check || req.verify) tally.withData++;
    return problems;
  }
  const want = cell.expected === 'closed' ? [409] : [401, 403, 404];
  if (cell.expected === 'closed') tally.closed++;
  else tally.denied++;
  if (!want.includes(res.statusCode)) problems.push(`${where}: expected ${cell.expected} (${want.join('/')}), got ${res.statusCode} ${res.body.slice(0, 160)}`);
  else if (!String(res.headers['content-type']).includes('application/problem+json')) problems.push(`${where}: refusal is not problem+json`);
  else if (cell.expected === 'closed' && res.json().code !== 'unit_closed') problems.push(`${where}: 409 but not unit_closed`);
  const place = placeOf(cell.target);
  if (place) for (const secret of secretsOf(place)) if (res.body.includes(secret)) problems.push(`${where}: refusal leaks "${secret}"`);
  if (method !== 'GET' && (await auditCount()) !== before) problems.push(`${where}: a refused change wrote to the audit log`);
  return problems;
}

beforeAll(async () => {
  await setUpPlaces(db);
  await setUpTransfers(db);
  // A distinct school year and subject plan per school, so that one school's answer cannot pass for another's.
  for (const [i, place] of SCHOOL_PLACES.entries()) {
    const school = SCHOOL[place];
    const year = 2001 + i;
    SCHOOL_YEAR_OF[place] = year;
    await db.insertInto('school_year').values({ school_id: school.schoolId, year, term1_start: `${year}-09-05`, term1_end: `${year + 1}-01-15`, term2_start: `${year + 1}-01-19`, term2_end: `${year + 1}-05-31` }).execute();
    const periods = 101 + i;
    SUBJECT_PERIODS_OF[place] = periods;
    await db
      .insertInto('school_subject')
      .values({ school_id: school.schoolId, year: F.year, grade: Number.parseInt(school.className, 10), subject_code: 'toan', periods_per_year: periods, assessment_kind: 'score', is_taught: true })
      .execute();
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Lớp');
  ws.addRow(['Tên lớp', 'Khối']);
  ws.addRow(['9MT', 9]);
  classesXlsx = Buffer.from(await wb.xlsx.writeBuffer());
});

afterAll(() => {
  console.log(
    `access matrix: ${Object.keys(ROUTES).length} routes × ${CALLERS.length + 1} callers × places = ${tally.cells} cells: ${tally.allowed} allowed (${tally.withData} checked for the target's data), ${tally.denied} denied, ${tally.closed} closed-unit refusals`,
  );
});

describe('access matrix (independent policy: server/test/access-policy.ts)', () => {
  it('every route of the API is in the policy table, and every entry is a route', () => {
    const declared = ctx.app.declaredRoutes.map((r) => `${r.method} ${r.url}`);
    expect(declared.filter((k) => !ROUTES[k])).toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !declared.includes(k))).toEqual([]);
  });

  // Reads first, on the untouched fixture; then the changes, each on fresh records.
  const keys = Object.keys(ROUTES).sort((a, b) => Number(a.startsWith('GET')) - Number(b.startsWith('GET')) || 0).reverse();
  for (const key of keys) {
    const spec = ROUTES[key]!;
    const [method, url] = key.split(' ') as [string, string];
    if (spec.skip) continue;
    it(`${key} [${spec.policy}]`, async () => {
      const problems: string[] = [];
      for (const target of targetsFor(spec)) {
        for (const caller of [...CALLERS, 'anonymous'] as const) {
          if (spec.anonymousOnly && caller !== 'anonymous') continue;
          const relation = caller === 'anonymous' ? null : spec.policy === 'tree' ? RELATIONS[caller][grantPlace(caller)] : relationOf(caller, target);
          const expected = expectedOutcome(spec.policy, caller, relation);
          problems.push(...(await runCell(method, url, spec, { caller, target, expected })));
        }
      }
      expect(problems.join('\n')).toBe('');
    });
  }
});
