import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, retryDelayMs, shouldRetry } from './client';

// A busy server (503 with Retry-After, platform/admission.ts) is asked again after the time it
// gave, spread so a crowd does not come back in the same second; other 4xx are not retried.
describe('retrying a failed read', () => {
  const busy = new ApiError(503, 'server_busy', 'Hệ thống đang bận', undefined, 5);
  it('a busy server: up to four more tries, each after 5–10 s', () => {
    expect([0, 1, 2, 3, 4].map((n) => shouldRetry(n, busy))).toEqual([true, true, true, true, false]);
    // The login page's own count (about two minutes of tries): more for a busy server, none for the rest.
    expect([0, 19, 20].map((n) => shouldRetry(n, busy, 0, 20))).toEqual([true, true, false]);
    expect(shouldRetry(0, new ApiError(0, 'network', ''), 0, 20)).toBe(false);
    const delays = Array.from({ length: 200 }, () => retryDelayMs(0, busy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(10_000);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(2000);
  });
  it('no network or a server error: twice, after 1 s then 2 s; a refusal (403, 404, 429 without a time) never', () => {
    const offline = new ApiError(0, 'network', 'Không có mạng');
    expect([0, 1, 2].map((n) => shouldRetry(n, offline))).toEqual([true, true, false]);
    expect([0, 1].map((n) => shouldRetry(n, new ApiError(500, 'internal_error', '')))).toEqual([true, true]);
    expect(retryDelayMs(0, offline)).toBe(1000);
    expect(retryDelayMs(1, offline)).toBe(2000);
    expect(retryDelayMs(10, offline)).toBe(30_000);
    for (const status of [400, 403, 404, 409, 429]) expect(shouldRetry(0, new ApiError(status, 'x', ''))).toBe(false);
  });
});

describe("the server's answer", () => {
  afterEach(() => void vi.unstubAllGlobals());
  it('a 503 carries its Retry-After and its Vietnamese detail into the error', async () => {
    const body = JSON.stringify({ status: 503, code: 'server_busy', detail: 'Hệ thống đang có nhiều người dùng cùng lúc. Vui lòng thử lại sau vài giây.' });
    vi.stubGlobal('fetch', async () => new Response(body, { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '5' } }));
    const err = await api.get('/me/children').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'server_busy', retryAfterSeconds: 5, detail: 'Hệ thống đang có nhiều người dùng cùng lúc. Vui lòng thử lại sau vài giây.' });
  });
});
