import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/**
 * People who chose the daily digest and have unread notices of `day` (Vietnam time) whose digest
 * is not out yet: each gets a 'sending' row now (committed before the e-mail goes), or keeps the
 * 'sending' row a killed process left (sent again, same Message-ID).
 */
export async function claimDigests(db: Db, day: string) {
  await sql`
    insert into notification_digest (user_id, day, status, message_id, notices)
    select p.user_id, ${day}::date, 'sending', 'digest-' || p.user_id || '-' || ${day}, count(*)::int
      from notification_preference p
      join notification n on n.user_id = p.user_id
     where p.email and p.email_digest and p.email_address is not null
       and n.read_at is null
       and n.created_at >= (${day}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')
       and n.created_at < ((${day}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')
     group by p.user_id
    on conflict do nothing`.execute(db);
  return db
    .selectFrom('notification_digest as g')
    .innerJoin('notification_preference as p', 'p.user_id', 'g.user_id')
    .select(['g.user_id', 'g.message_id', 'p.email_address'])
    .where('g.day', '=', day)
    .where('g.status', '=', 'sending')
    .execute();
}

export async function unreadOfDay(db: Db, userId: string, day: string) {
  return db
    .selectFrom('notification')
    .select(['title', 'body', 'link'])
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('created_at', '>=', sql<Date>`(${day}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')`)
    .where('created_at', '<', sql<Date>`((${day}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')`)
    .orderBy('created_at')
    .limit(50)
    .execute();
}

export async function markDigestSent(db: Db, userId: string, day: string) {
  await db.updateTable('notification_digest').set({ status: 'sent', sent_at: new Date() }).where('user_id', '=', userId).where('day', '=', day).execute();
}

export async function digestQueued(db: Db): Promise<boolean> {
  const r = await db.selectFrom('background_job').select('id').where('kind', '=', 'notice_digest').where('state', 'in', ['queued', 'running']).limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function anyoneWantsDigest(db: Db): Promise<boolean> {
  const r = await db.selectFrom('notification_preference').select('user_id').where('email', '=', true).where('email_digest', '=', true).limit(1).executeTakeFirst();
  return r !== undefined;
}
