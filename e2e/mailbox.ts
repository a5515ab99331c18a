import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { ArrivedMail } from '../server/test/notice-receivers.js';

/**
 * What has arrived so far at the run's local SMTP server (e2e/global-setup.ts keeps it up for the
 * whole run and writes each mail there as a JSON file), oldest first.
 */
export function arrivedMail(): ArrivedMail[] {
  const dir = inject('mailDir');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ArrivedMail);
}
