/**
 * A student's years assessed under Thông tư 58/2011, as imported (legacy-results-import.ts), shown
 * with what the regulation makes of them: the overall average and học lực (Điều 11, 13, with the
 * one-subject adjustment of khoản 6), the year's conduct (Điều 3), promotion (Điều 15–17) and title
 * (Điều 18) — recomputed here on every read by domain/assessment/tt58.ts, never stored, so the
 * words shown always follow the marks beside them. All in Vietnamese words, no codes.
 *
 * Uncertain reading, kept visible: the promotion shown is the end-of-year decision from the
 * record's year results; what happened after a summer re-test (Điều 16) is not in the file, so a
 * "Kiểm tra lại" year stays that — the học bạ on paper holds the rest.
 */
import type { Kysely } from 'kysely';
import type { TLegacyResults, TLegacyYear } from '../../../../contracts/legacy-results.js';
import {
  ACADEMIC_RANK_LABELS,
  COMMENT_MARK_SHORT,
  CONDUCT_LABELS,
  INCOMPLETE_LABEL,
  RULE_SET_LABELS,
  TT58_PROMOTION_LABELS,
  TT58_TITLE_LABELS,
  academicResult,
  formatTenths,
  joinFullName,
  ok,
  schoolYearLabel,
  tt58Promotion,
  tt58Title,
  yearConduct,
  type Tt58PromotionDecision,
  type Tt58SubjectResult,
} from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { isGuardianOf } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { type Caller, classWithStanding, readsResults } from './class-standing.js';
import { listLegacySubjects, listLegacyYears } from './legacy-results.repo.js';
import { findFamilyStudent } from './publication.repo.js';

type Db = Kysely<Database>;

function promotionWords(d: Tt58PromotionDecision): string {
  if (d.outcome === 'retained') return `${TT58_PROMOTION_LABELS.retained}: ${d.reason}`;
  if (d.outcome === 'retest') return `${TT58_PROMOTION_LABELS.retest} ${d.retestSubjects.length === 1 ? 'môn' : 'các môn'} ${d.retestSubjects.join(', ')}`;
  return TT58_PROMOTION_LABELS[d.outcome];
}

/** One imported year with its recomputed verdicts. */
export function legacyYearView(
  r: Awaited<ReturnType<typeof listLegacyYears>>[number],
  subjectRows: Awaited<ReturnType<typeof listLegacySubjects>>,
): TLegacyYear {
  const subjects: Tt58SubjectResult[] = subjectRows.map((s) =>
    s.average_tenths !== null ? { subject: s.subject_name, kind: 'score', average: s.average_tenths } : { subject: s.subject_name, kind: 'comment', result: s.comment_result ?? 'cd' },
  );
  const academic = academicResult(subjects.map((s) => ({ subject: s.subject, result: ok(s) })));
  const conduct = yearConduct({ term2: r.conduct_term2, teacherYear: r.conduct_year });
  const incompleteReasons = [...(academic.status === 'incomplete' ? academic.reasons : []), ...(conduct.status === 'incomplete' ? conduct.reasons : [])];

  let academicNote: string | null = null;
  if (academic.status === 'incomplete') academicNote = `${INCOMPLETE_LABEL}: ${academic.reasons.join('; ')}`;
  else if (academic.value.adjusted) {
    const a = academic.value.adjusted;
    academicNote = `Điểm trung bình các môn đạt loại ${ACADEMIC_RANK_LABELS[a.reached]} nhưng môn ${a.because} thấp hơn mức của loại đó (theo khoản 1–5 chỉ xếp loại ${ACADEMIC_RANK_LABELS[a.from]}), nên được điều chỉnh lên loại ${ACADEMIC_RANK_LABELS[academic.value.rank]} (Điều 13 khoản 6).`;
  }

  let promotion = `${INCOMPLETE_LABEL}: ${incompleteReasons.join('; ')}`;
  let title: string | null = null;
  if (academic.status === 'ok' && conduct.status === 'ok') {
    promotion = promotionWords(tt58Promotion({ conduct: conduct.value.conduct, rank: academic.value.rank, sessionsAbsent: r.sessions_absent, subjects }));
    const t = tt58Title(conduct.value.conduct, academic.value.rank);
    title = t ? TT58_TITLE_LABELS[t] : null;
  }
  return {
    schoolYear: schoolYearLabel(r.year),
    year: r.year,
    grade: r.grade,
    className: r.class_name,
    ruleSet: RULE_SET_LABELS.tt58_2011,
    subjects: subjects.map((s) => ({ subject: s.subject, result: s.kind === 'score' ? formatTenths(s.average) : s.kind === 'comment' ? COMMENT_MARK_SHORT[s.result] : 'Miễn' })),
    overallAverage: academic.status === 'ok' ? formatTenths(academic.value.overall) : null,
    // As the record holds them: the rank above is the year's (Điều 13), these are only shown.
    averageTerm1: r.average_term1_tenths === null ? null : formatTenths(r.average_term1_tenths),
    averageTerm2: r.average_term2_tenths === null ? null : formatTenths(r.average_term2_tenths),
    academic: academic.status === 'ok' ? ACADEMIC_RANK_LABELS[academic.value.rank] : INCOMPLETE_LABEL,
    academicNote,
    conductTerm1: r.conduct_term1 ? CONDUCT_LABELS[r.conduct_term1] : null,
    conductTerm2: r.conduct_term2 ? CONDUCT_LABELS[r.conduct_term2] : null,
    conductYear: conduct.status === 'ok' ? CONDUCT_LABELS[conduct.value.conduct] : INCOMPLETE_LABEL,
    // The record had no year rating: the term II rating stands in (Điều 3 khoản 2), said as such.
    conductNote: conduct.status === 'ok' && conduct.value.source === 'suggested_from_term2' ? 'Hồ sơ không ghi hạnh kiểm cả năm; lấy theo hạnh kiểm học kì II.' : conduct.status === 'incomplete' ? conduct.reasons.join('; ') : null,
    sessionsAbsent: r.sessions_absent,
    promotion,
    title,
    importedBy: r.imported_by_name,
    importedAt: new Date(r.imported_at).toISOString(),
  };
}

/**
 * Who reads a student's earlier years: as familyResults decides — the family (a parent of the
 * child, the student themself) and, through the student's current class, the school's managers
 * and its homeroom teacher — and, as for every result, the offices above (the route checked the
 * subtree). A student without a class now is read by the managers and offices only.
 */
async function mayRead(db: Db, caller: Caller, schoolId: string, studentId: string, currentClassId: string | null): Promise<boolean> {
  if (caller.roles.has('parent') && (await isGuardianOf(db, caller.actor, schoolId, studentId))) return true;
  if (caller.roles.has('student') && caller.actor.student?.schoolId === schoolId && caller.actor.student.studentId === studentId) return true;
  if (currentClassId) return readsResults((await classWithStanding(db, caller, schoolId, currentClassId)).standing);
  return ['principal', 'school_staff', 'province_officer', 'district_officer'].some((r) => caller.roles.has(r as never));
}

export async function legacyResults(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TLegacyResults> {
  const student = await findFamilyStudent(db, schoolId, studentId);
  if (!student || !(await mayRead(db, caller, schoolId, studentId, student.current_class_id))) throw notFound('Không tìm thấy học sinh.');
  const years = await listLegacyYears(db, schoolId, studentId);
  const subjects = await listLegacySubjects(
    db,
    schoolId,
    years.map((y) => y.id),
  );
  return {
    studentId,
    fullName: joinFullName({ familyName: student.family_name, middleName: student.middle_name, givenName: student.given_name }),
    years: years.map((y) =>
      legacyYearView(
        y,
        subjects.filter((s) => s.legacy_result_id === y.id),
      ),
    ),
  };
}
