import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.js';

// The statements of sign-in throttling. The rules and their numbers are in login-throttle.ts
// (docs/decisions/0010-login-throttling.md), which passes the numbers in.

type Db = Kysely<Database> | Transaction<Database>;

/** The numbers the statements apply; login-throttle.ts holds them. */
export type ThrottleLimits = {
  pairMaxAttempts: number;
  pairLockMinutes: number;
  accountWindowMinutes: number;
  accountMaxAttempts: number;
  backoffFirstMinutes: number;
  backoffMaxMinutes: number;
  backoffMemoryHours: number;
  staleReservationSeconds: number;
  deviceMaxAgeDays: number;
  devicesPerUser: number;
};

/** The limits' view of a client: its counter key, and whether it is a known browser (no back-off). */
type ClientKey = { key: string; trusted: boolean };

/** Whether the device token belongs to a recent sign-in of the active account with this name. */
export async function isKnownDevice(db: Db, tokenHash: string, username: string, limits: Pick<ThrottleLimits, 'deviceMaxAgeDays'>): Promise<boolean> {
  const known = await db
    .selectFrom('login_device as d')
    .innerJoin('app_user as u', 'u.id', 'd.user_id')
    .select('d.user_id')
    .where('d.token_hash', '=', tokenHash)
    .where('u.username', '=', username)
    .where('u.is_active', '=', true)
    .where(sql<boolean>`d.last_used_at > now() - make_interval(days => ${limits.deviceMaxAgeDays})`)
    .executeTakeFirst();
  return known !== undefined;
}

/** Whether the (name, client) pair is locked now. */
export async function isPairLocked(db: Db, username: string, clientKey: string): Promise<boolean> {
  const locked = await db
    .selectFrom('login_attempt')
    .select('client')
    .where('username', '=', username)
    .where('client', '=', clientKey)
    .where(sql<boolean>`locked_until > now()`)
    .executeTakeFirst();
  return locked !== undefined;
}

/** What one reservation took: null attempts were not taken; the account is the active one with the name. */
export type TakenAttempts = {
  pair_attempt: number | null;
  account_attempt: number | null;
  backoff_until: Date | null;
  user_id: string | null;
  password_hash: string | null;
};

/**
 * One round trip on the common path (every sign-in pays it): the account's back-off is read, the
 * pair's attempt taken unless backed off, the account's attempt taken if the pair's was, and the
 * active account with the name read.
 */
export async function takeAttempts(
  db: Db,
  username: string,
  client: ClientKey,
  limits: Pick<ThrottleLimits, 'pairMaxAttempts' | 'staleReservationSeconds' | 'accountWindowMinutes' | 'accountMaxAttempts'>,
): Promise<TakenAttempts | undefined> {
  const taken = await sql<TakenAttempts>`
    with backoff as (
      select locked_until from login_backoff
       where not ${client.trusted} and username = ${username} and locked_until > now()
    ),
    pair as (
      insert into login_attempt (username, client, attempts)
      select ${username}, ${client.key}, 1 where not exists (select 1 from backoff)
      on conflict (username, client) do update
         set attempts = case when login_attempt.locked_until is null and login_attempt.attempts < ${limits.pairMaxAttempts}
                             then login_attempt.attempts + 1 else 1 end,
             locked_until = null,
             last_attempt_at = now()
       where (login_attempt.locked_until is null and login_attempt.attempts < ${limits.pairMaxAttempts})
          or login_attempt.locked_until <= now()
          or (login_attempt.locked_until is null
              and login_attempt.last_attempt_at <= now() - make_interval(secs => ${limits.staleReservationSeconds}))
      returning attempts
    ),
    account as (
      insert into login_backoff (username, window_started_at, attempts)
      select ${username}, now(), 1 where not ${client.trusted} and exists (select 1 from pair)
      on conflict (username) do update
         set attempts = case when login_backoff.window_started_at <= now() - make_interval(mins => ${limits.accountWindowMinutes})
                             then 1 else login_backoff.attempts + 1 end,
             window_started_at = case when login_backoff.window_started_at <= now() - make_interval(mins => ${limits.accountWindowMinutes})
                                      then now() else login_backoff.window_started_at end
       where (login_backoff.locked_until is null or login_backoff.locked_until <= now())
         and (login_backoff.window_started_at <= now() - make_interval(mins => ${limits.accountWindowMinutes})
              or login_backoff.attempts < ${limits.accountMaxAttempts})
      returning attempts
    )
    select (select attempts from pair) as pair_attempt,
           (select attempts from account) as account_attempt,
           (select locked_until from backoff) as backoff_until,
           u.id as user_id, u.password_hash
      from (select 1) one
      left join app_user u on u.username = ${username} and u.is_active`.execute(db);
  return taken.rows[0];
}

/** Until when the pair is locked (past, or null, when it is not). */
export async function pairLockedUntil(db: Db, username: string, clientKey: string) {
  const pair = await db.selectFrom('login_attempt').select('locked_until').where('username', '=', username).where('client', '=', clientKey).executeTakeFirst();
  return pair?.locked_until;
}

/** Gives the pair back an attempt it took but will not check. */
export async function releasePairAttempt(db: Db, username: string, clientKey: string): Promise<void> {
  await sql`update login_attempt set attempts = greatest(attempts - 1, 0)
             where username = ${username} and client = ${clientKey} and locked_until is null`.execute(db);
}

/** Until when the account's back-off runs (past, or null, when it does not). */
export async function backoffLockedUntil(db: Db, username: string) {
  const account = await db.selectFrom('login_backoff').select('locked_until').where('username', '=', username).executeTakeFirst();
  return account?.locked_until;
}

/** Locks the pair and clears its count; returns until when. */
export async function lockPair(trx: Db, username: string, clientKey: string, limits: Pick<ThrottleLimits, 'pairLockMinutes'>): Promise<Date | undefined> {
  const row = await sql<{ locked_until: Date }>`
    update login_attempt set attempts = 0, locked_until = now() + make_interval(mins => ${limits.pairLockMinutes})
     where username = ${username} and client = ${clientKey}
    returning locked_until`.execute(trx);
  return row.rows[0]?.locked_until;
}

/** The browser stops being a known browser of the account. */
export async function deleteDevice(trx: Db, tokenHash: string, userId: string): Promise<void> {
  await trx.deleteFrom('login_device').where('token_hash', '=', tokenHash).where('user_id', '=', userId).execute();
}

/**
 * Starts the account's back-off: one level longer than the last (doubling up to the maximum),
 * unless the last ended long enough ago to be forgotten; the window starts over. Returns until
 * when, and the level.
 */
export async function startBackoff(
  trx: Db,
  username: string,
  limits: Pick<ThrottleLimits, 'backoffMemoryHours' | 'backoffFirstMinutes' | 'backoffMaxMinutes' | 'accountWindowMinutes'>,
): Promise<{ locked_until: Date; level: number } | undefined> {
  const row = await sql<{ locked_until: Date; level: number }>`
    update login_backoff
       set level = case when locked_until is not null and locked_until <= now() - make_interval(hours => ${limits.backoffMemoryHours})
                        then 1 else level + 1 end,
           locked_until = now() + make_interval(mins => least(
             ${limits.backoffFirstMinutes} * power(2, case when locked_until is not null and locked_until <= now() - make_interval(hours => ${limits.backoffMemoryHours})
                                                      then 0 else level end)::int,
             ${limits.backoffMaxMinutes})),
           attempts = 0,
           window_started_at = now() - make_interval(mins => ${limits.accountWindowMinutes})
     where username = ${username}
    returning locked_until, level`.execute(trx);
  return row.rows[0];
}

/** The pair's counter goes, and the account window gets its attempt back. */
export async function clearPairAndReturnAttempt(db: Db, username: string, client: ClientKey): Promise<void> {
  await sql`with pair as (delete from login_attempt where username = ${username} and client = ${client.key})
            update login_backoff set attempts = greatest(attempts - 1, 0)
             where not ${client.trusted} and username = ${username}`.execute(db);
}

/**
 * A successful sign-in in one statement: the pair's counter goes, the account window gets its
 * attempt back, the time of sign-in is kept, the browser's device token becomes `newHash` (for
 * this account and the others it held `oldHash` for; '' when it had none) and the account keeps
 * only its newest known browsers.
 */
export async function writeSignIn(
  db: Db,
  sign: { username: string; client: ClientKey; userId: string; newHash: string; oldHash: string },
  limits: Pick<ThrottleLimits, 'devicesPerUser'>,
): Promise<void> {
  const { username, client, userId, newHash: hash, oldHash: old } = sign;
  // Each CTE touches other rows: moved = other accounts of the old value, dropped = this account's
  // old value, added = the new value, pruned = this account's rows beyond the newest ones (the
  // statement's snapshot does not see `added`, and `pruned` leaves the old value to `dropped`).
  await sql`
    with pair as (delete from login_attempt where username = ${username} and client = ${client.key}),
    window_back as (update login_backoff set attempts = greatest(attempts - 1, 0) where not ${client.trusted} and username = ${username}),
    seen as (update app_user set last_login_at = now() where id = ${userId}),
    moved as (update login_device set token_hash = ${hash} where ${old} <> '' and token_hash = ${old} and user_id <> ${userId}),
    dropped as (delete from login_device where ${old} <> '' and token_hash = ${old} and user_id = ${userId}),
    added as (insert into login_device (token_hash, user_id) values (${hash}, ${userId}))
    delete from login_device
     where user_id = ${userId} and token_hash <> ${old}
       and token_hash not in (select token_hash from login_device where user_id = ${userId}
                               order by last_used_at desc limit ${limits.devicesPerUser})`.execute(db);
}

/** Every pair of the name and its back-off go. */
export async function deleteThrottleRows(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_attempt').where('username', '=', username).execute();
  await db.deleteFrom('login_backoff').where('username', '=', username).execute();
}

/** Until when sign-in to this name is locked anywhere (a pair or the back-off), for the account list. */
export function lockedUntilSql(usernameColumn: string) {
  return sql<Date | null>`(select max(l.until) from (
      select a.locked_until as until from login_attempt a where a.username = ${sql.ref(usernameColumn)} and a.locked_until > now()
      union all
      select b.locked_until from login_backoff b where b.username = ${sql.ref(usernameColumn)} and b.locked_until > now()) l)`;
}

/** Counters of names nobody has tried for a day, and back-offs long over, are dropped. */
export async function deleteStaleThrottleRows(db: Db, limits: Pick<ThrottleLimits, 'backoffMemoryHours'>): Promise<void> {
  await sql`delete from login_attempt
             where last_attempt_at < now() - interval '1 day' and (locked_until is null or locked_until < now())`.execute(db);
  await sql`delete from login_backoff
             where window_started_at < now() - make_interval(hours => ${limits.backoffMemoryHours * 2})
               and (locked_until is null or locked_until < now() - make_interval(hours => ${limits.backoffMemoryHours}))`.execute(db);
}
