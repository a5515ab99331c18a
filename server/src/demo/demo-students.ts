import type { Insertable } from 'kysely';
import { makeTemporaryLearnerCode, type NameParts } from '../../../domain/index.js';
import type { GuardianTable, StudentEventTable, StudentTable } from '../db/schema.js';
import { newId } from '../platform/ids.js';
import { fullNameOf, makeName, pickEthnicityFor, type Sex } from './demo-names.js';
import { type ClassPlan, type DemoBuild, type SchoolPlan, OCCUPATIONS, phone, personFields, planned, randomDate } from './demo-plan.js';
import { CS, DISTRICTS, OTHER_BIRTHPLACES, PROVINCE } from './demo-province.js';

// Students and guardians: every class filled with learners, each with guardians, an enrolment
// and an "admitted" event; then the demo school's class changes and transfers in.

export function buildStudents(build: DemoBuild, s: SchoolPlan): void {
  const rng = build.rng;
  const loc = s.loc;
  const district = DISTRICTS[loc.district].name;
  for (const c of s.classes) {
    for (let i = 0; i < c.size; i++) {
      const grade = c.learnerGrades[i % c.learnerGrades.length];
      const sex: Sex = rng.chance(0.5) ? 'male' : 'female';
      const ethnicity = pickEthnicityFor(rng, loc.area);
      const name = makeName(rng, sex, ethnicity, 'child');
      let birthYear = build.year - 5 - grade;
      if (rng.chance(0.03)) birthYear += rng.chance(0.8) ? -1 : 1;
      const noIdYet = grade <= 1 && rng.chance(0.02);
      if (noIdYet) s.tempSeq += 1;
      const birthplace = rng.chance(0.85)
        ? `${rng.pick(loc.oldCommunes)}, ${district}, ${PROVINCE.charAt(0).toUpperCase()}${PROVINCE.slice(1)}`
        : rng.pick(OTHER_BIRTHPLACES);
      const address =
        loc.area === 'urban'
          ? `Số ${rng.int(1, 250)} đường ${rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`
          : `${rng.pick(loc.places)}, ${loc.commune}, ${PROVINCE}`;
      const id = newId();
      const personId = newId();
      const row: Insertable<StudentTable> = {
        school_id: s.id,
        id,
        person_id: personId,
        learner_id: noIdYet ? null : build.learnerId(),
        temp_code: noIdYet ? makeTemporaryLearnerCode(s.code, s.tempSeq) : null,
        citizen_id: rng.chance(0.7) ? build.citizenId(sex, birthYear) : null,
        ...personFields(name),
        date_of_birth: randomDate(rng, birthYear),
        sex,
        ethnicity_code: ethnicity,
        religion_code: null,
        birthplace,
        address,
        status_code: '01',
        status_date: build.terms.term1_start,
        is_current: true,
        current_class_id: c.id,
      };
      build.rows.students.push(row);
      c.studentRows.push(row);
      build.rows.enrolments.push({ school_id: s.id, id: newId(), student_id: id, class_id: c.id, year: build.year, start_date: build.terms.term1_start, end_date: null });
      build.rows.events.push(event(row, 'admitted', build.terms.term1_start, { status_code: '01', to_class_id: c.id, note: 'Nhập học đầu năm học' }));
      buildGuardians(build, row, ethnicity, birthYear);
    }
  }
}

function buildGuardians(build: DemoBuild, student: Insertable<StudentTable>, ethnicity: string, birthYear: number): void {
  const rng = build.rng;
  const r = rng.next();
  // ~72% both parents, ~18% mother only, ~6% father only, ~4% a grandparent or relative.
  const hasFather = r < 0.72 || (r >= 0.9 && r < 0.96);
  const hasMother = r < 0.9;
  if (hasFather) {
    const p = makeName(rng, 'male', ethnicity, 'adult', student.family_name);
    guardian(build, student, 'father', p, birthYear - rng.int(25, 42));
  }
  if (hasMother) {
    const p = makeName(rng, 'female', rng.chance(0.8) ? ethnicity : '01', 'adult');
    guardian(build, student, 'mother', p, birthYear - rng.int(22, 40));
  }
  if (!hasFather && !hasMother) {
    const p = makeName(rng, rng.chance(0.7) ? 'female' : 'male', ethnicity, 'adult');
    guardian(build, student, 'guardian', p, birthYear - rng.int(45, 65));
  }
}

export function guardian(build: DemoBuild, student: Insertable<StudentTable>, relation: Insertable<GuardianTable>['relation'], p: NameParts, birthYear: number): Insertable<GuardianTable> {
  const row: Insertable<GuardianTable> = {
    school_id: student.school_id,
    id: newId(),
    student_id: student.id,
    relation,
    full_name: fullNameOf(p),
    phone: phone(build.rng),
    email: null,
    occupation: build.rng.pick(OCCUPATIONS),
    birth_year: birthYear,
    user_id: null,
  };
  build.rows.guardians.push(row);
  return row;
}

function event(
  student: Insertable<StudentTable>,
  kind: Insertable<StudentEventTable>['kind'],
  date: string,
  extra: Partial<Insertable<StudentEventTable>>,
): Insertable<StudentEventTable> {
  return {
    school_id: student.school_id,
    id: newId(),
    student_id: student.id,
    person_id: student.person_id,
    kind,
    event_date: date,
    status_code: null,
    from_class_id: null,
    to_class_id: null,
    other_school_id: null,
    note: null,
    created_by: null,
    ...extra,
  };
}

export function buildHistories(build: DemoBuild): void {
  const demo = build.demoSchool();
  const classOf = (name: string): ClassPlan | undefined => demo.classes.find((c) => c.name === name);
  const lastClassOfGrade = (grade: number): ClassPlan | undefined => demo.classes.filter((c) => c.grade === grade).at(-1);

  // 3 learners who changed class in term 1 (same grade).
  const classMoveDate = `${build.year}-10-19`;
  for (const [fromName, grade] of [['7A1', 7], ['8A2', 8], ['9A1', 9]] as const) {
    const from = classOf(fromName);
    const to = demo.classes.find((c) => c.grade === grade && c !== from);
    const student = from?.studentRows[2];
    if (!from || !to || !student) continue;
    const open = planned(build.rows.enrolments.find((e) => e.student_id === student.id), `open enrolment of ${fromName} mover`);
    open.end_date = classMoveDate; // periods are half-open [start_date, end_date), like the org tree
    build.rows.enrolments.push({ school_id: demo.id, id: newId(), student_id: student.id, class_id: to.id, year: build.year, start_date: classMoveDate, end_date: null });
    student.current_class_id = to.id;
    from.studentRows.splice(2, 1);
    to.studentRows.push(student);
    build.rows.events.push(event(student, 'class_transfer', classMoveDate, { from_class_id: from.id, to_class_id: to.id, note: `Chuyển từ lớp ${from.name} sang lớp ${to.name} theo nguyện vọng gia đình` }));
  }

  // 2 learners who moved here in term 1 from another THCS of the demo province.
  const source = build.schools.find((s) => !s.isDemo && s.levels.includes(CS));
  if (!source) return;
  const moves = [
    { grade: 7, date: `${build.year}-10-05` },
    { grade: 8, date: `${build.year}-11-02` },
  ];
  for (const m of moves) {
    const from = source.classes.find((c) => c.grade === m.grade && c.studentRows.length > 1);
    const to = lastClassOfGrade(m.grade);
    const old = from?.studentRows[0];
    if (!from || !to || !old) continue;
    from.studentRows.shift();
    // The old school's record stays, closed: same person_id, so the history reads across schools.
    old.is_current = false;
    old.status_code = '04'; // DM_TRANG_THAI_HOC_SINH: chuyển đi kỳ 1
    old.status_date = m.date;
    old.current_class_id = null;
    const oldEnrolment = planned(build.rows.enrolments.find((e) => e.student_id === old.id), 'enrolment of a school mover');
    oldEnrolment.end_date = m.date;
    const moved: Insertable<StudentTable> = {
      ...old,
      school_id: demo.id,
      id: newId(),
      temp_code: old.temp_code ? makeTemporaryLearnerCode(demo.code, ++demo.tempSeq) : null,
      status_code: '02', // chuyển đến kỳ 1
      status_date: m.date,
      is_current: true,
      current_class_id: to.id,
    };
    build.rows.students.push(moved);
    to.studentRows.push(moved);
    build.rows.enrolments.push({ school_id: demo.id, id: newId(), student_id: moved.id, class_id: to.id, year: build.year, start_date: m.date, end_date: null });
    build.rows.events.push(
      event(old, 'transfer_out', m.date, { status_code: '04', from_class_id: from.id, other_school_id: demo.id, note: `Chuyển đến ${demo.name}` }),
      event(moved, 'transfer_in', m.date, { status_code: '02', to_class_id: to.id, other_school_id: source.id, note: `Chuyển từ ${source.name}` }),
    );
    for (const g of build.rows.guardians.filter((x) => x.student_id === old.id)) {
      build.rows.guardians.push({ ...g, school_id: demo.id, id: newId(), student_id: moved.id });
    }
  }
}
