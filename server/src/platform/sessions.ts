import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';
import type { Actor } from './actor.js';

export const SESSION_COOKIE = 'ts_sid';
/** A session ends after this much idle time… */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** …and at the latest this long after login, whatever happens. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createSession(
  db: Kysely<Database>,
  userId: string,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db
    .insertInto('user_session')
    .values({
      token_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      expires_at: new Date(Date.now() + SESSION_IDLE_MS),
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken };
}

export async function destroySession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', sha256(token)).execute();
}

export async function destroyUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}

/** Looks the session up, slides its idle expiry, and loads the user's grants. */
export async function loadActor(db: Kysely<Database>, token: string): Promise<Actor | null> {
  if (!token || token.length > 100) return null;
  const hash = sha256(token);
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.csrf_token',
      's.created_at',
      's.expires_at',
      's.last_seen_at',
      'u.id',
      'u.username',
      'u.display_name',
      'u.is_active',
      'u.staff_school_id',
      'u.staff_id',
      'u.student_school_id',
      'u.student_id',
      'u.must_change_password',
    ])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const expired = new Date(row.expires_at).getTime() < now || new Date(row.created_at).getTime() + SESSION_ABSOLUTE_MS < now;
  if (expired || !row.is_active) {
    await db.deleteFrom('user_session').where('token_hash', '=', hash).execute();
    return null;
  }
  // Write the sliding expiry at most once a minute: a read-heavy page should not turn into writes.
  if (now - new Date(row.last_seen_at).getTime() > 60_000) {
    await db
      .updateTable('user_session')
      .set({ last_seen_at: new Date(now), expires_at: new Date(now + SESSION_IDLE_MS) })
      .where('token_hash', '=', hash)
      .execute();
  }
  const grants = await db.selectFrom('role_grant').select(['role', 'org_unit_id']).where('user_id', '=', row.id).execute();
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    grants: grants.map((g) => ({ role: g.role as Role, orgUnitId: g.org_unit_id })),
    staff: row.staff_school_id && row.staff_id ? { schoolId: row.staff_school_id, staffId: row.staff_id } : null,
    student: row.student_school_id && row.student_id ? { schoolId: row.student_school_id, studentId: row.student_id } : null,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
  };
}
