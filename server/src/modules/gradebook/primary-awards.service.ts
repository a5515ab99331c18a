import type { Kysely } from 'kysely';
import type { TPrimaryAwards, TRemovePrimaryAwardQuery, TSavePrimaryAward } from '../../../../contracts/results.js';
import { RECORDED_PRIMARY_AWARD_LABELS, YEAR_OUTCOME_LABELS, joinFullName, schoolYearLabel, tieuBieuRefusal } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { type Caller, type Standing, primaryClassWithStanding, termDates } from './class-standing.js';
import { listGridStudents } from './gradebook.repo.js';
import { type AwardKey, deleteAward, findAwardForUpdate, listClassAwards, upsertAward } from './primary-awards.repo.js';
import { listClassStudentResults } from './results.repo.js';

type Db = Kysely<Database>;

const STATUS_LABELS = { proposed: 'Giáo viên chủ nhiệm đề nghị', recorded: 'Hiệu trưởng đã khen thưởng' } as const;

/**
 * A primary class's year with who may propose and record awards (TT27 Điều 13): read by who reads
 * its results (404 for anyone else); the year's students and their outcome as the last year close
 * stored it.
 */
async function loadClass(db: Db, caller: Caller, schoolId: string, classId: string, authorize?: (s: Standing, className: string) => void) {
  const { cls, standing } = await primaryClassWithStanding(db, caller, schoolId, classId, 'Khen thưởng Học sinh Tiêu biểu', authorize);
  const span = { from: termDates(cls, 1).from, to: termDates(cls, 2).to };
  const [members, results] = await Promise.all([listGridStudents(db, schoolId, classId, span.from, span.to), listClassStudentResults(db, schoolId, classId, cls.year, 'cn')]);
  const students = members
    .filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i)
    .map((s) => ({
      id: s.id,
      fullName: joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }),
      outcome: results.find((r) => r.student_id === s.id)?.primary_outcome ?? null,
    }));
  return { cls, standing, students, closed: results.length > 0 };
}

export async function getPrimaryAwards(db: Db, caller: Caller, schoolId: string, classId: string): Promise<TPrimaryAwards> {
  const { cls, standing, students, closed } = await loadClass(db, caller, schoolId, classId);
  const awards = await listClassAwards(db, schoolId, classId);
  const nameOf = new Map(students.map((s) => [s.id, s.fullName]));
  return {
    classId,
    className: cls.name,
    year: cls.year,
    closed,
    awards: awards
      .filter((a) => nameOf.has(a.student_id))
      .map((a) => ({
        studentId: a.student_id,
        fullName: nameOf.get(a.student_id) ?? '',
        kind: a.kind,
        kindLabel: RECORDED_PRIMARY_AWARD_LABELS[a.kind],
        achievement: a.achievement,
        status: a.status,
        statusLabel: STATUS_LABELS[a.status],
        version: a.version,
      })),
    students: students.map((s) => ({ studentId: s.id, fullName: s.fullName, outcome: s.outcome ? YEAR_OUTCOME_LABELS[s.outcome] : null, tieuBieu: tieuBieuRefusal(s.outcome) === null })),
    actions: { propose: standing.homeroom && !standing.principal, record: standing.principal },
  };
}

const mayAward = (s: Standing) => s.homeroom || s.principal;
const forbidden = (className: string) =>
  new AppError(403, 'award_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${className} đề nghị và hiệu trưởng khen thưởng học sinh của lớp.`);

/**
 * The homeroom teacher proposes an award, the principal records it (a proposal, or one of their
 * own). Học sinh Tiêu biểu only for a Hoàn thành tốt year (tieuBieuRefusal: 409 with the reason);
 * an ad-hoc award for anyone. The version read guards against two people writing at once; a
 * recorded award is the principal's to change.
 */
export async function savePrimaryAward(db: Db, caller: Caller, schoolId: string, classId: string, input: TSavePrimaryAward): Promise<TPrimaryAwards> {
  const { cls, standing, students } = await loadClass(db, caller, schoolId, classId, (s, className) => {
    if (!mayAward(s)) throw forbidden(className);
  });
  const student = students.find((s) => s.id === input.studentId);
  if (!student) throw badRequest('student_not_in_class', `Học sinh này không học lớp ${cls.name} trong năm học ${schoolYearLabel(cls.year)}.`);
  if (input.kind === 'tieu_bieu') {
    const refusal = tieuBieuRefusal(student.outcome);
    if (refusal) throw conflict('award_not_eligible', `${student.fullName}: ${refusal}`);
  }
  const key: AwardKey = { schoolId, classId, studentId: input.studentId, kind: input.kind };
  const status = standing.principal ? 'recorded' : 'proposed';
  await db.transaction().execute(async (trx) => {
    const current = await findAwardForUpdate(trx, key);
    if (current?.status === 'recorded' && status === 'proposed') {
      throw conflict('award_recorded', `Hiệu trưởng đã khen thưởng ${student.fullName} (${RECORDED_PRIMARY_AWARD_LABELS[input.kind]}); muốn sửa, hãy đề nghị hiệu trưởng.`);
    }
    const ok = (current?.version ?? 0) === input.version && (await upsertAward(trx, key, input.achievement, status, input.version, caller.actor.userId));
    if (!ok) throw conflict('award_changed', `Khen thưởng của ${student.fullName} vừa được người khác sửa; hãy tải lại trang để xem rồi sửa tiếp.`);
  });
  return getPrimaryAwards(db, caller, schoolId, classId);
}

/** Withdraws a proposal (its homeroom teacher) or removes an award (the principal), at the version read. */
export async function removePrimaryAward(db: Db, caller: Caller, schoolId: string, classId: string, input: TRemovePrimaryAwardQuery): Promise<TPrimaryAwards> {
  const { standing, students } = await loadClass(db, caller, schoolId, classId, (s, className) => {
    if (!mayAward(s)) throw forbidden(className);
  });
  const fullName = students.find((s) => s.id === input.studentId)?.fullName ?? 'Học sinh';
  const key: AwardKey = { schoolId, classId, studentId: input.studentId, kind: input.kind };
  await db.transaction().execute(async (trx) => {
    const current = await findAwardForUpdate(trx, key);
    if (!current) throw notFound('Không tìm thấy khen thưởng này.');
    if (current.status === 'recorded' && !standing.principal) {
      throw conflict('award_recorded', `Hiệu trưởng đã khen thưởng ${fullName} (${RECORDED_PRIMARY_AWARD_LABELS[input.kind]}); chỉ hiệu trưởng bỏ được.`);
    }
    if (current.version !== input.version) throw conflict('award_changed', `Khen thưởng của ${fullName} vừa được người khác sửa; hãy tải lại trang để xem.`);
    await deleteAward(trx, key);
  });
  return getPrimaryAwards(db, caller, schoolId, classId);
}
