import { type Kysely, sql } from 'kysely';
import type { Database, OrgUnitKind } from '../db/schema.js';

type Db = Kysely<Database>;

// A version row is valid on date D when valid_from <= D < valid_to (open-ended when null).
export const validOn = (asOf: string) =>
  sql<boolean>`(v.valid_from <= ${asOf}::date and (v.valid_to is null or v.valid_to > ${asOf}::date))`;

/** The unit itself and every unit above it, as the tree was on `asOf`, nearest first. */
export async function ancestorsOrSelf(db: Db, unitId: string, asOf: string): Promise<string[]> {
  const result = await sql<{ unit_id: string }>`
    with recursive up(unit_id, parent_id, depth) as (
      select v.unit_id, v.parent_id, 0 from org_unit_version v
       where v.unit_id = ${unitId} and ${validOn(asOf)}
      union all
      select v.unit_id, v.parent_id, up.depth + 1 from org_unit_version v
        join up on v.unit_id = up.parent_id
       where ${validOn(asOf)} and up.depth < 20
    )
    select unit_id from up order by depth`.execute(db);
  return result.rows.map((r) => r.unit_id);
}

/** Ids of the unit and everything below it on `asOf`, optionally only some kinds. */
export async function subtreeIds(db: Db, unitId: string, asOf: string, kinds?: OrgUnitKind[]): Promise<string[]> {
  const result = await sql<{ unit_id: string; kind: OrgUnitKind }>`
    with recursive down(unit_id, depth) as (
      select v.unit_id, 0 from org_unit_version v where v.unit_id = ${unitId} and ${validOn(asOf)}
      union all
      select v.unit_id, down.depth + 1 from org_unit_version v
        join down on v.parent_id = down.unit_id
       where ${validOn(asOf)} and down.depth < 20
    )
    select d.unit_id, u.kind from down d join org_unit u on u.id = d.unit_id`.execute(db);
  return result.rows.filter((r) => !kinds || kinds.includes(r.kind)).map((r) => r.unit_id);
}

/** The validity of a unit's newest version, none for an unknown unit. */
export async function lastVersion(db: Db, unitId: string): Promise<{ valid_from: string; valid_to: string | null } | undefined> {
  return db
    .selectFrom('org_unit_version')
    .select(['valid_from', 'valid_to'])
    .where('unit_id', '=', unitId)
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}
