import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { TInbox, TNoticePreferences, TNoticeSettings, TSentFailures, ZInboxQuery, ZMarkRead, ZPushSubscribe } from '../../../../contracts/notifications.js';
import type { Database, NotificationChannel, NotificationKind } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { enqueueJob } from '../../platform/jobs.js';
import { channelConfig } from './channels/config.js';
import { emailConfigured } from './channels/email.js';
import { vapidKeys } from './channels/push.js';
import { batchJobUnit, releaseInterruptedSends, rootUnit } from './delivery.repo.js';
import { scheduleDigest } from './digest.js';
import {
  countUnread,
  deleteOwnSubscription,
  devicesOf,
  findPreferences,
  listInbox,
  markRead,
  requeueFailures,
  savePreferences,
  sentFailures,
  testNoticesInLastHour,
  upsertSubscription,
} from './notifications.repo.js';
import { deliverNotices, notify } from './notify.js';

type Db = Kysely<Database>;

export const KIND_LABELS: Record<NotificationKind, string> = {
  announcement: 'Thông báo',
  message: 'Tin nhắn',
  leave_request: 'Đơn xin nghỉ học',
  leave_decision: 'Kết quả đơn xin nghỉ học',
  results_published: 'Kết quả học tập',
  test: 'Gửi thử',
};

export const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  push: 'Thông báo đẩy',
  email: 'E-mail',
  webhook: 'Cổng của Sở (Zalo, SMS)',
};

/** Every signed-in person's inbox: their own notices only (the queries take the caller's id, nothing else). */
/**
 * At the start of the only process: sends left 'sending' by a process that died are free to be
 * tried again at once (their job is claimed again; the repeat carries the same message id).
 */
export const releaseSendsOfDeadProcess = (db: Db): Promise<number> => releaseInterruptedSends(db);

export async function getInbox(db: Db, actor: Actor, query: z.infer<typeof ZInboxQuery>): Promise<TInbox> {
  const rows = await listInbox(db, actor.userId, { limit: query.limit + 1, before: query.before ? new Date(query.before) : undefined });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((n) => ({ id: n.id, kind: n.kind, kindLabel: KIND_LABELS[n.kind], title: n.title, body: n.body, link: n.link, createdAt: new Date(n.created_at).toISOString(), read: n.read_at !== null })),
    unread: await countUnread(db, actor.userId),
    next: rows.length > query.limit ? new Date(page[page.length - 1]?.created_at ?? 0).toISOString() : null,
  };
}

export async function getUnread(db: Db, actor: Actor) {
  return { unread: await countUnread(db, actor.userId) };
}

export async function readNotices(db: Db, actor: Actor, body: z.infer<typeof ZMarkRead>) {
  const where = body.ids ? { ids: body.ids } : body.sourceId ? { sourceId: body.sourceId } : { all: true as const };
  const changed = await markRead(db, actor.userId, where);
  return { changed, unread: await countUnread(db, actor.userId) };
}

const DEFAULTS: TNoticePreferences = { push: true, email: false, emailAddress: null, emailDigest: false, webhook: true };

export async function getSettings(db: Db, actor: Actor): Promise<TNoticeSettings> {
  const p = await findPreferences(db, actor.userId);
  return {
    preferences: p ? { push: p.push, email: p.email, emailAddress: p.email_address, emailDigest: p.email_digest, webhook: p.webhook } : DEFAULTS,
    emailAvailable: emailConfigured(),
    digestHour: channelConfig().digestHour,
    devices: (await devicesOf(db, actor.userId)).map((d) => ({ id: d.id, device: d.device, createdAt: new Date(d.created_at).toISOString() })),
  };
}

export async function saveSettings(db: Db, actor: Actor, p: TNoticePreferences): Promise<TNoticeSettings> {
  await savePreferences(db, actor.userId, { push: p.push, email: p.email, email_address: p.emailAddress, email_digest: p.emailDigest, webhook: p.webhook });
  if (p.email && p.emailDigest) await scheduleDigest(db);
  return getSettings(db, actor);
}

export async function pushKey(db: Db) {
  return { publicKey: (await vapidKeys(db)).publicKey };
}

export async function subscribe(db: Db, actor: Actor, body: z.infer<typeof ZPushSubscribe>) {
  await upsertSubscription(db, { id: crypto.randomUUID(), user_id: actor.userId, endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth, device: body.device });
  return { ok: true };
}

export async function unsubscribe(db: Db, actor: Actor, endpoint: string) {
  await deleteOwnSubscription(db, actor.userId, endpoint);
  return { ok: true };
}

export async function getSentFailures(db: Db, actor: Actor, sourceId?: string): Promise<TSentFailures> {
  const rows = await sentFailures(db, actor.userId, sourceId);
  return {
    items: rows.map((r) => ({
      notificationId: r.notification_id,
      sourceId: r.source_id,
      kindLabel: KIND_LABELS[r.kind],
      title: r.title,
      recipient: r.display_name,
      channel: r.channel,
      channelLabel: CHANNEL_LABELS[r.channel],
      error: r.last_error ?? 'Không rõ lỗi.',
      attempts: r.attempts,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    total: rows.length,
  };
}

/** "Gửi lại": the sender's failed deliveries queued again, each batch's job woken. */
export async function retryFailures(db: Db, actor: Actor, sourceId?: string) {
  return db.transaction().execute(async (trx) => {
    const { batches, count } = await requeueFailures(trx, actor.userId, sourceId);
    for (const batchId of batches) {
      const unit = await batchJobUnit(trx, batchId);
      if (unit) await enqueueJob(trx, { kind: deliverNotices, orgUnitId: unit, params: { batchId }, createdBy: actor.userId, maxAttempts: 5 });
    }
    return { queued: count };
  });
}

const testPerHour = () => Number(process.env.TRUONGSO_TEST_NOTICES_PER_HOUR ?? 5);

/**
 * "Gửi thử": a notice to oneself over one's own channels, to see that they work. Limited per hour:
 * an e-mail address typed in the settings must not become a way to write to someone else's box.
 */
export async function sendTestNotice(db: Db, actor: Actor) {
  if ((await testNoticesInLastHour(db, actor.userId)) >= testPerHour())
    throw new AppError(429, 'test_notice_limit', `Mỗi giờ chỉ gửi thử được ${testPerHour()} lần — hãy thử lại sau.`);
  const id = crypto.randomUUID();
  const unit = await rootUnit(db);
  await db.transaction().execute((trx) =>
    notify(trx, [{ userId: actor.userId, kind: 'test', sourceId: id, schoolId: null, studentId: null, title: 'Thông báo thử từ Trường Số', body: 'Bạn nhận được thông báo này vì vừa bấm "Gửi thử" trong Cài đặt thông báo.', link: '/hop-thu' }], { orgUnitId: unit, createdBy: actor.userId }),
  );
  return { ok: true };
}
