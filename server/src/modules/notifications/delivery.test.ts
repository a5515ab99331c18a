import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { freshDb } from '../../../test/harness.js';
import { startPushEndpoint, startSmtp, startWebhookReceiver } from '../../../test/notice-receivers.js';
import { JobRunner } from '../../platform/jobs.js';
import { configureChannels } from './channels/config.js';
import { closeMail } from './channels/email.js';
import { forgetVapidKeys, vapidKeys } from './channels/push.js';
import { notify } from './notify.js';

/**
 * The delivery job against real local ends (rules: tests that can fail — a real SMTP server, a
 * real HTTP receiver checking the HMAC, a real HTTPS push endpoint decrypting RFC 8291 payloads).
 */
const h = await freshDb();
const smtp = await startSmtp({ failFirst: 1 });
const SECRET = 'bi-mat-cua-so-giao-duc-0123456789';
const hook = await startWebhookReceiver(SECRET);
const push = await startPushEndpoint();
const runner = new JobRunner(h.db, { pollMs: 50, retrySeconds: () => 0 });

beforeAll(async () => {
  forgetVapidKeys();
  configureChannels({ smtpUrl: smtp.url, publicUrl: 'https://truongso.example', webhook: { url: hook.url, secret: SECRET, withContact: false }, pushAgent: push.agent, retrySeconds: () => 0, maxAttempts: 3 });
  runner.start();
});
afterAll(async () => {
  await runner.stop();
  closeMail();
  configureChannels('reset');
  await Promise.all([smtp.close(), hook.close(), push.close()]);
  await h.close();
});

async function until<T>(what: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deliveries = () => h.db.selectFrom('notification_delivery as d').innerJoin('notification as n', 'n.id', 'd.notification_id').select(['n.user_id', 'd.channel', 'd.status', 'd.attempts', 'd.last_error']).execute();

describe('deliver_notices: push, e-mail and the webhook by each person preferences', () => {
  it('carries each notice once per channel, retries a refused send, and gives each family only its own', async () => {
    // parent A: e-mail and push on one phone; parent C: only the webhook (no subscription, no e-mail).
    await h.db.insertInto('notification_preference').values({ user_id: F.users.parentA, email: true, email_address: 'me.an@example.vn' }).execute();
    const phone = push.subscription();
    await h.db.insertInto('push_subscription').values({ id: crypto.randomUUID(), user_id: F.users.parentA, endpoint: phone.endpoint, p256dh: phone.keys.p256dh, auth: phone.keys.auth }).execute();
    const source = crypto.randomUUID();
    const started = Date.now();
    await h.db.transaction().execute(async (trx) => {
      await notify(
        trx,
        [
          { userId: F.users.parentA, kind: 'announcement', sourceId: source, schoolId: F.schoolA1, studentId: F.studentAn, title: 'Họp phụ huynh lớp 6A1 — em Nguyễn Văn An', body: 'Thứ Bảy 12/12, 8 giờ, phòng 201.', link: `/con/${F.studentAn}/hop-thu/${source}` },
          { userId: F.users.parentC, kind: 'announcement', sourceId: source, schoolId: F.schoolA1, studentId: F.studentCuong, title: 'Họp phụ huynh lớp 6A2 — em Hoàng Quốc Cường', body: 'Thứ Bảy 12/12, 8 giờ, phòng 305.', link: `/con/${F.studentCuong}/hop-thu/${source}` },
        ],
        { orgUnitId: F.schoolA1, createdBy: F.users.homeroomA1 },
      );
      // The runner was woken before this commit: it must still start soon after it.
      await new Promise((r) => setTimeout(r, 300));
    });

    await until(async () => (await deliveries()).every((d) => d.status === 'sent') && (await deliveries()).length === 4);
    expect(Date.now() - started).toBeLessThan(5000);
    const rows = await deliveries();
    expect(rows.map((r) => `${r.user_id === F.users.parentA ? 'A' : 'C'} ${r.channel} ${r.status}`).sort()).toEqual(['A email sent', 'A push sent', 'A webhook sent', 'C webhook sent']);
    // The SMTP server refused the first e-mail (451): the second attempt went through.
    expect(rows.find((r) => r.channel === 'email')!.attempts).toBe(2);

    // E-mail: one, UTF-8 Vietnamese subject and body, a link into the app, the same Message-ID as the delivery row.
    expect(smtp.arrived).toHaveLength(1);
    const mail = smtp.arrived[0]!;
    expect(mail.to).toBe('me.an@example.vn');
    expect(mail.subject).toBe('[Trường Số] Họp phụ huynh lớp 6A1 — em Nguyễn Văn An');
    expect(mail.text).toContain('Thứ Bảy 12/12, 8 giờ, phòng 201.');
    expect(mail.text).toContain(`https://truongso.example/con/${F.studentAn}/hop-thu/${source}`);
    expect(mail.messageId).toMatch(/^<notice-[0-9a-f-]{36}-email@truongso>$/);

    // Webhook: signed, one per notice, no phone or e-mail (the unit did not ask for them).
    expect(hook.arrived).toHaveLength(2);
    expect(hook.arrived.every((a) => a.signed)).toBe(true);
    expect(hook.raw()).not.toMatch(/0912345678|0987654321|me\.an@/);

    // Push: decrypted on the "phone", title/body/link/tag and nothing else.
    expect(push.arrived).toHaveLength(1);
    expect(Object.keys(push.arrived[0]!.payload).sort()).toEqual(['body', 'link', 'tag', 'title']);
    expect(push.arrived[0]!.topic).toMatch(/^[0-9a-f]{32}$/);

    // What parent A receives on any channel never names another family's child.
    const toA = [mail.raw, mail.text, push.arrived[0]!.plain, ...hook.arrived.filter((a) => (a.body.recipient as { id: string }).id === F.users.parentA).map((a) => a.raw)];
    expect(toA).toHaveLength(4);
    for (const text of toA) {
      expect(text).not.toContain('Cường');
      expect(text).not.toContain(F.studentCuong);
    }
  });

  it('lists a send that failed every attempt as failed with the error in Vietnamese, and drops a phone that unsubscribed', async () => {
    const phone = push.subscription();
    push.unsubscribe(phone.endpoint);
    await h.db.insertInto('push_subscription').values({ id: crypto.randomUUID(), user_id: F.users.parentC, endpoint: phone.endpoint, p256dh: phone.keys.p256dh, auth: phone.keys.auth }).execute();
    configureChannels({ webhook: { url: 'http://127.0.0.1:9/khong-co', secret: SECRET, withContact: true } });
    const batch = await h.db.transaction().execute((trx) =>
      notify(trx, [{ userId: F.users.parentC, kind: 'message', sourceId: crypto.randomUUID(), schoolId: F.schoolA1, studentId: null, title: 'Tin nhắn mới', link: '/tin-nhan' }], { orgUnitId: F.schoolA1, createdBy: F.users.homeroomA1 }),
    );
    const failed = await until(async () => {
      const r = await h.db.selectFrom('notification_delivery as d').innerJoin('notification as n', 'n.id', 'd.notification_id').select(['d.channel', 'd.status', 'd.attempts', 'd.last_error']).where('n.batch_id', '=', batch!).orderBy('d.channel').execute();
      return r.length === 2 && r.every((x) => x.status === 'failed') ? r : undefined;
    });
    expect(failed.map((f) => [f.channel, f.attempts])).toEqual([
      ['push', 1],
      ['webhook', 3],
    ]);
    expect(failed[0]!.last_error).toBe('Thiết bị đã hủy đăng ký nhận thông báo.');
    expect(failed[1]!.last_error).toMatch(/^Không kết nối được địa chỉ webhook/);
    expect(await h.db.selectFrom('push_subscription').select('id').where('endpoint', '=', phone.endpoint).execute()).toEqual([]);
    configureChannels({ webhook: { url: hook.url, secret: SECRET, withContact: false } });
  });

  it('makes the VAPID key pair once and keeps it in the database', async () => {
    const a = await vapidKeys(h.db);
    forgetVapidKeys();
    const b = await vapidKeys(h.db);
    expect(b.publicKey).toBe(a.publicKey);
    expect(a.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  });
});
