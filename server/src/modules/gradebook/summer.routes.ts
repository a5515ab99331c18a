import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZOk } from '../../../../contracts/common.js';
import {
  ZExemptions,
  ZReclassify,
  ZReclassifySummary,
  ZSetExemption,
  ZSummer,
  ZSummerRetests,
  ZSummerStateChange,
  ZSummerTraining,
} from '../../../../contracts/results.js';
import { scopedUnit } from '../../platform/request-context.js';
import { getExemptions, setExemption } from './exemptions.service.js';
import { changeSummerState, getSummer, reclassifyAfterSummer, setSummerRetests, setSummerTraining } from './summer.service.js';
import { callerOf, classParams, inSchool, principal, resultsReaders, schoolParams, tags } from './route-common.js';

// Who may do what inside a class (the principal records exemptions, a subject's teacher enters its
// re-test marks, the homeroom teacher re-rates training) is the service's rule, as for the grids:
// the routes ask only `inSchool` or `principal` (route-common.ts).


/** Exemptions (miễn học, TT22 Điều 11) and the summer re-test and training (Điều 13–14). */
export async function summerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/classes/:classId/exemptions',
    { config: { permission: resultsReaders }, schema: { tags, summary: 'Học sinh được miễn học một môn (học kì I, II hoặc cả năm) của lớp, kèm lý do', params: classParams, response: { 200: ZExemptions } } },
    async (req) => getExemptions(app.db, callerOf(req), scopedUnit(req), req.params.classId),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/exemptions',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [
            { code: 'student_not_in_class', when: 'học sinh không học lớp trong năm học' },
            { code: 'subject_not_taught', when: 'lớp không học môn này' },
          ],
          '403': [{ code: 'exemption_not_principal', when: 'chỉ hiệu trưởng quyết định miễn học' }],
        },
      },
      schema: { tags, summary: 'Ghi (hoặc bỏ, khi scope = null) miễn học một môn cho học sinh của lớp', params: classParams, body: ZSetExemption, response: { 200: ZExemptions } },
    },
    async (req) => setExemption(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.get(
    '/schools/:schoolId/classes/:classId/summer',
    { config: { permission: resultsReaders }, schema: { tags, summary: 'Học sinh kiểm tra lại, rèn luyện trong hè của lớp: điểm kiểm tra lại, xếp loại lại rèn luyện, kết quả xét lại', params: classParams, response: { 200: ZSummer } } },
    async (req) => getSummer(app.db, callerOf(req), scopedUnit(req), req.params.classId),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/summer/retests',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [
            { code: 'not_on_retest_list', when: 'học sinh không phải kiểm tra lại môn này' },
            { code: 'retest_value_invalid', when: 'điểm hoặc mức đánh giá lại không hợp lệ' },
          ],
          '403': [{ code: 'retest_not_teacher', when: 'chỉ giáo viên dạy môn ở lớp (hoặc hiệu trưởng) nhập điểm kiểm tra lại' }],
          '409': [{ code: 'summer_locked', when: 'kết quả hè của năm học đã khóa' }],
        },
      },
      schema: { tags, summary: 'Nhập điểm (hoặc mức Đạt / Chưa đạt) kiểm tra lại trong hè', params: classParams, body: ZSummerRetests, response: { 200: ZSummer } },
    },
    async (req) => setSummerRetests(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/summer/training',
    {
      config: {
        permission: inSchool,
        refusals: {
          '400': [{ code: 'not_in_summer_training', when: 'học sinh không phải rèn luyện trong hè' }],
          '403': [{ code: 'summer_training_not_homeroom', when: 'chỉ giáo viên chủ nhiệm (hoặc hiệu trưởng) xếp loại lại rèn luyện' }],
          '409': [{ code: 'summer_locked', when: 'kết quả hè của năm học đã khóa' }],
        },
      },
      schema: { tags, summary: 'Xếp loại lại rèn luyện sau kì nghỉ hè', params: classParams, body: ZSummerTraining, response: { 200: ZSummer } },
    },
    async (req) => setSummerTraining(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.post(
    '/schools/:schoolId/summer/state',
    {
      config: {
        permission: principal,
        refusals: {
          '400': [{ code: 'unlock_reason_required', when: 'mở khóa mà không ghi lý do' }],
          '403': [{ code: 'summer_not_principal', when: 'chỉ hiệu trưởng khóa, mở khóa' }],
          '409': [{ code: 'summer_transition_refused', when: 'đã khóa (hoặc đang mở) rồi' }],
        },
      },
      schema: { tags, summary: 'Khóa (hoặc mở khóa, có lý do) điểm kiểm tra lại và rèn luyện hè của cả trường trong năm học', params: schoolParams, body: ZSummerStateChange, response: { 200: ZOk } },
    },
    async (req) => {
      await changeSummerState(app.db, callerOf(req), scopedUnit(req), req.body);
      return { ok: true };
    },
  );

  app.post(
    '/schools/:schoolId/results/after-summer',
    {
      config: {
        permission: principal,
        refusals: {
          '400': [{ code: 'no_summer_students', when: 'năm học chưa có học sinh kiểm tra lại hoặc rèn luyện hè' }],
          '403': [{ code: 'reclassify_not_principal', when: 'chỉ hiệu trưởng xét lại' }],
        },
      },
      schema: { tags, summary: 'Xét lại lên lớp / ở lại lớp sau kiểm tra lại và rèn luyện hè (cả trường, tính lại mỗi lần)', params: schoolParams, body: ZReclassify, response: { 200: ZReclassifySummary } },
    },
    async (req) => reclassifyAfterSummer(app.db, callerOf(req), scopedUnit(req), req.body),
  );
}
