import type { z } from 'zod';
import type { ZDashboard } from '../../../../contracts/school.js';
import { isoToday, schoolYearOf } from '../../../../domain/index.js';
import { schoolView } from '../../platform/access.js';
import { type Caller, type Db, currentYear } from '../students/students.common.js';
import { ETHNICITY_LIST, schoolInfo } from '../students/students.repo.js';
import { activeStaffCount, classesByIds, classesOfYear, codeNames, dashboardCounts } from './school.repo.js';

export type Dashboard = z.infer<typeof ZDashboard>;

/** The school at a glance: students by grade, class, sex and ethnicity, classes and staff (a teacher sees their own classes). */
export async function schoolDashboard(db: Db, caller: Caller, schoolId: string, asOfInput?: string): Promise<Dashboard> {
  const { year: current, years } = await currentYear(db, schoolId);
  const asOf = asOfInput ?? isoToday();
  // On a given date: the school year that contains it, else the last one begun by then.
  const year = asOfInput
    ? (years.find((y) => y.term1_start <= asOf && asOf <= y.term2_end)?.year ??
      [...years].reverse().find((y) => y.term1_start <= asOf)?.year ??
      schoolYearOf(asOf))
    : current;
  const view = await schoolView(db, caller.roles, caller.actor, schoolId, year);
  const classIds = view.kind === 'teacher' ? view.classIds : null;
  const [school, counts, classes, staff] = await Promise.all([
    schoolInfo(db, schoolId),
    classIds && classIds.length === 0 ? Promise.resolve([]) : dashboardCounts(db, schoolId, asOfInput, classIds),
    classesOfYear(db, schoolId, year, classIds),
    activeStaffCount(db, schoolId),
  ]);
  // Students may sit in a class of another year (not yet promoted): still count them by that class.
  const known = new Map(classes.map((c) => [c.id, c]));
  const stray = [...new Set(counts.map((c) => c.class_id).filter((id): id is string => !!id && !known.has(id)))];
  for (const c of await classesByIds(db, schoolId, stray)) known.set(c.id, c);

  const byClass = new Map(classes.map((c) => [c.id, { classId: c.id, className: c.name, grade: c.grade, students: 0, female: 0 }]));
  const byGrade = new Map<number, { grade: number; students: number; female: number; classes: number }>();
  const gradeRow = (grade: number) => {
    let g = byGrade.get(grade);
    if (!g) byGrade.set(grade, (g = { grade, students: 0, female: 0, classes: 0 }));
    return g;
  };
  for (const c of classes) gradeRow(c.grade).classes += 1;
  const bySex = { male: 0, female: 0 };
  const byEthnicity = new Map<string, number>();
  const totals = { students: 0, female: 0, ethnicMinority: 0, classes: classes.length, staff };
  for (const row of counts) {
    const n = Number(row.n);
    totals.students += n;
    if (row.sex === 'female') totals.female += n;
    if (row.ethnicity_code !== '01') totals.ethnicMinority += n;
    bySex[row.sex] += n;
    byEthnicity.set(row.ethnicity_code, (byEthnicity.get(row.ethnicity_code) ?? 0) + n);
    const cls = row.class_id ? known.get(row.class_id) : undefined;
    if (!cls) continue;
    let entry = byClass.get(cls.id);
    if (!entry) byClass.set(cls.id, (entry = { classId: cls.id, className: cls.name, grade: cls.grade, students: 0, female: 0 }));
    entry.students += n;
    if (row.sex === 'female') entry.female += n;
    const g = gradeRow(cls.grade);
    g.students += n;
    if (row.sex === 'female') g.female += n;
  }
  const ethNames = await codeNames(db, ETHNICITY_LIST, [...byEthnicity.keys()]);
  return {
    schoolId,
    schoolName: school?.name ?? '',
    year,
    asOf,
    view: classIds ? 'own_classes' : 'school',
    totals,
    byGrade: [...byGrade.values()].sort((a, b) => a.grade - b.grade),
    byClass: [...byClass.values()].sort((a, b) => a.grade - b.grade || (a.className < b.className ? -1 : a.className > b.className ? 1 : 0)),
    bySex: (['male', 'female'] as const).map((sex) => ({ sex, students: bySex[sex] })),
    byEthnicity: [...byEthnicity.entries()]
      .map(([code, students]) => ({ code, name: ethNames.get(code) ?? code, students }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
}
