import { z } from 'zod';
import { ZId } from './common.js';

/**
 * Announcements (thông báo, issue 11 item 3). A school's principal or office staff write to the
 * school's families and/or staff; a homeroom teacher to their class's families; an office to the
 * staff — and, when it chooses, the families — of the schools below it. Drafted, then sent at once
 * or at a chosen time; read receipts per family.
 */

export const ANNOUNCEMENT_LIMITS = {
  title: 200,
  body: 5000,
  files: 5,
  fileBytes: 5 * 1024 * 1024,
  /** How far ahead a sending may be scheduled. */
  scheduleDays: 60,
} as const;

/** Who it goes to. Families are the guardians with an account; students only their own accounts. */
export const ZAnnouncementAudience = z.object({
  families: z.boolean().default(true),
  students: z.boolean().default(false),
  staff: z.boolean().default(false),
  /** A school's classes (a homeroom teacher: their own class); empty = the whole school. */
  classIds: z.array(ZId).max(100, 'Chọn tối đa 100 lớp.').default([]),
  /** An office's schools below it; empty = every school below it today. */
  schoolIds: z.array(ZId).max(1000, 'Chọn tối đa 1000 trường.').default([]),
});
export type TAnnouncementAudience = z.infer<typeof ZAnnouncementAudience>;

const title = z
  .string()
  .trim()
  .min(1, 'Hãy nhập tiêu đề.')
  .max(ANNOUNCEMENT_LIMITS.title, `Tiêu đề tối đa ${ANNOUNCEMENT_LIMITS.title} ký tự.`);
// Kept as typed (line breaks, spaces), only checked to say something.
const body = z
  .string()
  .max(ANNOUNCEMENT_LIMITS.body, `Nội dung tối đa ${ANNOUNCEMENT_LIMITS.body} ký tự.`)
  .refine((s) => s.trim().length > 0, 'Hãy nhập nội dung thông báo.');

export const ZAnnouncementInput = z.object({ title, body, audience: ZAnnouncementAudience });
export type TAnnouncementInput = z.infer<typeof ZAnnouncementInput>;

/** Send now (sendAt null) or at a time: an instant with its offset, e.g. 2026-12-08T07:00:00+07:00. */
export const ZAnnouncementSend = z.object({
  sendAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'Hãy chọn ngày và giờ gửi, ví dụ 08/12/2026 07:00.')
    .refine((s) => !Number.isNaN(Date.parse(s)), 'Ngày giờ gửi không có thật — kiểm tra lại ngày và giờ.')
    .nullable()
    .default(null),
});
export type TAnnouncementSend = z.infer<typeof ZAnnouncementSend>;

export const ZAnnouncementStatus = z.enum(['draft', 'scheduled', 'sent', 'cancelled']);

export const ZAttachment = z.object({ id: ZId, fileName: z.string(), contentType: z.string(), sizeBytes: z.number() });

/** Read counts: families reached (students), those with an account, those who opened it; staff likewise. */
export const ZReadCounts = z.object({
  students: z.number(),
  linked: z.number(),
  read: z.number(),
  staff: z.number(),
  staffRead: z.number(),
});

export const ZAnnouncementItem = z.object({
  id: ZId,
  title: z.string(),
  status: ZAnnouncementStatus,
  audience: ZAnnouncementAudience,
  /** In words: "Cha mẹ học sinh lớp 6A1", "Cán bộ, giáo viên các trường" … */
  audienceText: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
  sendAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  attachmentCount: z.number(),
  counts: ZReadCounts.nullable(),
  /** The caller may still edit, send or cancel it. */
  canManage: z.boolean(),
});

/** What the caller may address from this unit. */
export const ZAudienceOptions = z.object({
  unitKind: z.enum(['school', 'office']),
  unitName: z.string(),
  /** Whole school (families and staff): the principal, school staff. */
  wholeSchool: z.boolean(),
  classes: z.array(z.object({ id: ZId, name: z.string() })),
  schools: z.array(z.object({ id: ZId, name: z.string() })),
});

export const ZAnnouncementList = z.object({ options: ZAudienceOptions, items: z.array(ZAnnouncementItem) });

export const ZUnreadFamily = z.object({
  studentId: ZId,
  fullName: z.string(),
  className: z.string().nullable(),
  schoolName: z.string(),
  /** No guardian (nor the student) has an account linked to this child yet. */
  linked: z.boolean(),
});

export const ZAnnouncementDetail = ZAnnouncementItem.extend({
  body: z.string(),
  attachments: z.array(ZAttachment),
  unread: z.array(ZUnreadFamily),
  /** The unread list is cut at this many. */
  unreadTruncated: z.boolean(),
  remindedAt: z.string().nullable(),
});
export type TAnnouncementDetail = z.infer<typeof ZAnnouncementDetail>;

export const ZRemindResult = z.object({ reminded: z.number() });

/** What a family reads, per child. */
export const ZFamilyAnnouncementItem = z.object({
  id: ZId,
  title: z.string(),
  senderName: z.string(),
  sentAt: z.string(),
  read: z.boolean(),
  attachmentCount: z.number(),
});
export const ZFamilyAnnouncementList = z.object({ items: z.array(ZFamilyAnnouncementItem), unread: z.number() });
export const ZFamilyAnnouncement = ZFamilyAnnouncementItem.extend({ body: z.string(), attachments: z.array(ZAttachment) });
export type TFamilyAnnouncement = z.infer<typeof ZFamilyAnnouncement>;
