import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * Admission control for the API: at most `maxInFlight` requests are worked on at once; the next
 * ones wait their turn (first come, first served) for up to `maxWaitMs`, and a request that could
 * not start by then — or finds `maxWaiting` already waiting — is answered at once with 503, a
 * Retry-After and a Vietnamese "try again in a few seconds", which the web app honours by
 * retrying (web/src/app.tsx).
 *
 * Why: on a report-card evening more parents can arrive than the machine serves. Without a bound
 * every request is taken, each waits behind all the others, and past the machine's rate the
 * waits grow until every phone times out and nobody is served (the 5× evening in
 * docs/benchmarks.md before this). With it the server keeps serving at its rate with short waits,
 * and the parents beyond that rate are told, within seconds, to come back.
 *
 * Not counted: /api/health (a monitor must see a busy server as alive) and everything outside
 * /api/ (the web app's files: static, cheap, cached by the service worker).
 *
 * The line is just before the handler: what is refused cheaply — a flooding address's 429, a
 * missing session's 401, a 403 — is answered without queueing, so one address sending a thousand
 * guesses cannot fill the line in front of everyone else (brute-force.test.ts).
 */
export type AdmissionConfig = { maxInFlight: number; maxWaitMs: number; maxWaiting: number; retryAfterSeconds: number };

export const BUSY_DETAIL = 'Hệ thống đang có nhiều người dùng cùng lúc. Vui lòng thử lại sau vài giây.';

const counted = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/health');

export function registerAdmission(app: FastifyInstance, cfg: AdmissionConfig): void {
  let inFlight = 0;
  // The waiting requests' wake-ups, oldest first. A finished request hands its place straight to
  // the oldest waiter (inFlight stays the same), so no newcomer can overtake the queue.
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight -= 1;
  };
  const busy = (reply: FastifyReply) => {
    void reply.header('retry-after', String(cfg.retryAfterSeconds));
    return new AppError(503, 'server_busy', BUSY_DETAIL, { retryAfterSeconds: cfg.retryAfterSeconds });
  };
  const holdUntilDone = (req: FastifyRequest, reply: FastifyReply) => {
    // A client gone while it waited: its place goes on at once, nobody would read the answer.
    if (req.raw.socket?.destroyed === true || reply.raw.writableEnded) {
      release();
      throw busy(reply);
    }
    reply.raw.once('close', release);
  };

  app.addHook('preHandler', async (req, reply) => {
    if (!counted(req.url)) return;
    if (inFlight < cfg.maxInFlight) {
      inFlight += 1;
      holdUntilDone(req, reply);
      return;
    }
    if (waiting.length >= cfg.maxWaiting) throw busy(reply);
    const admitted = await new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const at = waiting.indexOf(wake);
        if (at >= 0) waiting.splice(at, 1);
        resolve(false);
      }, cfg.maxWaitMs);
      waiting.push(wake);
    });
    if (!admitted) throw busy(reply);
    holdUntilDone(req, reply);
  });
}

/**
 * TRUONGSO_MAX_IN_FLIGHT (64 by default: a few times the database pool of 20, so the pool stays
 * busy while the next requests are parsed), TRUONGSO_ADMISSION_WAIT_MS (5,000), at most 2,000
 * waiting, "come back in 5 s".
 */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionConfig {
  const positive = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    maxInFlight: positive(env.TRUONGSO_MAX_IN_FLIGHT, 64),
    maxWaitMs: positive(env.TRUONGSO_ADMISSION_WAIT_MS, 5_000),
    maxWaiting: 2_000,
    retryAfterSeconds: 5,
  };
}
