/**
 * Locks this process has seen, trusted for a few seconds without asking the database: during a
 * flood against one account every further guess is answered from memory. Short, so that an
 * administrator's unlock reaches every process within seconds. The database (login-throttle.ts)
 * is the authority; this is only the fast path.
 *
 * Keys: `pair|<username>|<client>` for a (name, client) lock, `account|<username>` for the
 * per-account back-off.
 */
const KNOWN_LOCK_TRUST_MS = 5_000;
const knownLocks = new Map<string, { until: number; seenAt: number }>();

export const pairLockKey = (username: string, client: string) => `pair|${username}|${client}`;
export const accountLockKey = (username: string) => `account|${username}`;

export function rememberLock(key: string, until: Date | string): void {
  if (knownLocks.size > 10_000) knownLocks.clear();
  knownLocks.set(key, { until: new Date(until).getTime(), seenAt: Date.now() });
}

/** Forget every remembered lock of a user name at once (an administrator unlocked it in this process). */
export function forgetLocks(username: string): void {
  for (const key of knownLocks.keys()) {
    if (key === accountLockKey(username) || key.startsWith(`pair|${username}|`)) knownLocks.delete(key);
  }
}

/** A process that opens another database (the test files sharing a worker) starts with no memory. */
export function forgetAllLocks(): void {
  knownLocks.clear();
}

export function forgetLock(key: string): void {
  knownLocks.delete(key);
}

/** The end of a lock this process saw recently, or null: then ask the database. */
export function knownLock(key: string): Date | null {
  const known = knownLocks.get(key);
  return known && known.until > Date.now() && Date.now() - known.seenAt < KNOWN_LOCK_TRUST_MS ? new Date(known.until) : null;
}
