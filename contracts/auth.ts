import { z } from 'zod';
import { ZRole, ZSchoolLevel } from './common.js';

export const ZLoginRequest = z.object({
  username: z.string().trim().min(1, 'Hãy nhập tên đăng nhập.').max(100),
  password: z.string().min(1, 'Hãy nhập mật khẩu.').max(200),
});

const ZRoleGrant = z.object({
  role: ZRole,
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  orgUnitKind: z.string(),
  /** A school's levels: those its record declares and those of the grades it has classes of (empty for an office). The menu shows a school the pages of its levels. */
  schoolLevels: z.array(ZSchoolLevel),
});

export const ZMe = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  csrfToken: z.string(),
  mustChangePassword: z.boolean(),
  grants: z.array(ZRoleGrant),
  staff: z.object({ schoolId: z.string(), staffId: z.string() }).nullable(),
  /**
   * The records this account reads in "Con của tôi": a guardian's children, and a student
   * account's own record (`self: true`, read only; never another student's).
   */
  children: z.array(z.object({ schoolId: z.string(), studentId: z.string(), fullName: z.string(), self: z.boolean() })),
});
export type TMe = z.infer<typeof ZMe>;

/**
 * Whether the browser holds a session, asked by the web app when it starts: being signed out is an
 * ordinary answer here (200), not an error the browser logs, unlike `GET /auth/me` (401).
 */
export const ZSessionState = z.object({ signedIn: z.boolean(), me: ZMe.nullable() });

export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
