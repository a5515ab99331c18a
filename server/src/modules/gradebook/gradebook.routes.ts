import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZClassGradebooks,
  ZGradebook,
  ZGradebookImportQuery,
  ZGradebookImportResult,
  ZGradebookQuery,
  ZGradebookTransition,
  ZPublishColumns,
  ZQualitiesQuery,
  ZQualityRatings,
  ZQualityTransition,
  ZSaveGradebookCells,
  ZSaveGradebookResult,
  ZSaveQualityRatings,
  ZSaveQualityRatingsResult,
  ZSaveYearComments,
  ZSaveYearCommentsResult,
} from '../../../../contracts/gradebook.js';
import { scopedUnit } from '../../platform/request-context.js';
import { ZOk } from '../../../../contracts/common.js';
import { changeGradebookState, getClassGradebooks, getGradebook, saveCells } from './gradebook.service.js';
import { publishGridColumns } from './publication.service.js';
import { exportGradebook } from './gradebook-export.js';
import { sendXlsx } from '../../platform/xlsx-export.js';
import { readUpload } from '../../platform/multipart-upload.js';
import { cleanFileName } from '../imports/imports.service.js';
import { importGradebook } from './gradebook-import.js';
import { changeQualityState, getQualityRatings, saveQualityRatings, saveYearComments } from './qualities.service.js';
import { callerOf, classParams, inSchool, resultsReaders, tags } from './route-common.js';

const gridParams = classParams.extend({ subjectCode: z.string().regex(/^[a-z0-9_]{1,40}$/, 'Không có môn học này.') });

/**
 * The school's managers read, teachers reach the gradebook of their classes; who may do what in a
 * grid (the subject's teacher enters, the homeroom teacher reviews, the principal locks) is the
 * service's rule, from the teaching assignments and the class's homeroom teacher.
 */
/** The electronic gradebook (TT22/2021; TT27/2020 in primary grades): a class's grids, one grid, saving cells, submit → review → lock; primary qualities and competencies. */
export async function gradebookRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/classes/:classId/gradebook',
    {
      config: { permission: inSchool },
      schema: { tags, summary: 'Sổ điểm của lớp: các môn, trạng thái từng học kì', params: classParams, response: { 200: ZClassGradebooks } },
    },
    async (req) => getClassGradebooks(app.db, callerOf(req), scopedUnit(req), req.params.classId),
  );

  app.get(
    '/schools/:schoolId/classes/:classId/gradebook/:subjectCode',
    {
      config: {
        permission: inSchool,
        refusals: { '422': [{ code: 'gradebook_rule_set_unsupported', when: 'lớp đánh giá theo thông tư chưa có sổ điểm điện tử (mầm non, năm học trước thông tư mới)' }] },
      },
      schema: {
        tags,
        summary: 'Sổ điểm một môn của lớp trong một học kì (Thông tư 22/2021 hoặc, ở tiểu học, Thông tư 27/2020: mỗi học kì hai lần đánh giá định kì)',
        params: gridParams, querystring: ZGradebookQuery, response: { 200: ZGradebook } },
    },
    async (req) => getGradebook(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.params.subjectCode, req.query.term),
  );

  // Phẩm chất, năng lực (TT27/2020 Điều 7, primary classes): rated by the homeroom teacher at each checkpoint.
  const primaryOnly = { code: 'gradebook_rule_set_unsupported', when: 'lớp không đánh giá theo Thông tư 27/2020 (không phải tiểu học)' };
  app.get(
    '/schools/:schoolId/classes/:classId/qualities',
    {
      config: { permission: resultsReaders, refusals: { '422': [primaryOnly] } },
      schema: { tags, summary: 'Đánh giá phẩm chất, năng lực của lớp tiểu học tại một lần đánh giá định kì', params: classParams, querystring: ZQualitiesQuery, response: { 200: ZQualityRatings } },
    },
    async (req) => getQualityRatings(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query.checkpoint),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/qualities',
    {
      config: {
        permission: inSchool,
        refusals: {
          '403': [{ code: 'qualities_not_homeroom', when: 'người gửi không phải giáo viên chủ nhiệm của lớp (hay hiệu trưởng)' }],
          '409': [{ code: 'gradebook_not_open', when: 'đánh giá của lần này đã khóa' }],
          '422': [primaryOnly],
        },
      },
      schema: {
        tags,
        summary: 'Lưu các mức Tốt / Đạt / Cần cố gắng (mỗi ô kèm phiên bản đã đọc; ô người khác vừa sửa trả về trong conflicts)',
        params: classParams,
        body: ZSaveQualityRatings,
        response: { 200: ZSaveQualityRatingsResult },
      },
    },
    async (req) => saveQualityRatings(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.post(
    '/schools/:schoolId/classes/:classId/qualities/state',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [{ code: 'unlock_reason_required', when: 'mở khóa mà không ghi lý do' }],
          '403': [{ code: 'qualities_action_forbidden', when: 'chỉ hiệu trưởng khóa hoặc mở khóa' }],
          '409': [{ code: 'gradebook_transition_refused', when: 'đã ở trạng thái đó' }],
          '422': [primaryOnly],
        },
      },
      schema: { tags, summary: 'Khóa hoặc mở khóa (có lý do) đánh giá phẩm chất, năng lực của lớp tại một lần đánh giá', params: classParams, body: ZQualityTransition, response: { 200: ZQualityRatings } },
    },
    async (req) => changeQualityState(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  // The homeroom teacher's year comments for the học bạ (read with the end-of-year ratings, locked with them).
  app.put(
    '/schools/:schoolId/classes/:classId/year-comments',
    {
      config: {
        permission: inSchool,
        refusals: {
          '403': [{ code: 'qualities_not_homeroom', when: 'người gửi không phải giáo viên chủ nhiệm của lớp (hay hiệu trưởng)' }],
          '409': [{ code: 'gradebook_not_open', when: 'đánh giá cuối năm học của lớp đã khóa' }],
          '422': [primaryOnly],
        },
      },
      schema: {
        tags,
        summary: 'Lưu nhận xét cả năm của giáo viên chủ nhiệm (phẩm chất, năng lực chung, năng lực đặc thù, nhận xét chung) cho học bạ tiểu học; mỗi nhận xét kèm phiên bản đã đọc',
        params: classParams,
        body: ZSaveYearComments,
        response: { 200: ZSaveYearCommentsResult },
      },
    },
    async (req) => saveYearComments(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/gradebook/:subjectCode/cells',
    {
      config: {
        permission: inSchool,
        refusals: {
          '403': [{ code: 'gradebook_not_teacher', when: 'người gửi không được phân công dạy môn này ở lớp trong học kì' }],
          '409': [{ code: 'gradebook_not_open', when: 'sổ điểm đã nộp, đã duyệt hoặc đã khóa' }],
          '422': [{ code: 'gradebook_rule_set_unsupported', when: 'lớp đánh giá theo thông tư chưa có sổ điểm điện tử' }],
        },
      },
      schema: {
        tags,
        summary: 'Lưu các ô điểm (mỗi ô kèm phiên bản đã đọc; ô người khác vừa sửa trả về trong conflicts)',
        params: gridParams,
        body: ZSaveGradebookCells,
        response: { 200: ZSaveGradebookResult },
      },
    },
    async (req) => saveCells(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.params.subjectCode, req.body),
  );

  app.post(
    '/schools/:schoolId/classes/:classId/gradebook/:subjectCode/state',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [{ code: 'unlock_reason_required', when: 'mở khóa mà không ghi lý do' }],
          '403': [{ code: 'gradebook_action_forbidden', when: 'người gửi không bao giờ được làm bước này (nộp: giáo viên bộ môn; duyệt: chủ nhiệm; khóa: hiệu trưởng)' }],
          '409': [{ code: 'gradebook_transition_refused', when: 'sổ điểm không ở trạng thái cho phép bước này' }],
          '422': [{ code: 'gradebook_rule_set_unsupported', when: 'lớp đánh giá theo thông tư chưa có sổ điểm điện tử' }],
        },
      },
      schema: { tags, summary: 'Nộp, rút lại, duyệt, trả lại, khóa, mở khóa sổ điểm', params: gridParams, body: ZGradebookTransition, response: { 200: ZGradebook } },
    },
    async (req) => changeGradebookState(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.params.subjectCode, req.body),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/gradebook/:subjectCode/publication',
    {
      config: { permission: inSchool, refusals: { '403': [{ code: 'publish_not_teacher', when: 'chỉ giáo viên dạy môn (hoặc hiệu trưởng) công bố điểm' }] } },
      schema: { tags, summary: 'Công bố (hoặc thôi công bố) các cột điểm cho cha mẹ và học sinh', params: gridParams, body: ZPublishColumns, response: { 200: ZOk } },
    },
    async (req) => {
      await publishGridColumns(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.params.subjectCode, req.body);
      return { ok: true };
    },
  );

  app.get(
    '/schools/:schoolId/classes/:classId/gradebook/:subjectCode/export.xlsx',
    {
      config: { permission: inSchool },
      schema: { tags, summary: 'Tải sổ điểm một môn của lớp trong một học kì (.xlsx)', params: gridParams, querystring: ZGradebookQuery },
    },
    async (req, reply) => {
      const file = await exportGradebook(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.params.subjectCode, req.query.term);
      return sendXlsx(reply, file.fileName, file.body);
    },
  );

  app.post(
    '/schools/:schoolId/classes/:classId/gradebook/:subjectCode/import',
    {
      config: {
        permission: inSchool,
        upload: { field: 'file', description: 'Tệp .xlsx tải về từ sổ điểm này (…/export.xlsx), đã điền điểm' },
        refusals: {
          '400': [
            { code: 'file_required', when: 'chưa gửi tệp trong trường `file`' },
            { code: 'empty_file', when: 'tệp trống' },
          ],
          '403': [{ code: 'gradebook_not_teacher', when: 'người gửi không được phân công dạy môn này ở lớp trong học kì' }],
          '409': [
            { code: 'gradebook_not_open', when: 'sổ điểm đã nộp, đã duyệt hoặc đã khóa' },
            { code: 'gradebook_import_conflict', when: 'ô điểm đã được sửa trong sổ sau khi tệp được tải về (gửi overwrite=true để ghi đè); `issues` liệt kê từng ô' },
          ],
          '415': [
            { code: 'multipart_required', when: 'không gửi dạng multipart/form-data' },
            { code: 'not_xlsx', when: 'tệp không phải .xlsx' },
          ],
          '422': [
            { code: 'gradebook_import_invalid', when: 'tệp có dòng hoặc ô sai (học sinh không thuộc lớp, điểm sai); `issues` liệt kê dòng, cột và cách sửa; không ô nào được ghi' },
            { code: 'gradebook_import_other_grid', when: 'tệp tải về từ sổ điểm của lớp, môn hoặc học kì khác' },
            { code: 'gradebook_rule_set_unsupported', when: 'lớp đánh giá theo thông tư chưa có sổ điểm điện tử' },
            { code: 'xlsx_damaged', when: 'tệp .xlsx hỏng' },
            { code: 'xlsx_too_many_parts', when: 'tệp có quá nhiều phần' },
            { code: 'xlsx_suspicious_ratio', when: 'tệp nén bất thường (nghi bom nén)' },
          ],
        },
      },
      schema: {
        tags,
        summary: 'Nhập sổ điểm một môn của lớp trong một học kì từ tệp .xlsx (cùng mẫu với tệp tải về); sai một ô thì không ghi ô nào',
        consumes: ['multipart/form-data'],
        params: gridParams,
        querystring: ZGradebookImportQuery,
        response: { 200: ZGradebookImportResult },
      },
    },
    async (req) => {
      const upload = await readUpload(req, {
        field: 'file',
        notMultipart: 'Hãy gửi tệp sổ điểm (.xlsx) dạng multipart/form-data (trường "file").',
        missing: { code: 'file_required', detail: 'Chưa chọn tệp sổ điểm để tải lên.' },
      });
      return importGradebook(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.params.subjectCode, {
        term: req.query.term,
        overwrite: req.query.overwrite === true,
        fileName: cleanFileName(upload.fileName),
        file: upload.file,
      });
    },
  );
}
