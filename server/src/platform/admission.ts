import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';
import { WaitingLine } from './waiting-line.js';

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
export type AdmissionConfig = {
  maxInFlight: number;
  maxWaitMs: number;
  maxWaiting: number;
  retryAfterSeconds: number;
  /** Password checks (sign-in, password change) worked on at once: their own line, see below. */
  passwordChecksInFlight: number;
};

export const BUSY_DETAIL = 'Hệ thống đang có nhiều người dùng cùng lúc. Vui lòng thử lại sau vài giây.';

declare module 'fastify' {
  interface FastifyInstance {
    /** The line password checks wait in instead of the general one (auth.routes.ts). */
    passwordCheckLine: WaitingLine;
  }
  interface FastifyContextConfig {
    /**
     * The route waits in a line of its own, inside its handler, rather than in the general one
     * (sign-in and password change: one argon2 check each, about a hundred times the work of a
     * read, queued per address first).
     */
    ownAdmissionLine?: true;
  }
}

const counted = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/health');

/** "Come back in 5 s": long enough for a line to move, short enough that nobody gives up. */
const RETRY_AFTER_SECONDS = 5;

const busyError = (retryAfterSeconds: number) => new AppError(503, 'server_busy', BUSY_DETAIL, { retryAfterSeconds });
/** The 503 "come back in 5 s" for another line that is full (the per-address password checks). */
export const busyRefusal = () => busyError(RETRY_AFTER_SECONDS);

/**
 * The general line as a preHandler hook, and the password checks' own line. Why two: on a
 * report-card evening the sign-ins of parents with no open session (each an argon2 check waiting
 * behind its address's two) held most of the general line's places, so the reads of parents
 * already signed in waited behind them and were turned away (the 5× evening of
 * docs/benchmarks.md, 2026-12-07 14:20). In their own line, sign-ins are served at the rate the
 * machine checks passwords and the rest at the rate it reads.
 */
export function registerAdmission(app: FastifyInstance, cfg: AdmissionConfig): void {
  const refusal = () => busyError(cfg.retryAfterSeconds);
  // Both lines wait as long and as many, and refuse alike; they differ in how many go at once.
  const line = (maxInFlight: number) => new WaitingLine({ maxInFlight, maxWaiting: cfg.maxWaiting, maxWaitMs: cfg.maxWaitMs, refusal });
  const general = line(cfg.maxInFlight);
  app.decorate('passwordCheckLine', line(cfg.passwordChecksInFlight));

  app.addHook('preHandler', async (req, reply) => {
    if (!counted(req.url) || req.routeOptions.config?.ownAdmissionLine) return;
    const release = await general.enter();
    // A client gone while it waited: its place goes on at once, nobody would read the answer.
    if (req.raw.socket?.destroyed === true || reply.raw.writableEnded) {
      release();
      throw refusal();
    }
    reply.raw.once('close', release);
  });
}

/**
 * TRUONGSO_MAX_IN_FLIGHT (64 by default: a few times the database pool of 20, so the pool stays
 * busy while the next requests are parsed), TRUONGSO_ADMISSION_WAIT_MS (5,000), at most 2,000
 * waiting, "come back in 5 s"; TRUONGSO_PASSWORD_CHECKS_IN_FLIGHT (8: twice the 4 threads argon2
 * runs on, so a check's database work overlaps the next one's hashing).
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
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    passwordChecksInFlight: positive(env.TRUONGSO_PASSWORD_CHECKS_IN_FLIGHT, 8),
  };
}
