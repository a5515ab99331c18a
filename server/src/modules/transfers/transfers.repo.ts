import { type Insertable, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { Database, SchoolTransferStatus } from '../../db/schema.js';
import type { NameSearch } from '../../platform/name-search.js';
import { startsNameWords } from '../../platform/name-search.repo.js';
import { validOn } from '../../platform/org-tree.repo.js';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type TransferRow = Selectable<Database['school_transfer']>;

// ---------------------------------------------------------------- lookups

/**
 * The current record of a learner at ANOTHER school, found by BOTH learner id and date of birth,
 * locked until the transaction ends. One statement for every way of not matching (unknown id, wrong
 * date, record not current, learner already at this school), so they all take the same path.
 */
export async function lockLearnerElsewhere(trx: Trx, learnerId: string, dateOfBirth: string, exceptSchoolId: string) {
  return trx
    .selectFrom('student')
    .selectAll()
    .where('learner_id', '=', learnerId)
    .where('date_of_birth', '=', dateOfBirth)
    .where('is_current', '=', true)
    .where('school_id', '<>', exceptSchoolId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Serialises one account's lookups (across processes: a transaction-scoped advisory lock) and
 * counts those of the last hour, from the audit rows each lookup writes.
 */
export async function lookupsInLastHour(trx: Trx, userId: string, action: string, limit: number) {
  await sql`select pg_advisory_xact_lock(hashtext(${`transfer_lookup:${userId}`}))`.execute(trx);
  const rows = await trx
    .selectFrom('audit_log')
    .select(['at', sql<Date>`at + interval '1 hour'`.as('leaves_window_at')])
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .where('at', '>', sql<Date>`now() - interval '1 hour'`)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  // The limit-th newest lookup: once it leaves the window, one more is allowed.
  return { count: rows.length, limitReachedUntil: rows.length >= limit ? (rows[limit - 1]?.leaves_window_at ?? null) : null };
}

// ---------------------------------------------------------------- transfer rows

export async function insertTransferPair(trx: Trx, row: Omit<Insertable<Database['school_transfer']>, 'school_id'>) {
  await trx
    .insertInto('school_transfer')
    .values([
      { ...row, school_id: row.from_school_id },
      { ...row, school_id: row.to_school_id },
    ])
    .execute();
}

/** This school's copy of a transfer, with both copies locked (every state change goes through here). */
export async function lockTransfer(trx: Trx, schoolId: string, id: string) {
  const own = await trx.selectFrom('school_transfer').selectAll().where('school_id', '=', schoolId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!own) return undefined;
  const otherSchool = own.school_id === own.from_school_id ? own.to_school_id : own.from_school_id;
  await trx.selectFrom('school_transfer').select('id').where('school_id', '=', otherSchool).where('id', '=', id).forUpdate().execute();
  return own;
}

/** Applies the same change to both copies; returns how many rows changed (2 when both were pending). */
export async function updateTransferPair(
  trx: Trx,
  t: { id: string; from_school_id: string; to_school_id: string },
  patch: { status: SchoolTransferStatus; decided_by: string; decision_reason?: string | null; to_class_id?: string; to_student_id?: string },
): Promise<number> {
  const res = await trx
    .updateTable('school_transfer')
    .set({ ...patch, decided_at: sql`now()` })
    .where('id', '=', t.id)
    .where('school_id', 'in', [t.from_school_id, t.to_school_id])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function pendingOfStudent(db: Db, schoolId: string, studentId: string) {
  return db
    .selectFrom('school_transfer')
    .select(['id', 'kind', 'to_school_id', 'effective_date', 'created_at'])
    .where('school_id', '=', schoolId)
    .where('from_school_id', '=', schoolId)
    .where('from_student_id', '=', studentId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export type ListFilter = {
  /** The tenants whose copies to read (one school, or the schools under an office). */
  schoolIds: string[];
  /** For a school's list: incoming = this school receives, outgoing = this school sends. */
  direction?: { schoolId: string; way: 'incoming' | 'outgoing' };
  status?: SchoolTransferStatus;
  /** One transfer (the answer to a change). */
  id?: string;
};

function listBase(db: Db, f: ListFilter) {
  let q = db.selectFrom('school_transfer as t').where('t.school_id', 'in', f.schoolIds.length ? f.schoolIds : ['00000000-0000-0000-0000-000000000000']);
  if (f.id) q = q.where('t.id', '=', f.id);
  if (f.direction) q = q.where(f.direction.way === 'incoming' ? 't.to_school_id' : 't.from_school_id', '=', f.direction.schoolId);
  if (f.status) q = q.where('t.status', '=', f.status);
  return q;
}

/**
 * One page of transfers with what the lists show: the learner (from the sending school's record:
 * anonymised with it, never copied), classes, who asked and who decided. A transfer whose two
 * schools are both in `schoolIds` is listed once (the sending school's copy).
 */
export async function listTransfers(db: Db, f: ListFilter, page: number, pageSize: number) {
  // One copy per transfer: prefer the sending school's copy when both are in the set.
  const ids = listBase(db, f)
    .distinctOn('t.id')
    .select(['t.school_id', 't.id', 't.created_at'])
    .orderBy('t.id')
    .orderBy(sql`(t.school_id = t.from_school_id)`, 'desc');
  const [items, count] = await Promise.all([
    db
      .selectFrom(ids.as('k'))
      .innerJoin('school_transfer as t', (j) => j.onRef('t.school_id', '=', 'k.school_id').onRef('t.id', '=', 'k.id'))
      .innerJoin('student as s', (j) => j.onRef('s.school_id', '=', 't.from_school_id').onRef('s.id', '=', 't.from_student_id'))
      .leftJoin('class as fc', (j) => j.onRef('fc.school_id', '=', 's.school_id').onRef('fc.id', '=', 's.current_class_id'))
      .leftJoin('class as tc', (j) => j.onRef('tc.school_id', '=', 't.to_school_id').onRef('tc.id', '=', 't.to_class_id'))
      .leftJoin('app_user as cu', 'cu.id', 't.created_by')
      .leftJoin('app_user as du', 'du.id', 't.decided_by')
      .selectAll('t')
      .select([
        's.learner_id',
        's.family_name',
        's.middle_name',
        's.given_name',
        's.date_of_birth',
        'fc.name as from_class_name',
        'fc.grade as from_grade',
        'tc.name as to_class_name',
        'tc.grade as to_grade',
        'cu.display_name as created_by_name',
        'du.display_name as decided_by_name',
      ])
      // Open ones first, then newest.
      .orderBy(sql`(t.status = 'pending')`, 'desc')
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom(ids.as('k'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export type TransferListRow = Awaited<ReturnType<typeof listTransfers>>['items'][number];

/** Open transfers of a school, per direction (the tab badges). */
export async function pendingCounts(db: Db, schoolId: string) {
  const row = await db
    .selectFrom('school_transfer')
    .select([
      sql<number>`count(*) filter (where to_school_id = ${schoolId})`.as('incoming'),
      sql<number>`count(*) filter (where from_school_id = ${schoolId})`.as('outgoing'),
    ])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { incoming: Number(row.incoming), outgoing: Number(row.outgoing) };
}

// ---------------------------------------------------------------- schools

/** A school's newest version: name, levels, and whether it is open today. */
export async function schoolVersion(db: Db, schoolId: string) {
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .select(['u.id', 'u.kind', 'v.name', 'v.school_levels', 'v.valid_to'])
    .where('u.id', '=', schoolId)
    .orderBy('v.valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Open schools whose name has every word typed at the start of one of its words (accent-
 * insensitive: "du" finds "Trường THCS Nguyễn Du", "yen" does not), or whose code is the text:
 * where a sending school can address a transfer letter. School names are public.
 */
export async function searchOpenSchools(db: Db, search: NameSearch, today: string, exceptId: string, limit: number) {
  return db
    .selectFrom('org_unit_version as v')
    .innerJoin('org_unit as u', 'u.id', 'v.unit_id')
    .leftJoin('org_unit_version as p', (j) => j.onRef('p.unit_id', '=', 'v.parent_id').on(sql<boolean>`(p.valid_from <= ${today}::date and (p.valid_to is null or p.valid_to > ${today}::date))`))
    .select(['u.id', 'v.name', 'v.school_levels', 'p.name as parent_name'])
    .where('u.kind', '=', 'school')
    .where(validOn(today))
    .where('u.id', '<>', exceptId)
    // f_unaccent first: lower() only folds ASCII under the C locale PGlite runs with ("Đ" → "D" → "d").
    .where((eb) => eb.or([startsNameWords(sql<string>`lower(f_unaccent(v.name))`, search.words), eb('u.code', '=', search.raw)]))
    .orderBy('v.name')
    .orderBy('u.id')
    .limit(limit)
    .execute();
}

/** Display names of accounts. */
export async function userNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Schools closed before today that hold transfer rows (an office's list must include them). */
export async function closedSchoolsWithTransfers(db: Db, today: string) {
  const rows = await db
    .selectFrom('school_transfer as t')
    .select('t.school_id')
    .distinct()
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('org_unit_version as v')
            .select('v.unit_id')
            .whereRef('v.unit_id', '=', 't.school_id')
            .where((w) => w.or([w('v.valid_to', 'is', null), w('v.valid_to', '>', today)])),
        ),
      ),
    )
    .execute();
  return rows.map((r) => r.school_id);
}
