import type { Insertable } from 'kysely';
import type { SchoolLevel, StaffPosition, StaffTable } from '../db/schema.js';
import { newId } from '../platform/ids.js';
import { fullNameOf, makeName, pickEthnicityFor, type Sex } from './demo-names.js';
import { type ClassPlan, type DemoBuild, type SchoolPlan, type TeacherPlan, pad, personFields, phone, randomDate } from './demo-plan.js';
import { PT } from './demo-province.js';
import { periodsOf } from './demo-schools.js';

// Staff and teaching assignments: the principal and vice principals, teachers sized by weekly
// periods, homeroom teachers, who teaches what in which class, and support staff.

/** Primary: the homeroom teacher teaches these in their own class; specialists teach the rest. */
const PRIMARY_HOMEROOM_SUBJECTS = new Set(['tieng_viet', 'toan', 'dao_duc', 'tnxh', 'lich_su_dia_li', 'khoa_hoc', 'hdtn']);
/** Secondary: HĐTN-HN is normally taught by the homeroom teacher of the class. */
const SECONDARY_HOMEROOM_SUBJECTS = new Set(['hdtn_hn']);
/** Subjects taught by the teachers of another subject (the "tổ" that carries them). */
const SUBJECT_GROUP: Record<string, string> = { gd_dia_phuong: 'ngu_van', chuyen_de: 'toan' };
/** Standard teaching load in periods per week (định mức tiết dạy: TT05/2025 — TH 23, THCS 19, THPT 17). */
const WEEKLY_LOAD: Record<SchoolLevel, number> = { preschool: 30, primary: 23, lower_secondary: 19, upper_secondary: 17 };
const WEEKS = 35;
/** Subjects a homeroom teacher is most often chosen from, in secondary schools. */
const CORE_SUBJECTS = new Set(['toan', 'ngu_van', 'ngoai_ngu_1', 'khtn', 'lich_su_dia_li', 'vat_li', 'hoa_hoc', 'sinh_hoc', 'lich_su', 'dia_li', 'gdcd', 'gdktpl', 'tin_hoc', 'cong_nghe']);

export function buildStaff(build: DemoBuild, s: SchoolPlan): void {
  const classCount = s.classes.length;
  const mainLevel = s.levels[s.levels.length - 1];
  const principal = staffRow(build, s, 'principal', mainLevel, []);
  s.principalId = principal.id;
  s.principalName = fullNameOf({ familyName: principal.family_name, middleName: principal.middle_name ?? '', givenName: principal.given_name });
  for (let k = 0; k < (classCount >= 28 ? 2 : 1); k++) staffRow(build, s, 'vice_principal', mainLevel, []);

  const teachers: TeacherPlan[] = [];
  build.teachersBySchool.set(s.id, teachers);
  const addTeacher = (level: SchoolLevel, group: string, codes: string[], noHomeroom = false): TeacherPlan => {
    const row = staffRow(build, s, 'teacher', level, codes);
    const t: TeacherPlan = { id: row.id, level, group, load: 0, row, noHomeroom };
    teachers.push(t);
    return t;
  };

  for (const level of s.levels) {
    const classes = s.classes.filter((c) => c.level === level);
    if (level === 'preschool') {
      // Two teachers per preschool class (full-day care); the first is the homeroom teacher.
      for (const c of classes) {
        c.homeroomId = addTeacher(level, 'preschool', []).id;
        addTeacher(level, 'preschool', []);
      }
      continue;
    }
    const homeroomSet = level === 'primary' ? PRIMARY_HOMEROOM_SUBJECTS : SECONDARY_HOMEROOM_SUBJECTS;
    if (level === 'primary') {
      for (const c of classes) {
        c.homeroomId = addTeacher(level, 'homeroom', [...PRIMARY_HOMEROOM_SUBJECTS]).id;
      }
    }
    // Subject teachers in proportion to weekly periods (định mức), at least one per subject.
    const weekly = new Map<string, number>();
    for (const c of classes) {
      for (const subject of c.subjects) {
        if (homeroomSet.has(subject)) continue;
        const group = SUBJECT_GROUP[subject] ?? subject;
        weekly.set(group, (weekly.get(group) ?? 0) + classPeriods(c, subject) / WEEKS);
      }
    }
    const attached = (group: string): string[] => [group, ...Object.keys(SUBJECT_GROUP).filter((k) => SUBJECT_GROUP[k] === group && classes.some((c) => c.subjects.includes(k)))];
    for (const [group, periods] of weekly) {
      let n = Math.max(1, Math.ceil(periods / WEEKLY_LOAD[level]));
      // gv.demo is a Toán teacher with no class of their own: keep at least one more Toán teacher.
      if (s.isDemo && group === 'toan') n = Math.max(n, 2);
      for (let k = 0; k < n; k++) addTeacher(level, group, attached(group), s.isDemo && group === 'toan' && k === 0);
    }
    if (level !== 'primary') pickSecondaryHomerooms(build, level, classes, teachers, addTeacher);
    assignTeaching(build, s, classes, teachers, homeroomSet);
  }

  const support = s.loc.area === 'mountain' ? 2 : s.levels.includes(PT) ? 4 : 3;
  for (let k = 0; k < support; k++) staffRow(build, s, 'staff', mainLevel, []);
}

function classPeriods(c: ClassPlan, subject: string): number {
  return Math.max(...c.learnerGrades.map((g) => periodsOf(g, subject)));
}

function pickSecondaryHomerooms(
  build: DemoBuild,
  level: SchoolLevel,
  classes: ClassPlan[],
  teachers: TeacherPlan[],
  addTeacher: (level: SchoolLevel, group: string, codes: string[]) => TeacherPlan,
): void {
  const candidates = build.rng.shuffle(teachers.filter((t) => t.level === level && !t.noHomeroom));
  // Stable sort: core-subject teachers first, in their shuffled order.
  candidates.sort((a, b) => Number(CORE_SUBJECTS.has(b.group)) - Number(CORE_SUBJECTS.has(a.group)));
  while (candidates.length < classes.length) {
    const group = candidates.length % 2 === 0 ? 'ngu_van' : 'toan';
    candidates.push(addTeacher(level, group, [group]));
  }
  classes.forEach((c, i) => {
    const t = candidates[i];
    c.homeroomId = t.id;
    const codes = t.row.subject_codes as string[];
    if (!codes.includes('hdtn_hn')) codes.push('hdtn_hn');
  });
}

function assignTeaching(build: DemoBuild, s: SchoolPlan, classes: ClassPlan[], teachers: TeacherPlan[], homeroomSet: Set<string>): void {
  const byId = new Map(teachers.map((t) => [t.id, t]));
  const chosen = new Map<string, TeacherPlan>(); // `${classId}|${subject}`
  // Pass 1: a homeroom teacher teaches their own subject (and HĐTN) in their own class.
  for (const c of classes) {
    const homeroom = c.homeroomId ? byId.get(c.homeroomId) : undefined;
    if (!homeroom) continue;
    for (const subject of c.subjects) {
      if (homeroomSet.has(subject) || homeroom.group === (SUBJECT_GROUP[subject] ?? subject)) {
        homeroom.load += classPeriods(c, subject);
        chosen.set(`${c.id}|${subject}`, homeroom);
      }
    }
  }
  // Pass 2: everything else goes to the least-loaded teacher of the subject (a balanced round-robin).
  for (const c of classes) {
    for (const subject of c.subjects) {
      const key = `${c.id}|${subject}`;
      let teacher = chosen.get(key);
      if (!teacher) {
        const group = SUBJECT_GROUP[subject] ?? subject;
        for (const t of teachers) {
          if (t.level === c.level && t.group === group && (!teacher || t.load < teacher.load)) teacher = t;
        }
        if (!teacher) continue;
        teacher.load += classPeriods(c, subject);
      }
      for (const term of [1, 2]) {
        build.rows.assignments.push({ school_id: s.id, id: newId(), year: build.year, term, class_id: c.id, subject_code: subject, staff_id: teacher.id });
      }
    }
  }
}

function staffRow(build: DemoBuild, s: SchoolPlan, position: StaffPosition, level: SchoolLevel, subjectCodes: string[]): Insertable<StaffTable> & { id: string } {
  const rng = build.rng;
  const femaleShare =
    position === 'principal' || position === 'vice_principal'
      ? 0.5
      : position === 'staff'
        ? 0.6
        : { preschool: 0.98, primary: 0.8, lower_secondary: 0.7, upper_secondary: 0.6 }[level];
  const sex: Sex = rng.chance(femaleShare) ? 'female' : 'male';
  // Teachers come from all over the province; in mountain schools about half are local.
  const ethnicity = pickEthnicityFor(rng, s.loc.area === 'mountain' ? (rng.chance(0.5) ? 'mountain' : 'urban') : s.loc.area);
  const name = makeName(rng, sex, ethnicity, 'adult');
  const birthYear = position === 'principal' || position === 'vice_principal' ? rng.int(1970, 1985) : rng.int(1968, 2001);
  const qualification =
    position === 'staff'
      ? rng.pick(['03', '04', '05', '05'])
      : position !== 'teacher'
        ? rng.chance(0.4) ? '02' : '16'
        : level === 'preschool'
          ? rng.pick(['17', '17', '16', '16', '16', '18', '03'])
          : level === 'primary'
            ? rng.pick(['16', '16', '16', '16', '16', '16', '17', '17', '13', '03'])
            : rng.pick(level === 'upper_secondary' ? ['16', '16', '16', '16', '16', '02', '02', '13', '03'] : ['16', '16', '16', '16', '16', '16', '02', '13', '03']);
  const contract =
    s.ownership === 'private'
      ? rng.pick(['03', '03', '03', '03', '03', '03', '03', '04', '04', '06'])
      : position === 'principal' || position === 'vice_principal'
        ? '07'
        : position === 'staff'
          ? rng.pick(['07', '07', '03', '03', '04'])
          : rng.pick(['07', '07', '07', '07', '07', '07', '07', '07', '08', '03']);
  s.staffSeq += 1;
  const row = {
    school_id: s.id,
    id: newId(),
    staff_code: `${s.code}${pad(s.staffSeq, 4)}`,
    ...personFields(name),
    date_of_birth: randomDate(rng, birthYear),
    sex,
    ethnicity_code: ethnicity,
    citizen_id: build.citizenId(sex, birthYear),
    phone: phone(rng),
    email: null,
    position,
    qualification_code: qualification,
    contract_type_code: contract,
    subject_codes: subjectCodes,
  };
  build.rows.staff.push(row);
  return row;
}
