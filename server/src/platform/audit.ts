import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';
import { newId } from './ids.js';

export type AuditEntry = {
  action: string;
  entity: string;
  entityId?: string | null;
  orgUnitId?: string | null;
  before?: unknown;
  after?: unknown;
};

/**
 * Writes one audit row. Call it with the transaction that made the change, so the change and
 * its audit row commit or roll back together.
 */
export async function writeAudit(
  trx: Transaction<Database> | Kysely<Database>,
  actor: Pick<Actor, 'userId' | 'username'> | null,
  entry: AuditEntry,
  ip?: string | null,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: newId(),
      user_id: actor?.userId ?? null,
      username: actor?.username ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      org_unit_id: entry.orgUnitId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: ip ?? null,
    })
    .execute();
}
