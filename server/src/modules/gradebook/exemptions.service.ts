import type { Kysely } from 'kysely';
import type { TExemptions, TSetExemption } from '../../../../contracts/results.js';
import { joinFullName } from '../../../../domain/index.js';
import type { Database, ResultPeriod } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { type Caller, type ClassRow, classWithStanding, readsResults, termDates } from './class-standing.js';
import { listGridStudents, listTaughtSubjects } from './gradebook.repo.js';
import { deleteExemption, listExemptStudents, listExemptions, upsertExemption } from './summer.repo.js';

type Db = Kysely<Database>;

/**
 * Miễn học (TT22/2021 Điều 11): a student exempt from a subject (GDTC for health reasons, most
 * often) for term I, term II or the whole year, with the reason, recorded by the principal. The
 * grid refuses marks for the exempt term(s) (gradebook.service.ts, gradebook-import.ts) and the
 * close reads the exemption and passes `exempt` to the domain (results.service.ts).
 */
export const SCOPE_LABELS: Record<ResultPeriod, string> = { hk1: 'Học kì I', hk2: 'Học kì II', cn: 'Cả năm' };
const SCOPE_PHRASE: Record<ResultPeriod, string> = { hk1: 'trong học kì I', hk2: 'trong học kì II', cn: 'cả năm học' };

/** The class's students of its whole year, once each, in class-list order. */
async function yearMembers(db: Db, schoolId: string, classId: string, cls: ClassRow) {
  const rows = await listGridStudents(db, schoolId, classId, termDates(cls, 1).from, termDates(cls, 2).to);
  return rows.filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
}

export async function getExemptions(db: Db, caller: Caller, schoolId: string, classId: string): Promise<TExemptions> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!readsResults(standing)) throw notFound('Không tìm thấy lớp.');
  const [members, subjects] = await Promise.all([yearMembers(db, schoolId, classId, cls), listTaughtSubjects(db, schoolId, cls.year, cls.grade)]);
  const shown = subjects.filter((s) => s.assessmentKind !== 'mixed');
  const nameOf = new Map(members.map((m) => [m.id, joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name })]));
  const subjectName = new Map(shown.map((s) => [s.code, s.name]));
  const rows = await listExemptions(db, schoolId, cls.year, [...nameOf.keys()]);
  const order = new Map(members.map((m, i) => [m.id, i]));
  return {
    classId,
    className: cls.name,
    year: cls.year,
    canEdit: standing.principal,
    items: rows
      .sort((a, b) => (order.get(a.student_id) ?? 0) - (order.get(b.student_id) ?? 0) || a.subject_code.localeCompare(b.subject_code))
      .map((r) => ({
        studentId: r.student_id,
        fullName: nameOf.get(r.student_id) ?? '',
        subjectCode: r.subject_code,
        subjectName: subjectName.get(r.subject_code) ?? r.subject_code,
        scope: r.scope,
        scopeLabel: SCOPE_LABELS[r.scope],
        reason: r.reason,
        recordedAt: new Date(r.recorded_at).toISOString(),
      })),
    students: members.map((m) => ({ studentId: m.id, fullName: nameOf.get(m.id) ?? '' })),
    subjects: shown.map((s) => ({ code: s.code, name: s.name })),
  };
}

/** Records (scope set) or lifts (scope null) an exemption: the principal's decision, audited. */
export async function setExemption(db: Db, caller: Caller, schoolId: string, classId: string, input: TSetExemption): Promise<TExemptions> {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!standing.manager && !standing.homeroom) throw notFound('Không tìm thấy lớp.');
  if (!standing.principal) throw new AppError(403, 'exemption_not_principal', 'Chỉ hiệu trưởng quyết định miễn học (giáo viên chủ nhiệm đề nghị, hiệu trưởng ghi lại).');
  const [members, subject] = await Promise.all([yearMembers(db, schoolId, classId, cls), listTaughtSubjects(db, schoolId, cls.year, cls.grade, input.subjectCode)]);
  const member = members.find((m) => m.id === input.studentId);
  if (!member) throw badRequest('student_not_in_class', `Học sinh: không học lớp ${cls.name} trong năm học này.`);
  const taught = subject.at(0);
  if (!taught || taught.assessmentKind === 'mixed') throw badRequest('subject_not_taught', `Môn học: lớp ${cls.name} không học môn này.`);
  const fullName = joinFullName({ familyName: member.family_name, middleName: member.middle_name, givenName: member.given_name });
  await db.transaction().execute(async (trx) => {
    if (input.scope === null) {
      const gone = await deleteExemption(trx, schoolId, input.studentId, cls.year, input.subjectCode);
      if (!gone) return;
      await writeAudit(
        trx,
        caller.actor,
        {
          action: 'exemption.remove',
          entity: 'student',
          entityId: input.studentId,
          orgUnitId: schoolId,
          targetLabel: fullName,
          before: { subject_code: input.subjectCode, exemption_scope: gone.scope, reason: gone.reason },
        },
        caller.ip,
      );
      return;
    }
    const reason = (input.reason ?? '').trim();
    await upsertExemption(trx, { schoolId, studentId: input.studentId, year: cls.year, subjectCode: input.subjectCode, scope: input.scope, reason, by: caller.actor.userId });
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'exemption.set',
        entity: 'student',
        entityId: input.studentId,
        orgUnitId: schoolId,
        targetLabel: fullName,
        after: { subject_code: input.subjectCode, exemption_scope: input.scope, reason, year: cls.year },
      },
      caller.ip,
    );
  });
  return getExemptions(db, caller, schoolId, classId);
}

/**
 * The students exempt from a grid's subject in its term, each with the sentence the grid shows
 * ("Miễn học cả năm học — Sức khỏe") and the refusal a mark for them gets.
 */
export async function gridExemptions(db: Db, schoolId: string, year: number, subjectCode: string, subjectName: string, term: number) {
  return exemptionMessages(await listExemptStudents(db, schoolId, year, subjectCode, term), subjectName);
}

/** The sentences of `gridExemptions` from rows already read (the save reads them beside the grid). */
export function exemptionMessages(rows: Array<{ student_id: string; scope: ResultPeriod; reason: string }>, subjectName: string) {
  return new Map(
    rows.map((r) => [
      r.student_id,
      {
        label: `Miễn học ${SCOPE_PHRASE[r.scope]} — ${r.reason}`,
        refusal: `Học sinh được miễn học môn ${subjectName} ${SCOPE_PHRASE[r.scope]} (lý do: ${r.reason}), nên không nhập điểm. Nếu quyết định miễn học đã thay đổi, nhờ hiệu trưởng bỏ miễn học trước.`,
      },
    ]),
  );
}
