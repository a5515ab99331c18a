import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from '../platform/sessions.js';
import { PROBLEM_SCHEMA_NAME, errorResponsesOf } from './error-responses.js';
import { operationIdOf } from './operation-id.js';

/**
 * The OpenAPI document at /api/openapi.json, for programs built on the API. Each operation says
 * how to call it (operationId, security) and how it can be refused (problem+json responses),
 * derived here from the route's permission declaration rather than repeated in every route.
 */
export const SESSION_SCHEME = 'session';
export const CSRF_SCHEME = 'csrf';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Components = NonNullable<NonNullable<FastifyDynamicSwaggerOptions['openapi']>['components']>;

/** RFC 9457 as security-plugin.ts's sendProblem writes it. */
const problemDetails: NonNullable<Components['schemas']>[string] = {
  type: 'object',
  description:
    'Lỗi theo RFC 9457 (application/problem+json). Chương trình đọc `code`; người dùng đọc `detail`. ' +
    'Mã chung: `validation_failed`, `bad_request`, `unauthenticated`, `csrf_failed`, `password_change_required`, ' +
    '`forbidden`, `not_found`, `unit_closed`, `payload_too_large`, `unsupported_media_type`, `rate_limited`, `internal_error`; ' +
    'mỗi thao tác có thể thêm mã riêng.',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', description: 'Luôn là `about:blank`: ý nghĩa nằm ở `status` và `code`.', example: 'about:blank' },
    title: { type: 'string', description: 'Tên ngắn của mã trạng thái HTTP, tiếng Việt.', example: 'Dữ liệu không hợp lệ' },
    status: { type: 'integer', description: 'Mã trạng thái HTTP của câu trả lời.', example: 400 },
    code: { type: 'string', description: 'Mã lỗi ổn định cho chương trình (snake_case).', example: 'validation_failed' },
    detail: { type: 'string', description: 'Cần sửa gì, bằng tiếng Việt, cho người dùng đọc.', example: 'Ngày sinh: ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng' },
    errors: {
      type: 'array',
      description: 'Với `validation_failed`: từng trường sai.',
      items: {
        type: 'object',
        required: ['path', 'label', 'message'],
        properties: {
          path: { type: 'string', description: 'Đường dẫn tới trường trong dữ liệu gửi lên, ví dụ `guardians.0.phone`.' },
          label: { type: 'string', description: 'Tên tiếng Việt của trường.' },
          message: { type: 'string', description: 'Cần sửa gì ở trường này.' },
        },
      },
    },
  },
};

/** Fills in what the route's permission says, after fastify-type-provider-zod has turned its zod schemas into JSON Schema. */
export const describeRoute: SwaggerTransform = (input) => {
  const { route, url } = input;
  const transformed = jsonSchemaTransform(input);
  const schema: FastifySchema & Record<string, unknown> = { ...transformed.schema };
  if (schema.hide) return { schema, url: transformed.url };

  const method = [route.method].flat().find((m) => m !== 'HEAD') ?? 'GET';
  const permission = route.config?.permission;
  schema.operationId ??= operationIdOf(method, url);
  if (!permission || permission.access === 'public') schema.security = [];
  else if (UNSAFE_METHODS.has(method)) schema.security = [{ [SESSION_SCHEME]: [], [CSRF_SCHEME]: [] }];
  else schema.security = [{ [SESSION_SCHEME]: [] }];

  const upload = route.config?.upload;
  if (upload) {
    // @fastify/swagger turns `body` under `consumes: multipart/form-data` into the request body.
    schema.body = { type: 'object', required: [upload.field], properties: { [upload.field]: { type: 'string', format: 'binary', description: upload.description } } };
  }

  const errors = errorResponsesOf({
    method,
    url,
    permission,
    hasBody: route.schema?.body !== undefined || upload !== undefined,
    hasQuery: route.schema?.querystring !== undefined,
    rateLimited: Boolean(route.config?.rateLimit),
    beforePasswordChange: route.config?.beforePasswordChange === true,
    refusals: route.config?.refusals,
  });
  const declared = Object.fromEntries(
    Object.entries((schema.response ?? {}) as Record<string, Record<string, unknown>>).map(([status, response]) => [
      status,
      // @fastify/swagger reads a response's description from this key of its schema.
      status.startsWith('2') && !('description' in response) ? { 'x-response-description': 'Thành công.', ...response } : response,
    ]),
  );
  const success = Object.keys(declared).some((status) => status.startsWith('2')) ? {} : { 200: undeclaredSuccess(url) };
  // A route that describes a refusal itself keeps its own words.
  schema.response = { ...success, ...errors, ...declared };
  return { schema, url: transformed.url };
};

/** Files are named by their extension in the route's path; anything else answers JSON the route does not describe. */
const FILE_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

function undeclaredSuccess(url: string) {
  const fileType = FILE_TYPES[/\.(\w+)$/.exec(url)?.[1] ?? ''];
  if (!fileType) return { description: 'Thành công.' };
  return { description: 'Thành công: tệp tải về.', content: { [fileType]: { schema: { type: 'string', format: 'binary' } } } };
}

export const openapiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    info: {
      title: 'Trường Số API',
      version: '1',
      description:
        'REST JSON API của Trường Số (tiếng Việt). Đăng nhập bằng `POST /api/v1/auth/login`: máy chủ đặt cookie phiên; ' +
        'mọi yêu cầu ghi (POST, PUT, PATCH, DELETE) gửi kèm header `x-csrf-token` bằng `csrfToken` trong câu trả lời đăng nhập (hoặc `GET /api/v1/auth/me`). ' +
        'Lỗi trả về dạng application/problem+json (`ProblemDetails`).',
    },
    servers: [{ url: '/', description: 'Máy chủ đang phục vụ tài liệu này' }],
    components: {
      securitySchemes: {
        [SESSION_SCHEME]: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Cookie phiên, đặt khi đăng nhập.' },
        [CSRF_SCHEME]: {
          type: 'apiKey',
          in: 'header',
          name: 'x-csrf-token',
          description: 'Mã CSRF của phiên (trường `csrfToken` của người dùng hiện tại), bắt buộc với yêu cầu ghi.',
        },
      },
      schemas: { [PROBLEM_SCHEMA_NAME]: problemDetails },
    },
  },
  transform: describeRoute,
};
