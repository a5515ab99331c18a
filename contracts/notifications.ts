import { z } from 'zod';
import { ZId } from './common.js';

// The contact book's notices as their recipient reads them (the in-app inbox), each person's
// choice of channels, their browsers' Web Push subscriptions, and the sender's failure list.

export const ZNoticeKind = z.enum(['announcement', 'message', 'leave_request', 'leave_decision', 'results_published', 'test']);
export const ZNoticeChannel = z.enum(['push', 'email', 'webhook']);

export const ZNotice = z.object({
  id: z.string(),
  kind: ZNoticeKind,
  kindLabel: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});

export const ZInboxQuery = z.object({
  /** The createdAt of the last notice shown: the page after it. */
  before: z.iso.datetime({ offset: true, message: 'Thời điểm không hợp lệ.' }).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const ZInbox = z.object({
  items: z.array(ZNotice),
  unread: z.number(),
  /** Pass as `before` for the next page; null at the end. */
  next: z.string().nullable(),
});

export const ZUnread = z.object({ unread: z.number() });

export const ZMarkRead = z
  .object({
    ids: z.array(ZId).max(200).optional(),
    sourceId: ZId.optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => [b.ids, b.sourceId, b.all].filter((x) => x !== undefined).length === 1, { message: 'Chọn thông báo cần đánh dấu đã đọc (một trong: các thông báo, một nguồn, hoặc tất cả).' });

export const ZMarkReadResult = z.object({ changed: z.number(), unread: z.number() });

export const ZNoticePreferences = z
  .object({
    push: z.boolean(),
    email: z.boolean(),
    emailAddress: z.string().trim().toLowerCase().email('Địa chỉ e-mail chưa đúng — ví dụ ten@example.vn.').max(254).nullable(),
    emailDigest: z.boolean(),
    webhook: z.boolean(),
  })
  .refine((p) => !p.email || p.emailAddress, { message: 'Hãy nhập địa chỉ e-mail để nhận thông báo qua e-mail.', path: ['emailAddress'] });

export const ZNoticeSettings = z.object({
  preferences: ZNoticePreferences,
  /** Whether this server can send e-mail at all (SMTP configured). */
  emailAvailable: z.boolean(),
  /** The hour (Vietnam time) the daily digest goes out. */
  digestHour: z.number(),
  /** Browsers that receive this person's pushes. */
  devices: z.array(z.object({ id: z.string(), device: z.string(), createdAt: z.string() })),
});

export const ZPushKey = z.object({ publicKey: z.string() });

export const ZPushSubscribe = z.object({
  endpoint: z.url({ protocol: /^https$/, message: 'Địa chỉ nhận thông báo đẩy phải là https.' }).max(1000),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{20,200}={0,2}$/, 'Khóa thiết bị không hợp lệ.'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{8,100}={0,2}$/, 'Khóa thiết bị không hợp lệ.'),
  }),
  device: z.string().trim().max(200).default(''),
});

export const ZPushUnsubscribe = z.object({ endpoint: z.string().max(1000) });

export const ZSentFailuresQuery = z.object({ sourceId: ZId.optional() });

export const ZSentFailure = z.object({
  notificationId: z.string(),
  sourceId: z.string(),
  kindLabel: z.string(),
  title: z.string(),
  recipient: z.string(),
  channel: ZNoticeChannel,
  channelLabel: z.string(),
  error: z.string(),
  attempts: z.number(),
  createdAt: z.string(),
});

export const ZSentFailures = z.object({ items: z.array(ZSentFailure), total: z.number() });

export const ZRetryFailures = z.object({ sourceId: ZId.optional() });
export const ZRetryResult = z.object({ queued: z.number() });

export type TNotice = z.infer<typeof ZNotice>;
export type TInbox = z.infer<typeof ZInbox>;
export type TNoticePreferences = z.infer<typeof ZNoticePreferences>;
export type TNoticeSettings = z.infer<typeof ZNoticeSettings>;
export type TSentFailures = z.infer<typeof ZSentFailures>;
