import { z } from 'zod';
import { ZIsoDate, ZRole, ZUuid } from './common.js';

export const ZUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isActive: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  grants: z.array(z.object({ id: z.string(), role: ZRole, orgUnitId: z.string(), orgUnitName: z.string() })),
  mustChangePassword: z.boolean().optional(),
  /** The account also has roles on units outside the listed unit (not shown; managed from above). */
  hasGrantsElsewhere: z.boolean().optional(),
});
export type TUser = z.infer<typeof ZUser>;
export const ZUserListQuery = z.object({ unitId: ZUuid, q: z.string().max(100).optional() });
export const ZCreateUser = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{3,40}$/, 'Tên đăng nhập gồm 3–40 ký tự a-z, số, dấu chấm, gạch.'),
  displayName: z.string().trim().min(2, 'Hãy nhập tên hiển thị (ít nhất 2 ký tự).').max(120),
  password: z.string().min(8, 'Mật khẩu phải có ít nhất 8 ký tự.').max(128, 'Mật khẩu không được dài quá 128 ký tự.'),
  role: ZRole,
  orgUnitId: ZUuid,
  staffId: ZUuid.optional(),
  studentId: ZUuid.optional(),
});
export const ZAddGrant = z.object({ role: ZRole, orgUnitId: ZUuid });
export const ZResetPassword = z.object({
  newPassword: z.string().min(8, 'Mật khẩu phải có ít nhất 8 ký tự.').max(128, 'Mật khẩu không được dài quá 128 ký tự.'),
});

export const ZAuditQuery = z.object({
  unitId: ZUuid,
  userId: ZUuid.optional(),
  entity: z.string().max(40).optional(),
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  orgUnitId: z.string().nullable(),
  orgUnitName: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  /** What a person reads (server/src/modules/admin/audit-presenter.ts): no ids, codes, column names or JSON. */
  view: z.object({
    when: z.string(),
    who: z.string(),
    action: z.string(),
    target: z.string(),
    unit: z.string().nullable(),
    changes: z.array(z.object({ label: z.string(), before: z.string().nullable(), after: z.string().nullable(), text: z.string() })),
  }),
});
export const ZAuditPage = z.object({ total: z.number(), items: z.array(ZAuditEntry) });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZCodeListItem = z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable() });
