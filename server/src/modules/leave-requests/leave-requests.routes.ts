import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../../contracts/common.js';
import { ZCreateLeaveRequest, ZDecideLeaveRequest, ZLeaveListQuery, ZLeaveRequest, ZLeaveRequests } from '../../../../contracts/leave-requests.js';
import type { Permission } from '../../platform/permissions.js';
import { scopedUnit } from '../../platform/request-context.js';
import { callerOf } from '../gradebook/route-common.js';
import { cancelLeaveRequest, createLeaveRequest, decideLeaveRequest, familyLeaveRequests, teacherLeaveRequests } from './leave-requests.service.js';

const tags = ['leave-requests'];
/** A parent of the child (the service checks the guardian link). */
const family: Permission = { access: 'unit', param: 'schoolId', roles: ['parent'] };
/** The homeroom teacher (the service keeps them to their classes). */
const homeroom: Permission = { access: 'unit', param: 'schoolId', roles: ['homeroom_teacher'] };

export async function leaveRequestRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/students/:studentId/leave-requests',
    { config: { permission: family }, schema: { tags, summary: 'Đơn xin nghỉ học của một học sinh (gia đình)', params: idParams('schoolId', 'studentId'), response: { 200: ZLeaveRequests } } },
    async (req) => familyLeaveRequests(app.db, callerOf(req), scopedUnit(req), req.params.studentId),
  );

  app.post(
    '/schools/:schoolId/students/:studentId/leave-requests',
    {
      config: { permission: family, refusals: { '409': [{ code: 'leave_overlap', when: 'đã có đơn chờ duyệt hoặc đã duyệt trùng ngày' }] } },
      schema: { tags, summary: 'Phụ huynh gửi đơn xin nghỉ học cho con (ngày, buổi, lý do)', params: idParams('schoolId', 'studentId'), body: ZCreateLeaveRequest, response: { 200: ZLeaveRequest } },
    },
    async (req) => createLeaveRequest(app.db, callerOf(req), scopedUnit(req), req.params.studentId, req.body),
  );

  app.post(
    '/schools/:schoolId/leave-requests/:requestId/cancel',
    {
      config: { permission: family, refusals: { '409': [{ code: 'leave_started', when: 'đơn đã duyệt và đã đến ngày nghỉ' }] } },
      schema: { tags, summary: 'Phụ huynh huỷ đơn chờ duyệt, hoặc rút đơn đã duyệt trước ngày nghỉ', params: idParams('schoolId', 'requestId'), response: { 200: ZLeaveRequest } },
    },
    async (req) => cancelLeaveRequest(app.db, callerOf(req), scopedUnit(req), req.params.requestId),
  );

  app.get(
    '/schools/:schoolId/leave-requests',
    { config: { permission: homeroom }, schema: { tags, summary: 'Đơn xin nghỉ học của các lớp chủ nhiệm (chờ duyệt trước)', params: idParams('schoolId'), querystring: ZLeaveListQuery, response: { 200: ZLeaveRequests } } },
    async (req) => teacherLeaveRequests(app.db, callerOf(req), scopedUnit(req), req.query.status === 'pending'),
  );

  app.post(
    '/schools/:schoolId/leave-requests/:requestId/decision',
    {
      config: { permission: homeroom, refusals: { '409': [{ code: 'leave_not_pending', when: 'đơn không còn chờ duyệt' }] } },
      schema: { tags, summary: 'Giáo viên chủ nhiệm duyệt (thành nghỉ có phép trong điểm danh) hoặc không duyệt đơn, kèm ghi chú', params: idParams('schoolId', 'requestId'), body: ZDecideLeaveRequest, response: { 200: ZLeaveRequest } },
    },
    async (req) => decideLeaveRequest(app.db, callerOf(req), scopedUnit(req), req.params.requestId, req.body),
  );
}
