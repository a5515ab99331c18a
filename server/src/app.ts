import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DbHandle } from './db/connection.js';
import type { Database } from './db/schema.js';
import { registerFeatureModules } from './modules/index.js';
import { openapiOptions } from './openapi/document.js';
import { type AdmissionConfig, admissionFromEnv, registerAdmission } from './platform/admission.js';
import { SnapshotRateLimitStore, isFlooding } from './platform/rate-limit-store.js';
import { addressKey } from './platform/login-throttle.js';
import { ADDRESS_MAX_FAILURES } from './platform/login-address-limit.js';
import { parseTrustProxy } from './platform/trust-proxy.js';
import { registerInputHygiene } from './platform/input-hygiene.js';
import { registerSecurity } from './platform/security-plugin.js';
import { registerSecurityHeaders } from './platform/security-headers.js';
import { registerCompression } from './platform/compression.js';
import { CONTACT_BOOK_JOBS, JobRunner, type KindFilter } from './platform/jobs.js';
import { watchRequests } from './platform/request-activity.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dbHandle: DbHandle;
    appConfig: AppConfig;
  }
}

export type AppConfig = {
  /** Built web app to serve at / (omitted in API-only tests). */
  webDir?: string;
  /** Set the Secure flag on cookies (behind HTTPS). */
  cookieSecure: boolean;
  logger: boolean;
  /** Largest accepted upload, bytes. */
  maxUploadBytes: number;
  /**
   * Login attempts per client address per minute before 429. A whole school (a computer room at
   * exam time) can sit behind one public address, so this is per address, not per person: the
   * per-account lockout is what stops guessing one password.
   */
  loginRatePerMinute: number;
  /**
   * Failed sign-ins per client address per 10 minutes before the address is refused
   * (platform/login-address-limit.ts, decision 0019). Successful sign-ins do not count.
   */
  loginFailuresPerAddress: number;
  /**
   * This process is the only one serving the database, so jobs it finds unfinished at start-up
   * died with a previous process. False for cluster workers: a sibling may be running them.
   */
  soleProcess: boolean;
  /**
   * Slow or stalled clients must not hold sockets forever (slowloris): a socket idle this long is
   * closed, request headers must arrive within headersMs and the whole request (a 15 MB upload on
   * a slow phone connection included) within requestMs.
   */
  timeouts: { idleMs: number; headersMs: number; requestMs: number };
  /** How many API requests are worked on at once, how long the next ones wait (platform/admission.ts). */
  admission: AdmissionConfig;
  /** Years after a student left before their personal data may be anonymised (docs/privacy.md; UNCERTAIN default). */
  retentionYears: number;
  /**
   * Learner lookups (learner id + date of birth, to ask for a transfer) per account per rolling
   * hour; counted from the audit rows, so the limit holds across processes and restarts
   * (docs/decisions/0009-two-sided-transfer.md).
   */
  transferLookupsPerHour: number;
  /** Days a printed activation code (linking families) stays valid: TRUONGSO_ACTIVATION_DAYS, 60 by default. */
  activationCodeDays: number;
  /**
   * TRUST_PROXY as written: who may say, in X-Forwarded-For, which address a request comes from
   * (platform/trust-proxy.ts). Empty: no one, the socket's address is the client's.
   */
  trustProxy: string;
  /**
   * Keep sessions and data versions in memory while the database's change notices are heard
   * (platform/session-cache.ts). API tests turn it off, so a row changed by a fixture is read at
   * the next request; session-cache.test.ts and the e2e server run with it on.
   */
  sessionCache: boolean;
  /**
   * This process runs background jobs from the database's queue (platform/jobs.ts). A process
   * that only serves requests (TRUONGSO_JOBS=0) still queues them; the access tests, which queue
   * jobs by the thousand, leave them queued.
   */
  jobs: boolean;
};

export const defaultAppConfig: AppConfig = {
  cookieSecure: process.env.COOKIE_SECURE === '1',
  logger: false,
  maxUploadBytes: 15 * 1024 * 1024,
  loginRatePerMinute: 120,
  loginFailuresPerAddress: ADDRESS_MAX_FAILURES,
  soleProcess: true,
  timeouts: { idleMs: 30_000, headersMs: 20_000, requestMs: 120_000 },
  admission: admissionFromEnv(),
  retentionYears: Number(process.env.TRUONGSO_RETENTION_YEARS ?? 5),
  transferLookupsPerHour: Number(process.env.TRUONGSO_TRANSFER_LOOKUPS_PER_HOUR ?? 20),
  activationCodeDays: Number(process.env.TRUONGSO_ACTIVATION_DAYS ?? 60),
  trustProxy: process.env.TRUST_PROXY ?? '',
  sessionCache: process.env.TRUONGSO_SESSION_CACHE !== '0',
  jobs: process.env.TRUONGSO_JOBS !== '0',
};

export async function buildApp(dbHandle: DbHandle, config: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const appConfig: AppConfig = { ...defaultAppConfig, ...config };
  // Refuses "trust everyone" and anything it cannot read, before the server starts.
  const trustProxy = parseTrustProxy(appConfig.trustProxy);
  const app = Fastify({
    logger: appConfig.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    connectionTimeout: appConfig.timeouts.idleMs,
    requestTimeout: appConfig.timeouts.requestMs,
    // Node checks the headers and request timers only every connectionsCheckingInterval (30 s by
    // default), which would let a trickling client stay well past headersMs.
    http: { headersTimeout: appConfig.timeouts.headersMs, connectionsCheckingInterval: Math.min(5_000, appConfig.timeouts.headersMs / 2) },
    trustProxy,
    ajv: { customOptions: { allErrors: false } },
  }).withTypeProvider<ZodTypeProvider>();
  // Behind a reverse proxy every connection comes from the proxy, so only a directly exposed
  // server can turn flooding addresses away at the door (rate-limit-store.ts).
  if (!trustProxy) {
    app.server.on('connection', (socket) => {
      if (isFlooding(addressKey(socket.remoteAddress))) socket.destroy();
    });
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', dbHandle.db);
  app.decorate('dbHandle', dbHandle);
  app.decorate('appConfig', appConfig);
  // The database's job queue (platform/jobs.ts), in two lanes of one job at a time each: the
  // contact book's short deliveries, and the long batches (học bạ, closes), so a parent's notice
  // never waits behind a province's close. On PGlite, whose statements run on this thread, a job's
  // pieces of work wait for moments without requests.
  const quiet = dbHandle.engine === 'pglite' ? watchRequests(app.server).quiet : undefined;
  const lane = (kinds: KindFilter) => new JobRunner(dbHandle.db, { quiet, log: (message) => app.log.error(message), soleProcess: appConfig.soleProcess, kinds });
  const lanes = [lane({ only: CONTACT_BOOK_JOBS }), lane({ except: CONTACT_BOOK_JOBS })];
  if (appConfig.jobs) app.addHook('onReady', async () => lanes.forEach((r) => r.start()));
  app.addHook('onClose', async () => void (await Promise.all(lanes.map((r) => r.stop()))));

  registerSecurityHeaders(app, { hsts: appConfig.cookieSecure });
  // The line in front of the handlers (a preHandler hook: after the rate limits, session and
  // permission checks, which refuse cheaply without queueing).
  registerAdmission(app, appConfig.admission);
  registerCompression(app);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    store: SnapshotRateLimitStore,
    // Per client address as the sign-in limits see it: an IPv6 subscriber by its whole /64.
    keyGenerator: (req) => addressKey(req.ip),
    // A plain object, not an Error: a throttled flood is answered without capturing a stack trace
    // per request. The error handler turns it into the usual Vietnamese problem+json, late.
    errorResponseBuilder: (_req, context) => ({ statusCode: context.statusCode, throttled: true }),
  });
  await app.register(multipart, {
    limits: { fileSize: appConfig.maxUploadBytes, files: 1, fields: 10, fieldSize: 1000, parts: 12 },
  });
  await app.register(swagger, openapiOptions);
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerSecurity(app);
  registerInputHygiene(app);

  app.get('/api/health', { config: { permission: { access: 'public' } }, schema: { summary: 'Máy chủ đang chạy và cơ sở dữ liệu đang dùng' } }, async () => ({
    status: 'ok',
    db: dbHandle.engine,
  }));
  app.get('/api/openapi.json', { config: { permission: { access: 'public' } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(registerFeatureModules, { prefix: '/api/v1' });

  if (appConfig.webDir && existsSync(path.join(appConfig.webDir, 'index.html'))) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    // preCompressed: the build writes .br and .gz beside each file (web/vite.config.ts); the one
    // the browser accepts is sent as is, the plain file when there is none.
    await app.register(fastifyStatic, {
      root: appConfig.webDir,
      wildcard: true,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => void reply.header('cache-control', webCacheControl(appConfig.webDir ?? '', filePath)),
    });
  }
  return app;
}

/**
 * Files under assets/ carry a hash of their content in their name (Vite), so a browser may keep
 * them for a year without asking again; everything else (index.html, which names the current
 * assets, and the favicon) is checked with the server on every load, so a new version shows at once.
 */
export function webCacheControl(webDir: string, filePath: string): string {
  const rel = path.relative(webDir, filePath).split(path.sep);
  return rel.length > 1 && rel[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
}
