import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AuditLogTable, Database } from '../db/schema.js';

type Db = Transaction<Database> | Kysely<Database>;

export async function insertAuditRow(trx: Db, row: Insertable<AuditLogTable>): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

/** The units the account's grants are on, in the order the grants were made (a unit once per grant). */
export async function grantUnitIds(trx: Db, userId: string): Promise<string[]> {
  const grants = await trx.selectFrom('role_grant').select('org_unit_id').where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return grants.map((g) => g.org_unit_id);
}
