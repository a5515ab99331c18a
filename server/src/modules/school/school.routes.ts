import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZOk, idParams } from '../../../../contracts/common.js';
import {
  ZAssignment,
  ZAssignmentQuery,
  ZClass,
  ZClassListQuery,
  ZCreateAssignment,
  ZCreateClass,
  ZCreateStaff,
  ZDashboard,
  ZDashboardQuery,
  ZSchoolSubject,
  ZSchoolSubjectQuery,
  ZSchoolYear,
  ZStaff,
  ZStaffDirectoryEntry,
  ZStaffDirectoryQuery,
  ZStaffListQuery,
  ZUpdateClass,
  ZUpdateStaff,
  ZUpsertSchoolSubject,
  ZUpsertSchoolYear,
} from '../../../../contracts/school.js';
import { SCHOOL_READ_ROLES, SCHOOL_WRITE_ROLES, STAFF_PERSONAL_READ_ROLES } from '../../platform/actor.js';
import type { Permission } from '../../platform/permissions.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import { sendXlsx } from '../../platform/xlsx-export.js';
import { createAssignment, deleteAssignment, getAssignments } from './school-assignments.service.js';
import { createClass, exportClasses, getClasses, updateClass } from './school-classes.service.js';
import { schoolDashboard } from './school-dashboard.service.js';
import { createStaff, exportStaff, exportStaffDirectory, getStaff, getStaffDirectory, updateStaff } from './school-staff.service.js';
import { getSchoolSubjects, getSchoolYears, upsertSchoolSubject, upsertSchoolYear } from './school.service.js';

const tags = ['school'];
const schoolParams = idParams('schoolId');
// Teachers read their school's classes, staff directory and assignments; only managers change them.
const read: Permission = { access: 'unit', param: 'schoolId', roles: SCHOOL_READ_ROLES };
const write: Permission = { access: 'unit', param: 'schoolId', roles: SCHOOL_WRITE_ROLES };
// Staff personal records (date of birth, phone, contract…) stay with managers and offices;
// everyone who reads the school gets the staff directory.
const staffPersonal: Permission = { access: 'unit', param: 'schoolId', roles: STAFF_PERSONAL_READ_ROLES };

/** School records: the dashboard, years, classes, staff, teaching assignments and the school's subject plan. */
export async function schoolRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // ------------------------------------------------------------ dashboard
  app.get(
    '/schools/:schoolId/dashboard',
    {
      config: { permission: read },
      schema: { tags, summary: 'Tổng quan trường: sĩ số theo khối, lớp, giới tính, dân tộc', params: schoolParams, querystring: ZDashboardQuery, response: { 200: ZDashboard } },
    },
    async (req) => schoolDashboard(app.db, { actor: requireActor(req), roles: req.scope.roles, ip: req.ip }, scopedUnit(req), req.query.asOf),
  );

  // ------------------------------------------------------------ school years
  app.get(
    '/schools/:schoolId/school-years',
    {
      config: { permission: read },
      schema: { tags, summary: 'Các năm học của trường', params: schoolParams, response: { 200: z.array(ZSchoolYear) } },
    },
    async (req) => getSchoolYears(app.db, scopedUnit(req)),
  );

  app.put(
    '/schools/:schoolId/school-years',
    {
      config: { permission: write },
      schema: { tags, summary: 'Khai báo hoặc sửa năm học (ngày các học kì)', params: schoolParams, body: ZUpsertSchoolYear, response: { 200: ZSchoolYear } },
    },
    async (req) => upsertSchoolYear(app.db, requireActor(req), scopedUnit(req), req.body),
  );

  // ------------------------------------------------------------ classes
  app.get(
    '/schools/:schoolId/classes',
    {
      config: { permission: read },
      schema: { tags, summary: 'Danh sách lớp và sĩ số', params: schoolParams, querystring: ZClassListQuery, response: { 200: z.array(ZClass) } },
    },
    async (req) => getClasses(app.db, { actor: requireActor(req), roles: req.scope.roles }, scopedUnit(req), req.query),
  );

  app.get(
    '/schools/:schoolId/classes/export.xlsx',
    {
      config: { permission: read },
      schema: { tags, summary: 'Xuất danh sách lớp (Excel)', params: schoolParams, querystring: ZClassListQuery },
    },
    async (req, reply) => {
      const file = await exportClasses(app.db, { actor: requireActor(req), roles: req.scope.roles }, scopedUnit(req), req.query);
      return sendXlsx(reply, file.fileName, file.body);
    },
  );

  app.post(
    '/schools/:schoolId/classes',
    {
      config: { permission: write },
      schema: { tags, summary: 'Thêm lớp', params: schoolParams, body: ZCreateClass, response: { 200: ZClass } },
    },
    async (req) =>
      createClass(app.db, requireActor(req), scopedUnit(req), {
        ...req.body,
        ageGroup: req.body.ageGroup ?? null,
        siteId: req.body.siteId ?? null,
        homeroomTeacherId: req.body.homeroomTeacherId ?? null,
      }),
  );

  app.patch(
    '/schools/:schoolId/classes/:classId',
    {
      config: { permission: write },
      schema: {
        tags,
        summary: 'Sửa lớp (tên, khối, GVCN, buổi học…)',
        params: idParams('schoolId', 'classId'),
        body: ZUpdateClass,
        response: { 200: ZClass },
      },
    },
    async (req) => updateClass(app.db, requireActor(req), scopedUnit(req), req.params.classId, req.body),
  );

  // ------------------------------------------------------------ staff
  app.get(
    '/schools/:schoolId/staff-directory',
    {
      config: { permission: read },
      schema: {
        tags,
        summary: 'Danh bạ cán bộ, giáo viên (họ tên, chức vụ, môn dạy, liên hệ trong trường; không có thông tin cá nhân)',
        params: schoolParams,
        querystring: ZStaffDirectoryQuery,
        response: { 200: z.array(ZStaffDirectoryEntry) },
      },
    },
    async (req) => getStaffDirectory(app.db, scopedUnit(req), req.query),
  );

  app.get(
    '/schools/:schoolId/staff-directory/export.xlsx',
    {
      config: { permission: read },
      schema: { tags, summary: 'Xuất danh bạ cán bộ, giáo viên (Excel)', params: schoolParams, querystring: ZStaffDirectoryQuery },
    },
    async (req, reply) => {
      const file = await exportStaffDirectory(app.db, scopedUnit(req), req.query);
      return sendXlsx(reply, file.fileName, file.body);
    },
  );

  app.get(
    '/schools/:schoolId/staff',
    {
      config: { permission: staffPersonal },
      schema: { tags, summary: 'Danh sách cán bộ, giáo viên, nhân viên', params: schoolParams, querystring: ZStaffListQuery, response: { 200: z.array(ZStaff) } },
    },
    async (req) => getStaff(app.db, scopedUnit(req), req.query),
  );

  app.get(
    '/schools/:schoolId/staff/export.xlsx',
    {
      config: { permission: staffPersonal },
      schema: { tags, summary: 'Xuất danh sách cán bộ, giáo viên (Excel)', params: schoolParams, querystring: ZStaffListQuery },
    },
    async (req, reply) => {
      const file = await exportStaff(app.db, scopedUnit(req), req.query);
      return sendXlsx(reply, file.fileName, file.body);
    },
  );

  app.post(
    '/schools/:schoolId/staff',
    {
      config: { permission: write },
      schema: { tags, summary: 'Thêm cán bộ, giáo viên', params: schoolParams, body: ZCreateStaff, response: { 200: ZStaff } },
    },
    async (req) => createStaff(app.db, requireActor(req), scopedUnit(req), req.body),
  );

  app.patch(
    '/schools/:schoolId/staff/:staffId',
    {
      config: { permission: write },
      schema: {
        tags,
        summary: 'Sửa thông tin cán bộ, giáo viên (hoặc cho nghỉ)',
        params: idParams('schoolId', 'staffId'),
        body: ZUpdateStaff,
        response: { 200: ZStaff },
      },
    },
    async (req) => updateStaff(app.db, requireActor(req), scopedUnit(req), req.params.staffId, req.body),
  );

  // ------------------------------------------------------------ teaching assignments
  app.get(
    '/schools/:schoolId/assignments',
    {
      config: { permission: read },
      schema: { tags, summary: 'Phân công chuyên môn', params: schoolParams, querystring: ZAssignmentQuery, response: { 200: z.array(ZAssignment) } },
    },
    async (req) => getAssignments(app.db, scopedUnit(req), req.query),
  );

  app.post(
    '/schools/:schoolId/assignments',
    {
      config: { permission: write },
      schema: { tags, summary: 'Phân công giáo viên dạy một môn ở một lớp trong một học kì', params: schoolParams, body: ZCreateAssignment, response: { 200: ZAssignment } },
    },
    async (req) => createAssignment(app.db, requireActor(req), scopedUnit(req), req.body),
  );

  app.delete(
    '/schools/:schoolId/assignments/:assignmentId',
    {
      config: { permission: write },
      schema: { tags, summary: 'Xóa phân công chuyên môn', params: idParams('schoolId', 'assignmentId'), response: { 200: ZOk } },
    },
    async (req) => deleteAssignment(app.db, requireActor(req), scopedUnit(req), req.params.assignmentId),
  );

  // ------------------------------------------------------------ subjects
  app.get(
    '/schools/:schoolId/subjects',
    {
      config: { permission: read },
      schema: {
        tags,
        summary: 'Môn học của trường theo khối (chương trình GDPT 2018 và điều chỉnh của trường)',
        params: schoolParams,
        querystring: ZSchoolSubjectQuery,
        response: { 200: z.array(ZSchoolSubject) },
      },
    },
    async (req) => getSchoolSubjects(app.db, scopedUnit(req), req.query),
  );

  app.put(
    '/schools/:schoolId/subjects',
    {
      config: { permission: write },
      schema: { tags, summary: 'Điều chỉnh số tiết, cách đánh giá hoặc không dạy một môn trong năm học', params: schoolParams, body: ZUpsertSchoolSubject, response: { 200: ZSchoolSubject } },
    },
    async (req) => upsertSchoolSubject(app.db, requireActor(req), scopedUnit(req), req.body),
  );
}
