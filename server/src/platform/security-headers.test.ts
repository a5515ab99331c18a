import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerSecurityHeaders } from './security-headers.js';

// helmet decides the headers once, at start (platform/security-headers.ts); every answer, found
// or not, must carry all of them, and HSTS only when the server is told it sits behind HTTPS.
async function headersOf(hsts: boolean, url: string) {
  const app = Fastify();
  registerSecurityHeaders(app, { hsts });
  app.get('/ok', async () => ({ ok: true }));
  const res = await app.inject({ method: 'GET', url });
  await app.close();
  return res;
}

describe('security headers', () => {
  it('every answer carries the whole set, a 404 too', async () => {
    for (const url of ['/ok', '/khong-co']) {
      const res = await headersOf(false, url);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'x-dns-prefetch-control': 'off',
        'x-download-options': 'noopen',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      });
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
    }
  });

  it('HSTS when the server sits behind HTTPS', async () => {
    const res = await headersOf(true, '/ok');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
