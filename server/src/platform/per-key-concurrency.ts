import { AppError } from './errors.js';

/**
 * At most `limit` tasks run at once per key; more wait in line (up to `maxWaiting`), beyond that
 * the caller is told to slow down. Used for password checks per client address: a computer room
 * of 40 pupils behind one school IP all pressing "Đăng nhập" at once are served in turn, while one
 * address can never take more than `limit` of the argon2 threads everyone else needs.
 */
export class PerKeyConcurrency {
  private readonly lines = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = { running: 0, waiting: [] }));
    if (line.running < this.limit) line.running++;
    else if (line.waiting.length >= this.maxWaiting) throw new AppError(429, 'rate_limited', 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.');
    else await new Promise<void>((resolve) => line.waiting.push(resolve)); // the finishing task hands over its slot
    try {
      return await task();
    } finally {
      const next = line.waiting.shift();
      if (next) next();
      else if (--line.running === 0) this.lines.delete(key);
    }
  }
}
