import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../../contracts/common.js';
import { ZImportJob, ZImportJobList, ZImportKind, ZImportUploadQuery } from '../../../../contracts/imports.js';
import { SCHOOL_WRITE_ROLES } from '../../platform/actor.js';
import { readUpload } from '../../platform/multipart-upload.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import { sendXlsx } from '../../platform/xlsx-export.js';
import { JobLiveness } from './job-liveness.js';
import { ImportQueue, acceptUpload, cleanFileName, errorSheet, getJob, recentJobs, templateFile } from './imports.service.js';

const tags = ['imports'];
const schoolParams = idParams('schoolId');
const jobParams = idParams('schoolId', 'jobId');
const unit = { access: 'unit', roles: SCHOOL_WRITE_ROLES, param: 'schoolId' } as const;

const TEMPLATE_NAMES = { students: 'Mau-nhap-hoc-sinh.xlsx', staff: 'Mau-nhap-can-bo.xlsx', classes: 'Mau-nhap-lop.xlsx' } as const;

/** Excel import of students, staff and classes: upload → background job → poll → error sheet. */
export async function importRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const engine = app.dbHandle.engine;
  // PostgreSQL may be shared with other server processes: they must see which jobs are alive.
  const liveness = engine === 'postgres' ? new JobLiveness(app.dbHandle.pool) : undefined;
  const queue = new ImportQueue({ db: app.db, engine, liveness });
  app.addHook('onReady', async () => {
    if (app.appConfig.soleProcess) await queue.start();
  });
  app.addHook('onClose', async () => {
    await queue.close();
  });

  app.get(
    '/imports/templates/:kind',
    {
      config: { permission: { access: 'signed_in' } },
      schema: { tags, summary: 'Tải tệp mẫu nhập dữ liệu (.xlsx)', params: z.object({ kind: ZImportKind }) },
    },
    async (req, reply) => {
      const kind = req.params.kind;
      return sendXlsx(reply, TEMPLATE_NAMES[kind], await templateFile(app.db, kind));
    },
  );

  app.post(
    '/schools/:schoolId/imports',
    {
      config: {
        permission: unit,
        upload: { field: 'file', description: 'Tệp Excel (.xlsx) theo mẫu của loại dữ liệu (GET …/imports/templates/:kind)' },
        refusals: {
          '400': [
            { code: 'file_required', when: 'chưa gửi tệp trong trường `file`' },
            { code: 'empty_file', when: 'tệp trống' },
            { code: 'identity_changes_students_only', when: 'chọn sửa họ tên, ngày sinh, giới tính khi không nhập học sinh' },
          ],
          '403': [{ code: 'identity_changes_forbidden', when: 'chỉ hiệu trưởng được sửa họ tên, ngày sinh, giới tính qua tệp' }],
          '415': [
            { code: 'multipart_required', when: 'không gửi dạng multipart/form-data' },
            { code: 'not_xlsx', when: 'tệp không phải .xlsx (kể cả .xls, .xlsm, tệp có mật khẩu)' },
          ],
          '422': [
            { code: 'xlsx_damaged', when: 'tệp .xlsx hỏng' },
            { code: 'xlsx_too_many_parts', when: 'tệp có quá nhiều phần' },
            { code: 'xlsx_suspicious_ratio', when: 'tệp nén bất thường (nghi bom nén)' },
          ],
          '503': [
            { code: 'import_queue_full', when: 'đang xử lý nhiều tệp; thử lại sau' },
            { code: 'shutting_down', when: 'máy chủ đang khởi động lại' },
          ],
        },
      },
      schema: {
        tags,
        summary: 'Tải lên tệp Excel để nhập (xử lý nền; theo dõi bằng GET …/imports/:jobId)',
        consumes: ['multipart/form-data'],
        params: schoolParams,
        querystring: ZImportUploadQuery,
        response: { 202: ZImportJob },
      },
    },
    async (req, reply) => {
      const upload = await readUpload(req, {
        field: 'file',
        notMultipart: 'Hãy gửi tệp Excel dạng multipart/form-data (trường "file").',
        missing: { code: 'file_required', detail: 'Chưa chọn tệp để tải lên.' },
      });
      const job = await acceptUpload(app.db, queue, {
        schoolId: scopedUnit(req),
        kind: req.query.kind,
        mode: req.query.mode,
        identityChanges: req.query.allowIdentityChanges,
        heldRoles: req.scope.roles,
        year: req.query.year,
        fileName: cleanFileName(upload.fileName),
        file: upload.file,
        actor: { userId: requireActor(req).userId, username: requireActor(req).username },
        ip: req.ip ?? null,
      });
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/schools/:schoolId/imports',
    {
      config: { permission: unit },
      schema: { tags, summary: 'Các lượt nhập gần đây của trường', params: schoolParams, response: { 200: ZImportJobList } },
    },
    async (req) => ({ items: await recentJobs(app.db, scopedUnit(req)) }),
  );

  app.get(
    '/schools/:schoolId/imports/:jobId',
    {
      config: { permission: unit },
      schema: { tags, summary: 'Trạng thái, tiến độ và lỗi của một lượt nhập', params: jobParams, response: { 200: ZImportJob } },
    },
    async (req) => getJob(app.db, scopedUnit(req), req.params.jobId),
  );

  app.get(
    '/schools/:schoolId/imports/:jobId/errors.xlsx',
    {
      config: { permission: unit },
      schema: { tags, summary: 'Bảng lỗi của lượt nhập (.xlsx: Dòng, Cột, Giá trị, Lỗi)', params: jobParams },
    },
    async (req, reply) => {
      const { fileName, body } = await errorSheet(app.db, scopedUnit(req), req.params.jobId);
      return sendXlsx(reply, fileName, body);
    },
  );
}
