import autocannon from 'autocannon';
import { percentile } from './machine.js';

export type LoadResult = { requests: number; rps: number; p50: number; p95: number; p99: number; non2xx: number; errors: number };

/**
 * Loopback-only load with autocannon: `connections` clients for `seconds`, cycling over `paths`.
 * Latencies come from every response (autocannon's own histogram has no p95).
 */
export async function load(
  base: string,
  paths: string[],
  opts: { connections: number; seconds: number; headers?: Record<string, string>; method?: 'GET' | 'POST' | 'PATCH'; body?: string; rate?: number },
): Promise<LoadResult> {
  const url = new URL(base);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('load tests target loopback only');
  const times: number[] = [];
  let i = 0;
  const instance = autocannon({
    url: base,
    connections: opts.connections,
    overallRate: opts.rate,
    duration: opts.seconds,
    headers: opts.body ? { 'content-type': 'application/json', ...opts.headers } : opts.headers,
    requests: [
      {
        setupRequest: (req) => {
          const path = paths[i++ % paths.length];
          return { ...req, path, method: opts.method ?? 'GET', body: opts.body };
        },
      },
    ],
  });
  // autocannon's instance is both a promise and an event emitter; its types only know the first.
  (instance as unknown as NodeJS.EventEmitter).on('response', (_c: unknown, _s: number, _b: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    rps: result.requests.total / opts.seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
