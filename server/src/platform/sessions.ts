import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { preparedAs } from '../db/connection.js';
import type { Database, Role } from '../db/schema.js';
import type { Actor } from './actor.js';
import { SessionCache } from './session-cache.js';

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

/** A session as the lookup reads it: the session, its user and their grants. */
type SessionRow = {
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  id: string;
  username: string;
  display_name: string;
  is_active: boolean;
  staff_school_id: string | null;
  staff_id: string | null;
  student_school_id: string | null;
  student_id: string | null;
  must_change_password: boolean;
  grants: { role: Role; orgUnitId: string }[];
};

export type SessionRowCache = SessionCache<SessionRow>;
export const newSessionRowCache = () => new SessionCache<SessionRow>();

const TREE_SCOPE = 'org_tree';

/**
 * One round trip for the session, the user, their grants, the org-tree version and the version of
 * `versionScope` (a data_version scope such as 'school:<id>', from the request's path: the hot
 * cached lists need it, and a second statement per request would halve their throughput).
 */
async function readSession(db: Kysely<Database>, hash: string, versionScope: string | null) {
  const result = await sql<SessionRow & { tree_version: string; scope_version: string }>`${sql.raw(preparedAs('session_lookup'))}
    select s.csrf_token, s.created_at, s.expires_at, s.last_seen_at,
           u.id, u.username, u.display_name, u.is_active, u.staff_school_id, u.staff_id,
           u.student_school_id, u.student_id, u.must_change_password,
           coalesce((select json_agg(json_build_object('role', g.role, 'orgUnitId', g.org_unit_id) order by g.created_at, g.id)
                       from role_grant g where g.user_id = u.id), '[]'::json) as grants,
           (select coalesce(sum(version), 0) from data_version where scope = 'org_tree') as tree_version,
           (select coalesce(sum(version), 0) from data_version where scope = ${versionScope}) as scope_version
      from user_session s join app_user u on u.id = s.user_id
     where s.token_hash = ${hash}`.execute(db);
  const found = result.rows[0];
  if (!found) return null;
  const { tree_version, scope_version, ...row } = found;
  return { row, treeVersion: Number(tree_version), scopeVersion: Number(scope_version) };
}

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
    const read = await readSession(db, hash, versionScope);
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
    await db.deleteFrom('user_session').where('token_hash', '=', hash).execute();
    return null;
  }
  if (!cached && mark) cache?.store(mark, hash, row, versionScope ? { [TREE_SCOPE]: treeVersion, [versionScope]: scopeVersion } : { [TREE_SCOPE]: treeVersion });
  // Write the sliding expiry at most once a minute: a read-heavy page should not turn into writes.
  if (now - new Date(row.last_seen_at).getTime() > 60_000) {
    await db
      .updateTable('user_session')
      .set({ last_seen_at: new Date(now), expires_at: new Date(now + SESSION_IDLE_MS) })
      .where('token_hash', '=', hash)
      .execute();
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
