import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../../contracts/common.js';
import {
  ZClassMeasurements,
  ZDevelopmentQuery,
  ZDevelopmentSheet,
  ZFamilyDevelopment,
  ZIndicatorSet,
  ZSaveDevelopment,
  ZSaveDevelopmentResult,
  ZSaveIndicatorSet,
  ZSaveMeasurements,
  ZSaveMeasurementsResult,
} from '../../../../contracts/preschool.js';
import { GRADEBOOK_ROLES, OFFICE_ROLES, RESULTS_READ_ROLES } from '../../../../contracts/roles.js';
import type { Permission } from '../../platform/permissions.js';
import { scopedUnit } from '../../platform/request-context.js';
import { callerOf, classParams } from '../gradebook/route-common.js';
import {
  familyDevelopment,
  getClassMeasurements,
  getDevelopmentSheet,
  getIndicatorSet,
  saveDevelopment,
  saveIndicatorSet,
  saveMeasurements,
} from './preschool.service.js';

const tags = ['preschool'];
/** Read: the school's managers and teachers (the service keeps a teacher to their class) and the offices above (read only). */
const read: Permission = { access: 'unit', param: 'schoolId', roles: [...OFFICE_ROLES, ...GRADEBOOK_ROLES] };
/** A class's evaluation and measurements (children's records): as a class's results, the school's people and the offices above, not the operator. */
const classRead: Permission = { access: 'unit', param: 'schoolId', roles: RESULTS_READ_ROLES };
/** Write: the class teacher or the school's managers (the service decides per class). */
const write: Permission = { access: 'unit', param: 'schoolId', roles: GRADEBOOK_ROLES };
/** The school's indicator set is the managers' to edit. */
const editSet: Permission = { access: 'unit', param: 'schoolId', roles: ['principal', 'school_staff'] };
/** A parent's own child (the service checks the guardian link), or the school seeing what the family sees. */
const family: Permission = { access: 'unit', param: 'schoolId', roles: [...GRADEBOOK_ROLES, 'parent'] };

const preschoolOnly = { code: 'preschool_only', when: 'lớp không phải lớp mầm non' };
const notClassTeacher = { code: 'preschool_not_class_teacher', when: 'người gửi không phải giáo viên của lớp hay ban giám hiệu' };

/** Preschool: the school's indicator set, a class's development evaluation per period, measurements and nutrition status, a child's as the family reads it. */
export async function preschoolRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const schoolParams = idParams('schoolId');

  app.get(
    '/schools/:schoolId/preschool/indicator-set',
    { config: { permission: read }, schema: { tags, summary: 'Bộ chỉ số đánh giá sự phát triển của trẻ mà trường dùng (mặc định: Bộ chuẩn phát triển trẻ em 5 tuổi)', params: schoolParams, response: { 200: ZIndicatorSet } } },
    async (req) => getIndicatorSet(app.db, callerOf(req), scopedUnit(req)),
  );

  app.put(
    '/schools/:schoolId/preschool/indicator-set',
    {
      config: {
        permission: editSet,
        refusals: {
          '400': [{ code: 'indicator_set_invalid', when: 'mã trống, sai dạng hoặc trùng; tên trống' }],
          '409': [{ code: 'indicator_set_changed', when: 'bộ chỉ số vừa được người khác sửa' }],
        },
      },
      schema: { tags, summary: 'Sửa bộ chỉ số của trường (cả bộ, kèm phiên bản đã đọc)', params: schoolParams, body: ZSaveIndicatorSet, response: { 200: ZIndicatorSet } },
    },
    async (req) => saveIndicatorSet(app.db, callerOf(req), scopedUnit(req), req.body),
  );

  app.get(
    '/schools/:schoolId/classes/:classId/development',
    { config: { permission: classRead, refusals: { '422': [preschoolOnly] } }, schema: { tags, summary: 'Đánh giá sự phát triển của trẻ trong lớp ở một đợt, kèm tổng hợp theo lĩnh vực', params: classParams, querystring: ZDevelopmentQuery, response: { 200: ZDevelopmentSheet } } },
    async (req) => getDevelopmentSheet(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.query.evaluationPeriod),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/development',
    {
      config: { permission: write, refusals: { '403': [notClassTeacher], '422': [preschoolOnly] } },
      schema: { tags, summary: 'Lưu kết quả Đạt / Chưa đạt từng chỉ số (mỗi ô kèm phiên bản đã đọc; ô người khác vừa sửa trả về trong conflicts)', params: classParams, body: ZSaveDevelopment, response: { 200: ZSaveDevelopmentResult } },
    },
    async (req) => saveDevelopment(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.get(
    '/schools/:schoolId/classes/:classId/measurements',
    { config: { permission: classRead, refusals: { '422': [preschoolOnly] } }, schema: { tags, summary: 'Cân đo của trẻ trong lớp trong năm học, với tình trạng dinh dưỡng', params: classParams, response: { 200: ZClassMeasurements } } },
    async (req) => getClassMeasurements(app.db, callerOf(req), scopedUnit(req), req.params.classId),
  );

  app.put(
    '/schools/:schoolId/classes/:classId/measurements',
    {
      config: { permission: write, refusals: { '403': [notClassTeacher], '422': [preschoolOnly] } },
      schema: { tags, summary: 'Lưu chiều cao, cân nặng của trẻ (một lần đo mỗi ngày; trả về tình trạng dinh dưỡng tính theo chuẩn WHO)', params: classParams, body: ZSaveMeasurements, response: { 200: ZSaveMeasurementsResult } },
    },
    async (req) => saveMeasurements(app.db, callerOf(req), scopedUnit(req), req.params.classId, req.body),
  );

  app.get(
    '/schools/:schoolId/students/:studentId/development',
    { config: { permission: family }, schema: { tags, summary: 'Đánh giá sự phát triển và cân đo của một trẻ (cho cha mẹ; nhà trường xem như gia đình xem)', params: idParams('schoolId', 'studentId'), response: { 200: ZFamilyDevelopment } } },
    async (req) => familyDevelopment(app.db, callerOf(req), scopedUnit(req), req.params.studentId),
  );
}
