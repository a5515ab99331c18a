import { formatVnDate, schoolYearLabel } from '../../../../domain/index.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest } from '../../platform/errors.js';
import { type Db, describeGrades, requireSchool } from './school.common.js';
import {
  catalogSubjects,
  findCatalogSubject,
  findSchoolSubject,
  findSchoolYear,
  listSchoolYears,
  saveSchoolSubject,
  saveSchoolYear,
  schoolSubjectOverrides,
  subjectsByCode,
} from './school.repo.js';

// ---------------------------------------------------------------- school years

type SchoolYearRow = { year: number; term1_start: string; term1_end: string; term2_start: string; term2_end: string };

const presentYear = (r: SchoolYearRow) => ({
  year: r.year,
  label: schoolYearLabel(r.year),
  term1Start: r.term1_start,
  term1End: r.term1_end,
  term2Start: r.term2_start,
  term2End: r.term2_end,
});

export async function getSchoolYears(db: Db, schoolId: string) {
  await requireSchool(db, schoolId);
  return (await listSchoolYears(db, schoolId)).map(presentYear);
}

export type SchoolYearInput = { year: number; term1Start: string; term1End: string; term2Start: string; term2End: string };

/**
 * Date rules of a school year, in the order a person fixes them. A year opens between July and
 * December of its start year and closes by the end of August of the next one (the Ministry's
 * yearly time frame leaves June–August for summer work).
 */
export function checkSchoolYearDates(i: SchoolYearInput): void {
  const label = schoolYearLabel(i.year);
  if (i.term1Start < `${i.year}-07-01` || i.term1Start > `${i.year}-12-31`) {
    throw badRequest(
      'year_start_out_of_range',
      `Năm học ${label} phải bắt đầu trong khoảng 01/07/${i.year} – 31/12/${i.year}; ngày bắt đầu học kì I đang là ${formatVnDate(i.term1Start)}.`,
    );
  }
  if (i.term1End <= i.term1Start) {
    throw badRequest(
      'term1_dates_order',
      `Ngày kết thúc học kì I (${formatVnDate(i.term1End)}) phải sau ngày bắt đầu học kì I (${formatVnDate(i.term1Start)}).`,
    );
  }
  if (i.term2Start <= i.term1End) {
    throw badRequest(
      'terms_overlap',
      `Học kì II phải bắt đầu sau khi học kì I kết thúc: ngày bắt đầu học kì II (${formatVnDate(i.term2Start)}) phải sau ${formatVnDate(i.term1End)}.`,
    );
  }
  if (i.term2End <= i.term2Start) {
    throw badRequest(
      'term2_dates_order',
      `Ngày kết thúc học kì II (${formatVnDate(i.term2End)}) phải sau ngày bắt đầu học kì II (${formatVnDate(i.term2Start)}).`,
    );
  }
  if (i.term2End > `${i.year + 1}-08-31`) {
    throw badRequest(
      'year_end_out_of_range',
      `Năm học ${label} phải kết thúc chậm nhất ngày 31/08/${i.year + 1}; ngày kết thúc học kì II đang là ${formatVnDate(i.term2End)}.`,
    );
  }
}

export async function upsertSchoolYear(db: Db, actor: Actor, schoolId: string, input: SchoolYearInput) {
  await requireSchool(db, schoolId);
  checkSchoolYearDates(input);
  return db.transaction().execute(async (trx) => {
    const before = await findSchoolYear(trx, schoolId, input.year);
    const values = {
      school_id: schoolId,
      year: input.year,
      term1_start: input.term1Start,
      term1_end: input.term1End,
      term2_start: input.term2Start,
      term2_end: input.term2End,
    };
    await saveSchoolYear(trx, values);
    await writeAudit(trx, actor, {
      action: before ? 'school_year.update' : 'school_year.create',
      entity: 'school_year',
      entityId: `${schoolId}:${input.year}`,
      orgUnitId: schoolId,
      before: before ?? null,
      after: values,
    });
    return presentYear(values);
  });
}

// ---------------------------------------------------------------- subjects

type MergedSubject = {
  grade: number;
  subjectCode: string;
  subjectName: string;
  periodsPerYear: number;
  assessmentKind: 'score' | 'comment' | 'mixed';
  isElective: boolean;
  isTaught: boolean;
  overridden: boolean;
};

/** The GDPT 2018 catalog for the school's grades with the school's overrides for the year on top. */
async function mergedSubjects(db: Db, schoolId: string, year: number, grades: number[]): Promise<MergedSubject[]> {
  const catalog = await catalogSubjects(db, grades);
  const overrides = await schoolSubjectOverrides(db, schoolId, year, grades);
  const byKey = new Map<string, MergedSubject & { sort: number }>();
  for (const c of catalog) {
    byKey.set(`${c.grade}|${c.subject_code}`, {
      grade: c.grade,
      subjectCode: c.subject_code,
      subjectName: c.name,
      periodsPerYear: c.periods_per_year,
      assessmentKind: c.assessment_kind,
      isElective: c.is_elective,
      isTaught: true,
      overridden: false,
      sort: c.sort_order,
    });
  }
  for (const o of overrides) {
    const key = `${o.grade}|${o.subject_code}`;
    const base = byKey.get(key);
    byKey.set(key, {
      grade: o.grade,
      subjectCode: o.subject_code,
      subjectName: o.name,
      periodsPerYear: o.periods_per_year,
      assessmentKind: o.assessment_kind,
      isElective: base?.isElective ?? false,
      isTaught: o.is_taught,
      overridden: true,
      sort: o.sort_order,
    });
  }
  return [...byKey.values()]
    .sort((a, b) => a.grade - b.grade || a.sort - b.sort || a.subjectCode.localeCompare(b.subjectCode))
    .map(({ sort: _sort, ...s }) => s);
}

function assertGradeOfSchool(grades: number[], grade: number) {
  if (!grades.includes(grade)) {
    throw badRequest('grade_not_in_school_levels', `Khối ${grade} không thuộc cấp học của trường (trường dạy ${describeGrades(grades)}).`);
  }
}

export async function getSchoolSubjects(db: Db, schoolId: string, query: { year: number; grade?: number }) {
  const school = await requireSchool(db, schoolId);
  const grades = school.grades.filter((g) => g > 0);
  if (query.grade !== undefined) assertGradeOfSchool(grades, query.grade);
  return mergedSubjects(db, schoolId, query.year, query.grade !== undefined ? [query.grade] : grades);
}

/** Whether a subject is taught in a grade in a year: the school's override decides, else the catalog. */
export async function isSubjectTaught(db: Db, schoolId: string, year: number, grade: number, subjectCode: string): Promise<boolean> {
  const override = await findSchoolSubject(db, schoolId, year, grade, subjectCode);
  if (override) return override.is_taught;
  return (await findCatalogSubject(db, grade, subjectCode)) !== undefined;
}

export type SchoolSubjectInput = {
  year: number;
  grade: number;
  subjectCode: string;
  periodsPerYear: number;
  assessmentKind: 'score' | 'comment' | 'mixed';
  isTaught: boolean;
};

export async function upsertSchoolSubject(db: Db, actor: Actor, schoolId: string, input: SchoolSubjectInput) {
  const school = await requireSchool(db, schoolId);
  assertGradeOfSchool(school.grades.filter((g) => g > 0), input.grade);
  const [subject] = await subjectsByCode(db, [input.subjectCode]);
  if (!subject) {
    throw badRequest('unknown_subject', `Môn học "${input.subjectCode}" không có trong danh mục môn học. Hãy chọn môn trong danh mục.`);
  }
  await db.transaction().execute(async (trx) => {
    const before = await findSchoolSubject(trx, schoolId, input.year, input.grade, input.subjectCode);
    const values = {
      school_id: schoolId,
      year: input.year,
      grade: input.grade,
      subject_code: input.subjectCode,
      periods_per_year: input.periodsPerYear,
      assessment_kind: input.assessmentKind,
      is_taught: input.isTaught,
    };
    await saveSchoolSubject(trx, values);
    await writeAudit(trx, actor, {
      action: before ? 'school_subject.update' : 'school_subject.create',
      entity: 'school_subject',
      entityId: `${schoolId}:${input.year}:${input.grade}:${input.subjectCode}`,
      orgUnitId: schoolId,
      before: before ?? null,
      after: values,
    });
  });
  const merged = await mergedSubjects(db, schoolId, input.year, [input.grade]);
  const saved = merged.find((m) => m.subjectCode === input.subjectCode);
  if (!saved) throw new Error(`subject ${input.subjectCode} missing from grade ${input.grade} right after it was saved`);
  return saved;
}
