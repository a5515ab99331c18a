import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;
// One getrandom call per 512 ids instead of per id: bulk imports and the demo make 100k+ ids.
const POOL_IDS = 512;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomTail(): Buffer {
  if (poolOffset >= pool.length) {
    pool = randomBytes(8 * POOL_IDS);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + 8);
  poolOffset += 8;
  return out;
}

/**
 * UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of B-tree indexes.
 * A 12-bit counter keeps ids from one process strictly increasing within a millisecond.
 */
export function newId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    seq += 1;
    if (seq > 0xfff) {
      lastMs += 1;
      seq = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = 0;
  }
  const rand = randomTail();
  const b = Buffer.alloc(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  rand.copy(b, 8);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** An id in its one accepted (canonical, lower-case) form: see ZId in contracts/common.ts. */
export { ID_PATTERN as UUID_RE } from '../../../contracts/common.js';
