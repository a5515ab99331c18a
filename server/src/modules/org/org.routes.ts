import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZOk, idParams } from '../../../../contracts/common.js';
import {
  ZCloseOrgUnit,
  ZCreateOrgUnit,
  ZMergeOrgUnit,
  ZMergeOrgUnitResult,
  ZMoveOrgUnit,
  ZOrgTree,
  ZOrgTreeQuery,
  ZOrgUnit,
  ZOrgUnitDetail,
  ZRenameOrgUnit,
  ZUnitSchools,
  ZUnitSchoolsQuery,
} from '../../../../contracts/org.js';
import { isoToday } from '../../../../domain/index.js';
import { OFFICE_ROLES, SCHOOL_READ_ROLES } from '../../platform/actor.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import {
  TREE_ADMIN_ROLES,
  closeUnit,
  createUnit,
  mergeUnit,
  moveUnit,
  renameUnit,
  schoolsUnder,
  unitDetail,
  visibleTree,
} from './org.service.js';

const unitParams = idParams('unitId');
const tags = ['org'];
// Moving, renaming, closing and merging a unit is for the offices above it, never the unit's own officers.
const reshape = { access: 'unit', roles: TREE_ADMIN_ROLES, param: 'unitId', strictlyBelow: true } as const;

export async function orgRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/org-units/tree',
    {
      config: { permission: { access: 'global', roles: SCHOOL_READ_ROLES } },
      schema: { tags, summary: 'Cây đơn vị (theo ngày)', querystring: ZOrgTreeQuery, response: { 200: ZOrgTree } },
    },
    async (req) => {
      const asOf = req.query.asOf ?? isoToday();
      return { asOf, units: await visibleTree(app.db, requireActor(req), asOf) };
    },
  );

  app.get(
    '/org-units/:unitId',
    {
      config: { permission: { access: 'unit', roles: SCHOOL_READ_ROLES, param: 'unitId' } },
      schema: { tags, summary: 'Chi tiết và lịch sử đơn vị', params: unitParams, querystring: ZOrgTreeQuery, response: { 200: ZOrgUnitDetail } },
    },
    async (req) => unitDetail(app.db, scopedUnit(req), req.query.asOf ?? isoToday()),
  );

  app.get(
    '/org-units/:unitId/schools',
    {
      config: { permission: { access: 'unit', roles: [...OFFICE_ROLES, 'principal', 'school_staff'], param: 'unitId' } },
      schema: { tags, summary: 'Các trường trực thuộc (theo ngày) và sĩ số', params: unitParams, querystring: ZUnitSchoolsQuery, response: { 200: ZUnitSchools } },
    },
    async (req) => schoolsUnder(app.db, scopedUnit(req), req.query.asOf ?? isoToday()),
  );

  app.post(
    '/org-units',
    {
      config: {
        permission: {
          access: 'resolve',
          roles: TREE_ADMIN_ROLES,
          // Creating a unit needs authority over its future parent.
          resolveUnit: async (req) => {
            const body = req.body as { parentId?: unknown } | undefined;
            return typeof body?.parentId === 'string' ? body.parentId : null;
          },
        },
      },
      schema: { tags, summary: 'Thêm đơn vị', body: ZCreateOrgUnit, response: { 200: ZOrgUnit } },
    },
    async (req) => createUnit(app.db, requireActor(req), req.body),
  );

  app.post(
    '/org-units/:unitId/move',
    {
      config: { permission: reshape },
      schema: { tags, summary: 'Chuyển đơn vị sang đơn vị quản lý khác từ một ngày', params: unitParams, body: ZMoveOrgUnit, response: { 200: ZOrgUnit } },
    },
    async (req) => moveUnit(app.db, requireActor(req), scopedUnit(req), req.body),
  );

  app.post(
    '/org-units/:unitId/rename',
    {
      config: { permission: reshape },
      schema: { tags, summary: 'Đổi tên đơn vị từ một ngày', params: unitParams, body: ZRenameOrgUnit, response: { 200: ZOrgUnit } },
    },
    async (req) => renameUnit(app.db, requireActor(req), scopedUnit(req), req.body),
  );

  app.post(
    '/org-units/:unitId/close',
    {
      config: { permission: reshape },
      schema: { tags, summary: 'Đóng (giải thể) đơn vị từ một ngày', params: unitParams, body: ZCloseOrgUnit, response: { 200: ZOk } },
    },
    async (req) => closeUnit(app.db, requireActor(req), scopedUnit(req), req.body),
  );

  app.post(
    '/org-units/:unitId/merge',
    {
      config: { permission: reshape },
      schema: {
        tags,
        summary: 'Sáp nhập: chuyển mọi đơn vị trực thuộc sang đơn vị khác và đóng đơn vị này',
        params: unitParams,
        body: ZMergeOrgUnit,
        response: { 200: ZMergeOrgUnitResult },
      },
    },
    async (req) => mergeUnit(app.db, requireActor(req), scopedUnit(req), req.body),
  );
}
