import webPush from 'web-push';
import nodemailer, { type Transporter } from 'nodemailer';
import { openDb } from '../server/src/db/connection.js';
import { migrate } from '../server/src/db/migrator.js';
import { configureChannels } from '../server/src/modules/notifications/channels/config.js';
import { closeMail } from '../server/src/modules/notifications/channels/email.js';
import { forgetVapidKeys, vapidKeys } from '../server/src/modules/notifications/channels/push.js';
import { signWebhook } from '../server/src/modules/notifications/channels/webhook.js';
import { notify } from '../server/src/modules/notifications/notify.js';
import { JobRunner } from '../server/src/platform/jobs.js';
import { startPushEndpoint, startSmtp, startWebhookReceiver } from '../server/test/notice-receivers.js';
import { withBenchDatabase } from './pg-cluster.js';
import type { BenchResult } from './types.js';

const FAMILIES = 2000;
const CONCURRENCY = 8;
const SECRET = 'bench-secret-0123456789abcdef';

/**
 * Issue 11's figure on PostgreSQL: one school-wide announcement to 2,000 families — notify() puts
 * it in every inbox in one transaction, then the deliver_notices job carries it by e-mail (a local
 * SMTP server), a signed webhook (a local HTTP receiver) and Web Push (a local HTTPS push endpoint
 * decrypting every payload), each family having all three. Each channel's throughput is compared
 * with the same 2,000 sends made directly (nodemailer, fetch, web-push) at the same concurrency
 * without the queue, measured in the same run against the same receivers.
 */
export function benchNotices(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'notices', (dbUrl) => measure(dbUrl));
}

async function measure(dbUrl: string): Promise<BenchResult> {
  const handle = await openDb({ databaseUrl: dbUrl, poolSize: 5 });
  await migrate(handle.pool);
  const db = handle.db;
  const smtp = await startSmtp();
  const hook = await startWebhookReceiver(SECRET);
  const push = await startPushEndpoint();
  forgetVapidKeys();
  configureChannels({ smtpUrl: smtp.url, publicUrl: 'https://truongso.example', webhook: { url: hook.url, secret: SECRET, withContact: true }, pushAgent: push.agent, concurrency: CONCURRENCY });
  const runner = new JobRunner(db, { pollMs: 200 });
  try {
    const school = crypto.randomUUID();
    await db.insertInto('org_unit').values({ id: school, kind: 'school', code: 'BENCH' }).execute();
    const users = Array.from({ length: FAMILIES }, (_, i) => ({ id: crypto.randomUUID(), username: `bench.ph${i}`, password_hash: 'x', display_name: `Phụ huynh ${i}` }));
    await db.insertInto('app_user').values(users).execute();
    await db.insertInto('notification_preference').values(users.map((u, i) => ({ user_id: u.id, email: true, email_address: `ph${i}@example.vn` }))).execute();
    const subs = users.map((u) => ({ user: u.id, sub: push.subscription() }));
    await db.insertInto('push_subscription').values(subs.map((s) => ({ id: crypto.randomUUID(), user_id: s.user, endpoint: s.sub.endpoint, p256dh: s.sub.keys.p256dh, auth: s.sub.keys.auth }))).execute();

    // Baselines first: the same sends without the queue, same receivers, same concurrency.
    const rawMail = await timedPool(FAMILIES, CONCURRENCY, async (i) => {
      await mailer.sendMail({ from: 'Trường Số <no-reply@truongso.local>', to: `ph${i}@example.vn`, subject: `[Trường Số] Thông báo ${i}`, text: 'Họp phụ huynh toàn trường thứ Bảy.' });
    }, () => (mailer = nodemailer.createTransport(`${smtp.url}?pool=true`)));
    mailer.close();
    const rawHook = await timedPool(FAMILIES, CONCURRENCY, async (i) => {
      const body = JSON.stringify({ id: `raw-${i}`, title: 'Họp phụ huynh', body: 'Thứ Bảy', link: 'https://truongso.example/thong-bao' });
      const ts = Math.floor(Date.now() / 1000);
      const r = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-truongso-timestamp': String(ts), 'x-truongso-signature': signWebhook(SECRET, ts, body) }, body });
      await r.arrayBuffer();
    });
    const keys = await vapidKeys(db);
    const rawPush = await timedPool(FAMILIES, CONCURRENCY, async (i) => {
      const s = subs[i]?.sub;
      if (!s) return;
      await webPush.sendNotification(s, JSON.stringify({ title: 'Họp phụ huynh', body: 'Thứ Bảy', link: '/thong-bao', tag: `raw-${i}` }), {
        vapidDetails: { subject: 'mailto:quantri@truongso.local', publicKey: keys.publicKey, privateKey: keys.privateKey },
        agent: push.agent,
      });
    });
    smtp.arrived.length = 0;
    hook.arrived.length = 0;
    push.arrived.length = 0;

    // The announcement: in every inbox at commit, then the job.
    runner.start();
    const t0 = performance.now();
    const source = crypto.randomUUID();
    await db.transaction().execute((trx) =>
      notify(trx, users.map((u) => ({ userId: u.id, kind: 'announcement' as const, sourceId: source, schoolId: school, studentId: null, title: 'Họp phụ huynh toàn trường', body: 'Thứ Bảy 12/12, 8 giờ, tại hội trường.', link: `/thong-bao/${source}` })), { orgUnitId: school, createdBy: null }),
    );
    const inboxMs = performance.now() - t0;
    const done = () => smtp.arrived.length >= FAMILIES && hook.arrived.length >= FAMILIES && push.arrived.length >= FAMILIES;
    const firsts: Record<string, number> = {};
    const until = Date.now() + 600_000;
    while (!done() && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
      const now = performance.now() - t0;
      if (smtp.arrived.length >= FAMILIES) firsts.email ??= now;
      if (hook.arrived.length >= FAMILIES) firsts.webhook ??= now;
      if (push.arrived.length >= FAMILIES) firsts.push ??= now;
    }
    const allMs = performance.now() - t0;
    // The last chunk has arrived but its rows may not yet be marked 'sent' (the mark follows the
    // send): the row counts are read once nothing is pending or sending, at most 30 s later.
    for (let waited = 0; waited < 30_000; waited += 100) {
      const open = await db.selectFrom('notification_delivery').select((eb) => eb.fn.countAll<string>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
      if (Number(open.n) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const counts = await db.selectFrom('notification_delivery').select(['channel', 'status']).select((eb) => eb.fn.countAll<string>().as('n')).groupBy(['channel', 'status']).execute();
    const perSec = (n: number, ms: number) => `${Math.round((n / ms) * 1000)}/s`;
    const rate = (channel: 'email' | 'webhook' | 'push', raw: number) => {
      const ms = firsts[channel] ?? allMs;
      return `${perSec(FAMILIES, ms)} (all in ${(ms / 1000).toFixed(1)} s) vs raw ${perSec(FAMILIES, raw)} = ${((FAMILIES / ms) / (FAMILIES / raw) * 100).toFixed(0)} %`;
    };
    const unsigned = hook.arrived.filter((a) => !a.signed).length;
    return {
      name: `Notices on PostgreSQL: one announcement to ${FAMILIES.toLocaleString('en')} families, every channel on for each (server, database, receivers and load share the 2 cores)`,
      rows: [
        ['in every in-app inbox (notify() committed)', `${(inboxMs / 1000).toFixed(2)} s`, '≤ 10 s'],
        ['e-mail through the job (local SMTP) vs raw nodemailer, same concurrency', rate('email', rawMail), 'report'],
        ['webhook through the job (local receiver, HMAC checked) vs raw fetch', rate('webhook', rawHook), 'report'],
        ['Web Push through the job (local HTTPS endpoint, payload decrypted) vs raw web-push', rate('push', rawPush), 'report'],
        ['all three channels delivered', `${(allMs / 1000).toFixed(1)} s`, 'report'],
      ],
      notes: [
        `Delivery rows: ${counts.map((c) => `${c.channel} ${c.status} ${c.n}`).join(', ')}; unsigned webhooks: ${unsigned}. The job runs the three channels together (${CONCURRENCY} sends at once, chunks of ${CONCURRENCY * 4} marked 'sending' then 'sent'), so each channel's time includes the others'; the raw baselines run one channel at a time.`,
      ],
    };
  } finally {
    await runner.stop();
    closeMail();
    configureChannels('reset');
    await Promise.all([smtp.close(), hook.close(), push.close()]);
    await handle.close();
  }
}

let mailer: Transporter;

async function timedPool(n: number, concurrency: number, send: (i: number) => Promise<void>, setup?: () => void): Promise<number> {
  setup?.();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await send(i);
    }),
  );
  return performance.now() - t0;
}
