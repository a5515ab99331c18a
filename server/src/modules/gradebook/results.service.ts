import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { TClassResults, TCloseSummary, TTrainingRatings } from '../../../../contracts/results.js';
import {
  AWARD_LABELS,
  INCOMPLETE_LABEL,
  LEVEL_LABELS,
  PROMOTION_LABELS,
  formatTenths,
  joinFullName,
  requiredRegularAssessments,
  ruleSetFor,
  schoolYearLabel,
  termStanding,
  yearResults,
  DEFAULT_TT27_OPTIONS,
  INCOMPLETE_LABEL as PRIMARY_INCOMPLETE,
  QUALITIES_AND_COMPETENCIES,
  QUALITY_GROUP_LABELS,
  QUALITY_LEVEL_LABELS,
  PRIMARY_AWARD_LABELS,
  SUBJECT_LEVEL_SHORT,
  YEAR_OUTCOME_LABELS,
  checkpointResults,
  endOfYearResult,
  formatEnteredMark,
  gradeCompletion,
  primaryYearAwards,
  recordedAwardText,
  type CheckpointRecord,
  type QualityCode,
  type QualityLevel,
  type SubjectEntry,
  type Tt27Options,
  type YearOutcome,
  type CellValue,
  type SubjectOutcome,
  type SubjectTermInput,
  type TermStanding,
} from '../../../../domain/index.js';
import type { AssessmentLevel, Database, ResultPeriod } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { countAbsences } from './attendance.repo.js';
import { type Caller, type ClassRow, classWithStanding, readsResults, termDates } from './class-standing.js';
import { listGridStudents, listTaughtSubjects } from './gradebook.repo.js';
import { listResultPublications } from './publication.repo.js';
import {
  deleteTrainingRatings,
  listClassStudentResults,
  listSubjectResults,
  listTrainingRatings,
  listYearMarks,
  listYearAssignedSubjects,
  listLockedGrids,
  listStudentsWithClosedYear,
  listYearClasses,
  listYearEnrolments,
  replaceResults,
  upsertTrainingRatings,
  listPrimaryCheckpointMarks,
} from './results.repo.js';
import { listClassAwards } from './primary-awards.repo.js';
import { listSchoolQualityRatings } from './qualities.repo.js';
import { listExemptions, listSummerResults } from './summer.repo.js';

type Db = Kysely<Database>;

export const PERIOD_LABELS: Record<ResultPeriod, string> = { hk1: 'Học kì I', hk2: 'Học kì II', cn: 'Cả năm' };
const TERMS_OF: Record<ResultPeriod, number[]> = { hk1: [1], hk2: [2], cn: [1, 2] };

/** Điều 8 khoản 2: the homeroom teacher rates training each term (the principal may too). */
export async function setTrainingRatings(db: Db, caller: Caller, schoolId: string, classId: string, input: TTrainingRatings) {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!standing.manager && !standing.homeroom && !standing.teachesAny) throw notFound('Không tìm thấy lớp.');
  if (!standing.homeroom && !standing.principal) {
    throw new AppError(403, 'training_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${cls.name} (hoặc hiệu trưởng) xếp loại rèn luyện.`);
  }
  const { from, to } = termDates(cls, input.term);
  const termLabel = input.term === 1 ? 'học kì I' : 'học kì II';
  const students = await listGridStudents(db, schoolId, classId, from, to);
  const nameOf = new Map(students.map((s) => [s.id, joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name })]));
  const stranger = input.ratings.findIndex((r) => !nameOf.has(r.studentId));
  if (stranger >= 0) throw badRequest('student_not_in_class', `Dòng ${stranger + 1} — Học sinh: không học lớp ${cls.name} trong ${termLabel}.`);
  // What families already read does not change under them: the term's (or the year's) published
  // results stand on these ratings; the class takes them back first, then closes and publishes again.
  const published = (await listResultPublications(db, schoolId, [classId], cls.year)).map((p) => p.period);
  const shown = published.find((p) => p === (input.term === 1 ? 'hk1' : 'hk2') || p === 'cn');
  if (shown) {
    throw new AppError(
      409,
      'training_published',
      `Kết quả ${PERIOD_LABELS[shown].toLowerCase()} của lớp ${cls.name} đã công bố cho gia đình: thôi công bố kết quả đó (trang Kết quả của lớp) trước khi sửa xếp loại rèn luyện ${termLabel}, rồi tổng hợp và công bố lại.`,
    );
  }
  const before = new Map((await listTrainingRatings(db, schoolId, cls.year, [...nameOf.keys()])).filter((r) => r.term === input.term).map((r) => [r.student_id, r.level]));
  const changes = input.ratings.filter((r) => (before.get(r.studentId) ?? null) !== r.level);
  await db.transaction().execute(async (trx) => {
    const set = input.ratings.flatMap((r) => (r.level ? [{ studentId: r.studentId, level: r.level }] : []));
    await upsertTrainingRatings(trx, schoolId, cls.year, input.term, set, caller.actor.userId);
    await deleteTrainingRatings(trx, schoolId, cls.year, input.term, input.ratings.filter((r) => !r.level).map((r) => r.studentId));
    // Training decides promotion (Điều 12): every change is kept, as a mark's correction is.
    if (changes.length > 0) {
      const word = (l: AssessmentLevel | null | undefined) => (l ? LEVEL_LABELS[l] : 'chưa xếp loại');
      await writeAudit(
        trx,
        caller.actor,
        {
          action: 'training.rate',
          entity: 'class',
          entityId: classId,
          orgUnitId: schoolId,
          targetLabel: `Lớp ${cls.name} (${schoolYearLabel(cls.year)}), ${termLabel}`,
          after: { training_changes: changes.map((r) => `${nameOf.get(r.studentId)}: ${word(before.get(r.studentId))} → ${word(r.level)}`).join('; ') },
        },
        caller.ip,
      );
    }
  });
  return getClassResults(db, caller, schoolId, classId, input.term === 1 ? 'hk1' : 'hk2');
}

const markValue = (tenths: number | null, passFail: 'dat' | 'chua_dat' | null): CellValue | null =>
  tenths !== null ? { kind: 'score', tenths } : passFail !== null ? { kind: 'pass_fail', result: passFail } : null;

/**
 * Computes and stores a period's results for every class of the school whose grade the TT22 rules
 * cover that year: each subject from the cells (a student who changed class mid-term keeps the
 * marks of both grids; where both hold a column, the later entry counts), the learning result,
 * the training ratings, absences over the period, and for the year promotion and awards. Run again
 * at any time: a close replaces the previous one.
 */
export async function closeResults(db: Db, caller: Caller, schoolId: string, input: { year: number; period: ResultPeriod; preview?: boolean }): Promise<TCloseSummary> {
  if (!caller.roles.has('principal')) throw new AppError(403, 'close_not_principal', 'Chỉ hiệu trưởng tổng hợp kết quả học kì và cả năm.');
  return computeResults(db, caller.actor, caller.ip ?? null, schoolId, input);
}

/**
 * Computes and stores every result of a school's period from its gradebook, and audits it as the
 * act of `actor` (the principal; an office's close of all its schools, gradebook-jobs.ts).
 */
export async function computeResults(db: Db, actor: Actor, ip: string | null, schoolId: string, input: { year: number; period: ResultPeriod; preview?: boolean }): Promise<TCloseSummary> {
  const started = Date.now();
  const classes = await listYearClasses(db, schoolId, input.year);
  if (classes.length === 0) throw badRequest('no_classes', `Năm học: trường chưa có lớp nào trong năm học ${schoolYearLabel(input.year)}.`);
  // TT22 for secondary grades, TT27 for primary ones (the grade's rule set that year); the others are skipped.
  const covered = classes.filter((c) => (c.grade >= 6 && ruleSetFor(c.year, c.grade) === 'tt22_2021') || ruleSetFor(c.year, c.grade) === 'tt27_2020');
  const skippedClasses = classes.filter((c) => !covered.includes(c)).map((c) => c.name);
  const terms = TERMS_OF[input.period];
  const span = { from: termDates(classes[0], terms[0]).from, to: termDates(classes[0], terms[terms.length - 1]).to };

  const [enrolments, cells, ratings, absences, exemptions, locked] = await Promise.all([
    listYearEnrolments(db, schoolId, input.year, span.from, span.to),
    listYearMarks(db, schoolId, input.year, terms),
    listTrainingRatings(db, schoolId, input.year),
    countAbsences(db, schoolId, span.from, span.to),
    listExemptions(db, schoolId, input.year),
    listLockedGrids(db, schoolId, input.year, terms),
  ]);
  // THPT students take four of the electives: an elective counts for a class that has a teacher for it.
  const assigned = new Set((await listYearAssignedSubjects(db, schoolId, input.year)).map((a) => `${a.class_id}/${a.subject_code}`));
  const subjectsOfGrade = new Map<number, Awaited<ReturnType<typeof listTaughtSubjects>>>();
  for (const grade of new Set(covered.map((c) => c.grade))) {
    // In primary 'mixed' is a level plus a periodic test (TT27), graded like every other subject.
    subjectsOfGrade.set(grade, (await listTaughtSubjects(db, schoolId, input.year, grade)).filter((s) => grade <= 5 || s.assessmentKind !== 'mixed'));
  }
  const primary = covered.some((c) => c.grade <= 5) ? await primaryCheckpointData(db, schoolId, input.year, input.period) : null;

  // Each student's class for the period: the one they were in at its end (or last, if they left).
  const classById = new Map(covered.map((c) => [c.id, c]));
  type Placed = { cls: ClassRow & { id: string }; name: string; sortKey: string; end: string };
  const placement = new Map<string, Placed>();
  for (const e of enrolments) {
    const cls = classById.get(e.class_id);
    if (!cls) continue;
    const end = e.end_date ?? '9999-12-31';
    const had = placement.get(e.student_id);
    if (!had || end > had.end) placement.set(e.student_id, { cls, name: joinFullName({ familyName: e.family_name, middleName: e.middle_name, givenName: e.given_name }), sortKey: e.name_sort_key, end });
  }
  const cellsOf = new Map(cells.map((c) => [`${c.student_id}/${c.subject_code}/${c.term}`, c.cells]));
  const ratingOf = new Map(ratings.map((r) => [`${r.student_id}/${r.term}`, r.level]));
  const absenceOf = new Map(absences.map((a) => [a.student_id, { excused: Number(a.excused), unexcused: Number(a.unexcused) }]));
  // Miễn học (Điều 11): the subject is exempt in a term the exemption covers; marks entered before it are not read.
  const exemptScope = new Map(exemptions.map((e) => [`${e.student_id}/${e.subject_code}`, e.scope]));
  const exemptIn = (studentId: string, subject: string, term: number) => {
    const scope = exemptScope.get(`${studentId}/${subject}`);
    return scope === 'cn' || scope === (term === 1 ? 'hk1' : 'hk2');
  };

  const standingFor = (studentId: string, cls: { id: string; grade: number }, term: number): TermStanding => {
    const ofClass = (subjectsOfGrade.get(cls.grade) ?? []).filter((s) => !s.isElective || assigned.has(`${cls.id}/${s.code}`));
    const subjects: SubjectTermInput[] = ofClass.map((s) => {
      // In the order written: where two classes hold a column, the later entry stays.
      const values: Record<string, CellValue | null> = {};
      for (const [column, tenths, passFail] of cellsOf.get(`${studentId}/${s.code}/${term}`) ?? []) values[column] = markValue(tenths, passFail);
      return {
        code: s.code,
        name: s.name,
        assessment: s.assessmentKind === 'score' ? 'score' : 'comment',
        requiredRegular: requiredRegularAssessments(s.periodsPerYear),
        cells: values,
        exempt: exemptIn(studentId, s.code, term),
      };
    });
    return termStanding(subjects, ratingOf.get(`${studentId}/${term}`) ?? null);
  };

  const studentRows: Parameters<typeof replaceResults>[4] = [];
  const subjectRows: Parameters<typeof replaceResults>[5] = [];
  const summary: TCloseSummary = {
    year: input.year,
    period: input.period,
    periodLabel: PERIOD_LABELS[input.period],
    classes: covered.length,
    students: 0,
    complete: 0,
    incomplete: [],
    learning: {},
    promotion: {},
    awards: {},
    outcomes: {},
    skippedClasses,
    unlockedGrids: 0,
    stored: !input.preview,
    millis: 0,
  };
  // The grids the period stands on that the principal has not locked: a close before the lock is
  // allowed (it is recomputed each time), but the principal is told first.
  const lockedGrid = new Set(locked.map((g) => `${g.class_id}/${g.subject_code}/${g.term}`));
  for (const cls of covered) {
    for (const s of subjectsOfGrade.get(cls.grade) ?? []) {
      if (s.isElective && !assigned.has(`${cls.id}/${s.code}`)) continue;
      for (const term of terms) if (!lockedGrid.has(`${cls.id}/${s.code}/${term}`)) summary.unlockedGrids++;
    }
  }
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  const incomplete: Array<{ p: Placed; reasons: string[] }> = [];

  for (const [studentId, p] of placement) {
    const absent = absenceOf.get(studentId) ?? { excused: 0, unexcused: 0 };
    const sessionsAbsent = absent.excused + absent.unexcused;
    if (primary && p.cls.grade <= 5) {
      const ofClass = (subjectsOfGrade.get(p.cls.grade) ?? []).filter((s) => !s.isElective || assigned.has(`${p.cls.id}/${s.code}`));
      const r = closePrimaryStudent(studentId, p.cls.grade, ofClass, primary, input.period);
      summary.students++;
      if (r.outcome) bump(summary.outcomes, r.outcome);
      if (r.award) bump(summary.awards, r.award);
      if (r.missing.length === 0) summary.complete++;
      else incomplete.push({ p, reasons: r.missing });
      studentRows.push({
        student_id: studentId,
        class_id: p.cls.id,
        learning: null,
        learning_adjusted_from: null,
        learning_adjusted_because: null,
        training: null,
        sessions_absent: sessionsAbsent,
        sessions_absent_excused: absent.excused,
        promotion: null,
        promotion_detail: null,
        award: r.award,
        missing: r.missing,
        primary_outcome: r.outcome,
        qualities: r.qualities,
      });
      subjectRows.push(...r.subjects.map((x) => ({ student_id: studentId, average_tenths: null, pass_fail: null, exempt: false, ...x })));
      continue;
    }
    let subjects: SubjectOutcome[];
    let learning;
    let training: AssessmentLevel | null;
    let promotion: (typeof studentRows)[number]['promotion'] = null;
    let promotionDetail: string | null = null;
    let award: 'xuat_sac' | 'gioi' | null = null;
    let missing: string[] = [];
    if (input.period === 'cn') {
      const y = yearResults(standingFor(studentId, p.cls, 1), standingFor(studentId, p.cls, 2), sessionsAbsent);
      subjects = y.subjects;
      learning = y.learning;
      training = y.training.status === 'ok' ? y.training.value : null;
      if (y.promotion.status === 'ok') {
        const d = y.promotion.value;
        promotion = d.outcome;
        promotionDetail = d.outcome === 'retained' ? d.reason : d.outcome === 'retest' || (d.outcome === 'summer_training' && d.thenRetest) ? d.retestSubjects.join(', ') : null;
        bump(summary.promotion, d.outcome);
      } else missing = y.promotion.reasons;
      award = y.award;
      if (award) bump(summary.awards, award);
    } else {
      const t = standingFor(studentId, p.cls, terms[0]);
      subjects = t.subjects;
      learning = t.learning;
      training = t.training;
      if (learning.status === 'incomplete') missing = learning.reasons;
      if (!training) missing = [...missing, `chưa xếp loại rèn luyện ${input.period === 'hk1' ? 'học kì I' : 'học kì II'}`];
    }
    summary.students++;
    if (learning.status === 'ok') bump(summary.learning, learning.value.level);
    if (missing.length === 0 && learning.status === 'ok') summary.complete++;
    else incomplete.push({ p, reasons: missing });
    studentRows.push({
      student_id: studentId,
      class_id: p.cls.id,
      learning: learning.status === 'ok' ? learning.value.level : null,
      learning_adjusted_from: learning.status === 'ok' ? (learning.value.adjusted?.from ?? null) : null,
      learning_adjusted_because: learning.status === 'ok' ? (learning.value.adjusted?.because ?? null) : null,
      training,
      sessions_absent: sessionsAbsent,
      sessions_absent_excused: absent.excused,
      promotion,
      promotion_detail: promotionDetail,
      award,
      missing,
    });
    for (const s of subjects) {
      const r = s.result;
      subjectRows.push({
        student_id: studentId,
        subject_code: s.code,
        average_tenths: r.status === 'ok' && r.value.kind === 'score' ? r.value.average : null,
        pass_fail: r.status === 'ok' && r.value.kind === 'comment' ? r.value.result : null,
        exempt: r.status === 'ok' && r.value.kind === 'exempt',
        missing: r.status === 'incomplete' ? r.reasons.join('; ') : null,
      });
    }
  }

  // By grade and class name (6A2 before 6A10), each class in its list order; the first ones only.
  incomplete.sort((a, b) => a.p.cls.grade - b.p.cls.grade || classNameOrder(a.p.cls.name, b.p.cls.name) || (a.p.sortKey < b.p.sortKey ? -1 : a.p.sortKey > b.p.sortKey ? 1 : 0));
  summary.incomplete = incomplete.slice(0, INCOMPLETE_LISTED).map(({ p, reasons }) => ({ className: p.cls.name, fullName: p.name, reasons }));
  if (input.preview) {
    summary.millis = Date.now() - started;
    return summary;
  }
  await db.transaction().execute(async (trx) => {
    await replaceResults(trx, schoolId, input.year, input.period, studentRows, subjectRows, actor.userId);
    await writeAudit(
      trx,
      actor,
      {
        action: 'results.close',
        entity: 'org_unit',
        entityId: schoolId,
        orgUnitId: schoolId,
        after: { resultPeriod: PERIOD_LABELS[input.period], year: input.year, studentCount: summary.students, completeCount: summary.complete },
      },
      ip,
    );
  });
  summary.millis = Date.now() - started;
  return summary;
}

/** How many students the close's summary names (the class pages list every one). */
const INCOMPLETE_LISTED = 200;
/** Class names as a school lists them: 6A2 before 6A10. */
const classNameOrder = new Intl.Collator('vi', { numeric: true }).compare;

type PrimaryData = Awaited<ReturnType<typeof primaryCheckpointData>>;

/**
 * What a primary close reads (TT27): the checkpoint the period ends on — hk1 = cuối học kì I, hk2
 * and cn = cuối năm học (term II's end checkpoint; Điều 9's outcome is taken there) — its level
 * and test of every subject from the grids' ck_* columns, and the homeroom teacher's ratings of
 * the qualities and competencies at it. The later entry wins where one is held twice.
 */
async function primaryCheckpointData(db: Db, schoolId: string, year: number, period: ResultPeriod) {
  const checkpoint = period === 'hk1' ? ('end_term1' as const) : ('end_year' as const);
  const [marks, ratings] = await Promise.all([listPrimaryCheckpointMarks(db, schoolId, year, period === 'hk1' ? 1 : 2), listSchoolQualityRatings(db, schoolId, year, checkpoint)]);
  const levels = new Map<string, SubjectEntry['level']>();
  const tests = new Map<string, number | null>();
  for (const m of marks) {
    if (m.column_key === 'ck_muc') levels.set(`${m.student_id}/${m.subject_code}`, m.subject_level);
    else tests.set(`${m.student_id}/${m.subject_code}`, m.score_tenths);
  }
  const qualities = new Map<string, Partial<Record<QualityCode, QualityLevel | null>>>();
  for (const q of ratings) {
    const own = qualities.get(q.student_id) ?? {};
    own[q.quality_code as QualityCode] = q.level;
    qualities.set(q.student_id, own);
  }
  return { checkpoint, levels, tests, qualities };
}

/**
 * One primary student's close (TT27/2020): the checkpoint's record complete or the reasons it is
 * not (Điều 7: every subject's level, every required periodic test, every quality and
 * competency); for the year, the outcome (Điều 9) and Học sinh Xuất sắc (Điều 13 khoản 1 điểm a).
 * Học sinh Tiêu biểu needs the class's recognition, which is not recorded, so it is never given
 * here. A missing entry never becomes a level: the outcome stays empty with the reasons.
 */
function closePrimaryStudent(
  studentId: string,
  grade: number,
  subjects: Awaited<ReturnType<typeof listTaughtSubjects>>,
  data: PrimaryData,
  period: ResultPeriod,
) {
  // The school's compulsory subjects of the grade (its plan, overrides applied); an elective it teaches is an extra subject with no test.
  const options: Tt27Options = { ...DEFAULT_TT27_OPTIONS, subjectsForGrade: () => subjects.filter((s) => !s.isElective).map((s) => s.code) };
  const record: CheckpointRecord = {
    subjects: subjects.map((s) => ({
      subjectCode: s.code,
      name: s.name,
      level: data.levels.get(`${studentId}/${s.code}`) ?? null,
      testScore: data.tests.get(`${studentId}/${s.code}`) ?? null,
    })),
    qualities: data.qualities.get(studentId) ?? {},
  };
  const checked = checkpointResults(grade, data.checkpoint, record, options);
  const missing = checked.status === 'incomplete' ? checked.reasons : [];
  let outcome: YearOutcome | null = null;
  let award: 'xuat_sac' | null = null;
  if (period === 'cn') {
    const year = endOfYearResult(grade, record, options);
    if (year.status === 'ok') {
      outcome = year.value.outcome;
      award = primaryYearAwards(outcome).includes('hoc_sinh_xuat_sac') ? 'xuat_sac' : null;
    }
  }
  return {
    outcome,
    award,
    missing,
    qualities: Object.fromEntries(Object.entries(record.qualities).filter(([, v]) => v)) as Record<string, string>,
    subjects: record.subjects.map((e) => ({
      subject_code: e.subjectCode,
      subject_level: e.level === 'exempt' ? null : (e.level ?? null),
      test_tenths: e.testScore ?? null,
      missing: missing.filter((m) => m.startsWith(`${e.name}:`)).join('; ') || null,
    })),
  };
}

const levelLabel = (l: AssessmentLevel | null) => (l ? LEVEL_LABELS[l] : null);

/** A class's results of a period as last closed, with the ratings as they are now and the lists. */
export async function getClassResults(db: Db, caller: Caller, schoolId: string, classId: string, period: ResultPeriod): Promise<TClassResults> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!readsResults(standing)) throw notFound('Không tìm thấy kết quả của lớp này.');
  const terms = TERMS_OF[period];
  const span = { from: termDates(cls, terms[0]).from, to: termDates(cls, terms[terms.length - 1]).to };
  const members = (await listGridStudents(db, schoolId, classId, span.from, span.to)).filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
  const ids = members.map((m) => m.id);
  const primaryYear = ruleSetFor(cls.year, cls.grade) === 'tt27_2020' && period === 'cn';
  const [stored, subjectResults, ratings, subjects, publications, summer, recorded, closedYears] = await Promise.all([
    listClassStudentResults(db, schoolId, classId, cls.year, period),
    listSubjectResults(db, schoolId, cls.year, period, ids),
    listTrainingRatings(db, schoolId, cls.year, ids),
    listTaughtSubjects(db, schoolId, cls.year, cls.grade),
    listResultPublications(db, schoolId, [classId], cls.year),
    period === 'cn' ? listSummerResults(db, schoolId, cls.year, ids) : Promise.resolve([]),
    // Học sinh Tiêu biểu and ad-hoc awards the principal recorded (TT27 Điều 13), beside the computed Xuất sắc.
    primaryYear ? listClassAwards(db, schoolId, classId).then((all) => all.filter((a) => a.status === 'recorded')) : Promise.resolve([]),
    standing.manager || standing.homeroom ? listStudentsWithClosedYear(db, schoolId, ids) : Promise.resolve([]),
  ]);
  const withYear = new Set(closedYears.map((r) => r.student_id));
  const ruleSet = ruleSetFor(cls.year, cls.grade);
  const primary = ruleSet === 'tt27_2020';
  // What came of the summer, once the principal classified again (Điều 13 khoản 2, Điều 14 khoản 2).
  const afterSummerOf = new Map(summer.flatMap((x) => (x.promotion && x.detail ? [[x.student_id, x.detail] as const] : [])));
  const shown = subjects.filter((s) => primary || s.assessmentKind !== 'mixed');
  const computedAt = stored.reduce<Date | null>((t, r) => (!t || r.computed_at > t ? r.computed_at : t), null);
  const students = members.map((m) => {
    const fullName = joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name });
    const r = stored.find((x) => x.student_id === m.id);
    const marks = Object.fromEntries(
      subjectResults
        .filter((x) => x.student_id === m.id)
        .map((x) => [
          x.subject_code,
          x.exempt
            ? 'Miễn'
            : x.subject_level !== null
              ? `${SUBJECT_LEVEL_SHORT[x.subject_level]}${x.test_tenths !== null ? ` (${formatEnteredMark(x.test_tenths)})` : ''}`
              : x.average_tenths !== null
                ? formatTenths(x.average_tenths)
                : x.pass_fail
                  ? LEVEL_LABELS[x.pass_fail]
                  : '',
        ]),
    );
    const missing = Array.isArray(r?.missing) ? (r.missing as string[]) : [];
    const storedQualities = (r?.qualities ?? {}) as Record<string, QualityLevel>;
    // Primary year close: the outcome, or "chưa đủ điều kiện" while the record is incomplete (never a guessed level).
    const outcome = primary && period === 'cn' && r ? (r.primary_outcome ? YEAR_OUTCOME_LABELS[r.primary_outcome] : PRIMARY_INCOMPLETE) : null;
    return {
      studentId: m.id,
      fullName,
      trainingTerm1: ratings.find((x) => x.student_id === m.id && x.term === 1)?.level ?? null,
      trainingTerm2: ratings.find((x) => x.student_id === m.id && x.term === 2)?.level ?? null,
      // Primary has no learning result (TT22's Tốt / Khá / Đạt); its result is `outcome`.
      learning: r && !primary ? (levelLabel(r.learning) ?? INCOMPLETE_LABEL) : null,
      learningNote: r?.learning_adjusted_from
        ? `Điều chỉnh từ ${LEVEL_LABELS[r.learning_adjusted_from]} lên ${levelLabel(r.learning)} vì chỉ một môn (${r.learning_adjusted_because}) kéo xuống (Thông tư 22/2021, Điều 9 khoản 3)`
        : null,
      training: r ? levelLabel(r.training) : null,
      sessionsAbsent: r ? r.sessions_absent : null,
      sessionsAbsentExcused: r ? r.sessions_absent_excused : null,
      promotion: r?.promotion ? PROMOTION_LABELS[r.promotion] : null,
      promotionDetail: r?.promotion_detail ?? null,
      award:
        [
          ...(r?.award ? [primary ? PRIMARY_AWARD_LABELS.hoc_sinh_xuat_sac : AWARD_LABELS[r.award]] : []),
          ...recorded.filter((a) => a.student_id === m.id).map((a) => recordedAwardText(a.kind, a.achievement)),
        ].join('; ') || null,
      missing,
      hocBaReady: withYear.has(m.id),
      marks,
      outcome,
      completion: primary && r?.primary_outcome ? gradeCompletion(cls.grade, r.primary_outcome).label : null,
      qualities: Object.fromEntries(Object.entries(storedQualities).map(([code, level]) => [code, QUALITY_LEVEL_LABELS[level]])),
      afterSummer: r?.promotion === 'retest' || r?.promotion === 'summer_training' ? (afterSummerOf.get(m.id) ?? null) : null,
      raw: r,
    };
  });
  const named = (s: (typeof students)[number]) => ({ studentId: s.studentId, fullName: s.fullName });
  const awardList = (kind: 'tieu_bieu' | 'dot_xuat') =>
    students.flatMap((s) => recorded.filter((a) => a.kind === kind && a.student_id === s.studentId).map((a) => ({ ...named(s), achievement: a.achievement })));
  return {
    classId,
    className: cls.name,
    year: cls.year,
    period,
    periodLabel: PERIOD_LABELS[period],
    computedAt: computedAt ? new Date(computedAt).toISOString() : null,
    canRateTraining: standing.homeroom || standing.principal,
    canClose: standing.principal,
    canPrintHocBa: standing.manager || standing.homeroom,
    published: publications.some((p) => p.period === period),
    canPublish: (standing.homeroom || standing.principal) && stored.length > 0,
    ruleSet: ruleSet === 'tt22_2021' || primary ? ruleSet : 'other',
    subjects: shown.map((s) => ({ code: s.code, name: s.name })),
    qualities: primary
      ? QUALITIES_AND_COMPETENCIES.filter((q) => DEFAULT_TT27_OPTIONS.qualityCodesForGrade(cls.grade).includes(q.code)).map((q) => ({ code: q.code, name: q.name, groupLabel: QUALITY_GROUP_LABELS[q.group] }))
      : [],
    students: students.map(({ raw: _raw, ...s }) => s),
    lists: {
      promoted: students.filter((s) => s.raw?.promotion === 'promoted').map(named),
      retest: students
        .filter((s) => s.raw?.promotion === 'retest')
        .map((s) => ({ ...named(s), subjects: (s.raw?.promotion_detail ?? '').split(', ').filter(Boolean), afterSummer: s.afterSummer })),
      summerTraining: students.filter((s) => s.raw?.promotion === 'summer_training').map((s) => ({ ...named(s), afterSummer: s.afterSummer })),
      retained: students.filter((s) => s.raw?.promotion === 'retained').map((s) => ({ ...named(s), reason: s.raw?.promotion_detail ?? '' })),
      excellent: students.filter((s) => s.raw?.award === 'xuat_sac').map(named),
      good: students.filter((s) => s.raw?.award === 'gioi').map(named),
      tieuBieu: awardList('tieu_bieu'),
      adHoc: awardList('dot_xuat'),
      incomplete: students.filter((s) => s.raw && s.missing.length > 0).map(named),
    },
  };
}
