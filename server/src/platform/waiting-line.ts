import type { AppError } from './errors.js';

export type WaitingLineLimits = {
  /** Tasks at once. */
  maxInFlight: number;
  /** Tasks waiting; the next one is refused at once. */
  maxWaiting: number;
  /** How long a task waits for its turn before it is refused (no bound when omitted). */
  maxWaitMs?: number;
  /** What a task that cannot start is told. */
  refusal: () => AppError;
};

/**
 * One first-come-first-served line: `maxInFlight` at once, the next wait (up to `maxWaiting` of
 * them, each at most `maxWaitMs`), beyond that `refusal()`. The admission lines (admission.ts)
 * and each address's line of password checks (per-key-concurrency.ts) are this.
 */
export class WaitingLine {
  private inFlight = 0;
  // The waiters' wake-ups, oldest first. A finished task hands its place straight to the oldest
  // waiter (inFlight stays the same), so no newcomer can overtake the line.
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: WaitingLineLimits) {}

  /** Nobody in it: a line per key can be dropped. */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  /** Takes a place (waiting for one if need be) and returns its release; throws the refusal if none came. */
  async enter(): Promise<() => void> {
    if (this.inFlight < this.limits.maxInFlight) {
      this.inFlight += 1;
      return this.releaser();
    }
    if (this.waiting.length >= this.limits.maxWaiting) throw this.limits.refusal();
    await new Promise<void>((resolve, reject) => {
      const { maxWaitMs } = this.limits;
      const timer =
        maxWaitMs === undefined
          ? undefined
          : setTimeout(() => {
              // Out of the line without a place: the count in flight is the others'.
              const at = this.waiting.indexOf(wake);
              if (at >= 0) this.waiting.splice(at, 1);
              reject(this.limits.refusal());
            }, maxWaitMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiting.push(wake);
    });
    return this.releaser();
  }

  /** Runs `task` in the line. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.enter();
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight -= 1;
    };
  }
}
