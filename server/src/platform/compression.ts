import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Compressed JSON answers. A page of 50 students is ~20 KB of JSON and ~4 KB compressed: on a
 * phone over slow 3G in a mountain commune that is seconds, and on the server the bytes written
 * to the socket were a third of a cached list request's CPU. Static files come precompressed
 * (web/vite.config.ts); API answers are compressed here, when the client says it accepts it.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The answer holds a secret (the CSRF token): never compressed, so its size cannot tell an
     * attacker who mixes guesses into a request anything about the secret (BREACH).
     */
    secretInBody?: true;
  }
}

export type ContentCoding = 'br' | 'gzip';

/** Below this the saving is smaller than the headers that announce it. */
export const MIN_COMPRESSED_BYTES = 1024;
/** Above this the work leaves the event loop (zlib's thread pool): a big export must not stall every other request. */
const SYNC_LIMIT_BYTES = 64 * 1024;

// Quality 5 / level 6: within a few per cent of the best size at a tenth of a millisecond for a
// 20 KB page; brotli's top qualities cost 10–100× more for 10 % less.
const brotliOptions = (size: number) => ({ params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: size } });
const gzipOptions = { level: 6 };
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export function compressSync(bytes: Buffer, coding: ContentCoding): Buffer {
  return coding === 'br' ? brotliCompressSync(bytes, brotliOptions(bytes.length)) : gzipSync(bytes, gzipOptions);
}

function compressAsync(bytes: Buffer, coding: ContentCoding): Promise<Buffer> {
  return coding === 'br' ? brotliAsync(bytes, brotliOptions(bytes.length)) : gzipAsync(bytes, gzipOptions);
}

const codingMemo = new Map<string, ContentCoding | null>();

/**
 * The coding to answer in, from Accept-Encoding (RFC 9110 §12.5.3): brotli when it is acceptable
 * at least as much as gzip, else gzip, else none. `q=0` refuses a coding; `*` stands for any coding
 * not named. Browsers send one of a handful of header values, so answers are memoised.
 */
export function preferredCoding(acceptEncoding: string | string[] | undefined): ContentCoding | null {
  if (acceptEncoding === undefined) return null;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const known = codingMemo.get(header);
  if (known !== undefined) return known;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (coding: string) => q.get(coding) ?? q.get('*') ?? 0;
  const br = weight('br');
  const gz = Math.max(weight('gzip'), q.get('x-gzip') ?? 0);
  const chosen: ContentCoding | null = br > 0 && br >= gz ? 'br' : gz > 0 ? 'gzip' : null;
  if (codingMemo.size < 64) codingMemo.set(header, chosen);
  return chosen;
}

/**
 * A JSON body made once and sent many times (a cached page): its compressed forms are made on
 * the first request that asks for each and kept with it.
 */
export class PreparedJson {
  private readonly coded = new Map<ContentCoding, Buffer>();
  constructor(readonly bytes: Buffer) {}

  static of(value: unknown): PreparedJson {
    return new PreparedJson(Buffer.from(JSON.stringify(value)));
  }

  in(coding: ContentCoding): Buffer {
    let out = this.coded.get(coding);
    if (!out) {
      out = compressSync(this.bytes, coding);
      this.coded.set(coding, out);
    }
    return out;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends a prepared body as the route's JSON, compressed when the client accepts it. */
export function sendPreparedJson(req: FastifyRequest, reply: FastifyReply, body: PreparedJson): FastifyReply {
  reply.type(JSON_TYPE);
  if (body.bytes.length < MIN_COMPRESSED_BYTES) return reply.send(body.bytes);
  reply.header('vary', 'accept-encoding');
  const coding = preferredCoding(req.headers['accept-encoding']);
  if (!coding) return reply.send(body.bytes);
  reply.header('content-encoding', coding);
  return reply.send(body.in(coding));
}

/**
 * Every other JSON answer of at least MIN_COMPRESSED_BYTES is compressed on its way out. Files
 * (xlsx, pdf: compressed already) and streams pass as they are, and so does an answer that is
 * already encoded or whose route holds a secret in its body.
 */
export function registerCompression(app: FastifyInstance): void {
  // Callback style: most answers leave at the first check, without a promise of their own.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    if (reply.getHeader('content-encoding') !== undefined || req.routeOptions.config.secretInBody) return done(null, payload);
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !/^application\/(?:problem\+)?json\b/.test(type)) return done(null, payload);
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (bytes.length < MIN_COMPRESSED_BYTES) return done(null, payload);
    reply.header('vary', 'accept-encoding');
    const coding = preferredCoding(req.headers['accept-encoding']);
    if (!coding) return done(null, payload);
    reply.header('content-encoding', coding);
    if (bytes.length <= SYNC_LIMIT_BYTES) return done(null, compressSync(bytes, coding));
    compressAsync(bytes, coding).then((out) => done(null, out), done);
  });
}
