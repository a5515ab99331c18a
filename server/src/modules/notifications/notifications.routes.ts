import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZOk } from '../../../../contracts/common.js';
import {
  ZInbox,
  ZInboxQuery,
  ZMarkRead,
  ZMarkReadResult,
  ZNoticePreferences,
  ZNoticeSettings,
  ZPushKey,
  ZPushSubscribe,
  ZPushUnsubscribe,
  ZRetryFailures,
  ZRetryResult,
  ZSentFailures,
  ZSentFailuresQuery,
  ZUnread,
} from '../../../../contracts/notifications.js';
import { requireActor } from '../../platform/request-context.js';
import { scheduleDigest } from './digest.js';
import { getInbox, getSentFailures, releaseSendsOfDeadProcess, getSettings, getUnread, pushKey, readNotices, retryFailures, saveSettings, sendTestNotice, subscribe, unsubscribe } from './notifications.service.js';

const tags = ['notifications'];
const mine = { permission: { access: 'signed_in' } } as const;

/**
 * The contact book's notices for whoever is signed in: their inbox, their channels, their
 * browsers' push subscriptions, and the failures of what they sent. Every route touches the
 * caller's own rows only (the queries take the caller's id and nothing else), hence `signed_in`.
 */
export async function notificationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // The only process on the database: sends left 'sending' died with the process before. The
  // daily digest has its next run queued. Neither stops a start (an app built on an unmigrated
  // database, as the API document's generator does, has no tables yet).
  const log = (err: unknown) => app.log.error(`Thông báo: ${String(err)}`);
  if (app.appConfig.soleProcess) app.addHook('onReady', async () => void (await releaseSendsOfDeadProcess(app.db).catch(log)));
  if (app.appConfig.jobs) app.addHook('onReady', async () => scheduleDigest(app.db).catch(log));

  app.get('/me/notices', { config: mine, schema: { tags, summary: 'Hộp thông báo của tôi, mới nhất trước, từng trang', querystring: ZInboxQuery, response: { 200: ZInbox } } }, async (req) =>
    getInbox(app.db, requireActor(req), req.query),
  );
  app.get('/me/notices/unread', { config: mine, schema: { tags, summary: 'Số thông báo chưa đọc của tôi', response: { 200: ZUnread } } }, async (req) => getUnread(app.db, requireActor(req)));
  app.post('/me/notices/read', { config: mine, schema: { tags, summary: 'Đánh dấu đã đọc: các thông báo, mọi thông báo về một việc, hoặc tất cả', body: ZMarkRead, response: { 200: ZMarkReadResult } } }, async (req) =>
    readNotices(app.db, requireActor(req), req.body),
  );
  app.post(
    '/me/notices/test',
    { config: { ...mine, refusals: { '429': [{ code: 'test_notice_limit', when: 'đã gửi thử quá số lần cho phép trong một giờ' }] } }, schema: { tags, summary: 'Gửi thử một thông báo cho chính mình qua các kênh đã chọn', response: { 200: ZOk } } },
    async (req) => sendTestNotice(app.db, requireActor(req)),
  );

  app.get('/me/notice-settings', { config: mine, schema: { tags, summary: 'Cài đặt thông báo của tôi: kênh, e-mail, tổng hợp mỗi ngày, thiết bị nhận thông báo đẩy', response: { 200: ZNoticeSettings } } }, async (req) =>
    getSettings(app.db, requireActor(req)),
  );
  app.put('/me/notice-settings', { config: mine, schema: { tags, summary: 'Lưu cài đặt thông báo của tôi', body: ZNoticePreferences, response: { 200: ZNoticeSettings } } }, async (req) =>
    saveSettings(app.db, requireActor(req), req.body),
  );

  app.get('/me/push/key', { config: mine, schema: { tags, summary: 'Khóa công khai (VAPID) của máy chủ để trình duyệt đăng ký nhận thông báo đẩy', response: { 200: ZPushKey } } }, async () => pushKey(app.db));
  app.post('/me/push/subscriptions', { config: mine, schema: { tags, summary: 'Trình duyệt này nhận thông báo đẩy của tôi', body: ZPushSubscribe, response: { 200: ZOk } } }, async (req) =>
    subscribe(app.db, requireActor(req), req.body),
  );
  app.post('/me/push/unsubscribe', { config: mine, schema: { tags, summary: 'Trình duyệt này thôi nhận thông báo đẩy của tôi', body: ZPushUnsubscribe, response: { 200: ZOk } } }, async (req) =>
    unsubscribe(app.db, requireActor(req), req.body.endpoint),
  );

  app.get('/me/sent-notices/failures', { config: mine, schema: { tags, summary: 'Những thông báo tôi gửi chưa tới được người nhận qua một kênh, kèm lỗi', querystring: ZSentFailuresQuery, response: { 200: ZSentFailures } } }, async (req) =>
    getSentFailures(app.db, requireActor(req), req.query.sourceId),
  );
  app.post('/me/sent-notices/failures/retry', { config: mine, schema: { tags, summary: 'Gửi lại những thông báo tôi gửi chưa tới được người nhận', body: ZRetryFailures, response: { 200: ZRetryResult } } }, async (req) =>
    retryFailures(app.db, requireActor(req), req.body.sourceId),
  );
}
