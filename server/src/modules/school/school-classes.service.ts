import type { TClass } from '../../../../contracts/school.js';
import { compareVietnameseText, isoToday, schoolYearLabel } from '../../../../domain/index.js';
import type { ClassRow, ClassSession, Role } from '../../db/schema.js';
import { type SchoolView, schoolView } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest, conflict, isUniqueViolation, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { buildXlsx } from '../../platform/xlsx-export.js';
import {
  type Db,
  type School,
  type Trx,
  assertInCodeList,
  defaultYear,
  describeGrades,
  personName,
  requireSchool,
  sameName,
} from './school.common.js';
import {
  classNamesOfYear,
  findClass,
  findSchoolYear,
  findUnitOn,
  homeroomClassOf,
  insertClass,
  listClasses,
  lockStaff,
  updateClassFields,
} from './school.repo.js';

type ClassListRow = Awaited<ReturnType<typeof listClasses>>[number];

const SESSION_LABEL: Record<ClassSession, string> = { morning: 'Sáng', afternoon: 'Chiều', full_day: 'Cả ngày' };

/** What the caller may read of each class: the school view, or a teacher's own classes (access.ts `schoolView`). */
export type ClassReader = { view: SchoolView; staffId: string | null };

/** Managers' and offices' reading: every class in full (class creation and edits answer with this). */
const FULL_READER: ClassReader = { view: { kind: 'full' }, staffId: null };

function classAccess(r: ClassListRow, reader: ClassReader): TClass['access'] {
  if (reader.view.kind === 'full') return 'full';
  if (reader.staffId !== null && r.homeroom_teacher_id === reader.staffId) return 'homeroom';
  return reader.view.classIds.includes(r.id) ? 'teaching' : 'none';
}

function presentClass(r: ClassListRow, reader: ClassReader): TClass {
  const access = classAccess(r, reader);
  // A teacher reads the students of their own classes only (decision 0003): a class that is not
  // theirs stays in the school's directory by name, but its counts are not given, so the class
  // list, the student list and the dashboard agree on what the teacher can see.
  const counted = access !== 'none';
  return {
    id: r.id,
    year: r.year,
    name: r.name,
    grade: r.grade,
    ageGroup: r.age_group,
    siteId: r.site_id,
    homeroomTeacherId: r.homeroom_teacher_id,
    homeroomTeacherName: r.homeroom_teacher_id && r.given_name !== null ? personName(r) : null,
    session: r.session,
    isMultiGrade: r.is_multi_grade,
    access,
    studentCount: counted ? Number(r.n ?? 0) : null,
    maleCount: counted ? Number(r.male ?? 0) : null,
    femaleCount: counted ? Number(r.female ?? 0) : null,
  };
}

/** Grade first, then the class name in Vietnamese order with numbers compared as numbers (6A2 < 6A10). */
export const compareClasses = (a: { grade: number; name: string }, b: { grade: number; name: string }) =>
  a.grade - b.grade || compareVietnameseText(a.name, b.name);

/** Who reads the classes of a year: managers and offices the whole school, a teacher their own classes. */
export async function classReader(db: Db, actor: Actor, held: Set<Role>, schoolId: string, year: number): Promise<ClassReader> {
  return { view: await schoolView(db, held, actor, schoolId, year), staffId: actor.staff?.schoolId === schoolId ? actor.staff.staffId : null };
}

export async function getClasses(
  db: Db,
  caller: { actor: Actor; roles: Set<Role> },
  schoolId: string,
  query: { year?: number; grade?: number },
): Promise<TClass[]> {
  await requireSchool(db, schoolId);
  const year = query.year ?? (await defaultYear(db, schoolId));
  const [rows, reader] = await Promise.all([
    listClasses(db, schoolId, { year, grade: query.grade }, isoToday()),
    classReader(db, caller.actor, caller.roles, schoolId, year),
  ]);
  return rows.map((r) => presentClass(r, reader)).sort(compareClasses);
}

async function getClass(db: Db, schoolId: string, classId: string): Promise<TClass> {
  const [row] = await listClasses(db, schoolId, { classId }, isoToday());
  if (!row) throw notFound('Không tìm thấy lớp trong trường.');
  return presentClass(row, FULL_READER);
}

export async function exportClasses(db: Db, caller: { actor: Actor; roles: Set<Role> }, schoolId: string, query: { year?: number; grade?: number }) {
  const school = await requireSchool(db, schoolId);
  const year = query.year ?? (await defaultYear(db, schoolId));
  const classes = await getClasses(db, caller, schoolId, { ...query, year });
  const body = await buildXlsx(
    'Danh sách lớp',
    [
      { header: 'STT', width: 6, value: (r: TClass & { index: number }) => r.index },
      { header: 'Tên lớp', value: (r) => r.name },
      { header: 'Khối', width: 8, value: (r) => (r.grade === 0 ? 'Mầm non' : r.grade) },
      { header: 'Nhóm tuổi', value: (r) => r.ageGroup },
      { header: 'Giáo viên chủ nhiệm', width: 28, value: (r) => r.homeroomTeacherName },
      { header: 'Buổi học', value: (r) => SESSION_LABEL[r.session] },
      { header: 'Lớp ghép', width: 10, value: (r) => (r.isMultiGrade ? 'Có' : '') },
      { header: 'Sĩ số', width: 8, value: (r) => r.studentCount ?? 'Không thuộc lớp bạn dạy' },
      { header: 'Nam', width: 8, value: (r) => r.maleCount },
      { header: 'Nữ', width: 8, value: (r) => r.femaleCount },
    ],
    classes.map((c, i) => ({ ...c, index: i + 1 })),
  );
  return { body, fileName: `Danh sách lớp ${schoolYearLabel(year)} - ${school.name}.xlsx` };
}

type ClassFields = {
  name: string;
  grade: number;
  ageGroup: string | null;
  siteId: string | null;
  homeroomTeacherId: string | null;
  session: ClassSession;
  isMultiGrade: boolean;
};

const cleanClassName = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Rules that do not depend on other classes: grade within the school's levels, age group, site. */
async function checkClassShape(db: Db, school: School, f: ClassFields) {
  if (!school.grades.includes(f.grade)) {
    const what = f.grade === 0 ? 'Lớp mầm non' : `Khối ${f.grade}`;
    throw badRequest('grade_not_in_school_levels', `${what} không thuộc cấp học của trường (trường dạy ${describeGrades(school.grades)}).`);
  }
  if (f.grade === 0) {
    if (!f.ageGroup) throw badRequest('age_group_required', 'Nhóm tuổi: lớp mầm non phải chọn nhóm tuổi — hãy chọn trong danh sách.');
    await assertInCodeList(db, 'DM_NHOM_TUOI_MN', f.ageGroup, 'nhóm tuổi', 'unknown_age_group');
  } else if (f.ageGroup) {
    throw badRequest('age_group_not_allowed', 'Chỉ lớp mầm non mới có nhóm tuổi. Hãy bỏ trống nhóm tuổi cho lớp phổ thông.');
  }
  if (f.siteId) {
    const site = await findUnitOn(db, f.siteId, isoToday());
    if (!site || site.kind !== 'school_site' || site.parent_id !== school.id) {
      throw badRequest('site_not_in_school', 'Điểm trường đã chọn không thuộc trường này. Hãy chọn lại điểm trường.');
    }
  }
}

/** Class names are unique per school and year, whatever their case or spacing. */
async function checkNameFree(trx: Trx, schoolId: string, year: number, name: string, exceptId?: string) {
  const taken = (await classNamesOfYear(trx, schoolId, year)).find((c) => c.id !== exceptId && sameName(c.name, name));
  if (taken) throw conflict('class_name_taken', `Lớp ${taken.name} đã có trong năm học ${schoolYearLabel(year)}.`);
}

/** The homeroom teacher is active staff of this school and leads no other class that year. */
async function checkHomeroom(trx: Trx, schoolId: string, year: number, staffId: string, exceptClassId?: string) {
  const teacher = await lockStaff(trx, schoolId, staffId);
  if (!teacher || teacher.status !== 'active') {
    throw badRequest('homeroom_not_staff', 'Giáo viên chủ nhiệm phải là cán bộ, giáo viên đang công tác tại trường. Hãy chọn lại giáo viên.');
  }
  const other = await homeroomClassOf(trx, schoolId, staffId, year);
  if (other && other.id !== exceptClassId) {
    throw conflict(
      'homeroom_taken',
      `${personName(teacher)} đã là giáo viên chủ nhiệm lớp ${other.name} năm học ${schoolYearLabel(year)}. Mỗi giáo viên chỉ chủ nhiệm một lớp trong một năm học.`,
    );
  }
}

const classSnapshot = (c: Omit<ClassRow, 'created_at'> & { created_at?: unknown }) => {
  const { created_at: _c, ...rest } = c;
  return rest;
};

export async function createClass(db: Db, actor: Actor, schoolId: string, input: ClassFields & { year: number }): Promise<TClass> {
  const school = await requireSchool(db, schoolId);
  if (!(await findSchoolYear(db, schoolId, input.year))) {
    throw badRequest(
      'school_year_missing',
      `Năm học ${schoolYearLabel(input.year)} chưa được khai báo cho trường. Hãy khai báo năm học (ngày bắt đầu, kết thúc các học kì) trước khi tạo lớp.`,
    );
  }
  const fields: ClassFields = { ...input, name: cleanClassName(input.name) };
  await checkClassShape(db, school, fields);
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await checkNameFree(trx, schoolId, input.year, fields.name);
      if (fields.homeroomTeacherId) await checkHomeroom(trx, schoolId, input.year, fields.homeroomTeacherId);
      const values = {
        school_id: schoolId,
        id,
        year: input.year,
        name: fields.name,
        grade: fields.grade,
        age_group: fields.ageGroup,
        site_id: fields.siteId,
        homeroom_teacher_id: fields.homeroomTeacherId,
        session: fields.session,
        is_multi_grade: fields.isMultiGrade,
      };
      await insertClass(trx, values);
      await writeAudit(trx, actor, { action: 'class.create', entity: 'class', entityId: id, orgUnitId: schoolId, after: values });
    });
  } catch (err) {
    // Two people creating the same class at once: the unique index decides, the message stays the same.
    if (isUniqueViolation(err)) throw conflict('class_name_taken', `Lớp ${fields.name} đã có trong năm học ${schoolYearLabel(input.year)}.`);
    throw err;
  }
  return getClass(db, schoolId, id);
}

export async function updateClass(
  db: Db,
  actor: Actor,
  schoolId: string,
  classId: string,
  patch: Partial<{
    name: string;
    grade: number;
    ageGroup: string | null;
    siteId: string | null;
    homeroomTeacherId: string | null;
    session: ClassSession;
    isMultiGrade: boolean;
  }>,
): Promise<TClass> {
  const school = await requireSchool(db, schoolId);
  const current = await findClass(db, schoolId, classId);
  if (!current) throw notFound('Không tìm thấy lớp trong trường.');
  const next: ClassFields = {
    name: patch.name !== undefined ? cleanClassName(patch.name) : current.name,
    grade: patch.grade ?? current.grade,
    ageGroup: patch.ageGroup !== undefined ? patch.ageGroup : current.age_group,
    siteId: patch.siteId !== undefined ? patch.siteId : current.site_id,
    homeroomTeacherId: patch.homeroomTeacherId !== undefined ? patch.homeroomTeacherId : current.homeroom_teacher_id,
    session: patch.session ?? current.session,
    isMultiGrade: patch.isMultiGrade ?? current.is_multi_grade,
  };
  // A preschool class moved to a grade drops its age group instead of failing on it.
  if (patch.grade !== undefined && patch.grade > 0 && patch.ageGroup === undefined) next.ageGroup = null;
  await checkClassShape(db, school, next);
  try {
    await db.transaction().execute(async (trx) => {
      if (next.name !== current.name) await checkNameFree(trx, schoolId, current.year, next.name, classId);
      if (next.homeroomTeacherId && next.homeroomTeacherId !== current.homeroom_teacher_id) {
        await checkHomeroom(trx, schoolId, current.year, next.homeroomTeacherId, classId);
      }
      const set = {
        name: next.name,
        grade: next.grade,
        age_group: next.ageGroup,
        site_id: next.siteId,
        homeroom_teacher_id: next.homeroomTeacherId,
        session: next.session,
        is_multi_grade: next.isMultiGrade,
      };
      await updateClassFields(trx, schoolId, classId, set);
      await writeAudit(trx, actor, {
        action: 'class.update',
        entity: 'class',
        entityId: classId,
        orgUnitId: schoolId,
        before: classSnapshot(current),
        after: { ...classSnapshot(current), ...set },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('class_name_taken', `Lớp ${next.name} đã có trong năm học ${schoolYearLabel(current.year)}.`);
    throw err;
  }
  return getClass(db, schoolId, classId);
}
