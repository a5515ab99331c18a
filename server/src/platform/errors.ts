import type { FastifyReply } from 'fastify';

/**
 * Errors the API returns as application/problem+json (RFC 9457): a stable `code` for programs
 * and a Vietnamese `detail` that tells the user what to fix.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export const badRequest = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new AppError(400, code, detail, extra);
export const unauthorized = (detail = 'Bạn cần đăng nhập để tiếp tục.') => new AppError(401, 'unauthenticated', detail);
export const forbidden = (detail = 'Bạn không có quyền thực hiện thao tác này.') => new AppError(403, 'forbidden', detail);
// Out-of-scope records answer 404, not 403: a caller must not learn that a record exists elsewhere.
export const notFound = (detail = 'Không tìm thấy dữ liệu yêu cầu.') => new AppError(404, 'not_found', detail);
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new AppError(409, code, detail, extra);

/**
 * A PostgreSQL unique_violation (same code on PGlite), optionally of one constraint: a write that
 * lost a race to another transaction, answered with the same 409 as the check before it. The
 * constraint is also looked for in the message, for drivers that do not fill in the field.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (!constraint || e.constraint === constraint || (e.message ?? '').includes(constraint));
}

export const problemTitles: Record<number, string> = {
  400: 'Dữ liệu không hợp lệ',
  401: 'Chưa đăng nhập',
  403: 'Không có quyền',
  404: 'Không tìm thấy',
  409: 'Xung đột dữ liệu',
  413: 'Tệp quá lớn',
  415: 'Định dạng không được hỗ trợ',
  422: 'Dữ liệu không hợp lệ',
  423: 'Tài khoản tạm khóa',
  429: 'Quá nhiều yêu cầu',
  500: 'Lỗi hệ thống',
  503: 'Hệ thống đang bận',
};

/**
 * "Ngày sinh" + "Ngày 31/02/2015 không có thật …" → "Ngày sinh: ngày 31/02/2015 không có thật …".
 * The message's first letter goes lower case after the colon, unless the first word is an
 * abbreviation or a name written in capitals (SĐT, GD&ĐT, THCS).
 */
export function labelledMessage(label: string, message: string): string {
  const firstWord = message.split(/\s/, 1)[0] ?? '';
  const keepCase = firstWord.length > 1 && firstWord.slice(1) !== firstWord.slice(1).toLowerCase();
  const body = keepCase ? message : message.charAt(0).toLowerCase() + message.slice(1);
  return `${label}: ${body}`;
}

/** A 429 tells the client when to come back, in the header as well as in the Vietnamese text. */
export async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const seconds = err instanceof AppError && err.status === 429 ? err.extra?.retryAfterSeconds : undefined;
    if (typeof seconds === 'number') void reply.header('retry-after', String(seconds));
    throw err;
  }
}
