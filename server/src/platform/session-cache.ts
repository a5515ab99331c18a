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
 * milliseconds. The connection that makes a change hears it in band, before its statement
 * returns (migration 0013), and a write forgets what changed once more before its answer is sent
 * (`afterWrite`), so this process's own next request never races the notice. While the notices
 * are not heard (the listening connection is down) nothing is cached, and `maxAgeMs` bounds what
 * a missed notice could cost.
 *
 * Notices are precise: a school's version moving (every admission) forgets that version only, and
 * does not stop a session read meanwhile from being kept, so fifty admissions at once do not make
 * every request read its session again.
 */
export class SessionCache<S> {
  private readonly sessions = new Map<string, { value: S; at: number }>();
  private readonly versions = new Map<string, { version: number; at: number }>();
  /** Moves whenever a kept session may be out of date (a notice, a gap in hearing them). */
  private sessionChanges = 0;
  /** The scopes of the latest version notices, oldest first; `versionNoticesBefore` went before them. */
  private versionNotices: string[] = [];
  private versionNoticesBefore = 0;
  private listening = false;

  constructor(
    private readonly maxAgeMs = 10_000,
    private readonly maxEntries = 20_000,
  ) {}

  /** Where the notices stand: taken before a database read whose result may be kept, and when a write begins. */
  mark(): CacheMark {
    return { sessionChanges: this.sessionChanges, versionNotices: this.versionNoticesBefore + this.versionNotices.length };
  }

  session(tokenHash: string): S | undefined {
    const hit = this.sessions.get(tokenHash);
    return hit && this.fresh(hit.at) ? hit.value : undefined;
  }

  version(scope: string): number | undefined {
    const hit = this.versions.get(scope);
    return hit && this.fresh(hit.at) ? hit.version : undefined;
  }

  /**
   * Keeps what was read since `mark`, except what may have changed meanwhile (the read may
   * predate the change): nothing if a session, account or grant changed, and not the versions
   * of scopes announced since.
   */
  store(mark: CacheMark, tokenHash: string, value: S, versions: Record<string, number>): void {
    if (!this.listening || mark.sessionChanges !== this.sessionChanges) return;
    const moved = this.announcedSince(mark);
    const at = Date.now();
    if (this.sessions.size >= this.maxEntries) this.sessions.clear();
    this.sessions.set(tokenHash, { value, at });
    if (moved === 'all') return;
    for (const [scope, version] of Object.entries(versions)) {
      if (moved.has(scope)) continue;
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
    this.sessionChanges++;
    this.sessions.delete(tokenHash);
  }

  forgetAll(): void {
    this.sessionChanges++;
    this.sessions.clear();
    this.versions.clear();
  }

  /**
   * Before a write's answer leaves, what changed while it ran is forgotten once more: a value
   * read by another request after the change was announced in band but before it committed may
   * have been kept. The versions of the scopes announced since `mark`; everything if sessions,
   * accounts or grants changed.
   */
  afterWrite(mark: CacheMark): void {
    const moved = mark.sessionChanges !== this.sessionChanges ? 'all' : this.announcedSince(mark);
    if (moved === 'all') this.forgetAll();
    else for (const scope of moved) this.versions.delete(scope);
  }

  /** A change notice from the database (migration 0010). */
  notice(payload: string): void {
    if (payload.startsWith('v:')) {
      const scope = payload.slice(2);
      this.versions.delete(scope);
      this.versionNotices.push(scope);
      if (this.versionNotices.length > 10_000) {
        this.versionNotices = this.versionNotices.slice(5_000);
        this.versionNoticesBefore += 5_000;
      }
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

  private announcedSince(mark: CacheMark): Set<string> | 'all' {
    if (mark.versionNotices < this.versionNoticesBefore) return 'all';
    return new Set(this.versionNotices.slice(mark.versionNotices - this.versionNoticesBefore));
  }

  private fresh(at: number): boolean {
    return this.listening && Date.now() - at < this.maxAgeMs;
  }
}

/** Where the change notices stood at a moment (`SessionCache.mark`). */
export type CacheMark = { sessionChanges: number; versionNotices: number };

/** Starts following the database's change notices; the returned function stops. */
export async function followChanges<S>(handle: DbHandle, cache: SessionCache<S>): Promise<() => Promise<void>> {
  return handle.listen(CACHE_CHANNEL, { message: (p) => cache.notice(p), state: (on) => cache.setListening(on) });
}
