import type { Permission } from '../platform/permissions.js';

/** What of a route decides which refusals it can answer with. */
export type RouteFacts = {
  method: string;
  url: string;
  permission: Permission | undefined;
  hasBody: boolean;
  hasQuery: boolean;
  rateLimited: boolean;
  beforePasswordChange: boolean;
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
  const responses: Record<string, ProblemResponse> = {};

  if (route.hasBody || route.hasQuery || unsafe) {
    responses['400'] = problem(
      'Dữ liệu gửi lên không hợp lệ',
      [
        ...(route.hasBody || route.hasQuery ? [code('validation_failed', 'một trường sai; `errors` liệt kê từng trường')] : []),
        ...(withBody ? [code('bad_request', 'thân yêu cầu không đọc được')] : []),
      ],
      unsafe,
    );
  }
  if (signedIn) responses['401'] = problem('Chưa đăng nhập hoặc phiên đã hết hạn', [code('unauthenticated', 'không có phiên đăng nhập hợp lệ')]);
  const refusals = [
    ...(signedIn && unsafe ? [code('csrf_failed', 'thiếu hoặc sai header `x-csrf-token`')] : []),
    ...(signedIn && !route.beforePasswordChange ? [code('password_change_required', 'tài khoản đang dùng mật khẩu tạm thời')] : []),
    ...(access === 'global' ? [code('forbidden', 'tài khoản không có vai trò cần thiết')] : []),
  ];
  if (refusals.length > 0) responses['403'] = problem('Không được phép', refusals, unsafe);
  if (hasParams || inUnit) {
    const why = inUnit ? 'không có, hoặc nằm ngoài phạm vi của tài khoản' : 'không có';
    responses['404'] = problem('Không tìm thấy', [code('not_found', `dữ liệu được chỉ tới ${why}`)], true);
  }
  if (unitPermission && unsafe && !unitPermission.allowOnClosedUnit) {
    responses['409'] = problem('Xung đột với dữ liệu hiện có', [code('unit_closed', 'đơn vị đã ngừng hoạt động, chỉ còn để tra cứu')], true);
  }
  if (withBody) {
    responses['413'] = problem('Dữ liệu hoặc tệp gửi lên quá lớn', [code('payload_too_large', 'vượt giới hạn kích thước')]);
    responses['415'] = problem('Định dạng dữ liệu gửi lên không được hỗ trợ', [code('unsupported_media_type', 'Content-Type không nhận')], true);
  }
  if (route.rateLimited) responses['429'] = problem('Quá nhiều yêu cầu', [code('rate_limited', 'đợi một chút rồi thử lại')], true);
  return responses;
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
