import { type Kysely, sql } from 'kysely';
import type { Database, NotificationChannel } from '../../db/schema.js';

type Db = Kysely<Database>;

/** A channel's send that has not been marked sent within this many seconds is taken to have lost its process. */
export const SEND_LEASE_SECONDS = 60;

/**
 * The batch's delivery rows, one per notice × channel the recipient wants and the server can
 * carry: written once (a repeat of the job, after a crash or a "gửi lại", adds nothing).
 * `email` / `webhook`: whether the server has those channels at all; `webhookSchools`: the
 * schools of the batch whose unit (or the environment) has a webhook.
 */
export async function planDeliveries(db: Db, batchId: string, can: { email: boolean; webhookSchools: (string | null)[] }): Promise<void> {
  const webhookSchools = can.webhookSchools.filter((s): s is string => s !== null);
  const anyWebhookNull = can.webhookSchools.includes(null);
  await sql`
    insert into notification_delivery (notification_id, channel, message_id)
    select n.id, c.channel, 'notice-' || n.id || '-' || c.channel
      from notification n
      left join notification_preference p on p.user_id = n.user_id
      cross join (values ('push'), ('email'), ('webhook')) as c(channel)
     where n.batch_id = ${batchId}
       and case c.channel
             when 'push' then coalesce(p.push, true) and exists (select 1 from push_subscription s where s.user_id = n.user_id)
             when 'email' then ${can.email} and coalesce(p.email, false) and p.email_address is not null and not p.email_digest
             else coalesce(p.webhook, true)
                  and (n.school_id = any(${webhookSchools}::uuid[]) or (n.school_id is null and ${anyWebhookNull}))
           end
    on conflict do nothing`.execute(db);
}

export type ClaimedDelivery = {
  notification_id: string;
  channel: NotificationChannel;
  attempts: number;
  message_id: string;
  user_id: string;
  school_id: string | null;
  kind: string;
  title: string;
  body: string;
  link: string;
  created_at: Date;
  email_address: string | null;
};

/**
 * Takes up to `limit` of the batch's sends that are due — pending and their time has come, or
 * left 'sending' by a process that died — and marks them 'sending' (committed before anything is
 * sent) with a lease: SKIP LOCKED and the lease keep two processes from sending the same one.
 */
export async function claimDeliveries(db: Db, batchId: string, limit: number): Promise<ClaimedDelivery[]> {
  const r = await sql<ClaimedDelivery>`
    with due as (
      select d.notification_id, d.channel from notification_delivery d
        join notification n on n.id = d.notification_id
       where n.batch_id = ${batchId}
         and d.status in ('pending', 'sending') and d.next_attempt_at <= now()
       order by d.next_attempt_at
       limit ${limit}
       for update of d skip locked)
    update notification_delivery d
       set status = 'sending', attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${SEND_LEASE_SECONDS})
      from due, notification n
      left join notification_preference p on p.user_id = n.user_id
     where d.notification_id = due.notification_id and d.channel = due.channel and n.id = d.notification_id
    returning d.notification_id, d.channel, d.attempts, d.message_id, n.user_id, n.school_id, n.kind, n.title, n.body, n.link, n.created_at, p.email_address`.execute(db);
  return r.rows;
}

export async function markSent(db: Db, rows: { notification_id: string; channel: NotificationChannel }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update notification_delivery d set status = 'sent', sent_at = now(), last_error = null
      from unnest(${rows.map((r) => r.notification_id)}::uuid[], ${rows.map((r) => r.channel)}::text[]) as x(id, channel)
     where d.notification_id = x.id and d.channel = x.channel and d.status = 'sending'`.execute(db);
}

/** A failed send: pending again after `retryInSeconds`, or failed for good (the sender's list) when null. */
export async function markFailed(db: Db, row: { notification_id: string; channel: NotificationChannel }, error: string, retryInSeconds: number | null): Promise<void> {
  await db
    .updateTable('notification_delivery')
    .set(
      retryInSeconds === null
        ? { status: 'failed', last_error: error }
        : { status: 'pending', last_error: error, next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryInSeconds})` },
    )
    .where('notification_id', '=', row.notification_id)
    .where('channel', '=', row.channel)
    .where('status', '=', 'sending')
    .execute();
}

/** Seconds until the batch's next pending send is due (null when nothing is pending). */
export async function nextPendingIn(db: Db, batchId: string): Promise<number | null> {
  const r = await sql<{ secs: number | null }>`
    select ceil(extract(epoch from min(d.next_attempt_at) - now()))::int as secs from notification_delivery d
      join notification n on n.id = d.notification_id
     where n.batch_id = ${batchId} and d.status in ('pending', 'sending')`.execute(db);
  const secs = r.rows[0]?.secs;
  return secs === null || secs === undefined ? null : Math.max(0, Number(secs));
}

/** A process that is the only one on the database starts: sends it finds 'sending' died with the one before. */
export async function releaseInterruptedSends(db: Db): Promise<number> {
  const r = await db.updateTable('notification_delivery').set({ next_attempt_at: new Date(0) }).where('status', '=', 'sending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function subscriptionsOf(db: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('push_subscription').select(['id', 'user_id', 'endpoint', 'p256dh', 'auth']).where('user_id', 'in', userIds).execute();
}

export async function deleteSubscription(db: Db, id: string): Promise<void> {
  await db.deleteFrom('push_subscription').where('id', '=', id).execute();
}

/** The phone and e-mail on record of the guardians who are these accounts (webhook bodies that ask for them). */
export async function contactsOf(db: Db, userIds: string[]): Promise<Map<string, { phone: string | null; email: string | null }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('guardian').select(['user_id', 'phone', 'email']).where('user_id', 'in', userIds).orderBy('user_id').execute();
  const out = new Map<string, { phone: string | null; email: string | null }>();
  for (const r of rows) if (r.user_id && !out.has(r.user_id)) out.set(r.user_id, { phone: r.phone, email: r.email });
  return out;
}

export async function batchSchools(db: Db, batchId: string): Promise<(string | null)[]> {
  const rows = await db.selectFrom('notification').select('school_id').distinct().where('batch_id', '=', batchId).execute();
  return rows.map((r) => r.school_id);
}

/** The nearest of these units that has a webhook of its own (they are nearest first). */
export async function nearestWebhook(db: Db, unitIds: string[]) {
  if (unitIds.length === 0) return undefined;
  const rows = await db.selectFrom('notification_webhook').select(['org_unit_id', 'url', 'secret', 'with_contact']).where('org_unit_id', 'in', unitIds).execute();
  for (const id of unitIds) {
    const hit = rows.find((r) => r.org_unit_id === id);
    if (hit) return hit;
  }
  return undefined;
}

/** The unit a batch's delivery job belongs to (a "gửi lại" queues the next one under it). */
export async function batchJobUnit(db: Db, batchId: string): Promise<string | undefined> {
  const r = await sql<{ org_unit_id: string }>`
    select org_unit_id from background_job where kind = 'deliver_notices' and params ->> 'batchId' = ${batchId} order by created_at limit 1`.execute(db);
  return r.rows[0]?.org_unit_id;
}

/** The top of the tree (the ministry): jobs that belong to no school (a person's test notice, the daily digest). */
export async function rootUnit(db: Db): Promise<string> {
  const r = await db.selectFrom('org_unit').select('id').orderBy(sql`kind = 'ministry'`, 'desc').orderBy('created_at').limit(1).executeTakeFirstOrThrow();
  return r.id;
}
