import type { Kysely, Transaction } from 'kysely';
import type { Database, NotificationKind } from '../../db/schema.js';

type Db = Kysely<Database>;

export type NoticeRow = {
  id: string;
  user_id: string;
  school_id: string | null;
  student_id: string | null;
  kind: NotificationKind;
  source_id: string;
  batch_id: string;
  title: string;
  body: string;
  link: string;
  sent_by: string | null;
};

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
export async function markRead(db: Db, userId: string, where: { ids: string[] } | { sourceId: string }): Promise<number> {
  let q = db.updateTable('notification').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if ('ids' in where) {
    if (where.ids.length === 0) return 0;
    q = q.where('id', 'in', where.ids);
  } else q = q.where('source_id', '=', where.sourceId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
