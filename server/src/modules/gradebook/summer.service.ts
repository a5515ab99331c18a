import type { Kysely, Transaction } from 'kysely';
import type { TReclassifySummary, TSummer } from '../../../../contracts/results.js';
import {
  LEVEL_LABELS,
  PROMOTION_LABELS,
  afterSummer,
  afterSummerText,
  formatTenths,
  joinFullName,
  parseMark,
  parsePassFail,
  promotionDecision,
  type PassFail,
  type SubjectResult,
  type YearStanding,
} from '../../../../domain/index.js';
import type { AssessmentLevel, Database } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { type Caller, classWithStanding, readsResults } from './class-standing.js';
import { listTaughtSubjects } from './gradebook.repo.js';
import { listClassStudentResults, listSubjectResults } from './results.repo.js';
import {
  findSummerState,
  listSummerResults,
  listSummerRetests,
  listSubjectNames,
  listSummerTraining,
  listYearStudentResults,
  lockSummerState,
  replaceSummerResults,
  setSummerState,
  writeSummerRetests,
  writeSummerTraining,
} from './summer.repo.js';

type Db = Kysely<Database>;

/**
 * The summer after the year close (TT22/2021 Điều 13–14): the re-test marks of the students the
 * close sent to kiểm tra lại, the re-rated training of those sent to rèn luyện trong hè, the
 * principal's lock of these entries (the trigger of migration 0020 refuses any write underneath),
 * and the re-classification that applies the domain's `afterSummer` and stores promoted / retained.
 * Who is on the lists and in which subjects is the domain's `promotionDecision` over the stored
 * year close, not a second reading of it here.
 */

type StoredSubject = Awaited<ReturnType<typeof listSubjectResults>>[number];
type StoredYear = { learning: AssessmentLevel | null; training: AssessmentLevel | null; sessions_absent: number };

/** The year close of a student as the domain reads it; subjects are named by their code. */
function standingOf(r: StoredYear, subjects: StoredSubject[]): YearStanding | null {
  if (!r.learning || !r.training) return null;
  const results: SubjectResult[] = subjects.flatMap((s): SubjectResult[] => {
    if (s.exempt) return [{ subject: s.subject_code, kind: 'exempt' }];
    if (s.average_tenths !== null) return [{ subject: s.subject_code, kind: 'score', average: s.average_tenths }];
    if (s.pass_fail !== null) return [{ subject: s.subject_code, kind: 'comment', result: s.pass_fail }];
    return [];
  });
  return { learning: r.learning, training: r.training, sessionsAbsent: r.sessions_absent, subjects: results };
}

/** Where the year close left a student for the summer: re-test subjects (codes) and whether in summer training. */
function summerPlan(r: StoredYear, subjects: StoredSubject[]) {
  const standing = standingOf(r, subjects);
  if (!standing) return null;
  const d = promotionDecision(standing);
  if (d.outcome === 'retest') return { standing, before: 'retest' as const, training: false, thenRetest: true, retest: d.retestSubjects };
  if (d.outcome === 'summer_training') return { standing, before: 'summer_training' as const, training: true, thenRetest: d.thenRetest, retest: d.retestSubjects };
  return null;
}

const retestText = (r: { score_tenths: number | null; pass_fail: PassFail | null }) => (r.score_tenths !== null ? formatTenths(r.score_tenths) : r.pass_fail === 'dat' ? 'Đ' : r.pass_fail === 'chua_dat' ? 'CĐ' : null);

/** The class's students of the summer lists, each with what was entered; a subject teacher sees only their subjects' re-tests. */
async function classSummer(db: Db, caller: Caller, schoolId: string, classId: string) {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!readsResults(standing) && !standing.teachesAny) throw notFound('Không tìm thấy lớp.');
  const year = await listClassStudentResults(db, schoolId, classId, cls.year, 'cn');
  const onList = year.filter((r) => r.promotion === 'retest' || r.promotion === 'summer_training');
  const ids = onList.map((r) => r.student_id);
  const [subjects, taught, retests, training, results, state, names] = await Promise.all([
    listSubjectResults(db, schoolId, cls.year, 'cn', ids),
    listTaughtSubjects(db, schoolId, cls.year, cls.grade),
    listSummerRetests(db, schoolId, cls.year, ids),
    listSummerTraining(db, schoolId, cls.year, ids),
    listSummerResults(db, schoolId, cls.year, ids),
    findSummerState(db, schoolId, cls.year),
    listYearStudentResults(db, schoolId, cls.year, ids),
  ]);
  const seesAll = readsResults(standing);
  const subjectName = new Map(taught.map((s) => [s.code, s.name]));
  const students = onList.flatMap((r) => {
    const own = subjects.filter((s) => s.student_id === r.student_id);
    const plan = summerPlan(r, own);
    if (!plan) return [];
    const n = names.find((x) => x.student_id === r.student_id);
    const fullName = n ? joinFullName({ familyName: n.family_name, middleName: n.middle_name, givenName: n.given_name }) : '';
    const subjectRows = plan.retest
      .filter((code) => seesAll || standing.teaches(code))
      .map((code) => {
        const y = own.find((s) => s.subject_code === code);
        const entered = retests.find((x) => x.student_id === r.student_id && x.subject_code === code);
        return {
          subjectCode: code,
          subjectName: subjectName.get(code) ?? code,
          assessment: y?.average_tenths !== null && y?.average_tenths !== undefined ? ('score' as const) : ('comment' as const),
          yearResult: y?.average_tenths !== null && y?.average_tenths !== undefined ? formatTenths(y.average_tenths) : y?.pass_fail ? LEVEL_LABELS[y.pass_fail] : '',
          value: entered ? retestText(entered) : null,
          mayEnter: standing.principal || standing.teaches(code),
        };
      });
    if (!seesAll && subjectRows.length === 0) return [];
    const done = results.find((x) => x.student_id === r.student_id);
    return [
      {
        studentId: r.student_id,
        fullName,
        plan,
        training: plan.training && seesAll ? { yearLevel: r.training ? LEVEL_LABELS[r.training] : null, level: training.find((x) => x.student_id === r.student_id)?.level ?? null } : null,
        subjectRows,
        result: done?.promotion ? done.detail : null,
        missing: done && !done.promotion ? done.missing : null,
      },
    ];
  });
  return { cls, standing, students, locked: state?.locked === true, unlockReason: state?.unlock_reason ?? null, yearClosed: year.length > 0 };
}

export async function getSummer(db: Db, caller: Caller, schoolId: string, classId: string): Promise<TSummer> {
  const c = await classSummer(db, caller, schoolId, classId);
  return {
    classId,
    className: c.cls.name,
    year: c.cls.year,
    yearClosed: c.yearClosed,
    locked: c.locked,
    unlockReason: c.unlockReason,
    canEnterTraining: !c.locked && (c.standing.homeroom || c.standing.principal),
    canLock: c.standing.principal,
    canReclassify: c.standing.principal,
    students: c.students.map((s) => ({
      studentId: s.studentId,
      fullName: s.fullName,
      decision: s.plan.before === 'retest' ? PROMOTION_LABELS.retest : s.plan.thenRetest ? `${PROMOTION_LABELS.summer_training}, rồi kiểm tra lại` : PROMOTION_LABELS.summer_training,
      training: s.training,
      retests: s.subjectRows.map(({ mayEnter, ...r }) => ({ ...r, canEdit: mayEnter && !c.locked })),
      result: s.result,
      missing: s.missing,
    })),
  };
}

const LOCKED_MESSAGE = 'Kết quả kiểm tra lại và rèn luyện hè của năm học đã khóa. Muốn sửa, hãy đề nghị hiệu trưởng mở khóa (có ghi lý do).';

/** Writes in the school's summer of a year, refused once the principal locked it (409; the trigger underneath too). */
async function inOpenSummer(db: Db, schoolId: string, year: number, write: (trx: Transaction<Database>) => Promise<void>) {
  await db.transaction().execute(async (trx) => {
    const state = await lockSummerState(trx, schoolId, year);
    if (state.locked) throw conflict('summer_locked', LOCKED_MESSAGE);
    await write(trx);
  });
}

/** Re-test marks (Điều 13): the teacher of the subject in the class, or the principal; one decimal, or Đạt / Chưa đạt. */
export async function setSummerRetests(db: Db, caller: Caller, schoolId: string, classId: string, input: { retests: Array<{ studentId: string; subjectCode: string; value: string | null }> }): Promise<TSummer> {
  const c = await classSummer(db, caller, schoolId, classId);
  const rows: Array<{ studentId: string; subjectCode: string; scoreTenths: number | null; passFail: PassFail | null }> = [];
  for (const [i, e] of input.retests.entries()) {
    const line = `Dòng ${i + 1}`;
    if (!c.standing.principal && !c.standing.teaches(e.subjectCode)) {
      throw new AppError(403, 'retest_not_teacher', `${line} — Môn kiểm tra lại: chỉ giáo viên dạy môn này ở lớp ${c.cls.name} (hoặc hiệu trưởng) nhập điểm kiểm tra lại.`);
    }
    const student = c.students.find((s) => s.studentId === e.studentId);
    const subject = student?.subjectRows.find((r) => r.subjectCode === e.subjectCode);
    if (!student || !subject) throw badRequest('not_on_retest_list', `${line} — Học sinh: không có tên trong danh sách kiểm tra lại môn này của lớp ${c.cls.name}.`);
    const text = (e.value ?? '').trim();
    if (text === '') {
      rows.push({ studentId: e.studentId, subjectCode: e.subjectCode, scoreTenths: null, passFail: null });
      continue;
    }
    if (subject.assessment === 'score') {
      const m = parseMark(text);
      if (!m.ok) throw badRequest('retest_value_invalid', `${line} — ${subject.subjectName} của em ${student.fullName}: ${m.message}`);
      rows.push({ studentId: e.studentId, subjectCode: e.subjectCode, scoreTenths: m.tenths, passFail: null });
    } else {
      const r = parsePassFail(text);
      if (!r) throw badRequest('retest_value_invalid', `${line} — ${subject.subjectName} của em ${student.fullName}: "${text}" không phải mức đánh giá; hãy nhập Đ (Đạt) hoặc CĐ (Chưa đạt).`);
      rows.push({ studentId: e.studentId, subjectCode: e.subjectCode, scoreTenths: null, passFail: r });
    }
  }
  await inOpenSummer(db, schoolId, c.cls.year, (trx) => writeSummerRetests(trx, schoolId, c.cls.year, rows, caller.actor.userId));
  return getSummer(db, caller, schoolId, classId);
}

/** The training re-rated after summer training (Điều 14): the homeroom teacher or the principal. */
export async function setSummerTraining(db: Db, caller: Caller, schoolId: string, classId: string, input: { ratings: Array<{ studentId: string; level: AssessmentLevel | null }> }): Promise<TSummer> {
  const c = await classSummer(db, caller, schoolId, classId);
  if (!c.standing.homeroom && !c.standing.principal) {
    throw new AppError(403, 'summer_training_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${c.cls.name} (hoặc hiệu trưởng) xếp loại lại rèn luyện sau kì nghỉ hè.`);
  }
  const stranger = input.ratings.findIndex((r) => !c.students.some((s) => s.studentId === r.studentId && s.plan.training));
  if (stranger >= 0) throw badRequest('not_in_summer_training', `Dòng ${stranger + 1} — Học sinh: không có tên trong danh sách rèn luyện trong kì nghỉ hè của lớp ${c.cls.name}.`);
  await inOpenSummer(db, schoolId, c.cls.year, (trx) => writeSummerTraining(trx, schoolId, c.cls.year, input.ratings, caller.actor.userId));
  return getSummer(db, caller, schoolId, classId);
}

/** The principal locks the school's summer entries of a year, or unlocks them with a reason; audited. */
export async function changeSummerState(db: Db, caller: Caller, schoolId: string, input: { year: number; action: 'lock' | 'unlock'; reason?: string }) {
  if (!caller.roles.has('principal')) throw new AppError(403, 'summer_not_principal', 'Chỉ hiệu trưởng khóa và mở khóa kết quả kiểm tra lại, rèn luyện hè.');
  const reason = (input.reason ?? '').trim();
  if (input.action === 'unlock' && reason.length < 5) throw badRequest('unlock_reason_required', 'Lý do: hãy ghi rõ vì sao cần mở khóa (ít nhất 5 kí tự).');
  await db.transaction().execute(async (trx) => {
    const state = await lockSummerState(trx, schoolId, input.year);
    if (state.locked === (input.action === 'lock')) {
      throw conflict('summer_transition_refused', input.action === 'lock' ? 'Kết quả kiểm tra lại, rèn luyện hè đã khóa rồi.' : 'Kết quả kiểm tra lại, rèn luyện hè đang mở, không cần mở khóa.');
    }
    await setSummerState(trx, schoolId, input.year, input.action === 'lock', caller.actor.userId, input.action === 'unlock' ? reason : state.unlock_reason);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: input.action === 'lock' ? 'summer.lock' : 'summer.unlock',
        entity: 'org_unit',
        entityId: schoolId,
        orgUnitId: schoolId,
        after: { year: input.year, ...(input.action === 'unlock' ? { reason } : {}) },
      },
      caller.ip,
    );
  });
}

/**
 * Classifies the year again for every student of the school's summer lists (Điều 13 khoản 2,
 * Điều 14 khoản 2) with the domain's `afterSummer`, and stores the final promoted / retained with
 * the text the học bạ prints. A student with an entry still missing keeps no decision and is named.
 * Run again at any time: it replaces the previous run (the entries may be locked or not).
 */
export async function reclassifyAfterSummer(db: Db, caller: Caller, schoolId: string, input: { year: number }): Promise<TReclassifySummary> {
  if (!caller.roles.has('principal')) throw new AppError(403, 'reclassify_not_principal', 'Chỉ hiệu trưởng xét lại lên lớp sau kiểm tra lại, rèn luyện hè.');
  const year = (await listYearStudentResults(db, schoolId, input.year)).filter((r) => r.promotion === 'retest' || r.promotion === 'summer_training');
  if (year.length === 0) {
    throw badRequest('no_summer_students', 'Năm học: chưa có học sinh nào phải kiểm tra lại hoặc rèn luyện trong hè (hiệu trưởng tổng hợp kết quả cả năm trước).');
  }
  const ids = year.map((r) => r.student_id);
  const [subjects, retests, training, names] = await Promise.all([
    listSubjectResults(db, schoolId, input.year, 'cn', ids),
    listSummerRetests(db, schoolId, input.year, ids),
    listSummerTraining(db, schoolId, input.year, ids),
    listSubjectNames(db),
  ]);
  const subjectName = new Map(names.map((n) => [n.code, n.name]));
  const summary: TReclassifySummary = { year: input.year, students: 0, promoted: 0, retained: 0, missing: [] };
  const rows: Parameters<typeof replaceSummerResults>[3] = [];
  for (const r of year) {
    const plan = summerPlan(r, subjects.filter((s) => s.student_id === r.student_id));
    if (!plan) continue;
    const fullName = joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });
    const own = retests.filter((x) => x.student_id === r.student_id);
    // Every re-test subject needs its mark before the learning result is classified again: one
    // subject entered out of three must not read as the student's whole re-test.
    const lacking = plan.retest.filter((code) => !own.some((x) => x.subject_code === code));
    const entered = lacking.length === 0 ? own.map((x) => ({ subject: x.subject_code, result: x.score_tenths ?? (x.pass_fail as PassFail) })) : [];
    const out = afterSummer(plan.standing, { training: training.find((x) => x.student_id === r.student_id)?.level, retests: entered });
    summary.students++;
    if (out.missing || (out.decision.outcome !== 'promoted' && out.decision.outcome !== 'retained')) {
      const reason = out.missing === 'chưa có điểm kiểm tra lại' && lacking.length > 0 ? `chưa có điểm kiểm tra lại môn ${lacking.map((c) => subjectName.get(c) ?? c).join(', ')}` : (out.missing ?? 'chưa đủ kết quả sau kì nghỉ hè');
      summary.missing.push({ className: r.class_name, fullName, reason });
      rows.push({ studentId: r.student_id, promotion: null, learning: null, training: null, detail: null, missing: reason });
      continue;
    }
    const decision = out.decision;
    if (decision.outcome === 'promoted') summary.promoted++;
    else summary.retained++;
    rows.push({
      studentId: r.student_id,
      promotion: decision.outcome,
      learning: out.learning,
      training: out.training,
      detail: afterSummerText(plan.before, decision, plan.thenRetest && plan.before === 'summer_training'),
      missing: null,
    });
  }
  await db.transaction().execute(async (trx) => {
    await replaceSummerResults(trx, schoolId, input.year, rows, caller.actor.userId);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'results.after_summer',
        entity: 'org_unit',
        entityId: schoolId,
        orgUnitId: schoolId,
        after: { year: input.year, studentCount: summary.students, promotedCount: summary.promoted, retainedCount: summary.retained },
      },
      caller.ip,
    );
  });
  return summary;
}
