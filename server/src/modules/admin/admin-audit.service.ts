import type { Kysely } from 'kysely';
import type { TAuditEntry } from '../../../../contracts/admin.js';
import { addDays, formatVnDate, isoToday } from '../../../../domain/index.js';
import type { Database, Role } from '../../db/schema.js';
import { personLabel } from '../../platform/audit-target.js';
import { badRequest } from '../../platform/errors.js';
import { readingDate } from '../../platform/org-tree.js';
import { ancestorsOrSelf, subtreeIds } from '../../platform/org-tree.repo.js';
import { buildXlsx } from '../../platform/xlsx-export.js';
import { type AuditFilter, auditActors, auditRefNames, countAudit, listAudit, unitVersions } from './admin.repo.js';
import { ROLE_RANK } from './admin.service.js';
import { auditRefs, emptyNames, presentAuditEntry } from './audit-presenter.js';

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

/** from/to are Vietnamese calendar days, both inclusive. */
async function toFilter(db: Db, q: AuditQuery): Promise<AuditFilter> {
  if (q.from && q.to && q.from > q.to) {
    throw badRequest('invalid_date_range', `Ngày bắt đầu (${formatVnDate(q.from)}) phải trước hoặc bằng ngày kết thúc (${formatVnDate(q.to)}).`);
  }
  return {
    // A closed unit's log: what was below it on its last day.
    unitIds: await subtreeIds(db, q.unitId, await readingDate(db, q.unitId, isoToday())),
    // Only when looking at the whole tree (its root): a school's log holds that school's rows.
    includeUnitless: q.includeUnitless === true && (await ancestorsOrSelf(db, q.unitId, isoToday())).length === 1,
    userId: q.userId,
    entity: q.entity,
    fromTs: q.from ? `${q.from}T00:00:00+07:00` : undefined,
    toTs: q.to ? `${addDays(q.to, 1)}T00:00:00+07:00` : undefined,
  };
}

async function unitNames(db: Db, unitIds: string[]) {
  const today = isoToday();
  const names = new Map<string, string>();
  // Oldest first, so the version valid today (or the last one of a closed unit) wins.
  for (const v of await unitVersions(db, [...new Set(unitIds)])) if (v.valid_from <= today || !names.has(v.unit_id)) names.set(v.unit_id, v.name);
  return names;
}

/** The names a page of rows needs: units, the records its fields point at, the accounts that acted. */
async function namesFor(db: Db, rows: Awaited<ReturnType<typeof listAudit>>) {
  const refs = auditRefs(rows.map((r) => ({ entity: r.entity, before: r.before, after: r.after })));
  const names = emptyNames();
  const unitIds = [...rows.map((r) => r.org_unit_id).filter((id): id is string => !!id), ...refs.unit];
  names.unit = await unitNames(db, unitIds);
  const found = await auditRefNames(db, { class: [...refs.class], staff: [...refs.staff], user: [...refs.user], student: [...refs.student] });
  for (const c of found.classes) names.class.set(c.id, c.name);
  for (const s of found.staff) names.staff.set(s.id, personLabel(s) ?? '');
  for (const u of found.users) names.user.set(u.id, u.display_name);
  for (const s of found.students) names.student.set(s.id, personLabel(s) ?? '');
  const actors = await auditActors(db, [...new Set(rows.map((r) => r.user_id).filter((id): id is string => !!id))]);
  const actorName = new Map(actors.users.map((u) => [u.id, u.display_name]));
  const actorRoles = new Map<string, Role[]>();
  for (const g of actors.grants) actorRoles.set(g.user_id, [...(actorRoles.get(g.user_id) ?? []), g.role]);
  // The highest role first: "Nguyễn Văn A (Hiệu trưởng)" rather than one of their lesser grants.
  for (const list of actorRoles.values()) list.sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a]);
  return { names, actorName, actorRoles };
}

async function entries(db: Db, f: AuditFilter, page: { limit: number; offset: number }): Promise<TAuditEntry[]> {
  const rows = await listAudit(db, f, page);
  const { names, actorName, actorRoles } = await namesFor(db, rows);
  return rows.map((r) => {
    const orgUnitName = r.org_unit_id ? (names.unit.get(r.org_unit_id) ?? null) : null;
    const view = presentAuditEntry(
      {
        at: r.at,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        orgUnitName,
        username: r.username,
        actorName: r.user_id ? (actorName.get(r.user_id) ?? null) : null,
        actorRoles: r.user_id ? (actorRoles.get(r.user_id) ?? []) : [],
        targetLabel: r.target_label,
        before: r.before ?? null,
        after: r.after ?? null,
      },
      names,
    );
    return {
      id: r.id,
      at: new Date(r.at).toISOString(),
      userId: r.user_id,
      username: r.username,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      orgUnitId: r.org_unit_id,
      orgUnitName,
      before: r.before ?? null,
      after: r.after ?? null,
      view,
    };
  });
}

/** Audit entries of the unit and everything below it (today's tree), newest first. */
export async function auditPage(db: Db, q: AuditQuery) {
  const f = await toFilter(db, q);
  const total = await countAudit(db, f);
  const items = await entries(db, f, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { total, items };
}

// Excel refuses cells longer than 32,767 characters.
const cell = (text: string) => text.slice(0, 32_000);

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
  // The same presenter as the viewer: what a person reads, nothing else (no ids, codes or JSON).
  const body = await buildXlsx(
    'Nhật ký hệ thống',
    [
      { header: 'Thời điểm', width: 17, value: (r: TAuditEntry) => r.view.when },
      { header: 'Người thực hiện', width: 30, value: (r) => r.view.who },
      { header: 'Thao tác', width: 30, value: (r) => r.view.action },
      { header: 'Đối tượng', width: 34, value: (r) => r.view.target },
      { header: 'Đơn vị', width: 30, value: (r) => r.view.unit },
      { header: 'Nội dung', width: 80, wrap: true, value: (r) => cell(r.view.changes.map((c) => c.text).join('\n')) },
    ],
    items,
  );
  return { body, fileName: `Nhật ký hệ thống ${isoToday()}.xlsx` };
}
