/**
 * Locks this process has seen, trusted for a few seconds without asking the database: during a
 * flood against one account every further guess is answered from memory. Short, so that an
 * administrator's unlock reaches every process within seconds.
 */
const KNOWN_LOCK_TRUST_MS = 5_000;
const knownLocks = new Map<string, { until: number; seenAt: number }>();

export function rememberLock(username: string, until: Date | string): void {
  if (knownLocks.size > 10_000) knownLocks.clear();
  knownLocks.set(username, { until: new Date(until).getTime(), seenAt: Date.now() });
}

/** Forget a remembered lock at once (an administrator unlocked the account in this process). */
export function forgetLock(username: string): void {
  knownLocks.delete(username);
}

/** The end of a lock this process saw recently, or null: then ask the database. */
export function knownLock(username: string): Date | null {
  const known = knownLocks.get(username);
  return known && known.until > Date.now() && Date.now() - known.seenAt < KNOWN_LOCK_TRUST_MS ? new Date(known.until) : null;
}
