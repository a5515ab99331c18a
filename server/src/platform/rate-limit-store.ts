/**
 * Fixed-window request counter for @fastify/rate-limit, per process.
 *
 * Why not the plugin's own LocalStore (11.2.0): it hands every caller the same mutable counter
 * object and the plugin reads it only after an `await`, so requests arriving in the same tick all
 * read the final count. Forty simultaneous logins from one address (a school behind one public
 * IP, at 7:00) were ALL refused, not just the ten over the limit. Each caller here gets its own
 * snapshot of the count at the moment it was counted.
 */
type Window = { count: number; startedAt: number };
type Callback = (err: Error | null, res: { current: number; ttl: number }) => void;

// Enough distinct addresses for a province-size burst; the oldest windows are dropped first.
const MAX_KEYS = 50_000;

/**
 * Addresses that went on sending after being told to slow down: more than FLOOD_FACTOR times the
 * limit within one window. Until that window ends, their new connections are closed at the door
 * (app.ts), before any HTTP parsing: a client opening 1,000 connections a second then costs an
 * accept and a close each, not a parsed request and an answer. A whole school behind one address
 * never sends 2 × 120 logins in a minute.
 */
const FLOOD_FACTOR = 2;
const flooding = new Map<string, number>();

export function isFlooding(address: string | undefined): boolean {
  if (!address) return false;
  const until = flooding.get(address);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  flooding.delete(address);
  return false;
}

/** A process that builds another app (the test files sharing a worker) starts with no flooding address. */
export function forgetFlooding(): void {
  flooding.clear();
}

export class SnapshotRateLimitStore {
  private readonly windows = new Map<string, Window>();
  /** The route's window (one store per route, one window length), for `countAgain`. */
  private timeWindow = 60_000;

  incr(key: string, cb: Callback, timeWindow: number, max?: number): void {
    this.timeWindow = timeWindow;
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.startedAt + timeWindow <= now) {
      this.windows.delete(key);
      w = { count: 0, startedAt: now };
      const oldest = this.windows.keys().next();
      if (this.windows.size >= MAX_KEYS && !oldest.done) this.windows.delete(oldest.value);
      this.windows.set(key, w);
    }
    w.count += 1;
    if (max !== undefined && w.count > max * FLOOD_FACTOR) {
      if (flooding.size >= MAX_KEYS) flooding.clear();
      flooding.set(key, w.startedAt + timeWindow);
    }
    cb(null, { current: w.count, ttl: w.startedAt + timeWindow - now });
  }

  read(key: string, cb: Callback, timeWindow: number): void {
    const now = Date.now();
    const w = this.windows.get(key);
    if (!w || w.startedAt + timeWindow <= now) cb(null, { current: 0, ttl: timeWindow });
    else cb(null, { current: w.count, ttl: w.startedAt + timeWindow - now });
  }

  /**
   * Takes one request back off the key's count (a sign-in that succeeded, decision 0019): the
   * limit then counts what did not succeed, and a crowd signing in with right passwords behind one
   * address never fills it. A window that has ended is left alone.
   */
  giveBack(key: string): void {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count -= 1;
  }
  /** Counts a request given back earlier after all (a sign-in that waited its turn, then failed). */
  countAgain(key: string): void {
    const w = this.windows.get(key);
    if (w && w.startedAt + this.timeWindow > Date.now()) w.count += 1;
    else this.windows.set(key, { count: 1, startedAt: Date.now() });
  }

  /**
   * One store per rate-limited route, as the plugin expects. A route whose `rateLimit` options
   * carry `giveBack` (a RateLimitGiveBack) gets its store attached to it, so the route's handler
   * can return a request to the count.
   */
  child(routeParams?: object): SnapshotRateLimitStore {
    const store = new SnapshotRateLimitStore();
    const giveBack = (routeParams as { giveBack?: unknown } | undefined)?.giveBack;
    if (giveBack instanceof RateLimitGiveBack) giveBack.attach(store);
    return store;
  }
}

/**
 * The handle a route keeps to give requests back to its own rate-limit store (the plugin creates
 * the store; the route only sees its options, which the plugin hands to `child`).
 */
export class RateLimitGiveBack {
  private readonly stores: SnapshotRateLimitStore[] = [];

  attach(store: SnapshotRateLimitStore): void {
    this.stores.push(store);
  }

  giveBack(key: string): void {
    for (const s of this.stores) s.giveBack(key);
  }
  countAgain(key: string): void {
    for (const s of this.stores) s.countAgain(key);
  }
}
