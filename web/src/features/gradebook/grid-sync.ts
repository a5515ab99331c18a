/**
 * Autosave of one gradebook grid on a weak connection. Holds what the server last said each cell
 * holds (its version), the outbox of cells typed and not yet confirmed, and the notices the
 * teacher has not read; sends the outbox ~800 ms after the last edit, when the grid loses focus
 * and when the page is hidden; keeps it in IndexedDB after every change; retries with a growing
 * pause after a failure and at once when the browser says the network is back. The rules of
 * what an answer does to the outbox are the pure ones of outbox.ts. No React: the grid reads it
 * through useSyncExternalStore.
 */
import type { TGradebook, TSaveGradebookResult } from '../../../../contracts/gradebook';
import { ApiError } from '../../api/client';
import { type Applied, applyResult, batchOf, cellKey, dropEdit, type Edit, editKey, mergeNotices, type Notice, type Outbox, queueEdit, retryDelayMs } from './outbox';
import { type GridRef, type OutboxStore, recordKey } from './outbox-store';

/** A cell as the server holds it; `correctedFrom` is the value the locked grid showed (paper's struck-through mark). */
export type BaseCell = { value: string | null; version: number; correctedFrom: string | null };

export type SyncFailure =
  /** No connection (or no answer in time): retried at `retryAt`, and at once when the browser is back online. */
  | { kind: 'network'; retryAt: number | null }
  /** The server failed (5xx, 429): retried at `retryAt`. */
  | { kind: 'server'; message: string; retryAt: number }
  /** The server refuses the grid as a whole (submitted, locked, no longer the teacher): nothing is retried until the grid opens again. */
  | { kind: 'blocked'; message: string }
  /** The session ended: the app shows the sign-in page; the outbox waits in the browser. */
  | { kind: 'signed_out' };

export type SyncSnapshot = {
  bases: ReadonlyMap<string, BaseCell>;
  outbox: Outbox;
  notices: readonly Notice[];
  sending: boolean;
  online: boolean;
  lastSavedAt: number | null;
  failure: SyncFailure | null;
  /** False when the browser refused to keep the outbox (storage full or denied): only this page holds it. */
  kept: boolean;
};

export type SyncOptions = {
  ref: GridRef;
  store: OutboxStore | null;
  send: (edits: Edit[], signal: AbortSignal) => Promise<TSaveGradebookResult>;
  /** The server refused the grid as a whole: reload it (its state and actions changed). */
  onBlocked?: () => void;
  debounceMs?: number;
  /** A send that has no answer after this long is given up and retried (its save may still have landed: outbox.ts counts that). */
  timeoutMs?: number;
};

export function basesOf(grid: Pick<TGradebook, 'rows'>): Map<string, BaseCell> {
  const m = new Map<string, BaseCell>();
  for (const r of grid.rows) for (const [column, c] of Object.entries(r.cells)) m.set(cellKey(r.studentId, column), { value: c.value, version: c.version, correctedFrom: c.correctedFrom });
  return m;
}

const OFFLINE_TRY_MS = 30_000;
const MAX_WAIT_MS = 5_000;

const NEVER_WRITTEN: BaseCell = { value: null, version: 0, correctedFrom: null };

/** Final sends of grids just left (in-app navigation): a grid opened again waits for its own to finish. */
const leaving = new Map<string, Promise<void>>();
export const settledLeaving = (key: string): Promise<void> => leaving.get(key) ?? Promise.resolve();

const isNetworkError = (e: unknown) =>
  (e instanceof ApiError && e.status === 0) || (e instanceof DOMException && e.name === 'AbortError') || e instanceof TypeError;

export class GridSync {
  readonly key: string;
  private snap: SyncSnapshot;
  private readonly listeners = new Set<() => void>();
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = false;
  private correcting: boolean;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: SyncOptions,
    grid: Pick<TGradebook, 'rows' | 'unlockReason'>,
    kept: { outbox: Outbox; notices: readonly Notice[] },
  ) {
    this.key = recordKey(o.ref);
    this.correcting = grid.unlockReason !== null;
    this.snap = {
      bases: basesOf(grid),
      outbox: kept.outbox,
      notices: kept.notices,
      sending: false,
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
      lastSavedAt: null,
      failure: null,
      kept: true,
    };
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };
  readonly getSnapshot = (): SyncSnapshot => this.snap;

  private set(patch: Partial<SyncSnapshot>) {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }

  base(studentId: string, column: string): BaseCell {
    return this.snap.bases.get(cellKey(studentId, column)) ?? NEVER_WRITTEN;
  }

  // ---- the page's life ----

  start(): void {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('pagehide', this.onHide);
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.snap.outbox.size) void this.flushNow();
  }

  /** The teacher left the grid: one last send, whose answer (and notices) is kept in the browser for the next visit. */
  stop(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('pagehide', this.onHide);
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.debounce);
    clearTimeout(this.retry);
    this.listeners.clear();
    if (this.stopped) return;
    this.stopped = true;
    const last = (this.snap.outbox.size && !this.snap.sending && this.mayRetry() ? this.flushNow() : Promise.resolve()).then(() => this.writes);
    leaving.set(this.key, last);
    void last.finally(() => {
      if (leaving.get(this.key) === last) leaving.delete(this.key);
    });
  }

  /** The grid was read again (after a state change, a reload): its cells are the new bases. */
  setGrid(grid: Pick<TGradebook, 'rows' | 'unlockReason' | 'actions'>): void {
    this.correcting = grid.unlockReason !== null;
    const bases = basesOf(grid);
    // Cells saved since the read started keep their newer version.
    for (const [k, b] of this.snap.bases) if ((bases.get(k)?.version ?? 0) < b.version) bases.set(k, b);
    const reopened = this.snap.failure?.kind === 'blocked' && grid.actions.edit;
    this.set({ bases, ...(reopened ? { failure: null } : {}) });
    if (reopened && this.snap.outbox.size) this.schedule(0);
  }

  // ---- edits ----

  /** The teacher settled a cell on `value` (as the grid writes it; null clears). */
  edit(studentId: string, column: string, value: string | null): void {
    const outbox = queueEdit(this.snap.outbox, studentId, column, value, this.base(studentId, column));
    const notices = this.snap.notices.filter((n) => editKey(n) !== cellKey(studentId, column));
    if (outbox === this.snap.outbox && notices.length === this.snap.notices.length) return;
    this.set({ outbox, notices });
    this.persist();
    this.schedule();
  }

  /** The teacher typed something that is not a value over the cell: what was queued for it is not sent. */
  drop(studentId: string, column: string): void {
    const outbox = dropEdit(this.snap.outbox, studentId, column);
    if (outbox === this.snap.outbox) return;
    this.set({ outbox });
    this.persist();
  }

  /** The teacher has read these notices (all when no cell is named). */
  dismiss(keys?: readonly string[]): void {
    const notices = keys ? this.snap.notices.filter((n) => !keys.includes(editKey(n))) : [];
    this.set({ notices });
    this.persist();
  }

  /** The teacher gives up the cells the server would not take (the grid was submitted or locked meanwhile). */
  discardAll(): void {
    this.set({ outbox: new Map(), failure: null });
    this.persist();
  }

  // ---- sending ----

  private mayRetry() {
    const f = this.snap.failure;
    return !f || f.kind === 'network' || f.kind === 'server';
  }

  /** Edits typed without a pause are still sent at least this often. */
  private waitingSince: number | null = null;

  private schedule(ms = this.o.debounceMs ?? 800) {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    this.waitingSince ??= Date.now();
    const left = Math.max(0, this.waitingSince + MAX_WAIT_MS - Date.now());
    this.debounce = setTimeout(() => void this.flushNow(), Math.min(ms, left));
  }

  /**
   * Send the outbox now (the grid lost focus, the page is hidden, "Gửi ngay"). While the browser
   * says it is offline nothing is sent until it says it is back, but a try is made every
   * OFFLINE_TRY_MS anyway: that flag is not always right.
   */
  async flushNow(evenOffline = false): Promise<void> {
    clearTimeout(this.debounce);
    this.waitingSince = null;
    if (this.snap.sending || this.snap.outbox.size === 0 || !this.mayRetry()) return;
    if (!navigator.onLine && !evenOffline) {
      this.set({ online: false, failure: { kind: 'network', retryAt: null } });
      clearTimeout(this.retry);
      if (!this.stopped) this.retry = setTimeout(() => void this.flushNow(true), OFFLINE_TRY_MS);
      return;
    }
    clearTimeout(this.retry);
    const batch = batchOf(this.snap.outbox);
    this.set({ sending: true, online: true });
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.o.timeoutMs ?? 25_000);
    try {
      const answer = await this.o.send(batch, ctl.signal);
      this.attempt = 0;
      this.apply(applyResult(this.snap.outbox, batch, answer));
      if (this.snap.outbox.size) this.schedule();
    } catch (e) {
      this.fail(e);
    } finally {
      clearTimeout(timer);
    }
  }

  private apply(a: Applied) {
    const bases = new Map(this.snap.bases);
    for (const b of a.bases) {
      const k = cellKey(b.studentId, b.column);
      const before = bases.get(k) ?? NEVER_WRITTEN;
      // After an unlock every change is a correction; the value the locked grid showed stays (the server keeps it too).
      const correctedFrom = before.correctedFrom ?? (this.correcting ? (before.value ?? '') : null);
      bases.set(k, { ...b.cell, correctedFrom });
    }
    this.set({
      bases,
      outbox: a.outbox,
      notices: mergeNotices(this.snap.notices, a.notices),
      sending: false,
      failure: null,
      lastSavedAt: a.saved || a.notices.length ? Date.now() : this.snap.lastSavedAt,
    });
    this.persist();
  }

  private fail(e: unknown) {
    if (isNetworkError(e) || (e instanceof ApiError && (e.status >= 500 || e.status === 429))) {
      const offline = !navigator.onLine;
      const retryAt = Date.now() + (offline ? OFFLINE_TRY_MS : retryDelayMs(this.attempt++));
      const failure: SyncFailure =
        e instanceof ApiError && e.status !== 0 ? { kind: 'server', message: e.detail, retryAt } : { kind: 'network', retryAt: offline ? null : retryAt };
      this.set({ sending: false, failure, online: !offline });
      if (!this.stopped) {
        clearTimeout(this.retry);
        this.retry = setTimeout(() => void this.flushNow(offline), retryAt - Date.now());
      }
      return;
    }
    if (e instanceof ApiError && e.status === 401) {
      this.set({ sending: false, failure: { kind: 'signed_out' } });
      return;
    }
    this.set({ sending: false, failure: { kind: 'blocked', message: e instanceof ApiError ? e.detail : String(e) } });
    this.o.onBlocked?.();
  }

  private readonly onOnline = () => {
    this.attempt = 0;
    this.set({ online: true });
    if (this.snap.failure?.kind === 'network' || this.snap.failure?.kind === 'server') this.set({ failure: null });
    void this.flushNow();
  };
  private readonly onOffline = () => this.set({ online: false });
  private readonly onHide = () => void this.flushNow();
  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') void this.flushNow();
  };

  // ---- kept in the browser ----

  private persist() {
    const store = this.o.store;
    if (!store) return;
    const { outbox, notices } = this.snap;
    const record = { ...this.o.ref, key: this.key, edits: [...outbox.values()], notices: [...notices], updatedAt: Date.now() };
    const empty = outbox.size === 0 && notices.length === 0;
    this.writes = this.writes
      .then(() => (empty ? store.remove(this.key) : store.put(record)))
      .then(
        () => {
          if (!this.snap.kept) this.set({ kept: true });
        },
        () => this.set({ kept: false }),
      );
  }
}
