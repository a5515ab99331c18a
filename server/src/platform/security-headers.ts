import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The security headers of every answer (Content-Security-Policy, HSTS behind HTTPS, no sniffing,
 * no framing). helmet decides them; with these options they do not depend on the request, so it
 * runs once, at start, and every answer gets the headers it set. @fastify/helmet built the
 * middleware on every request and helmet's chain of small middlewares ran on every request: a
 * few per cent of a cached list request's CPU each.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd injects its CSS-in-JS styles at runtime; swagger-ui needs inline styles too.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: options.hsts,
  });
  const headers: [string, number | string | readonly string[]][] = [];
  const recorder = { setHeader: (name: string, value: number | string | readonly string[]) => headers.push([name, value]), removeHeader: () => undefined };
  setHeaders({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err instanceof Error ? err : new Error('helmet refused its options');
  });
  if (!headers.some(([name]) => name.toLowerCase() === 'content-security-policy')) throw new Error('helmet set no Content-Security-Policy');
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
