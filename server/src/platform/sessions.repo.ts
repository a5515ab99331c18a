import { type Insertable, type Kysely, sql } from 'kysely';
import { preparedAs } from '../db/connection.js';
import type { Database, Role, UserSessionTable } from '../db/schema.js';

type Db = Kysely<Database>;

export async function insertSession(db: Db, session: Insertable<UserSessionTable>): Promise<void> {
  await db.insertInto('user_session').values(session).execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}

/** A session as the lookup reads it: the session, its user and their grants. */
export type SessionRow = {
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

/**
 * One round trip for the session, the user, their grants, the org-tree version and the version of
 * `versionScope` (a data_version scope such as 'school:<id>', from the request's path: the hot
 * cached lists need it, and a second statement per request would halve their throughput).
 */
export async function sessionWithVersions(db: Db, tokenHash: string, versionScope: string | null) {
  const result = await sql<SessionRow & { tree_version: string; scope_version: string }>`${sql.raw(preparedAs('session_lookup'))}
    select s.csrf_token, s.created_at, s.expires_at, s.last_seen_at,
           u.id, u.username, u.display_name, u.is_active, u.staff_school_id, u.staff_id,
           u.student_school_id, u.student_id, u.must_change_password,
           coalesce((select json_agg(json_build_object('role', g.role, 'orgUnitId', g.org_unit_id) order by g.created_at, g.id)
                       from role_grant g where g.user_id = u.id), '[]'::json) as grants,
           (select coalesce(sum(version), 0) from data_version where scope = 'org_tree') as tree_version,
           (select coalesce(sum(version), 0) from data_version where scope = ${versionScope}) as scope_version
      from user_session s join app_user u on u.id = s.user_id
     where s.token_hash = ${tokenHash}`.execute(db);
  const found = result.rows[0];
  if (!found) return null;
  const { tree_version, scope_version, ...row } = found;
  return { row, treeVersion: Number(tree_version), scopeVersion: Number(scope_version) };
}

export async function setSessionSeen(db: Db, tokenHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}
