import type { Kysely } from 'kysely';
import { formatVnDate, isoToday } from '../../../domain/index.js';
import type { Database, Role } from '../db/schema.js';
import { OFFICE_ROLES, type Actor } from './actor.js';
import { classIdsTaughtBy, hasGuardianLink } from './access.repo.js';
import { conflict, notFound } from './errors.js';
import { readingDateOf } from './org-tree.js';
import { ancestorsOrSelf, lastVersion } from './org-tree.repo.js';
import { cachePerDb } from './versioned-cache.js';

type Db = Kysely<Database>;

/**
 * Where a unit stands in the tree today.
 * - open:   it has a version valid today; `chain` is the unit and its ancestors today.
 * - closed: its last version ended on or before today (`closedOn` = that end date, exclusive);
 *           `chain` is the unit and its ancestors on its LAST DAY (the day before `closedOn`).
 * - future: it opens after today; `chain` is the tree on its opening day.
 * - unknown: no such unit.
 * See docs/decisions/0005-closed-units.md.
 */
export type Placement = {
  state: 'open' | 'closed' | 'future' | 'unknown';
  chain: ReadonlySet<string>;
  closedOn: string | null;
};

const placementCache = cachePerDb<Placement>(5000);

/** Cached per org-tree version and day: every request asks this at least once. */
export async function placementOf(db: Db, unitId: string, treeVersion: number): Promise<Placement> {
  const today = isoToday();
  const key = `${unitId}|${today}`;
  const cache = placementCache(db);
  const hit = cache.get(key, treeVersion);
  if (hit) return hit;
  const placement = await computePlacement(db, unitId, today);
  cache.set(key, treeVersion, placement);
  return placement;
}

async function computePlacement(db: Db, unitId: string, today: string): Promise<Placement> {
  const now = await ancestorsOrSelf(db, unitId, today);
  if (now.length > 0) return { state: 'open', chain: new Set(now), closedOn: null };
  const last = await lastVersion(db, unitId);
  if (!last) return { state: 'unknown', chain: new Set(), closedOn: null };
  if (last.valid_to === null || last.valid_to > today) {
    return { state: 'future', chain: new Set(await ancestorsOrSelf(db, unitId, last.valid_from)), closedOn: null };
  }
  // The tree on the last day the unit existed, not on the first day of its last version: a school
  // whose office was handed to another province before it closed belongs to the province that held it last.
  const lastDay = readingDateOf(last, today);
  return { state: 'closed', chain: new Set(await ancestorsOrSelf(db, unitId, lastDay)), closedOn: last.valid_to };
}

/** What the actor may do over a unit: the roles they hold there, and whether it is closed. */
export type UnitAccess = { roles: Set<Role>; closedOn: string | null };

/**
 * Roles the actor holds over `unitId`. A grant on the unit or on any unit above it (as the tree
 * is today) covers it; system_admin covers everything. Two rules for closed units:
 * - a grant on a unit that is closed today gives nothing (the principal of a closed school, the
 *   officer of an abolished district office);
 * - a closed unit is read, as history, only by the offices above it on its last day (and the
 *   system administrator): school roles held there no longer count.
 * `strictlyBelow`: a grant on the unit itself does not count, only grants above it.
 */
export async function unitAccess(db: Db, actor: Actor, unitId: string, opts: { strictlyBelow?: boolean } = {}): Promise<UnitAccess> {
  const roles = new Set<Role>();
  if (actor.grants.length === 0) return { roles, closedOn: null };
  const target = await placementOf(db, unitId, actor.treeVersion);
  const closed = target.state === 'closed';
  for (const g of actor.grants) {
    if (g.role === 'system_admin') {
      roles.add(g.role);
      continue;
    }
    if (!target.chain.has(g.orgUnitId)) continue;
    // Some acts are only for those above a unit: a Sở reshapes the units below it, not itself.
    if (opts.strictlyBelow && g.orgUnitId === unitId) continue;
    if (closed && !OFFICE_ROLES.includes(g.role)) continue;
    const grantUnit = g.orgUnitId === unitId ? target : await placementOf(db, g.orgUnitId, actor.treeVersion);
    if (grantUnit.state === 'closed') continue;
    roles.add(g.role);
  }
  return { roles, closedOn: target.closedOn };
}

export async function rolesOver(db: Db, actor: Actor, unitId: string): Promise<Set<Role>> {
  return (await unitAccess(db, actor, unitId)).roles;
}

export function hasAny(held: Set<Role>, wanted: readonly Role[]): boolean {
  return wanted.some((r) => held.has(r));
}

/** The refusal for a change to a closed unit, given to callers who may still read it. */
export function unitClosedError(closedOn: string) {
  return conflict(
    'unit_closed',
    `Đơn vị này đã ngừng hoạt động từ ngày ${formatVnDate(closedOn)}: dữ liệu chỉ còn để tra cứu, không thay đổi được.`,
  );
}

/**
 * Throws 404 (never 403) when the actor has none of `roles` over the unit: a school outside
 * one's scope must look the same as a school that does not exist.
 */
export async function requireRolesOver(db: Db, actor: Actor, unitId: string, roles: readonly Role[]): Promise<Set<Role>> {
  const held = await rolesOver(db, actor, unitId);
  if (!hasAny(held, roles)) throw notFound();
  return held;
}

/** What a teacher-only actor may see in a school: their homeroom and taught classes this year. */
export async function teacherClassIds(db: Db, actor: Actor, schoolId: string, year: number): Promise<string[]> {
  if (!actor.staff || actor.staff.schoolId !== schoolId) return [];
  return classIdsTaughtBy(db, schoolId, year, actor.staff.staffId);
}

/** Full view of a school (managers and offices) vs. a teacher's view limited to their classes. */
export type SchoolView = { kind: 'full' } | { kind: 'teacher'; classIds: string[] };

export async function schoolView(db: Db, held: Set<Role>, actor: Actor, schoolId: string, year: number): Promise<SchoolView> {
  if (hasAny(held, ['system_admin', 'province_officer', 'district_officer', 'principal', 'school_staff'])) {
    return { kind: 'full' };
  }
  return { kind: 'teacher', classIds: await teacherClassIds(db, actor, schoolId, year) };
}

/** Parents see their own children only: the guardian row links the account to the student. */
export async function isGuardianOf(db: Db, actor: Actor, schoolId: string, studentId: string): Promise<boolean> {
  return hasGuardianLink(db, schoolId, studentId, actor.userId);
}
