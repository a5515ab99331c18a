import { CURRICULUM } from '../../../domain/index.js';
import type { ClassSession, SchoolLevel } from '../db/schema.js';
import { newId } from '../platform/ids.js';
import { type ClassPlan, type DemoBuild, type SchoolPlan, apportion, pad } from './demo-plan.js';
import {
  AGE_GROUPS,
  CLASS_LETTERS,
  CS,
  DEMO_CLASS_SIZE,
  DEMO_SCHOOL_CLASSES,
  DEMO_SCHOOL_NAME,
  DISTRICTS,
  GRADES,
  LEVEL_TITLE,
  LOCALITIES,
  MULTI_GRADE_SIZE,
  NAME_POOLS,
  NOMINAL_CLASSES,
  P,
  PROVINCE,
  PROVINCE_CODE,
  PT,
  REFORM_DATE,
  REFORM_REASON,
  SCHOOL_PATTERN,
  type SchoolTemplate,
  TARGET_SIZE,
  TH,
} from './demo-province.js';

// Schools and their classes: which schools, their sites, how many classes of what size, and the
// school's own rows (unit, versions under the offices, school year, classes).

// ---------------------------------------------------------------- curriculum
const subjectsOfGrade = new Map<number, { code: string; periods: number; elective: boolean }[]>();
for (const c of CURRICULUM) {
  const list = subjectsOfGrade.get(c.grade) ?? [];
  list.push({ code: c.subjectCode, periods: c.periodsPerYear, elective: c.isElective });
  subjectsOfGrade.set(c.grade, list);
}
export const periodsOf = (grade: number, subject: string): number =>
  subjectsOfGrade.get(grade)?.find((s) => s.code === subject)?.periods ?? 0;

/** THPT: every class studies 4 of the elective subjects (a "tổ hợp"); four common ones. */
const THPT_COMBOS: readonly (readonly string[])[] = [
  ['vat_li', 'hoa_hoc', 'sinh_hoc', 'tin_hoc'],
  ['vat_li', 'hoa_hoc', 'tin_hoc', 'cong_nghe'],
  ['dia_li', 'gdktpl', 'tin_hoc', 'cong_nghe'],
  ['dia_li', 'gdktpl', 'vat_li', 'hoa_hoc'],
];

// ---------------------------------------------------------------- the plan
export function planSchools(build: DemoBuild): void {
  const rng = build.rng;
  const count = Math.min(60, Math.max(6, Math.round(build.totalStudents / 650)));
  const templates: SchoolTemplate[] = [{ levels: [CS], loc: 0 }];
  for (let i = 0; templates.length < count; i++) templates.push(SCHOOL_PATTERN[i % SCHOOL_PATTERN.length]);

  const pools = Object.fromEntries(
    (Object.keys(NAME_POOLS) as SchoolLevel[]).map((l) => [l, rng.shuffle([...NAME_POOLS[l]])]),
  ) as Record<SchoolLevel, string[]>;
  const used = new Set<string>([DEMO_SCHOOL_NAME]);
  const seqByDistrict = new Map<number, number>();
  const mountainVillages = rng.shuffle([...LOCALITIES[2].villages]);
  let villageIdx = 0;

  templates.forEach((t, i) => {
    const loc = LOCALITIES[t.loc];
    const seq = (seqByDistrict.get(loc.district) ?? 0) + 1;
    seqByDistrict.set(loc.district, seq);
    const code = `${PROVINCE_CODE}${DISTRICTS[loc.district].code}${pad(seq, 3)}`;
    const ownership = t.ownership ?? 'public';
    let name: string;
    if (i === 0) name = DEMO_SCHOOL_NAME;
    else if (t.levels.length > 1) {
      name = `Trường TH&THCS ${mountainVillages[villageIdx++ % mountainVillages.length]}`;
    } else {
      const level = t.levels[0];
      const title = ownership === 'private' ? `${LEVEL_TITLE[level]} tư thục` : LEVEL_TITLE[level];
      let n = `${title} ${pools[level].shift() ?? loc.commune}`;
      for (let k = 2; used.has(n); k++) n = `${title} ${loc.commune} số ${k}`;
      name = n;
    }
    used.add(name);
    build.schools.push({
      id: newId(),
      code,
      name,
      levels: t.levels,
      ownership,
      loc,
      isDemo: i === 0,
      sites: [],
      classes: [],
      staffSeq: 0,
      principalId: '',
      principalName: '',
      tempSeq: 0,
    });
  });

  // Capacity at nominal class counts; the scale factor makes the class count follow the
  // requested number of students while class sizes stay realistic.
  let capacity = 0;
  for (const s of build.schools) {
    for (const level of s.levels) {
      for (const g of GRADES[level]) {
        const per = nominalClasses(s, level, g);
        capacity += per * (level === 'preschool' ? AGE_GROUPS.length : 1) * targetSize(s, level);
      }
    }
  }
  const scale = build.totalStudents / capacity;

  for (const s of build.schools) {
    // Satellite sites: every mountain MN/TH school has two, some rural primary schools one.
    const young = s.levels.includes(P) || s.levels.includes(TH);
    const outlying = s.ownership === 'public' && s.loc.area === 'rural' && s.levels.includes(TH);
    const siteCount = young && s.loc.area === 'mountain' ? 2 : outlying && rng.chance(0.5) ? 1 : 0;
    for (let k = 0; k < siteCount; k++) {
      const village = s.loc.area === 'mountain' ? mountainVillages[villageIdx++ % mountainVillages.length] : rng.pick(s.loc.villages);
      const id = build.unit('school_site', `${s.code}-${k + 1}`);
      s.sites.push({ id, village });
      build.version({
        unit_id: id,
        parent_id: s.id,
        name: `Điểm trường ${village}`,
        school_levels: s.levels,
        ownership: s.ownership,
        area: s.loc.area,
        address: `${village}, ${s.loc.commune}, ${PROVINCE}`,
      });
    }
    for (const level of s.levels) planClasses(build, s, level, scale);
  }

  // Students: spread over all classes in proportion to each class's target size.
  const classes = build.schools.flatMap((s) => s.classes);
  const sizes = apportion(build.totalStudents, classes.map((c) => c.weight));
  classes.forEach((c, i) => {
    c.size = sizes[i];
  });
}

function nominalClasses(s: SchoolPlan, level: SchoolLevel, grade: number): number {
  if (s.isDemo) return DEMO_SCHOOL_CLASSES[grade] ?? 1;
  if (s.levels.length > 1) return 1;
  if (s.ownership === 'private') return level === 'preschool' ? 2 : 3;
  return NOMINAL_CLASSES[level][s.loc.area];
}

function targetSize(s: SchoolPlan, level: SchoolLevel): number {
  if (s.isDemo) return DEMO_CLASS_SIZE;
  if (s.ownership === 'private') return level === 'preschool' ? 20 : 30;
  if (s.levels.length > 1) return level === 'primary' ? 24 : 30;
  return TARGET_SIZE[level][s.loc.area];
}

function planClasses(build: DemoBuild, s: SchoolPlan, level: SchoolLevel, scale: number): void {
  const rng = build.rng;
  const target = targetSize(s, level);
  const make = (c: Omit<ClassPlan, 'id' | 'schoolId' | 'level' | 'size' | 'homeroomId' | 'studentRows' | 'weight'> & { weight?: number }): void => {
    const { weight, ...rest } = c;
    // Class sizes vary a little around the target.
    s.classes.push({ ...rest, id: newId(), schoolId: s.id, level, size: 0, homeroomId: null, studentRows: [], weight: (weight ?? target) * (0.85 + rng.next() * 0.25) });
  };
  if (level === 'preschool') {
    for (const ag of AGE_GROUPS) {
      const n = Math.max(1, Math.round(nominalClasses(s, level, 0) * scale));
      for (let k = 0; k < n; k++) {
        // Mountain schools keep some classes at their satellite sites.
        const site = s.sites.length > 0 && k > 0 ? s.sites[(k - 1) % s.sites.length] : null;
        make({
          name: `Mẫu giáo ${ag.age} tuổi ${CLASS_LETTERS[k % CLASS_LETTERS.length]}${k >= CLASS_LETTERS.length ? Math.floor(k / CLASS_LETTERS.length) + 1 : ''}`,
          grade: 0,
          ageGroup: ag.code,
          learnerGrades: [ag.age - 5],
          session: 'full_day',
          isMultiGrade: false,
          siteId: site?.id ?? null,
          subjects: [],
        });
      }
    }
    return;
  }
  for (const g of GRADES[level]) {
    const nominal = nominalClasses(s, level, g);
    const n = s.isDemo ? Math.min(nominal, Math.max(2, Math.round(nominal * scale))) : Math.max(1, Math.round(nominal * scale));
    for (let k = 1; k <= n; k++) {
      let subjects = (subjectsOfGrade.get(g) ?? []).filter((x) => !x.elective).map((x) => x.code);
      if (level === 'upper_secondary') subjects = [...subjects, ...THPT_COMBOS[(k - 1) % THPT_COMBOS.length]];
      make({
        name: `${g}A${k}`,
        grade: g,
        ageGroup: null,
        learnerGrades: [g],
        session: level === 'primary' ? 'full_day' : secondarySession(g),
        isMultiGrade: false,
        siteId: null,
        subjects,
      });
    }
  }
  // Multi-grade classes (lớp ghép) at the satellite sites of mountain primary schools.
  if (level === 'primary' && s.loc.area === 'mountain') {
    s.sites.forEach((site, i) => {
      const pairs = i === 0 && scale >= 0.9 ? [1, 3] : [1];
      for (const g of pairs) {
        const union = [...new Set([...(subjectsOfGrade.get(g) ?? []), ...(subjectsOfGrade.get(g + 1) ?? [])].map((x) => x.code))];
        make({
          name: `${g}+${g + 1} ${site.village}`,
          grade: g,
          ageGroup: null,
          learnerGrades: [g, g + 1],
          session: 'full_day',
          isMultiGrade: true,
          siteId: site.id,
          subjects: union,
          weight: MULTI_GRADE_SIZE,
        });
      }
    });
  }
}

function secondarySession(grade: number): ClassSession {
  // THCS: grades 6–7 in the afternoon, 8–9 in the morning; THPT: 10 afternoon, 11–12 morning.
  return grade === 6 || grade === 7 || grade === 10 ? 'afternoon' : 'morning';
}

// ---------------------------------------------------------------- the school's rows
export function addSchoolUnit(build: DemoBuild, s: SchoolPlan): void {
  const loc = s.loc;
  const address =
    loc.area === 'urban'
      ? `Số ${build.rng.int(1, 200)} đường ${build.rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`
      : `${build.rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`;
  build.rows.orgUnits.push({ id: s.id, kind: 'school', code: s.code });
  const base = { unit_id: s.id, name: s.name, school_levels: s.levels, ownership: s.ownership, area: loc.area, address };
  if (s.levels.includes(PT)) {
    // THPT schools have always been under the Sở.
    build.version({ ...base, parent_id: build.provinceId });
  } else {
    // MN/TH/THCS: under the district office until 1/7/2025, under the commune office since.
    build.version({ ...base, valid_to: REFORM_DATE, parent_id: build.districtIds[loc.district] });
    build.version({ ...base, valid_from: REFORM_DATE, parent_id: build.communeIds[LOCALITIES.indexOf(loc)], change_reason: REFORM_REASON });
  }
  build.rows.schoolYears.push({ school_id: s.id, year: build.year, ...build.terms });
}

export function addClassRows(build: DemoBuild, s: SchoolPlan): void {
  for (const c of s.classes) {
    build.rows.classes.push({
      school_id: s.id,
      id: c.id,
      year: build.year,
      name: c.name,
      grade: c.grade,
      age_group: c.ageGroup,
      site_id: c.siteId,
      homeroom_teacher_id: c.homeroomId,
      session: c.session,
      is_multi_grade: c.isMultiGrade,
    });
  }
}
