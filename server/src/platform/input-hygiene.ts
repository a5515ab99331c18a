import type { FastifyInstance } from 'fastify';
import { canonicalText } from '../../../domain/index.js';
import { badRequest } from './errors.js';

// Secrets are compared byte for byte with what was hashed or issued; they are never rewritten.
const UNTOUCHED_KEYS = /password|token/i;

// No form of ours nests deeper than a few levels; a 100,000-level body is an attack on the
// recursive code behind the parser (validation, this walk) and is refused before it gets there.
export const MAX_INPUT_DEPTH = 32;

/** Deep copy of a parsed JSON value with every string in canonical form (see canonicalText). */
export function canonicalInput(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return UNTOUCHED_KEYS.test(key) ? value : canonicalText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_INPUT_DEPTH) throw badRequest('too_deep', `Dữ liệu gửi lên lồng nhau quá ${MAX_INPUT_DEPTH} cấp.`);
  if (Array.isArray(value)) return value.map((v) => canonicalInput(v, key, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = canonicalInput(v, k, depth + 1);
  return out;
}

/**
 * Every JSON body and query string reaches validation in one canonical form: Unicode NFC, no
 * zero-width or bidi-control characters, no control characters (NUL cannot even be stored).
 * Done once here so that no route can forget it, and before validation so that length limits and
 * patterns judge what will be stored (ASVS 5.0 V1.1.1).
 */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) && !req.isMultipart()) req.body = canonicalInput(req.body);
    if (req.query && typeof req.query === 'object') req.query = canonicalInput(req.query);
  });
}
