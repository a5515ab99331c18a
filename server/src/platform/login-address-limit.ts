/**
 * Failed sign-ins per client address (docs/decisions/0019-login-limit-for-shared-addresses.md).
 *
 * Many parents reach the server from one carrier address (mobile CGNAT), a whole school from its
 * one public address. What marks an address that guesses passwords is its failures, not its
 * number of sign-ins: so this counts, per address and per window of ADDRESS_FAILURE_WINDOW_MINUTES,
 * the sign-ins that failed (a wrong password, or a name refused because it is locked or backed off
 * for strangers), and refuses the address once ADDRESS_MAX_FAILURES are reached, until the window
 * ends. Successful sign-ins do not count, and a name that then signs in correctly from the same
 * address takes its failures there back with it (the parent who mistyped twice): what remains is
 * the failures of names the address never proved to know the password of.
 *
 * A browser that signed in to the account before (device cookie, decision 0010) is not counted
 * nor refused here: a guesser behind the same carrier address does not lock out the parents whose
 * phones the server already knows.
 *
 * Per process, in memory, like the request rate limit (decision 0013): with `--workers N` an
 * address gets N × the limit. The (name, client) lock and the per-account back-off (decision 0010)
 * live in the database and still apply underneath.
 */
export const ADDRESS_FAILURE_WINDOW_MINUTES = 10;
export const ADDRESS_MAX_FAILURES = 100;

// As many addresses as the request rate limit keeps (rate-limit-store.ts); the oldest go first.
const MAX_ADDRESSES = 50_000;

type Entry = { startedAt: number; failures: number; byName: Map<string, number> };

export class AddressFailures {
  private readonly entries = new Map<string, Entry>();
  private readonly windowMs: number;

  constructor(
    readonly max = ADDRESS_MAX_FAILURES,
    windowMinutes = ADDRESS_FAILURE_WINDOW_MINUTES,
  ) {
    this.windowMs = windowMinutes * 60_000;
  }

  private live(address: string, now: number): Entry | undefined {
    const e = this.entries.get(address);
    if (e && e.startedAt + this.windowMs <= now) {
      this.entries.delete(address);
      return undefined;
    }
    return e;
  }

  /** When the address has used up its failures for this window: the moment it may try again. */
  refusedUntil(address: string, now = Date.now()): Date | null {
    const e = this.live(address, now);
    return e && e.failures >= this.max ? new Date(e.startedAt + this.windowMs) : null;
  }

  /** A sign-in of `username` from the address failed (or was refused for a locked name). */
  failed(address: string, username: string, now = Date.now()): void {
    let e = this.live(address, now);
    if (!e) {
      if (this.entries.size >= MAX_ADDRESSES) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      e = { startedAt: now, failures: 0, byName: new Map() };
      this.entries.set(address, e);
    }
    e.failures += 1;
    e.byName.set(username, (e.byName.get(username) ?? 0) + 1);
  }

  /** `username` signed in from the address: its failures there were typing, not guessing. */
  succeeded(address: string, username: string, now = Date.now()): void {
    const e = this.live(address, now);
    const n = e?.byName.get(username);
    if (!e || !n) return;
    e.failures -= n;
    e.byName.delete(username);
  }

  /** Failures counted against the address in its current window (tests and the bench read it). */
  failuresOf(address: string, now = Date.now()): number {
    return this.live(address, now)?.failures ?? 0;
  }
}
