import type { Kysely } from 'kysely';
import type { TAuditEntry } from '../../../../contracts/admin.js';
import { formatVnDateTime } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { badRequest } from '../../platform/errors.js';
import { ancestorsOrSelf, readingDate, subtreeIds, todayIso } from '../../platform/org-tree.js';
import { buildXlsx } from '../../platform/xlsx-export.js';
import { type AuditFilter, countAudit, listAudit, unitVersions } from './admin.repo.js';

type Db = Kysely<Database>;

export type AuditQuery = {
  unitId: string;
  /** The caller is a system administrator: rows that belong to no unit show with the whole tree. */
  includeUnitless?: boolean;
  userId?: string;
  entity?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

/** Rows an export may hold: beyond this, narrow the dates. */
export const AUDIT_EXPORT_MAX_ROWS = 20_000;

const vnDate = (iso: string) => iso.split('-').reverse().join('/');

const nextDay = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** from/to are Vietnamese calendar days, both inclusive. */
async function toFilter(db: Db, q: AuditQuery): Promise<AuditFilter> {
  if (q.from && q.to && q.from > q.to) {
    throw badRequest('invalid_date_range', `Ngày bắt đầu (${vnDate(q.from)}) phải trước hoặc bằng ngày kết thúc (${vnDate(q.to)}).`);
  }
  return {
    // A closed unit's log: what was below it on its last day.
    unitIds: await subtreeIds(db, q.unitId, await readingDate(db, q.unitId, todayIso())),
    // Only when looking at the whole tree (its root): a school's log holds that school's rows.
    includeUnitless: q.includeUnitless === true && (await ancestorsOrSelf(db, q.unitId, todayIso())).length === 1,
    userId: q.userId,
    entity: q.entity,
    fromTs: q.from ? `${q.from}T00:00:00+07:00` : undefined,
    toTs: q.to ? `${nextDay(q.to)}T00:00:00+07:00` : undefined,
  };
}

async function unitNames(db: Db, unitIds: string[]) {
  const today = todayIso();
  const names = new Map<string, string>();
  // Oldest first, so the version valid today (or the last one of a closed unit) wins.
  for (const v of await unitVersions(db, [...new Set(unitIds)])) if (v.valid_from <= today || !names.has(v.unit_id)) names.set(v.unit_id, v.name);
  return names;
}

async function entries(db: Db, f: AuditFilter, page: { limit: number; offset: number }): Promise<TAuditEntry[]> {
  const rows = await listAudit(db, f, page);
  const names = await unitNames(db, rows.map((r) => r.org_unit_id).filter((id): id is string => !!id));
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at as unknown as string | Date).toISOString(),
    userId: r.user_id,
    username: r.username,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_id ? (names.get(r.org_unit_id) ?? null) : null,
    before: r.before ?? null,
    after: r.after ?? null,
  }));
}

/** Audit entries of the unit and everything below it (today's tree), newest first. */
export async function auditPage(db: Db, q: AuditQuery) {
  const f = await toFilter(db, q);
  const total = await countAudit(db, f);
  const items = await entries(db, f, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { total, items };
}

/** "23/11/2026 07:05" in Vietnam time: the app's one way of writing a moment (issue 8). */
const vnDateTime = (iso: string) => formatVnDateTime(iso);

// Excel refuses cells longer than 32,767 characters.
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v).slice(0, 32_000));

export async function auditExport(db: Db, q: AuditQuery) {
  const f = await toFilter(db, q);
  const total = await countAudit(db, f);
  if (total > AUDIT_EXPORT_MAX_ROWS) {
    throw badRequest(
      'export_too_large',
      `Có ${total.toLocaleString('vi-VN')} dòng nhật ký, vượt quá giới hạn ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('vi-VN')} dòng mỗi lần xuất. Hãy thu hẹp khoảng ngày hoặc chọn đơn vị nhỏ hơn.`,
    );
  }
  const items = await entries(db, f, { limit: AUDIT_EXPORT_MAX_ROWS, offset: 0 });
  const body = await buildXlsx(
    'Nhật ký hệ thống',
    [
      { header: 'Thời điểm', width: 20, value: (r: TAuditEntry) => vnDateTime(r.at) },
      { header: 'Người thực hiện', width: 18, value: (r) => r.username },
      { header: 'Thao tác', width: 24, value: (r) => r.action },
      { header: 'Đối tượng', width: 18, value: (r) => r.entity },
      { header: 'Mã đối tượng', width: 38, value: (r) => r.entityId },
      { header: 'Đơn vị', width: 30, value: (r) => r.orgUnitName },
      { header: 'Trước', width: 50, value: (r) => json(r.before) },
      { header: 'Sau', width: 50, value: (r) => json(r.after) },
    ],
    items,
  );
  return { body, fileName: `Nhật ký hệ thống ${todayIso()}.xlsx` };
}
