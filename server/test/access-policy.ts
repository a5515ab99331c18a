import type { Role } from '../src/db/schema.js';

/**
 * THE ACCESS POLICY, written by hand: who may do what to which target. It is the access
 * matrix's oracle, so it must not be derived from the code it checks — nothing here imports the
 * route declarations, the role groups of `platform/actor.ts` or the access functions. When the
 * product's rules change, this file changes with them, on purpose, in the same commit.
 *
 * Three tables:
 * 1. RELATIONS — for every fixture account, what every place of the fixture province is to it
 *    (its own school, a school below its office, another office's school, a closed school…).
 * 2. POLICIES — for each kind of action, which role may act on which relation, and how
 *    (`allow`; `closed` = may read the closed unit but a change answers 409 unit_closed).
 * 3. ROUTES (in access-matrix.test.ts) — every route of the API names its policy; a route
 *    missing from it fails the matrix.
 */

/** Fixture accounts (server/test/fixture-ids.ts F.users). */
export type Caller =
  | 'admin'
  | 'soA'
  | 'soB'
  | 'communeA'
  | 'communeA2'
  | 'districtA1'
  | 'principalA1'
  | 'principalB1'
  | 'principalA3'
  | 'principalA4'
  | 'staffA1'
  | 'homeroomA1'
  | 'mathA1'
  | 'parentA'
  | 'parentC'
  | 'studentAn';

/** Places of the fixture province a request can point at. */
export type Place =
  | 'ministry'
  | 'provinceA'
  | 'provinceB'
  | 'communeA1'
  | 'communeA2'
  | 'districtA1' // abolished 2025-07-01
  | 'districtG' // province A until 2024, then province B
  | 'A1'
  | 'A2'
  | 'A3'
  | 'A4' // closed 2026-01-01
  | 'G' // closed 2025-06-01, province B's at the end
  | 'M1' // commune A2 → commune A1 on 2026-03-01
  | 'M2' // commune A1 → commune A2 on 2099-09-01
  | 'B1';

export const PLACES: Place[] = ['ministry', 'provinceA', 'provinceB', 'communeA1', 'communeA2', 'districtA1', 'districtG', 'A1', 'A2', 'A3', 'A4', 'G', 'M1', 'M2', 'B1'];

/**
 * What a place is to a caller. Inside the caller's own school, a student is further one of
 * own_class / other_class (teachers), own_child / other_child (parents), self / other_student.
 */
export type Relation =
  | 'own_unit' // the unit the caller's grant is on
  | 'below' // an open unit in the subtree of the caller's office today
  | 'moved_in' // moved under the caller's office, move date passed
  | 'moves_out_later' // under the caller's office until a future move date
  | 'moved_out' // was under the caller's office, moved away, move date passed
  | 'moves_in_later' // will come under the caller's office on a future date
  | 'closed_below' // closed; was under the caller's office on its last day
  | 'own_unit_closed' // the caller's own granted unit, now closed
  | 'was_below_closed_grant' // under the caller's (now closed) office once
  | 'same_office' // another school of the caller's school's office
  | 'above' // an office above the caller's unit
  | 'other_office' // under another office of the same province
  | 'other_province'
  | 'closed_elsewhere' // closed, not under the caller's office on its last day
  | 'own_class'
  | 'other_class'
  | 'own_child'
  | 'other_child'
  | 'self'
  | 'other_student';

/** Role of each fixture account: one grant each. */
export const ROLE: Record<Caller, Role> = {
  admin: 'system_admin',
  soA: 'province_officer',
  soB: 'province_officer',
  communeA: 'district_officer',
  communeA2: 'district_officer',
  districtA1: 'district_officer',
  principalA1: 'principal',
  principalB1: 'principal',
  principalA3: 'principal',
  principalA4: 'principal',
  staffA1: 'school_staff',
  homeroomA1: 'homeroom_teacher',
  mathA1: 'subject_teacher',
  parentA: 'parent',
  parentC: 'parent',
  studentAn: 'student',
};

type RelationMap = Partial<Record<Relation, Place[]>>;

/** Everyone granted on school A1 sees the province the same way. */
const FROM_A1: RelationMap = {
  own_unit: ['A1'],
  same_office: ['A2', 'M1', 'M2'],
  above: ['communeA1', 'provinceA', 'ministry'],
  other_office: ['communeA2', 'A3'],
  closed_elsewhere: ['A4', 'G', 'districtA1'],
  other_province: ['provinceB', 'districtG', 'B1'],
};

const RELATION_LISTS: Record<Caller, RelationMap> = {
  admin: {
    own_unit: ['ministry'],
    below: ['provinceA', 'provinceB', 'communeA1', 'communeA2', 'districtG', 'A1', 'A2', 'A3', 'M1', 'M2', 'B1'],
    closed_below: ['districtA1', 'A4', 'G'],
  },
  soA: {
    own_unit: ['provinceA'],
    below: ['communeA1', 'communeA2', 'A1', 'A2', 'A3', 'M1', 'M2'],
    closed_below: ['districtA1', 'A4'],
    above: ['ministry'],
    other_province: ['provinceB', 'districtG', 'B1'],
    // G's office belonged to province A when G's last version began; province B held it at the end.
    closed_elsewhere: ['G'],
  },
  soB: {
    own_unit: ['provinceB'],
    below: ['districtG', 'B1'],
    closed_below: ['G'],
    above: ['ministry'],
    other_province: ['provinceA', 'communeA1', 'communeA2', 'A1', 'A2', 'A3', 'M1', 'M2'],
    closed_elsewhere: ['districtA1', 'A4'],
  },
  communeA: {
    own_unit: ['communeA1'],
    below: ['A1', 'A2'],
    moved_in: ['M1'],
    moves_out_later: ['M2'],
    closed_below: ['A4'],
    above: ['provinceA', 'ministry'],
    other_office: ['communeA2', 'A3'],
    closed_elsewhere: ['districtA1', 'G'],
    other_province: ['provinceB', 'districtG', 'B1'],
  },
  communeA2: {
    own_unit: ['communeA2'],
    below: ['A3'],
    moved_out: ['M1'],
    moves_in_later: ['M2'],
    above: ['provinceA', 'ministry'],
    other_office: ['communeA1', 'A1', 'A2'],
    closed_elsewhere: ['districtA1', 'A4', 'G'],
    other_province: ['provinceB', 'districtG', 'B1'],
  },
  districtA1: {
    own_unit_closed: ['districtA1'],
    was_below_closed_grant: ['A1', 'A2', 'A3', 'A4', 'M1', 'M2'],
    above: ['provinceA', 'ministry'],
    other_office: ['communeA1', 'communeA2'],
    closed_elsewhere: ['G'],
    other_province: ['provinceB', 'districtG', 'B1'],
  },
  principalA1: FROM_A1,
  staffA1: FROM_A1,
  homeroomA1: FROM_A1,
  mathA1: FROM_A1,
  parentA: FROM_A1,
  parentC: FROM_A1,
  studentAn: FROM_A1,
  principalB1: {
    own_unit: ['B1'],
    above: ['provinceB', 'ministry'],
    other_office: ['districtG'],
    closed_elsewhere: ['G', 'A4', 'districtA1'],
    other_province: ['provinceA', 'communeA1', 'communeA2', 'A1', 'A2', 'A3', 'M1', 'M2'],
  },
  principalA3: {
    own_unit: ['A3'],
    above: ['communeA2', 'provinceA', 'ministry'],
    other_office: ['communeA1', 'A1', 'A2', 'M1', 'M2'],
    closed_elsewhere: ['A4', 'G', 'districtA1'],
    other_province: ['provinceB', 'districtG', 'B1'],
  },
  principalA4: {
    own_unit_closed: ['A4'],
    above: ['communeA1', 'provinceA', 'ministry'],
    other_office: ['communeA2', 'A1', 'A2', 'A3', 'M1', 'M2'],
    closed_elsewhere: ['districtA1', 'G'],
    other_province: ['provinceB', 'districtG', 'B1'],
  },
};

/** RELATIONS[caller][place], built from the lists above (each place listed exactly once). */
export const RELATIONS: Record<Caller, Record<Place, Relation>> = Object.fromEntries(
  Object.entries(RELATION_LISTS).map(([caller, lists]) => {
    const map = {} as Record<Place, Relation>;
    for (const [relation, places] of Object.entries(lists) as [Relation, Place[]][]) {
      for (const place of places) {
        if (map[place]) throw new Error(`access policy: ${caller} lists ${place} twice`);
        map[place] = relation;
      }
    }
    const missing = PLACES.filter((p) => !map[p]);
    if (missing.length) throw new Error(`access policy: ${caller} does not say what ${missing.join(', ')} is to it`);
    return [caller, map];
  }),
) as Record<Caller, Record<Place, Relation>>;

/** Students of school A1 and what they are to the accounts whose view of them is finer. */
export type A1Student = 'An' | 'Binh' | 'Cuong';
export const STUDENT_RELATIONS: Partial<Record<Caller, Record<A1Student, Relation>>> = {
  // Lê Thị Hoa: homeroom teacher of 6A1 (An, Bình), teaches Ngữ văn there.
  homeroomA1: { An: 'own_class', Binh: 'own_class', Cuong: 'other_class' },
  // Phạm Minh Đức: teaches Toán in 6A2 (Cường) only.
  mathA1: { An: 'other_class', Binh: 'other_class', Cuong: 'own_class' },
  parentA: { An: 'own_child', Binh: 'other_child', Cuong: 'other_child' },
  parentC: { An: 'other_child', Binh: 'other_child', Cuong: 'own_child' },
  studentAn: { An: 'self', Binh: 'other_student', Cuong: 'other_student' },
};

export type Outcome = 'allow' | 'closed' | 'deny';
export type Policy = Partial<Record<Role, Partial<Record<Relation, Outcome>>>>;

const OFFICE_READS: Partial<Record<Relation, Outcome>> = {
  own_unit: 'allow',
  below: 'allow',
  moved_in: 'allow',
  moves_out_later: 'allow',
  closed_below: 'allow',
};
const ADMIN_READS = OFFICE_READS;
/** The system administrator changes anything open; a closed unit answers 409. */
const ADMIN_WRITES: Partial<Record<Relation, Outcome>> = {
  own_unit: 'allow',
  below: 'allow',
  closed_below: 'closed',
};
const OWN_SCHOOL = { own_unit: 'allow' } as const;

export const POLICIES = {
  /** Read a school's records and lists (students, classes, assignments, subjects, years, dashboard). Teachers see their own classes' students only (data rule). */
  schoolRead: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: OWN_SCHOOL,
    subject_teacher: OWN_SCHOOL,
  },
  /** Staff personal data (dates of birth, phones, contracts): managers and offices, not teachers. */
  staffPersonal: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
  },
  /** The school's own workbench (import jobs): managers only, offices do not import for a school. */
  schoolManage: {
    system_admin: ADMIN_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
  },
  /** Change a school's records. */
  schoolWrite: {
    system_admin: ADMIN_WRITES,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
  },
  /** One student's profile (and consent status): teachers their classes, parents their child, a student themself. */
  studentRead: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: { own_class: 'allow' },
    subject_teacher: { own_class: 'allow' },
    parent: { own_child: 'allow' },
    student: { self: 'allow' },
  },
  /** Record consent: staff on paper, a parent for their child, a student for themself. */
  consentWrite: {
    system_admin: ADMIN_WRITES,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    parent: { own_child: 'allow' },
    student: { self: 'allow' },
  },
  /** A copy of one student's personal data: the school's head and the child's parent. */
  personalData: {
    system_admin: ADMIN_READS,
    principal: OWN_SCHOOL,
    parent: { own_child: 'allow' },
  },
  /** Who viewed a record; anonymisation candidates: the school's head. */
  privacyOfficerRead: { system_admin: ADMIN_READS, principal: OWN_SCHOOL },
  privacyOfficerWrite: { system_admin: ADMIN_WRITES, principal: OWN_SCHOOL },
  /** An org unit's card and history. */
  unitRead: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: OWN_SCHOOL,
    subject_teacher: OWN_SCHOOL,
  },
  /** Schools below a unit, with counts. */
  unitSchools: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
  },
  /** Move, rename, close, merge a unit: the Sở reshapes what is below it, never itself. */
  unitReshape: {
    system_admin: { below: 'allow', closed_below: 'closed' },
    province_officer: { below: 'allow', closed_below: 'closed' },
  },
  /** Create a unit under a parent: the Sở under itself and below. */
  unitCreate: {
    system_admin: ADMIN_WRITES,
    province_officer: { own_unit: 'allow', below: 'allow', closed_below: 'closed' },
  },
  /** Accounts with roles at a unit, and the audit log of a unit: managers of it. */
  unitAdminRead: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
  },
  /** Create an account with a role at a place: a role below one's own (a peer is refused). */
  userCreate: {
    system_admin: ADMIN_WRITES,
    province_officer: { below: 'allow', moved_in: 'allow', moves_out_later: 'allow', closed_below: 'closed' },
    district_officer: { below: 'allow', moved_in: 'allow', moves_out_later: 'allow', closed_below: 'closed' },
    principal: OWN_SCHOOL,
  },
  /**
   * Manage an existing account (grants, password reset, unlock) whose role is at a place. Accounts
   * of a closed unit stay manageable by those above it: their people move to other units.
   */
  userManage: {
    system_admin: { own_unit: 'allow', below: 'allow', closed_below: 'allow' },
    province_officer: { below: 'allow', moved_in: 'allow', moves_out_later: 'allow', closed_below: 'allow' },
    district_officer: { below: 'allow', moved_in: 'allow', moves_out_later: 'allow', closed_below: 'allow' },
    principal: OWN_SCHOOL,
  },
  /** A school's transfers (in and out): its managers and the offices above it. */
  transferList: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
  },
  /** Schools a transfer letter can go to: the school's managers. */
  transferDestinations: { system_admin: ADMIN_READS, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL },
  /** Ask for a learner, issue a transfer letter, withdraw one's own: the school's managers. */
  transferStart: { system_admin: ADMIN_WRITES, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL },
  /**
   * Approve or decline a request for one of the school's learners: the sending school's managers;
   * once the school is closed, the offices above it on its last day decide in its place. Never the
   * offices of an open school, never the operator: the decision belongs to the schools.
   */
  transferDecide: {
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    province_officer: { closed_below: 'allow' },
    district_officer: { closed_below: 'allow' },
  },
  /** Accept a transfer letter into a class: the receiving school's managers. */
  transferAccept: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL },
  /** Transfers of the schools below an office. */
  officeTransfers: { system_admin: ADMIN_READS, province_officer: OFFICE_READS, district_officer: OFFICE_READS },
  /**
   * A class's gradebook and one subject's grid: the school's managers; the homeroom teacher their
   * class (every subject, read-only); a subject teacher the class × subject they teach (the matrix
   * asks for Toán, the subject mathA1 teaches in 6A2). Not the offices (they read results, not
   * grids), not the operator, not families (they see what is published, later).
   */
  gradebookRead: {
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: { own_class: 'allow' },
    subject_teacher: { own_class: 'allow' },
  },
  /** Enter marks (in the grid or from its .xlsx), submit or withdraw a grid: the teacher assigned to the class × subject × term only. */
  gradebookEnter: { subject_teacher: { own_class: 'allow' } },
  /** Record absences: the homeroom teacher for their class, the school's managers for any. */
  attendanceWrite: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Call the roll of a lesson (điểm danh theo tiết): the subject's teacher in their class (Toán, as the matrix asks), the school's managers for any. */
  lessonRollWrite: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, subject_teacher: { own_class: 'allow' } },
  /** Turn attendance per lesson on or off for a school year: the principal. */
  lessonAttendanceSwitch: { principal: OWN_SCHOOL },
  /** Rate training (rèn luyện): the homeroom teacher for their class, the principal for any. */
  trainingWrite: { principal: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /**
   * A primary class's ratings of qualities and competencies at a checkpoint (TT27): the school's
   * managers, the class's homeroom teacher and the offices above, as its results. Not its subject
   * teachers (the ratings are the homeroom teacher's), not families.
   */
  qualitiesRead: { province_officer: OFFICE_READS, district_officer: OFFICE_READS, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Rate them: the homeroom teacher for their class, the principal for any (as training ratings). */
  qualitiesWrite: { principal: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Lock or unlock a checkpoint's ratings: the principal. */
  qualitiesLock: { principal: OWN_SCHOOL },
  /**
   * A primary class's Học sinh Tiêu biểu and ad-hoc awards (TT27 Điều 13), proposed and recorded:
   * read as its results (the school's managers, its homeroom teacher, the offices above). Not its
   * subject teachers, not families (they see a recorded award with the published year result).
   */
  primaryAwardsRead: { province_officer: OFFICE_READS, district_officer: OFFICE_READS, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Propose one (the homeroom teacher, their class) or record it (the principal, any class of the school); withdraw or remove likewise. */
  primaryAwardWrite: { principal: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /**
   * A class's term and year results, its lists and its summary workbook (sổ theo dõi và đánh giá):
   * the school's managers, the homeroom teacher, and the offices for the schools below them (issue
   * 10: "office: read results of its subtree"; a closed school's history too). Not the operator.
   */
  resultsRead: { province_officer: OFFICE_READS, district_officer: OFFICE_READS, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Close a term or the year (compute every result of the school): the principal. */
  resultsClose: { principal: OWN_SCHOOL },
  /** Publish a grid's columns to families: the subject's teacher (Toán, as the matrix asks) or the principal. */
  gradebookPublish: { principal: OWN_SCHOOL, subject_teacher: { own_class: 'allow' } },
  /** Publish a class's closed results to families: its homeroom teacher or the principal. */
  resultsPublish: { principal: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** A student's học bạ (PDF): the school's managers and the class's homeroom teacher. */
  hocBaRead: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Sign a học bạ with the school's certificate: the principal. */
  hocBaSign: { principal: OWN_SCHOOL },
  /** Print the học bạ of a class as a job: the school's managers and the class's homeroom teacher. */
  hocBaBatch: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /**
   * Close a period for every school below a unit, as a job: the offices and the operator, for
   * their unit and what is below it; a closed unit's history is not recomputed.
   */
  unitClose: {
    system_admin: ADMIN_WRITES,
    province_officer: { own_unit: 'allow', below: 'allow', moved_in: 'allow', moves_out_later: 'allow', closed_below: 'closed' },
    district_officer: { own_unit: 'allow', below: 'allow', moved_in: 'allow', moves_out_later: 'allow', closed_below: 'closed' },
  },
  /**
   * Follow a school's học bạ batch (the matrix's jobs are whole-school batches) and download its
   * books: the school's managers only, as the books themselves — not the offices, who do not read a
   * học bạ, nor the operator, whoever queued it. (An office's close is followed by the offices:
   * gradebook-jobs.test.ts.)
   */
  jobRead: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL },
  /** A class's exemptions (miễn học, Điều 11): the school's managers, the class's homeroom teacher, the offices above (they read results). */
  exemptionRead: { province_officer: OFFICE_READS, district_officer: OFFICE_READS, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Record or lift an exemption: the principal decides (the homeroom teacher proposes, off the system). */
  exemptionWrite: { principal: OWN_SCHOOL },
  /**
   * A class's summer lists with the re-test marks and re-rated training: the school's managers, the
   * homeroom teacher, a subject teacher of the class (their subjects' re-tests only: the matrix's
   * student re-tests in Toán, which mathA1 teaches in 6A2), the offices above (they read results).
   * Not families.
   */
  summerRead: { province_officer: OFFICE_READS, district_officer: OFFICE_READS, principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' }, subject_teacher: { own_class: 'allow' } },
  /** Enter a summer re-test mark: the teacher of that class × subject (Toán here) or the principal. */
  summerRetestWrite: { principal: OWN_SCHOOL, subject_teacher: { own_class: 'allow' } },
  /** Re-rate training after summer training: the homeroom teacher for their class, the principal for any. */
  summerTrainingWrite: { principal: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** Lock or unlock the school's summer entries of a year, and classify the year again after the summer: the principal. */
  summerDecide: { principal: OWN_SCHOOL },
  /** A school's preschool indicator set: everyone who works in the school or oversees it reads it. */
  preschoolSetRead: {
    system_admin: ADMIN_READS,
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: OWN_SCHOOL,
    subject_teacher: OWN_SCHOOL,
  },
  /** Edit it: the school's managers. Not the teachers, not the offices. */
  preschoolSetWrite: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL },
  /**
   * A preschool class's development evaluation and measurements: the school's managers, the class
   * teacher (homeroom) for their class, and the offices above the school, read only. Not other
   * teachers, not families (they read their own child's, below), not the operator (children's
   * records, as a class's results).
   */
  preschoolRead: {
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: { own_class: 'allow' },
  },
  /** Record them: the class teacher for their class, the school's managers for any. */
  preschoolWrite: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /** One child's evaluation and measurements: the parent of the child, and the school (managers, the class teacher) seeing what the family sees. */
  preschoolFamily: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' }, parent: { own_child: 'allow' } },
  /** One student's published marks, results and attendance: the family (own child, oneself) and the school's view of it. */
  familyResults: {
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: { own_class: 'allow' },
    parent: { own_child: 'allow' },
    student: { self: 'allow' },
  },
  /**
   * Results of years before TT22 (Thông tư 58/2011) brought in from old records, and their file
   * template: the school's office (principal, school staff) only — not the operator, not the
   * offices above, not teachers.
   */
  legacyImport: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL },
  /**
   * One student's imported TT58 years, recomputed: as familyResults (the family — own child,
   * oneself — the school's managers and the student's homeroom teacher) and, as every result,
   * the offices above.
   */
  legacyResultsRead: {
    province_officer: OFFICE_READS,
    district_officer: OFFICE_READS,
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: { own_class: 'allow' },
    parent: { own_child: 'allow' },
    student: { self: 'allow' },
  },
  /**
   * Linking families (issue 11): a class's activation list (who has activated, the codes printed)
   * and printing or reprinting its sheet of codes: the school's managers for any class, the
   * homeroom teacher for their own class. Not subject teachers, not the offices (they see counts
   * per school on their dashboard), not the operator, not families (the family's own activation is
   * public and tested in activation.test.ts).
   */
  activationSchool: { principal: OWN_SCHOOL, school_staff: OWN_SCHOOL, homeroom_teacher: { own_class: 'allow' } },
  /**
   * Announcements (thông báo) of a unit: write, send, schedule, cancel, read receipts, remind,
   * attachments. A school's principal and its office staff (school_staff write the school's notices
   * for the principal, as they keep its records); its homeroom teachers for their own class's
   * families only (the service refuses another class: announcements.test.ts), and they see only
   * their own. An office: its own officers, from their own unit only — not an office above it
   * (the province does not write in a commune's name), not a closed unit. Not subject teachers, not
   * the operator, not families.
   */
  announcementSend: {
    province_officer: { own_unit: 'allow' },
    district_officer: { own_unit: 'allow' },
    principal: OWN_SCHOOL,
    school_staff: OWN_SCHOOL,
    homeroom_teacher: OWN_SCHOOL,
  },
  /** What reached a child's family, opened (a read receipt) and its files downloaded: the family only (a guardian of the child, the student). */
  familyAnnouncements: { parent: { own_child: 'allow' }, student: { self: 'allow' } },
  /**
   * The contact book (issue 11): a child's messages and leave requests as the family writes them —
   * the child's parent only (not the student's own account, not the school: the teachers answer
   * from their own lists).
   */
  familyContact: { parent: { own_child: 'allow' } },
  /** A teacher's own things in their school: the threads of their classes' families, their quiet hours. */
  teacherContact: { homeroom_teacher: OWN_SCHOOL, subject_teacher: OWN_SCHOOL },
  /** One thread with a child's family: the class's homeroom teacher, or the subject teacher it is with (the class they teach). Never the principal. */
  threadTeacher: { homeroom_teacher: { own_class: 'allow' }, subject_teacher: { own_class: 'allow' } },
  /** Report a message of the other side: the child's parent, the thread's teacher. */
  messageReport: { parent: { own_child: 'allow' }, homeroom_teacher: { own_class: 'allow' }, subject_teacher: { own_class: 'allow' } },
  /** The school's reported messages and its contact-book setting: the principal. */
  contactPrincipal: { principal: OWN_SCHOOL },
  /** The leave requests of a homeroom teacher's classes. */
  leaveList: { homeroom_teacher: OWN_SCHOOL },
  /** Approve or decline a leave request: the homeroom teacher of the child's class. */
  leaveDecide: { homeroom_teacher: { own_class: 'allow' } },
  /**
   * Routes about the caller only (me, reference lists, templates; the contact book's own inbox,
   * notice settings, push subscriptions and the failures of what the caller sent): every signed-in
   * account, and only its own rows (the matrix's entries check another person's are absent).
   */
  signedIn: 'every signed-in caller',
  /** The org tree as the caller may see it (what it holds is checked per caller). */
  tree: {
    system_admin: { own_unit: 'allow' },
    province_officer: { own_unit: 'allow' },
    district_officer: { own_unit: 'allow', own_unit_closed: 'allow' },
    principal: { own_unit: 'allow', own_unit_closed: 'allow' },
    school_staff: { own_unit: 'allow' },
    homeroom_teacher: { own_unit: 'allow' },
    subject_teacher: { own_unit: 'allow' },
  },
} as const satisfies Record<string, Policy | 'every signed-in caller'>;

export type PolicyName = keyof typeof POLICIES;

/** The expected outcome of `caller` acting under `policy` on a target with `relation` to it. */
export function expectedOutcome(policy: PolicyName, caller: Caller | 'anonymous', relation: Relation | null): Outcome {
  if (caller === 'anonymous') return 'deny';
  const p = POLICIES[policy];
  if (p === 'every signed-in caller') return 'allow';
  if (relation === null) throw new Error(`policy ${policy} needs a target`);
  const byRelation = (p as Policy)[ROLE[caller]];
  return byRelation?.[relation] ?? 'deny';
}

/** What a caller must see in the org tree today: exactly these schools (the tree check). */
export const TREE_SCHOOLS: Record<Caller, Place[]> = {
  admin: ['A1', 'A2', 'A3', 'M1', 'M2', 'B1'],
  soA: ['A1', 'A2', 'A3', 'M1', 'M2'],
  soB: ['B1'],
  communeA: ['A1', 'A2', 'M1', 'M2'],
  communeA2: ['A3'],
  districtA1: [],
  principalA1: ['A1'],
  staffA1: ['A1'],
  homeroomA1: ['A1'],
  mathA1: ['A1'],
  parentA: [],
  parentC: [],
  studentAn: [],
  principalB1: ['B1'],
  principalA3: ['A3'],
  principalA4: [],
};
