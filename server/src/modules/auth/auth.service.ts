import type { Kysely } from 'kysely';
import type { TMe } from '../../../../contracts/auth.js';
import { ZSchoolLevel } from '../../../../contracts/common.js';
import { isoToday, levelOfGrade, searchFold } from '../../../../domain/index.js';
import type { Database, SchoolLevel } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { writeAccountEvent } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { burnVerifyTime, hashNeedsUpgrade, hashPassword, passwordProblem, verifyPassword } from '../../platform/passwords.js';
import {
  PAIR_LOCK_MINUTES,
  PAIR_MAX_ATTEMPTS,
  PASSWORD_CHANGE_CLIENT,
  recordFailure,
  recordSignIn,
  recordSuccess,
  reserveAttempt,
  resolveClient,
} from '../../platform/login-throttle.js';
import type { AddressFailures } from '../../platform/login-address-limit.js';
import { createSession, destroyUserSessions } from '../../platform/sessions.js';
import { childrenOfGuardian, classGradesOf, passwordHashOf, setOwnPassword, unitNamesOn, upgradePasswordHash } from './auth.repo.js';

/** Wrong passwords in a row from one client before that (name, client) pair is locked. */
export const MAX_FAILED_LOGINS = PAIR_MAX_ATTEMPTS;
export const LOCK_MINUTES = PAIR_LOCK_MINUTES;

/** Wrong passwords left before this (name, client) pair locks, after the given attempt failed. */
const attemptsLeft = (pairAttempt: number) => PAIR_MAX_ATTEMPTS - pairAttempt;

/**
 * The last try before the lock is announced, so nobody locks themselves out unawares. The count
 * is the pair's, which a name no account has keeps exactly as an existing one does: the warning
 * comes at the same attempt with the same words for both (no hint that the name exists).
 */
function lockWarning(left: number, what: string): string {
  if (left === 1) return ` Còn 1 lần thử trước khi ${what} bị khóa ${PAIR_LOCK_MINUTES} phút.`;
  // The failure that locks says so at once, not only at the next try.
  if (left <= 0) return ` ${what[0].toUpperCase()}${what.slice(1)} đã bị tạm khóa ${PAIR_LOCK_MINUTES} phút.`;
  return '';
}

const wrongCredentials = (left: number) =>
  new AppError(401, 'invalid_credentials', `Tên đăng nhập hoặc mật khẩu không đúng.${lockWarning(left, 'tài khoản')}`);

const minutesUntil = (until: Date | string) => Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 60_000));

const tooFast = () => new AppError(429, 'rate_limited', 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.');

/** The address has failed too many sign-ins in this window (login-address-limit.ts); known browsers still get in. */
function addressRefused(until: Date): AppError {
  return new AppError(
    429,
    'rate_limited',
    `Có quá nhiều lần đăng nhập sai từ mạng bạn đang dùng. Vui lòng thử lại sau ${minutesUntil(until)} phút. ` +
      'Thiết bị đã từng đăng nhập tài khoản này vẫn đăng nhập được.',
  );
}

/** This name from this client (address or browser) is locked; other clients are not. */
function pairLocked(until: Date | string): AppError {
  return new AppError(
    423,
    'account_locked',
    `Đã nhập sai mật khẩu nhiều lần nên tạm khóa đăng nhập tài khoản này từ thiết bị hoặc mạng đang dùng. Vui lòng thử lại sau ${minutesUntil(until)} phút hoặc liên hệ quản trị viên để mở khóa.`,
  );
}

/** The name is being guessed from many places: only its known browsers may sign in for now. */
function accountBackoff(until: Date | string): AppError {
  return new AppError(
    423,
    'account_backoff',
    `Tài khoản này đang bị thử mật khẩu từ nhiều nơi nên tạm dừng đăng nhập từ thiết bị mới trong ${minutesUntil(until)} phút. ` +
      'Trình duyệt bạn đã từng đăng nhập tài khoản này vẫn đăng nhập được; hoặc liên hệ quản trị viên để mở khóa.',
  );
}

/**
 * Signs in. Every step is the same for a name no account has (ASVS V6.3.8): the attempt is
 * counted against (name, client) and against the name, a password check is spent (on a dummy hash
 * for an unknown name), and a failure is recorded the same way — so status and timing do not say
 * whether the account exists (docs/decisions/0010-login-throttling.md).
 */
export async function login(
  db: Kysely<Database>,
  input: { username: string; password: string },
  meta: { ip?: string; userAgent?: string; deviceToken?: string; addressFailures?: AddressFailures },
): Promise<{ token: string; csrfToken: string; userId: string; deviceToken: string }> {
  const username = input.username.trim().toLowerCase();
  const client = await resolveClient(db, username, meta.ip, meta.deviceToken);
  // Failures per address (decision 0019): only for clients that are an address, not a known browser.
  const perAddress = client.trusted ? undefined : meta.addressFailures;
  const refusedUntil = perAddress?.refusedUntil(client.key);
  if (refusedUntil) throw addressRefused(refusedUntil);
  const reservation = await reserveAttempt(db, username, client);
  if (reservation.kind === 'locked' || reservation.kind === 'backoff') {
    // Asking again for a name locked against this client is guessing too.
    perAddress?.failed(client.key, username);
    throw reservation.kind === 'locked' ? pairLocked(reservation.until) : accountBackoff(reservation.until);
  }
  if (reservation.kind === 'busy') throw tooFast();
  const user = reservation.account;
  let ok = false;
  if (user) ok = await verifyPassword(user.passwordHash, input.password);
  else await burnVerifyTime(input.password);
  if (!user || !ok) {
    perAddress?.failed(client.key, username);
    await recordFailure(db, username, client, reservation, user ? { userId: user.id, username } : null, { ip: meta.ip, lockAction: 'user.locked' });
    throw wrongCredentials(attemptsLeft(reservation.pairAttempt));
  }
  perAddress?.succeeded(client.key, username);
  // Once per account whose hash has an older setting: its checks then take the time every other does.
  if (hashNeedsUpgrade(user.passwordHash)) await upgradePasswordHash(db, user.id, user.passwordHash, await hashPassword(input.password));
  // Round trips are counted here: during a flood every one of them waits in line (timing test).
  const deviceToken = await recordSignIn(db, username, client, user.id, meta.deviceToken);
  const session = await createSession(db, user.id, meta);
  return { ...session, userId: user.id, deviceToken };
}

export async function describeMe(db: Kysely<Database>, actor: Actor): Promise<TMe> {
  const today = isoToday();
  const unitIds = [...new Set(actor.grants.map((g) => g.orgUnitId))];
  // One round: every page load of the web app asks this (a parent's "Con của tôi" included). The
  // grades are asked of every granted unit; an office keeps no classes, so only schools answer.
  const [units, children, grades] = await Promise.all([unitNamesOn(db, unitIds, today), childrenOfGuardian(db, actor.userId), classGradesOf(db, unitIds)]);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const schoolIds = units.filter((u) => u.kind === 'school').map((u) => u.id);
  // A school's levels: those its record declares and those of the grades it keeps classes of (the web's menu reads them).
  const levels = new Map<string, Set<SchoolLevel>>(schoolIds.map((id) => [id, new Set()]));
  for (const u of units) for (const l of u.school_levels ?? []) levels.get(u.id)?.add(l);
  for (const g of grades) levels.get(g.school_id)?.add(levelOfGrade(g.grade));
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
      schoolLevels: ZSchoolLevel.options.filter((l) => levels.get(g.orgUnitId)?.has(l)),
    })),
    staff: actor.staff,
    children: children
      .map((c) => ({
        schoolId: c.school_id,
        studentId: c.id,
        fullName: [c.family_name, c.middle_name, c.given_name].filter(Boolean).join(' '),
        self: c.self === true,
      }))
      // One's own record first (a student's account), then the children by name.
      .sort((a, b) => Number(b.self) - Number(a.self) || searchFold(a.fullName).localeCompare(searchFold(b.fullName))),
  };
}

/**
 * Changes one's own password. The current password is guessed no faster than at sign-in: the
 * route shares login's per-address limit and queue, and here the attempts are counted before the
 * check, PAIR_MAX_ATTEMPTS wrong ones in a row lock the form for PAIR_LOCK_MINUTES (audited).
 */
export async function changePassword(
  db: Kysely<Database>,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: { ip?: string } = {},
): Promise<void> {
  const client = PASSWORD_CHANGE_CLIENT;
  const reservation = await reserveAttempt(db, actor.username, client);
  if (reservation.kind === 'locked' || reservation.kind === 'backoff') {
    throw new AppError(
      423,
      'password_change_locked',
      `Đã nhập sai mật khẩu hiện tại nhiều lần nên tạm khóa chức năng đổi mật khẩu. Vui lòng thử lại sau ${minutesUntil(reservation.until)} phút hoặc liên hệ quản trị viên.`,
    );
  }
  if (reservation.kind === 'busy') throw tooFast();
  if (!(await verifyPassword(await passwordHashOf(db, actor.userId), input.currentPassword))) {
    await recordFailure(db, actor.username, client, reservation, { userId: actor.userId, username: actor.username }, {
      ip: meta.ip,
      lockAction: 'user.change_password_locked',
    });
    throw badRequest('wrong_current_password', `Mật khẩu hiện tại không đúng.${lockWarning(attemptsLeft(reservation.pairAttempt), 'chức năng đổi mật khẩu')}`);
  }
  await recordSuccess(db, actor.username, client);
  const problem = passwordProblem(input.newPassword);
  if (problem) throw badRequest('weak_password', problem);
  const hash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await setOwnPassword(trx, actor.userId, hash);
    await writeAccountEvent(trx, actor, actor.userId, { action: 'user.change_password', after: { username: actor.username } }, meta.ip);
  });
  // Other devices signed in with the old password are signed out; this one signs in again.
  await destroyUserSessions(db, actor.userId);
}
