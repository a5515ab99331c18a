import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import type { Database, NotificationTable } from '../../db/schema.js';

type Db = Kysely<Database>;

/** A notice as written: every column but the times the database keeps (created, read). */
export type NoticeRow = Required<Omit<Insertable<NotificationTable>, 'created_at' | 'read_at'>>;

/** Rows per insert: 11 parameters each stays far under PostgreSQL's 65,535 per statement. */
const CHUNK = 2000;

export async function insertNotices(trx: Transaction<Database>, rows: NoticeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('notification').values(rows.slice(i, i + CHUNK)).execute();
}

/** A person's inbox, newest first, a page at a time (`before`: the created_at of the last one shown). */
export async function listInbox(db: Db, userId: string, opts: { limit: number; before?: Date }) {
  let q = db
    .selectFrom('notification')
    .select(['id', 'school_id', 'student_id', 'kind', 'source_id', 'title', 'body', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(opts.limit);
  if (opts.before) q = q.where('created_at', '<', opts.before);
  return q.execute();
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const r = await db.selectFrom('notification').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks one person's notices read (only theirs: ids of another person's are ignored); returns how many changed. */
export async function markRead(db: Db, userId: string, where: { ids: string[] } | { sourceId: string } | { all: true }): Promise<number> {
  let q = db.updateTable('notification').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
  // { all: true }: every unread notice of the person.
  if ('ids' in where) {
    if (where.ids.length === 0) return 0;
    q = q.where('id', 'in', where.ids);
  } else if ('sourceId' in where) q = q.where('source_id', '=', where.sourceId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function findPreferences(db: Db, userId: string) {
  return db.selectFrom('notification_preference').select(['push', 'email', 'email_address', 'email_digest', 'webhook']).where('user_id', '=', userId).executeTakeFirst();
}

export async function savePreferences(db: Db, userId: string, p: { push: boolean; email: boolean; email_address: string | null; email_digest: boolean; webhook: boolean }) {
  await db
    .insertInto('notification_preference')
    .values({ user_id: userId, ...p })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...p, updated_at: new Date() }))
    .execute();
}

export async function devicesOf(db: Db, userId: string) {
  return db.selectFrom('push_subscription').select(['id', 'device', 'created_at']).where('user_id', '=', userId).orderBy('created_at').execute();
}

/** A browser's subscription: a browser that subscribed again (or for another person signed in on it) replaces its row. */
export async function upsertSubscription(db: Db, row: { id: string; user_id: string; endpoint: string; p256dh: string; auth: string; device: string }) {
  const r = await db
    .insertInto('push_subscription')
    .values(row)
    .onConflict((oc) => oc.column('endpoint').doUpdateSet({ user_id: row.user_id, p256dh: row.p256dh, auth: row.auth, device: row.device, created_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function deleteOwnSubscription(db: Db, userId: string, endpoint: string): Promise<number> {
  const r = await db.deleteFrom('push_subscription').where('user_id', '=', userId).where('endpoint', '=', endpoint).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deliveries that failed for good of the notices this person sent, newest first. */
export async function sentFailures(db: Db, senderId: string, sourceId?: string) {
  let q = db
    .selectFrom('notification_delivery as d')
    .innerJoin('notification as n', 'n.id', 'd.notification_id')
    .innerJoin('app_user as u', 'u.id', 'n.user_id')
    .select(['d.notification_id', 'n.source_id', 'n.kind', 'n.title', 'u.display_name', 'd.channel', 'd.last_error', 'd.attempts', 'n.created_at'])
    .where('n.sent_by', '=', senderId)
    .where('d.status', '=', 'failed')
    .orderBy('n.created_at', 'desc')
    .orderBy('u.display_name')
    .orderBy('d.channel')
    .limit(500);
  if (sourceId) q = q.where('n.source_id', '=', sourceId);
  return q.execute();
}

/** Puts this sender's failed deliveries back in the queue (attempts from zero); returns their batches. */
export async function requeueFailures(db: Db, senderId: string, sourceId?: string): Promise<{ batches: string[]; count: number }> {
  const r = await sql<{ batch_id: string }>`
    update notification_delivery d set status = 'pending', attempts = 0, next_attempt_at = now()
      from notification n
     where n.id = d.notification_id and n.sent_by = ${senderId} and d.status = 'failed'
       and (${sourceId ?? null}::uuid is null or n.source_id = ${sourceId ?? null}::uuid)
    returning n.batch_id`.execute(db);
  return { batches: [...new Set(r.rows.map((x) => x.batch_id))], count: r.rows.length };
}

export async function testNoticesInLastHour(db: Db, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('kind', '=', 'test')
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
