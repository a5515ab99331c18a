import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ZAttendance,
  ZAttendanceQuery,
  ZLessonAttendance,
  ZLessonAttendanceQuery,
  ZLessonAttendanceSetting,
  ZLessonAttendanceSwitch,
  ZRemoveLessonRollQuery,
  ZSaveAttendance,
  ZSaveLessonRoll,
} from '../../../../contracts/attendance.js';
import { ZOk, idParams } from '../../../../contracts/common.js';
import {
  ZClassResults,
  ZClassResultsQuery,
  ZClassSummaryQuery,
  ZCloseResults,
  ZCloseSummary,
  ZFamilyResults,
  ZFamilyResultsQuery,
  ZHocBaQuery,
  ZPrimaryAwards,
  ZPublishResults,
  ZRemovePrimaryAwardQuery,
  ZSavePrimaryAward,
  ZTrainingRatings,
} from '../../../../contracts/results.js';
import { GRADEBOOK_ROLES } from '../../../../contracts/roles.js';
import type { Permission } from '../../platform/permissions.js';
import { scopedUnit } from '../../platform/request-context.js';
import { getAttendance, saveAttendance } from './attendance.service.js';
import { getLessonAttendance, removeLessonRoll, saveLessonRoll, switchLessonAttendance } from './lesson-attendance.service.js';
import { readUpload } from '../../platform/multipart-upload.js';
import { attachmentHeader, sendXlsx } from '../../platform/xlsx-export.js';
import { classSummaryXlsx } from './class-summary.js';
import { sendPdf } from '../../platform/pdf-table.js';
import { MAX_SIGNED_BOOKS, hocBaPdf, signedClassHocBa, signedHocBaPdf } from './hoc-ba.service.js';
import { familyResults, publishClassResults } from './publication.service.js';
import { getPrimaryAwards, removePrimaryAward, savePrimaryAward } from './primary-awards.service.js';
import { closeResults, getClassResults, setTrainingRatings } from './results.service.js';
import { callerOf, classParams, inSchool, principal, resultsReaders, schoolParams, tags } from './route-common.js';

// A family's own child (the service checks the guardian link or the student's own account), or the school previewing it.
const family: Permission = { access: 'unit', param: 'schoolId', roles: [...GRADEBOOK_ROLES, 'parent', 'student'] };

// Signing a học bạ: the school's certificate comes with the request (never kept), refused in words.
const SIGN_REFUSALS = [
  { code: 'certificate_required', when: 'chưa gửi tệp chứng thư số' },
  { code: 'p12_unreadable', when: 'tệp chứng thư không mở được hoặc sai mật khẩu' },
  { code: 'p12_no_key', when: 'tệp không có khóa bí mật' },
  { code: 'p12_no_certificate', when: 'tệp không có chứng thư của khóa' },
  { code: 'p12_key_type', when: 'khóa không phải RSA' },
  { code: 'certificate_not_valid', when: 'chứng thư hết hạn hoặc chưa có hiệu lực' },
];
const CERTIFICATE_UPLOAD = {
  field: 'certificate',
  notMultipart: 'Hãy gửi chứng thư số dạng multipart/form-data (trường "certificate" và "passphrase").',
  missing: { code: 'certificate_required', detail: 'Chứng thư số: hãy chọn tệp .p12 hoặc .pfx của trường.' },
};
const NOT_SIGNED_FILE = 'Chua ki.txt';


/** Attendance by session, training ratings, the term and year close, and a class's results. */
export async function resultsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/classes/:classId/attendance',
    { config: { permission: inSchool }, schema: { tags, summary: 'Chuyên cần của lớp trong một khoảng ngày, và số buổi nghỉ cả năm', params: classParams, querystring: ZAttendanceQuery, response: { 200: ZAttendance } } },
    async (req) => getAttendance(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/attendance',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [
            { code: 'date_outside_year', when: 'ngày nghỉ ngoài năm học của lớp' },
            { code: 'date_in_future', when: 'ngày nghỉ chưa đến' },
            { code: 'session_not_taught', when: 'lớp không học buổi đó' },
            { code: 'student_not_in_class', when: 'học sinh không học lớp vào ngày đó' },
          ],
          '403': [{ code: 'attendance_not_homeroom', when: 'chỉ giáo viên chủ nhiệm và ban giám hiệu ghi chuyên cần' }],
        },
      },
      schema: { tags, summary: 'Ghi các buổi nghỉ (có phép / không phép) hoặc có mặt', params: classParams, body: ZSaveAttendance, response: { 200: ZAttendance } },
    },
    async (req) => saveAttendance(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  // Attendance per lesson (tiết), where the school turns it on for the year.
  const lessonRefusals = {
    '400': [
      { code: 'date_outside_year', when: 'ngày ngoài năm học của lớp' },
      { code: 'date_in_future', when: 'tiết học chưa diễn ra' },
      { code: 'lesson_not_taught', when: 'lớp không học tiết đó (theo buổi học của lớp)' },
      { code: 'subject_not_taught', when: 'lớp không học môn đó trong năm' },
      { code: 'student_not_in_class', when: 'học sinh không học lớp vào ngày đó' },
      { code: 'student_repeated', when: 'một học sinh có hai lần trong danh sách vắng' },
    ],
    '403': [{ code: 'lesson_not_yours', when: 'chỉ giáo viên dạy môn của lớp trong học kì (hoặc ban giám hiệu) điểm danh tiết' }],
    '409': [
      { code: 'lesson_attendance_off', when: 'trường chưa bật điểm danh theo tiết cho năm học' },
      { code: 'lesson_taken', when: 'tiết đã được điểm danh cho môn khác' },
    ],
  };
  app.get(
    '/schools/:schoolId/classes/:classId/lessons',
    {
      config: { permission: inSchool, refusals: { '400': [{ code: 'date_outside_year', when: 'ngày ngoài năm học của lớp' }] } },
      schema: { tags, summary: 'Điểm danh theo tiết của lớp trong một ngày: các tiết đã điểm danh, học sinh vắng', params: classParams, querystring: ZLessonAttendanceQuery, response: { 200: ZLessonAttendance } },
    },
    async (req) => getLessonAttendance(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query.date),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/lessons',
    {
      config: { permission: inSchool, refusals: lessonRefusals },
      schema: { tags, summary: 'Điểm danh một tiết: các học sinh vắng (có phép / không phép), những em khác có mặt', params: classParams, body: ZSaveLessonRoll, response: { 200: ZLessonAttendance } },
    },
    async (req) => saveLessonRoll(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.delete(
    '/schools/:schoolId/classes/:classId/lessons',
    {
      config: { permission: inSchool, refusals: { '403': lessonRefusals['403'], '409': [lessonRefusals['409'][0]] } },
      schema: { tags, summary: 'Xoá điểm danh của một tiết (ghi nhầm tiết)', params: classParams, querystring: ZRemoveLessonRollQuery, response: { 200: ZLessonAttendance } },
    },
    async (req) => removeLessonRoll(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query),
  );

  app.put(
    '/schools/:schoolId/lesson-attendance',
    {
      config: { permission: principal },
      schema: { tags, summary: 'Bật hoặc tắt điểm danh theo tiết cho một năm học của trường', params: schoolParams, body: ZLessonAttendanceSwitch, response: { 200: ZLessonAttendanceSetting } },
    },
    async (req) => switchLessonAttendance(app.db, callerOf(req), scopedUnit(req), req.body),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/training',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [{ code: 'student_not_in_class', when: 'học sinh không học lớp trong học kì' }],
          '403': [{ code: 'training_not_homeroom', when: 'chỉ giáo viên chủ nhiệm (hoặc hiệu trưởng) xếp loại rèn luyện' }],
          '409': [{ code: 'training_published', when: 'kết quả học kì (hoặc cả năm) của lớp đã công bố cho gia đình: thôi công bố trước' }],
        },
      },
      schema: { tags, summary: 'Xếp loại rèn luyện học kì của học sinh trong lớp', params: classParams, body: ZTrainingRatings, response: { 200: ZClassResults } },
    },
    async (req) => setTrainingRatings(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.get(
    '/schools/:schoolId/classes/:classId/results',
    { config: { permission: resultsReaders }, schema: { tags, summary: 'Kết quả học kì / cả năm của lớp, các danh sách lên lớp, kiểm tra lại, khen thưởng', params: classParams, querystring: ZClassResultsQuery, response: { 200: ZClassResults } } },
    async (req) => getClassResults(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query.period),
  );

  // Khen thưởng of a primary class (TT27 Điều 13): Học sinh Tiêu biểu and ad-hoc awards.
  const primaryOnly = { code: 'gradebook_rule_set_unsupported', when: 'lớp không đánh giá theo Thông tư 27/2020 (không phải tiểu học)' };
  const awardRefusals = {
    '400': [{ code: 'student_not_in_class', when: 'học sinh không học lớp trong năm học' }],
    '403': [{ code: 'award_not_homeroom', when: 'chỉ giáo viên chủ nhiệm đề nghị, hiệu trưởng khen thưởng' }],
    '409': [
      { code: 'award_not_eligible', when: 'Học sinh Tiêu biểu chỉ cho học sinh có kết quả cả năm Hoàn thành tốt' },
      { code: 'award_recorded', when: 'hiệu trưởng đã khen thưởng; giáo viên chủ nhiệm không sửa được' },
      { code: 'award_changed', when: 'người khác vừa sửa khen thưởng này' },
    ],
    '422': [primaryOnly],
  };
  app.get(
    '/schools/:schoolId/classes/:classId/awards',
    {
      config: { permission: resultsReaders, refusals: { '422': [primaryOnly] } },
      schema: { tags, summary: 'Khen thưởng Học sinh Tiêu biểu và khen thưởng đột xuất của lớp tiểu học (đề nghị, đã khen), với kết quả cả năm của từng học sinh', params: classParams, response: { 200: ZPrimaryAwards } },
    },
    async (req) => getPrimaryAwards(app.db, callerOf(req), scopedUnit(req), req.params.classId),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/awards',
    {
      config: { permission: inSchool, refusals: awardRefusals },
      schema: {
        tags,
        summary: 'Giáo viên chủ nhiệm đề nghị, hiệu trưởng khen thưởng một học sinh (Học sinh Tiêu biểu: chỉ khi Hoàn thành tốt; hoặc khen thưởng đột xuất) kèm thành tích',
        params: classParams,
        body: ZSavePrimaryAward,
        response: { 200: ZPrimaryAwards },
      },
    },
    async (req) => savePrimaryAward(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.delete(
    '/schools/:schoolId/classes/:classId/awards',
    {
      config: { permission: inSchool, refusals: { '403': awardRefusals['403'], '409': awardRefusals['409'].slice(1), '422': [primaryOnly] } },
      schema: { tags, summary: 'Rút đề nghị (giáo viên chủ nhiệm) hoặc bỏ khen thưởng (hiệu trưởng) của một học sinh', params: classParams, querystring: ZRemovePrimaryAwardQuery, response: { 200: ZPrimaryAwards } },
    },
    async (req) => removePrimaryAward(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query),
  );

  app.get(
    '/schools/:schoolId/classes/:classId/results/summary.xlsx',
    {
      config: { permission: resultsReaders, refusals: { '400': [{ code: 'year_mismatch', when: 'năm học không phải của lớp' }] } },
      schema: {
        tags,
        summary: 'Sổ theo dõi và đánh giá học sinh của lớp (.xlsx, mẫu Thông tư 22/2021): học kì I, học kì II, cả năm, từ kết quả đã tổng hợp',
        params: classParams,
        querystring: ZClassSummaryQuery,
      },
    },
    async (req, reply) => {
      const file = await classSummaryXlsx(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query.year);
      return sendXlsx(reply, file.fileName, file.body);
    },
  );

  app.post(
    '/schools/:schoolId/results/close',
    {
      config: {
        permission: principal,
        refusals: { '400': [{ code: 'no_classes', when: 'trường chưa có lớp trong năm học' }], '403': [{ code: 'close_not_principal', when: 'chỉ hiệu trưởng tổng hợp' }] },
      },
      schema: { tags, summary: 'Tổng hợp kết quả học kì hoặc cả năm của cả trường (tính lại mỗi lần)', params: schoolParams, body: ZCloseResults, response: { 200: ZCloseSummary } },
    },
    async (req) => closeResults(app.db, callerOf(req), scopedUnit(req), req.body),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/results/publication',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [
            { code: 'results_not_closed', when: 'kì xét chưa được tổng hợp' },
            { code: 'year_mismatch', when: 'năm học không phải của lớp' },
          ],
          '403': [{ code: 'publish_not_homeroom', when: 'chỉ giáo viên chủ nhiệm (hoặc hiệu trưởng) công bố kết quả' }],
        },
      },
      schema: { tags, summary: 'Công bố (hoặc thôi) kết quả học kì / cả năm của lớp cho cha mẹ và học sinh', params: classParams, body: ZPublishResults, response: { 200: ZOk } },
    },
    async (req) => {
      await publishClassResults(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body);
      return { ok: true };
    },
  );

  app.get(
    '/schools/:schoolId/students/:studentId/results',
    {
      config: { permission: family },
      schema: {
        tags,
        summary: 'Điểm và kết quả đã công bố của một học sinh, và chuyên cần (cho cha mẹ, học sinh; nhà trường xem trước)',
        params: idParams('schoolId', 'studentId'),
        querystring: ZFamilyResultsQuery,
        response: { 200: ZFamilyResults },
      },
    },
    async (req) => familyResults(app.db, callerOf(req), scopedUnit(req), req.params.studentId, req.query.year),
  );

  app.get(
    '/schools/:schoolId/students/:studentId/hoc-ba.pdf',
    {
      config: { permission: inSchool, refusals: { '422': [{ code: 'hoc_ba_no_year_closed', when: 'chưa có năm học nào (ở cấp học đã chọn) được tổng hợp cả năm' }] } },
      schema: {
        tags,
        summary: 'Học bạ của học sinh (PDF, theo mẫu Thông tư 22/2021, hoặc Thông tư 27/2020 ở tiểu học) từ kết quả đã tổng hợp; học sinh có cả hai cấp chọn cấp bằng level',
        params: idParams('schoolId', 'studentId'),
        querystring: ZHocBaQuery,
      },
    },
    async (req, reply) => {
      const file = await hocBaPdf(app.db, callerOf(req), scopedUnit(req), req.params.studentId, req.query.level);
      return sendPdf(reply, file.fileName, file.body);
    },
  );

  app.post(
    '/schools/:schoolId/classes/:classId/hoc-ba/signed.zip',
    {
      config: {
        permission: principal,
        upload: { field: 'certificate', description: 'Chứng thư số của trường (.p12 / .pfx); gửi kèm trường `passphrase`. Máy chủ không lưu lại.' },
        refusals: {
          '400': [...SIGN_REFUSALS, { code: 'class_too_large', when: `lớp có hơn ${MAX_SIGNED_BOOKS} học bạ` }],
          '403': [{ code: 'sign_not_principal', when: 'chỉ hiệu trưởng kí học bạ' }],
          '415': [{ code: 'multipart_required', when: 'không gửi dạng multipart/form-data' }],
          '422': [{ code: 'hoc_ba_no_year_closed', when: 'chưa học sinh nào của lớp có năm học được tổng hợp cả năm' }],
        },
      },
      schema: { tags, summary: 'Học bạ cả lớp đã kí số (PAdES) bằng chứng thư số của trường, gói trong một tệp .zip', consumes: ['multipart/form-data'], params: classParams },
    },
    async (req, reply) => {
      const upload = await readUpload(req, CERTIFICATE_UPLOAD);
      const signed = await signedClassHocBa(app.db, callerOf(req), scopedUnit(req), req.params.classId, upload.file, upload.fields.passphrase ?? '');
      const files: Record<string, [Uint8Array, { level: 0 }]> = Object.fromEntries(signed.files.map((f) => [f.name, [new Uint8Array(f.body), { level: 0 }]]));
      // Who could not be signed, said inside the download itself.
      if (signed.left.length) files[NOT_SIGNED_FILE] = [Buffer.from(`Chưa có năm học được tổng hợp kết quả cả năm, nên chưa kí học bạ của:\n${signed.left.join('\n')}\n`), { level: 0 }];
      return reply.header('content-type', 'application/zip').header('content-disposition', attachmentHeader(signed.fileName)).send(Buffer.from(zipSync(files)));
    },
  );

  app.post(
    '/schools/:schoolId/students/:studentId/hoc-ba/signed.pdf',
    {
      config: {
        permission: principal,
        upload: { field: 'certificate', description: 'Chứng thư số của trường (.p12 / .pfx); gửi kèm trường `passphrase`. Máy chủ không lưu lại.' },
        refusals: {
          '400': SIGN_REFUSALS,
          '403': [{ code: 'sign_not_principal', when: 'chỉ hiệu trưởng kí học bạ' }],
          '415': [{ code: 'multipart_required', when: 'không gửi dạng multipart/form-data' }],
          '422': [{ code: 'hoc_ba_no_year_closed', when: 'chưa có năm học nào được tổng hợp cả năm' }],
        },
      },
      schema: { tags, summary: 'Học bạ đã kí số (PAdES) bằng chứng thư số của trường; học sinh có cả hai cấp chọn cấp bằng level', consumes: ['multipart/form-data'], params: idParams('schoolId', 'studentId'), querystring: ZHocBaQuery },
    },
    async (req, reply) => {
      const upload = await readUpload(req, CERTIFICATE_UPLOAD);
      const file = await signedHocBaPdf(app.db, callerOf(req), scopedUnit(req), req.params.studentId, upload.file, upload.fields.passphrase ?? '', req.query.level);
      return sendPdf(reply, file.fileName, file.body);
    },
  );
}
