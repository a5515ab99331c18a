import type { Kysely, Transaction } from 'kysely';
import { isTemporaryLearnerCode, makeTemporaryLearnerCode } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { raiseTempSeqFloor, takeTempSeqs, unitCode } from './students.repo.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The one issuer of temporary learner codes ("TMP-<school code>-000123", for a learner without a
 * Ministry id yet), used by the admission form and the import alike, through one counter per
 * school (migration 0012). Numbers are never reused; one taken by an admission that is then
 * refused is skipped, as a sequence would.
 */

/** The school's part of the code: its code's ASCII letters and digits, else the start of its id. */
export function tempCodeSchoolPart(schoolId: string, schoolCode: string | null): string {
  return (schoolCode ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || schoolId.replace(/-/g, '').slice(0, 12);
}

/** "TMP-<school part>-": what every temporary code of the school starts with. */
const prefixOf = (schoolPart: string) => makeTemporaryLearnerCode(schoolPart, 1).slice(0, -'000001'.length);

// A unit's code never changes once it is created (nothing updates org_unit), so it is read once
// per database handle.
const schoolCodes = new WeakMap<object, Map<string, string | null>>();
async function schoolPart(db: Db, schoolId: string): Promise<string> {
  let known = schoolCodes.get(db);
  if (!known) schoolCodes.set(db, (known = new Map<string, string | null>()));
  let code = known.get(schoolId);
  if (code === undefined) {
    code = (await unitCode(db, schoolId)) ?? null;
    known.set(schoolId, code);
  }
  return tempCodeSchoolPart(schoolId, code);
}

/** `count` new codes of the school, in order. */
export async function issueTempCodes(db: Db, schoolId: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const part = await schoolPart(db, schoolId);
  const last = await takeTempSeqs(db, schoolId, prefixOf(part), count);
  return Array.from({ length: count }, (_, i) => makeTemporaryLearnerCode(part, last - count + 1 + i));
}

/**
 * The school's counter prefix and how a number of it reads: for a statement that takes the
 * number itself (the admission form reads its class in the same round trip).
 */
export async function tempCodeNumbering(db: Db, schoolId: string): Promise<{ prefix: string; code: (seq: number) => string }> {
  const part = await schoolPart(db, schoolId);
  return { prefix: prefixOf(part), code: (seq) => makeTemporaryLearnerCode(part, seq) };
}

/** One new code of the school. */
export async function issueTempCode(db: Db, schoolId: string): Promise<string> {
  const [code] = await issueTempCodes(db, schoolId, 1);
  if (!code) throw new Error('no temporary code issued');
  return code;
}

/** Codes of this school that arrive from elsewhere (an import file): the counter moves past them. */
export async function reserveGivenTempCodes(db: Db, schoolId: string, codes: readonly string[]): Promise<void> {
  const prefix = prefixOf(await schoolPart(db, schoolId));
  let highest = 0;
  for (const code of codes) {
    if (!isTemporaryLearnerCode(code) || !code.startsWith(prefix)) continue;
    const n = Number(code.slice(prefix.length));
    if (Number.isSafeInteger(n) && n > highest) highest = n;
  }
  if (highest > 0) await raiseTempSeqFloor(db, schoolId, prefix, highest);
}
