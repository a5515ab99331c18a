import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';

export type AccessAction = 'profile_view' | 'personal_data_export';

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
  await db
    .insertInto('access_log')
    .values({ school_id: target.schoolId, student_id: target.studentId, user_id: actor.userId, username: actor.username, action, ip: ip ?? null })
    .execute();
}
