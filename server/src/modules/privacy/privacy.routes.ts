import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../../contracts/common.js';
import { ZAccessLog, ZAnonymisationList, ZAnonymise, ZAnonymiseResult, ZConsentOverview, ZRecordConsent } from '../../../../contracts/privacy.js';
import { SCHOOL_READ_ROLES, SCHOOL_WRITE_ROLES } from '../../platform/actor.js';
import { sendPdf } from '../../platform/pdf-table.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import type { Caller } from '../students/students.service.js';
import {
  PRIVACY_OFFICER_ROLES,
  anonymiseStudents,
  exportPersonalData,
  exportPersonalDataPdf,
  getAccessLog,
  getConsents,
  listAnonymisable,
  recordConsent,
} from './privacy.service.js';

const schoolParams = idParams('schoolId');
// A malformed or non-canonical id answers 404 like any other unknown student (security-plugin.ts).
const studentParams = idParams('schoolId', 'studentId');
const tags = ['privacy'];

// Everyone who may open the profile sees its consent status (a teacher must know before publishing a photo).
const readConsents = { access: 'unit', roles: [...SCHOOL_READ_ROLES, 'parent', 'student'], param: 'schoolId' } as const;
// Staff record paper forms; a parent or the student records their own consent online (the service narrows).
const writeConsents = { access: 'unit', roles: [...SCHOOL_WRITE_ROLES, 'parent', 'student'], param: 'schoolId' } as const;
const exportData = { access: 'unit', roles: [...PRIVACY_OFFICER_ROLES, 'parent'], param: 'schoolId' } as const;
const officer = { access: 'unit', roles: PRIVACY_OFFICER_ROLES, param: 'schoolId' } as const;

const caller = (req: FastifyRequest): Caller => ({ actor: requireActor(req), roles: req.scope.roles, ip: req.ip });

export async function privacyRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/students/:studentId/consents',
    {
      config: { permission: readConsents },
      schema: { tags, summary: 'Tình trạng đồng ý xử lý dữ liệu cá nhân của học sinh, theo mục đích', params: studentParams, response: { 200: ZConsentOverview } },
    },
    async (req) => getConsents(app.db, caller(req), scopedUnit(req), req.params.studentId),
  );

  app.post(
    '/schools/:schoolId/students/:studentId/consents',
    {
      config: { permission: writeConsents },
      schema: {
        tags,
        summary: 'Ghi nhận đồng ý hoặc rút lại sự đồng ý (phiếu giấy tại trường, hoặc trực tuyến bằng tài khoản phụ huynh/học sinh)',
        params: studentParams,
        body: ZRecordConsent,
        response: { 200: ZConsentOverview },
      },
    },
    async (req) => recordConsent(app.db, caller(req), scopedUnit(req), req.params.studentId, req.body),
  );

  app.get(
    '/schools/:schoolId/students/:studentId/personal-data',
    {
      config: { permission: exportData },
      schema: { tags, summary: 'Xuất toàn bộ dữ liệu cá nhân của một học sinh (JSON) theo yêu cầu', params: studentParams },
    },
    async (req, reply) => {
      const { fileName, json } = await exportPersonalData(app.db, caller(req), scopedUnit(req), req.params.studentId);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(json);
    },
  );

  // The same data for people rather than programs: Vietnamese labels, names for codes, a printable A4.
  app.get(
    '/schools/:schoolId/students/:studentId/personal-data.pdf',
    {
      config: { permission: exportData },
      schema: { tags, summary: 'Dữ liệu cá nhân của một học sinh, bản dễ đọc để in (PDF)', params: studentParams },
    },
    async (req, reply) => {
      const { fileName, body } = await exportPersonalDataPdf(app.db, caller(req), scopedUnit(req), req.params.studentId);
      return sendPdf(reply, fileName, body);
    },
  );

  app.get(
    '/schools/:schoolId/students/:studentId/access-log',
    {
      config: { permission: officer },
      schema: { tags, summary: 'Ai đã xem hồ sơ học sinh (500 lượt gần nhất)', params: studentParams, response: { 200: ZAccessLog } },
    },
    async (req) => getAccessLog(app.db, caller(req), scopedUnit(req), req.params.studentId),
  );

  app.get(
    '/schools/:schoolId/privacy/anonymisation',
    {
      config: { permission: officer },
      schema: { tags, summary: 'Học sinh đã rời trường quá thời hạn lưu trữ, đủ điều kiện ẩn danh', params: schoolParams, response: { 200: ZAnonymisationList } },
    },
    async (req) => listAnonymisable(app.db, scopedUnit(req), app.appConfig.retentionYears),
  );

  app.post(
    '/schools/:schoolId/privacy/anonymisation',
    {
      config: { permission: officer },
      schema: { tags, summary: 'Ẩn danh các học sinh đã chọn (một giao dịch, có nhật ký)', params: schoolParams, body: ZAnonymise, response: { 200: ZAnonymiseResult } },
    },
    async (req) => anonymiseStudents(app.db, caller(req), scopedUnit(req), req.body.studentIds, app.appConfig.retentionYears),
  );
}
