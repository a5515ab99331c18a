import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { ID_PATTERN } from '../../../contracts/common.js';
import { WHOLE_REQUEST_LABEL, fieldLabel } from '../../../contracts/field-labels.js';
import { hasAny, unitAccess, unitClosedError } from './access.js';
import { AppError, labelledMessage, problemTitles } from './errors.js';
import type { Permission } from './permissions.js';
import { type CacheMark, followChanges } from './session-cache.js';
import { SESSION_COOKIE, loadSession, newSessionRowCache } from './sessions.js';

/** A route as the tests see it: its permission and its input schemas (zod), when it has them. */
export type DeclaredRoute = {
  method: string;
  url: string;
  permission: Permission;
  params?: unknown;
  body?: unknown;
  querystring?: unknown;
  response?: Record<string, unknown>;
  secretInBody?: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api/v1 route with its permission, for the access-matrix test and the docs. */
    declaredRoutes: DeclaredRoute[];
  }
  interface FastifyContextConfig {
    /** Open to an account that must still replace its temporary password (change it, sign out, me). */
    beforePasswordChange?: true;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long a request over its rate limit waits for its 429 (a tarpit; see the error handler). */
export const THROTTLED_REPLY_DELAY_MS = 1000;

function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extra?: Record<string, unknown>) {
  return reply
    .status(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: 'about:blank', title: problemTitles[status] ?? 'Lỗi', status, code, detail, ...extra });
}

/**
 * A failed check as people read it: the field by its Vietnamese label, then what to fix
 * ("Ngày sinh: ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng"). `path` stays in
 * `errors` for programs; `detail` is the first problem only: one message per problem.
 */
function describeIssues(issues: { path: readonly PropertyKey[]; message?: string }[]): {
  detail: string;
  errors: { path: string; label: string; message: string }[];
} {
  const errors = issues.map((i) => {
    const message = i.message?.trim() || 'Giá trị không hợp lệ — hãy kiểm tra lại.';
    return { path: i.path.map(String).join('.'), label: fieldLabel(i.path) ?? WHOLE_REQUEST_LABEL, message };
  });
  const first = errors[0];
  return { detail: first ? labelledMessage(first.label, first.message) : 'Dữ liệu gửi lên không hợp lệ.', errors };
}

/** Fastify's validation entries carry the zod path as "/guardians/0/phone". */
const pathOf = (instancePath: string | undefined): PropertyKey[] =>
  (instancePath ?? '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/**
 * Platform hooks every route goes through: session → permission check → CSRF, plus the
 * problem+json error format. Registered once in app.ts, before the feature modules.
 */
export function registerSecurity(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('scope', null as never);

  // Sessions and data versions kept in this process while the database's change notices are
  // heard (platform/session-cache.ts).
  const sessionCache = app.appConfig.sessionCache ? newSessionRowCache() : undefined;
  if (sessionCache) {
    let stopFollowing: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stopFollowing = await followChanges(app.dbHandle, sessionCache);
    });
    app.addHook('onClose', async () => {
      await stopFollowing?.();
    });
    // A write by this process is seen by its own next request at once, without waiting for the
    // notice of its commit: what it may have changed is forgotten before the answer leaves. Only
    // signed-in writes can change what the cache holds; a sign-in attempt without a session
    // cannot (a password-guessing storm must not empty it).
    const writeMarks = new WeakMap<FastifyRequest, CacheMark>();
    app.addHook('onRequest', async (req) => {
      if (UNSAFE_METHODS.has(req.method)) writeMarks.set(req, sessionCache.mark());
    });
    app.addHook('onSend', async (req, _reply, payload) => {
      const mark = writeMarks.get(req);
      if (req.actor && mark !== undefined) sessionCache.afterWrite(mark);
      return payload;
    });
  }

  app.decorate('declaredRoutes', [] as DeclaredRoute[]);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const permission = route.config?.permission;
    if (!permission) throw new Error(`Route ${[route.method].flat().join(',')} ${route.url} has no permission declaration`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        app.declaredRoutes.push({
          method,
          url: route.url,
          permission,
          params: route.schema?.params,
          body: route.schema?.body,
          querystring: route.schema?.querystring,
          response: route.schema?.response as Record<string, unknown> | undefined,
          secretInBody: route.config?.secretInBody === true,
        });
      }
    }
  });

  // preValidation, not preHandler: who may call a route is decided before the body is looked at,
  // so a caller without access learns nothing, not even which fields the route expects.
  app.addHook('preValidation', async (req: FastifyRequest) => {
    req.scope = { unitId: null, roles: new Set(), dataVersion: null };
    const permission: Permission | undefined = req.routeOptions.config?.permission;
    const token = req.cookies?.[SESSION_COOKIE];
    const pathUnit = permission?.access === 'unit' ? (req.params as Record<string, string>)[permission.param] : undefined;
    // The school's data version keys the cached reads (the student list); a write has no use for
    // it, so a write does not make the session's statement read it again.
    const versionScope = pathUnit && ID_PATTERN.test(pathUnit) && !UNSAFE_METHODS.has(req.method) ? `school:${pathUnit}` : null;
    const session = token ? await loadSession(app.db, token, versionScope, sessionCache) : null;
    req.actor = session?.actor ?? null;

    if (!permission) return; // non-API routes (static files, docs)
    if (permission.access === 'public') return;
    if (!req.actor) throw new AppError(401, 'unauthenticated', 'Bạn cần đăng nhập để tiếp tục.');

    // Double-submit check: the token lives in the session and must come back in a header that a
    // cross-site form cannot set.
    if (UNSAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.actor.csrfToken) {
      throw new AppError(403, 'csrf_failed', 'Phiên làm việc không hợp lệ (thiếu mã CSRF). Hãy tải lại trang và thử lại.');
    }
    // A temporary password (set by an administrator) opens nothing but the way to replace it
    // (ASVS V6.4.1): the web app shows the change form, the API refuses everything else.
    if (req.actor.mustChangePassword && !req.routeOptions.config?.beforePasswordChange) {
      throw new AppError(403, 'password_change_required', 'Bạn đang dùng mật khẩu tạm thời. Hãy đổi mật khẩu trước khi tiếp tục.');
    }
    if (permission.access === 'signed_in') return;
    if (permission.access === 'global') {
      const held = new Set(req.actor.grants.map((g) => g.role));
      if (!hasAny(held, permission.roles)) throw new AppError(403, 'forbidden', 'Bạn không có quyền thực hiện thao tác này.');
      req.scope.roles = held;
      return;
    }
    const unitId =
      permission.access === 'unit'
        ? ((req.params as Record<string, string>)[permission.param] ?? null)
        : await permission.resolveUnit(req, app.db);
    // Only the canonical id form (ZId): another spelling of a unit would key caches twice.
    if (!unitId || !ID_PATTERN.test(unitId)) throw new AppError(404, 'not_found', 'Không tìm thấy dữ liệu yêu cầu.');
    const { roles: held, closedOn } = await unitAccess(app.db, req.actor, unitId, { strictlyBelow: permission.access === 'unit' && permission.strictlyBelow });
    // 404 rather than 403: whether a school outside your scope exists is itself not yours to know.
    if (!hasAny(held, permission.roles)) throw new AppError(404, 'not_found', 'Không tìm thấy dữ liệu yêu cầu.');
    // A closed unit is history: those who may still read it cannot change it, except through the
    // few routes that exist for closed units (an office releasing a closed school's students).
    if (closedOn && UNSAFE_METHODS.has(req.method) && !permission.allowOnClosedUnit) throw unitClosedError(closedOn);
    req.scope = { unitId, roles: held, dataVersion: versionScope ? (session?.scopeVersion ?? null) : null };
  });

  app.setErrorHandler(async (err: unknown, req, reply) => {
    if (err instanceof AppError) {
      // "Come back in N s" (platform/admission.ts) in the header clients and proxies read, too.
      if (typeof err.extra?.retryAfterSeconds === 'number') void reply.header('retry-after', String(err.extra.retryAfterSeconds));
      return sendProblem(reply, err.status, err.code, err.detail, err.extra);
    }
    if (err instanceof ZodError) {
      const { detail, errors } = describeIssues(err.issues);
      return sendProblem(reply, 400, 'validation_failed', detail, { errors });
    }
    const e = err as { validation?: unknown; validationContext?: string; statusCode?: number; code?: string; message?: string };
    // A path that names no id of ours (upper case, braces, 'zzzz…') names nothing: 404, as for an
    // id that does not exist. Path parameters are ids (ZId) or closed lists (import kinds).
    if (e.validation && e.validationContext === 'params') return sendProblem(reply, 404, 'not_found', 'Không tìm thấy dữ liệu yêu cầu.');
    if (e.validation) {
      const zodLike = (e as { validation: { instancePath?: string; message?: string }[] }).validation;
      const { detail, errors } = describeIssues(zodLike.map((v) => ({ path: pathOf(v.instancePath), message: v.message })));
      return sendProblem(reply, 400, 'validation_failed', detail, { errors });
    }
    const status = e.statusCode ?? 500;
    if (status === 413 || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, 413, 'payload_too_large', 'Dữ liệu hoặc tệp gửi lên quá lớn.');
    }
    if (status === 415) return sendProblem(reply, 415, 'unsupported_media_type', 'Định dạng dữ liệu gửi lên không được hỗ trợ.');
    if (status === 429) {
      // A client past its rate limit waits for the refusal: one that ignores 429 and keeps its
      // connections busy can then only send as fast as they free up, instead of 1,000 a second.
      if ((err as { throttled?: boolean }).throttled) await new Promise((r) => setTimeout(r, THROTTLED_REPLY_DELAY_MS));
      return sendProblem(reply, 429, 'rate_limited', 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.');
    }
    if (status >= 400 && status < 500) {
      return sendProblem(reply, status, 'bad_request', 'Yêu cầu không hợp lệ. Hãy kiểm tra dữ liệu gửi lên.');
    }
    req.log.error(err);
    return sendProblem(reply, 500, 'internal_error', 'Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên.');
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return sendProblem(reply, 404, 'not_found', 'Không tìm thấy địa chỉ yêu cầu.');
    // Client-side routes (/hoc-sinh/…) all load the single-page app, when it is served.
    if (req.method === 'GET' && app.appConfig.webDir && 'sendFile' in reply && !/\.[a-z0-9]+$/i.test(req.url.split('?')[0])) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.status(404).type('text/plain; charset=utf-8').send('Không tìm thấy');
  });
}
