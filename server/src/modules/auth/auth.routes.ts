import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZChangePasswordRequest, ZLoginRequest, ZMe, ZSessionState } from '../../../../contracts/auth.js';
import { ZOk } from '../../../../contracts/common.js';
import { busyRefusal } from '../../platform/admission.js';
import { AppError } from '../../platform/errors.js';
import { PerKeyConcurrency } from '../../platform/per-key-concurrency.js';
import { AddressFailures } from '../../platform/login-address-limit.js';
import { DEVICE_COOKIE, DEVICE_MAX_AGE_DAYS, addressKey } from '../../platform/login-throttle.js';
import { RateLimitGiveBack } from '../../platform/rate-limit-store.js';
import { requireActor } from '../../platform/request-context.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, destroySession, loadActor } from '../../platform/sessions.js';
import { changePassword, describeMe, login } from './auth.service.js';

/**
 * Per app (one per process): 2 password checks at once per client address, up to 200 more
 * waiting, each at most as long as the admission line lets a request wait. Sign-in and password
 * change share it: both cost a full argon2 check per guess. A line that is full, or too slow, is a
 * busy server, not a client going too fast: a carrier's address is a thousand parents signing in
 * on a report-card evening, so they are told to come back in a few seconds (503, which the login
 * page does by itself, decision 0020) and are not counted against the address (the sign-in
 * handler below); a guessing address is refused by its failures (decision 0019).
 */
const passwordChecksPerAddress = (maxWaitMs: number) => new PerKeyConcurrency({ maxInFlight: 2, maxWaiting: 200, maxWaitMs, refusal: busyRefusal });

export async function authRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const passwordChecks = passwordChecksPerAddress(app.appConfig.admission.maxWaitMs);
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: app.appConfig.cookieSecure,
      maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    });
  // The browser's "I signed in here before" token (login-throttle.ts): only sent to the sign-in route.
  const setDeviceCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(DEVICE_COOKIE, token, {
      path: '/api/v1/auth/login',
      httpOnly: true,
      sameSite: 'strict',
      secure: app.appConfig.cookieSecure,
      maxAge: DEVICE_MAX_AGE_DAYS * 24 * 3600,
    });
  const passwordCheckLimit = { max: app.appConfig.loginRatePerMinute, timeWindow: 60_000 };
  // Sign-in's request limit counts what did not succeed: a sign-in is given back when its
  // handler starts and counted again only if it fails (decision 0019, 0020), so parents signing
  // in behind one carrier address never fill it, however long they wait their turn.
  const signInCount = new RateLimitGiveBack();
  const signInLimit = { ...passwordCheckLimit, giveBack: signInCount };
  // Failed sign-ins per address over ADDRESS_FAILURE_WINDOW_MINUTES (login-address-limit.ts).
  const addressFailures = new AddressFailures(app.appConfig.loginFailuresPerAddress);

  app.post(
    '/auth/login',
    {
      config: {
        permission: { access: 'public' },
        rateLimit: signInLimit,
        ownAdmissionLine: true,
        secretInBody: true,
        refusals: {
          '401': [{ code: 'invalid_credentials', when: 'sai tên đăng nhập hoặc mật khẩu; `detail` báo còn mấy lần thử' }],
          '423': [
            { code: 'account_locked', when: 'sai nhiều lần từ thiết bị hoặc mạng này: tạm khóa, `detail` nói bao nhiêu phút' },
            { code: 'account_backoff', when: 'tài khoản bị thử mật khẩu từ nhiều nơi: chỉ trình duyệt đã từng đăng nhập vào được' },
          ],
        },
      },
      schema: { tags: ['auth'], summary: 'Đăng nhập', body: ZLoginRequest, response: { 200: ZMe } },
    },
    async (req, reply) => {
      // The request limit counts sign-ins that fail (decision 0019), not those waiting their
      // turn: given back now, counted again below if it fails. Past the machine's argon2 rate a
      // carrier's address has hundreds of parents waiting; counted, they were refused as "too
      // fast" for having waited (decision 0020). A busy line's 503 is not a failure either.
      const address = addressKey(req.ip);
      signInCount.giveBack(address);
      try {
        // One address gets two password checks at a time, the rest of its burst waits in line:
        // a flood from one client cannot occupy the argon2 threads everyone else signs in with.
        // Then the line of all addresses' password checks (platform/admission.ts).
        return await passwordChecks.run(address, () => app.passwordCheckLine.run(() => signIn(req.body, req, reply)));
      } catch (err) {
        if (!(err instanceof AppError && err.status === 503)) signInCount.countAgain(address);
        throw err;
      }
    },
  );
  async function signIn(body: { username: string; password: string }, req: FastifyRequest, reply: FastifyReply) {
    // A new session id on every login: a session fixed before login is never reused.
    const old = req.cookies[SESSION_COOKIE];
    if (old) await destroySession(app.db, old);
    const session = await login(app.db, body, { ip: req.ip, userAgent: req.headers['user-agent'], deviceToken: req.cookies[DEVICE_COOKIE], addressFailures });
    setSessionCookie(reply, session.token);
    setDeviceCookie(reply, session.deviceToken);
    const actor = await loadActor(app.db, session.token);
    if (!actor) throw new Error('session vanished right after login');
    return describeMe(app.db, actor);
  }

  app.post(
    '/auth/logout',
    { config: { permission: { access: 'signed_in' }, beforePasswordChange: true }, schema: { tags: ['auth'], summary: 'Đăng xuất' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await destroySession(app.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { permission: { access: 'signed_in' }, beforePasswordChange: true, secretInBody: true },
      schema: { tags: ['auth'], summary: 'Người dùng hiện tại', response: { 200: ZMe } },
    },
    async (req) => describeMe(app.db, requireActor(req)),
  );

  // Public: the web app asks this before it knows whether anyone is signed in (the login page
  // included), so "nobody" is a 200 the browser console stays quiet about.
  app.get(
    '/auth/session',
    {
      config: { permission: { access: 'public' }, beforePasswordChange: true, secretInBody: true },
      schema: { tags: ['auth'], summary: 'Phiên đăng nhập hiện tại (có hay không)', response: { 200: ZSessionState } },
    },
    async (req) => (req.actor ? { signedIn: true, me: await describeMe(app.db, req.actor) } : { signedIn: false, me: null }),
  );

  app.post(
    '/auth/change-password',
    {
      // Same per-address limit and queue as sign-in: each guess of the current password costs argon2.
      config: {
        permission: { access: 'signed_in' },
        beforePasswordChange: true,
        rateLimit: passwordCheckLimit,
        ownAdmissionLine: true,
        refusals: {
          '400': [
            { code: 'wrong_current_password', when: 'mật khẩu hiện tại không đúng' },
            { code: 'weak_password', when: 'mật khẩu mới chưa đủ mạnh; `detail` nói cần sửa gì' },
          ],
          '423': [{ code: 'password_change_locked', when: 'nhập sai mật khẩu hiện tại nhiều lần: tạm khóa' }],
        },
      },
      schema: { tags: ['auth'], summary: 'Đổi mật khẩu', body: ZChangePasswordRequest, response: { 200: ZOk } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const body = req.body;
      await passwordChecks.run(addressKey(req.ip), () => app.passwordCheckLine.run(() => changePassword(app.db, actor, body, { ip: req.ip })));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );
}
