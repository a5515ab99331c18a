import type { Kysely, Transaction } from 'kysely';
import type { TPublishColumns } from '../../../../contracts/gradebook.js';
import type { TFamilyResults } from '../../../../contracts/results.js';
import {
  AWARD_LABELS,
  LEVEL_LABELS,
  PROMOTION_LABELS,
  SUBJECT_LEVEL_LABELS,
  YEAR_COMMENT_TOPICS,
  YEAR_COMMENT_TOPIC_LABELS,
  YEAR_OUTCOME_LABELS,
  formatCell,
  joinFullName,
  recordedAwardText,
  schoolYearLabel,
} from '../../../../domain/index.js';
import type { Database, ResultPeriod } from '../../db/schema.js';
import { isGuardianOf } from '../../platform/access.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { listStudentAbsences } from './attendance.repo.js';
import { type Caller, classWithStanding, termDates } from './class-standing.js';
import type { GridKey } from './gradebook.repo.js';
import { cellValue } from './gradebook.service.js';
import { notify } from '../notifications/notify.js';
import {
  familyAccountsOfClass,
  findFamilyStudent,
  listPublishedCells,
  listPublishedResults,
  publishColumns as insertPublications,
  setResultPublication,
  subjectNameOf,
  unpublishColumns,
} from './publication.repo.js';
import { listStudentRecordedAwards, listStudentYearComments } from './primary-awards.repo.js';
import { listClassStudentResults } from './results.repo.js';
import { listSummerResults } from './summer.repo.js';
import { PERIOD_LABELS } from './results.service.js';

type Db = Kysely<Database>;

const PERIOD_ORDER: Record<ResultPeriod, number> = { hk1: 1, hk2: 2, cn: 3 };
/** How families read a column: TT22 (TX1, Giữa kì, Cuối kì, Nhận xét) or a primary checkpoint's (primary-grid.ts: gk_* / ck_* = the term's mid / end checkpoint). */
const PRIMARY_PART: Record<string, string> = { muc: 'mức đạt được', kt: 'điểm kiểm tra định kì', nx: 'nhận xét' };
const COLUMN_LABEL = (key: string) => {
  const primary = /^(gk|ck)_(muc|kt|nx)$/.exec(key);
  if (primary) return `${primary[1] === 'gk' ? 'Giữa kì' : 'Cuối kì'} — ${PRIMARY_PART[primary[2]]}`;
  return key === 'gk' ? 'Giữa kì' : key === 'ck' ? 'Cuối kì' : key === 'nx' ? 'Nhận xét' : key.toUpperCase();
};
/** The order of a term's marks: TX1…TX9, then mid-term, then end of term (a primary checkpoint's level before its test). */
const PRIMARY_PART_ORDER: Record<string, string> = { muc: 'a', kt: 'b', nx: 'c' };
const COLUMN_ORDER = (key: string) => (key.startsWith('tx') ? `0${key}` : `${key.startsWith('gk') ? 1 : 2}${PRIMARY_PART_ORDER[key.slice(3)] ?? ''}`);

/**
 * The subject's teacher (or the principal) publishes columns of a grid to families: parents and
 * the student see those marks in the contact book, the rest stays with the school.
 */
export async function publishGridColumns(db: Db, caller: Caller, schoolId: string, classId: string, subjectCode: string, input: TPublishColumns) {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!standing.manager && !standing.homeroom && !standing.teaches(subjectCode)) throw notFound('Không tìm thấy sổ điểm của môn này ở lớp.');
  if (!standing.teaches(subjectCode, input.term) && !standing.principal) {
    throw new AppError(403, 'publish_not_teacher', 'Chỉ giáo viên dạy môn này ở lớp (hoặc hiệu trưởng) công bố điểm cho gia đình.');
  }
  const key: GridKey = { schoolId, classId, subjectCode, term: input.term };
  const termText = `học kì ${input.term === 1 ? 'I' : 'II'}`;
  await db.transaction().execute(async (trx) => {
    if (input.published) {
      await insertPublications(trx, key, input.columns, caller.actor.userId);
      await tellFamilies(trx, schoolId, classId, caller.actor.userId, `Điểm môn ${await subjectNameOf(trx, subjectCode)} đã được công bố`, `Lớp ${cls.name}, ${termText}`);
    } else await unpublishColumns(trx, key, input.columns);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: input.published ? 'gradebook.publish' : 'gradebook.unpublish',
        entity: 'gradebook',
        entityId: `${classId}:${subjectCode}:${input.term}`,
        orgUnitId: schoolId,
        targetLabel: `${subjectCode} — ${cls.name}, học kì ${input.term === 1 ? 'I' : 'II'}`,
        after: { published_columns: input.columns.map(COLUMN_LABEL).join(', ') },
      },
      caller.ip,
    );
  });
}

/**
 * Tells the class's families, in the publishing transaction, that something was published: one
 * notice per child (what was published differs by child), linked to that child's results. What a
 * lock screen may show: what kind of thing and the class, never a mark.
 */
async function tellFamilies(trx: Transaction<Database>, schoolId: string, classId: string, by: string, title: string, body: string) {
  const families = await familyAccountsOfClass(trx, schoolId, classId);
  await notify(
    trx,
    families.map((f) => ({ userId: f.user_id, kind: 'results_published' as const, sourceId: classId, schoolId, studentId: f.student_id, title, body, link: `/con-cua-toi/${schoolId}/${f.student_id}` })),
    { orgUnitId: schoolId, createdBy: by },
  );
}

/** The homeroom teacher or the principal publishes a closed period's results of the class. */
export async function publishClassResults(db: Db, caller: Caller, schoolId: string, classId: string, input: { year: number; period: ResultPeriod; published: boolean }) {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!standing.manager && !standing.homeroom) throw notFound('Không tìm thấy kết quả của lớp này.');
  if (!standing.homeroom && !standing.principal) throw new AppError(403, 'publish_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${cls.name} (hoặc hiệu trưởng) công bố kết quả cho gia đình.`);
  if (input.year !== cls.year) throw badRequest('year_mismatch', `Năm học: lớp ${cls.name} thuộc năm học khác.`);
  if (input.published && (await listClassStudentResults(db, schoolId, classId, cls.year, input.period)).length === 0) {
    throw badRequest('results_not_closed', `Kì xét: ${PERIOD_LABELS[input.period]} của lớp ${cls.name} chưa được tổng hợp; hiệu trưởng tổng hợp trước rồi mới công bố.`);
  }
  await db.transaction().execute(async (trx) => {
    await setResultPublication(trx, schoolId, classId, cls.year, input.period, input.published, caller.actor.userId);
    if (input.published) await tellFamilies(trx, schoolId, classId, caller.actor.userId, `Kết quả ${PERIOD_LABELS[input.period].charAt(0).toLowerCase()}${PERIOD_LABELS[input.period].slice(1)} đã được công bố`, `Lớp ${cls.name}`);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: input.published ? 'results.publish' : 'results.unpublish',
        entity: 'class',
        entityId: classId,
        orgUnitId: schoolId,
        targetLabel: `Lớp ${cls.name} (${schoolYearLabel(cls.year)})`,
        after: { resultPeriod: PERIOD_LABELS[input.period] },
      },
      caller.ip,
    );
  });
}

/**
 * One student's published marks and results and their attendance, as the family reads them:
 * the parent of the child, the student themself, or the school previewing what the family sees.
 */
export async function familyResults(db: Db, caller: Caller, schoolId: string, studentId: string, year?: number): Promise<TFamilyResults> {
  // The student and the guardian link are asked at once: a family's request is read on report-card
  // evening by thousands at a time, and each round trip is paid by all of them (bench/family.bench.ts).
  const [student, guardian] = await Promise.all([
    findFamilyStudent(db, schoolId, studentId),
    caller.roles.has('parent') ? isGuardianOf(db, caller.actor, schoolId, studentId) : Promise.resolve(false),
  ]);
  if (!student) throw notFound('Không tìm thấy học sinh.');
  const own = guardian || (caller.roles.has('student') && caller.actor.student?.schoolId === schoolId && caller.actor.student.studentId === studentId);
  let school = false;
  if (!own && student.current_class_id) {
    const { standing } = await classWithStanding(db, caller, schoolId, student.current_class_id);
    school = standing.manager || standing.homeroom;
  }
  if (!own && !school) throw notFound('Không tìm thấy học sinh.');
  const fullName = joinFullName({ familyName: student.family_name, middleName: student.middle_name, givenName: student.given_name });
  const y = year ?? student.year;
  if (y === null || !student.current_class_id) return { studentId, fullName, className: student.class_name, year: y, subjects: [], results: [], attendance: { excused: 0, unexcused: 0, recent: [] } };

  const cls = { year: y, term1_start: null, term1_end: null, term2_start: null, term2_end: null };
  const span = { from: termDates(cls, 1).from, to: termDates(cls, 2).to };
  const [cells, results, summer, awards, yearComments, absences] = await Promise.all([
    listPublishedCells(db, schoolId, studentId, y),
    listPublishedResults(db, schoolId, studentId, y),
    listSummerResults(db, schoolId, y, [studentId]),
    listStudentRecordedAwards(db, schoolId, studentId).then((all) => all.filter((a) => a.year === y)),
    listStudentYearComments(db, schoolId, studentId).then((all) => all.filter((c) => c.year === y)),
    listStudentAbsences(db, schoolId, studentId, span.from, span.to),
  ]);
  // A primary year's recorded awards and the homeroom teacher's comments show with the published year result, never on their own.
  const yearAwards = awards.map((a) => recordedAwardText(a.kind, a.achievement));
  const yearCommentLines = YEAR_COMMENT_TOPICS.flatMap((topic) => yearComments.filter((c) => c.topic === topic && c.comment).map((c) => ({ label: YEAR_COMMENT_TOPIC_LABELS[topic], text: c.comment ?? '' })));
  // The year's result after the summer shows with the published year result, never on its own.
  const afterSummer = summer.find((s) => s.promotion && s.detail)?.detail ?? null;
  type TermMarks = { marks: Array<{ label: string; value: string; order: string }>; comment: string | null; primaryComments: Array<{ order: string; text: string }> };
  const subjects = new Map<string, { name: string; order: number; terms: Map<number, TermMarks> }>();
  for (const c of cells) {
    const s = subjects.get(c.subject_code) ?? { name: c.subject_name, order: c.sort_order, terms: new Map<number, TermMarks>() };
    subjects.set(c.subject_code, s);
    const t: TermMarks = s.terms.get(c.term) ?? { marks: [], comment: null, primaryComments: [] };
    s.terms.set(c.term, t);
    const value = cellValue(c);
    if (!value) continue;
    // A family reads a primary level in words (Hoàn thành tốt), not the gradebook's letter.
    const text = value.kind === 'subject_level' ? SUBJECT_LEVEL_LABELS[value.level] : formatCell(value);
    if (c.column_key === 'nx') t.comment = text;
    else if (c.column_key.endsWith('_nx')) t.primaryComments.push({ order: COLUMN_ORDER(c.column_key), text: `${c.column_key.startsWith('gk') ? 'Giữa kì' : 'Cuối kì'}: ${text}` });
    else t.marks.push({ label: COLUMN_LABEL(c.column_key), value: text, order: COLUMN_ORDER(c.column_key) });
  }
  // The year's absences wherever in the school they were taken; the last ten are listed.
  const excused = absences.filter((a) => a.excused).length;
  const recent = absences.slice(-10);
  return {
    studentId,
    fullName,
    className: student.class_name,
    year: y,
    subjects: [...subjects.values()]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({
        subjectName: s.name,
        terms: [...s.terms.entries()]
          .sort(([a], [b]) => a - b)
          .map(([term, t]) => ({
            term,
            marks: t.marks.sort((a, b) => a.order.localeCompare(b.order)).map(({ label, value }) => ({ label, value })),
            // A primary term has two comments (its mid and end checkpoint), each named, the mid-term one first.
            comment:
              t.primaryComments.length > 0
                ? t.primaryComments
                    .sort((a, b) => a.order.localeCompare(b.order))
                    .map((x) => x.text)
                    .join('\n')
                : t.comment,
          })),
      })),
    results: results
      .sort((a, b) => PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period])
      .map((r) => ({
        periodLabel: PERIOD_LABELS[r.period],
        learning: r.learning ? LEVEL_LABELS[r.learning] : null,
        training: r.training ? LEVEL_LABELS[r.training] : null,
        outcome: r.primary_outcome ? YEAR_OUTCOME_LABELS[r.primary_outcome] : null,
        sessionsAbsent: r.sessions_absent,
        promotion: r.promotion ? PROMOTION_LABELS[r.promotion] : null,
        afterSummer: r.period === 'cn' && (r.promotion === 'retest' || r.promotion === 'summer_training') ? afterSummer : null,
        award: [...(r.award ? [AWARD_LABELS[r.award]] : []), ...(r.period === 'cn' ? yearAwards : [])].join('; ') || null,
        comments: r.period === 'cn' ? yearCommentLines : [],
        publishedAt: new Date(r.published_at).toISOString(),
      })),
    attendance: { excused, unexcused: absences.length - excused, recent: recent.map((a) => ({ date: a.day, session: a.session, excused: a.excused })) },
  };
}
