// fetch wrapper for the same-origin JSON API: session cookie (HttpOnly) goes along automatically,
// every unsafe method carries the CSRF token, and problem+json errors become ApiError with the
// Vietnamese `detail` the server wrote for the user.
import { vi } from '../i18n/vi';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body?: unknown,
    /** When the server said to come back (Retry-After of a 503 "busy" or a 429), in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

/**
 * Whether a failed read is worth asking again by itself: no network or a server error (at most
 * `times` times), or a server that said it is busy (503, at most `busyTimes` times). A 4xx other
 * than that would only fail again.
 */
export function shouldRetry(failures: number, e: unknown, times = 2, busyTimes = 4): boolean {
  if (e instanceof ApiError && e.status === 503) return failures < busyTimes;
  return !(e instanceof ApiError && e.status >= 400 && e.status < 500) && failures < times;
}

/**
 * How long before asking again: the server's Retry-After, spread over up to twice that so a crowd
 * told "5 s" does not come back in the same second; otherwise 1 s, 2 s, 4 s … up to 30 s.
 */
export function retryDelayMs(failures: number, e: unknown): number {
  if (e instanceof ApiError && e.retryAfterSeconds) return e.retryAfterSeconds * 1000 * (1 + Math.random());
  return Math.min(1000 * 2 ** failures, 30_000);
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

let onUnauthorized: (() => void) | null = null;
/** Called when a request answers 401 (session expired or revoked): the app shows the login page. */
export const setUnauthorizedHandler = (fn: (() => void) | null) => {
  onUnauthorized = fn;
};

let onPasswordChangeRequired: (() => void) | null = null;
/**
 * Called when the server refuses a request because the account still has a temporary password
 * (403 password_change_required): the app reloads the current user and shows the change form.
 */
export const setPasswordChangeRequiredHandler = (fn: (() => void) | null) => {
  onPasswordChangeRequired = fn;
};

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  const b = (body && typeof body === 'object' ? body : {}) as { code?: string; detail?: string; message?: string };
  const detail = b.detail || b.message || vi.errors.byStatus(res.status);
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, b.code ?? `http_${res.status}`, detail, body, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

export async function request<T>(method: string, path: string, opts: { body?: unknown; query?: Query; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(API_BASE + withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', vi.errors.network);
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && !path.startsWith('/auth/login')) onUnauthorized?.();
    if (res.status === 403 && err.code === 'password_change_required') onPasswordChangeRequired?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

/**
 * One call per request, typed from the contracts (api/types.ts): `Res` is what the route answers,
 * `Req` what its body takes. `Req` is never guessed from the value passed (NoInfer) and defaults
 * to no body, so a call that sends one has to name its contract type.
 */
export const api = {
  get: <Res>(path: string, query?: Query, signal?: AbortSignal) => request<Res>('GET', path, { query, signal }),
  post: <Res, Req extends object | undefined = undefined>(path: string, body?: NoInfer<Req>, query?: Query) =>
    request<Res>('POST', path, { body: body ?? {}, query }),
  put: <Res, Req extends object = never>(path: string, body: NoInfer<Req>, signal?: AbortSignal) => request<Res>('PUT', path, { body, signal }),
  patch: <Res, Req extends object = never>(path: string, body: NoInfer<Req>) => request<Res>('PATCH', path, { body }),
  del: <Res>(path: string) => request<Res>('DELETE', path),
};

/**
 * Download a file from the API (xlsx exports, templates) with the session cookie, keeping the
 * server's file name. `form` posts it instead (a file made from what is sent, e.g. a signed PDF,
 * or from a JSON body: the activation sheet of the students chosen).
 */
export async function downloadFile(path: string, query: Query | undefined, fallbackName: string, form?: FormData | { json: unknown }): Promise<void> {
  const csrf: Record<string, string> = csrfToken ? { 'x-csrf-token': csrfToken } : {};
  const init: RequestInit =
    form instanceof FormData
      ? { method: 'POST', body: form, headers: csrf }
      : form
        ? { method: 'POST', body: JSON.stringify(form.json), headers: { ...csrf, 'content-type': 'application/json' } }
        : {};
  let res: Response;
  try {
    res = await fetch(API_BASE + withQuery(path, query), { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', vi.errors.network);
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401) onUnauthorized?.();
    throw err;
  }
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const errorText = (e: unknown): string =>
  e instanceof ApiError ? e.detail : e instanceof Error && e.message ? e.message : vi.errors.unknown;
