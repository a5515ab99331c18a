import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ZAnnouncementDetail,
  ZAnnouncementInput,
  ZAnnouncementList,
  ZAnnouncementSend,
  ZFamilyAnnouncement,
  ZFamilyAnnouncementList,
  ZRemindResult,
} from '../../../../contracts/announcements.js';
import { idParams } from '../../../../contracts/common.js';
import { ANNOUNCEMENT_SENDER_ROLES } from '../../../../contracts/roles.js';
import type { Role } from '../../db/schema.js';
import type { Permission } from '../../platform/permissions.js';
import { readUpload } from '../../platform/multipart-upload.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import { attachmentHeader } from '../../platform/xlsx-export.js';
import {
  type Caller,
  addAttachment,
  cancelAnnouncement,
  createAnnouncement,
  familyAnnouncements,
  familyAttachment,
  getAnnouncement,
  listAnnouncements,
  openFamilyAnnouncement,
  openReceivedAnnouncement,
  receivedAnnouncements,
  receivedAttachment,
  remindUnread,
  removeAttachment,
  sendAnnouncement,
  senderAttachment,
  updateAnnouncement,
} from './announcements.service.js';

const tags = ['announcements'];
const unitParams = idParams('unitId');
const itemParams = idParams('unitId', 'announcementId');
const fileParams = idParams('unitId', 'announcementId', 'attachmentId');
const childParams = idParams('schoolId', 'studentId');
const childItemParams = idParams('schoolId', 'studentId', 'announcementId');
const childFileParams = idParams('schoolId', 'studentId', 'announcementId', 'attachmentId');
const receivedParams = idParams('announcementId');
const receivedFileParams = idParams('announcementId', 'attachmentId');

/**
 * Who may reach the sender's routes at all; the service narrows it (announcements.service.ts): a
 * school's principal and staff, its homeroom teachers (their class only), an office's own officers
 * (not an office above it, not the operator).
 */
const SENDERS: Role[] = ANNOUNCEMENT_SENDER_ROLES;
// allowOnClosedUnit: only the offices above a closed unit still pass the hook there, and the
// service refuses them (404) as for any unit not their own — a 409 would tell them it exists.
const sender: Permission = { access: 'unit', param: 'unitId', roles: SENDERS, allowOnClosedUnit: true };
/** A family's own: a guardian of the child, or the student; the service checks the link. */
const family: Permission = { access: 'unit', param: 'schoolId', roles: ['parent', 'student'] };
/** Any signed-in account: what it received is found by its own id (announcement_staff), nothing else. */
const received: Permission = { access: 'signed_in' };

const callerOf = (req: FastifyRequest): Caller => ({ actor: requireActor(req), roles: req.scope.roles, ip: req.ip });

const editRefusals = {
  '409': [
    { code: 'announcement_already_sent', when: 'thông báo đã gửi đi' },
    { code: 'announcement_cancelled', when: 'thông báo đã bị huỷ' },
  ],
};
const audienceRefusals = {
  '400': [
    { code: 'audience_empty', when: 'không chọn nhóm người nhận nào' },
    { code: 'class_not_in_school', when: 'lớp không thuộc năm học hiện tại của trường' },
    { code: 'school_not_below', when: 'trường không trực thuộc đơn vị' },
  ],
  '403': [{ code: 'announcement_not_your_class', when: 'giáo viên chủ nhiệm chọn lớp không phải lớp mình' }],
};

function sendFile(reply: FastifyReply, f: { file_name: string; content_type: string; body: Uint8Array }) {
  return reply
    .header('content-type', f.content_type)
    .header('content-disposition', attachmentHeader(f.file_name))
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(f.body));
}

/** Announcements (thông báo): the sender's drafts, sending, receipts; each family's per child. */
export async function announcementRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/org-units/:unitId/announcements',
    { config: { permission: sender }, schema: { tags, summary: 'Thông báo của trường / phòng / sở (giáo viên chủ nhiệm: của mình), với số đã đọc, và những người được gửi', params: unitParams, response: { 200: ZAnnouncementList } } },
    async (req) => listAnnouncements(app.db, callerOf(req), scopedUnit(req)),
  );

  app.post(
    '/org-units/:unitId/announcements',
    { config: { permission: sender, refusals: audienceRefusals }, schema: { tags, summary: 'Soạn thông báo (bản nháp): tiêu đề, nội dung, người nhận', params: unitParams, body: ZAnnouncementInput, response: { 200: ZAnnouncementDetail } } },
    async (req) => createAnnouncement(app.db, callerOf(req), scopedUnit(req), req.body),
  );

  app.get(
    '/org-units/:unitId/announcements/:announcementId',
    { config: { permission: sender }, schema: { tags, summary: 'Một thông báo: nội dung, tệp đính kèm, số đã đọc và danh sách gia đình chưa đọc', params: itemParams, response: { 200: ZAnnouncementDetail } } },
    async (req) => getAnnouncement(app.db, callerOf(req), scopedUnit(req), req.params.announcementId),
  );

  app.put(
    '/org-units/:unitId/announcements/:announcementId',
    { config: { permission: sender, refusals: { ...audienceRefusals, ...editRefusals } }, schema: { tags, summary: 'Sửa thông báo chưa gửi (bản nháp hoặc đã hẹn giờ)', params: itemParams, body: ZAnnouncementInput, response: { 200: ZAnnouncementDetail } } },
    async (req) => updateAnnouncement(app.db, callerOf(req), scopedUnit(req), req.params.announcementId, req.body),
  );

  app.post(
    '/org-units/:unitId/announcements/:announcementId/send',
    {
      config: { permission: sender, refusals: { ...editRefusals, '400': [{ code: 'send_at_past', when: 'hẹn giờ gửi đã qua' }, { code: 'send_at_too_far', when: 'hẹn giờ gửi quá xa' }] } },
      schema: { tags, summary: 'Gửi ngay, hoặc hẹn giờ gửi (sửa, huỷ được trước giờ gửi)', params: itemParams, body: ZAnnouncementSend, response: { 200: ZAnnouncementDetail } },
    },
    async (req) => sendAnnouncement(app.db, callerOf(req), scopedUnit(req), req.params.announcementId, req.body),
  );

  app.post(
    '/org-units/:unitId/announcements/:announcementId/cancel',
    { config: { permission: sender, refusals: editRefusals }, schema: { tags, summary: 'Huỷ thông báo chưa gửi', params: itemParams, response: { 200: ZAnnouncementDetail } } },
    async (req) => cancelAnnouncement(app.db, callerOf(req), scopedUnit(req), req.params.announcementId),
  );

  app.post(
    '/org-units/:unitId/announcements/:announcementId/remind',
    {
      config: { permission: sender, refusals: { '409': [{ code: 'announcement_not_sent', when: 'thông báo chưa gửi' }, { code: 'remind_too_soon', when: 'vừa gửi hoặc vừa nhắc trong một giờ qua' }] } },
      schema: { tags, summary: 'Nhắc lại cho gia đình (và cán bộ) chưa đọc', params: itemParams, response: { 200: ZRemindResult } },
    },
    async (req) => remindUnread(app.db, callerOf(req), scopedUnit(req), req.params.announcementId),
  );

  app.post(
    '/org-units/:unitId/announcements/:announcementId/attachments',
    {
      config: {
        permission: sender,
        refusals: {
          ...editRefusals,
          '409': [...editRefusals['409'], { code: 'attachments_full', when: 'đã đủ 5 tệp' }],
          '413': [{ code: 'attachment_too_large', when: 'tệp lớn hơn 5 MB' }],
          '415': [
            { code: 'attachment_type', when: 'không phải PDF, ảnh, .docx, .xlsx' },
            { code: 'attachment_content_mismatch', when: 'nội dung không đúng loại tệp theo đuôi' },
          ],
        },
      },
      schema: { tags, summary: 'Đính kèm một tệp (PDF, ảnh, .docx, .xlsx; tối đa 5 MB, 5 tệp), gửi dạng multipart, trường "file"', params: itemParams, response: { 200: ZAnnouncementDetail } },
    },
    async (req) => {
      const upload = await readUpload(req, { field: 'file', notMultipart: 'Hãy gửi tệp đính kèm dạng multipart/form-data.', missing: { code: 'file_missing', detail: 'Tệp đính kèm: hãy chọn một tệp.' } });
      return addAttachment(app.db, callerOf(req), scopedUnit(req), req.params.announcementId, { body: upload.file, fileName: upload.fileName });
    },
  );

  app.delete(
    '/org-units/:unitId/announcements/:announcementId/attachments/:attachmentId',
    { config: { permission: sender, refusals: editRefusals }, schema: { tags, summary: 'Bỏ một tệp đính kèm của thông báo chưa gửi', params: fileParams, response: { 200: ZAnnouncementDetail } } },
    async (req) => removeAttachment(app.db, callerOf(req), scopedUnit(req), req.params.announcementId, req.params.attachmentId),
  );

  app.get(
    '/org-units/:unitId/announcements/:announcementId/attachments/:attachmentId',
    { config: { permission: sender }, schema: { tags, summary: 'Tải tệp đính kèm (người gửi)', params: fileParams } },
    async (req, reply) => sendFile(reply, await senderAttachment(app.db, callerOf(req), scopedUnit(req), req.params.announcementId, req.params.attachmentId)),
  );

  // What reached the caller as staff: their own rows only (the queries take the caller's id).
  app.get(
    '/me/announcements',
    { config: { permission: received }, schema: { tags, summary: 'Thông báo cán bộ, giáo viên nhận được (mới nhất trước, chưa đọc được đánh dấu)', response: { 200: ZFamilyAnnouncementList } } },
    async (req) => receivedAnnouncements(app.db, callerOf(req)),
  );

  app.get(
    '/me/announcements/:announcementId',
    { config: { permission: received }, schema: { tags, summary: 'Mở một thông báo nhận được (ghi nhận đã đọc)', params: receivedParams, response: { 200: ZFamilyAnnouncement } } },
    async (req) => openReceivedAnnouncement(app.db, callerOf(req), req.params.announcementId),
  );

  app.get(
    '/me/announcements/:announcementId/attachments/:attachmentId',
    { config: { permission: received }, schema: { tags, summary: 'Tải tệp đính kèm của thông báo nhận được', params: receivedFileParams } },
    async (req, reply) => sendFile(reply, await receivedAttachment(app.db, callerOf(req), req.params.announcementId, req.params.attachmentId)),
  );

  app.get(
    '/schools/:schoolId/students/:studentId/announcements',
    { config: { permission: family }, schema: { tags, summary: 'Thông báo đã đến gia đình qua trường, lớp của con (mới nhất trước, chưa đọc được đánh dấu)', params: childParams, response: { 200: ZFamilyAnnouncementList } } },
    async (req) => familyAnnouncements(app.db, callerOf(req), scopedUnit(req), req.params.studentId),
  );

  app.get(
    '/schools/:schoolId/students/:studentId/announcements/:announcementId',
    { config: { permission: family }, schema: { tags, summary: 'Mở một thông báo (ghi nhận gia đình đã đọc)', params: childItemParams, response: { 200: ZFamilyAnnouncement } } },
    async (req) => openFamilyAnnouncement(app.db, callerOf(req), scopedUnit(req), req.params.studentId, req.params.announcementId),
  );

  app.get(
    '/schools/:schoolId/students/:studentId/announcements/:announcementId/attachments/:attachmentId',
    { config: { permission: family }, schema: { tags, summary: 'Tải tệp đính kèm của thông báo đã đến gia đình', params: childFileParams } },
    async (req, reply) => sendFile(reply, await familyAttachment(app.db, callerOf(req), scopedUnit(req), req.params.studentId, req.params.announcementId, req.params.attachmentId)),
  );
}
