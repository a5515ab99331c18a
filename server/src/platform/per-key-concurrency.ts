import { AppError } from './errors.js';
import { WaitingLine, type WaitingLineLimits } from './waiting-line.js';

/** A key's line's limits (waiting-line.ts); without a refusal of its own, a full line is "too fast" (429). */
export type PerKeyLimits = Omit<WaitingLineLimits, 'refusal'> & { refusal?: () => AppError };

const tooFast = () => new AppError(429, 'rate_limited', 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.');

/**
 * At most `maxInFlight` tasks run at once per key; more wait in line (up to `maxWaiting`, each at most
 * `maxWaitMs`), beyond that the caller gets `refusal()`. Used for password checks per client
 * address: a computer room of 40 pupils behind one school IP all pressing "Đăng nhập" at once are
 * served in turn, while one address can never take more than `maxInFlight` of the argon2 threads
 * everyone else needs.
 */
export class PerKeyConcurrency {
  private readonly lines = new Map<string, WaitingLine>();

  constructor(private readonly limits: PerKeyLimits) {}

  /** Keys with a line now: only those with a task running (a line goes with its last task). */
  get keysInUse(): number {
    return this.lines.size;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = new WaitingLine({ ...this.limits, refusal: this.limits.refusal ?? tooFast })));
    try {
      return await line.run(task);
    } finally {
      // The last one out of a key's line takes the line with it: no map growing with every address.
      if (line.idle) this.lines.delete(key);
    }
  }
}
