import { AppError } from './errors.js';

export type PerKeyLimits = {
  /** Tasks at once per key. */
  limit: number;
  /** Tasks waiting per key; the next one is refused at once. */
  maxWaiting: number;
  /** How long a task waits for its turn before it is refused (no bound when omitted). */
  maxWaitMs?: number;
  /** What a task that cannot run is told; by default "you are going too fast" (429). */
  refusal?: () => AppError;
};

const tooFast = () => new AppError(429, 'rate_limited', 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.');

/**
 * At most `limit` tasks run at once per key; more wait in line (up to `maxWaiting`, each at most
 * `maxWaitMs`), beyond that the caller gets `refusal()`. Used for password checks per client
 * address: a computer room of 40 pupils behind one school IP all pressing "Đăng nhập" at once are
 * served in turn, while one address can never take more than `limit` of the argon2 threads
 * everyone else needs.
 */
export class PerKeyConcurrency {
  private readonly lines = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly limits: PerKeyLimits) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const refusal = this.limits.refusal ?? tooFast;
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = { running: 0, waiting: [] }));
    if (line.running < this.limits.limit) line.running++;
    else if (line.waiting.length >= this.limits.maxWaiting) throw refusal();
    else await this.waitTurn(line, refusal); // the finishing task hands over its slot
    try {
      return await task();
    } finally {
      const next = line.waiting.shift();
      if (next) next();
      else if (--line.running === 0) this.lines.delete(key);
    }
  }

  private waitTurn(line: { waiting: (() => void)[] }, refusal: () => AppError): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const maxWaitMs = this.limits.maxWaitMs;
      const timer =
        maxWaitMs === undefined
          ? undefined
          : setTimeout(() => {
              // Out of the line without a slot: the running count is the others'.
              const at = line.waiting.indexOf(wake);
              if (at >= 0) line.waiting.splice(at, 1);
              reject(refusal());
            }, maxWaitMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      line.waiting.push(wake);
    });
  }
}
