import type { Kysely } from 'kysely';
import { addDays } from '../../../domain/index.js';
import type { Database } from '../db/schema.js';
import { lastVersion } from './org-tree.repo.js';

type Db = Kysely<Database>;

/**
 * The date a unit is read on: `today` while it is open (or not yet open), its last day once it is
 * closed — a closed school's classes, staff and accounts are read as they were when it closed
 * (docs/decisions/0005-closed-units.md).
 */
export async function readingDate(db: Db, unitId: string, today: string): Promise<string> {
  return readingDateOf(await lastVersion(db, unitId), today);
}

/** `readingDate` for a unit whose newest version is already at hand. */
export function readingDateOf(last: { valid_from: string; valid_to: string | null } | undefined, today: string): string {
  if (!last || last.valid_to === null || last.valid_to > today) return today;
  const lastDay = addDays(last.valid_to, -1);
  return lastDay < last.valid_from ? last.valid_from : lastDay;
}
