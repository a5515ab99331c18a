import type { Role } from '../../../contracts/roles.js';

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

// The role groups live in contracts/roles.ts: the web app gates its pages with the same names.
export {
  OFFICE_ROLES,
  SCHOOL_MANAGER_ROLES,
  SCHOOL_READ_ROLES,
  SCHOOL_WRITE_ROLES,
  STAFF_PERSONAL_READ_ROLES,
  TEACHER_ROLES,
  TRANSFER_LIST_ROLES,
} from '../../../contracts/roles.js';
