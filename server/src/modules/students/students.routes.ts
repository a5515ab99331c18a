import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../../contracts/common.js';
import {
  ZChangeStatus,
  ZCreateStudent,
  ZStudentList,
  ZStudentListQuery,
  ZStudentProfile,
  ZTransferClass,
  ZUpdateStudent,
} from '../../../../contracts/students.js';
import { SCHOOL_READ_ROLES, SCHOOL_WRITE_ROLES } from '../../platform/actor.js';
import { sendPreparedJson } from '../../platform/compression.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import { sendXlsx } from '../../platform/xlsx-export.js';
import { sendPdf } from '../../platform/pdf-table.js';
import type { Caller } from './students.common.js';
import { exportStudents, exportStudentsPdf, listStudentsJson } from './students-list.service.js';
import { changeStatus, transferClass } from './students-movements.service.js';
import { getStudentProfile } from './students-profile.service.js';
import { createStudent, updateStudentRecord } from './students-records.service.js';

const schoolParams = idParams('schoolId');
// A malformed or non-canonical id answers 404 like any other unknown student (security-plugin.ts).
const studentParams = idParams('schoolId', 'studentId');
const tags = ['students'];

const read = { access: 'unit', roles: SCHOOL_READ_ROLES, param: 'schoolId' } as const;
const write = { access: 'unit', roles: SCHOOL_WRITE_ROLES, param: 'schoolId' } as const;
// Parents and students reach one profile; the service narrows them to their own child / themselves.
const readOne = { access: 'unit', roles: [...SCHOOL_READ_ROLES, 'parent', 'student'], param: 'schoolId' } as const;

const caller = (req: FastifyRequest): Caller => ({ actor: requireActor(req), roles: req.scope.roles, ip: req.ip });

export async function studentRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/students',
    {
      config: { permission: read },
      schema: { tags, summary: 'Danh sách học sinh (lọc, tìm không dấu, phân trang)', params: schoolParams, querystring: ZStudentListQuery, response: { 200: ZStudentList } },
    },
    // Already JSON (the cached page): sent as it is, without a second serialisation.
    async (req, reply) => sendPreparedJson(req, reply, await listStudentsJson(app.db, caller(req), scopedUnit(req), req.query, req.scope.dataVersion)),
  );

  // Declared before '/:studentId'; find-my-way also prefers the static segment.
  app.get(
    '/schools/:schoolId/students/export.xlsx',
    {
      config: { permission: read },
      schema: { tags, summary: 'Xuất danh sách học sinh ra Excel (cùng bộ lọc, không phân trang)', params: schoolParams, querystring: ZStudentListQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const { body, fileName } = await exportStudents(app.db, caller(req), scopedUnit(req), req.query);
      return sendXlsx(reply, fileName, body);
    },
  );

  app.get(
    '/schools/:schoolId/students/export.pdf',
    {
      config: { permission: read },
      schema: { tags, summary: 'In danh sách học sinh (PDF khổ A4, cùng bộ lọc)', params: schoolParams, querystring: ZStudentListQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const { body, fileName } = await exportStudentsPdf(app.db, caller(req), scopedUnit(req), req.query);
      return sendPdf(reply, fileName, body);
    },
  );

  app.post(
    '/schools/:schoolId/students',
    {
      config: { permission: write },
      schema: { tags, summary: 'Thêm học sinh', params: schoolParams, body: ZCreateStudent, response: { 200: ZStudentProfile } },
    },
    async (req) => createStudent(app.db, caller(req), scopedUnit(req), req.body),
  );

  app.get(
    '/schools/:schoolId/students/:studentId',
    {
      config: { permission: readOne },
      schema: { tags, summary: 'Hồ sơ học sinh (kèm quá trình học qua các trường)', params: studentParams, response: { 200: ZStudentProfile } },
    },
    async (req) => getStudentProfile(app.db, caller(req), scopedUnit(req), req.params.studentId),
  );

  app.patch(
    '/schools/:schoolId/students/:studentId',
    {
      config: { permission: write },
      schema: { tags, summary: 'Sửa hồ sơ học sinh', params: studentParams, body: ZUpdateStudent, response: { 200: ZStudentProfile } },
    },
    async (req) => updateStudentRecord(app.db, caller(req), scopedUnit(req), req.params.studentId, req.body),
  );

  app.post(
    '/schools/:schoolId/students/:studentId/transfer-class',
    {
      config: { permission: write },
      schema: { tags, summary: 'Chuyển lớp', params: studentParams, body: ZTransferClass, response: { 200: ZStudentProfile } },
    },
    async (req) => transferClass(app.db, caller(req), scopedUnit(req), req.params.studentId, req.body),
  );

  app.post(
    '/schools/:schoolId/students/:studentId/status',
    {
      config: { permission: write },
      schema: { tags, summary: 'Đổi trạng thái học sinh (DM_TRANG_THAI_HOC_SINH)', params: studentParams, body: ZChangeStatus, response: { 200: ZStudentProfile } },
    },
    async (req) => changeStatus(app.db, caller(req), scopedUnit(req), req.params.studentId, req.body),
  );
}
