import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';
import type { Actor } from './actor.js';
import { notFound } from './errors.js';
import { ancestorsOrSelf, todayIso } from './org-tree.js';
import { cachePerDb } from './versioned-cache.js';

type Db = Kysely<Database>;

/**
 * Roles the actor holds over `unitId`: a grant on the unit or on any unit above it (as the tree
 * is today) covers it. system_admin covers everything.
 */
const chainCache = cachePerDb<Set<string>>(5000);

/** The unit and its ancestors today, cached per org-tree version (every request asks this). */
async function chainToday(db: Db, unitId: string, version: number): Promise<Set<string>> {
  const today = todayIso();
  const key = `${unitId}|${today}`;
  const cache = chainCache(db);
  const hit = cache.get(key, version);
  if (hit) return hit;
  const chain = new Set(await ancestorsOrSelf(db, unitId, today));
  cache.set(key, version, chain);
  return chain;
}

export async function rolesOver(db: Db, actor: Actor, unitId: string): Promise<Set<Role>> {
  const held = new Set<Role>();
  if (actor.grants.length === 0) return held;
  let chain = await chainToday(db, unitId, actor.treeVersion);
  if (chain.size === 0) {
    // A closed unit (an abolished district office) is judged by the tree on its last day, so the
    // province that held it can still read its history.
    const last = await db
      .selectFrom('org_unit_version')
      .select('valid_from')
      .where('unit_id', '=', unitId)
      .orderBy('valid_from', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last) chain = new Set(await ancestorsOrSelf(db, unitId, last.valid_from));
  }
  for (const g of actor.grants) {
    if (g.role === 'system_admin' || chain.has(g.orgUnitId)) held.add(g.role);
  }
  return held;
}

export function hasAny(held: Set<Role>, wanted: readonly Role[]): boolean {
  return wanted.some((r) => held.has(r));
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
  const staffId = actor.staff.staffId;
  const rows = await db
    .selectFrom('class')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('year', '=', year)
    .where('homeroom_teacher_id', '=', staffId)
    .union(
      db
        .selectFrom('teaching_assignment')
        .select('class_id as id')
        .where('school_id', '=', schoolId)
        .where('year', '=', year)
        .where('staff_id', '=', staffId),
    )
    .execute();
  return rows.map((r) => r.id);
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
  const row = await db
    .selectFrom('guardian')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('student_id', '=', studentId)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  return row !== undefined;
}
