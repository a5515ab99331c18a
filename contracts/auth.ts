import { z } from 'zod';
import { ZRole } from './common.js';

export const ZLoginRequest = z.object({
  username: z.string().trim().min(1, 'Hãy nhập tên đăng nhập.').max(100),
  password: z.string().min(1, 'Hãy nhập mật khẩu.').max(200),
});
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZRoleGrant = z.object({
  role: ZRole,
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  orgUnitKind: z.string(),
});

export const ZMe = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  csrfToken: z.string(),
  mustChangePassword: z.boolean(),
  grants: z.array(ZRoleGrant),
  staff: z.object({ schoolId: z.string(), staffId: z.string() }).nullable(),
  children: z.array(z.object({ schoolId: z.string(), studentId: z.string(), fullName: z.string() })),
});
export type TMe = z.infer<typeof ZMe>;

export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
