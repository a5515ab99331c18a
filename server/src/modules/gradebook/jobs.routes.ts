import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { zipSync } from 'fflate';
import { idParams } from '../../../../contracts/common.js';
import { ZHocBaBatch, ZJob, ZUnitClose } from '../../../../contracts/jobs.js';
import { GRADEBOOK_ROLES, OFFICE_ROLES } from '../../../../contracts/roles.js';
import type { Permission } from '../../platform/permissions.js';
import { scopedUnit } from '../../platform/request-context.js';
import { attachmentHeader } from '../../platform/xlsx-export.js';
import { getJob, jobFiles, startHocBaBatch, startUnitClose } from './gradebook-jobs.js';
import { callerOf, tags } from './route-common.js';

// The homeroom teacher prints their class; the school's managers a class or the school (the service's rule).
const batch: Permission = { access: 'unit', param: 'schoolId', roles: ['principal', 'school_staff', 'homeroom_teacher'] };
const officeClose: Permission = { access: 'unit', param: 'unitId', roles: OFFICE_ROLES };
// Whoever may queue a job of the unit follows it; the service shows a job to its creator and the unit's managers.
const followJob: Permission = { access: 'unit', param: 'unitId', roles: [...OFFICE_ROLES, ...GRADEBOOK_ROLES] };
const jobParams = idParams('unitId', 'jobId');

/** The gradebook's background jobs: học bạ batches and an office's close of its schools, followed to their end. */
export async function gradebookJobRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/schools/:schoolId/hoc-ba/batches',
    {
      config: {
        permission: batch,
        refusals: {
          '403': [{ code: 'batch_needs_class', when: 'giáo viên chủ nhiệm in học bạ theo lớp của mình' }],
          '422': [{ code: 'hoc_ba_no_year_closed', when: 'chưa học sinh nào có năm học được tổng hợp cả năm' }],
        },
      },
      schema: { tags, summary: 'In học bạ của một lớp hoặc cả trường (việc nền, theo dõi tiến độ)', params: idParams('schoolId'), body: ZHocBaBatch, response: { 202: ZJob } },
    },
    async (req, reply) => reply.code(202).send(await startHocBaBatch(app.db, callerOf(req), scopedUnit(req), req.body.classId ?? null)),
  );

  app.post(
    '/org-units/:unitId/results/close',
    {
      config: { permission: officeClose, refusals: { '400': [{ code: 'no_schools', when: 'đơn vị không có trường trực thuộc' }] } },
      schema: { tags, summary: 'Tổng hợp kết quả học kì / cả năm của mọi trường thuộc đơn vị (việc nền)', params: idParams('unitId'), body: ZUnitClose, response: { 202: ZJob } },
    },
    async (req, reply) => reply.code(202).send(await startUnitClose(app.db, callerOf(req), scopedUnit(req), req.body)),
  );

  app.get(
    '/org-units/:unitId/jobs/:jobId',
    { config: { permission: followJob }, schema: { tags, summary: 'Tiến độ và kết quả một việc nền', params: jobParams, response: { 200: ZJob } } },
    async (req) => getJob(app.db, callerOf(req), scopedUnit(req), req.params.jobId),
  );

  app.get(
    '/org-units/:unitId/jobs/:jobId/files.zip',
    {
      config: { permission: followJob, refusals: { '409': [{ code: 'job_not_done', when: 'việc chưa xong' }] } },
      schema: { tags, summary: 'Tải các tệp một việc nền đã làm (.zip)', params: jobParams },
    },
    async (req, reply) => {
      const { fileName, files } = await jobFiles(app.db, callerOf(req), scopedUnit(req), req.params.jobId);
      // PDFs are compressed already: stored, not deflated again.
      const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, [new Uint8Array(f.body), { level: 0 }]])));
      return reply.header('content-type', 'application/zip').header('content-disposition', attachmentHeader(fileName)).send(Buffer.from(zip));
    },
  );
}
