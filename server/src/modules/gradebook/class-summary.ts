/**
 * "Sổ theo dõi và đánh giá học sinh (theo lớp)" as an .xlsx, laid out like the TT22/2021 annex for
 * THCS and THPT: one sheet per term and one for the year; students (class-list order) down,
 * subjects across with the term's (or the year's) average or Đ / CĐ, then the learning and training
 * results, absences, and for the year promotion, re-test subjects, summer training and award; then
 * a sheet per subject with every mark of both terms (class-summary-subjects.ts).
 *
 * A primary class (TT27/2020, by its grade's rule set that year) gets the primary equivalent, the
 * "Bảng tổng hợp kết quả đánh giá giáo dục của lớp": one sheet per checkpoint (giữa / cuối học kì
 * I, giữa học kì II, cuối năm học); per subject its level (T / H / C) and, where the checkpoint has
 * one, the periodic test; the 15 qualities and competencies (T / Đ / C); for the closed
 * checkpoints the absences, and at the end of the year the outcome, completion and award. The
 * exact paper layout is not in our sources (domain-vn §3 only names the table): the columns are
 * TT27 Điều 7–13's facts in the order the học bạ prints them.
 *
 * Everything comes from what the principal's close stored (student_result, subject_result), never
 * recomputed here: the book shows what the school decided, and a period not yet closed says so.
 *
 * Marks are written as text with a decimal comma ("8,3"), as the grid, the grid's export and the
 * học bạ write them: a number cell with a "0.0" format shows "8.3" on a computer set to English,
 * and a teacher prints this book, not sums it.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import {
  AWARD_LABELS,
  CHECKPOINT_LABELS,
  INCOMPLETE_LABEL,
  LEVEL_LABELS,
  PRIMARY_AWARD_LABELS,
  recordedAwardText,
  PROMOTION_LABELS,
  QUALITIES_AND_COMPETENCIES,
  QUALITY_GROUP_LABELS,
  SUBJECT_LEVEL_SHORT,
  YEAR_OUTCOME_LABELS,
  formatEnteredMark,
  formatTenths,
  formatVnDate,
  gradeCompletion,
  gridPlaceOf,
  joinFullName,
  periodicTestRequired,
  primaryColumnKeys,
  ruleSetFor,
  schoolYearLabel,
  type Checkpoint,
  type QualityGroup,
  type QualityLevel,
  type SubjectLevel,
} from '../../../../domain/index.js';
import type { Database, ResultPeriod } from '../../db/schema.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { type Caller, classWithStanding, readsResults, termDates } from './class-standing.js';
import { type HeaderGroup, type Line, writeSheet } from './class-summary-sheet.js';
import { type SummarySubject, addSubjectSheets } from './class-summary-subjects.js';
import { listClassCells, listGridStudents, listTaughtSubjects } from './gradebook.repo.js';
import { listClassAwards } from './primary-awards.repo.js';
import { listQualityRatings } from './qualities.repo.js';
import { unitNamesUp } from './hoc-ba.repo.js';
import { listClassStudentResults, listSubjectResults } from './results.repo.js';
import { listSummerResults } from './summer.repo.js';

type Db = Kysely<Database>;

const PERIODS: Array<{ period: ResultPeriod; sheet: string; terms: number[]; averageHeader: string }> = [
  { period: 'hk1', sheet: 'Học kì I', terms: [1], averageHeader: 'Điểm trung bình môn học kì (ĐTBmhk) hoặc mức đánh giá' },
  { period: 'hk2', sheet: 'Học kì II', terms: [2], averageHeader: 'Điểm trung bình môn học kì (ĐTBmhk) hoặc mức đánh giá' },
  { period: 'cn', sheet: 'Cả năm', terms: [1, 2], averageHeader: 'Điểm trung bình môn cả năm (ĐTBmcn) hoặc mức đánh giá' },
];


/** Who reads it: the school's managers, the class's homeroom teacher and the offices above (as for the class's results). */
export async function classSummaryXlsx(db: Db, caller: Caller, schoolId: string, classId: string, year: number) {
  const { cls, assignments, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!readsResults(standing)) throw notFound('Không tìm thấy kết quả của lớp này.');
  if (year !== cls.year) {
    throw badRequest('year_mismatch', `Năm học: lớp ${cls.name} học năm học ${schoolYearLabel(cls.year)}, không phải ${schoolYearLabel(year)}.`);
  }
  const primary = ruleSetFor(cls.year, cls.grade) === 'tt27_2020';
  const assigned = new Set(assignments.map((a) => a.subject_code));
  // An elective counts for a class only when the class has a teacher for it (as in the close). In
  // secondary a 'mixed' subject has no result of its own; in primary every subject is assessed.
  const subjects: SummarySubject[] = (await listTaughtSubjects(db, schoolId, cls.year, cls.grade)).filter(
    (s) => (primary || s.assessmentKind !== 'mixed') && (!s.isElective || assigned.has(s.code)),
  );
  const yearEnd = termDates(cls, 2).to;
  const [school] = await unitNamesUp(db, schoolId, yearEnd);
  const membersOf = async (terms: number[]) => {
    const span = { from: termDates(cls, terms[0]).from, to: termDates(cls, terms[terms.length - 1]).to };
    return (await listGridStudents(db, schoolId, classId, span.from, span.to)).filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
  };
  const closedAt = (stored: Array<{ computed_at: Date }>, what: string) => {
    const computedAt = stored.reduce<Date | null>((t, r) => (!t || r.computed_at > t ? r.computed_at : t), null);
    return computedAt
      ? `Kết quả do hiệu trưởng tổng hợp lúc ${formatVnDate(computedAt.toISOString().slice(0, 10))}.`
      : `Chưa tổng hợp kết quả ${what}: các cột kết quả để trống cho đến khi hiệu trưởng tổng hợp.`;
  };
  const context = { db, schoolId, cls, subjects, schoolName: school?.name ?? '', membersOf, closedAt };

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trường Số';
  if (primary) await primarySheets(wb, context);
  else await tt22Sheets(wb, context);
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  const name = primary ? 'Bảng tổng hợp kết quả đánh giá giáo dục' : 'Sổ theo dõi và đánh giá học sinh';
  return { fileName: `${name} ${cls.name} ${schoolYearLabel(cls.year)}.xlsx`, body };
}

type SummaryContext = {
  db: Db;
  schoolId: string;
  cls: Awaited<ReturnType<typeof classWithStanding>>['cls'];
  subjects: SummarySubject[];
  schoolName: string;
  membersOf: (terms: number[]) => Promise<Awaited<ReturnType<typeof listGridStudents>>>;
  closedAt: (stored: Array<{ computed_at: Date }>, what: string) => string;
};

const fullName = (m: { family_name: string; middle_name: string; given_name: string }) => joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name });
const ABSENCE_GROUP: HeaderGroup = { text: 'Số buổi nghỉ học', sub: [{ text: 'Có phép', width: 11 }, { text: 'Không phép', width: 11 }] };
const NOTES: HeaderGroup = { text: 'Ghi chú', width: 36 };
const absences = (r: { sessions_absent: number; sessions_absent_excused: number } | undefined) => [r?.sessions_absent_excused ?? null, r ? r.sessions_absent - r.sessions_absent_excused : null];

/** The TT22 book: a sheet per term and one for the year, from the stored close. */
async function tt22Sheets(wb: ExcelJS.Workbook, { db, schoolId, cls, subjects, schoolName, membersOf, closedAt }: SummaryContext) {
  const classId = cls.id;
  for (const p of PERIODS) {
    const members = await membersOf(p.terms);
    const ids = members.map((m) => m.id);
    const [stored, subjectResults, summer] = await Promise.all([
      listClassStudentResults(db, schoolId, classId, cls.year, p.period),
      listSubjectResults(db, schoolId, cls.year, p.period, ids),
      p.period === 'cn' ? listSummerResults(db, schoolId, cls.year, ids) : Promise.resolve([]),
    ]);
    // What came of the re-test or summer training, once the principal classified again (a note beside the year).
    const afterSummerOf = new Map(summer.flatMap((x) => (x.promotion && x.detail ? [[x.student_id, x.detail] as const] : [])));
    const resultOf = new Map(stored.map((r) => [r.student_id, r]));
    const markOf = new Map(subjectResults.map((r) => [`${r.student_id}/${r.subject_code}`, r]));
    const isYear = p.period === 'cn';

    const lines: Line[] = members.map((m, i) => {
      const r = resultOf.get(m.id);
      const marks = subjects.map((s) => {
        const x = markOf.get(`${m.id}/${s.code}`);
        if (!r || !x) return '';
        if (x.exempt) return 'Miễn';
        if (x.average_tenths !== null) return formatTenths(x.average_tenths);
        return x.pass_fail === 'dat' ? 'Đ' : x.pass_fail === 'chua_dat' ? 'CĐ' : '';
      });
      const missing = Array.isArray(r?.missing) ? (r.missing as string[]) : [];
      const notes = [
        ...(r?.learning_adjusted_from && r.learning ? [`Học tập điều chỉnh từ ${LEVEL_LABELS[r.learning_adjusted_from]} lên ${LEVEL_LABELS[r.learning]} (Điều 9 khoản 3)`] : []),
        ...(r?.promotion === 'retained' && r.promotion_detail ? [r.promotion_detail] : []),
        ...((r?.promotion === 'retest' || r?.promotion === 'summer_training') && afterSummerOf.has(m.id) ? [`Sau kì nghỉ hè: ${afterSummerOf.get(m.id)}`] : []),
        ...missing,
        ...(!r ? ['Không có kết quả của lớp này trong kì (chưa tổng hợp, hoặc học sinh đã chuyển lớp)'] : []),
      ];
      return {
        cells: [
          i + 1,
          fullName(m),
          formatVnDate(m.date_of_birth),
          ...marks,
          r ? (r.learning ? LEVEL_LABELS[r.learning] : INCOMPLETE_LABEL) : '',
          r?.training ? LEVEL_LABELS[r.training] : '',
          ...absences(r),
          ...(isYear
            ? [
                r?.promotion ? PROMOTION_LABELS[r.promotion] : '',
                r && (r.promotion === 'retest' || r.promotion === 'summer_training') ? (r.promotion_detail ?? '') : '',
                r?.promotion === 'summer_training' ? 'Có' : '',
                r?.award ? AWARD_LABELS[r.award] : '',
              ]
            : []),
          notes.join('; '),
        ],
      };
    });
    const yearCols = isYear ? ['Lên lớp / Ở lại lớp', 'Kiểm tra lại các môn', 'Rèn luyện trong hè', 'Khen thưởng'] : [];
    writeSheet(wb, p.sheet, {
      schoolName,
      heading: 'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH',
      title: `Lớp ${cls.name} — Năm học ${schoolYearLabel(cls.year)} — ${p.sheet}`,
      status: closedAt(stored, p.sheet.toLowerCase()),
      header: [
        ...FIXED_HEADER,
        ...(subjects.length > 0 ? [{ text: p.averageHeader, sub: subjects.map((s) => ({ text: s.name, width: 7 })) }] : []),
        { text: 'Kết quả học tập', width: 11 },
        { text: 'Kết quả rèn luyện', width: 11 },
        ABSENCE_GROUP,
        ...yearCols.map((text) => ({ text, width: 11 })),
        NOTES,
      ],
      lines,
    });
  }
  await addSubjectSheets(wb, db, { schoolId, classId, year: cls.year, schoolName, title: `Lớp ${cls.name} — Năm học ${schoolYearLabel(cls.year)}`, subjects, members: await membersOf([1, 2]) });
}

const FIXED_HEADER: HeaderGroup[] = [
  { text: 'STT', width: 5 },
  { text: 'Họ và tên', width: 26 },
  { text: 'Ngày sinh', width: 11 },
];

/** The period whose close stores a checkpoint (TT27: the end of term I and the end of the year); mid-terms have none. */
const CLOSE_OF: Partial<Record<Checkpoint, ResultPeriod>> = { end_term1: 'hk1', end_year: 'cn' };
const QUALITY_SHORT: Record<QualityLevel, string> = { tot: 'T', dat: 'Đ', can_co_gang: 'C' };
const QUALITY_GROUPS: QualityGroup[] = ['pham_chat', 'nang_luc_chung', 'nang_luc_dac_thu'];
type CheckpointEntry = { level: SubjectLevel | null; test: number | null; exempt: boolean };

/**
 * The primary table (TT27/2020): a sheet per checkpoint. A closed checkpoint (cuối học kì I, cuối
 * năm học) shows what the principal's close stored, never recomputed; a mid-term checkpoint has
 * no close, so it shows the levels and tests as entered in the grids and the homeroom teacher's
 * ratings, which is all there is of it.
 */
async function primarySheets(wb: ExcelJS.Workbook, { db, schoolId, cls, subjects, schoolName, membersOf, closedAt }: SummaryContext) {
  const classId = cls.id;
  for (const checkpoint of ['mid_term1', 'end_term1', 'mid_term2', 'end_year'] as const) {
    const { term, position } = gridPlaceOf(checkpoint);
    const members = await membersOf(checkpoint === 'end_year' ? [1, 2] : [term]);
    const ids = members.map((m) => m.id);
    const period = CLOSE_OF[checkpoint];
    const entries = new Map<string, CheckpointEntry>();
    let qualitiesOf: (studentId: string) => Record<string, string | null>;
    let stored: Awaited<ReturnType<typeof listClassStudentResults>> = [];
    if (period) {
      const [results, subjectResults] = await Promise.all([listClassStudentResults(db, schoolId, classId, cls.year, period), listSubjectResults(db, schoolId, cls.year, period, ids)]);
      stored = results;
      for (const x of subjectResults) entries.set(`${x.student_id}/${x.subject_code}`, { level: x.subject_level, test: x.test_tenths, exempt: x.exempt });
      const byStudent = new Map(results.map((r) => [r.student_id, (r.qualities ?? {}) as Record<string, string | null>]));
      qualitiesOf = (id) => byStudent.get(id) ?? {};
    } else {
      const keys = primaryColumnKeys(position);
      const [cells, ratings] = await Promise.all([listClassCells(db, schoolId, classId, [keys.level, keys.test], term), listQualityRatings(db, { schoolId, classId, checkpoint })]);
      for (const c of cells) {
        const k = `${c.student_id}/${c.subject_code}`;
        const e = entries.get(k) ?? { level: null, test: null, exempt: false };
        if (c.column_key === keys.level) e.level = c.subject_level;
        else e.test = c.score_tenths;
        entries.set(k, e);
      }
      const byStudent = new Map<string, Record<string, string | null>>();
      for (const r of ratings) byStudent.set(r.student_id, { ...byStudent.get(r.student_id), [r.quality_code]: r.level });
      qualitiesOf = (id) => byStudent.get(id) ?? {};
    }
    const resultOf = new Map(stored.map((r) => [r.student_id, r]));
    // The awards the principal recorded (Học sinh Tiêu biểu, ad-hoc: TT27 Điều 13) beside the computed Xuất sắc.
    const recorded = checkpoint === 'end_year' && period ? (await listClassAwards(db, schoolId, classId)).filter((a) => a.status === 'recorded') : [];
    const tested = (code: string) => periodicTestRequired(cls.grade, code, checkpoint);
    const isYear = checkpoint === 'end_year';
    const label = CHECKPOINT_LABELS[checkpoint];

    const lines: Line[] = members.map((m, i) => {
      const r = resultOf.get(m.id);
      const shown = !period || r; // a closed checkpoint shows nothing for a student the close did not place
      const marks = subjects.flatMap((s) => {
        const e = shown ? entries.get(`${m.id}/${s.code}`) : undefined;
        const level = e?.exempt ? 'Miễn' : e?.level ? SUBJECT_LEVEL_SHORT[e.level] : '';
        return tested(s.code) ? [level, e?.test != null ? formatEnteredMark(e.test) : ''] : [level];
      });
      const q = shown ? qualitiesOf(m.id) : {};
      const qualities = QUALITIES_AND_COMPETENCIES.map((x) => {
        const v = q[x.code] as QualityLevel | null | undefined;
        return v ? QUALITY_SHORT[v] : '';
      });
      const missing = Array.isArray(r?.missing) ? (r.missing as string[]) : [];
      const outcome = r?.primary_outcome ?? null;
      return {
        cells: [
          i + 1,
          fullName(m),
          formatVnDate(m.date_of_birth),
          ...marks,
          ...qualities,
          ...(period ? absences(r) : []),
          ...(isYear
            ? [
                r ? (outcome ? YEAR_OUTCOME_LABELS[outcome] : INCOMPLETE_LABEL) : '',
                outcome ? gradeCompletion(cls.grade, outcome).label : '',
                r
                  ? [...(r.award ? [PRIMARY_AWARD_LABELS.hoc_sinh_xuat_sac] : []), ...recorded.filter((a) => a.student_id === m.id).map((a) => recordedAwardText(a.kind, a.achievement))].join('; ')
                  : '',
              ]
            : []),
          [...missing, ...(period && !r ? ['Không có kết quả của lớp này (chưa tổng hợp, hoặc học sinh đã chuyển lớp)'] : [])].join('; '),
        ],
      };
    });
    writeSheet(wb, label, {
      schoolName,
      heading: 'BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC CỦA LỚP',
      title: `Lớp ${cls.name} — Năm học ${schoolYearLabel(cls.year)} — ${label}`,
      status: period
        ? closedAt(stored, label.toLowerCase())
        : `${label}: mức đánh giá, điểm kiểm tra định kì và phẩm chất, năng lực như đã nhập trong sổ (giữa kì không có tổng hợp). Mức: T — Hoàn thành tốt, H — Hoàn thành, C — Chưa hoàn thành; phẩm chất, năng lực: T — Tốt, Đ — Đạt, C — Cần cố gắng.`,
      header: [
        ...FIXED_HEADER,
        // Each subject over its level and, where this checkpoint has one, its periodic test (TT27 Điều 7).
        ...subjects.map((s): HeaderGroup => ({ text: s.name, sub: [{ text: 'Mức', width: 6 }, ...(tested(s.code) ? [{ text: 'KTĐK', width: 6 }] : [])] })),
        ...QUALITY_GROUPS.map((g): HeaderGroup => ({ text: QUALITY_GROUP_LABELS[g], sub: QUALITIES_AND_COMPETENCIES.filter((x) => x.group === g).map((x) => ({ text: x.name, width: 8 })) })),
        ...(period ? [ABSENCE_GROUP] : []),
        ...(isYear ? [{ text: 'Kết quả giáo dục', width: 14 }, { text: 'Hoàn thành chương trình', width: 18 }, { text: 'Khen thưởng', width: 14 }] : []),
        NOTES,
      ],
      lines,
    });
  }
}
