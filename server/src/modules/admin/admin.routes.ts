import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ZAddGrant, ZAuditPage, ZAuditQuery, ZCreateUser, ZResetPassword, ZUser, ZUserListQuery } from '../../../../contracts/admin.js';
import { ZOk, idParams } from '../../../../contracts/common.js';
import type { Database } from '../../db/schema.js';
import { UUID_RE } from '../../platform/ids.js';
import type { Permission } from '../../platform/permissions.js';
import { requireActor } from '../../platform/request-context.js';
import { sendXlsx } from '../../platform/xlsx-export.js';
import { auditExport, auditPage } from './admin-audit.service.js';
import { USER_MANAGER_ROLES, addGrant, createUser, listUsers, removeGrant, resetPassword, unitOfAccount, unlockUser } from './admin.service.js';

const tags = ['admin'];

const uuidOrNull = (v: unknown) => (typeof v === 'string' && UUID_RE.test(v) ? v : null);

/** The unit named in the query string (?unitId=). */
const byQueryUnit: Permission = {
  access: 'resolve',
  roles: USER_MANAGER_ROLES,
  resolveUnit: async (req) => uuidOrNull((req.query as { unitId?: unknown } | undefined)?.unitId),
};

/**
 * An account is reached through the units it has roles on. The hook checks the first one; the
 * service then requires authority over every one of them.
 */
const byTargetUser: Permission = {
  access: 'resolve',
  roles: USER_MANAGER_ROLES,
  // The people of a closed school or office move on: those above it still manage their accounts.
  allowOnClosedUnit: true,
  resolveUnit: async (req: FastifyRequest, db: Kysely<Database>) => {
    const userId = uuidOrNull((req.params as { userId?: unknown } | undefined)?.userId);
    return userId ? unitOfAccount(db, userId) : null;
  },
};

const userParams = idParams('userId');

/** Accounts, role grants and the audit log, for system administrators, offices and principals. */
export async function adminRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/users',
    {
      config: { permission: byQueryUnit },
      schema: { tags, summary: 'Tài khoản có vai trò tại đơn vị và các đơn vị trực thuộc', querystring: ZUserListQuery, response: { 200: z.array(ZUser) } },
    },
    async (req) => listUsers(app.db, req.query),
  );

  app.post(
    '/users',
    {
      config: {
        permission: {
          access: 'resolve',
          roles: USER_MANAGER_ROLES,
          // Creating an account needs authority over the unit it gets its role on.
          resolveUnit: async (req) => uuidOrNull((req.body as { orgUnitId?: unknown } | undefined)?.orgUnitId),
        },
      },
      schema: { tags, summary: 'Tạo tài khoản với một vai trò tại một đơn vị', body: ZCreateUser, response: { 200: ZUser } },
    },
    async (req) => createUser(app.db, requireActor(req), req.scope.roles, req.body),
  );

  app.post(
    '/users/:userId/grants',
    {
      config: { permission: byTargetUser },
      schema: { tags, summary: 'Cấp thêm vai trò cho tài khoản', params: userParams, body: ZAddGrant, response: { 200: ZUser } },
    },
    async (req) => addGrant(app.db, requireActor(req), req.params.userId, req.body),
  );

  app.delete(
    '/users/:userId/grants/:grantId',
    {
      config: { permission: byTargetUser },
      schema: { tags, summary: 'Thu hồi một vai trò của tài khoản', params: idParams('userId', 'grantId'), response: { 200: ZUser } },
    },
    async (req) => removeGrant(app.db, requireActor(req), req.params.userId, req.params.grantId),
  );

  app.post(
    '/users/:userId/reset-password',
    {
      config: { permission: byTargetUser },
      schema: {
        tags,
        summary: 'Đặt lại mật khẩu (buộc đổi khi đăng nhập, đăng xuất mọi phiên)',
        params: userParams,
        body: ZResetPassword,
        response: { 200: ZOk },
      },
    },
    async (req) => resetPassword(app.db, requireActor(req), req.params.userId, req.body.newPassword),
  );

  app.post(
    '/users/:userId/unlock',
    {
      config: { permission: byTargetUser },
      schema: { tags, summary: 'Mở khóa tài khoản bị khóa do nhập sai mật khẩu', params: userParams, response: { 200: ZOk } },
    },
    async (req) => unlockUser(app.db, requireActor(req), req.params.userId),
  );

  app.get(
    '/audit',
    {
      config: { permission: byQueryUnit },
      schema: { tags, summary: 'Nhật ký hệ thống của đơn vị và các đơn vị trực thuộc', querystring: ZAuditQuery, response: { 200: ZAuditPage } },
    },
    async (req) => auditPage(app.db, { ...req.query, includeUnitless: req.scope.roles.has('system_admin') }),
  );

  app.get(
    '/audit/export.xlsx',
    {
      config: { permission: byQueryUnit },
      schema: { tags, summary: 'Xuất nhật ký hệ thống (Excel)', querystring: ZAuditQuery },
    },
    async (req, reply) => {
      const file = await auditExport(app.db, { ...req.query, includeUnitless: req.scope.roles.has('system_admin') });
      return sendXlsx(reply, file.fileName, file.body);
    },
  );
}
