import type { Permission } from '../platform/permissions.js';

/**
 * A route's own refusals, by status: the stable `code` and when it is given. The shared ones
 * (validation, sign-in, CSRF, scope, size, rate) are derived from the permission and schemas; a
 * feature names here what its own rules refuse with, so a client can tell a wrong password (401
 * `invalid_credentials`) from a lock (423 `account_locked`).
 */
export type OwnRefusals = Partial<Record<'400' | '401' | '403' | '404' | '409' | '415' | '422' | '423' | '503', Array<{ code: string; when: string }>>>;

/** A multipart upload the handler reads itself (so no body schema validates it): for the document only. */
export type UploadField = { field: string; description: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    refusals?: OwnRefusals;
    upload?: UploadField;
  }
}

const STATUS_TITLES: Record<string, string> = {
  '400': 'Dữ liệu gửi lên không hợp lệ',
  '401': 'Chưa đăng nhập hoặc phiên đã hết hạn',
  '403': 'Không được phép',
  '404': 'Không tìm thấy',
  '409': 'Xung đột với dữ liệu hiện có',
  '422': 'Không thực hiện được theo quy định',
  '423': 'Đang tạm khóa',
  '413': 'Dữ liệu hoặc tệp gửi lên quá lớn',
  '415': 'Định dạng dữ liệu gửi lên không được hỗ trợ',
  '429': 'Quá nhiều yêu cầu',
  '503': 'Máy chủ tạm thời chưa nhận',
};

/** What of a route decides which refusals it can answer with. */
export type RouteFacts = {
  method: string;
  url: string;
  permission: Permission | undefined;
  hasBody: boolean;
  hasQuery: boolean;
  rateLimited: boolean;
  beforePasswordChange: boolean;
  refusals?: OwnRefusals;
};

export const PROBLEM_SCHEMA_NAME = 'ProblemDetails';

/** The methods that change data: security-plugin.ts asks them for the CSRF token. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The methods whose requests carry a body that Fastify reads (size limit, content type). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

type ProblemResponse = {
  description: string;
  content: { 'application/problem+json': { schema: { $ref: string } } };
};

/**
 * The problem+json answers a route can give, as security-plugin.ts decides them from its
 * permission and its schemas, before any feature rule runs. A feature's own refusals (a taken
 * class name, a transfer already decided) come with their own `code` under the same statuses.
 */
export function errorResponsesOf(route: RouteFacts): Record<string, ProblemResponse> {
  const method = route.method.toUpperCase();
  const access = route.permission?.access ?? 'public';
  const signedIn = access !== 'public';
  const unsafe = UNSAFE_METHODS.has(method);
  const withBody = BODY_METHODS.has(method);
  const unitPermission = route.permission?.access === 'unit' || route.permission?.access === 'resolve' ? route.permission : undefined;
  const inUnit = unitPermission !== undefined;
  const hasParams = /[:{]/.test(route.url);

  // The codes each status can carry; `open` marks a status the feature may answer with codes of its
  // own that the route does not list (none once the route declares its refusals).
  const codes: Record<string, string[]> = {};
  const open = new Set<string>();
  const add = (status: string, list: string[], featureMayAdd = false) => {
    if (list.length === 0) return;
    (codes[status] ??= []).push(...list);
    if (featureMayAdd && !route.refusals) open.add(status);
  };

  if (route.hasBody || route.hasQuery || unsafe) {
    add('400', route.hasBody || route.hasQuery ? [code('validation_failed', 'một trường sai; `errors` liệt kê từng trường')] : [], unsafe);
    add('400', withBody ? [code('bad_request', 'thân yêu cầu không đọc được')] : [], unsafe);
  }
  if (signedIn) add('401', [code('unauthenticated', 'không có phiên đăng nhập hợp lệ')]);
  add(
    '403',
    [
      ...(signedIn && unsafe ? [code('csrf_failed', 'thiếu hoặc sai header `x-csrf-token`')] : []),
      ...(signedIn && !route.beforePasswordChange ? [code('password_change_required', 'tài khoản đang dùng mật khẩu tạm thời')] : []),
      ...(access === 'global' ? [code('forbidden', 'tài khoản không có vai trò cần thiết')] : []),
    ],
    unsafe,
  );
  if (hasParams || inUnit) {
    add('404', [code('not_found', `dữ liệu được chỉ tới ${inUnit ? 'không có, hoặc nằm ngoài phạm vi của tài khoản' : 'không có'}`)], true);
  }
  if (unitPermission && unsafe && !unitPermission.allowOnClosedUnit) {
    add('409', [code('unit_closed', 'đơn vị đã ngừng hoạt động, chỉ còn để tra cứu')], true);
  }
  for (const [status, list] of Object.entries(route.refusals ?? {})) add(status, list.map((r) => code(r.code, r.when)));
  if (withBody) {
    add('413', [code('payload_too_large', 'vượt giới hạn kích thước')]);
    add('415', [code('unsupported_media_type', 'Content-Type không nhận')], true);
  }
  if (route.rateLimited) add('429', [code('rate_limited', 'đợi một chút rồi thử lại')], true);

  return Object.fromEntries(
    Object.keys(codes)
      .sort()
      .map((status) => [status, problem(STATUS_TITLES[status] ?? status, codes[status], open.has(status))]),
  );
}

const code = (name: string, when: string) => `\`${name}\` (${when})`;

/** `more`: the feature may answer this status with codes of its own too. */
function problem(title: string, codes: string[], more = false): ProblemResponse {
  const listed = [...codes, ...(more ? ['mã riêng của thao tác'] : [])];
  return {
    description: `${title}. Mã lỗi: ${listed.join('; ')}.`,
    content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } } },
  };
}
