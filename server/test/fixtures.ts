import type { Kysely } from 'kysely';
import { nameSortKey, searchFold } from '../../domain/index.js';
import type { Database, Role, SchoolLevel } from '../src/db/schema.js';
import { F, KITS, type SchoolKit, USERNAMES } from './fixture-ids.js';

type Db = Kysely<Database>;

const person = (family: string, middle: string, given: string) => ({
  family_name: family,
  middle_name: middle,
  given_name: given,
  name_sort_key: nameSortKey({ familyName: family, middleName: middle, givenName: given }),
  search_text: searchFold(`${family} ${middle} ${given}`),
});

/** Writes the fixed test province (see fixture-ids.ts). */
export async function loadFixtures(db: Db, passwordHash: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const units: [string, Database['org_unit']['kind'], string | null][] = [
      [F.ministry, 'ministry', 'BO'],
      [F.provinceA, 'province_office', 'SO-A'],
      [F.provinceB, 'province_office', 'SO-B'],
      [F.districtA1, 'district_office', 'PHONG-A1'],
      [F.communeA1, 'commune_office', 'XA-A1'],
      [F.districtB1, 'district_office', 'PHONG-B1'],
      [F.schoolA1, 'school', '01001001'],
      [F.schoolA2, 'school', '01001002'],
      [F.schoolB1, 'school', '02001001'],
      [F.siteA1, 'school_site', '01001001-1'],
      [F.communeA2, 'commune_office', 'XA-A2'],
      [F.districtG, 'district_office', 'PHONG-G'],
      [F.schoolA3, 'school', '01002003'],
      [F.schoolA4, 'school', '01001004'],
      [F.schoolG, 'school', '01001005'],
      [F.schoolM1, 'school', '01002006'],
      [F.schoolM2, 'school', '01001007'],
    ];
    await trx.insertInto('org_unit').values(units.map(([id, kind, code]) => ({ id, kind, code }))).execute();
    const v = (
      unit_id: string,
      name: string,
      parent_id: string | null,
      valid_from = '2020-01-01',
      valid_to: string | null = null,
      extra: { school_levels?: SchoolLevel[]; ownership?: 'public' | 'private' | 'community' } = {},
    ) => ({
      unit_id,
      name,
      parent_id,
      valid_from,
      valid_to,
      school_levels: [] as SchoolLevel[],
      ownership: null,
      area: null,
      province_code: null,
      address: null,
      change_reason: null,
      ...extra,
    });
    await trx
      .insertInto('org_unit_version')
      .values([
        v(F.ministry, 'Bộ Giáo dục và Đào tạo', null),
        v(F.provinceA, 'Sở GD&ĐT tỉnh An Giang Thử', F.ministry),
        v(F.provinceB, 'Sở GD&ĐT tỉnh Bình Định Thử', F.ministry),
        v(F.districtA1, 'Phòng GD&ĐT huyện Một', F.provinceA, '2020-01-01', '2025-07-01'),
        v(F.communeA1, 'UBND xã Một', F.provinceA, '2025-07-01'),
        v(F.districtB1, 'Phòng GD&ĐT huyện Hai', F.provinceB),
        v(F.schoolA1, 'Trường THCS Lê Lợi', F.districtA1, '2020-01-01', '2025-07-01', { school_levels: ['lower_secondary'], ownership: 'public' }),
        v(F.schoolA1, 'Trường THCS Lê Lợi', F.communeA1, '2025-07-01', null, { school_levels: ['lower_secondary'], ownership: 'public' }),
        v(F.schoolA2, 'Trường Tiểu học Đồng Tâm', F.districtA1, '2020-01-01', '2025-07-01', { school_levels: ['primary'], ownership: 'public' }),
        v(F.schoolA2, 'Trường Tiểu học Đồng Tâm', F.communeA1, '2025-07-01', null, { school_levels: ['primary'], ownership: 'public' }),
        v(F.schoolB1, 'Trường THPT Quang Trung', F.provinceB, '2020-01-01', null, { school_levels: ['upper_secondary'], ownership: 'public' }),
        v(F.siteA1, 'Điểm trường Bản Mới', F.schoolA1),
        v(F.communeA2, 'UBND xã Hai', F.provinceA, '2025-07-01'),
        v(F.districtG, 'Phòng GD&ĐT huyện Biên Giới', F.provinceA, '2020-01-01', '2024-01-01'),
        v(F.districtG, 'Phòng GD&ĐT huyện Biên Giới', F.provinceB, '2024-01-01'),
        // [parent, valid_from, valid_to] per version of each extra school.
        ...(
          [
            [KITS.A3, [[F.districtA1, '2020-01-01', '2025-07-01'], [F.communeA2, '2025-07-01', null]]],
            [KITS.A4, [[F.districtA1, '2020-01-01', '2025-07-01'], [F.communeA1, '2025-07-01', '2026-01-01']]],
            [KITS.G, [[F.districtG, '2020-01-01', '2025-06-01']]],
            [KITS.M1, [[F.districtA1, '2020-01-01', '2025-07-01'], [F.communeA2, '2025-07-01', '2026-03-01'], [F.communeA1, '2026-03-01', null]]],
            [KITS.M2, [[F.districtA1, '2020-01-01', '2025-07-01'], [F.communeA1, '2025-07-01', '2099-09-01'], [F.communeA2, '2099-09-01', null]]],
          ] as [SchoolKit, [string, string, string | null][]][]
        ).flatMap(([k, versions]) =>
          versions.map(([parent, from, to]) =>
            v(k.schoolId, k.schoolName, parent, from, to, { school_levels: [k.grade >= 6 ? 'lower_secondary' : 'primary'], ownership: 'public' }),
          ),
        ),
      ])
      .execute();

    for (const school of [F.schoolA1, F.schoolA2, F.schoolB1]) {
      await trx
        .insertInto('school_year')
        .values({ school_id: school, year: F.year, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: '2026-05-31' })
        .execute();
    }

    await trx
      .insertInto('staff')
      .values([
        { school_id: F.schoolA1, id: F.principalA1, ...person('Trần', 'Văn', 'Hùng'), position: 'principal', sex: 'male', subject_codes: ['toan'] },
        { school_id: F.schoolA1, id: F.teacherHomeroom, ...person('Lê', 'Thị', 'Hoa'), position: 'teacher', sex: 'female', subject_codes: ['ngu_van'] },
        { school_id: F.schoolA1, id: F.teacherMath, ...person('Phạm', 'Minh', 'Đức'), position: 'teacher', sex: 'male', subject_codes: ['toan'] },
        { school_id: F.schoolB1, id: F.principalB1, ...person('Võ', 'Thị', 'Lan'), position: 'principal', sex: 'female', subject_codes: [] },
      ])
      .execute();

    await trx
      .insertInto('class')
      .values([
        { school_id: F.schoolA1, id: F.class6A1, year: F.year, name: '6A1', grade: 6, homeroom_teacher_id: F.teacherHomeroom, session: 'morning', age_group: null, site_id: null },
        { school_id: F.schoolA1, id: F.class6A2, year: F.year, name: '6A2', grade: 6, homeroom_teacher_id: F.principalA1, session: 'morning', age_group: null, site_id: null },
        { school_id: F.schoolB1, id: F.class10B1, year: F.year, name: '10A1', grade: 10, homeroom_teacher_id: F.principalB1, session: 'morning', age_group: null, site_id: null },
      ])
      .execute();

    await trx
      .insertInto('teaching_assignment')
      .values([
        { school_id: F.schoolA1, id: '00000000-0000-7000-8000-000000005001', year: F.year, term: 1, class_id: F.class6A1, subject_code: 'ngu_van', staff_id: F.teacherHomeroom },
        { school_id: F.schoolA1, id: '00000000-0000-7000-8000-000000005002', year: F.year, term: 1, class_id: F.class6A2, subject_code: 'toan', staff_id: F.teacherMath },
      ])
      .execute();

    const students: [string, string, string, [string, string, string], 'male' | 'female', string, string][] = [
      [F.schoolA1, F.studentAn, F.class6A1, ['Nguyễn', 'Văn', 'An'], 'male', '0100000001', '2014-03-02'],
      [F.schoolA1, F.studentBinh, F.class6A1, ['Đặng', 'Thị', 'Bình'], 'female', '0100000002', '2014-07-19'],
      [F.schoolA1, F.studentCuong, F.class6A2, ['Hoàng', 'Quốc', 'Cường'], 'male', '0100000003', '2014-11-30'],
      [F.schoolB1, F.studentB1, F.class10B1, ['Lò', 'Thị', 'Dung'], 'female', '0200000001', '2010-01-05'],
    ];
    for (const [school_id, id, classId, [f, m, g], sex, learner, dob] of students) {
      await trx
        .insertInto('student')
        .values({
          school_id,
          id,
          person_id: id,
          learner_id: learner,
          temp_code: null,
          citizen_id: null,
          ...person(f, m, g),
          date_of_birth: dob,
          sex,
          ethnicity_code: f === 'Lò' ? '03' : '01',
          religion_code: null,
          birthplace: null,
          address: null,
          status_code: '01',
          status_date: '2025-09-05',
          current_class_id: classId,
        })
        .execute();
      await trx
        .insertInto('enrolment')
        .values({ school_id, id: id.replace('4', '6'), student_id: id, class_id: classId, year: F.year, start_date: '2025-09-05', end_date: null })
        .execute();
    }

    const users: [keyof typeof F.users, string, { staff_school_id?: string; staff_id?: string; student_school_id?: string; student_id?: string }][] = [
      ['admin', 'Quản trị hệ thống', {}],
      ['soA', 'Chuyên viên Sở A', {}],
      ['soB', 'Chuyên viên Sở B', {}],
      ['communeA', 'Cán bộ xã A', {}],
      ['principalA1', 'Trần Văn Hùng', { staff_school_id: F.schoolA1, staff_id: F.principalA1 }],
      ['principalB1', 'Võ Thị Lan', { staff_school_id: F.schoolB1, staff_id: F.principalB1 }],
      ['staffA1', 'Nhân viên văn thư', {}],
      ['homeroomA1', 'Lê Thị Hoa', { staff_school_id: F.schoolA1, staff_id: F.teacherHomeroom }],
      ['mathA1', 'Phạm Minh Đức', { staff_school_id: F.schoolA1, staff_id: F.teacherMath }],
      ['parentA', 'Phụ huynh em An', {}],
      ['parentC', 'Phụ huynh em Cường', {}],
      ['studentAn', 'Nguyễn Văn An', { student_school_id: F.schoolA1, student_id: F.studentAn }],
      ['communeA2', 'Cán bộ xã Hai', {}],
      ['districtA1', 'Cán bộ Phòng huyện Một (đã giải thể)', {}],
      ['principalA3', 'Mai Văn Sơn', { staff_school_id: F.schoolA3, staff_id: KITS.A3.principalStaffId }],
      ['principalA4', 'Tạ Quang Vinh', { staff_school_id: F.schoolA4, staff_id: KITS.A4.principalStaffId }],
    ];
    await trx
      .insertInto('app_user')
      .values(
        users.map(([key, display, extra]) => ({
          id: F.users[key],
          username: USERNAMES[key],
          password_hash: passwordHash,
          display_name: display,
          staff_school_id: null,
          staff_id: null,
          student_school_id: null,
          student_id: null,
          locked_until: null,
          last_login_at: null,
          ...extra,
        })),
      )
      .execute();
    const grants: [keyof typeof F.users, Role, string][] = [
      ['admin', 'system_admin', F.ministry],
      ['soA', 'province_officer', F.provinceA],
      ['soB', 'province_officer', F.provinceB],
      ['communeA', 'district_officer', F.communeA1],
      ['principalA1', 'principal', F.schoolA1],
      ['principalB1', 'principal', F.schoolB1],
      ['staffA1', 'school_staff', F.schoolA1],
      ['homeroomA1', 'homeroom_teacher', F.schoolA1],
      ['mathA1', 'subject_teacher', F.schoolA1],
      ['parentA', 'parent', F.schoolA1],
      ['parentC', 'parent', F.schoolA1],
      ['studentAn', 'student', F.schoolA1],
      ['communeA2', 'district_officer', F.communeA2],
      ['districtA1', 'district_officer', F.districtA1],
      ['principalA3', 'principal', F.schoolA3],
      ['principalA4', 'principal', F.schoolA4],
    ];
    await trx
      .insertInto('role_grant')
      .values(grants.map(([key, role, unit], i) => ({ id: `00000000-0000-7000-8000-0000000095${String(i).padStart(2, '0')}`, user_id: F.users[key], role, org_unit_id: unit })))
      .execute();
    await trx
      .insertInto('guardian')
      .values([
        { school_id: F.schoolA1, id: '00000000-0000-7000-8000-000000007001', student_id: F.studentAn, relation: 'mother', full_name: 'Trần Thị Mai', phone: '0912345678', email: null, occupation: null, birth_year: 1985, user_id: F.users.parentA },
        { school_id: F.schoolA1, id: '00000000-0000-7000-8000-000000007002', student_id: F.studentCuong, relation: 'father', full_name: 'Hoàng Văn Tú', phone: '0987654321', email: null, occupation: null, birth_year: 1982, user_id: F.users.parentC },
      ])
      .execute();
    for (const k of Object.values(KITS)) await writeSchoolKit(trx, k);
  });
}

/** One school's class, principal, teacher, assignment and student with a guardian (fixture-ids.ts KITS). */
async function writeSchoolKit(trx: Db, k: SchoolKit): Promise<void> {
  const n = k.schoolId.slice(-3);
  await trx
    .insertInto('school_year')
    .values({ school_id: k.schoolId, year: F.year, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: '2026-05-31' })
    .execute();
  await trx
    .insertInto('staff')
    .values([
      { school_id: k.schoolId, id: k.principalStaffId, ...person(k.principal.family, k.principal.middle, k.principal.given), position: 'principal', sex: 'male', phone: k.principal.phone, date_of_birth: k.principal.dob, subject_codes: ['toan'] },
      { school_id: k.schoolId, id: k.teacherStaffId, ...person(k.teacher.family, k.teacher.middle, k.teacher.given), position: 'teacher', sex: 'female', subject_codes: ['ngu_van'] },
    ])
    .execute();
  await trx
    .insertInto('class')
    .values({ school_id: k.schoolId, id: k.classId, year: F.year, name: k.className, grade: k.grade, homeroom_teacher_id: k.teacherStaffId, session: 'morning', age_group: null, site_id: null })
    .execute();
  await trx
    .insertInto('teaching_assignment')
    .values({ school_id: k.schoolId, id: k.assignmentId, year: F.year, term: 1, class_id: k.classId, subject_code: 'ngu_van', staff_id: k.teacherStaffId })
    .execute();
  const s = k.student;
  await trx
    .insertInto('student')
    .values({
      school_id: k.schoolId,
      id: k.studentId,
      person_id: k.studentId,
      learner_id: s.learnerId,
      temp_code: null,
      citizen_id: null,
      ...person(s.family, s.middle, s.given),
      date_of_birth: s.dob,
      sex: s.sex,
      ethnicity_code: '01',
      religion_code: null,
      birthplace: null,
      address: null,
      status_code: '01',
      status_date: '2025-09-05',
      current_class_id: k.classId,
    })
    .execute();
  await trx
    .insertInto('enrolment')
    .values({ school_id: k.schoolId, id: `00000000-0000-7000-8000-000000026${n}`, student_id: k.studentId, class_id: k.classId, year: F.year, start_date: '2025-09-05', end_date: null })
    .execute();
  await trx
    .insertInto('guardian')
    .values({ school_id: k.schoolId, id: k.guardianId, student_id: k.studentId, relation: 'mother', full_name: `Mẹ em ${s.given}`, phone: k.guardianPhone, email: null, occupation: null, birth_year: 1985, user_id: null })
    .execute();
}
