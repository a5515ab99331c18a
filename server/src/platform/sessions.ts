import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';
import { SessionCache } from './session-cache.js';
import { type SessionRow, deleteSession, deleteUserSessions, insertSession, sessionWithVersions, setSessionSeen } from './sessions.repo.js';

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
  await insertSession(db, {
    token_hash: sha256(token),
    user_id: userId,
    csrf_token: csrfToken,
    expires_at: new Date(Date.now() + SESSION_IDLE_MS),
    ip: meta.ip ?? null,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, csrfToken };
}

export async function destroySession(db: Kysely<Database>, token: string): Promise<void> {
  await deleteSession(db, sha256(token));
}

export async function destroyUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await deleteUserSessions(db, userId);
}

export type SessionRowCache = SessionCache<SessionRow>;
export const newSessionRowCache = () => new SessionCache<SessionRow>();

const TREE_SCOPE = 'org_tree';

/**
 * Looks the session up (in `cache` when it holds it, see platform/session-cache.ts), ends it when
 * it has expired, slides its idle expiry, and returns who is calling with the version of
 * `versionScope`.
 */
export async function loadSession(
  db: Kysely<Database>,
  token: string,
  versionScope: string | null = null,
  cache?: SessionRowCache,
): Promise<{ actor: Actor; scopeVersion: number } | null> {
  if (!token || token.length > 100) return null;
  const hash = sha256(token);
  let row = cache?.session(hash);
  let treeVersion = cache?.version(TREE_SCOPE);
  let scopeVersion = versionScope ? cache?.version(versionScope) : 0;
  const cached = row !== undefined && treeVersion !== undefined && scopeVersion !== undefined;
  const mark = cache?.mark();
  if (!cached) {
    const read = await sessionWithVersions(db, hash, versionScope);
    if (!read) return null;
    ({ row, treeVersion, scopeVersion } = read);
  }
  if (row === undefined || treeVersion === undefined || scopeVersion === undefined) return null; // narrows; cannot happen
  const now = Date.now();
  const expired = new Date(row.expires_at).getTime() < now || new Date(row.created_at).getTime() + SESSION_ABSOLUTE_MS < now;
  if (expired && cached && cache) {
    // Another process may have slid the expiry since this copy was read: ask the database.
    cache.forgetSession(hash);
    return loadSession(db, token, versionScope, cache);
  }
  if (expired || !row.is_active) {
    await deleteSession(db, hash);
    return null;
  }
  if (!cached && mark) cache?.store(mark, hash, row, versionScope ? { [TREE_SCOPE]: treeVersion, [versionScope]: scopeVersion } : { [TREE_SCOPE]: treeVersion });
  // Write the sliding expiry at most once a minute: a read-heavy page should not turn into writes.
  if (now - new Date(row.last_seen_at).getTime() > 60_000) {
    await setSessionSeen(db, hash, new Date(now), new Date(now + SESSION_IDLE_MS));
    row = { ...row, last_seen_at: new Date(now), expires_at: new Date(now + SESSION_IDLE_MS) };
    cache?.update(hash, row);
  }
  const actor: Actor = {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    grants: row.grants,
    treeVersion,
    staff: row.staff_school_id && row.staff_id ? { schoolId: row.staff_school_id, staffId: row.staff_id } : null,
    student: row.student_school_id && row.student_id ? { schoolId: row.student_school_id, studentId: row.student_id } : null,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
  };
  return { actor, scopeVersion };
}

export async function loadActor(db: Kysely<Database>, token: string): Promise<Actor | null> {
  return (await loadSession(db, token))?.actor ?? null;
}
