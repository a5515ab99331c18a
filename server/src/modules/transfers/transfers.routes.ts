import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../../contracts/common.js';
import {
  ZAcceptTransfer,
  ZCancelTransfer,
  ZDeclineTransfer,
  ZDestinationList,
  ZDestinationQuery,
  ZIssueTransfer,
  ZRequestTransfer,
  ZTransferItem,
  ZTransferList,
  ZTransferListQuery,
} from '../../../../contracts/transfers.js';
import type { Role } from '../../db/schema.js';
import { OFFICE_ROLES, TRANSFER_LIST_ROLES } from '../../platform/actor.js';
import { withRetryAfter } from '../../platform/errors.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import {
  type Caller,
  acceptTransfer,
  approveTransfer,
  cancelTransfer,
  declineTransfer,
  issueTransfer,
  listOfficeTransfers,
  listSchoolTransfers,
  requestTransfer,
  searchDestinations,
} from './transfers.service.js';

const tags = ['transfers'];
const schoolParams = idParams('schoolId');
const transferParams = idParams('schoolId', 'transferId');
const unitParams = idParams('unitId');

/** The people who run a school: they ask, issue and cancel (system_admin as on every other change to a school). */
const SCHOOL_ACTORS: Role[] = ['system_admin', 'principal', 'school_staff'];
/**
 * Who may call the approve/decline routes. The service narrows it: while the school is open only
 * its principal/school_staff decide; once it is closed (the hook then leaves only the offices above
 * it on its last day) those offices decide in its place. Hence `allowOnClosedUnit`.
 */
const DECIDERS: Role[] = ['principal', 'school_staff', 'province_officer', 'district_officer'];

const list = { access: 'unit', roles: TRANSFER_LIST_ROLES, param: 'schoolId' } as const;
const act = { access: 'unit', roles: SCHOOL_ACTORS, param: 'schoolId' } as const;
const decide = { access: 'unit', roles: DECIDERS, param: 'schoolId', allowOnClosedUnit: true } as const;
const accept = { access: 'unit', roles: ['principal', 'school_staff'], param: 'schoolId' } as const;
const office = { access: 'unit', roles: OFFICE_ROLES, param: 'unitId' } as const;

const caller = (req: FastifyRequest): Caller => ({ actor: requireActor(req), roles: req.scope.roles, ip: req.ip });

export async function transferRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/transfers',
    {
      config: { permission: list },
      schema: { tags, summary: 'Chuyển trường: học sinh chuyển đến / chuyển đi của trường', params: schoolParams, querystring: ZTransferListQuery, response: { 200: ZTransferList } },
    },
    async (req) => listSchoolTransfers(app.db, caller(req), scopedUnit(req), req.query),
  );

  app.get(
    '/schools/:schoolId/transfers/destinations',
    {
      config: { permission: act },
      schema: { tags, summary: 'Tìm trường tiếp nhận (tên không dấu hoặc mã trường)', params: schoolParams, querystring: ZDestinationQuery, response: { 200: ZDestinationList } },
    },
    async (req) => searchDestinations(app.db, scopedUnit(req), req.query.q),
  );

  app.post(
    '/schools/:schoolId/transfers/requests',
    {
      config: { permission: act },
      schema: {
        tags,
        summary: 'Đề nghị tiếp nhận học sinh (mã định danh + ngày sinh); trường đang học quyết định',
        params: schoolParams,
        body: ZRequestTransfer,
        response: { 200: ZTransferItem },
      },
    },
    async (req, reply) => withRetryAfter(reply, () => requestTransfer(app.db, caller(req), scopedUnit(req), req.body, app.appConfig.transferLookupsPerHour)),
  );

  app.post(
    '/schools/:schoolId/transfers/issues',
    {
      config: { permission: act },
      schema: {
        tags,
        summary: 'Giới thiệu chuyển trường một học sinh của trường đến trường khác; trường đến quyết định',
        params: schoolParams,
        body: ZIssueTransfer,
        response: { 200: ZTransferItem },
      },
    },
    async (req) => issueTransfer(app.db, caller(req), scopedUnit(req), req.body),
  );

  app.post(
    '/schools/:schoolId/transfers/:transferId/approve',
    {
      config: { permission: decide },
      schema: { tags, summary: 'Trường đang học (hoặc cơ quan quản lý khi trường đã ngừng hoạt động) đồng ý: hồ sơ chuyển ngay', params: transferParams, response: { 200: ZTransferItem } },
    },
    async (req) => approveTransfer(app.db, caller(req), scopedUnit(req), req.params.transferId),
  );

  app.post(
    '/schools/:schoolId/transfers/:transferId/accept',
    {
      config: { permission: accept },
      schema: { tags, summary: 'Trường được giới thiệu tiếp nhận học sinh vào một lớp: hồ sơ chuyển ngay', params: transferParams, body: ZAcceptTransfer, response: { 200: ZTransferItem } },
    },
    async (req) => acceptTransfer(app.db, caller(req), scopedUnit(req), req.params.transferId, req.body),
  );

  app.post(
    '/schools/:schoolId/transfers/:transferId/decline',
    {
      config: { permission: decide },
      schema: { tags, summary: 'Từ chối yêu cầu chuyển trường (ghi rõ lý do); hồ sơ không đổi', params: transferParams, body: ZDeclineTransfer, response: { 200: ZTransferItem } },
    },
    async (req) => declineTransfer(app.db, caller(req), scopedUnit(req), req.params.transferId, req.body),
  );

  app.post(
    '/schools/:schoolId/transfers/:transferId/cancel',
    {
      config: { permission: act },
      schema: { tags, summary: 'Huỷ yêu cầu chuyển trường trường mình đã gửi (khi chưa được xử lý)', params: transferParams, body: ZCancelTransfer, response: { 200: ZTransferItem } },
    },
    async (req) => cancelTransfer(app.db, caller(req), scopedUnit(req), req.params.transferId, req.body),
  );

  app.get(
    '/org-units/:unitId/transfers',
    {
      config: { permission: office },
      schema: { tags, summary: 'Chuyển trường liên quan đến các trường thuộc đơn vị (kể cả trường đã ngừng hoạt động)', params: unitParams, querystring: ZTransferListQuery, response: { 200: ZTransferList } },
    },
    async (req) => listOfficeTransfers(app.db, caller(req), scopedUnit(req), req.query),
  );
}
