import type { Insertable } from 'kysely';
import type { GuardianTable, RoleGrantTable } from '../db/schema.js';
import { newId } from '../platform/ids.js';
import { fullNameOf, makeName } from './demo-names.js';
import { type DemoBuild, type SchoolPlan, personFields, planned } from './demo-plan.js';
import { LOCALITIES, PROVINCE } from './demo-province.js';
import { guardian } from './demo-students.js';

/**
 * The preschool school of gvmn.demo: the first school teaching preschool only in the demo school's
 * commune (so phong.demo oversees it too), else the first anywhere; undefined in a plan without one.
 */
export function demoPreschoolSchool(build: DemoBuild): SchoolPlan | undefined {
  const only = build.schools.filter((s) => s.levels.length === 1 && s.levels[0] === 'preschool');
  const demo = build.demoSchool();
  return only.find((s) => s.loc === demo.loc) ?? only[0];
}

/** One account per demo role (README.md lists them) and a principal account for every other school. */
export function buildAccounts(build: DemoBuild): void {
  const demo = build.demoSchool();
  const demoCommune = build.communeIds[LOCALITIES.indexOf(demo.loc)];
  const preschool = demoPreschoolSchool(build);
  const staffById = new Map(build.rows.staff.filter((r) => r.school_id === demo.id || r.school_id === preschool?.id).map((r) => [r.id, r]));
  const nameOfStaff = (id: string): string => {
    const r = planned(staffById.get(id), `staff ${id} of the demo school`);
    return fullNameOf({ familyName: r.family_name, middleName: r.middle_name ?? '', givenName: r.given_name });
  };
  const account = (
    username: string,
    displayName: string,
    role: Insertable<RoleGrantTable>['role'],
    unitId: string,
    link: { staffSchoolId?: string; staffId?: string; studentSchoolId?: string; studentId?: string } = {},
  ): string => {
    const id = newId();
    build.rows.users.push({
      id,
      username,
      password_hash: '', // set by seedDemo once the single hash is ready
      display_name: displayName,
      staff_school_id: link.staffSchoolId ?? null,
      staff_id: link.staffId ?? null,
      student_school_id: link.studentSchoolId ?? null,
      student_id: link.studentId ?? null,
    });
    build.rows.grants.push({ id: newId(), user_id: id, role, org_unit_id: unitId });
    return id;
  };

  account('admin', 'Quản trị hệ thống', 'system_admin', build.ministryId);
  account('so.demo', `Chuyên viên Sở GD&ĐT ${PROVINCE} (demo)`, 'province_officer', build.provinceId);
  account('phong.demo', `Cán bộ Phòng Văn hóa–Xã hội ${demo.loc.commune} (demo)`, 'district_officer', demoCommune);
  account('hieutruong.demo', demo.principalName, 'principal', demo.id, { staffSchoolId: demo.id, staffId: demo.principalId });

  const class6A1 = planned(demo.classes.find((c) => c.name === '6A1'), 'class 6A1 of the demo school');
  const homeroomId = planned(class6A1.homeroomId, 'homeroom teacher of 6A1');
  account('gvcn.demo', nameOfStaff(homeroomId), 'homeroom_teacher', demo.id, { staffSchoolId: demo.id, staffId: homeroomId });

  const mathTeacher = planned(build.teachersBySchool.get(demo.id)?.find((t) => t.noHomeroom && t.group === 'toan'), 'a maths teacher without a class');
  account('gv.demo', nameOfStaff(mathTeacher.id), 'subject_teacher', demo.id, { staffSchoolId: demo.id, staffId: mathTeacher.id });

  // A preschool teacher (giáo viên mầm non): the class teacher of the first 5-year-old class of the preschool school.
  if (preschool) {
    const cls = planned(preschool.classes.find((c) => c.ageGroup === '06'), `a 5-year-old class of ${preschool.name}`);
    const teacherId = planned(cls.homeroomId, `the teacher of ${cls.name}`);
    account('gvmn.demo', nameOfStaff(teacherId), 'homeroom_teacher', preschool.id, { staffSchoolId: preschool.id, staffId: teacherId });
    // A preschool child's parent: the mother of one child of that class (evaluated and measured by the demo's fill).
    const preschoolChildIds = new Set(cls.studentRows.map((r) => r.id));
    let preschoolMother = build.rows.guardians.find((g) => g.relation === 'mother' && preschoolChildIds.has(g.student_id));
    if (!preschoolMother) {
      const child = planned(cls.studentRows[0], `a child of ${cls.name}`);
      preschoolMother = guardian(build, child, 'mother', makeName(build.rng, 'female', '01', 'adult'), build.year - 32);
    }
    preschoolMother.user_id = account('phuhuynh.mamnon.demo', preschoolMother.full_name, 'parent', preschool.id);
  }

  // The parent account is the mother of one learner of 6A1, so it sees exactly one child.
  const childIds = new Set(class6A1.studentRows.map((r) => r.id));
  let mother = build.rows.guardians.find((g) => g.relation === 'mother' && childIds.has(g.student_id));
  if (!mother) {
    const child = class6A1.studentRows[0];
    mother = guardian(build, child, 'mother', makeName(build.rng, 'female', '01', 'adult'), build.year - 40);
  }
  mother.user_id = account('phuhuynh.demo', mother.full_name, 'parent', demo.id);
  demoSibling(build, mother);
  // That child's own read-only account (a student from grade 6): "Con của tôi" shows the student their own record.
  const child = planned(class6A1.studentRows.find((r) => r.id === mother.student_id), 'the 6A1 child of phuhuynh.demo');
  account('hocsinh.demo', fullNameOf({ familyName: child.family_name, middleName: child.middle_name ?? '', givenName: child.given_name }), 'student', demo.id, {
    studentSchoolId: demo.id,
    studentId: child.id,
  });

  // A primary school's principal and homeroom teacher (TT27 gradebook, qualities and competencies):
  // a primary-only school of the demo school's commune, else the province's first.
  const primarySchool = primaryDemoSchool(build);
  const class4 = planned(primarySchool.classes.find((c) => c.grade === 4 && !c.isMultiGrade && c.homeroomId), `a grade 4 class of ${primarySchool.name}`);
  const primaryStaff = new Map(build.rows.staff.filter((r) => r.school_id === primarySchool.id).map((r) => [r.id, r]));
  const primaryTeacher = planned(primaryStaff.get(planned(class4.homeroomId, 'homeroom teacher of the grade 4 class')), 'the grade 4 homeroom teacher');
  account('hieutruong.tieuhoc.demo', primarySchool.principalName, 'principal', primarySchool.id, { staffSchoolId: primarySchool.id, staffId: primarySchool.principalId });
  account(
    'gvcn.tieuhoc.demo',
    fullNameOf({ familyName: primaryTeacher.family_name, middleName: primaryTeacher.middle_name ?? '', givenName: primaryTeacher.given_name }),
    'homeroom_teacher',
    primarySchool.id,
    { staffSchoolId: primarySchool.id, staffId: primaryTeacher.id },
  );

  for (const s of build.schools) {
    if (s.isDemo || s === primarySchool) continue;
    account(`ht.${s.code}`, s.principalName, 'principal', s.id, { staffSchoolId: s.id, staffId: s.principalId });
  }
}

/**
 * A younger or older sibling of phuhuynh.demo's child in another class of the demo school (the
 * first learner of 8A1): same family name, and a mother row with the same name, phone and year of
 * birth as phuhuynh.demo's — without an account yet, so the demo shows linking a second child with
 * a printed activation code (issue 11). No random draws: the rest of the demo stays as it was.
 */
function demoSibling(build: DemoBuild, mother: Insertable<GuardianTable>): void {
  const demo = build.demoSchool();
  const child = planned(build.rows.students.find((r) => r.id === mother.student_id), 'the child of phuhuynh.demo');
  const cls = demo.classes.find((c) => c.name === '8A1' && c.studentRows.length > 0);
  const sibling = cls?.studentRows[0];
  if (!sibling) return;
  Object.assign(sibling, personFields({ familyName: child.family_name, middleName: sibling.middle_name ?? '', givenName: sibling.given_name }));
  const same = { full_name: mother.full_name, phone: mother.phone, birth_year: mother.birth_year, user_id: null };
  const existing = build.rows.guardians.find((g) => g.student_id === sibling.id && g.relation === 'mother');
  if (existing) Object.assign(existing, same);
  else build.rows.guardians.push({ school_id: sibling.school_id, id: newId(), student_id: sibling.id, relation: 'mother', email: null, occupation: mother.occupation ?? null, ...same });
  // The father too, when both children have one on record.
  const father = build.rows.guardians.find((g) => g.student_id === child.id && g.relation === 'father');
  const siblingFather = build.rows.guardians.find((g) => g.student_id === sibling.id && g.relation === 'father');
  if (father && siblingFather) Object.assign(siblingFather, { full_name: father.full_name, phone: father.phone, birth_year: father.birth_year });
}

/** The primary school the demo's primary accounts belong to: primary only, in the demo school's commune if one is. */
export function primaryDemoSchool(build: DemoBuild): SchoolPlan {
  const demo = build.demoSchool();
  const primaryOnly = build.schools.filter((s) => s.levels.length === 1 && s.levels[0] === 'primary' && s.classes.some((c) => c.grade === 4 && !c.isMultiGrade && c.homeroomId));
  return planned(primaryOnly.find((s) => s.loc === demo.loc) ?? primaryOnly[0], 'a primary school');
}
