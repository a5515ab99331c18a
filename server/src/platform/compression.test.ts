import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { F } from '../../test/fixture-ids.js';
import { type Session, type TestContext, setupTestApp } from '../../test/harness.js';
import { MIN_COMPRESSED_BYTES, PreparedJson, preferredCoding, registerCompression, sendPreparedJson } from './compression.js';

describe('preferredCoding (Accept-Encoding, RFC 9110 §12.5.3)', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['gzip, deflate, br, zstd', 'br'], // Chromium
    ['gzip, deflate', 'gzip'], // an older phone browser
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.5', 'br'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0', null],
    ['identity', null],
    ['deflate', null],
    ['gzip;q=0', null],
    ['gzip;q=abc', null],
  ] as const)('%j → %s', (header, expected) => {
    expect(preferredCoding(header)).toBe(expected);
  });
});

/** A small app with the hook: one route per kind of answer it must compress or leave alone. */
async function hookApp() {
  const app = Fastify();
  registerCompression(app);
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `Nguyễn Thị Thu Hà ${i}` })) };
  const prepared = PreparedJson.of(big);
  app.get('/big', async () => big);
  app.get('/small', async () => ({ ok: true }));
  app.get('/secret', { config: { secretInBody: true } }, async () => ({ ...big, csrfToken: 'x'.repeat(32) }));
  app.get('/problem', async (_req, reply) => reply.status(422).type('application/problem+json; charset=utf-8').send({ detail: 'Họ và tên: quá ngắn. '.repeat(100) }));
  app.get('/file', async (_req, reply) => reply.type('application/pdf').send(Buffer.alloc(5000, 65)));
  app.get('/stream', async (_req, reply) => reply.type('application/json').send(Readable.from([JSON.stringify(big)])));
  app.get('/prepared', async (req, reply) => sendPreparedJson(req, reply, prepared));
  await app.ready();
  return { app, big, prepared };
}

function decoded(res: { rawPayload: Buffer; headers: Record<string, unknown> }): unknown {
  const coding = res.headers['content-encoding'];
  const bytes = coding === 'br' ? brotliDecompressSync(res.rawPayload) : coding === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload;
  return JSON.parse(bytes.toString('utf8'));
}

describe('compressed JSON answers', () => {
  it('a JSON answer over the threshold comes in the coding asked for, smaller, and decodes to the same value', async () => {
    const { app, big } = await hookApp();
    for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip']] as const) {
      const res = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': accept } });
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers.vary).toBe('accept-encoding');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(res.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 4);
      expect(decoded(res)).toEqual(big);
    }
    const plain = await app.inject({ method: 'GET', url: '/big' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.json()).toEqual(big);
    await app.close();
  });

  it('leaves alone a small answer, a secret-bearing one, a file, a stream', async () => {
    const { app } = await hookApp();
    const headers = { 'accept-encoding': 'gzip, br' };
    const small = await app.inject({ method: 'GET', url: '/small', headers });
    expect(small.rawPayload.length).toBeLessThan(MIN_COMPRESSED_BYTES);
    for (const url of ['/small', '/secret', '/file', '/stream']) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.headers['content-encoding'], url).toBeUndefined();
    }
    expect((await app.inject({ method: 'GET', url: '/secret', headers })).json().csrfToken).toHaveLength(32);
    await app.close();
  });

  it('compresses a long problem answer (its Vietnamese detail survives the round trip)', async () => {
    const { app } = await hookApp();
    const res = await app.inject({ method: 'GET', url: '/problem', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect((decoded(res) as { detail: string }).detail).toMatch(/^Họ và tên: quá ngắn\./);
    await app.close();
  });

  it('a prepared body is compressed once per coding and sent as it was compressed', async () => {
    const { app, big, prepared } = await hookApp();
    const first = await app.inject({ method: 'GET', url: '/prepared', headers: { 'accept-encoding': 'br' } });
    const second = await app.inject({ method: 'GET', url: '/prepared', headers: { 'accept-encoding': 'br' } });
    expect(first.headers['content-encoding']).toBe('br');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(prepared.in('br')).toBe(prepared.in('br'));
    expect(decoded(second)).toEqual(big);
    const plain = await app.inject({ method: 'GET', url: '/prepared' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(prepared.bytes)).toBe(true);
    await app.close();
  });
});

describe('in the app', () => {
  let ctx: TestContext;
  let principal: Session;
  beforeAll(async () => {
    ctx = await setupTestApp();
    principal = await ctx.as('principalA1');
  });

  it('the student list (a cached page) and the staff list (serialised per request) come compressed to a browser and decode to the plain answer', async () => {
    for (const url of [`/api/v1/schools/${F.schoolA1}/students?page=1&pageSize=50`, `/api/v1/schools/${F.schoolA1}/staff`]) {
      const plain = await principal.get(url);
      expect(plain.statusCode).toBe(200);
      expect(plain.rawPayload.length, url).toBeGreaterThanOrEqual(MIN_COMPRESSED_BYTES);
      for (const coding of ['br', 'gzip'] as const) {
        const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: principal.cookie, 'accept-encoding': coding } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding'], url).toBe(coding);
        expect(decoded(res)).toEqual(plain.json());
      }
    }
  });

  it('every route whose answer holds the CSRF token is marked secretInBody, and is sent uncompressed', async () => {
    const withToken = ctx.app.declaredRoutes.filter((r) => {
      const ok = r.response?.['200'] ?? r.response?.[200];
      return ok instanceof z.ZodType && JSON.stringify(z.toJSONSchema(ok, { unrepresentable: 'any' })).includes('"csrfToken"');
    });
    expect(withToken.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /api/v1/auth/me', 'GET /api/v1/auth/session', 'POST /api/v1/auth/login']);
    expect(withToken.every((r) => r.secretInBody)).toBe(true);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: principal.cookie, 'accept-encoding': 'gzip, br' } });
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(me.json().csrfToken).toBe(principal.csrf);
  });
});
