import type { Role } from '../db/schema.js';

export type RoleGrant = { role: Role; orgUnitId: string };

/** The signed-in user as the server sees them for one request. */
export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  grants: RoleGrant[];
  staff: { schoolId: string; staffId: string } | null;
  student: { schoolId: string; studentId: string } | null;
  csrfToken: string;
  mustChangePassword: boolean;
  /** Org-tree change counter read with the session: access checks cache ancestors by it. */
  treeVersion: number;
};

export const ALL_ROLES: Role[] = [
  'system_admin',
  'province_officer',
  'district_officer',
  'principal',
  'homeroom_teacher',
  'subject_teacher',
  'school_staff',
  'parent',
  'student',
];

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
/** Who may change a school's records. */
export const SCHOOL_WRITE_ROLES: Role[] = ['system_admin', 'principal', 'school_staff'];
