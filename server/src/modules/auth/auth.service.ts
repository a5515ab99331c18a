import { type Kysely, sql } from 'kysely';
import type { TMe } from '../../../../contracts/auth.js';
import { searchFold } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { todayIso } from '../../platform/org-tree.js';
import { burnVerifyTime, hashPassword, passwordProblem, verifyPassword } from '../../platform/passwords.js';
import { knownLock, rememberLock } from '../../platform/login-locks.js';
import { createSession, destroyUserSessions } from '../../platform/sessions.js';

/** Consecutive wrong passwords before the account is locked for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const wrongCredentials = () =>
  new AppError(401, 'invalid_credentials', 'Tên đăng nhập hoặc mật khẩu không đúng.');

function accountLocked(until: Date | string): AppError {
  const minutes = Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 60_000));
  return new AppError(
    423,
    'account_locked',
    `Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau ${minutes} phút hoặc liên hệ quản trị viên.`,
  );
}

export async function login(
  db: Kysely<Database>,
  input: { username: string; password: string },
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; csrfToken: string; userId: string }> {
  const username = input.username.trim().toLowerCase();
  const known = knownLock(username);
  if (known) throw accountLocked(known);
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'username', 'password_hash', 'is_active', 'failed_logins', 'locked_until'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user || !user.is_active) {
    await burnVerifyTime(input.password);
    throw wrongCredentials();
  }
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) {
    rememberLock(username, user.locked_until);
    throw accountLocked(user.locked_until);
  }
  // Count the attempt BEFORE the (expensive) password check, atomically: at most MAX_FAILED_LOGINS
  // checks can be in flight for one account, so a burst of parallel guesses costs five argon2
  // verifications, not one per request — the CPU stays free for everyone else (ASVS V6.3.1).
  const reserved = await sql<{ attempt: number }>`
      update app_user set failed_logins = failed_logins + 1
       where id = ${user.id} and failed_logins < ${MAX_FAILED_LOGINS}
         and (locked_until is null or locked_until <= now())
   returning failed_logins as attempt`.execute(db);
  const attempt = reserved.rows[0]?.attempt;
  if (attempt === undefined) {
    const now = await db.selectFrom('app_user').select('locked_until').where('id', '=', user.id).executeTakeFirst();
    if (now?.locked_until && new Date(now.locked_until).getTime() > Date.now()) {
      rememberLock(username, now.locked_until);
      throw accountLocked(now.locked_until);
    }
    // The remaining attempts are being checked right now; this one is refused without a check.
    throw new AppError(429, 'rate_limited', 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.');
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    if (attempt >= MAX_FAILED_LOGINS) {
      // The fifth consecutive wrong password locks the account and starts a new count.
      await db.transaction().execute(async (trx) => {
        await sql`update app_user set failed_logins = 0, locked_until = now() + make_interval(mins => ${LOCK_MINUTES})
                   where id = ${user.id}`.execute(trx);
        await writeAudit(trx, null, { action: 'user.locked', entity: 'app_user', entityId: user.id, after: { failedLogins: MAX_FAILED_LOGINS } }, meta.ip);
      });
      rememberLock(username, new Date(Date.now() + LOCK_MINUTES * 60_000));
    }
    throw wrongCredentials();
  }
  const session = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ failed_logins: 0, locked_until: null, last_login_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    return createSession(trx, user.id, meta);
  });
  return { ...session, userId: user.id };
}

export async function describeMe(db: Kysely<Database>, actor: Actor): Promise<TMe> {
  const today = todayIso();
  const unitIds = [...new Set(actor.grants.map((g) => g.orgUnitId))];
  const units = unitIds.length
    ? await db
        .selectFrom('org_unit as u')
        .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
        .select(['u.id', 'u.kind', 'v.name'])
        .where('u.id', 'in', unitIds)
        .where('v.valid_from', '<=', today)
        .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', today)]))
        .execute()
    : [];
  const unitById = new Map(units.map((u) => [u.id, u]));
  const children = await db
    .selectFrom('guardian as g')
    .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 'g.school_id').onRef('s.id', '=', 'g.student_id'))
    .select(['s.school_id', 's.id', 's.family_name', 's.middle_name', 's.given_name'])
    .where('g.user_id', '=', actor.userId)
    .where('s.is_current', '=', true)
    .execute();
  return {
    userId: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    csrfToken: actor.csrfToken,
    mustChangePassword: actor.mustChangePassword,
    grants: actor.grants.map((g) => ({
      role: g.role,
      orgUnitId: g.orgUnitId,
      orgUnitName: unitById.get(g.orgUnitId)?.name ?? '(đơn vị đã đóng)',
      orgUnitKind: unitById.get(g.orgUnitId)?.kind ?? 'school',
    })),
    staff: actor.staff,
    children: children
      .map((c) => ({
        schoolId: c.school_id,
        studentId: c.id,
        fullName: [c.family_name, c.middle_name, c.given_name].filter(Boolean).join(' '),
      }))
      .sort((a, b) => searchFold(a.fullName).localeCompare(searchFold(b.fullName))),
  };
}

export async function changePassword(
  db: Kysely<Database>,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await db.selectFrom('app_user').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw badRequest('wrong_current_password', 'Mật khẩu hiện tại không đúng.');
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) throw badRequest('weak_password', problem);
  const hash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: false }).where('id', '=', actor.userId).execute();
    await writeAudit(trx, actor, { action: 'user.change_password', entity: 'app_user', entityId: actor.userId });
  });
  // Other devices signed in with the old password are signed out; this one signs in again.
  await destroyUserSessions(db, actor.userId);
}
