import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditAction } from './audit-actions.js';
import { writeAccountEvent } from './audit.js';
import { accountLockKey, forgetLock, forgetLocks, knownLock, pairLockKey, rememberLock } from './login-locks.js';
import {
  type ThrottleLimits,
  backoffLockedUntil,
  clearPairAndReturnAttempt,
  deleteDevice,
  deleteStaleThrottleRows,
  deleteThrottleRows,
  isKnownDevice,
  isPairLocked,
  lockPair,
  pairLockedUntil,
  releasePairAttempt,
  startBackoff,
  takeAttempts,
  writeSignIn,
} from './login-throttle.repo.js';

/**
 * Password-guessing limits for sign-in and password change (docs/decisions/0010-login-throttling.md,
 * OWASP ASVS 5.0 V6.1.1, V6.3.1, V6.3.8).
 *
 * 1. Per (user name, client): PAIR_MAX_ATTEMPTS wrong passwords in a row lock that pair for
 *    PAIR_LOCK_MINUTES. A client is the address (an IPv6 address by its /64, which one subscriber
 *    gets whole), or a browser that has signed in to this account before (device cookie).
 * 2. Per user name, over all clients that are not its known browsers: ACCOUNT_MAX_ATTEMPTS attempts
 *    per ACCOUNT_WINDOW_MINUTES, then a back-off for those clients (15 min, doubling up to a day).
 *    One address can never fill the window alone: its pair locks after 5, for longer than the
 *    window. The owner's own browser is not affected, so an attack from many addresses cannot lock
 *    the owner out either.
 *
 * Names that no account has go through exactly the same steps, so status and timing tell a
 * stranger nothing. Attempts are counted before the (expensive) password check, atomically.
 */
export const PAIR_MAX_ATTEMPTS = 5;
export const PAIR_LOCK_MINUTES = 15;
export const ACCOUNT_WINDOW_MINUTES = 15;
export const ACCOUNT_MAX_ATTEMPTS = 20;
export const BACKOFF_FIRST_MINUTES = 15;
export const BACKOFF_MAX_MINUTES = 24 * 60;
/** A back-off that ended this long ago is forgotten: the next one starts short again. */
const BACKOFF_MEMORY_HOURS = 24;
/**
 * A pair whose attempts are all reserved and none was answered for this long lost its checks with
 * a dead process (an argon2 check takes well under a second): it starts a new count.
 */
const STALE_RESERVATION_SECONDS = 60;

export const DEVICE_COOKIE = 'ts_dev';
export const DEVICE_MAX_AGE_DAYS = 180;
const DEVICES_PER_USER = 20;
const DEVICE_TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

const LIMITS: ThrottleLimits = {
  pairMaxAttempts: PAIR_MAX_ATTEMPTS,
  pairLockMinutes: PAIR_LOCK_MINUTES,
  accountWindowMinutes: ACCOUNT_WINDOW_MINUTES,
  accountMaxAttempts: ACCOUNT_MAX_ATTEMPTS,
  backoffFirstMinutes: BACKOFF_FIRST_MINUTES,
  backoffMaxMinutes: BACKOFF_MAX_MINUTES,
  backoffMemoryHours: BACKOFF_MEMORY_HOURS,
  staleReservationSeconds: STALE_RESERVATION_SECONDS,
  deviceMaxAgeDays: DEVICE_MAX_AGE_DAYS,
  devicesPerUser: DEVICES_PER_USER,
};

type Db = Kysely<Database> | Transaction<Database>;

/** Who is guessing, as far as the limits are concerned. */
export type Client = {
  key: string;
  /** A browser that signed in to this account before: exempt from the per-account back-off. */
  trusted: boolean;
  deviceHash: string | null;
  /** How the audit log names the client (Vietnamese, shown in the audit viewer). */
  label: string;
};

/** The change-password form of a signed-in account: its own counter and lock, no back-off. */
export const PASSWORD_CHANGE_CLIENT: Client = { key: 'password-change', trusted: true, deviceHash: null, label: 'đổi mật khẩu' };

/** The active account with the name, read in the same round trip as the reservation. */
export type Account = { id: string; passwordHash: string };

export type Reservation =
  | { kind: 'ok'; pairAttempt: number; accountAttempt: number | null; account: Account | null }
  | { kind: 'locked'; until: Date }
  | { kind: 'backoff'; until: Date }
  | { kind: 'busy' };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function backoffMinutes(level: number): number {
  return Math.min(BACKOFF_FIRST_MINUTES * 2 ** Math.max(0, level), BACKOFF_MAX_MINUTES);
}

function ipv6Groups(address: string): string[] | null {
  let a = address.split('%')[0].toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const [p, q, r, s] = v4[1].split('.').map(Number) as [number, number, number, number];
    a = a.slice(0, -v4[1].length) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, tail, ...more] = a.split('::');
  if (more.length) return null;
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups: string[] = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right];
  return groups.length === 8 ? groups.map((g) => g.replace(/^0+(?=.)/, '')) : null;
}

/** The address part of a client key: IPv4 as is, IPv6 by its /64 (one subscriber's whole range). */
export function addressKey(ip: string | undefined): string {
  let a = (ip ?? '').trim();
  if (a.toLowerCase().startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  if (isIP(a) === 4) return `ip:${a}`;
  if (isIP(a.split('%')[0]) === 6) {
    const g = ipv6Groups(a);
    if (g) return `ip:${g.slice(0, 4).join(':')}::/64`;
  }
  return 'ip:unknown';
}

/**
 * The client of a sign-in: the browser, when its device cookie belongs to a past sign-in of this
 * very account (and the account is active); otherwise the address. The same query runs for names
 * no account has.
 */
export async function resolveClient(db: Db, username: string, ip: string | undefined, deviceToken: string | undefined): Promise<Client> {
  if (deviceToken && DEVICE_TOKEN_RE.test(deviceToken)) {
    const hash = sha256(deviceToken);
    const known = await isKnownDevice(db, hash, username, LIMITS);
    const device: Client = { key: `device:${hash.slice(0, 16)}`, trusted: true, deviceHash: hash, label: 'trình duyệt đã từng đăng nhập tài khoản này' };
    if (known) return device;
    // A browser that lost its trust by guessing stays locked as that browser until its lock ends
    // (then it is a stranger like any other), so dropping the trust gives it no fresh count.
    const locked = await isPairLocked(db, username, device.key);
    if (locked) return device;
  }
  const key = addressKey(ip);
  return { key, trusted: false, deviceHash: null, label: `địa chỉ ${key.slice(3)}` };
}

const future = (v: Date | string | null | undefined): v is Date | string => !!v && new Date(v).getTime() > Date.now();

/**
 * Counts one attempt for the pair and (for clients that are not a known browser) for the account,
 * BEFORE the password check and atomically: however many requests arrive at once, at most
 * PAIR_MAX_ATTEMPTS checks per pair and ACCOUNT_MAX_ATTEMPTS per account window can be in flight.
 */
export async function reserveAttempt(db: Db, username: string, client: Client): Promise<Reservation> {
  const pairKey = pairLockKey(username, client.key);
  const pairKnown = knownLock(pairKey);
  if (pairKnown) return { kind: 'locked', until: pairKnown };
  if (!client.trusted) {
    const accountKnown = knownLock(accountLockKey(username));
    if (accountKnown) return { kind: 'backoff', until: accountKnown };
  }
  // One round trip on the common path (every sign-in pays it), see takeAttempts.
  const row = await takeAttempts(db, username, client, LIMITS);
  if (row?.backoff_until) {
    rememberLock(accountLockKey(username), row.backoff_until);
    return { kind: 'backoff', until: new Date(row.backoff_until) };
  }
  const pairAttempt = row?.pair_attempt ?? null;
  if (pairAttempt === null) {
    const lockedUntil = await pairLockedUntil(db, username, client.key);
    if (future(lockedUntil)) {
      rememberLock(pairKey, lockedUntil);
      return { kind: 'locked', until: new Date(lockedUntil) };
    }
    // The pair's last attempts are being checked right now; this one is refused without a check.
    return { kind: 'busy' };
  }
  const account = row?.user_id && row.password_hash ? { id: row.user_id, passwordHash: row.password_hash } : null;
  if (client.trusted) return { kind: 'ok', pairAttempt, accountAttempt: null, account };
  const accountAttempt = row?.account_attempt ?? null;
  if (accountAttempt === null) {
    // Not checked, so not the pair's attempt either.
    await releasePairAttempt(db, username, client.key);
    const backoffUntil = await backoffLockedUntil(db, username);
    if (future(backoffUntil)) {
      rememberLock(accountLockKey(username), backoffUntil);
      return { kind: 'backoff', until: new Date(backoffUntil) };
    }
    return { kind: 'busy' };
  }
  return { kind: 'ok', pairAttempt, accountAttempt, account };
}

/** The account a failed attempt was against, when one has that name (audit rows are written for it). */
export type Subject = { userId: string; username: string } | null;

let failuresSincePrune = 0;

/**
 * A wrong password after a reservation: locks the pair at its last attempt, starts the account's
 * back-off when its window is used up. Each lock is audited for an existing account, with the
 * units that hold its grants (they see it in the audit viewer).
 */
export async function recordFailure(
  db: Kysely<Database>,
  username: string,
  client: Client,
  reservation: { pairAttempt: number; accountAttempt: number | null },
  subject: Subject,
  meta: { ip?: string; lockAction: Extract<AuditAction, 'user.locked' | 'user.change_password_locked'> },
): Promise<void> {
  if (reservation.pairAttempt >= PAIR_MAX_ATTEMPTS) {
    const lockedUntil = await db.transaction().execute(async (trx) => {
      const until = (await lockPair(trx, username, client.key, LIMITS)) ?? new Date(Date.now() + PAIR_LOCK_MINUTES * 60_000);
      // A browser that keeps guessing stops being a known browser of the account.
      if (client.deviceHash && subject) {
        await deleteDevice(trx, client.deviceHash, subject.userId);
      }
      if (subject) {
        await writeAccountEvent(
          trx,
          null,
          subject.userId,
          { action: meta.lockAction, after: { username: subject.username, client: client.label, failedAttempts: PAIR_MAX_ATTEMPTS, lockedUntil: new Date(until).toISOString() } },
          meta.ip,
        );
      }
      return until;
    });
    rememberLock(pairLockKey(username, client.key), lockedUntil);
  }
  if (reservation.accountAttempt !== null && reservation.accountAttempt >= ACCOUNT_MAX_ATTEMPTS) {
    const lockedUntil = await db.transaction().execute(async (trx) => {
      const r = await startBackoff(trx, username, LIMITS);
      const until = r?.locked_until ?? new Date(Date.now() + BACKOFF_FIRST_MINUTES * 60_000);
      if (subject) {
        await writeAccountEvent(
          trx,
          null,
          subject.userId,
          {
            action: 'user.login_backoff',
            after: { username: subject.username, failedAttempts: ACCOUNT_MAX_ATTEMPTS, windowMinutes: ACCOUNT_WINDOW_MINUTES, backoffLevel: r?.level ?? 1, lockedUntil: new Date(until).toISOString() },
          },
          meta.ip,
        );
      }
      return until;
    });
    rememberLock(accountLockKey(username), lockedUntil);
  }
  if (++failuresSincePrune >= 500) {
    failuresSincePrune = 0;
    await pruneThrottle(db);
  }
}

/** The right password: the pair starts afresh, and the account window gets its attempt back. */
export async function recordSuccess(db: Db, username: string, client: Client): Promise<void> {
  await clearPairAndReturnAttempt(db, username, client);
  forgetLock(pairLockKey(username, client.key));
}

/**
 * A successful sign-in, in one round trip (every sign-in pays it): the pair starts afresh, the
 * account window gets its attempt back, the time of sign-in is kept, and this browser becomes a
 * known browser of the account. The device cookie gets a new value every time (whatever value it
 * came with is never kept, so a planted one is useless); the browser's other accounts move to the
 * new value (a shared computer-room PC). Returns the new cookie value.
 */
export async function recordSignIn(db: Db, username: string, client: Client, userId: string, oldToken: string | undefined): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  const hash = sha256(token);
  const old = oldToken && DEVICE_TOKEN_RE.test(oldToken) ? sha256(oldToken) : '';
  await writeSignIn(db, { username, client, userId, newHash: hash, oldHash: old }, LIMITS);
  forgetLock(pairLockKey(username, client.key));
  return token;
}

/** An administrator's unlock (or a password reset): every pair, the back-off and the remembered locks go. */
export async function clearThrottle(db: Db, username: string): Promise<void> {
  await deleteThrottleRows(db, username);
  forgetLocks(username);
}

/** Counters of names nobody has tried for a day, and back-offs long over, are dropped. */
export async function pruneThrottle(db: Db): Promise<void> {
  await deleteStaleThrottleRows(db, LIMITS);
}
