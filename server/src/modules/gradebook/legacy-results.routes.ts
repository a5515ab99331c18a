import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../../contracts/common.js';
import { ZLegacyImportQuery, ZLegacyImportResult, ZLegacyResults } from '../../../../contracts/legacy-results.js';
import { FAMILY_ROLES, RESULTS_READ_ROLES } from '../../../../contracts/roles.js';
import { readUpload } from '../../platform/multipart-upload.js';
import type { Permission } from '../../platform/permissions.js';
import { scopedUnit } from '../../platform/request-context.js';
import { sendXlsx } from '../../platform/xlsx-export.js';
import { cleanFileName } from '../imports/imports.service.js';
import { legacyTemplate, importLegacyResults } from './legacy-results-import.js';
import { legacyResults } from './legacy-results.service.js';
import { callerOf, schoolParams, tags } from './route-common.js';

/** Bringing in old years is the school office's work (principal, school staff), not a teacher's nor an office's above. */
const managers: Permission = { access: 'unit', param: 'schoolId', roles: ['principal', 'school_staff'] };
/** Who reads a student's old years: the service decides inside the school (legacy-results.service.ts mayRead). */
const readers: Permission = { access: 'unit', param: 'schoolId', roles: [...RESULTS_READ_ROLES, ...FAMILY_ROLES] };

/** Results of years assessed under Thông tư 58/2011: the template, the import, one student's years recomputed. */
export async function legacyResultsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/legacy-results/template.xlsx',
    {
      config: { permission: managers },
      schema: { tags, summary: 'Tải tệp mẫu nhập kết quả các năm học trước (Thông tư 58/2011)', params: schoolParams },
    },
    async (_req, reply) => sendXlsx(reply, 'Mau-nhap-ket-qua-TT58.xlsx', await legacyTemplate()),
  );

  app.post(
    '/schools/:schoolId/legacy-results/import',
    {
      config: {
        permission: managers,
        upload: { field: 'file', description: 'Tệp .xlsx theo mẫu (…/legacy-results/template.xlsx): mỗi dòng một học sinh trong một năm học' },
        refusals: {
          '400': [
            { code: 'file_required', when: 'chưa gửi tệp trong trường `file`' },
            { code: 'empty_file', when: 'tệp trống' },
          ],
          '409': [{ code: 'legacy_import_conflict', when: 'học sinh đã có kết quả năm học đó (gửi replace=true để thay); `issues` liệt kê từng dòng; không dòng nào được ghi' }],
          '415': [
            { code: 'multipart_required', when: 'không gửi dạng multipart/form-data' },
            { code: 'not_xlsx', when: 'tệp không phải .xlsx' },
          ],
          '422': [
            { code: 'legacy_import_invalid', when: 'tệp có dòng hoặc ô sai (mã không có ở trường, họ tên không khớp, điểm sai, năm học không theo Thông tư 58/2011); `issues` liệt kê dòng, cột và cách sửa; không dòng nào được ghi' },
            { code: 'xlsx_damaged', when: 'tệp .xlsx hỏng' },
            { code: 'xlsx_too_many_parts', when: 'tệp có quá nhiều phần' },
            { code: 'xlsx_suspicious_ratio', when: 'tệp nén bất thường (nghi bom nén)' },
          ],
        },
      },
      schema: {
        tags,
        summary: 'Nhập kết quả các năm học trước (Thông tư 58/2011) từ tệp .xlsx; sai một ô thì không ghi dòng nào',
        consumes: ['multipart/form-data'],
        params: schoolParams,
        querystring: ZLegacyImportQuery,
        response: { 200: ZLegacyImportResult },
      },
    },
    async (req) => {
      const upload = await readUpload(req, {
        field: 'file',
        notMultipart: 'Hãy gửi tệp kết quả (.xlsx) dạng multipart/form-data (trường "file").',
        missing: { code: 'file_required', detail: 'Chưa chọn tệp kết quả để tải lên.' },
      });
      return importLegacyResults(app.db, callerOf(req), scopedUnit(req), { replace: req.query.replace === true, fileName: cleanFileName(upload.fileName), file: upload.file });
    },
  );

  app.get(
    '/schools/:schoolId/students/:studentId/legacy-results',
    {
      config: { permission: readers },
      schema: {
        tags,
        summary: 'Kết quả các năm học trước (Thông tư 58/2011) của một học sinh, xếp loại tính lại theo quy chế',
        params: idParams('schoolId', 'studentId'),
        response: { 200: ZLegacyResults },
      },
    },
    async (req) => legacyResults(app.db, callerOf(req), scopedUnit(req), req.params.studentId),
  );
}
