/**
 * Demo province: one Sở, its (abolished) district offices, the commune offices that took over
 * on 1/7/2025, ~30 schools with classes, staff, teaching assignments, ~20,000 students with
 * guardians, and demo accounts for every role.
 *
 * Deterministic: everything except the UUIDs (newId() is time-based by design) comes from one
 * seeded PRNG, so the same options give the same names, dates, codes and class lists.
 *
 * Speed: all rows are built in memory first and then written in ONE transaction with
 * multi-row inserts of ~1000 rows. PGlite is a single connection behind a WASM bridge where
 * every statement is a round trip, so per-row inserts would take minutes instead of seconds.
 *
 * The parts, one file each: demo-province.ts (the invented places and school mix),
 * demo-org-tree.ts (offices), demo-schools.ts (schools, sites, classes), demo-staff.ts (staff,
 * homeroom teachers, teaching assignments), demo-students.ts (students, guardians, histories),
 * demo-accounts.ts (the demo logins); demo-plan.ts holds what they share and demo.repo.ts
 * writes the rows.
 */
import type { Kysely } from 'kysely';
import { isoToday, schoolYearOf } from '../../../domain/index.js';
import type { Database } from '../db/schema.js';
import { hashPassword } from '../platform/passwords.js';
import { buildAccounts } from './demo-accounts.js';
import { planDemoGradebook } from './demo-gradebook.js';
import { queueDemoGradebook } from './demo-gradebook.repo.js';
import { buildOffices } from './demo-org-tree.js';
import { DemoBuild } from './demo-plan.js';
import { enterBulkLoadMode, hasOrgUnitWithCode, insertAll, leaveBulkLoadMode, validateForeignKeys } from './demo.repo.js';
import { addClassRows, addSchoolUnit, planSchools } from './demo-schools.js';
import { buildStaff } from './demo-staff.js';
import { buildHistories, buildStudents } from './demo-students.js';

export const DEFAULT_DEMO_STUDENTS = 20000;
export const DEFAULT_DEMO_SEED = 2025;

export type DemoSummary = { schools: number; students: number; staff: number; classes: number; users: number; ms: number };

export type SeedDemoOptions = {
  students: number;
  password: string;
  seed?: number;
  schoolYear?: number;
  /** The day the demo's gradebook is "as of" (absences up to the day before); today in Vietnam by default. */
  today?: string;
};

/**
 * Builds every row in memory. The parts draw from one random source, so this order is part of
 * the output: changing it changes every name, date and code after the change.
 */
function buildDemo(seed: number, year: number, totalStudents: number): DemoBuild {
  const build = new DemoBuild(seed, year, totalStudents);
  buildOffices(build);
  planSchools(build);
  for (const school of build.schools) {
    addSchoolUnit(build, school);
    buildStaff(build, school);
    addClassRows(build, school);
  }
  for (const school of build.schools) buildStudents(build, school);
  buildHistories(build);
  buildAccounts(build);
  return build;
}

/** The school year in progress today in Vietnam (a year starts in September). */
export function currentSchoolYear(now: Date = new Date()): number {
  return schoolYearOf(isoToday(now));
}

/**
 * Seeds a demo province into an empty database (the org tree codes and usernames are fixed,
 * so a second run into the same database fails on the unique constraints and rolls back).
 */
export async function seedDemo(db: Kysely<Database>, opts: SeedDemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  if (!Number.isInteger(opts.students) || opts.students < 100) {
    throw new RangeError(`Số học sinh demo phải là số nguyên ≥ 100 (nhận ${opts.students})`);
  }
  const year = opts.schoolYear ?? currentSchoolYear();
  // Fail fast, before any work; a concurrent second seed would still fail on the unique codes.
  if (await hasOrgUnitWithCode(db, 'BO')) throw new Error('Đã có dữ liệu demo (đơn vị mã BO) trong CSDL; không nạp lại.');
  // Hash the demo password ONCE and give every demo account the same hash: argon2id costs
  // ~40 ms per hash by design, so ~40 accounts hashed one by one would eat the time budget.
  // (One shared salt+hash is acceptable for demo accounts only.) The hash runs on the libuv
  // thread pool while the rows are built.
  const hashing = hashPassword(opts.password);
  const builder = buildDemo(opts.seed ?? DEFAULT_DEMO_SEED, year, opts.students);
  const passwordHash = await hashing;
  for (const u of builder.rows.users) u.password_hash = passwordHash;
  const r = builder.rows;

  await db.transaction().execute(async (trx) => {
    const unchecked = await enterBulkLoadMode(trx);
    await insertAll(trx, 'org_unit', r.orgUnits);
    await insertAll(trx, 'org_unit_version', r.versions);
    await insertAll(trx, 'school_year', r.schoolYears);
    await insertAll(trx, 'staff', r.staff);
    await insertAll(trx, 'class', r.classes);
    await insertAll(trx, 'student', r.students);
    await insertAll(trx, 'guardian', r.guardians);
    await insertAll(trx, 'enrolment', r.enrolments);
    await insertAll(trx, 'student_event', r.events);
    await insertAll(trx, 'teaching_assignment', r.assignments);
    await insertAll(trx, 'app_user', r.users);
    await insertAll(trx, 'role_grant', r.grants);
    // The gradebook is filled after this, by fillDemoGradebook (demo-gradebook.ts): queued here so
    // that a demo province never exists without its fill to come.
    await queueDemoGradebook(trx, planDemoGradebook(builder, opts.today));
    if (unchecked) {
      await validateForeignKeys(trx);
      await leaveBulkLoadMode(trx);
    }
  });

  return {
    schools: r.orgUnits.filter((u) => u.kind === 'school').length,
    students: r.students.filter((s) => s.is_current).length,
    staff: r.staff.length,
    classes: r.classes.length,
    users: r.users.length,
    ms: Math.round(performance.now() - started),
  };
}
