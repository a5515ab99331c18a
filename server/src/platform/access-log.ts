import { type Kysely, type Transaction, sql } from 'kysely';
import { executePrepared } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';

export type AccessAction = 'profile_view' | 'personal_data_export' | 'list_export';

/**
 * Records that `actor` looked at one student's record (ND 13/2023 Art. 23 needs a trail to
 * investigate a breach). One small insert, no personal data of the student beyond its id.
 */
export async function logAccess(
  db: Kysely<Database> | Transaction<Database>,
  actor: Pick<Actor, 'userId' | 'username'>,
  target: { schoolId: string; studentId: string },
  action: AccessAction,
  ip?: string | null,
): Promise<void> {
  const insert = db
    .insertInto('access_log')
    .values({ school_id: target.schoolId, student_id: target.studentId, user_id: actor.userId, username: actor.username, action, ip: ip ?? null });
  await executePrepared(db, 'access_log_insert', insert);
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
  await sql`
    insert into access_log (school_id, student_id, user_id, username, action, ip)
    select ${schoolId}::uuid, sid, ${actor.userId}::uuid, ${actor.username}, ${action}, ${ip ?? null}
    from unnest(${sql.val(studentIds)}::uuid[]) as sid`.execute(db);
}
