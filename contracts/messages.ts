import { z } from 'zod';
import { MESSAGE_LIMITS } from '../domain/contact/contact-book.js';
import { ZId } from './common.js';

// Messages of the contact book (issue 11 §4): a thread per child and teacher, about that child.
// People are named by name and role only ("Cô Lê Thị Hoa — GVCN 6A1", "Phụ huynh em Nguyễn Văn An"):
// no phone number or e-mail address travels in either direction.

const ZBody = z
  .string()
  .trim()
  .min(1, 'Hãy viết nội dung tin nhắn.')
  .max(MESSAGE_LIMITS.maxLength, `Tin nhắn tối đa ${MESSAGE_LIMITS.maxLength} ký tự.`);

export const ZMessage = z.object({
  id: z.string(),
  side: z.enum(['family', 'staff']),
  author: z.string(),
  /** Written by the one reading (their own messages show on the right). */
  mine: z.boolean(),
  body: z.string(),
  sentAt: z.string(),
  /** The teacher is told at this instant (quiet hours); null = at once. What the family reads: "Cô sẽ nhận được lúc 06:30". */
  notifyAt: z.string().nullable(),
  /** Reported to the principal (by either side): the reporter's side reads so; a message is reported once. */
  reported: z.boolean(),
});

export const ZThreadSummary = z.object({
  id: z.string().nullable(),
  /** 'homeroom', or the subject teacher's staff id: who the family writes to. */
  teacherKey: z.string(),
  teacher: z.string(),
  student: z.string(),
  studentId: z.string(),
  className: z.string().nullable(),
  closed: z.boolean(),
  unread: z.number(),
  lastMessageAt: z.string().nullable(),
  lastMessage: z.string().nullable(),
});
export type TThreadSummary = z.infer<typeof ZThreadSummary>;

export const ZThread = ZThreadSummary.extend({
  messages: z.array(ZMessage),
  /** Whether the reader may write now (open thread, and the family only while the teacher still teaches the child). */
  canWrite: z.boolean(),
  /** The teacher's quiet hours as the family reads them ("21:00–06:30"), null when none. */
  quietHours: z.string().nullable(),
});
export type TThread = z.infer<typeof ZThread>;

/** The family's view of one child: the teachers they may write to, each with their thread. */
export const ZFamilyMessages = z.object({ threads: z.array(ZThread) });
export type TFamilyMessages = z.infer<typeof ZFamilyMessages>;

export const ZFamilyWrite = z.object({
  /** 'homeroom' or a subject teacher's id (where the school lets families write to them). */
  teacher: z.string().trim().min(1, 'Hãy chọn thầy cô nhận tin nhắn.').max(40),
  body: ZBody,
});
export type TFamilyWrite = z.infer<typeof ZFamilyWrite>;

export const ZStaffWrite = z.object({ body: ZBody });

export const ZTeacherThreads = z.object({ threads: z.array(ZThreadSummary) });
export type TTeacherThreads = z.infer<typeof ZTeacherThreads>;

export const ZReportMessage = z.object({
  reason: z.string().trim().min(5, 'Hãy ghi rõ lý do báo cáo (ít nhất 5 ký tự).').max(500, 'Lý do tối đa 500 ký tự.'),
});
export type TReportMessage = z.infer<typeof ZReportMessage>;

export const ZReportedMessages = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      author: z.string(),
      body: z.string(),
      sentAt: z.string(),
      student: z.string(),
      className: z.string().nullable(),
      reportedBy: z.string(),
      reportedAt: z.string(),
      reason: z.string(),
    }),
  ),
});
export type TReportedMessages = z.infer<typeof ZReportedMessages>;

export const ZContactSettings = z.object({ subjectTeacherMessages: z.boolean() });
export type TContactSettings = z.infer<typeof ZContactSettings>;

const ZDayTime = z.string().trim().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'Hãy ghi giờ theo dạng 21:00 (24 giờ).');
export const ZQuietHours = z.object({ quiet: z.boolean(), quietFrom: ZDayTime, quietTo: ZDayTime });
export type TQuietHours = z.infer<typeof ZQuietHours>;

export const messageParams = { threadId: ZId, messageId: ZId };
