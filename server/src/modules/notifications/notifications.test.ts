import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { startSmtp } from '../../../test/notice-receivers.js';
import { configureChannels } from './channels/config.js';
import { closeMail } from './channels/email.js';
import { secondsUntilHour, sendDigests } from './digest.js';
import { notify } from './notify.js';

/** The inbox, settings, push subscriptions and the sender's failure list over HTTP (jobs off: the job itself is delivery.test.ts). */
const ctx = await setupTestApp({ jobs: false });
const db = ctx.handle.db;
const smtp = await startSmtp();
configureChannels({ smtpUrl: smtp.url, publicUrl: 'https://truongso.example' });
afterAll(async () => {
  closeMail();
  configureChannels('reset');
  await smtp.close();
});

const tell = (userId: string, title: string, sourceId = crypto.randomUUID()) =>
  db.transaction().execute((trx) => notify(trx, [{ userId, kind: 'announcement', sourceId, schoolId: F.schoolA1, studentId: null, title, link: '/hop-thu' }], { orgUnitId: F.schoolA1, createdBy: F.users.homeroomA1 }));

describe('the inbox of every signed-in person', () => {
  it('pages newest first, counts unread, marks only the caller own notices read', async () => {
    for (let i = 1; i <= 5; i++) await tell(F.users.parentA, `Thông báo số ${i}`);
    await tell(F.users.parentC, 'Của gia đình khác');
    const a = await ctx.as('parentA');
    const first = (await a.get('/api/v1/me/notices?limit=3')).json();
    expect(first.items.map((n: { title: string }) => n.title)).toEqual(['Thông báo số 5', 'Thông báo số 4', 'Thông báo số 3']);
    expect(first.unread).toBe(5);
    const second = (await a.get(`/api/v1/me/notices?limit=3&before=${encodeURIComponent(first.next)}`)).json();
    expect(second.items.map((n: { title: string }) => n.title)).toEqual(['Thông báo số 2', 'Thông báo số 1']);
    expect(second.next).toBeNull();

    const c = await ctx.as('parentC');
    const theirs = (await c.get('/api/v1/me/notices')).json();
    expect(theirs.items.map((n: { title: string }) => n.title)).toEqual(['Của gia đình khác']);
    // C sends A's ids: nothing changes for either.
    expect((await c.post('/api/v1/me/notices/read', { ids: first.items.map((n: { id: string }) => n.id) })).json()).toEqual({ changed: 0, unread: 1 });
    expect((await a.get('/api/v1/me/notices/unread')).json()).toEqual({ unread: 5 });
    expect((await a.post('/api/v1/me/notices/read', { ids: [first.items[0].id] })).json()).toEqual({ changed: 1, unread: 4 });
    expect((await a.post('/api/v1/me/notices/read', { all: true })).json()).toEqual({ changed: 4, unread: 0 });
    const bad = await a.post('/api/v1/me/notices/read', {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toBe('Dữ liệu gửi lên: chọn thông báo cần đánh dấu đã đọc (một trong: các thông báo, một nguồn, hoặc tất cả).');
  });
});

describe('notice settings and push subscriptions', () => {
  it('keeps each person choice, names a wrong e-mail field in Vietnamese, and keeps subscriptions per person', async () => {
    const a = await ctx.as('parentA');
    const before = (await a.get('/api/v1/me/notice-settings')).json();
    expect(before.preferences).toEqual({ push: true, email: false, emailAddress: null, emailDigest: false, webhook: true });
    expect(before.emailAvailable).toBe(true);
    const wrong = await a.put('/api/v1/me/notice-settings', { push: true, email: true, emailAddress: 'khong-phai-email', emailDigest: false, webhook: true });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toMatch(/^Địa chỉ e-mail nhận thông báo: địa chỉ e-mail chưa đúng/);
    const saved = (await a.put('/api/v1/me/notice-settings', { push: false, email: true, emailAddress: 'Me.An@Example.vn', emailDigest: true, webhook: false })).json();
    expect(saved.preferences).toEqual({ push: false, email: true, emailAddress: 'me.an@example.vn', emailDigest: true, webhook: false });
    expect((await (await ctx.as('parentC')).get('/api/v1/me/notice-settings')).json().preferences.email).toBe(false);

    const key = (await a.get('/api/v1/me/push/key')).json();
    expect(key.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const sub = { endpoint: 'https://push.example/abc', keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) }, device: 'Điện thoại Android' };
    expect((await a.post('/api/v1/me/push/subscriptions', { ...sub, endpoint: 'http://169.254.169.254/latest' })).statusCode).toBe(400);
    expect((await a.post('/api/v1/me/push/subscriptions', sub)).statusCode).toBe(200);
    expect((await a.get('/api/v1/me/notice-settings')).json().devices.map((d: { device: string }) => d.device)).toEqual(['Điện thoại Android']);
    // Another person cannot remove it.
    await (await ctx.as('parentC')).post('/api/v1/me/push/unsubscribe', { endpoint: sub.endpoint });
    expect((await a.get('/api/v1/me/notice-settings')).json().devices).toHaveLength(1);
    await a.post('/api/v1/me/push/unsubscribe', { endpoint: sub.endpoint });
    expect((await a.get('/api/v1/me/notice-settings')).json().devices).toHaveLength(0);
  });

  it('sends the daily digest once per person and day, with the day unread notices, in Vietnamese', async () => {
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    await tell(F.users.parentA, 'Lịch kiểm tra học kì I');
    await tell(F.users.parentA, 'Nghỉ lễ Quốc khánh');
    expect(await sendDigests(db, day)).toEqual({ sent: 1 });
    expect(await sendDigests(db, day)).toEqual({ sent: 0 });
    expect(smtp.arrived).toHaveLength(1);
    const [y, m, d] = day.split('-');
    expect(smtp.arrived[0]!.subject).toBe(`[Trường Số] 2 thông báo chưa đọc ngày ${d}/${m}/${y}`);
    expect(smtp.arrived[0]!.text).toContain('Lịch kiểm tra học kì I');
    expect(smtp.arrived[0]!.text).toContain('Nghỉ lễ Quốc khánh');
    // Choosing the digest queued its next run.
    expect(await db.selectFrom('background_job').select('kind').where('kind', '=', 'notice_digest').execute()).toHaveLength(1);
  });

  it('schedules the digest at the configured hour, Vietnam time', () => {
    // 10:00 UTC = 17:00 in Vietnam: 18:00 is one hour away; 11:30 UTC = 18:30 → tomorrow 18:00.
    expect(secondsUntilHour(18, new Date('2026-12-07T10:00:00Z'))).toBe(3600);
    expect(secondsUntilHour(18, new Date('2026-12-07T11:30:00Z'))).toBe(23.5 * 3600);
  });
});

describe('the sender failure list and "gửi lại"', () => {
  it('lists only what the caller sent that failed, with the channel and error in Vietnamese, and queues it again', async () => {
    const source = crypto.randomUUID();
    const batch = await tell(F.users.parentC, 'Họp phụ huynh', source);
    const n = await db.selectFrom('notification').select('id').where('batch_id', '=', batch!).executeTakeFirstOrThrow();
    await db.insertInto('notification_delivery').values({ notification_id: n.id, channel: 'webhook', status: 'failed', attempts: 5, last_error: 'Địa chỉ webhook trả lời mã 503.', message_id: `notice-${n.id}-webhook` }).execute();
    const t = await ctx.as('homeroomA1');
    const list = (await t.get(`/api/v1/me/sent-notices/failures?sourceId=${source}`)).json();
    expect(list.items).toEqual([expect.objectContaining({ title: 'Họp phụ huynh', recipient: 'Phụ huynh em Cường', channelLabel: 'Cổng của Sở (Zalo, SMS)', error: 'Địa chỉ webhook trả lời mã 503.', kindLabel: 'Thông báo' })]);
    // Someone else sees none of it, and cannot requeue it.
    const p = await ctx.as('principalA1');
    expect((await p.get('/api/v1/me/sent-notices/failures')).json().items).toEqual([]);
    expect((await p.post('/api/v1/me/sent-notices/failures/retry', {})).json()).toEqual({ queued: 0 });
    const jobsBefore = (await db.selectFrom('background_job').select('id').where('kind', '=', 'deliver_notices').execute()).length;
    expect((await t.post('/api/v1/me/sent-notices/failures/retry', { sourceId: source })).json()).toEqual({ queued: 1 });
    expect((await db.selectFrom('notification_delivery').select(['status', 'attempts']).where('notification_id', '=', n.id).execute())).toEqual([{ status: 'pending', attempts: 0 }]);
    expect((await db.selectFrom('background_job').select('id').where('kind', '=', 'deliver_notices').execute()).length).toBe(jobsBefore + 1);
    expect((await t.get('/api/v1/me/sent-notices/failures')).json().items).toEqual([]);
  });

  it('sends a test notice to oneself, a few times an hour at most', async () => {
    const s = await ctx.as('studentAn');
    for (let i = 0; i < 5; i++) expect((await s.post('/api/v1/me/notices/test')).statusCode).toBe(200);
    const sixth = await s.post('/api/v1/me/notices/test');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().detail).toBe('Mỗi giờ chỉ gửi thử được 5 lần — hãy thử lại sau.');
    expect((await s.get('/api/v1/me/notices')).json().items[0].title).toBe('Thông báo thử từ Trường Số');
  });
});
