import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZOk, idParams } from '../../../../contracts/common.js';
import { ZContactSettings, ZFamilyMessages, ZFamilyWrite, ZQuietHours, ZReportMessage, ZReportedMessages, ZStaffWrite, ZTeacherThreads, ZThread } from '../../../../contracts/messages.js';
import { withRetryAfter } from '../../platform/errors.js';
import type { Permission } from '../../platform/permissions.js';
import { scopedUnit } from '../../platform/request-context.js';
import { callerOf } from '../gradebook/route-common.js';
import {
  contactSettings,
  familyMessages,
  familyWrite,
  myQuietHours,
  reportMessage,
  reportedMessages,
  saveContactSettings,
  saveMyQuietHours,
  setClosed,
  teacherThread,
  teacherThreads,
  teacherWrite,
} from './messages.service.js';

const tags = ['messages'];
const schoolParams = idParams('schoolId');
const studentParams = idParams('schoolId', 'studentId');
const threadParams = idParams('schoolId', 'threadId');
const messageParams = idParams('schoolId', 'messageId');

/** A parent of the child (the service checks the guardian link). */
const family: Permission = { access: 'unit', param: 'schoolId', roles: ['parent'] };
/** A teacher of the school (the service keeps them to their classes' threads). */
const teachers: Permission = { access: 'unit', param: 'schoolId', roles: ['homeroom_teacher', 'subject_teacher'] };
/** Either side of a thread reports a message. */
const sides: Permission = { access: 'unit', param: 'schoolId', roles: ['parent', 'homeroom_teacher', 'subject_teacher'] };
const principal: Permission = { access: 'unit', param: 'schoolId', roles: ['principal'] };

export async function messageRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/schools/:schoolId/students/:studentId/messages',
    { config: { permission: family }, schema: { tags, summary: 'Tin nhắn của gia đình với giáo viên về một học sinh (đọc là đánh dấu đã đọc)', params: studentParams, response: { 200: ZFamilyMessages } } },
    async (req) => familyMessages(app.db, callerOf(req), scopedUnit(req), req.params.studentId),
  );

  app.post(
    '/schools/:schoolId/students/:studentId/messages',
    {
      config: { permission: family, refusals: { '409': [{ code: 'thread_closed', when: 'giáo viên đã đóng cuộc trò chuyện' }], '429': [{ code: 'message_rate_limited', when: 'gửi quá nhiều tin nhắn trong 10 phút' }] } },
      schema: { tags, summary: 'Phụ huynh gửi tin nhắn cho giáo viên chủ nhiệm (hoặc giáo viên bộ môn khi trường cho phép)', params: studentParams, body: ZFamilyWrite, response: { 200: ZThread } },
    },
    async (req, reply) => withRetryAfter(reply, () => familyWrite(app.db, callerOf(req), scopedUnit(req), req.params.studentId, req.body)),
  );

  app.get(
    '/schools/:schoolId/message-threads',
    { config: { permission: teachers }, schema: { tags, summary: 'Các cuộc trò chuyện với gia đình học sinh các lớp của giáo viên (chưa đọc trước)', params: schoolParams, response: { 200: ZTeacherThreads } } },
    async (req) => teacherThreads(app.db, callerOf(req), scopedUnit(req)),
  );

  app.get(
    '/schools/:schoolId/message-threads/:threadId',
    { config: { permission: teachers }, schema: { tags, summary: 'Một cuộc trò chuyện (đọc là đánh dấu đã đọc)', params: threadParams, response: { 200: ZThread } } },
    async (req) => teacherThread(app.db, callerOf(req), scopedUnit(req), req.params.threadId),
  );

  app.post(
    '/schools/:schoolId/message-threads/:threadId/messages',
    {
      config: { permission: teachers, refusals: { '409': [{ code: 'thread_closed', when: 'cuộc trò chuyện đang đóng' }], '429': [{ code: 'message_rate_limited', when: 'gửi quá nhiều tin nhắn trong 10 phút' }] } },
      schema: { tags, summary: 'Giáo viên trả lời gia đình', params: threadParams, body: ZStaffWrite, response: { 200: ZThread } },
    },
    async (req, reply) => withRetryAfter(reply, () => teacherWrite(app.db, callerOf(req), scopedUnit(req), req.params.threadId, req.body.body)),
  );

  app.post(
    '/schools/:schoolId/message-threads/:threadId/close',
    { config: { permission: teachers }, schema: { tags, summary: 'Giáo viên đóng cuộc trò chuyện (gia đình không gửi thêm được)', params: threadParams, response: { 200: ZThread } } },
    async (req) => setClosed(app.db, callerOf(req), scopedUnit(req), req.params.threadId, true),
  );

  app.post(
    '/schools/:schoolId/message-threads/:threadId/reopen',
    { config: { permission: teachers }, schema: { tags, summary: 'Giáo viên mở lại cuộc trò chuyện', params: threadParams, response: { 200: ZThread } } },
    async (req) => setClosed(app.db, callerOf(req), scopedUnit(req), req.params.threadId, false),
  );

  app.post(
    '/schools/:schoolId/messages/:messageId/report',
    {
      config: { permission: sides, refusals: { '409': [{ code: 'message_already_reported', when: 'tin nhắn đã được báo cáo' }] } },
      schema: { tags, summary: 'Báo cáo một tin nhắn của phía bên kia với hiệu trưởng, kèm lý do', params: messageParams, body: ZReportMessage, response: { 200: ZOk } },
    },
    async (req) => reportMessage(app.db, callerOf(req), scopedUnit(req), req.params.messageId, req.body),
  );

  app.get(
    '/schools/:schoolId/reported-messages',
    { config: { permission: principal }, schema: { tags, summary: 'Tin nhắn bị báo cáo của trường (chỉ các tin này, không xem được cuộc trò chuyện khác)', params: schoolParams, response: { 200: ZReportedMessages } } },
    async (req) => reportedMessages(app.db, callerOf(req), scopedUnit(req)),
  );

  app.get(
    '/schools/:schoolId/contact-settings',
    { config: { permission: principal }, schema: { tags, summary: 'Cài đặt sổ liên lạc của trường', params: schoolParams, response: { 200: ZContactSettings } } },
    async (req) => contactSettings(app.db, scopedUnit(req)),
  );

  app.put(
    '/schools/:schoolId/contact-settings',
    { config: { permission: principal }, schema: { tags, summary: 'Hiệu trưởng cho phép (hoặc thôi) nhắn tin với giáo viên bộ môn', params: schoolParams, body: ZContactSettings, response: { 200: ZContactSettings } } },
    async (req) => saveContactSettings(app.db, callerOf(req), scopedUnit(req), req.body),
  );

  app.get(
    '/schools/:schoolId/quiet-hours',
    { config: { permission: teachers }, schema: { tags, summary: 'Giờ yên tĩnh của giáo viên (giờ Việt Nam)', params: schoolParams, response: { 200: ZQuietHours } } },
    async (req) => myQuietHours(app.db, callerOf(req)),
  );

  app.put(
    '/schools/:schoolId/quiet-hours',
    { config: { permission: teachers }, schema: { tags, summary: 'Giáo viên đặt giờ yên tĩnh: tin nhắn đến lúc đó được báo khi hết giờ', params: schoolParams, body: ZQuietHours, response: { 200: ZQuietHours } } },
    async (req) => saveMyQuietHours(app.db, callerOf(req), req.body),
  );
}
