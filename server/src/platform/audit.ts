import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';
import type { AuditAction, AuditEntity } from './audit-actions.js';
import { describeAuditTarget } from './audit-target.js';
import { grantUnitIds, insertAuditRow } from './audit.repo.js';
import { newId } from './ids.js';

export type AuditEntry = {
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string | null;
  orgUnitId?: string | null;
  /**
   * For events about an account (a lock, a password change): the units holding its grants. The
   * audit viewer shows the row to each of them, not only to orgUnitId's.
   */
  subjectUnitIds?: string[];
  before?: unknown;
  after?: unknown;
  /** The name of what the row is about as it is now; worked out from the snapshot or the tables when not given. */
  targetLabel?: string | null;
};

/** The columns of one audit row but its snapshots, which a statement may build from the rows it writes. */
export type AuditColumns = {
  id: string;
  user_id: string | null;
  username: string | null;
  action: AuditAction;
  entity: AuditEntity;
  entity_id: string | null;
  org_unit_id: string | null;
  ip: string | null;
  target_label: string | null;
};

export function auditColumns(
  actor: Pick<Actor, 'userId' | 'username'> | null,
  entry: Omit<AuditEntry, 'before' | 'after' | 'targetLabel' | 'subjectUnitIds'> & { targetLabel: string | null },
  ip?: string | null,
): AuditColumns {
  return {
    id: newId(),
    user_id: actor?.userId ?? null,
    username: actor?.username ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    org_unit_id: entry.orgUnitId ?? null,
    ip: ip ?? null,
    target_label: entry.targetLabel,
  };
}

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
  const targetLabel = entry.targetLabel !== undefined ? entry.targetLabel : await describeAuditTarget(trx, entry);
  await insertAuditRow(trx, {
    ...auditColumns(actor, { ...entry, targetLabel }, ip),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    subject_unit_ids: entry.subjectUnitIds?.length ? entry.subjectUnitIds : null,
  });
}

/**
 * An event about an account (a lock, a password change, a reset): written against the units that
 * hold the account's grants now, so each of them sees it in the audit viewer — a principal the
 * lockouts of their school's accounts, a province officer those of accounts below the province.
 */
export async function writeAccountEvent(
  trx: Transaction<Database> | Kysely<Database>,
  actor: Pick<Actor, 'userId' | 'username'> | null,
  userId: string,
  entry: { action: AuditAction; before?: unknown; after?: unknown },
  ip?: string | null,
): Promise<void> {
  const units = [...new Set(await grantUnitIds(trx, userId))];
  await writeAudit(trx, actor, { ...entry, entity: 'app_user', entityId: userId, orgUnitId: units[0] ?? null, subjectUnitIds: units }, ip);
}
