// Who may use what, by role: the role groups the server's route permissions declare
// (server/src/platform/permissions.ts) and the web app's route table gates its pages with
// (web/src/route-access.tsx), so a menu entry, a page and the API it calls cannot disagree.
// Plain constants, no zod: the web bundle imports them at run time.

/** Every role an account may be granted: the one list (ZRole, the database's Role type and its check constraint agree with it). */
export const ROLES = [
  'system_admin',
  'province_officer',
  'district_officer',
  'principal',
  'homeroom_teacher',
  'subject_teacher',
  'school_staff',
  'parent',
  'student',
] as const;
export type Role = (typeof ROLES)[number];

/** Office roles see every school below their unit. */
export const OFFICE_ROLES: Role[] = ['system_admin', 'province_officer', 'district_officer'];
/** People who run a school: full read of its records. */
export const SCHOOL_MANAGER_ROLES: Role[] = ['system_admin', 'principal', 'school_staff'];
export const TEACHER_ROLES: Role[] = ['homeroom_teacher', 'subject_teacher'];
/** Everyone who may read a school's records (teachers limited to their classes by the service). */
export const SCHOOL_READ_ROLES: Role[] = [...OFFICE_ROLES, 'principal', 'school_staff', ...TEACHER_ROLES];
/**
 * Who may read the personal record of a school's staff (date of birth, phone, e-mail, citizen
 * id, contract, ethnicity): the people who run the school and the offices above it. Teachers
 * read the staff directory instead (name, position, subjects, the contact the school publishes).
 */
export const STAFF_PERSONAL_READ_ROLES: Role[] = [...OFFICE_ROLES, 'principal', 'school_staff'];
/** Who may change a school's records (and import them from Excel). */
export const SCHOOL_WRITE_ROLES: Role[] = ['system_admin', 'principal', 'school_staff'];
/** Who follows a school's transfers: the school's managers ask and release, offices oversee and decide for closed schools. */
export const TRANSFER_LIST_ROLES: Role[] = [...OFFICE_ROLES, 'principal', 'school_staff'];
/** Who manages accounts, role grants and reads the audit log of their unit and the units below. */
export const USER_MANAGER_ROLES: Role[] = ['system_admin', 'province_officer', 'district_officer', 'principal'];
/** Who answers for personal data in a school: data exports, access logs, anonymisation (ND 13/2023). */
export const PRIVACY_OFFICER_ROLES: Role[] = ['system_admin', 'principal'];
/** A family's own accounts: a parent sees their children, a student themself. */
export const FAMILY_ROLES: Role[] = ['parent', 'student'];
/**
 * Who reaches the gradebook: the school's managers read it, teachers their classes (the subject's
 * teacher enters, the homeroom teacher reviews, the principal locks — the server decides per grid).
 */
export const GRADEBOOK_ROLES: Role[] = ['principal', 'school_staff', 'homeroom_teacher', 'subject_teacher'];
/** Who reads a class's results (its lists, exemptions, summer, summary workbook): the gradebook's people and the offices above the school (not the operator). */
export const RESULTS_READ_ROLES: Role[] = [...GRADEBOOK_ROLES, 'province_officer', 'district_officer'];
/** Who prints a class's activation codes and sees who has activated (linking families): the school's managers, and a homeroom teacher for their own class (the service decides). */
export const ACTIVATION_SCHOOL_ROLES: Role[] = ['principal', 'school_staff', 'homeroom_teacher'];
/**
 * Who writes announcements (thông báo): a school's principal and office staff, its homeroom
 * teachers (their class), an office's officers (from their own unit). Not the operator.
 */
export const ANNOUNCEMENT_SENDER_ROLES: Role[] = ['principal', 'school_staff', 'homeroom_teacher', 'province_officer', 'district_officer'];
