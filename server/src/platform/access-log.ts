import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AccessAction, type AccessRow, insertAccessRows, insertAccessRowsPerStudent } from './access-log.repo.js';
import type { Actor } from './actor.js';

export type { AccessAction };

/**
 * Records that `actor` looked at one student's record (ND 13/2023 Art. 23 needs a trail to
 * investigate a breach), with no personal data of the student beyond its id. The caller answers
 * only once its line is committed. Outside a transaction the lines of requests arriving together
 * share one insert (see AccessLogBatch); inside one, the line commits with the transaction.
 */
export async function logAccess(
  db: Kysely<Database> | Transaction<Database>,
  actor: Pick<Actor, 'userId' | 'username'>,
  target: { schoolId: string; studentId: string },
  action: AccessAction,
  ip?: string | null,
): Promise<void> {
  const row: AccessRow = { schoolId: target.schoolId, studentId: target.studentId, userId: actor.userId, username: actor.username, action, ip: ip ?? null };
  if (db.isTransaction) await insertAccessRows(db, [row]);
  else await batchOf(db).add(row);
}

/**
 * Group commit for access-log lines: while one insert is on its way, the lines of the requests
 * that arrive meanwhile wait and then go together in the next. At one profile read at a time
 * nothing waits; at fifty, one statement and one commit carry many lines instead of one each,
 * which on a busy database is what a profile read mostly costs. Each request still answers only
 * after its own line is committed, and hears the error if that insert fails.
 */
class AccessLogBatch {
  private waiting: { row: AccessRow; done: (err?: unknown) => void }[] = [];
  private sending = false;
  constructor(private readonly db: Kysely<Database>) {}

  add(row: AccessRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, done: (err) => (err === undefined ? resolve() : reject(err instanceof Error ? err : new Error('access log insert failed'))) });
      if (!this.sending) void this.send();
    });
  }

  private async send(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 1000);
      try {
        await insertAccessRows(this.db, batch.map((b) => b.row));
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err ?? new Error('access log insert failed'));
      }
    }
    this.sending = false;
  }
}

const batches = new WeakMap<Kysely<Database>, AccessLogBatch>();
function batchOf(db: Kysely<Database>): AccessLogBatch {
  let b = batches.get(db);
  if (!b) {
    b = new AccessLogBatch(db);
    batches.set(db, b);
  }
  return b;
}

/**
 * One row per student of an exported list, in a single statement (the ids travel as one array
 * parameter), so a 20,000-row export costs one insert, not 20,000.
 */
export async function logAccessMany(
  db: Kysely<Database> | Transaction<Database>,
  actor: Pick<Actor, 'userId' | 'username'>,
  schoolId: string,
  studentIds: readonly string[],
  action: AccessAction,
  ip?: string | null,
): Promise<void> {
  if (studentIds.length === 0) return;
  await insertAccessRowsPerStudent(db, { schoolId, userId: actor.userId, username: actor.username, action, ip: ip ?? null }, studentIds);
}
