import type { Kysely } from 'kysely';
import { isoToday } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { type JobContext, enqueueJob } from '../../platform/jobs.js';
import { ancestorsOrSelf } from '../../platform/org-tree.repo.js';
import { channelConfig } from './channels/config.js';
import { emailConfigured, noticeMail, sendMail } from './channels/email.js';
import { PushGone, sendPush, vapidKeys } from './channels/push.js';
import { postWebhook } from './channels/webhook.js';
import {
  type ClaimedDelivery,
  batchSchools,
  claimDeliveries,
  contactsOf,
  deleteSubscription,
  markFailed,
  markSent,
  nearestWebhook,
  nextPendingIn,
  planDeliveries,
  subscriptionsOf,
} from './delivery.repo.js';

type Db = Kysely<Database>;
type WebhookTarget = { url: string; secret: string; withContact: boolean };

/**
 * The delivery job of one notify() batch (kind deliver_notices): plans one row per notice ×
 * channel by each recipient's preferences, then sends them a chunk at a time. Every send is first
 * marked 'sending' and committed, then sent, then marked 'sent' — so a process killed anywhere
 * leaves each send either done and marked, not started, or 'sending'; a 'sending' one is sent
 * again (same Message-ID / delivery id / push topic, so the receiving end can drop the repeat:
 * the window is between the other end accepting and our 'sent' committing, one chunk wide).
 * A failed send is retried with back-off; after the last attempt it is on the sender's failure list.
 */
export async function deliverBatch(ctx: Pick<JobContext<{ batchId: string }>, 'db' | 'params' | 'orgUnitId' | 'progress' | 'turn'> & { createdBy?: string | null }) {
  const { db } = ctx;
  const { batchId } = ctx.params;
  const cfg = channelConfig();
  const webhooks = await webhookTargets(db, await batchSchools(db, batchId));
  await planDeliveries(db, batchId, { email: emailConfigured(), webhookSchools: [...webhooks.keys()] });
  const counts = { sent: 0, retry: 0, failed: 0 };
  const chunk = cfg.concurrency * 4;
  for (;;) {
    const claimed = await claimDeliveries(db, batchId, chunk);
    if (claimed.length === 0) break;
    const done = await sendChunk(db, claimed, webhooks);
    await markSent(db, done.sent);
    for (const f of done.failed) {
      const last = f.row.attempts >= cfg.maxAttempts || f.final;
      await markFailed(db, f.row, f.error, last ? null : cfg.retrySeconds(f.row.attempts));
      counts[last ? 'failed' : 'retry']++;
    }
    counts.sent += done.sent.length;
    await ctx.progress(counts.sent + counts.failed, 0, `Đã gửi ${counts.sent}`);
    await ctx.turn();
  }
  // Sends waiting for their next attempt: a job of their own, queued for when the first is due.
  const next = await nextPendingIn(db, batchId);
  if (next !== null) await enqueueJob(db, { kind: { kind: 'deliver_notices' }, orgUnitId: ctx.orgUnitId, params: { batchId }, createdBy: ctx.createdBy ?? null, maxAttempts: 5, delaySeconds: next });
  return counts;
}

/** Schools of the batch → the webhook that carries their notices (nearest unit above with one, else the environment's). */
async function webhookTargets(db: Db, schools: (string | null)[]): Promise<Map<string | null, WebhookTarget>> {
  const out = new Map<string | null, WebhookTarget>();
  const env = channelConfig().webhook;
  const today = isoToday();
  for (const school of schools) {
    const own = school ? await nearestWebhook(db, await ancestorsOrSelf(db, school, today)) : undefined;
    const target = own ? { url: own.url, secret: own.secret, withContact: own.with_contact } : env;
    if (target) out.set(school, target);
  }
  return out;
}

type Outcome = { sent: ClaimedDelivery[]; failed: { row: ClaimedDelivery; error: string; final: boolean }[] };

async function sendChunk(db: Db, rows: ClaimedDelivery[], webhooks: Map<string | null, WebhookTarget>): Promise<Outcome> {
  const out: Outcome = { sent: [], failed: [] };
  const pushRows = rows.filter((r) => r.channel === 'push');
  const subs = await subscriptionsOf(db, [...new Set(pushRows.map((r) => r.user_id))]);
  const keys = pushRows.length > 0 ? await vapidKeys(db) : null;
  const contactUsers = rows.filter((r) => r.channel === 'webhook' && webhooks.get(r.school_id)?.withContact).map((r) => r.user_id);
  const contacts = await contactsOf(db, [...new Set(contactUsers)]);
  const gone = new Set<string>();

  const one = async (row: ClaimedDelivery): Promise<void> => {
    try {
      if (row.channel === 'email') {
        if (!row.email_address) return void out.failed.push({ row, error: 'Người nhận chưa có địa chỉ e-mail.', final: true });
        await sendMail(noticeMail(row, row.email_address, row.message_id));
      } else if (row.channel === 'webhook') {
        const target = webhooks.get(row.school_id);
        if (!target) return void out.failed.push({ row, error: 'Đơn vị không còn cấu hình webhook.', final: true });
        const contact = target.withContact ? contacts.get(row.user_id) : undefined;
        await postWebhook(target, {
          id: row.message_id,
          event: 'notice',
          kind: row.kind,
          title: row.title,
          body: row.body,
          link: `${channelConfig().publicUrl}${row.link}`,
          createdAt: new Date(row.created_at).toISOString(),
          recipient: target.withContact ? { id: row.user_id, phone: contact?.phone ?? null, email: row.email_address ?? contact?.email ?? null } : { id: row.user_id },
        });
      } else {
        const mine = subs.filter((s) => s.user_id === row.user_id && !gone.has(s.id));
        let delivered = 0;
        let lastError = 'Người nhận chưa bật thông báo đẩy trên thiết bị nào.';
        for (const s of mine) {
          try {
            if (!keys) break;
            await sendPush(keys, s, { title: row.title, body: row.body, link: row.link, tag: row.notification_id });
            delivered++;
          } catch (err) {
            if (err instanceof PushGone) {
              gone.add(s.id);
              await deleteSubscription(db, s.id);
            }
            lastError = err instanceof Error ? err.message : String(err);
          }
        }
        if (delivered === 0) return void out.failed.push({ row, error: lastError, final: mine.every((s) => gone.has(s.id)) });
      }
      out.sent.push(row);
    } catch (err) {
      out.failed.push({ row, error: vietnameseError(row.channel, err), final: false });
    }
  };
  // A few at once per chunk: SMTP and HTTP round trips overlap, the database sees one chunk's updates.
  const limit = channelConfig().concurrency;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, rows.length) }, async () => {
      for (let row = rows[next++]; row; row = rows[next++]) await one(row);
    }),
  );
  return out;
}

function vietnameseError(channel: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(msg)) return msg.slice(0, 300);
  const what = channel === 'email' ? 'Máy chủ e-mail từ chối hoặc không kết nối được' : channel === 'webhook' ? 'Không gửi được tới webhook' : 'Không gửi được thông báo đẩy';
  return `${what} (${msg.slice(0, 200)}).`;
}
