import type { DbHandle } from '../db/connection.js';

/** The channel migration 0010's triggers notify on. */
export const CACHE_CHANNEL = 'ts_cache';

/**
 * Recently used sessions (by token hash) and data versions (by scope), kept in this process so
 * that a request whose answer is already cached (a student list page) needs no database round
 * trip at all. Without it, the session lookup costs more than the rest of such a request.
 *
 * An entry is trusted only while the process hears the database's change notices (migration
 * 0010: a session ended, an account or its grants changed, a data version moved). Those arrive at
 * commit, in every process, so a sign-out or a withdrawn grant takes effect everywhere within
 * milliseconds. Writes made by this process empty the cache before their answer is sent
 * (`forgetAll`), so its own next request never races its notice. While the notices are not
 * heard (the listening connection is down) nothing is cached, and `maxAgeMs` bounds what a missed
 * notice could cost.
 */
export class SessionCache<S> {
  private readonly sessions = new Map<string, { value: S; at: number }>();
  private readonly versions = new Map<string, { version: number; at: number }>();
  /** Moves on every invalidation: a value read from the database before it is not stored. */
  private generation = 0;
  private listening = false;

  constructor(
    private readonly maxAgeMs = 10_000,
    private readonly maxEntries = 20_000,
  ) {}

  /** Taken before a database read whose result may be stored. */
  ticket(): number {
    return this.generation;
  }

  session(tokenHash: string): S | undefined {
    const hit = this.sessions.get(tokenHash);
    return hit && this.fresh(hit.at) ? hit.value : undefined;
  }

  version(scope: string): number | undefined {
    const hit = this.versions.get(scope);
    return hit && this.fresh(hit.at) ? hit.version : undefined;
  }

  /** Stores what was read, unless something changed since `ticket` was taken. */
  store(ticket: number, tokenHash: string, value: S, versions: Record<string, number>): void {
    if (!this.listening || ticket !== this.generation) return;
    const at = Date.now();
    if (this.sessions.size >= this.maxEntries) this.sessions.clear();
    this.sessions.set(tokenHash, { value, at });
    for (const [scope, version] of Object.entries(versions)) {
      if (this.versions.size >= this.maxEntries) this.versions.clear();
      this.versions.set(scope, { version, at });
    }
  }

  /** Replaces a cached session in place (its sliding expiry moved); keeps its age. */
  update(tokenHash: string, value: S): void {
    const hit = this.sessions.get(tokenHash);
    if (hit) hit.value = value;
  }

  forgetSession(tokenHash: string): void {
    this.generation++;
    this.sessions.delete(tokenHash);
  }

  forgetAll(): void {
    this.generation++;
    this.sessions.clear();
    this.versions.clear();
  }

  /** A change notice from the database (migration 0010). */
  notice(payload: string): void {
    if (payload.startsWith('v:')) {
      this.generation++;
      this.versions.delete(payload.slice(2));
    } else {
      // 's' (sessions, accounts, grants) or anything unknown: trust nothing.
      this.forgetAll();
    }
  }

  /** Whether change notices are heard; while they are not, nothing is kept. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.forgetAll();
  }

  private fresh(at: number): boolean {
    return this.listening && Date.now() - at < this.maxAgeMs;
  }
}

/** Starts following the database's change notices; the returned function stops. */
export async function followChanges<S>(handle: DbHandle, cache: SessionCache<S>): Promise<() => Promise<void>> {
  return handle.listen(CACHE_CHANNEL, { message: (p) => cache.notice(p), state: (on) => cache.setListening(on) });
}
