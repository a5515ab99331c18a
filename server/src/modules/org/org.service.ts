import { adoptionCounts } from '../activation/activation.service.js';
import type { Kysely, Transaction } from 'kysely';
import type { TOrgUnit } from '../../../../contracts/org.js';
import { compareVietnameseText, schoolYearOf } from '../../../../domain/index.js';
import type { Database, OrgUnitKind, Ownership, SchoolLevel } from '../../db/schema.js';
import { placementOf, requireRolesOver } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { ancestorsOrSelf, subtreeIds } from '../../platform/org-tree.repo.js';
import {
  childrenOn,
  endVersion,
  findUnitOn,
  findUnitsOn,
  insertUnit,
  insertVersion,
  latestVersion,
  ministryIds,
  presentUnit,
  schoolCountsOn,
  unitHistory,
  unitKind,
  unitWithCode,
} from './org.repo.js';

type Db = Kysely<Database>;

/** Roles that may reshape the tree below their unit. */
export const TREE_ADMIN_ROLES = ['system_admin', 'province_officer'] as const;

/** Which kinds of unit may sit directly under which. */
const ALLOWED_PARENTS: Record<Exclude<OrgUnitKind, 'ministry'>, OrgUnitKind[]> = {
  province_office: ['ministry'],
  district_office: ['province_office'],
  commune_office: ['province_office'],
  school: ['province_office', 'district_office', 'commune_office'],
  school_site: ['school'],
};

const KIND_LABEL: Record<OrgUnitKind, string> = {
  ministry: 'Bộ',
  province_office: 'Sở GD&ĐT',
  district_office: 'Phòng GD&ĐT',
  commune_office: 'UBND xã',
  school: 'trường',
  school_site: 'điểm trường',
};

/** Everything the actor may see of the tree on `asOf`: the subtrees of their granted units. */
export async function visibleTree(db: Db, actor: Actor, asOf: string): Promise<TOrgUnit[]> {
  let roots: string[];
  if (actor.grants.some((g) => g.role === 'system_admin')) {
    roots = await ministryIds(db);
  } else {
    // A grant on a unit closed today shows nothing, at any date (docs/decisions/0005-closed-units.md).
    roots = [];
    for (const unitId of new Set(actor.grants.filter((g) => g.role !== 'parent' && g.role !== 'student').map((g) => g.orgUnitId))) {
      if ((await placementOf(db, unitId, actor.treeVersion)).state !== 'closed') roots.push(unitId);
    }
  }
  const ids = new Set<string>();
  for (const root of roots) for (const id of await subtreeIds(db, root, asOf)) ids.add(id);
  const rows = await findUnitsOn(db, [...ids], asOf);
  return rows.map(presentUnit).sort((a, b) => compareVietnameseText(a.name, b.name));
}

export async function unitDetail(db: Db, unitId: string, asOf: string) {
  const unit = await findUnitOn(db, unitId, asOf);
  const history = await unitHistory(db, unitId);
  if (history.length === 0) throw notFound();
  const fallback = history[history.length - 1];
  return {
    unit: presentUnit(unit ?? fallback),
    history: history.map((h) => ({ ...presentUnit(h), parentName: h.parent_name, changeReason: h.change_reason })),
    children: (await childrenOn(db, unitId, asOf)).map(presentUnit),
  };
}

export async function schoolsUnder(db: Db, unitId: string, asOf: string) {
  const schoolIds = await subtreeIds(db, unitId, asOf, ['school']);
  const schools = await findUnitsOn(db, schoolIds, asOf);
  const parents = await findUnitsOn(db, [...new Set(schools.map((s) => s.parent_id).filter((p): p is string => !!p))], asOf);
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  const [counts, adoption] = await Promise.all([schoolCountsOn(db, schoolIds, asOf, schoolYearOf(asOf)), adoptionCounts(db, schoolIds)]);
  const list = schools
    .map((s) => ({
      id: s.id,
      name: s.name,
      code: s.code,
      schoolLevels: s.school_levels,
      ownership: s.ownership,
      parentName: s.parent_id ? (parentName.get(s.parent_id) ?? null) : null,
      students: counts.get(s.id)?.students ?? 0,
      classes: counts.get(s.id)?.classes ?? 0,
      // Linking families (contact book), as it stands today whatever the date asked: counts only.
      codesPrinted: adoption.get(s.id)?.codesPrinted ?? 0,
      familiesActivated: adoption.get(s.id)?.familiesActivated ?? 0,
      familiesActive7d: adoption.get(s.id)?.familiesActive7d ?? 0,
      announcementsSent: adoption.get(s.id)?.announcementsSent ?? 0,
      announcementReached: adoption.get(s.id)?.announcementReached ?? 0,
      announcementRead: adoption.get(s.id)?.announcementRead ?? 0,
    }))
    .sort((a, b) => compareVietnameseText(a.name, b.name));
  return {
    asOf,
    schools: list,
    totals: {
      schools: list.length,
      students: list.reduce((s, x) => s + x.students, 0),
      classes: list.reduce((s, x) => s + x.classes, 0),
      familiesActivated: list.reduce((s, x) => s + x.familiesActivated, 0),
      familiesActive7d: list.reduce((s, x) => s + x.familiesActive7d, 0),
    },
  };
}

async function assertParentAllowed(db: Db | Transaction<Database>, kind: OrgUnitKind, parentId: string, on: string) {
  const parent = await findUnitOn(db, parentId, on);
  if (!parent) throw badRequest('parent_not_open', `Đơn vị cấp trên không tồn tại hoặc đã đóng vào ngày ${on}.`);
  if (kind === 'ministry') throw badRequest('invalid_kind', 'Không thể thêm Bộ mới.');
  if (!ALLOWED_PARENTS[kind].includes(parent.kind)) {
    throw badRequest(
      'invalid_parent_kind',
      `Một ${KIND_LABEL[kind]} không thể trực thuộc ${KIND_LABEL[parent.kind]}. Hãy chọn đơn vị cấp trên phù hợp.`,
    );
  }
  return parent;
}

/** Changes can only be dated on or after the unit's latest change, so history is never rewritten. */
async function assertAfterLatest(trx: Transaction<Database>, unitId: string, date: string) {
  const latest = await latestVersion(trx, unitId);
  if (!latest) throw notFound();
  if (latest.valid_to !== null) throw conflict('unit_closed', `Đơn vị đã đóng từ ngày ${latest.valid_to}.`);
  if (date <= latest.valid_from) {
    throw badRequest(
      'date_before_last_change',
      `Ngày hiệu lực phải sau lần thay đổi gần nhất (${latest.valid_from}).`,
    );
  }
  return latest;
}

/** Ends the open version at `date` and opens a new one with `patch` from `date`. */
async function newVersionFrom(
  trx: Transaction<Database>,
  unitId: string,
  date: string,
  patch: { parent_id?: string | null; name?: string },
  reason: string | null,
) {
  const latest = await assertAfterLatest(trx, unitId, date);
  await endVersion(trx, unitId, latest.valid_from, { valid_to: date });
  const next = { ...latest, ...patch, valid_from: date, valid_to: null, change_reason: reason };
  await insertVersion(trx, next);
  return { before: latest, after: next };
}

export async function createUnit(
  db: Db,
  actor: Actor,
  input: {
    kind: Exclude<OrgUnitKind, 'ministry'>;
    name: string;
    code?: string;
    parentId: string;
    schoolLevels: SchoolLevel[];
    ownership?: Ownership;
    area?: 'urban' | 'rural' | 'mountain' | 'island';
    address?: string;
    validFrom: string;
  },
): Promise<TOrgUnit> {
  if (input.kind === 'school' && input.schoolLevels.length === 0) {
    throw badRequest('school_levels_required', 'Hãy chọn ít nhất một cấp học cho trường.');
  }
  return db.transaction().execute(async (trx) => {
    await assertParentAllowed(trx, input.kind, input.parentId, input.validFrom);
    if (input.code) {
      const taken = await unitWithCode(trx, input.code);
      if (taken) throw conflict('code_taken', `Mã đơn vị ${input.code} đã được dùng.`);
    }
    const id = newId();
    await insertUnit(trx, { id, kind: input.kind, code: input.code ?? null });
    const version = {
      unit_id: id,
      valid_from: input.validFrom,
      valid_to: null,
      parent_id: input.parentId,
      name: input.name,
      school_levels: input.schoolLevels,
      ownership: input.ownership ?? (input.kind === 'school' ? 'public' : null),
      area: input.area ?? null,
      province_code: null,
      address: input.address ?? null,
      change_reason: 'Thành lập',
    };
    await insertVersion(trx, version);
    await writeAudit(trx, actor, { action: 'org_unit.create', entity: 'org_unit', entityId: id, orgUnitId: id, after: version });
    return writtenUnit(trx, id, input.validFrom);
  });
}

/** The unit as it is on `date`, read back in the transaction that has just written that version. */
async function writtenUnit(trx: Db, unitId: string, date: string) {
  const row = await findUnitOn(trx, unitId, date);
  if (!row) throw new Error(`org unit ${unitId} has no version on ${date} right after it was written`);
  return presentUnit(row);
}

export async function moveUnit(db: Db, actor: Actor, unitId: string, input: { newParentId: string; effectiveDate: string; reason?: string }) {
  // The caller must also have authority over the destination.
  await requireRolesOver(db, actor, input.newParentId, TREE_ADMIN_ROLES);
  return db.transaction().execute(async (trx) => {
    const unit = await unitKind(trx, unitId);
    if (!unit) throw notFound();
    await assertParentAllowed(trx, unit.kind, input.newParentId, input.effectiveDate);
    const chain = await ancestorsOrSelf(trx, input.newParentId, input.effectiveDate);
    if (chain.includes(unitId)) throw badRequest('cycle', 'Không thể chuyển một đơn vị vào chính đơn vị cấp dưới của nó.');
    const change = await newVersionFrom(trx, unitId, input.effectiveDate, { parent_id: input.newParentId }, input.reason ?? 'Chuyển đơn vị quản lý');
    await writeAudit(trx, actor, { action: 'org_unit.move', entity: 'org_unit', entityId: unitId, orgUnitId: unitId, ...change });
    return writtenUnit(trx, unitId, input.effectiveDate);
  });
}

export async function renameUnit(db: Db, actor: Actor, unitId: string, input: { name: string; effectiveDate: string; reason?: string }) {
  return db.transaction().execute(async (trx) => {
    const change = await newVersionFrom(trx, unitId, input.effectiveDate, { name: input.name }, input.reason ?? 'Đổi tên');
    await writeAudit(trx, actor, { action: 'org_unit.rename', entity: 'org_unit', entityId: unitId, orgUnitId: unitId, ...change });
    return writtenUnit(trx, unitId, input.effectiveDate);
  });
}

async function closeInTrx(trx: Transaction<Database>, actor: Actor, unitId: string, date: string, reason: string | null) {
  const open = await childrenOn(trx, unitId, date);
  if (open.length > 0) {
    throw conflict(
      'has_open_children',
      `Đơn vị còn ${open.length} đơn vị trực thuộc vào ngày ${date}. Hãy chuyển chúng sang đơn vị khác trước khi đóng.`,
    );
  }
  const latest = await assertAfterLatest(trx, unitId, date);
  await endVersion(trx, unitId, latest.valid_from, { valid_to: date, change_reason: reason ?? latest.change_reason });
  await writeAudit(trx, actor, {
    action: 'org_unit.close',
    entity: 'org_unit',
    entityId: unitId,
    orgUnitId: unitId,
    before: latest,
    after: { ...latest, valid_to: date },
  });
}

export async function closeUnit(db: Db, actor: Actor, unitId: string, input: { effectiveDate: string; reason?: string }) {
  await db.transaction().execute((trx) => closeInTrx(trx, actor, unitId, input.effectiveDate, input.reason ?? 'Giải thể'));
  return { ok: true };
}

/**
 * Moves every unit under `unitId` to `targetId` from the date and closes `unitId`: how a merged
 * province or an abolished district office (1/7/2025) is recorded without losing history.
 */
export async function mergeUnit(db: Db, actor: Actor, unitId: string, input: { targetId: string; effectiveDate: string; reason?: string }) {
  if (input.targetId === unitId) throw badRequest('same_unit', 'Không thể sáp nhập một đơn vị vào chính nó.');
  await requireRolesOver(db, actor, input.targetId, TREE_ADMIN_ROLES);
  return db.transaction().execute(async (trx) => {
    const children = await childrenOn(trx, unitId, input.effectiveDate);
    const reason = input.reason ?? 'Sáp nhập';
    for (const child of children) {
      await assertParentAllowed(trx, child.kind, input.targetId, input.effectiveDate);
      const change = await newVersionFrom(trx, child.id, input.effectiveDate, { parent_id: input.targetId }, reason);
      await writeAudit(trx, actor, { action: 'org_unit.move', entity: 'org_unit', entityId: child.id, orgUnitId: child.id, ...change });
    }
    await closeInTrx(trx, actor, unitId, input.effectiveDate, reason);
    return { ok: true, moved: children.length };
  });
}

