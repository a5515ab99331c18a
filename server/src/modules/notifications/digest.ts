import type { Kysely } from 'kysely';
import { isoToday } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { defineJob, enqueueJob } from '../../platform/jobs.js';
import { channelConfig } from './channels/config.js';
import { digestMail, emailConfigured, sendMail } from './channels/email.js';
import { rootUnit } from './delivery.repo.js';
import { anyoneWantsDigest, claimDigests, digestQueued, markDigestSent, unreadOfDay } from './digest.repo.js';

type Db = Kysely<Database>;

const VN_OFFSET_MS = 7 * 3600_000;

/** Seconds from `now` until the next `hour`:00 in Vietnam (UTC+7, no daylight saving). */
export function secondsUntilHour(hour: number, now = new Date()): number {
  const vn = new Date(now.getTime() + VN_OFFSET_MS);
  const target = Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate(), hour) - VN_OFFSET_MS;
  const at = target > now.getTime() ? target : target + 86_400_000;
  return Math.ceil((at - now.getTime()) / 1000);
}

/**
 * The daily digest (kind notice_digest): at the configured hour, one e-mail per person who chose
 * it, with the day's notices still unread — then the next day's run is queued. A person's row in
 * notification_digest (per Vietnam day) is what makes it one e-mail a day, across restarts.
 */
export async function sendDigests(db: Db, day: string): Promise<{ sent: number }> {
  if (!emailConfigured()) return { sent: 0 };
  let sent = 0;
  for (const d of await claimDigests(db, day)) {
    const notices = await unreadOfDay(db, d.user_id, day);
    if (notices.length > 0 && d.email_address) await sendMail(digestMail(notices, day, d.email_address, d.message_id));
    await markDigestSent(db, d.user_id, day);
    sent++;
  }
  return { sent };
}

export const noticeDigest = defineJob<{ day?: string }>('notice_digest', async (ctx) => {
  const result = await sendDigests(ctx.db, ctx.params.day ?? isoToday());
  if (await anyoneWantsDigest(ctx.db)) await queueNext(ctx.db, ctx.orgUnitId);
  return result;
});

async function queueNext(db: Db, unit: string) {
  await enqueueJob(db, { kind: noticeDigest, orgUnitId: unit, params: {}, createdBy: null, maxAttempts: 3, delaySeconds: secondsUntilHour(channelConfig().digestHour) });
}

/** At start and when someone chooses the digest: the next run is queued, unless one is or nobody wants it. */
export async function scheduleDigest(db: Db): Promise<void> {
  if ((await digestQueued(db)) || !(await anyoneWantsDigest(db))) return;
  await queueNext(db, await rootUnit(db));
}
