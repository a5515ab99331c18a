import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import type { TOrgUnit } from '../../../../contracts/org.js';
import type { Database, OrgUnitKind, OrgUnitTable, OrgUnitVersionTable } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const unitColumns = [
  'u.id',
  'u.kind',
  'u.code',
  'v.name',
  'v.parent_id',
  'v.school_levels',
  'v.ownership',
  'v.area',
  'v.valid_from',
  'v.valid_to',
  'v.change_reason',
  'v.province_code',
  'v.address',
] as const;

type UnitRow = {
  id: string;
  kind: OrgUnitKind;
  code: string | null;
  name: string;
  parent_id: string | null;
  school_levels: string[];
  ownership: string | null;
  area: string | null;
  valid_from: string;
  valid_to: string | null;
};

export function presentUnit(r: UnitRow): TOrgUnit {
  return {
    id: r.id,
    kind: r.kind,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    schoolLevels: r.school_levels as TOrgUnit['schoolLevels'],
    ownership: r.ownership as TOrgUnit['ownership'],
    area: r.area,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

const versionsOn = (db: Db, asOf: string) =>
  db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .where('v.valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', asOf)]));

export async function findUnitOn(db: Db, unitId: string, asOf: string) {
  return versionsOn(db, asOf).select(unitColumns).where('u.id', '=', unitId).executeTakeFirst();
}

export async function findUnitsOn(db: Db, unitIds: string[], asOf: string) {
  if (unitIds.length === 0) return [];
  return versionsOn(db, asOf).select(unitColumns).where('u.id', 'in', unitIds).execute();
}

export async function childrenOn(db: Db, unitId: string, asOf: string) {
  return versionsOn(db, asOf).select(unitColumns).where('v.parent_id', '=', unitId).orderBy('v.name').execute();
}

export async function unitHistory(db: Db, unitId: string) {
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .leftJoin('org_unit_version as pv', (j) =>
      j
        .onRef('pv.unit_id', '=', 'v.parent_id')
        .on(sql<boolean>`pv.valid_from <= v.valid_from and (pv.valid_to is null or pv.valid_to > v.valid_from)`),
    )
    .select([...unitColumns, 'pv.name as parent_name'])
    .where('u.id', '=', unitId)
    .orderBy('v.valid_from')
    .execute();
}

/** The newest version row of a unit (open or closed). */
export async function latestVersion(db: Db, unitId: string) {
  return db
    .selectFrom('org_unit_version')
    .selectAll()
    .where('unit_id', '=', unitId)
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Per-school student and class counts on a date, from enrolment dates (history-correct). */
export async function schoolCountsOn(db: Db, schoolIds: string[], asOf: string, year: number) {
  if (schoolIds.length === 0) return new Map<string, { students: number; classes: number }>();
  const students = await db
    .selectFrom('enrolment')
    .select(['school_id', (eb) => eb.fn.count<number>('student_id').distinct().as('n')])
    .where('school_id', 'in', schoolIds)
    .where('start_date', '<=', asOf)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', asOf)]))
    .groupBy('school_id')
    .execute();
  const classes = await db
    .selectFrom('class')
    .select(['school_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('school_id', 'in', schoolIds)
    .where('year', '=', year)
    .groupBy('school_id')
    .execute();
  const result = new Map<string, { students: number; classes: number }>();
  for (const id of schoolIds) result.set(id, { students: 0, classes: 0 });
  // Both queries are limited to schoolIds, so every row finds its entry.
  for (const s of students) {
    const r = result.get(s.school_id);
    if (r) r.students = Number(s.n);
  }
  for (const c of classes) {
    const r = result.get(c.school_id);
    if (r) r.classes = Number(c.n);
  }
  return result;
}

/** Ids of the ministry units: the roots of the whole tree. */
export async function ministryIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('org_unit').select('id').where('kind', '=', 'ministry').execute()).map((r) => r.id);
}

/** The unit that carries this code, if any. */
export async function unitWithCode(db: Db, code: string) {
  return db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirst();
}

/** The unit's kind, or undefined when no unit has this id. */
export async function unitKind(db: Db, unitId: string) {
  return db.selectFrom('org_unit').select(['id', 'kind']).where('id', '=', unitId).executeTakeFirst();
}

export async function insertUnit(trx: Transaction<Database>, unit: Insertable<OrgUnitTable>): Promise<void> {
  await trx.insertInto('org_unit').values(unit).execute();
}

export async function insertVersion(trx: Transaction<Database>, version: Insertable<OrgUnitVersionTable>): Promise<void> {
  await trx.insertInto('org_unit_version').values(version).execute();
}

/** Ends the unit's version that began on `validFrom` at `validTo`, optionally with a new reason. */
export async function endVersion(
  trx: Transaction<Database>,
  unitId: string,
  validFrom: string,
  end: { valid_to: string; change_reason?: string | null },
): Promise<void> {
  await trx.updateTable('org_unit_version').set(end).where('unit_id', '=', unitId).where('valid_from', '=', validFrom).execute();
}
