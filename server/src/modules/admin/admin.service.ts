import type { Kysely } from 'kysely';
import { TEACHER_ROLES, USER_MANAGER_ROLES } from '../../../../contracts/roles.js';
import type { TUser } from '../../../../contracts/admin.js';
import { compareVietnameseText, isoToday } from '../../../../domain/index.js';
import type { Database, OrgUnitKind, Role } from '../../db/schema.js';
import { hasAny, rolesOver } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { writeAccountEvent, writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, isUniqueViolation, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { readingDate } from '../../platform/org-tree.js';
import { subtreeIds } from '../../platform/org-tree.repo.js';
import { hashPassword, passwordProblem } from '../../platform/passwords.js';
import { clearThrottle } from '../../platform/login-throttle.js';
import { destroyUserSessions } from '../../platform/sessions.js';
import { nameSearch, rankedBySearch } from '../../platform/name-search.js';
import {
  deleteGrant,
  findCurrentStudentInSchool,
  findStaffInSchool,
  findUser,
  findUserByUsername,
  firstGrantUnit,
  grantsOfUsers,
  insertGrant,
  insertUser,
  setTemporaryPassword,
  unitVersions,
  userLinkedTo,
  usersWithGrantsIn,
} from './admin.repo.js';

type Db = Kysely<Database>;

/** Roles that manage accounts below their unit. */
// Shared with the web app's route table (contracts/roles.ts).
export { USER_MANAGER_ROLES };

/**
 * How much power a role carries. A caller grants only roles strictly below their own rank over
 * the unit (a principal creates teachers, parents, students; a Sở officer creates Phòng/xã
 * officers and principals); only a system administrator creates another one.
 */
export const ROLE_RANK: Record<Role, number> = {
  system_admin: 4,
  province_officer: 3,
  district_officer: 2,
  principal: 1,
  homeroom_teacher: 0,
  subject_teacher: 0,
  school_staff: 0,
  parent: 0,
  student: 0,
};

export const ROLE_LABEL: Record<Role, string> = {
  system_admin: 'Quản trị hệ thống',
  province_officer: 'Chuyên viên Sở GD&ĐT',
  district_officer: 'Chuyên viên Phòng GD&ĐT / UBND xã',
  principal: 'Hiệu trưởng',
  homeroom_teacher: 'Giáo viên chủ nhiệm',
  subject_teacher: 'Giáo viên bộ môn',
  school_staff: 'Nhân viên trường',
  parent: 'Cha mẹ học sinh',
  student: 'Học sinh',
};

const KIND_LABEL: Record<OrgUnitKind, string> = {
  ministry: 'Bộ GD&ĐT',
  province_office: 'Sở GD&ĐT',
  district_office: 'Phòng GD&ĐT',
  commune_office: 'UBND xã',
  school: 'trường',
  school_site: 'điểm trường',
};

/** Which kind of unit each role is granted on. */
const ROLE_UNIT_KINDS: Record<Role, OrgUnitKind[]> = {
  system_admin: ['ministry'],
  province_officer: ['ministry', 'province_office'],
  district_officer: ['district_office', 'commune_office'],
  principal: ['school'],
  homeroom_teacher: ['school'],
  subject_teacher: ['school'],
  school_staff: ['school'],
  parent: ['school'],
  student: ['school'],
};

const STAFF_ROLES: Role[] = ['principal', 'school_staff', 'homeroom_teacher', 'subject_teacher'];

const rankOf = (held: Iterable<Role>) => Math.max(-1, ...[...held].map((r) => ROLE_RANK[r]));

const toIso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());

// ---------------------------------------------------------------- presenting users

type UnitInfo = { name: string; kind: OrgUnitKind; openToday: boolean };

/** Unit names as they are today; a closed unit keeps its last name. */
async function unitInfo(db: Db, unitIds: string[]): Promise<Map<string, UnitInfo>> {
  const today = isoToday();
  const result = new Map<string, UnitInfo>();
  for (const v of await unitVersions(db, [...new Set(unitIds)])) {
    const open = v.valid_from <= today && (v.valid_to === null || v.valid_to > today);
    const seen = result.get(v.unit_id);
    // Versions come oldest first: keep the open one, else the latest one that has begun.
    if (seen?.openToday) continue;
    if (open || !seen || v.valid_from <= today) result.set(v.unit_id, { name: v.name, kind: v.kind, openToday: open });
  }
  return result;
}

type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;
type GrantRow = Awaited<ReturnType<typeof grantsOfUsers>>[number];

function presentUser(u: UserRow, grants: GrantRow[], units: Map<string, UnitInfo>, visible?: Set<string>): TUser {
  const shown = visible ? grants.filter((g) => visible.has(g.org_unit_id)) : grants;
  const lockedUntil = toIso(u.locked_until);
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    isActive: u.is_active,
    // A lock that has run out is no lock.
    lockedUntil: lockedUntil && lockedUntil > new Date().toISOString() ? lockedUntil : null,
    lastLoginAt: toIso(u.last_login_at),
    grants: shown.map((g) => ({ id: g.id, role: g.role, orgUnitId: g.org_unit_id, orgUnitName: units.get(g.org_unit_id)?.name ?? '(đơn vị đã đóng)' })),
    mustChangePassword: u.must_change_password,
    hasGrantsElsewhere: shown.length < grants.length,
  };
}

async function loadUser(db: Db, userId: string): Promise<TUser> {
  const user = await findUser(db, userId);
  if (!user) throw notFound('Không tìm thấy tài khoản.');
  const grants = await grantsOfUsers(db, [userId]);
  return presentUser(user, grants, await unitInfo(db, grants.map((g) => g.org_unit_id)));
}

/**
 * Accounts with a role on the unit or below it (today's tree; a closed unit's tree on its last
 * day), by display name in Vietnamese order.
 */
export async function listUsers(db: Db, query: { unitId: string; q?: string }): Promise<TUser[]> {
  const unitIds = await subtreeIds(db, query.unitId, await readingDate(db, query.unitId, isoToday()));
  const users = await usersWithGrantsIn(db, unitIds, nameSearch(query.q));
  const grants = await grantsOfUsers(db, users.map((u) => u.id));
  const byUser = new Map<string, GrantRow[]>();
  for (const g of grants) byUser.set(g.user_id, [...(byUser.get(g.user_id) ?? []), g]);
  const visible = new Set(unitIds);
  const units = await unitInfo(db, grants.filter((g) => visible.has(g.org_unit_id)).map((g) => g.org_unit_id));
  const listed = users
    .map((u) => presentUser(u, byUser.get(u.id) ?? [], units, visible))
    .sort((a, b) => compareVietnameseText(a.displayName, b.displayName) || a.username.localeCompare(b.username));
  return rankedBySearch(listed, query.q, (u) => ({ fullName: u.displayName, codes: [u.username] }));
}

// ---------------------------------------------------------------- who may grant and manage what

/**
 * The caller may give `role` on `unitId`: they manage the unit (else 404, as if it did not
 * exist), the role ranks below theirs there (403) and the role fits the kind of unit (400).
 */
async function assertCanGrant(db: Db, actor: Actor, role: Role, unitId: string, held?: Set<Role>) {
  const roles = held ?? (await rolesOver(db, actor, unitId));
  if (!hasAny(roles, USER_MANAGER_ROLES)) throw notFound();
  if (!roles.has('system_admin')) {
    if (role === 'system_admin') {
      throw new AppError(403, 'role_too_high', 'Chỉ quản trị hệ thống mới cấp được vai trò "Quản trị hệ thống".');
    }
    const mine = [...roles].filter((r) => USER_MANAGER_ROLES.includes(r)).sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])[0];
    if (ROLE_RANK[role] >= ROLE_RANK[mine]) {
      throw new AppError(
        403,
        'role_too_high',
        `Bạn không thể cấp vai trò "${ROLE_LABEL[role]}": với vai trò "${ROLE_LABEL[mine]}", bạn chỉ cấp được các vai trò thấp hơn. Hãy đề nghị cấp trên tạo tài khoản này.`,
      );
    }
  }
  const unit = (await unitInfo(db, [unitId])).get(unitId);
  if (!unit?.openToday) throw badRequest('unit_closed', 'Đơn vị đã chọn không còn hoạt động. Hãy chọn đơn vị khác.');
  if (!ROLE_UNIT_KINDS[role].includes(unit.kind)) {
    const allowed = ROLE_UNIT_KINDS[role].map((k) => KIND_LABEL[k]).join(' hoặc ');
    throw badRequest(
      'role_unit_mismatch',
      `Vai trò "${ROLE_LABEL[role]}" chỉ cấp được tại ${allowed}; đơn vị đã chọn (${unit.name}) là ${KIND_LABEL[unit.kind]}.`,
    );
  }
  return unit;
}

/** The unit the access hook checks first for /users/:userId/…: that of the account's oldest grant. */
export async function unitOfAccount(db: Db, userId: string): Promise<string | null> {
  return firstGrantUnit(db, userId);
}

/**
 * The caller manages the account: they hold a manager role over EVERY unit the account has a
 * role on (else 404), ranked above each of those roles (403). A principal cannot take over a
 * Sở officer who also teaches in their school, nor another principal.
 */
export async function assertCanManageUser(db: Db, actor: Actor, userId: string) {
  const user = await findUser(db, userId);
  if (!user) throw notFound('Không tìm thấy tài khoản.');
  const grants = await grantsOfUsers(db, [userId]);
  if (grants.length === 0) throw notFound('Không tìm thấy tài khoản.');
  for (const g of grants) {
    const held = await rolesOver(db, actor, g.org_unit_id);
    if (!hasAny(held, USER_MANAGER_ROLES)) throw notFound('Không tìm thấy tài khoản.');
    if (!held.has('system_admin') && ROLE_RANK[g.role] >= rankOf(held)) {
      throw new AppError(
        403,
        'user_too_high',
        `Bạn không thể quản lý tài khoản ${user.username} vì tài khoản có vai trò "${ROLE_LABEL[g.role]}", ngang hoặc cao hơn vai trò của bạn. Hãy liên hệ cấp trên.`,
      );
    }
  }
  return { user, grants };
}

/** Staff and student links must point into the school the role is granted on. */
async function checkLinks(
  db: Db,
  role: Role,
  schoolId: string,
  kind: OrgUnitKind,
  links: { staffId?: string; studentId?: string },
) {
  if (links.staffId) {
    if (!STAFF_ROLES.includes(role) || kind !== 'school') {
      throw badRequest('staff_link_not_allowed', `Chỉ tài khoản cán bộ, giáo viên của trường mới gắn được với hồ sơ cán bộ (vai trò đang chọn: ${ROLE_LABEL[role]}).`);
    }
    const staff = await findStaffInSchool(db, schoolId, links.staffId);
    if (!staff) throw badRequest('staff_not_in_school', 'Cán bộ, giáo viên đã chọn không thuộc trường này. Hãy chọn lại.');
    if (staff.status !== 'active') throw badRequest('staff_left', 'Cán bộ, giáo viên đã chọn đã nghỉ công tác, không thể tạo tài khoản.');
    const other = await userLinkedTo(db, { staff: { schoolId, staffId: links.staffId } });
    if (other) throw conflict('staff_has_account', `Cán bộ, giáo viên này đã có tài khoản "${other.username}". Hãy dùng tài khoản đó.`);
  } else if (TEACHER_ROLES.includes(role)) {
    throw badRequest('staff_required', 'Tài khoản giáo viên phải gắn với một cán bộ, giáo viên trong danh sách của trường. Hãy chọn giáo viên.');
  }
  if (links.studentId) {
    if (role !== 'student') {
      throw badRequest('student_link_not_allowed', `Chỉ tài khoản học sinh mới gắn được với hồ sơ học sinh (vai trò đang chọn: ${ROLE_LABEL[role]}).`);
    }
    const student = await findCurrentStudentInSchool(db, schoolId, links.studentId);
    if (!student) throw badRequest('student_not_in_school', 'Học sinh đã chọn không đang học tại trường này. Hãy chọn lại.');
    const other = await userLinkedTo(db, { student: { schoolId, studentId: links.studentId } });
    if (other) throw conflict('student_has_account', `Học sinh này đã có tài khoản "${other.username}". Hãy dùng tài khoản đó.`);
  } else if (role === 'student') {
    throw badRequest('student_required', 'Tài khoản học sinh phải gắn với một học sinh đang học tại trường. Hãy chọn học sinh.');
  }
}

// ---------------------------------------------------------------- writes

export type CreateUserInput = {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  orgUnitId: string;
  staffId?: string;
  studentId?: string;
};

export async function createUser(db: Db, actor: Actor, held: Set<Role>, input: CreateUserInput): Promise<TUser> {
  const unit = await assertCanGrant(db, actor, input.role, input.orgUnitId, held);
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest('weak_password', problem);
  await checkLinks(db, input.role, input.orgUnitId, unit.kind, input);
  const taken = () => conflict('username_taken', `Tên đăng nhập "${input.username}" đã được dùng. Hãy chọn tên khác.`);
  if (await findUserByUsername(db, input.username)) throw taken();
  const passwordHash = await hashPassword(input.password);
  const id = newId();
  const grantId = newId();
  const staffId = input.staffId ?? null;
  const studentId = input.studentId ?? null;
  try {
    await db.transaction().execute(async (trx) => {
      await insertUser(trx, {
        id,
        username: input.username,
        password_hash: passwordHash,
        display_name: input.displayName,
        staff_school_id: staffId ? input.orgUnitId : null,
        staff_id: staffId,
        student_school_id: studentId ? input.orgUnitId : null,
        student_id: studentId,
        // The person chooses their own password at first sign-in.
        must_change_password: true,
        locked_until: null,
        last_login_at: null,
      });
      await insertGrant(trx, { id: grantId, userId: id, role: input.role, orgUnitId: input.orgUnitId });
      // Never the password or its hash.
      await writeAudit(trx, actor, {
        action: 'user.create',
        entity: 'app_user',
        entityId: id,
        orgUnitId: input.orgUnitId,
        after: {
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          orgUnitId: input.orgUnitId,
          staffId,
          studentId,
          mustChangePassword: true,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  return loadUser(db, id);
}

export async function addGrant(db: Db, actor: Actor, userId: string, input: { role: Role; orgUnitId: string }): Promise<TUser> {
  const { user, grants } = await assertCanManageUser(db, actor, userId);
  const unit = await assertCanGrant(db, actor, input.role, input.orgUnitId);
  if (grants.some((g) => g.role === input.role && g.org_unit_id === input.orgUnitId)) {
    throw conflict('grant_exists', `Tài khoản ${user.username} đã có vai trò "${ROLE_LABEL[input.role]}" tại ${unit.name}.`);
  }
  if (TEACHER_ROLES.includes(input.role) && user.staff_school_id !== input.orgUnitId) {
    throw badRequest(
      'staff_required',
      `Vai trò "${ROLE_LABEL[input.role]}" chỉ cấp được cho tài khoản gắn với một giáo viên của ${unit.name}.`,
    );
  }
  if (input.role === 'student' && user.student_school_id !== input.orgUnitId) {
    throw badRequest('student_required', `Vai trò "Học sinh" chỉ cấp được cho tài khoản gắn với một học sinh của ${unit.name}.`);
  }
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await insertGrant(trx, { id, userId, role: input.role, orgUnitId: input.orgUnitId });
      await writeAudit(trx, actor, {
        action: 'role_grant.create',
        entity: 'role_grant',
        entityId: id,
        orgUnitId: input.orgUnitId,
        after: { userId, username: user.username, role: input.role, orgUnitId: input.orgUnitId },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw conflict('grant_exists', `Tài khoản ${user.username} đã có vai trò "${ROLE_LABEL[input.role]}" tại ${unit.name}.`);
    }
    throw err;
  }
  return loadUser(db, userId);
}

export async function removeGrant(db: Db, actor: Actor, userId: string, grantId: string): Promise<TUser> {
  const { user, grants } = await assertCanManageUser(db, actor, userId);
  const grant = grants.find((g) => g.id === grantId);
  if (!grant) throw notFound('Không tìm thấy vai trò này của tài khoản.');
  if (grants.length === 1) {
    throw conflict(
      'last_grant',
      `Không thể xóa vai trò cuối cùng của tài khoản ${user.username}. Nếu người này không còn làm việc, hãy đổi mật khẩu hoặc vô hiệu hóa tài khoản.`,
    );
  }
  await db.transaction().execute(async (trx) => {
    await deleteGrant(trx, userId, grantId);
    await writeAudit(trx, actor, {
      action: 'role_grant.delete',
      entity: 'role_grant',
      entityId: grantId,
      orgUnitId: grant.org_unit_id,
      before: { userId, username: user.username, role: grant.role, orgUnitId: grant.org_unit_id },
    });
  });
  return loadUser(db, userId);
}

export async function resetPassword(db: Db, actor: Actor, userId: string, newPassword: string) {
  const { user } = await assertCanManageUser(db, actor, userId);
  const problem = passwordProblem(newPassword);
  if (problem) throw badRequest('weak_password', problem);
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await setTemporaryPassword(trx, userId, hash);
    // Whoever is signed in with the old password is signed out now; its sign-in locks go.
    await destroyUserSessions(trx, userId);
    await clearThrottle(trx, user.username);
    await writeAccountEvent(trx, actor, userId, {
      action: 'user.reset_password',
      before: { username: user.username, mustChangePassword: user.must_change_password, lockedUntil: toIso(user.locked_until) },
      after: { username: user.username, mustChangePassword: true, lockedUntil: null, sessionsEnded: true },
    });
  });
  return { ok: true };
}

/**
 * Lifts every sign-in lock of the account: each (name, client) pair, the per-account back-off and
 * the change-password lock, in this process at once and in the others within seconds (login-locks.ts).
 */
export async function unlockUser(db: Db, actor: Actor, userId: string) {
  const { user } = await assertCanManageUser(db, actor, userId);
  await db.transaction().execute(async (trx) => {
    await clearThrottle(trx, user.username);
    await writeAccountEvent(trx, actor, userId, {
      action: 'user.unlock',
      before: { username: user.username, lockedUntil: toIso(user.locked_until) },
      after: { username: user.username, lockedUntil: null },
    });
  });
  return { ok: true };
}
